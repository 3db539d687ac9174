/* SPDX-License-Identifier: MIT */
/* Guest ABI: event channels, event_channel_op (#32) and the 2-level layout (Xen 4.17). */
#ifndef HOSPES_PUBLIC_EVENT_CHANNEL_H
#define HOSPES_PUBLIC_EVENT_CHANNEL_H

#include "xen.h"

/*
 * event_channel_op(cmd, h arg): arg points at the struct named after the command. Returns 0 or
 * -XEN_E*. Port 0 is never a valid port. The hypervisor copies the struct in once and writes the
 * OUT fields back on success.
 */
#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq	  1
#define EVTCHNOP_bind_pirq	  2
#define EVTCHNOP_close		  3
#define EVTCHNOP_send		  4
#define EVTCHNOP_status		  5
#define EVTCHNOP_alloc_unbound	  6
#define EVTCHNOP_bind_ipi	  7
#define EVTCHNOP_bind_vcpu	  8
#define EVTCHNOP_unmask		  9
#define EVTCHNOP_reset		  10
#define EVTCHNOP_init_control	  11
#define EVTCHNOP_expand_array	  12
#define EVTCHNOP_set_priority	  13

typedef uint32_t evtchn_port_t;

/* alloc_unbound: IN dom (DOMID_SELF or, privileged, another), remote_dom allowed to bind. OUT port. */
struct evtchn_alloc_unbound {
	domid_t dom;
	domid_t remote_dom;
	evtchn_port_t port;
};
_Static_assert(sizeof(struct evtchn_alloc_unbound) == 8, "evtchn_alloc_unbound size");
_Static_assert(offsetof(struct evtchn_alloc_unbound, port) == 4, "evtchn_alloc_unbound.port");

/* bind_interdomain: IN remote_dom, remote_port (unbound, offered to us). OUT local_port. */
struct evtchn_bind_interdomain {
	domid_t remote_dom;
	uint16_t _pad0;
	evtchn_port_t remote_port;
	evtchn_port_t local_port;
};
_Static_assert(sizeof(struct evtchn_bind_interdomain) == 12, "evtchn_bind_interdomain size");
_Static_assert(offsetof(struct evtchn_bind_interdomain, remote_port) == 4, "bind_interdomain.rp");
_Static_assert(offsetof(struct evtchn_bind_interdomain, local_port) == 8, "bind_interdomain.lp");

/* bind_virq: IN virq (VIRQ_*), vcpu to notify. OUT port. -XEN_EEXIST if already bound. */
struct evtchn_bind_virq {
	uint32_t virq;
	uint32_t vcpu;
	evtchn_port_t port;
};
_Static_assert(sizeof(struct evtchn_bind_virq) == 12, "evtchn_bind_virq size");
_Static_assert(offsetof(struct evtchn_bind_virq, port) == 8, "evtchn_bind_virq.port");

/* bind_pirq: IN pirq, flags (BIND_PIRQ__WILL_SHARE). OUT port. */
struct evtchn_bind_pirq {
	uint32_t pirq;
	uint32_t flags;
	evtchn_port_t port;
};
_Static_assert(sizeof(struct evtchn_bind_pirq) == 12, "evtchn_bind_pirq size");
#define BIND_PIRQ__WILL_SHARE 1

/* bind_ipi: IN vcpu to notify. OUT port; sending on it raises an event on that vCPU. */
struct evtchn_bind_ipi {
	uint32_t vcpu;
	evtchn_port_t port;
};
_Static_assert(sizeof(struct evtchn_bind_ipi) == 8, "evtchn_bind_ipi size");

/* close: IN port. The port becomes free; an interdomain peer becomes unbound. */
struct evtchn_close {
	evtchn_port_t port;
};
_Static_assert(sizeof(struct evtchn_close) == 4, "evtchn_close size");

/* send: IN port. Raises the event at the other end (interdomain, or the IPI's own vCPU). */
struct evtchn_send {
	evtchn_port_t port;
};
_Static_assert(sizeof(struct evtchn_send) == 4, "evtchn_send size");

