/* SPDX-License-Identifier: GPL-2.0-only */
/* event_channel_op: the hypercall over the port tables, and delivery of events to vCPUs. */
#include <asm/cpu.h>
#include <hospes/domain.h>
#include <hospes/errno.h>
#include <hospes/event_channel.h>
#include <hospes/guest_access.h>
#include <hospes/heap.h>
#include <hospes/hypercall.h>
#include <hospes/lib.h>
#include <hospes/mm.h>
#include <hospes/pvconsole.h>
#include <hospes/sched.h>

#define EVTCHNOP_COUNT 14 /* EVTCHNOP_bind_interdomain .. EVTCHNOP_set_priority */

union evtchn_args {
	struct evtchn_alloc_unbound alloc_unbound;
	struct evtchn_bind_interdomain bind_interdomain;
	struct evtchn_bind_virq bind_virq;
	struct evtchn_bind_pirq bind_pirq;
	struct evtchn_bind_ipi bind_ipi;
	struct evtchn_close close;
	struct evtchn_send send;
	struct evtchn_status status;
	struct evtchn_bind_vcpu bind_vcpu;
	struct evtchn_unmask unmask;
	struct evtchn_reset reset;
	struct evtchn_init_control init_control;
};

/* Argument size of each 2-level command; 0: not a command of this ABI. */
static const uint8_t arg_size[EVTCHNOP_COUNT] = {
	[EVTCHNOP_bind_interdomain] = sizeof(struct evtchn_bind_interdomain),
	[EVTCHNOP_bind_virq] = sizeof(struct evtchn_bind_virq),
	[EVTCHNOP_bind_pirq] = sizeof(struct evtchn_bind_pirq),
	[EVTCHNOP_close] = sizeof(struct evtchn_close),
	[EVTCHNOP_send] = sizeof(struct evtchn_send),
	[EVTCHNOP_status] = sizeof(struct evtchn_status),
	[EVTCHNOP_alloc_unbound] = sizeof(struct evtchn_alloc_unbound),
	[EVTCHNOP_bind_ipi] = sizeof(struct evtchn_bind_ipi),
	[EVTCHNOP_bind_vcpu] = sizeof(struct evtchn_bind_vcpu),
	[EVTCHNOP_unmask] = sizeof(struct evtchn_unmask),
	[EVTCHNOP_reset] = sizeof(struct evtchn_reset),
	[EVTCHNOP_init_control] = sizeof(struct evtchn_init_control),
};

int evtchn_domain_init(struct domain *d)
{
	d->evtchn = xmalloc(sizeof(*d->evtchn));
	if (!d->evtchn)
		return -ENOMEM;
	evtchn_table_init(d->evtchn, d->domid, d->nr_vcpus);
	return 0;
}

/* Takes the locks of one or two tables, the lower domid first. */
static void lock_pair(struct evtchn_table *a, struct evtchn_table *b)
{
	if (!b || a == b) {
		spin_lock(&a->lock);
	} else if (a->domid < b->domid) {
		spin_lock(&a->lock);
		spin_lock(&b->lock);
	} else {
		spin_lock(&b->lock);
		spin_lock(&a->lock);
	}
}

static void unlock_pair(struct evtchn_table *a, struct evtchn_table *b)
{
	if (b && a != b)
		spin_unlock(&b->lock);
	spin_unlock(&a->lock);
}

/* Marks port of d pending for its vCPU and kicks that vCPU; d's table lock is held. */
static void raise_locked(struct domain *d, evtchn_port_t port)
{
	int id = evtchn_notify_vcpu(d->evtchn, port);
	struct vcpu *v;

	if (id < 0 || (unsigned int)id >= d->nr_vcpus)
		return;
	v = d->vcpus[id];
	if (evtchn_2l_set_pending(d->shared_info, v->info, port))
		vcpu_kick(v);
	/* SCHEDOP_poll sleepers look at any port, masked or not: let them check again. */
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		if (d->vcpus[i]->polling)
			vcpu_kick(d->vcpus[i]);
}

