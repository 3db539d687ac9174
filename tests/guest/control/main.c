/* SPDX-License-Identifier: MIT */
/* Guest test: domctl and sysctl as the toolstack uses them — host facts, domains, console log. */
#include <pvkit/pvkit.h>
#include <public/domctl.h>
#include <public/memory.h>
#include <public/platform.h>
#include <public/sched.h>
#include <public/sysctl.h>
#include <public/vcpu.h>

const char pv_test_title[] = "control: domctl/sysctl (physinfo, domain list, create/destroy, "
			     "pause, vCPU context, foreign maps, readconsole); expect=eperm: all "
			     "refused";

#define MARKER_MAX 64
#define LOG_CHUNK  2048

static struct xen_domctl_getdomaininfo infos[8];
static uint64_t foreign_window[512] __attribute__((aligned(4096))); /* remapped to others' frames */
static struct vcpu_guest_context ctxt;
static char log_buf[LOG_CHUNK + MARKER_MAX];

static long domctl(struct xen_domctl *op)
{
	op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	return pv_hypercall(__HYPERVISOR_domctl, PV_HC_PTR(op), 0, 0, 0, 0);
}

static long sysctl(struct xen_sysctl *op)
{
	op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	return pv_hypercall(__HYPERVISOR_sysctl, PV_HC_PTR(op), 0, 0, 0, 0);
}

static long domctl_on(uint32_t cmd, domid_t dom, struct xen_domctl *op)
{
	op->cmd = cmd;
	op->domain = dom;
	return domctl(op);
}

static long getdomaininfo(domid_t dom, struct xen_domctl_getdomaininfo *info)
{
	struct xen_domctl op = {0};
	long rc = domctl_on(XEN_DOMCTL_getdomaininfo, dom, &op);

	*info = op.u.getdomaininfo;
	return rc;
}

static void test_physinfo(void)
{
	struct xen_sysctl op = {.cmd = XEN_SYSCTL_physinfo};
	const struct xen_sysctl_physinfo *pi = &op.u.physinfo;

	PV_CHECK_EQ(sysctl(&op), 0);
	pv_printf("physinfo: %u CPUs (max id %u), %u/core, %u cores/socket, %u nodes, %u kHz, "
		  "%llu pages (%llu free), max MFN 0x%llx, caps 0x%x, hw_cap[0] 0x%x\n",
		  pi->nr_cpus, pi->max_cpu_id, pi->threads_per_core, pi->cores_per_socket,
		  pi->nr_nodes, pi->cpu_khz, (unsigned long long)pi->total_pages,
		  (unsigned long long)pi->free_pages, (unsigned long long)pi->max_mfn,
		  pi->capabilities, pi->hw_cap[0]);
	PV_CHECK(pi->nr_cpus >= 1 && pi->max_cpu_id + 1 >= pi->nr_cpus, "CPU counts");
	PV_CHECK(pi->threads_per_core >= 1 && pi->cores_per_socket >= 1, "topology");
	PV_CHECK(pi->nr_nodes >= 1 && pi->max_node_id + 1 >= pi->nr_nodes, "nodes");
	PV_CHECK(pi->cpu_khz > 0, "cpu_khz");
	PV_CHECK(pi->free_pages > 0 && pi->total_pages > pi->free_pages, "page counts");
	PV_CHECK(pi->total_pages > pv_start_info->nr_pages, "the host has more than this domain");
	PV_CHECK(pi->max_mfn + 1 >= pi->total_pages, "max_mfn");
	PV_CHECK(pv_virt_to_mfn(&op) <= pi->max_mfn, "own frames below max_mfn");
	PV_CHECK(pi->capabilities & XEN_SYSCTL_PHYSCAP_pv, "PV guests supported");
	PV_CHECK(pi->hw_cap[0] & 1, "FPU in the CPUID.1:EDX word");
}

static long platform_op(struct xen_platform_op *op)
{
	op->interface_version = XENPF_INTERFACE_VERSION;
	return pv_hypercall(__HYPERVISOR_platform_op, PV_HC_PTR(op), 0, 0, 0, 0);
}

