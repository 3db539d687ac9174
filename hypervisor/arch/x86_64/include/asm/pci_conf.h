/* SPDX-License-Identifier: GPL-2.0-only */
/* PCI configuration mechanism #1 (ports 0xcf8/0xcfc) on behalf of a privileged domain. */
#ifndef ASM_PCI_CONF_H
#define ASM_PCI_CONF_H

#include <hospes/types.h>

struct domain;

#define PCI_CONF_ADDR 0xcf8
#define PCI_CONF_DATA 0xcfc

/* True for the ports of mechanism #1 this module emulates: the 0xcf8 dword and 0xcfc-0xcff. */
static inline bool pci_conf_port(unsigned int port, unsigned int bytes)
{
	return (port == PCI_CONF_ADDR && bytes == 4) ||
	       (port >= PCI_CONF_DATA && port + bytes <= PCI_CONF_DATA + 4);
}

/*
 * A privileged domain's access to a pci_conf_port(): 0xcf8 is the domain's own address latch;
 * 0xcfc-0xcff run the config cycle the latch selects, on the hardware, under one lock so that
 * no other CPU's latch write comes between. Reads of a disabled latch give all ones.
 */
uint32_t pci_conf_read(struct domain *d, unsigned int port, unsigned int bytes);
void pci_conf_write(struct domain *d, unsigned int port, unsigned int bytes, uint32_t val);

/* The hypervisor's own config reads (bus, device, function, register dword-aligned). */
uint32_t pci_conf_read32(unsigned int bus, unsigned int dev, unsigned int fn, unsigned int reg);
void pci_conf_write32(unsigned int bus, unsigned int dev, unsigned int fn, unsigned int reg,
		      uint32_t val);

#endif /* ASM_PCI_CONF_H */