void evtchn_raise(struct domain *d, evtchn_port_t port)
{
	if (!d->evtchn)
		return;
	spin_lock(&d->evtchn->lock);
	raise_locked(d, port);
	spin_unlock(&d->evtchn->lock);
}

void evtchn_send_virq(struct vcpu *v, uint32_t virq)
{
	struct domain *d = v->domain;
	evtchn_port_t port;

	if (!d->evtchn || virq >= NR_VIRQS)
		return;
	spin_lock(&d->evtchn->lock);
	port = evtchn_virq_to_port(d->evtchn, evtchn_virq_is_per_vcpu(virq) ? v->id : 0, virq);
	if (port)
		raise_locked(d, port);
	spin_unlock(&d->evtchn->lock);
}

bool evtchn_any_pending(struct domain *d, const evtchn_port_t *ports, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		evtchn_port_t p = ports[i];

		if (p < NR_EVENT_CHANNELS &&
		    (__atomic_load_n(&d->shared_info->evtchn_pending[p / 64], __ATOMIC_SEQ_CST) &
		     (1ULL << (p % 64))))
			return true;
	}
	return false;
}

/* The domain a command names: the caller's own, or (privileged callers) any other. */
static long target_domain(struct domain *self, domid_t dom, struct domain **out)
{
	if (dom == DOMID_SELF || dom == self->domid) {
		*out = self;
		return 0;
	}
	if (!self->is_privileged)
		return -EPERM;
	*out = domain_lookup(dom);
	return *out && (*out)->evtchn ? 0 : -ESRCH;
}

static long op_alloc_unbound(struct domain *self, struct evtchn_alloc_unbound *a)
{
	struct domain *d;
	domid_t remote = a->remote_dom == DOMID_SELF ? self->domid : a->remote_dom;
	long rc = target_domain(self, a->dom, &d);

	if (rc)
		return rc;
	spin_lock(&d->evtchn->lock);
	rc = evtchn_alloc_unbound(d->evtchn, remote);
	spin_unlock(&d->evtchn->lock);
	if (rc > 0)
		a->port = (evtchn_port_t)rc;
	return rc < 0 ? rc : 0;
}

static long op_bind_interdomain(struct domain *self, struct evtchn_bind_interdomain *b)
{
	domid_t rdom = b->remote_dom == DOMID_SELF ? self->domid : b->remote_dom;
	struct domain *r = rdom == self->domid ? self : domain_lookup(rdom);
	long rc;

	if (!r || !r->evtchn)
		return -ESRCH;
	lock_pair(self->evtchn, r->evtchn);
	rc = evtchn_bind_interdomain(self->evtchn, r->evtchn, b->remote_port);
	unlock_pair(self->evtchn, r->evtchn);
	if (rc > 0)
		b->local_port = (evtchn_port_t)rc;
	return rc < 0 ? rc : 0;
}

static long op_bind_virq(struct domain *d, struct evtchn_bind_virq *b)
{
	long rc;

	spin_lock(&d->evtchn->lock);
	rc = evtchn_bind_virq(d->evtchn, b->virq, b->vcpu);
	spin_unlock(&d->evtchn->lock);
	if (rc > 0)
		b->port = (evtchn_port_t)rc;
	return rc < 0 ? rc : 0;
}

static long op_bind_ipi(struct domain *d, struct evtchn_bind_ipi *b)
{
	long rc;

	spin_lock(&d->evtchn->lock);
	rc = evtchn_bind_ipi(d->evtchn, b->vcpu);
	spin_unlock(&d->evtchn->lock);
	if (rc > 0)
		b->port = (evtchn_port_t)rc;
	return rc < 0 ? rc : 0;
}

