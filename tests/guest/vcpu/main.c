/* SPDX-License-Identifier: MIT */
/* Guest test: vcpu_op — runstate, vcpu_info placement, time area, periodic timer, bad vCPUs. */
#include <pvkit/pvkit.h>
#include <public/vcpu.h>

const char pv_test_title[] = "vcpu: runstate, register_vcpu_info, time area, periodic timer";

#define MS 1000000ULL

static uint8_t area_page[PAGE_SIZE] PV_ALIGNED(PAGE_SIZE);
static struct vcpu_runstate_info runstate;
static struct vcpu_time_info time_area;
static volatile unsigned int ticks, loops;

static void on_tick(evtchn_port_t port, void *data)
{
	ticks++;
}

static void on_loop(evtchn_port_t port, void *data)
{
	loops++;
}

static void test_runstate(void)
{
	struct vcpu_runstate_info info = {.state = -1};
	struct vcpu_register_runstate_memory_area ra = {.addr = (uintptr_t)&runstate};
	uint64_t t0;

	PV_CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &info), 0);
	PV_CHECK_EQ(info.state, RUNSTATE_running);
	PV_CHECK(info.time[RUNSTATE_running] > 0, "time spent running");
	PV_CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &ra), 0);
	PV_CHECK_EQ(pv_yield(), 0);
	t0 = runstate.time[RUNSTATE_running];
	PV_CHECK_EQ(PV_READ_ONCE(runstate.state), RUNSTATE_running);
	PV_CHECK(runstate.state_entry_time > 0, "state_entry_time set");
	pv_delay_ns(5 * MS);
	PV_CHECK_EQ(pv_yield(), 0);
	PV_CHECK(PV_READ_ONCE(runstate.time[RUNSTATE_running]) >= t0, "running time grows");
}

static void test_vcpu_info(void)
{
	struct vcpu_register_vcpu_info bad = {
		.mfn = pv_virt_to_mfn(area_page),
		.offset = PAGE_SIZE - 32,
	};
	struct vcpu_info *area = (struct vcpu_info *)(area_page + 128);
	evtchn_port_t a, b;

	/* Crossing the end of the page: refused (Xen 4.17 says -ENXIO). */
	PV_CHECK(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &bad) < 0,
		 "area crossing a page");
	PV_CHECK_EQ(pv_vcpu_info_register(area), 0);
	PV_CHECK(pv_vcpu_info == area, "vcpu_info moved");
	PV_CHECK_EQ(area->evtchn_upcall_mask, 1); /* copied from the old slot: events still off */
	PV_CHECK(area->time.tsc_to_system_mul != 0, "time record in the new area");
	PV_CHECK_EQ(pv_vcpu_info_register(area), -XEN_EINVAL); /* only once */
	/* Events now flow through the new area. */
	PV_CHECK_EQ(pv_evtchn_alloc_unbound(DOMID_SELF, &a), 0);
	PV_CHECK_EQ(pv_evtchn_bind_interdomain(DOMID_SELF, a, &b), 0);
	pv_evtchn_set_handler(a, on_loop, NULL);
	PV_CHECK_EQ(pv_evtchn_send(b), 0);
	PV_CHECK_EQ(area->evtchn_upcall_pending, 1);
	pv_events_enable();
	PV_CHECK_EQ(loops, 1);
	PV_CHECK(pv_time_now_ns() > 0, "pvclock from the new area");
}

static void test_time_area(void)
{
	struct vcpu_register_time_memory_area ta = {.addr = (uintptr_t)&time_area};

	PV_CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, &ta), 0);
	PV_CHECK_EQ(pv_yield(), 0);
	PV_CHECK(time_area.tsc_to_system_mul != 0, "secondary time area filled");
	PV_CHECK_EQ(time_area.version & 1, 0);
	PV_CHECK_EQ(time_area.tsc_to_system_mul, pv_vcpu_info->time.tsc_to_system_mul);
}

static void test_periodic(void)
{
	struct vcpu_set_periodic_timer pt = {.period_ns = 10 * MS};
	evtchn_port_t port;
	uint64_t end;

	PV_CHECK_EQ(pv_evtchn_bind_virq(VIRQ_TIMER, 0, &port), 0);
	pv_evtchn_set_handler(port, on_tick, NULL);
	PV_CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &pt), 0);
	/*
	 * Spin with events on: Xen 4.17 runs a vCPU's periodic timer only while the vCPU is
	 * scheduled (it stops it on deschedule), so a blocked vCPU is not woken by it.
	 */
	pv_events_enable();
	end = pv_time_now_ns() + 100 * MS;
	while (pv_time_now_ns() < end)
		pv_cpu_relax();
	PV_CHECK_EQ(pv_timer_stop_periodic(), 0);
	pv_printf("periodic 10 ms timer: %u ticks in 100 ms\n", ticks);
	PV_CHECK(ticks >= 5 && ticks <= 20, "%u ticks", ticks);
	end = ticks;
	pv_delay_ns(30 * MS);
	PV_CHECK(ticks <= end + 1, "stopped: %u more ticks", (unsigned int)(ticks - end));
	pt.period_ns = 1000; /* too short: Xen refuses periods under 1 ms */
	PV_CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &pt), -XEN_EINVAL);
}

void test_main(void)
{
	PV_CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_is_up, 0, NULL), 1);
	PV_CHECK(HYPERVISOR_vcpu_op(VCPUOP_up, 200, NULL) < 0, "no vCPU 200");
	PV_CHECK(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 200, &runstate) < 0, "no vCPU 200");
	pv_printf("- runstate\n");
	test_runstate();
	pv_printf("- vcpu_info\n");
	test_vcpu_info();
	pv_printf("- time_area\n");
	test_time_area();
	pv_printf("- periodic\n");
	test_periodic();
}
