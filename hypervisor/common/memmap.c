/* SPDX-License-Identifier: GPL-2.0-only */
/* Memory map sanitising and boot-time carving; pure logic, unit-tested on the host. */
#include <hospes/errno.h>
#include <hospes/lib.h>
#include <hospes/memmap.h>

#define PAGE 4096ULL

bool memmap_add(struct memmap *m, uint64_t start, uint64_t len, uint32_t type)
{
	uint64_t end = start + len;

	if (m->nr >= MEMMAP_MAX)
		return false;
	if (end < start) { /* wraps: clip at the top of the address space */
		end = UINT64_MAX;
		m->fixes++;
	}
	m->r[m->nr++] = (struct mem_region){.start = start, .end = end, .type = type};
	return true;
}

static void sort_by_start(struct mem_region *r, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++) {
		struct mem_region key = r[i];
		unsigned int j = i;

		for (; j > 0 && r[j - 1].start > key.start; j--)
			r[j] = r[j - 1];
		r[j] = key;
	}
}

/* Type in force at address a: the highest type among the raw regions that cover it. */
static uint32_t type_at(const struct mem_region *raw, unsigned int n, uint64_t a)
{
	uint32_t t = 0;

	for (unsigned int i = 0; i < n; i++)
		if (raw[i].start <= a && a < raw[i].end && raw[i].type > t)
			t = raw[i].type;
	return t;
}

static void push_region(struct memmap *m, uint64_t start, uint64_t end, uint32_t type)
{
	if (start >= end || type == 0)
		return;
	if (m->nr && m->r[m->nr - 1].end == start && m->r[m->nr - 1].type == type) {
		m->r[m->nr - 1].end = end;
		return;
	}
	if (m->nr < MEMMAP_MAX)
		m->r[m->nr++] = (struct mem_region){.start = start, .end = end, .type = type};
}

static unsigned int count_overlaps(const struct mem_region *r, unsigned int n)
{
	unsigned int c = 0;
	uint64_t reach = 0;

	for (unsigned int i = 0; i < n; i++) {
		if (i && r[i].start < reach)
			c++;
		reach = MAX(reach, r[i].end);
	}
	return c;
}

/*
 * Sweep over every boundary: between two consecutive boundaries the type is constant, so the
 * output is exact whatever the input overlaps. O(n^2) on at most MEMMAP_MAX regions.
 */
void memmap_sanitise(struct memmap *m)
{
	struct mem_region raw[MEMMAP_MAX];
	uint64_t bounds[2 * MEMMAP_MAX];
	unsigned int n = 0, nb = 0;

	for (unsigned int i = 0; i < m->nr; i++) {
		struct mem_region r = m->r[i];

		if (r.type < MEM_RAM || r.type > MEM_HYPERVISOR) {
			r.type = MEM_RESERVED;
			m->fixes++;
		}
		if (r.end > MAX_PHYS_ADDR)
			r.end = MAX_PHYS_ADDR;
		if (r.type == MEM_RAM) {
			r.start = ROUNDUP(r.start, PAGE);
			r.end = ROUNDDOWN(r.end, PAGE);
		}
		if (r.start >= r.end)
			continue;
		raw[n++] = r;
	}
	sort_by_start(raw, n);
	m->fixes += count_overlaps(raw, n);
	for (unsigned int i = 0; i < n; i++) {
		bounds[nb++] = raw[i].start;
		bounds[nb++] = raw[i].end;
	}
	for (unsigned int i = 1; i < nb; i++) { /* insertion sort of the boundaries */
		uint64_t key = bounds[i];
		unsigned int j = i;

		for (; j > 0 && bounds[j - 1] > key; j--)
			bounds[j] = bounds[j - 1];
		bounds[j] = key;
	}
	m->nr = 0;
	for (unsigned int i = 0; i + 1 < nb; i++) {
		uint64_t start = bounds[i], end = bounds[i + 1];
		uint32_t type = type_at(raw, n, start);

		/* RAM cut by another type's unaligned edge keeps only its whole pages. */
		if (type == MEM_RAM) {
			start = ROUNDUP(start, PAGE);
			end = ROUNDDOWN(end, PAGE);
		}
		push_region(m, start, end, type);
	}
}

int memmap_reserve(struct memmap *m, uint64_t start, uint64_t end, uint32_t type)
{
	struct memmap out;

	start = ROUNDDOWN(start, PAGE);
	end = end > UINT64_MAX - PAGE ? UINT64_MAX & ~(PAGE - 1) : ROUNDUP(end, PAGE);
	if (start >= end)
		return 0;
	out.nr = 0;
	out.fixes = m->fixes;
	for (unsigned int i = 0; i < m->nr; i++) {
		struct mem_region r = m->r[i];

		if (r.type != MEM_RAM || r.end <= start || r.start >= end) {
			if (out.nr >= MEMMAP_MAX)
				return -ENOSPC;
			out.r[out.nr++] = r;
			continue;
		}
		if (out.nr + 3 > MEMMAP_MAX)
			return -ENOSPC;
		if (r.start < start)
			out.r[out.nr++] = (struct mem_region){r.start, start, MEM_RAM, 0};
		out.r[out.nr++] =
			(struct mem_region){MAX(r.start, start), MIN(r.end, end), type, 0};
		if (r.end > end)
			out.r[out.nr++] = (struct mem_region){end, r.end, MEM_RAM, 0};
	}
	*m = out;
	return 0;
}

paddr_t memmap_alloc(struct memmap *m, uint64_t size, uint64_t align, uint64_t limit)
{
	if (size == 0 || align < PAGE || (align & (align - 1)))
		return 0;
	size = ROUNDUP(size, PAGE);
	for (unsigned int i = m->nr; i-- > 0;) {
		const struct mem_region *r = &m->r[i];
		uint64_t top = MIN(r->end, limit), base;

		if (r->type != MEM_RAM || top < size || top - size < r->start)
			continue;
		base = ROUNDDOWN(top - size, align);
		if (base < r->start || base == 0)
			continue;
		if (memmap_reserve(m, base, base + size, MEM_HYPERVISOR))
			return 0;
		return base;
	}
	return 0;
}

uint64_t memmap_total(const struct memmap *m, uint32_t type)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; i < m->nr; i++)
		if (m->r[i].type == type)
			sum += m->r[i].end - m->r[i].start;
	return sum;
}

uint64_t memmap_top(const struct memmap *m, uint32_t type)
{
	uint64_t top = 0;

	for (unsigned int i = 0; i < m->nr; i++)
		if (m->r[i].type == type)
			top = MAX(top, m->r[i].end);
	return top;
}

const char *memmap_type_name(uint32_t type)
{
	static const char *const names[] = {"?",	"RAM",	    "ACPI",	 "ACPI NVS",
					    "reserved", "unusable", "boot data", "hypervisor"};

	return type < ARRAY_SIZE(names) ? names[type] : "?";
}
