/* SPDX-License-Identifier: GPL-2.0-only */
/* Heap: eight power-of-two size classes carved from pages, larger requests as page blocks. */
#include <asm/paging.h>
#include <hospes/bug.h>
#include <hospes/heap.h>
#include <hospes/lib.h>
#include <hospes/mm.h>
#include <hospes/spinlock.h>

#define MIN_SHIFT   4 /* 16 bytes */
#define NR_CLASSES  8 /* up to 2 KiB */
#define LARGE_CLASS 0xffff

struct free_obj {
	struct free_obj *next;
};

static struct free_obj *free_lists[NR_CLASSES];
static spinlock_t heap_lock = SPINLOCK_INIT;
static uint64_t used_bytes;

static unsigned int size_class(size_t size)
{
	unsigned int c = 0;

	while ((size_t)1 << (c + MIN_SHIFT) < size)
		c++;
	return c;
}

static bool refill(unsigned int c)
{
	pfn_t pfn = frame_alloc(&frame_pool, 0, FRAME_HEAP);
	size_t sz = (size_t)1 << (c + MIN_SHIFT);
	char *page;

	if (pfn == FRAME_NONE)
		return false;
	frame_table[pfn].aux = c;
	page = __va(pfn << PAGE_SHIFT);
	for (size_t off = 0; off < PAGE_SIZE; off += sz) {
		struct free_obj *o = (struct free_obj *)(page + off);

		o->next = free_lists[c];
		free_lists[c] = o;
	}
	return true;
}

void *xmalloc(size_t size)
{
	unsigned int c;
	struct free_obj *o;

	if (size == 0)
		size = 1;
	if (size > ((size_t)1 << (MIN_SHIFT + NR_CLASSES - 1))) {
		unsigned int order = 0;
		pfn_t pfn;

		if (size > ((size_t)PAGE_SIZE << FRAME_MAX_ORDER))
			return NULL;
		while (((size_t)PAGE_SIZE << order) < size)
			order++;
		pfn = frame_alloc(&frame_pool, order, FRAME_HEAP);
		if (pfn == FRAME_NONE)
			return NULL;
		frame_table[pfn].aux = LARGE_CLASS;
		__atomic_add_fetch(&used_bytes, (uint64_t)PAGE_SIZE << order, __ATOMIC_RELAXED);
		return __va(pfn << PAGE_SHIFT);
	}
	c = size_class(size);
	spin_lock(&heap_lock);
	if (!free_lists[c] && !refill(c)) {
		spin_unlock(&heap_lock);
		return NULL;
	}
	o = free_lists[c];
	free_lists[c] = o->next;
	used_bytes += (uint64_t)1 << (c + MIN_SHIFT);
	spin_unlock(&heap_lock);
	return o;
}

void *xzalloc(size_t size)
{
	void *p = xmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void xfree(void *p)
{
	pfn_t pfn;
	struct frame_info *f;

	if (!p)
		return;
	pfn = __pa(p) >> PAGE_SHIFT;
	f = pfn_to_frame(pfn);
	BUG_ON(!f || f->state != FRAME_HEAP);
	if (f->aux == LARGE_CLASS) {
		unsigned int order = f->order;

		BUG_ON(frame_free(&frame_pool, pfn, order));
		__atomic_sub_fetch(&used_bytes, (uint64_t)PAGE_SIZE << order, __ATOMIC_RELAXED);
		return;
	}
	spin_lock(&heap_lock);
	((struct free_obj *)p)->next = free_lists[f->aux];
	free_lists[f->aux] = p;
	used_bytes -= (uint64_t)1 << (f->aux + MIN_SHIFT);
	spin_unlock(&heap_lock);
}

uint64_t heap_used(void)
{
	return used_bytes;
}
