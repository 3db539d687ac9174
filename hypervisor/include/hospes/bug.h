/* SPDX-License-Identifier: GPL-2.0-only */
/* panic() and ASSERT(): the hypervisor's own invariants, never a guest's doing. */
#ifndef HOSPES_BUG_H
#define HOSPES_BUG_H

#include <hospes/types.h>
#include <generated/config.h>

#ifdef CONFIG_DEBUG
#define HV_DEBUG 1
#else
#define HV_DEBUG 0
#endif

/*
 * Stops every CPU after printing why. Reboots after a few seconds unless the command line says
 * noreboot. Only for broken hypervisor invariants or unusable hardware: guest mistakes are
 * answered with an error code or by crashing that guest.
 */
__noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define ASSERT(cond)                                                                        \
	do {                                                                                \
		if (HV_DEBUG && unlikely(!(cond)))                                          \
			panic("assertion '%s' failed at %s:%d", #cond, __FILE__, __LINE__); \
	} while (0)

#define BUG_ON(cond)                                                           \
	do {                                                                   \
		if (unlikely(cond))                                            \
			panic("BUG '%s' at %s:%d", #cond, __FILE__, __LINE__); \
	} while (0)

#endif /* HOSPES_BUG_H */
