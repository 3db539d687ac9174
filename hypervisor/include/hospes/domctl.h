/* SPDX-License-Identifier: GPL-2.0-only */
/* domctl and sysctl: the toolstack's hypercalls, and their pure rules (host unit-tested). */
#ifndef HOSPES_DOMCTL_H
#define HOSPES_DOMCTL_H

#include <hospes/types.h>
#include <public/arch-x86_64.h>
#include <public/domctl.h>

#define DOMCTL_MAX_CONTROLLER_PAUSES 255  /* pausedomain beyond this: -EOVERFLOW, as Xen */
#define DOMCTL_DEFAULT_GRANT_FRAMES  64	  /* Xen 4.17's defaults for max_grant_frames < 0 ... */
#define DOMCTL_DEFAULT_MAPTRACK	     1024 /* ... and max_maptrack_frames < 0 */

/*
 * The createdomain configuration a PV domain may ask for (Xen 4.17's rules; Hospes has no HVM,
 * IOMMU, vPMU or processor trace): 0 or -EINVAL. max_vcpus is the hypervisor's limit.
 */
int domctl_createdomain_check(const struct xen_domctl_createdomain *c, unsigned int max_vcpus);

/*
 * The id createdomain gives a new domain. requested in 1..DOMID_FIRST_RESERVED-1: that one, or
 * -EEXIST if in_use(requested). Otherwise the first free id after *rover (wrapping from
 * DOMID_FIRST_RESERVED - 1 to 1), which becomes the new *rover; -ENOMEM if none is free.
 */
int domctl_pick_domid(domid_t requested, domid_t *rover, bool (*in_use)(domid_t id, void *arg),
		      void *arg, domid_t *out);

/* The controller's pause count: +1 (at most DOMCTL_MAX_CONTROLLER_PAUSES, else -EOVERFLOW). */
int domctl_pause_inc(unsigned int *count);
/* -1, or -EINVAL if it is 0 already. */
int domctl_pause_dec(unsigned int *count);

/* What getdomaininfo's flags are made of. */
struct dominf_state {
	bool dying;
	bool shutdown;
	uint8_t shutdown_reason;
	unsigned int controller_pauses;
	unsigned int nr_online;	 /* vCPUs up */
	unsigned int nr_blocked; /* of those, waiting for an event */
	unsigned int nr_running; /* of those, on a CPU now */
};

/*
 * XEN_DOMINF_* for s: blocked only if every online vCPU is; neither without online vCPUs. Bits
 * 16-31 hold the shutdown reason, or all ones while there is none (Xen 4.17's ~0 code).
 */
uint32_t domctl_dominf_flags(const struct dominf_state *s);

/*
 * setvcpucontext's checks of a 64-bit PV context that need nothing but the context: addresses
 * canonical and outside the hypervisor's range, the LDT page-aligned and at most 8192 entries,
 * the GDT at most 14 frames, CS, SS and kernel_ss (RPL raised to 3 first, as Xen does) either
 * the hypervisor's flat ring-3 ones or within the guest's GDT/LDT (CS and SS must be flat ones
 * in user mode), a user page table for user mode, and vm_assist bits within known_vm_assist (vCPU 0
 * sets the domain's). 0 or -EINVAL; *c has its selectors fixed up either way.
 */
int domctl_vcpu_context_check(struct vcpu_guest_context *c, unsigned int vcpu_id,
			      uint64_t known_vm_assist);

/*
 * readconsole: the logical offset a read starts at, given the log's head (offset of the next
 * byte written), its size, the clear point, and the request (incremental with a 32-bit index
 * counting from the same origin). The oldest byte kept is max(clear, head - size); an
 * incremental index is used when it lies in (that, head], as Xen does.
 */
uint64_t domctl_readconsole_start(uint64_t head, uint64_t size, uint64_t clear, bool incremental,
				  uint32_t index);

/* The hypercalls (common/domctl.c, common/sysctl.c). */
long do_domctl(uint64_t arg, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
long do_sysctl(uint64_t arg, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);

struct domain;
/* getdomaininfo for d (also sysctl getdomaininfolist's entries). */
void domctl_getdomaininfo(struct domain *d, struct xen_domctl_getdomaininfo *info);
/*
 * Serialises the toolstack's calls (domctl and the sysctls that look at domains): domains are
 * only created and destroyed under it.
 */
void domctl_lock(void);
void domctl_unlock(void);

#endif /* HOSPES_DOMCTL_H */
