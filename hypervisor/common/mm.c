/* SPDX-License-Identifier: GPL-2.0-only */
/* The global frame pool: frame-info array placement and page allocations for the hypervisor. */
#include <asm/paging.h>
#include <hospes/bug.h>
#include <hospes/console.h>
#include <hospes/lib.h>
#include <hospes/mm.h>

struct frame_pool frame_pool;
struct frame_info *frame_table;
pfn_t max_pfn;

void mm_init(struct memmap *m)
{
	uint64_t top = memmap_top(m, MEM_RAM);
	uint64_t bytes;
	paddr_t pa;

	top = MAX(top, memmap_top(m, MEM_HYPERVISOR));
	top = MAX(top, memmap_top(m, MEM_BOOT));
	max_pfn = top >> PAGE_SHIFT;
	bytes = ROUNDUP(max_pfn * sizeof(struct frame_info), PAGE_SIZE);
	pa = memmap_alloc(m, bytes, PAGE_SIZE, UINT64_MAX);
	if (!pa)
		panic("no room for the frame table (%llu KiB)", (unsigned long long)(bytes >> 10));
	frame_table = __va(pa);
	frame_pool_init(&frame_pool, frame_table, max_pfn);
	for (unsigned int i = 0; i < m->nr; i++)
		if (m->r[i].type == MEM_RAM)
			frame_pool_add(&frame_pool, m->r[i].start >> PAGE_SHIFT,
				       m->r[i].end >> PAGE_SHIFT);
}

paddr_t mm_alloc_frame(void)
{
	pfn_t pfn = frame_alloc(&frame_pool, 0, FRAME_HV);

	return pfn == FRAME_NONE ? 0 : pfn << PAGE_SHIFT;
}

void *alloc_hv_pages(unsigned int order)
{
	pfn_t pfn = frame_alloc(&frame_pool, order, FRAME_HV);
	void *va;

	if (pfn == FRAME_NONE)
		return NULL;
	va = __va(pfn << PAGE_SHIFT);
	memset(va, 0, PAGE_SIZE << order);
	return va;
}

void free_hv_pages(void *va, unsigned int order)
{
	if (!va)
		return;
	if (frame_free(&frame_pool, __pa(va) >> PAGE_SHIFT, order))
		panic("free_hv_pages(%p, %u): not an allocated block", va, order);
}
