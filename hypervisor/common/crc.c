/* SPDX-License-Identifier: GPL-2.0-only */
/* CRC-32 (eight bytes per step, "slicing by 8") and CRC-64/ECMA-182 (four bits per step). */
#include <hospes/crc.h>

/* The reflected polynomials 0xedb88320 and 0xc96c5795d7870f42 applied to each nibble value. */
static const uint32_t crc32_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
	0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

static const uint64_t crc64_nibble[16] = {
	0x0000000000000000ULL, 0x7d9ba13851336649ULL, 0xfb374270a266cc92ULL, 0x86ace348f355aadbULL,
	0x64b62bcaebc387a1ULL, 0x192d8af2baf0e1e8ULL, 0x9f8169ba49a54b33ULL, 0xe21ac88218962d7aULL,
	0xc96c5795d7870f42ULL, 0xb4f7f6ad86b4690bULL, 0x325b15e575e1c3d0ULL, 0x4fc0b4dd24d2a599ULL,
	0xadda7c5f3c4488e3ULL, 0xd041dd676d77eeaaULL, 0x56ed3e2f9e224471ULL, 0x2b769f17cf112238ULL,
};

/* crc32_slice[k][b]: the CRC of byte b followed by k zero bytes; built on first use. */
static uint32_t crc32_slice[8][256];
static bool crc32_ready;

static void crc32_init(void)
{
	for (unsigned int b = 0; b < 256; b++) {
		uint32_t c = b;

		c = (c >> 4) ^ crc32_nibble[c & 15];
		c = (c >> 4) ^ crc32_nibble[c & 15];
		crc32_slice[0][b] = c;
	}
	for (unsigned int b = 0; b < 256; b++)
		for (unsigned int k = 1; k < 8; k++) {
			uint32_t prev = crc32_slice[k - 1][b];

			crc32_slice[k][b] = (prev >> 8) ^ crc32_slice[0][prev & 0xff];
		}
	crc32_ready = true; /* racing initialisers write the same values */
}

uint32_t crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (!crc32_ready)
		crc32_init();
	crc = ~crc;
	for (; len >= 8; len -= 8, p += 8) {
		uint32_t lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
				     (uint32_t)p[3] << 24);

		crc = crc32_slice[7][lo & 0xff] ^ crc32_slice[6][(lo >> 8) & 0xff] ^
		      crc32_slice[5][(lo >> 16) & 0xff] ^ crc32_slice[4][lo >> 24] ^
		      crc32_slice[3][p[4]] ^ crc32_slice[2][p[5]] ^ crc32_slice[1][p[6]] ^
		      crc32_slice[0][p[7]];
	}
	while (len--)
		crc = (crc >> 8) ^ crc32_slice[0][(crc ^ *p++) & 0xff];
	return ~crc;
}

uint64_t crc64(uint64_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ crc64_nibble[crc & 15];
		crc = (crc >> 4) ^ crc64_nibble[crc & 15];
	}
	return ~crc;
}
