/* SPDX-License-Identifier: GPL-2.0-only */
/* Domains and virtual CPUs: creation, shutdown and destruction. */
#ifndef HOSPES_DOMAIN_H
#define HOSPES_DOMAIN_H

#include <asm/pv.h>
#include <hospes/spinlock.h>
#include <hospes/types.h>
#include <public/xen.h>

#define MAX_VIRT_CPUS 32 /* vcpu_info slots in shared_info */

enum vcpu_state {
	VCPU_OFFLINE,  /* not started (VCPUOP_up brings it up) */
	VCPU_RUNNABLE, /* wants a CPU */
	VCPU_BLOCKED,  /* SCHEDOP_block: waits for an event or its timer */
	VCPU_DOWN,     /* its domain shut down or died */
};

struct domain;
struct grant_table;

struct vcpu {
	unsigned int id;
	struct domain *domain;
	volatile int state;	    /* enum vcpu_state */
	int processor;		    /* physical CPU it runs on */
	struct vcpu_info *info;	    /* in shared_info, or where the guest registered it */
	uint64_t timer_deadline_ns; /* set_timer_op: 0 means none */
	struct arch_vcpu arch;
};

struct domain {
	uint16_t domid;
	bool is_privileged;
	volatile bool is_dying;
	bool is_shutdown;
	uint8_t shutdown_reason; /* SHUTDOWN_*, valid when is_shutdown */
	spinlock_t lock;	 /* page_count and the frames' ownership changes */
	uint64_t tot_pages;
	uint64_t max_pages;
	uint64_t vm_assist;
	struct shared_info *shared_info;
	paddr_t shared_info_maddr;
	unsigned int nr_vcpus;
	struct vcpu *vcpus[MAX_VIRT_CPUS];
	struct grant_table *grant_table; /* NULL until the first grant_table_op */
	char crash_reason[128];
	char con_buf[256]; /* console_io output up to the next newline */
	size_t con_len;
};

/* Allocates a domain with its shared_info page and nr_vcpus offline vCPUs; NULL if no memory. */
struct domain *domain_create(uint16_t domid, unsigned int nr_vcpus, bool privileged);

/*
 * Stops every vCPU and records why (SHUTDOWN_*). The domain keeps its memory until
 * domain_destroy(). Prints one line on the console.
 */
void domain_shutdown(struct domain *d, unsigned int reason);

/* domain_shutdown(SHUTDOWN_crash) with a one-line reason printed and kept for the tools. */
void domain_crash(struct domain *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Returns every frame the domain owns to the allocator and frees its structures. */
void domain_destroy(struct domain *d);

/* Appends guest console output; complete lines go to the console as "(dN) ...". */
void guest_console_write(struct domain *d, const char *buf, size_t n);

/* Refreshes a vcpu_time_info from the TSC (pvclock version protocol). */
void time_fill_vcpu(struct vcpu_time_info *t);

/* The initial domain, once built (NULL before). */
extern struct domain *dom0;

#endif /* HOSPES_DOMAIN_H */
