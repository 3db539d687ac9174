/* SPDX-License-Identifier: GPL-2.0-only */
/* memory_op for PV domains: reservations, populate_physmap, memory maps, M2P information. */
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/paging.h>
#include <hospes/domain.h>
#include <hospes/errno.h>
#include <hospes/guest_access.h>
#include <hospes/lib.h>
#include <hospes/mm.h>
#include <hospes/pagetype.h>
#include <hospes/pvmm.h>
#include <hospes/setup.h>
#include <public/memory.h>

#define MEMOP_CMD_MASK	   0x3f
#define MEMOP_EXTENT_SHIFT 6
#define NO_LIMIT	   (~0ULL)
#define MAX_GPFN	   (1ULL << 40)
#define EXCHANGE_BUF_ORDER 2 /* three arrays of up to 512 extents */

static struct domain *target_domain(struct domain *cur, uint16_t domid)
{
	if (domid == DOMID_SELF || domid == cur->domid)
		return cur;
	return cur->is_privileged ? pv_domain_by_id(domid) : NULL;
}

/*
 * Gives a fresh block of 2^order frames, all below frame 'limit' (NO_LIMIT: anywhere), to d;
 * M2P entries set to gpfn.. (or invalid).
 */
static uint64_t give_frames(struct domain *d, unsigned int order, uint64_t gpfn, uint64_t limit)
{
	pfn_t mfn;

	if (d->tot_pages + (1ULL << order) > d->max_pages)
		return FRAME_NONE;
	mfn = limit == NO_LIMIT ? frame_alloc(&frame_pool, order, FRAME_GUEST)
				: frame_alloc_below(&frame_pool, order, FRAME_GUEST, limit);
	if (mfn == FRAME_NONE)
		return FRAME_NONE;
	for (uint64_t j = 0; j < (1ULL << order); j++) {
		struct frame_info *f = &frame_table[mfn + j];

		f->owner = d->domid;
		f->count_info = PGC_ALLOCATED | 1;
		f->type_info = 0;
		memset(__va((mfn + j) << PAGE_SHIFT), 0, PAGE_SIZE);
		m2p_set(mfn + j, gpfn == INVALID_M2P_ENTRY ? INVALID_M2P_ENTRY : gpfn + j);
	}
	d->tot_pages += 1ULL << order;
	return mfn;
}

static bool removable(struct domain *d, uint64_t mfn)
{
	const struct frame_info *f = pfn_to_frame(mfn);

	return f && f->state == FRAME_GUEST && f->owner == d->domid &&
	       (f->count_info & PGC_ALLOCATED) && (mfn << PAGE_SHIFT) != d->shared_info_maddr;
}

/* decrease_reservation of one extent: unpin, drop the allocation reference of each frame. */
static int take_frames(struct domain *d, uint64_t mfn, unsigned int order)
{
	const struct pt_env *e = pv_pt_env();
	struct pt_dom pd = pv_pt_dom(d);

	if (mfn + (1ULL << order) < mfn)
		return -EINVAL;
	for (uint64_t j = 0; j < (1ULL << order); j++)
		if (!removable(d, mfn + j))
			return -EINVAL;
	for (uint64_t j = 0; j < (1ULL << order); j++) {
		struct frame_info *f = &frame_table[mfn + j];

		if (f->type_info & PGT_PINNED) {
			f->type_info &= ~PGT_PINNED;
			page_put_and_type(e, &pd, mfn + j);
		}
		f->count_info &= ~PGC_ALLOCATED;
		page_put(e, mfn + j); /* frees it unless still mapped somewhere */
	}
	return 0;
}

static int one_extent(unsigned int op, struct domain *d, uint64_t slot, unsigned int order)
{
	uint64_t in = 0, mfn;
	int rc;

	if (op != XENMEM_increase_reservation && copy_from_guest(&in, slot, sizeof(in)))
		return -EFAULT;
	pv_mm_lock_acquire();
	if (op == XENMEM_decrease_reservation) {
		rc = take_frames(d, in, order);
		pv_mm_lock_release();
		return rc;
	}
	if (op == XENMEM_populate_physmap && (in >= MAX_GPFN || (in & ((1ULL << order) - 1))))
		mfn = FRAME_NONE;
	else
		mfn = give_frames(d, order, op == XENMEM_populate_physmap ? in : INVALID_M2P_ENTRY,
				  NO_LIMIT);
	pv_mm_lock_release();
	if (mfn == FRAME_NONE)
		return -ENOMEM;
	if (slot && copy_to_guest(slot, &mfn, sizeof(mfn)))
		return -EFAULT; /* the frames stay the domain's, as on Xen */
	return 0;
}

