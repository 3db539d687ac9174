/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests of bzimage.c, inflate.c, xz.c, lzma2.c, crc.c: round trips through gzip and xz. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <hospes/bzimage.h>
#include <hospes/crc.h>
#include <hospes/elf.h>
#include <hospes/errno.h>
#include <hospes/inflate.h>
#include <hospes/xz.h>
#include "../harness.h"

static union bzimage_work work;
static char msg[256];

/* Runs "cmd < file holding in[0..len)" and returns its standard output (malloc'ed). */
static uint8_t *run_tool(const char *cmd, const void *in, size_t len, size_t *out_len)
{
	char path[] = "/tmp/hospes-unit-XXXXXX", line[512];
	int fd = mkstemp(path);
	size_t cap = 4096, n = 0, r;
	uint8_t *buf = malloc(cap);
	FILE *f;

	if (fd < 0 || write(fd, in, len) != (ssize_t)len) {
		printf("#   cannot write %s\n", path);
		exit(1);
	}
	close(fd);
	snprintf(line, sizeof(line), "%s < %s", cmd, path);
	f = popen(line, "r");
	while (f && (r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			uint8_t *bigger = realloc(buf, cap *= 2);

			if (!bigger) {
				printf("#   out of memory\n");
				exit(1);
			}
			buf = bigger;
		}
	}
	if (!f || pclose(f) != 0) {
		printf("#   '%s' failed: are gzip and xz-utils installed?\n", cmd);
		exit(1);
	}
	unlink(path);
	*out_len = n;
	return buf;
}

enum kind {
	TEXT,
	RANDOM,
	X86,
	PERIODIC /* runs repeating every 1 to 24 bytes: long matches at short, overlapping distances */
};

static uint8_t *make_data(enum kind k, size_t len, unsigned int seed)
{
	static const char *const words[] = {"hypervisor ", "domain ", "page ", "frame ",
					    "grant ",	   "event\n", "Xen ",  "0x1000 "};
	uint8_t *d = malloc(len ? len : 1);

	srand(seed);
	for (size_t i = 0; i < len;) {
		if (k == PERIODIC) {
			size_t period = 1 + (size_t)rand() % 24, run = 64 + (size_t)rand() % 4000;

			for (size_t j = 0; j < run && i < len; j++, i++)
				d[i] = j < period ? (uint8_t)rand() : d[i - period];
		} else if (k == TEXT) {
			const char *w = words[rand() % 8];

			for (; *w && i < len; w++)
				d[i++] = (uint8_t)*w;
		} else if (k == RANDOM || rand() % 4) {
			d[i++] = (uint8_t)rand();
		} else { /* a CALL/JMP rel32 with a small operand, as in x86 code */
			uint8_t op[5] = {0xe8 | (rand() & 1), (uint8_t)rand(), (uint8_t)rand(),
					 rand() % 2 ? 0 : 0xff, rand() % 2 ? 0 : 0xff};

			for (unsigned int j = 0; j < 5 && i < len; j++)
				d[i++] = op[j];
		}
	}
	return d;
}

static void test_crc(void)
{
	CHECK_EQ(crc32(0, "123456789", 9), 0xcbf43926);
	CHECK_EQ(crc64(0, "123456789", 9), 0x995dc9bbdf1939faULL);
	CHECK_EQ(crc32(crc32(0, "1234", 4), "56789", 5), 0xcbf43926);
	CHECK_EQ(crc64(crc64(0, "12345", 5), "6789", 4), 0x995dc9bbdf1939faULL);
	CHECK_EQ(crc32(0, "", 0), 0);
}

