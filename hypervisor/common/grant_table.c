/* SPDX-License-Identifier: GPL-2.0-only */
/* Grant tables v1: grant_table_op (setup, query, versions, map/unmap into PTEs, copy). */
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <hospes/domain.h>
#include <hospes/errno.h>
#include <hospes/grant_table.h>
#include <hospes/guest_access.h>
#include <hospes/heap.h>
#include <hospes/lib.h>
#include <hospes/mm.h>
#include <hospes/pvmm.h>
#include <hospes/sched.h>
#include <hospes/spinlock.h>

#define GNTTAB_MAX_BATCH 4096	    /* ops per call (no continuations yet) */
#define MAP_IN_USE	 (1u << 31) /* maptrack entry flag, next to GNTMAP_* */

struct gnttab_maptrack {
	uint32_t flags; /* GNTMAP_host_map/device_map/readonly | MAP_IN_USE; 0: free */
	domid_t domid;	/* granting domain */
	grant_ref_t ref;
	uint64_t host_addr;
	uint64_t frame;
};

/* One lock for every table: an op touches the caller's and the granting domain's. */
static spinlock_t gnttab_lock = SPINLOCK_INIT;

struct grant_table {
	unsigned int nr_frames;
	struct grant_entry_v1 *shared[GNTTAB_MAX_FRAMES]; /* frames the domain maps */
	struct gnttab_active *active[GNTTAB_MAX_FRAMES];  /* the pins of each frame's entries */
	struct gnttab_maptrack maptrack[GNTTAB_MAX_MAPS];
};

#define ACTIVE_ORDER 1 /* pages of pins per table frame */
_Static_assert((4096u << ACTIVE_ORDER) / sizeof(struct gnttab_active) >= GNTTAB_ENTRIES_PER_FRAME,
	       "the pins of a table frame fit");

/* ---- frames and references: the one place to adapt to the MM refcount API ---- */

/*
 * References frame of d for the grant's lifetime: a general reference, and for writable use the
 * writable type (so it can never be or become a page table meanwhile). Held for another domain
 * (for_other), the reference also keeps the frame alive past d's death.
 */
static int gnttab_get_frame(const struct domain *d, uint64_t frame, bool writable, bool for_other)
{
	const struct frame_info *f = pfn_to_frame(frame);

	if (!f || f->state != FRAME_GUEST || f->owner != d->domid)
		return GNTST_bad_page;
	if (pv_grant_get_frame((struct domain *)d, frame, writable, for_other))
		return GNTST_general_error;
	return GNTST_okay;
}

static void gnttab_put_frame(domid_t owner, uint64_t frame, bool writable, bool for_other)
{
	pv_grant_put_frame(owner, frame, writable, for_other);
}

/* Shares a new table frame with the domain (it maps it with update_va_mapping). */
static void *gnttab_alloc_shared_frame(struct domain *d)
{
	void *p = alloc_hv_pages(0);

	if (!p)
		return NULL;
	memset(p, 0, PAGE_SIZE);
	pv_share_xen_page(d, __pa(p)); /* mappable, never freed by its mappings' references */
	return p;
}

static void gnttab_free_shared_frame(void *p)
{
	pv_free_lent_page(p); /* a toolstack may still map it: then its last unmap frees it */
}

/* ---- tables ---- */

static int gnttab_grow(struct domain *d, struct grant_table *gt, unsigned int nr)
{
	while (gt->nr_frames < nr) {
		unsigned int i = gt->nr_frames;

		gt->shared[i] = gnttab_alloc_shared_frame(d);
		gt->active[i] = alloc_hv_pages(ACTIVE_ORDER);
		if (!gt->shared[i] || !gt->active[i]) {
			if (gt->shared[i])
				gnttab_free_shared_frame(gt->shared[i]);
			if (gt->active[i])
				free_hv_pages(gt->active[i], ACTIVE_ORDER);
			gt->shared[i] = NULL;
			gt->active[i] = NULL;
			return -ENOMEM;
		}
		memset(gt->active[i], 0, PAGE_SIZE << ACTIVE_ORDER);
		gt->nr_frames = i + 1;
	}
	return 0;
}

/* d's table, created with one frame on first use (as Xen starts with one). */
static struct grant_table *gnttab_get(struct domain *d)
{
	struct grant_table *gt = d->grant_table;

	if (gt)
		return gt;
	gt = xzalloc(sizeof(*gt));
	if (!gt)
		return NULL;
	if (gnttab_grow(d, gt, 1)) {
		xfree(gt);
		return NULL;
	}
	d->grant_table = gt;
	return gt;
}

