/* SPDX-License-Identifier: GPL-2.0-only */
/* TSC calibration against PIT channel 2, delays, and time since boot. */
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <hospes/spinlock.h>

#define PIT_HZ	     1193182
#define PIT_CH2	     0x42
#define PIT_CMD	     0x43
#define PORT_B	     0x61
#define CALIBRATE_MS 10

uint64_t tsc_khz;
uint64_t boot_tsc;

#define CALIBRATE_RUNS 5

/*
 * One measurement: gate channel 2 on, program a one-shot count of CALIBRATE_MS, and count TSC
 * ticks until its output goes high. The PIT is the one clock every PC and QEMU model has. The
 * TSC is read before the count starts and after it ended, so a delay (an emulator's thread
 * descheduled, an SMI) can only make the result too large, never too small. 0: no PIT.
 */
static uint64_t tsc_ticks_per_window(void)
{
	uint32_t count = PIT_HZ * CALIBRATE_MS / 1000;
	uint64_t start, end, spins = 0;
	uint8_t b = inb(PORT_B);

	outb(PORT_B, (uint8_t)((b & ~0x02) | 0x01)); /* gate on, speaker off */
	outb(PIT_CMD, 0xb0);			     /* channel 2, lobyte/hibyte, mode 0 */
	outb(PIT_CH2, (uint8_t)count);
	start = rdtsc();
	outb(PIT_CH2, (uint8_t)(count >> 8)); /* the count starts here */
	while (!(inb(PORT_B) & 0x20)) {
		if (++spins > 100000000ULL) {
			outb(PORT_B, b);
			return 0;
		}
	}
	end = rdtsc();
	outb(PORT_B, b);
	return end - start;
}

/* The smallest of a few measurements: each errs only upwards. */
uint64_t tsc_calibrate(void)
{
	uint64_t best = 0;

	for (unsigned int i = 0; i < CALIBRATE_RUNS; i++) {
		uint64_t t = tsc_ticks_per_window();

		if (!t)
			return 0;
		best = best && best < t ? best : t;
	}
	tsc_khz = best / CALIBRATE_MS;
	return tsc_khz;
}

void udelay(uint64_t us)
{
	uint64_t khz = tsc_khz ? tsc_khz : 1000000; /* before calibration: assume 1 GHz */
	uint64_t start = rdtsc(), ticks = us * khz / 1000;

	while (rdtsc() - start < ticks)
		cpu_relax();
}

uint64_t time_now_ns(void)
{
	uint64_t d = rdtsc() - boot_tsc;

	if (!tsc_khz)
		return 0;
	return d / tsc_khz * 1000000 + (d % tsc_khz) * 1000000 / tsc_khz;
}
