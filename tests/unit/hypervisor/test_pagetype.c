/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests of hypervisor/common/pagetype.c: PV page types, reference counts, entry checks. */
#include <stdlib.h>
#include <string.h>
#include <hospes/errno.h>
#include <hospes/pagetype.h>
#include "../harness.h"

#define NR	 64
#define DOM	 1
#define OTHER	 2
#define P	 0x1ULL
#define W	 0x2ULL
#define U	 0x4ULL
#define A	 0x20ULL
#define PS	 0x80ULL
#define PRESENT	 (P | A)
#define WRITABLE (P | W | A)

static struct frame_info frames[NR];
static uint64_t pages[NR][512] __attribute__((aligned(4096)));
static uint64_t hv_l4[512];
static uint64_t released[NR];
static unsigned int flushes;
static uint32_t clock;

static uint64_t *map(uint64_t mfn)
{
	return pages[mfn];
}

static void release(uint64_t mfn)
{
	released[mfn]++;
}

static void flush(uint16_t domid)
{
	flushes++;
}

/* Frames past the table from NR + 100 on are "MMIO". */
static bool io_frame(uint64_t mfn)
{
	return mfn >= NR + 100;
}

static const struct pt_env env = {frames, NR, map, release, flush, &clock, hv_l4, io_frame, true};
static const struct pt_dom dom = {DOM, false, false, false, 0};
static const struct pt_dom iodom = {DOM, true, true, false, 0};
/* DOM's updates with OTHER as the foreign domain (a privileged toolstack mapping a guest). */
static const struct pt_dom fdom = {DOM, true, true, true, OTHER};

/* Every frame owned by DOM with its allocation reference, contents zero. */
static void reset(void)
{
	memset(frames, 0, sizeof(frames));
	memset(pages, 0, sizeof(pages));
	memset(released, 0, sizeof(released));
	for (unsigned int i = 0; i < NR; i++) {
		frames[i].state = FRAME_GUEST;
		frames[i].owner = DOM;
		frames[i].count_info = PGC_ALLOCATED | 1;
	}
	frames[NR - 1].owner = OTHER;
	for (unsigned int i = 256; i <= 271; i++)
		hv_l4[i] = 0xabc000 | i;
	flushes = 0;
}

static uint64_t refs(uint64_t mfn)
{
	return frames[mfn].count_info & PGC_COUNT_MASK;
}

static uint64_t tcount(uint64_t mfn)
{
	return frames[mfn].type_info & PGT_COUNT_MASK;
}

static uint64_t e(uint64_t mfn, uint64_t flags)
{
	return (mfn << 12) | flags;
}

static void test_get_put(void)
{
	reset();
	CHECK_EQ(page_get(&env, 3, DOM), 0);
	CHECK_EQ(refs(3), 2);
	CHECK_EQ(page_get(&env, NR - 1, DOM), -EINVAL); /* another domain's */
	CHECK_EQ(page_get(&env, NR + 5, DOM), -EINVAL); /* beyond the table */
	frames[4].state = FRAME_HV;
	CHECK_EQ(page_get(&env, 4, DOM), -EINVAL);
	page_put(&env, 3);
	frames[3].count_info &= ~PGC_ALLOCATED;
	page_put(&env, 3);
	CHECK_EQ(released[3], 1);
	frames[5].count_info = PGC_ALLOCATED | PGC_COUNT_MASK;
	CHECK_EQ(page_get(&env, 5, DOM), -EBUSY);
}

/* L4 (10) -> L3 (11) -> L2 (12) -> L1 (13) -> data 20 RW, table 13 RO. */
static void build_tree(void)
{
	pages[10][0] = e(11, WRITABLE);
	pages[10][260] = e(40, WRITABLE); /* in the hypervisor's slots: ignored, overwritten */
	pages[11][0] = e(12, WRITABLE);
	pages[12][0] = e(13, WRITABLE);
	pages[13][0] = e(20, WRITABLE);
	pages[13][1] = e(13, PRESENT);
}

