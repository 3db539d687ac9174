/* SPDX-License-Identifier: MIT */
/* Guest test: guest user mode — iret to ring 3 user, syscall callback, faults from user mode. */
#include <pvkit/pvkit.h>

const char pv_test_title[] = "usermode: iret to user, syscall callback and back, user faults";

static uint8_t user_stack[2 * PAGE_SIZE] PV_ALIGNED(PAGE_SIZE);

void u_sys(void);
void u_ud2(void);
void u_null(void);
void u_cli(void);
void u_int3(void);
extern char u_sys_ret1[], u_sys_ret2[], u_ud2_insn[], u_null_insn[], u_cli_insn[], u_int3_ret[];

/* User-mode code: it only ever leaves through a fault or a syscall. */
__asm__(".pushsection .text\n"
	"u_sys: mov $1, %edi\n syscall\n u_sys_ret1: mov $2, %edi\n syscall\n u_sys_ret2: ud2\n"
	"u_ud2: u_ud2_insn: ud2\n"
	"u_null: xor %eax, %eax\n u_null_insn: mov (%rax), %rax\n ud2\n"
	"u_cli: u_cli_insn: cli\n ud2\n"
	"u_int3: int3\n u_int3_ret: ud2\n"
	".popsection\n");

static uint64_t sys_rdi[4], sys_cs[4];
static unsigned int sys_calls;

/* First syscall: handled, back to user mode. Second: left to the catch (back to the kernel). */
static bool syscall_hook(struct pv_trap_frame *f)
{
	if (sys_calls < ARRAY_SIZE(sys_rdi)) {
		sys_rdi[sys_calls] = f->rdi;
		sys_cs[sys_calls] = f->cs;
	}
	sys_calls++;
	return f->rdi == 1;
}

static void run_user(void *fn)
{
	pv_enter_user((uintptr_t)fn, (uintptr_t)(user_stack + sizeof(user_stack)));
}

static void expect_user(const char *what, void (*fn)(void), unsigned int vec, const void *rip,
			struct pv_exception *ex)
{
	int caught;

	*ex = (struct pv_exception){.vector = 999};
	caught = pv_exception_catch(run_user, (void *)fn, ex);
	pv_printf("%s: vector %u error 0x%llx rip 0x%llx cs 0x%llx\n", what, ex->vector,
		  (unsigned long long)ex->error_code, (unsigned long long)ex->rip,
		  (unsigned long long)ex->cs);
	PV_CHECK(caught, "%s: came back to the kernel", what);
	PV_CHECK(ex->vector == vec, "%s: vector %u, expected %u", what, ex->vector, vec);
	PV_CHECK(ex->rip == (uintptr_t)rip, "%s: rip 0x%llx, expected %p", what,
		 (unsigned long long)ex->rip, rip);
	PV_CHECK((ex->cs & 0xffff) == FLAT_USER_CS, "%s: user cs 0x%llx", what,
		 (unsigned long long)ex->cs);
}

void test_main(void)
{
	struct pv_exception ex;

	PV_CHECK_EQ(pv_usermode_init(), 0);
	pv_trap_set_hook(PV_VEC_SYSCALL, syscall_hook);
	expect_user("syscall, return to user, syscall", u_sys, PV_VEC_SYSCALL, u_sys_ret2, &ex);
	PV_CHECK_EQ(sys_calls, 2);
	PV_CHECK_EQ(sys_rdi[0], 1);
	PV_CHECK_EQ(sys_rdi[1], 2);
	PV_CHECK_EQ(sys_cs[0] & 0xffff, FLAT_USER_CS);
	pv_trap_set_hook(PV_VEC_SYSCALL, NULL);

	expect_user("ud2 in user mode", u_ud2, X86_EXC_UD, u_ud2_insn, &ex);
	expect_user("int3 in user mode", u_int3, X86_EXC_BP, u_int3_ret, &ex);
	expect_user("cli in user mode", u_cli, X86_EXC_GP, u_cli_insn, &ex);
	PV_CHECK_EQ(ex.error_code, 0);
	PV_CHECK_EQ(pv_unmap_va((void *)0), 0);
	expect_user("user read of VA 0", u_null, X86_EXC_PF, u_null_insn, &ex);
	PV_CHECK_EQ(ex.error_code, 4); /* user, read, not present */
	PV_CHECK_EQ(ex.cr2, 0);

	/* Back in guest kernel mode: hypercalls work again. */
	PV_CHECK(HYPERVISOR_xen_version(0, NULL) > 0, "hypercall after user mode");
}
