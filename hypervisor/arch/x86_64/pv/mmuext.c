/* SPDX-License-Identifier: GPL-2.0-only */
/* mmuext_op: pins, base pointers, TLB and cache flushes, LDT, page copy and clear. */
#include <asm/cpu.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <hospes/domain.h>
#include <hospes/errno.h>
#include <hospes/guest_access.h>
#include <hospes/lib.h>
#include <hospes/mm.h>
#include <hospes/pagetype.h>
#include <hospes/pvmm.h>
#include <public/xen.h>

#define LDT_MAX_ENTS 8192

static bool owned_by(uint64_t mfn, const struct domain *d)
{
	const struct frame_info *f = pfn_to_frame(mfn);

	return f && f->state == FRAME_GUEST && f->owner == d->domid;
}

static int mmuext_pin(struct domain *d, uint64_t mfn, enum page_type type)
{
	const struct pt_env *e = pv_pt_env();
	struct pt_dom pd = pv_pt_dom(d);
	int rc;

	if (!owned_by(mfn, d) || (frame_table[mfn].type_info & PGT_PINNED))
		return -EINVAL;
	rc = page_get_and_type(e, &pd, mfn, type);
	if (rc)
		return -EINVAL;
	frame_table[mfn].type_info |= PGT_PINNED;
	return 0;
}

static int mmuext_unpin(struct domain *d, uint64_t mfn)
{
	struct pt_dom pd = pv_pt_dom(d);

	if (!owned_by(mfn, d) || !(frame_table[mfn].type_info & PGT_PINNED))
		return -EINVAL;
	frame_table[mfn].type_info &= ~PGT_PINNED;
	page_put_and_type(pv_pt_env(), &pd, mfn);
	return 0;
}

/* NEW_BASEPTR / NEW_USER_BASEPTR: reference the new L4, switch, drop the old one. */
static int mmuext_baseptr(struct vcpu *v, uint64_t mfn, bool user)
{
	const struct pt_env *e = pv_pt_env();
	struct pt_dom pd = pv_pt_dom(v->domain);
	paddr_t *slot = user ? &v->arch.guest_table_user : &v->arch.guest_table;
	paddr_t old = *slot;

	if (user && mfn == 0) {
		*slot = 0;
	} else {
		if (page_get_and_type(e, &pd, mfn, PGT_L4))
			return -EINVAL;
		*slot = mfn << PAGE_SHIFT;
	}
	if (v == current_vcpu() && user != v->arch.kernel_mode)
		write_cr3(v->arch.kernel_mode || !v->arch.guest_table_user
				  ? v->arch.guest_table
				  : v->arch.guest_table_user);
	if (old)
		page_put_and_type(e, &pd, old >> PAGE_SHIFT);
	return 0;
}

int pv_set_baseptr(struct vcpu *v, uint64_t mfn, bool user)
{
	int rc;

	pv_mm_lock_acquire();
	rc = mmuext_baseptr(v, mfn, user);
	pv_mm_lock_release();
	return rc;
}

static int mmuext_set_ldt(struct vcpu *v, uint64_t base, uint64_t ents)
{
	if ((base & (PAGE_SIZE - 1)) || ents > LDT_MAX_ENTS)
		return -EINVAL;
	if (ents && !guest_range_ok(base, ents * 8))
		return -EINVAL;
	v->arch.ldt_base = base;
	v->arch.ldt_ents = (unsigned int)ents;
	return 0;
}

/* CLEAR_PAGE (src 0) and COPY_PAGE: the destination must be able to take the writable type. */
static int mmuext_fill(struct domain *d, uint64_t dst, uint64_t src, bool copy)
{
	const struct pt_env *e = pv_pt_env();
	struct pt_dom pd = pv_pt_dom(d);
	int rc = page_get_and_type(e, &pd, dst, PGT_WRITABLE);

	if (rc)
		return -EINVAL;
	if (copy && page_get(e, src, d->domid)) {
		page_put_and_type(e, &pd, dst);
		return -EINVAL;
	}
	if (copy) {
		memcpy(__va(dst << PAGE_SHIFT), __va(src << PAGE_SHIFT), PAGE_SIZE);
		page_put(e, src);
	} else {
		memset(__va(dst << PAGE_SHIFT), 0, PAGE_SIZE);
	}
	page_put_and_type(e, &pd, dst);
	return 0;
}

