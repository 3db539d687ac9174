/* SPDX-License-Identifier: MIT */
/* Guest ABI: physdev_op (#33) — I/O privilege, PIRQs and PCI devices for dom0 (Xen 4.17). */
#ifndef HOSPES_PUBLIC_PHYSDEV_H
#define HOSPES_PUBLIC_PHYSDEV_H

#include "xen.h"

/* physdev_op(cmd, h arg). Returns 0 or -XEN_E*. */
#define PHYSDEVOP_irq_status_query   5
#define PHYSDEVOP_set_iopl	     6
#define PHYSDEVOP_set_iobitmap	     7
#define PHYSDEVOP_apic_read	     8
#define PHYSDEVOP_apic_write	     9
#define PHYSDEVOP_alloc_irq_vector   10
#define PHYSDEVOP_free_irq_vector    11
#define PHYSDEVOP_eoi		     12
#define PHYSDEVOP_map_pirq	     13
#define PHYSDEVOP_unmap_pirq	     14
#define PHYSDEVOP_manage_pci_add     15
#define PHYSDEVOP_manage_pci_remove  16
#define PHYSDEVOP_pirq_eoi_gmfn_v1   17
#define PHYSDEVOP_restore_msi	     19
#define PHYSDEVOP_manage_pci_add_ext 20
#define PHYSDEVOP_setup_gsi	     21
#define PHYSDEVOP_get_free_pirq	     23
#define PHYSDEVOP_pci_mmcfg_reserved 24
#define PHYSDEVOP_pci_device_add     25
#define PHYSDEVOP_pci_device_remove  26
#define PHYSDEVOP_pirq_eoi_gmfn_v2   28
#define PHYSDEVOP_dbgp_op	     29
#define PHYSDEVOP_prepare_msix	     30
#define PHYSDEVOP_release_msix	     31

/* eoi: IN irq (a PIRQ) to acknowledge. */
struct physdev_eoi {
	uint32_t irq;
};
_Static_assert(sizeof(struct physdev_eoi) == 4, "physdev_eoi size");

/* pirq_eoi_gmfn_v1/v2: IN gmfn of a bitmap page the hypervisor marks PIRQs needing EOI in. */
struct physdev_pirq_eoi_gmfn {
	xen_pfn_t gmfn;
};
_Static_assert(sizeof(struct physdev_pirq_eoi_gmfn) == 8, "physdev_pirq_eoi_gmfn size");

/* irq_status_query: IN irq. OUT flags (XENIRQSTAT_*). */
struct physdev_irq_status_query {
	uint32_t irq;
	uint32_t flags;
};
_Static_assert(sizeof(struct physdev_irq_status_query) == 8, "physdev_irq_status_query size");
#define XENIRQSTAT_needs_eoi (1u << 0)
#define XENIRQSTAT_shared    (1u << 1)

/*
 * set_iopl: IN iopl (0-3): the virtual I/O privilege level; the guest kernel may use port I/O
 * and cli/sti-like operations when iopl >= its ring (1 for a PV kernel).
 */
struct physdev_set_iopl {
	uint32_t iopl;
};
_Static_assert(sizeof(struct physdev_set_iopl) == 4, "physdev_set_iopl size");

/* set_iobitmap: IN bitmap (VA of a TSS-format I/O bitmap), nr_ports it covers. */
struct physdev_set_iobitmap {
	xen_guest_handle_t bitmap;
	uint32_t nr_ports;
	uint32_t _pad0;
};
_Static_assert(sizeof(struct physdev_set_iobitmap) == 16, "physdev_set_iobitmap size");

/* apic_read/apic_write: IN apic_physbase, reg. IN (write) or OUT (read) value. */
struct physdev_apic {
	uint64_t apic_physbase;
	uint32_t reg;
	uint32_t value;
};
_Static_assert(sizeof(struct physdev_apic) == 16, "physdev_apic size");

/* alloc/free_irq_vector: IN irq. OUT (alloc) vector. */
struct physdev_irq {
	uint32_t irq;
	uint32_t vector;
};
_Static_assert(sizeof(struct physdev_irq) == 8, "physdev_irq size");

/*
 * map_pirq: IN domid, type (MAP_PIRQ_TYPE_*), index (GSI or MSI vector), bus, devfn, entry_nr,
 * table_base. IN/OUT pirq (-1 = choose). Returns 0 or -XEN_E*.
 */
struct physdev_map_pirq {
	domid_t domid;
	uint16_t _pad0;
	int32_t type;
	int32_t index;
	int32_t pirq;
	int32_t bus; /* high 16 bits: PCI segment for MSI_SEG / MULTI_MSI */
	int32_t devfn;
	int32_t entry_nr;
	uint32_t _pad1;
	uint64_t table_base;
};
_Static_assert(sizeof(struct physdev_map_pirq) == 40, "physdev_map_pirq size");
_Static_assert(offsetof(struct physdev_map_pirq, type) == 4, "map_pirq.type");
_Static_assert(offsetof(struct physdev_map_pirq, pirq) == 12, "map_pirq.pirq");
_Static_assert(offsetof(struct physdev_map_pirq, entry_nr) == 24, "map_pirq.entry_nr");
_Static_assert(offsetof(struct physdev_map_pirq, table_base) == 32, "map_pirq.table_base");
#define MAP_PIRQ_TYPE_MSI	0x0
#define MAP_PIRQ_TYPE_GSI	0x1
#define MAP_PIRQ_TYPE_UNKNOWN	0x2
#define MAP_PIRQ_TYPE_MSI_SEG	0x3
#define MAP_PIRQ_TYPE_MULTI_MSI 0x4

