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
	/* range decoder over one chunk's packed bytes */
	const uint8_t *in;
	size_t rc_pos, rc_end;
	uint32_t range, code;
	bool overrun; /* the decoder wanted a byte past the chunk: corrupt */
	/* output, which doubles as the dictionary */
	uint8_t *out;
	size_t pos, size, dict_start;
	struct lzma2_work *w;
	char *msg;
	size_t msglen;
};

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

static inline __attribute__((always_inline)) void rc_normalize(struct lzma2_state *s)
{
	if (s->range >= RC_TOP)
		return;
	s->range <<= 8;
	s->code <<= 8;
	if (s->rc_pos < s->rc_end)
		s->code |= s->in[s->rc_pos++];
	else
		s->overrun = true;
}

static inline __attribute__((always_inline)) unsigned int rc_bit(struct lzma2_state *s, uint16_t *p)
{
	uint32_t bound = (s->range >> 11) * *p;
	unsigned int bit;

	if (s->code < bound) {
		s->range = bound;
		*p += (2048 - *p) >> 5;
		bit = 0;
	} else {
		s->range -= bound;
		s->code -= bound;
		*p -= *p >> 5;
		bit = 1;
	}
	rc_normalize(s);
	return bit;
}

/* A bit tree of n bits, most significant first. */
static uint32_t rc_tree(struct lzma2_state *s, uint16_t *probs, unsigned int n)
{
	uint32_t m = 1;

	for (unsigned int i = 0; i < n; i++)
		m = (m << 1) | rc_bit(s, &probs[m]);
	return m - (1U << n);
}

/* A bit tree of n bits, least significant first. */
static uint32_t rc_tree_rev(struct lzma2_state *s, uint16_t *probs, unsigned int n)
{
	uint32_t m = 1, sym = 0;

	for (unsigned int i = 0; i < n; i++) {
		unsigned int bit = rc_bit(s, &probs[m]);

		m = (m << 1) | bit;
		sym |= bit << i;
	}
	return sym;
}

