/* SPDX-License-Identifier: MIT */
/* pvkit: constants shared by the assembly entry code and C (C side checks them against the ABI). */
#ifndef PVKIT_ASM_H
#define PVKIT_ASM_H

#define PVKIT_PAGE_SIZE	     4096
#define PVKIT_STACK_SIZE     (4 * PVKIT_PAGE_SIZE)
#define PVKIT_HCALL_IRET     23 /* __HYPERVISOR_iret */
#define PVKIT_HCALL_SLOT     32 /* bytes per hypercall-page stub */
#define PVKIT_FLAT_KERNEL_SS 0xe02b
#define PVKIT_FLAT_USER_CS   0xe033

/* Offsets in struct pv_trap_frame (traps.h), built by the entry stubs. */
#define PVKIT_FRAME_VECTOR 120
#define PVKIT_FRAME_SIZE   176

#endif /* PVKIT_ASM_H */
