/* SPDX-License-Identifier: GPL-2.0-only */
/* ACPI table discovery: RSDP, RSDT/XSDT and the MADT (CPUs, IOAPICs, overrides). */
#ifndef HOSPES_ACPI_H
#define HOSPES_ACPI_H

#include <hospes/types.h>
#include <generated/config.h>

#define ACPI_MAX_IOAPICS   8
#define ACPI_MAX_OVERRIDES 16
#define ACPI_MAX_WARNINGS  8
#define ACPI_WARNING_LEN   96
#define ACPI_MAX_TABLE_LEN (1u << 20)

struct acpi_cpu {
	uint32_t apic_id;
	uint32_t acpi_uid;
};

struct acpi_ioapic {
	uint32_t id;
	uint32_t addr;
	uint32_t gsi_base;
};

struct acpi_override {
	uint8_t source_irq;
	uint32_t gsi;
	uint16_t flags;
};

struct acpi_info {
	bool have_madt;
	bool pcat_compat; /* legacy 8259 PICs present */
	uint8_t revision; /* RSDP revision */
	uint64_t lapic_addr;
	uint64_t hpet_addr;	   /* 0 if no HPET table */
	unsigned int nr_cpus;	   /* enabled (or online-capable) processors, BSP included */
	unsigned int cpus_ignored; /* beyond CONFIG_NR_CPUS */
	struct acpi_cpu cpus[CONFIG_NR_CPUS];
	unsigned int nr_ioapics;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	unsigned int nr_overrides;
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];
	unsigned int nr_warnings;
	char warnings[ACPI_MAX_WARNINGS][ACPI_WARNING_LEN];
};

/*
 * Maps len bytes of firmware memory at physical address pa for reading; NULL if that range
 * cannot be read. Pointers stay valid for the whole parse. The parser never reads outside what
 * it mapped.
 */
typedef const void *(*acpi_map_fn)(uint64_t pa, size_t len);

/*
 * Parses the tables reachable from the RSDP (a copy of rsdp_len bytes). Every table is checked
 * for signature, length and checksum before use; a bad one is skipped with a warning.
 * Returns 0, or -EINVAL if the RSDP itself is unusable.
 */
int acpi_parse(const void *rsdp, size_t rsdp_len, acpi_map_fn map, struct acpi_info *info);

/* True if the 20-byte (v1) or 36-byte (v2) RSDP at p is valid. */
bool acpi_rsdp_valid(const void *p, size_t len);

#endif /* HOSPES_ACPI_H */
