/* SPDX-License-Identifier: GPL-2.0-only */
/* domctl (#36): the toolstack creates, pauses, inspects and destroys domains (Xen 4.17 ABI). */
#include <asm/cpu.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <hospes/console.h>
#include <hospes/domain.h>
#include <hospes/domctl.h>
#include <hospes/errno.h>
#include <hospes/event_channel.h>
#include <hospes/guest_access.h>
#include <hospes/heap.h>
#include <hospes/lib.h>
#include <hospes/pvmm.h>
#include <hospes/sched.h>
#include <hospes/spinlock.h>
#include <hospes/vcpu_op.h>
#include <public/vcpu.h>

/* The vm_assist types a context may carry (those do_vm_assist knows). */
#define KNOWN_VM_ASSIST                                                                         \
	((1ULL << VMASST_TYPE_writable_pagetables) | (1ULL << VMASST_TYPE_architectural_iopl) | \
	 (1ULL << VMASST_TYPE_runstate_update_flag) | (1ULL << VMASST_TYPE_m2p_strict))

static spinlock_t ctl_lock = SPINLOCK_INIT;
static domid_t domid_rover; /* the last id createdomain chose (under ctl_lock) */

void domctl_lock(void)
{
	while (!spin_trylock(&ctl_lock)) {
		pv_flush_poll(); /* the holder may be waiting for this CPU's TLB flush */
		cpu_relax();
	}
}

void domctl_unlock(void)
{
	spin_unlock(&ctl_lock);
}

/* The vCPUs the toolstack sees: none between createdomain and max_vcpus, as on Xen. */
static unsigned int shown_vcpus(const struct domain *d)
{
	return d->ctl_created && !d->ctl_vcpus_shown ? 0 : d->nr_vcpus;
}

static bool vcpu_online(const struct vcpu *v)
{
	return v->state == VCPU_RUNNABLE || v->state == VCPU_BLOCKED;
}

/* Nanoseconds v has run, the current stretch included. */
static uint64_t vcpu_cpu_time(const struct vcpu *v)
{
	uint64_t t = v->runstate.time[RUNSTATE_running], now = time_now_ns();

	if (v->runstate.state == RUNSTATE_running && now > v->runstate.state_entry_time)
		t += now - v->runstate.state_entry_time;
	return t;
}

/* The guest physical address width: the host's (a PV guest's frames are machine frames). */
static uint8_t phys_addr_bits(void)
{
	if (cpuid(0x80000000).eax < 0x80000008)
		return 36;
	return (uint8_t)(cpuid(0x80000008).eax & 0xff);
}

void domctl_getdomaininfo(struct domain *d, struct xen_domctl_getdomaininfo *info)
{
	struct dominf_state s = {.dying = d->is_dying,
				 .shutdown = d->is_shutdown,
				 .shutdown_reason = d->shutdown_reason,
				 .controller_pauses = d->controller_pauses};

	memset(info, 0, sizeof(*info));
	info->domain = d->domid;
	info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
	for (unsigned int i = 0; i < shown_vcpus(d); i++) {
		const struct vcpu *v = d->vcpus[i];

		info->cpu_time += vcpu_cpu_time(v);
		info->max_vcpu_id = i;
		if (!vcpu_online(v))
			continue;
		s.nr_online++;
		s.nr_blocked += v->state == VCPU_BLOCKED;
		s.nr_running += v->running;
	}
	info->flags = domctl_dominf_flags(&s);
	info->nr_online_vcpus = s.nr_online;
	info->tot_pages = d->tot_pages;
	info->max_pages = d->max_pages;
	info->shared_info_frame = d->shared_info_maddr >> PAGE_SHIFT;
	memcpy(info->handle, d->handle, sizeof(info->handle));
	info->gpaddr_bits = phys_addr_bits();
}

static bool domid_in_use(domid_t id, void *arg)
{
	return domain_lookup(id) != NULL;
}

