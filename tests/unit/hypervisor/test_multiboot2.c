/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests of hypervisor/common/multiboot2.c with crafted boot information. */
#include <stdlib.h>
#include <string.h>
#include <hospes/errno.h>
#include <hospes/multiboot2.h>
#include "../harness.h"

static uint8_t buf[8192] __attribute__((aligned(8)));
static size_t len;
static struct boot_info bi;

static void begin(void)
{
	memset(buf, 0xcc, sizeof(buf));
	len = 8;
}

static void put32(size_t off, uint32_t v)
{
	memcpy(buf + off, &v, 4);
}

static void put64(size_t off, uint64_t v)
{
	memcpy(buf + off, &v, 8);
}

/* Appends a tag with payload; returns its offset. size may be forced (0: natural). */
static size_t tag(uint32_t type, const void *payload, uint32_t plen, uint32_t force_size)
{
	size_t off = len;

	put32(off, type);
	put32(off + 4, force_size ? force_size : 8 + plen);
	if (plen)
		memcpy(buf + off + 8, payload, plen);
	len = (off + 8 + plen + 7) & ~(size_t)7;
	return off;
}

static void finish(void)
{
	tag(MB2_TAG_END, NULL, 0, 0);
	put32(0, (uint32_t)len);
	put32(4, 0);
}

static void add_mmap(const uint64_t (*e)[3], unsigned int n)
{
	uint8_t p[8 + 24 * 16];

	memset(p, 0, sizeof(p));
	memcpy(p, &(uint32_t){24}, 4);
	for (unsigned int i = 0; i < n; i++) {
		memcpy(p + 8 + 24 * i, &e[i][0], 8);
		memcpy(p + 16 + 24 * i, &e[i][1], 8);
		memcpy(p + 24 + 24 * i, &(uint32_t){(uint32_t)e[i][2]}, 4);
	}
	tag(MB2_TAG_MMAP, p, 8 + 24 * n, 0);
}

static const uint64_t typical_map[][3] = {
	{0, 0x9f000, 1},
	{0x100000, 0x1ff00000, 1},
	{0xfffc0000, 0x40000, 2},
};

static void test_typical(void)
{
	uint8_t mod[8 + 16];

	begin();
	tag(MB2_TAG_CMDLINE, "loglvl=all", 11, 0);
	tag(MB2_TAG_LOADER_NAME, "GRUB 2.06", 10, 0);
	memset(mod, 0, sizeof(mod));
	memcpy(mod, &(uint32_t){0x1000000}, 4);
	memcpy(mod + 4, &(uint32_t){0x1200000}, 4);
	memcpy(mod + 8, "vmlinuz quiet", 14);
	tag(MB2_TAG_MODULE, mod, 22, 0);
	add_mmap(typical_map, 3);
	finish();
	CHECK_EQ(mb2_parse(buf, sizeof(buf), 0x10000, &bi), 0);
	CHECK_EQ(bi.nr_warnings, 0);
	CHECK_STR(bi.cmdline, "loglvl=all");
	CHECK_STR(bi.loader, "GRUB 2.06");
	CHECK_EQ(bi.nr_modules, 1);
	CHECK_EQ(bi.modules[0].start, 0x1000000);
	CHECK_EQ(bi.modules[0].end, 0x1200000);
	CHECK_STR(bi.modules[0].cmdline, "vmlinuz quiet");
	CHECK_EQ(bi.mmap.nr, 3);
	CHECK_EQ(bi.mmap.r[1].type, MEM_RAM);
	CHECK_EQ(bi.mmap.r[2].type, MEM_RESERVED);
	CHECK_EQ(bi.info_start, 0x10000);
	CHECK_EQ(bi.info_end, 0x10000 + len);
	CHECK(!bi.efi);
}

static void test_bad_total_size(void)
{
	begin();
	finish();
	put32(0, 4);
	CHECK_EQ(mb2_parse(buf, sizeof(buf), 0, &bi), -EINVAL);
	put32(0, 0xfffffff8);
	CHECK_EQ(mb2_parse(buf, sizeof(buf), 0, &bi), -EINVAL);
	CHECK(strstr(bi.warnings[0], "size") != NULL);
	put32(0, 24);
	CHECK_EQ(mb2_parse(buf, 16, 0, &bi), -EINVAL); /* larger than what is readable */
	CHECK_EQ(mb2_parse(buf, 4, 0, &bi), -EINVAL);
}

/* A tag whose size runs past the end stops parsing; nothing past it is read. */
static void test_tag_overrun(void)
{
	begin();
	add_mmap(typical_map, 3);
	tag(MB2_TAG_CMDLINE, "abc", 4, 0x7fffffff);
	finish();
	CHECK_EQ(mb2_parse(buf, sizeof(buf), 0, &bi), 0); /* the memory map came before */
	CHECK_EQ(bi.cmdline[0], '\0');
	CHECK(strstr(bi.warnings[0], "bad size") != NULL);
	begin();
	tag(MB2_TAG_CMDLINE, "abc", 4, 3); /* smaller than a tag header */
	finish();
	CHECK_EQ(mb2_parse(buf, sizeof(buf), 0, &bi), -EINVAL);
}

