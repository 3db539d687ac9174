/* SPDX-License-Identifier: GPL-2.0-only */
/* ELF64 kernel-image parser and Xen ELF-note reader for the PV domain builder (untrusted input). */
#ifndef HOSPES_ELF_H
#define HOSPES_ELF_H

#include <hospes/types.h>

/*
 * Xen ELF note types (name "Xen"), numbers from Xen's public elfnote.h. Kept here until the
 * public ABI headers land; the lead reconciles them with include/public/.
 */
#define ELFNOTE_XEN_INFO	       0
#define ELFNOTE_XEN_ENTRY	       1
#define ELFNOTE_XEN_HYPERCALL_PAGE     2
#define ELFNOTE_XEN_VIRT_BASE	       3
#define ELFNOTE_XEN_PADDR_OFFSET       4
#define ELFNOTE_XEN_XEN_VERSION	       5
#define ELFNOTE_XEN_GUEST_OS	       6
#define ELFNOTE_XEN_GUEST_VERSION      7
#define ELFNOTE_XEN_LOADER	       8
#define ELFNOTE_XEN_PAE_MODE	       9
#define ELFNOTE_XEN_FEATURES	       10
#define ELFNOTE_XEN_BSD_SYMTAB	       11
#define ELFNOTE_XEN_HV_START_LOW       12
#define ELFNOTE_XEN_L1_MFN_VALID       13
#define ELFNOTE_XEN_SUSPEND_CANCEL     14
#define ELFNOTE_XEN_INIT_P2M	       15
#define ELFNOTE_XEN_MOD_START_PFN      16
#define ELFNOTE_XEN_SUPPORTED_FEATURES 17
#define ELFNOTE_XEN_PHYS32_ENTRY       18
#define ELFNOTE_XEN_PHYS32_RELOC       19
#define ELFNOTE_XEN_MAX		       19

/* XENFEAT_* bit numbers (Xen's public features.h) used by the FEATURES note and the builder. */
#define ELF_XENFEAT_writable_page_tables       0
#define ELF_XENFEAT_writable_descriptor_tables 1
#define ELF_XENFEAT_auto_translated_physmap    2
#define ELF_XENFEAT_supervisor_mode_kernel     3
#define ELF_XENFEAT_pae_pgdir_above_4gb	       4
#define ELF_XENFEAT_hvm_callback_vector	       8
#define ELF_XENFEAT_dom0		       11

/* Limits on what an image may contain (far above any real kernel, far below abuse). */
#define ELF_MAX_PHDRS 64
#define ELF_MAX_SHDRS 4096
#define ELF_MAX_LOADS 16
#define ELF_MAX_NOTES 1024		    /* notes of any owner, over all segments/sections */
#define ELF_MAX_SPAN  (1ULL << 30)	    /* [lowest p_paddr, highest p_paddr+p_memsz) */
#define ELF_MAX_IMAGE (1ULL << 31)	    /* bytes of the ELF file itself */
#define ELF_STR_LEN   32		    /* string notes are truncated to 31 chars */
#define ELF_UNSET     0xffffffffffffffffULL /* a numeric note that was absent */
#define ELF_MSG_LEN   160		    /* enough for any message elf_parse writes */

/* One PT_LOAD segment, copied out of the image once it has been validated. */
struct elf_segment {
	uint64_t paddr;	 /* p_paddr: the load VA is paddr + elf_image_info.virt_offset */
	uint64_t offset; /* p_offset: file bytes [offset, offset+filesz) are inside the image */
	uint64_t filesz; /* bytes copied from the file */
	uint64_t memsz;	 /* >= filesz; bytes [filesz, memsz) are zeroed */
	uint32_t flags;	 /* p_flags (PF_X 1, PF_W 2, PF_R 4) */
	uint32_t index;	 /* program header index, for messages */
};