void gnttab_domain_destroy(struct domain *d)
{
	struct grant_table *gt;

	spin_lock(&gnttab_lock); /* no op of another domain is inside the table meanwhile */
	gt = d->grant_table;
	d->grant_table = NULL;
	spin_unlock(&gnttab_lock);
	if (!gt)
		return;
	for (unsigned int i = 0; i < gt->nr_frames; i++) {
		gnttab_free_shared_frame(gt->shared[i]);
		free_hv_pages(gt->active[i], ACTIVE_ORDER);
	}
	xfree(gt);
}

static unsigned int nr_entries(const struct grant_table *gt)
{
	return gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME;
}

static struct grant_entry_v1 *shared_entry(struct grant_table *gt, grant_ref_t ref)
{
	return &gt->shared[ref / GNTTAB_ENTRIES_PER_FRAME][ref % GNTTAB_ENTRIES_PER_FRAME];
}

static struct gnttab_active *active_entry(struct grant_table *gt, grant_ref_t ref)
{
	return &gt->active[ref / GNTTAB_ENTRIES_PER_FRAME][ref % GNTTAB_ENTRIES_PER_FRAME];
}

/* The domain named by dom for the caller: itself (DOMID_SELF or its id), or any if privileged. */
static struct domain *gnttab_lookup(struct domain *cur, domid_t dom, bool allow_self, int *status)
{
	struct domain *d;

	if (dom == DOMID_SELF && allow_self)
		return cur;
	d = dom == cur->domid ? cur : domain_lookup(dom);
	if (!d || d->is_dying) {
		*status = GNTST_bad_domain;
		return NULL;
	}
	if (d != cur && !cur->is_privileged) {
		*status = GNTST_permission_denied;
		return NULL;
	}
	return d;
}

/* ---- host mappings: PTEs in the caller's current page tables ---- */

/*
 * addr: a virtual address in v's kernel tables, or (GNTMAP_contains_pte) the machine address of
 * a PTE. The guest's GNTMAP_guest_avail bits become the PTE's available bits 9-11
 * (XENFEAT_gnttab_map_avail_bits: Linux marks its user grant PTEs special this way).
 */
static int gnttab_create_host_mapping(struct vcpu *v, uint64_t addr, uint32_t flags, uint64_t frame)
{
	uint64_t pte = (frame << PAGE_SHIFT) | PTE_P | PTE_A | PTE_D | PTE_U | pte_nx |
		       ((flags & GNTMAP_readonly) ? 0 : PTE_W) |
		       ((uint64_t)((flags >> GNTMAP_guest_avail0) & 7) << 9);

	if (flags & GNTMAP_contains_pte)
		return pv_grant_set_pte(v->domain, addr, frame, pte) ? GNTST_general_error
								     : GNTST_okay;
	if (addr & (PAGE_SIZE - 1))
		return GNTST_general_error;
	if (pv_grant_set_l1e(v, addr, pte))
		return GNTST_general_error;
	invlpg((void *)(uintptr_t)addr);
	return GNTST_okay;
}

static int gnttab_destroy_host_mapping(struct vcpu *v, uint64_t va, bool contains_pte,
				       uint64_t frame)
{
	uint64_t l1, old;

	if (contains_pte) /* va is the PTE's machine address */
		return pv_grant_set_pte(v->domain, va, frame, 0) ? GNTST_general_error : GNTST_okay;
	l1 = (va & (PAGE_SIZE - 1)) || !guest_range_ok(va, 1)
		     ? 0
		     : pv_l1_table_of(v->arch.guest_table, va);
	if (!l1)
		return GNTST_general_error;
	old = __atomic_load_n((uint64_t *)__va(l1 << PAGE_SHIFT) + ((va >> PAGE_SHIFT) & 511),
			      __ATOMIC_ACQUIRE);
	if (!(old & PTE_P) || !(old & (1ULL << 62)) || ((old & PTE_ADDR) >> PAGE_SHIFT) != frame)
		return GNTST_general_error; /* not the grant's mapping any more */
	if (pv_grant_set_l1e(v, va, 0))
		return GNTST_general_error;
	invlpg((void *)(uintptr_t)va);
	return GNTST_okay;
}

/* ---- map / unmap ---- */

static uint32_t pin_inc(uint32_t flags)
{
	bool ro = flags & GNTMAP_readonly;

	if (flags & GNTMAP_host_map)
		return ro ? GNTPIN_HSTR_INC : GNTPIN_HSTW_INC;
	return ro ? GNTPIN_DEVR_INC : GNTPIN_DEVW_INC;
}

