/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests of hypervisor/common/pci_msi.c: capability walk, messages, BARs, filter. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "../harness.h"
#include <hospes/errno.h>
#include <hospes/pci_msi.h>

#define NEG(e) ((unsigned long long)(e))

/* A function's 256-byte configuration space; reads count to catch endless walks. */
struct fake_cfg {
	uint8_t b[256];
	unsigned int reads;
};

static uint32_t fake_read(void *ctx, unsigned int reg)
{
	struct fake_cfg *f = ctx;
	uint32_t v;

	f->reads++;
	memcpy(&v, &f->b[reg & 0xfc], 4);
	return v;
}

static void put_cap(struct fake_cfg *f, unsigned int pos, uint8_t id, uint8_t next, uint16_t ctrl)
{
	f->b[pos] = id;
	f->b[pos + 1] = next;
	memcpy(&f->b[pos + 2], &ctrl, 2);
}

static void test_find_cap(void)
{
	struct fake_cfg f = {0};

	CHECK_EQ(pci_find_cap(fake_read, &f, PCI_CAP_ID_MSI), 0); /* no capability list */
	f.b[6] = 1u << 4;					  /* status: list present */
	f.b[PCI_CAP_PTR] = 0x50;
	put_cap(&f, 0x50, 0x01, 0x70, 0); /* power management */
	put_cap(&f, 0x70, PCI_CAP_ID_MSIX, 0x90, 0);
	put_cap(&f, 0x90, PCI_CAP_ID_MSI, 0x00, 0);
	CHECK_EQ(pci_find_cap(fake_read, &f, PCI_CAP_ID_MSI), 0x90);
	CHECK_EQ(pci_find_cap(fake_read, &f, PCI_CAP_ID_MSIX), 0x70);
	CHECK_EQ(pci_find_cap(fake_read, &f, 0x10), 0); /* PCIe: absent */
	/* The low two bits of a pointer are reserved. */
	f.b[0x51] = 0x73;
	CHECK_EQ(pci_find_cap(fake_read, &f, PCI_CAP_ID_MSIX), 0x70);
	/* A loop ends after a bounded walk; a pointer into the header ends it at once. */
	put_cap(&f, 0x90, 0x09, 0x50, 0);
	f.reads = 0;
	CHECK_EQ(pci_find_cap(fake_read, &f, PCI_CAP_ID_MSI), 0);
	CHECK(f.reads <= 51); /* vendor, status, pointer, 48 steps */
	put_cap(&f, 0x90, 0x09, 0x20, 0);
	f.reads = 0;
	CHECK_EQ(pci_find_cap(fake_read, &f, PCI_CAP_ID_MSI), 0);
	CHECK(f.reads <= 6);
	/* No function there: config reads give all ones; no walk at all. */
	memset(f.b, 0xff, sizeof(f.b));
	f.reads = 0;
	CHECK_EQ(pci_find_cap(fake_read, &f, PCI_CAP_ID_MSI), 0);
	CHECK(f.reads <= 1);
}

static void test_msi_cap_layout(void)
{
	struct msi_cap c;

	msi_cap_parse(0x50, 0, &c); /* 32-bit, one vector, no mask */
	CHECK(!c.is64 && !c.maskable);
	CHECK_EQ(c.max_vecs, 1);
	CHECK_EQ(c.data_reg, 0x58);
	CHECK_EQ(c.end, 0x5a);
	msi_cap_parse(0x50, MSI_CTRL_64BIT | 3u << 1, &c); /* AHCI-like: 64-bit, 8 vectors */
	CHECK(c.is64 && !c.maskable);
	CHECK_EQ(c.max_vecs, 8);
	CHECK_EQ(c.data_reg, 0x5c);
	CHECK_EQ(c.end, 0x5e);
	msi_cap_parse(0x60, MSI_CTRL_64BIT | MSI_CTRL_MASKABLE | 7u << 1, &c);
	CHECK(c.maskable);
	CHECK_EQ(c.max_vecs, 32); /* reserved encoding clamps to the largest */
	CHECK_EQ(c.mask_reg, 0x70);
	CHECK_EQ(c.end, 0x78);
	msi_cap_parse(0x60, MSI_CTRL_MASKABLE, &c);
	CHECK_EQ(c.mask_reg, 0x6c);
	CHECK_EQ(c.end, 0x74);
}