static long reservation_op(unsigned int op, uint64_t start, uint64_t arg)
{
	struct domain *cur = current_vcpu()->domain, *d;
	struct xen_memory_reservation r;
	uint64_t i;

	if (copy_from_guest(&r, arg, sizeof(r)))
		return -EFAULT;
	d = target_domain(cur, r.domid);
	if (!d)
		return -ESRCH;
	if (start >= r.nr_extents)
		return (long)start;
	if (r.extent_order > (cur->is_privileged ? FRAME_MAX_ORDER : 9))
		return (long)start;
	if (!r.extent_start && op != XENMEM_increase_reservation)
		return (long)start;
	for (i = start; i < r.nr_extents; i++)
		if (one_extent(op, d, r.extent_start ? r.extent_start + i * 8 : 0, r.extent_order))
			break;
	return (long)i;
}

/* One chunk of an exchange: its in frames (by extent) and out frames, all known before acting. */
struct exchange_chunk {
	uint64_t *in;	    /* in-extent base MFNs */
	uint64_t *out_gpfn; /* out-extent GPFNs (IN) */
	uint64_t *out_mfn;  /* out-extent base MFNs (allocated) */
	unsigned int nr_in, nr_out;
	unsigned int in_order, out_order;
};

/* Only frames nobody else references (no mapping, no type) can be exchanged. */
static bool exchangeable(struct domain *d, uint64_t mfn, unsigned int order)
{
	for (uint64_t k = 0; k < (1ULL << order); k++) {
		const struct frame_info *f = pfn_to_frame(mfn + k);

		if (mfn + k < mfn || !removable(d, mfn + k) ||
		    f->count_info != (PGC_ALLOCATED | 1) || (f->type_info & PGT_COUNT_MASK))
			return false;
	}
	return true;
}

static void exchange_free_out(struct domain *d, struct exchange_chunk *c, unsigned int n)
{
	for (unsigned int j = 0; j < n; j++)
		for (uint64_t k = 0; k < (1ULL << c->out_order); k++) {
			struct frame_info *f = &frame_table[c->out_mfn[j] + k];

			f->count_info = 0;
			m2p_set(c->out_mfn[j] + k, INVALID_M2P_ENTRY);
			f->state = FRAME_HV;
			f->order = 0;
			frame_free(&frame_pool, c->out_mfn[j] + k, 0);
			d->tot_pages--;
		}
}

/*
 * The in frames, in order, may already be what the out extents need: machine-contiguous,
 * aligned to the out order and under the address limit. Then they stay, and only their M2P
 * entries move to the out GPFNs (an exchange leaves the contents undefined anyway). Linux asks
 * this for every swiotlb slab of Dom0, whose memory the builder gives in aligned 2 MiB runs.
 */
static bool exchange_in_place(struct exchange_chunk *c, uint64_t max_mfn)
{
	uint64_t base = c->in[0], n = (uint64_t)c->nr_out << c->out_order;

	if ((base & ((1ULL << c->out_order) - 1)) || base + n < base || base + n - 1 > max_mfn)
		return false;
	for (unsigned int i = 1; i < c->nr_in; i++)
		if (c->in[i] != base + ((uint64_t)i << c->in_order))
			return false;
	for (unsigned int j = 0; j < c->nr_out; j++) {
		c->out_mfn[j] = base + ((uint64_t)j << c->out_order);
		for (uint64_t k = 0; k < (1ULL << c->out_order); k++)
			m2p_set(c->out_mfn[j] + k, c->out_gpfn[j] + k);
	}
	return true;
}

/* Validates the in frames and allocates the out frames, then swaps them; nothing on failure. */
static int exchange_chunk(struct domain *d, struct exchange_chunk *c, uint64_t max_mfn)
{
	unsigned int j;

	for (j = 0; j < c->nr_in; j++) {
		if (!exchangeable(d, c->in[j], c->in_order))
			return -EINVAL;
		for (unsigned int i = 0; i < j; i++) /* no frame given twice */
			if (c->in[i] - c->in[j] < (1ULL << c->in_order) ||
			    c->in[j] - c->in[i] < (1ULL << c->in_order))
				return -EINVAL;
	}
	if (exchange_in_place(c, max_mfn))
		return 0;
	d->max_pages += (uint64_t)c->nr_out << c->out_order; /* the swap is size-neutral */
	for (j = 0; j < c->nr_out; j++) {
		c->out_mfn[j] = give_frames(d, c->out_order, c->out_gpfn[j],
					    max_mfn == ~0ULL ? NO_LIMIT : max_mfn + 1);
		if (c->out_mfn[j] == FRAME_NONE) {
			exchange_free_out(d, c, j);
			d->max_pages -= (uint64_t)c->nr_out << c->out_order;
			return -ENOMEM;
		}
	}
	d->max_pages -= (uint64_t)c->nr_out << c->out_order;
	for (j = 0; j < c->nr_in; j++)
		take_frames(d, c->in[j], c->in_order); /* unreferenced: freed at once */
	return 0;
}