/* platform_op: the physical CPUs physinfo counts, their version, the firmware data, errors. */
static void test_platform(void)
{
	struct xen_sysctl s = {.cmd = XEN_SYSCTL_physinfo};
	struct xen_platform_op op = {.cmd = XENPF_get_cpuinfo};
	unsigned int online = 0, max_present;

	PV_CHECK_EQ(sysctl(&s), 0);
	PV_CHECK_EQ(platform_op(&op), 0);
	max_present = op.u.pcpu_info.max_present;
	PV_CHECK_EQ(max_present, s.u.physinfo.max_cpu_id);
	for (uint32_t cpu = 0; cpu <= max_present; cpu++) {
		op = (struct xen_platform_op){.cmd = XENPF_get_cpuinfo,
					      .u.pcpu_info.xen_cpuid = cpu};
		PV_CHECK_EQ(platform_op(&op), 0);
		online += !!(op.u.pcpu_info.flags & XEN_PCPU_FLAGS_ONLINE);
		PV_CHECK_EQ(op.u.pcpu_info.flags & XEN_PCPU_FLAGS_INVALID, 0);
	}
	PV_CHECK_EQ(online, s.u.physinfo.nr_cpus);
	op = (struct xen_platform_op){.cmd = XENPF_get_cpuinfo, .u.pcpu_info.xen_cpuid = 100000};
	PV_CHECK_EQ(platform_op(&op), 0);
	PV_CHECK(op.u.pcpu_info.flags & XEN_PCPU_FLAGS_INVALID, "CPU 100000 is not present");
	op = (struct xen_platform_op){.cmd = XENPF_get_cpu_version};
	PV_CHECK_EQ(platform_op(&op), 0);
	pv_printf("platform: %u CPUs online, CPU 0 is %.12s family %u model %u stepping %u\n",
		  online, op.u.pcpu_version.vendor_id, op.u.pcpu_version.family,
		  op.u.pcpu_version.model, op.u.pcpu_version.stepping);
	PV_CHECK(op.u.pcpu_version.vendor_id[0] != 0 && op.u.pcpu_version.family > 0,
		 "CPU 0 version");
	op = (struct xen_platform_op){.cmd = XENPF_firmware_info,
				      .u.firmware_info = {.type = XEN_FW_DISK_INFO, .index = 100}};
	PV_CHECK(platform_op(&op) < 0, "no BIOS disk 100");
	op = (struct xen_platform_op){.cmd = XENPF_settime64, .u.settime64.mbz = 1};
	PV_CHECK_EQ(platform_op(&op), -XEN_EINVAL);
	op = (struct xen_platform_op){.cmd = XENPF_get_cpuinfo};
	op.interface_version = 1;
	PV_CHECK_EQ(pv_hypercall(__HYPERVISOR_platform_op, PV_HC_PTR(&op), 0, 0, 0, 0),
		    -XEN_EACCES);
	op = (struct xen_platform_op){.cmd = 9999};
	PV_CHECK_EQ(platform_op(&op), -XEN_ENOSYS);
}

/* How many vCPUs this domain has, and how many are up. */
static void own_vcpus(unsigned int *nr, unsigned int *up)
{
	*nr = *up = 0;
	for (unsigned int i = 0; i < 32; i++) {
		long rc = HYPERVISOR_vcpu_op(VCPUOP_is_up, i, NULL);

		if (rc < 0)
			break;
		*nr = i + 1;
		*up += rc == 1;
	}
}

static void check_self_info(const struct xen_domctl_getdomaininfo *in)
{
	unsigned int nr, up;

	own_vcpus(&nr, &up);
	PV_CHECK_EQ(in->domain, 0);
	PV_CHECK_EQ(in->tot_pages, pv_start_info->nr_pages);
	PV_CHECK(in->max_pages >= in->tot_pages, "max_pages");
	PV_CHECK_EQ(in->nr_online_vcpus, up);
	PV_CHECK_EQ(in->max_vcpu_id, nr - 1);
	PV_CHECK_EQ(in->shared_info_frame, pv_start_info->shared_info >> PAGE_SHIFT);
	PV_CHECK(in->flags & XEN_DOMINF_running, "flags 0x%x: running", in->flags);
	PV_CHECK_EQ(in->flags & (XEN_DOMINF_dying | XEN_DOMINF_shutdown | XEN_DOMINF_paused |
				 XEN_DOMINF_blocked | XEN_DOMINF_hvm_guest),
		    0);
	PV_CHECK(in->cpu_time > 0, "cpu_time");
}

static void test_domain_list(domid_t other)
{
	struct xen_sysctl op = {.cmd = XEN_SYSCTL_getdomaininfolist};
	struct xen_sysctl_getdomaininfolist *l = &op.u.getdomaininfolist;

	l->first_domain = 0;
	l->max_domains = ARRAY_SIZE(infos);
	l->buffer = PV_HC_PTR(infos);
	PV_CHECK_EQ(sysctl(&op), 0);
	PV_CHECK_EQ(l->num_domains, other ? 2 : 1);
	check_self_info(&infos[0]);
	if (other)
		PV_CHECK_EQ(infos[1].domain, other);
	l->first_domain = 1; /* only the others */
	l->max_domains = 1;
	PV_CHECK_EQ(sysctl(&op), 0);
	PV_CHECK_EQ(l->num_domains, other ? 1 : 0);
	l->buffer = HYPERVISOR_VIRT_START; /* not the guest's */
	l->first_domain = 0;
	PV_CHECK_EQ(sysctl(&op), -XEN_EFAULT);
}

static void test_getdomaininfo_self(void)
{
	struct xen_domctl_getdomaininfo in;
	struct xen_domctl op = {0};

	PV_CHECK_EQ(getdomaininfo(0, &in), 0);
	check_self_info(&in);
	PV_CHECK_EQ(getdomaininfo(DOMID_SELF, &in), -XEN_EINVAL); /* a reserved id */
	PV_CHECK_EQ(getdomaininfo(DOMID_FIRST_RESERVED - 1, &in), -XEN_ESRCH);
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_pausedomain, 0, &op), -XEN_EINVAL); /* itself */
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_destroydomain, 0, &op), -XEN_EINVAL);
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_unpausedomain, 0, &op), -XEN_EINVAL); /* not paused */
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_pausedomain, 0x7000, &op), -XEN_ESRCH);
	op.u.vcpucontext.vcpu = 0;
	op.u.vcpucontext.ctxt = PV_HC_PTR(&ctxt);
	/* Its own running vCPU: Xen cannot pause it to read it. */
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_getvcpucontext, 0, &op), -XEN_EINVAL);
}

