/* SPDX-License-Identifier: GPL-2.0-only */
/* PV page ownership, types and reference counts: the rules, independent of the CPU and paging. */
#ifndef HOSPES_PAGETYPE_H
#define HOSPES_PAGETYPE_H

#include <hospes/frame.h>
#include <hospes/types.h>

/*
 * frame_info.type_info: [63:60] type, bit 59 validated, bit 58 pinned, [31:0] type count.
 * A frame has one type while its type count is non-zero; with a count of 0 the type is free to
 * change (the field then reads as PGT_NONE). Page-table and descriptor types are validated on
 * the 0 -> 1 transition (every entry checked and referenced) and devalidated on 1 -> 0.
 * When the count drops to 0 the type bits stay (as a history) and frame_info.aux records the
 * TLB-flush clock: taking a different type later flushes first unless a flush happened since,
 * so no stale writable or table TLB entry outlives a type.
 * frame_info.count_info: bit 31 "allocated" (the domain's own reference, dropped by
 * decrease_reservation), bit 30 "xen heap" (shared_info, grant frames: the hypervisor's pages
 * the domain may map), [29:0] general reference count, the allocated one included.
 */
enum page_type {
	PGT_NONE = 0,
	PGT_L1 = 1,
	PGT_L2 = 2,
	PGT_L3 = 3,
	PGT_L4 = 4,
	PGT_SEG_DESC = 5,
	PGT_WRITABLE = 6,
};

#define PGT_TYPE_SHIFT	   60
#define PGT_TYPE_MASK	   (0xfULL << PGT_TYPE_SHIFT)
#define PGT_VALIDATED	   (1ULL << 59)
#define PGT_PINNED	   (1ULL << 58)
#define PGT_COUNT_MASK	   0xffffffffULL
#define PGC_ALLOCATED	   (1U << 31)
#define PGC_XEN_HEAP	   (1U << 30) /* a hypervisor page lent to the domain: never released */
#define PGC_COUNT_MASK	   0x3fffffffU

#define PT_ENTRIES	   512
#define PT_HV_FIRST_SLOT   256 /* L4 slots the hypervisor owns */
#define PT_HV_LAST_SLOT	   271
#define PT_GDT_GUEST_ENTRY 7168 /* first descriptor the guest may not own */

/* Where frames and their contents are, and the hooks the rules call back. */
struct pt_env {
	struct frame_info *frames;
	uint64_t nr_frames;
	uint64_t *(*map)(uint64_t mfn); /* the frame's 512 words */
	void (*release)(uint64_t mfn);	/* the last general reference went (may be NULL) */
	void (*flush)(uint16_t domid);	/* flushes the TLBs holding domid's entries (or NULL) */
	uint32_t *flush_clock;		/* bumped on every flush made here (NULL: always flush) */
	const uint64_t *hv_l4;		/* slots 256-271 copied into every validated L4 (or NULL) */
	bool (*io_frame)(uint64_t mfn); /* not RAM: an I/O-capable domain may map it (or NULL) */
	bool nx_ok;			/* the CPU has NX: bit 63 allowed */
};

/* The domain on whose behalf entries are checked. */
struct pt_dom {
	uint16_t domid;
	bool cache_attrs_ok; /* may use PWT/PCD/PAT in L1 entries (I/O-capable domains) */
	bool io_ok;	     /* may map env->io_frame frames in L1 entries (no references) */
	/*
	 * A foreign update (mmu_update's foreigndom, a privileged caller): new L1 entries must map
	 * frames pg_owner owns, writable ones able to take the writable type (else -EBUSY for RAM,
	 * -EPERM for I/O frames, as Xen answers), and
	 * no L2-L4 entry may be written. Such a reference also counts in frame_info.foreign, so
	 * that the owner's death keeps the frame.
	 */
	bool foreign;
	uint16_t pg_owner;
};

static inline enum page_type page_type_of(const struct frame_info *f)
{
	return (f->type_info & PGT_COUNT_MASK) ? (enum page_type)(f->type_info >> PGT_TYPE_SHIFT)
					       : PGT_NONE;
}

/* A general reference on a frame dom owns. 0, -EINVAL (not its frame) or -EBUSY (overflow). */
int page_get(const struct pt_env *env, uint64_t mfn, uint16_t domid);
/* Drops a general reference; the last one calls env->release. */
void page_put(const struct pt_env *env, uint64_t mfn);

/*
 * A type reference (the caller holds a general reference). With a type count of 0 the frame
 * takes the type and, for tables and descriptor pages, is validated; otherwise the type must
 * match. 0, -EINVAL (conflicting type, or validation failed) or -EBUSY (overflow).
 */
int page_get_type(const struct pt_env *env, const struct pt_dom *d, uint64_t mfn,
		  enum page_type type);
void page_put_type(const struct pt_env *env, const struct pt_dom *d, uint64_t mfn);

/* page_get then page_get_type, undoing the first if the second fails. */
int page_get_and_type(const struct pt_env *env, const struct pt_dom *d, uint64_t mfn,
		      enum page_type type);
void page_put_and_type(const struct pt_env *env, const struct pt_dom *d, uint64_t mfn);

/* The flags of a present entry at level 1-4 (no references looked at). 0 or -EINVAL. */
int pte_check_flags(const struct pt_env *env, const struct pt_dom *d, unsigned int level,
		    uint64_t pte);

/*
 * Replaces entry idx of the validated level-`level` table at table_mfn by pte: the new entry is
 * checked and referenced, then written (US forced on, A/D kept from the old entry when
 * preserve_ad), then the old entry's references are dropped. L4 slots 256-271 are refused.
 */
int page_mod_entry(const struct pt_env *env, const struct pt_dom *d, uint64_t table_mfn,
		   unsigned int level, unsigned int idx, uint64_t pte, bool preserve_ad);

/*
 * A grant mapping at entry idx of d's validated L1 table_mfn: pte is written tagged (bit 62,
 * which guests may never set) and takes no reference: the grant holds its own. The old entry's
 * references go. pte 0 removes a grant mapping. 0 or -EINVAL.
 */
int page_set_grant_entry(const struct pt_env *env, const struct pt_dom *d, uint64_t table_mfn,
			 unsigned int idx, uint64_t pte);

/*
 * Clears every entry of d's validated L1 table_mfn that maps another domain's frame (not grant
 * mappings: their grants hold the references), dropping its references: a dying domain lets go
 * of what it mapped from others.
 */
void page_drop_foreign_entries(const struct pt_env *env, const struct pt_dom *d,
			       uint64_t table_mfn);

/*
 * A dying domain's frame that other domains still reference (frame_info.foreign > 0) becomes an
 * orphan: owner DOMID_ORPHAN (nobody can take new references), no type, and a general count of
 * exactly those references, so that the last of them releases it (env->release). Returns true if
 * the frame was orphaned; false if nobody else holds it (the caller frees it).
 */
bool page_orphan(const struct pt_env *env, uint64_t mfn);

/* Checks one segment descriptor of a 64-bit PV guest and fixes it up (DPL); 0 or -EINVAL. */
int desc_check(uint64_t *desc);

#endif /* HOSPES_PAGETYPE_H */
