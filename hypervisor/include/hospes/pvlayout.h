/* SPDX-License-Identifier: GPL-2.0-only */
/* Start-of-day memory layout of a 64-bit PV domain (Xen's xen.h rules): pure arithmetic. */
#ifndef HOSPES_PVLAYOUT_H
#define HOSPES_PVLAYOUT_H

#include <hospes/elf.h>
#include <hospes/types.h>

#define PVLAYOUT_PAGE	     4096ULL
#define PVLAYOUT_MIN_PAD     KiB(512)	  /* padding guaranteed after the bootstrap stack */
#define PVLAYOUT_END_ALIGN   MiB(4)	  /* the mapped region ends on this boundary */
#define PVLAYOUT_MAX_PAGES   (1ULL << 36) /* 256 TiB of guest memory: the p2m stays sane */
#define PVLAYOUT_MAX_VCPUS   4096
#define PVLAYOUT_START_INFO  1168 /* sizeof(struct start_info) on x86_64 */
#define PVLAYOUT_VGA_INFO    40	  /* sizeof(struct dom0_vga_console_info), after start_info */
#define PVLAYOUT_HV_START    0xffff800000000000ULL /* hypervisor-reserved VA range... */
#define PVLAYOUT_HV_END	     0xffff880000000000ULL /* ...which the guest may not map */
#define PVLAYOUT_USER_TOP    0x0000800000000000ULL /* end of the canonical lower half */
#define PVLAYOUT_KERNEL_BASE 0xffff800000000000ULL /* start of the canonical upper half */

/* What the builder knows before laying the domain out. */
struct pvlayout_params {
	const struct elf_image_info *elf; /* the parsed kernel (virt_base, kstart/kend, notes) */
	uint64_t nr_pages;		  /* the domain's pages: pfns 0..nr_pages-1, p2m length */
	uint64_t initrd_len;		  /* initrd bytes, 0 for none */
	unsigned int nr_vcpus;		  /* 1..PVLAYOUT_MAX_VCPUS (vcpu_info lives in shared_info:
					     nothing in the initial region depends on it) */
	bool domu;			  /* add the xenstore and console ring pages (toolstack) */
	bool honour_init_p2m;	   /* put the p2m at the kernel's INIT_P2M VA, if it has one */
	bool honour_mod_start_pfn; /* leave the initrd unmapped if the kernel says MOD_START_PFN */
	bool single_l2;		   /* the whole initial region must sit under one L2 (1 GiB)
				      and one L3 (Linux needs it: it reuses Xen's L2) */
};

/*
 * The start-of-day layout. VAs are guest-virtual; a "pfn" is a guest pseudo-physical frame.
 * The initial region [virt_base, virt_end) maps pfn n at virt_base + n * 4096, RW, except the
 * bootstrap page-table frames, which are mapped read-only. All values are 4 KiB aligned.
 * Elements follow one another in this order (xen.h "Start-of-day memory layout"):
 * kernel, initrd (if mapped), p2m list (if not at INIT_P2M), start_info, xenstore ring and
 * console ring (domU), bootstrap page tables, stack, padding.
 */
struct pvlayout {
	uint64_t virt_base;   /* VA of pfn 0: start of the initial region */
	uint64_t virt_kstart; /* kernel image start VA (ELF virt_kstart) */
	uint64_t virt_kend;   /* kernel image end VA, rounded up to a page */

	uint64_t virt_initrd;	  /* VA of the mapped initrd, 0 if unmapped or none */
	uint64_t initrd_pfn;	  /* first initrd pfn (mapped or not); 0 if none */
	uint64_t nr_initrd_pages; /* pages holding initrd_len bytes */
	bool initrd_unmapped;	  /* start_info.mod_start = initrd_pfn, flag SIF_MOD_START_PFN;
				     otherwise mod_start = virt_initrd */

	uint64_t virt_p2m;	/* start_info.mfn_list: VA of the p2m (nr_pages u64 entries) */
	uint64_t p2m_pfn;	/* first pfn of the p2m data pages */
	uint64_t nr_p2m_pages;	/* p2m data pages: ceil(nr_pages * 8 / 4096) */
	bool p2m_at_init_p2m;	/* p2m mapped at ELF INIT_P2M outside the initial region */
	uint64_t first_p2m_pfn; /* start_info.first_p2m_pfn: first pfn of the INIT_P2M frames
				    (data then tables); 0 when the p2m is in the initial region */
	uint64_t nr_p2m_frames; /* start_info.nr_p2m_frames: data + table frames, or 0 */
	uint64_t p2m_pt_pfn;	/* first pfn of the p2m's own tables: L3s, then L2s, then L1s */
	uint64_t nr_p2m_l3, nr_p2m_l2, nr_p2m_l1; /* tables mapping the p2m (under the main L4) */

	uint64_t virt_start_info; /* start_info page (rsi at entry); dom0 VGA info at +1168 */
	uint64_t virt_xenstore;	  /* domU: xenstore ring page, 0 for dom0 */
	uint64_t virt_console;	  /* domU: console ring page, 0 for dom0 */

	uint64_t virt_pgtab;   /* start_info.pt_base: VA of the L4, first bootstrap table frame */
	uint64_t pgtab_pfn;    /* pfn of the L4; then the L3s, the L2s, the L1s, contiguous */
	uint64_t nr_pt_frames; /* start_info.nr_pt_frames = 1 + nr_l3 + nr_l2 + nr_l1 */
	uint64_t nr_l3, nr_l2, nr_l1; /* tables mapping [virt_base, virt_end) with 4 KiB leaves */

	uint64_t virt_stack;	  /* bootstrap stack page; rsp at entry = virt_stack + 4096 */
	uint64_t virt_alloc_end;  /* end of the last element (the stack): padding starts here */
	uint64_t virt_end;	  /* end of the initial region: >= virt_alloc_end + 512 KiB,
				    4 MiB aligned (relative to VA 0) */
	uint64_t nr_mapped_pages; /* (virt_end - virt_base) / 4096: pfns mapped at entry */
	uint64_t nr_used_pages;	  /* pfns taken by the above, the unmapped initrd and p2m frames;
				     pfns nr_used_pages..nr_pages-1 are free RAM in the p2m only */
};

/*
 * Computes the layout for p. Returns 0, or a negative errno with a one-line reason in msg:
 * -EINVAL for bad parameters or a kernel whose addresses cannot be laid out (non-canonical,
 * hypervisor range, wrap, INIT_P2M overlapping or misaligned, more than one L2 when single_l2),
 * -ENOMEM when it needs more than nr_pages pages.
 */
int pvlayout_compute(const struct pvlayout_params *p, struct pvlayout *l, char *msg, size_t msglen);

/* Pfn of a VA inside the initial region. */
static inline uint64_t pvlayout_pfn(const struct pvlayout *l, uint64_t va)
{
	return (va - l->virt_base) / PVLAYOUT_PAGE;
}

#endif /* HOSPES_PVLAYOUT_H */
