/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests of hypervisor/common/domctl_check.c: domctl/sysctl argument rules and results. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../harness.h"
#include <hospes/domctl.h>
#include <hospes/errno.h>
#include <public/sched.h>

static struct xen_domctl_createdomain pv_config(void)
{
	return (struct xen_domctl_createdomain){.max_vcpus = 2,
						.max_evtchn_port = 1023,
						.max_grant_frames = -1,
						.max_maptrack_frames = -1,
						.grant_opts = XEN_DOMCTL_GRANT_version(1)};
}

static void test_createdomain_check(void)
{
	struct xen_domctl_createdomain c = pv_config();

	CHECK_EQ(domctl_createdomain_check(&c, 32), 0);
	c.flags = XEN_DOMCTL_CDF_oos_off | XEN_DOMCTL_CDF_xs_domain;
	CHECK_EQ(domctl_createdomain_check(&c, 32), 0);
	c.flags = XEN_DOMCTL_CDF_hvm;
	CHECK_EQ(domctl_createdomain_check(&c, 32), (unsigned long long)-EINVAL);
	c.flags = 1u << 8; /* unknown */
	CHECK_EQ(domctl_createdomain_check(&c, 32), (unsigned long long)-EINVAL);
	c = pv_config();
	c.max_vcpus = 0;
	CHECK_EQ(domctl_createdomain_check(&c, 32), (unsigned long long)-EINVAL);
	c.max_vcpus = 33;
	CHECK_EQ(domctl_createdomain_check(&c, 32), (unsigned long long)-EINVAL);
	c.max_vcpus = 32;
	CHECK_EQ(domctl_createdomain_check(&c, 32), 0);
	c.grant_opts = 0; /* version 0 */
	CHECK_EQ(domctl_createdomain_check(&c, 32), (unsigned long long)-EINVAL);
	c.grant_opts = 0x11; /* unknown option bits */
	CHECK_EQ(domctl_createdomain_check(&c, 32), (unsigned long long)-EINVAL);
	c = pv_config();
	c.iommu_opts = 1;
	CHECK_EQ(domctl_createdomain_check(&c, 32), (unsigned long long)-EINVAL);
	c = pv_config();
	c.arch.emulation_flags = XEN_X86_EMU_PIT;
	CHECK_EQ(domctl_createdomain_check(&c, 32), 0);
	c.arch.emulation_flags = 1; /* LAPIC: HVM only */
	CHECK_EQ(domctl_createdomain_check(&c, 32), (unsigned long long)-EINVAL);
	c = pv_config();
	c.max_grant_frames = 0;
	CHECK_EQ(domctl_createdomain_check(&c, 32), (unsigned long long)-EINVAL);
	c.max_grant_frames = 65;
	CHECK_EQ(domctl_createdomain_check(&c, 32), (unsigned long long)-EINVAL);
	c.max_grant_frames = 32;
	CHECK_EQ(domctl_createdomain_check(&c, 32), 0);
}

static bool used[DOMID_FIRST_RESERVED];

static bool in_use(domid_t id, void *arg)
{
	return used[id];
}

static void test_pick_domid(void)
{
	domid_t rover = 0, id = 0;

	memset(used, 0, sizeof(used));
	used[0] = true;
	CHECK_EQ(domctl_pick_domid(0, &rover, in_use, NULL, &id), 0);
	CHECK_EQ(id, 1);
	CHECK_EQ(rover, 1);
	used[1] = true;
	CHECK_EQ(domctl_pick_domid(DOMID_SELF, &rover, in_use, NULL, &id), 0);
	CHECK_EQ(id, 2);
	used[1] = false; /* ids are not reused before the rover wraps */
	CHECK_EQ(domctl_pick_domid(0, &rover, in_use, NULL, &id), 0);
	CHECK_EQ(id, 3);
	CHECK_EQ(domctl_pick_domid(7, &rover, in_use, NULL, &id), 0);
	CHECK_EQ(id, 7);
	CHECK_EQ(rover, 3); /* an explicit id leaves the rover alone */
	used[7] = true;
	CHECK_EQ(domctl_pick_domid(7, &rover, in_use, NULL, &id), (unsigned long long)-EEXIST);
	rover = DOMID_FIRST_RESERVED - 1;
	CHECK_EQ(domctl_pick_domid(0, &rover, in_use, NULL, &id), 0);
	CHECK_EQ(id, 1); /* wrapped, skipping 0 */
	for (unsigned int i = 0; i < DOMID_FIRST_RESERVED; i++)
		used[i] = true;
	CHECK_EQ(domctl_pick_domid(0, &rover, in_use, NULL, &id), (unsigned long long)-ENOMEM);
}

