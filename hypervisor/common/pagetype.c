/* SPDX-License-Identifier: GPL-2.0-only */
/* PV page types and reference counts: get/put, table validation, checked entry updates. */
#include <hospes/errno.h>
#include <hospes/pagetype.h>

#define E_P	  (1ULL << 0)
#define E_W	  (1ULL << 1)
#define E_U	  (1ULL << 2)
#define E_PWT	  (1ULL << 3)
#define E_PCD	  (1ULL << 4)
#define E_A	  (1ULL << 5)
#define E_D	  (1ULL << 6)
#define E_PS	  (1ULL << 7) /* PAT in an L1 entry */
#define E_G	  (1ULL << 8)
#define E_NX	  (1ULL << 63)
#define E_GNTTAB  (1ULL << 62) /* Xen's grant-mapping tag: never from the guest */
#define E_ADDR	  0x000ffffffffff000ULL
#define E_CACHE	  (E_PWT | E_PCD | E_PS)
#define COUNT_MAX 0x3ffffff0U

static struct frame_info *frame_of(const struct pt_env *env, uint64_t mfn)
{
	return mfn < env->nr_frames ? &env->frames[mfn] : NULL;
}

static uint64_t entry_mfn(uint64_t pte)
{
	return (pte & E_ADDR) >> 12;
}

int page_get(const struct pt_env *env, uint64_t mfn, uint16_t domid)
{
	struct frame_info *f = frame_of(env, mfn);

	if (!f || f->state != FRAME_GUEST || f->owner != domid)
		return -EINVAL;
	if ((f->count_info & PGC_COUNT_MASK) >= COUNT_MAX)
		return -EBUSY;
	f->count_info++;
	return 0;
}

void page_put(const struct pt_env *env, uint64_t mfn)
{
	struct frame_info *f = frame_of(env, mfn);

	if (!f || !(f->count_info & PGC_COUNT_MASK))
		return; /* never: every put pairs with a get */
	f->count_info--;
	if (!(f->count_info & PGC_COUNT_MASK) && env->release)
		env->release(mfn);
}

static bool is_hv_slot(unsigned int level, unsigned int idx)
{
	return level == 4 && idx >= PT_HV_FIRST_SLOT && idx <= PT_HV_LAST_SLOT;
}

int pte_check_flags(const struct pt_env *env, const struct pt_dom *d, unsigned int level,
		    uint64_t pte)
{
	uint64_t bad = 0; /* as Xen: P, RW, US, A, D, AVAIL 9-11 and 52-62, NX always allowed */

	if (!env->nx_ok)
		bad |= E_NX;
	if (level == 1)
		bad |= E_GNTTAB | (d->cache_attrs_ok ? 0 : E_CACHE); /* G allowed, then dropped */
	else
		bad |= E_PWT | E_PCD | E_PS | E_G; /* no superpages for PV */
	return (pte & bad) ? -EINVAL : 0;
}

/* Frames that are references-counted: a domain's (anything else is I/O or not mappable). */
static bool counted_frame(const struct pt_env *env, uint64_t mfn)
{
	const struct frame_info *f = frame_of(env, mfn);

	return f && f->state == FRAME_GUEST;
}

/*
 * The data frame an L1 entry maps, for d: a general reference against its owner (d, or the
 * foreign owner d names), and the writable type for a writable entry. A reference taken for
 * another domain's frame is also counted in frame_info.foreign (see page_orphan).
 */
static int l1_frame_get(const struct pt_env *env, const struct pt_dom *d, uint64_t mfn,
			bool writable)
{
	uint16_t owner = d->foreign ? d->pg_owner : d->domid;
	int rc = page_get(env, mfn, owner);

	if (rc)
		return d->foreign ? -EBUSY : rc; /* Xen's answer for a frame not pg_owner's */
	if (writable) {
		rc = page_get_type(env, d, mfn, PGT_WRITABLE);
		if (rc) {
			page_put(env, mfn);
			return d->foreign ? -EBUSY : rc; /* a table or descriptor page: as Xen */
		}
	}
	if (owner != d->domid)
		env->frames[mfn].foreign++;
	return 0;
}

