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
#include <hospes/pvmm.h>
#include <public/xen.h>

#define PF_PRESENT (1ULL << 0)
#define PF_WRITE   (1ULL << 1)
#define PF_RSVD	   (1ULL << 3)
#define PF_FETCH   (1ULL << 4)
#define FL_CF	   (1ULL << 0)
#define FL_PF	   (1ULL << 2)
#define FL_AF	   (1ULL << 4)
#define FL_ZF	   (1ULL << 6)
#define FL_SF	   (1ULL << 7)
#define FL_OF	   (1ULL << 11)
#define FL_ARITH   (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)
#define INSN_MAX   15

enum ptwr_op {
	OP_MOV,
	OP_XCHG,
	OP_CMPXCHG,
	OP_AND,
	OP_OR,
	OP_BTS,
	OP_BTR,
	OP_BTC
};

/* One decoded store: what it does, its width, its source, and where the result register is. */
struct ptwr_insn {
	enum ptwr_op op;
	unsigned int width; /* bytes: 1, 2, 4, 8 */
	unsigned int len;   /* instruction length */
	bool src_is_reg;
	unsigned int reg; /* ModRM.reg (+REX.R): source and/or destination register */
	bool rex;
	uint64_t imm;
};

static uint64_t *gpr(struct cpu_regs *r, unsigned int n)
{
	uint64_t *const map[16] = {&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
				   &r->rsi, &r->rdi, &r->r8,  &r->r9,  &r->r10, &r->r11,
				   &r->r12, &r->r13, &r->r14, &r->r15};

	return map[n & 15];
}

static uint64_t mask_of(unsigned int width)
{
	return width == 8 ? ~0ULL : (1ULL << (width * 8)) - 1;
}

static uint64_t reg_read(struct cpu_regs *r, const struct ptwr_insn *in, unsigned int n)
{
	if (in->width == 1 && !in->rex && n >= 4 && n < 8)
		return (*gpr(r, n - 4) >> 8) & 0xff; /* AH, CH, DH, BH */
	return *gpr(r, n) & mask_of(in->width);
}

static void reg_write(struct cpu_regs *r, const struct ptwr_insn *in, unsigned int n, uint64_t v)
{
	uint64_t *p;

	if (in->width == 1 && !in->rex && n >= 4 && n < 8) {
		p = gpr(r, n - 4);
		*p = (*p & ~0xff00ULL) | ((v & 0xff) << 8);
		return;
	}
	p = gpr(r, n);
	if (in->width == 4)
		*p = v & 0xffffffffULL; /* 32-bit results zero-extend */
	else
		*p = (*p & ~mask_of(in->width)) | (v & mask_of(in->width));
}

/* Bytes of the ModRM operand (ModRM, SIB, displacement); 0 for a register operand. */
static unsigned int modrm_len(const uint8_t *p)
{
	unsigned int mod = p[0] >> 6, rm = p[0] & 7, n = 1;

	if (mod == 3)
		return 0;
	if (rm == 4) {
		n++;
		if (mod == 0 && (p[1] & 7) == 5)
			n += 4;
	}
	if (mod == 0 && rm == 5)
		n += 4; /* RIP-relative */
	return n + (mod == 1 ? 1 : mod == 2 ? 4 : 0);
}

static int decode_group(struct ptwr_insn *in, uint8_t opc, unsigned int sub)
{
	if (opc == 0xc6 || opc == 0xc7)
		return sub == 0 ? (in->op = OP_MOV, 0) : -EINVAL;
	if (opc == 0x80 || opc == 0x81 || opc == 0x83) {
		if (sub == 1)
			in->op = OP_OR;
		else if (sub == 4)
			in->op = OP_AND;
		else
			return -EINVAL;
		return 0;
	}
	if (sub < 5)
		return -EINVAL; /* 0f ba: only bts, btr, btc */
	in->op = sub == 5 ? OP_BTS : sub == 6 ? OP_BTR : OP_BTC;
	return 0;
}