static void test_pause_counts(void)
{
	unsigned int n = 0;

	CHECK_EQ(domctl_pause_dec(&n), (unsigned long long)-EINVAL);
	CHECK_EQ(n, 0);
	for (unsigned int i = 0; i < DOMCTL_MAX_CONTROLLER_PAUSES; i++)
		CHECK_EQ(domctl_pause_inc(&n), 0);
	CHECK_EQ(domctl_pause_inc(&n), (unsigned long long)-EOVERFLOW);
	CHECK_EQ(n, DOMCTL_MAX_CONTROLLER_PAUSES);
	CHECK_EQ(domctl_pause_dec(&n), 0);
	CHECK_EQ(n, DOMCTL_MAX_CONTROLLER_PAUSES - 1);
}

static void test_dominf_flags(void)
{
	struct dominf_state s = {0};

	const uint32_t none = 0xffff0000u; /* no shutdown code */

	CHECK_EQ(domctl_dominf_flags(&s), none); /* no vCPUs online: neither blocked nor running */
	s.nr_online = 2;
	s.nr_blocked = 2;
	CHECK_EQ(domctl_dominf_flags(&s), none | XEN_DOMINF_blocked);
	s.nr_blocked = 1;
	s.nr_running = 1;
	CHECK_EQ(domctl_dominf_flags(&s), none | XEN_DOMINF_running);
	s = (struct dominf_state){.shutdown = true, .shutdown_reason = SHUTDOWN_crash};
	CHECK_EQ(domctl_dominf_flags(&s), XEN_DOMINF_shutdown | (SHUTDOWN_crash << 16));
	s = (struct dominf_state){.shutdown = true, .shutdown_reason = SHUTDOWN_poweroff};
	CHECK_EQ(domctl_dominf_flags(&s), XEN_DOMINF_shutdown);
	s = (struct dominf_state){.dying = true, .controller_pauses = 3};
	CHECK_EQ(domctl_dominf_flags(&s), none | XEN_DOMINF_dying | XEN_DOMINF_paused);
}

static struct vcpu_guest_context *kernel_context(void)
{
	struct vcpu_guest_context *c = calloc(1, sizeof(*c));

	c->flags = VGCF_in_kernel | VGCF_online;
	c->user_regs.rip = 0x400000;
	c->user_regs.rsp = 0x401000;
	c->user_regs.cs = FLAT_KERNEL_CS;
	c->user_regs.ss = FLAT_KERNEL_SS;
	c->kernel_ss = FLAT_KERNEL_SS;
	c->kernel_sp = 0x402000;
	c->ctrlreg[3] = 0x1234000;
	c->event_callback_eip = 0x400100;
	return c;
}

static void test_context_addresses(void)
{
	struct vcpu_guest_context *c = kernel_context();

	CHECK_EQ(domctl_vcpu_context_check(c, 0, 0), 0);
	c->user_regs.rip = 0x0000800000000000ULL; /* not canonical */
	CHECK_EQ(domctl_vcpu_context_check(c, 0, 0), (unsigned long long)-EINVAL);
	c->user_regs.rip = 0xffffffff80000000ULL; /* a kernel address: fine */
	CHECK_EQ(domctl_vcpu_context_check(c, 0, 0), 0);
	c->failsafe_callback_eip = HYPERVISOR_VIRT_START + 0x1000; /* the hypervisor's */
	CHECK_EQ(domctl_vcpu_context_check(c, 0, 0), (unsigned long long)-EINVAL);
	c->failsafe_callback_eip = 0;
	c->trap_ctxt[14].address = 0x8000000000000000ULL;
	CHECK_EQ(domctl_vcpu_context_check(c, 0, 0), (unsigned long long)-EINVAL);
	c->trap_ctxt[14].address = 0;
	c->ldt_ents = 1;
	c->ldt_base = 0x1001; /* not page-aligned */
	CHECK_EQ(domctl_vcpu_context_check(c, 0, 0), (unsigned long long)-EINVAL);
	c->ldt_base = 0x2000;
	CHECK_EQ(domctl_vcpu_context_check(c, 0, 0), 0);
	c->ldt_ents = 8193;
	CHECK_EQ(domctl_vcpu_context_check(c, 0, 0), (unsigned long long)-EINVAL);
	c->ldt_ents = 0;
	c->gdt_ents = 14 * 512 + 1;
	CHECK_EQ(domctl_vcpu_context_check(c, 0, 0), (unsigned long long)-EINVAL);
	free(c);
}