static void test_bad_calls(void)
{
	struct xen_domctl d = {.cmd = XEN_DOMCTL_getdomaininfo};
	struct xen_sysctl s = {.cmd = XEN_SYSCTL_physinfo};

	d.interface_version = XEN_DOMCTL_INTERFACE_VERSION - 1;
	PV_CHECK_EQ(pv_hypercall(__HYPERVISOR_domctl, PV_HC_PTR(&d), 0, 0, 0, 0), -XEN_EACCES);
	s.interface_version = XEN_SYSCTL_INTERFACE_VERSION + 1;
	PV_CHECK_EQ(pv_hypercall(__HYPERVISOR_sysctl, PV_HC_PTR(&s), 0, 0, 0, 0), -XEN_EACCES);
	PV_CHECK_EQ(domctl_on(9999, 0, &d), -XEN_ENOSYS);
	s.cmd = 9999;
	PV_CHECK_EQ(sysctl(&s), -XEN_ENOSYS);
	PV_CHECK_EQ(pv_hypercall(__HYPERVISOR_domctl, HYPERVISOR_VIRT_START, 0, 0, 0, 0),
		    -XEN_EFAULT);
	PV_CHECK_EQ(pv_hypercall(__HYPERVISOR_sysctl, HYPERVISOR_VIRT_START, 0, 0, 0, 0),
		    -XEN_EFAULT);
}

static long createdomain(domid_t want, uint32_t flags, uint32_t vcpus, domid_t *id)
{
	struct xen_domctl op = {0};
	struct xen_domctl_createdomain *c = &op.u.createdomain;
	long rc;

	c->flags = flags;
	c->max_vcpus = vcpus;
	c->max_evtchn_port = 1023;
	c->max_grant_frames = 32;
	c->max_maptrack_frames = 128;
	c->grant_opts = XEN_DOMCTL_GRANT_version(1);
	for (unsigned int i = 0; i < sizeof(c->handle); i++)
		c->handle[i] = (uint8_t)(0xa0 + i);
	rc = domctl_on(XEN_DOMCTL_createdomain, want, &op);
	*id = op.domain;
	return rc;
}

static void check_new_info(domid_t id, uint32_t flags, unsigned int online, uint32_t max_id)
{
	struct xen_domctl_getdomaininfo in;

	PV_CHECK_EQ(getdomaininfo(id, &in), 0);
	PV_CHECK_EQ(in.domain, id);
	/* Xen 4.17 shifts its "no shutdown code" (~0) into the reason bits and beyond. */
	PV_CHECK_EQ(in.flags, flags | 0xffff0000u);
	PV_CHECK_EQ(in.nr_online_vcpus, online);
	PV_CHECK_EQ(in.max_vcpu_id, max_id);
	PV_CHECK_EQ(in.handle[0], 0xa0);
	PV_CHECK_EQ(in.handle[15], 0xaf);
	PV_CHECK(in.shared_info_frame != 0, "shared_info frame");
}

/* A new domain: refusals, then paused, empty, its vCPUs appearing with max_vcpus. */
static domid_t test_create(void)
{
	struct xen_domctl op = {0};
	domid_t id = 0, other;

	PV_CHECK_EQ(createdomain(0, 1u << 8, 2, &other), -XEN_EINVAL); /* unknown flag */
	PV_CHECK_EQ(createdomain(0, 0, 0, &other), -XEN_EINVAL);       /* no vCPUs */
	PV_CHECK_EQ(createdomain(0, 0, 2, &id), 0);
	pv_printf("created domain %u\n", id);
	PV_CHECK(id > 0 && id < DOMID_FIRST_RESERVED, "new id %u", id);
	PV_CHECK_EQ(createdomain(id, 0, 2, &other), -XEN_EEXIST);
	check_new_info(id, XEN_DOMINF_paused, 0, XEN_INVALID_MAX_VCPU_ID);
	op.u.getvcpuinfo.vcpu = 0;
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_getvcpuinfo, id, &op), -XEN_ESRCH); /* not yet */
	op.u.max_vcpus.max = 3;
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_max_vcpus, id, &op), -XEN_EINVAL); /* createdomain's 2 */
	op.u.max_vcpus.max = 2;
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_max_vcpus, id, &op), 0);
	check_new_info(id, XEN_DOMINF_paused, 0, 1);
	op.u.getvcpuinfo.vcpu = 1;
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_getvcpuinfo, id, &op), 0);
	PV_CHECK_EQ(op.u.getvcpuinfo.vcpu, 1);
	PV_CHECK_EQ(op.u.getvcpuinfo.online, 0);
	PV_CHECK_EQ(op.u.getvcpuinfo.blocked, 0);
	PV_CHECK_EQ(op.u.getvcpuinfo.running, 0);
	op.u.getvcpuinfo.vcpu = 2;
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_getvcpuinfo, id, &op), -XEN_EINVAL);
	return id;
}

static void test_max_mem_and_pause(domid_t id)
{
	struct xen_domctl op = {0};
	struct xen_domctl_getdomaininfo in;

	op.u.max_mem.max_memkb = 8192;
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_max_mem, id, &op), 0);
	PV_CHECK_EQ(getdomaininfo(id, &in), 0);
	PV_CHECK_EQ(in.max_pages, 2048);
	PV_CHECK_EQ(in.tot_pages, 0);
	/* Created paused once; pauses nest. */
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_pausedomain, id, &op), 0);
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_unpausedomain, id, &op), 0);
	check_new_info(id, XEN_DOMINF_paused, 0, 1);
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_unpausedomain, id, &op), 0);
	check_new_info(id, 0, 0, 1); /* no vCPU up: neither running nor blocked */
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_unpausedomain, id, &op), -XEN_EINVAL);
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_pausedomain, id, &op), 0);
	check_new_info(id, XEN_DOMINF_paused, 0, 1);
}

