/* SPDX-License-Identifier: GPL-2.0-only */
/* Decoding and executing the stores a PV kernel makes to its page-table entries (ptwr). */
#include <hospes/errno.h>
#include <hospes/lib.h>
#include <hospes/pte_insn.h>

#define FL_CF	 (1ULL << 0)
#define FL_PF	 (1ULL << 2)
#define FL_AF	 (1ULL << 4)
#define FL_ZF	 (1ULL << 6)
#define FL_SF	 (1ULL << 7)
#define FL_OF	 (1ULL << 11)
#define FL_ARITH (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)

static uint64_t *gpr(struct pte_insn_regs *r, unsigned int n)
{
	return &r->gpr[n & 15];
}

static uint64_t mask_of(unsigned int width)
{
	return width == 8 ? ~0ULL : (1ULL << (width * 8)) - 1;
}

static uint64_t reg_read(struct pte_insn_regs *r, const struct pte_insn *in, unsigned int n)
{
	if (in->width == 1 && !in->rex && n >= 4 && n < 8)
		return (*gpr(r, n - 4) >> 8) & 0xff; /* AH, CH, DH, BH */
	return *gpr(r, n) & mask_of(in->width);
}

static void reg_write(struct pte_insn_regs *r, const struct pte_insn *in, unsigned int n,
		      uint64_t v)
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

static int decode_group(struct pte_insn *in, uint8_t opc, unsigned int sub)
{
	if (opc == 0xc6 || opc == 0xc7)
		return sub == 0 ? (in->op = PTE_OP_MOV, 0) : -EINVAL;
	if (opc == 0x80 || opc == 0x81 || opc == 0x83) {
		if (sub == 1)
			in->op = PTE_OP_OR;
		else if (sub == 4)
			in->op = PTE_OP_AND;
		else
			return -EINVAL;
		return 0;
	}
	if (sub < 5)
		return -EINVAL; /* 0f ba: only bts, btr, btc */
	in->op = sub == 5 ? PTE_OP_BTS : sub == 6 ? PTE_OP_BTR : PTE_OP_BTC;
	return 0;
}

/* The operation of a one-byte or 0f-prefixed opcode, and its immediate size. */
static int decode_opcode(struct pte_insn *in, bool two, uint8_t opc, unsigned int *imm)
{
	static const struct {
		bool two;
		uint8_t opc;
		int8_t op; /* -1: a group, by ModRM.reg */
		bool byte;
		unsigned int imm; /* 0, 1, or 4 (2 with 0x66) */
	} table[] = {
		{false, 0x88, PTE_OP_MOV, true, 0},
		{false, 0x89, PTE_OP_MOV, false, 0},
		{false, 0xc6, -1, true, 1},
		{false, 0xc7, -1, false, 4},
		{false, 0x86, PTE_OP_XCHG, true, 0},
		{false, 0x87, PTE_OP_XCHG, false, 0},
		{false, 0x20, PTE_OP_AND, true, 0},
		{false, 0x21, PTE_OP_AND, false, 0},
		{false, 0x08, PTE_OP_OR, true, 0},
		{false, 0x09, PTE_OP_OR, false, 0},
		{false, 0x80, -1, true, 1},
		{false, 0x81, -1, false, 4},
		{false, 0x83, -1, false, 1},
		{true, 0xb0, PTE_OP_CMPXCHG, true, 0},
		{true, 0xb1, PTE_OP_CMPXCHG, false, 0},
		{true, 0xab, PTE_OP_BTS, false, 0},
		{true, 0xb3, PTE_OP_BTR, false, 0},
		{true, 0xbb, PTE_OP_BTC, false, 0},
		{true, 0xba, -1, false, 1},
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(table); i++) {
		if (table[i].two != two || table[i].opc != opc)
			continue;
		if (table[i].byte)
			in->width = 1;
		in->op = (enum pte_insn_op)(table[i].op < 0 ? 0 : table[i].op);
		in->src_is_reg = !table[i].imm;
		*imm = table[i].imm == 4 && in->width == 2 ? 2 : table[i].imm;
		return table[i].op < 0 ? 1 : 0;
	}
	return -EINVAL;
}

int pte_insn_decode(const uint8_t *b, unsigned int avail, struct pte_insn *in)
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
	if (group && (in->op >= PTE_OP_BTS))
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
bool pte_insn_execute(struct pte_insn_regs *r, const struct pte_insn *in, uint64_t cur,
		      uint64_t *val)
{
	uint64_t src = in->src_is_reg ? reg_read(r, in, in->reg) : in->imm & mask_of(in->width);
	uint64_t m = mask_of(in->width), bit, diff;

	switch (in->op) {
	case PTE_OP_MOV:
		*val = src;
		return true;
	case PTE_OP_XCHG:
		*val = src;
		reg_write(r, in, in->reg, cur);
		return true;
	case PTE_OP_CMPXCHG:
		diff = (reg_read(r, in, 0) - cur) & m;
		r->rflags = (r->rflags & ~FL_ARITH) | parity_flags(diff, in->width) |
			    ((reg_read(r, in, 0) < cur) ? FL_CF : 0);
		if (diff) {
			reg_write(r, in, 0, cur);
			return false;
		}
		*val = src;
		return true;
	case PTE_OP_AND:
	case PTE_OP_OR:
		*val = (in->op == PTE_OP_AND ? cur & src : cur | src) & m;
		r->rflags = (r->rflags & ~FL_ARITH) | parity_flags(*val, in->width);
		return true;
	default: /* BTS, BTR, BTC */
		bit = 1ULL << (src & (in->width * 8 - 1));
		r->rflags = (r->rflags & ~FL_CF) | ((cur & bit) ? FL_CF : 0);
		*val = in->op == PTE_OP_BTS   ? cur | bit
		       : in->op == PTE_OP_BTR ? cur & ~bit
					      : cur ^ bit;
		return true;
	}
}
