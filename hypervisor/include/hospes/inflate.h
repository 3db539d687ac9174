/* SPDX-License-Identifier: GPL-2.0-only */
/* DEFLATE (RFC 1951) and gzip (RFC 1952) decoding into a flat, bounded output buffer. */
#ifndef HOSPES_INFLATE_H
#define HOSPES_INFLATE_H

#include <hospes/types.h>

#define INFLATE_MAX_CODES 320 /* 286 literal/length + 30 distance codes, rounded up */

/* One canonical Huffman code: how many codes of each length, and the symbols in code order. */
struct inflate_huff {
	uint16_t count[16];
	uint16_t symbol[INFLATE_MAX_CODES];
};

/* Scratch space for one decode (about 2 KiB): keep it off the 32 KiB hypervisor stacks. */
struct inflate_work {
	struct inflate_huff lit;
	struct inflate_huff dist;
	uint8_t lens[INFLATE_MAX_CODES];
};

/*
 * Decodes the raw DEFLATE stream in[0..in_len) into out[0..out_size). The output buffer is the
 * window: back-references never reach before out. Returns the number of bytes written, or a
 * negative errno (-EINVAL corrupt data, -ENOSPC output larger than out_size) with a reason in
 * msg. *in_used (if not NULL) receives the input bytes consumed.
 */
ssize_t inflate_raw(const void *in, size_t in_len, size_t *in_used, void *out, size_t out_size,
		    struct inflate_work *work, char *msg, size_t msglen);

/*
 * Decodes a gzip member (header, DEFLATE data, CRC-32 and size trailer, both checked). Returns
 * the decompressed size or a negative errno as inflate_raw(). *in_used as above.
 */
ssize_t inflate_gzip(const void *in, size_t in_len, size_t *in_used, void *out, size_t out_size,
		     struct inflate_work *work, char *msg, size_t msglen);

#endif /* HOSPES_INFLATE_H */
