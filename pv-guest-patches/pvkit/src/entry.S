/* SPDX-License-Identifier: MIT */
/* pvkit: exception and event entry stubs, the iret path back to the interrupted code, catch. */
#include <pvkit/asm.h>

	.text

/* Exception without an error code: drop the hypervisor's rcx/r11, push 0 and the vector. */
.macro TRAP_NOERR vec
	.globl pv_trap_\vec
pv_trap_\vec:
	pop %rcx
	pop %r11
	push $0
	push $\vec
	jmp pv_trap_common
.endm

/* Exception with an error code: the hypervisor already put it below rip. */
.macro TRAP_ERR vec
	.globl pv_trap_\vec
pv_trap_\vec:
	pop %rcx
	pop %r11
	push $\vec
	jmp pv_trap_common
.endm

TRAP_NOERR 0
TRAP_NOERR 1
TRAP_NOERR 2
TRAP_NOERR 3
TRAP_NOERR 4
TRAP_NOERR 5
TRAP_NOERR 6
TRAP_NOERR 7
TRAP_ERR   8
TRAP_NOERR 9
TRAP_ERR   10
TRAP_ERR   11
TRAP_ERR   12
TRAP_ERR   13
TRAP_ERR   14
TRAP_NOERR 15
TRAP_NOERR 16
TRAP_ERR   17
TRAP_NOERR 18
TRAP_NOERR 19
TRAP_NOERR 0x21

/* Event-channel upcall: the frame has no error code. */
	.globl pv_event_entry
pv_event_entry:
	pop %rcx
	pop %r11
	push $0
	push $256
	jmp pv_trap_common

/* Syscall from guest user mode (CALLBACKTYPE_syscall): the frame has no error code. */
	.globl pv_syscall_entry
pv_syscall_entry:
	pop %rcx
	pop %r11
	push $0
	push $257
	jmp pv_trap_common

/*
 * void pv_enter_user(rip, rsp): leave guest kernel mode for user mode at rip with stack rsp
 * and events enabled, through the iret hypercall (CS RPL 3 makes the hypervisor switch to the
 * user page table).
 */
	.globl pv_enter_user
pv_enter_user:
	push $PVKIT_FLAT_KERNEL_SS
	push %rsi
	push $0x202
	push $PVKIT_FLAT_USER_CS
	push %rdi
	jmp pv_iret

/* Failsafe callback: the hypervisor could not restore segments; treat it as fatal. */
	.globl pv_failsafe_entry
pv_failsafe_entry:
	and $-16, %rsp
	call pv_failsafe
	ud2

pv_trap_common:
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
	mov %rsp, %rdi
	mov %rsp, %rbp
	and $-16, %rsp
	cld
	call pv_trap_dispatch
	mov %rbp, %rsp
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
	add $16, %rsp		/* vector, error code */
	/* fall through */

/*
 * Return to the frame at %rsp (rip, cs, rflags, rsp, ss) with the iret hypercall, which also
 * restores the event mask from rflags.IF. Flags word 0: not returning from a syscall.
 */
	.globl pv_iret
pv_iret:
	push $0
	cmpb $0, pvkit_hcall_use_page(%rip)
	je 1f
	jmp hypercall_page + PVKIT_HCALL_IRET * PVKIT_HCALL_SLOT
1:	push %rcx
	push %r11
	push %rax
	mov $PVKIT_HCALL_IRET, %eax
	syscall
	ud2

/*
 * int pv_catch_save(struct pv_catch *c): saves callee-saved registers, the stack and the return
 * address; returns 0. pv_trap_dispatch resumes such a context with rax = 1.
 */
	.globl pv_catch_save
pv_catch_save:
	mov %rbx, 0(%rdi)
	mov %rbp, 8(%rdi)
	mov %r12, 16(%rdi)
	mov %r13, 24(%rdi)
	mov %r14, 32(%rdi)
	mov %r15, 40(%rdi)
	lea 8(%rsp), %rax
	mov %rax, 48(%rdi)	/* rsp after return */
	mov (%rsp), %rax
	mov %rax, 56(%rdi)	/* return address */
	xor %eax, %eax
	ret

	.section .note.GNU-stack, "", @progbits
