/* SPDX-License-Identifier: MIT */
/* pvkit: grant tables (v1) — the guest's own table, granting, mapping and copying grants. */
#ifndef PVKIT_GRANT_H
#define PVKIT_GRANT_H

#include "lib.h"
#include <public/grant_table.h>

#define PV_GNTTAB_MAX_FRAMES 4

/*
 * Selects grant table v1, sets up nr_frames (<= PV_GNTTAB_MAX_FRAMES) table frames and maps
 * them. Returns 0, -XEN_E* from the hypercall, or a GNTST_* status (negative, small).
 */
long pv_gnttab_init(unsigned int nr_frames);
/* The mapped table (NULL before init) and its number of entries. */
struct grant_entry_v1 *pv_gnttab_table(void);
unsigned int pv_gnttab_nr_entries(void);

/* Grants domid access to frame (an MFN); returns the reference, or 0 if the table is full. */
grant_ref_t pv_gnttab_grant_access(domid_t domid, xen_pfn_t frame, bool readonly);
/* Revokes it; fails (returns false) while the grantee still has it mapped. */
bool pv_gnttab_end_access(grant_ref_t ref);

/* map_grant_ref with GNTMAP_host_map (| readonly) at a page-aligned VA; returns status. */
int16_t pv_gnttab_map(domid_t dom, grant_ref_t ref, void *va, bool readonly,
		      grant_handle_t *handle);
int16_t pv_gnttab_unmap(void *va, grant_handle_t handle);
/* Copies len bytes from (dom, ref, offset) to a local buffer (must not cross a page). */
int16_t pv_gnttab_copy_from(domid_t dom, grant_ref_t ref, uint16_t offset, void *dst, uint16_t len);
long pv_gnttab_query_size(struct gnttab_query_size *out);
long pv_gnttab_set_version(uint32_t version);

#endif /* PVKIT_GRANT_H */
