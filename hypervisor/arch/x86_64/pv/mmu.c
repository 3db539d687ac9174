/* SPDX-License-Identifier: GPL-2.0-only */
/* PV page-table hypercalls: mmu_update, update_va_mapping, mmuext_op, over the page-type rules. */
#include <asm/cpu.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <hospes/domain.h>
#include <hospes/errno.h>
#include <hospes/guest_access.h>
#include <hospes/lib.h>
#include <hospes/mm.h>
#include <hospes/pagetype.h>
#include <hospes/pvmm.h>
#include <hospes/sched.h>
#include <hospes/setup.h>
#include <hospes/spinlock.h>
#include <public/xen.h>

#define PTE_GNTTAB (1ULL << 62) /* pagetype.c's tag on grant mappings */

static spinlock_t pv_mm_lock = SPINLOCK_INIT; /* every type and count change */
static struct pt_env env;
static uint32_t flush_clock;

static uint64_t *mmu_map(uint64_t mfn)
{
	return __va(mfn << PAGE_SHIFT);
}

struct domain *pv_domain_by_id(uint16_t domid)
{
	return domain_lookup(domid);
}

/* The last reference to a frame the domain gave back went: it returns to the allocator. */
static void mmu_release(uint64_t mfn)
{
	struct frame_info *f = &frame_table[mfn];
	struct domain *d = pv_domain_by_id(f->owner);

	if (f->count_info & (PGC_ALLOCATED | PGC_XEN_HEAP))
		return;
	if (d && (mfn << PAGE_SHIFT) == d->shared_info_maddr)
		return; /* the hypervisor's page, lent to the domain: domain_destroy frees it */
	if (d)
		d->tot_pages--;
	pv_flush_tlb_all(); /* no stale mapping may reach the frame's next owner */
	m2p_set(mfn, INVALID_M2P_ENTRY);
	f->state = FRAME_HV;
	f->order = 0;
	frame_free(&frame_pool, mfn, 0);
}

/*
 * Machine frames an I/O-capable domain may map: not RAM (ACPI, NVS, reserved, holes: MMIO),
 * except the interrupt controllers the hypervisor drives itself (the IOAPIC window and the local
 * APIC page). The HPET stays the domain's: the hypervisor calibrates against the PIT.
 */
bool pv_io_frame(uint64_t mfn)
{
	uint64_t start = mfn << PAGE_SHIFT, end = start + PAGE_SIZE;

	if (mfn >> ((cpuid(0x80000008).eax & 0xff) - PAGE_SHIFT))
		return false; /* beyond the physical address width */
	if (end > 0xfec00000ULL && start < 0xfed00000ULL)
		return false; /* IOAPICs */
	if (end > 0xfee00000ULL && start < 0xfee01000ULL)
		return false; /* local APIC */
	for (unsigned int i = 0; i < host_memmap.nr; i++) {
		const struct mem_region *r = &host_memmap.r[i];

		if (r->start < end && start < r->end && r->type != MEM_ACPI && r->type != MEM_NVS &&
		    r->type != MEM_RESERVED)
			return false; /* RAM, the hypervisor's, boot data, unusable RAM */
	}
	return true;
}

void pv_share_xen_page(struct domain *d, paddr_t maddr)
{
	struct frame_info *f = &frame_table[maddr >> PAGE_SHIFT];

	f->state = FRAME_GUEST;
	f->owner = d->domid;
	f->type_info = 0;
	f->count_info = PGC_XEN_HEAP;
}

const struct pt_env *pv_pt_env(void)
{
	if (!env.frames) {
		env.frames = frame_table;
		env.nr_frames = max_pfn;
		env.map = mmu_map;
		env.release = mmu_release;
		env.flush = pv_flush_tlb_domain;
		env.flush_clock = &flush_clock;
		env.hv_l4 = __va(paging_idle_cr3());
		env.nx_ok = pte_nx != 0;
		env.io_frame = pv_io_frame;
		pv_tlbflush_init();
	}
	return &env;
}