/* unmap_pirq: IN domid, pirq. */
struct physdev_unmap_pirq {
	domid_t domid;
	uint16_t _pad0;
	int32_t pirq;
};
_Static_assert(sizeof(struct physdev_unmap_pirq) == 8, "physdev_unmap_pirq size");

/* manage_pci_add/remove, restore_msi: IN bus, devfn. */
struct physdev_manage_pci {
	uint8_t bus;
	uint8_t devfn;
};
_Static_assert(sizeof(struct physdev_manage_pci) == 2, "physdev_manage_pci size");

struct physdev_restore_msi {
	uint8_t bus;
	uint8_t devfn;
};
_Static_assert(sizeof(struct physdev_restore_msi) == 2, "physdev_restore_msi size");

/* manage_pci_add_ext: IN bus, devfn, is_extfn, is_virtfn, physfn. */
struct physdev_manage_pci_ext {
	uint8_t bus;
	uint8_t devfn;
	uint16_t _pad0;
	uint32_t is_extfn;
	uint32_t is_virtfn;
	struct {
		uint8_t bus;
		uint8_t devfn;
	} physfn;
	uint16_t _pad1;
};
_Static_assert(sizeof(struct physdev_manage_pci_ext) == 16, "physdev_manage_pci_ext size");
_Static_assert(offsetof(struct physdev_manage_pci_ext, physfn) == 12, "manage_pci_ext.physfn");

/* setup_gsi: IN gsi, triggering (0 edge, 1 level), polarity (0 high, 1 low). */
struct physdev_setup_gsi {
	int32_t gsi;
	uint8_t triggering;
	uint8_t polarity;
	uint16_t _pad0;
};
_Static_assert(sizeof(struct physdev_setup_gsi) == 8, "physdev_setup_gsi size");

/* get_free_pirq: IN type. OUT pirq. */
struct physdev_get_free_pirq {
	int32_t type;
	uint32_t pirq;
};
_Static_assert(sizeof(struct physdev_get_free_pirq) == 8, "physdev_get_free_pirq size");

/* pci_mmcfg_reserved: IN address, segment, start_bus, end_bus, flags (XEN_PCI_MMCFG_*). */
struct physdev_pci_mmcfg_reserved {
	uint64_t address;
	uint16_t segment;
	uint8_t start_bus;
	uint8_t end_bus;
	uint32_t flags;
};
_Static_assert(sizeof(struct physdev_pci_mmcfg_reserved) == 16, "pci_mmcfg_reserved size");
#define XEN_PCI_MMCFG_RESERVED 0x1

/* pci_device_add: IN seg, bus, devfn, flags (XEN_PCI_DEV_*), physfn, optional PXM after it. */
struct physdev_pci_device_add {
	uint16_t seg;
	uint8_t bus;
	uint8_t devfn;
	uint32_t flags;
	struct {
		uint8_t bus;
		uint8_t devfn;
	} physfn;
	uint16_t _pad0;
	uint32_t optarr[]; /* optarr[0] = PXM with XEN_PCI_DEV_PXM */
};
_Static_assert(sizeof(struct physdev_pci_device_add) == 12, "physdev_pci_device_add size");
_Static_assert(offsetof(struct physdev_pci_device_add, optarr) == 12, "pci_device_add.optarr");
#define XEN_PCI_DEV_EXTFN  0x1
#define XEN_PCI_DEV_VIRTFN 0x2
#define XEN_PCI_DEV_PXM	   0x4

/* pci_device_remove, prepare_msix, release_msix: IN seg, bus, devfn. */
struct physdev_pci_device {
	uint16_t seg;
	uint8_t bus;
	uint8_t devfn;
};
_Static_assert(sizeof(struct physdev_pci_device) == 4, "physdev_pci_device size");

/* physdev_op_compat (#19): the older commands wrapped in one struct. */
struct physdev_op {
	uint32_t cmd;
	uint32_t _pad0;
	union {
		struct physdev_irq_status_query irq_status_query;
		struct physdev_set_iopl set_iopl;
		struct physdev_set_iobitmap set_iobitmap;
		struct physdev_apic apic_op;
		struct physdev_irq irq_op;
	} u;
};
_Static_assert(sizeof(struct physdev_op) == 24, "physdev_op size");
_Static_assert(offsetof(struct physdev_op, u) == 8, "physdev_op.u");

#endif /* HOSPES_PUBLIC_PHYSDEV_H */
