/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests of hypervisor/common/xencons.c: the console ring backend against guest indices. */
#include <string.h>
#include <hospes/xencons.h>
#include "../harness.h"

static struct xencons_interface ring;

/* A guest that writes "hello", then the backend takes it in two parts. */
static void test_output(void)
{
	char buf[8];
	bool bad = false;

	memset(&ring, 0, sizeof(ring));
	ring.out_cons = ring.out_prod = 0xfffffffe; /* the indices wrap during the test */
	for (const char *s = "hello"; *s; s++)
		ring.out[MASK_XENCONS_IDX(ring.out_prod++, ring.out)] = *s;
	CHECK_EQ(xencons_take_output(&ring, buf, 3, &bad), 3);
	CHECK(!memcmp(buf, "hel", 3));
	CHECK_EQ(xencons_take_output(&ring, buf, sizeof(buf), &bad), 2);
	CHECK(!memcmp(buf, "lo", 2));
	CHECK_EQ(ring.out_cons, ring.out_prod);
	CHECK_EQ(xencons_take_output(&ring, buf, sizeof(buf), &bad), 0);
	CHECK(!bad);
}

/* Indices claiming more than the ring holds: nothing is read past it, output is dropped. */
static void test_output_corrupt(void)
{
	char buf[4096];
	bool bad = false;

	memset(&ring, 0, sizeof(ring));
	ring.out_prod = sizeof(ring.out) + 1;
	CHECK_EQ(xencons_take_output(&ring, buf, sizeof(buf), &bad), 0);
	CHECK(bad);
	CHECK_EQ(ring.out_cons, ring.out_prod);
	bad = false;
	ring.out_prod = 5;
	ring.out_cons = 9; /* behind by -4: a huge unsigned distance */
	CHECK_EQ(xencons_take_output(&ring, buf, sizeof(buf), &bad), 0);
	CHECK(bad);
	/* Exactly full is legal. */
	bad = false;
	ring.out_cons = 100;
	ring.out_prod = 100 + sizeof(ring.out);
	CHECK_EQ(xencons_take_output(&ring, buf, sizeof(buf), &bad), sizeof(ring.out));
	CHECK(!bad);
}

static void test_input(void)
{
	char big[2000];
	bool bad = false;

	memset(&ring, 0, sizeof(ring));
	memset(big, 'x', sizeof(big));
	CHECK_EQ(xencons_put_input(&ring, "ls\r", 3, &bad), 3);
	CHECK_EQ(ring.in_prod, 3);
	CHECK(!memcmp(ring.in, "ls\r", 3));
	/* Only the free room is filled. */
	CHECK_EQ(xencons_put_input(&ring, big, sizeof(big), &bad), sizeof(ring.in) - 3);
	CHECK_EQ(xencons_put_input(&ring, "y", 1, &bad), 0);
	ring.in_cons += 10; /* the guest read 10 bytes */
	CHECK_EQ(xencons_put_input(&ring, big, sizeof(big), &bad), 10);
	CHECK(!bad);
	/* A corrupt in_cons resets the ring instead of overrunning it. */
	ring.in_cons = ring.in_prod + 7;
	CHECK_EQ(xencons_put_input(&ring, "ab", 2, &bad), 2);
	CHECK(bad);
	CHECK_EQ(ring.in_prod - ring.in_cons, 2);
}

static const struct unit_test tests[] = {
	{"output taken in parts across the index wrap", test_output},
	{"corrupt output indices", test_output_corrupt},
	{"input fills the free room; corrupt input indices", test_input},
};

int main(void)
{
	return unit_run("xencons", tests, sizeof(tests) / sizeof(tests[0]));
}