struct pt_dom pv_pt_dom(const struct domain *d)
{
	return (struct pt_dom){
		.domid = d->domid, .cache_attrs_ok = d->is_privileged, .io_ok = d->is_privileged};
}

void pv_mm_lock_acquire(void)
{
	while (!spin_trylock(&pv_mm_lock)) {
		pv_flush_poll(); /* the holder may be waiting for this CPU's flush */
		cpu_relax();
	}
}

void pv_mm_lock_release(void)
{
	spin_unlock(&pv_mm_lock);
}

/*
 * The domain whose frames a request maps: the caller, or (privileged) a named one or DOMID_IO.
 * As Xen: a domain that does not exist is -ESRCH, one the caller may not map from -EPERM.
 */
static int foreign_domain(struct domain *cur, uint64_t domid, struct domain **out)
{
	struct domain *d;

	*out = cur;
	if (domid == DOMID_SELF || domid == cur->domid)
		return 0;
	if (domid == DOMID_IO)
		return cur->is_privileged ? 0 : -EPERM; /* its I/O frames are mappable anyway */
	d = pv_domain_by_id((uint16_t)domid);
	if (!d || d->is_dying)
		return -ESRCH;
	if (!cur->is_privileged)
		return -EPERM;
	*out = d;
	return 0;
}

/* The rules for d's updates that map frames of pg_owner (d itself: none foreign). */
static struct pt_dom pv_pt_dom_for(const struct domain *d, const struct domain *pg_owner)
{
	struct pt_dom pd = pv_pt_dom(d);

	if (pg_owner != d) {
		pd.foreign = true;
		pd.pg_owner = pg_owner->domid;
	}
	return pd;
}

uint32_t pv_batch_count(uint64_t count, uint64_t pdone, uint32_t *done)
{
	uint32_t n = (uint32_t)count;

	*done = 0;
	if (n & PV_BATCH_PREEMPTED) {
		n &= ~PV_BATCH_PREEMPTED;
		if (pdone && copy_from_guest(done, pdone, sizeof(*done)))
			*done = 0;
	}
	return n;
}

/*
 * MMU_NORMAL_PT_UPDATE / PRESERVE_AD: a table entry by its type, else a plain 8-byte store.
 * With a foreign pg_owner only L1 entries can be written, and they map pg_owner's frames.
 */
static int mmu_normal_update(struct domain *d, const struct pt_dom *fd, uint64_t maddr,
			     uint64_t val, bool preserve_ad)
{
	const struct pt_env *e = pv_pt_env();
	struct pt_dom pd = *fd;
	uint64_t mfn = maddr >> PAGE_SHIFT;
	unsigned int idx = (unsigned int)((maddr & (PAGE_SIZE - 1)) >> 3);
	enum page_type type;
	int rc = page_get(e, mfn, d->domid);

	if (rc)
		return -EINVAL;
	type = page_type_of(&frame_table[mfn]);
	if (pd.foreign && type != PGT_L1) {
		rc = -EINVAL; /* foreign frames go in L1 entries only */
	} else if (type >= PGT_L1 && type <= PGT_L4) {
		rc = page_mod_entry(e, &pd, mfn, (unsigned int)type, idx, val, preserve_ad);
	} else {
		rc = page_get_type(e, &pd, mfn, PGT_WRITABLE);
		if (!rc) {
			__atomic_store_n((uint64_t *)__va(maddr & ~7ULL), val, __ATOMIC_SEQ_CST);
			page_put_type(e, &pd, mfn);
		}
	}
	page_put(e, mfn);
	return rc;
}

