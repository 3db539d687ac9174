/* SPDX-License-Identifier: GPL-2.0-only */
/* Hypervisor virtual memory layout: the L4 slots 256-271 every 64-bit PV guest leaves to us. */
#ifndef ASM_LAYOUT_H
#define ASM_LAYOUT_H

/*
 * Slot 256: read-only M2P table, guest visible (the address XENMEM_machphys_mapping returns).
 * Slot 260: per-CPU windows (GDT: 14 guest pages + 1 hypervisor page each).
 * Slot 261: hypervisor image (text, data, boot stacks), then the frame-info array.
 * Slots 262-271: 1:1 direct map of machine memory.
 * Every other slot belongs to the guest; guests may not map anything into 256-271.
 * Usable from assembly: plain constants only.
 */
#define HV_VIRT_START	     0xffff800000000000
#define HV_VIRT_END	     0xffff880000000000
#define HV_L4_FIRST_SLOT     256
#define HV_L4_LAST_SLOT	     271

#define RO_MPT_VIRT_START    0xffff800000000000
#define RO_MPT_VIRT_END	     0xffff804000000000
#define PERCPU_VIRT_START    0xffff820000000000
#define PERCPU_WINDOW_SIZE   0x100000 /* 1 MiB of address space per CPU */
#define HV_IMAGE_VIRT	     0xffff82d040000000
#define FRAME_INFO_VIRT	     0xffff82e000000000
#define DIRECTMAP_VIRT_START 0xffff830000000000
#define DIRECTMAP_VIRT_END   0xffff880000000000

/* The image is loaded at this physical address and linked at HV_IMAGE_VIRT + it. */
#define HV_LOAD_PHYS   0x200000
#define HV_PHYS_OFFSET HV_IMAGE_VIRT

#define PAGE_SHIFT     12
#define PAGE_SIZE      4096
#define STACK_ORDER    3 /* 32 KiB per-CPU stacks; struct cpu_info sits at the top */
#define STACK_SIZE     (PAGE_SIZE << STACK_ORDER)
#define IST_STACK_SIZE (2 * PAGE_SIZE)
#define CPU_INFO_SIZE  256 /* struct cpu_info, at the top of each CPU stack */

#endif /* ASM_LAYOUT_H */
