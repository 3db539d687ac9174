/* SPDX-License-Identifier: GPL-2.0-only */
/* libFuzzer harness: kernel images through the bzImage, gzip, xz, ELF and PV-layout code. */
#include <stdlib.h>
#include <string.h>
#include <hospes/bzimage.h>
#include <hospes/elf.h>
#include <hospes/errno.h>
#include <hospes/inflate.h>
#include <hospes/pvlayout.h>
#include <hospes/xz.h>

#define OUT_MAX (8u << 20) /* decompress at most this much per input */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static union bzimage_work work;
static uint8_t out[1u << 20];
static char msg[256];
static volatile uint8_t sink;

/* The loader may only write inside the kernel it announced; touch every source byte. */
static int check_write(void *ctx, uint64_t va, const void *src, size_t len)
{
	const struct elf_image_info *info = ctx;

	if (va < info->virt_kstart || va >= info->virt_kend || len > info->virt_kend - va)
		abort();
	for (size_t i = 0; src && i < len; i++)
		sink ^= ((const uint8_t *)src)[i];
	return 0;
}

static void layout(const struct elf_image_info *info, const uint8_t *data, size_t size)
{
	struct pvlayout_params p = {.elf = info, .nr_pages = 0x20000, .nr_vcpus = 1};
	struct pvlayout l;

	if (size >= 8) {
		p.nr_pages = (data[size - 1] | (uint64_t)data[size - 2] << 8)
			     << (data[size - 3] % 24);
		p.initrd_len = (uint64_t)data[size - 4] << (data[size - 5] % 40);
		p.domu = data[size - 6] & 1;
		p.honour_init_p2m = data[size - 6] & 2;
		p.honour_mod_start_pfn = data[size - 6] & 4;
		p.single_l2 = data[size - 6] & 8;
	}
	if (pvlayout_compute(&p, &l, msg, sizeof(msg)) == 0 &&
	    (l.virt_end - l.virt_alloc_end < PVLAYOUT_MIN_PAD ||
	     l.nr_pt_frames != 1 + l.nr_l3 + l.nr_l2 + l.nr_l1 || l.nr_used_pages > p.nr_pages))
		abort();
}

static void elf(const uint8_t *img, size_t size)
{
	struct elf_image_info info;

	if (elf_parse(img, size, &info, msg, sizeof(msg)) != 0)
		return;
	if (info.entry < info.virt_kstart || info.entry >= info.virt_kend || info.nr_loads == 0 ||
	    info.nr_loads > ELF_MAX_LOADS)
		abort();
	if (elf_load_segments(img, size, &info, check_write, &info) != 0)
		abort();
	elf_check_dom0(&info, msg, sizeof(msg));
	layout(&info, img, size);
}

static void bzimage(const uint8_t *data, size_t size)
{
	struct bzimage_info bi;
	uint8_t *buf;
	ssize_t n;

	if (bzimage_probe(data, size, &bi, msg, sizeof(msg)) != 0 || bi.decompressed_size > OUT_MAX)
		return;
	buf = malloc(bi.decompressed_size); /* exact size: ASan sees any overflow */
	n = bzimage_decompress(data, size, &bi, buf, bi.decompressed_size, &work, msg, sizeof(msg));
	if (n > (ssize_t)bi.decompressed_size)
		abort();
	if (n > 0)
		elf(buf, (size_t)n);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ssize_t n;

	elf(data, size);
	bzimage(data, size);
	n = xz_decode(data, size, NULL, out, sizeof(out), &work.lzma2, msg, sizeof(msg));
	if (n > (ssize_t)sizeof(out))
		abort();
	if (n > 0)
		elf(out, (size_t)n);
	n = inflate_gzip(data, size, NULL, out, sizeof(out), &work.inflate, msg, sizeof(msg));
	if (n > 0)
		elf(out, (size_t)n);
	inflate_raw(data, size, NULL, out, sizeof(out), &work.inflate, msg, sizeof(msg));
	lzma2_decode(data, size, NULL, out, sizeof(out), &work.lzma2, msg, sizeof(msg));
	return 0;
}
