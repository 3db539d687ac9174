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
#define INVALID_M2P	   (~0ULL)
#define MAX_GPFN	   (1ULL << 40)

static struct domain *target_domain(struct domain *cur, uint16_t domid)
{
	if (domid == DOMID_SELF || domid == cur->domid)
		return cur;
	return cur->is_privileged ? pv_domain_by_id(domid) : NULL;
}

/* Gives a fresh block of 2^order frames to d; M2P entries set to gpfn.. (or invalid). */
static uint64_t give_frames(struct domain *d, unsigned int order, uint64_t gpfn)
{
	pfn_t mfn;

	if (d->tot_pages + (1ULL << order) > d->max_pages)
		return FRAME_NONE;
	mfn = frame_alloc(&frame_pool, order, FRAME_GUEST);
	if (mfn == FRAME_NONE)
		return FRAME_NONE;
	for (uint64_t j = 0; j < (1ULL << order); j++) {
		struct frame_info *f = &frame_table[mfn + j];

		f->owner = d->domid;
		f->count_info = PGC_ALLOCATED | 1;
		f->type_info = 0;
		memset(__va((mfn + j) << PAGE_SHIFT), 0, PAGE_SIZE);
		m2p_set(mfn + j, gpfn == INVALID_M2P ? INVALID_M2P : gpfn + j);
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
		mfn = give_frames(d, order, op == XENMEM_populate_physmap ? in : INVALID_M2P);
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

	if (copy_from_guest(&mm, arg, sizeof(mm)))
		return -EFAULT;
	if (op == XENMEM_machine_memory_map) {
		if (!d->is_privileged)
			return -EPERM;
		n = host_e820(e820, MEMMAP_MAX);
		if (mm.nr_entries < n + 1)
			return -EINVAL;
	} else {
		n = 1;
		e820[0] = (struct xen_e820_entry){0, d->max_pages << PAGE_SHIFT, XEN_E820_RAM};
		if (mm.nr_entries < n)
			return -EINVAL;
	}
	if (copy_to_guest(mm.buffer, e820, n * sizeof(e820[0])))
		return -EFAULT;
	mm.nr_entries = n;
	return copy_to_guest(arg, &mm, sizeof(mm.nr_entries)) ? -EFAULT : 0;
}

static long machphys_op(unsigned int op, uint64_t arg)
{
	uint64_t chunks = (max_pfn * 8 + MiB(2) - 1) / MiB(2);
	struct xen_machphys_mapping map = {RO_MPT_VIRT_START, RO_MPT_VIRT_START + max_pfn * 8,
					   max_pfn - 1};
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
	default:
		return -ENOSYS;
	}
}