static int maptrack_alloc(struct grant_table *lgt)
{
	for (unsigned int h = 0; h < GNTTAB_MAX_MAPS; h++)
		if (!lgt->maptrack[h].flags)
			return (int)h;
	return -1;
}

/* Validates op and the granting entry, pins it, then installs the mapping. */
static int gnttab_map_one(struct vcpu *v, struct gnttab_map_grant_ref *op)
{
	struct domain *ld = v->domain, *rd;
	struct grant_table *lgt = gnttab_get(ld), *rgt;
	struct gnttab_active *act;
	uint32_t inc, kinds = op->flags & (GNTMAP_host_map | GNTMAP_device_map);
	bool ro = op->flags & GNTMAP_readonly;
	int rc, h;

	if (!kinds || kinds == (GNTMAP_host_map | GNTMAP_device_map) ||
	    ((op->flags & GNTMAP_contains_pte) && !(op->flags & GNTMAP_host_map)))
		return GNTST_bad_gntref; /* Xen's answer to bad flags */
	rd = op->dom == ld->domid ? ld : domain_lookup(op->dom);
	if (!rd || rd->is_dying || !lgt)
		return GNTST_bad_domain;
	rgt = gnttab_get(rd);
	if (!rgt)
		return GNTST_bad_domain;
	h = maptrack_alloc(lgt);
	if (h < 0)
		return GNTST_no_device_space;
	if (op->ref >= nr_entries(rgt))
		return GNTST_bad_gntref;
	act = active_entry(rgt, op->ref);
	inc = pin_inc(op->flags);
	rc = gnttab_pin(act, shared_entry(rgt, op->ref), ld->domid, inc, true);
	if (rc != GNTST_okay)
		return rc;
	rc = gnttab_get_frame(rd, act->frame, !ro, rd != ld);
	if (rc == GNTST_okay && (op->flags & GNTMAP_host_map))
		rc = gnttab_create_host_mapping(v, op->host_addr, op->flags, act->frame);
	if (rc != GNTST_okay) {
		if (rc != GNTST_bad_page)
			gnttab_put_frame(rd->domid, act->frame, !ro, rd != ld);
		gnttab_unpin(act, shared_entry(rgt, op->ref), inc);
		return rc == GNTST_bad_page ? GNTST_general_error : rc;
	}
	lgt->maptrack[h] = (struct gnttab_maptrack){
		.flags = MAP_IN_USE | (op->flags & (GNTMAP_host_map | GNTMAP_device_map |
						    GNTMAP_readonly | GNTMAP_contains_pte)),
		.domid = rd->domid,
		.ref = op->ref,
		.host_addr = op->host_addr,
		.frame = act->frame,
	};
	op->handle = (grant_handle_t)h;
	op->dev_bus_addr = (op->flags & GNTMAP_device_map) ? act->frame << PAGE_SHIFT : 0;
	return GNTST_okay;
}

/*
 * Undoes a mapping. If the granting domain is gone meanwhile, the mapping and its frame
 * references still go (the frame is an orphan that the last put frees); there is no pin left.
 */
static int gnttab_unmap_one(struct vcpu *v, const struct gnttab_unmap_grant_ref *op)
{
	struct grant_table *lgt = v->domain->grant_table, *rgt;
	struct gnttab_maptrack *m;
	struct domain *rd;
	int rc;

	if (!lgt || op->handle >= GNTTAB_MAX_MAPS || !lgt->maptrack[op->handle].flags)
		return GNTST_bad_handle;
	m = &lgt->maptrack[op->handle];
	rd = m->domid == v->domain->domid ? v->domain : domain_lookup(m->domid);
	rgt = rd ? rd->grant_table : NULL;
	if (rgt && m->ref >= nr_entries(rgt))
		return GNTST_bad_handle;
	if (op->dev_bus_addr && op->dev_bus_addr != m->frame << PAGE_SHIFT)
		return GNTST_bad_dev_addr;
	if (m->flags & GNTMAP_host_map) {
		if (!op->host_addr || op->host_addr != m->host_addr)
			return GNTST_general_error;
		rc = gnttab_destroy_host_mapping(v, op->host_addr, m->flags & GNTMAP_contains_pte,
						 m->frame);
		if (rc != GNTST_okay)
			return rc;
		/* Only the granter's CPUs flush when it retypes the frame: ours go first. */
		if (!(m->flags & GNTMAP_readonly))
			pv_flush_tlb_domain(v->domain->domid);
	}
	gnttab_put_frame(m->domid, m->frame, !(m->flags & GNTMAP_readonly),
			 m->domid != v->domain->domid);
	if (rgt)
		gnttab_unpin(active_entry(rgt, m->ref), shared_entry(rgt, m->ref),
			     pin_inc(m->flags));
	*m = (struct gnttab_maptrack){0};
	return GNTST_okay;
}

