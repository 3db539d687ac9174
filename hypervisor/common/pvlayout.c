/* SPDX-License-Identifier: GPL-2.0-only */
/* Start-of-day layout of a 64-bit PV domain: where each boot element goes, and how many tables. */
#include <hospes/errno.h>
#include <hospes/lib.h>
#include <hospes/pvlayout.h>

#define PAGE	 PVLAYOUT_PAGE
#define L1_SHIFT 21 /* bytes one L1 table maps: 2 MiB */
#define L2_SHIFT 30 /* one L2: 1 GiB */
#define L3_SHIFT 39 /* one L3: 512 GiB */

static __printf(3, 4) int pvl_report(char *msg, size_t msglen, const char *fmt, ...)
{
	va_list ap;

	if (msg && msglen) {
		va_start(ap, fmt);
		vsnprintf(msg, msglen, fmt, ap);
		va_end(ap);
	}
	return 0;
}

#define fail(rc, ...) (pvl_report(msg, msglen, __VA_ARGS__), (rc))

/* Tables of one level needed to cover [lo, hi), each covering 1 << shift bytes (hi > lo). */
static uint64_t tables_for(uint64_t lo, uint64_t hi, unsigned int shift)
{
	return ((hi - 1) >> shift) - (lo >> shift) + 1;
}

static bool is_canonical_range(uint64_t lo, uint64_t hi)
{
	if (hi <= PVLAYOUT_USER_TOP)
		return true;
	return lo >= PVLAYOUT_KERNEL_BASE && !(lo < PVLAYOUT_HV_END && hi > PVLAYOUT_HV_START);
}

static bool page_up(uint64_t *v)
{
	if (*v > UINT64_MAX - (PAGE - 1))
		return false;
	*v = ROUNDUP(*v, PAGE);
	return true;
}

/* Adds n pages at *cursor; false on wrap. Returns the element's VA in *va. */
static bool take(uint64_t *cursor, uint64_t n, uint64_t *va)
{
	if (n > (UINT64_MAX - *cursor) / PAGE)
		return false;
	*va = *cursor;
	*cursor += n * PAGE;
	return true;
}

static int check_params(const struct pvlayout_params *p, char *msg, size_t msglen)
{
	const struct elf_image_info *e = p->elf;

	if (!e)
		return fail(-EINVAL, "layout: no kernel");
	if (p->nr_pages == 0 || p->nr_pages > PVLAYOUT_MAX_PAGES)
		return fail(-EINVAL, "layout: %lu pages, expected 1..%llu",
			    (unsigned long)p->nr_pages, PVLAYOUT_MAX_PAGES);
	if (p->nr_vcpus == 0 || p->nr_vcpus > PVLAYOUT_MAX_VCPUS)
		return fail(-EINVAL, "layout: %u vCPUs, expected 1..%u", p->nr_vcpus,
			    PVLAYOUT_MAX_VCPUS);
	if (p->initrd_len > p->nr_pages * PAGE)
		return fail(-ENOMEM, "layout: initrd of 0x%lx bytes is larger than the domain",
			    (unsigned long)p->initrd_len);
	if (e->virt_base % PAGE || e->virt_kstart < e->virt_base || e->virt_kend < e->virt_kstart)
		return fail(-EINVAL,
			    "layout: kernel [0x%lx,0x%lx) with VIRT_BASE 0x%lx is unusable",
			    (unsigned long)e->virt_kstart, (unsigned long)e->virt_kend,
			    (unsigned long)e->virt_base);
	return 0;
}

