/* SPDX-License-Identifier: MIT */
/* Guest test: a second vCPU — VCPUOP_initialise/up/down, an IPI port across vCPUs (SKIP on 1). */
#include <pvkit/pvkit.h>
#include <public/sched.h>
#include <public/vcpu.h>

const char pv_test_title[] = "smp: vCPU 1 initialised and brought up, IPI to vCPU 0, down";

#define MS 1000000ULL

static uint8_t ap_stack[4 * PAGE_SIZE] PV_ALIGNED(PAGE_SIZE);
static struct vcpu_guest_context ctxt;
static volatile unsigned int ap_count, hits;
static evtchn_port_t ap_port;

static void on_ipi(evtchn_port_t port, void *data)
{
	hits++;
}

/* vCPU 1 runs this on ap_stack with events masked; it signals vCPU 0, then takes itself down. */
static void ap_entry(void)
{
	struct evtchn_send s = {.port = ap_port};

	__atomic_add_fetch(&ap_count, 1, __ATOMIC_SEQ_CST);
	HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
	HYPERVISOR_vcpu_op(VCPUOP_down, 1, NULL);
	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

static bool wait_for(volatile unsigned int *what, unsigned int want)
{
	uint64_t end = pv_time_now_ns() + 2000 * MS;

	while (*what < want && pv_time_now_ns() < end)
		pv_cpu_relax();
	return *what >= want;
}

static void fill_context(void)
{
	ctxt.flags = VGCF_in_kernel;
	ctxt.user_regs.rip = (uintptr_t)ap_entry;
	ctxt.user_regs.rsp = (uintptr_t)(ap_stack + sizeof(ap_stack) - 8);
	ctxt.user_regs.cs = FLAT_KERNEL_CS;
	ctxt.user_regs.ss = FLAT_KERNEL_SS;
	ctxt.user_regs.rflags = 0x2;
	ctxt.kernel_ss = FLAT_KERNEL_SS;
	ctxt.kernel_sp = ctxt.user_regs.rsp;
	ctxt.ctrlreg[3] = (uint64_t)pv_virt_to_mfn((void *)pv_start_info->pt_base) << 12;
}

void test_main(void)
{
	struct vcpu_runstate_info rs;
	long rc = HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL);

	if (rc == -XEN_ENOENT) {
		pv_test_skip("one vCPU only (boot with dom0_max_vcpus=2)");
		return;
	}
	PV_CHECK_EQ(rc, 0);
	PV_CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), -XEN_EINVAL); /* no context yet */
	PV_CHECK_EQ(pv_evtchn_bind_ipi(0, &ap_port), 0);
	pv_evtchn_set_handler(ap_port, on_ipi, NULL);
	pv_events_enable();
	fill_context();
	PV_CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &ctxt), 0);
	PV_CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &ctxt), -XEN_EEXIST);
	PV_CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), 0);
	PV_CHECK(wait_for(&ap_count, 1), "vCPU 1 ran");
	PV_CHECK(wait_for(&hits, 1), "its IPI reached vCPU 0");
	for (unsigned int i = 0; i < 1000 && HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL); i++)
		pv_delay_ns(MS);
	PV_CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), 0);
	PV_CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 1, &rs), 0);
	PV_CHECK_EQ(rs.state, RUNSTATE_offline);
	PV_CHECK(rs.time[RUNSTATE_running] > 0, "vCPU 1 ran for a while");
}
