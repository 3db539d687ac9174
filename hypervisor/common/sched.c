/* SPDX-License-Identifier: GPL-2.0-only */
/* Round-robin scheduler over the vCPUs assigned to each CPU, with an idle loop. */
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/processor.h>
#include <asm/paging.h>
#include <asm/pv.h>
#include <asm/time.h>
#include <hospes/console.h>
#include <hospes/domain.h>
#include <hospes/errno.h>
#include <hospes/event_channel.h>
#include <hospes/guest_access.h>
#include <hospes/lib.h>
#include <hospes/pvmm.h>
#include <hospes/sched.h>
#include <hospes/timer.h>
#include <hospes/vcpu_op.h>
#include <public/sched.h>

#define POLL_MAX_PORTS 128
#define SCHED_SLICE_NS 30000000ULL /* a vCPU sharing its CPU runs 30 ms before the next one */

#define MAX_DOMAINS    256

/*
 * The domain list. domains_lock covers domains[] and each vCPU's running flag: a CPU claims a
 * vCPU (running = true) under it before switching to it, and the reaper only removes a domain
 * none of whose vCPUs is claimed, so no CPU can be inside a domain that is being freed.
 */
static struct domain *domains[MAX_DOMAINS];
static spinlock_t domains_lock = SPINLOCK_INIT;
static volatile bool yield_pending[CONFIG_NR_CPUS];
static uint64_t slice_end[CONFIG_NR_CPUS]; /* when the current vCPU's time slice ends */

struct domain *domain_lookup(uint16_t domid)
{
	for (unsigned int i = 0; i < MAX_DOMAINS; i++)
		if (domains[i] && domains[i]->domid == domid)
			return domains[i];
	return NULL;
}

int sched_add_domain(struct domain *d)
{
	int rc = -ENOMEM;

	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		d->vcpus[i]->processor = (int)(i % nr_cpus_online);
	spin_lock(&domains_lock);
	for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
		if (!domains[i]) {
			domains[i] = d;
			rc = 0;
			break;
		}
	}
	spin_unlock(&domains_lock);
	return rc;
}

void sched_remove_domain(struct domain *d)
{
	spin_lock(&domains_lock);
	for (unsigned int i = 0; i < MAX_DOMAINS; i++)
		if (domains[i] == d)
			domains[i] = NULL;
	spin_unlock(&domains_lock);
}

struct domain *domain_first_from(uint16_t domid)
{
	struct domain *best = NULL;

	spin_lock(&domains_lock);
	for (unsigned int i = 0; i < MAX_DOMAINS; i++)
		if (domains[i] && domains[i]->domid >= domid &&
		    (!best || domains[i]->domid < best->domid))
			best = domains[i];
	spin_unlock(&domains_lock);
	return best;
}

/* Runnable, and its domain not paused. */
static bool vcpu_may_run(const struct vcpu *v)
{
	return v->state == VCPU_RUNNABLE &&
	       !__atomic_load_n(&v->domain->pause_count, __ATOMIC_ACQUIRE);
}

void domain_pause(struct domain *d)
{
	__atomic_add_fetch(&d->pause_count, 1, __ATOMIC_SEQ_CST);
	/* A CPU that chose one of its vCPUs before the count went up has claimed it by now. */
	spin_lock(&domains_lock);
	spin_unlock(&domains_lock);
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];

		if (!__atomic_load_n(&v->running, __ATOMIC_ACQUIRE))
			continue;
		sched_kick_cpu(v->processor); /* it leaves at its next return to the guest */
		while (__atomic_load_n(&v->running, __ATOMIC_ACQUIRE)) {
			pv_flush_poll(); /* that CPU may be waiting for our TLB flush */
			cpu_relax();
		}
	}
}

void domain_unpause(struct domain *d)
{
	if (__atomic_sub_fetch(&d->pause_count, 1, __ATOMIC_SEQ_CST) > 0)
		return;
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		if (d->vcpus[i]->state == VCPU_RUNNABLE)
			sched_kick_cpu(d->vcpus[i]->processor);
}