/* Everything the domain builder needs from a kernel image, all validated. */
struct elf_image_info {
	uint64_t entry;		 /* entry VA: the ENTRY note, else e_entry; in [kstart, kend) */
	uint64_t hypercall_page; /* VA of the page to fill with hypercall stubs, 0 if no note */
	uint64_t virt_base;	 /* VIRT_BASE note, 0 if absent: pfn 0 is mapped here */
	uint64_t paddr_offset;	 /* PADDR_OFFSET note, 0 if absent */
	uint64_t virt_offset;	 /* virt_base - paddr_offset: add to p_paddr to get the VA */
	uint64_t virt_kstart;	 /* lowest load VA (lowest p_paddr + virt_offset) */
	uint64_t virt_kend;	 /* end of the highest segment (exclusive), not page-rounded */
	uint64_t init_p2m;	 /* INIT_P2M note: VA for the p2m list, ELF_UNSET if absent */
	uint64_t hv_start_low;	 /* HV_START_LOW note (32-bit guests only), ELF_UNSET if absent */
	uint64_t phys32_entry;	 /* PHYS32_ENTRY note (PVH only), ELF_UNSET if absent */
	uint32_t features_supported; /* XENFEAT_* bits: FEATURES names + SUPPORTED_FEATURES map */
	uint32_t features_required;  /* XENFEAT_* bits named with a '!' in FEATURES */
	bool has_supported_features; /* a SUPPORTED_FEATURES note was present */
	bool has_entry_note;	     /* the entry came from an ENTRY note (not e_entry) */
	bool mod_start_pfn;	     /* MOD_START_PFN != 0: pass the initrd unmapped, by PFN */
	bool suspend_cancel;	     /* SUSPEND_CANCEL != 0 */
	bool notes_from_sections;    /* no Xen note in a PT_NOTE segment: SHT_NOTE sections used */
	char xen_version[ELF_STR_LEN];	 /* XEN_VERSION ("xen-3.0"), NUL-terminated */
	char guest_os[ELF_STR_LEN];	 /* GUEST_OS ("linux", "XTF"), "" if absent */
	char guest_version[ELF_STR_LEN]; /* GUEST_VERSION, "" if absent */
	char loader[ELF_STR_LEN];	 /* LOADER ("generic"), "" if absent */
	char pae_mode[ELF_STR_LEN];	 /* PAE_MODE ("yes"), "" if absent; ignored for 64-bit */
	unsigned int nr_xen_notes;	 /* Xen notes parsed */
	unsigned int nr_loads;		 /* valid entries in load[] (at least one) */
	struct elf_segment load[ELF_MAX_LOADS]; /* PT_LOADs with memsz > 0, ascending paddr */
};

/*
 * Parses and validates a 64-bit x86 kernel image of size bytes: header, program headers,
 * PT_LOAD segments, then the Xen notes (PT_NOTE segments, or SHT_NOTE sections when no segment
 * holds one) and Xen's acceptance rules (LOADER "generic" or GUEST_OS "linux"; XEN_VERSION
 * "xen-3.0"; entry and hypercall page inside the kernel; INIT_P2M outside it). Never reads
 * outside [image, image+size). Returns 0 and fills *info, or a negative errno (-ENOEXEC: not
 * a 64-bit x86 executable; -EINVAL: malformed or refused; -E2BIG: over a limit) with a
 * one-line reason in msg (msglen bytes, may be NULL/0).
 */
int elf_parse(const void *image, size_t size, struct elf_image_info *info, char *msg,
	      size_t msglen);

/*
 * Writes one piece of the kernel at guest VA vaddr: len bytes from src, or len zero bytes when
 * src is NULL. One call per segment part (file bytes, then the zeroed tail), so len may span
 * many pages and vaddr need not be page aligned; [vaddr, vaddr+len) always lies inside
 * [virt_kstart, virt_kend). Returns 0 or a negative errno, which stops the load and is passed
 * back.
 */
typedef int (*elf_write_fn)(void *ctx, uint64_t vaddr, const void *src, size_t len);

/*
 * Copies every PT_LOAD segment of info (from elf_parse on this same image and size) to its load
 * VA and zero-fills up to p_memsz, through write. The bounds are checked again. Returns 0 or
 * the first negative errno (from write, or -EINVAL if info does not fit the image).
 */
int elf_load_segments(const void *image, size_t size, const struct elf_image_info *info,
		      elf_write_fn write, void *ctx);

/*
 * The builder's policy for the initial domain (Xen's dom0 rules): a required
 * supervisor_mode_kernel is refused, and a kernel with a SUPPORTED_FEATURES note must claim
 * the dom0 feature. Returns 0 or -EINVAL with a reason in msg.
 */
int elf_check_dom0(const struct elf_image_info *info, char *msg, size_t msglen);

/* Name of XENFEAT bit nr as in Xen's features.h ("writable_page_tables"), or NULL. */
const char *elf_xen_feature_name(unsigned int nr);

#endif /* HOSPES_ELF_H */
