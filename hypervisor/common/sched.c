/* SPDX-License-Identifier: GPL-2.0-only */
/* Round-robin scheduler over the vCPUs assigned to each CPU, with an idle loop. */
#include <asm/cpu.h>
#include <asm/processor.h>
#include <asm/paging.h>
#include <asm/pv.h>
#include <hospes/console.h>
#include <hospes/domain.h>
#include <hospes/lib.h>
#include <hospes/sched.h>

#define MAX_DOMAINS 256

static struct domain *domains[MAX_DOMAINS];
static volatile bool yield_pending[CONFIG_NR_CPUS];

struct domain *domain_lookup(uint16_t domid)
{
	for (unsigned int i = 0; i < MAX_DOMAINS; i++)
		if (domains[i] && domains[i]->domid == domid)
			return domains[i];
	return NULL;
}

void sched_add_domain(struct domain *d)
{
	for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
		if (!domains[i]) {
			domains[i] = d;
			break;
		}
	}
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		d->vcpus[i]->processor = (int)(i % nr_cpus_online);
}

void vcpu_wake(struct vcpu *v)
{
	__atomic_compare_exchange_n(&v->state, &(int){VCPU_BLOCKED}, VCPU_RUNNABLE, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

void vcpu_block_current(void)
{
	struct vcpu *v = current_vcpu();

	__atomic_compare_exchange_n(&v->state, &(int){VCPU_RUNNABLE}, VCPU_BLOCKED, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	/* An event that arrived before the block wins: the guest re-checks after waking. */
	if (v->info->evtchn_upcall_pending)
		vcpu_wake(v);
}

void sched_yield_current(void)
{
	yield_pending[smp_processor_id()] = true;
}

/* The next runnable vCPU of this CPU after prev (round robin); NULL if none. */
static struct vcpu *pick_next(struct vcpu *prev)
{
	int cpu = (int)smp_processor_id();
	struct vcpu *first = NULL;
	bool after = prev == NULL;

	for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
		struct domain *d = domains[i];

		for (unsigned int j = 0; d && j < d->nr_vcpus; j++) {
			struct vcpu *v = d->vcpus[j];

			if (v == prev) {
				after = true;
				continue;
			}
			if (v->processor != cpu || v->state != VCPU_RUNNABLE)
				continue;
			if (after)
				return v;
			if (!first)
				first = v;
		}
	}
	return first;
}

/*
 * Destroys every domain that has shut down and has no vCPU on any CPU. Runs on this CPU's
 * idle page tables, so that no table being freed is loaded here.
 */
static void reap_domains(void)
{
	for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
		struct domain *d = domains[i];
		bool busy = false;

		if (!d || !d->is_shutdown)
			continue;
		for (unsigned int j = 0; j < d->nr_vcpus; j++)
			busy |= d->vcpus[j]->running || d->vcpus[j]->state != VCPU_DOWN;
		if (busy)
			continue;
		domains[i] = NULL;
		if (d == dom0)
			dom0 = NULL;
		domain_destroy(d);
	}
}

void schedule_from_guest(struct cpu_regs *regs)
{
	struct vcpu *prev = current_vcpu(), *next;
	unsigned int cpu = smp_processor_id();
	bool yielded = yield_pending[cpu];

	yield_pending[cpu] = false;
	if (prev && prev->state == VCPU_RUNNABLE && !yielded)
		return;
	next = pick_next(prev);
	if (next == NULL && prev && prev->state == VCPU_RUNNABLE)
		return; /* yielded, but nobody else wants the CPU */
	if (prev) {
		prev->arch.regs = *regs;
		prev->running = false;
	}
	if (!next) {
		write_cr3(paging_idle_cr3());
		reap_domains();
	}
	while (!next) {
		/* Idle with interrupts on; a wake-up comes by interrupt (timer, IPI). */
		set_current_vcpu(NULL);
		safe_halt();
		local_irq_disable();
		next = pick_next(NULL);
	}
	pv_run_vcpu(next);
}
