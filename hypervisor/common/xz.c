/* SPDX-License-Identifier: GPL-2.0-only */
/* xz container decoder: stream header, blocks (x86 BCJ + LZMA2), index and footer, all checked. */
#include <hospes/crc.h>
#include <hospes/errno.h>
#include <hospes/lib.h>
#include <hospes/xz.h>

#define XZ_HEADER	 12
#define XZ_FOOTER	 12
#define XZ_CHECK_NONE	 0
#define XZ_CHECK_CRC32	 1
#define XZ_CHECK_CRC64	 4
#define XZ_FILTER_X86	 0x04
#define XZ_FILTER_LZMA2	 0x21
#define XZ_MAX_FILTERS	 4
#define XZ_VLI_MAX_BYTES 9

static const uint8_t xz_magic[6] = {0xfd, '7', 'z', 'X', 'Z', 0};

struct xz_state {
	const uint8_t *in;
	size_t len, pos;
	uint8_t *out;
	size_t size, opos;
	unsigned int check, check_size;
	uint64_t nr_blocks, sum_unpadded, sum_uncompressed; /* cross-checked with the index */
	struct lzma2_work *w;
	char *msg;
	size_t msglen;
};

/* What a block header announces. */
struct xz_block {
	size_t header_size;
	uint64_t compressed, uncompressed; /* ~0 when absent */
	bool bcj;
};

