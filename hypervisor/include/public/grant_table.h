/* SPDX-License-Identifier: MIT */
/* Guest ABI: grant tables (v1 entries, v2 layout for reference) and grant_table_op (#20), Xen 4.17. */
#ifndef HOSPES_PUBLIC_GRANT_TABLE_H
#define HOSPES_PUBLIC_GRANT_TABLE_H

#include "xen.h"

typedef uint32_t grant_ref_t;	 /* index into the granting domain's table */
typedef uint32_t grant_handle_t; /* names one mapping made by map_grant_ref */

/*
 * A v1 grant entry, written by the granting guest in its shared table frames. The guest fills
 * domid and frame first and sets flags last (with a write barrier in between).
 */
struct grant_entry_v1 {
	uint16_t flags; /* GTF_* */
	domid_t domid;	/* the domain allowed to use the grant */
	uint32_t frame; /* the granted frame (MFN for PV), or the frame to receive a transfer */
};
_Static_assert(sizeof(struct grant_entry_v1) == 8, "grant_entry_v1 size");
_Static_assert(offsetof(struct grant_entry_v1, domid) == 2, "grant_entry_v1.domid");
_Static_assert(offsetof(struct grant_entry_v1, frame) == 4, "grant_entry_v1.frame");

#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE	   0
#define GNTTAB_RESERVED_XENSTORE   1

/* grant_entry_v1.flags: type in bits 0-1, then access flags. */
#define GTF_invalid	       (0u << 0)
#define GTF_permit_access      (1u << 0)
#define GTF_accept_transfer    (2u << 0)
#define GTF_transitive	       (3u << 0)
#define GTF_type_mask	       (3u << 0)
#define GTF_readonly	       (1u << 2) /* grantee may only map read-only */
#define GTF_reading	       (1u << 3) /* (hypervisor) grantee has it mapped/read */
#define GTF_writing	       (1u << 4) /* (hypervisor) grantee has it mapped/written */
#define GTF_PWT		       (1u << 5)
#define GTF_PCD		       (1u << 6)
#define GTF_PAT		       (1u << 7)
#define GTF_sub_page	       (1u << 8)
#define GTF_transfer_committed (1u << 2)
#define GTF_transfer_completed (1u << 3)

/* v2 entries (16 bytes) for reference; Hospes implements v1 only. */
struct grant_entry_header {
	uint16_t flags;
	domid_t domid;
};
_Static_assert(sizeof(struct grant_entry_header) == 4, "grant_entry_header size");

union grant_entry_v2 {
	struct grant_entry_header hdr;
	struct {
		struct grant_entry_header hdr;
		uint32_t pad0;
		uint64_t frame;
	} full_page;
	struct {
		struct grant_entry_header hdr;
		uint16_t page_off;
		uint16_t length;
		uint64_t frame;
	} sub_page;
	struct {
		struct grant_entry_header hdr;
		domid_t trans_domid;
		uint16_t pad0;
		grant_ref_t gref;
	} transitive;
	uint32_t __spacer[4];
};
_Static_assert(sizeof(union grant_entry_v2) == 16, "grant_entry_v2 size");
typedef uint16_t grant_status_t;

/*
 * grant_table_op(cmd, h arg[], count): arg is an array of count structs of the command's type.
 * The hypercall returns 0 when it could process the array (per-entry results are in each
 * entry's status, GNTST_*), or -XEN_E* for a bad command or an unreadable array.
 */
#define GNTTABOP_map_grant_ref	   0
#define GNTTABOP_unmap_grant_ref   1
#define GNTTABOP_setup_table	   2
#define GNTTABOP_dump_table	   3
#define GNTTABOP_transfer	   4
#define GNTTABOP_copy		   5
#define GNTTABOP_query_size	   6
#define GNTTABOP_unmap_and_replace 7
#define GNTTABOP_set_version	   8
#define GNTTABOP_get_status_frames 9
#define GNTTABOP_get_version	   10
#define GNTTABOP_swap_grant_ref	   11
#define GNTTABOP_cache_flush	   12

/*
 * map_grant_ref: IN host_addr (VA to map at, with GNTMAP_host_map; or the machine address of a
 * PTE with GNTMAP_contains_pte), flags (GNTMAP_*), ref, dom (granting domain). OUT status,
 * handle (for unmap), dev_bus_addr (with GNTMAP_device_map).
 */
