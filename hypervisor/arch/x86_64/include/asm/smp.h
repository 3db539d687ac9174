/* SPDX-License-Identifier: GPL-2.0-only */
/* Bringing up application processors. */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <asm/cpu.h>
#include <hospes/acpi.h>

/* Prepares the boot CPU's struct percpu (on the boot stack) and loads its descriptors. */
void smp_init_boot_cpu(void);

/*
 * Starts every enabled processor the MADT lists (at most maxcpus in all, 0: no limit) through
 * the trampoline page at tramp_pa (below 1 MiB). Returns how many CPUs are online; a CPU that
 * does not answer is reported and left out.
 */
unsigned int smp_boot_cpus(const struct acpi_info *acpi, unsigned int maxcpus, paddr_t tramp_pa);

/* Every CPU's idle loop once it has nothing else to do. */
__noreturn void cpu_idle(void);

#endif /* ASM_SMP_H */
