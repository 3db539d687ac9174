/* SPDX-License-Identifier: MIT */
/* Guest ABI: callback_op (#30) — entry points the hypervisor bounces events and syscalls to. */
#ifndef HOSPES_PUBLIC_CALLBACK_H
#define HOSPES_PUBLIC_CALLBACK_H

#include "xen.h"

#define CALLBACKTYPE_event		 0 /* event-channel upcall */
#define CALLBACKTYPE_failsafe		 1 /* segment reload failed on return to the guest */
#define CALLBACKTYPE_syscall		 2 /* `syscall` from guest user mode (64-bit) */
#define CALLBACKTYPE_sysenter_deprecated 3
#define CALLBACKTYPE_nmi		 4 /* NMI delivered to the guest */
#define CALLBACKTYPE_sysenter		 5 /* `sysenter` from 32-bit user mode */
#define CALLBACKTYPE_syscall32		 7 /* `syscall` from 32-bit user mode */

#define CALLBACKF_mask_events		 (1u << 0) /* set the upcall mask on entry */

/*
 * callback_op(cmd, h arg). CALLBACKOP_register IN struct callback_register: sets the entry point
 * of type. CALLBACKOP_unregister IN struct callback_unregister. Returns 0 or -XEN_E*
 * (-XEN_EINVAL for an unknown type).
 */
#define CALLBACKOP_register   0
#define CALLBACKOP_unregister 1

struct callback_register {
	uint16_t type;	/* CALLBACKTYPE_* */
	uint16_t flags; /* CALLBACKF_* */
	uint32_t _pad0;
	xen_callback_t address;
};
_Static_assert(sizeof(struct callback_register) == 16, "callback_register size");
_Static_assert(offsetof(struct callback_register, flags) == 2, "callback_register.flags");
_Static_assert(offsetof(struct callback_register, address) == 8, "callback_register.address");

struct callback_unregister {
	uint16_t type;
	uint16_t _unused;
};
_Static_assert(sizeof(struct callback_unregister) == 4, "callback_unregister size");

#endif /* HOSPES_PUBLIC_CALLBACK_H */
