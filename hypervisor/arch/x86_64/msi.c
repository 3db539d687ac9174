/* SPDX-License-Identifier: GPL-2.0-only */
/* MSI and MSI-X vectors of Dom0's PCI devices: programming, masking, delivery as PIRQs. */
#include <asm/io.h>
#include <asm/msi.h>
#include <asm/paging.h>
#include <asm/pci_conf.h>
#include <asm/traps.h>
#include <hospes/console.h>
#include <hospes/domain.h>
#include <hospes/errno.h>
#include <hospes/event_channel.h>
#include <hospes/pci_msi.h>
#include <hospes/pvmm.h>
#include <hospes/spinlock.h>

#define VEC_MSI_BASE	0xc0 /* slot i: vector 0xc0 + i, PIRQ MSI_PIRQ_BASE + i */
#define PCI_VENDOR_NONE 0xffff
#define BDF_BUS(b)	((b) >> 8)
#define BDF_DEV(b)	(((b) >> 3) & 31)
#define BDF_FN(b)	((b)&7)

_Static_assert(VEC_MSI_BASE % MSI_MAX_VECS == 0, "a multi-MSI block's base vector is aligned");
_Static_assert(VEC_MSI_BASE + MSI_NR_VECS <= VEC_APIC_TIMER, "MSI vectors below the APIC's");
_Static_assert(MSI_PIRQ_BASE + MSI_NR_VECS <= EVTCHN_NR_PIRQS, "every MSI vector is a PIRQ");

struct msi_slot {
	struct domain *owner; /* NULL: free */
	uint16_t bdf;	      /* bus << 8 | devfn */
	bool msix;
	bool bound;	    /* an event channel is bound: unmasked */
	uint8_t group;	    /* MSI: slots in the group (its first one only; others 0) */
	uint8_t index;	    /* MSI: vector number in the group; MSI-X: 0 */
	uint16_t msix_nr;   /* MSI-X: table entry */
	struct msi_cap cap; /* MSI: the capability */
	uint64_t entry;	    /* MSI-X: machine address of the table entry */
};

/* lock covers slots[] and orders every read-modify-write of MSI registers (ours, Dom0's). */
static spinlock_t lock = SPINLOCK_INIT;
static struct msi_slot slots[MSI_NR_VECS];
static uint32_t dest_apic;

static uint32_t cfg_read(void *ctx, unsigned int reg)
{
	unsigned int bdf = (unsigned int)(uintptr_t)ctx;

	return pci_conf_read32(BDF_BUS(bdf), BDF_DEV(bdf), BDF_FN(bdf), reg);
}

static uint32_t rd(unsigned int bdf, unsigned int reg)
{
	return cfg_read((void *)(uintptr_t)bdf, reg);
}

static void wr(unsigned int bdf, unsigned int reg, uint32_t val)
{
	pci_conf_write32(BDF_BUS(bdf), BDF_DEV(bdf), BDF_FN(bdf), reg, val);
}

static unsigned int find_cap(unsigned int bdf, uint8_t id)
{
	return pci_find_cap(cfg_read, (void *)(uintptr_t)bdf, id);
}

static volatile uint32_t *entry_reg(const struct msi_slot *s, unsigned int off)
{
	return (volatile uint32_t *)__va(s->entry + off);
}

/* Masks or unmasks a slot's vector where the device can; lock held. */
static void slot_mask(const struct msi_slot *s, bool masked)
{
	uint32_t v;

	if (s->msix) {
		v = mmio_read32(entry_reg(s, MSIX_ENTRY_CTRL));
		v = masked ? v | MSIX_ENTRY_CTRL_MASK : v & ~MSIX_ENTRY_CTRL_MASK;
		mmio_write32(entry_reg(s, MSIX_ENTRY_CTRL), v);
	} else if (s->cap.maskable) {
		v = rd(s->bdf, s->cap.mask_reg);
		v = masked ? v | 1u << s->index : v & ~(1u << s->index);
		wr(s->bdf, s->cap.mask_reg, v);
	}
}

