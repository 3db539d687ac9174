/* SPDX-License-Identifier: GPL-2.0-only */
/* The CMOS real-time clock: read once at boot for the guests' wallclock. */
#ifndef ASM_RTC_H
#define ASM_RTC_H

#include <hospes/types.h>

/* Seconds since 1970-01-01 UTC (the RTC is taken to run in UTC); 0 if it reads as garbage. */
uint64_t rtc_read_seconds(void);

#endif /* ASM_RTC_H */
