/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests of hypervisor/common/cmdline.c and parse.c. */
#include <stdlib.h>
#include <string.h>
#include <hospes/cmdline.h>
#include <hospes/lib.h>
#include "../harness.h"

static struct hv_options o;

static void test_defaults(void)
{
	cmdline_parse(NULL, 3, &o);
	CHECK(o.console_com1);
	CHECK_EQ(o.loglvl, 3);
	CHECK_EQ(o.com1.baud, 0);
	CHECK_EQ(o.nr_warnings, 0);
	CHECK(!o.noreboot);
}

static void test_typical(void)
{
	cmdline_parse("console=com1 com1=115200,8n1 loglvl=all dom0_mem=512M noreboot", 3, &o);
	CHECK_EQ(o.nr_warnings, 0);
	CHECK_EQ(o.com1.baud, 115200);
	CHECK_EQ(o.com1.data_bits, 8);
	CHECK_EQ(o.com1.parity, PARITY_NONE);
	CHECK_EQ(o.com1.stop_bits, 1);
	CHECK_EQ(o.loglvl, 4);
	CHECK_EQ(o.dom0_mem, 512ULL << 20);
	CHECK(o.noreboot);
	CHECK_STR(o.text, "console=com1 com1=115200,8n1 loglvl=all dom0_mem=512M noreboot");
}

static void test_values(void)
{
	cmdline_parse("com1=9600,7e2 loglvl=1 dom0_mem=min:128M,max:2G,1G maxcpus=3", 3, &o);
	CHECK_EQ(o.nr_warnings, 0);
	CHECK_EQ(o.com1.baud, 9600);
	CHECK_EQ(o.com1.data_bits, 7);
	CHECK_EQ(o.com1.parity, PARITY_EVEN);
	CHECK_EQ(o.com1.stop_bits, 2);
	CHECK_EQ(o.loglvl, 1);
	CHECK_EQ(o.dom0_mem, 1ULL << 30);
	CHECK_EQ(o.dom0_mem_min, 128ULL << 20);
	CHECK_EQ(o.dom0_mem_max, 2ULL << 30);
	CHECK_EQ(o.maxcpus, 3);
	cmdline_parse("loglvl=warning/all console=none noreboot=0", 3, &o);
	CHECK_EQ(o.nr_warnings, 0);
	CHECK_EQ(o.loglvl, 1);
	CHECK(!o.console_com1);
	CHECK(!o.noreboot);
	cmdline_parse("dom0_max_vcpus=4", 3, &o);
	CHECK_EQ(o.nr_warnings, 0);
	CHECK_EQ(o.dom0_vcpus, 4);
	cmdline_parse("dom0_max_vcpus=0 dom0_max_vcpus=33 dom0_max_vcpus=2x", 3, &o);
	CHECK_EQ(o.nr_warnings, 3);
	CHECK_EQ(o.dom0_vcpus, 0);
	cmdline_parse("initdom=unprivileged", 3, &o);
	CHECK_EQ(o.nr_warnings, 0);
	CHECK(o.initdom_unprivileged);
	cmdline_parse("initdom=unprivileged initdom=privileged", 3, &o);
	CHECK(!o.initdom_unprivileged);
	cmdline_parse("initdom initdom=guest", 3, &o);
	CHECK_EQ(o.nr_warnings, 2);
	CHECK(!o.initdom_unprivileged);
}

/* Every bad value is reported and leaves the default in force. */
static void test_bad_values(void)
{
	cmdline_parse("com1=abc com1=115200,9x1 loglvl=9 dom0_mem=-5 dom0_mem=12Q maxcpus=0 "
		      "console=lpt9 noreboot=maybe",
		      2, &o);
	CHECK_EQ(o.nr_warnings, 8);
	CHECK_EQ(o.com1.baud, 0);
	CHECK_EQ(o.loglvl, 2);
	CHECK_EQ(o.dom0_mem, 0);
	CHECK_EQ(o.maxcpus, 0);
	CHECK(o.console_com1);
	CHECK(!o.noreboot);
	CHECK(strstr(o.warnings[0], "com1=abc") != NULL);
	CHECK(strstr(o.warnings[2], "loglvl=9") != NULL);
	CHECK(strstr(o.warnings[6], "unknown console device 'lpt9'") != NULL);
}

static void test_unknown_and_garbage(void)
{
	char line[64];

	cmdline_parse("   frobnicate  =x  ==  loglvl=debug\t\t", 3, &o);
	CHECK_EQ(o.loglvl, 3);
	CHECK_EQ(o.nr_warnings, 3);
	CHECK(strstr(o.warnings[0], "unknown option 'frobnicate'") != NULL);
	snprintf(line, sizeof(line), "\x01\x7f\xff loglvl=0");
	cmdline_parse(line, 3, &o);
	CHECK_EQ(o.loglvl, 0);
	CHECK_EQ(o.nr_warnings, 1);
	CHECK(strstr(o.warnings[0], "byte 0x01") != NULL);
}

/* An absurdly long command line is cut, reported, and what fits is still applied. */
static void test_too_long(void)
{
	size_t n = 100000;
	char *s = malloc(n + 1);

	memset(s, 'a', n);
	memcpy(s, "loglvl=1 ", 9);
	s[n] = '\0';
	cmdline_parse(s, 3, &o);
	CHECK_EQ(o.loglvl, 1);
	CHECK_EQ(strlen(o.text), CMDLINE_MAX - 1);
	CHECK(strstr(o.warnings[0], "cut at 1023") != NULL);
	CHECK_EQ(o.nr_warnings, 2); /* the cut, and the unknown aaaa... option */
	free(s);
	/* Many bad options: warnings are bounded, the rest counted. */
	cmdline_parse("a b c d e f g h i j k l", 3, &o);
	CHECK_EQ(o.nr_warnings, CMDLINE_MAX_WARNINGS);
	CHECK_EQ(o.warnings_dropped, 12 - CMDLINE_MAX_WARNINGS);
}

static void test_parse_numbers(void)
{
	uint64_t v;
	const char *end;

	CHECK_EQ(parse_ulong("0x1F", &end, &v), 0);
	CHECK_EQ(v, 31);
	CHECK_EQ(parse_ulong("18446744073709551615", &end, &v), 0);
	CHECK_EQ(v, UINT64_MAX);
	CHECK(parse_ulong("18446744073709551616", &end, &v) < 0);
	CHECK(parse_ulong("x", &end, &v) < 0);
	CHECK_EQ(parse_size("4G", &end, &v), 0);
	CHECK_EQ(v, 4ULL << 30);
	CHECK(parse_size("99999999999T", &end, &v) < 0);
	CHECK_EQ(parse_size("12", &end, &v), 0);
	CHECK_EQ(v, 12);
	CHECK_EQ(*end, '\0');
}

static const struct unit_test tests[] = {
	{"defaults", test_defaults},
	{"typical line", test_typical},
	{"option values", test_values},
	{"bad values keep defaults", test_bad_values},
	{"unknown options and garbage bytes", test_unknown_and_garbage},
	{"absurdly long line", test_too_long},
	{"number parsing", test_parse_numbers},
};

int main(void)
{
	return unit_run("cmdline", tests, sizeof(tests) / sizeof(tests[0]));
}
