/* SPDX-License-Identifier: GPL-2.0-only */
/* TAP output for the unit-test harness. */
#include "harness.h"

int unit_failures;

int unit_run(const char *suite, const struct unit_test *tests, unsigned int n)
{
	int failed = 0;

	printf("1..%u\n", n);
	for (unsigned int i = 0; i < n; i++) {
		unit_failures = 0;
		tests[i].fn();
		printf("%s %u - %s: %s\n", unit_failures ? "not ok" : "ok", i + 1, suite,
		       tests[i].name);
		fflush(stdout);
		failed += unit_failures != 0;
	}
	return failed ? 1 : 0;
}
