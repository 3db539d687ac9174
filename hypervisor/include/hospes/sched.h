/* SPDX-License-Identifier: GPL-2.0-only */
/* The scheduler: which vCPU runs on each physical CPU. */
#ifndef HOSPES_SCHED_H
#define HOSPES_SCHED_H

#include <asm/traps.h>
#include <hospes/domain.h>

/* Makes v runnable (wakes it from BLOCKED) and kicks its CPU if it idles. */
void vcpu_wake(struct vcpu *v);

/* Sends the event-check IPI to cpu (this one too): it re-runs its scheduler and timers. */
void sched_kick_cpu(int cpu);

/* vcpu_wake(), then makes v's CPU notice (an upcall to deliver, or v to run). */
void vcpu_kick(struct vcpu *v);

/* Calls fn for every vCPU placed on cpu. */
void sched_for_each_vcpu_on(unsigned int cpu, void (*fn)(struct vcpu *v, void *arg), void *arg);

/*
 * Called by the timer with the time: asks for a switch if the current vCPU's slice is over and
 * another vCPU here is runnable. Returns when to look again (UINT64_MAX: no need).
 */
uint64_t sched_tick(uint64_t now);

/* This CPU's idle loop: runs its runnable vCPUs as they come (APs and the boot CPU end here). */
__noreturn void sched_idle(void);

/*
 * Hands fn(arg) to another online CPU, which runs it from its idle loop with interrupts on
 * (only an idle CPU gets to it: meant for boot-time work nobody waits on alone). False if no
 * CPU could take it. The caller must not depend on it ever running: share the work so that
 * the caller can finish it itself.
 */
bool sched_run_on_idle_cpu(void (*fn)(void *arg), void *arg);

/* SCHEDOP_poll {ports, nr_ports, timeout}. */
long sched_poll(uint64_t arg);

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

/*
 * Registers a domain's vCPUs with the scheduler (all on CPUs round-robin from CPU0); -ENOMEM
 * if the domain list is full.
 */
int sched_add_domain(struct domain *d);

/* Takes d off the domain list (none of its vCPUs may be on a CPU: pause it first). */
void sched_remove_domain(struct domain *d);

/* The domain with the smallest id >= domid; NULL if none. */
struct domain *domain_first_from(uint16_t domid);

/*
 * Pauses d (pauses nest): its vCPUs are no longer picked, and the call returns once none of
 * them is on a CPU. Never for the caller's own domain. domain_unpause() undoes one pause.
 */
void domain_pause(struct domain *d);
void domain_unpause(struct domain *d);

/* Looks a domain up by ID; NULL if none. */
struct domain *domain_lookup(uint16_t domid);

#endif /* HOSPES_SCHED_H */