/* ---- copy ---- */

/* One side of a copy: a grant ref (pinned for the copy) or a frame of the caller. */
struct copy_side {
	struct domain *d;
	struct grant_table *gt; /* with a pinned ref */
	grant_ref_t ref;
	uint32_t inc;
	uint64_t frame;
	bool have_frame;
};

static int copy_claim(struct vcpu *v, const struct gnttab_copy_ptr *p, bool is_gref, bool write,
		      struct copy_side *s)
{
	struct domain *cur = v->domain;
	int rc = GNTST_okay;

	*s = (struct copy_side){0};
	if (p->domid != DOMID_SELF && !is_gref)
		return GNTST_permission_denied; /* only DOMID_SELF may name a frame */
	s->d = p->domid == DOMID_SELF || p->domid == cur->domid ? cur : domain_lookup(p->domid);
	if (!s->d || s->d->is_dying)
		return GNTST_bad_domain;
	if (is_gref) {
		struct grant_table *gt = gnttab_get(s->d);

		if (!gt)
			return GNTST_bad_domain;
		if (p->u.ref >= nr_entries(gt))
			return GNTST_bad_gntref;
		s->inc = write ? GNTPIN_HSTW_INC : GNTPIN_HSTR_INC;
		rc = gnttab_pin(active_entry(gt, p->u.ref), shared_entry(gt, p->u.ref), cur->domid,
				s->inc, false);
		if (rc != GNTST_okay)
			return rc;
		s->gt = gt;
		s->ref = p->u.ref;
		s->frame = active_entry(gt, p->u.ref)->frame;
	} else {
		s->frame = p->u.gmfn;
	}
	rc = gnttab_get_frame(s->d, s->frame, write, false); /* held within this op only */
	if (rc == GNTST_okay)
		s->have_frame = true;
	return rc;
}

static void copy_release(struct copy_side *s, bool write)
{
	if (s->have_frame)
		gnttab_put_frame(s->d->domid, s->frame, write, false);
	if (s->gt)
		gnttab_unpin(active_entry(s->gt, s->ref), shared_entry(s->gt, s->ref), s->inc);
}

static int gnttab_copy_one(struct vcpu *v, const struct gnttab_copy *op)
{
	struct copy_side src, dst;
	int rc;

	rc = copy_claim(v, &op->source, op->flags & GNTCOPY_source_gref, false, &src);
	if (rc == GNTST_okay)
		rc = copy_claim(v, &op->dest, op->flags & GNTCOPY_dest_gref, true, &dst);
	else
		dst = (struct copy_side){0};
	if (rc == GNTST_okay)
		rc = gnttab_copy_bounds(op->source.offset, op->dest.offset, op->len);
	if (rc == GNTST_okay)
		memmove((uint8_t *)__va(dst.frame << PAGE_SHIFT) + op->dest.offset,
			(const uint8_t *)__va(src.frame << PAGE_SHIFT) + op->source.offset,
			op->len);
	copy_release(&dst, true);
	copy_release(&src, false);
	return rc;
}

/* ---- the hypercall ---- */

/* The domain a table op names (DOMID_SELF or, for the privileged, another) and its table. */
static struct grant_table *gnttab_target(struct vcpu *v, domid_t dom, struct domain **d,
					 int *status)
{
	struct grant_table *gt;

	*d = gnttab_lookup(v->domain, dom, true, status);
	gt = *d ? gnttab_get(*d) : NULL;
	if (*d && !gt)
		*status = GNTST_general_error;
	return gt;
}

static long gnttab_setup_table(struct vcpu *v, uint64_t uop)
{
	struct gnttab_setup_table op;
	struct grant_table *gt;
	struct domain *d;
	int status = GNTST_okay;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -EFAULT;
	gt = gnttab_target(v, op.dom, &d, &status);
	if (gt && op.nr_frames > GNTTAB_MAX_FRAMES)
		status = GNTST_general_error;
	else if (gt && gnttab_grow(d, gt, op.nr_frames))
		status = GNTST_general_error;
	for (uint32_t i = 0; status == GNTST_okay && i < op.nr_frames; i++) {
		xen_pfn_t mfn = __pa(gt->shared[i]) >> PAGE_SHIFT;

		if (copy_to_guest(op.frame_list + i * sizeof(mfn), &mfn, sizeof(mfn)))
			status = GNTST_bad_virt_addr;
	}
	op.status = (int16_t)status;
	return copy_to_guest(uop + offsetof(struct gnttab_setup_table, status), &op.status,
			     sizeof(op.status))
		       ? -EFAULT
		       : 0;
}

