/* SPDX-License-Identifier: GPL-2.0-only */
/* PCI MSI/MSI-X pure logic: capability walk, message composition, table checks, write filter. */
#ifndef HOSPES_PCI_MSI_H
#define HOSPES_PCI_MSI_H

#include <hospes/types.h>

#define PCI_STATUS_REG	    0x04 /* dword: command (low half), status (high half) */
#define PCI_STATUS_CAP_LIST (1u << (16 + 4))
#define PCI_CAP_PTR	    0x34
#define PCI_BAR0	    0x10
#define PCI_NR_BARS	    6
#define PCI_CAP_ID_MSI	    0x05
#define PCI_CAP_ID_MSIX	    0x11

/* MSI capability, control word (bits 16-31 of the capability's first dword). */
#define MSI_CTRL_ENABLE	  (1u << 0)
#define MSI_CTRL_MMC(c)	  (((c) >> 1) & 7) /* log2 of the vectors the device can send */
#define MSI_CTRL_MME_MASK (7u << 4)	   /* log2 of the vectors enabled */
#define MSI_CTRL_64BIT	  (1u << 7)
#define MSI_CTRL_MASKABLE (1u << 8)
#define MSI_MAX_VECS	  32

/* MSI-X capability: control word, table and PBA offset registers; 16-byte table entries. */
#define MSIX_CTRL_SIZE(c)    (((c)&0x7ffu) + 1)
#define MSIX_CTRL_MASKALL    (1u << 14)
#define MSIX_CTRL_ENABLE     (1u << 15)
#define MSIX_TABLE_REG	     4 /* offset in the capability: table offset | BIR */
#define MSIX_BIR(r)	     ((r)&7u)
#define MSIX_OFFSET(r)	     ((r) & ~7u)
#define MSIX_ENTRY_SIZE	     16
#define MSIX_ENTRY_ADDR_LO   0
#define MSIX_ENTRY_ADDR_HI   4
#define MSIX_ENTRY_DATA	     8
#define MSIX_ENTRY_CTRL	     12
#define MSIX_ENTRY_CTRL_MASK 1u

/* x86 interrupt message: the local APIC window, physical destination, fixed, edge. */
#define MSI_ADDR_BASE	  0xfee00000u
#define MSI_ADDR_DEST(id) ((uint32_t)(id) << 12)

/* Dword reads of one function's configuration space (reg dword-aligned, < 256). */
typedef uint32_t (*pci_cfg_read_t)(void *ctx, unsigned int reg);

/*
 * The offset of capability id in the standard list, 0 if absent. The walk trusts nothing the
 * device says: pointers below 0x40 end it, and it stops after 48 steps (a loop).
 */
unsigned int pci_find_cap(pci_cfg_read_t rd, void *ctx, uint8_t id);

/* An MSI capability at pos with control word ctrl: where its registers are. */
struct msi_cap {
	unsigned int pos;
	bool is64, maskable;
	unsigned int max_vecs; /* from Multiple Message Capable */
	unsigned int data_reg; /* offset in config space of the 16-bit message data */
	unsigned int mask_reg; /* of the mask bits (maskable only) */
	unsigned int end;      /* first byte after the capability */
};
void msi_cap_parse(unsigned int pos, uint16_t ctrl, struct msi_cap *c);

/* An MSI-X capability at pos: control word ctrl, table register treg. */
struct msix_cap {
	unsigned int pos;
	unsigned int nr_entries;
	unsigned int bir;
	uint32_t table_off;
};
void msix_cap_parse(unsigned int pos, uint16_t ctrl, uint32_t treg, struct msix_cap *c);

struct msi_msg {
	uint32_t addr_lo, addr_hi, data;
};

/*
 * The message that makes a device raise vector (edge, fixed) on the CPU whose xAPIC ID is
 * apic_id. -EINVAL if the ID does not fit the address (> 255) or vector is an exception's.
 */
int msi_compose(uint32_t apic_id, unsigned int vector, struct msi_msg *m);

/* log2 of the power of two of vectors a multi-MSI request for nvec takes (nvec 1-32). */
unsigned int msi_order(unsigned int nvec);

/*
 * A memory BAR's base from its register lo (and hi, the next one, if lo says 64-bit), and the
 * largest size a BAR there can have: the BAR is aligned to its size, so at most the base's
 * lowest set bit. (The hypervisor does not size BARs by writing all ones: that moves the BAR
 * under a live device.) -EINVAL for an I/O BAR or an unassigned one (base 0).
 */
int pci_bar_base(uint32_t lo, uint32_t hi, uint64_t *base, uint64_t *max_size);

/*
 * Checks an MSI-X map request against the device: guest_base must be the start of the BAR the
 * table is in (bar_base, bar_size, read by the hypervisor), the whole table must lie inside
 * that BAR (bar_size: an upper bound, see pci_bar_base), and entry_nr must be one of its entries. Sets *entry to the machine address of the
 * entry. -EINVAL otherwise.
 */
int msix_entry_addr(const struct msix_cap *c, uint64_t bar_base, uint64_t bar_size,
		    uint64_t guest_base, unsigned int entry_nr, uint64_t *entry);

/*
 * Dom0's write to the dword at reg of a function with an MSI capability c: what the dword
 * becomes. old is the hardware's value, val the guest's bytes placed in the dword, bytes_mask
 * which of them it writes. The message address and data stay the hypervisor's, and so does
 * Multiple Message Enable; the enable bit may be set only if enable_ok (the hypervisor
 * programmed the message); the mask bits are the guest's. Dwords outside c pass unchanged.
 */
uint32_t msi_filter_write(const struct msi_cap *c, unsigned int reg, uint32_t old, uint32_t val,
			  uint32_t bytes_mask, bool enable_ok);

#endif /* HOSPES_PCI_MSI_H */
