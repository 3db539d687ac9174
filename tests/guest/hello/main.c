/* SPDX-License-Identifier: MIT */
/* Guest test: the boot contract — start_info, shared_info, p2m/M2P, console, hypercall mode. */
#include <pvkit/pvkit.h>
#include <public/version.h>

const char pv_test_title[] = "hello: PV boot contract and console";

static void check_start_info(void)
{
	const struct start_info *si = pv_start_info;

	pv_printf("start_info at %p: magic \"%s\" nr_pages %llu shared_info 0x%llx flags 0x%x\n",
		  (const void *)si, si->magic, (unsigned long long)si->nr_pages,
		  (unsigned long long)si->shared_info, si->flags);
	pv_printf("pt_base 0x%llx nr_pt_frames %llu mfn_list 0x%llx mod_start 0x%llx\n",
		  (unsigned long long)si->pt_base, (unsigned long long)si->nr_pt_frames,
		  (unsigned long long)si->mfn_list, (unsigned long long)si->mod_start);
	PV_CHECK(!strncmp(si->magic, "xen-3.0-x86_64", 14), "magic \"%s\"", si->magic);
	PV_CHECK(si->flags & SIF_INITDOMAIN, "booted as module 1: SIF_INITDOMAIN expected");
	PV_CHECK(si->flags & SIF_PRIVILEGED, "the initial domain is privileged");
	PV_CHECK(si->nr_pages >= 1024, "nr_pages %llu", (unsigned long long)si->nr_pages);
	PV_CHECK((si->shared_info & (PAGE_SIZE - 1)) == 0, "shared_info is page aligned");
	PV_CHECK(si->pt_base && (si->pt_base & (PAGE_SIZE - 1)) == 0, "pt_base page aligned");
	PV_CHECK(si->nr_pt_frames >= 4, "at least L4, L3, L2, L1");
	/* The bootstrap region is mapped 1:1 from VA 0: start_info and the p2m lie inside it. */
	PV_CHECK((uintptr_t)si - PVKIT_VIRT_BASE < si->nr_pages * PAGE_SIZE,
		 "start_info inside the 1:1 region at VIRT_BASE");
	PV_CHECK(si->pt_base - PVKIT_VIRT_BASE < si->nr_pages * PAGE_SIZE, "pt_base inside it");
	PV_CHECK(si->mfn_list > (uintptr_t)&pv_test_title, "p2m list after the image");
}

static void check_p2m_m2p(void)
{
	const xen_pfn_t pfns[] = {0, 0x100, 0x101,
				  ((uintptr_t)pv_start_info - PVKIT_VIRT_BASE) >> PAGE_SHIFT};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pfns); i++) {
		xen_pfn_t mfn = pv_pfn_to_mfn(pfns[i]);

		PV_CHECK(pv_mfn_to_pfn(mfn) == pfns[i], "M2P[p2m[0x%llx] = 0x%llx] = 0x%llx",
			 (unsigned long long)pfns[i], (unsigned long long)mfn,
			 (unsigned long long)pv_mfn_to_pfn(mfn));
	}
	PV_CHECK(pv_mfn_to_virt(pv_virt_to_mfn(pv_start_info)) == (void *)pv_start_info,
		 "mfn_to_virt(virt_to_mfn(start_info))");
}

static void check_shared_info(void)
{
	const struct vcpu_info *v = &pv_shared_info->vcpu_info[0];

	PV_CHECK_EQ(v->evtchn_upcall_mask, 1); /* events start masked */
	PV_CHECK(v->time.tsc_to_system_mul != 0, "vcpu_time_info filled");
	PV_CHECK(pv_time_now_ns() > 0, "system time runs");
}

static void check_hypercall_mode(void)
{
	enum pv_hcall_mode want = PV_HCALL_PAGE;

	if (!pv_hypercall_page_present() || pv_cmdline_has("hcall=syscall"))
		want = PV_HCALL_SYSCALL;
	pv_printf("hypercall page note %s, page %s, using %s\n",
		  pv_hypercall_page_present() ? "present" : "absent",
		  pv_hypercall_page_filled() ? "filled" : "not filled",
		  pv_hypercall_get_mode() == PV_HCALL_PAGE ? "the page" : "syscall");
	PV_CHECK_EQ(pv_hypercall_get_mode(), want);
	if (pv_hypercall_page_present())
		PV_CHECK(pv_hypercall_page_filled(), "the loader filled the hypercall page");
}

void test_main(void)
{
	long v;

	pv_printf("Hello from pvkit\n");
	PV_CHECK_EQ(HYPERVISOR_console_io(CONSOLEIO_write, 0, ""), 0);
	PV_CHECK_EQ(HYPERVISOR_console_io(CONSOLEIO_write, 6, "hello\n"), 0);
	v = HYPERVISOR_xen_version(XENVER_version, NULL);
	pv_printf("hypervisor %ld.%ld\n", v >> 16, v & 0xffff);
	PV_CHECK(v >= 0x30000, "xen_version %ld", v);
	check_start_info();
	check_p2m_m2p();
	check_shared_info();
	check_hypercall_mode();
}
