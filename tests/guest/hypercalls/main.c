/* SPDX-License-Identifier: MIT */
/* Guest test: simple hypercalls and sub-ops — versions, features, -ENOSYS, multicall, vCPU, misc. */
#include <pvkit/pvkit.h>
#include <public/memory.h>
#include <public/physdev.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>

const char pv_test_title[] = "hypercalls: xen_version, vm_assist, multicall, memory_op, misc";

static void test_version(void)
{
	xen_extraversion_t extra = {0};
	static xen_capabilities_info_t caps;
	struct xen_platform_parameters pp = {0};
	struct xen_feature_info fi = {.submap_idx = 0};

	PV_CHECK(HYPERVISOR_xen_version(XENVER_version, NULL) >= 0x40000, "version >= 4.0");
	PV_CHECK_EQ(HYPERVISOR_xen_version(XENVER_extraversion, extra), 0);
	PV_CHECK_EQ(HYPERVISOR_xen_version(XENVER_capabilities, caps), 0);
	pv_printf("extraversion \"%s\" capabilities \"%s\"\n", extra, caps);
	PV_CHECK(strstr(caps, "xen-3.0-x86_64") != NULL, "capabilities name x86_64 PV");
	PV_CHECK_EQ(HYPERVISOR_xen_version(XENVER_pagesize, NULL), 4096);
	PV_CHECK_EQ(HYPERVISOR_xen_version(XENVER_platform_parameters, &pp), 0);
	PV_CHECK_EQ(pp.virt_start, HYPERVISOR_VIRT_START);
	PV_CHECK_EQ(HYPERVISOR_xen_version(XENVER_get_features, &fi), 0);
	pv_printf("features submap 0 = 0x%x\n", fi.submap);
	PV_CHECK(fi.submap & (1u << XENFEAT_dom0), "initial domain has XENFEAT_dom0");
	PV_CHECK(!(fi.submap & (1u << XENFEAT_auto_translated_physmap)), "PV is not translated");
	fi = (struct xen_feature_info){.submap_idx = 1000};
	PV_CHECK_EQ(HYPERVISOR_xen_version(XENVER_get_features, &fi), -XEN_EINVAL);
}

static void test_unknown(void)
{
	PV_CHECK_EQ(pv_hypercall(63, 0, 0, 0, 0, 0), -XEN_ENOSYS);
	PV_CHECK_EQ(pv_hypercall(__HYPERVISOR_arch_7, 0, 0, 0, 0, 0), -XEN_ENOSYS);
	PV_CHECK_EQ(HYPERVISOR_event_channel_op(999, NULL), -XEN_ENOSYS);
	PV_CHECK_EQ(HYPERVISOR_sched_op(999, NULL), -XEN_ENOSYS);
	PV_CHECK_EQ(HYPERVISOR_vcpu_op(999, 0, NULL), -XEN_ENOSYS);
	PV_CHECK_EQ(HYPERVISOR_memory_op(999, NULL), -XEN_ENOSYS);
	PV_CHECK_EQ(HYPERVISOR_physdev_op(999, NULL), -XEN_ENOSYS);
}

static void test_vm_assist(void)
{
	PV_CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables), 0);
	PV_CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, 31), -XEN_EINVAL);
	PV_CHECK_EQ(HYPERVISOR_vm_assist(7, VMASST_TYPE_writable_pagetables), -XEN_ENOSYS);
}

static void test_multicall(void)
{
	struct multicall_entry mc[3] = {
		{.op = __HYPERVISOR_xen_version, .args = {XENVER_version}},
		{.op = __HYPERVISOR_xen_version, .args = {XENVER_pagesize}},
		{.op = __HYPERVISOR_vm_assist, .args = {VMASST_CMD_enable, 31}},
	};

	PV_CHECK_EQ(HYPERVISOR_multicall(mc, 3), 0);
	PV_CHECK_EQ(mc[0].result, HYPERVISOR_xen_version(XENVER_version, NULL));
	PV_CHECK_EQ(mc[1].result, 4096);
	PV_CHECK_EQ((long)mc[2].result, -XEN_EINVAL);
}

