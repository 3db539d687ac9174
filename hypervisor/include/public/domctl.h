/* SPDX-License-Identifier: MIT */
/* Toolstack ABI: domctl (#36) — create, destroy, pause and inspect domains (Xen 4.17, v0x15). */
#ifndef HOSPES_PUBLIC_DOMCTL_H
#define HOSPES_PUBLIC_DOMCTL_H

#include "xen.h"

/*
 * domctl(h arg): arg points at one struct xen_domctl, read in whole and (for the ops that say
 * OUT) written back in whole. Only a privileged domain may call it (-EPERM). A wrong
 * interface_version gives -EACCES, an unknown cmd -ENOSYS, a domain that does not exist -ESRCH.
 * The structure changes with every Xen release: interface_version names the layout.
 */
#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015

/* cmd values (the ones not listed are not implemented by Hospes: -ENOSYS). */
#define XEN_DOMCTL_createdomain	  1
#define XEN_DOMCTL_destroydomain  2
#define XEN_DOMCTL_pausedomain	  3
#define XEN_DOMCTL_unpausedomain  4
#define XEN_DOMCTL_getdomaininfo  5
#define XEN_DOMCTL_max_mem	  11
#define XEN_DOMCTL_setvcpucontext 12
#define XEN_DOMCTL_getvcpucontext 13
#define XEN_DOMCTL_getvcpuinfo	  14
#define XEN_DOMCTL_max_vcpus	  15

/* A domain's 128-bit handle (the toolstack puts the guest's UUID in it). */
typedef uint8_t xen_domain_handle_t[16];

/* Emulated devices a domain gets (x86); a PV domain may ask for none, or for the PIT only. */
#define XEN_X86_EMU_PIT	    (1u << 8)
#define XEN_X86_MSR_RELAXED (1u << 0) /* misc_flags: unknown MSRs read 0 instead of #GP */

struct xen_arch_domainconfig {
	uint32_t emulation_flags; /* XEN_X86_EMU_* */
	uint32_t misc_flags;	  /* XEN_X86_MSR_RELAXED */
};
_Static_assert(sizeof(struct xen_arch_domainconfig) == 8, "xen_arch_domainconfig size");

/* createdomain flags: a PV domain sets none of hvm, hap, nested_virt. */
#define XEN_DOMCTL_CDF_hvm	      (1u << 0)
#define XEN_DOMCTL_CDF_hap	      (1u << 1)
#define XEN_DOMCTL_CDF_s3_integrity   (1u << 2)
#define XEN_DOMCTL_CDF_oos_off	      (1u << 3)
#define XEN_DOMCTL_CDF_xs_domain      (1u << 4)
#define XEN_DOMCTL_CDF_iommu	      (1u << 5)
#define XEN_DOMCTL_CDF_nested_virt    (1u << 6)
#define XEN_DOMCTL_CDF_vpmu	      (1u << 7)

#define XEN_DOMCTL_GRANT_version_mask 0xfu /* grant_opts: highest grant table version allowed */
#define XEN_DOMCTL_GRANT_version(v)   ((v)&XEN_DOMCTL_GRANT_version_mask)

/*
 * createdomain. xen_domctl.domain is IN/OUT: a free id below DOMID_FIRST_RESERVED asks for that
 * id (-EEXIST if taken); 0 or a reserved id lets the hypervisor pick one, written back in
 * domain. The new domain has no memory, no vCPUs yet (max_vcpus creates them) and is paused
 * once by the controller (unpausedomain starts it). All fields IN.
 */
