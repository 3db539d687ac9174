/* SPDX-License-Identifier: MIT */
/* Toolstack ABI: sysctl (#35) — host information, the console log, the domain list (Xen 4.17). */
#ifndef HOSPES_PUBLIC_SYSCTL_H
#define HOSPES_PUBLIC_SYSCTL_H

#include "domctl.h"
#include "xen.h"

/*
 * sysctl(h arg): arg points at one struct xen_sysctl, read in whole and written back in whole
 * on success. Only a privileged domain may call it (-EPERM). A wrong interface_version gives
 * -EACCES, an unknown cmd -ENOSYS.
 */
#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015

/* cmd values (the ones not listed are not implemented by Hospes: -ENOSYS). */
#define XEN_SYSCTL_readconsole	     1
#define XEN_SYSCTL_physinfo	     3
#define XEN_SYSCTL_getdomaininfolist 6

/*
 * readconsole: copies the hypervisor's console log into buffer.
 * IN clear: afterwards, forget what was read (a later non-incremental read starts after it).
 * IN incremental: start at index (if it still lies within the log) rather than at the oldest
 * byte kept. IN/OUT index: where to start; where the read stopped (a free-running 32-bit
 * counter). IN buffer. IN/OUT count: buffer size; bytes written.
 */
struct xen_sysctl_readconsole {
	uint8_t clear;
	uint8_t incremental;
	uint8_t _pad0[2];
	uint32_t index;
	xen_guest_handle_t buffer;
	uint32_t count;
	uint32_t _pad1;
};
_Static_assert(sizeof(struct xen_sysctl_readconsole) == 24, "readconsole size");
_Static_assert(offsetof(struct xen_sysctl_readconsole, index) == 4, "readconsole.index");
_Static_assert(offsetof(struct xen_sysctl_readconsole, buffer) == 8, "readconsole.buffer");
_Static_assert(offsetof(struct xen_sysctl_readconsole, count) == 16, "readconsole.count");

/* physinfo capabilities. */
#define XEN_SYSCTL_PHYSCAP_hvm		      (1u << 0)
#define XEN_SYSCTL_PHYSCAP_pv		      (1u << 1)
#define XEN_SYSCTL_PHYSCAP_directio	      (1u << 2)
#define XEN_SYSCTL_PHYSCAP_hap		      (1u << 3)
#define XEN_SYSCTL_PHYSCAP_shadow	      (1u << 4)
#define XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share (1u << 5)
#define XEN_SYSCTL_PHYSCAP_vmtrace	      (1u << 6)
#define XEN_SYSCTL_PHYSCAP_vpmu		      (1u << 7)
#define XEN_SYSCTL_PHYSCAP_gnttab_v1	      (1u << 8)
#define XEN_SYSCTL_PHYSCAP_gnttab_v2	      (1u << 9)

/*
 * physinfo: all OUT. hw_cap holds the host's CPUID feature words in Xen's featureset order:
 * 1.EDX, 1.ECX, 0x80000001.EDX, 0x80000001.ECX, 0xd[1].EAX, 7[0].EBX, 7[0].ECX, 0x80000007.EDX.
 */
struct xen_sysctl_physinfo {
	uint32_t threads_per_core;
	uint32_t cores_per_socket;
	uint32_t nr_cpus;    /* CPUs online */
	uint32_t max_cpu_id; /* highest CPU id there can be */
	uint32_t nr_nodes;   /* NUMA nodes online */
	uint32_t max_node_id;
	uint32_t cpu_khz;
	uint32_t capabilities;	    /* XEN_SYSCTL_PHYSCAP_* */
	uint32_t arch_capabilities; /* none defined for x86 */
	uint32_t _pad0;
	uint64_t total_pages; /* RAM frames the hypervisor manages */
	uint64_t free_pages;  /* of which free */
	uint64_t scrub_pages; /* free but still to be scrubbed */
	uint64_t outstanding_pages;
	uint64_t max_mfn; /* highest machine frame there can be */
	uint32_t hw_cap[8];
};
_Static_assert(sizeof(struct xen_sysctl_physinfo) == 112, "physinfo size");
_Static_assert(offsetof(struct xen_sysctl_physinfo, cpu_khz) == 24, "physinfo.cpu_khz");
_Static_assert(offsetof(struct xen_sysctl_physinfo, total_pages) == 40, "physinfo.total_pages");
_Static_assert(offsetof(struct xen_sysctl_physinfo, free_pages) == 48, "physinfo.free_pages");
_Static_assert(offsetof(struct xen_sysctl_physinfo, max_mfn) == 72, "physinfo.max_mfn");
_Static_assert(offsetof(struct xen_sysctl_physinfo, hw_cap) == 80, "physinfo.hw_cap");

/*
 * getdomaininfolist: IN first_domain, max_domains, buffer (an array of max_domains struct
 * xen_domctl_getdomaininfo); OUT num_domains, the entries written (domains with an id >=
 * first_domain, in increasing id order).
 */
struct xen_sysctl_getdomaininfolist {
	domid_t first_domain;
	uint16_t _pad0;
	uint32_t max_domains;
	xen_guest_handle_t buffer;
	uint32_t num_domains;
	uint32_t _pad1;
};
_Static_assert(sizeof(struct xen_sysctl_getdomaininfolist) == 24, "getdomaininfolist size");
_Static_assert(offsetof(struct xen_sysctl_getdomaininfolist, max_domains) == 4,
	       "getdomaininfolist.max_domains");
_Static_assert(offsetof(struct xen_sysctl_getdomaininfolist, buffer) == 8,
	       "getdomaininfolist.buffer");
_Static_assert(offsetof(struct xen_sysctl_getdomaininfolist, num_domains) == 16,
	       "getdomaininfolist.num_domains");

struct xen_sysctl {
	uint32_t cmd;		    /* XEN_SYSCTL_* */
	uint32_t interface_version; /* XEN_SYSCTL_INTERFACE_VERSION */
	union {
		struct xen_sysctl_readconsole readconsole;
		struct xen_sysctl_physinfo physinfo;
		struct xen_sysctl_getdomaininfolist getdomaininfolist;
		uint8_t pad[128]; /* the size of the union, whatever the op */
	} u;
};
_Static_assert(sizeof(struct xen_sysctl) == 136, "xen_sysctl size");
_Static_assert(offsetof(struct xen_sysctl, u) == 8, "xen_sysctl.u");

#endif /* HOSPES_PUBLIC_SYSCTL_H */
