/* SPDX-License-Identifier: GPL-2.0-only */
/* Buddy allocator over the frame-info array; pure logic, unit-tested on the host. */
#include <hospes/errno.h>
#include <hospes/frame.h>
#include <hospes/lib.h>

#define ORDER_TAIL 0xff /* order of every frame of a block but its head */

static void list_push(struct frame_pool *pool, pfn_t pfn, unsigned int order)
{
	struct frame_info *f = &pool->frames[pfn];
	uint32_t head = pool->free_head[order];

	f->prev = FRAME_NONE;
	f->next = head;
	if (head != FRAME_NONE)
		pool->frames[head].prev = (uint32_t)pfn;
	pool->free_head[order] = (uint32_t)pfn;
}

static void list_remove(struct frame_pool *pool, pfn_t pfn, unsigned int order)
{
	struct frame_info *f = &pool->frames[pfn];

	if (f->prev != FRAME_NONE)
		pool->frames[f->prev].next = f->next;
	else
		pool->free_head[order] = f->next;
	if (f->next != FRAME_NONE)
		pool->frames[f->next].prev = f->prev;
	f->next = f->prev = FRAME_NONE;
}

static void mark_block(struct frame_pool *pool, pfn_t pfn, unsigned int order, uint8_t state)
{
	for (pfn_t i = 0; i < (1ULL << order); i++) {
		struct frame_info *f = &pool->frames[pfn + i];

		f->state = state;
		f->order = i ? ORDER_TAIL : (uint8_t)order;
		f->owner = state == FRAME_FREE ? DOMID_NONE : DOMID_HV;
		f->type_info = 0;
		f->count_info = 0;
		f->aux = 0;
		f->foreign = 0;
	}
}

/* Inserts a free block, merging it with its buddy for as long as the buddy is free and whole. */
static void free_merge(struct frame_pool *pool, pfn_t pfn, unsigned int order)
{
	while (order < FRAME_MAX_ORDER) {
		pfn_t buddy = pfn ^ (1ULL << order);

		if (buddy >= pool->nr_frames || pool->frames[buddy].state != FRAME_FREE ||
		    pool->frames[buddy].order != order)
			break;
		list_remove(pool, buddy, order);
		pool->frames[buddy].order = ORDER_TAIL;
		pool->frames[pfn].order = ORDER_TAIL;
		pfn = MIN(pfn, buddy);
		order++;
	}
	pool->frames[pfn].state = FRAME_FREE;
	pool->frames[pfn].order = (uint8_t)order;
	list_push(pool, pfn, order);
}

void frame_pool_init(struct frame_pool *pool, struct frame_info *frames, pfn_t nr_frames)
{
	memset(pool, 0, sizeof(*pool));
	spin_lock_init(&pool->lock);
	pool->frames = frames;
	pool->nr_frames = nr_frames;
	for (unsigned int i = 0; i <= FRAME_MAX_ORDER; i++)
		pool->free_head[i] = FRAME_NONE;
	memset(frames, 0, nr_frames * sizeof(*frames));
	for (pfn_t i = 0; i < nr_frames; i++) {
		frames[i].owner = DOMID_NONE;
		frames[i].next = frames[i].prev = FRAME_NONE;
	}
}

void frame_pool_add(struct frame_pool *pool, pfn_t first, pfn_t last)
{
	last = MIN(last, pool->nr_frames);
	spin_lock(&pool->lock);
	while (first < last) {
		unsigned int order = 0;

		if (pool->frames[first].state != FRAME_ABSENT) { /* never add a frame twice */
			first++;
			continue;
		}
		while (order < FRAME_MAX_ORDER && IS_ALIGNED(first, 2ULL << order) &&
		       first + (2ULL << order) <= last)
			order++;
		/* Only take the block whole if none of it is already known to the pool. */
		for (pfn_t i = 1; i < (1ULL << order); i++) {
			if (pool->frames[first + i].state != FRAME_ABSENT) {
				order = 0;
				break;
			}
		}
		mark_block(pool, first, order, FRAME_FREE);
		pool->free_frames += 1ULL << order;
		pool->total_frames += 1ULL << order;
		free_merge(pool, first, order);
		first += 1ULL << order;
	}
	spin_unlock(&pool->lock);
}