/* Decodes in with fn into an exact-size buffer, then one byte short (-ENOSPC). */
static void roundtrip(bool xz, const uint8_t *data, size_t len, const uint8_t *z, size_t zlen)
{
	uint8_t *out = malloc(len ? len : 1);
	size_t used = 0;
	ssize_t n;

	if (xz)
		n = xz_decode(z, zlen, &used, out, len, &work.lzma2, msg, sizeof(msg));
	else
		n = inflate_gzip(z, zlen, &used, out, len, &work.inflate, msg, sizeof(msg));
	CHECK_EQ(n, len);
	if (n != (ssize_t)len)
		printf("#   %s\n", msg);
	CHECK_EQ(used, zlen);
	CHECK(n < 0 || !memcmp(out, data, len));
	if (len) {
		n = xz ? xz_decode(z, zlen, NULL, out, len - 1, &work.lzma2, msg, sizeof(msg))
		       : inflate_gzip(z, zlen, NULL, out, len - 1, &work.inflate, msg, sizeof(msg));
		CHECK_EQ(n, -ENOSPC);
		CHECK(strstr(msg, "output larger") != NULL);
	}
	free(out);
}

static void test_gzip_roundtrip(void)
{
	static const size_t sizes[] = {0, 1, 100, 70000, 300000};
	static const char *const cmds[] = {"gzip -1 -c", "gzip -9 -c", "gzip -6 -n -c"};

	for (unsigned int k = TEXT; k <= PERIODIC; k++)
		for (unsigned int s = 0; s < ARRAY_SIZE(sizes); s++)
			for (unsigned int c = 0; c < ARRAY_SIZE(cmds); c++) {
				uint8_t *d = make_data(k, sizes[s], s * 7 + k), *z;
				size_t zlen;

				z = run_tool(cmds[c], d, sizes[s], &zlen);
				roundtrip(false, d, sizes[s], z, zlen);
				free(z);
				free(d);
			}
}

static void test_xz_roundtrip(void)
{
	static const size_t sizes[] = {0, 1, 5000, 300000, 2600000}; /* the last: several chunks */
	static const char *const cmds[] = {
		"xz -c --check=crc32 --x86 --lzma2=dict=1MiB", /* what Linux's xz_wrap.sh does */
		"xz -c --check=crc64",
		"xz -c --check=none --block-size=40000 -T1",
		"xz -c -0 --lzma2=lc=0,lp=4,pb=4",
		"xz -c --lzma2=lc=4,lp=0,pb=0,mf=hc4",
	};

	for (unsigned int k = TEXT; k <= PERIODIC; k++)
		for (unsigned int s = 0; s < ARRAY_SIZE(sizes); s++)
			for (unsigned int c = 0; c < ARRAY_SIZE(cmds); c++) {
				uint8_t *d, *z;
				size_t zlen;

				if (sizes[s] > 1000000 && c)
					continue; /* one command is enough for the big input */
				d = make_data(k, sizes[s], s * 5 + k + 100);

				z = run_tool(cmds[c], d, sizes[s], &zlen);
				roundtrip(true, d, sizes[s], z, zlen);
				free(z);
				free(d);
			}
}

/* Bit writer for hand-made DEFLATE streams: values LSB first, Huffman codes MSB first. */
struct bitw {
	uint8_t b[64];
	unsigned int nbits;
};

static void put_bits(struct bitw *w, unsigned int v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++, w->nbits++)
		if (v >> i & 1)
			w->b[w->nbits / 8] |= (uint8_t)(1 << (w->nbits % 8));
}

static void put_code(struct bitw *w, unsigned int code, unsigned int len)
{
	while (len--)
		put_bits(w, code >> len & 1, 1);
}

static ssize_t raw(const struct bitw *w, uint8_t *out, size_t out_size)
{
	return inflate_raw(w->b, (w->nbits + 7) / 8, NULL, out, out_size, &work.inflate, msg,
			   sizeof(msg));
}

