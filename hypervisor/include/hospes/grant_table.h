/* SPDX-License-Identifier: GPL-2.0-only */
/* Grant tables v1: per-domain tables, pin counts, and the shared-entry flag protocol. */
#ifndef HOSPES_GRANT_TABLE_H
#define HOSPES_GRANT_TABLE_H

#include <hospes/types.h>
#include <public/grant_table.h>
#include <public/xen.h>

#define GNTTAB_MAX_FRAMES	 32   /* max_nr_frames a domain may set up */
#define GNTTAB_MAX_MAPS		 1024 /* grant mappings a domain may hold (maptrack) */
#define GNTTAB_ENTRIES_PER_FRAME (4096 / sizeof(struct grant_entry_v1))

/* Pin counts of one grant entry (Xen's active entry): host/device, read/write, 8 bits each. */
#define GNTPIN_HSTR_INC 0x00000001u
#define GNTPIN_HSTW_INC 0x00000100u
#define GNTPIN_DEVR_INC 0x00010000u
#define GNTPIN_DEVW_INC 0x01000000u
#define GNTPIN_WRITERS	0xff00ff00u /* host and device writers */
#define GNTPIN_OVERFLOW 0x80808080u /* a count about to overflow */

struct gnttab_active {
	uint32_t pin;  /* GNTPIN_* counts; 0: not in use */
	domid_t domid; /* the domain holding the pins (valid while pin != 0) */
	uint16_t _pad;
	uint64_t frame; /* the granted frame, fixed while pinned */
};

/*
 * Pure checks on a shared v1 entry (host unit-tested). The entry is guest memory the granting
 * domain may change at any time: only atomic accesses.
 *
 * gnttab_entry_acquire: the entry must be GTF_permit_access for ldom, and not read-only if a
 * writable use is asked for (and no GTF_sub_page for a mapping); then GTF_reading (and
 * GTF_writing) are set atomically. Returns GNTST_okay or GNTST_general_error.
 */
int gnttab_entry_acquire(struct grant_entry_v1 *e, domid_t ldom, bool readonly, bool mapping);

/*
 * Adds a pin (GNTPIN_*_INC) to act for ldom, taking the shared entry first if needed (mapping:
 * for map_grant_ref, not copy). Returns a GNTST_* code; on success act->frame is the frame.
 */
int gnttab_pin(struct gnttab_active *act, struct grant_entry_v1 *e, domid_t ldom, uint32_t inc,
	       bool mapping);

/* Drops a pin; clears GTF_writing with the last writer and GTF_reading with the last pin. */
void gnttab_unpin(struct gnttab_active *act, struct grant_entry_v1 *e, uint32_t inc);

/* GNTTABOP_copy bounds: neither side may cross its page. GNTST_okay or GNTST_bad_copy_arg. */
int gnttab_copy_bounds(uint16_t src_off, uint16_t dst_off, uint16_t len);

struct domain;

/* grant_table_op(cmd, uop, count). */
long do_grant_table_op(uint64_t cmd, uint64_t uop, uint64_t count, uint64_t a4, uint64_t a5);

/* Frees a dying domain's table; its frames go back to the hypervisor. */
void gnttab_domain_destroy(struct domain *d);

#endif /* HOSPES_GRANT_TABLE_H */
