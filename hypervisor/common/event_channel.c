/* SPDX-License-Identifier: GPL-2.0-only */
/* Event channel port table (2-level ABI): allocation, binding, closing, status, pending bits. */
#include <hospes/errno.h>
#include <hospes/event_channel.h>
#include <hospes/lib.h>

void evtchn_table_init(struct evtchn_table *t, domid_t domid, unsigned int nr_vcpus)
{
	memset(t, 0, sizeof(*t));
	spin_lock_init(&t->lock);
	t->domid = domid;
	t->nr_vcpus = nr_vcpus < EVTCHN_MAX_VCPUS ? nr_vcpus : EVTCHN_MAX_VCPUS;
}

bool evtchn_virq_is_per_vcpu(uint32_t virq)
{
	return virq == VIRQ_TIMER || virq == VIRQ_DEBUG || virq == VIRQ_XENOPROF ||
	       virq == VIRQ_XENPMU;
}

static bool port_ok(evtchn_port_t port)
{
	return port != 0 && port < NR_EVENT_CHANNELS;
}

/* The lowest free port from 1 (port 0 is never handed out), marked with state. */
static int port_alloc(struct evtchn_table *t, uint8_t state, uint8_t vcpu)
{
	for (evtchn_port_t p = 1; p < NR_EVENT_CHANNELS; p++) {
		if (t->port[p].state == EVTCHNSTAT_closed) {
			t->port[p] = (struct evtchn){.state = state, .vcpu = vcpu};
			return (int)p;
		}
	}
	return -ENOSPC;
}

int evtchn_alloc_unbound(struct evtchn_table *t, domid_t remote_dom)
{
	int p = port_alloc(t, EVTCHNSTAT_unbound, 0);

	if (p > 0)
		t->port[p].remote_dom = remote_dom;
	return p;
}

int evtchn_bind_hypervisor(struct evtchn_table *t)
{
	int p = port_alloc(t, EVTCHNSTAT_interdomain, 0);

	if (p > 0)
		t->port[p].remote_dom = DOMID_XEN; /* value 0: no peer port */
	return p;
}

int evtchn_bind_interdomain(struct evtchn_table *l, struct evtchn_table *r, evtchn_port_t rport)
{
	struct evtchn *rc;
	int lp;

	if (!port_ok(rport))
		return -EINVAL;
	rc = &r->port[rport];
	if (rc->state != EVTCHNSTAT_unbound || rc->remote_dom != l->domid)
		return -EINVAL;
	lp = port_alloc(l, EVTCHNSTAT_interdomain, 0);
	if (lp < 0)
		return lp;
	l->port[lp].remote_dom = r->domid;
	l->port[lp].value = rport;
	rc->state = EVTCHNSTAT_interdomain;
	rc->remote_dom = l->domid;
	rc->value = (uint32_t)lp;
	return lp;
}

int evtchn_bind_virq(struct evtchn_table *t, uint32_t virq, uint32_t vcpu)
{
	int p;

	if (virq >= NR_VIRQS)
		return -EINVAL;
	if (!evtchn_virq_is_per_vcpu(virq) && vcpu != 0)
		return -EINVAL;
	if (vcpu >= t->nr_vcpus)
		return -ENOENT;
	if (t->virq_port[vcpu][virq])
		return -EEXIST;
	p = port_alloc(t, EVTCHNSTAT_virq, (uint8_t)vcpu);
	if (p < 0)
		return p;
	t->port[p].value = virq;
	t->virq_port[vcpu][virq] = (evtchn_port_t)p;
	return p;
}

int evtchn_bind_ipi(struct evtchn_table *t, uint32_t vcpu)
{
	if (vcpu >= t->nr_vcpus)
		return -ENOENT;
	return port_alloc(t, EVTCHNSTAT_ipi, (uint8_t)vcpu);
}

int evtchn_close(struct evtchn_table *t, evtchn_port_t port, struct evtchn_table *peer)
{
	struct evtchn *c;

	if (!port_ok(port))
		return -EINVAL;
	c = &t->port[port];
	switch (c->state) {
	case EVTCHNSTAT_closed:
		return -EINVAL;
	case EVTCHNSTAT_virq:
		if (c->value < NR_VIRQS && t->virq_port[c->vcpu][c->value] == port)
			t->virq_port[c->vcpu][c->value] = 0;
		break;
	case EVTCHNSTAT_interdomain:
		if (peer && peer->domid == c->remote_dom && port_ok(c->value)) {
			struct evtchn *pc = &peer->port[c->value];

			if (pc->state == EVTCHNSTAT_interdomain && pc->remote_dom == t->domid &&
			    pc->value == port) {
				pc->state = EVTCHNSTAT_unbound;
				pc->value = 0;
			}
		}
		break;
	default:
		break;
	}
	*c = (struct evtchn){0};
	return 0;
}

