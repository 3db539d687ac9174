/* SPDX-License-Identifier: GPL-2.0-only */
/* PV guest exceptions: bounce frames onto the guest kernel stack, the iret hypercall, upcalls. */
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/pv_emul.h>
#include <hospes/console.h>
#include <hospes/domain.h>
#include <hospes/errno.h>
#include <hospes/guest_access.h>
#include <hospes/lib.h>
#include <hospes/pvmm.h>
#include <hospes/sched.h>
#include <public/arch-x86_64.h>

#define X86_EFLAGS_TF	(1ul << 8)
#define X86_EFLAGS_DF	(1ul << 10)
#define X86_EFLAGS_IOPL (3ul << 12)
#define X86_EFLAGS_NT	(1ul << 14)
#define X86_EFLAGS_RF	(1ul << 16)
#define X86_EFLAGS_VM	(1ul << 17)
#define X86_EFLAGS_AC	(1ul << 18)
#define X86_EFLAGS_MBS	(1ul << 1)
/* The flags a guest may set through iret (all but IOPL, VM, VIF, VIP); IF is forced on. */
#define GUEST_EFLAGS_MASK 0x00254dd5ul /* CF PF AF ZF SF TF DF OF NT RF AC ID */

struct cpu_regs *guest_cpu_regs(void)
{
	return (struct cpu_regs *)((char *)get_cpu_info() - sizeof(struct cpu_regs));
}

/* Switches between guest kernel and guest user mode: page tables and GS base. */
void pv_toggle_guest_mode(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;

	a->kernel_mode = !a->kernel_mode;
	wrmsr(MSR_GS_BASE, a->kernel_mode ? a->gs_base_kernel : a->gs_base_user);
	write_cr3(a->kernel_mode || !a->guest_table_user ? a->guest_table : a->guest_table_user);
}

/* RFLAGS as the guest kernel sees them in a frame: IF from the event mask, IOPL virtual. */
static uint64_t guest_visible_rflags(const struct vcpu *v, const struct cpu_regs *regs)
{
	uint64_t f = regs->rflags & ~(X86_EFLAGS_IF | X86_EFLAGS_IOPL);

	if (!v->info->evtchn_upcall_mask)
		f |= X86_EFLAGS_IF;
	if (v->domain->vm_assist & (1ULL << VMASST_TYPE_architectural_iopl))
		f |= (v->arch.iopl & 3) << 12;
	return f;
}

/*
 * Builds [rcx, r11, (error), rip, cs|mask<<32, rflags, rsp, ss] on the guest kernel stack and
 * points the guest at handler. A guest whose stack cannot take the frame is crashed.
 */
static bool bounce(struct vcpu *v, struct cpu_regs *regs, uint64_t handler, bool has_error,
		   uint64_t error, bool mask_events, const char *what)
{
	struct vcpu_info *vi = v->info;
	uint64_t frame[8], sp;
	unsigned int n = 0;
	bool from_user = !v->arch.kernel_mode;
	uint64_t cs = from_user ? regs->cs : (regs->cs & ~3ULL);

	if (!handler || !guest_range_ok(handler, 1)) { /* iretq would fault on a bad one */
		domain_crash(v->domain, "%s guest handler for %s at rip %llx cr2 %llx",
			     handler ? "bad" : "no", what, (unsigned long long)regs->rip,
			     (unsigned long long)vi->arch.cr2);
		return false;
	}
	sp = (from_user ? v->arch.kernel_sp : regs->rsp) & ~15ULL;
	frame[n++] = regs->rcx;
	frame[n++] = regs->r11;
	if (has_error)
		frame[n++] = error;
	frame[n++] = regs->rip;
	frame[n++] = cs | ((uint64_t)vi->evtchn_upcall_mask << 32);
	frame[n++] = guest_visible_rflags(v, regs);
	frame[n++] = regs->rsp;
	frame[n++] = regs->ss;
	sp -= n * 8;
	if (from_user)
		pv_toggle_guest_mode(v); /* the frame goes through the kernel page tables */
	if (copy_to_guest(sp, frame, n * 8)) {
		domain_crash(
			v->domain,
			"cannot write the %s frame to the guest stack at %llx (rip %llx cr2 %llx)",
			what, (unsigned long long)sp, (unsigned long long)regs->rip,
			(unsigned long long)vi->arch.cr2);
		return false;
	}
	if (mask_events)
		vi->evtchn_upcall_mask = 1;
	regs->rsp = sp;
	regs->rip = handler;
	regs->cs = GUEST_CS64;
	regs->ss = GUEST_DS;
	regs->rflags &=
		~(X86_EFLAGS_TF | X86_EFLAGS_NT | X86_EFLAGS_RF | X86_EFLAGS_VM | X86_EFLAGS_AC);
	regs->rflags |= X86_EFLAGS_IF | X86_EFLAGS_MBS;
	return true;
}