static __printf(3, 4) int xz_fail(struct xz_state *s, int rc, const char *fmt, ...)
{
	va_list ap;

	if (s->msg && s->msglen) {
		int n = snprintf(s->msg, s->msglen, "xz at input byte %zu: ", s->pos);

		va_start(ap, fmt);
		if (n >= 0 && (size_t)n < s->msglen)
			vsnprintf(s->msg + n, s->msglen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A variable-length integer (7 bits a byte, at most 9 bytes, no redundant zero byte). */
static int vli(struct xz_state *s, size_t end, uint64_t *v)
{
	*v = 0;
	for (unsigned int i = 0; i < XZ_VLI_MAX_BYTES; i++) {
		uint8_t b;

		if (s->pos >= end)
			return -1;
		b = s->in[s->pos++];
		*v |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80))
			return (i && b == 0) ? -1 : 0;
	}
	return -1;
}

static int stream_header(struct xz_state *s)
{
	const uint8_t *p = s->in;

	if (s->len < XZ_HEADER + XZ_FOOTER || memcmp(p, xz_magic, sizeof(xz_magic)))
		return xz_fail(s, -EINVAL, "no xz stream header");
	if (crc32(0, p + 6, 2) != le32(p + 8))
		return xz_fail(s, -EINVAL, "stream header CRC-32 mismatch");
	if (p[6] != 0 || p[7] > 15)
		return xz_fail(s, -EINVAL, "stream flags 0x%02x%02x are reserved", p[6], p[7]);
	s->check = p[7];
	if (s->check == XZ_CHECK_NONE)
		s->check_size = 0;
	else if (s->check == XZ_CHECK_CRC32)
		s->check_size = 4;
	else if (s->check == XZ_CHECK_CRC64)
		s->check_size = 8;
	else
		return xz_fail(s, -EOPNOTSUPP, "integrity check type %u is not supported",
			       s->check);
	s->pos = XZ_HEADER;
	return 0;
}

static int filter_flags(struct xz_state *s, size_t end, bool last, struct xz_block *b)
{
	uint64_t id, psize;

	if (vli(s, end, &id) || vli(s, end, &psize) || psize > end - s->pos)
		return xz_fail(s, -EINVAL, "block header filter flags are truncated");
	if (id == XZ_FILTER_LZMA2 && last && psize == 1 && s->in[s->pos] <= 40) {
		s->pos += 1; /* dictionary size: the output buffer is the dictionary */
		return 0;
	}
	if (id == XZ_FILTER_X86 && !last && !b->bcj &&
	    (psize == 0 || (psize == 4 && le32(s->in + s->pos) == 0))) {
		s->pos += psize;
		b->bcj = true;
		return 0;
	}
	return xz_fail(s, -EOPNOTSUPP,
		       "filter 0x%lx with %lu property bytes is not supported in this position",
		       (unsigned long)id, (unsigned long)psize);
}

static int block_header(struct xz_state *s, struct xz_block *b)
{
	size_t start = s->pos, end;
	unsigned int flags;
	int rc;

	b->header_size = ((size_t)s->in[start] + 1) * 4;
	b->compressed = b->uncompressed = ~0ULL;
	b->bcj = false;
	if (b->header_size > s->len - start)
		return xz_fail(s, -EINVAL, "block header runs past the input");
	end = start + b->header_size - 4;
	if (crc32(0, s->in + start, b->header_size - 4) != le32(s->in + end))
		return xz_fail(s, -EINVAL, "block header CRC-32 mismatch");
	flags = s->in[start + 1];
	if (flags & 0x3c)
		return xz_fail(s, -EOPNOTSUPP, "block flags 0x%x are reserved", flags);
	s->pos = start + 2;
	if ((flags & 0x40) && vli(s, end, &b->compressed))
		return xz_fail(s, -EINVAL, "bad compressed size in block header");
	if ((flags & 0x80) && vli(s, end, &b->uncompressed))
		return xz_fail(s, -EINVAL, "bad uncompressed size in block header");
	for (unsigned int f = 0, nf = (flags & 3) + 1; f < nf; f++)
		if ((rc = filter_flags(s, end, f + 1 == nf, b)) < 0)
			return rc;
	for (; s->pos < end; s->pos++)
		if (s->in[s->pos])
			return xz_fail(s, -EINVAL, "non-zero block header padding");
	s->pos = end + 4;
	return 0;
}

static int block_check(struct xz_state *s, const uint8_t *data, size_t len)
{
	const uint8_t *c = s->in + s->pos;

	if (s->check_size > s->len - s->pos)
		return xz_fail(s, -EINVAL, "block check runs past the input");
	if (s->check == XZ_CHECK_CRC32 && crc32(0, data, len) != le32(c))
		return xz_fail(s, -EINVAL, "block CRC-32 mismatch");
	if (s->check == XZ_CHECK_CRC64 &&
	    crc64(0, data, len) != (le32(c) | (uint64_t)le32(c + 4) << 32))
		return xz_fail(s, -EINVAL, "block CRC-64 mismatch");
	s->pos += s->check_size;
	return 0;
}

static int block(struct xz_state *s)
{
	struct xz_block b;
	size_t used = 0, start = s->pos, data;
	ssize_t n;
	int rc;

	if ((rc = block_header(s, &b)) < 0)
		return rc;
	data = s->pos;
	n = lzma2_decode(s->in + data, s->len - data, &used, s->out + s->opos, s->size - s->opos,
			 s->w, s->msg, s->msglen);
	if (n < 0)
		return (int)n;
	s->pos = data + used;
	if ((b.compressed != ~0ULL && b.compressed != used) ||
	    (b.uncompressed != ~0ULL && b.uncompressed != (uint64_t)n))
		return xz_fail(s, -EINVAL, "block sizes differ from its header's");
	for (; (s->pos - start) % 4; s->pos++)
		if (s->pos >= s->len || s->in[s->pos])
			return xz_fail(s, -EINVAL, "bad block padding");
	if (b.bcj)
		xz_bcj_x86(s->out + s->opos, (size_t)n);
	if ((rc = block_check(s, s->out + s->opos, (size_t)n)) < 0)
		return rc;
	s->opos += (size_t)n;
	s->nr_blocks++;
	s->sum_unpadded += b.header_size + used + s->check_size;
	s->sum_uncompressed += (uint64_t)n;
	return 0;
}

/* The index must list exactly the blocks decoded; then the footer must match the header. */
static int index_and_footer(struct xz_state *s)
{
	size_t start = s->pos, isize;
	uint64_t nr, unpadded = 0, uncompressed = 0;
	const uint8_t *f;

	s->pos++; /* index indicator 0x00 */
	if (vli(s, s->len, &nr) || nr != s->nr_blocks)
		return xz_fail(s, -EINVAL, "index record count differs from the %lu blocks",
			       (unsigned long)s->nr_blocks);
	for (uint64_t i = 0; i < nr; i++) {
		uint64_t a, b;

		if (vli(s, s->len, &a) || vli(s, s->len, &b))
			return xz_fail(s, -EINVAL, "index record %lu truncated", (unsigned long)i);
		unpadded += a;
		uncompressed += b;
	}
	if (unpadded != s->sum_unpadded || uncompressed != s->sum_uncompressed)
		return xz_fail(s, -EINVAL, "index sizes differ from the blocks'");
	for (; (s->pos - start) % 4; s->pos++)
		if (s->pos >= s->len || s->in[s->pos])
			return xz_fail(s, -EINVAL, "bad index padding");
	if (s->len - s->pos < 4 + XZ_FOOTER ||
	    crc32(0, s->in + start, s->pos - start) != le32(s->in + s->pos))
		return xz_fail(s, -EINVAL, "index CRC-32 mismatch or truncated");
	s->pos += 4;
	isize = s->pos - start;
	f = s->in + s->pos;
	if (crc32(0, f + 4, 6) != le32(f) || ((size_t)le32(f + 4) + 1) * 4 != isize || f[8] != 0 ||
	    f[9] != s->check || f[10] != 'Y' || f[11] != 'Z')
		return xz_fail(s, -EINVAL, "stream footer does not match the header and index");
	s->pos += XZ_FOOTER;
	return 0;
}

ssize_t xz_decode(const void *in, size_t in_len, size_t *in_used, void *out, size_t out_size,
		  struct lzma2_work *work, char *msg, size_t msglen)
{
	struct xz_state s = {.in = in,
			     .len = in_len,
			     .out = out,
			     .size = out_size,
			     .w = work,
			     .msg = msg,
			     .msglen = msglen};
	int rc = stream_header(&s);

	while (rc == 0) {
		if (s.pos >= s.len) {
			rc = xz_fail(&s, -EINVAL, "input ends before the index");
			break;
		}
		if (s.in[s.pos] == 0) {
			rc = index_and_footer(&s);
			break;
		}
		rc = block(&s);
	}
	if (in_used)
		*in_used = s.pos;
	return rc < 0 ? rc : (ssize_t)s.opos;
}

static bool bcj_is_ms(uint8_t b)
{
	return b == 0x00 || b == 0xff;
}

/*
 * E8/E9 (CALL/JMP rel32) operands were turned into absolute addresses by the encoder; turn
 * them back. prev_mask remembers which of the last three bytes were E8/E9 so that operands
 * overlapping an earlier candidate are treated exactly as the encoder did.
 */
/* The first i in [i, end) with buf[i] E8 or E9, else end: eight bytes a step, then one. */
static size_t bcj_next(const uint8_t *buf, size_t i, size_t end)
{
	const uint64_t ones = 0x0101010101010101ULL;

	for (; i + 8 <= end; i += 8) {
		uint64_t v;

		__builtin_memcpy(&v, buf + i, 8);
		v = (v ^ (0xe8 * ones)) & (0xfe * ones); /* a zero byte where E8/E9 was */
		if ((v - ones) & ~v & (0x80 * ones))
			break;
	}
	while (i < end && (buf[i] & 0xfe) != 0xe8)
		i++;
	return i;
}

void xz_bcj_x86(uint8_t *buf, size_t len)
{
	static const bool allowed[8] = {true, true, true, false, true, false, false, false};
	static const uint8_t bitnum[8] = {0, 1, 2, 2, 3, 3, 3, 3};
	size_t prev_pos = (size_t)-1, i;
	uint32_t prev_mask = 0;

	if (len <= 4)
		return;
	for (i = 0; i < len - 4; i++) {
		uint32_t src, dest;

		i = bcj_next(buf, i, len - 4);
		if (i == len - 4)
			break;
		prev_pos = i - prev_pos;
		if (prev_pos > 3) {
			prev_mask = 0;
		} else {
			prev_mask = (prev_mask << (prev_pos - 1)) & 7;
			if (prev_mask &&
			    (!allowed[prev_mask] || bcj_is_ms(buf[i + 4 - bitnum[prev_mask]]))) {
				prev_pos = i;
				prev_mask = (prev_mask << 1) | 1;
				continue;
			}
		}
		prev_pos = i;
		if (!bcj_is_ms(buf[i + 4])) {
			prev_mask = (prev_mask << 1) | 1;
			continue;
		}
		src = le32(buf + i + 1);
		for (;;) {
			unsigned int j;

			dest = src - (uint32_t)(i + 5);
			if (!prev_mask)
				break;
			j = bitnum[prev_mask] * 8U;
			if (!bcj_is_ms((uint8_t)(dest >> (24 - j))))
				break;
			src = dest ^ ((1U << (32 - j)) - 1);
		}
		dest &= 0x01ffffff;
		dest |= 0U - (dest & 0x01000000);
		buf[i + 1] = (uint8_t)dest;
		buf[i + 2] = (uint8_t)(dest >> 8);
		buf[i + 3] = (uint8_t)(dest >> 16);
		buf[i + 4] = (uint8_t)(dest >> 24);
		i += 4;
	}
}