static void test_memory_op(void)
{
	domid_t self = DOMID_SELF;
	struct xen_machphys_mapping map = {0};
	long cur = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
	long max = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);

	pv_printf("current_reservation %ld maximum_ram_page 0x%lx\n", cur, max);
	PV_CHECK_EQ(cur, pv_start_info->nr_pages);
	PV_CHECK(max > 0, "maximum_ram_page %ld", max);
	PV_CHECK_EQ(HYPERVISOR_memory_op(XENMEM_machphys_mapping, &map), 0);
	PV_CHECK_EQ(map.v_start, MACH2PHYS_VIRT_START);
	PV_CHECK(map.v_end > map.v_start && map.v_end <= MACH2PHYS_VIRT_END, "M2P range");
	pv_printf("machphys_mapping 0x%llx-0x%llx max_mfn 0x%llx\n",
		  (unsigned long long)map.v_start, (unsigned long long)map.v_end,
		  (unsigned long long)map.max_mfn);
	/* maximum_ram_page is one past the highest RAM frame; the M2P must cover all of them. */
	PV_CHECK(map.max_mfn + 1 >= (uint64_t)max, "M2P covers RAM");
	PV_CHECK(map.max_mfn < (map.v_end - map.v_start) / sizeof(xen_pfn_t), "max_mfn fits");
}

static void test_vcpu_sched(void)
{
	struct sched_shutdown code = {.reason = SHUTDOWN_poweroff};

	PV_CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_is_up, 0, NULL), 1);
	PV_CHECK(HYPERVISOR_vcpu_op(VCPUOP_is_up, 4000, NULL) < 0, "no vCPU 4000");
	PV_CHECK_EQ(pv_yield(), 0);
	PV_CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_shutdown_code, &code), 0);
}

static uint64_t fs_target = 0x1122334455667788ULL;

static void test_misc(void)
{
	struct physdev_set_iopl iopl = {.iopl = 1};
	uint64_t v, sp;

	__asm__ __volatile__("mov %%rsp, %0" : "=r"(sp));
	PV_CHECK_EQ(HYPERVISOR_stack_switch(FLAT_KERNEL_SS, sp & ~15ULL), 0);
	PV_CHECK_EQ(HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &iopl), 0);
	iopl.iopl = 0;
	PV_CHECK_EQ(HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &iopl), 0);
	PV_CHECK_EQ(HYPERVISOR_set_debugreg(0, 0x123000), 0);
	PV_CHECK_EQ(HYPERVISOR_get_debugreg(0), 0x123000);
	PV_CHECK_EQ(HYPERVISOR_set_debugreg(0, 0), 0);
	PV_CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_FS, (uintptr_t)&fs_target), 0);
	__asm__ __volatile__("mov %%fs:0, %0" : "=r"(v));
	PV_CHECK_EQ(v, fs_target);
	PV_CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_FS, 0), 0);
	PV_CHECK_EQ(HYPERVISOR_set_segment_base(99, 0), -XEN_EINVAL);
	PV_CHECK_EQ(HYPERVISOR_fpu_taskswitch(1), 0);
	PV_CHECK_EQ(HYPERVISOR_fpu_taskswitch(0), 0);
	PV_CHECK(HYPERVISOR_console_io(CONSOLEIO_read, 0, NULL) >= 0, "console read of 0 bytes");
	PV_CHECK_EQ(HYPERVISOR_console_io(99, 0, NULL), -XEN_ENOSYS);
}

void test_main(void)
{
	test_version();
	test_unknown();
	test_vm_assist();
	test_multicall();
	test_memory_op();
	test_vcpu_sched();
	test_misc();
}