/* pd: the caller's rules, with the foreign domain (by id: it may die meanwhile) if any. */
static int mmu_one(struct domain *d, const struct pt_dom *pd, const struct mmu_update *req)
{
	unsigned int cmd = req->ptr & 7;
	uint64_t maddr = req->ptr & ~7ULL, mfn = maddr >> PAGE_SHIFT;
	struct frame_info *f;

	switch (cmd) {
	case MMU_NORMAL_PT_UPDATE:
	case MMU_PT_UPDATE_PRESERVE_AD:
	case MMU_PT_UPDATE_NO_TRANSLATE: /* the same for a PV guest */
		return mmu_normal_update(d, pd, maddr, req->val, cmd == MMU_PT_UPDATE_PRESERVE_AD);
	case MMU_MACHPHYS_UPDATE:
		f = pfn_to_frame(mfn);
		if (!f || f->state != FRAME_GUEST ||
		    f->owner != (pd->foreign ? pd->pg_owner : d->domid))
			return -EINVAL;
		m2p_set(mfn, req->val);
		return 0;
	default:
		return -ENOSYS;
	}
}

long do_mmu_update(uint64_t ureqs, uint64_t count, uint64_t pdone, uint64_t foreigndom,
		   uint64_t unused5)
{
	struct domain *d = current_vcpu()->domain, *pg_owner;
	uint32_t pt_dom = (uint32_t)foreigndom >> 16, i, done;
	struct domain *pt_owner;
	struct mmu_update req;
	struct pt_dom pd;
	long rc = 0;

	(void)unused5;
	count = pv_batch_count(count, pdone, &done);
	if (!guest_range_ok(ureqs, count * sizeof(req)))
		return -EFAULT;
	if (pt_dom) {
		rc = foreign_domain(d, pt_dom - 1, &pt_owner);
		if (rc)
			return rc;
		if (pt_owner != d)
			return -ESRCH; /* page tables of another domain: none to update yet */
	}
	rc = foreign_domain(d, foreigndom & 0xffff, &pg_owner);
	if (rc)
		return rc;
	pd = pv_pt_dom_for(d, pg_owner); /* no use of pg_owner after this */
	for (i = 0; i < count; i++) {
		if (copy_from_guest(&req, ureqs + (uint64_t)i * sizeof(req), sizeof(req))) {
			rc = -EFAULT;
			break;
		}
		pv_mm_lock_acquire();
		rc = mmu_one(d, &pd, &req);
		pv_mm_lock_release();
		if (rc)
			break;
	}
	done += i;
	if (pdone && copy_to_guest(pdone, &done, sizeof(done)))
		return rc ? rc : -EFAULT;
	return rc;
}

/* Machine frame of the L1 table holding va's entry under the L4 at l4_maddr; 0 if none. */
uint64_t pv_l1_table_of(paddr_t l4_maddr, uint64_t va)
{
	const uint64_t *t = __va(l4_maddr);
	unsigned int shift = 39;

	if (!l4_maddr)
		return 0; /* no page tables yet */

	for (int level = 4; level > 1; level--, shift -= 9) {
		uint64_t e = t[(va >> shift) & 511];

		if (!(e & PTE_P) || (e & PTE_PS))
			return 0;
		t = __va(e & PTE_ADDR);
	}
	return __pa(t) >> PAGE_SHIFT;
}

/* The flush after update_va_mapping; a vCPU bitmap (UVMF_MULTI) must be readable. */
static long uvm_flush(struct vcpu *v, uint64_t va, uint64_t flags)
{
	uint64_t mask_ptr = flags & ~UVMF_FLUSHTYPE_MASK, mask;

	if ((flags & UVMF_FLUSHTYPE_MASK) && mask_ptr != UVMF_LOCAL && mask_ptr != UVMF_ALL &&
	    copy_from_guest(&mask, mask_ptr, sizeof(mask)))
		return -EFAULT; /* the update itself stands, as on Xen */
	if (!(flags & UVMF_FLUSHTYPE_MASK))
		return 0;
	if (mask_ptr != UVMF_LOCAL)
		pv_flush_tlb_domain(
			v->domain->domid); /* other vCPUs: every CPU holding its tables */
	else if ((flags & UVMF_FLUSHTYPE_MASK) == UVMF_INVLPG)
		invlpg((void *)(uintptr_t)va);
	else
		pv_flush_tlb_local();
	return 0;
}