/* createdomain: everything is checked, then the domain is built paused, without memory. */
static long ctl_createdomain(struct xen_domctl *op)
{
	const struct xen_domctl_createdomain *c = &op->u.createdomain;
	struct domain *d;
	domid_t id;
	int rc = domctl_createdomain_check(c, MAX_VIRT_CPUS);

	if (rc)
		return rc;
	rc = domctl_pick_domid(op->domain, &domid_rover, domid_in_use, NULL, &id);
	if (rc)
		return rc;
	d = domain_create(id, c->max_vcpus, false);
	if (!d)
		return -ENOMEM;
	d->ctl_created = true;
	d->controller_pauses = 1; /* unpausedomain starts it */
	d->pause_count = 1;
	memcpy(d->handle, c->handle, sizeof(d->handle));
	if (sched_add_domain(d)) {
		domain_destroy(d);
		return -ENOMEM;
	}
	op->domain = id;
	return 0;
}

/* destroydomain: once none of its vCPUs is on a CPU, every frame and structure is freed. */
static long ctl_destroydomain(struct domain *cur, struct domain *d)
{
	if (d == cur)
		return -EINVAL;
	domain_pause(d);
	d->is_dying = true;
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		d->vcpus[i]->state = VCPU_DOWN;
	sched_remove_domain(d);
	if (d == dom0)
		dom0 = NULL;
	/* No CPU runs it or has its tables loaded: drop what TLBs still hold, then free. */
	pv_mm_lock_acquire();
	pv_flush_tlb_all();
	pv_mm_lock_release();
	domain_destroy(d);
	if (dom0 && dom0->nr_vcpus)
		evtchn_send_virq(dom0->vcpus[0], VIRQ_DOM_EXC);
	return 0;
}

static long ctl_pause(struct domain *cur, struct domain *d, bool pause)
{
	int rc;

	if (!pause) {
		rc = domctl_pause_dec(&d->controller_pauses);
		if (!rc)
			domain_unpause(d);
		return rc;
	}
	if (d == cur)
		return -EINVAL; /* a domain cannot wait for itself to stop */
	rc = domctl_pause_inc(&d->controller_pauses);
	if (!rc)
		domain_pause(d);
	return rc;
}

static long ctl_max_mem(struct domain *d, const struct xen_domctl_max_mem *m)
{
	pv_mm_lock_acquire(); /* memory_op checks tot_pages against max_pages under it */
	d->max_pages = m->max_memkb >> (PAGE_SHIFT - 10);
	pv_mm_lock_release();
	return 0;
}

/* max_vcpus: the vCPUs exist since createdomain; the count must be the one given there. */
static long ctl_max_vcpus(struct domain *cur, struct domain *d, uint32_t max)
{
	if (d == cur || max != d->nr_vcpus)
		return -EINVAL;
	d->ctl_vcpus_shown = true;
	return 0;
}

static long ctl_getvcpuinfo(struct domain *d, struct xen_domctl_getvcpuinfo *vi)
{
	const struct vcpu *v;

	if (vi->vcpu >= d->nr_vcpus)
		return -EINVAL;
	if (vi->vcpu >= shown_vcpus(d))
		return -ESRCH;
	v = d->vcpus[vi->vcpu];
	vi->online = vcpu_online(v);
	vi->blocked = v->state == VCPU_BLOCKED;
	vi->running = v->running;
	vi->cpu_time = vcpu_cpu_time(v);
	vi->cpu = (uint32_t)v->processor;
	return 0;
}

/* setvcpucontext: checked in full, then loaded while the domain is paused. */
static long ctl_setvcpucontext(struct domain *cur, struct domain *d,
			       const struct xen_domctl_vcpucontext *vc)
{
	struct vcpu_guest_context *c;
	struct vcpu *v;
	bool fresh;
	long rc;

	if (d == cur || vc->vcpu >= shown_vcpus(d))
		return -EINVAL;
	if (!vc->ctxt)
		return -EOPNOTSUPP; /* Xen resets the vCPU: not implemented */
	v = d->vcpus[vc->vcpu];
	c = xmalloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	rc = copy_from_guest(c, vc->ctxt, sizeof(*c)) ? -EFAULT : 0;
	if (!rc)
		rc = domctl_vcpu_context_check(c, v->id, KNOWN_VM_ASSIST);
	if (!rc) {
		domain_pause(d);
		fresh = !v->arch.guest_table;
		rc = pv_vcpu_set_context(v, c);
		if (!rc && fresh && v->id == 0)
			d->vm_assist = c->vm_assist;
		if (!rc && (c->flags & VGCF_online) && v->state == VCPU_OFFLINE)
			v->state = VCPU_RUNNABLE; /* runs once the domain is unpaused */
		else if (!rc && !(c->flags & VGCF_online) && vcpu_online(v))
			v->state = VCPU_OFFLINE;
		domain_unpause(d);
	}
	xfree(c);
	return rc;
}

