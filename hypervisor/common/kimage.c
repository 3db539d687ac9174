/* SPDX-License-Identifier: GPL-2.0-only */
/* Kernel images for the builder: bzImage payloads decompressed, then the ELF parsed and checked. */
#include <asm/paging.h>
#include <hospes/bzimage.h>
#include <hospes/console.h>
#include <hospes/errno.h>
#include <hospes/heap.h>
#include <hospes/kimage.h>
#include <hospes/lib.h>
#include <hospes/mm.h>

static union bzimage_work bz_work; /* one image at a time: boot is single-threaded */

/*
 * The decompression buffer as whole frames, each freed on its own, so that the builder can
 * adopt the ones holding a segment's full pages (kimage_image_frame) instead of copying them.
 * Falls back to the heap when no block that large is free.
 */
static void *buffer_alloc(struct kimage *k, size_t bytes)
{
	uint64_t pages = ROUNDUP((uint64_t)bytes, PAGE_SIZE) >> PAGE_SHIFT;
	unsigned int order = 0;
	pfn_t mfn;

	while ((1ULL << order) < pages)
		order++;
	mfn = order <= FRAME_MAX_ORDER ? frame_alloc(&frame_pool, order, FRAME_HV) : FRAME_NONE;
	if (mfn == FRAME_NONE)
		return xmalloc(bytes);
	for (uint64_t i = 0; i < (1ULL << order); i++) {
		frame_table[mfn + i].order = 0;
		if (i >= pages)
			frame_free(&frame_pool, mfn + i, 0); /* the tail past the image */
	}
	k->buf_mfn = mfn;
	k->buf_pages = pages;
	return __va(mfn << PAGE_SHIFT);
}

static void buffer_free(struct kimage *k)
{
	if (k->buf_pages) {
		for (uint64_t i = 0; i < k->buf_pages; i++)
			if (frame_table[k->buf_mfn + i].state == FRAME_HV) /* not adopted */
				frame_free(&frame_pool, k->buf_mfn + i, 0);
	} else {
		xfree(k->decompressed);
	}
	k->decompressed = NULL;
	k->buf_pages = 0;
}

uint64_t kimage_image_frame(const struct kimage *k, const void *src)
{
	uint64_t off = (uint64_t)((const uint8_t *)src - (const uint8_t *)k->decompressed);
	uint64_t mfn = k->buf_mfn + (off >> PAGE_SHIFT);

	if (!k->buf_pages || (const uint8_t *)src < (const uint8_t *)k->decompressed ||
	    (off & (PAGE_SIZE - 1)) || (off >> PAGE_SHIFT) >= k->buf_pages ||
	    frame_table[mfn].state != FRAME_HV)
		return FRAME_NONE;
	return mfn;
}

static int kimage_unpack(const void *image, size_t len, struct kimage *k)
{
	struct bzimage_info bz;
	ssize_t n;
	int rc = bzimage_probe(image, len, &bz, k->error, sizeof(k->error));

	if (rc == -ENOEXEC) { /* not a bzImage: take it as an ELF */
		k->elf_data = image;
		k->elf_len = len;
		k->error[0] = '\0';
		return 0;
	}
	if (rc)
		return rc;
	k->decompressed = buffer_alloc(k, bz.decompressed_size);
	if (!k->decompressed) {
		snprintf(k->error, sizeof(k->error), "no memory to decompress %u bytes of kernel",
			 bz.decompressed_size);
		return -ENOMEM;
	}
	n = bzimage_decompress(image, len, &bz, k->decompressed, bz.decompressed_size, &bz_work,
			       k->error, sizeof(k->error));
	if (n < 0)
		return (int)n;
	pr_info("dom0: bzImage (boot protocol %x.%02x, %s payload) decompressed to %zu bytes\n",
		bz.protocol >> 8, bz.protocol & 0xff, bzimage_format_name(bz.format), (size_t)n);
	k->elf_data = k->decompressed;
	k->elf_len = (size_t)n;
	return 0;
}

int kimage_parse(const void *image, size_t len, struct kimage *k)
{
	int rc;

	memset(k, 0, sizeof(*k));
	rc = kimage_unpack(image, len, k);
	if (!rc)
		rc = elf_parse(k->elf_data, k->elf_len, &k->elf, k->error, sizeof(k->error));
	if (!rc)
		rc = elf_check_dom0(&k->elf, k->error, sizeof(k->error));
	if (rc)
		return rc;
	k->entry = k->elf.entry;
	k->hypercall_page = k->elf.hypercall_page;
	k->virt_base = k->elf.virt_base;
	k->kstart = k->elf.virt_kstart;
	k->kend = k->elf.virt_kend;
	return 0;
}

int kimage_load(const struct kimage *k,
		int (*write)(void *ctx, uint64_t va, const void *src, size_t n), void *ctx)
{
	return elf_load_segments(k->elf_data, k->elf_len, &k->elf, write, ctx);
}

void kimage_release(struct kimage *k)
{
	buffer_free(k);
}
