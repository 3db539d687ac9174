/* SPDX-License-Identifier: GPL-2.0-only */
/* LZMA2 decoder: chunk parser, range decoder and LZMA model; every distance and length checked. */
#include <hospes/errno.h>
#include <hospes/lib.h>
#include <hospes/lzma2.h>

#define PROB_INIT 1024 /* probabilities are 11-bit: 1024 is "even" */
#define RC_TOP	  (1U << 24)
#define MATCH_MIN 2
#define END_DIST  0xffffffffU

struct lzma2_state {
	const uint8_t *in;
	/* output, which doubles as the dictionary */
	uint8_t *out;
	size_t pos, size, dict_start;
	struct lzma2_work *w;
	char *msg;
	size_t msglen;
};

/*
 * The LZMA decoder's hot state for one chunk. It lives in a local whose address never escapes
 * (every helper below is always inlined), so the compiler keeps it in registers: otherwise each
 * output byte stored would force it back to memory, the hypervisor being built without strict
 * aliasing. Under emulation that is most of the kernel's decompression time.
 */
struct lz_dec {
	uint32_t range, code;
	const uint8_t *in, *in_end; /* the chunk's packed bytes not yet read */
	uint8_t *out;
	size_t pos, end, dict_start; /* end: where this chunk's output stops */
	uint32_t state, rep0, rep1, rep2, rep3;
	uint32_t bad_len; /* the length of a match that did not fit, for the report */
	bool overrun;	  /* the decoder wanted a byte past the chunk: corrupt */
};

enum lz_error {
	LZ_OK,
	LZ_LIT_DIST,
	LZ_END_MARK,
	LZ_DIST,
	LZ_LEN
};

#define LZ_INLINE static inline __attribute__((always_inline))

