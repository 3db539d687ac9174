/* SPDX-License-Identifier: MIT */
/* Guest ABI, x86_64 part: selectors, reserved VA range, register frames, vCPU context (Xen 4.17). */
#ifndef HOSPES_PUBLIC_ARCH_X86_64_H
#define HOSPES_PUBLIC_ARCH_X86_64_H

#include <stddef.h>
#include <stdint.h>

/*
 * Integer types the ABI uses for "machine word" fields. On x86_64 every one of them is 64 bits;
 * they are spelled out so that a header user never depends on the width of `long`.
 */
typedef uint64_t xen_ulong_t; /* a natural-width unsigned field (Xen: unsigned long) */
typedef uint64_t xen_pfn_t;   /* a frame number: machine (MFN) or pseudo-physical (PFN/GFN) */
/*
 * A guest virtual address passed to the hypervisor in place of a pointer (Xen:
 * XEN_GUEST_HANDLE(type), 8 bytes on x86_64). The hypervisor never dereferences it directly.
 */
typedef uint64_t xen_guest_handle_t;
typedef uint64_t xen_callback_t; /* a guest kernel code address (64-bit PV: RIP only) */

/*
 * Segment selectors in the hypervisor-reserved part of the GDT. A 64-bit PV guest kernel runs in
 * ring 3, so its "kernel" selectors are ring-3 selectors; in exception frames the hypervisor
 * reports kernel CS with RPL 0 (0xe030).
 */
#define FLAT_RING3_CS32	 0xe023 /* GDT entry 260: ring-3 32-bit code */
#define FLAT_RING3_CS64	 0xe033 /* GDT entry 262: ring-3 64-bit code */
#define FLAT_RING3_DS32	 0xe02b /* GDT entry 261: ring-3 data */
#define FLAT_RING3_DS64	 0x0000 /* the NULL selector */
#define FLAT_RING3_SS32	 0xe02b
#define FLAT_RING3_SS64	 0xe02b

#define FLAT_KERNEL_DS64 FLAT_RING3_DS64
#define FLAT_KERNEL_DS32 FLAT_RING3_DS32
#define FLAT_KERNEL_DS	 FLAT_KERNEL_DS64
#define FLAT_KERNEL_CS64 FLAT_RING3_CS64
#define FLAT_KERNEL_CS32 FLAT_RING3_CS32
#define FLAT_KERNEL_CS	 FLAT_KERNEL_CS64
#define FLAT_KERNEL_SS64 FLAT_RING3_SS64
#define FLAT_KERNEL_SS32 FLAT_RING3_SS32
#define FLAT_KERNEL_SS	 FLAT_KERNEL_SS64

#define FLAT_USER_DS64	 FLAT_RING3_DS64
#define FLAT_USER_DS32	 FLAT_RING3_DS32
#define FLAT_USER_DS	 FLAT_USER_DS64
#define FLAT_USER_CS64	 FLAT_RING3_CS64
#define FLAT_USER_CS32	 FLAT_RING3_CS32
#define FLAT_USER_CS	 FLAT_USER_CS64
#define FLAT_USER_SS64	 FLAT_RING3_SS64
#define FLAT_USER_SS32	 FLAT_RING3_SS32
#define FLAT_USER_SS	 FLAT_USER_SS64

/* A guest GDT may use frames 0..13 (entries 0..7167); page 14 on belongs to the hypervisor. */
#define FIRST_RESERVED_GDT_PAGE	 14
#define FIRST_RESERVED_GDT_BYTE	 (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)

/*
 * Virtual range owned by the hypervisor in every PV address space (L4 slots 256..271). Its first
 * 256 GiB hold the read-only machine-to-phys table (one 8-byte PFN per MFN) guests may read.
 */
#define HYPERVISOR_VIRT_START 0xFFFF800000000000ULL
#define HYPERVISOR_VIRT_END   0xFFFF880000000000ULL
#define MACH2PHYS_VIRT_START  0xFFFF800000000000ULL
#define MACH2PHYS_VIRT_END    0xFFFF804000000000ULL
#define MACH2PHYS_NR_ENTRIES  ((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> 3)

/* Number of vcpu_info slots inside shared_info; more vCPUs need VCPUOP_register_vcpu_info. */
#define XEN_LEGACY_MAX_VCPUS 32

/* set_segment_base (#25) selectors: which base register to write. */
#define SEGBASE_FS	    0
#define SEGBASE_GS_USER	    1
#define SEGBASE_GS_KERNEL   2
#define SEGBASE_GS_USER_SEL 3 /* load user %gs with the selector in base[15:0] */