static void test_compose(void)
{
	struct msi_msg m;

	CHECK_EQ(msi_compose(0, 0xc0, &m), 0);
	CHECK_EQ(m.addr_lo, 0xfee00000u);
	CHECK_EQ(m.addr_hi, 0);
	CHECK_EQ(m.data, 0xc0); /* fixed, edge */
	CHECK_EQ(msi_compose(3, 0xc5, &m), 0);
	CHECK_EQ(m.addr_lo, 0xfee03000u);
	CHECK_EQ(m.data, 0xc5);
	CHECK_EQ(msi_compose(255, 0xef, &m), 0);
	CHECK_EQ(m.addr_lo, 0xfeeff000u);
	CHECK_EQ(msi_compose(256, 0xc0, &m), NEG(-EINVAL)); /* needs x2APIC's extended ID */
	CHECK_EQ(msi_compose(0, 0x0e, &m), NEG(-EINVAL));   /* an exception vector */
	CHECK_EQ(msi_compose(0, 0x100, &m), NEG(-EINVAL));
	CHECK_EQ(msi_order(1), 0);
	CHECK_EQ(msi_order(2), 1);
	CHECK_EQ(msi_order(3), 2);
	CHECK_EQ(msi_order(8), 3);
	CHECK_EQ(msi_order(32), 5);
}

static void test_bar_base(void)
{
	uint64_t base, max;

	CHECK_EQ(pci_bar_base(0xfebd0000, 0, &base, &max), 0);
	CHECK_EQ(base, 0xfebd0000);
	CHECK_EQ(max, 0x10000); /* aligned to 64 KiB: no larger than that */
	CHECK_EQ(pci_bar_base(0xfebc0008, 0x1234, &base, &max), 0); /* 32-bit: hi ignored */
	CHECK_EQ(base, 0xfebc0000);
	CHECK_EQ(max, 0x40000);
	/* 64-bit prefetchable above 4 GiB. */
	CHECK_EQ(pci_bar_base(0x0000000c, 0x8, &base, &max), 0);
	CHECK_EQ(base, 0x800000000ULL);
	CHECK_EQ(max, 0x800000000ULL);
	CHECK_EQ(pci_bar_base(0xc001, 0, &base, &max), NEG(-EINVAL)); /* I/O */
	CHECK_EQ(pci_bar_base(0, 0, &base, &max), NEG(-EINVAL));      /* unassigned */
	CHECK_EQ(pci_bar_base(0x4, 0, &base, &max), NEG(-EINVAL));
}

