/* SPDX-License-Identifier: MIT */
/* Guest ABI: the Xen CPUID leaves (0x40000000 on) a PV guest reads through forced emulation. */
#ifndef HOSPES_PUBLIC_CPUID_H
#define HOSPES_PUBLIC_CPUID_H

/*
 * The leaves start at 0x40000000 (or the next free 0x100 boundary when another hypervisor
 * interface is offered first). A PV guest executes them as `ud2; .ascii "xen"; cpuid`
 * (XEN_EMULATE_PREFIX_BYTES in xen.h) so that the hypervisor, not the CPU, answers.
 * "Leaf n" below is XEN_CPUID_LEAF(n).
 */
#define XEN_CPUID_FIRST_LEAF 0x40000000u
#define XEN_CPUID_LEAF(i)    (XEN_CPUID_FIRST_LEAF + (i))

/* Leaf 0: EAX = highest Xen leaf; EBX:ECX:EDX = "XenVMMXenVMM". */
#define XEN_CPUID_SIGNATURE_EBX 0x566e6558u /* "XenV" */
#define XEN_CPUID_SIGNATURE_ECX 0x65584d4du /* "MMXe" */
#define XEN_CPUID_SIGNATURE_EDX 0x4d4d566eu /* "nVMM" */

/* Leaf 1: EAX = (major << 16) | minor; EBX..EDX reserved (0). */

/*
 * Leaf 2: EAX = number of hypercall pages (1); EBX = base of the Xen MSRs (writing a guest
 * address to that MSR asks for a hypercall page: an HVM mechanism); ECX = features 1; EDX =
 * features 2.
 */
#define XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD (1u << 0)

/*
 * Leaf 3, time. Sub-leaf 0: EAX bit 0 emulated TSC, bit 1 reliable host TSC, bit 2 RDTSCP;
 * EBX = tsc_mode (0 default, 1 always emulate, 2 never emulate, 3 never + TSC_AUX); ECX = guest
 * TSC kHz; EDX = incarnation. Sub-leaf 1: EAX/EBX = TSC offset low/high; ECX = mul, EDX =
 * shift for TSC to ns. Sub-leaf 2: EAX = host TSC kHz.
 */

/* Leaf 4: HVM features (EAX), vCPU id (EBX), domid (ECX); not used by PV guests. */
#define XEN_HVM_CPUID_APIC_ACCESS_VIRT (1u << 0)
#define XEN_HVM_CPUID_X2APIC_VIRT      (1u << 1)
#define XEN_HVM_CPUID_IOMMU_MAPPINGS   (1u << 2)
#define XEN_HVM_CPUID_VCPU_ID_PRESENT  (1u << 3)
#define XEN_HVM_CPUID_DOMID_PRESENT    (1u << 4)
#define XEN_HVM_CPUID_EXT_DEST_ID      (1u << 5)
#define XEN_HVM_CPUID_UPCALL_VECTOR    (1u << 6)

/* Leaf 5, PV parameters. Sub-leaf 0: EAX = highest sub-leaf; EBX bits 7:0 = machine address width. */
#define XEN_CPUID_MACHINE_ADDRESS_WIDTH_MASK (0xffu << 0)

#define XEN_CPUID_MAX_NUM_LEAVES	     5

#endif /* HOSPES_PUBLIC_CPUID_H */