/* The operation of a one-byte or 0f-prefixed opcode, and its immediate size. */
static int decode_opcode(struct ptwr_insn *in, bool two, uint8_t opc, unsigned int *imm)
{
	static const struct {
		bool two;
		uint8_t opc;
		int8_t op; /* -1: a group, by ModRM.reg */
		bool byte;
		unsigned int imm; /* 0, 1, or 4 (2 with 0x66) */
	} table[] = {
		{false, 0x88, OP_MOV, true, 0},	    {false, 0x89, OP_MOV, false, 0},
		{false, 0xc6, -1, true, 1},	    {false, 0xc7, -1, false, 4},
		{false, 0x86, OP_XCHG, true, 0},    {false, 0x87, OP_XCHG, false, 0},
		{false, 0x20, OP_AND, true, 0},	    {false, 0x21, OP_AND, false, 0},
		{false, 0x08, OP_OR, true, 0},	    {false, 0x09, OP_OR, false, 0},
		{false, 0x80, -1, true, 1},	    {false, 0x81, -1, false, 4},
		{false, 0x83, -1, false, 1},	    {true, 0xb0, OP_CMPXCHG, true, 0},
		{true, 0xb1, OP_CMPXCHG, false, 0}, {true, 0xab, OP_BTS, false, 0},
		{true, 0xb3, OP_BTR, false, 0},	    {true, 0xbb, OP_BTC, false, 0},
		{true, 0xba, -1, false, 1},
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(table); i++) {
		if (table[i].two != two || table[i].opc != opc)
			continue;
		if (table[i].byte)
			in->width = 1;
		in->op = (enum ptwr_op)(table[i].op < 0 ? 0 : table[i].op);
		in->src_is_reg = !table[i].imm;
		*imm = table[i].imm == 4 && in->width == 2 ? 2 : table[i].imm;
		return table[i].op < 0 ? 1 : 0;
	}
	return -EINVAL;
}

static int ptwr_decode(const uint8_t *b, unsigned int avail, struct ptwr_insn *in)
{
	unsigned int i = 0, imm, mlen, rex = 0;
	bool two = false;
	int group;

	in->width = 4;
	for (; i < avail && (b[i] == 0xf0 || b[i] == 0x66 || b[i] == 0x2e || b[i] == 0x3e ||
			     b[i] == 0x26 || b[i] == 0x36);
	     i++)
		if (b[i] == 0x66)
			in->width = 2;
	if (i < avail && (b[i] & 0xf0) == 0x40)
		rex = b[i++];
	if (i < avail && b[i] == 0x0f) {
		two = true;
		i++;
	}
	if (i + 2 > avail)
		return -EINVAL;
	in->rex = rex != 0;
	if (rex & 8)
		in->width = 8;
	group = decode_opcode(in, two, b[i++], &imm);
	if (group < 0)
		return -EINVAL;
	in->reg = ((b[i] >> 3) & 7) | ((rex & 4) ? 8 : 0);
	if (group && decode_group(in, b[i - 1], (b[i] >> 3) & 7))
		return -EINVAL;
	mlen = modrm_len(&b[i]);
	if (!mlen || i + mlen + imm > avail)
		return -EINVAL; /* a register operand never faults on a page table */
	i += mlen;
	in->imm = 0;
	memcpy(&in->imm, &b[i], imm);
	if (imm == 1 || imm == 4) /* sign-extended */
		in->imm = imm == 1 ? (uint64_t)(int64_t)(int8_t)in->imm
				   : (uint64_t)(int64_t)(int32_t)in->imm;
	if (group && (in->op >= OP_BTS))
		in->imm &= 0xff;
	in->len = i + imm;
	return 0;
}

static uint64_t parity_flags(uint64_t v, unsigned int width)
{
	uint64_t f = 0;

	if (!(v & mask_of(width)))
		f |= FL_ZF;
	if (v & (1ULL << (width * 8 - 1)))
		f |= FL_SF;
	if (!(__builtin_popcount((unsigned int)(v & 0xff)) & 1))
		f |= FL_PF;
	return f;
}