static __printf(2, 3) int lz_fail(struct lzma2_state *s, const char *fmt, ...)
{
	va_list ap;

	if (s->msg && s->msglen) {
		int n = snprintf(s->msg, s->msglen, "lzma2 at output byte %zu: ", s->pos);

		va_start(ap, fmt);
		if (n >= 0 && (size_t)n < s->msglen)
			vsnprintf(s->msg + n, s->msglen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

LZ_INLINE void rc_normalize(struct lz_dec *d)
{
	if (d->range >= RC_TOP)
		return;
	d->range <<= 8;
	d->code <<= 8;
	if (d->in < d->in_end)
		d->code |= *d->in++;
	else
		d->overrun = true;
}

LZ_INLINE unsigned int rc_bit(struct lz_dec *d, uint16_t *p)
{
	uint32_t prob = *p, bound = (d->range >> 11) * prob;
	unsigned int bit;

	if (d->code < bound) {
		d->range = bound;
		*p = (uint16_t)(prob + ((2048 - prob) >> 5));
		bit = 0;
	} else {
		d->range -= bound;
		d->code -= bound;
		*p = (uint16_t)(prob - (prob >> 5));
		bit = 1;
	}
	rc_normalize(d);
	return bit;
}

/* A bit tree of n bits, most significant first. */
LZ_INLINE uint32_t rc_tree(struct lz_dec *d, uint16_t *probs, unsigned int n)
{
	uint32_t m = 1;

	for (unsigned int i = 0; i < n; i++)
		m = (m << 1) | rc_bit(d, &probs[m]);
	return m - (1U << n);
}

/* A bit tree of n bits, least significant first. */
LZ_INLINE uint32_t rc_tree_rev(struct lz_dec *d, uint16_t *probs, unsigned int n)
{
	uint32_t m = 1, sym = 0;

	for (unsigned int i = 0; i < n; i++) {
		unsigned int bit = rc_bit(d, &probs[m]);

		m = (m << 1) | bit;
		sym |= bit << i;
	}
	return sym;
}

/* n bits with probability one half each. */
LZ_INLINE uint32_t rc_direct(struct lz_dec *d, unsigned int n)
{
	uint32_t v = 0;

	while (n--) {
		uint32_t mask;

		d->range >>= 1;
		d->code -= d->range;
		mask = 0U - (d->code >> 31); /* all ones when the subtraction went negative */
		d->code += d->range & mask;
		v = (v << 1) + (mask + 1);
		rc_normalize(d);
	}
	return v;
}

/* Every probability is a uint16_t laid out before 'state': reset them all in one sweep. */
static void model_reset(struct lzma2_work *w)
{
	uint16_t *p = (uint16_t *)w;
	size_t n = offsetof(struct lzma2_work, state) / sizeof(uint16_t);

	for (size_t i = 0; i < n; i++)
		p[i] = PROB_INIT;
	w->state = 0;
	w->rep[0] = w->rep[1] = w->rep[2] = w->rep[3] = 0;
}

LZ_INLINE uint32_t len_decode(struct lz_dec *d, struct lzma_len_probs *l, uint32_t ps)
{
	if (!rc_bit(d, &l->choice))
		return rc_tree(d, l->low[ps], 3);
	if (!rc_bit(d, &l->choice2))
		return 8 + rc_tree(d, l->mid[ps], 3);
	return 16 + rc_tree(d, l->high, 8);
}

LZ_INLINE uint32_t dist_decode(struct lz_dec *d, struct lzma2_work *w, uint32_t len)
{
	uint32_t slot = rc_tree(d, w->dist_slot[len < 3 ? len : 3], 6), n, dist;

	if (slot < 4)
		return slot;
	n = (slot >> 1) - 1;
	dist = (2 | (slot & 1)) << n;
	if (slot < LZMA_END_POS_SLOT)
		return dist + rc_tree_rev(d, w->dist_special + dist - slot, n);
	dist += rc_direct(d, n - 4) << 4;
	return dist + rc_tree_rev(d, w->dist_align, 4);
}

LZ_INLINE enum lz_error literal(struct lz_dec *d, struct lzma2_work *w, unsigned int lc,
				uint32_t lp_mask)
{
	size_t rel = d->pos - d->dict_start;
	unsigned int prev = rel ? d->out[d->pos - 1] : 0, sym = 1;
	uint16_t *probs = w->literal[((rel & lp_mask) << lc) + (prev >> (8 - lc))];

	if (d->state >= 7) { /* after a match: the byte at rep0 steers the first bits */
		unsigned int match;

		if (d->rep0 >= rel)
			return LZ_LIT_DIST;
		match = d->out[d->pos - d->rep0 - 1];
		do {
			unsigned int mbit = (match >> 7) & 1, bit;

			match <<= 1;
			bit = rc_bit(d, &probs[0x100 + (mbit << 8) + sym]);
			sym = (sym << 1) | bit;
			if (bit != mbit)
				break;
		} while (sym < 0x100);
	}
	while (sym < 0x100)
		sym = (sym << 1) | rc_bit(d, &probs[sym]);
	d->out[d->pos++] = (uint8_t)sym;
	d->state = d->state < 4 ? 0 : d->state < 10 ? d->state - 3 : d->state - 6;
	return LZ_OK;
}

/* A match with one of the four last distances: its length (1 for the one-byte "short rep"). */
LZ_INLINE uint32_t rep_match(struct lz_dec *d, struct lzma2_work *w, uint32_t ps)
{
	uint32_t st = d->state, dist;

	if (!rc_bit(d, &w->is_rep0[st])) {
		if (!rc_bit(d, &w->is_rep0_long[st][ps])) {
			d->state = st < 7 ? 9 : 11;
			return 1;
		}
	} else {
		if (!rc_bit(d, &w->is_rep1[st])) {
			dist = d->rep1;
		} else {
			if (!rc_bit(d, &w->is_rep2[st])) {
				dist = d->rep2;
			} else {
				dist = d->rep3;
				d->rep3 = d->rep2;
			}
			d->rep2 = d->rep1;
		}
		d->rep1 = d->rep0;
		d->rep0 = dist;
	}
	d->state = st < 7 ? 8 : 11;
	return len_decode(d, &w->rep_len, ps) + MATCH_MIN;
}

/*
 * Copies len bytes from rep0 + 1 back. Eight at a time when the source trails by at least eight
 * (so every byte read is already written) and the rounded-up copy stays inside the chunk.
 */
LZ_INLINE void match_copy(struct lz_dec *d, uint32_t len)
{
	uint8_t *dst = d->out + d->pos;
	const uint8_t *src = dst - d->rep0 - 1;

	if (d->rep0 >= 7 && ROUNDUP((size_t)len, 8) <= d->end - d->pos) {
		for (uint32_t i = 0; i < len; i += 8) {
			uint64_t v;

			__builtin_memcpy(&v, src + i, 8);
			__builtin_memcpy(dst + i, &v, 8);
		}
	} else {
		for (uint32_t i = 0; i < len; i++)
			dst[i] = src[i];
	}
	d->pos += len;
}

LZ_INLINE enum lz_error match(struct lz_dec *d, struct lzma2_work *w, uint32_t ps)
{
	size_t rel = d->pos - d->dict_start;
	uint32_t len;

	if (rc_bit(d, &w->is_rep[d->state])) {
		len = rep_match(d, w, ps);
	} else {
		d->rep3 = d->rep2;
		d->rep2 = d->rep1;
		d->rep1 = d->rep0;
		len = len_decode(d, &w->match_len, ps);
		d->state = d->state < 7 ? 7 : 10;
		d->rep0 = dist_decode(d, w, len);
		if (d->rep0 == END_DIST)
			return LZ_END_MARK;
		len += MATCH_MIN;
	}
	if (d->rep0 >= rel)
		return LZ_DIST;
	if (len > d->end - d->pos) {
		d->bad_len = len;
		return LZ_LEN;
	}
	match_copy(d, len);
	return LZ_OK;
}

static int lz_report(struct lzma2_state *s, enum lz_error e, uint32_t rep0, uint32_t len)
{
	size_t rel = s->pos - s->dict_start;

	switch (e) {
	case LZ_LIT_DIST:
		return lz_fail(s, "literal refers to distance %u before the dictionary", rep0 + 1);
	case LZ_END_MARK:
		return lz_fail(s, "end-of-payload marker inside an LZMA2 chunk");
	case LZ_DIST:
		return lz_fail(s, "distance %u reaches before the dictionary (%zu bytes)", rep0 + 1,
			       rel);
	default:
		return lz_fail(s, "match of %u bytes runs past the chunk end", len);
	}
}

/* Decodes one LZMA chunk: exactly 'unpacked' bytes from the packed bytes [pos, pos+packed). */
static int lzma_chunk(struct lzma2_state *s, size_t in_pos, size_t packed, size_t unpacked)
{
	struct lzma2_work *w = s->w;
	const uint8_t *in = s->in + in_pos;
	unsigned int lc = w->lc;
	uint32_t lp_mask = (1U << w->lp) - 1, pb_mask = (1U << w->pb) - 1;
	enum lz_error e = LZ_OK;
	struct lz_dec d;

	if (packed < 5 || in[0] != 0)
		return lz_fail(s, "LZMA chunk does not start with a range-coder header");
	d = (struct lz_dec){
		.range = 0xffffffffU,
		.code = (uint32_t)in[1] << 24 | (uint32_t)in[2] << 16 | (uint32_t)in[3] << 8 |
			in[4],
		.in = in + 5,
		.in_end = in + packed,
		.out = s->out,
		.pos = s->pos,
		.end = s->pos + unpacked,
		.dict_start = s->dict_start,
		.state = w->state,
		.rep0 = w->rep[0],
		.rep1 = w->rep[1],
		.rep2 = w->rep[2],
		.rep3 = w->rep[3],
	};
	while (d.pos < d.end) {
		uint32_t ps = (uint32_t)(d.pos - d.dict_start) & pb_mask;

		if (!rc_bit(&d, &w->is_match[d.state][ps]))
			e = literal(&d, w, lc, lp_mask);
		else
			e = match(&d, w, ps);
		if (e != LZ_OK || d.overrun)
			break;
	}
	s->pos = d.pos;
	w->state = d.state;
	w->rep[0] = d.rep0;
	w->rep[1] = d.rep1;
	w->rep[2] = d.rep2;
	w->rep[3] = d.rep3;
	if (e != LZ_OK)
		return lz_report(s, e, d.rep0, d.bad_len);
	if (d.overrun)
		return lz_fail(s, "LZMA chunk needs more than its %zu packed bytes", packed);
	if (d.in != d.in_end || d.code != 0)
		return lz_fail(s, "LZMA chunk ends at packed byte %zu of %zu with code 0x%x",
			       (size_t)(d.in - in), packed, d.code);
	return 0;
}

static int set_props(struct lzma2_state *s, unsigned int props)
{
	struct lzma2_work *w = s->w;

	if (props >= 9 * 5 * 5)
		return lz_fail(s, "LZMA properties byte 0x%x out of range", props);
	w->lc = props % 9;
	w->lp = (props / 9) % 5;
	w->pb = props / 45;
	if (w->lc + w->lp > 4)
		return lz_fail(s, "LZMA properties lc %u + lp %u exceed 4", w->lc, w->lp);
	return 0;
}

/* An uncompressed chunk at in[i]: control byte, 16-bit size - 1, the bytes. Returns its size. */
static ssize_t stored_chunk(struct lzma2_state *s, const uint8_t *in, size_t in_len, size_t i)
{
	size_t len;

	if (in[i] > 2 || in_len - i < 3)
		return lz_fail(s, "bad or truncated LZMA2 control 0x%x", in[i]);
	len = ((size_t)in[i + 1] << 8 | in[i + 2]) + 1;
	if (len > in_len - i - 3)
		return lz_fail(s, "stored LZMA2 chunk runs past the input");
	if (len > s->size - s->pos)
		return -ENOSPC;
	memcpy(s->out + s->pos, in + i + 3, len);
	s->pos += len;
	return (ssize_t)(3 + len);
}

/* An LZMA chunk at in[i]: header (sizes, maybe properties), then the range-coded data. */
static ssize_t lzma_chunk_at(struct lzma2_state *s, const uint8_t *in, size_t in_len, size_t i,
			     bool *need_props)
{
	unsigned int ctrl = in[i];
	size_t hdr = ctrl >= 0xc0 ? 6 : 5, unpacked, packed;
	int rc;

	if (in_len - i < hdr)
		return lz_fail(s, "LZMA2 chunk header truncated");
	unpacked = ((size_t)(ctrl & 0x1f) << 16 | (size_t)in[i + 1] << 8 | in[i + 2]) + 1;
	packed = ((size_t)in[i + 3] << 8 | in[i + 4]) + 1;
	if (ctrl >= 0xc0) {
		if ((rc = set_props(s, in[i + 5])) < 0)
			return rc;
		*need_props = false;
	} else if (*need_props) {
		return lz_fail(s, "LZMA chunk without the properties it needs");
	}
	if (ctrl >= 0xa0)
		model_reset(s->w);
	if (packed > in_len - i - hdr)
		return lz_fail(s, "LZMA chunk of %zu packed bytes runs past the input", packed);
	if (unpacked > s->size - s->pos)
		return -ENOSPC;
	if ((rc = lzma_chunk(s, i + hdr, packed, unpacked)) < 0)
		return rc;
	return (ssize_t)(hdr + packed);
}

/*
 * Chunk after chunk up to the end marker. Control 1 and 0xe0..0xff reset the dictionary; the
 * first chunk must, and the next LZMA chunk after a reset must bring properties.
 */
static int chunks(struct lzma2_state *s, const uint8_t *in, size_t in_len, size_t *ip)
{
	bool need_dict = true, need_props = true;
	size_t i = 0;

	for (;;) {
		unsigned int ctrl;
		ssize_t n;

		*ip = i;
		if (i >= in_len)
			return lz_fail(s, "input ends before the LZMA2 end marker");
		ctrl = in[i];
		if (ctrl == 0) {
			*ip = i + 1;
			return 0;
		}
		if (ctrl == 1 || ctrl >= 0xe0) {
			s->dict_start = s->pos;
			need_dict = false;
			need_props = true;
		} else if (need_dict) {
			return lz_fail(s, "first LZMA2 chunk (control 0x%x) keeps a dictionary",
				       ctrl);
		}
		if (ctrl < 0x80)
			n = stored_chunk(s, in, in_len, i);
		else
			n = lzma_chunk_at(s, in, in_len, i, &need_props);
		if (n < 0)
			return (int)n;
		i += (size_t)n;
	}
}

ssize_t lzma2_decode(const void *in, size_t in_len, size_t *in_used, void *out, size_t out_size,
		     struct lzma2_work *work, char *msg, size_t msglen)
{
	struct lzma2_state s = {
		.in = in, .out = out, .size = out_size, .w = work, .msg = msg, .msglen = msglen};
	size_t used = 0;
	int rc = chunks(&s, in, in_len, &used);

	if (in_used)
		*in_used = used;
	if (rc == -ENOSPC)
		lz_fail(&s, "output larger than the %zu bytes allowed", out_size);
	return rc < 0 ? rc : (ssize_t)s.pos;
}
