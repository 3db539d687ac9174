/* SPDX-License-Identifier: GPL-2.0-only */
/* Minimal TAP output for the hxstored test programs. */
#ifndef HXSTORED_TAP_H
#define HXSTORED_TAP_H

#include <stdarg.h>
#include <stdio.h>

extern int tap_failures;

static inline int tap_ok(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline int tap_ok(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s - ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!ok)
		tap_failures++;
	return ok;
}

#endif /* HXSTORED_TAP_H */
