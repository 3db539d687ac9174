/* SPDX-License-Identifier: GPL-2.0-only */
/* Boot-time state every subsystem may read once start_hospes() has filled it. */
#ifndef HOSPES_SETUP_H
#define HOSPES_SETUP_H

#include <hospes/cmdline.h>
#include <hospes/multiboot2.h>
#include <hospes/types.h>

#define HOSPES_VERSION "0.1.0"

extern struct hv_options hv_opts;
extern struct boot_info boot_info;
extern struct memmap host_memmap; /* sanitised and carved */

/* The ACPI processor UID of the CPU with this APIC id (MADT); the APIC id if the MADT lacks it. */
uint32_t setup_acpi_cpu_uid(uint32_t apic_id);

/* The C entry point, called by head.S on the boot CPU with the multiboot2 information. */
__noreturn void start_hospes(uint32_t mbi_phys);

/* Debug aid: cmdline "crash=<kind>" deliberately faults at the end of boot, to test traps. */
void debug_crash(const char *kind);

#endif /* HOSPES_SETUP_H */
