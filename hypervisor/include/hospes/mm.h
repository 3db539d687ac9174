/* SPDX-License-Identifier: GPL-2.0-only */
/* Machine memory for the hypervisor: the global frame pool and page-granular allocations. */
#ifndef HOSPES_MM_H
#define HOSPES_MM_H

#include <hospes/frame.h>
#include <hospes/memmap.h>
#include <hospes/types.h>

extern struct frame_pool frame_pool;
extern struct frame_info *frame_table;
extern pfn_t max_pfn;

/*
 * Sets up the frame-info array (carved from m) for every frame below the top of RAM and hands
 * all remaining RAM in m to the allocator. Panics only if the array itself does not fit.
 */
void mm_init(struct memmap *m);

/* One frame for the hypervisor (not zeroed, not mapped anywhere new); 0 when exhausted. */
paddr_t mm_alloc_frame(void);

/* 2^order zeroed pages for the hypervisor, direct-mapped; NULL when memory is exhausted. */
void *alloc_hv_pages(unsigned int order);
void free_hv_pages(void *va, unsigned int order);

static inline struct frame_info *pfn_to_frame(pfn_t pfn)
{
	return pfn < max_pfn ? &frame_table[pfn] : NULL;
}

#endif /* HOSPES_MM_H */
