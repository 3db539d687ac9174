/* SPDX-License-Identifier: GPL-2.0-only */
/* The pure rules of domctl/sysctl: argument checks, domid choice, domain flags, console index. */
#include <hospes/domctl.h>
#include <hospes/errno.h>
#include <public/xen.h>

#define PV_MAX_GDT_ENTS (FIRST_RESERVED_GDT_PAGE * 512)
#define PV_MAX_LDT_ENTS 8192
#define KNOWN_CDF                                                                   \
	(XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap | XEN_DOMCTL_CDF_s3_integrity |    \
	 XEN_DOMCTL_CDF_oos_off | XEN_DOMCTL_CDF_xs_domain | XEN_DOMCTL_CDF_iommu | \
	 XEN_DOMCTL_CDF_nested_virt | XEN_DOMCTL_CDF_vpmu)
#define UNSUPPORTED_CDF                                                          \
	(XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap | XEN_DOMCTL_CDF_s3_integrity | \
	 XEN_DOMCTL_CDF_iommu | XEN_DOMCTL_CDF_nested_virt | XEN_DOMCTL_CDF_vpmu)
#define SEL_TI	4u /* selector: LDT rather than GDT */
#define SEL_RPL 3u

int domctl_createdomain_check(const struct xen_domctl_createdomain *c, unsigned int max_vcpus)
{
	unsigned int gnt_version = XEN_DOMCTL_GRANT_version(c->grant_opts);

	if ((c->flags & ~KNOWN_CDF) || (c->flags & UNSUPPORTED_CDF))
		return -EINVAL; /* unknown, HVM-only, or a feature Hospes does not have */
	if (c->grant_opts & ~XEN_DOMCTL_GRANT_version_mask)
		return -EINVAL;
	if (c->max_vcpus < 1 || c->max_vcpus > max_vcpus)
		return -EINVAL;
	if (c->iommu_opts || c->vmtrace_size || c->cpupool_id)
		return -EINVAL; /* no IOMMU, no processor trace, one CPU pool */
	if (c->arch.emulation_flags & ~XEN_X86_EMU_PIT)
		return -EINVAL;
	if (c->arch.misc_flags & ~XEN_X86_MSR_RELAXED)
		return -EINVAL;
	if (gnt_version != 1)
		return -EINVAL; /* grant tables v1 only */
	if (c->max_grant_frames >= 0 &&
	    (c->max_grant_frames < 1 || c->max_grant_frames > DOMCTL_DEFAULT_GRANT_FRAMES))
		return -EINVAL;
	if (c->max_maptrack_frames > DOMCTL_DEFAULT_MAPTRACK)
		return -EINVAL;
	return 0;
}

int domctl_pick_domid(domid_t requested, domid_t *rover, bool (*in_use)(domid_t id, void *arg),
		      void *arg, domid_t *out)
{
	domid_t id = *rover;

	if (requested > 0 && requested < DOMID_FIRST_RESERVED) {
		if (in_use(requested, arg))
			return -EEXIST;
		*out = requested;
		return 0;
	}
	for (unsigned int n = 0; n < DOMID_FIRST_RESERVED - 1; n++) {
		id = (domid_t)(id + 1u >= DOMID_FIRST_RESERVED ? 1u : id + 1u);
		if (!in_use(id, arg)) {
			*rover = id;
			*out = id;
			return 0;
		}
	}
	return -ENOMEM;
}

int domctl_pause_inc(unsigned int *count)
{
	if (*count >= DOMCTL_MAX_CONTROLLER_PAUSES)
		return -EOVERFLOW;
	(*count)++;
	return 0;
}

int domctl_pause_dec(unsigned int *count)
{
	if (*count == 0)
		return -EINVAL;
	(*count)--;
	return 0;
}

uint32_t domctl_dominf_flags(const struct dominf_state *s)
{
	uint32_t flags = 0;

	if (s->nr_online && s->nr_blocked == s->nr_online)
		flags |= XEN_DOMINF_blocked;
	if (s->nr_online && s->nr_running)
		flags |= XEN_DOMINF_running;
	if (s->dying)
		flags |= XEN_DOMINF_dying;
	/* As Xen 4.17: without a shutdown code, its ~0 fills every bit from the reason up. */
	if (s->shutdown)
		flags |= XEN_DOMINF_shutdown | (uint32_t)s->shutdown_reason
						       << XEN_DOMINF_shutdownshift;
	else
		flags |= ~0u << XEN_DOMINF_shutdownshift;
	if (s->controller_pauses)
		flags |= XEN_DOMINF_paused;
	return flags;
}

