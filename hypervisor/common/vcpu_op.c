/* SPDX-License-Identifier: GPL-2.0-only */
/* vcpu_op: bring-up and take-down, runstate, timers, vcpu_info and time-area registration. */
#include <asm/cpu.h>
#include <asm/paging.h>
#include <asm/time.h>
#include <hospes/domain.h>
#include <hospes/errno.h>
#include <hospes/guest_access.h>
#include <hospes/heap.h>
#include <hospes/hypercall.h>
#include <hospes/lib.h>
#include <hospes/mm.h>
#include <hospes/pvmm.h>
#include <hospes/sched.h>
#include <hospes/timer.h>
#include <hospes/vcpu_op.h>

#define PERIOD_MAX_NS (1ULL << 62)

void vcpu_op_vcpu_init(struct vcpu *v)
{
	memset(&v->runstate, 0, sizeof(v->runstate));
	v->runstate.state = RUNSTATE_offline;
	v->runstate.state_entry_time = time_now_ns();
	timer_vcpu_init(v);
}

void vcpu_runstate_change(struct vcpu *v, int state)
{
	uint64_t now = time_now_ns();
	struct vcpu_runstate_info *r = &v->runstate;

	if (now > r->state_entry_time)
		r->time[r->state & 3] += now - r->state_entry_time;
	r->state = state;
	r->state_entry_time = now;
	v->runstate_dirty = true;
}

/* Writes the runstate area, with XEN_RUNSTATE_UPDATE around it if the guest asked for it. */
static void runstate_area_write(struct vcpu *v)
{
	struct vcpu_runstate_info r = v->runstate;
	uint64_t at = v->runstate_guest;
	bool flag = v->domain->vm_assist & (1ULL << VMASST_TYPE_runstate_update_flag);
	uint64_t entry = r.state_entry_time;

	if (flag) {
		r.state_entry_time = entry | XEN_RUNSTATE_UPDATE;
		if (copy_to_guest(at + 8, &r.state_entry_time, 8))
			return;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	}
	if (copy_to_guest(at, &r, sizeof(r)) || !flag)
		return;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	copy_to_guest(at + 8, &entry, 8);
}

void vcpu_sync_guest_areas(struct vcpu *v)
{
	if (!v->arch.kernel_mode)
		return; /* the areas are kernel addresses: wait for the next kernel entry */
	if (v->runstate_dirty) {
		v->runstate_dirty = false;
		if (v->runstate_guest)
			runstate_area_write(v);
	}
	if (v->time_area_dirty) {
		v->time_area_dirty = false;
		if (v->time_area_guest)
			timer_refresh_vcpu_time(v);
	}
}

static long get_runstate(struct vcpu *v, uint64_t arg)
{
	struct vcpu_runstate_info r = v->runstate;
	uint64_t now = time_now_ns();

	if (now > r.state_entry_time)
		r.time[r.state & 3] += now - r.state_entry_time;
	return copy_to_guest(arg, &r, sizeof(r)) ? -EFAULT : 0;
}

/* Runstate (48 bytes) and time (32 bytes) areas: a guest VA, 0 to stop. */
static long register_area(struct vcpu *v, uint64_t arg, bool runstate)
{
	size_t len = runstate ? sizeof(struct vcpu_runstate_info) : sizeof(struct vcpu_time_info);
	uint64_t addr;

	if (copy_from_guest(&addr, arg, sizeof(addr)))
		return -EFAULT;
	if (addr && !guest_range_ok(addr, len))
		return -EFAULT;
	if (runstate) {
		v->runstate_guest = addr;
		v->runstate_dirty = true;
	} else {
		v->time_area_guest = addr;
		v->time_area_dirty = true;
	}
	if (v == current_vcpu())
		vcpu_sync_guest_areas(v);
	return 0;
}

