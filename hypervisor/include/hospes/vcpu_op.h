/* SPDX-License-Identifier: GPL-2.0-only */
/* vcpu_op: vCPU bring-up and take-down, runstate accounting, vcpu_info and time-area placement. */
#ifndef HOSPES_VCPU_OP_H
#define HOSPES_VCPU_OP_H

#include <hospes/types.h>
#include <public/arch-x86_64.h>

struct domain;
struct vcpu;

/* A new vCPU: offline since now, default timers. */
void vcpu_op_vcpu_init(struct vcpu *v);

/* Accounts the time spent in the old runstate and enters state (RUNSTATE_*). */
void vcpu_runstate_change(struct vcpu *v, int state);

/*
 * Brings the guest's runstate and secondary time areas up to date if they lag. Called with v's
 * page tables loaded (v is current); a guest in user mode gets them at its next kernel entry.
 */
void vcpu_sync_guest_areas(struct vcpu *v);

/* VCPUOP_initialise for x86 PV (arch/x86_64/pv/vcpu_context.c): 0 or -EINVAL. */
int pv_vcpu_initialise(struct vcpu *v, const struct vcpu_guest_context *c);
/*
 * domctl setvcpucontext (v not running): pv_vcpu_initialise() for a vCPU without a context;
 * otherwise the page tables, GDT and LDT must stay the same (-EOPNOTSUPP) and the rest is
 * replaced. 0 or -errno.
 */
int pv_vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *c);
/* domctl getvcpucontext: v's state as a vcpu_guest_context (v not running). */
void pv_vcpu_get_context(const struct vcpu *v, struct vcpu_guest_context *c);

#endif /* HOSPES_VCPU_OP_H */
