/* SPDX-License-Identifier: MIT */
/* Guest ABI: type numbers of the "Xen" ELF notes a PV kernel carries (Xen 4.17). */
#ifndef HOSPES_PUBLIC_ELFNOTE_H
#define HOSPES_PUBLIC_ELFNOTE_H

/*
 * Every note has name "Xen". Numeric descriptors are native-endian integers of descsz bytes;
 * strings may or may not be NUL-terminated, so use descsz.
 */
#define XEN_ELFNOTE_INFO		    0 /* unused */
#define XEN_ELFNOTE_ENTRY		    1 /* VA of the entry point (overrides e_entry) */
#define XEN_ELFNOTE_HYPERCALL_PAGE	    2 /* VA of a page the loader fills with hypercall stubs */
#define XEN_ELFNOTE_VIRT_BASE		    3  /* VA where pseudo-physical 0 is mapped */
#define XEN_ELFNOTE_PADDR_OFFSET	    4  /* subtracted from VAs to get load addresses */
#define XEN_ELFNOTE_XEN_VERSION		    5  /* string: must be "xen-3.0" */
#define XEN_ELFNOTE_GUEST_OS		    6  /* string: e.g. "linux" */
#define XEN_ELFNOTE_GUEST_VERSION	    7  /* string */
#define XEN_ELFNOTE_LOADER		    8  /* string: "generic" */
#define XEN_ELFNOTE_PAE_MODE		    9  /* string: "yes" (32-bit only) */
#define XEN_ELFNOTE_FEATURES		    10 /* string: "feat|!required_feat|..." */
#define XEN_ELFNOTE_BSD_SYMTAB		    11 /* string "yes": load the symbol table */
#define XEN_ELFNOTE_HV_START_LOW	    12 /* 32-bit only */
#define XEN_ELFNOTE_L1_MFN_VALID	    13 /* mask/value pairs for save/restore */
#define XEN_ELFNOTE_SUSPEND_CANCEL	    14 /* 1: the kernel supports suspend cancel */
#define XEN_ELFNOTE_INIT_P2M		    15 /* VA for the initial p2m list outside the image map */
#define XEN_ELFNOTE_MOD_START_PFN	    16 /* 1: pass the module as a PFN, unmapped */
#define XEN_ELFNOTE_SUPPORTED_FEATURES	    17 /* bitmap of XENFEAT_* the kernel supports */
#define XEN_ELFNOTE_PHYS32_ENTRY	    18 /* PVH 32-bit entry (not PV) */
#define XEN_ELFNOTE_MAX			    XEN_ELFNOTE_PHYS32_ENTRY

#define XEN_ELFNOTE_CRASH_INFO		    0x1000001
#define XEN_ELFNOTE_CRASH_REGS		    0x1000002
#define XEN_ELFNOTE_DUMPCORE_NONE	    0x2000000
#define XEN_ELFNOTE_DUMPCORE_HEADER	    0x2000001
#define XEN_ELFNOTE_DUMPCORE_XEN_VERSION    0x2000002
#define XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION 0x2000003

#endif /* HOSPES_PUBLIC_ELFNOTE_H */