static long update_va_mapping(const struct pt_dom *fd, uint64_t va, uint64_t pte, uint64_t flags)
{
	struct vcpu *v = current_vcpu();
	struct pt_dom pd = *fd;
	uint64_t l1;
	int rc;

	if (!guest_range_ok(va, 1))
		return -EINVAL;
	pv_mm_lock_acquire();
	l1 = pv_l1_table_of(v->arch.guest_table, va);
	rc = l1 ? page_mod_entry(pv_pt_env(), &pd, l1, 1, (unsigned int)((va >> 12) & 511), pte,
				 false)
		: -EINVAL;
	if (!rc)
		rc = uvm_flush(v, va, flags); /* under the lock: remote flushes are serialised */
	pv_mm_lock_release();
	return rc;
}

long do_update_va_mapping(uint64_t va, uint64_t pte, uint64_t flags, uint64_t unused4,
			  uint64_t unused5)
{
	struct pt_dom pd = pv_pt_dom(current_vcpu()->domain);

	(void)unused4;
	(void)unused5;
	return update_va_mapping(&pd, va, pte, flags);
}

long do_update_va_mapping_otherdomain(uint64_t va, uint64_t pte, uint64_t flags, uint64_t domid,
				      uint64_t unused5)
{
	struct domain *pg_owner;
	int rc = foreign_domain(current_vcpu()->domain, domid & 0xffff, &pg_owner);
	struct pt_dom pd;

	(void)unused5;
	if (rc)
		return rc;
	pd = pv_pt_dom_for(current_vcpu()->domain, pg_owner);
	return update_va_mapping(&pd, va, pte, flags);
}

int pv_dom0_take_tables(struct domain *d, paddr_t l4_maddr)
{
	struct pt_dom pd = pv_pt_dom(d);
	uint64_t mfn = l4_maddr >> PAGE_SHIFT;
	int rc;

	pv_mm_lock_acquire();
	pv_share_xen_page(d, d->shared_info_maddr);
	rc = page_get_and_type(pv_pt_env(), &pd, mfn, PGT_L4); /* the pin, as Xen does */
	if (!rc) {
		frame_table[mfn].type_info |= PGT_PINNED;
		rc = page_get_and_type(pv_pt_env(), &pd, mfn, PGT_L4); /* guest_table */
	}
	pv_mm_lock_release();
	return rc;
}

int pv_get_page_writable(struct domain *d, uint64_t mfn)
{
	struct pt_dom pd = pv_pt_dom(d);
	int rc;

	pv_mm_lock_acquire();
	rc = page_get_and_type(pv_pt_env(), &pd, mfn, PGT_WRITABLE);
	pv_mm_lock_release();
	return rc ? -EINVAL : 0;
}

int pv_get_l4_refs(struct domain *d, paddr_t l4, paddr_t ul4)
{
	struct pt_dom pd = pv_pt_dom(d);
	int rc;

	pv_mm_lock_acquire();
	rc = page_get_and_type(pv_pt_env(), &pd, l4 >> PAGE_SHIFT, PGT_L4);
	if (!rc && ul4) {
		rc = page_get_and_type(pv_pt_env(), &pd, ul4 >> PAGE_SHIFT, PGT_L4);
		if (rc)
			page_put_and_type(pv_pt_env(), &pd, l4 >> PAGE_SHIFT);
	}
	pv_mm_lock_release();
	return rc ? -EINVAL : 0;
}

int pv_grant_set_l1e(struct vcpu *v, uint64_t va, uint64_t pte)
{
	struct pt_dom pd = pv_pt_dom(v->domain);
	uint64_t l1;
	int rc;

	if (!guest_range_ok(va, 1))
		return -EINVAL;
	pv_mm_lock_acquire();
	l1 = pv_l1_table_of(v->arch.guest_table, va);
	rc = l1 ? page_set_grant_entry(pv_pt_env(), &pd, l1, (unsigned int)((va >> 12) & 511), pte)
		: -EINVAL;
	pv_mm_lock_release();
	return rc;
}

