/* SPDX-License-Identifier: MIT */
/* pvkit: event channels (2-level ABI), the upcall handler, masks, and blocking. */
#ifndef PVKIT_EVENTS_H
#define PVKIT_EVENTS_H

#include "lib.h"
#include <public/event_channel.h>

typedef void (*pv_evtchn_handler_t)(evtchn_port_t port, void *data);

/*
 * Registers the event callback (CALLBACKOP_register, or set_callbacks when use_set_callbacks)
 * and masks every port. Events stay off (upcall mask set) until pv_events_enable().
 */
long pv_events_init(bool use_set_callbacks);

/* Event delivery on the calling vCPU: the PV "sti"/"cli". enable delivers anything pending. */
void pv_events_enable(void);
void pv_events_disable(void);
bool pv_events_enabled(void);

/* Handler for a port; setting one also unmasks the port. NULL masks it again. */
void pv_evtchn_set_handler(evtchn_port_t port, pv_evtchn_handler_t fn, void *data);
void pv_evtchn_mask(evtchn_port_t port);
void pv_evtchn_unmask(evtchn_port_t port); /* EVTCHNOP_unmask: re-raises a pending port */
bool pv_evtchn_is_pending(evtchn_port_t port);
bool pv_evtchn_is_masked(evtchn_port_t port);
void pv_evtchn_clear(evtchn_port_t port);
/* Number of upcalls the handler has run (the event callback was entered). */
uint64_t pv_evtchn_upcall_count(void);

/* EVTCHNOP wrappers: return 0 or -XEN_E*; OUT ports through the pointer. */
long pv_evtchn_alloc_unbound(domid_t remote_dom, evtchn_port_t *port);
long pv_evtchn_bind_interdomain(domid_t remote_dom, evtchn_port_t remote_port,
				evtchn_port_t *local_port);
long pv_evtchn_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port);
long pv_evtchn_bind_ipi(uint32_t vcpu, evtchn_port_t *port);
long pv_evtchn_send(evtchn_port_t port);
long pv_evtchn_close(evtchn_port_t port);
long pv_evtchn_status(domid_t dom, evtchn_port_t port, struct evtchn_status *out);
long pv_evtchn_bind_vcpu(evtchn_port_t port, uint32_t vcpu);

/* SCHEDOP_block: sleep with events enabled until one arrives (it is delivered on return). */
long pv_block(void);
long pv_yield(void);

/* Called from the upcall entry: scans the 2-level bitmaps and runs handlers. */
void pv_evtchn_do_upcall(void);

#endif /* PVKIT_EVENTS_H */
