/* SPDX-License-Identifier: GPL-2.0-only */
/* Grant entries v1: the GTF_* flag protocol on shared entries and the pin counts (pure code). */
#include <hospes/grant_table.h>

/* flags and domid of an entry as one 32-bit word, so both change in one compare-exchange. */
union gnttab_combo {
	uint32_t raw;
	struct {
		uint16_t flags;
		domid_t domid;
	};
};

int gnttab_entry_acquire(struct grant_entry_v1 *e, domid_t ldom, bool readonly, bool mapping)
{
	uint32_t *word = (uint32_t *)(void *)e;
	uint16_t mask = GTF_type_mask | (mapping ? GTF_sub_page : 0);
	union gnttab_combo cur, want;

	cur.raw = __atomic_load_n(word, __ATOMIC_ACQUIRE);
	/* The granter may race us (e.g. flipping GTF_readonly): a few retries, then give up. */
	for (int tries = 0; tries < 5; tries++) {
		if ((cur.flags & mask) != GTF_permit_access || cur.domid != ldom)
			return GNTST_general_error;
		if (!readonly && (cur.flags & GTF_readonly))
			return GNTST_general_error;
		want = cur;
		want.flags |= GTF_reading | (readonly ? 0 : GTF_writing);
		if (__atomic_compare_exchange_n(word, &cur.raw, want.raw, false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return GNTST_okay;
	}
	return GNTST_general_error;
}

static void clear_flags(struct grant_entry_v1 *e, uint16_t bits)
{
	__atomic_fetch_and(&e->flags, (uint16_t)~bits, __ATOMIC_ACQ_REL);
}

int gnttab_pin(struct gnttab_active *act, struct grant_entry_v1 *e, domid_t ldom, uint32_t inc,
	       bool mapping)
{
	bool readonly = !(inc & GNTPIN_WRITERS);
	int rc;

	if (act->pin && (act->domid != ldom || (act->pin & GNTPIN_OVERFLOW)))
		return GNTST_general_error;
	/* The shared entry is taken again by the first pin, and by the first writer. */
	if (!act->pin || (!readonly && !(act->pin & GNTPIN_WRITERS))) {
		rc = gnttab_entry_acquire(e, ldom, readonly, mapping);
		if (rc != GNTST_okay)
			return rc;
		if (!act->pin) {
			act->domid = ldom;
			act->frame = __atomic_load_n(&e->frame, __ATOMIC_ACQUIRE);
		}
	}
	act->pin += inc;
	return GNTST_okay;
}

void gnttab_unpin(struct gnttab_active *act, struct grant_entry_v1 *e, uint32_t inc)
{
	act->pin -= inc;
	if (!(act->pin & GNTPIN_WRITERS))
		clear_flags(e, GTF_writing);
	if (!act->pin)
		clear_flags(e, GTF_reading);
}

int gnttab_copy_bounds(uint16_t src_off, uint16_t dst_off, uint16_t len)
{
	if ((uint32_t)src_off + len > 4096 || (uint32_t)dst_off + len > 4096)
		return GNTST_bad_copy_arg;
	return GNTST_okay;
}