static void msi_interrupt(struct cpu_regs *regs)
{
	unsigned int i = (unsigned int)regs->vector - VEC_MSI_BASE;
	struct msi_slot *s = &slots[i];

	spin_lock(&lock);
	if (s->owner && s->bound)
		evtchn_raise_pirq(s->owner, MSI_PIRQ_BASE + i);
	spin_unlock(&lock); /* edge: the local APIC's EOI is all it takes */
}

void msi_init(uint32_t dest_apic_id)
{
	dest_apic = dest_apic_id;
	for (unsigned int i = 0; i < MSI_NR_VECS; i++)
		irq_set_handler(VEC_MSI_BASE + i, msi_interrupt);
}

/* A free block of 1 << order slots, aligned to its size; -ENOSPC. lock held. */
static int alloc_block(unsigned int order)
{
	unsigned int n = 1u << order;

	for (unsigned int i = 0; i + n <= MSI_NR_VECS; i += n) {
		unsigned int j = 0;

		while (j < n && !slots[i + j].owner)
			j++;
		if (j == n)
			return (int)i;
	}
	return -ENOSPC;
}

/* Does a domain hold MSI (not MSI-X) vectors of bdf? lock held. */
static bool msi_mapped(unsigned int bdf)
{
	for (unsigned int i = 0; i < MSI_NR_VECS; i++)
		if (slots[i].owner && !slots[i].msix && slots[i].bdf == bdf)
			return true;
	return false;
}

/* The function's header answers and d may own devices: 0, -EPERM or -ENODEV. */
static int check_function(const struct domain *d, unsigned int bdf)
{
	if (!d->is_privileged)
		return -EPERM;
	if ((rd(bdf, 0) & 0xffff) == PCI_VENDOR_NONE)
		return -ENODEV;
	return 0;
}

/* Writes group's message (vector base, 1 << order vectors) to its MSI capability. lock held. */
static void msi_program(const struct msi_slot *s, unsigned int order, const struct msi_msg *m)
{
	const struct msi_cap *c = &s->cap;
	uint32_t ctrl;

	if (c->maskable)
		wr(s->bdf, c->mask_reg, ~0u); /* every vector masked until its PIRQ is bound */
	wr(s->bdf, c->pos + 4, m->addr_lo);
	if (c->is64)
		wr(s->bdf, c->pos + 8, m->addr_hi);
	wr(s->bdf, c->data_reg, m->data);
	ctrl = rd(s->bdf, c->pos);
	ctrl = (ctrl & ~(MSI_CTRL_MME_MASK << 16)) | (order << 4) << 16;
	wr(s->bdf, c->pos, ctrl);
}

int msi_map(struct domain *d, unsigned int bus, unsigned int devfn, unsigned int nvec)
{
	unsigned int bdf = bus << 8 | devfn, pos, order;
	struct msi_cap cap;
	struct msi_msg m;
	int first, rc;

	rc = check_function(d, bdf);
	if (rc)
		return rc;
	pos = find_cap(bdf, PCI_CAP_ID_MSI);
	if (!pos)
		return -ENXIO;
	msi_cap_parse(pos, (uint16_t)(rd(bdf, pos) >> 16), &cap);
	if (nvec < 1 || nvec > cap.max_vecs)
		return -EINVAL;
	order = msi_order(nvec);
	spin_lock(&lock);
	rc = -EBUSY;
	if (msi_mapped(bdf))
		goto out_unlock;
	first = rc = alloc_block(order);
	if (rc < 0)
		goto out_unlock;
	rc = msi_compose(dest_apic, VEC_MSI_BASE + (unsigned int)first, &m);
	if (rc)
		goto out_unlock;
	for (unsigned int i = 0; i < 1u << order; i++)
		slots[first + i] = (struct msi_slot){.owner = d,
						     .bdf = (uint16_t)bdf,
						     .group = i ? 0 : (uint8_t)(1u << order),
						     .index = (uint8_t)i,
						     .cap = cap};
	msi_program(&slots[first], order, &m);
	rc = MSI_PIRQ_BASE + first;
	pr_info("MSI %02x:%02x.%u: %u vector(s) from 0x%x, PIRQ %d\n", bus, devfn >> 3, devfn & 7,
		1u << order, VEC_MSI_BASE + first, rc);
out_unlock:
	spin_unlock(&lock);
	return rc;
}