static void test_context_selectors(void)
{
	struct vcpu_guest_context *c = kernel_context();

	c->user_regs.cs = FLAT_KERNEL_CS & ~3; /* RPL 0: raised to 3 */
	c->kernel_ss = FLAT_KERNEL_SS & ~3;
	CHECK_EQ(domctl_vcpu_context_check(c, 0, 0), 0);
	CHECK_EQ(c->user_regs.cs, FLAT_KERNEL_CS);
	CHECK_EQ(c->kernel_ss, FLAT_KERNEL_SS);
	c->kernel_ss = 0x10000; /* not a selector */
	CHECK_EQ(domctl_vcpu_context_check(c, 0, 0), (unsigned long long)-EINVAL);
	c->kernel_ss = 0x18; /* the guest's GDT entry 3: needs a GDT that long */
	CHECK_EQ(domctl_vcpu_context_check(c, 0, 0), (unsigned long long)-EINVAL);
	c->gdt_ents = 16;
	CHECK_EQ(domctl_vcpu_context_check(c, 0, 0), 0);
	CHECK_EQ(c->kernel_ss, 0x1b);
	c->user_regs.ds = 0x7777; /* data selectors are not loaded from a context: anything goes */
	c->user_regs.gs = 0x471;
	CHECK_EQ(domctl_vcpu_context_check(c, 0, 0), 0);
	c->user_regs.ss = 0x7777; /* an LDT selector, and there is no LDT */
	CHECK_EQ(domctl_vcpu_context_check(c, 0, 0), (unsigned long long)-EINVAL);
	c->user_regs.ss = FLAT_KERNEL_SS;
	/* User mode: flat CS/SS only, and a user page table. */
	c->flags = VGCF_online;
	c->user_regs.cs = FLAT_USER_CS;
	c->user_regs.ss = FLAT_USER_SS;
	CHECK_EQ(domctl_vcpu_context_check(c, 0, 0), (unsigned long long)-EINVAL);
	c->ctrlreg[1] = 0x5678000;
	CHECK_EQ(domctl_vcpu_context_check(c, 0, 0), 0);
	c->user_regs.cs = 0x13; /* the guest's own GDT: not in user mode */
	CHECK_EQ(domctl_vcpu_context_check(c, 0, 0), (unsigned long long)-EINVAL);
	free(c);
}

static void test_context_vm_assist(void)
{
	struct vcpu_guest_context *c = kernel_context();

	c->vm_assist = 1ULL << VMASST_TYPE_writable_pagetables;
	CHECK_EQ(domctl_vcpu_context_check(c, 0, 1ULL << VMASST_TYPE_writable_pagetables), 0);
	c->vm_assist |= 1ULL << 7;
	CHECK_EQ(domctl_vcpu_context_check(c, 0, 1ULL << VMASST_TYPE_writable_pagetables),
		 (unsigned long long)-EINVAL);
	CHECK_EQ(domctl_vcpu_context_check(c, 1, 1ULL << VMASST_TYPE_writable_pagetables), 0);
	free(c);
}

static void test_readconsole_start(void)
{
	/* A 1000-byte log that took 300 bytes: everything from 0. */
	CHECK_EQ(domctl_readconsole_start(300, 1000, 0, false, 0), 0);
	/* It wrapped: the oldest byte kept. */
	CHECK_EQ(domctl_readconsole_start(2500, 1000, 0, false, 0), 1500);
	/* After a clear. */
	CHECK_EQ(domctl_readconsole_start(2500, 1000, 2000, false, 0), 2000);
	/* Incremental: an index within (start, head] is used, else ignored. */
	CHECK_EQ(domctl_readconsole_start(2500, 1000, 0, true, 2400), 2400);
	CHECK_EQ(domctl_readconsole_start(2500, 1000, 0, true, 2500), 2500);
	CHECK_EQ(domctl_readconsole_start(2500, 1000, 0, true, 1500), 1500);
	CHECK_EQ(domctl_readconsole_start(2500, 1000, 0, true, 1400), 1500);	/* overwritten */
	CHECK_EQ(domctl_readconsole_start(2500, 1000, 0, true, 2600), 1500);	/* in the future */
	CHECK_EQ(domctl_readconsole_start(2500, 1000, 2000, true, 1900), 2000); /* cleared */
	/* The 32-bit index wraps while the log's offset does not. */
	CHECK_EQ(domctl_readconsole_start(0x100000010ULL, 1000, 0, true, 0x8), 0x100000008ULL);
	CHECK_EQ(domctl_readconsole_start(0x100000010ULL, 1000, 0, true, 0xfffffff0u),
		 0xfffffff0ULL);
	CHECK_EQ(domctl_readconsole_start(0, 1000, 0, true, 0), 0); /* empty log */
}

static const struct unit_test tests[] = {
	{"createdomain: PV configurations only", test_createdomain_check},
	{"createdomain: domid choice", test_pick_domid},
	{"pause counts: 255 at most, never below 0", test_pause_counts},
	{"getdomaininfo flags", test_dominf_flags},
	{"vcpu context: addresses, LDT, GDT", test_context_addresses},
	{"vcpu context: selectors", test_context_selectors},
	{"vcpu context: vm_assist", test_context_vm_assist},
	{"readconsole: start and index", test_readconsole_start},
};

int main(void)
{
	return unit_run("domctl", tests, sizeof(tests) / sizeof(tests[0]));
}
