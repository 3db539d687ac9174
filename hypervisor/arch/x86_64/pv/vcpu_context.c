/* SPDX-License-Identifier: GPL-2.0-only */
/* VCPUOP_initialise for 64-bit PV: a vcpu_guest_context checked and loaded into a new vCPU. */
#include <asm/desc.h>
#include <asm/layout.h>
#include <asm/processor.h>
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

/* Registers, mode, callbacks, bases and virtual IDT from c (not the page tables). */
static void load_context(struct arch_vcpu *a, const struct vcpu_guest_context *c)
{
	bool kernel = c->flags & VGCF_in_kernel;

	load_regs(&a->regs, &c->user_regs, kernel);
	a->kernel_mode = kernel;
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
	a->guest_table_user = ul4;
	load_context(a, c);
	__atomic_store_n(&a->guest_table, l4, __ATOMIC_SEQ_CST); /* last: marks it initialised */
	return 0;
}

/*
 * A vCPU that has a context already keeps its page tables, GDT and LDT (as on Xen: a change
 * of those is -EOPNOTSUPP); the rest is replaced.
 */
int pv_vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
	struct arch_vcpu *a = &v->arch;
	bool same = c->ctrlreg[3] == a->guest_table && c->ctrlreg[1] == a->guest_table_user &&
		    c->gdt_ents == a->gdt_ents && c->ldt_ents == a->ldt_ents &&
		    (!c->ldt_ents || c->ldt_base == a->ldt_base);

	if (!a->guest_table)
		return pv_vcpu_initialise(v, c);
	for (unsigned int i = 0; same && i < (a->gdt_ents + 511) / 512; i++)
		same = c->gdt_frames[i] == a->gdt_frames[i];
	if (!same)
		return -EOPNOTSUPP;
	if (!context_addresses_ok(c) || (!(c->flags & VGCF_in_kernel) && !a->guest_table_user))
		return -EINVAL;
	if ((c->flags & VGCF_i387_valid) && !pv_fpu_image_ok(c->fpu_ctxt))
		return -EINVAL;
	if (!(c->flags & VGCF_in_kernel) &&
	    ((c->user_regs.cs & 3) != 3 || (c->user_regs.ss & 3) != 3))
		return -EINVAL;
	load_context(a, c);
	return 0;
}

static void save_regs(struct cpu_user_regs *r, const struct cpu_regs *src, uint64_t iopl)
{
	r->r15 = src->r15;
	r->r14 = src->r14;
	r->r13 = src->r13;
	r->r12 = src->r12;
	r->rbp = src->rbp;
	r->rbx = src->rbx;
	r->r11 = src->r11;
	r->r10 = src->r10;
	r->r9 = src->r9;
	r->r8 = src->r8;
	r->rax = src->rax;
	r->rcx = src->rcx;
	r->rdx = src->rdx;
	r->rsi = src->rsi;
	r->rdi = src->rdi;
	r->rip = src->rip;
	r->cs = (uint16_t)src->cs;
	r->rflags = src->rflags | (iopl << 12);
	r->rsp = src->rsp;
	r->ss = (uint16_t)src->ss;
}

void pv_vcpu_get_context(const struct vcpu *v, struct vcpu_guest_context *c)
{
	const struct arch_vcpu *a = &v->arch;

	memset(c, 0, sizeof(*c));
	if (a->fpu_valid)
		memcpy(c->fpu_ctxt, a->fpu, sizeof(c->fpu_ctxt));
	c->flags = (a->fpu_valid ? VGCF_i387_valid : 0) | (a->kernel_mode ? VGCF_in_kernel : 0) |
		   (a->syscall_masks_events ? VGCF_syscall_disables_events : 0) |
		   (v->state == VCPU_RUNNABLE || v->state == VCPU_BLOCKED ? VGCF_online : 0);
	save_regs(&c->user_regs, &a->regs, a->iopl);
	for (unsigned int i = 0; i < 256; i++)
		c->trap_ctxt[i] = (struct trap_info){.vector = (uint8_t)i,
						     .flags = a->traps[i].flags,
						     .cs = a->traps[i].address ? FLAT_KERNEL_CS : 0,
						     .address = a->traps[i].address};
	c->ldt_base = a->ldt_ents ? a->ldt_base : 0;
	c->ldt_ents = a->ldt_ents;
	for (unsigned int i = 0; i < ARRAY_SIZE(a->gdt_frames); i++)
		c->gdt_frames[i] = a->gdt_frames[i];
	c->gdt_ents = a->gdt_ents;
	c->kernel_ss = a->kernel_ss;
	c->kernel_sp = a->kernel_sp;
	c->ctrlreg[0] = (read_cr0() & ~CR0_TS) | (a->fpu_ts ? CR0_TS : 0);
	c->ctrlreg[1] = a->guest_table_user;
	c->ctrlreg[3] = a->guest_table;
	c->ctrlreg[4] = a->cr4_guest;
	for (unsigned int i = 0; i < 8; i++)
		c->debugreg[i] = a->debugreg[i];
	c->event_callback_eip = a->event_callback;
	c->failsafe_callback_eip = a->failsafe_callback;
	c->syscall_callback_eip = a->syscall_callback;
	c->vm_assist = v->domain->vm_assist;
	c->fs_base = a->fs_base;
	c->gs_base_kernel = a->gs_base_kernel;
	c->gs_base_user = a->gs_base_user;
}
