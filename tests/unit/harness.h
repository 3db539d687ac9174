/* SPDX-License-Identifier: GPL-2.0-only */
/* Minimal TAP unit-test harness for host tests of hypervisor and tool sources. */
#ifndef TESTS_UNIT_HARNESS_H
#define TESTS_UNIT_HARNESS_H

#include <stdio.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
};

extern int unit_failures; /* checks failed in the current test */

#define CHECK(cond)                                                                         \
	do {                                                                                \
		if (!(cond)) {                                                              \
			printf("#   %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			unit_failures++;                                                    \
		}                                                                           \
	} while (0)

#define CHECK_EQ(a, b)                                                                         \
	do {                                                                                   \
		unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b); \
		if (a_ != b_) {                                                                \
			printf("#   %s:%d: %s == %s failed: 0x%llx != 0x%llx\n", __FILE__,     \
			       __LINE__, #a, #b, a_, b_);                                      \
			unit_failures++;                                                       \
		}                                                                              \
	} while (0)

#define CHECK_STR(a, b)                                                                      \
	do {                                                                                 \
		const char *a_ = (a), *b_ = (b);                                             \
		if (strcmp(a_, b_)) {                                                        \
			printf("#   %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, a_, b_); \
			unit_failures++;                                                     \
		}                                                                            \
	} while (0)

/* Runs every test in the table, prints one TAP line each; returns the process exit status. */
int unit_run(const char *suite, const struct unit_test *tests, unsigned int n);

#endif /* TESTS_UNIT_HARNESS_H */