void vcpu_wake(struct vcpu *v)
{
	__atomic_compare_exchange_n(&v->state, &(int){VCPU_BLOCKED}, VCPU_RUNNABLE, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

void sched_kick_cpu(int cpu)
{
	struct percpu *pc;

	if (cpu < 0 || cpu >= CONFIG_NR_CPUS)
		return;
	pc = percpu_table[cpu];
	if (pc && __atomic_load_n(&pc->online, __ATOMIC_ACQUIRE))
		apic_send_ipi(pc->apic_id, VEC_EVT_CHECK);
}

void vcpu_kick(struct vcpu *v)
{
	vcpu_wake(v);
	/*
	 * Another CPU re-runs its scheduler; this one, when v is not the current vCPU, takes the
	 * IPI once interrupts are on again (no lock held) to arm the end of the time slice.
	 */
	if (v->processor != (int)smp_processor_id() || v != current_vcpu())
		sched_kick_cpu(v->processor);
}

void sched_for_each_vcpu_on(unsigned int cpu, void (*fn)(struct vcpu *v, void *arg), void *arg)
{
	spin_lock(&domains_lock);
	for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
		struct domain *d = domains[i];

		for (unsigned int j = 0; d && j < d->nr_vcpus; j++)
			if (d->vcpus[j]->processor == (int)cpu)
				fn(d->vcpus[j], arg);
	}
	spin_unlock(&domains_lock);
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
static struct vcpu *pick_next_locked(struct vcpu *prev)
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
			if (v->processor != cpu || !vcpu_may_run(v))
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
		struct domain *d;
		bool busy = false;

		spin_lock(&domains_lock);
		d = domains[i];
		if (d && d->is_shutdown && !d->ctl_created) { /* those go by destroydomain */
			for (unsigned int j = 0; j < d->nr_vcpus; j++)
				busy |= d->vcpus[j]->running || d->vcpus[j]->state != VCPU_DOWN;
			if (!busy)
				domains[i] = NULL;
		}
		spin_unlock(&domains_lock);
		if (!d || !d->is_shutdown || d->ctl_created || busy)
			continue;
		if (d == dom0)
			dom0 = NULL;
		domain_destroy(d);
	}
}

/* The next runnable vCPU of this CPU after prev; claimed (running) when claim is set. */
static struct vcpu *pick_next(struct vcpu *prev, bool claim)
{
	struct vcpu *v;

	spin_lock(&domains_lock);
	v = pick_next_locked(prev);
	if (v && claim)
		v->running = true;
	spin_unlock(&domains_lock);
	return v;
}

static int vcpu_runstate_of(const struct vcpu *v)
{
	switch (v->state) {
	case VCPU_RUNNABLE:
		return RUNSTATE_runnable;
	case VCPU_BLOCKED:
		return RUNSTATE_blocked;
	default:
		return RUNSTATE_offline;
	}
}

uint64_t sched_tick(uint64_t now)
{
	unsigned int cpu = smp_processor_id();
	struct vcpu *cur = current_vcpu();

	if (!cur || !pick_next(cur, false))
		return UINT64_MAX; /* nobody else wants this CPU */
	if (now < slice_end[cpu])
		return slice_end[cpu];
	yield_pending[cpu] = true; /* switch at the return to the guest */
	return UINT64_MAX;
}

/* Puts next on this CPU: runstate, periodic timer, then its frame. */
static __noreturn void switch_to(struct vcpu *next)
{
	next->polling = false;
	set_current_vcpu(next);
	vcpu_runstate_change(next, RUNSTATE_running);
	next->time_area_dirty = true;
	slice_end[smp_processor_id()] = time_now_ns() + SCHED_SLICE_NS;
	timer_vcpu_switch_in(next);
	pv_run_vcpu(next); /* back through pv_return_to_guest, which syncs the guest areas */
}

static bool idle_cpu_busy[CONFIG_NR_CPUS]; /* running handed-over work */

/* Work handed to an idle CPU (sched_run_on_idle_cpu): taken from its idle loop. */
struct idle_work {
	void (*fn)(void *arg);
	void *arg;
};
static struct idle_work idle_work[CONFIG_NR_CPUS];

bool sched_run_on_idle_cpu(void (*fn)(void *arg), void *arg)
{
	unsigned int me = smp_processor_id();

	for (unsigned int i = 0; i < CONFIG_NR_CPUS; i++) {
		const struct percpu *pc = percpu_table[i];
		void (*none)(void *) = NULL;

		if (i == me || !pc || !__atomic_load_n(&pc->online, __ATOMIC_ACQUIRE) ||
		    __atomic_load_n(&idle_cpu_busy[i], __ATOMIC_ACQUIRE) ||
		    __atomic_load_n(&idle_work[i].fn, __ATOMIC_ACQUIRE))
			continue; /* a pending hand-over keeps its arg: one poster at a time (boot) */
		idle_work[i].arg = arg;
		if (!__atomic_compare_exchange_n(&idle_work[i].fn, &none, fn, false,
						 __ATOMIC_RELEASE, __ATOMIC_RELAXED))
			continue;
		sched_kick_cpu((int)i);
		return true;
	}
	return false;
}