/* n bits with probability one half each. */
static uint32_t rc_direct(struct lzma2_state *s, unsigned int n)
{
	uint32_t v = 0;

	while (n--) {
		uint32_t mask;

		s->range >>= 1;
		s->code -= s->range;
		mask = 0U - (s->code >> 31); /* all ones when the subtraction went negative */
		s->code += s->range & mask;
		v = (v << 1) + (mask + 1);
		rc_normalize(s);
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

static uint32_t len_decode(struct lzma2_state *s, struct lzma_len_probs *l, uint32_t ps)
{
	if (!rc_bit(s, &l->choice))
		return rc_tree(s, l->low[ps], 3);
	if (!rc_bit(s, &l->choice2))
		return 8 + rc_tree(s, l->mid[ps], 3);
	return 16 + rc_tree(s, l->high, 8);
}

static uint32_t dist_decode(struct lzma2_state *s, uint32_t len)
{
	struct lzma2_work *w = s->w;
	uint32_t slot = rc_tree(s, w->dist_slot[len < 3 ? len : 3], 6), n, dist;

	if (slot < 4)
		return slot;
	n = (slot >> 1) - 1;
	dist = (2 | (slot & 1)) << n;
	if (slot < LZMA_END_POS_SLOT)
		return dist + rc_tree_rev(s, w->dist_special + dist - slot, n);
	dist += rc_direct(s, n - 4) << 4;
	return dist + rc_tree_rev(s, w->dist_align, 4);
}

static int literal(struct lzma2_state *s)
{
	struct lzma2_work *w = s->w;
	size_t rel = s->pos - s->dict_start;
	unsigned int prev = rel ? s->out[s->pos - 1] : 0, sym = 1;
	uint16_t *probs =
		w->literal[((rel & ((1U << w->lp) - 1)) << w->lc) + (prev >> (8 - w->lc))];

	if (w->state >= 7) { /* after a match: the byte at rep0 steers the first bits */
		unsigned int match;

		if (w->rep[0] >= rel)
			return lz_fail(s, "literal refers to distance %u before the dictionary",
				       w->rep[0] + 1);
		match = s->out[s->pos - w->rep[0] - 1];
		do {
			unsigned int mbit = (match >> 7) & 1, bit;

			match <<= 1;
			bit = rc_bit(s, &probs[0x100 + (mbit << 8) + sym]);
			sym = (sym << 1) | bit;
			if (bit != mbit)
				break;
		} while (sym < 0x100);
	}
	while (sym < 0x100)
		sym = (sym << 1) | rc_bit(s, &probs[sym]);
	s->out[s->pos++] = (uint8_t)sym;
	w->state = w->state < 4 ? 0 : w->state < 10 ? w->state - 3 : w->state - 6;
	return 0;
}

/* A match with one of the four last distances; sets *len (0 for the one-byte "short rep"). */
static void rep_match(struct lzma2_state *s, uint32_t ps, uint32_t *len)
{
	struct lzma2_work *w = s->w;
	uint32_t st = w->state, dist;

	if (!rc_bit(s, &w->is_rep0[st])) {
		if (!rc_bit(s, &w->is_rep0_long[st][ps])) {
			w->state = st < 7 ? 9 : 11;
			*len = 1;
			return;
		}
	} else {
		if (!rc_bit(s, &w->is_rep1[st])) {
			dist = w->rep[1];
		} else {
			if (!rc_bit(s, &w->is_rep2[st])) {
				dist = w->rep[2];
			} else {
				dist = w->rep[3];
				w->rep[3] = w->rep[2];
			}
			w->rep[2] = w->rep[1];
		}
		w->rep[1] = w->rep[0];
		w->rep[0] = dist;
	}
	*len = len_decode(s, &w->rep_len, ps) + MATCH_MIN;
	w->state = st < 7 ? 8 : 11;
}

static int match(struct lzma2_state *s, uint32_t ps, size_t end)
{
	struct lzma2_work *w = s->w;
	size_t rel = s->pos - s->dict_start;
	uint32_t len;

	if (rc_bit(s, &w->is_rep[w->state])) {
		rep_match(s, ps, &len);
	} else {
		w->rep[3] = w->rep[2];
		w->rep[2] = w->rep[1];
		w->rep[1] = w->rep[0];
		len = len_decode(s, &w->match_len, ps);
		w->state = w->state < 7 ? 7 : 10;
		w->rep[0] = dist_decode(s, len);
		if (w->rep[0] == END_DIST)
			return lz_fail(s, "end-of-payload marker inside an LZMA2 chunk");
		len += MATCH_MIN;
	}
	if (w->rep[0] >= rel)
		return lz_fail(s, "distance %u reaches before the dictionary (%zu bytes)",
			       w->rep[0] + 1, rel);
	if (len > end - s->pos)
		return lz_fail(s, "match of %u bytes runs past the chunk end", len);
	for (const uint8_t *src = s->out + s->pos - w->rep[0] - 1; len--; src++)
		s->out[s->pos++] = *src;
	return 0;
}

/* Decodes one LZMA chunk: exactly 'unpacked' bytes from the packed bytes [pos, pos+packed). */
static int lzma_chunk(struct lzma2_state *s, size_t in_pos, size_t packed, size_t unpacked)
{
	struct lzma2_work *w = s->w;
	size_t end = s->pos + unpacked;
	int rc;

	if (packed < 5 || s->in[in_pos] != 0)
		return lz_fail(s, "LZMA chunk does not start with a range-coder header");
	s->code = (uint32_t)s->in[in_pos + 1] << 24 | (uint32_t)s->in[in_pos + 2] << 16 |
		  (uint32_t)s->in[in_pos + 3] << 8 | s->in[in_pos + 4];
	s->range = 0xffffffffU;
	s->rc_pos = in_pos + 5;
	s->rc_end = in_pos + packed;
	s->overrun = false;
	while (s->pos < end) {
		uint32_t ps = (uint32_t)(s->pos - s->dict_start) & ((1U << w->pb) - 1);

		if (!rc_bit(s, &w->is_match[w->state][ps]))
			rc = literal(s);
		else
			rc = match(s, ps, end);
		if (rc < 0)
			return rc;
		if (s->overrun)
			return lz_fail(s, "LZMA chunk needs more than its %zu packed bytes",
				       packed);
	}
	if (s->rc_pos != s->rc_end || s->code != 0)
		return lz_fail(s, "LZMA chunk ends at packed byte %zu of %zu with code 0x%x",
			       s->rc_pos - in_pos, packed, s->code);
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
