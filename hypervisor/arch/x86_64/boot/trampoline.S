/* SPDX-License-Identifier: GPL-2.0-only */
/* Application-processor start: copied below 1 MiB, from real mode to long mode, then C. */

#define TRAMP_OFF(s) ((s) - trampoline_start)

	.section .rodata
	.balign 16
	.code16
	.globl trampoline_start
trampoline_start:
	cli
	cld
	mov %cs, %ax
	mov %ax, %ds
	xor %ebx, %ebx
	mov %cs, %bx
	shl $4, %ebx                       /* %ebx = physical base of this page, kept throughout */
	lgdtl TRAMP_OFF(tramp_gdtr)
	mov %cr0, %eax
	or $1, %eax
	mov %eax, %cr0
	ljmpl *TRAMP_OFF(tramp_jump32)

	.code32
	.globl tramp32
tramp32:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %cr4, %eax
	or $0x20, %eax                     /* PAE */
	mov %eax, %cr4
	mov TRAMP_OFF(tramp_cr3)(%ebx), %eax
	mov %eax, %cr3
	mov $0xc0000080, %ecx              /* EFER: LME, and NXE when the BSP uses NX */
	rdmsr
	or TRAMP_OFF(tramp_efer)(%ebx), %eax
	wrmsr
	mov %cr0, %eax
	or $0x80010000, %eax               /* PG, WP */
	mov %eax, %cr0
	ljmp *TRAMP_OFF(tramp_jump64)(%ebx)

	.code64
	.globl tramp64
tramp64:
	mov %ebx, %ebx                     /* upper halves are undefined after the mode switch */
	mov TRAMP_OFF(tramp_stack)(%rbx), %rsi
	mov TRAMP_OFF(tramp_cpu)(%rbx), %rdi
	mov TRAMP_OFF(tramp_idle_cr3)(%rbx), %rdx
	movabs $ap_high_entry, %rax
	jmp *%rax

	.balign 8
tramp_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff           /* 0x08: 32-bit code */
	.quad 0x00cf92000000ffff           /* 0x10: data */
	.quad 0x00af9a000000ffff           /* 0x18: 64-bit code */
tramp_gdt_end:

/* Filled in by smp_boot_cpus() in the copy: physical addresses unless noted. */
	.balign 8
	.globl tramp_gdtr, tramp_jump32, tramp_jump64, tramp_cr3, tramp_efer
	.globl tramp_stack, tramp_cpu, tramp_idle_cr3, tramp_gdt
tramp_gdtr:
	.short tramp_gdt_end - tramp_gdt - 1
	.long 0                            /* base of tramp_gdt */
	.balign 8
tramp_jump32:
	.long 0                            /* base + TRAMP_OFF(tramp32) */
	.short 0x08
	.balign 8
tramp_jump64:
	.long 0                            /* base + TRAMP_OFF(tramp64) */
	.short 0x18
	.balign 8
tramp_cr3:
	.quad 0
tramp_efer:
	.quad 0
tramp_stack:
	.quad 0                            /* virtual */
tramp_cpu:
	.quad 0                            /* struct percpu *, virtual */
tramp_idle_cr3:
	.quad 0                            /* the final page tables, for ap_high_entry */
	.globl trampoline_end
trampoline_end:

/*
 * Runs at the image's high address, still on the boot page tables: switch to the final tables
 * (which map this CPU's stack wherever it is), then take the stack and enter C.
 * In: %rdi struct percpu *, %rsi stack top, %rdx CR3.
 */
	.text
ap_high_entry:
	mov %rdx, %cr3
	mov %rsi, %rsp
	xor %ebp, %ebp
	push $0                            /* no return address: keeps the ABI's stack alignment */
	jmp start_secondary