static void test_msix_entry(void)
{
	struct msix_cap c;
	uint64_t e = 0;

	msix_cap_parse(0xa0, 4, 0x2003, &c); /* 5 entries, BAR 3, offset 0x2000 */
	CHECK_EQ(c.nr_entries, 5);
	CHECK_EQ(c.bir, 3);
	CHECK_EQ(c.table_off, 0x2000);
	CHECK_EQ(msix_entry_addr(&c, 0xfebd0000, 0x4000, 0xfebd0000, 0, &e), 0);
	CHECK_EQ(e, 0xfebd2000);
	CHECK_EQ(msix_entry_addr(&c, 0xfebd0000, 0x4000, 0xfebd0000, 4, &e), 0);
	CHECK_EQ(e, 0xfebd2040);
	CHECK_EQ(msix_entry_addr(&c, 0xfebd0000, 0x4000, 0xfebd0000, 5, &e), NEG(-EINVAL));
	/* The guest's table_base must be the BAR the hypervisor read, not the table or RAM. */
	CHECK_EQ(msix_entry_addr(&c, 0xfebd0000, 0x4000, 0xfebd2000, 0, &e), NEG(-EINVAL));
	CHECK_EQ(msix_entry_addr(&c, 0xfebd0000, 0x4000, 0x1000, 0, &e), NEG(-EINVAL));
	/* A table running past its BAR. */
	CHECK_EQ(msix_entry_addr(&c, 0xfebd0000, 0x2040, 0xfebd0000, 0, &e), NEG(-EINVAL));
	CHECK_EQ(msix_entry_addr(&c, 0xfebd0000, 0x2050, 0xfebd0000, 0, &e), 0);
	msix_cap_parse(0xa0, 0x7ff | MSIX_CTRL_ENABLE, 0xfffffff8, &c);
	CHECK_EQ(c.nr_entries, 2048);
	CHECK_EQ(msix_entry_addr(&c, 0xfe000000, 0x1000000, 0xfe000000, 0, &e), NEG(-EINVAL));
}

static void test_filter(void)
{
	struct msi_cap c;
	uint32_t ctl_old = 0x0086u << 16 | 0x7005; /* 64-bit, MMC 8, disabled; next 0x70 */
	uint32_t w;

	msi_cap_parse(0x50, 0x0086, &c);
	/* Outside the capability: as written. */
	CHECK_EQ(msi_filter_write(&c, 0x4c, 0x11, 0x22, 0xff, false), 0x22);
	CHECK_EQ(msi_filter_write(&c, 0x60, 0x11, 0x2233, 0xff00, false), 0x2211);
	/* Address and data: the hypervisor's, whatever the guest writes. */
	CHECK_EQ(msi_filter_write(&c, 0x54, 0xfee00000, 0x1000, ~0u, true), 0xfee00000);
	CHECK_EQ(msi_filter_write(&c, 0x58, 0, 0xdead, ~0u, true), 0);
	CHECK_EQ(msi_filter_write(&c, 0x5c, 0xc1, 0xff, 0xffff, true), 0xc1);
	/* Enable: only once the message is ours; MME stays ours; clearing enable is fine. */
	w = msi_filter_write(&c, 0x50, ctl_old, (0x0086u | 1 | 5u << 4) << 16, 0xffff0000, false);
	CHECK_EQ(w, ctl_old);
	w = msi_filter_write(&c, 0x50, ctl_old | 2u << 20, (0x0086u | 1) << 16, 0xffff0000, true);
	CHECK_EQ(w, ctl_old | 2u << 20 | 1u << 16);
	w = msi_filter_write(&c, 0x50, ctl_old | 1u << 16, 0x0086u << 16, 0xffff0000, true);
	CHECK_EQ(w, ctl_old);
	/* A one-byte write of the control's low byte. */
	w = msi_filter_write(&c, 0x50, ctl_old, 0x71u << 16, 0x00ff0000, false);
	CHECK_EQ(w, 0x00007005u); /* MME kept (0), enable dropped, bit 7 read-only anyway */
	/* Mask bits belong to the guest. */
	msi_cap_parse(0x50, 0x0186, &c);
	CHECK_EQ(msi_filter_write(&c, 0x60, 0xff, 0x1, ~0u, false), 0x1);
	CHECK_EQ(msi_filter_write(&c, 0x5c, 0xc0, 0x1, ~0u, false), 0xc0);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"pci_find_cap", test_find_cap},      {"msi_cap_parse", test_msi_cap_layout},
		{"msi_compose", test_compose},	      {"pci_bar_base", test_bar_base},
		{"msix_entry_addr", test_msix_entry}, {"msi_filter_write", test_filter},
	};

	return unit_run("pci_msi", tests, sizeof(tests) / sizeof(tests[0]));
}
