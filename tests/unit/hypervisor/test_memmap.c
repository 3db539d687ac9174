/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests of hypervisor/common/memmap.c: sanitising, reserving, boot allocation. */
#include <stdlib.h>
#include <string.h>
#include <hospes/errno.h>
#include <hospes/memmap.h>
#include "../harness.h"

static struct memmap m;

static void check_sane(const struct memmap *map)
{
	for (unsigned int i = 0; i < map->nr; i++) {
		CHECK(map->r[i].start < map->r[i].end);
		CHECK(map->r[i].type >= MEM_RAM && map->r[i].type <= MEM_HYPERVISOR);
		if (map->r[i].type == MEM_RAM)
			CHECK((map->r[i].start | map->r[i].end) % 4096 == 0);
		if (i)
			CHECK(map->r[i - 1].end <= map->r[i].start);
	}
}

static void test_clean_map(void)
{
	memset(&m, 0, sizeof(m));
	memmap_add(&m, 0x100000, 0x1ff00000, MEM_RAM);
	memmap_add(&m, 0, 0x9fc00, MEM_RAM);
	memmap_add(&m, 0x9fc00, 0x400, MEM_RESERVED);
	memmap_sanitise(&m);
	check_sane(&m);
	CHECK_EQ(m.fixes, 0);
	CHECK_EQ(m.nr, 3);
	CHECK_EQ(m.r[0].end, 0x9f000); /* RAM trimmed to whole pages */
	CHECK_EQ(m.r[1].start, 0x9fc00);
	CHECK_EQ(memmap_total(&m, MEM_RAM), 0x9f000 + 0x1ff00000);
}

/* Overlapping entries: the more restrictive type wins, every byte has exactly one type. */
static void test_overlaps(void)
{
	memset(&m, 0, sizeof(m));
	memmap_add(&m, 0, 0x40000000, MEM_RAM);
	memmap_add(&m, 0x10000000, 0x1000000, MEM_RESERVED);
	memmap_add(&m, 0x10800000, 0x1000000, MEM_ACPI);
	memmap_add(&m, 0x3ff00000, 0x200000, MEM_NVS);
	memmap_add(&m, 0x20000000, 0x1000, MEM_RAM); /* RAM inside RAM */
	memmap_sanitise(&m);
	check_sane(&m);
	CHECK(m.fixes >= 3);
	CHECK_EQ(m.nr, 5);
	CHECK_EQ(m.r[1].start, 0x10000000);
	CHECK_EQ(m.r[1].end, 0x11000000);
	CHECK_EQ(m.r[1].type, MEM_RESERVED);
	CHECK_EQ(m.r[2].start, 0x11000000);
	CHECK_EQ(m.r[2].end, 0x11800000);
	CHECK_EQ(m.r[2].type, MEM_ACPI);
	CHECK_EQ(m.r[4].type, MEM_NVS);
	CHECK_EQ(m.r[4].end, 0x40100000);
	CHECK_EQ(memmap_total(&m, MEM_RAM), 0x10000000 + 0x40000000 - 0x11800000 - 0x100000);
}

static void test_wraps_and_junk(void)
{
	memset(&m, 0, sizeof(m));
	memmap_add(&m, 0xfffffffffffff000ULL, 0x2000, MEM_RAM); /* wraps */
	memmap_add(&m, 0x1000, 0, MEM_RAM);			/* empty */
	memmap_add(&m, 0x2000, 0x800, MEM_RAM);			/* less than a page */
	memmap_add(&m, 0x100000, 0x100000, 99);			/* unknown type */
	memmap_add(&m, 0x200000, 0x100000, 0);			/* type 0 */
	memmap_sanitise(&m);
	check_sane(&m);
	CHECK_EQ(m.fixes, 3);
	CHECK_EQ(memmap_total(&m, MEM_RAM), 0);
	CHECK_EQ(m.nr, 1); /* the two unknown types became one reserved region */
	CHECK_EQ(m.r[0].start, 0x100000);
	CHECK_EQ(m.r[0].end, 0x300000);
	CHECK_EQ(m.r[0].type, MEM_RESERVED);
}

static void test_reserve_and_alloc(void)
{
	paddr_t a, b;

	memset(&m, 0, sizeof(m));
	memmap_add(&m, 0, 0xa0000, MEM_RAM);
	memmap_add(&m, 0x100000, 0x7f00000, MEM_RAM);
	memmap_sanitise(&m);
	CHECK_EQ(memmap_reserve(&m, 0x200123, 0x300001, MEM_HYPERVISOR), 0);
	check_sane(&m);
	CHECK_EQ(memmap_total(&m, MEM_HYPERVISOR), 0x101000); /* rounded out to whole pages */
	a = memmap_alloc(&m, 0x1000, 0x1000, 0x100000);
	CHECK_EQ(a, 0x9f000);
	b = memmap_alloc(&m, 0x10000, 0x200000, UINT64_MAX);
	CHECK_EQ(b, 0x7e00000);
	CHECK_EQ(memmap_alloc(&m, 0x1000, 0x3000, UINT64_MAX), 0); /* alignment not a power of 2 */
	CHECK_EQ(memmap_alloc(&m, 1ULL << 40, 0x1000, UINT64_MAX), 0);
	check_sane(&m);
	CHECK_EQ(memmap_total(&m, MEM_HYPERVISOR), 0x101000 + 0x1000 + 0x10000);
}

static void test_reserve_full(void)
{
	memset(&m, 0, sizeof(m));
	for (unsigned int i = 0; i < MEMMAP_MAX; i++)
		memmap_add(&m, (uint64_t)i * 0x200000, 0x100000, i % 2 ? MEM_RAM : MEM_RESERVED);
	CHECK(!memmap_add(&m, 0, 0x1000, MEM_RAM));
	memmap_sanitise(&m);
	CHECK_EQ(m.nr, MEMMAP_MAX);
	CHECK_EQ(memmap_reserve(&m, 0x200000 + 0x1000, 0x200000 + 0x2000, MEM_BOOT), -ENOSPC);
	CHECK_EQ(m.nr, MEMMAP_MAX); /* unchanged */
}

static void test_random_maps(void)
{
	srand(42);
	for (int round = 0; round < 2000; round++) {
		unsigned int n = 1 + (unsigned int)(rand() % 40);

		memset(&m, 0, sizeof(m));
		for (unsigned int i = 0; i < n; i++)
			memmap_add(&m, (uint64_t)(rand() % 4096) << 20,
				   (uint64_t)(rand() % 512) << 20 | (uint64_t)(rand() % 4096),
				   (uint32_t)(rand() % 9));
		memmap_sanitise(&m);
		check_sane(&m);
		memmap_reserve(&m, (uint64_t)(rand() % 4096) << 20, (uint64_t)(rand() % 4096) << 20,
			       MEM_BOOT);
		check_sane(&m);
		if (unit_failures)
			break;
	}
}

static const struct unit_test tests[] = {
	{"clean map", test_clean_map},
	{"overlapping regions", test_overlaps},
	{"wrapping, empty and unknown entries", test_wraps_and_junk},
	{"reserve and boot allocation", test_reserve_and_alloc},
	{"full table", test_reserve_full},
	{"random maps stay consistent", test_random_maps},
};

int main(void)
{
	return unit_run("memmap", tests, sizeof(tests) / sizeof(tests[0]));
}
