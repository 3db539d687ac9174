/* SPDX-License-Identifier: GPL-2.0-only */
/* A PV kernel image (ELF64 with Xen notes): what the builder needs from it. */
#ifndef HOSPES_KIMAGE_H
#define HOSPES_KIMAGE_H

#include <hospes/types.h>

struct kimage {
	uint64_t entry;		 /* XEN_ELFNOTE_ENTRY, else e_entry */
	uint64_t hypercall_page; /* XEN_ELFNOTE_HYPERCALL_PAGE VA, 0 if none */
	uint64_t virt_base;	 /* XEN_ELFNOTE_VIRT_BASE, 0 if none */
	uint64_t kstart, kend;	 /* lowest and highest VA of the PT_LOAD segments */
	char error[96];		 /* why the image was rejected */
};

/* Validates the image (header, program headers, notes). 0, or -ENOEXEC/-EINVAL with k->error. */
int kimage_parse(const void *image, size_t len, struct kimage *k);

/* Copies every PT_LOAD segment through write() and zero-fills its bss (src NULL). */
int kimage_load(const void *image, size_t len, const struct kimage *k,
		int (*write)(void *ctx, uint64_t va, const void *src, size_t n), void *ctx);

#endif /* HOSPES_KIMAGE_H */
