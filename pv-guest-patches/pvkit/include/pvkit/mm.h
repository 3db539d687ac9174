/* SPDX-License-Identifier: MIT */
/* pvkit: start-of-day state (start_info, shared_info) and frame/address translation. */
#ifndef PVKIT_MM_H
#define PVKIT_MM_H

#include "lib.h"
#include <public/xen.h>

/*
 * Pseudo-physical 0 is mapped at this VA (the VIRT_BASE note); the image loads at pseudo-physical
 * 1 MiB. Built with PVKIT_HIGH, the kit links the image at Linux's kernel address instead.
 */
#ifdef PVKIT_HIGH
#define PVKIT_VIRT_BASE 0xffffffff80000000UL
#else
#define PVKIT_VIRT_BASE 0UL
#endif

extern struct start_info *pv_start_info;   /* from RSI at entry */
extern struct shared_info *pv_shared_info; /* mapped by pv_mm_init() */
/* vCPU 0's vcpu_info: the shared_info slot, or the area given to pv_vcpu_info_register(). */
extern struct vcpu_info *pv_vcpu_info;

/* True when running as the initial domain (SIF_INITDOMAIN). */
bool pv_is_initdomain(void);

/* Maps shared_info at a reserved page; returns 0 or the update_va_mapping error. */
long pv_mm_init(void);

/*
 * VCPUOP_register_vcpu_info for vCPU 0: the hypervisor keeps vCPU 0's vcpu_info in *area (inside
 * the 1:1 region, 64 bytes, not crossing a page) from now on. Returns 0 or -XEN_E*.
 */
long pv_vcpu_info_register(struct vcpu_info *area);

/* The p2m list: MFN of a guest pseudo-physical frame. */
xen_pfn_t pv_pfn_to_mfn(xen_pfn_t pfn);
/* The read-only M2P table at MACH2PHYS_VIRT_START: PFN of a machine frame. */
xen_pfn_t pv_mfn_to_pfn(xen_pfn_t mfn);
/* MFN of the frame behind a VA inside the initial 1:1 region. */
xen_pfn_t pv_virt_to_mfn(const void *va);
/* VA of a machine frame that belongs to this domain (through the M2P and the 1:1 region). */
void *pv_mfn_to_virt(xen_pfn_t mfn);

/*
 * Machine address of the L1 entry that maps va, found by walking the live page tables from
 * start_info.pt_base (0 if va is not mapped down to an L1); and a pointer to read that entry.
 */
uint64_t pv_l1e_maddr(const void *va);
const uint64_t *pv_l1e_ptr(const void *va);

/* update_va_mapping of one page-aligned VA to a machine frame (or unmapped with mfn = 0). */
long pv_map_mfn(void *va, xen_pfn_t mfn, bool writable);
long pv_unmap_va(void *va);

#endif /* PVKIT_MM_H */