static void test_validate_tree(void)
{
	reset();
	build_tree();
	CHECK_EQ(page_get_and_type(&env, &dom, 10, PGT_L4), 0);
	CHECK_EQ(page_type_of(&frames[10]), PGT_L4);
	CHECK_EQ(page_type_of(&frames[11]), PGT_L3);
	CHECK_EQ(page_type_of(&frames[12]), PGT_L2);
	CHECK_EQ(page_type_of(&frames[13]), PGT_L1);
	CHECK_EQ(page_type_of(&frames[20]), PGT_WRITABLE);
	CHECK_EQ(refs(13), 3); /* allocated + L2 entry + its own RO mapping */
	CHECK_EQ(refs(40), 1);
	CHECK_EQ(pages[10][260], hv_l4[260]);
	CHECK(pages[13][0] & U);
	CHECK(pages[10][0] & U);
	/* A second use of the L4 only counts. */
	CHECK_EQ(page_get_and_type(&env, &dom, 10, PGT_L4), 0);
	CHECK_EQ(tcount(10), 2);
	/* Conflicting types are refused while the count is held. */
	CHECK_EQ(page_get_type(&env, &dom, 13, PGT_WRITABLE), -EINVAL);
	CHECK_EQ(page_get_type(&env, &dom, 20, PGT_L1), -EINVAL);
	/* Dropping every use devalidates down the tree. */
	page_put_and_type(&env, &dom, 10);
	page_put_and_type(&env, &dom, 10);
	for (unsigned int m = 10; m <= 13; m++) {
		CHECK_EQ(tcount(m), 0);
		CHECK_EQ(refs(m), 1);
	}
	CHECK_EQ(tcount(20), 0);
	CHECK_EQ(refs(20), 1);
	CHECK_EQ(flushes, 0); /* nothing changed type yet */
}

static void test_validation_failures(void)
{
	reset();
	build_tree();
	pages[13][2] = e(12, WRITABLE); /* writable mapping of an (in-use) L2 */
	CHECK_EQ(page_get_and_type(&env, &dom, 10, PGT_L4), -EINVAL);
	for (unsigned int m = 10; m <= 20; m++) { /* everything undone */
		CHECK_EQ(tcount(m), 0);
		CHECK_EQ(refs(m), 1);
	}
	pages[13][2] = e(NR - 1, PRESENT); /* another domain's frame */
	CHECK_EQ(page_get_type(&env, &dom, 13, PGT_L1), -EINVAL);
	pages[13][2] = e(21, PRESENT | PS | 0x18); /* cache attributes, no I/O rights */
	CHECK_EQ(page_get_type(&env, &dom, 13, PGT_L1), -EINVAL);
	pages[13][2] = e(21, PRESENT | (1ULL << 62)); /* the grant tag */
	CHECK_EQ(page_get_type(&env, &dom, 13, PGT_L1), -EINVAL);
	pages[13][2] = e(21, PRESENT | (1ULL << 55) | 0x100); /* software bits and G: fine */
	CHECK_EQ(page_get_type(&env, &dom, 13, PGT_L1), 0);
	page_put_type(&env, &dom, 13);
	pages[13][2] = 0;
	pages[12][1] = e(0, PRESENT | PS); /* superpage */
	CHECK_EQ(page_get_type(&env, &dom, 12, PGT_L2), -EINVAL);
	pages[12][1] = e(12, PRESENT); /* linear self-map: not supported */
	CHECK_EQ(page_get_type(&env, &dom, 12, PGT_L2), -EINVAL);
	CHECK_EQ(tcount(13), 0);
	CHECK_EQ(refs(13), 1);
}

static void test_pin_rules(void)
{
	reset();
	/* A page with a writable mapping cannot become a table, and the reverse. */
	pages[13][5] = e(30, WRITABLE);
	CHECK_EQ(page_get_and_type(&env, &dom, 13, PGT_L1), 0);
	CHECK_EQ(page_get_and_type(&env, &dom, 30, PGT_L1), -EINVAL);
	CHECK_EQ(refs(30), 2);
	page_put_and_type(&env, &dom, 13);
	pages[13][5] = 0;
	CHECK_EQ(flushes, 0);
	/* Writable until now: a flush comes before it can be a table; once is enough. */
	CHECK_EQ(page_get_and_type(&env, &dom, 30, PGT_L1), 0);
	CHECK_EQ(flushes, 1);
	CHECK_EQ(page_get_and_type(&env, &dom, 13, PGT_L1), 0);
	CHECK_EQ(flushes, 1); /* same type as before */
	page_put_and_type(&env, &dom, 30);
	CHECK_EQ(page_get_and_type(&env, &dom, 30, PGT_L1), 0);
	CHECK_EQ(flushes, 1);
	CHECK_EQ(page_mod_entry(&env, &dom, 13, 1, 6, e(30, WRITABLE), false), -EINVAL);
	CHECK_EQ(page_mod_entry(&env, &dom, 13, 1, 6, e(30, PRESENT), false), 0);
	CHECK_EQ(refs(30), 3);
}

