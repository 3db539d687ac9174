/* SPDX-License-Identifier: GPL-2.0-only */
/* Exception and interrupt entry: one stub per vector, a common frame, trap_dispatch(). */
#include <asm/asm_frame.h>
#include <asm/layout.h>

/* Vectors for which the CPU pushes an error code itself. */
#define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || \
			(v) == 29 || (v) == 30)

	/* trap_stubs[v]: the entry stub of vector v, filled in order by the .rept below. */
	.section .rodata
	.balign 8
	.globl trap_stubs
trap_stubs:

	.text
	.balign 16
trap_common:
	SAVE_REGS
	cld
	mov %rsp, %rdi
	call trap_dispatch
	testb $3, FRAME_CS(%rsp)        /* interrupted a guest (CS RPL 3)? */
	jnz pv_exit_to_guest
	RESTORE_REGS_IRET

	.set vec, 0
	.rept 256
	.balign 16
1:
	.if !HAS_ERRCODE(vec)
	push $0
	.endif
	push $vec
	jmp trap_common
	.pushsection .rodata
	.quad 1b
	.popsection
	.set vec, vec + 1
	.endr

