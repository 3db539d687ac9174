/* SPDX-License-Identifier: MIT */
/* pvkit: the image's Xen ELF notes, the entry point, the boot stack and the hypercall page. */
#include <public/elfnote.h>
#include <public/features.h>
#include <pvkit/asm.h>

/* ELFNOTE type, directive...: one note named "Xen" in .note.Xen. */
.macro ELFNOTE type:req, desc:vararg
	.pushsection .note.Xen, "a", @note
	.p2align 2
	.long 2f - 1f		/* namesz */
	.long 4f - 3f		/* descsz */
	.long \type
1:	.asciz "Xen"
2:	.p2align 2
3:	\desc
4:	.p2align 2
	.popsection
.endm

	ELFNOTE XEN_ELFNOTE_GUEST_OS,      .asciz "pvkit"
	ELFNOTE XEN_ELFNOTE_GUEST_VERSION, .asciz "0"
	ELFNOTE XEN_ELFNOTE_XEN_VERSION,   .asciz "xen-3.0"
	ELFNOTE XEN_ELFNOTE_LOADER,        .asciz "generic"
	ELFNOTE XEN_ELFNOTE_ENTRY,         .quad _start
#ifdef PVKIT_HIGH
	ELFNOTE XEN_ELFNOTE_VIRT_BASE,     .quad 0xffffffff80000000
#else
	ELFNOTE XEN_ELFNOTE_VIRT_BASE,     .quad 0
#endif
	ELFNOTE XEN_ELFNOTE_PADDR_OFFSET,  .quad 0
	ELFNOTE XEN_ELFNOTE_PAE_MODE,      .asciz "yes"
	ELFNOTE XEN_ELFNOTE_FEATURES,      .asciz "!writable_page_tables|pae_pgdir_above_4gb"
	ELFNOTE XEN_ELFNOTE_SUPPORTED_FEATURES, .long (1 << XENFEAT_dom0)
#ifndef PVKIT_NO_HYPERCALL_PAGE
	ELFNOTE XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page
#endif

	.section .text.head, "ax", @progbits
	.globl _start
_start:
	/* RSI = start_info; RSP = the loader's bootstrap stack, which we leave at once. */
	lea boot_stack_top(%rip), %rsp
	mov %rsi, %rdi
	xor %ebp, %ebp
	call pv_start_c
	ud2

	/*
	 * e_entry points here, the ENTRY note at _start: a loader that starts the image at e_entry
	 * although an ENTRY note exists gets this message and a crashed domain. Only bare syscalls:
	 * nothing is set up yet.
	 */
	.globl _elf_entry
_elf_entry:
	mov $18, %eax			/* console_io(CONSOLEIO_write, len, msg) */
	xor %edi, %edi
	mov $(wrong_entry_msg_end - wrong_entry_msg), %esi
	lea wrong_entry_msg(%rip), %rdx
	syscall
	mov $29, %eax			/* sched_op(SCHEDOP_shutdown, {SHUTDOWN_crash}) */
	mov $2, %edi
	lea wrong_entry_reason(%rip), %rsi
	syscall
	ud2

	/*
	 * Filled with `ret` so that an unfilled page is detectable (pvkit checks byte 0) and a call
	 * into it returns instead of running garbage.
	 */
	.section .text.hypercall_page, "ax", @progbits
	.p2align 12
	.globl hypercall_page
hypercall_page:
	.fill PVKIT_PAGE_SIZE, 1, 0xc3

	.section .rodata
wrong_entry_msg:
	.ascii "pvkit: started at e_entry, not at the ENTRY note\nTest result: ERROR\n"
wrong_entry_msg_end:
	.p2align 2
wrong_entry_reason:
	.long 3

	.globl pvkit_have_hypercall_page
pvkit_have_hypercall_page:
#ifdef PVKIT_NO_HYPERCALL_PAGE
	.byte 0
#else
	.byte 1
#endif

	.section .bss.stack, "aw", @nobits
	.p2align 12
boot_stack:
	.skip PVKIT_STACK_SIZE
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
