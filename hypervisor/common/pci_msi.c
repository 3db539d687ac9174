/* SPDX-License-Identifier: GPL-2.0-only */
/* PCI MSI/MSI-X pure logic: capability walk, message composition, table checks, write filter. */
#include <hospes/errno.h>
#include <hospes/pci_msi.h>

#define CAP_MIN_POS   0x40
#define CAP_MAX_STEPS 48
#define BAR_IO	      (1u << 0)
#define BAR_TYPE_MASK (3u << 1)
#define BAR_TYPE_64   (2u << 1)
#define BAR_MEM_MASK  (~0xfu)
#define VEC_MIN	      0x20 /* below: exceptions */

unsigned int pci_find_cap(pci_cfg_read_t rd, void *ctx, uint8_t id)
{
	unsigned int pos;

	if ((rd(ctx, 0) & 0xffff) == 0xffff)
		return 0; /* no function answers: all ones would walk a bogus list */
	if (!(rd(ctx, PCI_STATUS_REG) & PCI_STATUS_CAP_LIST))
		return 0;
	pos = rd(ctx, PCI_CAP_PTR) & 0xfc;
	for (unsigned int step = 0; step < CAP_MAX_STEPS && pos >= CAP_MIN_POS; step++) {
		uint32_t hdr = rd(ctx, pos);

		if ((hdr & 0xff) == id)
			return pos;
		pos = (hdr >> 8) & 0xfc;
	}
	return 0;
}

void msi_cap_parse(unsigned int pos, uint16_t ctrl, struct msi_cap *c)
{
	c->pos = pos;
	c->is64 = ctrl & MSI_CTRL_64BIT;
	c->maskable = ctrl & MSI_CTRL_MASKABLE;
	/* 6 and 7 are reserved encodings: take them as the largest, 32. */
	c->max_vecs = 1u << (MSI_CTRL_MMC(ctrl) > 5 ? 5 : MSI_CTRL_MMC(ctrl));
	c->data_reg = pos + (c->is64 ? 12 : 8);
	c->mask_reg = c->data_reg + 4;
	c->end = c->maskable ? c->mask_reg + 8 : c->data_reg + 2;
}

void msix_cap_parse(unsigned int pos, uint16_t ctrl, uint32_t treg, struct msix_cap *c)
{
	c->pos = pos;
	c->nr_entries = MSIX_CTRL_SIZE(ctrl);
	c->bir = MSIX_BIR(treg);
	c->table_off = MSIX_OFFSET(treg);
}

int msi_compose(uint32_t apic_id, unsigned int vector, struct msi_msg *m)
{
	if (apic_id > 0xff || vector < VEC_MIN || vector > 0xff)
		return -EINVAL;
	m->addr_lo = MSI_ADDR_BASE | MSI_ADDR_DEST(apic_id); /* RH = 0, DM = 0: physical */
	m->addr_hi = 0;
	m->data = vector; /* fixed delivery, edge trigger */
	return 0;
}

unsigned int msi_order(unsigned int nvec)
{
	unsigned int order = 0;

	while ((1u << order) < nvec)
		order++;
	return order;
}

int pci_bar_base(uint32_t lo, uint32_t hi, uint64_t *base, uint64_t *max_size)
{
	if (lo & BAR_IO)
		return -EINVAL;
	*base = lo & BAR_MEM_MASK;
	if ((lo & BAR_TYPE_MASK) == BAR_TYPE_64)
		*base |= (uint64_t)hi << 32;
	if (!*base)
		return -EINVAL;		  /* unassigned */
	*max_size = *base & (~*base + 1); /* a BAR is aligned to its (power of two) size */
	return 0;
}

int msix_entry_addr(const struct msix_cap *c, uint64_t bar_base, uint64_t bar_size,
		    uint64_t guest_base, unsigned int entry_nr, uint64_t *entry)
{
	uint64_t table_end = (uint64_t)c->table_off + (uint64_t)c->nr_entries * MSIX_ENTRY_SIZE;

	if (guest_base != bar_base || entry_nr >= c->nr_entries || table_end > bar_size)
		return -EINVAL;
	*entry = bar_base + c->table_off + (uint64_t)entry_nr * MSIX_ENTRY_SIZE;
	return 0;
}

uint32_t msi_filter_write(const struct msi_cap *c, unsigned int reg, uint32_t old, uint32_t val,
			  uint32_t bytes_mask, bool enable_ok)
{
	uint32_t merged = (old & ~bytes_mask) | (val & bytes_mask);

	if (reg + 4 <= c->pos || reg >= c->end)
		return merged;
	if (reg == c->pos) {
		/* ID and next are read-only; the control word: Multiple Message Enable is ours. */
		uint32_t keep = MSI_CTRL_MME_MASK << 16;

		merged = (merged & ~keep) | (old & keep);
		if (!enable_ok)
			merged &= ~(MSI_CTRL_ENABLE << 16);
		return merged;
	}
	if (reg <= c->data_reg)
		return old; /* address (low, high) and data: the hypervisor's */
	return merged;	    /* mask bits (the guest's), pending bits (read-only) */
}