/* Computes the new operand value, register and flag results; false: nothing to write. */
static bool ptwr_execute(struct cpu_regs *r, const struct ptwr_insn *in, uint64_t cur,
			 uint64_t *val)
{
	uint64_t src = in->src_is_reg ? reg_read(r, in, in->reg) : in->imm & mask_of(in->width);
	uint64_t m = mask_of(in->width), bit, diff;

	switch (in->op) {
	case OP_MOV:
		*val = src;
		return true;
	case OP_XCHG:
		*val = src;
		reg_write(r, in, in->reg, cur);
		return true;
	case OP_CMPXCHG:
		diff = (reg_read(r, in, 0) - cur) & m;
		r->rflags = (r->rflags & ~FL_ARITH) | parity_flags(diff, in->width) |
			    ((reg_read(r, in, 0) < cur) ? FL_CF : 0);
		if (diff) {
			reg_write(r, in, 0, cur);
			return false;
		}
		*val = src;
		return true;
	case OP_AND:
	case OP_OR:
		*val = (in->op == OP_AND ? cur & src : cur | src) & m;
		r->rflags = (r->rflags & ~FL_ARITH) | parity_flags(*val, in->width);
		return true;
	default: /* BTS, BTR, BTC */
		bit = 1ULL << (src & (in->width * 8 - 1));
		r->rflags = (r->rflags & ~FL_CF) | ((cur & bit) ? FL_CF : 0);
		*val = in->op == OP_BTS ? cur | bit : in->op == OP_BTR ? cur & ~bit : cur ^ bit;
		return true;
	}
}

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

static bool ptwr_apply(struct vcpu *v, struct cpu_regs *regs, uint64_t cr2,
		       const struct ptwr_insn *in)
{
	struct pt_dom pd = pv_pt_dom(v->domain);
	struct cpu_regs out = *regs;
	unsigned int off = (unsigned int)(cr2 & 7);
	uint64_t mfn, old, cur, val, m = mask_of(in->width), newpte;
	bool ok = false;

	pv_mm_lock_acquire();
	mfn = ptwr_target(v, cr2);
	if (mfn) {
		old = ((const uint64_t *)__va(mfn << PAGE_SHIFT))[(cr2 & 0xfff) >> 3];
		cur = (old >> (off * 8)) & m;
		ok = true;
		if (ptwr_execute(&out, in, cur, &val)) {
			newpte = (old & ~(m << (off * 8))) | ((val & m) << (off * 8));
			ok = !page_mod_entry(pv_pt_env(), &pd, mfn, 1,
					     (unsigned int)((cr2 & 0xfff) >> 3), newpte, false);
		}
	}
	pv_mm_lock_release();
	if (!ok)
		return false; /* the guest gets its #PF */
	out.rip += in->len;
	*regs = out;
	return true;
}

bool pv_ptwr_fault(struct vcpu *v, struct cpu_regs *regs, uint64_t cr2)
{
	uint64_t err = regs->error_code;
	uint8_t bytes[INSN_MAX];
	unsigned int avail = INSN_MAX;
	struct ptwr_insn in;

	if (!(v->domain->vm_assist & (1ULL << VMASST_TYPE_writable_pagetables)) ||
	    !v->arch.kernel_mode ||
	    (err & (PF_PRESENT | PF_WRITE | PF_RSVD | PF_FETCH)) != (PF_PRESENT | PF_WRITE))
		return false;
	if (!guest_range_ok(cr2, 1))
		return false;
	while (avail && copy_from_guest(bytes, regs->rip, avail))
		avail--; /* an instruction at the end of a mapped range */
	memset(&in, 0, sizeof(in));
	if (!avail || ptwr_decode(bytes, avail, &in))
		return false;
	if ((cr2 & 7) + in.width > 8 || (cr2 & (in.width - 1)))
		return false; /* naturally aligned, inside one entry */
	return ptwr_apply(v, regs, cr2, &in);
}
