/* SPDX-License-Identifier: GPL-2.0-only */
/* PV descriptor tables: set_gdt, update_descriptor, and the guest GDT in each CPU's window. */
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <hospes/bug.h>
#include <hospes/domain.h>
#include <hospes/errno.h>
#include <hospes/guest_access.h>
#include <hospes/lib.h>
#include <hospes/mm.h>
#include <hospes/pagetype.h>
#include <hospes/pvmm.h>

#define GDT_GUEST_PAGES FIRST_RESERVED_GDT_PAGE

/* What each CPU's window shows in its guest pages: a guest frame, or the zero page (0). */
static uint64_t window_frames[CONFIG_NR_CPUS][GDT_GUEST_PAGES];
static bool window_ready[CONFIG_NR_CPUS];
/* What unused guest GDT pages show: no descriptors (in the image: nothing to allocate). */
static uint8_t gdt_zero_page[PAGE_SIZE] __aligned(PAGE_SIZE);

void pv_gdt_load(struct vcpu *v)
{
	struct percpu *pc = this_cpu();
	vaddr_t window = PERCPU_VIRT_START + (vaddr_t)pc->id * PERCPU_WINDOW_SIZE;
	unsigned int nr = (v->arch.gdt_ents + 511) / 512;
	paddr_t zero_page = __pa(gdt_zero_page);

	for (unsigned int i = 0; i < GDT_GUEST_PAGES; i++) {
		uint64_t want = i < nr ? v->arch.gdt_frames[i] : 0;

		if (window_ready[pc->id] && window_frames[pc->id][i] == want)
			continue;
		/* Writable for the CPU only (accessed bits), as Xen maps them; never for the guest. */
		if (paging_map(window + (vaddr_t)i * PAGE_SIZE,
			       want ? want << PAGE_SHIFT : zero_page, 1,
			       want ? (PTE_W | pte_nx) : pte_nx))
			panic("CPU%u: cannot map a GDT page", pc->id);
		window_frames[pc->id][i] = want;
	}
	window_ready[pc->id] = true;
}

static void gdt_put_frames(struct domain *d, const uint64_t *frames, unsigned int nr)
{
	struct pt_dom pd = pv_pt_dom(d);

	for (unsigned int i = 0; i < nr; i++)
		page_put_and_type(pv_pt_env(), &pd, frames[i]);
}

long do_set_gdt(uint64_t uframes, uint64_t entries, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct vcpu *v = current_vcpu();
	struct pt_dom pd = pv_pt_dom(v->domain);
	uint64_t frames[GDT_GUEST_PAGES], old[GDT_GUEST_PAGES];
	unsigned int nr, old_nr, i;

	(void)a3;
	(void)a4;
	(void)a5;
	if (entries > FIRST_RESERVED_GDT_ENTRY)
		return -EINVAL;
	nr = (unsigned int)((entries + 511) / 512);
	if (nr && copy_from_guest(frames, uframes, nr * sizeof(frames[0])))
		return -EFAULT;
	pv_mm_lock_acquire();
	for (i = 0; i < nr; i++)
		if (page_get_and_type(pv_pt_env(), &pd, frames[i], PGT_SEG_DESC))
			break;
	if (i < nr) {
		gdt_put_frames(v->domain, frames, i);
		pv_mm_lock_release();
		return -EINVAL;
	}
	old_nr = (v->arch.gdt_ents + 511) / 512;
	memcpy(old, v->arch.gdt_frames, sizeof(old));
	memcpy(v->arch.gdt_frames, frames, nr * sizeof(frames[0]));
	v->arch.gdt_ents = (unsigned int)entries;
	pv_gdt_load(v);
	gdt_put_frames(v->domain, old, old_nr);
	pv_mm_lock_release();
	return 0;
}

long do_update_descriptor(uint64_t maddr, uint64_t desc, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct domain *d = current_vcpu()->domain;
	const struct pt_env *e = pv_pt_env();
	struct pt_dom pd = pv_pt_dom(d);
	uint64_t mfn = maddr >> PAGE_SHIFT;
	enum page_type type;
	int rc = -EINVAL;

	(void)a3;
	(void)a4;
	(void)a5;
	if ((maddr & 7) || desc_check(&desc))
		return -EINVAL;
	pv_mm_lock_acquire();
	if (page_get(e, mfn, d->domid))
		goto out;
	type = page_type_of(&frame_table[mfn]) == PGT_SEG_DESC ? PGT_SEG_DESC : PGT_WRITABLE;
	if (!page_get_type(e, &pd, mfn, type)) {
		__atomic_store_n((uint64_t *)__va(maddr), desc, __ATOMIC_SEQ_CST);
		page_put_type(e, &pd, mfn);
		rc = 0;
	}
	page_put(e, mfn);
out:
	pv_mm_lock_release();
	return rc;
}
