/* SPDX-License-Identifier: GPL-2.0-only */
/* vCPU timers firing VIRQ_TIMER from the local APIC one-shot; wallclock; pvclock refresh. */
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/rtc.h>
#include <asm/time.h>
#include <asm/traps.h>
#include <hospes/console.h>
#include <hospes/domain.h>
#include <hospes/event_channel.h>
#include <hospes/guest_access.h>
#include <hospes/pvconsole.h>
#include <hospes/sched.h>
#include <hospes/sched.h>
#include <hospes/timer.h>

#define NS_PER_SEC     1000000000ULL
#define MAX_ONESHOT_NS NS_PER_SEC /* re-armed at least once a second */
#define NS_NONE	       UINT64_MAX

static uint64_t wallclock_sec; /* UTC at system time 0 */
static uint32_t wallclock_nsec;

/* Another CPU raised an event or woke a vCPU here: the return path does the rest. */
static void event_check_interrupt(struct cpu_regs *regs)
{
	(void)regs;
	timer_reprogram(); /* a vCPU woken here may need a time slice */
}

/* Fires what is due for v (on its CPU) and returns its next deadline, NS_NONE if none. */
static uint64_t vcpu_timers_run(struct vcpu *v, uint64_t now)
{
	uint64_t next = NS_NONE;
	bool running = v == current_vcpu();

	if (v->state == VCPU_OFFLINE || v->state == VCPU_DOWN) {
		v->timer_deadline_ns = 0;
		v->poll_deadline_ns = 0;
		return NS_NONE;
	}
	if (v->timer_deadline_ns && v->timer_deadline_ns <= now) {
		v->timer_deadline_ns = 0;
		if (running)
			timer_refresh_vcpu_time(v);
		evtchn_send_virq(v, VIRQ_TIMER);
	}
	if (v->poll_deadline_ns && v->poll_deadline_ns <= now) {
		v->poll_deadline_ns = 0;
		if (v->polling)
			vcpu_wake(v);
	}
	if (running && v->periodic_period_ns && v->periodic_next_ns <= now) {
		/* The ticks keep their phase; missed periods are not replayed (as Xen). */
		v->periodic_next_ns += v->periodic_period_ns;
		if (v->periodic_next_ns <= now)
			v->periodic_next_ns = now + v->periodic_period_ns;
		timer_refresh_vcpu_time(v);
		evtchn_send_virq(v, VIRQ_TIMER);
	}
	if (v->timer_deadline_ns)
		next = MIN(next, v->timer_deadline_ns);
	if (v->poll_deadline_ns)
		next = MIN(next, v->poll_deadline_ns);
	if (running && v->periodic_period_ns)
		next = MIN(next, v->periodic_next_ns);
	return next;
}

struct timer_scan {
	uint64_t now, next;
};

static void scan_one(struct vcpu *v, void *arg)
{
	struct timer_scan *s = arg;

	s->next = MIN(s->next, vcpu_timers_run(v, s->now));
}

void timer_reprogram(void)
{
	struct timer_scan s = {.now = time_now_ns(), .next = NS_NONE};
	uint64_t delta, ticks, per_ms = this_cpu()->apic_ticks_per_ms;

	sched_for_each_vcpu_on(smp_processor_id(), scan_one, &s);
	s.next = MIN(s.next, sched_tick(s.now));
	if (smp_processor_id() == 0) /* the boot CPU polls the console's UART */
		s.next = MIN(s.next, pvconsole_poll(s.now));
	if (s.next == NS_NONE) {
		apic_timer_stop();
		return;
	}
	delta = s.next > s.now ? MIN(s.next - s.now, MAX_ONESHOT_NS) : 0;
	ticks = per_ms ? delta * per_ms / 1000000 : delta / 1000;
	apic_timer_oneshot((uint32_t)MIN(MAX(ticks, 1ULL), 0xffffffffULL));
}

static void timer_interrupt(struct cpu_regs *regs)
{
	(void)regs;
	timer_reprogram();
}

void timer_init(void)
{
	uint64_t now = time_now_ns(), rtc = rtc_read_seconds();

	irq_set_handler(VEC_APIC_TIMER, timer_interrupt);
	irq_set_handler(VEC_EVT_CHECK, event_check_interrupt);
	if (!rtc) {
		pr_warn("RTC: unreadable; guests' wallclock starts at 1970\n");
		return;
	}
	/* The RTC has whole seconds: UTC at system time 0 is rtc - now. */
	wallclock_sec = rtc - (now + NS_PER_SEC - 1) / NS_PER_SEC;
	wallclock_nsec = (uint32_t)((NS_PER_SEC - now % NS_PER_SEC) % NS_PER_SEC);
	pr_info("RTC: %llu seconds since 1970 (wallclock at boot %llu.%09u)\n",
		(unsigned long long)rtc, (unsigned long long)wallclock_sec, wallclock_nsec);
}

void timer_set_wallclock(uint64_t secs, uint32_t nsecs, uint64_t system_time)
{
	uint64_t at = secs * NS_PER_SEC + nsecs, base = at > system_time ? at - system_time : 0;

	wallclock_sec = base / NS_PER_SEC;
	wallclock_nsec = (uint32_t)(base % NS_PER_SEC);
	for (struct domain *d = domain_first_from(0); d; d = domain_first_from(d->domid + 1))
		timer_domain_init(d);
}

void timer_domain_init(struct domain *d)
{
	struct shared_info *s = d->shared_info;

	s->wc_version++;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	s->wc_sec = (uint32_t)wallclock_sec;
	s->wc_sec_hi = (uint32_t)(wallclock_sec >> 32);
	s->wc_nsec = wallclock_nsec;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	s->wc_version++;
}

void timer_vcpu_init(struct vcpu *v)
{
	v->timer_deadline_ns = 0;
	v->poll_deadline_ns = 0;
	v->periodic_period_ns = TIMER_DEFAULT_PERIOD_NS;
	v->periodic_next_ns = 0;
}

void timer_set_singleshot(struct vcpu *v, uint64_t deadline_ns)
{
	v->timer_deadline_ns = deadline_ns;
	timer_reprogram(); /* fires it now if it is already due */
}

void timer_set_periodic(struct vcpu *v, uint64_t period_ns)
{
	v->periodic_period_ns = period_ns;
	v->periodic_next_ns = time_now_ns() + period_ns;
	if (v == current_vcpu())
		timer_reprogram();
}

void timer_set_poll(struct vcpu *v, uint64_t deadline_ns)
{
	v->poll_deadline_ns = deadline_ns;
	timer_reprogram();
}

void timer_vcpu_switch_in(struct vcpu *v)
{
	if (v->periodic_period_ns)
		v->periodic_next_ns = time_now_ns() + v->periodic_period_ns;
	timer_reprogram();
}

/* Writes the secondary time area with the version protocol; v's page tables are loaded. */
static void time_area_write(struct vcpu *v)
{
	struct vcpu_time_info t = v->info->time;
	uint32_t odd = t.version | 1;

	if (copy_to_guest(v->time_area_guest, &odd, sizeof(odd)))
		return;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	t.version = odd;
	if (copy_to_guest(v->time_area_guest, &t, sizeof(t)))
		return;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	t.version = odd + 1;
	copy_to_guest(v->time_area_guest, &t.version, sizeof(t.version));
}

void timer_refresh_vcpu_time(struct vcpu *v)
{
	time_fill_vcpu(&v->info->time);
	if (!v->time_area_guest)
		return;
	if (v->arch.kernel_mode)
		time_area_write(v);
	else
		v->time_area_dirty = true; /* a kernel address: at the next kernel entry */
}
