/* SPDX-License-Identifier: GPL-2.0-only */
/* PV memory management: guest page-table walks and checked updates of guest PTEs. */
#ifndef HOSPES_PVMM_H
#define HOSPES_PVMM_H

#include <asm/traps.h>
#include <hospes/types.h>

struct vcpu;
struct domain;

/*
 * Checks that a guest L1 entry may be installed by domain d: not present, or mapping a frame
 * d owns, writable only if the frame is not a page table. Returns 0 or -EINVAL/-EPERM.
 */
int pv_l1e_check(struct domain *d, uint64_t pte);

/* update_va_mapping: replaces the L1 entry mapping va in the current page tables. */
long do_update_va_mapping(uint64_t va, uint64_t pte, uint64_t flags, uint64_t unused4,
			  uint64_t unused5);

/* A #PF the hypervisor resolves itself (none yet). False: bounce it to the guest. */
bool pv_mm_handle_fault(struct vcpu *v, struct cpu_regs *regs, uint64_t cr2);

/* Sets up the machine-to-phys table (RW for us, read-only for guests at MACH2PHYS_VIRT_START). */
void m2p_init(void);
void m2p_set(uint64_t mfn, uint64_t pfn);

#endif /* HOSPES_PVMM_H */