/*
 * One frame for the new domain (its MFN comes back, as for any PV domain), cleared as the
 * toolstack would: a new frame may hold old data (Xen with bootscrub=0).
 */
static xen_pfn_t give_frame(domid_t id)
{
	xen_pfn_t frame = 0; /* IN the GPFN */
	struct xen_memory_reservation r = {
		.extent_start = PV_HC_PTR(&frame), .nr_extents = 1, .domid = id};
	struct xen_domctl_getdomaininfo in;
	struct mmuext_op clear = {.cmd = MMUEXT_CLEAR_PAGE};

	PV_CHECK_EQ(HYPERVISOR_memory_op(XENMEM_populate_physmap, &r), 1);
	PV_CHECK_EQ(getdomaininfo(id, &in), 0);
	PV_CHECK_EQ(in.tot_pages, 1);
	clear.arg1.mfn = frame;
	PV_CHECK_EQ(HYPERVISOR_mmuext_op(&clear, 1, NULL, id), 0);
	return frame;
}

static long vcpucontext(uint32_t cmd, domid_t id, uint32_t vcpu)
{
	struct xen_domctl op = {0};

	op.u.vcpucontext.vcpu = vcpu;
	op.u.vcpucontext.ctxt = PV_HC_PTR(&ctxt);
	return domctl_on(cmd, id, &op);
}

/* A kernel-mode context whose page table is the (empty, hence valid) L4 at mfn. */
static void fill_context(xen_pfn_t mfn, uint64_t rip)
{
	memset(&ctxt, 0, sizeof(ctxt));
	ctxt.flags = VGCF_in_kernel | VGCF_online;
	ctxt.user_regs.rip = rip;
	ctxt.user_regs.rsp = 0x401000;
	ctxt.user_regs.rsi = 0x402000;
	ctxt.user_regs.cs = FLAT_KERNEL_CS;
	ctxt.user_regs.ss = FLAT_KERNEL_SS;
	ctxt.user_regs.rflags = 0x200;
	ctxt.kernel_ss = FLAT_KERNEL_SS;
	ctxt.kernel_sp = 0x403000;
	ctxt.ctrlreg[3] = mfn << PAGE_SHIFT;
	ctxt.event_callback_eip = 0x400100;
	ctxt.failsafe_callback_eip = 0x400200;
	ctxt.syscall_callback_eip = 0x400300;
}

static void test_vcpu_context(domid_t id)
{
	xen_pfn_t l4 = give_frame(id);

	PV_CHECK_EQ(vcpucontext(XEN_DOMCTL_getvcpucontext, id, 0), -XEN_ENODATA); /* none yet */
	PV_CHECK_EQ(vcpucontext(XEN_DOMCTL_getvcpucontext, id, 2), -XEN_EINVAL);
	fill_context(pv_virt_to_mfn(&ctxt), 0x400000); /* a frame of another domain */
	PV_CHECK_EQ(vcpucontext(XEN_DOMCTL_setvcpucontext, id, 0), -XEN_EINVAL);
	fill_context(l4, 0x0000900000000000ULL); /* not canonical */
	PV_CHECK_EQ(vcpucontext(XEN_DOMCTL_setvcpucontext, id, 0), -XEN_EINVAL);
	fill_context(l4, 0x400000);
	PV_CHECK_EQ(vcpucontext(XEN_DOMCTL_setvcpucontext, id, 0), 0);
	memset(&ctxt, 0xcc, sizeof(ctxt));
	PV_CHECK_EQ(vcpucontext(XEN_DOMCTL_getvcpucontext, id, 0), 0);
	PV_CHECK_EQ(ctxt.user_regs.rip, 0x400000);
	PV_CHECK_EQ(ctxt.user_regs.rsp, 0x401000);
	PV_CHECK_EQ(ctxt.user_regs.rsi, 0x402000);
	PV_CHECK_EQ(ctxt.user_regs.cs, FLAT_KERNEL_CS);
	PV_CHECK_EQ(ctxt.user_regs.ss, FLAT_KERNEL_SS);
	PV_CHECK(ctxt.user_regs.rflags & 0x200, "IF set");
	PV_CHECK_EQ(ctxt.flags & (VGCF_in_kernel | VGCF_online), VGCF_in_kernel | VGCF_online);
	PV_CHECK_EQ(ctxt.kernel_ss, FLAT_KERNEL_SS);
	PV_CHECK_EQ(ctxt.kernel_sp, 0x403000);
	PV_CHECK_EQ(ctxt.ctrlreg[3], l4 << PAGE_SHIFT);
	PV_CHECK_EQ(ctxt.ctrlreg[1], 0);
	PV_CHECK_EQ(ctxt.event_callback_eip, 0x400100);
	PV_CHECK_EQ(ctxt.failsafe_callback_eip, 0x400200);
	PV_CHECK_EQ(ctxt.syscall_callback_eip, 0x400300);
	check_new_info(id, XEN_DOMINF_paused, 1, 1); /* vCPU 0 up (VGCF_online), still paused */
	/* Once it has a context, only the registers may change, not the page tables. */
	fill_context(l4, 0x400800);
	ctxt.ctrlreg[3] = 0;
	PV_CHECK_EQ(vcpucontext(XEN_DOMCTL_setvcpucontext, id, 0), -XEN_EOPNOTSUPP);
	fill_context(l4, 0x400800);
	PV_CHECK_EQ(vcpucontext(XEN_DOMCTL_setvcpucontext, id, 0), 0);
	PV_CHECK_EQ(vcpucontext(XEN_DOMCTL_getvcpucontext, id, 0), 0);
	PV_CHECK_EQ(ctxt.user_regs.rip, 0x400800);
}

