/* SPDX-License-Identifier: GPL-2.0-only */
/* Domains and virtual CPUs: creation, shutdown and destruction. */
#ifndef HOSPES_DOMAIN_H
#define HOSPES_DOMAIN_H

#include <asm/pv.h>
#include <hospes/spinlock.h>
#include <hospes/types.h>
#include <hospes/vpit.h>
#include <public/vcpu.h>
#include <public/xen.h>

#define MAX_VIRT_CPUS 32 /* vcpu_info slots in shared_info */

enum vcpu_state {
	VCPU_OFFLINE,  /* not started (VCPUOP_up brings it up) */
	VCPU_RUNNABLE, /* wants a CPU */
	VCPU_BLOCKED,  /* SCHEDOP_block: waits for an event or its timer */
	VCPU_DOWN,     /* its domain shut down or died */
};

struct domain;
struct evtchn_table;

#define VCPU_ORDER 1 /* struct vcpu is allocated as 2^VCPU_ORDER pages */
struct grant_table;

struct vcpu {
	unsigned int id;
	struct domain *domain;
	volatile int state;	    /* enum vcpu_state */
	volatile bool running;	    /* on a CPU now (its page tables may be loaded) */
	int processor;		    /* physical CPU it runs on */
	struct vcpu_info *info;	    /* in shared_info, or where the guest registered it */
	uint64_t timer_deadline_ns; /* set_timer_op: 0 means none */
	/* Timers, polling, runstate, vcpu_info placement (common/timer.c, common/vcpu_op.c). */
	uint64_t periodic_period_ns; /* VIRQ_TIMER period while running; 0: none */
	uint64_t periodic_next_ns;
	uint64_t poll_deadline_ns; /* SCHEDOP_poll timeout; 0: none */
	volatile bool polling;	   /* in SCHEDOP_poll: any raised port wakes it */
	bool vcpu_info_registered; /* VCPUOP_register_vcpu_info done (info is in a guest page) */
	bool runstate_dirty;	   /* the guest's runstate area lags runstate */
	bool time_area_dirty;	   /* the secondary time area lags vcpu_info's time */
	struct vcpu_runstate_info runstate;
	uint64_t runstate_guest;  /* guest VA of the runstate area; 0: none */
	uint64_t time_area_guest; /* guest VA of the secondary vcpu_time_info; 0: none */
	struct arch_vcpu arch;
};

_Static_assert(sizeof(struct vcpu) <= (4096u << VCPU_ORDER), "struct vcpu fits VCPU_ORDER");

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
	struct evtchn_table *evtchn;	 /* event channel ports (common/evtchn_op.c) */
	struct grant_table *grant_table; /* NULL until the first grant_table_op */
	char crash_reason[128];
	uint64_t free_frames_before; /* allocator's free count before creation (leak check) */
	uint32_t pci_cf8;	     /* x86: its PCI config address latch (port 0xcf8) */
	struct vpit vpit;	     /* x86: its PIT channel 2 (its own vCPUs may race on it) */
	char con_buf[256];	     /* console_io output up to the next newline */
	size_t con_len;
	/* The toolstack's view (common/domctl.c; changed under the domctl lock). */
	volatile int pause_count;	/* pauses in force: its vCPUs are not scheduled while > 0 */
	unsigned int controller_pauses; /* pausedomain minus unpausedomain (createdomain: 1) */
	bool ctl_created;		/* made by createdomain: only destroydomain frees it */
	bool ctl_vcpus_shown;		/* max_vcpus done: its vCPUs exist for the toolstack */
	uint8_t handle[16];		/* createdomain's handle (the guest's UUID) */
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

/* Refreshes a vcpu_time_info from the TSC (pvclock version protocol). */
void time_fill_vcpu(struct vcpu_time_info *t);

/* The initial domain, once built (NULL before). */
extern struct domain *dom0;

#endif /* HOSPES_DOMAIN_H */
