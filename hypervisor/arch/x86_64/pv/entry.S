/* SPDX-License-Identifier: GPL-2.0-only */
/* Guest entry and exit: `syscall` from a PV guest, the common return path, first entry. */
#include <asm/asm_frame.h>
#include <asm/layout.h>

#define PERCPU_SYSCALL_RSP   0
#define PERCPU_SYSCALL_STACK 8
#define GUEST_CS64           0xe033
#define GUEST_DS             0xe02b
#define VEC_SYSCALL          0x100

	.text
/*
 * `syscall` from guest kernel (a hypercall) or guest user mode (bounced to the guest kernel).
 * IF is off (FMASK). The only use of %gs in the hypervisor: KERNEL_GS_BASE points at this CPU's
 * struct percpu, long enough to find the stack; the guest's GS base is back before any C runs.
 * The frame built is struct cpu_regs, at the same place as a trap from ring 3 would put it.
 */
	.balign 16
	.globl pv_syscall_entry
pv_syscall_entry:
	swapgs
	mov %rsp, %gs:PERCPU_SYSCALL_RSP
	mov %gs:PERCPU_SYSCALL_STACK, %rsp
	push $GUEST_DS
	push %gs:PERCPU_SYSCALL_RSP
	swapgs
	push %r11
	push $GUEST_CS64
	push %rcx
	push $0
	push $VEC_SYSCALL
	SAVE_REGS
	cld
	xor %ebp, %ebp
	mov %rsp, %rdi
	call pv_syscall
	/* fall through */

/* Return to the guest whose frame is at %rsp: event checks and scheduling first. */
	.globl pv_exit_to_guest
pv_exit_to_guest:
	cli
	mov %rsp, %rdi
	call pv_return_to_guest
	RESTORE_REGS_IRET

/*
 * pv_enter_frame(const struct cpu_regs *src): copy src over this CPU's guest frame and return
 * to the guest. The old stack contents are abandoned (callers never return).
 */
	.globl pv_enter_frame
pv_enter_frame:
	cli
	mov %rdi, %rsi
	mov %rsp, %rdi
	or $(STACK_SIZE - 1), %rdi
	sub $(CPU_INFO_SIZE + FRAME_SIZE - 1), %rdi
	mov %rdi, %rsp
	mov $(FRAME_SIZE / 8), %ecx
	rep movsq
	jmp pv_exit_to_guest
