/* SPDX-License-Identifier: GPL-2.0-only */
/* Event channels: the per-domain port table of the 2-level ABI and its pure state machine. */
#ifndef HOSPES_EVENT_CHANNEL_H
#define HOSPES_EVENT_CHANNEL_H

#include <hospes/spinlock.h>
#include <hospes/types.h>
#include <public/event_channel.h>
#include <public/xen.h>

#define EVTCHN_MAX_VCPUS XEN_LEGACY_MAX_VCPUS

/* One port. state is EVTCHNSTAT_*; closed ports are all zero. */
struct evtchn {
	uint8_t state;
	uint8_t vcpu;	    /* the vCPU notified when the port goes pending */
	domid_t remote_dom; /* unbound: who may bind; interdomain: the peer */
	uint32_t value;	    /* interdomain: the peer's port; virq: VIRQ_*; pirq: the PIRQ */
};

/*
 * A domain's ports. The state machine below never locks: the caller holds lock (both tables'
 * locks, in domid order, when two domains take part).
 */
struct evtchn_table {
	spinlock_t lock;
	domid_t domid;
	unsigned int nr_vcpus;
	evtchn_port_t virq_port[EVTCHN_MAX_VCPUS][NR_VIRQS]; /* 0: not bound */
	struct evtchn port[NR_EVENT_CHANNELS];
};

void evtchn_table_init(struct evtchn_table *t, domid_t domid, unsigned int nr_vcpus);

/* True for the VIRQs each vCPU has its own binding of (the others go to vCPU 0). */
bool evtchn_virq_is_per_vcpu(uint32_t virq);

/* These return the new port, or -ENOSPC (table full), -EINVAL, -ENOENT (no such vCPU)... */
int evtchn_alloc_unbound(struct evtchn_table *t, domid_t remote_dom);
/* Binds a new local port of l to remote port rport of r (l == r for a loopback). */
int evtchn_bind_interdomain(struct evtchn_table *l, struct evtchn_table *r, evtchn_port_t rport);
int evtchn_bind_virq(struct evtchn_table *t, uint32_t virq, uint32_t vcpu);
/*
 * A port whose other end is the hypervisor itself (a backend living in it, such as the console
 * ring's): interdomain to DOMID_XEN, so EVTCHNOP_send reports DOMID_XEN as the target domain.
 */
int evtchn_bind_hypervisor(struct evtchn_table *t);
int evtchn_bind_ipi(struct evtchn_table *t, uint32_t vcpu);

/*
 * Closes port. For an interdomain port, peer is the peer's table (t itself for a loopback;
 * NULL if the peer domain is gone): its end goes back to unbound, offered to t's domain.
 * Returns 0 or -EINVAL.
 */
int evtchn_close(struct evtchn_table *t, evtchn_port_t port, struct evtchn_table *peer);

/* The peer domain of an interdomain port; false for any other port. */
bool evtchn_peer(const struct evtchn_table *t, evtchn_port_t port, domid_t *dom);

/*
 * Where EVTCHNOP_send on port goes: returns 1 with *dom / *target set (the domain and port to
 * raise), 0 if the send is accepted but goes nowhere (unbound), or -EINVAL.
 */
int evtchn_send_target(const struct evtchn_table *t, evtchn_port_t port, domid_t *dom,
		       evtchn_port_t *target);

int evtchn_get_status(const struct evtchn_table *t, evtchn_port_t port, struct evtchn_status *st);
int evtchn_set_vcpu(struct evtchn_table *t, evtchn_port_t port, uint32_t vcpu);

/* The vCPU a raised port notifies; -EINVAL if the port cannot be raised (closed, bad). */
int evtchn_notify_vcpu(const struct evtchn_table *t, evtchn_port_t port);

/* The port bound to virq for vcpu (0: none). */
evtchn_port_t evtchn_virq_to_port(const struct evtchn_table *t, uint32_t vcpu, uint32_t virq);

/*
 * 2-level delivery: marks port pending in s and, unless it is masked, its selector bit and
 * upcall_pending in vi. True if the vCPU has a new upcall to take (kick it).
 */
bool evtchn_2l_set_pending(struct shared_info *s, struct vcpu_info *vi, evtchn_port_t port);
/* EVTCHNOP_unmask: clears the mask bit; re-raises a pending port as above. */
bool evtchn_2l_unmask(struct shared_info *s, struct vcpu_info *vi, evtchn_port_t port);

/* The hypervisor side (common/evtchn_op.c): tables of domains, delivery to vCPUs. */
struct domain;
struct vcpu;

/* Gives d its port table (all closed); -ENOMEM. */
int evtchn_domain_init(struct domain *d);
/* Closes every port of d (peers go back to unbound) and frees the table. */
void evtchn_domain_destroy(struct domain *d);
/* Raises port of d from the hypervisor's side (a backend inside it); a closed port is ignored. */
void evtchn_raise(struct domain *d, evtchn_port_t port);
/* Raises virq on v (a per-vCPU VIRQ) or on the domain's vCPU 0 binding (a global one). */
void evtchn_send_virq(struct vcpu *v, uint32_t virq);
/* True if any of ports is pending in d's shared_info (SCHEDOP_poll). */
bool evtchn_any_pending(struct domain *d, const evtchn_port_t *ports, unsigned int n);

#endif /* HOSPES_EVENT_CHANNEL_H */
