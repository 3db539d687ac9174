/* SPDX-License-Identifier: MIT */
/* Guest ABI: memory_op (#12) — reservations, machphys mapping, memory maps (Xen 4.17, PV subset). */
#ifndef HOSPES_PUBLIC_MEMORY_H
#define HOSPES_PUBLIC_MEMORY_H

#include "xen.h"

/* memory_op(cmd, h arg). Returns as stated per command, or -XEN_E*. */
#define XENMEM_increase_reservation	  0  /* reservation: returns extents done */
#define XENMEM_decrease_reservation	  1  /* reservation: returns extents done */
#define XENMEM_maximum_ram_page		  2  /* arg NULL: returns the highest MFN of RAM */
#define XENMEM_current_reservation	  3  /* arg domid_t: returns pages the domain has */
#define XENMEM_maximum_reservation	  4  /* arg domid_t: returns its page limit */
#define XENMEM_machphys_mfn_list	  5  /* xen_machphys_mfn_list */
#define XENMEM_populate_physmap		  6  /* reservation: returns extents done */
#define XENMEM_add_to_physmap		  7  /* xen_add_to_physmap (translated guests) */
#define XENMEM_memory_map		  9  /* xen_memory_map: the domain's pseudo-physical E820 */
#define XENMEM_machine_memory_map	  10 /* xen_memory_map: the host E820 (dom0 only) */
#define XENMEM_exchange			  11 /* xen_memory_exchange */
#define XENMEM_machphys_mapping		  12 /* xen_machphys_mapping (OUT) */
#define XENMEM_set_memory_map		  13 /* xen_foreign_memory_map (toolstack) */
#define XENMEM_maximum_gpfn		  14 /* arg domid_t: returns the highest GPFN */
#define XENMEM_remove_from_physmap	  15 /* xen_remove_from_physmap */
#define XENMEM_claim_pages		  24 /* reservation (toolstack) */
#define XENMEM_get_vnumainfo		  26
#define XENMEM_reserved_device_memory_map 27
#define XENMEM_acquire_resource		  28

/* reservation.mem_flags */
#define XENMEMF_address_bits(x)	    (x) /* frames must lie below 2^x bytes (0 = any) */
#define XENMEMF_get_address_bits(x) ((x)&0xffu)
#define XENMEMF_node(x)		    (((x) + 1) << 8)
#define XENMEMF_populate_on_demand  (1u << 16)
#define XENMEMF_exact_node_request  (1u << 17)
#define XENMEMF_vnode		    (1u << 18)

/*
 * increase/decrease_reservation, populate_physmap: IN extent_start (VA of an xen_pfn_t array:
 * MFNs to free for decrease, GPFNs to fill for populate; OUT MFNs allocated for increase and,
 * for a PV guest, populate), nr_extents, extent_order (each extent 2^order pages), mem_flags,
 * domid. Returns the number of extents done (fewer than asked = stopped at an error).
 */
struct xen_memory_reservation {
	xen_guest_handle_t extent_start;
	xen_ulong_t nr_extents;
	uint32_t extent_order;
	uint32_t mem_flags;
	domid_t domid;
	uint16_t _pad0[3];
};
_Static_assert(sizeof(struct xen_memory_reservation) == 32, "xen_memory_reservation size");
_Static_assert(offsetof(struct xen_memory_reservation, nr_extents) == 8, "reservation.nr");
_Static_assert(offsetof(struct xen_memory_reservation, extent_order) == 16, "reservation.order");
_Static_assert(offsetof(struct xen_memory_reservation, mem_flags) == 20, "reservation.flags");
_Static_assert(offsetof(struct xen_memory_reservation, domid) == 24, "reservation.domid");

/* exchange: IN in (frames to give), out (frames to get). OUT nr_exchanged. Returns 0 or -XEN_E*. */
struct xen_memory_exchange {
	struct xen_memory_reservation in;
	struct xen_memory_reservation out;
	xen_ulong_t nr_exchanged;
};
_Static_assert(sizeof(struct xen_memory_exchange) == 72, "xen_memory_exchange size");
_Static_assert(offsetof(struct xen_memory_exchange, out) == 32, "exchange.out");
_Static_assert(offsetof(struct xen_memory_exchange, nr_exchanged) == 64, "exchange.nr_exchanged");

