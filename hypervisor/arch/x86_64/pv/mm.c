/* SPDX-License-Identifier: GPL-2.0-only */
/* PV memory: the M2P table, the L1-entry check, and the #PF hook. */
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <hospes/bug.h>
#include <hospes/domain.h>
#include <hospes/errno.h>
#include <hospes/lib.h>
#include <hospes/mm.h>
#include <hospes/pagetype.h>
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

paddr_t m2p_maddr(void)
{
	return __pa(m2p_table);
}

int pv_l1e_check(struct domain *d, uint64_t pte)
{
	struct pt_dom pd = pv_pt_dom(d);
	const struct frame_info *f = pfn_to_frame((pte & PTE_ADDR) >> PAGE_SHIFT);
	enum page_type t;

	if (!(pte & PTE_P))
		return 0;
	if (pte_check_flags(pv_pt_env(), &pd, 1, pte))
		return -EINVAL;
	if ((!f || f->state != FRAME_GUEST) && pd.io_ok &&
	    pv_io_frame((pte & PTE_ADDR) >> PAGE_SHIFT))
		return 0; /* I/O memory of a privileged domain */
	if (!f || f->state != FRAME_GUEST || f->owner != d->domid)
		return -EPERM;
	t = page_type_of(f);
	if ((pte & PTE_W) && t != PGT_NONE && t != PGT_WRITABLE)
		return -EPERM; /* page tables and descriptor pages are never writable */
	return 0;
}

bool pv_mm_handle_fault(struct vcpu *v, struct cpu_regs *regs, uint64_t cr2)
{
	return pv_ptwr_fault(v, regs, cr2);
}