/* Closes port of d; an interdomain peer (if it still exists) goes back to unbound. */
static long close_port(struct domain *d, evtchn_port_t port)
{
	for (;;) {
		struct domain *peer = NULL;
		domid_t pdom, now;
		bool inter;
		long rc;

		spin_lock(&d->evtchn->lock);
		inter = evtchn_peer(d->evtchn, port, &pdom);
		spin_unlock(&d->evtchn->lock);
		if (inter)
			peer = pdom == d->domid ? d : domain_lookup(pdom);
		if (peer && !peer->evtchn)
			peer = NULL;
		lock_pair(d->evtchn, peer ? peer->evtchn : NULL);
		/* The port may have changed while unlocked: start again if its peer did. */
		if (evtchn_peer(d->evtchn, port, &now) != inter || (inter && now != pdom)) {
			unlock_pair(d->evtchn, peer ? peer->evtchn : NULL);
			continue;
		}
		rc = evtchn_close(d->evtchn, port, peer ? peer->evtchn : NULL);
		unlock_pair(d->evtchn, peer ? peer->evtchn : NULL);
		return rc;
	}
}

static long op_send(struct domain *d, evtchn_port_t port)
{
	struct domain *r;
	evtchn_port_t target;
	domid_t rdom;
	long rc;

	spin_lock(&d->evtchn->lock);
	rc = evtchn_send_target(d->evtchn, port, &rdom, &target);
	if (rc > 0 && rdom == d->domid) {
		raise_locked(d, target);
		rc = 0;
	}
	spin_unlock(&d->evtchn->lock);
	if (rc <= 0)
		return rc;
	if (rdom == DOMID_XEN) {
		pvconsole_notify(d, port); /* the only backend inside the hypervisor */
		return 0;
	}
	r = domain_lookup(rdom);
	if (r && r->evtchn) {
		spin_lock(&r->evtchn->lock);
		raise_locked(r, target);
		spin_unlock(&r->evtchn->lock);
	}
	return 0;
}

static long op_status(struct domain *self, struct evtchn_status *st)
{
	struct domain *d;
	long rc = target_domain(self, st->dom, &d);

	if (rc)
		return rc;
	spin_lock(&d->evtchn->lock);
	rc = evtchn_get_status(d->evtchn, st->port, st);
	spin_unlock(&d->evtchn->lock);
	return rc;
}

static long op_bind_vcpu(struct domain *d, struct evtchn_bind_vcpu *b)
{
	long rc;

	spin_lock(&d->evtchn->lock);
	rc = evtchn_set_vcpu(d->evtchn, b->port, b->vcpu);
	spin_unlock(&d->evtchn->lock);
	return rc;
}

static long op_unmask(struct domain *d, evtchn_port_t port)
{
	int id;

	if (port >= NR_EVENT_CHANNELS)
		return -EINVAL;
	spin_lock(&d->evtchn->lock);
	id = evtchn_notify_vcpu(d->evtchn, port);
	if (id < 0)
		id = 0; /* a closed port: the mask bit is the guest's anyway */
	if (evtchn_2l_unmask(d->shared_info, d->vcpus[id]->info, port))
		vcpu_kick(d->vcpus[id]);
	spin_unlock(&d->evtchn->lock);
	return 0;
}

static void reset_ports(struct domain *d)
{
	for (evtchn_port_t p = 1; p < NR_EVENT_CHANNELS; p++)
		if (d->evtchn->port[p].state != EVTCHNSTAT_closed)
			close_port(d, p);
}

static long op_reset(struct domain *self, domid_t dom)
{
	struct domain *d;
	long rc = target_domain(self, dom, &d);

	if (rc)
		return rc;
	reset_ports(d);
	return 0;
}

void evtchn_domain_destroy(struct domain *d)
{
	if (!d->evtchn)
		return;
	reset_ports(d);
	xfree(d->evtchn);
	d->evtchn = NULL;
}

/* One command on its argument, already copied in; the results are written back into it. */
/*
 * The FIFO ABI is not offered: a well-formed init_control gets -ENOSYS and the guest stays on
 * the 2-level ABI. The arguments are still checked first (a bad control frame, offset or vCPU
 * is -EINVAL, as on Xen), so no state is ever kept from a refused call (XSA-188).
 */
