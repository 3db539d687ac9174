/* SPDX-License-Identifier: GPL-2.0-only */
/* The xz container (one stream of LZMA2 blocks, optional x86 BCJ filter) into a flat buffer. */
#ifndef HOSPES_XZ_H
#define HOSPES_XZ_H

#include <hospes/lzma2.h>
#include <hospes/types.h>

/*
 * Decodes one xz stream from in[0..in_len) into out[0..out_size): stream header, every block
 * (filters: optional x86 BCJ then LZMA2, as Linux's xz_wrap.sh produces), the index and the
 * footer, all cross-checked; block checks CRC-32 and CRC-64 verified, "none" accepted, others
 * refused. Bytes after the stream footer (Linux appends the size) are left unread. Returns the
 * decompressed size, or a negative errno (-EINVAL corrupt, -EOPNOTSUPP unsupported filter or
 * check, -ENOSPC output over out_size) with a reason in msg. *in_used gets the stream length.
 */
ssize_t xz_decode(const void *in, size_t in_len, size_t *in_used, void *out, size_t out_size,
		  struct lzma2_work *work, char *msg, size_t msglen);

/* The x86 BCJ decoding filter over buf[0..len), as if it started at stream position 0. */
void xz_bcj_x86(uint8_t *buf, size_t len);

#endif /* HOSPES_XZ_H */
