/* SPDX-License-Identifier: GPL-2.0-only */
/* LZMA2 decoding (the xz format's filter 0x21) into a flat, bounded output buffer. */
#ifndef HOSPES_LZMA2_H
#define HOSPES_LZMA2_H

#include <hospes/types.h>

#define LZMA_STATES	  12
#define LZMA_POS_STATES	  16 /* 1 << pb, pb <= 4 */
#define LZMA_LIT_CODERS	  16 /* 1 << (lc + lp), lc + lp <= 4 in LZMA2 */
#define LZMA_LIT_PROBS	  0x300
#define LZMA_DIST_STATES  4
#define LZMA_DIST_SLOTS	  64
#define LZMA_FULL_DIST	  128
#define LZMA_END_POS_SLOT 14

/* Probabilities of one length coder: choice bits, then low/mid/high bit trees. */
struct lzma_len_probs {
	uint16_t choice;
	uint16_t choice2;
	uint16_t low[LZMA_POS_STATES][8];
	uint16_t mid[LZMA_POS_STATES][8];
	uint16_t high[256];
};

/* The whole adaptive model of one LZMA2 decode (about 30 KiB): keep it off the stack. */
struct lzma2_work {
	uint16_t is_match[LZMA_STATES][LZMA_POS_STATES];
	uint16_t is_rep[LZMA_STATES];
	uint16_t is_rep0[LZMA_STATES];
	uint16_t is_rep1[LZMA_STATES];
	uint16_t is_rep2[LZMA_STATES];
	uint16_t is_rep0_long[LZMA_STATES][LZMA_POS_STATES];
	uint16_t dist_slot[LZMA_DIST_STATES][LZMA_DIST_SLOTS];
	uint16_t dist_special[LZMA_FULL_DIST - LZMA_END_POS_SLOT + 1];
	uint16_t dist_align[16];
	struct lzma_len_probs match_len;
	struct lzma_len_probs rep_len;
	uint16_t literal[LZMA_LIT_CODERS][LZMA_LIT_PROBS];
	uint32_t state, rep[4];
	unsigned int lc, lp, pb;
};

/*
 * Decodes the LZMA2 chunks in in[0..in_len) up to their end marker into out[0..out_size); the
 * output is the dictionary (matches never reach before out or before the last dictionary
 * reset). Returns the bytes written, or a negative errno (-EINVAL corrupt data, -ENOSPC output
 * over out_size) with a reason in msg. *in_used (if not NULL) gets the input bytes consumed.
 */
ssize_t lzma2_decode(const void *in, size_t in_len, size_t *in_used, void *out, size_t out_size,
		     struct lzma2_work *work, char *msg, size_t msglen);

#endif /* HOSPES_LZMA2_H */
