/* SPDX-License-Identifier: MIT */
/* Guest test: a software interrupt (int $0x21) through a DPL-1 trap-table entry, from the kernel. */
#include <pvkit/pvkit.h>

const char pv_test_title[] = "softint: int $0x21 via a DPL 1 trap-table entry";

/*
 * Known reference result: Xen 4.17 under QEMU 7.2 TCG fails this (the guest sees #GP with error
 * code 0x212). QEMU reports the #GP of an `int n` through a DPL-0 gate in long mode with error
 * code n * 16 + 2 instead of n * 8 + 2, so Xen looks up the wrong trap-table entry. A hypervisor
 * that decodes the instruction instead of trusting the error code passes.
 */
void t_soft(void);
extern char t_soft_after[];
__asm__(".pushsection .text\n t_soft: int $0x21\n t_soft_after: ret\n .popsection\n");

static void call_soft(void *unused)
{
	t_soft();
}

void test_main(void)
{
	struct pv_exception ex = {.vector = 999};

	PV_CHECK(pv_exception_catch(call_soft, NULL, &ex), "int $0x21 entered the handler");
	pv_printf("int $0x21: vector 0x%x error 0x%llx rip 0x%llx\n", ex.vector,
		  (unsigned long long)ex.error_code, (unsigned long long)ex.rip);
	PV_CHECK_EQ(ex.vector, PV_VEC_SOFT);
	PV_CHECK_EQ(ex.rip, (uintptr_t)t_soft_after); /* a trap: RIP after the instruction */
}
