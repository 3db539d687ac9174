/* SPDX-License-Identifier: MIT */
/* pvkit: the virtual IDT, exception reporting and the catch mechanism tests use for faults. */
#include <pvkit/asm.h>
#include <pvkit/console.h>
#include <pvkit/events.h>
#include <pvkit/hypercall.h>
#include <pvkit/mm.h>
#include <pvkit/test.h>
#include <pvkit/traps.h>
#include <public/callback.h>
#include <public/sched.h>

_Static_assert(offsetof(struct pv_trap_frame, vector) == PVKIT_FRAME_VECTOR, "frame.vector");
_Static_assert(sizeof(struct pv_trap_frame) == PVKIT_FRAME_SIZE, "frame size");

struct pv_catch {
	uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
};

int pv_catch_save(struct pv_catch *c) __attribute__((returns_twice));
void pv_failsafe(void) PV_NORETURN;
extern char pv_syscall_entry[];

#define DECLARE_STUB(v) extern char pv_trap_##v[]
DECLARE_STUB(0);
DECLARE_STUB(1);
DECLARE_STUB(2);
DECLARE_STUB(3);
DECLARE_STUB(4);
DECLARE_STUB(5);
DECLARE_STUB(6);
DECLARE_STUB(7);
DECLARE_STUB(8);
DECLARE_STUB(9);
DECLARE_STUB(10);
DECLARE_STUB(11);
DECLARE_STUB(12);
DECLARE_STUB(13);
DECLARE_STUB(14);
DECLARE_STUB(15);
DECLARE_STUB(16);
DECLARE_STUB(17);
DECLARE_STUB(18);
DECLARE_STUB(19);
DECLARE_STUB(0x21);

/* DPL 3 for int3/into so the guest kernel may raise them; DPL 1 for the soft vector. */
#define TRAP(v, dpl)                                                  \
	{                                                             \
		(v), (dpl), FLAT_KERNEL_CS, 0, (uintptr_t)pv_trap_##v \
	}
static struct trap_info trap_table[] = {
	TRAP(0, 0),  TRAP(1, 0),  TRAP(2, 0),	 TRAP(3, 3),	  TRAP(4, 3),  TRAP(5, 0),
	TRAP(6, 0),  TRAP(7, 0),  TRAP(8, 0),	 TRAP(9, 0),	  TRAP(10, 0), TRAP(11, 0),
	TRAP(12, 0), TRAP(13, 0), TRAP(14, 0),	 TRAP(15, 0),	  TRAP(16, 0), TRAP(17, 0),
	TRAP(18, 0), TRAP(19, 0), TRAP(0x21, 1), {0, 0, 0, 0, 0},
};

static pv_trap_hook_t hooks[PV_VEC_SYSCALL + 1];
static uint8_t kernel_stack[4 * PAGE_SIZE] PV_ALIGNED(PAGE_SIZE);
static struct pv_catch *active_catch;
static struct pv_exception *active_ex;

static const char *const exc_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO",
	"#TS", "#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM",
};

long pv_traps_init(void)
{
	return HYPERVISOR_set_trap_table(trap_table);
}

void pv_trap_set_hook(unsigned int vector, pv_trap_hook_t hook)
{
	if (vector < ARRAY_SIZE(hooks))
		hooks[vector] = hook;
}

static uint64_t read_cr2(void)
{
	return pv_vcpu_info ? PV_READ_ONCE(pv_vcpu_info->arch.cr2) : 0;
}

static void resume_catch(struct pv_trap_frame *f)
{
	struct pv_catch *c = active_catch;

	active_ex->vector = (unsigned int)f->vector;
	active_ex->error_code = f->error_code;
	active_ex->rip = f->rip;
	active_ex->cs = f->cs;
	active_ex->cr2 = f->vector == X86_EXC_PF ? read_cr2() : 0;
	active_catch = NULL;
	/* Back to guest kernel mode, whichever mode faulted: RPL 0 CS keeps the kernel table. */
	f->cs = FLAT_KERNEL_CS & ~3u;
	f->ss = FLAT_KERNEL_SS;
	f->rbx = c->rbx;
	f->rbp = c->rbp;
	f->r12 = c->r12;
	f->r13 = c->r13;
	f->r14 = c->r14;
	f->r15 = c->r15;
	f->rsp = c->rsp;
	f->rip = c->rip;
	f->rax = 1;
}

void pv_trap_dispatch(struct pv_trap_frame *f)
{
	static unsigned int reporting;
	struct sched_shutdown crash = {.reason = SHUTDOWN_crash};
	const char *name;

	if (f->vector == PV_VEC_UPCALL) {
		pv_evtchn_do_upcall();
		return;
	}
	if (f->vector < ARRAY_SIZE(hooks) && hooks[f->vector] && hooks[f->vector](f))
		return;
	if (active_catch) {
		resume_catch(f);
		return;
	}
	/* A fault while reporting a fault: the console itself is broken; stop at once. */
	if (reporting++)
		for (;;)
			HYPERVISOR_sched_op(SCHEDOP_shutdown, &crash);
	if (f->vector < ARRAY_SIZE(exc_names) && exc_names[f->vector])
		name = exc_names[f->vector];
	else
		name = f->vector == PV_VEC_SYSCALL ? "syscall" : "soft";
	pv_printf("pvkit: unhandled exception vector %llu (%s) error 0x%llx at rip 0x%llx "
		  "cs 0x%llx rsp 0x%llx cr2 0x%llx\n",
		  (unsigned long long)f->vector, name, (unsigned long long)f->error_code,
		  (unsigned long long)f->rip, (unsigned long long)f->cs, (unsigned long long)f->rsp,
		  (unsigned long long)read_cr2());
	pv_test_error("unexpected exception %s at 0x%llx", name, (unsigned long long)f->rip);
	pv_test_exit();
}

int pv_exception_catch(void (*fn)(void *arg), void *arg, struct pv_exception *ex)
{
	struct pv_catch c;

	if (pv_catch_save(&c) == 0) {
		active_ex = ex;
		active_catch = &c;
		fn(arg);
		active_catch = NULL;
		return 0;
	}
	return 1;
}

void pv_failsafe(void)
{
	pv_test_error("failsafe callback: the hypervisor could not restore guest segments");
	pv_test_exit();
}

long pv_usermode_init(void)
{
	struct mmuext_op op = {
		.cmd = MMUEXT_NEW_USER_BASEPTR,
		.arg1.mfn = pv_virt_to_mfn((void *)pv_start_info->pt_base),
	};
	struct callback_register cb = {
		.type = CALLBACKTYPE_syscall,
		.flags = CALLBACKF_mask_events,
		.address = (uintptr_t)pv_syscall_entry,
	};
	uint64_t sp = (uintptr_t)(kernel_stack + sizeof(kernel_stack));
	long rc = HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);

	if (!rc)
		rc = HYPERVISOR_stack_switch(FLAT_KERNEL_SS, sp);
	if (!rc)
		rc = HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
	return rc;
}