static long ctl_getvcpucontext(struct domain *cur, struct domain *d,
			       const struct xen_domctl_vcpucontext *vc)
{
	struct vcpu_guest_context *c;
	struct vcpu *v;
	long rc = 0;

	/* Xen allows the caller's other vCPUs; Hospes can only pause whole domains. */
	if (d == cur || vc->vcpu >= shown_vcpus(d))
		return -EINVAL;
	v = d->vcpus[vc->vcpu];
	if (!v->arch.guest_table)
		return -ENODATA; /* no context yet */
	c = xmalloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	domain_pause(d);
	pv_vcpu_get_context(v, c);
	domain_unpause(d);
	if (copy_to_guest(vc->ctxt, c, sizeof(*c)))
		rc = -EFAULT;
	xfree(c);
	return rc;
}

/* The op on d (NULL for createdomain); *copyback when op goes back to the caller. */
static long ctl_dispatch(struct domain *cur, struct domain *d, struct xen_domctl *op,
			 bool *copyback)
{
	switch (op->cmd) {
	case XEN_DOMCTL_createdomain:
		*copyback = true;
		return ctl_createdomain(op);
	case XEN_DOMCTL_destroydomain:
		return ctl_destroydomain(cur, d);
	case XEN_DOMCTL_pausedomain:
		return ctl_pause(cur, d, true);
	case XEN_DOMCTL_unpausedomain:
		return ctl_pause(cur, d, false);
	case XEN_DOMCTL_getdomaininfo:
		domctl_getdomaininfo(d, &op->u.getdomaininfo);
		op->domain = d->domid;
		*copyback = true;
		return 0;
	case XEN_DOMCTL_max_mem:
		return ctl_max_mem(d, &op->u.max_mem);
	case XEN_DOMCTL_max_vcpus:
		return ctl_max_vcpus(cur, d, op->u.max_vcpus.max);
	case XEN_DOMCTL_getvcpuinfo:
		*copyback = true;
		return ctl_getvcpuinfo(d, &op->u.getvcpuinfo);
	case XEN_DOMCTL_setvcpucontext:
		return ctl_setvcpucontext(cur, d, &op->u.vcpucontext);
	case XEN_DOMCTL_getvcpucontext:
		*copyback = true;
		return ctl_getvcpucontext(cur, d, &op->u.vcpucontext);
	default:
		return -ENOSYS;
	}
}

/*
 * The target, as Xen 4.17 finds it: by exact id; getdomaininfo takes the next domain up when
 * that id is free (-EINVAL for a reserved id). NULL and *rc set if there is none.
 */
static struct domain *ctl_target(const struct xen_domctl *op, long *rc)
{
	struct domain *d = domain_lookup(op->domain);

	*rc = -ESRCH;
	if (d || op->cmd != XEN_DOMCTL_getdomaininfo)
		return d;
	if (op->domain >= DOMID_FIRST_RESERVED) {
		*rc = -EINVAL;
		return NULL;
	}
	return domain_first_from(op->domain);
}

long do_domctl(uint64_t arg, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct domain *cur = current_vcpu()->domain, *d = NULL;
	struct xen_domctl op;
	bool copyback = false;
	long rc = 0;

	if (!cur->is_privileged)
		return -EPERM;
	if (copy_from_guest(&op, arg, sizeof(op)))
		return -EFAULT;
	if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
		return -EACCES;
	domctl_lock();
	if (op.cmd != XEN_DOMCTL_createdomain)
		d = ctl_target(&op, &rc);
	if (d || op.cmd == XEN_DOMCTL_createdomain)
		rc = ctl_dispatch(cur, d, &op, &copyback);
	domctl_unlock();
	if (copyback && !rc && copy_to_guest(arg, &op, sizeof(op)))
		rc = -EFAULT;
	return rc;
}
