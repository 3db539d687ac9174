/* SPDX-License-Identifier: MIT */
/* pvkit: the test framework — test_main(), checks, and the one result line at the end. */
#ifndef PVKIT_TEST_H
#define PVKIT_TEST_H

#include "lib.h"

/*
 * A guest defines these two; the kit calls test_main() once the start-of-day work is done and
 * then pv_test_exit(). pv_test_title is printed in the banner.
 */
extern const char pv_test_title[];
void test_main(void);

/* Results, in order of severity: the final result is the worst one reported. */
enum pv_test_result {
	PV_TEST_RUNNING,
	PV_TEST_SUCCESS,
	PV_TEST_SKIP,
	PV_TEST_ERROR,
	PV_TEST_FAILURE,
};

void pv_test_success(void);
void pv_test_skip(const char *fmt, ...) PV_PRINTF(1, 2);
void pv_test_error(const char *fmt, ...) PV_PRINTF(1, 2);
void pv_test_failure(const char *fmt, ...) PV_PRINTF(1, 2);
enum pv_test_result pv_test_result(void);
const char *pv_test_result_name(enum pv_test_result r);
/* Number of PV_CHECK* evaluated so far (passed or not). */
unsigned int pv_test_checks(void);

/*
 * Prints "Test result: SUCCESS|SKIP|ERROR|FAILURE" as the last line and shuts the domain down:
 * SCHEDOP_shutdown with SHUTDOWN_poweroff for SUCCESS and SKIP, SHUTDOWN_crash for ERROR and
 * FAILURE. A test that reported nothing and checked nothing ends in ERROR; one that only
 * passed checks ends in SUCCESS.
 */
void pv_test_exit(void) PV_NORETURN;

void pv_check_failed(const char *file, int line, const char *cond, const char *fmt, ...)
	PV_PRINTF(4, 5);
void pv_check_passed(void);

/* PV_CHECK(cond) or PV_CHECK(cond, "fmt", args...): a failed check makes the test FAILURE. */
#define PV_CHECK(cond, ...) \
	((cond) ? pv_check_passed() : pv_check_failed(__FILE__, __LINE__, #cond, "" __VA_ARGS__))

/* Compares two integers (as 64-bit) and prints both on failure. */
#define PV_CHECK_EQ(a, b)                                                        \
	do {                                                                     \
		long long pv_a_ = (long long)(a), pv_b_ = (long long)(b);        \
		if (pv_a_ == pv_b_)                                              \
			pv_check_passed();                                       \
		else                                                             \
			pv_check_failed(__FILE__, __LINE__, #a " == " #b,        \
					"%lld (0x%llx) != %lld (0x%llx)", pv_a_, \
					(unsigned long long)pv_a_, pv_b_,        \
					(unsigned long long)pv_b_);              \
	} while (0)

#endif /* PVKIT_TEST_H */
