/* SPDX-License-Identifier: GPL-2.0-only */
/* The x86-64 PV part of a vCPU: guest register frame, virtual IDT, callbacks, page tables. */
#ifndef ASM_PV_H
#define ASM_PV_H

#include <asm/traps.h>
#include <hospes/types.h>

struct pv_trap_entry {
	uint64_t address; /* 0: no handler (the domain is crashed if it needs one) */
	uint8_t flags;	  /* TI_DPL_MASK | TI_IF */
};

struct arch_vcpu {
	/* x87/SSE state (FXSAVE image) while the vCPU is not on a CPU; valid once fpu_valid. */
	uint8_t fpu[512] __attribute__((aligned(16)));
	bool fpu_valid;		  /* false: the vCPU starts from the power-on FPU state */
	struct cpu_regs regs;	  /* guest state while the vCPU is not on a CPU */
	bool kernel_mode;	  /* guest kernel (true) or guest user (false) mode */
	paddr_t guest_table;	  /* kernel L4, machine address */
	paddr_t guest_table_user; /* user L4, machine address (0: none yet) */
	uint64_t kernel_sp;	  /* stack_switch: guest kernel stack for bounces from user mode */
	uint64_t kernel_ss;
	uint64_t event_callback;
	uint64_t failsafe_callback;
	uint64_t syscall_callback;
	bool syscall_masks_events;
	uint64_t fs_base, gs_base_kernel, gs_base_user;
	struct pv_trap_entry traps[256];
	uint64_t last_hypercall; /* for the crash report */
	bool fpu_ts;		 /* fpu_taskswitch: guest's virtual CR0.TS */
	uint64_t iopl;		 /* virtual IOPL 0-3 */
	uint64_t debugreg[8];
	uint64_t cr4_guest;	 /* guest-controlled CR4 bits (shadow) */
	uint64_t iobmp;		 /* PHYSDEVOP_set_iobitmap: guest VA of the I/O bitmap (0: none) */
	uint32_t iobmp_nr;	 /* ports it covers */
	uint64_t gdt_frames[14]; /* set_gdt: the guest's GDT frames (seg_desc type held) */
	unsigned int gdt_ents;	 /* 0: none */
	uint64_t ldt_base;	 /* MMUEXT_SET_LDT */
	unsigned int ldt_ents;
};

struct vcpu;

/*
 * Loads v's saved frame onto this CPU's guest frame and returns to it. Never returns. The first
 * entry of every vCPU, and every switch from idle, goes through here.
 */
__noreturn void pv_run_vcpu(struct vcpu *v);

/*
 * v leaves this CPU: its FPU registers go to v->arch.fpu. Every vCPU that stops running saves
 * here, and every vCPU that starts running loads its own state (pv_run_vcpu), so no guest ever
 * sees another's FPU or SSE registers.
 */
void pv_fpu_save(struct vcpu *v);
/* A guest-supplied FXSAVE image (VCPUOP_initialise) that FXRSTOR will take without faulting. */
bool pv_fpu_image_ok(const uint8_t *img);

/* The guest frame at the top of this CPU's stack (valid while a guest is current). */
struct cpu_regs *guest_cpu_regs(void);

/* Handles an exception or interrupt taken while a guest ran (regs->cs RPL 3). */
void pv_trap(struct cpu_regs *regs);

/* Called on every return to a guest: delivers a pending event upcall, picks the next vCPU. */
void pv_return_to_guest(struct cpu_regs *regs);

/* Sends the guest an exception through its virtual IDT; crashes it if it has no handler. */
void pv_inject_exception(struct vcpu *v, struct cpu_regs *regs, unsigned int vector, bool has_error,
			 uint64_t error);

/* Switches a vCPU between guest kernel and guest user mode (page tables, GS base). */
void pv_toggle_guest_mode(struct vcpu *v);

/*
 * Emulates the instruction at regs->rip if it is one a PV guest may not execute natively but
 * is allowed (forced-emulation CPUID, MOV to/from CR, RDMSR/WRMSR, port I/O under virtual IOPL,
 * RDTSC...). True if emulated (regs advanced), false to bounce the fault to the guest.
 */
bool pv_emulate(struct vcpu *v, struct cpu_regs *regs);

/* The hypercall entry for `syscall` from a guest (pv/entry.S). */
void pv_syscall(struct cpu_regs *regs);

/* A `syscall` from guest user mode: sent to the guest kernel's syscall callback. */
void pv_bounce_syscall(struct vcpu *v, struct cpu_regs *regs);

/* HYPERVISOR_iret: restores the frame on the guest stack; returns the restored RAX. */
long do_iret(struct cpu_regs *regs);

/* Per-CPU syscall set-up (STAR, LSTAR, FMASK, KERNEL_GS_BASE); on every CPU at boot. */
void pv_syscall_init_cpu(void);

#endif /* ASM_PV_H */