struct xen_domctl_createdomain {
	uint32_t ssidref; /* security label (XSM); ignored */
	xen_domain_handle_t handle;
	uint32_t flags;		     /* XEN_DOMCTL_CDF_* */
	uint32_t iommu_opts;	     /* must be 0 without XEN_DOMCTL_CDF_iommu */
	uint32_t max_vcpus;	     /* at least 1 */
	uint32_t max_evtchn_port;    /* highest event channel port */
	int32_t max_grant_frames;    /* < 0: the hypervisor's default */
	int32_t max_maptrack_frames; /* < 0: the hypervisor's default */
	uint32_t grant_opts;	     /* XEN_DOMCTL_GRANT_version(n), n >= 1 */
	uint32_t vmtrace_size;	     /* processor trace buffer per vCPU: 0 for PV */
	uint32_t cpupool_id;	     /* 0: the default pool */
	struct xen_arch_domainconfig arch;
};
_Static_assert(sizeof(struct xen_domctl_createdomain) == 64, "createdomain size");
_Static_assert(offsetof(struct xen_domctl_createdomain, handle) == 4, "createdomain.handle");
_Static_assert(offsetof(struct xen_domctl_createdomain, flags) == 20, "createdomain.flags");
_Static_assert(offsetof(struct xen_domctl_createdomain, max_vcpus) == 28, "createdomain.vcpus");
_Static_assert(offsetof(struct xen_domctl_createdomain, max_grant_frames) == 36,
	       "createdomain.max_grant_frames");
_Static_assert(offsetof(struct xen_domctl_createdomain, grant_opts) == 44, "createdomain.gnt");
_Static_assert(offsetof(struct xen_domctl_createdomain, cpupool_id) == 52, "createdomain.pool");
_Static_assert(offsetof(struct xen_domctl_createdomain, arch) == 56, "createdomain.arch");

/* getdomaininfo flags. The shutdown reason (SHUTDOWN_*) sits in bits 16-23. */
#define XEN_DOMINF_dying	 (1u << 0) /* destroyed, waiting for its last references */
#define XEN_DOMINF_hvm_guest	 (1u << 1)
#define XEN_DOMINF_shutdown	 (1u << 2) /* the guest shut down (reason in the shutdown bits) */
#define XEN_DOMINF_paused	 (1u << 3) /* paused by the controller */
#define XEN_DOMINF_blocked	 (1u << 4) /* every online vCPU waits for an event */
#define XEN_DOMINF_running	 (1u << 5) /* a vCPU is on a CPU now */
#define XEN_DOMINF_debugged	 (1u << 6)
#define XEN_DOMINF_xs_domain	 (1u << 7)
#define XEN_DOMINF_hap		 (1u << 8)
#define XEN_DOMINF_shutdownmask	 255u
#define XEN_DOMINF_shutdownshift 16
#define XEN_INVALID_MAX_VCPU_ID	 (~0u) /* max_vcpu_id of a domain with no vCPU yet */

/*
 * getdomaininfo: all OUT (also the element of sysctl getdomaininfolist). Xen 4.17 answers for
 * the first domain whose id is >= xen_domctl.domain and writes that id back into domain.
 */
struct xen_domctl_getdomaininfo {
	domid_t domain;
	uint16_t _pad0;
	uint32_t flags; /* XEN_DOMINF_* */
	uint64_t tot_pages;
	uint64_t max_pages;
	uint64_t outstanding_pages;
	uint64_t shr_pages;
	uint64_t paged_pages;
	uint64_t shared_info_frame; /* MFN of its shared_info (PV: GMFN == MFN) */
	uint64_t cpu_time;	    /* ns its vCPUs ran, in total */
	uint32_t nr_online_vcpus;   /* vCPUs up (running, runnable or blocked) */
	uint32_t max_vcpu_id;	    /* highest vCPU id, or XEN_INVALID_MAX_VCPU_ID */
	uint32_t ssidref;
	xen_domain_handle_t handle;
	uint32_t cpupool;
	uint8_t gpaddr_bits; /* guest physical address width */
	uint8_t _pad1[7];
	struct xen_arch_domainconfig arch_config;
};
_Static_assert(sizeof(struct xen_domctl_getdomaininfo) == 112, "getdomaininfo size");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, flags) == 4, "getdomaininfo.flags");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, tot_pages) == 8, "getdomaininfo.tot");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, shared_info_frame) == 48,
	       "getdomaininfo.shared_info_frame");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, cpu_time) == 56, "getdomaininfo.time");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, nr_online_vcpus) == 64,
	       "getdomaininfo.nr_online_vcpus");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, handle) == 76, "getdomaininfo.handle");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, cpupool) == 92, "getdomaininfo.pool");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, gpaddr_bits) == 96,
	       "getdomaininfo.gpaddr_bits");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, arch_config) == 104,
	       "getdomaininfo.arch_config");