int pv_grant_get_frame(struct domain *d, uint64_t mfn, bool writable, bool for_other)
{
	struct pt_dom pd = pv_pt_dom(d);
	int rc;

	pv_mm_lock_acquire();
	rc = writable ? page_get_and_type(pv_pt_env(), &pd, mfn, PGT_WRITABLE)
		      : page_get(pv_pt_env(), mfn, d->domid);
	if (!rc && for_other)
		frame_table[mfn].foreign++; /* d's death must not free it under the mapper */
	pv_mm_lock_release();
	return rc;
}

void pv_grant_put_frame(uint16_t owner, uint64_t mfn, bool writable, bool for_other)
{
	struct pt_dom pd = {.domid = owner}; /* a writable type put looks at no entry */

	pv_mm_lock_acquire();
	if (for_other && frame_table[mfn].foreign)
		frame_table[mfn].foreign--;
	if (writable)
		page_put_and_type(pv_pt_env(), &pd, mfn);
	else
		page_put(pv_pt_env(), mfn);
	pv_mm_lock_release();
}

int pv_grant_set_pte(struct domain *d, uint64_t pte_maddr, uint64_t frame, uint64_t pte)
{
	struct pt_dom pd = pv_pt_dom(d);
	uint64_t table = pte_maddr >> PAGE_SHIFT, old;
	unsigned int idx = (unsigned int)((pte_maddr & (PAGE_SIZE - 1)) >> 3);
	int rc = -EINVAL;

	if (pte_maddr & 7)
		return -EINVAL; /* a misaligned entry address (XSA-227) */
	pv_mm_lock_acquire();
	if (!pfn_to_frame(table) || frame_table[table].state != FRAME_GUEST ||
	    frame_table[table].owner != d->domid || page_type_of(&frame_table[table]) != PGT_L1)
		goto out_unlock;
	old = __atomic_load_n((uint64_t *)__va(table << PAGE_SHIFT) + idx, __ATOMIC_ACQUIRE);
	if (!pte &&
	    (!(old & PTE_P) || !(old & PTE_GNTTAB) || ((old & PTE_ADDR) >> PAGE_SHIFT) != frame))
		goto out_unlock; /* not the grant's mapping any more */
	rc = page_set_grant_entry(pv_pt_env(), &pd, table, idx, pte);
	if (!rc && (old & PTE_P))
		pv_flush_tlb_all(); /* any address space may have cached the old entry */
out_unlock:
	pv_mm_lock_release();
	return rc;
}

void pv_free_lent_page(void *p)
{
	uint64_t mfn = __pa(p) >> PAGE_SHIFT;
	bool kept;

	pv_mm_lock_acquire();
	kept = page_orphan(pv_pt_env(), mfn); /* still mapped elsewhere: the last unmap frees it */
	if (!kept)
		frame_table[mfn].state = FRAME_HV;
	pv_mm_lock_release();
	if (!kept)
		free_hv_pages(p, 0);
}

void pv_domain_release_frames(struct domain *d, uint64_t *freed, uint64_t *kept)
{
	const struct pt_env *e = pv_pt_env();
	struct pt_dom pd = pv_pt_dom(d);

	pv_mm_lock_acquire();
	/* First what d maps of others (a privileged domain's foreign maps): those references go. */
	for (pfn_t pfn = 0; pfn < max_pfn; pfn++)
		if (frame_table[pfn].state == FRAME_GUEST && frame_table[pfn].owner == d->domid)
			page_drop_foreign_entries(e, &pd, pfn);
	for (pfn_t pfn = 0; pfn < max_pfn; pfn++) {
		struct frame_info *f = &frame_table[pfn];

		if (f->state != FRAME_GUEST || f->owner != d->domid ||
		    (f->count_info & PGC_XEN_HEAP) || (pfn << PAGE_SHIFT) == d->shared_info_maddr)
			continue;
		m2p_set(pfn, INVALID_M2P_ENTRY);
		if (page_orphan(e, pfn)) {
			(*kept)++; /* others still map it: freed by the last of their puts */
			continue;
		}
		f->state = FRAME_HV;
		f->order = 0;
		if (frame_free(&frame_pool, pfn, 0) == 0)
			(*freed)++;
	}
	pv_mm_lock_release();
}