static void mmuext_invlpg(uint64_t va)
{
	if (guest_range_ok(va, 1))
		invlpg((void *)(uintptr_t)va);
}

/*
 * pg_owner: the domain whose frames pins, CLEAR_PAGE and COPY_PAGE use (the caller's, or a
 * foreign one: a domain builder pins the new domain's tables, validated by that domain's rules).
 */
static int mmuext_one(struct vcpu *v, struct domain *pg_owner, const struct mmuext_op *op)
{
	struct domain *d = v->domain;

	if (pg_owner != d && op->cmd != MMUEXT_CLEAR_PAGE && op->cmd != MMUEXT_COPY_PAGE &&
	    op->cmd > MMUEXT_UNPIN_TABLE)
		return -ESRCH; /* other ops on a foreign domain's frames: not yet */
	switch (op->cmd) {
	case MMUEXT_PIN_L1_TABLE:
	case MMUEXT_PIN_L2_TABLE:
	case MMUEXT_PIN_L3_TABLE:
	case MMUEXT_PIN_L4_TABLE:
		return mmuext_pin(pg_owner, op->arg1.mfn, (enum page_type)(op->cmd + 1));
	case MMUEXT_UNPIN_TABLE:
		return mmuext_unpin(pg_owner, op->arg1.mfn);
	case MMUEXT_NEW_BASEPTR:
	case MMUEXT_NEW_USER_BASEPTR:
		return mmuext_baseptr(v, op->arg1.mfn, op->cmd == MMUEXT_NEW_USER_BASEPTR);
	case MMUEXT_TLB_FLUSH_LOCAL:
		pv_flush_tlb_local();
		return 0;
	case MMUEXT_INVLPG_LOCAL:
		mmuext_invlpg(op->arg1.linear_addr);
		return 0;
	case MMUEXT_TLB_FLUSH_MULTI:
	case MMUEXT_TLB_FLUSH_ALL:
	case MMUEXT_INVLPG_MULTI:
	case MMUEXT_INVLPG_ALL:
		pv_flush_tlb_domain(
			d->domid); /* whole TLBs of its CPUs: more than asked, never less */
		return 0;
	case MMUEXT_FLUSH_CACHE:
	case MMUEXT_FLUSH_CACHE_GLOBAL:
		if (!d->is_privileged)
			return -EACCES;
		__asm__ volatile("wbinvd" ::: "memory");
		return 0;
	case MMUEXT_SET_LDT:
		return mmuext_set_ldt(v, op->arg1.linear_addr, op->arg2.nr_ents);
	case MMUEXT_CLEAR_PAGE:
		return mmuext_fill(pg_owner, op->arg1.mfn, 0, false);
	case MMUEXT_COPY_PAGE:
		return mmuext_fill(pg_owner, op->arg1.mfn, op->arg2.src_mfn, true);
	default:
		return -ENOSYS;
	}
}

long do_mmuext_op(uint64_t uops, uint64_t count, uint64_t pdone, uint64_t foreigndom,
		  uint64_t unused5)
{
	struct vcpu *v = current_vcpu();
	struct domain *pg_owner = v->domain;
	uint16_t fd = (uint16_t)foreigndom;
	struct mmuext_op op;
	uint32_t i, done;
	long rc = 0;

	(void)unused5;
	count = pv_batch_count(count, pdone, &done);
	if (!guest_range_ok(uops, count * sizeof(op)))
		return -EFAULT;
	if (fd != DOMID_SELF && fd != pg_owner->domid)
		pg_owner = pg_owner->is_privileged ? pv_domain_by_id(fd) : NULL;
	if (!pg_owner)
		return -ESRCH;
	for (i = 0; i < count; i++) {
		if (copy_from_guest(&op, uops + (uint64_t)i * sizeof(op), sizeof(op))) {
			rc = -EFAULT;
			break;
		}
		pv_mm_lock_acquire();
		rc = mmuext_one(v, pg_owner, &op);
		pv_mm_lock_release();
		if (rc)
			break;
	}
	done += i;
	if (pdone && copy_to_guest(pdone, &done, sizeof(done)))
		return rc ? rc : -EFAULT;
	return rc;
}
