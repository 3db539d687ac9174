/* SPDX-License-Identifier: GPL-2.0-only */
/* Trap entry frame and the interrupt/exception dispatch interface. */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

#include <hospes/types.h>

/* What entry.S saves: general registers, then vector and error code, then the CPU's frame. */
struct cpu_regs {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	uint64_t rax, rcx, rdx, rsi, rdi;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct cpu_regs) == 22 * 8, "entry.S builds this frame");

#define VEC_DB	       1
#define VEC_NMI	       2
#define VEC_BP	       3
#define VEC_OF	       4
#define VEC_UD	       6
#define VEC_NM	       7
#define VEC_DF	       8
#define VEC_GP	       13
#define VEC_PF	       14
#define VEC_MC	       18
#define VEC_FIRST_IRQ  32
#define VEC_IPI_STOP   0xf8 /* another CPU panicked: stop here */
#define VEC_APIC_TIMER 0xf0
#define VEC_EVT_CHECK  0xf1 /* another CPU raised an event or woke a vCPU here */
#define VEC_SPURIOUS   0xff

typedef void (*irq_handler_t)(struct cpu_regs *regs);

/* Installs a handler for an interrupt vector (>= 32). */
void irq_set_handler(unsigned int vector, irq_handler_t fn);

/* Called by entry.S for every vector. */
void trap_dispatch(struct cpu_regs *regs);

/* Prints regs and a stack trace, then stops the machine. */
__noreturn void fatal_trap(const struct cpu_regs *regs);

#endif /* ASM_TRAPS_H */
