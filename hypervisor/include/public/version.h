/* SPDX-License-Identifier: MIT */
/* Guest ABI: xen_version (#17) sub-operations and their buffers (Xen 4.17). */
#ifndef HOSPES_PUBLIC_VERSION_H
#define HOSPES_PUBLIC_VERSION_H

#include "xen.h"
#include "features.h"

/* xen_version(cmd, h arg). Returns 0 or -XEN_E* unless stated. */
#define XENVER_version		   0  /* arg NULL: returns (major << 16) | minor */
#define XENVER_extraversion	   1  /* OUT xen_extraversion_t, e.g. ".7" */
#define XENVER_compile_info	   2  /* OUT struct xen_compile_info */
#define XENVER_capabilities	   3  /* OUT xen_capabilities_info_t, e.g. "xen-3.0-x86_64 ..." */
#define XENVER_changeset	   4  /* OUT xen_changeset_info_t */
#define XENVER_platform_parameters 5  /* OUT struct xen_platform_parameters */
#define XENVER_get_features	   6  /* IN/OUT struct xen_feature_info */
#define XENVER_pagesize		   7  /* arg NULL: returns the page size (4096) */
#define XENVER_guest_handle	   8  /* OUT xen_domain_handle_t (the domain's UUID) */
#define XENVER_commandline	   9  /* OUT xen_commandline_t (dom0 only) */
#define XENVER_build_id		   10 /* IN/OUT struct xen_build_id: returns bytes written */

typedef char xen_extraversion_t[16];
typedef char xen_capabilities_info_t[1024];
typedef char xen_changeset_info_t[64];
typedef char xen_commandline_t[1024];
typedef uint8_t xen_domain_handle_t[16];
#define XEN_EXTRAVERSION_LEN	  16
#define XEN_CAPABILITIES_INFO_LEN 1024
#define XEN_CHANGESET_INFO_LEN	  64

struct xen_compile_info {
	char compiler[64];
	char compile_by[16];
	char compile_domain[32];
	char compile_date[32];
};
_Static_assert(sizeof(struct xen_compile_info) == 144, "xen_compile_info size");
_Static_assert(offsetof(struct xen_compile_info, compile_date) == 112, "compile_info.date");

/* platform_parameters: OUT virt_start, the lowest VA the hypervisor reserves. */
struct xen_platform_parameters {
	xen_ulong_t virt_start;
};
_Static_assert(sizeof(struct xen_platform_parameters) == 8, "xen_platform_parameters size");

/* get_features: IN submap_idx. OUT submap (32 XENFEAT_* bits starting at 32 * submap_idx). */
struct xen_feature_info {
	uint32_t submap_idx;
	uint32_t submap;
};
_Static_assert(sizeof(struct xen_feature_info) == 8, "xen_feature_info size");

/* build_id: IN len (room in buf). OUT buf; the call returns the id's length. */
struct xen_build_id {
	uint32_t len;
	uint8_t buf[];
};
_Static_assert(sizeof(struct xen_build_id) == 4, "xen_build_id size");

#endif /* HOSPES_PUBLIC_VERSION_H */