/* Kernel, initrd, p2m, start_info, rings: everything before the page tables. */
static int place_elements(const struct pvlayout_params *p, struct pvlayout *l, uint64_t *cursor,
			  char *msg, size_t msglen)
{
	const struct elf_image_info *e = p->elf;
	l->virt_base = e->virt_base;
	l->virt_kstart = e->virt_kstart;
	l->virt_kend = e->virt_kend;
	if (!page_up(&l->virt_kend))
		return fail(-EINVAL, "layout: kernel end 0x%lx wraps", (unsigned long)e->virt_kend);
	*cursor = l->virt_kend;
	l->nr_initrd_pages = ROUNDUP(p->initrd_len, PAGE) / PAGE;
	l->initrd_unmapped = p->initrd_len && p->honour_mod_start_pfn && e->mod_start_pfn;
	if (p->initrd_len && !l->initrd_unmapped) {
		if (!take(cursor, l->nr_initrd_pages, &l->virt_initrd))
			return fail(-EINVAL, "layout: initrd wraps the address space");
		l->initrd_pfn = pvlayout_pfn(l, l->virt_initrd);
	}
	l->nr_p2m_pages = ROUNDUP(p->nr_pages * 8, PAGE) / PAGE;
	l->p2m_at_init_p2m = p->honour_init_p2m && e->init_p2m != ELF_UNSET;
	if (!l->p2m_at_init_p2m) {
		if (!take(cursor, l->nr_p2m_pages, &l->virt_p2m))
			return fail(-EINVAL, "layout: p2m list wraps the address space");
		l->p2m_pfn = pvlayout_pfn(l, l->virt_p2m);
	}
	if (!take(cursor, 1, &l->virt_start_info))
		return fail(-EINVAL, "layout: start_info wraps the address space");
	if (p->domu && (!take(cursor, 1, &l->virt_xenstore) || !take(cursor, 1, &l->virt_console)))
		return fail(-EINVAL, "layout: rings wrap the address space");
	return 0;
}

/*
 * Page tables, stack and padding. The tables map the whole region, themselves included, so
 * their count is found by iteration: start from the minimum and grow until the region that
 * the count implies needs no more tables than that count (the count never shrinks, and each
 * step adds at most a few pages, so this ends within a handful of rounds).
 */
static int place_tables(struct pvlayout *l, uint64_t cursor, char *msg, size_t msglen)
{
	const uint64_t room = UINT64_MAX - PVLAYOUT_END_ALIGN - PVLAYOUT_MIN_PAD;
	uint64_t base = l->virt_base, nr = 4;

	for (;;) {
		uint64_t stack, end, need;

		if (cursor > room || nr + 1 > (room - cursor) / PAGE)
			return fail(-EINVAL, "layout: initial region wraps the address space");
		stack = cursor + nr * PAGE;
		end = ROUNDUP(stack + PAGE + PVLAYOUT_MIN_PAD, PVLAYOUT_END_ALIGN);
		l->nr_l3 = tables_for(base, end, L3_SHIFT);
		l->nr_l2 = tables_for(base, end, L2_SHIFT);
		l->nr_l1 = tables_for(base, end, L1_SHIFT);
		need = 1 + l->nr_l3 + l->nr_l2 + l->nr_l1;
		if (need > nr) { /* no count between nr and need can suffice: jump */
			nr = need;
			continue;
		}
		l->virt_pgtab = cursor;
		l->nr_pt_frames = nr;
		l->virt_stack = stack;
		l->virt_alloc_end = stack + PAGE;
		l->virt_end = end;
		break;
	}
	l->pgtab_pfn = pvlayout_pfn(l, l->virt_pgtab);
	l->nr_mapped_pages = (l->virt_end - base) / PAGE;
	return 0;
}

static int check_region(const struct pvlayout_params *p, const struct pvlayout *l, char *msg,
			size_t msglen)
{
	if (!is_canonical_range(l->virt_base, l->virt_end))
		return fail(-EINVAL,
			    "layout: initial region [0x%lx,0x%lx) is not canonical or overlaps "
			    "the hypervisor range",
			    (unsigned long)l->virt_base, (unsigned long)l->virt_end);
	if (p->single_l2 && (l->nr_l2 != 1 || l->nr_l3 != 1))
		return fail(-EINVAL,
			    "layout: initial region [0x%lx,0x%lx) does not fit under one L2 "
			    "(1 GiB-aligned, at most 1 GiB)",
			    (unsigned long)l->virt_base, (unsigned long)l->virt_end);
	return 0;
}