/* The references one present entry holds. */
static int entry_get(const struct pt_env *env, const struct pt_dom *d, unsigned int level,
		     uint64_t pte)
{
	uint64_t mfn = entry_mfn(pte);
	int rc = pte_check_flags(env, d, level, pte);

	if (rc)
		return rc;
	if (level > 1 && d->foreign)
		return -EINVAL; /* tables are always the table owner's own frames */
	if (level == 1 && !counted_frame(env, mfn) && d->foreign)
		return frame_of(env, mfn) && frame_of(env, mfn)->state != FRAME_ABSENT
			       ? -EBUSY	 /* RAM nobody or someone else owns (as Xen) */
			       : -EPERM; /* I/O: not pg_owner's to give (as Xen) */
	if (level == 1 && !counted_frame(env, mfn))
		return d->io_ok && env->io_frame && env->io_frame(mfn) ? 0 : -EINVAL;
	if (level > 1)
		return page_get_and_type(env, d, mfn, (enum page_type)(level - 1));
	return l1_frame_get(env, d, mfn, pte & E_W);
}

static void entry_put(const struct pt_env *env, const struct pt_dom *d, unsigned int level,
		      uint64_t pte)
{
	uint64_t mfn = entry_mfn(pte);
	struct frame_info *f = frame_of(env, mfn);

	if (level == 1 && (!counted_frame(env, mfn) || (pte & E_GNTTAB)))
		return; /* an I/O frame, or a grant mapping (the grant holds the references) */
	/*
	 * Retyping a frame flushes only its owner's CPUs: a writable mapping of another domain's
	 * frame must leave the mapper's TLBs before its type reference goes.
	 */
	if (level == 1 && (pte & E_W) && f->owner != d->domid && env->flush)
		env->flush(d->domid);
	if (level == 1 && f->owner != d->domid && f->foreign)
		f->foreign--; /* another domain's frame (or an orphan): see l1_frame_get */
	if (level > 1 || (pte & E_W))
		page_put_and_type(env, d, mfn);
	else
		page_put(env, mfn);
}

static void table_release(const struct pt_env *env, const struct pt_dom *d, uint64_t *t,
			  unsigned int level, unsigned int upto)
{
	for (unsigned int i = 0; i < upto; i++)
		if ((t[i] & E_P) && !is_hv_slot(level, i))
			entry_put(env, d, level, t[i]);
}

/*
 * A validated entry as the hardware gets it: user-accessible (the guest kernel runs in ring 3),
 * an L4's accessed bit set, and never global: a CR3 write must drop every guest entry, so that
 * no domain's mapping survives into another's and TLB flushes can follow the tables loaded.
 */
static uint64_t guest_entry_fixup(unsigned int level, uint64_t pte)
{
	pte |= E_U | (level == 4 ? E_A : 0);
	return level == 1 ? pte & ~E_G : pte;
}

static int table_validate(const struct pt_env *env, const struct pt_dom *d, uint64_t mfn,
			  unsigned int level)
{
	uint64_t *t = env->map(mfn);
	unsigned int i;
	int rc = 0;

	for (i = 0; i < PT_ENTRIES && !rc; i++)
		if ((t[i] & E_P) && !is_hv_slot(level, i))
			rc = entry_get(env, d, level, t[i]);
	if (rc) {
		table_release(env, d, t, level, i - 1);
		return rc;
	}
	for (i = 0; i < PT_ENTRIES; i++) {
		if (is_hv_slot(level, i))
			t[i] = env->hv_l4 ? env->hv_l4[i] : 0;
		else if (t[i] & E_P)
			t[i] = guest_entry_fixup(level, t[i]);
	}
	return 0;
}

static int descs_validate(uint64_t *t)
{
	uint64_t fixed[PT_ENTRIES];

	for (unsigned int i = 0; i < PT_ENTRIES; i++) {
		fixed[i] = t[i];
		if (desc_check(&fixed[i]))
			return -EINVAL;
	}
	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		t[i] = fixed[i];
	return 0;
}