/* The base of memory BAR bir of bdf and the most it can span; -EINVAL: not a usable one. */
static int bar_read(unsigned int bdf, unsigned int bir, uint64_t *base, uint64_t *max_size)
{
	unsigned int reg = PCI_BAR0 + 4 * bir;
	uint32_t lo, hi = 0;

	if (bir >= PCI_NR_BARS)
		return -EINVAL;
	lo = rd(bdf, reg);
	if ((lo & 7) == 4) { /* memory, 64-bit: the next register holds the high half */
		if (bir + 1 >= PCI_NR_BARS)
			return -EINVAL;
		hi = rd(bdf, reg + 4);
	}
	return pci_bar_base(lo, hi, base, max_size);
}

/* Where entry_nr of bdf's MSI-X table is, checked against the guest's table_base. */
static int msix_locate(unsigned int bdf, unsigned int entry_nr, uint64_t table_base,
		       uint64_t *entry)
{
	unsigned int pos = find_cap(bdf, PCI_CAP_ID_MSIX);
	struct msix_cap c;
	uint64_t base, size;
	int rc;

	if (!pos)
		return -ENXIO;
	msix_cap_parse(pos, (uint16_t)(rd(bdf, pos) >> 16), rd(bdf, pos + MSIX_TABLE_REG), &c);
	if (entry_nr >= c.nr_entries)
		return -EINVAL;
	rc = bar_read(bdf, c.bir, &base, &size);
	if (!rc)
		rc = msix_entry_addr(&c, base, size, table_base, entry_nr, entry);
	if (rc)
		return rc;
	/* The direct map covers device memory below 4 GiB only; never RAM or our devices. */
	if (*entry + MSIX_ENTRY_SIZE > 0x100000000ULL)
		return -EOPNOTSUPP;
	return pv_io_frame(*entry >> PAGE_SHIFT) ? 0 : -EINVAL;
}

int msi_map_msix(struct domain *d, unsigned int bus, unsigned int devfn, unsigned int entry_nr,
		 uint64_t table_base)
{
	unsigned int bdf = bus << 8 | devfn;
	struct msi_slot *s;
	struct msi_msg m;
	uint64_t entry;
	int i, rc;

	rc = check_function(d, bdf);
	if (!rc)
		rc = msix_locate(bdf, entry_nr, table_base, &entry);
	if (rc)
		return rc;
	spin_lock(&lock);
	rc = -EBUSY;
	for (i = 0; i < MSI_NR_VECS; i++)
		if (slots[i].owner && slots[i].msix && slots[i].bdf == bdf &&
		    slots[i].msix_nr == entry_nr)
			goto out_unlock;
	i = rc = alloc_block(0);
	if (rc < 0)
		goto out_unlock;
	rc = msi_compose(dest_apic, VEC_MSI_BASE + (unsigned int)i, &m);
	if (rc)
		goto out_unlock;
	s = &slots[i];
	*s = (struct msi_slot){.owner = d,
			       .bdf = (uint16_t)bdf,
			       .msix = true,
			       .msix_nr = (uint16_t)entry_nr,
			       .entry = entry};
	slot_mask(s, true); /* masked before the message changes, until bound */
	mmio_write32(entry_reg(s, MSIX_ENTRY_ADDR_LO), m.addr_lo);
	mmio_write32(entry_reg(s, MSIX_ENTRY_ADDR_HI), m.addr_hi);
	mmio_write32(entry_reg(s, MSIX_ENTRY_DATA), m.data);
	rc = MSI_PIRQ_BASE + i;
	pr_info("MSI-X %02x:%02x.%u entry %u: vector 0x%x, PIRQ %d\n", bus, devfn >> 3, devfn & 7,
		entry_nr, VEC_MSI_BASE + i, rc);
out_unlock:
	spin_unlock(&lock);
	return rc;
}

