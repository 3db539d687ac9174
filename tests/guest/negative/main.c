/* SPDX-License-Identifier: MIT */
/* Guest test of the harness itself: a check that must fail, so the run must end in FAILURE. */
#include <pvkit/pvkit.h>

const char pv_test_title[] = "negative: a deliberately failing check (expects FAILURE)";

void test_main(void)
{
	int two = 2;

	PV_CHECK(1 + 1 == two, "arithmetic works");
	pv_printf("next check fails on purpose\n");
	PV_CHECK_EQ(1 + 1, 3);
}