static void test_inflate_crafted(void)
{
	static const uint8_t stored[] = {0x01, 0x05, 0x00, 0xfa, 0xff, 'h', 'e', 'l', 'l', 'o'};
	uint8_t out[16], bad[sizeof(stored)];
	struct bitw w = {0};

	CHECK_EQ(inflate_raw(stored, sizeof(stored), NULL, out, 5, &work.inflate, msg, 256), 5);
	CHECK(!memcmp(out, "hello", 5));
	CHECK_EQ(inflate_raw(stored, sizeof(stored), NULL, out, 4, &work.inflate, msg, 256),
		 -ENOSPC);
	memcpy(bad, stored, sizeof(bad));
	bad[3] = 0xfb; /* NLEN is not ~LEN */
	CHECK_EQ(inflate_raw(bad, sizeof(bad), NULL, out, 16, &work.inflate, msg, 256), -EINVAL);
	CHECK(strstr(msg, "complement") != NULL);
	CHECK_EQ(inflate_raw(stored, 7, NULL, out, 16, &work.inflate, msg, 256), -EINVAL);

	/* fixed block: 'a', then length 3 at distance 1: "aaaa" */
	put_bits(&w, 1, 1);
	put_bits(&w, 1, 2);
	put_code(&w, 0x30 + 'a', 8);
	put_code(&w, 1, 7); /* symbol 257: length 3 */
	put_code(&w, 0, 5); /* distance code 0: 1 */
	put_code(&w, 0, 7); /* end of block */
	CHECK_EQ(raw(&w, out, sizeof(out)), 4);
	CHECK(!memcmp(out, "aaaa", 4));

	/* a match before any output */
	memset(&w, 0, sizeof(w));
	put_bits(&w, 1, 1);
	put_bits(&w, 1, 2);
	put_code(&w, 1, 7);
	put_code(&w, 0, 5);
	put_code(&w, 0, 7);
	CHECK_EQ(raw(&w, out, sizeof(out)), -EINVAL);
	CHECK(strstr(msg, "reaches before the start") != NULL);

	/* reserved block type */
	memset(&w, 0, sizeof(w));
	put_bits(&w, 1, 1);
	put_bits(&w, 3, 2);
	CHECK_EQ(raw(&w, out, sizeof(out)), -EINVAL);

	/* dynamic block whose code-length code has four 1-bit codes: over-subscribed */
	memset(&w, 0, sizeof(w));
	put_bits(&w, 1, 1);
	put_bits(&w, 2, 2);
	put_bits(&w, 0, 5);
	put_bits(&w, 0, 5);
	put_bits(&w, 0, 4);
	for (int i = 0; i < 4; i++)
		put_bits(&w, 1, 3);
	CHECK_EQ(raw(&w, out, sizeof(out)), -EINVAL);
	CHECK(strstr(msg, "over-subscribed") != NULL);

	/* distance symbols 30 and 31 exist in the fixed code but are invalid */
	memset(&w, 0, sizeof(w));
	put_bits(&w, 1, 1);
	put_bits(&w, 1, 2);
	put_code(&w, 0x30 + 'a', 8);
	put_code(&w, 1, 7);
	put_code(&w, 30, 5);
	CHECK_EQ(raw(&w, out, sizeof(out)), -EINVAL);
}

