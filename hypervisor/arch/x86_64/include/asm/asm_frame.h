/* SPDX-License-Identifier: GPL-2.0-only */
/* Assembly only: pushing and popping the general registers of struct cpu_regs (asm/traps.h). */
#ifndef ASM_ASM_FRAME_H
#define ASM_ASM_FRAME_H

#ifdef __ASSEMBLY__
/* clang-format off */

#define FRAME_SIZE (22 * 8) /* sizeof(struct cpu_regs) */
#define FRAME_CS   (18 * 8) /* offsetof(struct cpu_regs, cs) */

/* Pushes rdi..r15 so that, with vector and error code above, %rsp is a struct cpu_regs. */
.macro SAVE_REGS
	push %rdi
	push %rsi
	push %rdx
	push %rcx
	push %rax
	push %r8
	push %r9
	push %r10
	push %r11
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
.endm

/* Pops what SAVE_REGS pushed, drops vector and error code, and returns with iretq. */
.macro RESTORE_REGS_IRET
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rax
	pop %rcx
	pop %rdx
	pop %rsi
	pop %rdi
	add $16, %rsp
	iretq
.endm

/* clang-format on */
#endif /* __ASSEMBLY__ */

#endif /* ASM_ASM_FRAME_H */