/* Yields for up to 2 s until the domain's flags (bits 0-15) have want; its flags then. */
static uint32_t wait_flags(domid_t id, uint32_t want)
{
	struct xen_domctl_getdomaininfo in = {0};
	uint64_t end = pv_time_now_ns() + 2000000000ULL;

	while (getdomaininfo(id, &in) == 0 && (in.flags & want) != want && pv_time_now_ns() < end)
		pv_yield();
	return in.flags;
}

/*
 * While paused its vCPU never runs; unpaused, it runs into a page fault with no handler (its
 * page table maps nothing) and the domain is crashed: a shutdown with reason crash, kept for
 * the toolstack until destroydomain.
 */
static void test_run_and_crash(domid_t id)
{
	struct xen_domctl op = {0};
	uint32_t flags;

	for (unsigned int i = 0; i < 20; i++)
		pv_yield();
	check_new_info(id, XEN_DOMINF_paused, 1, 1);
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_unpausedomain, id, &op), 0);
	flags = wait_flags(id, XEN_DOMINF_shutdown);
	pv_printf("domain %u unpaused: flags 0x%x\n", id, flags);
	PV_CHECK_EQ(flags & 0xffff, XEN_DOMINF_shutdown);
	PV_CHECK_EQ(flags >> XEN_DOMINF_shutdownshift, SHUTDOWN_crash);
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_pausedomain, id, &op), 0);
	flags = wait_flags(id, XEN_DOMINF_paused);
	PV_CHECK_EQ(flags & 0xffff, XEN_DOMINF_shutdown | XEN_DOMINF_paused);
}

static void invlpg(const void *va)
{
	struct mmuext_op op = {.cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = (uintptr_t)va};

	PV_CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
}

/*
 * A domain builder pins the new domain's page tables (mmuext_op with it as the foreign domain):
 * its pinned L1 can then be mapped here read-only but never writable; unpinned, writable again.
 */
static void test_foreign_pin(domid_t id, xen_pfn_t gpfn)
{
	xen_pfn_t frame = gpfn, own = pv_virt_to_mfn(foreign_window);
	struct xen_memory_reservation r = {
		.extent_start = PV_HC_PTR(&frame), .nr_extents = 1, .domid = id};
	struct mmuext_op op = {.cmd = MMUEXT_CLEAR_PAGE};
	struct mmu_update req = {.ptr = pv_l1e_maddr(foreign_window) | MMU_NORMAL_PT_UPDATE};
	uint64_t rw = PTE_PRESENT | PTE_ACCESSED | PTE_RW | PTE_DIRTY;

	PV_CHECK_EQ(HYPERVISOR_memory_op(XENMEM_populate_physmap, &r), 1);
	op.arg1.mfn = frame;
	PV_CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, NULL, id), 0);
	op.cmd = MMUEXT_PIN_L1_TABLE;
	PV_CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, NULL, id), 0);
	req.val = (frame << PAGE_SHIFT) | rw;
	PV_CHECK_EQ(HYPERVISOR_mmu_update(&req, 1, NULL, id), -XEN_EBUSY);
	req.val = (frame << PAGE_SHIFT) | PTE_PRESENT | PTE_ACCESSED;
	PV_CHECK_EQ(HYPERVISOR_mmu_update(&req, 1, NULL, id), 0);
	invlpg(foreign_window);
	PV_CHECK_EQ(foreign_window[17], 0);
	PV_CHECK_EQ(pv_map_mfn(foreign_window, own, true), 0);
	op.cmd = MMUEXT_UNPIN_TABLE;
	PV_CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, NULL, id), 0);
	req.val = (frame << PAGE_SHIFT) | rw;
	PV_CHECK_EQ(HYPERVISOR_mmu_update(&req, 1, NULL, id), 0);
	PV_CHECK_EQ(pv_map_mfn(foreign_window, own, true), 0);
}

/*
 * Foreign mappings, as a toolstack builds a domain: a frame given to the new domain is mapped
 * here with update_va_mapping_otherdomain (written), then read back through an mmu_update with
 * that domain as the foreign one; each time our own frame is put back.
 */