static void test_gzip_header_and_trailer(void)
{
	static const uint8_t head[] = {0x1f, 0x8b, 8,	0x1e, 0,   0, 0,   0,	0, 3,	 3,   0,
				       'x',  'y',  'z', 'n',  'm', 0, 'c', 'o', 0, 0xaa, 0xbb};
	uint8_t *d = make_data(TEXT, 3000, 1), *z, *full, out[3000];
	size_t zlen;

	z = run_tool("gzip -n -c", d, 3000, &zlen);
	full = malloc(sizeof(head) + zlen - 10);
	memcpy(full, head, sizeof(head));
	memcpy(full + sizeof(head), z + 10, zlen - 10);
	CHECK_EQ(inflate_gzip(full, sizeof(head) + zlen - 10, NULL, out, 3000, &work.inflate, msg,
			      sizeof(msg)),
		 3000);
	CHECK(!memcmp(out, d, 3000));
	full[3] = 0x20; /* reserved flag */
	CHECK_EQ(inflate_gzip(full, sizeof(head) + zlen - 10, NULL, out, 3000, &work.inflate, msg,
			      sizeof(msg)),
		 -EINVAL);
	z[zlen - 8] ^= 1; /* CRC-32 */
	CHECK_EQ(inflate_gzip(z, zlen, NULL, out, 3000, &work.inflate, msg, sizeof(msg)), -EINVAL);
	CHECK(strstr(msg, "CRC-32") != NULL);
	z[zlen - 8] ^= 1;
	z[zlen - 4] ^= 1; /* ISIZE */
	CHECK_EQ(inflate_gzip(z, zlen, NULL, out, 3000, &work.inflate, msg, sizeof(msg)), -EINVAL);
	z[zlen - 4] ^= 1;
	for (size_t n = 0; n < zlen; n++) { /* every truncation, exact-size copies */
		uint8_t *t = malloc(n ? n : 1);

		memcpy(t, z, n);
		CHECK(inflate_gzip(t, n, NULL, out, 3000, &work.inflate, msg, sizeof(msg)) < 0);
		free(t);
	}
	free(full);
	free(z);
	free(d);
}

static void test_xz_refusals(void)
{
	uint8_t *d = make_data(X86, 4000, 3), *z, out[4000], *t;
	size_t zlen, used;

	z = run_tool("xz -c --check=sha256", d, 4000, &zlen);
	CHECK_EQ(xz_decode(z, zlen, NULL, out, 4000, &work.lzma2, msg, sizeof(msg)), -EOPNOTSUPP);
	free(z);
	z = run_tool("xz -c --delta=dist=4 --lzma2", d, 4000, &zlen);
	CHECK_EQ(xz_decode(z, zlen, NULL, out, 4000, &work.lzma2, msg, sizeof(msg)), -EOPNOTSUPP);
	CHECK(strstr(msg, "filter 0x3") != NULL);
	free(z);
	z = run_tool("xz -c --format=lzma", d, 4000, &zlen);
	CHECK_EQ(xz_decode(z, zlen, NULL, out, 4000, &work.lzma2, msg, sizeof(msg)), -EINVAL);
	free(z);

	z = run_tool("xz -c --check=crc32 --x86 --lzma2", d, 4000, &zlen);
	t = malloc(zlen + 4); /* trailing bytes (Linux appends the size) are not read */
	memcpy(t, z, zlen);
	memcpy(t + zlen, "\xa0\x0f\0\0", 4);
	CHECK_EQ(xz_decode(t, zlen + 4, &used, out, 4000, &work.lzma2, msg, sizeof(msg)), 4000);
	CHECK_EQ(used, zlen);
	free(t);
	for (size_t n = 0; n < zlen; n++) {
		t = malloc(n ? n : 1);
		memcpy(t, z, n);
		CHECK(xz_decode(t, n, NULL, out, 4000, &work.lzma2, msg, sizeof(msg)) < 0);
		free(t);
	}
	for (size_t i = 0; i < zlen; i++) { /* any single flipped bit is caught */
		z[i] ^= 0x10;
		CHECK(xz_decode(z, zlen, NULL, out, 4000, &work.lzma2, msg, sizeof(msg)) < 0);
		z[i] ^= 0x10;
	}
	free(z);
	free(d);
}

static void test_bcj_vector(void)
{
	/* CALL with absolute target 0x10 at position 0 decodes to rel32 0x10 - 5 */
	uint8_t b[10] = {0xe8, 0x10, 0, 0, 0, 0x90, 0x90, 0x90, 0x90, 0x90};

	xz_bcj_x86(b, sizeof(b));
	CHECK_EQ(b[1], 0x0b);
	CHECK_EQ(b[2] | b[3] | b[4], 0);
	b[0] = 0xe8; /* operand whose top byte is not 00/ff: left alone */
	b[1] = 1;
	b[4] = 0x12;
	xz_bcj_x86(b, sizeof(b));
	CHECK_EQ(b[1], 1);
	CHECK_EQ(b[4], 0x12);
	xz_bcj_x86(b, 4); /* too short to hold an operand */
}