/*
 * The iret hypercall (#23). The guest pushes `flags`, then (the hypercall page's slot 23 or the
 * guest itself) pushes rcx, r11 and rax, and issues the hypercall; %rsp then points at this
 * frame. IN: the whole frame. OUT: never returns; execution resumes at rip/cs/rflags/rsp/ss with
 * rax restored (and rcx/r11 unless flags has VGCF_in_syscall). Events are re-enabled iff
 * rflags.IF is set.
 */
struct iret_context {
	uint64_t rax;
	uint64_t r11;
	uint64_t rcx;
	uint64_t flags; /* VGCF_in_syscall or 0 */
	uint64_t rip;
	uint64_t cs;
	uint64_t rflags;
	uint64_t rsp;
	uint64_t ss;
};
_Static_assert(sizeof(struct iret_context) == 72, "iret_context size");
_Static_assert(offsetof(struct iret_context, flags) == 24, "iret_context.flags");
_Static_assert(offsetof(struct iret_context, rip) == 32, "iret_context.rip");
_Static_assert(offsetof(struct iret_context, ss) == 64, "iret_context.ss");

/* Guest register file as saved in vcpu_guest_context (and in Xen's own stack frame). */
struct cpu_user_regs {
	uint64_t r15;
	uint64_t r14;
	uint64_t r13;
	uint64_t r12;
	uint64_t rbp;
	uint64_t rbx;
	uint64_t r11;
	uint64_t r10;
	uint64_t r9;
	uint64_t r8;
	uint64_t rax;
	uint64_t rcx;
	uint64_t rdx;
	uint64_t rsi;
	uint64_t rdi;
	uint32_t error_code;   /* hypervisor-private */
	uint32_t entry_vector; /* hypervisor-private */
	uint64_t rip;
	uint16_t cs;
	uint16_t _pad0[1];
	uint8_t saved_upcall_mask; /* rflags.IF == !saved_upcall_mask */
	uint8_t _pad1[3];
	uint64_t rflags;
	uint64_t rsp;
	uint16_t ss;
	uint16_t _pad2[3];
	uint16_t es;
	uint16_t _pad3[3];
	uint16_t ds;
	uint16_t _pad4[3];
	uint16_t fs;
	uint16_t _pad5[3];
	uint16_t gs;
	uint16_t _pad6[3];
};
_Static_assert(sizeof(struct cpu_user_regs) == 200, "cpu_user_regs size");
_Static_assert(offsetof(struct cpu_user_regs, rax) == 80, "cpu_user_regs.rax");
_Static_assert(offsetof(struct cpu_user_regs, rdi) == 112, "cpu_user_regs.rdi");
_Static_assert(offsetof(struct cpu_user_regs, error_code) == 120, "cpu_user_regs.error_code");
_Static_assert(offsetof(struct cpu_user_regs, rip) == 128, "cpu_user_regs.rip");
_Static_assert(offsetof(struct cpu_user_regs, cs) == 136, "cpu_user_regs.cs");
_Static_assert(offsetof(struct cpu_user_regs, saved_upcall_mask) == 140, "cpu_user_regs.mask");
_Static_assert(offsetof(struct cpu_user_regs, rflags) == 144, "cpu_user_regs.rflags");
_Static_assert(offsetof(struct cpu_user_regs, rsp) == 152, "cpu_user_regs.rsp");
_Static_assert(offsetof(struct cpu_user_regs, ss) == 160, "cpu_user_regs.ss");
_Static_assert(offsetof(struct cpu_user_regs, gs) == 192, "cpu_user_regs.gs");

/*
 * One virtual IDT entry for set_trap_table (#0). IN: an array terminated by an entry whose
 * address is 0. flags bits 0-1: the DPL a software `int n` needs; bit 2: mask events (set the
 * upcall mask) on entry, like an interrupt gate. cs is ignored for 64-bit guests.
 */
struct trap_info {
	uint8_t vector;
	uint8_t flags;
	uint16_t cs;
	uint32_t _pad0;
	uint64_t address;
};
_Static_assert(sizeof(struct trap_info) == 16, "trap_info size");
_Static_assert(offsetof(struct trap_info, flags) == 1, "trap_info.flags");
_Static_assert(offsetof(struct trap_info, cs) == 2, "trap_info.cs");
_Static_assert(offsetof(struct trap_info, address) == 8, "trap_info.address");
#define TI_DPL_MASK 3u
#define TI_IF	    4u /* mask events on entry */

/* vcpu_guest_context.flags */
#define VGCF_i387_valid		      (1u << 0)
#define VGCF_in_kernel		      (1u << 2)
#define VGCF_failsafe_disables_events (1u << 3)
#define VGCF_syscall_disables_events  (1u << 4)
#define VGCF_online		      (1u << 5)
#define VGCF_in_syscall		      (1u << 8) /* iret flag: return as from a syscall */

