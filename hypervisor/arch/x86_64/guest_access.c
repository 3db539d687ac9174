/* SPDX-License-Identifier: GPL-2.0-only */
/* Checked copies to and from guest virtual addresses, and the exception fix-up table. */
#include <asm/layout.h>
#include <hospes/errno.h>
#include <hospes/guest_access.h>

struct extable_entry {
	uint64_t insn;
	uint64_t fixup;
};

extern const struct extable_entry __ex_table_start[], __ex_table_end[];
size_t raw_copy_guest(void *dst, const void *src, size_t n);

#define CANONICAL_LOW_END 0x0000800000000000ULL

static bool canonical(uint64_t va)
{
	return va < CANONICAL_LOW_END || va >= 0xffff800000000000ULL;
}

bool guest_range_ok(guest_va_t va, size_t len)
{
	uint64_t last = va + len - 1;

	if (len == 0)
		return canonical(va);
	if (last < va || !canonical(va) || !canonical(last))
		return false;
	if (va < CANONICAL_LOW_END && last >= CANONICAL_LOW_END)
		return false;
	return last < HV_VIRT_START || va >= HV_VIRT_END;
}

int copy_from_guest(void *dst, guest_va_t src, size_t len)
{
	if (!guest_range_ok(src, len))
		return -EFAULT;
	return raw_copy_guest(dst, (const void *)(uintptr_t)src, len) ? -EFAULT : 0;
}

int copy_to_guest(guest_va_t dst, const void *src, size_t len)
{
	if (!guest_range_ok(dst, len))
		return -EFAULT;
	return raw_copy_guest((void *)(uintptr_t)dst, src, len) ? -EFAULT : 0;
}

bool extable_fixup(uint64_t *rip)
{
	for (const struct extable_entry *e = __ex_table_start; e < __ex_table_end; e++) {
		if (e->insn == *rip) {
			*rip = e->fixup;
			return true;
		}
	}
	return false;
}
