/* SPDX-License-Identifier: MIT */
/* Guest test: exception bounces through set_trap_table — vector, error code, RIP, CS, CR2. */
#include <pvkit/pvkit.h>
#include <public/cpuid.h>

const char pv_test_title[] = "traps: #DE #BP #UD #GP #PF, hook, forced-emulation CPUID";

/* Each stub has a label on the faulting instruction and one after it, to compare RIPs. */
void t_div0(void);
void t_int3(void);
void t_ud2(void);
void t_gp(void);
void t_null(void);
extern char t_div0_insn[], t_int3_after[], t_ud2_insn[], t_gp_insn[], t_null_insn[];

__asm__(".pushsection .text\n"
	"t_div0: xor %ecx, %ecx\n mov $1, %eax\n xor %edx, %edx\n"
	"t_div0_insn: div %ecx\n ret\n"
	"t_int3: int3\n t_int3_after: ret\n"
	"t_ud2: t_ud2_insn: ud2\n ret\n"
	"t_gp: movabs $0x8000000000000000, %rax\n t_gp_insn: mov (%rax), %rax\n ret\n"
	"t_null: xor %eax, %eax\n t_null_insn: mov (%rax), %rax\n ret\n"
	".popsection\n");

static void call_fn(void *fn)
{
	((void (*)(void))fn)();
}

static int catch_fn(void (*fn)(void), struct pv_exception *ex)
{
	*ex = (struct pv_exception){.vector = 999};
	return pv_exception_catch(call_fn, (void *)fn, ex);
}

static void expect(const char *what, void (*fn)(void), unsigned int vec, uint64_t ec,
		   const void *rip)
{
	struct pv_exception ex;
	int caught = catch_fn(fn, &ex);

	pv_printf("%s: caught %d vector %u error 0x%llx rip 0x%llx cs 0x%llx cr2 0x%llx\n", what,
		  caught, ex.vector, (unsigned long long)ex.error_code, (unsigned long long)ex.rip,
		  (unsigned long long)ex.cs, (unsigned long long)ex.cr2);
	PV_CHECK(caught, "%s raised an exception", what);
	PV_CHECK(ex.vector == vec, "%s: vector %u, expected %u", what, ex.vector, vec);
	PV_CHECK(ex.error_code == ec, "%s: error code 0x%llx, expected 0x%llx", what,
		 (unsigned long long)ex.error_code, (unsigned long long)ec);
	PV_CHECK(ex.rip == (uintptr_t)rip, "%s: rip 0x%llx, expected %p", what,
		 (unsigned long long)ex.rip, rip);
	/* The guest kernel runs in ring 3, but frames report its CS with RPL 0. */
	PV_CHECK((ex.cs & 0xffff) == (FLAT_KERNEL_CS & ~3u), "%s: cs 0x%llx", what,
		 (unsigned long long)ex.cs);
}

static void write_byte(void *p)
{
	*(volatile uint8_t *)p = 0x5a;
}

static uint8_t ro_page[PAGE_SIZE] PV_ALIGNED(PAGE_SIZE);

static void test_page_faults(void)
{
	struct pv_exception ex;

	PV_CHECK_EQ(pv_unmap_va((void *)0), 0);
	expect("read of unmapped VA 0", t_null, X86_EXC_PF, 0, t_null_insn);
	PV_CHECK_EQ(pv_map_mfn(ro_page, pv_virt_to_mfn(ro_page), false), 0);
	PV_CHECK(pv_exception_catch(write_byte, ro_page + 8, &ex), "write to a read-only page");
	PV_CHECK_EQ(ex.vector, X86_EXC_PF);
	PV_CHECK_EQ(ex.error_code, 3); /* present | write, user bit clear in kernel mode */
	PV_CHECK_EQ(ex.cr2, (uintptr_t)(ro_page + 8));
	PV_CHECK_EQ(pv_map_mfn(ro_page, pv_virt_to_mfn(ro_page), true), 0);
	PV_CHECK_EQ(pv_exception_catch(write_byte, ro_page + 8, &ex), 0);
	PV_CHECK_EQ(ro_page[8], 0x5a);
}

static unsigned int bp_hook_hits;

static bool bp_hook(struct pv_trap_frame *f)
{
	bp_hook_hits++;
	return f->rip == (uintptr_t)t_int3_after; /* handled: resume after int3 */
}

static void test_forced_cpuid(void)
{
	uint32_t a = XEN_CPUID_FIRST_LEAF, b, c = 0, d;

	__asm__ __volatile__(".byte 0x0f, 0x0b, 0x78, 0x65, 0x6e\n cpuid"
			     : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	pv_printf("forced cpuid 0x40000000: max 0x%x sig %.4s%.4s%.4s\n", a, (char *)&b, (char *)&c,
		  (char *)&d);
	PV_CHECK_EQ(b, XEN_CPUID_SIGNATURE_EBX);
	PV_CHECK_EQ(c, XEN_CPUID_SIGNATURE_ECX);
	PV_CHECK_EQ(d, XEN_CPUID_SIGNATURE_EDX);
	PV_CHECK(a >= XEN_CPUID_LEAF(2), "Xen leaves up to at least leaf 2");
}

void test_main(void)
{
	expect("divide by zero", t_div0, X86_EXC_DE, 0, t_div0_insn);
	expect("int3", t_int3, X86_EXC_BP, 0, t_int3_after);
	expect("ud2", t_ud2, X86_EXC_UD, 0, t_ud2_insn);
	expect("non-canonical read", t_gp, X86_EXC_GP, 0, t_gp_insn);
	test_page_faults();

	pv_trap_set_hook(X86_EXC_BP, bp_hook);
	t_int3(); /* handled by the hook, returns normally */
	PV_CHECK_EQ(bp_hook_hits, 1);
	pv_trap_set_hook(X86_EXC_BP, NULL);

	test_forced_cpuid();
}