struct gnttab_map_grant_ref {
	uint64_t host_addr;
	uint32_t flags;
	grant_ref_t ref;
	domid_t dom;
	int16_t status;
	grant_handle_t handle;
	uint64_t dev_bus_addr;
};
_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32, "gnttab_map_grant_ref size");
_Static_assert(offsetof(struct gnttab_map_grant_ref, ref) == 12, "map_grant_ref.ref");
_Static_assert(offsetof(struct gnttab_map_grant_ref, dom) == 16, "map_grant_ref.dom");
_Static_assert(offsetof(struct gnttab_map_grant_ref, status) == 18, "map_grant_ref.status");
_Static_assert(offsetof(struct gnttab_map_grant_ref, handle) == 20, "map_grant_ref.handle");
_Static_assert(offsetof(struct gnttab_map_grant_ref, dev_bus_addr) == 24, "map_grant_ref.bus");

/* unmap_grant_ref: IN host_addr, dev_bus_addr (0 if none), handle. OUT status. */
struct gnttab_unmap_grant_ref {
	uint64_t host_addr;
	uint64_t dev_bus_addr;
	grant_handle_t handle;
	int16_t status;
	uint16_t _pad0;
};
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24, "gnttab_unmap_grant_ref size");
_Static_assert(offsetof(struct gnttab_unmap_grant_ref, handle) == 16, "unmap_grant_ref.handle");
_Static_assert(offsetof(struct gnttab_unmap_grant_ref, status) == 20, "unmap_grant_ref.status");

/*
 * setup_table: IN dom (DOMID_SELF), nr_frames (table size to provide), frame_list (VA of an
 * array of nr_frames xen_pfn_t). OUT status, and the table's MFNs in frame_list.
 */
struct gnttab_setup_table {
	domid_t dom;
	uint16_t _pad0;
	uint32_t nr_frames;
	int16_t status;
	uint16_t _pad1[3];
	xen_guest_handle_t frame_list;
};
_Static_assert(sizeof(struct gnttab_setup_table) == 24, "gnttab_setup_table size");
_Static_assert(offsetof(struct gnttab_setup_table, nr_frames) == 4, "setup_table.nr_frames");
_Static_assert(offsetof(struct gnttab_setup_table, status) == 8, "setup_table.status");
_Static_assert(offsetof(struct gnttab_setup_table, frame_list) == 16, "setup_table.frame_list");

/* dump_table: IN dom. OUT status. Prints the table on the hypervisor console. */
struct gnttab_dump_table {
	domid_t dom;
	int16_t status;
};
_Static_assert(sizeof(struct gnttab_dump_table) == 4, "gnttab_dump_table size");

/* transfer: IN mfn to give away, domid, ref (the receiver's GTF_accept_transfer entry). OUT status. */
struct gnttab_transfer {
	xen_pfn_t mfn;
	domid_t domid;
	uint16_t _pad0;
	grant_ref_t ref;
	int16_t status;
	uint16_t _pad1[3];
};
_Static_assert(sizeof(struct gnttab_transfer) == 24, "gnttab_transfer size");
_Static_assert(offsetof(struct gnttab_transfer, ref) == 12, "gnttab_transfer.ref");
_Static_assert(offsetof(struct gnttab_transfer, status) == 16, "gnttab_transfer.status");

/*
 * copy: IN source and dest (each a grant ref of domid, with GNTCOPY_*_gref in flags, or a frame
 * of the caller), byte offsets, len (neither side may cross its page). OUT status.
 */
struct gnttab_copy_ptr {
	union {
		grant_ref_t ref;
		xen_pfn_t gmfn;
	} u;
	domid_t domid;
	uint16_t offset;
	uint32_t _pad0;
};
_Static_assert(sizeof(struct gnttab_copy_ptr) == 16, "gnttab_copy_ptr size");
_Static_assert(offsetof(struct gnttab_copy_ptr, domid) == 8, "gnttab_copy_ptr.domid");
_Static_assert(offsetof(struct gnttab_copy_ptr, offset) == 10, "gnttab_copy_ptr.offset");

struct gnttab_copy {
	struct gnttab_copy_ptr source;
	struct gnttab_copy_ptr dest;
	uint16_t len;
	uint16_t flags; /* GNTCOPY_* */
	int16_t status;
	uint16_t _pad0;
};
_Static_assert(sizeof(struct gnttab_copy) == 40, "gnttab_copy size");
_Static_assert(offsetof(struct gnttab_copy, dest) == 16, "gnttab_copy.dest");
_Static_assert(offsetof(struct gnttab_copy, len) == 32, "gnttab_copy.len");
_Static_assert(offsetof(struct gnttab_copy, flags) == 34, "gnttab_copy.flags");
_Static_assert(offsetof(struct gnttab_copy, status) == 36, "gnttab_copy.status");
#define GNTCOPY_source_gref (1u << 0)
#define GNTCOPY_dest_gref   (1u << 1)

