/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests of hypervisor/common/vsprintf.c against the C library's formatting. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include "../harness.h"

/* The hypervisor's own, built for these tests under these names (see tests/unit/module.mk). */
int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int hv_snprintf(char *buf, size_t size, const char *fmt, ...);

static void same(const char *fmt, ...)
{
	char a[128], b[128];
	va_list ap, aq;
	int na, nb;

	va_start(ap, fmt);
	va_copy(aq, ap);
	na = hv_vsnprintf(a, sizeof(a), fmt, ap);
	nb = vsnprintf(b, sizeof(b), fmt, aq);
	va_end(aq);
	va_end(ap);
	if (na != nb || strcmp(a, b)) {
		printf("#   format \"%s\": hospes \"%s\" (%d), libc \"%s\" (%d)\n", fmt, a, na, b,
		       nb);
		unit_failures++;
	}
}

static void test_against_libc(void)
{
	same("%d %i %u", -42, 7, 3000000000u);
	same("%5d|%-5d|%05d|%+d|% d", 42, 42, 42, 42, 42);
	same("%x %X %#x %08llx %lx", 0xbeefu, 0xbeefu, 0x1fu, 0x12345ULL, 0xdeadbeefUL);
	same("%s|%10s|%-10s|%.3s", "abc", "abc", "abc", "abcdef");
	same("%c%c%%", 'h', 'i');
	same("%lld %llu", (long long)INT64_MIN, (unsigned long long)UINT64_MAX);
	same("%zu %o %.5d", (size_t)12345, 8u, 42);
	same("%*d|%-*d|%.*s", 6, 1, 6, 2, 2, "xyz");
}

static void test_truncation(void)
{
	char buf[8];

	CHECK_EQ(hv_snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
	CHECK_STR(buf, "0123456");
	CHECK_EQ(hv_snprintf(buf, 0, "abc"), 3);
	CHECK_EQ(hv_snprintf(buf, 1, "abc"), 3);
	CHECK_STR(buf, "");
	CHECK_EQ(hv_snprintf(buf, sizeof(buf), "%s", (char *)NULL), 6);
	CHECK_STR(buf, "(null)");
	CHECK_EQ(hv_snprintf(buf, sizeof(buf), "abc%"), 3); /* trailing % is dropped */
	CHECK_STR(buf, "abc");
}

static const struct unit_test tests[] = {
	{"formats agree with the C library", test_against_libc},
	{"truncation and odd input", test_truncation},
};

int main(void)
{
	return unit_run("vsprintf", tests, sizeof(tests) / sizeof(tests[0]));
}
