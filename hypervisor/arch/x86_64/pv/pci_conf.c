/* SPDX-License-Identifier: GPL-2.0-only */
/* PCI configuration mechanism #1 for Dom0: a latch per domain, cycles under one lock, MSI filtered. */
#include <asm/io.h>
#include <asm/msi.h>
#include <asm/pci_conf.h>
#include <hospes/domain.h>
#include <hospes/spinlock.h>

#define CF8_ENABLE (1u << 31)
#define CAP_START  0x40

static spinlock_t conf_lock = SPINLOCK_INIT;

static uint32_t cycle_read(uint32_t addr, unsigned int off, unsigned int bytes)
{
	uint32_t v;

	spin_lock(&conf_lock);
	outl(PCI_CONF_ADDR, addr);
	if (bytes == 1)
		v = inb((uint16_t)(PCI_CONF_DATA + off));
	else if (bytes == 2)
		v = inw((uint16_t)(PCI_CONF_DATA + off));
	else
		v = inl(PCI_CONF_DATA);
	spin_unlock(&conf_lock);
	return v;
}

static void cycle_write(uint32_t addr, unsigned int off, unsigned int bytes, uint32_t v)
{
	spin_lock(&conf_lock);
	outl(PCI_CONF_ADDR, addr);
	if (bytes == 1)
		outb((uint16_t)(PCI_CONF_DATA + off), (uint8_t)v);
	else if (bytes == 2)
		outw((uint16_t)(PCI_CONF_DATA + off), (uint16_t)v);
	else
		outl(PCI_CONF_DATA, v);
	spin_unlock(&conf_lock);
}

uint32_t pci_conf_read(struct domain *d, unsigned int port, unsigned int bytes)
{
	uint32_t latch = __atomic_load_n(&d->pci_cf8, __ATOMIC_RELAXED);
	unsigned int off = port - PCI_CONF_DATA;

	if (port == PCI_CONF_ADDR)
		return latch;
	if (!(latch & CF8_ENABLE) || (off & (bytes - 1)))
		return bytes == 4 ? 0xffffffffu : (1u << (bytes * 8)) - 1;
	return cycle_read(latch & ~3u, off, bytes);
}

void pci_conf_write(struct domain *d, unsigned int port, unsigned int bytes, uint32_t val)
{
	uint32_t latch = __atomic_load_n(&d->pci_cf8, __ATOMIC_RELAXED);
	unsigned int off = port - PCI_CONF_DATA;

	if (port == PCI_CONF_ADDR) {
		__atomic_store_n(&d->pci_cf8, val, __ATOMIC_RELAXED);
		return;
	}
	if (!(latch & CF8_ENABLE) || (off & (bytes - 1)))
		return;
	/* Capabilities start at 0x40: below, no MSI register can be hit. */
	if ((latch & 0xfc) >= CAP_START &&
	    msi_conf_write((latch >> 8) & 0xffff, latch & 0xfc, off, bytes, val))
		return;
	cycle_write(latch & ~3u, off, bytes, val);
}

static uint32_t conf_addr(unsigned int bus, unsigned int dev, unsigned int fn, unsigned int reg)
{
	return CF8_ENABLE | (bus & 0xff) << 16 | (dev & 31) << 11 | (fn & 7) << 8 | (reg & 0xfc);
}

uint32_t pci_conf_read32(unsigned int bus, unsigned int dev, unsigned int fn, unsigned int reg)
{
	return cycle_read(conf_addr(bus, dev, fn, reg), 0, 4);
}

void pci_conf_write32(unsigned int bus, unsigned int dev, unsigned int fn, unsigned int reg,
		      uint32_t val)
{
	cycle_write(conf_addr(bus, dev, fn, reg), 0, 4, val);
}
