/* SPDX-License-Identifier: GPL-2.0-only */
/* Writable page tables: a guest kernel's store to one of its read-only L1 pages, emulated. */
#include <asm/cpu.h>
#include <asm/paging.h>
#include <hospes/domain.h>
#include <hospes/errno.h>
#include <hospes/guest_access.h>
#include <hospes/lib.h>
#include <hospes/mm.h>
#include <hospes/pagetype.h>
#include <hospes/pte_insn.h>
#include <hospes/pvmm.h>
#include <public/xen.h>

#define PF_PRESENT (1ULL << 0)
#define PF_WRITE   (1ULL << 1)
#define PF_RSVD	   (1ULL << 3)
#define PF_FETCH   (1ULL << 4)
/* The L1 table behind a read-only mapping at va, if va's page is a validated L1 of d. */
static uint64_t ptwr_target(struct vcpu *v, uint64_t va)
{
	uint64_t l1 = pv_l1_table_of(v->arch.guest_table, va), pte, mfn;
	const struct frame_info *f;

	if (!l1)
		return 0;
	pte = ((const uint64_t *)__va(l1 << PAGE_SHIFT))[(va >> PAGE_SHIFT) & 511];
	if (!(pte & PTE_P) || (pte & PTE_W))
		return 0;
	mfn = (pte & PTE_ADDR) >> PAGE_SHIFT;
	f = pfn_to_frame(mfn);
	if (!f || f->state != FRAME_GUEST || f->owner != v->domain->domid ||
	    page_type_of(f) != PGT_L1)
		return 0;
	return mfn;
}

static void regs_out(const struct cpu_regs *r, struct pte_insn_regs *o)
{
	const uint64_t g[16] = {r->rax, r->rcx, r->rdx, r->rbx, r->rsp, r->rbp, r->rsi, r->rdi,
				r->r8,	r->r9,	r->r10, r->r11, r->r12, r->r13, r->r14, r->r15};

	memcpy(o->gpr, g, sizeof(g));
	o->rflags = r->rflags;
}

static void regs_in(struct cpu_regs *r, const struct pte_insn_regs *o)
{
	uint64_t *const g[16] = {&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
				 &r->rsi, &r->rdi, &r->r8,  &r->r9,  &r->r10, &r->r11,
				 &r->r12, &r->r13, &r->r14, &r->r15};

	for (unsigned int i = 0; i < 16; i++)
		*g[i] = o->gpr[i];
	r->rflags = o->rflags;
}

static bool ptwr_apply(struct vcpu *v, struct cpu_regs *regs, uint64_t cr2,
		       const struct pte_insn *in)
{
	struct pt_dom pd = pv_pt_dom(v->domain);
	struct pte_insn_regs out;
	unsigned int off = (unsigned int)(cr2 & 7);
	uint64_t mfn, old, cur, val, newpte;
	uint64_t m = in->width == 8 ? ~0ULL : (1ULL << (in->width * 8)) - 1;
	bool ok = false;

	regs_out(regs, &out);
	pv_mm_lock_acquire();
	mfn = ptwr_target(v, cr2);
	if (mfn) {
		old = ((const uint64_t *)__va(mfn << PAGE_SHIFT))[(cr2 & 0xfff) >> 3];
		cur = (old >> (off * 8)) & m;
		ok = true;
		if (pte_insn_execute(&out, in, cur, &val)) {
			newpte = (old & ~(m << (off * 8))) | ((val & m) << (off * 8));
			ok = !page_mod_entry(pv_pt_env(), &pd, mfn, 1,
					     (unsigned int)((cr2 & 0xfff) >> 3), newpte, false);
		}
	}
	pv_mm_lock_release();
	if (!ok)
		return false; /* the guest gets its #PF */
	regs_in(regs, &out);
	regs->rip += in->len;
	return true;
}

bool pv_ptwr_fault(struct vcpu *v, struct cpu_regs *regs, uint64_t cr2)
{
	uint64_t err = regs->error_code;
	uint8_t bytes[PTE_INSN_MAX];
	unsigned int avail = PTE_INSN_MAX;
	struct pte_insn in;

	if (!(v->domain->vm_assist & (1ULL << VMASST_TYPE_writable_pagetables)) ||
	    !v->arch.kernel_mode ||
	    (err & (PF_PRESENT | PF_WRITE | PF_RSVD | PF_FETCH)) != (PF_PRESENT | PF_WRITE))
		return false;
	if (!guest_range_ok(cr2, 1))
		return false;
	while (avail && copy_from_guest(bytes, regs->rip, avail))
		avail--; /* an instruction at the end of a mapped range */
	memset(&in, 0, sizeof(in));
	if (!avail || pte_insn_decode(bytes, avail, &in))
		return false;
	if ((cr2 & 7) + in.width > 8 || (cr2 & (in.width - 1)))
		return false; /* naturally aligned, inside one entry */
	return ptwr_apply(v, regs, cr2, &in);
}
