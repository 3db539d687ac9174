/* SPDX-License-Identifier: GPL-2.0-only */
/* A PV kernel image as the builder sees it: a bzImage or ELF64 with Xen notes, parsed once. */
#ifndef HOSPES_KIMAGE_H
#define HOSPES_KIMAGE_H

#include <hospes/elf.h>
#include <hospes/types.h>

struct kimage {
	uint64_t entry;		 /* where the first vCPU starts */
	uint64_t hypercall_page; /* VA to fill with hypercall stubs, 0 if none */
	uint64_t virt_base;	 /* VA of pfn 0 */
	uint64_t kstart, kend;	 /* VA range of the loaded segments */
	struct elf_image_info elf;
	const void *elf_data; /* the ELF: the module itself, or decompressed from a bzImage */
	size_t elf_len;
	void *decompressed; /* the buffer a bzImage went to, NULL for a raw ELF */
	uint64_t buf_mfn;   /* its first frame when it is whole frames (buf_pages > 0) */
	uint64_t buf_pages; /* 0: a heap buffer */
	char error[128];    /* why the image was rejected */
};

/*
 * Recognises the image (a bzImage is decompressed into the heap), then parses and checks the
 * ELF for the initial domain. Returns 0, or a negative errno with k->error set; call
 * kimage_release() in both cases.
 */
int kimage_parse(const void *image, size_t len, struct kimage *k);

/* Copies every loadable segment through write() and zero-fills the rest of each (src NULL). */
int kimage_load(const struct kimage *k,
		int (*write)(void *ctx, uint64_t va, const void *src, size_t n), void *ctx);

/*
 * The frame of the decompressed image that holds the page starting at src, if src is such a
 * page of it and the frame is still the image's (state FRAME_HV); else FRAME_NONE. A caller
 * that gives it to a domain marks it so (state FRAME_GUEST): kimage_release() then keeps off.
 */
uint64_t kimage_image_frame(const struct kimage *k, const void *src);

/* Frees what kimage_parse() allocated and nobody adopted. */
void kimage_release(struct kimage *k);

#endif /* HOSPES_KIMAGE_H */