/* Canonical and below the hypervisor's range or above it (as guest_range_ok). */
static bool guest_va_ok(uint64_t va)
{
	bool canonical = (uint64_t)((int64_t)(va << 16) >> 16) == va;

	return canonical && (va < HYPERVISOR_VIRT_START || va >= HYPERVISOR_VIRT_END);
}

static bool context_addresses_ok(const struct vcpu_guest_context *c)
{
	const uint64_t va[] = {c->user_regs.rip,
			       c->user_regs.rsp,
			       c->kernel_sp,
			       c->fs_base,
			       c->gs_base_kernel,
			       c->gs_base_user,
			       c->event_callback_eip,
			       c->failsafe_callback_eip,
			       c->syscall_callback_eip,
			       c->ldt_ents ? c->ldt_base : 0};

	for (unsigned int i = 0; i < ARRAY_SIZE(va); i++)
		if (!guest_va_ok(va[i]))
			return false;
	for (unsigned int i = 0; i < ARRAY_SIZE(c->trap_ctxt); i++)
		if (!guest_va_ok(c->trap_ctxt[i].address))
			return false;
	return true;
}

static uint16_t rpl3(uint16_t sel)
{
	return (uint16_t)(sel | SEL_RPL);
}

/* A selector into the guest's own GDT (below the hypervisor's entries) or LDT. */
static bool guest_table_sel(const struct vcpu_guest_context *c, uint16_t sel)
{
	unsigned int idx = sel >> 3;

	if (sel & SEL_TI)
		return idx < c->ldt_ents;
	return idx != 0 && idx < c->gdt_ents;
}

static bool code_sel_ok(const struct vcpu_guest_context *c, uint16_t sel, bool flat_only)
{
	if (sel == FLAT_RING3_CS64 || sel == FLAT_RING3_CS32)
		return true;
	return !flat_only && guest_table_sel(c, sel);
}

static bool stack_sel_ok(const struct vcpu_guest_context *c, uint16_t sel, bool flat_only)
{
	if (sel == FLAT_RING3_SS64)
		return true;
	return !flat_only && guest_table_sel(c, sel);
}

static bool context_selectors_ok(struct vcpu_guest_context *c)
{
	struct cpu_user_regs *r = &c->user_regs;
	bool user = !(c->flags & VGCF_in_kernel);

	if (c->kernel_ss > 0xffff)
		return false;
	r->cs = rpl3(r->cs);
	r->ss = rpl3(r->ss);
	c->kernel_ss = rpl3((uint16_t)c->kernel_ss);
	for (unsigned int i = 0; i < ARRAY_SIZE(c->trap_ctxt); i++)
		c->trap_ctxt[i].cs = rpl3(c->trap_ctxt[i].cs);
	if (!stack_sel_ok(c, (uint16_t)c->kernel_ss, false))
		return false;
	/* DS, ES, FS and GS are not loaded from a context (Xen loads them with a fix-up). */
	return code_sel_ok(c, r->cs, user) && stack_sel_ok(c, r->ss, user);
}

int domctl_vcpu_context_check(struct vcpu_guest_context *c, unsigned int vcpu_id,
			      uint64_t known_vm_assist)
{
	if (!context_addresses_ok(c))
		return -EINVAL;
	if ((c->ldt_base & 4095) || c->ldt_ents > PV_MAX_LDT_ENTS || c->gdt_ents > PV_MAX_GDT_ENTS)
		return -EINVAL;
	if (!context_selectors_ok(c))
		return -EINVAL;
	if (!(c->flags & VGCF_in_kernel) && !c->ctrlreg[1])
		return -EINVAL; /* user mode needs the user page table */
	if (vcpu_id == 0 && (c->vm_assist & ~known_vm_assist))
		return -EINVAL;
	return 0;
}

uint64_t domctl_readconsole_start(uint64_t head, uint64_t size, uint64_t clear, bool incremental,
				  uint32_t index)
{
	uint64_t oldest = head > size ? head - size : 0;
	uint64_t start = clear > oldest ? clear : oldest;
	uint32_t back = (uint32_t)head - index; /* how far before the head index lies */

	if (start > head)
		start = head;
	if (incremental && back < head - start)
		start = head - back;
	return start;
}
