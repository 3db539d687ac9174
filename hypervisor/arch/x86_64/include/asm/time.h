/* SPDX-License-Identifier: GPL-2.0-only */
/* Time keeping: TSC frequency calibrated against the PIT at boot. */
#ifndef ASM_TIME_H
#define ASM_TIME_H

#include <hospes/types.h>

extern uint64_t tsc_khz;  /* TSC ticks per millisecond */
extern uint64_t boot_tsc; /* TSC when the hypervisor started */

/* Measures the TSC against PIT channel 2 over about 20 ms; returns kHz (0 on failure). */
uint64_t tsc_calibrate(void);

/* Busy-waits for us microseconds (needs tsc_khz). */
void udelay(uint64_t us);

/* Nanoseconds since boot_tsc. */
uint64_t time_now_ns(void);

#endif /* ASM_TIME_H */