/* query_size: IN dom. OUT nr_frames (current), max_nr_frames, status. */
struct gnttab_query_size {
	domid_t dom;
	uint16_t _pad0;
	uint32_t nr_frames;
	uint32_t max_nr_frames;
	int16_t status;
	uint16_t _pad1;
};
_Static_assert(sizeof(struct gnttab_query_size) == 16, "gnttab_query_size size");
_Static_assert(offsetof(struct gnttab_query_size, nr_frames) == 4, "query_size.nr_frames");
_Static_assert(offsetof(struct gnttab_query_size, max_nr_frames) == 8, "query_size.max");
_Static_assert(offsetof(struct gnttab_query_size, status) == 12, "query_size.status");

/* unmap_and_replace: IN host_addr, new_addr (its mapping moves to host_addr), handle. OUT status. */
struct gnttab_unmap_and_replace {
	uint64_t host_addr;
	uint64_t new_addr;
	grant_handle_t handle;
	int16_t status;
	uint16_t _pad0;
};
_Static_assert(sizeof(struct gnttab_unmap_and_replace) == 24, "gnttab_unmap_and_replace size");

/* set_version: IN version (1 or 2). OUT version now in force. Returns 0 or -XEN_E*. */
struct gnttab_set_version {
	uint32_t version;
};
_Static_assert(sizeof(struct gnttab_set_version) == 4, "gnttab_set_version size");

/* get_status_frames (v2): IN nr_frames, dom, frame_list. OUT status, frames. */
struct gnttab_get_status_frames {
	uint32_t nr_frames;
	domid_t dom;
	int16_t status;
	xen_guest_handle_t frame_list;
};
_Static_assert(sizeof(struct gnttab_get_status_frames) == 16, "gnttab_get_status_frames size");

/* get_version: IN dom. OUT version. */
struct gnttab_get_version {
	domid_t dom;
	uint16_t pad;
	uint32_t version;
};
_Static_assert(sizeof(struct gnttab_get_version) == 8, "gnttab_get_version size");
_Static_assert(offsetof(struct gnttab_get_version, version) == 4, "gnttab_get_version.version");

/* swap_grant_ref: IN ref_a, ref_b (entries swapped). OUT status. */
struct gnttab_swap_grant_ref {
	grant_ref_t ref_a;
	grant_ref_t ref_b;
	int16_t status;
	uint16_t _pad0;
};
_Static_assert(sizeof(struct gnttab_swap_grant_ref) == 12, "gnttab_swap_grant_ref size");

/* cache_flush: IN address or ref, offset, length, op (GNTTAB_CACHE_*). */
struct gnttab_cache_flush {
	union {
		uint64_t dev_bus_addr;
		grant_ref_t ref;
	} a;
	uint16_t offset;
	uint16_t length;
	uint32_t op;
};
_Static_assert(sizeof(struct gnttab_cache_flush) == 16, "gnttab_cache_flush size");
#define GNTTAB_CACHE_CLEAN	 (1u << 0)
#define GNTTAB_CACHE_INVAL	 (1u << 1)
#define GNTTAB_CACHE_SOURCE_GREF (1u << 31)

/* map_grant_ref flags */
#define GNTMAP_device_map	(1u << 0)
#define GNTMAP_host_map		(1u << 1)
#define GNTMAP_readonly		(1u << 2)
#define GNTMAP_application_map	(1u << 3)
#define GNTMAP_contains_pte	(1u << 4)
#define GNTMAP_guest_avail0	16
#define GNTMAP_guest_avail_mask (0xFFFFFFFFu << GNTMAP_guest_avail0)

/* Per-entry status codes (GNTST_*), written into each op's status field. */
#define GNTST_okay		0
#define GNTST_general_error	(-1)
#define GNTST_bad_domain	(-2)
#define GNTST_bad_gntref	(-3)
#define GNTST_bad_handle	(-4)
#define GNTST_bad_virt_addr	(-5)
#define GNTST_bad_dev_addr	(-6)
#define GNTST_no_device_space	(-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page		(-9)
#define GNTST_bad_copy_arg	(-10)
#define GNTST_address_too_big	(-11)
#define GNTST_eagain		(-12)
#define GNTST_no_space		(-13)

#endif /* HOSPES_PUBLIC_GRANT_TABLE_H */
