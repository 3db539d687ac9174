/* SPDX-License-Identifier: GPL-2.0-only */
/* Local APIC in xAPIC (MMIO) mode: enable, EOI, IPIs, and the timer. */
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <asm/traps.h>
#include <hospes/bug.h>
#include <hospes/spinlock.h>

#define APIC_ID	       0x020
#define APIC_EOI       0x0b0
#define APIC_SPIV      0x0f0
#define APIC_ICR_LO    0x300
#define APIC_ICR_HI    0x310
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERR   0x370
#define APIC_TMICT     0x380
#define APIC_TMCCT     0x390
#define APIC_TDCR      0x3e0

#define ICR_BUSY       (1u << 12)
#define ICR_LEVEL      (1u << 14)
#define ICR_INIT       0x500
#define ICR_STARTUP    0x600
#define ICR_NMI	       0x400
#define ICR_ALL_BUT    (3u << 18)
#define LVT_MASKED     (1u << 16)
#define APIC_BASE_EN   (1ull << 11)

static volatile uint8_t *apic_mmio;

static uint32_t apic_read(uint32_t reg)
{
	return mmio_read32(apic_mmio + reg);
}

static void apic_write(uint32_t reg, uint32_t v)
{
	mmio_write32(apic_mmio + reg, v);
}

void apic_init_cpu(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	if (!(base & APIC_BASE_EN))
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_EN);
	if (!apic_mmio)
		apic_mmio = __va(base & 0xfffff000ULL);
	apic_write(APIC_SPIV, 0x100 | VEC_SPURIOUS);
	apic_write(APIC_LVT_LINT0, LVT_MASKED);
	apic_write(APIC_LVT_LINT1, LVT_MASKED);
	apic_write(APIC_LVT_ERR, LVT_MASKED);
	apic_write(APIC_LVT_TIMER, LVT_MASKED | VEC_APIC_TIMER);
	apic_write(APIC_TDCR, 0x3); /* divide by 16 */
	apic_write(APIC_EOI, 0);
}

uint32_t apic_read_id(void)
{
	return apic_read(APIC_ID) >> 24;
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

bool apic_wait_icr_idle(void)
{
	for (unsigned int i = 0; i < 100000; i++) {
		if (!(apic_read(APIC_ICR_LO) & ICR_BUSY))
			return true;
		udelay(1);
	}
	return false;
}

static void apic_icr(uint32_t dest, uint32_t lo)
{
	apic_wait_icr_idle();
	apic_write(APIC_ICR_HI, dest << 24);
	apic_write(APIC_ICR_LO, lo);
}

void apic_send_ipi(uint32_t apic_id, uint8_t vector)
{
	apic_icr(apic_id, vector);
}

void apic_send_ipi_all_but_self(uint8_t vector)
{
	apic_icr(0, ICR_ALL_BUT | vector);
}

void apic_send_nmi_all_but_self(void)
{
	apic_icr(0, ICR_ALL_BUT | ICR_NMI);
}

void apic_send_init(uint32_t apic_id)
{
	apic_icr(apic_id, ICR_INIT | ICR_LEVEL);
	apic_wait_icr_idle();
	apic_icr(apic_id, ICR_INIT); /* de-assert (ignored by modern CPUs, needed by old ones) */
}

void apic_send_startup(uint32_t apic_id, paddr_t trampoline)
{
	BUG_ON(trampoline & 0xfff || trampoline >= 0x100000);
	apic_icr(apic_id, ICR_STARTUP | (uint32_t)(trampoline >> 12));
}

uint64_t apic_timer_calibrate(uint64_t khz)
{
	uint64_t start, wait = khz * 10; /* 10 ms of TSC */
	uint32_t left;

	apic_write(APIC_LVT_TIMER, LVT_MASKED | VEC_APIC_TIMER);
	apic_write(APIC_TMICT, 0xffffffff);
	start = rdtsc();
	while (rdtsc() - start < wait)
		cpu_relax();
	left = apic_read(APIC_TMCCT);
	apic_write(APIC_TMICT, 0);
	return (0xffffffffULL - left) / 10;
}

void apic_timer_oneshot(uint32_t ticks)
{
	apic_write(APIC_LVT_TIMER, VEC_APIC_TIMER);
	apic_write(APIC_TMICT, ticks ? ticks : 1);
}

void apic_timer_stop(void)
{
	apic_write(APIC_TMICT, 0);
}