static int exchange_read(uint64_t base, uint64_t first, unsigned int n, uint64_t *out)
{
	return copy_from_guest(out, base + first * 8, (size_t)n * 8);
}

static long exchange_run(struct domain *d, struct xen_memory_exchange *x, struct exchange_chunk *c,
			 uint64_t max_mfn)
{
	unsigned int in_shift = x->in.extent_order <= x->out.extent_order
					? x->out.extent_order - x->in.extent_order
					: 0;
	unsigned int out_shift = x->in.extent_order > x->out.extent_order
					 ? x->in.extent_order - x->out.extent_order
					 : 0;
	int rc = 0;

	while (x->nr_exchanged < x->in.nr_extents) {
		uint64_t chunk = x->nr_exchanged >> in_shift;

		if (exchange_read(x->in.extent_start, x->nr_exchanged, c->nr_in, c->in) ||
		    exchange_read(x->out.extent_start, chunk << out_shift, c->nr_out, c->out_gpfn))
			return -EFAULT;
		pv_mm_lock_acquire();
		rc = exchange_chunk(d, c, max_mfn);
		pv_mm_lock_release();
		if (rc)
			return rc;
		if (copy_to_guest(x->out.extent_start + (chunk << out_shift) * 8, c->out_mfn,
				  (size_t)c->nr_out * 8))
			return -EFAULT;
		x->nr_exchanged += c->nr_in;
	}
	return 0;
}

/* XENMEM_exchange: in extents (MFNs) for out extents (IN GPFNs, OUT MFNs), chunk by chunk. */
static long exchange_op(uint64_t arg)
{
	struct domain *d = current_vcpu()->domain;
	struct xen_memory_exchange x;
	struct exchange_chunk c;
	unsigned int bits;
	uint64_t max_mfn;
	long rc;

	if (copy_from_guest(&x, arg, sizeof(x)))
		return -EFAULT;
	if (x.in.extent_order > 9 || x.out.extent_order > 9 || x.in.nr_extents > (1ULL << 40) ||
	    x.out.nr_extents > (1ULL << 40) ||
	    (x.in.nr_extents << x.in.extent_order) != (x.out.nr_extents << x.out.extent_order) ||
	    x.nr_exchanged > x.in.nr_extents || target_domain(d, x.in.domid) != d ||
	    target_domain(d, x.out.domid) != d)
		return -EINVAL;
	c.in_order = x.in.extent_order;
	c.out_order = x.out.extent_order;
	c.nr_in = 1U << (c.in_order <= c.out_order ? c.out_order - c.in_order : 0);
	c.nr_out = 1U << (c.in_order > c.out_order ? c.in_order - c.out_order : 0);
	if (x.nr_exchanged % c.nr_in)
		return -EINVAL;
	bits = XENMEMF_get_address_bits(x.out.mem_flags);
	/* Straight from the frame pool (not the heap, which keeps pages): 512 entries each. */
	c.in = alloc_hv_pages(EXCHANGE_BUF_ORDER);
	c.out_gpfn = c.in ? c.in + 512 : NULL;
	c.out_mfn = c.in ? c.in + 1024 : NULL;
	max_mfn = !bits || bits >= 64 ? ~0ULL : bits <= PAGE_SHIFT ? 0 : (1ULL << (bits - 12)) - 1;
	rc = c.in ? exchange_run(d, &x, &c, max_mfn) : -ENOMEM;
	if (c.in)
		free_hv_pages(c.in, EXCHANGE_BUF_ORDER);
	if (copy_to_guest(arg + offsetof(struct xen_memory_exchange, nr_exchanged), &x.nr_exchanged,
			  sizeof(x.nr_exchanged)))
		return -EFAULT;
	return rc;
}

static uint32_t e820_type(uint32_t t)
{
	switch (t) {
	case MEM_RAM:
	case MEM_BOOT:
	case MEM_HYPERVISOR:
		return XEN_E820_RAM; /* RAM the hypervisor took is RAM all the same */
	case MEM_ACPI:
		return XEN_E820_ACPI;
	case MEM_NVS:
		return XEN_E820_NVS;
	case MEM_UNUSABLE:
		return XEN_E820_UNUSABLE;
	default:
		return XEN_E820_RESERVED;
	}
}