static void test_mod_entry(void)
{
	reset();
	CHECK_EQ(page_get_and_type(&env, &dom, 13, PGT_L1), 0);
	CHECK_EQ(page_mod_entry(&env, &dom, 13, 1, 7, e(21, WRITABLE), false), 0);
	CHECK_EQ(tcount(21), 1);
	CHECK_EQ(pages[13][7], e(21, WRITABLE | U));
	/* The same frame again: new reference first, then the old one goes. */
	CHECK_EQ(page_mod_entry(&env, &dom, 13, 1, 7, e(21, WRITABLE), false), 0);
	CHECK_EQ(tcount(21), 1);
	CHECK_EQ(refs(21), 2);
	/* A global bit is accepted and dropped: CR3 writes must flush every guest entry. */
	CHECK_EQ(page_mod_entry(&env, &dom, 13, 1, 8, e(22, PRESENT | 0x100), false), 0);
	CHECK_EQ(pages[13][8], e(22, PRESENT | U));
	CHECK_EQ(page_mod_entry(&env, &dom, 13, 1, 8, 0, false), 0);
	/* A refused update leaves the entry alone. */
	CHECK_EQ(page_mod_entry(&env, &dom, 13, 1, 7, e(NR - 1, PRESENT), false), -EINVAL);
	CHECK_EQ(pages[13][7], e(21, WRITABLE | U));
	/* PRESERVE_AD keeps the hardware's A/D bits. */
	pages[13][7] |= 0x40;
	CHECK_EQ(page_mod_entry(&env, &dom, 13, 1, 7, e(21, P | W), true), 0);
	CHECK_EQ(pages[13][7] & 0x60, 0x60);
	CHECK_EQ(page_mod_entry(&env, &dom, 13, 1, 7, 0, false), 0);
	CHECK_EQ(tcount(21), 0);
	CHECK_EQ(refs(21), 1);
	/* Wrong level, or not a table at all. */
	CHECK_EQ(page_mod_entry(&env, &dom, 13, 2, 0, 0, false), -EINVAL);
	CHECK_EQ(page_mod_entry(&env, &dom, 21, 1, 0, 0, false), -EINVAL);
	CHECK_EQ(page_mod_entry(&env, &dom, 13, 1, 512, 0, false), -EINVAL);
	/* L4: the hypervisor's slots are never the guest's. */
	CHECK_EQ(page_get_and_type(&env, &dom, 10, PGT_L4), 0);
	CHECK_EQ(page_mod_entry(&env, &dom, 10, 4, 256, 0, false), -EINVAL);
	CHECK_EQ(page_mod_entry(&env, &dom, 10, 4, 271, 0, false), -EINVAL);
	CHECK_EQ(page_mod_entry(&env, &dom, 10, 4, 1, e(11, PRESENT), false), 0);
	CHECK_EQ(page_type_of(&frames[11]), PGT_L3);
	CHECK_EQ(page_mod_entry(&env, &dom, 10, 4, 2, e(13, PRESENT), false), -EINVAL);
}