static void test_foreign_map(domid_t id)
{
	xen_pfn_t frame = 7, own = pv_virt_to_mfn(foreign_window);
	struct xen_memory_reservation r = {
		.extent_start = PV_HC_PTR(&frame), .nr_extents = 1, .domid = id};
	struct mmuext_op clear = {.cmd = MMUEXT_CLEAR_PAGE};
	volatile uint64_t *w = foreign_window;
	struct mmu_update req;

	PV_CHECK_EQ(HYPERVISOR_memory_op(XENMEM_populate_physmap, &r), 1);
	clear.arg1.mfn = frame;
	PV_CHECK_EQ(HYPERVISOR_mmuext_op(&clear, 1, NULL, id), 0);
	w[3] = 0x1234;
	PV_CHECK_EQ(pv_hypercall(__HYPERVISOR_update_va_mapping_otherdomain, (uintptr_t)w,
				 (frame << PAGE_SHIFT) | PTE_PRESENT | PTE_ACCESSED | PTE_RW |
					 PTE_DIRTY,
				 UVMF_INVLPG, id, 0),
		    0);
	PV_CHECK_EQ(w[3], 0); /* the new domain's cleared frame */
	w[3] = 0xf0e1d2c3;
	PV_CHECK_EQ(pv_map_mfn(foreign_window, own, true), 0);
	PV_CHECK_EQ(w[3], 0x1234);
	req.ptr = pv_l1e_maddr(foreign_window) | MMU_NORMAL_PT_UPDATE;
	req.val = (frame << PAGE_SHIFT) | PTE_PRESENT | PTE_ACCESSED;
	PV_CHECK_EQ(HYPERVISOR_mmu_update(&req, 1, NULL, id), 0);
	invlpg(foreign_window);
	PV_CHECK_EQ(w[3], 0xf0e1d2c3);
	PV_CHECK_EQ(pv_map_mfn(foreign_window, own, true), 0);
	PV_CHECK_EQ(w[3], 0x1234);
	/*
	 * Refused, the entry left alone: RAM the foreign domain does not own (ours, or a frame it
	 * gave back) is -EBUSY, what is not RAM (MMIO, beyond memory) -EPERM, as Xen answers.
	 */
	req.val = (own << PAGE_SHIFT) | PTE_PRESENT | PTE_ACCESSED;
	PV_CHECK_EQ(HYPERVISOR_mmu_update(&req, 1, NULL, id), -XEN_EBUSY);
	frame = 8;
	PV_CHECK_EQ(HYPERVISOR_memory_op(XENMEM_populate_physmap, &r), 1);
	PV_CHECK_EQ(HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r), 1);
	req.val = (frame << PAGE_SHIFT) | PTE_PRESENT | PTE_ACCESSED;
	PV_CHECK_EQ(HYPERVISOR_mmu_update(&req, 1, NULL, id), -XEN_EBUSY);
	req.val = (0xfe000ULL << PAGE_SHIFT) | PTE_PRESENT | PTE_ACCESSED;
	PV_CHECK_EQ(HYPERVISOR_mmu_update(&req, 1, NULL, id), -XEN_EPERM);
	req.val = (0x7ffffffULL << PAGE_SHIFT) | PTE_PRESENT | PTE_ACCESSED;
	PV_CHECK_EQ(HYPERVISOR_mmu_update(&req, 1, NULL, id), -XEN_EPERM);
	PV_CHECK_EQ(w[3], 0x1234);
	test_foreign_pin(id, 7);
}

/* update_va_mapping_otherdomain of dom's frame at foreign_window, writable. */
static long map_foreign(domid_t dom, xen_pfn_t frame)
{
	return pv_hypercall(__HYPERVISOR_update_va_mapping_otherdomain, (uintptr_t)foreign_window,
			    (frame << PAGE_SHIFT) | PTE_PRESENT | PTE_ACCESSED | PTE_RW | PTE_DIRTY,
			    UVMF_INVLPG, dom, 0);
}

/*
 * As a toolstack seeds a new domain's grant table (console, xenstore pages): the table frame
 * (setup_table for that domain) mapped here and a grant to us written into it; we map the
 * grant, the domain is destroyed meanwhile, the page stays readable, the unmap still works.
 */
static void test_dying_granter(void)
{
	xen_pfn_t data = 3, tframe = 0, own = pv_virt_to_mfn(foreign_window);
	struct xen_memory_reservation r = {.extent_start = PV_HC_PTR(&data), .nr_extents = 1};
	struct gnttab_setup_table st = {.nr_frames = 1, .frame_list = PV_HC_PTR(&tframe)};
	struct gnttab_map_grant_ref m = {
		.host_addr = (uintptr_t)foreign_window, .flags = GNTMAP_host_map, .ref = 8};
	struct gnttab_unmap_grant_ref u = {.host_addr = (uintptr_t)foreign_window};
	struct grant_entry_v1 *e = (struct grant_entry_v1 *)(void *)foreign_window + 8;
	volatile uint64_t *w = foreign_window;
	struct xen_domctl op = {0};
	domid_t id;

	PV_CHECK_EQ(createdomain(0, 0, 1, &id), 0);
	op.u.max_mem.max_memkb = 1024;
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_max_mem, id, &op), 0);
	r.domid = st.dom = m.dom = id;
	PV_CHECK_EQ(HYPERVISOR_memory_op(XENMEM_populate_physmap, &r), 1);
	PV_CHECK_EQ(map_foreign(id, data), 0);
	w[9] = 0x5eed5eed;
	PV_CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1), 0);
	PV_CHECK_EQ(st.status, GNTST_okay);
	PV_CHECK_EQ(map_foreign(id, tframe), 0);
	e->domid = 0; /* the initial domain: us */
	e->frame = (uint32_t)data;
	pv_barrier();
	PV_WRITE_ONCE(e->flags, GTF_permit_access);
	PV_CHECK_EQ(pv_map_mfn(foreign_window, own, true), 0);
	PV_CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1), 0);
	PV_CHECK_EQ(m.status, GNTST_okay);
	PV_CHECK_EQ(w[9], 0x5eed5eed);
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_destroydomain, id, &op), 0);
	PV_CHECK_EQ(w[9], 0x5eed5eed);
	u.handle = m.handle;
	PV_CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1), 0);
	pv_printf("unmap of the destroyed domain's grant: status %d\n", u.status);
	PV_CHECK_EQ(u.status, GNTST_okay);
	PV_CHECK_EQ(pv_map_mfn(foreign_window, own, true), 0);
}

