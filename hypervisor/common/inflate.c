/* SPDX-License-Identifier: GPL-2.0-only */
/* DEFLATE and gzip decoder: stored, fixed and dynamic blocks, every length and distance checked. */
#include <hospes/crc.h>
#include <hospes/errno.h>
#include <hospes/inflate.h>
#include <hospes/lib.h>

#define MAX_BITS  15
#define NR_LITLEN 288 /* 286 used, 286 and 287 take part in the fixed code only */
#define NR_DIST	  30

struct inflate_state {
	const uint8_t *in;
	size_t in_len, in_pos;
	uint32_t bitbuf;
	unsigned int bitcnt;
	uint8_t *out;
	size_t out_size, out_pos;
	struct inflate_work *w;
	char *msg;
	size_t msglen;
};

static const uint16_t len_base[29] = {3,  4,  5,  6,   7,   8,	 9,   10,  11, 13,
				      15, 17, 19, 23,  27,  31,	 35,  43,  51, 59,
				      67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
				      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {
	1,   2,	  3,   4,   5,	 7,    9,    13,   17,	 25,   33,   49,   65,	  97,	 129,
	193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2,	3,  3,	4,  4,	5,  5,	6,
				       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
/* Order in which the code-length code lengths are sent. */
static const uint8_t clen_order[19] = {16, 17, 18, 0, 8,  7, 9,	 6, 10, 5,
				       11, 4,  12, 3, 13, 2, 14, 1, 15};

static __printf(2, 3) int inf_fail(struct inflate_state *s, const char *fmt, ...)
{
	va_list ap;

	if (s->msg && s->msglen) {
		int n = snprintf(s->msg, s->msglen, "inflate at input byte %zu: ", s->in_pos);

		va_start(ap, fmt);
		if (n >= 0 && (size_t)n < s->msglen)
			vsnprintf(s->msg + n, s->msglen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* Reads n (<= 16) bits, least significant first; -1 when the input ends. */
static int32_t bits(struct inflate_state *s, unsigned int n)
{
	uint32_t v;

	while (s->bitcnt < n) {
		if (s->in_pos >= s->in_len)
			return -1;
		s->bitbuf |= (uint32_t)s->in[s->in_pos++] << s->bitcnt;
		s->bitcnt += 8;
	}
	v = s->bitbuf & ((1U << n) - 1);
	s->bitbuf >>= n;
	s->bitcnt -= n;
	return (int32_t)v;
}

/* Builds a canonical code from lens[0..n); refuses over-subscribed sets, allows incomplete. */
static int build(struct inflate_huff *h, const uint8_t *lens, unsigned int n)
{
	uint16_t offs[MAX_BITS + 1];
	int left = 1;

	memset(h->count, 0, sizeof(h->count));
	for (unsigned int i = 0; i < n; i++)
		h->count[lens[i]]++;
	for (unsigned int len = 1; len <= MAX_BITS; len++) {
		left = (left << 1) - h->count[len];
		if (left < 0)
			return -1;
	}
	offs[1] = 0;
	for (unsigned int len = 1; len < MAX_BITS; len++)
		offs[len + 1] = offs[len] + h->count[len];
	for (unsigned int i = 0; i < n; i++)
		if (lens[i])
			h->symbol[offs[lens[i]]++] = (uint16_t)i;
	return 0;
}

/* Decodes one symbol, a bit at a time; -1 for end of input or a code that is not in h. */
static int decode(struct inflate_state *s, const struct inflate_huff *h)
{
	int code = 0, first = 0, index = 0;

	for (unsigned int len = 1; len <= MAX_BITS; len++) {
		int32_t b = bits(s, 1);
		int count = h->count[len];

		if (b < 0)
			return -1;
		code |= b;
		if (code - first < count)
			return h->symbol[index + code - first];
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return -1;
}

static int stored(struct inflate_state *s)
{
	size_t len, nlen;

	s->bitbuf = 0; /* drop the rest of the current byte */
	s->bitcnt = 0;
	if (s->in_len - s->in_pos < 4)
		return inf_fail(s, "stored block header truncated");
	len = s->in[s->in_pos] | (size_t)s->in[s->in_pos + 1] << 8;
	nlen = s->in[s->in_pos + 2] | (size_t)s->in[s->in_pos + 3] << 8;
	s->in_pos += 4;
	if (len != (~nlen & 0xffff))
		return inf_fail(s, "stored block length 0x%zx does not match its complement", len);
	if (len > s->in_len - s->in_pos)
		return inf_fail(s, "stored block of %zu bytes runs past the input", len);
	if (len > s->out_size - s->out_pos)
		return -ENOSPC;
	memcpy(s->out + s->out_pos, s->in + s->in_pos, len);
	s->in_pos += len;
	s->out_pos += len;
	return 0;
}

static int copy_match(struct inflate_state *s, int sym)
{
	int32_t e = bits(s, len_extra[sym]);
	size_t len, dist;
	int d;

	if (e < 0)
		return inf_fail(s, "input ends inside a length");
	len = len_base[sym] + (size_t)e;
	d = decode(s, &s->w->dist);
	if (d < 0 || d >= NR_DIST)
		return inf_fail(s, "bad distance code");
	e = bits(s, dist_extra[d]);
	if (e < 0)
		return inf_fail(s, "input ends inside a distance");
	dist = dist_base[d] + (size_t)e;
	if (dist > s->out_pos)
		return inf_fail(s, "distance %zu reaches before the start of the output (at %zu)",
				dist, s->out_pos);
	if (len > s->out_size - s->out_pos)
		return -ENOSPC;
	for (size_t i = 0; i < len; i++, s->out_pos++)
		s->out[s->out_pos] = s->out[s->out_pos - dist];
	return 0;
}

/* Decodes literal/length and distance symbols up to the end-of-block code. */
static int codes(struct inflate_state *s)
{
	for (;;) {
		int sym = decode(s, &s->w->lit), rc;

		if (sym < 0)
			return inf_fail(s, "bad or truncated literal/length code");
		if (sym < 256) {
			if (s->out_pos == s->out_size)
				return -ENOSPC;
			s->out[s->out_pos++] = (uint8_t)sym;
		} else if (sym == 256) {
			return 0;
		} else if (sym - 257 >= 29) {
			return inf_fail(s, "invalid length symbol %d", sym);
		} else if ((rc = copy_match(s, sym - 257)) < 0) {
			return rc;
		}
	}
}

static int fixed(struct inflate_state *s)
{
	uint8_t *l = s->w->lens;
	unsigned int i = 0;

	for (; i < 144; i++)
		l[i] = 8;
	for (; i < 256; i++)
		l[i] = 9;
	for (; i < 280; i++)
		l[i] = 7;
	for (; i < NR_LITLEN; i++)
		l[i] = 8;
	build(&s->w->lit, l, NR_LITLEN);
	memset(l, 5, NR_DIST + 2);
	build(&s->w->dist, l, NR_DIST + 2);
	return codes(s);
}

/* Reads the nlen + ndist code lengths, coded with the code-length code in w->lit. */
static int read_lengths(struct inflate_state *s, unsigned int total)
{
	uint8_t *l = s->w->lens;

	for (unsigned int i = 0; i < total;) {
		int sym = decode(s, &s->w->lit);
		int32_t rep;
		uint8_t val = 0;

		if (sym < 0)
			return inf_fail(s, "bad code-length code");
		if (sym < 16) {
			l[i++] = (uint8_t)sym;
			continue;
		}
		if (sym == 16 && i == 0)
			return inf_fail(s, "length repeat with no previous length");
		if (sym == 16)
			val = l[i - 1];
		rep = bits(s, sym == 16 ? 2 : sym == 17 ? 3 : 7);
		if (rep < 0)
			return inf_fail(s, "code-length repeat truncated");
		rep += sym == 18 ? 11 : 3;
		if ((unsigned int)rep > total - i)
			return inf_fail(s, "code-length repeat runs past %u lengths", total);
		while (rep--)
			l[i++] = val;
	}
	return 0;
}

static int dynamic(struct inflate_state *s)
{
	int32_t nlen = bits(s, 5), ndist = bits(s, 5), ncode = bits(s, 4);
	uint8_t *l = s->w->lens;

	if (nlen < 0 || ndist < 0 || ncode < 0)
		return inf_fail(s, "dynamic block header truncated");
	nlen += 257;
	ndist += 1;
	ncode += 4;
	if (nlen > 286 || ndist > NR_DIST)
		return inf_fail(s, "dynamic block with %d length and %d distance codes", nlen,
				ndist);
	memset(l, 0, 19);
	for (int i = 0; i < ncode; i++) {
		int32_t v = bits(s, 3);

		if (v < 0)
			return inf_fail(s, "code-length code truncated");
		l[clen_order[i]] = (uint8_t)v;
	}
	if (build(&s->w->lit, l, 19))
		return inf_fail(s, "over-subscribed code-length code");
	if (read_lengths(s, (unsigned int)(nlen + ndist)))
		return -EINVAL;
	if (l[256] == 0)
		return inf_fail(s, "dynamic block without an end-of-block code");
	if (build(&s->w->lit, l, (unsigned int)nlen) ||
	    build(&s->w->dist, l + nlen, (unsigned int)ndist))
		return inf_fail(s, "over-subscribed literal/length or distance code");
	return codes(s);
}

static ssize_t run_blocks(struct inflate_state *s)
{
	int32_t last, type;
	int rc;

	do {
		last = bits(s, 1);
		type = bits(s, 2);
		if (last < 0 || type < 0)
			return inf_fail(s, "block header truncated");
		if (type == 0)
			rc = stored(s);
		else if (type == 1)
			rc = fixed(s);
		else if (type == 2)
			rc = dynamic(s);
		else
			rc = inf_fail(s, "reserved block type 3");
		if (rc == -ENOSPC)
			inf_fail(s, "output larger than the %zu bytes allowed", s->out_size);
		if (rc < 0)
			return rc;
	} while (!last);
	return (ssize_t)s->out_pos;
}

static void state_init(struct inflate_state *s, const void *in, size_t in_len, void *out,
		       size_t out_size, struct inflate_work *w, char *msg, size_t msglen)
{
	*s = (struct inflate_state){.in = in,
				    .in_len = in_len,
				    .out = out,
				    .out_size = out_size,
				    .w = w,
				    .msg = msg,
				    .msglen = msglen};
}

ssize_t inflate_raw(const void *in, size_t in_len, size_t *in_used, void *out, size_t out_size,
		    struct inflate_work *work, char *msg, size_t msglen)
{
	struct inflate_state s;
	ssize_t n;

	state_init(&s, in, in_len, out, out_size, work, msg, msglen);
	n = run_blocks(&s);
	if (in_used)
		*in_used = s.in_pos;
	return n;
}

/* Skips the gzip header; returns the offset of the DEFLATE data or a negative errno. */
static ssize_t gzip_header(struct inflate_state *s)
{
	const uint8_t *p = s->in;
	size_t pos = 10;
	uint8_t flg;

	if (s->in_len < 18 || p[0] != 0x1f || p[1] != 0x8b || p[2] != 8)
		return inf_fail(s, "no gzip header (1f 8b 08) in %zu bytes", s->in_len);
	flg = p[3];
	if (flg & 0xe0)
		return inf_fail(s, "gzip header with reserved flags 0x%x", flg);
	if (flg & 4) { /* FEXTRA */
		size_t xlen = p[pos] | (size_t)p[pos + 1] << 8;

		pos += 2 + xlen;
	}
	for (unsigned int f = 8; f <= 16; f <<= 1) { /* FNAME, FCOMMENT: NUL-terminated */
		if (!(flg & f))
			continue;
		while (pos < s->in_len && p[pos])
			pos++;
		pos++;
	}
	if (flg & 2) /* FHCRC */
		pos += 2;
	if (pos > s->in_len - 8)
		return inf_fail(s, "gzip header runs past the input");
	return (ssize_t)pos;
}

ssize_t inflate_gzip(const void *in, size_t in_len, size_t *in_used, void *out, size_t out_size,
		     struct inflate_work *work, char *msg, size_t msglen)
{
	struct inflate_state s;
	ssize_t hdr, n;
	const uint8_t *t;

	state_init(&s, in, in_len, out, out_size, work, msg, msglen);
	hdr = gzip_header(&s);
	if (hdr < 0)
		return hdr;
	s.in_pos = (size_t)hdr;
	n = run_blocks(&s);
	if (in_used)
		*in_used = s.in_pos;
	if (n < 0)
		return n;
	if (s.in_len - s.in_pos < 8)
		return inf_fail(&s, "gzip trailer truncated");
	t = s.in + s.in_pos;
	if (crc32(0, out, (size_t)n) !=
	    (t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24))
		return inf_fail(&s, "gzip CRC-32 mismatch");
	if ((uint32_t)n !=
	    (t[4] | (uint32_t)t[5] << 8 | (uint32_t)t[6] << 16 | (uint32_t)t[7] << 24))
		return inf_fail(&s, "gzip size field does not match the %zd bytes decoded", n);
	if (in_used)
		*in_used = s.in_pos + 8;
	return n;
}
