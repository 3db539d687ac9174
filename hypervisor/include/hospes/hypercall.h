/* SPDX-License-Identifier: GPL-2.0-only */
/* Hypercall entry points (do_<op>): each validates its arguments, then acts. */
#ifndef HOSPES_HYPERCALL_H
#define HOSPES_HYPERCALL_H

#include <hospes/types.h>

typedef long (*hypercall_fn_t)(uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);

/* Calls hypercall nr for the current vCPU; -ENOSYS for unknown or unimplemented ones. */
long hypercall_call(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);

long do_console_io(uint64_t cmd, uint64_t count, uint64_t buffer, uint64_t a4, uint64_t a5);
long do_xen_version(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5);
long do_sched_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5);
long do_sched_op_compat(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5);
long do_set_timer_op(uint64_t timeout, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
long do_multicall(uint64_t list, uint64_t nr, uint64_t a3, uint64_t a4, uint64_t a5);
/* common/evtchn_op.c */
long do_event_channel_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5);
long do_event_channel_op_compat(uint64_t arg, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
/* common/vcpu_op.c (set_timer_op too) */
long do_vcpu_op(uint64_t cmd, uint64_t vcpuid, uint64_t arg, uint64_t a4, uint64_t a5);

#endif /* HOSPES_HYPERCALL_H */