static void test_destroy(domid_t id)
{
	struct xen_domctl op = {0};
	struct xen_domctl_getdomaininfo in;

	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_destroydomain, id, &op), 0);
	PV_CHECK_EQ(getdomaininfo(id, &in), -XEN_ESRCH);
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_destroydomain, id, &op), -XEN_ESRCH);
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_unpausedomain, id, &op), -XEN_ESRCH);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

/* A context for the random run: random words, or a valid one with one word changed. */
static void random_context(xen_pfn_t l4)
{
	uint64_t *w = (uint64_t *)(void *)&ctxt;

	if (rnd() & 1) {
		for (unsigned int i = 0; i < sizeof(ctxt) / 8; i++)
			w[i] = rnd();
		return;
	}
	fill_context(l4, 0x400000);
	w[rnd() % (sizeof(ctxt) / 8)] = rnd() & 1 ? rnd() : rnd() & 0xffff;
}

/*
 * Random domctls (not create/destroy) with random arguments on a domain of its own, which now
 * and then runs (and crashes): the hypervisor survives, and the domain can still be destroyed.
 */
static void test_random_ops(void)
{
	static const uint32_t cmds[] = {XEN_DOMCTL_pausedomain,	   XEN_DOMCTL_unpausedomain,
					XEN_DOMCTL_getdomaininfo,  XEN_DOMCTL_max_mem,
					XEN_DOMCTL_setvcpucontext, XEN_DOMCTL_getvcpucontext,
					XEN_DOMCTL_getvcpuinfo,	   XEN_DOMCTL_max_vcpus};
	struct xen_domctl op = {0};
	unsigned int errors = 0;
	uint64_t hash = 0xcbf29ce484222325ULL;
	xen_pfn_t l4;
	domid_t id;
	long rc;

	PV_CHECK_EQ(createdomain(0, 0, 2, &id), 0);
	op.u.max_vcpus.max = 2;
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_max_vcpus, id, &op), 0);
	op.u.max_mem.max_memkb = 1024;
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_max_mem, id, &op), 0);
	l4 = give_frame(id);
	for (unsigned int i = 0; i < 3000; i++) {
		uint32_t cmd = cmds[rnd() % ARRAY_SIZE(cmds)];

		for (unsigned int j = 0; j < sizeof(op.u.pad); j++)
			op.u.pad[j] = (uint8_t)rnd();
		if (cmd == XEN_DOMCTL_setvcpucontext || cmd == XEN_DOMCTL_getvcpucontext) {
			op.u.vcpucontext.vcpu = (uint32_t)(rnd() % 3);
			op.u.vcpucontext.ctxt = PV_HC_PTR(&ctxt);
			random_context(l4);
		}
		rc = domctl_on(cmd, id, &op);
		errors += rc != 0;
		hash = (hash ^ (uint64_t)rc ^ ((uint64_t)cmd << 32)) * 0x100000001b3ULL;
		if (rnd() % 8 == 0)
			pv_yield(); /* it may run now, if unpaused and up */
	}
	/*
	 * The hash of the results, to compare runs on two hypervisors by eye (Xen 4.17 and Hospes
	 * gave the same 3000 results when this was written).
	 */
	pv_printf("random domctls on domain %u: 3000 calls, %u refused, results hash %llx\n", id,
		  errors, (unsigned long long)hash);
	PV_CHECK_EQ(domctl_on(XEN_DOMCTL_destroydomain, id, &op), 0);
	PV_CHECK_EQ(getdomaininfo(id, &op.u.getdomaininfo), -XEN_ESRCH);
}

/*
 * Reads the console log from *index (or, not incremental, from its oldest byte) to its end and
 * says whether marker is in it; *index ends where the log ends. clear forgets what was read.
 */
static bool log_has(const char *marker, uint32_t *index, bool incremental, bool clear)
{
	struct xen_sysctl op = {.cmd = XEN_SYSCTL_readconsole};
	struct xen_sysctl_readconsole *rc = &op.u.readconsole;
	size_t keep = 0, total, mlen = strlen(marker);
	bool found = false;

	rc->index = *index;
	rc->incremental = incremental;
	for (unsigned int n = 0; n < 1000; n++) {
		rc->clear = clear;
		rc->buffer = PV_HC_PTR(log_buf + keep);
		rc->count = LOG_CHUNK;
		if (sysctl(&op) != 0 || rc->count == 0)
			break;
		total = keep + rc->count;
		log_buf[total] = '\0';
		found |= strstr(log_buf, marker) != NULL;
		/* Keep a marker's length minus one, in case it straddles two reads. */
		keep = total < mlen - 1 ? total : mlen - 1;
		memmove(log_buf, log_buf + total - keep, keep);
		rc->incremental = 1;
	}
	*index = rc->index;
	return found;
}