/* From the idle loop: runs what another CPU handed over, with interrupts on. */
static void idle_work_run(void)
{
	unsigned int me = smp_processor_id();
	void (*fn)(void *) = __atomic_load_n(&idle_work[me].fn, __ATOMIC_ACQUIRE);
	void *arg = idle_work[me].arg;

	if (!fn)
		return;
	__atomic_store_n(&idle_cpu_busy[me], true, __ATOMIC_RELEASE);
	__atomic_store_n(&idle_work[me].fn, NULL, __ATOMIC_RELEASE);
	local_irq_enable();
	fn(arg);
	local_irq_disable();
	__atomic_store_n(&idle_cpu_busy[me], false, __ATOMIC_RELEASE);
}

__noreturn void sched_idle(void)
{
	local_irq_disable();
	set_current_vcpu(NULL);
	timer_reprogram();
	for (;;) {
		struct vcpu *next = pick_next(NULL, true);

		if (next)
			switch_to(next);
		/* Nothing to run: no guest table stays loaded, and dead domains can go. */
		write_cr3(paging_idle_cr3());
		pv_tlb_note_cr3(DOMID_INVALID);
		reap_domains();
		idle_work_run();
		/* Idle with interrupts on; a wake-up comes by interrupt (timer, IPI). */
		this_cpu()->idle_loops++;
		safe_halt();
		local_irq_disable();
	}
}

void schedule_from_guest(struct cpu_regs *regs)
{
	struct vcpu *prev = current_vcpu(), *next;
	unsigned int cpu = smp_processor_id();
	bool yielded = yield_pending[cpu];

	yield_pending[cpu] = false;
	if (prev && vcpu_may_run(prev) && !yielded) {
		prev->polling = false;
		vcpu_sync_guest_areas(prev);
		return;
	}
	next = pick_next(prev, true);
	if (next == NULL && prev && vcpu_may_run(prev)) {
		vcpu_sync_guest_areas(prev);
		return; /* yielded, but nobody else wants the CPU */
	}
	if (prev) {
		prev->arch.regs = *regs;
		pv_fpu_save(prev);
		vcpu_runstate_change(prev, vcpu_runstate_of(prev));
		vcpu_sync_guest_areas(prev); /* its page tables are still loaded */
		/* Off its tables before letting go: once paused, its domain may be freed. */
		write_cr3(paging_idle_cr3());
		pv_tlb_note_cr3(DOMID_INVALID);
		__atomic_store_n(&prev->running, false, __ATOMIC_RELEASE);
	}
	if (next)
		switch_to(next);
	sched_idle();
}

/* SCHEDOP_poll: sleeps until one of the ports is pending, an upcall or the timeout. */
long sched_poll(uint64_t arg)
{
	struct vcpu *v = current_vcpu();
	evtchn_port_t ports[POLL_MAX_PORTS];
	struct sched_poll p;

	if (copy_from_guest(&p, arg, sizeof(p)))
		return -EFAULT;
	if (p.nr_ports > POLL_MAX_PORTS)
		return -EINVAL;
	if (copy_from_guest(ports, p.ports, p.nr_ports * sizeof(ports[0])))
		return -EFAULT;
	for (unsigned int i = 0; i < p.nr_ports; i++)
		if (ports[i] >= NR_EVENT_CHANNELS)
			return -EINVAL;
	/* Blocked and polling before the check: a port raised after it wakes us. */
	if (!__atomic_compare_exchange_n(&v->state, &(int){VCPU_RUNNABLE}, VCPU_BLOCKED, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return 0;
	__atomic_store_n(&v->polling, true, __ATOMIC_SEQ_CST);
	if (evtchn_any_pending(v->domain, ports, p.nr_ports) ||
	    (p.timeout && p.timeout <= time_now_ns()) ||
	    (v->info->evtchn_upcall_pending && !v->info->evtchn_upcall_mask)) {
		v->polling = false;
		vcpu_wake(v);
		return 0;
	}
	timer_set_poll(v, p.timeout);
	return 0;
}