static void test_unterminated_strings(void)
{
	uint8_t mod[8 + 8];

	begin();
	tag(MB2_TAG_CMDLINE, "abcdefgh", 8, 0); /* no NUL inside the tag */
	memset(mod, 'x', sizeof(mod));
	memcpy(mod, &(uint32_t){0x200000}, 4);
	memcpy(mod + 4, &(uint32_t){0x100000}, 4); /* ends before it starts */
	tag(MB2_TAG_MODULE, mod, 16, 0);
	memcpy(mod + 4, &(uint32_t){0x300000}, 4); /* now unterminated command line */
	tag(MB2_TAG_MODULE, mod, 16, 0);
	add_mmap(typical_map, 3);
	finish();
	CHECK_EQ(mb2_parse(buf, sizeof(buf), 0, &bi), 0);
	CHECK_EQ(bi.cmdline[0], '\0');
	CHECK_EQ(bi.nr_modules, 0);
	CHECK_EQ(bi.nr_warnings, 3);
}

static void test_bad_mmap(void)
{
	uint8_t p[8 + 24];

	begin();
	memset(p, 0, sizeof(p));
	memcpy(p, &(uint32_t){12}, 4); /* entry size below 24 */
	tag(MB2_TAG_MMAP, p, sizeof(p), 0);
	finish();
	CHECK_EQ(mb2_parse(buf, sizeof(buf), 0, &bi), -EINVAL); /* no usable memory map */
	CHECK(strstr(bi.warnings[0], "memory map tag malformed") != NULL);
	CHECK(strstr(bi.warnings[1], "no memory map") != NULL);
}

static void test_no_end_tag(void)
{
	begin();
	add_mmap(typical_map, 3);
	put32(0, (uint32_t)len);
	CHECK_EQ(mb2_parse(buf, sizeof(buf), 0, &bi), 0);
	CHECK(strstr(bi.warnings[bi.nr_warnings - 1], "no end tag") != NULL);
}

static void test_efi_mmap_and_rsdp(void)
{
	uint8_t p[8 + 2 * 48], rsdp[36];

	begin();
	memset(p, 0, sizeof(p));
	memcpy(p, &(uint32_t){48}, 4);
	memcpy(p + 8, &(uint32_t){7}, 4); /* conventional memory */
	memcpy(p + 16, &(uint64_t){0x100000}, 8);
	memcpy(p + 32, &(uint64_t){256}, 8);
	memcpy(p + 56, &(uint32_t){10}, 4); /* ACPI NVS */
	memcpy(p + 64, &(uint64_t){0x800000}, 8);
	memcpy(p + 80, &(uint64_t){8}, 8);
	tag(MB2_TAG_EFI_MMAP, p, sizeof(p), 0);
	tag(MB2_TAG_EFI64, "\0\0\0\0\0\0\0\0", 8, 0);
	memset(rsdp, 0x11, sizeof(rsdp));
	tag(MB2_TAG_ACPI_NEW, rsdp, 36, 0);
	finish();
	CHECK_EQ(mb2_parse(buf, sizeof(buf), 0, &bi), 0);
	CHECK(bi.efi);
	CHECK_EQ(bi.mmap.nr, 2);
	CHECK_EQ(bi.mmap.r[0].end, 0x200000);
	CHECK_EQ(bi.mmap.r[1].type, MEM_NVS);
	CHECK_EQ(bi.rsdp_len, 36);
}

/* Random garbage must never make the parser read out of bounds (ASan watches). */
static void test_fuzz(void)
{
	srand(1234);
	for (int round = 0; round < 20000; round++) {
		size_t n = 16 + (size_t)(rand() % 512);
		uint8_t *b = malloc(n);

		for (size_t i = 0; i < n; i++)
			b[i] = (uint8_t)rand();
		if (round & 1) {
			memcpy(b, &(uint32_t){(uint32_t)(n & ~7u)}, 4);
			for (size_t off = 8; off + 8 <= n; off += 8 * (1 + rand() % 4))
				memcpy(b + off + 4, &(uint32_t){(uint32_t)(rand() % 64)}, 4);
		}
		mb2_parse(b, n, 0, &bi);
		free(b);
		CHECK(bi.nr_modules <= BOOT_MAX_MODULES);
		CHECK(bi.mmap.nr <= MEMMAP_MAX);
		CHECK(bi.nr_warnings <= BOOT_MAX_WARNINGS);
		CHECK(strnlen(bi.cmdline, sizeof(bi.cmdline)) < sizeof(bi.cmdline));
		CHECK(bi.rsdp_len <= sizeof(bi.rsdp));
		if (unit_failures)
			break;
	}
}

static const struct unit_test tests[] = {
	{"typical GRUB information", test_typical},
	{"bad total size", test_bad_total_size},
	{"tag overrunning the information", test_tag_overrun},
	{"unterminated strings and inverted module", test_unterminated_strings},
	{"malformed memory map", test_bad_mmap},
	{"missing end tag", test_no_end_tag},
	{"EFI memory map and ACPI RSDP tags", test_efi_mmap_and_rsdp},
	{"random garbage stays in bounds", test_fuzz},
};

int main(void)
{
	(void)put64;
	return unit_run("multiboot2", tests, sizeof(tests) / sizeof(tests[0]));
}