int msi_check_msix(struct domain *d, unsigned int bus, unsigned int devfn)
{
	unsigned int bdf = bus << 8 | devfn;
	int rc = check_function(d, bdf);

	if (rc)
		return rc;
	return find_cap(bdf, PCI_CAP_ID_MSIX) ? 0 : -ENODEV;
}

/* The slot of a PIRQ d holds, NULL if none. lock held. */
static struct msi_slot *held(const struct domain *d, unsigned int pirq)
{
	if (pirq < MSI_PIRQ_BASE || pirq - MSI_PIRQ_BASE >= MSI_NR_VECS)
		return NULL;
	if (slots[pirq - MSI_PIRQ_BASE].owner != d)
		return NULL;
	return &slots[pirq - MSI_PIRQ_BASE];
}

/* Silences and frees s (an MSI-X entry or a whole MSI group by its first slot). lock held. */
static void release(struct msi_slot *s)
{
	if (s->msix) {
		slot_mask(s, true);
		mmio_write32(entry_reg(s, MSIX_ENTRY_ADDR_LO), 0);
		mmio_write32(entry_reg(s, MSIX_ENTRY_ADDR_HI), 0);
		mmio_write32(entry_reg(s, MSIX_ENTRY_DATA), 0);
		*s = (struct msi_slot){0};
		return;
	}
	/* Disabled first: the device must not send a half-cleared message. */
	wr(s->bdf, s->cap.pos,
	   rd(s->bdf, s->cap.pos) & ~((MSI_CTRL_ENABLE | MSI_CTRL_MME_MASK) << 16));
	if (s->cap.maskable)
		wr(s->bdf, s->cap.mask_reg, ~0u);
	wr(s->bdf, s->cap.pos + 4, 0);
	if (s->cap.is64)
		wr(s->bdf, s->cap.pos + 8, 0);
	wr(s->bdf, s->cap.data_reg, 0);
	for (unsigned int i = 1, n = s->group; i < n; i++)
		s[i] = (struct msi_slot){0};
	*s = (struct msi_slot){0};
}

int msi_unmap(struct domain *d, unsigned int pirq)
{
	struct msi_slot *s;
	int rc = -EINVAL;

	spin_lock(&lock);
	s = held(d, pirq);
	if (s && (s->msix || s->group)) { /* an MSI group goes by its first PIRQ */
		release(s);
		rc = 0;
	}
	spin_unlock(&lock);
	return rc;
}

bool msi_held_by(const struct domain *d, unsigned int pirq)
{
	bool yes;

	spin_lock(&lock);
	yes = held(d, pirq) != NULL;
	spin_unlock(&lock);
	return yes;
}

void msi_bound(struct domain *d, unsigned int pirq, bool bound)
{
	struct msi_slot *s;

	spin_lock(&lock);
	s = held(d, pirq);
	if (s) {
		s->bound = bound;
		slot_mask(s, !bound);
	}
	spin_unlock(&lock);
}

void msi_domain_destroy(struct domain *d)
{
	spin_lock(&lock);
	for (unsigned int i = 0; i < MSI_NR_VECS; i++)
		if (slots[i].owner == d && (slots[i].msix || slots[i].group))
			release(&slots[i]);
	spin_unlock(&lock);
}

bool msi_conf_write(unsigned int bdf, unsigned int reg, unsigned int off, unsigned int bytes,
		    uint32_t val)
{
	unsigned int pos = find_cap(bdf, PCI_CAP_ID_MSI);
	uint32_t mask = bytes == 4 ? ~0u : ((1u << (bytes * 8)) - 1) << (off * 8);
	struct msi_cap c;
	uint32_t old;

	if (!pos)
		return false;
	msi_cap_parse(pos, (uint16_t)(rd(bdf, pos) >> 16), &c);
	if (reg + 4 <= c.pos || reg >= c.end)
		return false;
	spin_lock(&lock);
	old = rd(bdf, reg);
	wr(bdf, reg, msi_filter_write(&c, reg, old, val << (off * 8), mask, msi_mapped(bdf)));
	spin_unlock(&lock);
	return true;
}