static long gnttab_query_size(struct vcpu *v, uint64_t uop)
{
	struct gnttab_query_size op;
	struct grant_table *gt;
	struct domain *d;
	int status = GNTST_okay;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -EFAULT;
	gt = gnttab_target(v, op.dom, &d, &status);
	if (gt) {
		op.nr_frames = gt->nr_frames;
		op.max_nr_frames = GNTTAB_MAX_FRAMES;
	}
	op.status = (int16_t)status;
	return copy_to_guest(uop, &op, sizeof(op)) ? -EFAULT : 0;
}

/* Only v1 exists: asking for v2 gets -ENOSYS, as from Xen built without v2. */
static long gnttab_set_version(uint64_t uop)
{
	struct gnttab_set_version op;
	long rc = 0;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -EFAULT;
	if (op.version != 1 && op.version != 2)
		rc = -EINVAL;
	else if (op.version == 2)
		rc = -ENOSYS;
	op.version = 1;
	return copy_to_guest(uop, &op, sizeof(op)) ? -EFAULT : rc;
}

static long gnttab_get_version(struct vcpu *v, uint64_t uop)
{
	struct gnttab_get_version op;
	int status;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -EFAULT;
	if (!gnttab_lookup(v->domain, op.dom, true, &status))
		return status == GNTST_bad_domain ? -ESRCH : -EPERM;
	op.version = 1;
	return copy_to_guest(uop, &op, sizeof(op)) ? -EFAULT : 0;
}

/* Runs a batch of map, unmap or copy ops; each op's status goes back into its slot. */
static long gnttab_batch(struct vcpu *v, uint64_t cmd, uint64_t uop, uint64_t count)
{
	static const size_t sizes[] = {
		[GNTTABOP_map_grant_ref] = sizeof(struct gnttab_map_grant_ref),
		[GNTTABOP_unmap_grant_ref] = sizeof(struct gnttab_unmap_grant_ref),
		[GNTTABOP_copy] = sizeof(struct gnttab_copy),
	};
	size_t size = sizes[cmd];
	union {
		struct gnttab_map_grant_ref map;
		struct gnttab_unmap_grant_ref unmap;
		struct gnttab_copy copy;
	} op;

	if (!gnttab_get(v->domain))
		return -ENOMEM;
	for (uint64_t i = 0; i < count; i++) {
		uint64_t at = uop + i * size;

		if (copy_from_guest(&op, at, size))
			return -EFAULT;
		if (cmd == GNTTABOP_map_grant_ref)
			op.map.status = (int16_t)gnttab_map_one(v, &op.map);
		else if (cmd == GNTTABOP_unmap_grant_ref)
			op.unmap.status = (int16_t)gnttab_unmap_one(v, &op.unmap);
		else
			op.copy.status = (int16_t)gnttab_copy_one(v, &op.copy);
		if (copy_to_guest(at, &op, size))
			return -EFAULT;
	}
	return 0;
}

static long gnttab_op(struct vcpu *v, uint64_t cmd, uint64_t uop, uint64_t count)
{
	if ((int32_t)count < 0 || count > GNTTAB_MAX_BATCH)
		return -EINVAL;
	switch (cmd) {
	case GNTTABOP_map_grant_ref:
	case GNTTABOP_unmap_grant_ref:
	case GNTTABOP_copy:
		return gnttab_batch(v, cmd, uop, count);
	case GNTTABOP_setup_table:
	case GNTTABOP_query_size:
	case GNTTABOP_set_version:
	case GNTTABOP_get_version:
		if (count != 1)
			return -EINVAL;
		break;
	default:
		return -ENOSYS;
	}
	if (cmd == GNTTABOP_setup_table)
		return gnttab_setup_table(v, uop);
	if (cmd == GNTTABOP_query_size)
		return gnttab_query_size(v, uop);
	if (cmd == GNTTABOP_set_version)
		return gnttab_set_version(uop);
	return gnttab_get_version(v, uop);
}

long do_grant_table_op(uint64_t cmd, uint64_t uop, uint64_t count, uint64_t a4, uint64_t a5)
{
	long rc;

	(void)a4;
	(void)a5;
	spin_lock(&gnttab_lock);
	rc = gnttab_op(current_vcpu(), cmd, uop, count);
	spin_unlock(&gnttab_lock);
	return rc;
}
