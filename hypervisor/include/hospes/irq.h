/* SPDX-License-Identifier: GPL-2.0-only */
/* Physical interrupts routed to a privileged domain as PIRQs (GSI n is PIRQ n; then MSIs). */
#ifndef HOSPES_IRQ_H
#define HOSPES_IRQ_H

#include <hospes/types.h>

struct acpi_info;
struct domain;

/* Boot CPU: the I/O APICs (all pins masked), the GSI vectors, the firmware's ISA overrides. */
void irq_init(const struct acpi_info *ai);

/*
 * PHYSDEVOP_map_pirq for a GSI: gives gsi to d (which must be privileged) as PIRQ gsi, routed
 * to the boot CPU, masked until bound. Trigger and polarity come from the firmware (ISA
 * overrides; PCI defaults for GSI 16 and up) until irq_setup_gsi(). Returns the PIRQ, or
 * -EPERM (another domain's), -EINVAL (no pin). The hypervisor's own lines (the timer, its
 * serial port) map, as on Xen, but their pins stay the hypervisor's: binding them fails.
 * PIRQs from MSI_PIRQ_BASE (asm/msi.h) are MSI vectors; the calls below take both kinds.
 */
int irq_map_gsi(struct domain *d, unsigned int gsi);
/* PHYSDEVOP_setup_gsi: the trigger (level) and polarity (active low) of a GSI d mapped. */
int irq_setup_gsi(struct domain *d, unsigned int gsi, bool level, bool active_low);
/* PHYSDEVOP_unmap_pirq: masks it and takes it back; -EINVAL if d does not hold it. */
int irq_unmap(struct domain *d, unsigned int pirq);

/* EVTCHNOP_bind_pirq: may d bind pirq (it holds it)? Then irq_bound() unmasks it. */
bool irq_held_by(const struct domain *d, unsigned int pirq);
void irq_bound(struct domain *d, unsigned int pirq, bool bound);

/* PHYSDEVOP_eoi: the guest handled a level interrupt; its pin is unmasked again. */
int irq_eoi(struct domain *d, unsigned int pirq);
/* PHYSDEVOP_irq_status_query: XENIRQSTAT_* flags of a PIRQ d holds. */
int irq_status(struct domain *d, unsigned int pirq, uint32_t *flags);

/* d is being destroyed: every pin it held is masked and freed. */
void irq_domain_destroy(struct domain *d);

#endif /* HOSPES_IRQ_H */
