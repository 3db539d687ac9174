/* SPDX-License-Identifier: GPL-2.0-only */
/* Decoding and executing the stores a PV kernel makes to its page-table entries (ptwr). */
#ifndef HOSPES_PTE_INSN_H
#define HOSPES_PTE_INSN_H

#include <hospes/types.h>

#define PTE_INSN_MAX 15 /* longest x86 instruction */

enum pte_insn_op {
	PTE_OP_MOV,
	PTE_OP_XCHG,
	PTE_OP_CMPXCHG,
	PTE_OP_AND,
	PTE_OP_OR,
	PTE_OP_BTS,
	PTE_OP_BTR,
	PTE_OP_BTC
};

/* One decoded store: what it does, its width, its source, and where the result register is. */
struct pte_insn {
	enum pte_insn_op op;
	unsigned int width; /* bytes: 1, 2, 4, 8 */
	unsigned int len;   /* instruction length */
	bool src_is_reg;
	unsigned int reg; /* ModRM.reg (+REX.R): source and/or destination register */
	bool rex;
	uint64_t imm;
};

/* The registers an emulated store reads and writes: RAX..R15 in encoding order, RFLAGS. */
struct pte_insn_regs {
	uint64_t gpr[16];
	uint64_t rflags;
};

/*
 * Decodes the store at b (avail bytes readable): MOV r/m,r|imm; XCHG; CMPXCHG; AND/OR r/m,r|imm;
 * BTS/BTR/BTC r/m,r|imm8, with LOCK, 0x66, REX and data-segment prefixes; memory operands only.
 * 0 or -EINVAL.
 */
int pte_insn_decode(const uint8_t *b, unsigned int avail, struct pte_insn *in);

/*
 * Executes in on the operand value cur: *val is what to store, registers and flags are updated
 * as the CPU would. False when nothing is stored (a CMPXCHG that failed).
 */
bool pte_insn_execute(struct pte_insn_regs *r, const struct pte_insn *in, uint64_t cur,
		      uint64_t *val);

#endif /* HOSPES_PTE_INSN_H */