static const char *const vector_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO", "#TS",
	"#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE",  "#CP",
};

void pv_inject_exception(struct vcpu *v, struct cpu_regs *regs, unsigned int vector, bool has_error,
			 uint64_t error)
{
	const struct pv_trap_entry *t = &v->arch.traps[vector & 0xff];
	const char *name = vector < 32 && vector_names[vector] ? vector_names[vector] : "int";
	char what[32];

	snprintf(what, sizeof(what), "vector %u (%s)", vector, name);
	bounce(v, regs, t->address, has_error, error, t->flags & TI_IF, what);
}

void pv_bounce_syscall(struct vcpu *v, struct cpu_regs *regs)
{
	if (!v->arch.syscall_callback) { /* as on Xen: `syscall` is not enabled, #UD */
		regs->rip -= 2;
		pv_inject_exception(v, regs, VEC_UD, false, 0);
		return;
	}
	if (bounce(v, regs, v->arch.syscall_callback, false, 0, v->arch.syscall_masks_events,
		   "user syscall"))
		regs->rflags &= ~X86_EFLAGS_DF;
}

/* Exceptions that push an error code (the guest's frame has one too). */
static bool has_error_code(unsigned int v)
{
	return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21;
}

/*
 * #GP for `int n` through a hypervisor gate of DPL 0. The vector comes from the instruction
 * (some CPU models report a wrong error code); the guest's trap-table DPL decides: at least 1
 * from guest kernel mode, 3 from guest user mode. Refused: #GP with the architectural code.
 */
static void pv_soft_interrupt(struct vcpu *v, struct cpu_regs *regs, uint64_t err)
{
	uint8_t insn[2];
	unsigned int n, dpl;
	const struct pv_trap_entry *t;

	if (copy_from_guest(insn, regs->rip, sizeof(insn)) || insn[0] != 0xcd) {
		pv_inject_exception(v, regs, VEC_GP, true, err);
		return;
	}
	n = insn[1];
	t = &v->arch.traps[n];
	dpl = t->flags & TI_DPL_MASK;
	if (!t->address || dpl < (v->arch.kernel_mode ? 1u : 3u)) {
		pv_inject_exception(v, regs, VEC_GP, true, ((uint64_t)n << 3) | 2);
		return;
	}
	regs->rip += 2; /* a trap: the handler returns after the instruction */
	pv_inject_exception(v, regs, n, false, 0);
}

/* #NM: the guest's virtual CR0.TS was set (fpu_taskswitch); like Xen, delivery clears it. */
static void pv_device_not_available(struct vcpu *v, struct cpu_regs *regs)
{
	write_cr0(read_cr0() & ~CR0_TS);
	if (!v->arch.fpu_ts)
		return; /* hardware TS left over from another vCPU: nothing for the guest */
	v->arch.fpu_ts = false;
	pv_inject_exception(v, regs, VEC_NM, false, 0);
}

