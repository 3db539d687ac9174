/* SPDX-License-Identifier: GPL-2.0-only */
/* The one door to guest memory: copies that turn a fault into a short count. */

/*
 * size_t raw_copy_guest(void *dst, const void *src, size_t n): copies n bytes where either side
 * may be a guest address. Returns 0, or the number of bytes not copied when a fault stopped it
 * (the #PF/#GP handler finds 1b in .ex_table and resumes at 2b with %rcx = bytes left).
 */
	.text
	.globl raw_copy_guest
raw_copy_guest:
	mov %rdx, %rcx
1:	rep movsb
	xor %eax, %eax
	ret
2:	mov %rcx, %rax
	ret

/* int raw_read_guest_u64(uint64_t *dst, const uint64_t *src): 0, or -1 on a fault. */
	.globl raw_read_guest_u64
raw_read_guest_u64:
3:	mov (%rsi), %rax
	mov %rax, (%rdi)
	xor %eax, %eax
	ret
4:	mov $-1, %eax
	ret

	.section .ex_table, "a"
	.balign 8
	.quad 1b, 2b
	.quad 3b, 4b