static void test_descriptors(void)
{
	uint64_t d = 0x00cf93000000ffffULL; /* DPL 0 data */

	CHECK_EQ(desc_check(&d), 0);
	CHECK_EQ(d, 0x00cff3000000ffffULL); /* DPL raised to 3 */
	d = 0x00cf89000000ffffULL;	    /* TSS */
	CHECK_EQ(desc_check(&d), -EINVAL);
	d = 0x0000ec0000000000ULL | (0xe030ULL << 16); /* call gate to the flat kernel CS */
	CHECK_EQ(desc_check(&d), 0);
	CHECK_EQ((d >> 45) & 3, 0); /* DPL 0 */
	CHECK_EQ((d >> 16) & 0xffff, 0xe033);
	d = 0x00008c0000000000ULL | (0xe008ULL << 16); /* gate into the hypervisor */
	CHECK_EQ(desc_check(&d), -EINVAL);
	d = 0x0000000000001234ULL; /* not present */
	CHECK_EQ(desc_check(&d), 0);
	reset();
	pages[14][3] = 0x00cf8e000000ffffULL; /* interrupt gate: refused */
	CHECK_EQ(page_get_type(&env, &dom, 14, PGT_SEG_DESC), -EINVAL);
	CHECK_EQ(tcount(14), 0);
	pages[14][3] = 0x00cf93000000ffffULL;
	CHECK_EQ(page_get_type(&env, &dom, 14, PGT_SEG_DESC), 0);
	CHECK_EQ(pages[14][3], 0x00cff3000000ffffULL);
	CHECK_EQ(page_get_type(&env, &dom, 14, PGT_WRITABLE), -EINVAL);
}

static void test_io_frames(void)
{
	reset();
	CHECK_EQ(page_get_and_type(&env, &dom, 13, PGT_L1), 0);
	CHECK_EQ(page_mod_entry(&env, &dom, 13, 1, 0, e(NR + 200, WRITABLE), false), -EINVAL);
	CHECK_EQ(page_mod_entry(&env, &iodom, 13, 1, 0, e(NR + 200, WRITABLE | 0x18), false), 0);
	CHECK_EQ(page_mod_entry(&env, &iodom, 13, 1, 1, e(NR + 50, PRESENT), false), -EINVAL);
	frames[7].state = FRAME_HV; /* RAM the hypervisor uses is never I/O */
	CHECK_EQ(page_mod_entry(&env, &iodom, 13, 1, 1, e(7, PRESENT), false), -EINVAL);
	CHECK_EQ(page_mod_entry(&env, &iodom, 13, 2, 0, e(NR + 200, PRESENT), false), -EINVAL);
	CHECK_EQ(page_mod_entry(&env, &iodom, 13, 1, 0, 0, false), 0);
	page_put_and_type(&env, &dom, 13);
	CHECK_EQ(refs(13), 1);
}

static void test_foreign_maps(void)
{
	reset();
	frames[NR - 2].owner = OTHER;
	CHECK_EQ(page_get_and_type(&env, &dom, 13, PGT_L1), 0);
	/* Only the foreign domain's frames, writable ones with the writable type. */
	CHECK_EQ(page_mod_entry(&env, &fdom, 13, 1, 0, e(NR - 1, WRITABLE), false), 0);
	CHECK_EQ(refs(NR - 1), 2);
	CHECK_EQ(tcount(NR - 1), 1);
	CHECK_EQ(frames[NR - 1].foreign, 1);
	CHECK_EQ(page_mod_entry(&env, &fdom, 13, 1, 1, e(NR - 2, PRESENT), false), 0);
	CHECK_EQ(tcount(NR - 2), 0);
	CHECK_EQ(frames[NR - 2].foreign, 1);
	CHECK_EQ(page_mod_entry(&env, &fdom, 13, 1, 2, e(21, PRESENT), false), -EBUSY);
	CHECK_EQ(page_mod_entry(&env, &fdom, 13, 1, 2, e(NR + 200, PRESENT), false), -EPERM);
	frames[22].state = FRAME_FREE;
	CHECK_EQ(page_mod_entry(&env, &fdom, 13, 1, 2, e(22, PRESENT), false), -EBUSY);
	CHECK_EQ(pages[13][2], 0);
	CHECK_EQ(refs(21), 1);
	/* Never an L2-L4 entry, and a foreign page table is never mapped writable. */
	CHECK_EQ(page_get_and_type(&env, &dom, 12, PGT_L2), 0);
	CHECK_EQ(page_mod_entry(&env, &fdom, 12, 2, 1, e(NR - 2, PRESENT), false), -EINVAL);
	pages[NR - 2][0] = 0;
	frames[NR - 2].type_info = ((uint64_t)PGT_L1 << PGT_TYPE_SHIFT) | PGT_VALIDATED | 1;
	CHECK_EQ(page_mod_entry(&env, &fdom, 13, 1, 3, e(NR - 2, WRITABLE), false), -EBUSY);
	CHECK_EQ(refs(NR - 2), 2); /* the read-only mapping's, nothing more */
	frames[NR - 2].type_info = 0;
	/* Clearing the entries (as the mapper's own update) gives every reference back. */
	CHECK_EQ(page_mod_entry(&env, &dom, 13, 1, 0, 0, false), 0);
	CHECK_EQ(page_mod_entry(&env, &dom, 13, 1, 1, 0, false), 0);
	CHECK_EQ(refs(NR - 1), 1);
	CHECK_EQ(tcount(NR - 1), 0);
	CHECK_EQ(frames[NR - 1].foreign, 0);
	CHECK_EQ(frames[NR - 2].foreign, 0);
	CHECK_EQ(released[NR - 1] + released[NR - 2], 0);
}