/* max_mem: IN the most memory the domain may hold, in KiB (rounded down to pages). */
struct xen_domctl_max_mem {
	uint64_t max_memkb;
};
_Static_assert(sizeof(struct xen_domctl_max_mem) == 8, "max_mem size");

/*
 * setvcpucontext / getvcpucontext: IN vcpu, IN ctxt (a struct vcpu_guest_context the hypervisor
 * reads, or writes for get). Neither works on the caller's own vCPUs (set: its own domain).
 */
struct xen_domctl_vcpucontext {
	uint32_t vcpu;
	uint32_t _pad0;
	xen_guest_handle_t ctxt;
};
_Static_assert(sizeof(struct xen_domctl_vcpucontext) == 16, "vcpucontext size");
_Static_assert(offsetof(struct xen_domctl_vcpucontext, ctxt) == 8, "vcpucontext.ctxt");

/* getvcpuinfo: IN vcpu; OUT the rest. */
struct xen_domctl_getvcpuinfo {
	uint32_t vcpu;
	uint8_t online;	 /* up (not VCPUOP_down / never started) */
	uint8_t blocked; /* waiting for an event */
	uint8_t running; /* on a CPU now */
	uint8_t _pad0;
	uint64_t cpu_time; /* ns it ran */
	uint32_t cpu;	   /* the physical CPU it runs on */
	uint32_t _pad1;
};
_Static_assert(sizeof(struct xen_domctl_getvcpuinfo) == 24, "getvcpuinfo size");
_Static_assert(offsetof(struct xen_domctl_getvcpuinfo, online) == 4, "getvcpuinfo.online");
_Static_assert(offsetof(struct xen_domctl_getvcpuinfo, cpu_time) == 8, "getvcpuinfo.cpu_time");
_Static_assert(offsetof(struct xen_domctl_getvcpuinfo, cpu) == 16, "getvcpuinfo.cpu");

/* max_vcpus: IN max, which must equal createdomain's max_vcpus; creates the vCPUs (offline). */
struct xen_domctl_max_vcpus {
	uint32_t max;
};
_Static_assert(sizeof(struct xen_domctl_max_vcpus) == 4, "max_vcpus size");

struct xen_domctl {
	uint32_t cmd;		    /* XEN_DOMCTL_* */
	uint32_t interface_version; /* XEN_DOMCTL_INTERFACE_VERSION */
	domid_t domain;		    /* the target domain (createdomain: IN/OUT) */
	uint16_t _pad0[3];
	union {
		struct xen_domctl_createdomain createdomain;
		struct xen_domctl_getdomaininfo getdomaininfo;
		struct xen_domctl_max_mem max_mem;
		struct xen_domctl_vcpucontext vcpucontext;
		struct xen_domctl_getvcpuinfo getvcpuinfo;
		struct xen_domctl_max_vcpus max_vcpus;
		uint8_t pad[128]; /* the size of the union, whatever the op */
	} u;
};
_Static_assert(sizeof(struct xen_domctl) == 144, "xen_domctl size");
_Static_assert(offsetof(struct xen_domctl, interface_version) == 4, "xen_domctl.version");
_Static_assert(offsetof(struct xen_domctl, domain) == 8, "xen_domctl.domain");
_Static_assert(offsetof(struct xen_domctl, u) == 16, "xen_domctl.u");

#endif /* HOSPES_PUBLIC_DOMCTL_H */