static unsigned int host_e820(struct xen_e820_entry *out, unsigned int max)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < host_memmap.nr && n < max; i++) {
		const struct mem_region *m = &host_memmap.r[i];
		uint32_t t = e820_type(m->type);

		if (n && out[n - 1].type == t && out[n - 1].addr + out[n - 1].size == m->start) {
			out[n - 1].size += m->end - m->start;
			continue;
		}
		out[n++] = (struct xen_e820_entry){m->start, m->end - m->start, t};
	}
	return n;
}

static long memory_map_op(unsigned int op, uint64_t arg)
{
	struct domain *d = current_vcpu()->domain;
	static struct xen_e820_entry e820[MEMMAP_MAX];
	struct xen_memory_map mm;
	unsigned int n;

	int rc = 0;

	if (copy_from_guest(&mm, arg, sizeof(mm)))
		return -EFAULT;
	if (op == XENMEM_machine_memory_map && !d->is_privileged)
		return -EPERM;
	pv_mm_lock_acquire(); /* e820[] is shared */
	if (op == XENMEM_machine_memory_map) {
		n = host_e820(e820, MEMMAP_MAX);
		rc = mm.nr_entries < n + 1 ? -EINVAL : 0;
	} else {
		n = 1;
		e820[0] = (struct xen_e820_entry){0, d->max_pages << PAGE_SHIFT, XEN_E820_RAM};
		rc = mm.nr_entries < n ? -EINVAL : 0;
	}
	if (!rc && copy_to_guest(mm.buffer, e820, n * sizeof(e820[0])))
		rc = -EFAULT;
	pv_mm_lock_release();
	if (rc)
		return rc;
	mm.nr_entries = n;
	return copy_to_guest(arg, &mm, sizeof(mm.nr_entries)) ? -EFAULT : 0;
}

static long machphys_op(unsigned int op, uint64_t arg)
{
	uint64_t chunks = (max_pfn * 8 + MiB(2) - 1) / MiB(2);
	/* As Xen tells the hardware domain: the whole range, entries up to the last frame. */
	struct xen_machphys_mapping map = {RO_MPT_VIRT_START, RO_MPT_VIRT_END, max_pfn - 1};
	struct xen_machphys_mfn_list list;
	uint32_t i;

	if (op == XENMEM_machphys_mapping)
		return copy_to_guest(arg, &map, sizeof(map)) ? -EFAULT : 0;
	if (copy_from_guest(&list, arg, sizeof(list)))
		return -EFAULT;
	for (i = 0; i < list.max_extents && i < chunks; i++) {
		uint64_t mfn = (m2p_maddr() >> PAGE_SHIFT) + (uint64_t)i * 512;

		if (copy_to_guest(list.extent_start + (uint64_t)i * 8, &mfn, sizeof(mfn)))
			return -EFAULT;
	}
	list.nr_extents = i;
	return copy_to_guest(arg, &list, sizeof(list)) ? -EFAULT : 0;
}

static long domain_pages_op(unsigned int op, uint64_t arg)
{
	struct domain *d;
	domid_t domid;

	if (copy_from_guest(&domid, arg, sizeof(domid)))
		return -EFAULT;
	d = target_domain(current_vcpu()->domain, domid);
	if (!d)
		return -ESRCH;
	if (op == XENMEM_current_reservation)
		return (long)d->tot_pages;
	if (op == XENMEM_maximum_reservation)
		return (long)d->max_pages;
	return (long)((d->shared_info->arch.max_pfn ? d->shared_info->arch.max_pfn : 1) - 1);
}

long do_memory_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5)
{
	unsigned int op = (unsigned int)(cmd & MEMOP_CMD_MASK);
	uint64_t start = cmd >> MEMOP_EXTENT_SHIFT;

	(void)a3;
	(void)a4;
	(void)a5;
	switch (op) {
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap:
		return reservation_op(op, start, arg);
	case XENMEM_maximum_ram_page:
		return (long)max_pfn;
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
	case XENMEM_maximum_gpfn:
		return domain_pages_op(op, arg);
	case XENMEM_machphys_mapping:
	case XENMEM_machphys_mfn_list:
		return machphys_op(op, arg);
	case XENMEM_memory_map:
	case XENMEM_machine_memory_map:
		return memory_map_op(op, arg);
	case XENMEM_exchange:
		return exchange_op(arg);
	default:
		return -ENOSYS;
	}
}
