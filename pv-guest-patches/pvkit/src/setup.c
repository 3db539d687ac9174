/* SPDX-License-Identifier: MIT */
/* pvkit: start of day in C — hypercall mode, console, shared_info, traps, events, test_main. */
#include <pvkit/pvkit.h>

const char *pv_cmdline(void)
{
	return pv_start_info->cmd_line;
}

bool pv_cmdline_has(const char *word)
{
	const char *p = pv_start_info->cmd_line;
	size_t n = strlen(word);

	while ((p = strstr(p, word)) != NULL) {
		bool start = p == pv_start_info->cmd_line || p[-1] == ' ';
		bool end = p[n] == '\0' || p[n] == ' ';

		if (start && end)
			return true;
		p += n;
	}
	return false;
}

static void choose_hypercall_mode(void)
{
	bool page = pv_hypercall_page_present() && pv_hypercall_page_filled();

	pv_hypercall_set_mode(page ? PV_HCALL_PAGE : PV_HCALL_SYSCALL);
	if (pv_cmdline_has("hcall=syscall"))
		pv_hypercall_set_mode(PV_HCALL_SYSCALL);
	else if (pv_cmdline_has("hcall=page") && pv_hypercall_page_present())
		pv_hypercall_set_mode(PV_HCALL_PAGE);
}

static void setup_console_ring(void)
{
	struct start_info *si = pv_start_info;

	if (pv_is_initdomain() || !si->console.domU.mfn || !si->console.domU.evtchn)
		return;
	pv_console_ring_init(pv_mfn_to_virt(si->console.domU.mfn), si->console.domU.evtchn);
}

static void banner(void)
{
	pv_printf("--- pvkit: Xen PV guest kit ---\n");
	pv_printf("Guest: %s\n", pv_test_title);
	pv_printf("Domain: %s, %llu pages, hypercalls via %s, cmdline \"%s\"\n",
		  pv_is_initdomain() ? "initial" : "guest",
		  (unsigned long long)pv_start_info->nr_pages,
		  pv_hypercall_get_mode() == PV_HCALL_PAGE ? "hypercall page" : "syscall",
		  pv_cmdline());
	pv_printf("Image: VIRT_BASE 0x%lx, entry %p, start_info %p\n", PVKIT_VIRT_BASE,
		  (void *)pv_start_c, (void *)pv_start_info);
}

static void setup(void)
{
	long rc;

	if (pv_hypercall_page_present() && !pv_hypercall_page_filled())
		pv_test_error("HYPERCALL_PAGE note present but the page was not filled");
	setup_console_ring();
	rc = pv_mm_init();
	if (rc) {
		pv_test_error("mapping shared_info failed: %ld", rc);
		pv_test_exit();
	}
	rc = pv_traps_init();
	if (rc)
		pv_test_error("set_trap_table failed: %ld", rc);
	rc = pv_events_init(false);
	if (rc)
		pv_test_error("registering the event callback failed: %ld", rc);
}

void pv_start_c(struct start_info *si)
{
	pv_start_info = si;
	choose_hypercall_mode();
	banner();
	setup();
	if (pv_test_result() == PV_TEST_RUNNING)
		test_main();
	pv_test_exit();
}
