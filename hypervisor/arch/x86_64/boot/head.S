/* SPDX-License-Identifier: GPL-2.0-only */
/* Multiboot2 entry: from GRUB's 32-bit protected mode to long mode at the image's high address. */
#include <asm/layout.h>

#define MB2_MAGIC          0xe85250d6
#define MB2_BOOT_MAGIC     0x36d76289
#define MB2_ARCH_I386      0
#define MB2_TAG_END        0
#define MB2_TAG_ENTRY      3
#define MB2_TAG_MOD_ALIGN  6

#define COM1               0x3f8
#define PTE_P              0x001
#define PTE_W              0x002
#define PTE_PS             0x080
#define CR0_PE             0x00000001
#define CR0_WP             0x00010000
#define CR0_PG             0x80000000
#define CR4_PAE            0x00000020
#define MSR_EFER           0xc0000080
#define EFER_LME           0x00000100
#define EFER_NXE           0x00000800

/* Physical address of a symbol linked at its high virtual address. */
#define sym_phys(s)        ((s) - HV_PHYS_OFFSET)

	.section .text.boot, "ax"
	.code32

	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* Entry address tag: GRUB jumps here in 32-bit protected mode, paging off. */
	.balign 8
	.short MB2_TAG_ENTRY
	.short 0
	.long 12
	.long sym_phys(start32)
	/* Page-align modules so they can be handed to a domain frame by frame. */
	.balign 8
	.short MB2_TAG_MOD_ALIGN
	.short 0
	.long 8
	.balign 8
	.short MB2_TAG_END
	.short 0
	.long 8
mb2_header_end:

/*
 * Print the NUL-terminated string at physical address %esi on COM1 and halt. Used only before
 * long mode, when nothing else can report a problem.
 */
early_fail:
	mov $COM1 + 5, %dx
1:	inb %dx, %al
	test $0x20, %al
	jz 1b
	lodsb
	test %al, %al
	jz 2f
	mov $COM1, %dx
	outb %al, %dx
	mov $COM1 + 5, %dx
	jmp 1b
2:	cli
	hlt
	jmp 2b

	.globl start32
start32:
	cli
	cld
	cmp $MB2_BOOT_MAGIC, %eax
	je 1f
	mov $sym_phys(msg_not_mb2), %esi
	jmp early_fail
1:	mov %ebx, %edi                 /* multiboot2 information, physical; kept in %edi */

	/* Long mode is required; NX is used when the CPU has it. */
	mov $0x80000000, %eax
	cpuid
	cmp $0x80000001, %eax
	jb no_long_mode
	mov $0x80000001, %eax
	cpuid
	bt $29, %edx
	jnc no_long_mode
	xor %ebp, %ebp
	bt $20, %edx
	jnc 1f
	mov $EFER_NXE, %ebp
1:
	/* Four page directories mapping physical 0-4 GiB with 2 MiB pages. */
	mov $sym_phys(boot_l2), %ebx
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $(PTE_P | PTE_W | PTE_PS), %eax
	mov %eax, (%ebx, %ecx, 8)
	mov %ecx, %eax
	shr $11, %eax                  /* high bits of (i << 21) */
	mov %eax, 4(%ebx, %ecx, 8)
	inc %ecx
	cmp $2048, %ecx
	jb 1b

	/* Paging on: PAE, EFER.LME (+NXE), CR3, then PG. */
	mov %cr4, %eax
	or $CR4_PAE, %eax
	mov %eax, %cr4
	mov $sym_phys(boot_l4), %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or $EFER_LME, %eax
	or %ebp, %eax
	wrmsr
	mov %cr0, %eax
	or $(CR0_PG | CR0_PE | CR0_WP), %eax
	mov %eax, %cr0

	lgdt sym_phys(boot_gdtr)
	ljmp $0x08, $sym_phys(start64_low)

no_long_mode:
	mov $sym_phys(msg_no_lm), %esi
	jmp early_fail

	.code64
start64_low:
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs
	movabs $start64_high, %rax
	jmp *%rax

	.text
start64_high:
	/* Reload the GDT through its high address so the identity map can go later. */
	movabs $boot_gdtr_high, %rax
	lgdt (%rax)
	/* Clear .bss (GRUB zeroes it too, but do not rely on a loader for that). */
	mov %edi, %ebx
	movabs $__bss_start, %rdi
	movabs $__bss_end, %rcx
	sub %rdi, %rcx
	xor %eax, %eax
	rep stosb
	movabs $boot_stack_top - CPU_INFO_SIZE, %rsp
	xor %ebp, %ebp
	mov %ebx, %edi                  /* start_hospes(mbi_phys) */
	call start_hospes
1:	cli
	hlt
	jmp 1b

	.section .rodata.boot, "a"
msg_not_mb2:
	.asciz "Hospes: not started by a multiboot2 loader (boot it with GRUB's multiboot2 command)\r\n"
msg_no_lm:
	.asciz "Hospes: this CPU has no long mode (x86_64 required)\r\n"

	.balign 16
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff      /* 0x08: ring-0 64-bit code */
	.quad 0x00cf92000000ffff      /* 0x10: ring-0 data */
boot_gdt_end:
boot_gdtr:
	.short boot_gdt_end - boot_gdt - 1
	.long sym_phys(boot_gdt)
	.long 0
	.balign 8
boot_gdtr_high:
	.short boot_gdt_end - boot_gdt - 1
	.quad boot_gdt

/*
 * Boot page tables, in .data so that clearing .bss cannot wipe them while in use. The same four
 * page directories (0-4 GiB) back the identity map, the image mapping and the direct map until
 * paging_init() builds the final tables.
 */
	.section .data.page_aligned, "aw"
	.balign PAGE_SIZE
	.globl boot_l4
boot_l4:
	.quad sym_phys(boot_l3_ident) + (PTE_P | PTE_W)
	.fill 260, 8, 0
	.quad sym_phys(boot_l3_image) + (PTE_P | PTE_W)    /* slot 261 */
	.quad sym_phys(boot_l3_dmap) + (PTE_P | PTE_W)     /* slot 262 */
	.fill 249, 8, 0
boot_l3_ident:
	.quad sym_phys(boot_l2) + (PTE_P | PTE_W)
	.quad sym_phys(boot_l2) + PAGE_SIZE + (PTE_P | PTE_W)
	.quad sym_phys(boot_l2) + 2 * PAGE_SIZE + (PTE_P | PTE_W)
	.quad sym_phys(boot_l2) + 3 * PAGE_SIZE + (PTE_P | PTE_W)
	.fill 508, 8, 0
boot_l3_image:
	.fill 321, 8, 0
	.quad sym_phys(boot_l2) + (PTE_P | PTE_W)          /* HV_IMAGE_VIRT: phys 0-1 GiB */
	.fill 190, 8, 0
boot_l3_dmap:
	.quad sym_phys(boot_l2) + (PTE_P | PTE_W)
	.quad sym_phys(boot_l2) + PAGE_SIZE + (PTE_P | PTE_W)
	.quad sym_phys(boot_l2) + 2 * PAGE_SIZE + (PTE_P | PTE_W)
	.quad sym_phys(boot_l2) + 3 * PAGE_SIZE + (PTE_P | PTE_W)
	.fill 508, 8, 0
	.globl boot_l2
boot_l2:
	.fill 4 * 512, 8, 0

	.section .bss.stack, "aw", @nobits
	.balign STACK_SIZE
	.globl boot_stack
boot_stack:
	.skip STACK_SIZE
boot_stack_top:
