/* SPDX-License-Identifier: MIT */
/* Guest ABI basics: hypercall numbers, shared pages (start_info, shared_info), MMU ops (Xen 4.17). */
#ifndef HOSPES_PUBLIC_XEN_H
#define HOSPES_PUBLIC_XEN_H

#include <stddef.h>
#include <stdint.h>

#include "arch-x86_64.h"
#include "errno.h"

/*
 * Hypercalls. A 64-bit PV guest kernel executes `syscall` with RAX = number and arguments in
 * RDI, RSI, RDX, R10, R8 (R9 for a sixth); RAX returns 0/positive or -XEN_E*. RCX and R11 are
 * lost to `syscall`. Through the hypercall page, call hypercall_page + number * 32 instead.
 * Unknown numbers return -XEN_ENOSYS.
 */
#define __HYPERVISOR_set_trap_table		   0
#define __HYPERVISOR_mmu_update			   1
#define __HYPERVISOR_set_gdt			   2
#define __HYPERVISOR_stack_switch		   3
#define __HYPERVISOR_set_callbacks		   4
#define __HYPERVISOR_fpu_taskswitch		   5
#define __HYPERVISOR_sched_op_compat		   6
#define __HYPERVISOR_platform_op		   7
#define __HYPERVISOR_set_debugreg		   8
#define __HYPERVISOR_get_debugreg		   9
#define __HYPERVISOR_update_descriptor		   10
#define __HYPERVISOR_memory_op			   12
#define __HYPERVISOR_multicall			   13
#define __HYPERVISOR_update_va_mapping		   14
#define __HYPERVISOR_set_timer_op		   15
#define __HYPERVISOR_event_channel_op_compat	   16
#define __HYPERVISOR_xen_version		   17
#define __HYPERVISOR_console_io			   18
#define __HYPERVISOR_physdev_op_compat		   19
#define __HYPERVISOR_grant_table_op		   20
#define __HYPERVISOR_vm_assist			   21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret			   23
#define __HYPERVISOR_vcpu_op			   24
#define __HYPERVISOR_set_segment_base		   25
#define __HYPERVISOR_mmuext_op			   26
#define __HYPERVISOR_xsm_op			   27
#define __HYPERVISOR_nmi_op			   28
#define __HYPERVISOR_sched_op			   29
#define __HYPERVISOR_callback_op		   30
#define __HYPERVISOR_xenoprof_op		   31
#define __HYPERVISOR_event_channel_op		   32
#define __HYPERVISOR_physdev_op			   33
#define __HYPERVISOR_hvm_op			   34
#define __HYPERVISOR_sysctl			   35
#define __HYPERVISOR_domctl			   36
#define __HYPERVISOR_kexec_op			   37
#define __HYPERVISOR_tmem_op			   38
#define __HYPERVISOR_argo_op			   39
#define __HYPERVISOR_xenpmu_op			   40
#define __HYPERVISOR_dm_op			   41
#define __HYPERVISOR_hypfs_op			   42
#define __HYPERVISOR_arch_0			   48
#define __HYPERVISOR_arch_7			   55
#define HYPERCALL_PAGE_SLOT_SIZE		   32 /* bytes per stub in the hypercall page */
#define NR_HYPERCALLS				   64

/*
 * Hypercall arguments at a glance (64-bit PV; "h" is a guest virtual address):
 *   set_trap_table(h trap_info[])            mmu_update(h mmu_update[], n, h done, domid)
 *   set_gdt(h frames[], entries)             stack_switch(ss, sp)
 *   set_callbacks(event, failsafe, syscall)  fpu_taskswitch(set)
 *   set_debugreg(reg, value)                 get_debugreg(reg) -> value
 *   update_descriptor(maddr, u64 desc)       memory_op(cmd, h arg)       (memory.h)
 *   multicall(h multicall_entry[], n)        update_va_mapping(va, pte, UVMF_*)
 *   set_timer_op(u64 abs_ns; 0 cancels)      event_channel_op(cmd, h arg) (event_channel.h)
 *   xen_version(cmd, h arg)  (version.h)     console_io(CONSOLEIO_*, len, h buf)
 *   grant_table_op(cmd, h arg[], n)          vm_assist(VMASST_CMD_*, VMASST_TYPE_*)
 *   update_va_mapping_otherdomain(va, pte, flags, domid)
 *   iret()  (struct iret_context on stack)   vcpu_op(cmd, vcpu, h arg)     (vcpu.h)
 *   set_segment_base(SEGBASE_*, base)        mmuext_op(h mmuext_op[], n, h done, domid)
 *   sched_op(cmd, h arg)  (sched.h)          callback_op(cmd, h arg)       (callback.h)
 *   physdev_op(cmd, h arg) (physdev.h)
 */

/* Virtual IRQs, bound to event channels with EVTCHNOP_bind_virq. V = per vCPU, G = global. */
#define VIRQ_TIMER	0  /* V: the vCPU's timer expired (set_timer_op / singleshot / periodic) */
#define VIRQ_DEBUG	1  /* V: please dump debug state */
#define VIRQ_CONSOLE	2  /* G, dom0: bytes arrived on the hypervisor console */
#define VIRQ_DOM_EXC	3  /* G, dom0: some domain shut down or crashed */
#define VIRQ_TBUF	4  /* G, dom0: trace records available */
#define VIRQ_DEBUGGER	6  /* G, dom0: a domain paused for a debugger */
#define VIRQ_XENOPROF	7  /* V: profiling sample available */
#define VIRQ_CON_RING	8  /* G, dom0: hypervisor console ring has new bytes */
#define VIRQ_PCPU_STATE 9  /* G, dom0: physical CPU state changed */
#define VIRQ_MEM_EVENT	10 /* G, dom0: memory event */
#define VIRQ_ARGO	11 /* G: Argo message */
#define VIRQ_ENOMEM	12 /* G, dom0: hypervisor heap low */
#define VIRQ_XENPMU	13 /* V: PMU interrupt */
#define VIRQ_ARCH_0	16 /* x86: machine check */
#define VIRQ_ARCH_7	23
#define NR_VIRQS	24

/*
 * mmu_update (#1): IN an array of {ptr, val}; ptr[1:0] selects the command, ptr[63:2] is the
 * machine address of the entry. IN count, foreign domid (DOMID_SELF for none). OUT (optional
 * handle) the number of entries done. Returns 0 or -XEN_E* at the first entry that failed.
 */
#define MMU_NORMAL_PT_UPDATE	   0 /* checked write of a page-table entry */
#define MMU_MACHPHYS_UPDATE	   1 /* set M2P[ptr >> 12] = val */
#define MMU_PT_UPDATE_PRESERVE_AD  2 /* as NORMAL, keeping the entry's current A/D bits */
#define MMU_PT_UPDATE_NO_TRANSLATE 3 /* as NORMAL, val not translated through the foreign domid */

struct mmu_update {
	uint64_t ptr; /* machine address of the entry | MMU_* */
	uint64_t val; /* new contents */
};
_Static_assert(sizeof(struct mmu_update) == 16, "mmu_update size");
_Static_assert(offsetof(struct mmu_update, val) == 8, "mmu_update.val");

/*
 * mmuext_op (#26): IN an array of these, a count, an optional OUT handle for the number done
 * and a foreign domid. Returns 0 or -XEN_E* at the first failing entry.
 */
#define MMUEXT_PIN_L1_TABLE	  0 /* arg1.mfn: validate as L1 and pin */
#define MMUEXT_PIN_L2_TABLE	  1
#define MMUEXT_PIN_L3_TABLE	  2
#define MMUEXT_PIN_L4_TABLE	  3
#define MMUEXT_UNPIN_TABLE	  4 /* arg1.mfn */
#define MMUEXT_NEW_BASEPTR	  5 /* arg1.mfn: new kernel L4 */
#define MMUEXT_TLB_FLUSH_LOCAL	  6
#define MMUEXT_INVLPG_LOCAL	  7 /* arg1.linear_addr */
#define MMUEXT_TLB_FLUSH_MULTI	  8 /* arg2.vcpumask */
#define MMUEXT_INVLPG_MULTI	  9 /* arg1.linear_addr, arg2.vcpumask */
#define MMUEXT_TLB_FLUSH_ALL	  10
#define MMUEXT_INVLPG_ALL	  11 /* arg1.linear_addr */
#define MMUEXT_FLUSH_CACHE	  12
#define MMUEXT_SET_LDT		  13 /* arg1.linear_addr (page aligned), arg2.nr_ents */
#define MMUEXT_NEW_USER_BASEPTR	  15 /* arg1.mfn: L4 used in guest user mode */
#define MMUEXT_CLEAR_PAGE	  16 /* arg1.mfn */
#define MMUEXT_COPY_PAGE	  17 /* arg1.mfn destination, arg2.src_mfn */
#define MMUEXT_FLUSH_CACHE_GLOBAL 18
#define MMUEXT_MARK_SUPER	  19 /* arg1.mfn */
#define MMUEXT_UNMARK_SUPER	  20 /* arg1.mfn */

struct mmuext_op {
	uint32_t cmd; /* MMUEXT_* */
	uint32_t _pad0;
	union {
		xen_pfn_t mfn;
		uint64_t linear_addr;
	} arg1;
	union {
		uint32_t nr_ents;
		xen_guest_handle_t vcpumask; /* bitmap of vCPUs */
		xen_pfn_t src_mfn;
	} arg2;
};
_Static_assert(sizeof(struct mmuext_op) == 24, "mmuext_op size");
_Static_assert(offsetof(struct mmuext_op, arg1) == 8, "mmuext_op.arg1");
_Static_assert(offsetof(struct mmuext_op, arg2) == 16, "mmuext_op.arg2");

/* update_va_mapping (#14) flags; OR one flush type with a scope. */
#define UVMF_NONE	    0ULL /* no flush */
#define UVMF_TLB_FLUSH	    1ULL /* flush whole TLB(s) */
#define UVMF_INVLPG	    2ULL /* flush this VA only */
#define UVMF_FLUSHTYPE_MASK 3ULL
#define UVMF_MULTI	    0ULL /* OR in a guest pointer to a vCPU bitmap */
#define UVMF_LOCAL	    0ULL /* this vCPU only */
#define UVMF_ALL	    4ULL /* every vCPU of the domain */

/*
 * console_io (#18): CONSOLEIO_write IN len, buffer -> returns 0 (dom0; others need
 * permission); CONSOLEIO_read IN len, OUT buffer -> returns bytes read (dom0 only).
 */
#define CONSOLEIO_write 0
#define CONSOLEIO_read	1

/* vm_assist (#21): IN cmd, type. Returns 0, or -XEN_EINVAL for an unknown type. */
#define VMASST_CMD_enable		 0
#define VMASST_CMD_disable		 1
#define VMASST_TYPE_4gb_segments	 0  /* 32-bit only */
#define VMASST_TYPE_4gb_segments_notify	 1  /* 32-bit only */
#define VMASST_TYPE_writable_pagetables	 2  /* emulate writes to read-only mapped L1 tables */
#define VMASST_TYPE_pae_extended_cr3	 3  /* 32-bit only */
#define VMASST_TYPE_architectural_iopl	 4  /* virtual IOPL follows the iret frame's rflags */
#define VMASST_TYPE_runstate_update_flag 5  /* XEN_RUNSTATE_UPDATE in state_entry_time */
#define VMASST_TYPE_m2p_strict		 32 /* M2P outside the guest's frames reads as ~0 */

/* Domain identifiers. */
typedef uint16_t domid_t;
#define DOMID_FIRST_RESERVED 0x7FF0U /* ids from here on are not real domains */
#define DOMID_SELF	     0x7FF0U /* the calling domain */
#define DOMID_IO	     0x7FF1U /* I/O memory owner */
#define DOMID_XEN	     0x7FF2U /* the hypervisor */
#define DOMID_COW	     0x7FF3U /* shared copy-on-write pages */
#define DOMID_INVALID	     0x7FF4U /* no domain */
#define DOMID_IDLE	     0x7FFFU /* the idle domain */
#define DOMID_MASK	     0x7FFFU

/*
 * multicall (#13): IN an array of entries and a count. Runs each {op, args} in order and writes
 * each return value into result (OUT). Returns 0 unless the array cannot be read.
 */
struct multicall_entry {
	xen_ulong_t op;
	xen_ulong_t result;
	xen_ulong_t args[6];
};
_Static_assert(sizeof(struct multicall_entry) == 64, "multicall_entry size");
_Static_assert(offsetof(struct multicall_entry, result) == 8, "multicall_entry.result");
_Static_assert(offsetof(struct multicall_entry, args) == 16, "multicall_entry.args");

/* 2-level event channels: one bit per port in shared_info; 4096 ports on x86_64. */
#define NR_EVENT_CHANNELS (64 * 64)

/*
 * Per-vCPU time record (pvclock). The hypervisor increments version to odd before an update and
 * to even after; readers retry while it is odd or changed. Current system time in ns:
 *   system_time + (((tsc - tsc_timestamp) << tsc_shift (>> -tsc_shift if negative))
 *                  * tsc_to_system_mul) >> 32
 */
struct vcpu_time_info {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp; /* TSC at the last update */
	uint64_t system_time;	/* ns since hypervisor boot at tsc_timestamp */
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags; /* XEN_PVCLOCK_* */
	uint8_t pad1[2];
};
_Static_assert(sizeof(struct vcpu_time_info) == 32, "vcpu_time_info size");
_Static_assert(offsetof(struct vcpu_time_info, tsc_timestamp) == 8, "vti.tsc_timestamp");
_Static_assert(offsetof(struct vcpu_time_info, system_time) == 16, "vti.system_time");
_Static_assert(offsetof(struct vcpu_time_info, tsc_to_system_mul) == 24, "vti.mul");
_Static_assert(offsetof(struct vcpu_time_info, tsc_shift) == 28, "vti.tsc_shift");
_Static_assert(offsetof(struct vcpu_time_info, flags) == 29, "vti.flags");
#define XEN_PVCLOCK_TSC_STABLE_BIT (1 << 0) /* TSCs of all vCPUs are synchronised */
#define XEN_PVCLOCK_GUEST_STOPPED  (1 << 1)

/*
 * Per-vCPU event state. upcall_pending is set by the hypervisor and cleared by the guest before
 * it scans; upcall_mask = 1 means events are off (the PV "IF clear").
 */
struct vcpu_info {
	uint8_t evtchn_upcall_pending;
	uint8_t evtchn_upcall_mask;
	uint8_t _pad0[6];
	xen_ulong_t evtchn_pending_sel; /* bit n: word n of evtchn_pending has news */
	struct arch_vcpu_info arch;
	struct vcpu_time_info time;
};
_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info size");
_Static_assert(offsetof(struct vcpu_info, evtchn_upcall_mask) == 1, "vcpu_info.mask");
_Static_assert(offsetof(struct vcpu_info, evtchn_pending_sel) == 8, "vcpu_info.pending_sel");
_Static_assert(offsetof(struct vcpu_info, arch) == 16, "vcpu_info.arch");
_Static_assert(offsetof(struct vcpu_info, time) == 32, "vcpu_info.time");

/* The page shared by the hypervisor and each domain; its machine address is in start_info. */
struct shared_info {
	struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
	xen_ulong_t evtchn_pending[64]; /* bit per port: set by hypervisor, cleared by guest */
	xen_ulong_t evtchn_mask[64];	/* bit per port: written by guest only */
	uint32_t wc_version;		/* wallclock: same protocol as vcpu_time_info.version */
	uint32_t wc_sec;		/* UTC time at system_time 0 */
	uint32_t wc_nsec;
	uint32_t wc_sec_hi;
	struct arch_shared_info arch;
};
_Static_assert(sizeof(struct shared_info) == 3136, "shared_info size");
_Static_assert(offsetof(struct shared_info, evtchn_pending) == 2048, "shared_info.pending");
_Static_assert(offsetof(struct shared_info, evtchn_mask) == 2560, "shared_info.mask");
_Static_assert(offsetof(struct shared_info, wc_version) == 3072, "shared_info.wc_version");
_Static_assert(offsetof(struct shared_info, wc_sec) == 3076, "shared_info.wc_sec");
_Static_assert(offsetof(struct shared_info, wc_nsec) == 3080, "shared_info.wc_nsec");
_Static_assert(offsetof(struct shared_info, wc_sec_hi) == 3084, "shared_info.wc_sec_hi");
_Static_assert(offsetof(struct shared_info, arch) == 3088, "shared_info.arch");

/*
 * start_info: the page whose VA is in RSI when a PV kernel starts. Everything above cmd_line is
 * filled on first boot and on resume; the rest on first boot only.
 */
#define MAX_GUEST_CMDLINE 1024
struct start_info {
	char magic[32];	      /* "xen-3.0-x86_64" */
	uint64_t nr_pages;    /* pages allocated to the domain (length of the p2m list) */
	uint64_t shared_info; /* MACHINE address of shared_info */
	uint32_t flags;	      /* SIF_* */
	uint32_t _pad0;
	xen_pfn_t store_mfn;   /* domU: MFN of the xenstore ring */
	uint32_t store_evtchn; /* domU: its event channel */
	uint32_t _pad1;
	union {
		struct {
			xen_pfn_t mfn;	 /* MFN of the console ring (io/console.h) */
			uint32_t evtchn; /* its event channel */
			uint32_t _pad2;
		} domU;
		struct {
			uint32_t info_off;  /* offset of dom0_vga_console_info, 0 if none */
			uint32_t info_size; /* its size */
		} dom0;
	} console;
	uint64_t pt_base;		  /* VA of the bootstrap L4 */
	uint64_t nr_pt_frames;		  /* number of bootstrap page-table frames */
	uint64_t mfn_list;		  /* VA of the p2m list (nr_pages MFNs) */
	uint64_t mod_start;		  /* VA of the module, or its PFN with SIF_MOD_START_PFN */
	uint64_t mod_len;		  /* module size in bytes, 0 if none */
	char cmd_line[MAX_GUEST_CMDLINE]; /* NUL-terminated command line */
	uint64_t first_p2m_pfn;		  /* first PFN of the p2m frames placed at INIT_P2M */
	uint64_t nr_p2m_frames;		  /* their number */
};
_Static_assert(sizeof(struct start_info) == 1168, "start_info size");
_Static_assert(offsetof(struct start_info, nr_pages) == 32, "start_info.nr_pages");
_Static_assert(offsetof(struct start_info, shared_info) == 40, "start_info.shared_info");
_Static_assert(offsetof(struct start_info, flags) == 48, "start_info.flags");
_Static_assert(offsetof(struct start_info, store_mfn) == 56, "start_info.store_mfn");
_Static_assert(offsetof(struct start_info, store_evtchn) == 64, "start_info.store_evtchn");
_Static_assert(offsetof(struct start_info, console.domU.mfn) == 72, "start_info.console.mfn");
_Static_assert(offsetof(struct start_info, console.domU.evtchn) == 80, "start_info.console.evt");
_Static_assert(offsetof(struct start_info, console.dom0.info_size) == 76, "start_info.dom0.size");
_Static_assert(offsetof(struct start_info, pt_base) == 88, "start_info.pt_base");
_Static_assert(offsetof(struct start_info, nr_pt_frames) == 96, "start_info.nr_pt_frames");
_Static_assert(offsetof(struct start_info, mfn_list) == 104, "start_info.mfn_list");
_Static_assert(offsetof(struct start_info, mod_start) == 112, "start_info.mod_start");
_Static_assert(offsetof(struct start_info, mod_len) == 120, "start_info.mod_len");
_Static_assert(offsetof(struct start_info, cmd_line) == 128, "start_info.cmd_line");
_Static_assert(offsetof(struct start_info, first_p2m_pfn) == 1152, "start_info.first_p2m_pfn");
_Static_assert(offsetof(struct start_info, nr_p2m_frames) == 1160, "start_info.nr_p2m_frames");

#define XEN_START_INFO_MAGIC "xen-3.0-x86_64"

/* start_info.flags */
#define SIF_PRIVILEGED	    (1u << 0) /* the domain is privileged */
#define SIF_INITDOMAIN	    (1u << 1) /* the domain is the initial (control) domain */
#define SIF_MULTIBOOT_MOD   (1u << 2) /* mod_start/mod_len describe a multiboot module */
#define SIF_MOD_START_PFN   (1u << 3) /* mod_start is a PFN, not a VA */
#define SIF_VIRT_P2M_4TOOLS (1u << 4) /* the tools understand a virtually mapped p2m */
#define SIF_PM_MASK	    (0xFFu << 8)

/* Dom0 only: the firmware console the hypervisor found, at start_info + console.dom0.info_off. */
struct dom0_vga_console_info {
	uint8_t video_type; /* XEN_VGATYPE_* */
	uint8_t _pad0[3];
	union {
		struct {
			uint16_t font_height;
			uint16_t cursor_x;
			uint16_t cursor_y;
			uint16_t rows;
			uint16_t columns;
		} text_mode_3;
		struct {
			uint16_t width;
			uint16_t height;
			uint16_t bytes_per_line;
			uint16_t bits_per_pixel;
			uint32_t lfb_base; /* low 32 bits of the framebuffer address */
			uint32_t lfb_size; /* in 64 KiB units */
			uint8_t red_pos;
			uint8_t red_size;
			uint8_t green_pos;
			uint8_t green_size;
			uint8_t blue_pos;
			uint8_t blue_size;
			uint8_t rsvd_pos;
			uint8_t rsvd_size;
			uint32_t gbl_caps;
			uint16_t mode_attrs;
			uint16_t pad;
			uint32_t ext_lfb_base; /* high 32 bits of the framebuffer address */
		} vesa_lfb;
	} u;
};
_Static_assert(sizeof(struct dom0_vga_console_info) == 40, "dom0_vga_console_info size");
_Static_assert(offsetof(struct dom0_vga_console_info, u) == 4, "dom0_vga_console_info.u");
_Static_assert(offsetof(struct dom0_vga_console_info, u.vesa_lfb.lfb_base) == 12, "vga.lfb_base");
_Static_assert(offsetof(struct dom0_vga_console_info, u.vesa_lfb.ext_lfb_base) == 36, "vga.ext");
#define XEN_VGATYPE_TEXT_MODE_3 0x03
#define XEN_VGATYPE_VESA_LFB	0x23
#define XEN_VGATYPE_EFI_LFB	0x70

/* The forced-emulation prefix: `ud2; .ascii "xen"` before cpuid makes the hypervisor emulate it. */
#define XEN_EMULATE_PREFIX_BYTES 0x0f, 0x0b, 0x78, 0x65, 0x6e

#endif /* HOSPES_PUBLIC_XEN_H */
