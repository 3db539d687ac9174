/* SPDX-License-Identifier: MIT */
/* Guest ABI: platform_op (#7) — hardware platform operations for the control domain (Xen 4.17). */
#ifndef HOSPES_PUBLIC_PLATFORM_H
#define HOSPES_PUBLIC_PLATFORM_H

#include "xen.h"

/* platform_op(h struct xen_platform_op). Privileged callers only (else -EPERM); an
 * interface_version other than XENPF_INTERFACE_VERSION gets -EACCES. */
#define XENPF_INTERFACE_VERSION 0x03000001

/* IN secs, nsecs: the wallclock at IN system_time (ns since boot). Every domain sees it. */
#define XENPF_settime32 17
struct xenpf_settime32 {
	uint32_t secs;
	uint32_t nsecs;
	uint64_t system_time;
};

#define XENPF_settime64 62
struct xenpf_settime64 {
	uint64_t secs;
	uint32_t nsecs;
	uint32_t mbz; /* IN: must be 0 */
	uint64_t system_time;
};

/* IN type, index: firmware data captured at boot. -ESRCH when there is none at index. */
#define XENPF_firmware_info	  50
#define XEN_FW_DISK_INFO	  1
#define XEN_FW_DISK_MBR_SIGNATURE 2
#define XEN_FW_VBEDDC_INFO	  3
#define XEN_FW_EFI_INFO		  4
#define XEN_FW_KBD_SHIFT_FLAGS	  5
struct xenpf_firmware_info {
	uint32_t type;
	uint32_t index;
	union {
		uint8_t kbd_shift_flags; /* OUT, XEN_FW_KBD_SHIFT_FLAGS */
		uint8_t pad[40];	 /* the other types' records, none filled here */
	} u;
};

/* IN xen_cpuid; OUT the highest present CPU, flags, its APIC and ACPI ids. */
#define XENPF_get_cpuinfo      55
#define XEN_PCPU_FLAGS_ONLINE  1
#define XEN_PCPU_FLAGS_INVALID 2 /* xen_cpuid is not present */
struct xenpf_pcpuinfo {
	uint32_t xen_cpuid;
	uint32_t max_present;
	uint32_t flags;
	uint32_t apic_id;
	uint32_t acpi_id;
};

/* IN xen_cpuid; OUT the highest present CPU, CPUID vendor string and display family/model. */
#define XENPF_get_cpu_version 48
struct xenpf_pcpu_version {
	uint32_t xen_cpuid;
	uint32_t max_present;
	char vendor_id[12];
	uint32_t family;
	uint32_t model;
	uint32_t stepping;
};

struct xen_platform_op {
	uint32_t cmd;
	uint32_t interface_version;
	union {
		struct xenpf_settime32 settime32;
		struct xenpf_settime64 settime64;
		struct xenpf_firmware_info firmware_info;
		struct xenpf_pcpuinfo pcpu_info;
		struct xenpf_pcpu_version pcpu_version;
		uint8_t pad[128];
	} u;
};

_Static_assert(sizeof(struct xenpf_settime64) == 24, "settime64 layout");
_Static_assert(sizeof(struct xenpf_pcpuinfo) == 20, "pcpuinfo layout");
_Static_assert(sizeof(struct xenpf_pcpu_version) == 32, "pcpu_version layout");
_Static_assert(__builtin_offsetof(struct xenpf_firmware_info, u) == 8, "firmware_info layout");
_Static_assert(sizeof(struct xen_platform_op) == 136, "platform_op layout");

#endif /* HOSPES_PUBLIC_PLATFORM_H */
