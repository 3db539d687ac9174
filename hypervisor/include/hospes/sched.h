/* SPDX-License-Identifier: GPL-2.0-only */
/* The scheduler: which vCPU runs on each physical CPU. */
#ifndef HOSPES_SCHED_H
#define HOSPES_SCHED_H

#include <asm/traps.h>
#include <hospes/domain.h>

/* Makes v runnable (wakes it from BLOCKED) and kicks its CPU if it idles. */
void vcpu_wake(struct vcpu *v);

/* Marks the current vCPU blocked until an event or its timer. */
void vcpu_block_current(void);

/*
 * On the way back to a guest whose vCPU can no longer run (blocked, down) or that yielded:
 * saves its frame, then runs the next runnable vCPU of this CPU, idling until there is one.
 * Returns only if the current vCPU is still the best choice.
 */
void schedule_from_guest(struct cpu_regs *regs);

/* Asks for a switch at the next return to the guest (SCHEDOP_yield). */
void sched_yield_current(void);

/* Registers a domain's vCPUs with the scheduler (all on CPUs round-robin from CPU0). */
void sched_add_domain(struct domain *d);

/* Looks a domain up by ID; NULL if none. */
struct domain *domain_lookup(uint16_t domid);

#endif /* HOSPES_SCHED_H */