/* status: IN dom, port. OUT status (EVTCHNSTAT_*), vcpu, and the binding in u. */
struct evtchn_status {
	domid_t dom;
	uint16_t _pad0;
	evtchn_port_t port;
	uint32_t status;
	uint32_t vcpu;
	union {
		struct {
			domid_t dom;
		} unbound;
		struct {
			domid_t dom;
			uint16_t _pad1;
			evtchn_port_t port;
		} interdomain;
		uint32_t pirq;
		uint32_t virq;
	} u;
};
_Static_assert(sizeof(struct evtchn_status) == 24, "evtchn_status size");
_Static_assert(offsetof(struct evtchn_status, port) == 4, "evtchn_status.port");
_Static_assert(offsetof(struct evtchn_status, status) == 8, "evtchn_status.status");
_Static_assert(offsetof(struct evtchn_status, vcpu) == 12, "evtchn_status.vcpu");
_Static_assert(offsetof(struct evtchn_status, u) == 16, "evtchn_status.u");
_Static_assert(offsetof(struct evtchn_status, u.interdomain.port) == 20, "status.u.idom.port");
#define EVTCHNSTAT_closed      0 /* not in use */
#define EVTCHNSTAT_unbound     1 /* waiting for a remote domain to bind */
#define EVTCHNSTAT_interdomain 2 /* connected to a remote domain */
#define EVTCHNSTAT_pirq	       3 /* bound to a physical IRQ */
#define EVTCHNSTAT_virq	       4 /* bound to a virtual IRQ */
#define EVTCHNSTAT_ipi	       5 /* bound to a virtual IPI */

/* bind_vcpu: IN port, vcpu. Future notifications go to that vCPU. */
struct evtchn_bind_vcpu {
	evtchn_port_t port;
	uint32_t vcpu;
};
_Static_assert(sizeof(struct evtchn_bind_vcpu) == 8, "evtchn_bind_vcpu size");

/* unmask: IN port. Clears the mask bit and raises the upcall if the port is pending. */
struct evtchn_unmask {
	evtchn_port_t port;
};
_Static_assert(sizeof(struct evtchn_unmask) == 4, "evtchn_unmask size");

/* reset: IN dom. Closes every port of the domain. */
struct evtchn_reset {
	domid_t dom;
};
_Static_assert(sizeof(struct evtchn_reset) == 2, "evtchn_reset size");

/* init_control (FIFO ABI): IN control_gfn, offset, vcpu. OUT link_bits. */
struct evtchn_init_control {
	uint64_t control_gfn;
	uint32_t offset;
	uint32_t vcpu;
	uint8_t link_bits;
	uint8_t _pad[7];
};
_Static_assert(sizeof(struct evtchn_init_control) == 24, "evtchn_init_control size");
_Static_assert(offsetof(struct evtchn_init_control, link_bits) == 16, "init_control.link_bits");

/* expand_array (FIFO ABI): IN array_gfn. */
struct evtchn_expand_array {
	uint64_t array_gfn;
};
_Static_assert(sizeof(struct evtchn_expand_array) == 8, "evtchn_expand_array size");

/* set_priority (FIFO ABI): IN port, priority. */
struct evtchn_set_priority {
	evtchn_port_t port;
	uint32_t priority;
};
_Static_assert(sizeof(struct evtchn_set_priority) == 8, "evtchn_set_priority size");

/* event_channel_op_compat (#16): the same commands wrapped in one struct. */
struct evtchn_op {
	uint32_t cmd;
	union {
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
	} u;
};
_Static_assert(sizeof(struct evtchn_op) == 28, "evtchn_op size");
_Static_assert(offsetof(struct evtchn_op, u) == 4, "evtchn_op.u");

#define EVTCHN_2L_NR_CHANNELS (64 * 64)

#endif /* HOSPES_PUBLIC_EVENT_CHANNEL_H */
