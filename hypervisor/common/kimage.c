/* SPDX-License-Identifier: GPL-2.0-only */
/* Kernel images for the builder: bzImage payloads decompressed, then the ELF parsed and checked. */
#include <hospes/bzimage.h>
#include <hospes/console.h>
#include <hospes/errno.h>
#include <hospes/heap.h>
#include <hospes/kimage.h>
#include <hospes/lib.h>

static union bzimage_work bz_work; /* one image at a time: boot is single-threaded */

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
	k->decompressed = xmalloc(bz.decompressed_size);
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
	xfree(k->decompressed);
	k->decompressed = NULL;
}