bool evtchn_peer(const struct evtchn_table *t, evtchn_port_t port, domid_t *dom)
{
	if (!port_ok(port) || t->port[port].state != EVTCHNSTAT_interdomain)
		return false;
	*dom = t->port[port].remote_dom;
	return true;
}

int evtchn_send_target(const struct evtchn_table *t, evtchn_port_t port, domid_t *dom,
		       evtchn_port_t *target)
{
	const struct evtchn *c;

	if (!port_ok(port))
		return -EINVAL;
	c = &t->port[port];
	switch (c->state) {
	case EVTCHNSTAT_interdomain:
		*dom = c->remote_dom;
		*target = c->value;
		return 1;
	case EVTCHNSTAT_ipi:
		*dom = t->domid;
		*target = port;
		return 1;
	case EVTCHNSTAT_unbound:
		return 0; /* nobody listens yet: dropped, as Xen does */
	default:
		return -EINVAL;
	}
}

int evtchn_get_status(const struct evtchn_table *t, evtchn_port_t port, struct evtchn_status *st)
{
	const struct evtchn *c;

	if (port >= NR_EVENT_CHANNELS)
		return -EINVAL;
	c = &t->port[port];
	memset(&st->u, 0, sizeof(st->u));
	st->status = c->state;
	st->vcpu = c->vcpu;
	switch (c->state) {
	case EVTCHNSTAT_unbound:
		st->u.unbound.dom = c->remote_dom;
		break;
	case EVTCHNSTAT_interdomain:
		st->u.interdomain.dom = c->remote_dom;
		st->u.interdomain.port = c->value;
		break;
	case EVTCHNSTAT_pirq:
		st->u.pirq = c->value;
		break;
	case EVTCHNSTAT_virq:
		st->u.virq = c->value;
		break;
	default:
		break;
	}
	return 0;
}

int evtchn_set_vcpu(struct evtchn_table *t, evtchn_port_t port, uint32_t vcpu)
{
	struct evtchn *c;

	if (!port_ok(port))
		return -EINVAL;
	if (vcpu >= t->nr_vcpus)
		return -ENOENT;
	c = &t->port[port];
	switch (c->state) {
	case EVTCHNSTAT_virq:
		if (evtchn_virq_is_per_vcpu(c->value))
			return -EINVAL;
		/* a global VIRQ stays registered under vCPU 0; only the target moves */
		c->vcpu = (uint8_t)vcpu;
		return 0;
	case EVTCHNSTAT_unbound:
	case EVTCHNSTAT_interdomain:
	case EVTCHNSTAT_pirq:
		c->vcpu = (uint8_t)vcpu;
		return 0;
	default:
		return -EINVAL;
	}
}

int evtchn_notify_vcpu(const struct evtchn_table *t, evtchn_port_t port)
{
	if (!port_ok(port) || t->port[port].state == EVTCHNSTAT_closed)
		return -EINVAL;
	return t->port[port].vcpu < t->nr_vcpus ? t->port[port].vcpu : 0;
}

evtchn_port_t evtchn_virq_to_port(const struct evtchn_table *t, uint32_t vcpu, uint32_t virq)
{
	if (vcpu >= t->nr_vcpus || virq >= NR_VIRQS)
		return 0;
	return t->virq_port[vcpu][virq];
}

/* Atomically sets bit n of the bitmap; true if it was already set. */
static bool test_and_set(xen_ulong_t *map, unsigned int n)
{
	xen_ulong_t bit = (xen_ulong_t)1 << (n % 64);

	return __atomic_fetch_or(&map[n / 64], bit, __ATOMIC_SEQ_CST) & bit;
}

static bool test_bit(const xen_ulong_t *map, unsigned int n)
{
	return __atomic_load_n(&map[n / 64], __ATOMIC_SEQ_CST) & ((xen_ulong_t)1 << (n % 64));
}

/* The pending port is unmasked: flag its word in the selector and the vCPU's upcall. */
static bool raise_upcall(struct shared_info *s, struct vcpu_info *vi, evtchn_port_t port)
{
	if (test_bit(s->evtchn_mask, port))
		return false;
	if (test_and_set(&vi->evtchn_pending_sel, port / 64))
		return false;
	__atomic_store_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
	return true;
}

bool evtchn_2l_set_pending(struct shared_info *s, struct vcpu_info *vi, evtchn_port_t port)
{
	if (port >= NR_EVENT_CHANNELS || test_and_set(s->evtchn_pending, port))
		return false;
	return raise_upcall(s, vi, port);
}

bool evtchn_2l_unmask(struct shared_info *s, struct vcpu_info *vi, evtchn_port_t port)
{
	xen_ulong_t bit = (xen_ulong_t)1 << (port % 64);

	if (port >= NR_EVENT_CHANNELS)
		return false;
	__atomic_fetch_and(&s->evtchn_mask[port / 64], ~bit, __ATOMIC_SEQ_CST);
	if (!test_bit(s->evtchn_pending, port))
		return false;
	return raise_upcall(s, vi, port);
}