/* A minimal Xen ELF kernel: one PT_LOAD, one PT_NOTE with LOADER and XEN_VERSION. */
static size_t tiny_elf(uint8_t *b)
{
	static const uint8_t notes[] = {4,   0,	  0,   0, 8,   0,   0,	 0,   8,   0,	0,   0,
					'X', 'e', 'n', 0, 'g', 'e', 'n', 'e', 'r', 'i', 'c', 0,
					4,   0,	  0,   0, 8,   0,   0,	 0,   5,   0,	0,   0,
					'X', 'e', 'n', 0, 'x', 'e', 'n', '-', '3', '.', '0', 0};
	uint8_t *ph = b + 64;

	memset(b, 0, 0x2000);
	memcpy(b, "\177ELF\2\1\1", 7);
	b[16] = 2;
	b[18] = 62;
	b[32] = 64;
	b[54] = 56;
	b[56] = 2;
	ph[0] = 1; /* PT_LOAD: file 0x1000+0x1000 at paddr 0x100000 */
	ph[9] = 0x10;
	ph[26] = 0x10;
	ph[33] = 0x10;
	ph[41] = 0x20;
	ph += 56;
	ph[0] = 4; /* PT_NOTE at 0x200 */
	ph[9] = 2;
	ph[32] = sizeof(notes);
	memcpy(b + 0x200, notes, sizeof(notes));
	for (int i = 0; i < 0x1000; i++)
		b[0x1000 + i] = (uint8_t)(i ^ (i >> 8));
	b[24] = 0;
	b[25] = 0x10;
	b[26] = 0x10; /* e_entry 0x101000 */
	return 0x2000;
}

/* Wraps payload (compressed, with its size appended) in a bzImage with setup_sects = 1. */
static uint8_t *make_bzimage(const uint8_t *z, size_t zlen, uint32_t size, bool append, size_t *len)
{
	size_t start = 2 * 512 + 0x10, plen = zlen + (append ? 4 : 0);
	uint8_t *b = calloc(1, start + plen);

	b[0x1f1] = 1;
	memcpy(b + 0x202, "HdrS", 4);
	b[0x206] = 0x0f;
	b[0x207] = 0x02;
	b[0x248] = 0x10;
	memcpy(b + 0x24c, &plen, 4);
	memcpy(b + start, z, zlen);
	if (append)
		memcpy(b + start + zlen, &size, 4);
	*len = start + plen;
	return b;
}

static void bzimage_pipeline(const char *cmd, bool append)
{
	uint8_t elf[0x2000], *z, *bz, *out;
	size_t elf_len = tiny_elf(elf), zlen, bzlen;
	struct bzimage_info bi;
	struct elf_image_info ei;

	z = run_tool(cmd, elf, elf_len, &zlen);
	bz = make_bzimage(z, zlen, (uint32_t)elf_len, append, &bzlen);
	CHECK_EQ(bzimage_probe(bz, bzlen, &bi, msg, sizeof(msg)), 0);
	CHECK_EQ(bi.protocol, 0x20f);
	CHECK_EQ(bi.payload_offset, 0x410);
	CHECK_EQ(bi.decompressed_size, elf_len);
	out = malloc(bi.decompressed_size);
	CHECK_EQ(bzimage_decompress(bz, bzlen, &bi, out, bi.decompressed_size, &work, msg,
				    sizeof(msg)),
		 elf_len);
	CHECK(!memcmp(out, elf, elf_len));
	CHECK_EQ(elf_parse(out, elf_len, &ei, msg, sizeof(msg)), 0);
	CHECK_EQ(ei.entry, 0x101000);
	CHECK_EQ(bzimage_decompress(bz, bzlen, &bi, out, elf_len - 1, &work, msg, sizeof(msg)),
		 -ENOSPC);
	bi.decompressed_size += 1; /* announced size larger than the payload's */
	CHECK(bzimage_decompress(bz, bzlen, &bi, out, elf_len, &work, msg, sizeof(msg)) < 0);
	free(out);
	free(bz);
	free(z);
}

