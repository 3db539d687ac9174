/* SPDX-License-Identifier: GPL-2.0-only */
/* I/O APICs: the redirection entries that route GSIs to vectors on a CPU. */
#ifndef ASM_IOAPIC_H
#define ASM_IOAPIC_H

#include <hospes/acpi.h>
#include <hospes/types.h>

#define IOAPIC_MAX_GSIS 128

/* Finds the I/O APICs the MADT lists and masks every pin. Returns the number of GSIs. */
unsigned int ioapic_init(const struct acpi_info *ai);

/* Number of GSIs the I/O APICs have (0 before ioapic_init). */
unsigned int ioapic_nr_gsis(void);

/* Programs gsi (masked) to deliver vector to the CPU with dest_apic_id. -EINVAL: no such pin. */
int ioapic_route(unsigned int gsi, uint8_t vector, bool level, bool active_low,
		 uint32_t dest_apic_id);

/* Masks or unmasks gsi's pin. */
void ioapic_mask(unsigned int gsi, bool masked);

#endif /* ASM_IOAPIC_H */