/*
 * machphys_mfn_list: IN max_extents, extent_start (VA of an xen_pfn_t array). OUT the MFNs that
 * hold the M2P table (one per 2 MiB of it), nr_extents.
 */
struct xen_machphys_mfn_list {
	uint32_t max_extents;
	uint32_t _pad0;
	xen_guest_handle_t extent_start;
	uint32_t nr_extents;
	uint32_t _pad1;
};
_Static_assert(sizeof(struct xen_machphys_mfn_list) == 24, "xen_machphys_mfn_list size");
_Static_assert(offsetof(struct xen_machphys_mfn_list, extent_start) == 8, "mfn_list.start");
_Static_assert(offsetof(struct xen_machphys_mfn_list, nr_extents) == 16, "mfn_list.nr");

/* machphys_mapping: OUT v_start, v_end (VA range of the M2P table), max_mfn it covers. */
struct xen_machphys_mapping {
	xen_ulong_t v_start;
	xen_ulong_t v_end;
	xen_ulong_t max_mfn;
};
_Static_assert(sizeof(struct xen_machphys_mapping) == 24, "xen_machphys_mapping size");

/* add_to_physmap: IN domid, size (gmfn_range), space (XENMAPSPACE_*), idx, gpfn. */
struct xen_add_to_physmap {
	domid_t domid;
	uint16_t size;
	uint32_t space;
	xen_ulong_t idx;
	xen_pfn_t gpfn;
};
_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "xen_add_to_physmap size");
_Static_assert(offsetof(struct xen_add_to_physmap, space) == 4, "add_to_physmap.space");
_Static_assert(offsetof(struct xen_add_to_physmap, idx) == 8, "add_to_physmap.idx");
_Static_assert(offsetof(struct xen_add_to_physmap, gpfn) == 16, "add_to_physmap.gpfn");
#define XENMAPSPACE_shared_info	     0
#define XENMAPSPACE_grant_table	     1
#define XENMAPSPACE_gmfn	     2
#define XENMAPSPACE_gmfn_range	     3
#define XENMAPSPACE_gmfn_foreign     4
#define XENMAPSPACE_dev_mmio	     5
#define XENMAPIDX_grant_table_status 0x80000000u

/* remove_from_physmap: IN domid, gpfn. */
struct xen_remove_from_physmap {
	domid_t domid;
	uint16_t _pad0[3];
	xen_pfn_t gpfn;
};
_Static_assert(sizeof(struct xen_remove_from_physmap) == 16, "xen_remove_from_physmap size");

/*
 * memory_map / machine_memory_map: IN nr_entries (room in buffer), buffer (VA of an array of
 * struct xen_e820_entry). OUT nr_entries written.
 */
struct xen_memory_map {
	uint32_t nr_entries;
	uint32_t _pad0;
	xen_guest_handle_t buffer;
};
_Static_assert(sizeof(struct xen_memory_map) == 16, "xen_memory_map size");
_Static_assert(offsetof(struct xen_memory_map, buffer) == 8, "xen_memory_map.buffer");

/* set_memory_map: IN domid and its map. */
struct xen_foreign_memory_map {
	domid_t domid;
	uint16_t _pad0[3];
	struct xen_memory_map map;
};
_Static_assert(sizeof(struct xen_foreign_memory_map) == 24, "xen_foreign_memory_map size");

/* One E820 entry as the memory-map buffers hold them: packed, 20 bytes. */
struct xen_e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type; /* XEN_E820_* */
} __attribute__((packed));
_Static_assert(sizeof(struct xen_e820_entry) == 20, "xen_e820_entry size");
#define XEN_E820_RAM	  1
#define XEN_E820_RESERVED 2
#define XEN_E820_ACPI	  3
#define XEN_E820_NVS	  4
#define XEN_E820_UNUSABLE 5

#endif /* HOSPES_PUBLIC_MEMORY_H */
