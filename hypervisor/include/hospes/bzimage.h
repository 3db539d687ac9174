/* SPDX-License-Identifier: GPL-2.0-only */
/* Linux bzImage: find the compressed vmlinux payload and decompress it (gzip or xz). */
#ifndef HOSPES_BZIMAGE_H
#define HOSPES_BZIMAGE_H

#include <hospes/inflate.h>
#include <hospes/lzma2.h>
#include <hospes/types.h>

#define BZIMAGE_MIN_PROTOCOL 0x0208	  /* payload_offset/length appeared in 2.08 */
#define BZIMAGE_MAX_OUTPUT   (1ULL << 30) /* refuse to announce a larger vmlinux */

/* Payload compression, identified by its magic bytes. */
enum bzimage_format {
	BZIMAGE_UNKNOWN = 0,
	BZIMAGE_GZIP,  /* 1f 8b: decoded */
	BZIMAGE_XZ,    /* fd 37 7a 58 5a 00: decoded (Debian 12's kernels) */
	BZIMAGE_ZSTD,  /* 28 b5 2f fd: recognised only */
	BZIMAGE_LZMA,  /* 5d 00 00: recognised only */
	BZIMAGE_BZIP2, /* "BZh": recognised only */
	BZIMAGE_LZO,   /* 89 "LZO": recognised only */
	BZIMAGE_LZ4,   /* 02 21 4c 18: recognised only */
};

/* What bzimage_probe() found; offsets are into the bzImage. */
struct bzimage_info {
	uint16_t protocol;	    /* boot protocol version at 0x206 (>= 0x208) */
	uint8_t setup_sects;	    /* setup sectors (0 in the header means 4) */
	enum bzimage_format format; /* compression of the payload */
	size_t payload_offset;	    /* file offset of the compressed payload */
	size_t payload_len;	    /* its length in bytes */
	uint32_t decompressed_size; /* the payload's last 4 bytes: the vmlinux size to allocate */
};

/* Scratch space for one decompression (about 30 KiB): static or heap, never the stack. */
union bzimage_work {
	struct inflate_work inflate;
	struct lzma2_work lzma2;
};

/*
 * Recognises a bzImage of size bytes and locates its payload. Returns 0; -ENOEXEC when image
 * is not a bzImage (no "HdrS" at 0x202: it may be a raw ELF); -EOPNOTSUPP for a boot protocol
 * older than 2.08; -EINVAL for a header whose payload lies outside the image or announces a
 * size of 0 or over BZIMAGE_MAX_OUTPUT. The reason is in msg.
 */
int bzimage_probe(const void *image, size_t size, struct bzimage_info *info, char *msg,
		  size_t msglen);

/*
 * Decompresses the payload found by bzimage_probe() on the same image into out, which must
 * hold info->decompressed_size bytes. Returns that size, or a negative errno: -ENOSPC when
 * out_size is too small, -EOPNOTSUPP for a compression not decoded here, -EINVAL for corrupt
 * data or a result whose size differs from the announced one. The reason is in msg.
 */
ssize_t bzimage_decompress(const void *image, size_t size, const struct bzimage_info *info,
			   void *out, size_t out_size, union bzimage_work *work, char *msg,
			   size_t msglen);

/* "gzip", "xz", ... or "unknown". */
const char *bzimage_format_name(enum bzimage_format format);

#endif /* HOSPES_BZIMAGE_H */
