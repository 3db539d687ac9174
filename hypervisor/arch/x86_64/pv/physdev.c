/* SPDX-License-Identifier: GPL-2.0-only */
/* physdev_op: I/O privilege, PIRQs for GSIs and MSIs, and the PCI devices Dom0 reports. */
#include <asm/cpu.h>
#include <asm/msi.h>
#include <asm/pci_conf.h>
#include <asm/pv.h>
#include <asm/pv_emul.h>
#include <hospes/domain.h>
#include <hospes/errno.h>
#include <hospes/event_channel.h>
#include <hospes/guest_access.h>
#include <hospes/irq.h>
#include <public/physdev.h>

#define PCI_VENDOR_NONE 0xffff

/*
 * MSI, MSI_SEG (segment in bus bits 16-31; only 0 exists) and MULTI_MSI: a table_base means an
 * MSI-X entry (entry_nr), else MSI with entry_nr vectors for MULTI_MSI, one otherwise. The
 * hypervisor chooses the PIRQs (pirq must be -1), and reads the device itself.
 */
static int map_msi(struct domain *d, const struct physdev_map_pirq *m)
{
	uint32_t seg = (uint32_t)m->bus >> 16;
	bool multi = m->type == MAP_PIRQ_TYPE_MULTI_MSI;

	if (m->type == MAP_PIRQ_TYPE_MSI && seg)
		return -EINVAL;
	if (seg)
		return -ENODEV;
	if (m->pirq != -1 || m->devfn < 0 || m->devfn > 0xff || m->entry_nr < 0)
		return -EINVAL;
	if (m->table_base && !multi)
		return msi_map_msix(d, m->bus & 0xff, (unsigned int)m->devfn,
				    (unsigned int)m->entry_nr, m->table_base);
	if (m->table_base || (!multi && m->entry_nr))
		return -EINVAL;
	return msi_map(d, m->bus & 0xff, (unsigned int)m->devfn,
		       multi ? (unsigned int)m->entry_nr : 1);
}

static long op_map_pirq(struct domain *d, uint64_t arg)
{
	struct physdev_map_pirq m;
	int rc;

	if (copy_from_guest(&m, arg, sizeof(m)))
		return -EFAULT;
	if (m.domid != DOMID_SELF && m.domid != d->domid)
		return -EPERM; /* PIRQs for other domains: no pass-through yet */
	switch (m.type) {
	case MAP_PIRQ_TYPE_GSI:
		if (m.index < 0 || (m.pirq != -1 && m.pirq != m.index))
			return -EINVAL; /* PIRQ n is GSI n */
		rc = irq_map_gsi(d, (unsigned int)m.index);
		break;
	case MAP_PIRQ_TYPE_MSI:
	case MAP_PIRQ_TYPE_MSI_SEG:
	case MAP_PIRQ_TYPE_MULTI_MSI:
		rc = map_msi(d, &m);
		break;
	default:
		return -EINVAL;
	}
	if (rc < 0)
		return rc;
	m.pirq = rc;
	return copy_to_guest(arg, &m, sizeof(m)) ? -EFAULT : 0;
}

static long op_setup_gsi(struct domain *d, uint64_t arg)
{
	struct physdev_setup_gsi g;

	if (copy_from_guest(&g, arg, sizeof(g)))
		return -EFAULT;
	if (g.gsi < 0 || g.triggering > 1 || g.polarity > 1)
		return -EINVAL;
	return irq_setup_gsi(d, (unsigned int)g.gsi, g.triggering, g.polarity);
}

static long op_pirq(struct domain *d, unsigned int cmd, uint64_t arg)
{
	union {
		struct physdev_unmap_pirq unmap;
		struct physdev_eoi eoi;
		struct physdev_irq_status_query q;
	} u;
	size_t size = cmd == PHYSDEVOP_unmap_pirq ? sizeof(u.unmap)
		      : cmd == PHYSDEVOP_eoi	  ? sizeof(u.eoi)
						  : sizeof(u.q);
	long rc;

	if (copy_from_guest(&u, arg, size))
		return -EFAULT;
	if (cmd == PHYSDEVOP_unmap_pirq) {
		if (u.unmap.domid != DOMID_SELF && u.unmap.domid != d->domid)
			return -EPERM;
		return u.unmap.pirq < 0 ? -EINVAL : irq_unmap(d, (unsigned int)u.unmap.pirq);
	}
	if (cmd == PHYSDEVOP_eoi)
		return irq_eoi(d, u.eoi.irq);
	rc = irq_status(d, u.q.irq, &u.q.flags);
	if (rc)
		return rc;
	return copy_to_guest(arg, &u.q, sizeof(u.q)) ? -EFAULT : 0;
}

