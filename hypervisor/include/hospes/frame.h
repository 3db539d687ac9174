/* SPDX-License-Identifier: GPL-2.0-only */
/* Physical frames: the per-frame info array and the buddy allocator over free RAM. */
#ifndef HOSPES_FRAME_H
#define HOSPES_FRAME_H

#include <hospes/spinlock.h>
#include <hospes/types.h>

#define FRAME_MAX_ORDER 18 /* largest block: 1 GiB */
#define FRAME_NONE	UINT32_MAX
#define DOMID_NONE	0x7ff4 /* owner of frames no domain owns (Xen's DOMID_INVALID) */
#define DOMID_HV	0x7ff2 /* owner of frames the hypervisor uses (Xen's DOMID_XEN) */
#define DOMID_ORPHAN	0x7ff5 /* owner of a destroyed domain's frames that others still map */

/* What a frame is used for right now. */
enum frame_state {
	FRAME_ABSENT = 0, /* not RAM, or RAM the allocator never got (firmware, our image) */
	FRAME_FREE,	  /* in the buddy allocator; only the head of a block has order set */
	FRAME_HV,	  /* allocated to the hypervisor itself */
	FRAME_HEAP,	  /* page of the hypervisor heap; aux holds its size class */
	FRAME_GUEST,	  /* owned by a domain: owner, type_info and count_info are in force */
};

/*
 * One per machine frame, 32 bytes. type_info and count_info carry the PV page-type rules
 * (type, validated bit, type count; general reference count) once domains exist.
 * Locking: the allocator's lock covers state/order/next/prev of free frames; frames in use
 * belong to their user.
 */
struct frame_info {
	uint64_t type_info;
	uint32_t count_info;
	uint16_t owner;
	uint8_t state; /* enum frame_state */
	uint8_t order; /* block order: valid on a free block's head, and on FRAME_HV/HEAP heads */
	uint32_t next; /* free-list links (frame numbers) */
	uint32_t prev;
	uint32_t aux;
	uint32_t foreign; /* general references held for other domains (foreign and grant maps) */
};
_Static_assert(sizeof(struct frame_info) == 32, "frame_info must stay 32 bytes");

struct frame_pool {
	spinlock_t lock;
	struct frame_info *frames;
	pfn_t nr_frames;
	uint64_t free_frames;
	uint64_t total_frames; /* frames ever handed to the pool */
	uint32_t free_head[FRAME_MAX_ORDER + 1];
};

/* Sets up an empty pool over frames[0..nr_frames); every frame starts FRAME_ABSENT. */
void frame_pool_init(struct frame_pool *pool, struct frame_info *frames, pfn_t nr_frames);

/* Hands [first, last) to the allocator as free RAM. Frames beyond nr_frames are ignored. */
void frame_pool_add(struct frame_pool *pool, pfn_t first, pfn_t last);

/*
 * Takes a block of 2^order contiguous, 2^order-aligned frames and marks it state (FRAME_HV,
 * FRAME_HEAP or FRAME_GUEST). Returns its first frame number, or FRAME_NONE if no block that
 * large is free (or order is out of range).
 */
pfn_t frame_alloc(struct frame_pool *pool, unsigned int order, enum frame_state state);

/*
 * frame_alloc() of a block that lies wholly below frame 'limit' (for a device that addresses
 * only so much), from the lowest order up; a search of the free lists, not a list head.
 */
pfn_t frame_alloc_below(struct frame_pool *pool, unsigned int order, enum frame_state state,
			pfn_t limit);

/*
 * Returns a block taken by frame_alloc() with the same order, merging buddies. Freeing a frame
 * that is not allocated, or with a mismatched order, is refused with -EINVAL (nothing changes).
 */
int frame_free(struct frame_pool *pool, pfn_t pfn, unsigned int order);

uint64_t frame_pool_free_count(const struct frame_pool *pool);

/* Internal consistency walk (tests, debug): 0 when every list and count agrees. */
int frame_pool_check(struct frame_pool *pool);

#endif /* HOSPES_FRAME_H */