static void test_readconsole(void)
{
	struct xen_sysctl op = {.cmd = XEN_SYSCTL_readconsole};
	char a[MARKER_MAX], b[MARKER_MAX];
	uint32_t index = 0, end;

	pv_snprintf(a, sizeof(a), "control-marker-A-%llx", (unsigned long long)pv_rdtsc());
	pv_snprintf(b, sizeof(b), "control-marker-B-%llx", (unsigned long long)pv_rdtsc());
	pv_printf("%s\n", a);
	PV_CHECK(log_has(a, &index, false, false), "the log has the line just printed");
	end = index;
	PV_CHECK(!log_has(a, &index, true, false), "nothing new since");
	PV_CHECK_EQ(index, end);
	pv_printf("%s\n", b);
	PV_CHECK(log_has(b, &index, true, false), "an incremental read finds the next line");
	index = end;
	PV_CHECK(!log_has(a, &index, true, false), "from the index on only");
	/* A small buffer is filled and no more. */
	op.u.readconsole.buffer = PV_HC_PTR(log_buf);
	op.u.readconsole.count = 16;
	PV_CHECK_EQ(sysctl(&op), 0);
	PV_CHECK_EQ(op.u.readconsole.count, 16);
	/* Clear: a later read from the start has neither line. */
	index = 0;
	PV_CHECK(log_has(a, &index, false, true), "read and clear");
	index = 0;
	PV_CHECK(!log_has(a, &index, false, false), "cleared: A is gone");
	index = 0;
	PV_CHECK(!log_has(b, &index, false, false), "cleared: B is gone");
	op.u.readconsole.buffer = HYPERVISOR_VIRT_START; /* not the guest's */
	op.u.readconsole.count = 16;
	pv_printf("control: more log\n");
	PV_CHECK_EQ(sysctl(&op), -XEN_EFAULT);
}

/* initdom=unprivileged (Hospes): every domctl and sysctl is refused, whatever its arguments. */
static void test_unprivileged(void)
{
	static const uint32_t dcmds[] = {XEN_DOMCTL_createdomain,
					 XEN_DOMCTL_destroydomain,
					 XEN_DOMCTL_pausedomain,
					 XEN_DOMCTL_unpausedomain,
					 XEN_DOMCTL_getdomaininfo,
					 XEN_DOMCTL_max_mem,
					 XEN_DOMCTL_setvcpucontext,
					 XEN_DOMCTL_getvcpucontext,
					 XEN_DOMCTL_getvcpuinfo,
					 XEN_DOMCTL_max_vcpus,
					 9999};
	static const uint32_t scmds[] = {XEN_SYSCTL_readconsole, XEN_SYSCTL_physinfo,
					 XEN_SYSCTL_getdomaininfolist, 9999};
	struct xen_domctl d = {0};
	struct xen_sysctl s = {0};
	struct mmu_update req = {0};

	PV_CHECK_EQ(pv_start_info->flags & SIF_PRIVILEGED, 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(dcmds); i++)
		PV_CHECK_EQ(domctl_on(dcmds[i], 0, &d), -XEN_EPERM);
	for (unsigned int i = 0; i < ARRAY_SIZE(scmds); i++) {
		s.cmd = scmds[i];
		PV_CHECK_EQ(sysctl(&s), -XEN_EPERM);
	}
	d.cmd = XEN_DOMCTL_getdomaininfo;
	d.interface_version = 0; /* refused for privilege before the version is looked at */
	PV_CHECK_EQ(pv_hypercall(__HYPERVISOR_domctl, PV_HC_PTR(&d), 0, 0, 0, 0), -XEN_EPERM);
	PV_CHECK_EQ(pv_hypercall(__HYPERVISOR_sysctl, 1, 0, 0, 0, 0), -XEN_EPERM);
	PV_CHECK_EQ(pv_hypercall(__HYPERVISOR_platform_op, 1, 0, 0, 0, 0), -XEN_EPERM);
	/* Foreign mappings: a domain that does not exist, or one it may not map from (DOMID_IO). */
	req.ptr = pv_l1e_maddr(foreign_window) | MMU_NORMAL_PT_UPDATE;
	PV_CHECK_EQ(HYPERVISOR_mmu_update(&req, 1, NULL, 0x7fe0), -XEN_ESRCH);
	PV_CHECK_EQ(HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_IO), -XEN_EPERM);
	PV_CHECK_EQ(pv_hypercall(__HYPERVISOR_update_va_mapping_otherdomain,
				 (uintptr_t)foreign_window, 0, 0, 0x7fe0, 0),
		    -XEN_ESRCH);
}

void test_main(void)
{
	domid_t id;

	if (pv_cmdline_has("expect=eperm")) {
		test_unprivileged();
		return;
	}
	if (!(pv_start_info->flags & SIF_PRIVILEGED)) {
		pv_test_skip("not a privileged domain");
		return;
	}
	pv_printf("- physinfo\n");
	test_physinfo();
	pv_printf("- platform_op\n");
	test_platform();
	pv_printf("- getdomaininfolist, getdomaininfo\n");
	test_domain_list(0);
	test_getdomaininfo_self();
	test_bad_calls();
	pv_printf("- createdomain, max_vcpus, max_mem, pause\n");
	id = test_create();
	test_domain_list(id);
	test_max_mem_and_pause(id);
	pv_printf("- setvcpucontext, getvcpucontext\n");
	test_vcpu_context(id);
	pv_printf("- unpause: it runs and crashes\n");
	test_run_and_crash(id);
	pv_printf("- foreign mappings of its frames\n");
	test_foreign_map(id);
	pv_printf("- destroydomain\n");
	test_destroy(id);
	pv_printf("- a grant of a domain destroyed while mapped\n");
	test_dying_granter();
	test_domain_list(0);
	pv_printf("- random domctls on a new domain\n");
	test_random_ops();
	test_domain_list(0);
	pv_printf("- readconsole\n");
	test_readconsole();
}