static long op_init_control(struct domain *d, const struct evtchn_init_control *c)
{
	const struct frame_info *f = pfn_to_frame(c->control_gfn);

	if (c->vcpu >= d->nr_vcpus || c->offset > PAGE_SIZE - 64 || (c->offset & 7))
		return -EINVAL;
	if (!f || f->state != FRAME_GUEST || f->owner != d->domid)
		return -EINVAL;
	return -ENOSYS;
}

static long evtchn_dispatch(struct domain *d, unsigned int cmd, union evtchn_args *a)
{
	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		return op_alloc_unbound(d, &a->alloc_unbound);
	case EVTCHNOP_bind_interdomain:
		return op_bind_interdomain(d, &a->bind_interdomain);
	case EVTCHNOP_bind_virq:
		return op_bind_virq(d, &a->bind_virq);
	case EVTCHNOP_bind_ipi:
		return op_bind_ipi(d, &a->bind_ipi);
	case EVTCHNOP_bind_pirq:
		return -EINVAL; /* no physical IRQs are routed to guests yet */
	case EVTCHNOP_close:
		return close_port(d, a->close.port);
	case EVTCHNOP_send:
		return op_send(d, a->send.port);
	case EVTCHNOP_status:
		return op_status(d, &a->status);
	case EVTCHNOP_bind_vcpu:
		return op_bind_vcpu(d, &a->bind_vcpu);
	case EVTCHNOP_unmask:
		return op_unmask(d, a->unmask.port);
	case EVTCHNOP_reset:
		return op_reset(d, a->reset.dom);
	case EVTCHNOP_init_control:
		return op_init_control(d, &a->init_control);
	default:
		return -ENOSYS; /* the FIFO ABI (init_control, expand_array, set_priority) */
	}
}

/* Commands whose argument carries results back (the OUT ports, status). */
static bool has_output(unsigned int cmd)
{
	return cmd == EVTCHNOP_alloc_unbound || cmd == EVTCHNOP_bind_interdomain ||
	       cmd == EVTCHNOP_bind_virq || cmd == EVTCHNOP_bind_ipi || cmd == EVTCHNOP_status;
}

long do_event_channel_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct domain *d = current_vcpu()->domain;
	union evtchn_args a;
	long rc;

	if (cmd >= EVTCHNOP_COUNT || !arg_size[cmd] || !d->evtchn)
		return -ENOSYS;
	memset(&a, 0, sizeof(a));
	if (copy_from_guest(&a, arg, arg_size[cmd]))
		return -EFAULT;
	rc = evtchn_dispatch(d, (unsigned int)cmd, &a);
	if (rc == 0 && has_output((unsigned int)cmd) && copy_to_guest(arg, &a, arg_size[cmd]))
		return -EFAULT;
	return rc;
}

/* The old event_channel_op (#16): one struct evtchn_op {cmd, union} in guest memory. */
long do_event_channel_op_compat(uint64_t arg, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct domain *d = current_vcpu()->domain;
	struct evtchn_op op;
	union evtchn_args a;
	long rc;

	if (copy_from_guest(&op, arg, sizeof(op)))
		return -EFAULT;
	if (op.cmd >= EVTCHNOP_COUNT || !arg_size[op.cmd] || op.cmd == EVTCHNOP_reset || !d->evtchn)
		return -ENOSYS;
	memset(&a, 0, sizeof(a));
	memcpy(&a, &op.u, arg_size[op.cmd]);
	rc = evtchn_dispatch(d, op.cmd, &a);
	if (rc == 0 && has_output(op.cmd)) {
		memcpy(&op.u, &a, arg_size[op.cmd]);
		if (copy_to_guest(arg, &op, sizeof(op)))
			return -EFAULT;
	}
	return rc;
}
