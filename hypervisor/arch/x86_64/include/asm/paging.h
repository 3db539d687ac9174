/* SPDX-License-Identifier: GPL-2.0-only */
/* The hypervisor's own page tables: direct map, image mapping, per-CPU windows. */
#ifndef ASM_PAGING_H
#define ASM_PAGING_H

#include <asm/layout.h>
#include <hospes/memmap.h>
#include <hospes/types.h>

#define PTE_P	 (1ULL << 0)
#define PTE_W	 (1ULL << 1)
#define PTE_U	 (1ULL << 2)
#define PTE_PWT	 (1ULL << 3)
#define PTE_PCD	 (1ULL << 4)
#define PTE_A	 (1ULL << 5)
#define PTE_D	 (1ULL << 6)
#define PTE_PS	 (1ULL << 7)
#define PTE_G	 (1ULL << 8)
#define PTE_NX	 (1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL

typedef uint64_t pte_t;

static inline void *__va(paddr_t pa)
{
	return (void *)(uintptr_t)(pa + DIRECTMAP_VIRT_START);
}

/* Physical address of a hypervisor virtual address in the direct map or the image. */
paddr_t __pa(const void *va);

/* NX when the CPU has it, else 0 (the bit is reserved without EFER.NXE). */
extern pte_t pte_nx;

/*
 * Builds the final page tables from the sanitised memory map and switches to them: the image
 * with W^X, the direct map of all RAM (and 0-4 GiB, for firmware tables and MMIO), and empty
 * L3 tables for every reserved L4 slot so that guests' copies of those slots see later mappings.
 * Nothing below the reserved range is mapped: that half belongs to guests. (Application
 * processors start on the boot page tables, which keep an identity map, then switch.)
 */
void paging_init(struct memmap *m);

/* Maps nr 4 KiB pages at va (in the reserved range) to pa with flags. 0 or -ENOMEM. */
int paging_map(vaddr_t va, paddr_t pa, unsigned long nr, pte_t flags);

/* Physical address of the idle page tables' L4 (every CPU's CR3 when no guest runs). */
paddr_t paging_idle_cr3(void);

/* Source of page-table pages: boot-time carving until the frame allocator is ready. */
void paging_set_frame_source(paddr_t (*alloc)(void));

#endif /* ASM_PAGING_H */
