/* SPDX-License-Identifier: MIT */
/* Guest ABI: vcpu_op (#24) — vCPU bring-up, runstate, timers, vcpu_info placement (Xen 4.17). */
#ifndef HOSPES_PUBLIC_VCPU_H
#define HOSPES_PUBLIC_VCPU_H

#include "xen.h"

/* vcpu_op(cmd, vcpu id, h arg). Returns 0 or -XEN_E* unless stated. */
#define VCPUOP_initialise		      0	 /* arg struct vcpu_guest_context: set state */
#define VCPUOP_up			      1	 /* arg NULL: start an initialised vCPU */
#define VCPUOP_down			      2	 /* arg NULL: stop it */
#define VCPUOP_is_up			      3	 /* arg NULL: returns 1 if running, else 0 */
#define VCPUOP_get_runstate_info	      4	 /* arg struct vcpu_runstate_info (OUT) */
#define VCPUOP_register_runstate_memory_area  5	 /* arg struct vcpu_register_runstate_memory_area */
#define VCPUOP_set_periodic_timer	      6	 /* arg struct vcpu_set_periodic_timer */
#define VCPUOP_stop_periodic_timer	      7	 /* arg NULL */
#define VCPUOP_set_singleshot_timer	      8	 /* arg struct vcpu_set_singleshot_timer */
#define VCPUOP_stop_singleshot_timer	      9	 /* arg NULL */
#define VCPUOP_register_vcpu_info	      10 /* arg struct vcpu_register_vcpu_info */
#define VCPUOP_send_nmi			      11 /* arg NULL */
#define VCPUOP_get_physid		      12 /* arg struct vcpu_get_physid (OUT) */
#define VCPUOP_register_vcpu_time_memory_area 13 /* arg struct vcpu_register_time_memory_area */

/* Time a vCPU spent in each state, in ns of system time. */
struct vcpu_runstate_info {
	int32_t state; /* RUNSTATE_* */
	uint32_t _pad0;
	uint64_t state_entry_time; /* bit 63 = XEN_RUNSTATE_UPDATE while being rewritten */
	uint64_t time[4];	   /* indexed by RUNSTATE_* */
};
_Static_assert(sizeof(struct vcpu_runstate_info) == 48, "vcpu_runstate_info size");
_Static_assert(offsetof(struct vcpu_runstate_info, state_entry_time) == 8, "runstate.entry");
_Static_assert(offsetof(struct vcpu_runstate_info, time) == 16, "runstate.time");
#define XEN_RUNSTATE_UPDATE (1ULL << 63)
#define RUNSTATE_running    0
#define RUNSTATE_runnable   1
#define RUNSTATE_blocked    2
#define RUNSTATE_offline    3

/* register_runstate_memory_area: IN guest VA the hypervisor keeps a vcpu_runstate_info at. */
struct vcpu_register_runstate_memory_area {
	uint64_t addr;
};
_Static_assert(sizeof(struct vcpu_register_runstate_memory_area) == 8, "runstate_area size");

/* set_periodic_timer: IN period_ns (VIRQ_TIMER every period). */
struct vcpu_set_periodic_timer {
	uint64_t period_ns;
};
_Static_assert(sizeof(struct vcpu_set_periodic_timer) == 8, "vcpu_set_periodic_timer size");

/*
 * set_singleshot_timer: IN timeout_abs_ns (system time), flags. VIRQ_TIMER fires once when system
 * time reaches the timeout; a timeout in the past fires at once. With VCPU_SSHOTTMR_future such
 * a timeout may instead be refused with -XEN_ETIME (the hypervisor may ignore the flag; Debian's
 * Xen 4.17.7 does).
 */
struct vcpu_set_singleshot_timer {
	uint64_t timeout_abs_ns;
	uint32_t flags;
	uint32_t _pad0;
};
_Static_assert(sizeof(struct vcpu_set_singleshot_timer) == 16, "vcpu_set_singleshot size");
_Static_assert(offsetof(struct vcpu_set_singleshot_timer, flags) == 8, "singleshot.flags");
#define VCPU_SSHOTTMR_future (1u << 0)

/*
 * register_vcpu_info: IN mfn and offset of a guest area (64 bytes, 8-aligned, not crossing the
 * page) that replaces the shared_info slot of this vCPU from now on.
 */
struct vcpu_register_vcpu_info {
	uint64_t mfn;
	uint32_t offset;
	uint32_t rsvd;
};
_Static_assert(sizeof(struct vcpu_register_vcpu_info) == 16, "vcpu_register_vcpu_info size");
_Static_assert(offsetof(struct vcpu_register_vcpu_info, offset) == 8, "register_vcpu_info.off");

/* get_physid: OUT phys_id (APIC id in bits 0-31, ACPI id in bits 32-63). */
struct vcpu_get_physid {
	uint64_t phys_id;
};
_Static_assert(sizeof(struct vcpu_get_physid) == 8, "vcpu_get_physid size");

/* register_vcpu_time_memory_area: IN guest VA of a second vcpu_time_info kept up to date. */
struct vcpu_register_time_memory_area {
	uint64_t addr;
};
_Static_assert(sizeof(struct vcpu_register_time_memory_area) == 8, "time_memory_area size");

#endif /* HOSPES_PUBLIC_VCPU_H */