static int type_validate(const struct pt_env *env, const struct pt_dom *d, uint64_t mfn,
			 enum page_type type)
{
	if (type >= PGT_L1 && type <= PGT_L4)
		return table_validate(env, d, mfn, (unsigned int)type);
	if (type == PGT_SEG_DESC)
		return descs_validate(env->map(mfn));
	return 0;
}

/* A different type than the last one: flush unless a flush happened since that one ended. */
static void type_retype_flush(const struct pt_env *env, struct frame_info *f, enum page_type type)
{
	enum page_type last = (enum page_type)(f->type_info >> PGT_TYPE_SHIFT);

	if (last == PGT_NONE || last == type || !env->flush)
		return;
	if (env->flush_clock && f->aux != *env->flush_clock)
		return;
	env->flush(f->owner);
	if (env->flush_clock)
		(*env->flush_clock)++;
}

int page_get_type(const struct pt_env *env, const struct pt_dom *d, uint64_t mfn,
		  enum page_type type)
{
	struct frame_info *f = frame_of(env, mfn);
	struct pt_dom own = *d;
	int rc;

	if (!f || type == PGT_NONE)
		return -EINVAL;
	if (f->type_info & PGT_COUNT_MASK) {
		if (page_type_of(f) != type || !(f->type_info & PGT_VALIDATED))
			return -EINVAL;
		if ((f->type_info & PGT_COUNT_MASK) >= COUNT_MAX)
			return -EBUSY;
		f->type_info++;
		return 0;
	}
	type_retype_flush(env, f, type);
	/* 0 -> 1: the count holds the type while entries are validated (no cycles possible). */
	f->type_info = ((uint64_t)type << PGT_TYPE_SHIFT) | 1;
	own.foreign = false; /* a table's entries map its owner's frames */
	rc = type_validate(env, &own, mfn, type);
	if (rc) {
		f->type_info = 0; /* nothing stays referenced: no history to keep */
		return rc;
	}
	f->type_info |= PGT_VALIDATED;
	return 0;
}

void page_put_type(const struct pt_env *env, const struct pt_dom *d, uint64_t mfn)
{
	struct frame_info *f = frame_of(env, mfn);
	enum page_type type;

	if (!f || !(f->type_info & PGT_COUNT_MASK))
		return;
	type = page_type_of(f);
	if ((f->type_info & PGT_COUNT_MASK) > 1) {
		f->type_info--;
		return;
	}
	if (type >= PGT_L1 && type <= PGT_L4)
		table_release(env, d, env->map(mfn), (unsigned int)type, PT_ENTRIES);
	f->type_info = (uint64_t)type << PGT_TYPE_SHIFT; /* count 0, not validated, not pinned */
	f->aux = env->flush_clock ? *env->flush_clock : 0;
}

int page_get_and_type(const struct pt_env *env, const struct pt_dom *d, uint64_t mfn,
		      enum page_type type)
{
	int rc = page_get(env, mfn, d->domid);

	if (rc)
		return rc;
	rc = page_get_type(env, d, mfn, type);
	if (rc)
		page_put(env, mfn);
	return rc;
}

void page_put_and_type(const struct pt_env *env, const struct pt_dom *d, uint64_t mfn)
{
	page_put_type(env, d, mfn);
	page_put(env, mfn);
}

int page_mod_entry(const struct pt_env *env, const struct pt_dom *d, uint64_t table_mfn,
		   unsigned int level, unsigned int idx, uint64_t pte, bool preserve_ad)
{
	struct frame_info *f = frame_of(env, table_mfn);
	uint64_t *t, old;
	int rc;

	if (!f || level < 1 || level > 4 || idx >= PT_ENTRIES || page_type_of(f) != level ||
	    !(f->type_info & PGT_VALIDATED))
		return -EINVAL;
	if (is_hv_slot(level, idx))
		return -EINVAL; /* the hypervisor's L4 slots */
	t = env->map(table_mfn);
	old = t[idx];
	if (pte & E_P) {
		rc = entry_get(env, d, level, pte);
		if (rc)
			return rc;
		pte = guest_entry_fixup(level, pte);
		if (preserve_ad)
			pte |= old & (E_A | E_D);
	}
	__atomic_store_n(&t[idx], pte, __ATOMIC_SEQ_CST);
	if (old & E_P)
		entry_put(env, d, level, old);
	return 0;
}