void pv_trap(struct cpu_regs *regs)
{
	struct vcpu *v = current_vcpu();
	unsigned int vec = (unsigned int)regs->vector;
	uint64_t err = regs->error_code;

	switch (vec) {
	case VEC_PF:
		v->info->arch.cr2 = read_cr2();
		if (pv_mm_handle_fault(v, regs, read_cr2()))
			return;
		if (v->arch.kernel_mode)
			err &= ~4ULL; /* the guest kernel sees its faults as supervisor ones */
		break;
	case VEC_DB:
		pv_debug_trap(v);
		break;
	case VEC_NM:
		pv_device_not_available(v, regs);
		return;
	case VEC_UD: /* forced-emulation prefix */
		if (pv_emulate(v, regs))
			return;
		break;
	case VEC_GP: /* privileged instructions, software interrupts */
		if ((err & 3) == 2) {
			pv_soft_interrupt(v, regs, err);
			return;
		}
		if (err == 0 && pv_emulate(v, regs))
			return;
		break;
	case VEC_NMI:
	case VEC_MC:
		return; /* host events: not the guest's */
	default:
		break;
	}
	pv_inject_exception(v, regs, vec, has_error_code(vec), err);
}

/* HYPERVISOR_iret: returns from a bounce frame that the guest kernel leaves on its stack. */
long do_iret(struct cpu_regs *regs)
{
	struct vcpu *v = current_vcpu();
	struct iret_context c;

	if (copy_from_guest(&c, regs->rsp, sizeof(c))) {
		domain_crash(v->domain, "iret: frame at %llx unreadable",
			     (unsigned long long)regs->rsp);
		return 0;
	}
	/* What iretq would fault on in the hypervisor: the guest is crashed instead. */
	if ((uint64_t)((int64_t)(c.rip << 16) >> 16) != c.rip ||
	    !pv_selector_ok((uint16_t)(c.cs | 3), true) ||
	    !pv_selector_ok((uint16_t)(c.ss | 3), false)) {
		domain_crash(v->domain, "iret to rip %llx cs %llx ss %llx: not a valid return",
			     (unsigned long long)c.rip, (unsigned long long)c.cs,
			     (unsigned long long)c.ss);
		return 0;
	}
	if ((c.cs & 3) == 3) { /* back to guest user mode */
		if (!v->arch.guest_table_user) {
			domain_crash(v->domain, "iret to user mode without a user page table");
			return 0;
		}
		if (v->arch.kernel_mode)
			pv_toggle_guest_mode(v);
	}
	if (v->domain->vm_assist & (1ULL << VMASST_TYPE_architectural_iopl))
		v->arch.iopl = (c.rflags & X86_EFLAGS_IOPL) >> 12;
	regs->rax = c.rax;
	regs->rip = c.rip;
	regs->cs = (c.cs & 0xffff) | 3;
	regs->rsp = c.rsp;
	regs->ss = (c.ss & 0xffff) | 3;
	regs->rflags = (c.rflags & GUEST_EFLAGS_MASK) | X86_EFLAGS_IF | X86_EFLAGS_MBS;
	if (c.flags & VGCF_in_syscall) { /* as after SYSRET: rcx = rip, r11 = rflags */
		regs->rcx = regs->rip;
		regs->r11 = regs->rflags;
	} else {
		regs->r11 = c.r11;
		regs->rcx = c.rcx;
	}
	v->info->evtchn_upcall_mask = !(c.rflags & X86_EFLAGS_IF);
	return (long)c.rax;
}

void pv_return_to_guest(struct cpu_regs *regs)
{
	struct vcpu *v;

	schedule_from_guest(regs); /* returns only if the current vCPU may run */
	v = current_vcpu();
	if (v && v->info->evtchn_upcall_pending && !v->info->evtchn_upcall_mask)
		bounce(v, regs, v->arch.event_callback, false, 0, true, "event upcall");
}
