/* SPDX-License-Identifier: GPL-2.0-only */
/* The machine memory map: collected from the boot loader, sanitised, then carved at boot. */
#ifndef HOSPES_MEMMAP_H
#define HOSPES_MEMMAP_H

#include <hospes/types.h>

#define MEMMAP_MAX    160
#define MAX_PHYS_ADDR (1ULL << 52)

/* Region types; a higher value wins where two reported regions overlap. */
enum mem_type {
	MEM_RAM = 1,	    /* usable RAM, free for the frame allocator */
	MEM_ACPI = 2,	    /* ACPI tables, reclaimable after boot */
	MEM_NVS = 3,	    /* ACPI non-volatile storage */
	MEM_RESERVED = 4,   /* firmware reserved, MMIO */
	MEM_UNUSABLE = 5,   /* defective RAM */
	MEM_BOOT = 6,	    /* boot loader data, modules: RAM the hypervisor keeps for now */
	MEM_HYPERVISOR = 7, /* hypervisor image and boot-time allocations */
};

struct mem_region {
	uint64_t start;
	uint64_t end; /* exclusive */
	uint32_t type;
	uint32_t pad;
};

struct memmap {
	unsigned int nr;
	unsigned int fixes; /* how many problems sanitising repaired (overlaps, wraps, bad types) */
	struct mem_region r[MEMMAP_MAX];
};

/* Appends a raw region as reported (len may be 0 or wrap: sanitise deals with it). False if full. */
bool memmap_add(struct memmap *m, uint64_t start, uint64_t len, uint32_t type);

/*
 * Turns the raw list into sorted, non-overlapping regions: overlaps resolved in favour of the
 * higher type, wrapping or too-high ranges clipped, unknown types made MEM_RESERVED, RAM shrunk
 * to whole pages, empty regions dropped, neighbours of one type merged. Counts repairs in
 * m->fixes (an overlap, a wrap, an unknown type; page trimming is normal and not counted).
 */
void memmap_sanitise(struct memmap *m);

/*
 * Marks [start, end) as type (page-rounded outwards) wherever it overlaps RAM, splitting regions.
 * Returns 0, or -ENOSPC if the table is full (the map is left unchanged then).
 */
int memmap_reserve(struct memmap *m, uint64_t start, uint64_t end, uint32_t type);

/*
 * Takes size bytes (rounded up to pages) of RAM at an address aligned to align (a power of two,
 * at least a page) entirely below limit, from the highest fitting place, and marks it
 * MEM_HYPERVISOR. Returns the physical address, or 0 when nothing fits.
 */
paddr_t memmap_alloc(struct memmap *m, uint64_t size, uint64_t align, uint64_t limit);

/* Bytes of the given type, and the end of the highest region of that type (0 if none). */
uint64_t memmap_total(const struct memmap *m, uint32_t type);
uint64_t memmap_top(const struct memmap *m, uint32_t type);

const char *memmap_type_name(uint32_t type);

#endif /* HOSPES_MEMMAP_H */
