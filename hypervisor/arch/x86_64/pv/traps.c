/* SPDX-License-Identifier: GPL-2.0-only */
/* PV guest exceptions: bounce frames onto the guest kernel stack, the iret hypercall, upcalls. */
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <hospes/console.h>
#include <hospes/domain.h>
#include <hospes/errno.h>
#include <hospes/guest_access.h>
#include <hospes/lib.h>
#include <hospes/pvmm.h>
#include <hospes/sched.h>
#include <public/arch-x86_64.h>

#define X86_EFLAGS_TF	(1ul << 8)
#define X86_EFLAGS_IOPL (3ul << 12)
#define X86_EFLAGS_NT	(1ul << 14)
#define X86_EFLAGS_RF	(1ul << 16)
#define X86_EFLAGS_VM	(1ul << 17)
#define X86_EFLAGS_AC	(1ul << 18)
#define X86_EFLAGS_MBS	(1ul << 1)
/* The flags a guest may set through iret; IF is kept on in hardware, IOPL is virtual. */
#define GUEST_EFLAGS_MASK 0x00000dd5ul /* CF PF AF ZF SF TF DF OF */

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
	uint64_t rflags =
		(regs->rflags & ~X86_EFLAGS_IF) | (vi->evtchn_upcall_mask ? 0 : X86_EFLAGS_IF);

	if (!handler) {
		domain_crash(v->domain, "no guest handler for %s at rip %llx", what,
			     (unsigned long long)regs->rip);
		return false;
	}
	if (from_user) {
		pv_toggle_guest_mode(v);
		sp = v->arch.kernel_sp;
	} else {
		sp = regs->rsp;
	}
	sp &= ~15ULL;
	frame[n++] = regs->rcx;
	frame[n++] = regs->r11;
	if (has_error)
		frame[n++] = error;
	frame[n++] = regs->rip;
	frame[n++] = cs | ((uint64_t)vi->evtchn_upcall_mask << 32);
	frame[n++] = rflags;
	frame[n++] = regs->rsp;
	frame[n++] = regs->ss;
	sp -= n * 8;
	if (copy_to_guest(sp, frame, n * 8)) {
		domain_crash(v->domain, "cannot write the %s frame to the guest stack at %llx",
			     what, (unsigned long long)sp);
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

void pv_inject_exception(struct vcpu *v, struct cpu_regs *regs, unsigned int vector, bool has_error,
			 uint64_t error)
{
	const struct pv_trap_entry *t = &v->arch.traps[vector & 0xff];
	char what[24];

	snprintf(what, sizeof(what), "exception %u", vector);
	bounce(v, regs, t->address, has_error, error, t->flags & TI_IF, what);
}

void pv_bounce_syscall(struct vcpu *v, struct cpu_regs *regs)
{
	bounce(v, regs, v->arch.syscall_callback, false, 0, v->arch.syscall_masks_events,
	       "user syscall");
}

/* Exceptions that push an error code (the guest's frame has one too). */
static bool has_error_code(unsigned int v)
{
	return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21;
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
	case 6:	 /* #UD: forced emulation prefix */
	case 13: /* #GP: privileged instructions, software interrupts */
		if (pv_emulate(v, regs))
			return;
		if (vec == 13 && (err & 2)) { /* `int n` through a gate the guest may use */
			unsigned int n = (unsigned int)(err >> 3) & 0xff;
			const struct pv_trap_entry *t = &v->arch.traps[n];
			unsigned int dpl = t->flags & TI_DPL_MASK;

			if (t->address && dpl >= (v->arch.kernel_mode ? 1u : 3u)) {
				regs->rip += 2;
				pv_inject_exception(v, regs, n, false, 0);
				return;
			}
		}
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
	if ((c.cs & 3) == 3) { /* back to guest user mode */
		if (!v->arch.guest_table_user && !v->arch.kernel_mode) {
			domain_crash(v->domain, "iret to user mode without a user page table");
			return 0;
		}
		if (v->arch.kernel_mode)
			pv_toggle_guest_mode(v);
	}
	regs->rax = c.rax;
	regs->r11 = c.r11;
	regs->rcx = c.rcx;
	regs->rip = c.rip;
	regs->cs = (c.cs & 0xffff) | 3;
	regs->rsp = c.rsp;
	regs->ss = (c.ss & 0xffff) | 3;
	regs->rflags = (c.rflags & GUEST_EFLAGS_MASK) | X86_EFLAGS_IF | X86_EFLAGS_MBS;
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
