/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests of hypervisor/common/frame.c: the buddy allocator over a frame-info array. */
#include <stdlib.h>
#include <string.h>
#include <hospes/errno.h>
#include <hospes/frame.h>
#include "../harness.h"

#define NR 4096

static struct frame_info frames[NR];
static struct frame_pool pool;

static void test_add_and_count(void)
{
	frame_pool_init(&pool, frames, NR);
	CHECK_EQ(frame_pool_free_count(&pool), 0);
	frame_pool_add(&pool, 1, 100);
	frame_pool_add(&pool, 256, NR + 50); /* past the end: clipped */
	CHECK_EQ(frame_pool_free_count(&pool), 99 + NR - 256);
	CHECK_EQ(frame_pool_check(&pool), 0);
	frame_pool_add(&pool, 50, 60); /* already there: not counted twice */
	CHECK_EQ(frame_pool_free_count(&pool), 99 + NR - 256);
	CHECK_EQ(frame_alloc(&pool, 0, FRAME_HV) == FRAME_NONE, 0);
	CHECK_EQ(frame_pool_check(&pool), 0);
}

static void test_alignment_and_exhaustion(void)
{
	pfn_t got[64];
	unsigned int n = 0;

	frame_pool_init(&pool, frames, NR);
	frame_pool_add(&pool, 0, NR);
	for (pfn_t p; (p = frame_alloc(&pool, 6, FRAME_HV)) != FRAME_NONE && n < 64; n++) {
		CHECK_EQ(p % 64, 0);
		CHECK_EQ(frames[p].state, FRAME_HV);
		CHECK_EQ(frames[p].order, 6);
		got[n] = p;
	}
	CHECK_EQ(n, NR / 64);
	CHECK_EQ(frame_pool_free_count(&pool), 0);
	CHECK_EQ(frame_alloc(&pool, 0, FRAME_HV), FRAME_NONE);
	for (unsigned int i = 0; i < n; i++)
		CHECK_EQ(frame_free(&pool, got[i], 6), 0);
	CHECK_EQ(frame_pool_free_count(&pool), NR);
	CHECK_EQ(frame_pool_check(&pool), 0);
	/* Everything merged back: the largest possible blocks are available again. */
	CHECK(frame_alloc(&pool, 12, FRAME_GUEST) != FRAME_NONE);
}

static void test_bad_frees(void)
{
	pfn_t p;

	frame_pool_init(&pool, frames, NR);
	frame_pool_add(&pool, 0, NR);
	p = frame_alloc(&pool, 2, FRAME_HEAP);
	CHECK(p != FRAME_NONE);
	CHECK_EQ(frame_free(&pool, p, 1), -EINVAL);	/* wrong order */
	CHECK_EQ(frame_free(&pool, p + 1, 0), -EINVAL); /* tail of a block */
	CHECK_EQ(frame_free(&pool, NR + 5, 0), -EINVAL);
	CHECK_EQ(frame_free(&pool, NR - 1, 3), -EINVAL); /* past the end */
	CHECK_EQ(frame_free(&pool, p, 2), 0);
	CHECK_EQ(frame_free(&pool, p, 2), -EINVAL); /* double free */
	CHECK_EQ(frame_alloc(&pool, FRAME_MAX_ORDER + 1, FRAME_HV), FRAME_NONE);
	CHECK_EQ(frame_alloc(&pool, 0, FRAME_FREE), FRAME_NONE);
	CHECK_EQ(frame_pool_free_count(&pool), NR);
	CHECK_EQ(frame_pool_check(&pool), 0);
}

/* Random alloc/free sequences against a shadow bitmap: no frame is ever handed out twice. */
static void test_random(void)
{
	static unsigned char owned[NR];
	struct {
		pfn_t pfn;
		unsigned int order;
	} live[512];
	unsigned int nlive = 0;

	frame_pool_init(&pool, frames, NR);
	frame_pool_add(&pool, 3, NR - 7);
	memset(owned, 0, sizeof(owned));
	srand(7);
	for (int step = 0; step < 20000 && !unit_failures; step++) {
		if (nlive < 512 && (rand() % 3)) {
			unsigned int order = (unsigned int)(rand() % 5);
			pfn_t p = frame_alloc(&pool, order, FRAME_GUEST);

			if (p == FRAME_NONE)
				continue;
			for (pfn_t i = 0; i < (1u << order); i++) {
				CHECK(p + i >= 3 && p + i < NR - 7);
				CHECK(!owned[p + i]);
				owned[p + i] = 1;
			}
			live[nlive].pfn = p;
			live[nlive++].order = order;
		} else if (nlive) {
			unsigned int k = (unsigned int)(rand() % nlive);

			CHECK_EQ(frame_free(&pool, live[k].pfn, live[k].order), 0);
			for (pfn_t i = 0; i < (1u << live[k].order); i++)
				owned[live[k].pfn + i] = 0;
			live[k] = live[--nlive];
		}
	}
	CHECK_EQ(frame_pool_check(&pool), 0);
	while (nlive) {
		nlive--;
		CHECK_EQ(frame_free(&pool, live[nlive].pfn, live[nlive].order), 0);
	}
	CHECK_EQ(frame_pool_free_count(&pool), NR - 10);
	CHECK_EQ(frame_pool_check(&pool), 0);
}

static void test_below(void)
{
	pfn_t p, q;

	frame_pool_init(&pool, frames, NR);
	frame_pool_add(&pool, 0, NR);
	/* The list heads are high blocks now: take some so that low ones sit deeper. */
	p = frame_alloc(&pool, 0, FRAME_GUEST);
	CHECK(p != FRAME_NONE);
	q = frame_alloc_below(&pool, 0, FRAME_GUEST, 16);
	CHECK(q < 16);
	CHECK_EQ(frames[q].state, FRAME_GUEST);
	CHECK_EQ(frame_alloc_below(&pool, 3, FRAME_GUEST, 64) < 64 - 7, 1);
	CHECK_EQ(frame_alloc_below(&pool, 4, FRAME_GUEST, 8), FRAME_NONE); /* cannot fit */
	CHECK_EQ(frame_alloc_below(&pool, 0, FRAME_FREE, NR), FRAME_NONE);
	CHECK_EQ(frame_pool_check(&pool), 0);
	/* Exhaust what lies below 32: then the limit refuses, the pool still has frames. */
	while ((p = frame_alloc_below(&pool, 0, FRAME_GUEST, 32)) != FRAME_NONE)
		CHECK(p < 32);
	CHECK(frame_alloc(&pool, 0, FRAME_GUEST) >= 32);
	CHECK_EQ(frame_pool_check(&pool), 0);
}

static const struct unit_test tests[] = {
	{"allocation below a frame limit", test_below},
	{"adding ranges", test_add_and_count},
	{"aligned blocks until exhaustion, then merge back", test_alignment_and_exhaustion},
	{"bad frees are refused", test_bad_frees},
	{"random alloc/free never double-allocates", test_random},
};

int main(void)
{
	return unit_run("frame", tests, sizeof(tests) / sizeof(tests[0]));
}