static void test_bzimage_pipeline(void)
{
	struct bzimage_info bi;
	uint8_t *bz;
	size_t len;

	bzimage_pipeline("xz -c --check=crc32 --x86 --lzma2=dict=32MiB", true);
	bzimage_pipeline("gzip -n -9 -c", false);
	bz = make_bzimage((const uint8_t *)"\x28\xb5\x2f\xfd....", 8, 100, true, &len);
	CHECK_EQ(bzimage_probe(bz, len, &bi, msg, sizeof(msg)), 0);
	CHECK_EQ(bi.format, BZIMAGE_ZSTD);
	CHECK_STR(bzimage_format_name(bi.format), "zstd");
	CHECK_EQ(bzimage_decompress(bz, len, &bi, NULL, 0, &work, msg, sizeof(msg)), -ENOSPC);
	{
		uint8_t out[100];

		CHECK_EQ(bzimage_decompress(bz, len, &bi, out, 100, &work, msg, sizeof(msg)),
			 -EOPNOTSUPP);
	}
	free(bz);
}

static void test_bzimage_refusals(void)
{
	struct bzimage_info bi;
	uint8_t elf[0x2000], *bz;
	size_t len;

	tiny_elf(elf);
	CHECK_EQ(bzimage_probe(elf, sizeof(elf), &bi, msg, sizeof(msg)), -ENOEXEC);
	CHECK_STR(msg, "not a bzImage: no \"HdrS\" at offset 0x202");
	CHECK_EQ(bzimage_probe(elf, 0x100, &bi, msg, sizeof(msg)), -ENOEXEC);
	bz = make_bzimage((const uint8_t *)"\xfd"
					   "7zXZ",
			  6, 100, true, &len);
	CHECK_EQ(bzimage_probe(bz, len, &bi, msg, sizeof(msg)), 0);
	CHECK_EQ(bi.format, BZIMAGE_XZ);
	bz[0x206] = 0x07; /* protocol 2.07 */
	CHECK_EQ(bzimage_probe(bz, len, &bi, msg, sizeof(msg)), -EOPNOTSUPP);
	bz[0x206] = 0x0f;
	CHECK_EQ(bzimage_probe(bz, len - 1, &bi, msg, sizeof(msg)), -EINVAL); /* payload past end */
	bz[0x248] = 0xff;
	bz[0x24b] = 0xff; /* payload_offset near 4 GiB */
	CHECK_EQ(bzimage_probe(bz, len, &bi, msg, sizeof(msg)), -EINVAL);
	bz[0x248] = 0x10;
	bz[0x24b] = 0;
	bz[0x1f1] = 0; /* setup_sects 0 means 4: the payload moves past the end */
	CHECK_EQ(bzimage_probe(bz, len, &bi, msg, sizeof(msg)), -EINVAL);
	bz[0x1f1] = 1;
	memset(bz + len - 4, 0, 4); /* announces 0 bytes */
	CHECK_EQ(bzimage_probe(bz, len, &bi, msg, sizeof(msg)), -EINVAL);
	memset(bz + len - 4, 0xff, 4); /* announces 4 GiB */
	CHECK_EQ(bzimage_probe(bz, len, &bi, msg, sizeof(msg)), -EINVAL);
	free(bz);
}