int page_set_grant_entry(const struct pt_env *env, const struct pt_dom *d, uint64_t table_mfn,
			 unsigned int idx, uint64_t pte)
{
	struct frame_info *f = frame_of(env, table_mfn);
	uint64_t *t, old;

	if (!f || idx >= PT_ENTRIES || page_type_of(f) != PGT_L1 ||
	    !(f->type_info & PGT_VALIDATED) || f->owner != d->domid)
		return -EINVAL;
	t = env->map(table_mfn);
	old = t[idx];
	__atomic_store_n(&t[idx], (pte & E_P) ? (pte | E_U | E_GNTTAB) & ~E_G : 0,
			 __ATOMIC_SEQ_CST);
	if (old & E_P)
		entry_put(env, d, 1, old);
	return 0;
}

void page_drop_foreign_entries(const struct pt_env *env, const struct pt_dom *d, uint64_t table_mfn)
{
	struct frame_info *f = frame_of(env, table_mfn);
	uint64_t *t;

	if (!f || page_type_of(f) != PGT_L1 || !(f->type_info & PGT_VALIDATED) ||
	    f->owner != d->domid)
		return;
	t = env->map(table_mfn);
	for (unsigned int i = 0; i < PT_ENTRIES; i++) {
		uint64_t old = t[i];
		const struct frame_info *m = frame_of(env, entry_mfn(old));

		if (!(old & E_P) || (old & E_GNTTAB) || !counted_frame(env, entry_mfn(old)) ||
		    m->owner == d->domid)
			continue;
		__atomic_store_n(&t[i], 0, __ATOMIC_SEQ_CST);
		entry_put(env, d, 1, old);
	}
}

bool page_orphan(const struct pt_env *env, uint64_t mfn)
{
	struct frame_info *f = frame_of(env, mfn);

	if (!f || f->state != FRAME_GUEST || !f->foreign)
		return false;
	f->owner = DOMID_ORPHAN;
	f->count_info = f->foreign; /* neither allocated nor lent: the last put releases it */
	f->type_info = 0;	    /* no type to drop: type puts on it do nothing */
	return true;
}

/* A call gate's target: a selector of the guest's own GDT or LDT, or the flat 64-bit code. */
static bool gate_selector_ok(uint16_t sel)
{
	return (sel & 4) || (sel >> 3) < PT_GDT_GUEST_ENTRY || (sel & ~3) == 0xe030;
}

int desc_check(uint64_t *desc)
{
	uint32_t a = (uint32_t)*desc, b = (uint32_t)(*desc >> 32);
	uint16_t cs;
	unsigned int dpl;

	if (!(b & (1U << 15)))
		return 0; /* not present: always faults, so harmless */
	dpl = 3;	  /* a 64-bit PV kernel runs in ring 3: every DPL is raised to 3 */
	b = (b & ~(3U << 13)) | (dpl << 13);
	if (!(b & (1U << 12))) { /* a system descriptor */
		if (!(b & (0xfU << 8)))
			return 0; /* type 0: the upper half of a 16-byte gate, harmless */
		if ((b & (0xfU << 8)) != (0xcU << 8))
			return -EINVAL; /* only call gates: no TSS, LDT, interrupt or trap gate */
		cs = (uint16_t)(a >> 16);
		if (!gate_selector_ok(cs) || (b & 0xff))
			return -EINVAL;
		/* DPL 0 so that use faults (and can be emulated); the real DPL goes in the RPL. */
		b &= ~(3U << 13);
		cs = (uint16_t)((cs & ~3) | dpl);
		a = (a & 0xffffU) | ((uint32_t)cs << 16);
	}
	*desc = ((uint64_t)b << 32) | a;
	return 0;
}
