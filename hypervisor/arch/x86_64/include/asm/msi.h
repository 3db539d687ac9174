/* SPDX-License-Identifier: GPL-2.0-only */
/* MSI and MSI-X vectors of Dom0's PCI devices, delivered as PIRQs (event channels). */
#ifndef ASM_MSI_H
#define ASM_MSI_H

#include <asm/ioapic.h>
#include <hospes/types.h>

struct domain;

#define MSI_PIRQ_BASE IOAPIC_MAX_GSIS /* PIRQs below are GSIs, from here MSI vectors */
#define MSI_NR_VECS   48	      /* vectors 0xc0-0xef, one PIRQ each */

/* Boot CPU: installs the MSI vectors' handler. */
void msi_init(uint32_t dest_apic_id);

/*
 * PHYSDEVOP_map_pirq, MAP_PIRQ_TYPE_MSI(_SEG) (nvec 1) or MULTI_MSI (nvec 1-32) for the
 * function bus:devfn of segment 0: programs the device's MSI capability with a block of
 * vectors (a power of two, aligned) aimed at the boot CPU, every vector masked (if it can be)
 * until bound. Returns the first of nvec consecutive PIRQs, or -EPERM (d unprivileged),
 * -ENODEV (no such function), -ENXIO (no MSI capability), -EINVAL (nvec), -EBUSY (MSI already
 * mapped), -ENOSPC (no vectors).
 */
int msi_map(struct domain *d, unsigned int bus, unsigned int devfn, unsigned int nvec);

/*
 * The same for MSI-X entry_nr: table_base must be the start of the BAR holding the table (as
 * the hypervisor reads it), the table must fit the largest BAR at that base (pci_bar_base),
 * entry_nr must be in the table. The entry gets the message and stays masked until bound.
 * -EINVAL for a bad entry_nr or table_base, -EBUSY if the entry is mapped, -EOPNOTSUPP for a
 * table above 4 GiB.
 */
int msi_map_msix(struct domain *d, unsigned int bus, unsigned int devfn, unsigned int entry_nr,
		 uint64_t table_base);

/* PHYSDEVOP_prepare_msix/release_msix: 0 if bus:devfn has an MSI-X capability, else -ENODEV. */
int msi_check_msix(struct domain *d, unsigned int bus, unsigned int devfn);

/*
 * PIRQs from MSI_PIRQ_BASE: unmap (a multi-MSI group by its first PIRQ only: the device's MSI
 * is disabled, masked, its message cleared; an MSI-X entry masked and cleared), bind state
 * (bound: unmasked), whether d holds it. Edge messages: nothing to EOI.
 */
int msi_unmap(struct domain *d, unsigned int pirq);
bool msi_held_by(const struct domain *d, unsigned int pirq);
void msi_bound(struct domain *d, unsigned int pirq, bool bound);
void msi_domain_destroy(struct domain *d);

/*
 * Dom0's config write of bytes at reg + off (reg dword-aligned) of bus:dev.fn: if it lands in
 * an MSI capability, it is filtered (msi_filter_write) and done here: returns true. Otherwise
 * false, and the caller writes it as it is.
 */
bool msi_conf_write(unsigned int bdf, unsigned int reg, unsigned int off, unsigned int bytes,
		    uint32_t val);

#endif /* ASM_MSI_H */
