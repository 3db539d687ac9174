/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests of hypervisor/common/grant_entry.c: the v1 entry flag protocol and pin counts. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "../harness.h"
#include <hospes/grant_table.h>

static struct grant_entry_v1 entry(uint16_t flags, domid_t domid, uint32_t frame)
{
	return (struct grant_entry_v1){.flags = flags, .domid = domid, .frame = frame};
}

static void test_acquire_checks(void)
{
	struct grant_entry_v1 e = entry(GTF_permit_access, 5, 0x1234);

	CHECK_EQ(gnttab_entry_acquire(&e, 6, true, true), (unsigned long long)GNTST_general_error);
	CHECK_EQ(e.flags, GTF_permit_access); /* wrong grantee: nothing changes */
	CHECK_EQ(gnttab_entry_acquire(&e, 5, true, true), GNTST_okay);
	CHECK_EQ(e.flags, GTF_permit_access | GTF_reading);
	CHECK_EQ(gnttab_entry_acquire(&e, 5, false, true), GNTST_okay);
	CHECK_EQ(e.flags, GTF_permit_access | GTF_reading | GTF_writing);

	e = entry(GTF_invalid, 5, 1);
	CHECK_EQ(gnttab_entry_acquire(&e, 5, true, false), (unsigned long long)GNTST_general_error);
	e = entry(GTF_accept_transfer, 5, 1);
	CHECK_EQ(gnttab_entry_acquire(&e, 5, true, false), (unsigned long long)GNTST_general_error);
	e = entry(GTF_transitive, 5, 1);
	CHECK_EQ(gnttab_entry_acquire(&e, 5, true, false), (unsigned long long)GNTST_general_error);
}

static void test_acquire_readonly(void)
{
	struct grant_entry_v1 e = entry(GTF_permit_access | GTF_readonly, 3, 7);

	CHECK_EQ(gnttab_entry_acquire(&e, 3, false, true), (unsigned long long)GNTST_general_error);
	CHECK_EQ(e.flags, GTF_permit_access | GTF_readonly);
	CHECK_EQ(gnttab_entry_acquire(&e, 3, true, true), GNTST_okay);
	CHECK_EQ(e.flags, GTF_permit_access | GTF_readonly | GTF_reading);
}

static void test_sub_page(void)
{
	struct grant_entry_v1 e = entry(GTF_permit_access | GTF_sub_page, 1, 9);

	/* A mapping refuses a sub-page grant; a copy does not look at the bit. */
	CHECK_EQ(gnttab_entry_acquire(&e, 1, true, true), (unsigned long long)GNTST_general_error);
	CHECK_EQ(gnttab_entry_acquire(&e, 1, true, false), GNTST_okay);
}

static void test_pins(void)
{
	struct grant_entry_v1 e = entry(GTF_permit_access, 2, 0xabc);
	struct gnttab_active act = {0};

	CHECK_EQ(gnttab_pin(&act, &e, 2, GNTPIN_HSTR_INC, true), GNTST_okay);
	CHECK_EQ(act.frame, 0xabc);
	CHECK_EQ(act.domid, 2);
	CHECK_EQ(e.flags, GTF_permit_access | GTF_reading);
	/* The granter changes the frame while pinned: the pinned frame stays. */
	e.frame = 0xdef;
	CHECK_EQ(gnttab_pin(&act, &e, 2, GNTPIN_HSTW_INC, true), GNTST_okay);
	CHECK_EQ(act.frame, 0xabc);
	CHECK_EQ(e.flags, GTF_permit_access | GTF_reading | GTF_writing);
	/* Another domain may not pin an entry in use. */
	CHECK_EQ(gnttab_pin(&act, &e, 3, GNTPIN_HSTR_INC, true),
		 (unsigned long long)GNTST_general_error);
	gnttab_unpin(&act, &e, GNTPIN_HSTW_INC);
	CHECK_EQ(e.flags, GTF_permit_access | GTF_reading); /* last writer gone */
	gnttab_unpin(&act, &e, GNTPIN_HSTR_INC);
	CHECK_EQ(e.flags, GTF_permit_access);
	CHECK_EQ(act.pin, 0);
}

static void test_pin_overflow(void)
{
	struct grant_entry_v1 e = entry(GTF_permit_access, 1, 1);
	struct gnttab_active act = {0};
	unsigned int ok = 0;

	for (int i = 0; i < 200; i++)
		ok += gnttab_pin(&act, &e, 1, GNTPIN_HSTR_INC, true) == GNTST_okay;
	CHECK_EQ(ok, 128); /* at 0x80 pins the next one would risk the 8-bit count */
	CHECK_EQ(act.pin, 0x80);
}

static void test_revoke_race(void)
{
	struct grant_entry_v1 e = entry(GTF_permit_access, 4, 1);
	struct gnttab_active act = {0};

	/* Revoked (flags 0) before the pin: refused, and the entry stays revoked. */
	e.flags = 0;
	CHECK_EQ(gnttab_pin(&act, &e, 4, GNTPIN_HSTR_INC, true),
		 (unsigned long long)GNTST_general_error);
	CHECK_EQ(e.flags, 0);
	CHECK_EQ(act.pin, 0);
}

static void test_copy_bounds(void)
{
	CHECK_EQ(gnttab_copy_bounds(0, 0, 4096), GNTST_okay);
	CHECK_EQ(gnttab_copy_bounds(100, 8, 64), GNTST_okay);
	CHECK_EQ(gnttab_copy_bounds(4000, 0, 200), (unsigned long long)GNTST_bad_copy_arg);
	CHECK_EQ(gnttab_copy_bounds(0, 4095, 2), (unsigned long long)GNTST_bad_copy_arg);
	CHECK_EQ(gnttab_copy_bounds(0xffff, 0, 0xffff), (unsigned long long)GNTST_bad_copy_arg);
	CHECK_EQ(gnttab_copy_bounds(4096, 4096, 0), GNTST_okay);
}

static const struct unit_test tests[] = {
	{"acquire: type and grantee checks", test_acquire_checks},
	{"acquire: read-only grants", test_acquire_readonly},
	{"acquire: sub-page bit", test_sub_page},
	{"pins: flags follow readers and writers", test_pins},
	{"pins: counter overflow refused", test_pin_overflow},
	{"pins: revoked entry", test_revoke_race},
	{"copy bounds", test_copy_bounds},
};

int main(void)
{
	return unit_run("grant", tests, sizeof(tests) / sizeof(tests[0]));
}
