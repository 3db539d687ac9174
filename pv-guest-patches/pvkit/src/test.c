/* SPDX-License-Identifier: MIT */
/* pvkit: test result bookkeeping, checks, and the final result line with a matching shutdown. */
#include <pvkit/console.h>
#include <pvkit/hypercall.h>
#include <pvkit/test.h>
#include <public/sched.h>

static enum pv_test_result result = PV_TEST_RUNNING;
static unsigned int checks;
static unsigned int failed_checks;

static const char *const result_names[] = {
	[PV_TEST_RUNNING] = "RUNNING", [PV_TEST_SUCCESS] = "SUCCESS", [PV_TEST_SKIP] = "SKIP",
	[PV_TEST_ERROR] = "ERROR",     [PV_TEST_FAILURE] = "FAILURE",
};

const char *pv_test_result_name(enum pv_test_result r)
{
	return r < ARRAY_SIZE(result_names) ? result_names[r] : "?";
}

static void report(enum pv_test_result r, const char *fmt, va_list ap) PV_PRINTF(2, 0);

static void report(enum pv_test_result r, const char *fmt, va_list ap)
{
	if (r > result)
		result = r;
	if (fmt && *fmt) {
		pv_printf("%s: ", pv_test_result_name(r));
		pv_vprintf(fmt, ap);
		pv_puts("\n");
	}
}

void pv_test_success(void)
{
	if (result < PV_TEST_SUCCESS)
		result = PV_TEST_SUCCESS;
}

#define DEFINE_REPORTER(fn, r)        \
	void fn(const char *fmt, ...) \
	{                             \
		va_list ap;           \
		va_start(ap, fmt);    \
		report(r, fmt, ap);   \
		va_end(ap);           \
	}

DEFINE_REPORTER(pv_test_skip, PV_TEST_SKIP)
DEFINE_REPORTER(pv_test_error, PV_TEST_ERROR)
DEFINE_REPORTER(pv_test_failure, PV_TEST_FAILURE)

enum pv_test_result pv_test_result(void)
{
	return result;
}

unsigned int pv_test_checks(void)
{
	return checks;
}

void pv_check_passed(void)
{
	checks++;
}

void pv_check_failed(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;

	checks++;
	failed_checks++;
	pv_printf("FAILURE: %s:%d: check failed: %s", file, line, cond);
	if (*fmt) {
		pv_puts(": ");
		va_start(ap, fmt);
		pv_vprintf(fmt, ap);
		va_end(ap);
	}
	pv_puts("\n");
	if (result < PV_TEST_FAILURE)
		result = PV_TEST_FAILURE;
}

void pv_test_exit(void)
{
	struct sched_shutdown sd;

	if (result == PV_TEST_RUNNING && !checks)
		pv_test_error("the test reported no result and made no check");
	if (result == PV_TEST_RUNNING)
		result = PV_TEST_SUCCESS;
	if (checks)
		pv_printf("%u checks, %u failed\n", checks, failed_checks);
	pv_printf("Test result: %s\n", pv_test_result_name(result));
	sd.reason = result <= PV_TEST_SKIP ? SHUTDOWN_poweroff : SHUTDOWN_crash;
	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_shutdown, &sd);
}
