/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests of hypervisor/common/pte_insn.c: the stores writable page tables emulate. */
#include <string.h>
#include <hospes/errno.h>
#include <hospes/pte_insn.h>
#include "../harness.h"

#define RAX 0
#define RDX 2
#define RSP 4
#define RDI 7
#define R8  8
#define CF  0x1ULL
#define ZF  0x40ULL

static struct pte_insn in;

static int decode(const uint8_t *b, unsigned int n)
{
	memset(&in, 0, sizeof(in));
	return pte_insn_decode(b, n, &in);
}

#define DECODE(...)                                        \
	({                                                 \
		static const uint8_t b_[] = {__VA_ARGS__}; \
		decode(b_, sizeof(b_));                    \
	})

static void test_mov_forms(void)
{
	CHECK_EQ(DECODE(0x48, 0x89, 0x07), 0); /* mov %rax,(%rdi) */
	CHECK_EQ(in.op, PTE_OP_MOV);
	CHECK_EQ(in.width, 8);
	CHECK_EQ(in.len, 3);
	CHECK_EQ(in.reg, RAX);
	CHECK(in.src_is_reg);
	CHECK_EQ(DECODE(0xc7, 0x07, 0x78, 0x56, 0x34, 0x12), 0); /* movl $0x12345678,(%rdi) */
	CHECK_EQ(in.width, 4);
	CHECK_EQ(in.len, 6);
	CHECK_EQ(in.imm & 0xffffffff, 0x12345678);
	CHECK_EQ(DECODE(0x48, 0xc7, 0x07, 0xff, 0xff, 0xff, 0xff), 0); /* movq $-1 */
	CHECK_EQ(in.imm, ~0ULL);
	CHECK_EQ(DECODE(0x48, 0x89, 0x44, 0x24, 0x08), 0); /* mov %rax,0x8(%rsp): SIB, disp8 */
	CHECK_EQ(in.len, 5);
	CHECK_EQ(DECODE(0x48, 0x89, 0x05, 0, 0, 0, 0), 0); /* mov %rax,0(%rip) */
	CHECK_EQ(in.len, 7);
	CHECK_EQ(DECODE(0x48, 0x89, 0x04, 0x25, 0, 0x10, 0, 0), 0); /* absolute disp32 */
	CHECK_EQ(in.len, 8);
	CHECK_EQ(DECODE(0x66, 0x89, 0x07), 0);
	CHECK_EQ(in.width, 2);
	CHECK_EQ(DECODE(0x44, 0x89, 0x07), 0); /* mov %r8d,(%rdi) */
	CHECK_EQ(in.reg, R8);
	CHECK_EQ(in.width, 4);
	CHECK_EQ(DECODE(0x3e, 0x88, 0x27), 0); /* ds: mov %ah,(%rdi) */
	CHECK_EQ(in.width, 1);
	CHECK_EQ(in.reg, RSP);
}

static void test_refusals(void)
{
	CHECK_EQ(DECODE(0x48, 0x89, 0xc7), -EINVAL); /* register destination */
	CHECK_EQ(DECODE(0x48, 0x01, 0x07), -EINVAL); /* add */
	CHECK_EQ(DECODE(0x48, 0x89), -EINVAL);	     /* truncated */
	CHECK_EQ(DECODE(0xc7, 0x07, 0x78, 0x56), -EINVAL);
	CHECK_EQ(DECODE(0x48, 0xc7, 0x0f, 0, 0, 0, 0), -EINVAL); /* c7 /1 */
	CHECK_EQ(DECODE(0x48, 0x0f, 0xba, 0x27, 1), -EINVAL);	 /* bt (no store) */
	CHECK_EQ(DECODE(0x64, 0x48, 0x89, 0x07), -EINVAL);	 /* fs: */
}

static void test_execute(void)
{
	struct pte_insn_regs r = {0};
	uint64_t val;

	r.gpr[RAX] = 0x1111;
	CHECK_EQ(DECODE(0x48, 0x87, 0x07), 0); /* xchg %rax,(%rdi) */
	CHECK(pte_insn_execute(&r, &in, 0x2222, &val));
	CHECK_EQ(val, 0x1111);
	CHECK_EQ(r.gpr[RAX], 0x2222);
	/* lock cmpxchg %rdx,(%rdi): success, then failure. */
	CHECK_EQ(DECODE(0xf0, 0x48, 0x0f, 0xb1, 0x17), 0);
	r.gpr[RAX] = 5;
	r.gpr[RDX] = 9;
	CHECK(pte_insn_execute(&r, &in, 5, &val));
	CHECK_EQ(val, 9);
	CHECK(r.rflags & ZF);
	CHECK(!pte_insn_execute(&r, &in, 7, &val));
	CHECK_EQ(r.gpr[RAX], 7);
	CHECK(!(r.rflags & ZF));
	/* lock andb $0xfd,(%rdi); lock orq $2,(%rdi) */
	CHECK_EQ(DECODE(0xf0, 0x80, 0x27, 0xfd), 0);
	CHECK(pte_insn_execute(&r, &in, 0x67, &val));
	CHECK_EQ(val, 0x65);
	CHECK_EQ(DECODE(0xf0, 0x48, 0x83, 0x0f, 0x02), 0);
	CHECK(pte_insn_execute(&r, &in, 0x65, &val));
	CHECK_EQ(val, 0x67);
	/* lock btsq $1 / btrq $9 / btr %rax */
	CHECK_EQ(DECODE(0xf0, 0x48, 0x0f, 0xba, 0x2f, 0x01), 0);
	CHECK(pte_insn_execute(&r, &in, 0x65, &val));
	CHECK_EQ(val, 0x67);
	CHECK(!(r.rflags & CF));
	CHECK_EQ(DECODE(0xf0, 0x48, 0x0f, 0xba, 0x37, 0x09), 0);
	CHECK(pte_insn_execute(&r, &in, 0x267, &val));
	CHECK_EQ(val, 0x67);
	CHECK(r.rflags & CF);
	r.gpr[RAX] = 64 + 5; /* the bit offset wraps in the operand the CPU addressed */
	CHECK_EQ(DECODE(0xf0, 0x48, 0x0f, 0xb3, 0x07), 0);
	CHECK(pte_insn_execute(&r, &in, 0x67, &val));
	CHECK_EQ(val, 0x47);
	/* mov %ah,(%rdi); a 32-bit xchg zero-extends the register */
	r.gpr[RAX] = 0xab00;
	CHECK_EQ(DECODE(0x88, 0x27), 0);
	CHECK(pte_insn_execute(&r, &in, 0, &val));
	CHECK_EQ(val, 0xab);
	r.gpr[RAX] = ~0ULL;
	CHECK_EQ(DECODE(0x87, 0x07), 0);
	CHECK(pte_insn_execute(&r, &in, 0x1234, &val));
	CHECK_EQ(r.gpr[RAX], 0x1234);
	CHECK_EQ(val, 0xffffffff);
}

static const struct unit_test tests[] = {
	{"MOV forms, prefixes, ModRM/SIB/displacement lengths", test_mov_forms},
	{"what is not a PTE store is refused", test_refusals},
	{"XCHG, CMPXCHG, AND, OR, BTS, BTR: values, registers, flags", test_execute},
};

int main(void)
{
	return unit_run("pte_insn", tests, sizeof(tests) / sizeof(tests[0]));
}