/* Dom0 tells us about a PCI device it found: accepted if it is there (segment 0 only). */
static long op_pci_device(struct domain *d, unsigned int cmd, uint64_t arg)
{
	struct physdev_pci_device_add a;
	unsigned int bus, devfn;

	if (!d->is_privileged)
		return -EPERM;
	if (cmd == PHYSDEVOP_pci_device_add) {
		if (copy_from_guest(&a, arg, sizeof(a)))
			return -EFAULT;
		if (a.seg != 0)
			return -ENODEV;
		bus = a.bus;
		devfn = a.devfn;
	} else {
		struct physdev_manage_pci m;

		if (copy_from_guest(&m, arg, sizeof(m)))
			return -EFAULT;
		bus = m.bus;
		devfn = m.devfn;
	}
	if ((pci_conf_read32(bus, devfn >> 3, devfn & 7, 0) & 0xffff) == PCI_VENDOR_NONE)
		return -ENODEV;
	return 0;
}

/* prepare_msix/release_msix: nothing to set up (the table is not remapped); the device must be. */
static long op_msix(struct domain *d, uint64_t arg)
{
	struct physdev_pci_device p;

	if (copy_from_guest(&p, arg, sizeof(p)))
		return -EFAULT;
	if (p.seg)
		return -ENODEV;
	return msi_check_msix(d, p.bus, p.devfn);
}

/*
 * alloc_irq_vector: the old interface Linux still calls after map_pirq. The vector is
 * ours to choose (GSI n has its own); Linux keeps the number without using it, so the IRQ
 * number itself goes back, as Xen answers.
 */
static long op_irq_vector(struct domain *d, unsigned int cmd, uint64_t arg)
{
	struct physdev_irq op;

	if (!d->is_privileged)
		return -EPERM;
	if (copy_from_guest(&op, arg, sizeof(op)))
		return -EFAULT;
	if (op.irq >= EVTCHN_NR_PIRQS)
		return -EINVAL;
	if (cmd == PHYSDEVOP_free_irq_vector)
		return 0;
	op.vector = op.irq;
	return copy_to_guest(arg, &op, sizeof(op)) ? -EFAULT : 0;
}

static long op_iopl(struct vcpu *v, unsigned int cmd, uint64_t arg)
{
	if (cmd == PHYSDEVOP_set_iopl) {
		struct physdev_set_iopl op;

		if (copy_from_guest(&op, arg, sizeof(op)))
			return -EFAULT;
		if (op.iopl > 3)
			return -EINVAL;
		v->arch.iopl = op.iopl;
		return 0;
	}
	struct physdev_set_iobitmap op;

	if (copy_from_guest(&op, arg, sizeof(op)))
		return -EFAULT;
	if (op.nr_ports > 65536)
		return -EINVAL;
	v->arch.iobmp = op.bitmap;
	v->arch.iobmp_nr = op.nr_ports;
	return 0;
}

long do_physdev_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct vcpu *v = current_vcpu();

	switch (cmd) {
	case PHYSDEVOP_set_iopl:
	case PHYSDEVOP_set_iobitmap:
		return op_iopl(v, (unsigned int)cmd, arg);
	case PHYSDEVOP_map_pirq:
		return op_map_pirq(v->domain, arg);
	case PHYSDEVOP_setup_gsi:
		return op_setup_gsi(v->domain, arg);
	case PHYSDEVOP_unmap_pirq:
	case PHYSDEVOP_eoi:
	case PHYSDEVOP_irq_status_query:
		return op_pirq(v->domain, (unsigned int)cmd, arg);
	case PHYSDEVOP_alloc_irq_vector:
	case PHYSDEVOP_free_irq_vector:
		return op_irq_vector(v->domain, (unsigned int)cmd, arg);
	case PHYSDEVOP_pci_device_add:
	case PHYSDEVOP_manage_pci_add:
		return op_pci_device(v->domain, (unsigned int)cmd, arg);
	case PHYSDEVOP_prepare_msix:
	case PHYSDEVOP_release_msix:
		return op_msix(v->domain, arg);
	default:
		return -ENOSYS;
	}
}