/* Random mutations of real streams: decode into exact-size buffers, ASan watching. */
static void test_mutation(void)
{
	const char *cmds[] = {"xz -c --check=crc32 --x86 --lzma2",
			      "xz -c --check=none --x86 --lzma2", "gzip -9 -n -c"};
	uint8_t *d = make_data(X86, 20000, 9), *out = malloc(20000);
	unsigned int ok = 0, total = 0;

	for (unsigned int c = 0; c < ARRAY_SIZE(cmds); c++) {
		size_t zlen;
		uint8_t *z = run_tool(cmds[c], d, 20000, &zlen), *m = malloc(zlen);

		srand(c + 1);
		for (unsigned int iter = 0; iter < 3000; iter++, total++) {
			size_t n = rand() % 8 ? zlen : (size_t)rand() % zlen;
			ssize_t r;
			uint8_t *t;

			memcpy(m, z, zlen);
			for (int k = rand() % 4 + 1; k; k--)
				m[rand() % zlen] = (uint8_t)rand();
			t = malloc(n ? n : 1);
			memcpy(t, m, n);
			r = c < 2 ? xz_decode(t, n, NULL, out, 20000, &work.lzma2, msg, sizeof(msg))
				  : inflate_gzip(t, n, NULL, out, 20000, &work.inflate, msg,
						 sizeof(msg));
			ok += r >= 0;
			CHECK(r <= 20000);
			free(t);
		}
		free(m);
		free(z);
	}
	printf("# mutation: %u of %u mutated streams decoded (no check: CRC-less xz)\n", ok, total);
	free(out);
	free(d);
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	rewind(f);
	b = malloc(*len);
	if (fread(b, 1, *len, f) != *len) {
		free(b);
		b = NULL;
	}
	fclose(f);
	return b;
}

/* Optional: HOSPES_TEST_VMLINUZ=/path/to/vmlinuz runs the whole chain on a real kernel. */
static void test_real_kernel(void)
{
	const char *path = getenv("HOSPES_TEST_VMLINUZ");
	struct bzimage_info bi;
	struct elf_image_info ei;
	size_t len;
	uint8_t *img, *out;

	if (!path || !(img = read_file(path, &len))) {
		printf("# HOSPES_TEST_VMLINUZ not set or unreadable: real-kernel check skipped\n");
		return;
	}
	CHECK_EQ(bzimage_probe(img, len, &bi, msg, sizeof(msg)), 0);
	printf("# %s: %s\n", path, msg);
	out = malloc(bi.decompressed_size);
	CHECK_EQ(bzimage_decompress(img, len, &bi, out, bi.decompressed_size, &work, msg,
				    sizeof(msg)),
		 bi.decompressed_size);
	CHECK_EQ(elf_parse(out, bi.decompressed_size, &ei, msg, sizeof(msg)), 0);
	printf("# entry 0x%lx kernel [0x%lx,0x%lx) features 0x%x/0x%x hypercall page 0x%lx\n",
	       (unsigned long)ei.entry, (unsigned long)ei.virt_kstart, (unsigned long)ei.virt_kend,
	       ei.features_supported, ei.features_required, (unsigned long)ei.hypercall_page);
	CHECK_STR(ei.guest_os, "linux");
	CHECK(ei.has_entry_note);
	CHECK_EQ(elf_check_dom0(&ei, msg, sizeof(msg)), 0);
	free(out);
	free(img);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"CRC-32 and CRC-64", test_crc},
		{"gzip round trips (gzip -1/-9, text/random/x86)", test_gzip_roundtrip},
		{"xz round trips (x86 BCJ, CRC-32/64/none, blocks, lc/lp/pb)", test_xz_roundtrip},
		{"hand-made DEFLATE streams", test_inflate_crafted},
		{"gzip header fields, trailer, truncations", test_gzip_header_and_trailer},
		{"xz refusals, truncations, bit flips", test_xz_refusals},
		{"x86 BCJ vector", test_bcj_vector},
		{"bzImage -> ELF pipeline (xz, gzip, zstd)", test_bzimage_pipeline},
		{"bzImage header refusals", test_bzimage_refusals},
		{"random mutations", test_mutation},
		{"real kernel (HOSPES_TEST_VMLINUZ)", test_real_kernel},
	};

	return unit_run("bzimage", tests, ARRAY_SIZE(tests));
}