/* Takes the free block of order j at pfn, keeps its lowest 2^order frames, frees the rest. */
static pfn_t take_block(struct frame_pool *pool, pfn_t pfn, unsigned int j, unsigned int order,
			enum frame_state state)
{
	list_remove(pool, pfn, j);
	while (j > order) {
		pfn_t half;

		j--;
		half = pfn + (1ULL << j);
		pool->frames[half].state = FRAME_FREE;
		pool->frames[half].order = (uint8_t)j;
		list_push(pool, half, j);
	}
	mark_block(pool, pfn, order, (uint8_t)state);
	pool->free_frames -= 1ULL << order;
	return pfn;
}

pfn_t frame_alloc(struct frame_pool *pool, unsigned int order, enum frame_state state)
{
	unsigned int j;
	pfn_t pfn = FRAME_NONE;

	if (order > FRAME_MAX_ORDER || state == FRAME_FREE || state == FRAME_ABSENT)
		return FRAME_NONE;
	spin_lock(&pool->lock);
	for (j = order; j <= FRAME_MAX_ORDER && pool->free_head[j] == FRAME_NONE; j++)
		;
	if (j <= FRAME_MAX_ORDER)
		pfn = take_block(pool, pool->free_head[j], j, order, state);
	spin_unlock(&pool->lock);
	return pfn;
}

pfn_t frame_alloc_below(struct frame_pool *pool, unsigned int order, enum frame_state state,
			pfn_t limit)
{
	pfn_t pfn = FRAME_NONE;

	if (order > FRAME_MAX_ORDER || state == FRAME_FREE || state == FRAME_ABSENT ||
	    limit < (1ULL << order))
		return FRAME_NONE;
	spin_lock(&pool->lock);
	for (unsigned int j = order; j <= FRAME_MAX_ORDER && pfn == FRAME_NONE; j++)
		for (uint32_t p = pool->free_head[j]; p != FRAME_NONE; p = pool->frames[p].next)
			if (p <= limit - (1ULL << order)) { /* its low part fits under the limit */
				pfn = take_block(pool, p, j, order, state);
				break;
			}
	spin_unlock(&pool->lock);
	return pfn;
}

int frame_free(struct frame_pool *pool, pfn_t pfn, unsigned int order)
{
	struct frame_info *f;

	if (order > FRAME_MAX_ORDER || pfn >= pool->nr_frames ||
	    pool->nr_frames - pfn < (1ULL << order) || !IS_ALIGNED(pfn, 1ULL << order))
		return -EINVAL;
	spin_lock(&pool->lock);
	f = &pool->frames[pfn];
	if (f->state == FRAME_FREE || f->state == FRAME_ABSENT || f->order != order) {
		spin_unlock(&pool->lock);
		return -EINVAL;
	}
	mark_block(pool, pfn, order, FRAME_FREE);
	pool->free_frames += 1ULL << order;
	free_merge(pool, pfn, order);
	spin_unlock(&pool->lock);
	return 0;
}

uint64_t frame_pool_free_count(const struct frame_pool *pool)
{
	return pool->free_frames;
}

int frame_pool_check(struct frame_pool *pool)
{
	uint64_t listed = 0;

	for (unsigned int o = 0; o <= FRAME_MAX_ORDER; o++) {
		uint32_t prev = FRAME_NONE;

		for (uint32_t p = pool->free_head[o]; p != FRAME_NONE; p = pool->frames[p].next) {
			const struct frame_info *f = &pool->frames[p];

			if (p >= pool->nr_frames || f->state != FRAME_FREE || f->order != o ||
			    f->prev != prev || !IS_ALIGNED(p, 1ULL << o))
				return -EINVAL;
			for (pfn_t i = 1; i < (1ULL << o); i++)
				if (pool->frames[p + i].state != FRAME_FREE ||
				    pool->frames[p + i].order != ORDER_TAIL)
					return -EINVAL;
			listed += 1ULL << o;
			prev = p;
		}
	}
	return listed == pool->free_frames ? 0 : -EINVAL;
}