/*
 * Full vCPU state, used by VCPUOP_initialise (IN) and by the toolstack's getvcpucontext (OUT).
 * The user page table of a 64-bit guest goes in ctrlreg[1] (an MFN in cr3 format).
 */
struct vcpu_guest_context {
	uint8_t fpu_ctxt[512]; /* FXSAVE image, 16-byte aligned when used */
	uint64_t flags;	       /* VGCF_* */
	struct cpu_user_regs user_regs;
	struct trap_info trap_ctxt[256];
	uint64_t ldt_base; /* linear address */
	uint64_t ldt_ents;
	uint64_t gdt_frames[16];
	uint64_t gdt_ents;
	uint64_t kernel_ss; /* stack used when coming from guest user mode */
	uint64_t kernel_sp;
	uint64_t ctrlreg[8];
	uint64_t debugreg[8];
	uint64_t event_callback_eip;
	uint64_t failsafe_callback_eip;
	uint64_t syscall_callback_eip;
	uint64_t vm_assist; /* bitmap of VMASST_TYPE_* */
	uint64_t fs_base;
	uint64_t gs_base_kernel;
	uint64_t gs_base_user;
};
_Static_assert(sizeof(struct vcpu_guest_context) == 5168, "vcpu_guest_context size");
_Static_assert(offsetof(struct vcpu_guest_context, flags) == 512, "vgc.flags");
_Static_assert(offsetof(struct vcpu_guest_context, user_regs) == 520, "vgc.user_regs");
_Static_assert(offsetof(struct vcpu_guest_context, trap_ctxt) == 720, "vgc.trap_ctxt");
_Static_assert(offsetof(struct vcpu_guest_context, ldt_base) == 4816, "vgc.ldt_base");
_Static_assert(offsetof(struct vcpu_guest_context, gdt_frames) == 4832, "vgc.gdt_frames");
_Static_assert(offsetof(struct vcpu_guest_context, gdt_ents) == 4960, "vgc.gdt_ents");
_Static_assert(offsetof(struct vcpu_guest_context, kernel_ss) == 4968, "vgc.kernel_ss");
_Static_assert(offsetof(struct vcpu_guest_context, kernel_sp) == 4976, "vgc.kernel_sp");
_Static_assert(offsetof(struct vcpu_guest_context, ctrlreg) == 4984, "vgc.ctrlreg");
_Static_assert(offsetof(struct vcpu_guest_context, debugreg) == 5048, "vgc.debugreg");
_Static_assert(offsetof(struct vcpu_guest_context, event_callback_eip) == 5112, "vgc.event");
_Static_assert(offsetof(struct vcpu_guest_context, failsafe_callback_eip) == 5120, "vgc.fsafe");
_Static_assert(offsetof(struct vcpu_guest_context, syscall_callback_eip) == 5128, "vgc.syscall");
_Static_assert(offsetof(struct vcpu_guest_context, vm_assist) == 5136, "vgc.vm_assist");
_Static_assert(offsetof(struct vcpu_guest_context, fs_base) == 5144, "vgc.fs_base");
_Static_assert(offsetof(struct vcpu_guest_context, gs_base_kernel) == 5152, "vgc.gs_kernel");
_Static_assert(offsetof(struct vcpu_guest_context, gs_base_user) == 5160, "vgc.gs_user");

/* The x86 tail of shared_info. Fields marked (guest) are written by the guest for its tools. */
struct arch_shared_info {
	uint64_t max_pfn;		      /* (guest) highest PFN + 1 in the p2m */
	xen_pfn_t pfn_to_mfn_frame_list_list; /* (guest) MFN of the p2m frame list list */
	uint64_t nmi_reason;		      /* hypervisor -> guest */
	uint64_t p2m_cr3;		      /* (guest) cr3 of the p2m address space */
	uint64_t p2m_vaddr;		      /* (guest) VA of the linear p2m list */
	uint64_t p2m_generation;	      /* (guest) bumped on each p2m remap */
};
_Static_assert(sizeof(struct arch_shared_info) == 48, "arch_shared_info size");
_Static_assert(offsetof(struct arch_shared_info, nmi_reason) == 16, "arch_shared_info.nmi");

/* The x86 part of vcpu_info. */
struct arch_vcpu_info {
	uint64_t cr2; /* faulting address of the last #PF bounced to the guest */
	uint64_t pad;
};
_Static_assert(sizeof(struct arch_vcpu_info) == 16, "arch_vcpu_info size");

#endif /* HOSPES_PUBLIC_ARCH_X86_64_H */