static void test_orphans(void)
{
	reset();
	CHECK_EQ(page_get_and_type(&env, &dom, 13, PGT_L1), 0);
	CHECK_EQ(page_mod_entry(&env, &fdom, 13, 1, 0, e(NR - 1, WRITABLE), false), 0);
	CHECK_EQ(page_mod_entry(&env, &fdom, 13, 1, 1, e(NR - 1, PRESENT), false), 0);
	/* OTHER dies: a frame nobody else maps is not kept; the mapped one becomes an orphan. */
	CHECK(!page_orphan(&env, 20));
	CHECK(page_orphan(&env, NR - 1));
	CHECK_EQ(frames[NR - 1].owner, DOMID_ORPHAN);
	CHECK_EQ(frames[NR - 1].count_info, 2); /* exactly the two mappings, not allocated */
	CHECK_EQ(page_get(&env, NR - 1, OTHER), -EINVAL);
	CHECK_EQ(page_mod_entry(&env, &fdom, 13, 1, 2, e(NR - 1, PRESENT), false), -EBUSY);
	/* The contents stay reachable until the last mapping goes, then the frame is released. */
	CHECK_EQ(page_mod_entry(&env, &dom, 13, 1, 0, 0, false), 0);
	CHECK_EQ(released[NR - 1], 0);
	CHECK_EQ(page_mod_entry(&env, &dom, 13, 1, 1, 0, false), 0);
	CHECK_EQ(released[NR - 1], 1);
	CHECK_EQ(frames[NR - 1].foreign, 0);
}

static void test_drop_foreign_entries(void)
{
	reset();
	CHECK_EQ(page_get_and_type(&env, &dom, 13, PGT_L1), 0);
	CHECK_EQ(page_mod_entry(&env, &dom, 13, 1, 0, e(21, WRITABLE), false), 0);
	CHECK_EQ(page_mod_entry(&env, &fdom, 13, 1, 1, e(NR - 1, WRITABLE), false), 0);
	/* DOM dies: what it maps of OTHER goes, its own entries stay for the frame pass. */
	page_drop_foreign_entries(&env, &dom, 13);
	CHECK_EQ(pages[13][1], 0);
	CHECK_EQ(refs(NR - 1), 1);
	CHECK_EQ(tcount(NR - 1), 0);
	CHECK_EQ(frames[NR - 1].foreign, 0);
	CHECK_EQ(pages[13][0], e(21, WRITABLE | U));
	CHECK_EQ(refs(21), 2);
	/* Not a validated L1 of the domain: nothing happens. */
	page_drop_foreign_entries(&env, &dom, 14);
	page_drop_foreign_entries(&env, &dom, NR + 3);
}

static const struct unit_test tests[] = {
	{"general references", test_get_put},
	{"validating a tree takes every reference, dropping it returns them", test_validate_tree},
	{"a failed validation undoes everything", test_validation_failures},
	{"writable and table types exclude each other", test_pin_rules},
	{"entry updates: checks, references, A/D, L4 slots", test_mod_entry},
	{"segment descriptors", test_descriptors},
	{"I/O frames: privileged domains only, never counted", test_io_frames},
	{"foreign maps: the foreign domain's frames, L1 only, counted as foreign",
	 test_foreign_maps},
	{"a dead domain's mapped frames are orphans until the last unmap", test_orphans},
	{"a dying domain lets go of what it maps of others", test_drop_foreign_entries},
};

int main(void)
{
	return unit_run("pagetype", tests, sizeof(tests) / sizeof(tests[0]));
}
