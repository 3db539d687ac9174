/* SPDX-License-Identifier: GPL-2.0-only */
/* I/O APIC driver: discovery from the MADT, redirection entries, masking. */
#include <asm/io.h>
#include <asm/ioapic.h>
#include <asm/paging.h>
#include <hospes/console.h>
#include <hospes/errno.h>
#include <hospes/spinlock.h>

#define IOAPIC_REGSEL	0x00
#define IOAPIC_WIN	0x10
#define IOAPIC_VER	0x01
#define IOAPIC_REDIR(i) (0x10 + 2 * (i))
#define RTE_MASKED	(1u << 16)
#define RTE_LEVEL	(1u << 15)
#define RTE_ACTIVE_LOW	(1u << 13)

struct ioapic {
	volatile uint8_t *mmio;
	unsigned int gsi_base, nr_pins;
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static unsigned int nr_ioapics, nr_gsis;
static spinlock_t ioapic_lock = SPINLOCK_INIT; /* REGSEL then WIN must not interleave */

static uint32_t reg_read(const struct ioapic *io, unsigned int reg)
{
	mmio_write32(io->mmio + IOAPIC_REGSEL, reg);
	return mmio_read32(io->mmio + IOAPIC_WIN);
}

static void reg_write(const struct ioapic *io, unsigned int reg, uint32_t v)
{
	mmio_write32(io->mmio + IOAPIC_REGSEL, reg);
	mmio_write32(io->mmio + IOAPIC_WIN, v);
}

/* The I/O APIC and pin of gsi; NULL if no I/O APIC has it. */
static const struct ioapic *pin_of(unsigned int gsi, unsigned int *pin)
{
	for (unsigned int i = 0; i < nr_ioapics; i++)
		if (gsi >= ioapics[i].gsi_base && gsi - ioapics[i].gsi_base < ioapics[i].nr_pins) {
			*pin = gsi - ioapics[i].gsi_base;
			return &ioapics[i];
		}
	return NULL;
}

unsigned int ioapic_init(const struct acpi_info *ai)
{
	for (unsigned int i = 0; i < ai->nr_ioapics && nr_ioapics < ACPI_MAX_IOAPICS; i++) {
		struct ioapic *io = &ioapics[nr_ioapics];
		uint64_t top;

		/* Below 4 GiB, in the direct map; the MADT gives a 32-bit address anyway. */
		io->mmio = __va(ai->ioapics[i].addr);
		io->gsi_base = ai->ioapics[i].gsi_base;
		io->nr_pins = ((reg_read(io, IOAPIC_VER) >> 16) & 0xff) + 1;
		top = (uint64_t)io->gsi_base + io->nr_pins;
		if (top > IOAPIC_MAX_GSIS) {
			pr_warn("IOAPIC %u: GSIs %u-%llu beyond %u ignored\n", ai->ioapics[i].id,
				io->gsi_base, (unsigned long long)top - 1, IOAPIC_MAX_GSIS);
			if (io->gsi_base >= IOAPIC_MAX_GSIS)
				continue;
			io->nr_pins = IOAPIC_MAX_GSIS - io->gsi_base;
			top = IOAPIC_MAX_GSIS;
		}
		for (unsigned int p = 0; p < io->nr_pins; p++) {
			reg_write(io, IOAPIC_REDIR(p), RTE_MASKED);
			reg_write(io, IOAPIC_REDIR(p) + 1, 0);
		}
		nr_gsis = top > nr_gsis ? (unsigned int)top : nr_gsis;
		pr_info("IOAPIC %u at 0x%x: GSIs %u-%u\n", ai->ioapics[i].id, ai->ioapics[i].addr,
			io->gsi_base, io->gsi_base + io->nr_pins - 1);
		nr_ioapics++;
	}
	return nr_gsis;
}

unsigned int ioapic_nr_gsis(void)
{
	return nr_gsis;
}

int ioapic_route(unsigned int gsi, uint8_t vector, bool level, bool active_low,
		 uint32_t dest_apic_id)
{
	unsigned int pin;
	const struct ioapic *io = pin_of(gsi, &pin);
	uint32_t lo = vector | RTE_MASKED | (level ? RTE_LEVEL : 0) |
		      (active_low ? RTE_ACTIVE_LOW : 0); /* fixed delivery, physical destination */

	if (!io)
		return -EINVAL;
	spin_lock(&ioapic_lock);
	reg_write(io, IOAPIC_REDIR(pin), RTE_MASKED);
	reg_write(io, IOAPIC_REDIR(pin) + 1, dest_apic_id << 24);
	reg_write(io, IOAPIC_REDIR(pin), lo);
	spin_unlock(&ioapic_lock);
	return 0;
}

void ioapic_mask(unsigned int gsi, bool masked)
{
	unsigned int pin;
	const struct ioapic *io = pin_of(gsi, &pin);
	uint32_t lo;

	if (!io)
		return;
	spin_lock(&ioapic_lock);
	lo = reg_read(io, IOAPIC_REDIR(pin));
	reg_write(io, IOAPIC_REDIR(pin), masked ? lo | RTE_MASKED : lo & ~RTE_MASKED);
	spin_unlock(&ioapic_lock);
}