/* VCPUOP_register_vcpu_info: the vcpu_info moves to a page of the guest, once. */
static long register_vcpu_info(struct vcpu *v, uint64_t arg)
{
	struct vcpu_register_vcpu_info r;
	struct frame_info *f;
	struct vcpu_info *ni;

	if (copy_from_guest(&r, arg, sizeof(r)))
		return -EFAULT;
	if (r.offset > PAGE_SIZE - sizeof(struct vcpu_info))
		return -ENXIO;
	if (v->vcpu_info_registered)
		return -EINVAL;
	if (v != current_vcpu() && v->state != VCPU_OFFLINE)
		return -EINVAL;
	f = r.mfn < (1ULL << 40) ? pfn_to_frame((pfn_t)r.mfn) : NULL;
	if (!f || f->state != FRAME_GUEST || f->owner != v->domain->domid)
		return -EINVAL;
	/* Writable for good (as Xen): it can never become a page table the hypervisor writes. */
	if (pv_get_page_writable(v->domain, r.mfn))
		return -EINVAL;
	ni = (struct vcpu_info *)((uint8_t *)__va(r.mfn << PAGE_SHIFT) + r.offset);
	memcpy(ni, v->info, sizeof(*ni));
	__atomic_store_n(&v->info, ni, __ATOMIC_SEQ_CST);
	v->vcpu_info_registered = true;
	/* As Xen does: everything looks pending once, so nothing raised meanwhile is lost. */
	__atomic_store_n(&ni->evtchn_pending_sel, ~0ULL, __ATOMIC_SEQ_CST);
	__atomic_store_n(&ni->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
	if (v == current_vcpu())
		timer_refresh_vcpu_time(v);
	return 0;
}

static long set_singleshot(struct vcpu *v, uint64_t arg)
{
	struct vcpu_set_singleshot_timer t;

	if (v != current_vcpu())
		return -EINVAL;
	if (copy_from_guest(&t, arg, sizeof(t)))
		return -EFAULT;
	if ((t.flags & VCPU_SSHOTTMR_future) && t.timeout_abs_ns < time_now_ns())
		return -ETIME;
	timer_set_singleshot(v, t.timeout_abs_ns ? t.timeout_abs_ns : 1);
	return 0;
}

static long set_periodic(struct vcpu *v, uint64_t arg)
{
	struct vcpu_set_periodic_timer t;

	if (copy_from_guest(&t, arg, sizeof(t)))
		return -EFAULT;
	if (t.period_ns < TIMER_MIN_PERIOD_NS || t.period_ns > PERIOD_MAX_NS)
		return -EINVAL;
	timer_set_periodic(v, t.period_ns);
	return 0;
}

static long vcpu_initialise(struct vcpu *v, uint64_t arg)
{
	struct vcpu_guest_context *c;
	long rc;

	if (v->arch.guest_table)
		return -EEXIST; /* already has a context */
	c = xmalloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	if (copy_from_guest(c, arg, sizeof(*c)))
		rc = -EFAULT;
	else
		rc = pv_vcpu_initialise(v, c);
	xfree(c);
	return rc;
}

static long vcpu_up(struct vcpu *v)
{
	if (!v->arch.guest_table)
		return -EINVAL; /* never initialised */
	if (__atomic_compare_exchange_n(&v->state, &(int){VCPU_OFFLINE}, VCPU_RUNNABLE, false,
					__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		sched_kick_cpu(v->processor);
	return 0;
}

static long vcpu_down(struct vcpu *v)
{
	int s = v->state;

	while ((s == VCPU_RUNNABLE || s == VCPU_BLOCKED) &&
	       !__atomic_compare_exchange_n(&v->state, &s, VCPU_OFFLINE, false, __ATOMIC_SEQ_CST,
					    __ATOMIC_SEQ_CST))
		;
	if (v != current_vcpu())
		sched_kick_cpu(v->processor);
	return 0;
}

long do_vcpu_op(uint64_t cmd, uint64_t vcpuid, uint64_t arg, uint64_t a4, uint64_t a5)
{
	struct domain *d = current_vcpu()->domain;
	struct vcpu *v;

	if (vcpuid >= d->nr_vcpus)
		return -ENOENT;
	v = d->vcpus[vcpuid];
	switch (cmd) {
	case VCPUOP_initialise:
		return vcpu_initialise(v, arg);
	case VCPUOP_up:
		return vcpu_up(v);
	case VCPUOP_down:
		return vcpu_down(v);
	case VCPUOP_is_up:
		return v->state == VCPU_RUNNABLE || v->state == VCPU_BLOCKED;
	case VCPUOP_get_runstate_info:
		return get_runstate(v, arg);
	case VCPUOP_register_runstate_memory_area:
		return register_area(v, arg, true);
	case VCPUOP_register_vcpu_time_memory_area:
		return register_area(v, arg, false);
	case VCPUOP_set_periodic_timer:
		return set_periodic(v, arg);
	case VCPUOP_stop_periodic_timer:
		timer_set_periodic(v, 0);
		return 0;
	case VCPUOP_set_singleshot_timer:
		return set_singleshot(v, arg);
	case VCPUOP_stop_singleshot_timer:
		if (v != current_vcpu())
			return -EINVAL;
		timer_set_singleshot(v, 0);
		return 0;
	case VCPUOP_register_vcpu_info:
		return register_vcpu_info(v, arg);
	default:
		return -ENOSYS; /* send_nmi, get_physid: not yet */
	}
}

/* set_timer_op: as Xen, a deadline in the past or 2^50 ns away fires in 100 ms instead. */
long do_set_timer_op(uint64_t timeout, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct vcpu *v = current_vcpu();
	uint64_t now = time_now_ns();

	if (timeout == 0)
		timer_set_singleshot(v, 0);
	else if ((int64_t)timeout < 0 || ((timeout - now) >> 50) != 0)
		timer_set_singleshot(v, now + 100000000ULL);
	else
		timer_set_singleshot(v, timeout);
	return 0;
}
