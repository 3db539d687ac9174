/* SPDX-License-Identifier: GPL-2.0-only */
/* Linux bzImage header parsing and payload decompression (gzip and xz); untrusted input. */
#include <hospes/bzimage.h>
#include <hospes/errno.h>
#include <hospes/inflate.h>
#include <hospes/lib.h>
#include <hospes/xz.h>

#define HDR_SETUP_SECTS	   0x1f1
#define HDR_MAGIC	   0x202
#define HDR_VERSION	   0x206
#define HDR_PAYLOAD_OFFSET 0x248
#define HDR_PAYLOAD_LENGTH 0x24c
#define HDR_END		   0x250

static const struct {
	enum bzimage_format format;
	uint8_t len;
	uint8_t magic[6];
	const char *name;
} formats[] = {
	{BZIMAGE_GZIP, 2, {0x1f, 0x8b}, "gzip"},
	{BZIMAGE_XZ, 6, {0xfd, '7', 'z', 'X', 'Z', 0x00}, "xz"},
	{BZIMAGE_ZSTD, 4, {0x28, 0xb5, 0x2f, 0xfd}, "zstd"},
	{BZIMAGE_LZMA, 3, {0x5d, 0x00, 0x00}, "lzma"},
	{BZIMAGE_BZIP2, 3, {'B', 'Z', 'h'}, "bzip2"},
	{BZIMAGE_LZO, 4, {0x89, 'L', 'Z', 'O'}, "lzo"},
	{BZIMAGE_LZ4, 4, {0x02, 0x21, 0x4c, 0x18}, "lz4"},
};

static __printf(4, 5) int bz_fail(char *msg, size_t msglen, int rc, const char *fmt, ...)
{
	va_list ap;

	if (msg && msglen) {
		va_start(ap, fmt);
		vsnprintf(msg, msglen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

const char *bzimage_format_name(enum bzimage_format format)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(formats); i++)
		if (formats[i].format == format)
			return formats[i].name;
	return "unknown";
}

static enum bzimage_format identify(const uint8_t *p, size_t len)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(formats); i++)
		if (len >= formats[i].len && !memcmp(p, formats[i].magic, formats[i].len))
			return formats[i].format;
	return BZIMAGE_UNKNOWN;
}

int bzimage_probe(const void *image, size_t size, struct bzimage_info *info, char *msg,
		  size_t msglen)
{
	const uint8_t *p = image;
	uint64_t start, len;

	memset(info, 0, sizeof(*info));
	if (!p || size < HDR_END || memcmp(p + HDR_MAGIC, "HdrS", 4))
		return bz_fail(msg, msglen, -ENOEXEC, "not a bzImage: no \"HdrS\" at offset 0x202");
	info->protocol = (uint16_t)(p[HDR_VERSION] | p[HDR_VERSION + 1] << 8);
	if (info->protocol < BZIMAGE_MIN_PROTOCOL)
		return bz_fail(msg, msglen, -EOPNOTSUPP,
			       "bzImage boot protocol %u.%02u, expected at least 2.08",
			       info->protocol >> 8, info->protocol & 0xff);
	info->setup_sects = p[HDR_SETUP_SECTS] ? p[HDR_SETUP_SECTS] : 4;
	start = ((uint64_t)info->setup_sects + 1) * 512 + le32(p + HDR_PAYLOAD_OFFSET);
	len = le32(p + HDR_PAYLOAD_LENGTH);
	if (start > size || len > size - start || len < 8)
		return bz_fail(msg, msglen, -EINVAL,
			       "bzImage payload [0x%lx,+0x%lx) is outside the image (0x%zx bytes) "
			       "or too short",
			       (unsigned long)start, (unsigned long)len, size);
	info->payload_offset = (size_t)start;
	info->payload_len = (size_t)len;
	info->format = identify(p + start, (size_t)len);
	info->decompressed_size = le32(p + start + len - 4);
	if (info->decompressed_size == 0 || info->decompressed_size > BZIMAGE_MAX_OUTPUT)
		return bz_fail(msg, msglen, -EINVAL,
			       "bzImage payload announces %u decompressed bytes",
			       info->decompressed_size);
	bz_fail(msg, msglen, 0, "bzImage %u.%02u, %s payload of 0x%zx bytes at 0x%zx -> 0x%x bytes",
		info->protocol >> 8, info->protocol & 0xff, bzimage_format_name(info->format),
		info->payload_len, info->payload_offset, info->decompressed_size);
	return 0;
}

ssize_t bzimage_decompress(const void *image, size_t size, const struct bzimage_info *info,
			   void *out, size_t out_size, union bzimage_work *work, char *msg,
			   size_t msglen)
{
	const uint8_t *payload = (const uint8_t *)image + info->payload_offset;
	ssize_t n;

	if (info->payload_offset > size || info->payload_len > size - info->payload_offset)
		return bz_fail(msg, msglen, -EINVAL, "bzImage payload is outside the image");
	if (out_size < info->decompressed_size)
		return bz_fail(msg, msglen, -ENOSPC,
			       "bzImage: output buffer of 0x%zx bytes, need 0x%x", out_size,
			       info->decompressed_size);
	if (info->format == BZIMAGE_GZIP)
		n = inflate_gzip(payload, info->payload_len, NULL, out, info->decompressed_size,
				 &work->inflate, msg, msglen);
	else if (info->format == BZIMAGE_XZ)
		n = xz_decode(payload, info->payload_len, NULL, out, info->decompressed_size,
			      &work->lzma2, msg, msglen);
	else
		return bz_fail(msg, msglen, -EOPNOTSUPP,
			       "bzImage: %s payloads are not supported (gzip, xz are)",
			       bzimage_format_name(info->format));
	if (n >= 0 && (size_t)n != info->decompressed_size)
		return bz_fail(msg, msglen, -EINVAL,
			       "bzImage: payload decompressed to 0x%zx bytes, not 0x%x", (size_t)n,
			       info->decompressed_size);
	return n;
}