/* The p2m at INIT_P2M: its own L3/L2/L1 tables under the main L4, in an L4 slot of its own. */
static int place_init_p2m(const struct pvlayout_params *p, struct pvlayout *l, char *msg,
			  size_t msglen)
{
	uint64_t va = p->elf->init_p2m, end;

	if (!l->p2m_at_init_p2m)
		return 0;
	if (va % PAGE || va > UINT64_MAX - l->nr_p2m_pages * PAGE)
		return fail(-EINVAL, "layout: INIT_P2M 0x%lx is not page aligned or wraps",
			    (unsigned long)va);
	end = va + l->nr_p2m_pages * PAGE;
	if (!is_canonical_range(va, end))
		return fail(-EINVAL,
			    "layout: INIT_P2M [0x%lx,0x%lx) is not canonical or overlaps the "
			    "hypervisor range",
			    (unsigned long)va, (unsigned long)end);
	if ((va >> L3_SHIFT) <= ((l->virt_end - 1) >> L3_SHIFT) &&
	    ((end - 1) >> L3_SHIFT) >= (l->virt_base >> L3_SHIFT))
		return fail(-EINVAL,
			    "layout: INIT_P2M [0x%lx,0x%lx) shares an L4 slot with the initial "
			    "region [0x%lx,0x%lx)",
			    (unsigned long)va, (unsigned long)end, (unsigned long)l->virt_base,
			    (unsigned long)l->virt_end);
	l->virt_p2m = va;
	l->nr_p2m_l3 = tables_for(va, end, L3_SHIFT);
	l->nr_p2m_l2 = tables_for(va, end, L2_SHIFT);
	l->nr_p2m_l1 = tables_for(va, end, L1_SHIFT);
	l->nr_p2m_frames = l->nr_p2m_pages + l->nr_p2m_l3 + l->nr_p2m_l2 + l->nr_p2m_l1;
	return 0;
}

/* Pfns after the mapped region: the unmapped initrd, then the INIT_P2M frames. */
static int place_after_region(const struct pvlayout_params *p, struct pvlayout *l, char *msg,
			      size_t msglen)
{
	uint64_t next = l->nr_mapped_pages;

	if (l->initrd_unmapped) {
		l->initrd_pfn = next;
		next += l->nr_initrd_pages;
	}
	if (l->p2m_at_init_p2m) {
		l->first_p2m_pfn = next;
		l->p2m_pfn = next;
		l->p2m_pt_pfn = next + l->nr_p2m_pages;
		next += l->nr_p2m_frames;
	}
	l->nr_used_pages = next;
	if (next > p->nr_pages)
		return fail(
			-ENOMEM,
			"layout: the initial region needs %lu pages (%lu mapped, %lu initrd, %lu "
			"p2m), the domain has %lu",
			(unsigned long)next, (unsigned long)l->nr_mapped_pages,
			(unsigned long)(l->initrd_unmapped ? l->nr_initrd_pages : 0),
			(unsigned long)l->nr_p2m_frames, (unsigned long)p->nr_pages);
	return 0;
}

int pvlayout_compute(const struct pvlayout_params *p, struct pvlayout *l, char *msg, size_t msglen)
{
	uint64_t cursor = 0;
	int rc;

	memset(l, 0, sizeof(*l));
	pvl_report(msg, msglen, "ok");
	rc = check_params(p, msg, msglen);
	if (rc == 0)
		rc = place_elements(p, l, &cursor, msg, msglen);
	if (rc == 0)
		rc = place_tables(l, cursor, msg, msglen);
	if (rc == 0)
		rc = check_region(p, l, msg, msglen);
	if (rc == 0)
		rc = place_init_p2m(p, l, msg, msglen);
	if (rc == 0)
		rc = place_after_region(p, l, msg, msglen);
	return rc;
}
