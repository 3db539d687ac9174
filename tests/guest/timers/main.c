/* SPDX-License-Identifier: MIT */
/* Guest test: pvclock, wallclock, set_timer_op and singleshot timers delivering VIRQ_TIMER. */
#include <pvkit/pvkit.h>
#include <public/sched.h>
#include <public/vcpu.h>

const char pv_test_title[] = "timers: pvclock, wallclock, set_timer_op, singleshot, VIRQ_TIMER";

#define MS 1000000ULL

static volatile uint64_t fired_at;
static volatile unsigned int fired;

static void on_timer(evtchn_port_t port, void *data)
{
	fired_at = pv_time_now_ns();
	fired++;
}

/*
 * Blocks until the timer VIRQ fired after `before` (the count taken before arming the timer,
 * since a timer in the past fires before the arming hypercall returns); returns when it fired.
 * A timer that never fires leaves the guest blocked: the harness timeout catches that.
 */
static uint64_t wait_timer(unsigned int before)
{
	while (fired == before)
		pv_block();
	return fired_at;
}

static void test_clock(void)
{
	uint64_t prev = pv_time_now_ns(), now, sec;
	uint32_t nsec;
	unsigned int i, backwards = 0;

	for (i = 0; i < 10000; i++) {
		now = pv_time_now_ns();
		backwards += now < prev;
		prev = now;
	}
	PV_CHECK_EQ(backwards, 0);
	pv_delay_ns(2 * MS);
	PV_CHECK(pv_time_now_ns() - now >= 2 * MS, "2 ms passed");
	pv_wallclock(&sec, &nsec);
	pv_printf("system time %llu ns, TSC %llu kHz, wallclock %llu.%09u\n",
		  (unsigned long long)now, (unsigned long long)pv_tsc_khz(),
		  (unsigned long long)sec, nsec);
	PV_CHECK(pv_tsc_khz() > 100000, "TSC faster than 100 MHz");
	PV_CHECK(sec > 1577836800ULL, "wallclock after 2020-01-01");
	PV_CHECK(nsec < 1000000000U, "nsec below one second");
}

static void test_timer_op(void)
{
	uint64_t deadline = pv_time_now_ns() + 10 * MS, t;
	unsigned int before = fired;

	PV_CHECK_EQ(pv_timer_set(deadline), 0);
	t = wait_timer(before);
	PV_CHECK(t >= deadline, "fired at %llu, not before the deadline %llu",
		 (unsigned long long)t, (unsigned long long)deadline);
	PV_CHECK(t < deadline + 500 * MS, "fired within 500 ms of the deadline");

	/* A cancelled timer must not fire. */
	PV_CHECK_EQ(pv_timer_set(pv_time_now_ns() + 5 * MS), 0);
	PV_CHECK_EQ(pv_timer_set(0), 0);
	t = fired;
	pv_delay_ns(30 * MS);
	PV_CHECK_EQ(fired, t);
}

static void test_singleshot(void)
{
	uint64_t now = pv_time_now_ns(), deadline = now + 5 * MS, t;
	unsigned int before = fired;
	long rc;

	PV_CHECK_EQ(pv_timer_singleshot(deadline, 0), 0);
	t = wait_timer(before);
	PV_CHECK(t >= deadline, "singleshot fired at %llu, deadline %llu", (unsigned long long)t,
		 (unsigned long long)deadline);
	/* In the past without VCPU_SSHOTTMR_future: accepted, fires at once. */
	before = fired;
	PV_CHECK_EQ(pv_timer_singleshot(now, 0), 0);
	PV_CHECK(wait_timer(before) >= now, "a singleshot in the past fires");
	/* With it: -ETIME, or (the ABI lets the hypervisor ignore the flag) it fires at once. */
	before = fired;
	rc = pv_timer_singleshot(now, VCPU_SSHOTTMR_future);
	PV_CHECK(rc == 0 || rc == -XEN_ETIME, "singleshot in the past, future flag: %ld", rc);
	if (rc == 0)
		PV_CHECK(wait_timer(before) >= now, "the ignored-flag timer fires");
	PV_CHECK_EQ(pv_timer_stop_singleshot(), 0);
	PV_CHECK_EQ(pv_timer_stop_periodic(), 0);
}

/* SCHEDOP_poll: sleeps until its timeout, or returns at once for a pending (masked) port. */
static void test_poll(void)
{
	struct sched_poll p;
	evtchn_port_t a, b, many[129] = {0};
	uint64_t deadline, t0;

	PV_CHECK_EQ(pv_evtchn_alloc_unbound(DOMID_SELF, &a), 0);
	PV_CHECK_EQ(pv_evtchn_bind_interdomain(DOMID_SELF, a, &b), 0);
	deadline = pv_time_now_ns() + 20 * MS;
	p = (struct sched_poll){.ports = (uintptr_t)&a, .nr_ports = 1, .timeout = deadline};
	PV_CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_poll, &p), 0);
	PV_CHECK(pv_time_now_ns() >= deadline, "poll slept until its timeout");
	pv_evtchn_mask(a);
	PV_CHECK_EQ(pv_evtchn_send(b), 0);
	t0 = pv_time_now_ns();
	p.timeout = t0 + 5000 * MS;
	PV_CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_poll, &p), 0);
	PV_CHECK(pv_time_now_ns() - t0 < 1000 * MS, "poll returned at once for a pending port");
	pv_evtchn_clear(a);
	p = (struct sched_poll){.ports = (uintptr_t)many, .nr_ports = 129, .timeout = 0};
	PV_CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_poll, &p), -XEN_EINVAL);
	PV_CHECK_EQ(pv_evtchn_close(b), 0);
	PV_CHECK_EQ(pv_evtchn_close(a), 0);
}

void test_main(void)
{
	evtchn_port_t port;

	test_clock();
	PV_CHECK_EQ(pv_evtchn_bind_virq(VIRQ_TIMER, 0, &port), 0);
	pv_evtchn_set_handler(port, on_timer, NULL);
	/* Xen starts a default periodic timer for PV vCPUs; stop it so only ours fire. */
	PV_CHECK_EQ(pv_timer_stop_periodic(), 0);
	pv_events_enable();
	test_timer_op();
	test_singleshot();
	test_poll();
	pv_printf("%u timer events\n", fired);
}
