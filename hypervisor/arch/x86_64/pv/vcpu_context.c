/* SPDX-License-Identifier: GPL-2.0-only */
/* VCPUOP_initialise for 64-bit PV: a vcpu_guest_context checked and loaded into a new vCPU. */
#include <asm/desc.h>
#include <asm/layout.h>
#include <asm/pv.h>
#include <hospes/domain.h>
#include <hospes/errno.h>
#include <hospes/guest_access.h>
#include <hospes/lib.h>
#include <hospes/mm.h>
#include <hospes/pvmm.h>
#include <hospes/vcpu_op.h>

#define GUEST_EFLAGS_MASK 0x00000dd5ul /* CF PF AF ZF SF TF DF OF: as do_iret allows */
#define EFLAGS_IF	  (1ul << 9)
#define EFLAGS_MBS	  (1ul << 1)
#define MAX_GDT_ENTS	  (16 * 512) /* 16 frames of descriptors */
#define MAX_LDT_ENTS	  8192

/* The machine address of an L4 the domain owns, from a cr3-format value; 0 if not one. */
static paddr_t owned_l4(const struct domain *d, uint64_t cr3)
{
	uint64_t mfn = cr3 >> PAGE_SHIFT;
	struct frame_info *f = mfn < (1ULL << 40) ? pfn_to_frame((pfn_t)mfn) : NULL;

	if (!f || f->state != FRAME_GUEST || f->owner != d->domid)
		return 0; /* the L4 type is taken (validated) once everything else is checked */
	return mfn << PAGE_SHIFT;
}

/* Addresses the guest gives for code, stacks and bases: canonical, outside the hypervisor. */
static bool addr_ok(uint64_t va)
{
	return va == 0 || guest_range_ok(va, 1);
}

static bool context_addresses_ok(const struct vcpu_guest_context *c)
{
	const struct cpu_user_regs *r = &c->user_regs;

	if (!addr_ok(r->rip) || !addr_ok(r->rsp) || !addr_ok(c->kernel_sp) ||
	    !addr_ok(c->event_callback_eip) || !addr_ok(c->failsafe_callback_eip) ||
	    !addr_ok(c->syscall_callback_eip) || !addr_ok(c->fs_base) ||
	    !addr_ok(c->gs_base_kernel) || !addr_ok(c->gs_base_user))
		return false;
	for (unsigned int i = 0; i < 256; i++)
		if (!addr_ok(c->trap_ctxt[i].address))
			return false;
	return c->gdt_ents <= MAX_GDT_ENTS && c->ldt_ents <= MAX_LDT_ENTS;
}

static void load_regs(struct cpu_regs *dst, const struct cpu_user_regs *r, bool kernel)
{
	memset(dst, 0, sizeof(*dst));
	dst->r15 = r->r15;
	dst->r14 = r->r14;
	dst->r13 = r->r13;
	dst->r12 = r->r12;
	dst->rbp = r->rbp;
	dst->rbx = r->rbx;
	dst->r11 = r->r11;
	dst->r10 = r->r10;
	dst->r9 = r->r9;
	dst->r8 = r->r8;
	dst->rax = r->rax;
	dst->rcx = r->rcx;
	dst->rdx = r->rdx;
	dst->rsi = r->rsi;
	dst->rdi = r->rdi;
	dst->rip = r->rip;
	dst->rsp = r->rsp;
	dst->rflags = (r->rflags & GUEST_EFLAGS_MASK) | EFLAGS_IF | EFLAGS_MBS;
	dst->cs = kernel ? GUEST_CS64 : (r->cs | 3u);
	dst->ss = kernel ? GUEST_DS : (r->ss | 3u);
}

/*
 * The guest's own GDT and LDT frames (gdt_frames, ldt_base) are checked for size only: they
 * take effect once set_gdt exists; the flat ring-3 selectors work without them.
 */
int pv_vcpu_initialise(struct vcpu *v, const struct vcpu_guest_context *c)
{
	struct arch_vcpu *a = &v->arch;
	bool kernel = c->flags & VGCF_in_kernel;
	paddr_t l4 = owned_l4(v->domain, c->ctrlreg[3]), ul4 = 0;

	if (!l4 || !context_addresses_ok(c))
		return -EINVAL;
	if ((c->flags & VGCF_i387_valid) && !pv_fpu_image_ok(c->fpu_ctxt))
		return -EINVAL;
	if (c->ctrlreg[1] && !(ul4 = owned_l4(v->domain, c->ctrlreg[1])))
		return -EINVAL;
	if (!kernel && !ul4)
		return -EINVAL; /* user mode needs a user page table */
	if (!kernel && ((c->user_regs.cs & 3) != 3 || (c->user_regs.ss & 3) != 3))
		return -EINVAL;
	if (pv_get_l4_refs(v->domain, l4, ul4))
		return -EINVAL;
	load_regs(&a->regs, &c->user_regs, kernel);
	a->kernel_mode = kernel;
	a->guest_table_user = ul4;
	a->kernel_ss = c->kernel_ss;
	a->kernel_sp = c->kernel_sp;
	a->event_callback = c->event_callback_eip;
	a->failsafe_callback = c->failsafe_callback_eip;
	a->syscall_callback = c->syscall_callback_eip;
	a->syscall_masks_events = c->flags & VGCF_syscall_disables_events;
	a->fs_base = c->fs_base;
	a->gs_base_kernel = c->gs_base_kernel;
	a->gs_base_user = c->gs_base_user;
	for (unsigned int i = 0; i < 256; i++)
		a->traps[i] =
			(struct pv_trap_entry){c->trap_ctxt[i].address, c->trap_ctxt[i].flags};
	a->fpu_ts = false;
	a->fpu_valid = (c->flags & VGCF_i387_valid) != 0;
	if (a->fpu_valid)
		memcpy(a->fpu, c->fpu_ctxt, sizeof(a->fpu));
	a->iopl = (c->user_regs.rflags >> 12) & 3; /* virtual IOPL, as Xen takes it (Linux: 1) */
	__atomic_store_n(&a->guest_table, l4, __ATOMIC_SEQ_CST); /* last: marks it initialised */
	return 0;
}
