/* SPDX-License-Identifier: MIT */
/* placeholder */
#include <pvkit/pvkit.h>
const char pv_test_title[] = "grants";
void test_main(void)
{
	pv_test_skip("todo");
}
