/* SPDX-License-Identifier: GPL-2.0-only */
/* The hypervisor's page tables: built once at boot, then extended by paging_map(). */
#include <asm/layout.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <hospes/bug.h>
#include <hospes/errno.h>
#include <hospes/lib.h>
#include <hospes/spinlock.h>

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __image_start[], __image_end[];

#define L4_SLOT(va) (((va) >> 39) & 511)
#define L3_SLOT(va) (((va) >> 30) & 511)
#define L2_SLOT(va) (((va) >> 21) & 511)
#define L1_SLOT(va) (((va) >> 12) & 511)

pte_t pte_nx;
static pte_t *idle_l4;
static struct memmap *boot_map;
static paddr_t (*frame_source)(void);
static spinlock_t paging_lock = SPINLOCK_INIT; /* serialises paging_map() callers */

paddr_t __pa(const void *va)
{
	uintptr_t v = (uintptr_t)va;

	if (v >= DIRECTMAP_VIRT_START && v < DIRECTMAP_VIRT_END)
		return v - DIRECTMAP_VIRT_START;
	if (v >= (uintptr_t)__image_start && v < (uintptr_t)__image_end)
		return v - HV_PHYS_OFFSET;
	panic("__pa(%p): not a direct-map or image address", va);
}

static paddr_t boot_frame(void)
{
	/* Below 4 GiB: the boot page tables map only that much while the new ones are built. */
	return memmap_alloc(boot_map, PAGE_SIZE, PAGE_SIZE, GiB(4));
}

void paging_set_frame_source(paddr_t (*alloc)(void))
{
	frame_source = alloc;
}

static pte_t *new_table(void)
{
	paddr_t pa = frame_source ? frame_source() : boot_frame();

	if (!pa)
		return NULL;
	memset(__va(pa), 0, PAGE_SIZE);
	return __va(pa);
}

/* Returns the table that entry e points to, creating it if absent (NULL if out of memory). */
/*
 * Returns the table that entry e points to, creating it if absent (NULL if out of memory).
 * user: the mapping below is guest-visible (the M2P), so this level must allow user access.
 */
static pte_t *next_table_user(pte_t *e, bool user)
{
	pte_t *t;

	if (*e & PTE_P) {
		BUG_ON(*e & PTE_PS);
		if (user)
			*e |= PTE_U;
		return __va(*e & PTE_ADDR);
	}
	t = new_table();
	if (t)
		*e = __pa(t) | PTE_P | PTE_W | (user ? PTE_U : 0);
	return t;
}

static pte_t *next_table(pte_t *e)
{
	return next_table_user(e, false);
}

static pte_t *walk_to_l1(vaddr_t va, bool user)
{
	pte_t *l3 = next_table_user(&idle_l4[L4_SLOT(va)], user);
	pte_t *l2 = l3 ? next_table_user(&l3[L3_SLOT(va)], user) : NULL;
	pte_t *l1 = l2 ? next_table_user(&l2[L2_SLOT(va)], user) : NULL;

	return l1;
}

int paging_map(vaddr_t va, paddr_t pa, unsigned long nr, pte_t flags)
{
	int rc = 0;

	spin_lock(&paging_lock);
	for (unsigned long i = 0; i < nr; i++, va += PAGE_SIZE, pa += PAGE_SIZE) {
		pte_t *l1 = walk_to_l1(va, flags & PTE_U);

		if (!l1) {
			rc = -ENOMEM;
			break;
		}
		l1[L1_SLOT(va)] = pa | flags | PTE_P;
		invlpg((void *)va);
	}
	spin_unlock(&paging_lock);
	return rc;
}

static int map_2m(vaddr_t va, paddr_t pa, pte_t flags)
{
	pte_t *l3 = next_table(&idle_l4[L4_SLOT(va)]);
	pte_t *l2 = l3 ? next_table(&l3[L3_SLOT(va)]) : NULL;

	if (!l2)
		return -ENOMEM;
	l2[L2_SLOT(va)] = pa | flags | PTE_P | PTE_PS;
	return 0;
}

static void map_image(void)
{
	for (char *p = __image_start; p < __image_end; p += PAGE_SIZE) {
		pte_t flags;

		if (p >= __text_start && p < __text_end)
			flags = PTE_G; /* read + execute */
		else if (p >= __rodata_start && p < __rodata_end)
			flags = PTE_G | pte_nx;
		else
			flags = PTE_G | PTE_W | pte_nx;
		if (paging_map((vaddr_t)p, (paddr_t)((uintptr_t)p - HV_PHYS_OFFSET), 1, flags))
			panic("out of memory mapping the hypervisor image");
	}
}

/* Direct map: RAM anywhere, plus everything below 4 GiB (ACPI tables, LAPIC, IOAPIC, HPET). */
static void map_directmap(const struct memmap *m)
{
	uint64_t top = MAX(memmap_top(m, MEM_RAM), memmap_top(m, MEM_HYPERVISOR));

	top = MAX(top, memmap_top(m, MEM_BOOT));
	top = MAX(ROUNDUP(top, MiB(2)), GiB(4));
	if (top > DIRECTMAP_VIRT_END - DIRECTMAP_VIRT_START)
		top = DIRECTMAP_VIRT_END - DIRECTMAP_VIRT_START;
	for (paddr_t pa = 0; pa < top; pa += MiB(2)) {
		pte_t flags = PTE_W | PTE_G | pte_nx;

		/* Above 4 GiB, map only what is memory: the rest may be device space. */
		if (pa >= GiB(4)) {
			bool any = false;

			for (unsigned int i = 0; i < m->nr && !any; i++)
				any = m->r[i].type != MEM_RESERVED && m->r[i].start < pa + MiB(2) &&
				      m->r[i].end > pa;
			if (!any)
				continue;
		}
		if (map_2m(DIRECTMAP_VIRT_START + pa, pa, flags))
			panic("out of memory building the direct map");
	}
}

void paging_init(struct memmap *m)
{
	boot_map = m;
	if (cpuid(0x80000000).eax >= 0x80000001 && (cpuid(0x80000001).edx & (1u << 20)))
		pte_nx = PTE_NX;
	idle_l4 = new_table();
	if (!idle_l4)
		panic("no memory below 4 GiB for page tables");
	/* Every reserved slot gets its L3 now: guests copy these L4 entries, not deeper ones. */
	for (unsigned int s = HV_L4_FIRST_SLOT; s <= HV_L4_LAST_SLOT; s++)
		if (!next_table(&idle_l4[s]))
			panic("out of memory for hypervisor L3 tables");
	map_directmap(m);
	map_image();
	write_cr4(read_cr4() | CR4_PGE);
	write_cr3(__pa(idle_l4));
}

paddr_t paging_idle_cr3(void)
{
	return __pa(idle_l4);
}
