/* SPDX-License-Identifier: GPL-2.0-only */
/* Guest segment selectors: checks before returning to them, and the user %gs selector load. */
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/pv_emul.h>
#include <hospes/errno.h>

#define AR_TYPE_CODE  (1u << 11)
#define AR_TYPE_WRITE (1u << 9)	 /* data: writable */
#define AR_TYPE_CONF  (1u << 10) /* code: conforming */
#define AR_S	      (1u << 12)
#define AR_DPL_SHIFT  13
#define AR_P	      (1u << 15)

/*
 * The access rights of sel as the CPU sees them now (LAR); false if none. LAR reads the
 * descriptor: a GDT/LDT page that is not mapped faults, and .ex_table resumes after it.
 */
static bool selector_rights(uint16_t sel, uint32_t *ar)
{
	uint32_t r = 0;
	uint8_t ok = 0;

	__asm__ volatile("1: lar %k2, %k0\n"
			 "   setz %1\n"
			 "2:\n"
			 ".pushsection .ex_table, \"a\"\n"
			 ".balign 8\n"
			 ".quad 1b, 2b\n"
			 ".popsection\n"
			 : "+r"(r), "+q"(ok)
			 : "r"((uint32_t)sel)
			 : "cc", "memory");
	*ar = r;
	return ok;
}

bool pv_selector_ok(uint16_t sel, bool code)
{
	uint32_t ar;

	if ((sel & ~3u) == 0 || !selector_rights(sel, &ar))
		return false;
	if (!(ar & AR_P) || !(ar & AR_S) || ((ar >> AR_DPL_SHIFT) & 3) != 3)
		return false;
	if (code)
		return (ar & AR_TYPE_CODE) && !(ar & AR_TYPE_CONF);
	return !(ar & AR_TYPE_CODE) && (ar & AR_TYPE_WRITE);
}

/*
 * SEGBASE_GS_USER_SEL: loads %gs with sel (RPL forced to 3; a null selector clears the base)
 * and takes the user GS base from its descriptor, as Xen does. The selector is checked with
 * LAR first, so the load itself cannot fault. The guest kernel's GS base stays in force.
 */
long pv_load_user_gs_sel(struct arch_vcpu *a, uint64_t arg)
{
	uint16_t sel = (uint16_t)arg;
	uint32_t ar;
	uint64_t base = 0;

	if (sel > 3) {
		sel |= 3;
		if (!selector_rights(sel, &ar) || !(ar & AR_P) || !(ar & AR_S) ||
		    ((ar & AR_TYPE_CODE) && !(ar & AR_TYPE_WRITE))) /* execute-only code */
			return -EINVAL;
		__asm__ volatile("mov %k0, %%gs" : : "r"((uint32_t)sel) : "memory");
		base = rdmsr(MSR_GS_BASE);
	} else {
		__asm__ volatile("mov %k0, %%gs" : : "r"(0u) : "memory");
	}
	a->gs_base_user = base;
	wrmsr(MSR_GS_BASE, a->kernel_mode ? a->gs_base_kernel : a->gs_base_user);
	return 0;
}
