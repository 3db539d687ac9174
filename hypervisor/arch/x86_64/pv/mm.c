/* SPDX-License-Identifier: GPL-2.0-only */
/* PV memory: the M2P table, guest page-table walks and validated PTE updates. */
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <hospes/bug.h>
#include <hospes/domain.h>
#include <hospes/errno.h>
#include <hospes/lib.h>
#include <hospes/mm.h>
#include <hospes/pvmm.h>
#include <public/xen.h>

static uint64_t *m2p_table; /* direct-mapped, indexed by MFN */

void m2p_init(void)
{
	uint64_t bytes = ROUNDUP(max_pfn * 8, PAGE_SIZE);
	unsigned int order = 0;

	while (((uint64_t)PAGE_SIZE << order) < bytes)
		order++;
	m2p_table = alloc_hv_pages(order);
	if (!m2p_table)
		panic("no memory for the M2P table (%llu KiB)", (unsigned long long)(bytes >> 10));
	memset(m2p_table, 0xff, bytes); /* INVALID_M2P_ENTRY for every frame not given out */
	if (paging_map(RO_MPT_VIRT_START, __pa(m2p_table), bytes >> PAGE_SHIFT,
		       PTE_U | PTE_G | pte_nx))
		panic("cannot map the M2P table");
}

void m2p_set(uint64_t mfn, uint64_t pfn)
{
	if (mfn < max_pfn)
		m2p_table[mfn] = pfn;
}

int pv_l1e_check(struct domain *d, uint64_t pte)
{
	uint64_t mfn = (pte & PTE_ADDR) >> PAGE_SHIFT;
	const struct frame_info *f;

	if (!(pte & PTE_P))
		return 0;
	if (pte & 0x7ff0000000000000ULL)
		return -EINVAL; /* reserved or unsupported bits */
	f = pfn_to_frame(mfn);
	if (!f || f->state != FRAME_GUEST || f->owner != d->domid)
		return -EPERM;
	if ((pte & PTE_W) && (f->type_info >> 60) >= 1 && (f->type_info >> 60) <= 4)
		return -EPERM; /* page tables are never writable from the guest */
	return 0;
}

/* The L1 entry for va in the page tables at l4_maddr; NULL if some level is not present. */
static uint64_t *walk_l1e(paddr_t l4_maddr, uint64_t va)
{
	uint64_t *t = __va(l4_maddr);
	unsigned int shift = 39;

	for (int level = 4; level > 1; level--, shift -= 9) {
		uint64_t e = t[(va >> shift) & 511];

		if (!(e & PTE_P) || (e & PTE_PS))
			return NULL;
		t = __va(e & PTE_ADDR);
	}
	return &t[(va >> 12) & 511];
}

long do_update_va_mapping(uint64_t va, uint64_t pte, uint64_t flags, uint64_t unused4,
			  uint64_t unused5)
{
	struct vcpu *v = current_vcpu();
	struct arch_vcpu *a = &v->arch;
	uint64_t *l1e;
	int rc;

	(void)unused4;
	(void)unused5;
	if (va >= HV_VIRT_START && va < HV_VIRT_END)
		return -EINVAL;
	rc = pv_l1e_check(v->domain, pte);
	if (rc)
		return rc;
	l1e = walk_l1e(
		a->kernel_mode || !a->guest_table_user ? a->guest_table : a->guest_table_user, va);
	if (!l1e)
		return -EINVAL;
	*l1e = (pte & PTE_P) ? pte | PTE_U : pte;
	if ((flags & UVMF_FLUSHTYPE_MASK) == UVMF_INVLPG)
		invlpg((void *)(uintptr_t)va);
	else
		write_cr3(read_cr3());
	return 0;
}

bool pv_mm_handle_fault(struct vcpu *v, struct cpu_regs *regs, uint64_t cr2)
{
	(void)v;
	(void)regs;
	(void)cr2;
	return false;
}
