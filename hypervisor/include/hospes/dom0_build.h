/* SPDX-License-Identifier: GPL-2.0-only */
/* Building the initial domain from the first multiboot module. */
#ifndef HOSPES_DOM0_BUILD_H
#define HOSPES_DOM0_BUILD_H

#include <hospes/types.h>

struct domain;

/* Where everything goes in the initial 1:1 region (VA = virt_base + pfn * 4096). */
struct dom0_layout {
	uint64_t virt_base;  /* VA of pfn 0 */
	uint64_t p2m;	     /* VA of the p2m list (start_info.mfn_list) */
	uint64_t start_info; /* VA of start_info (RSI at entry) */
	uint64_t console;    /* VA of the console ring page (unprivileged domain); 0: none */
	uint64_t pt;	     /* VA of the bootstrap page tables, L4 first */
	uint64_t nr_pt;	     /* their number */
	uint64_t stack_top;  /* RSP at entry */
	uint64_t end;	     /* end of the mapped region */
};

/* Builder state while constructing the domain. */
struct kimage;

struct dom0_build {
	struct dom0_layout layout;
	struct domain *d;
	const struct kimage *k; /* the image being loaded: full pages of it are adopted */
	uint64_t *p2m;		/* PFN -> MFN, nr_pages entries */
	paddr_t l4_maddr;	/* the bootstrap L4 */
	uint64_t initrd_pfn;	/* first PFN of the initrd (after the mapped region), if any */
	uint64_t initrd_len;	/* its length in bytes, 0 if none */
	uint32_t console_port;	/* the console ring's event channel, if it has one */
};

/*
 * Builds d (vCPU 0 runnable) from the kernel image (ELF or bzImage): mem_bytes of RAM
 * (0: default), start_info with cmdline, the 1:1 start-of-day mapping, and the initrd (may be
 * NULL) in the frames after the mapped region, passed by PFN (the kernel's MOD_START_PFN
 * note). A privileged d is the initial domain (SIF_INITDOMAIN|SIF_PRIVILEGED, console through
 * console_io); any other gets a console ring the hypervisor serves and no xenstore. Returns 0
 * or a negative errno with the reason printed; the caller destroys d on failure.
 */
int dom0_construct(struct domain *d, const void *image, size_t len, const char *cmdline,
		   uint64_t mem_bytes, const void *initrd, size_t initrd_len);

#endif /* HOSPES_DOM0_BUILD_H */
