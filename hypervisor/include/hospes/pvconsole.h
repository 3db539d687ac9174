/* SPDX-License-Identifier: GPL-2.0-only */
/* The guests' console: their output on the serial line, serial input to the console's owner. */
#ifndef HOSPES_PVCONSOLE_H
#define HOSPES_PVCONSOLE_H

#include <hospes/types.h>
#include <public/event_channel.h>

struct domain;

#define PVCONSOLE_POLL_NS 10000000ULL /* the UART is polled every 10 ms while someone listens */

/*
 * Makes d the console's owner: serial input goes to it (VIRQ_CONSOLE and CONSOLEIO_read for a
 * privileged domain, its console ring otherwise) and its output goes out as a terminal stream,
 * not as prefixed lines.
 */
void pvconsole_set_owner(struct domain *d);

/*
 * Serves d's console ring: the page at machine frame mfn (d's, with a reference held for the
 * hypervisor), signalled through port (bound with evtchn_bind_hypervisor). d owns the console.
 */
void pvconsole_attach_ring(struct domain *d, pfn_t mfn, evtchn_port_t port);

/* d is going away: it stops owning the console. Call before d's memory is freed. */
void pvconsole_detach(struct domain *d);

/* d sent an event on port, bound to the hypervisor: drains its output, refills its input. */
void pvconsole_notify(struct domain *d, evtchn_port_t port);

/* CONSOLEIO_read: up to len bytes of serial input for the owner; the count, or -EPERM. */
long pvconsole_read(struct domain *d, char *buf, size_t len);

/*
 * Boot CPU, from the timer code: reads what the UART received and hands it on. Returns when to
 * poll next (system time, ns), or UINT64_MAX when nobody listens.
 */
uint64_t pvconsole_poll(uint64_t now_ns);

/*
 * Guest console output (console_io write, console ring): the owner's as it is; any other
 * domain's in whole lines prefixed "(dN) ".
 */
void guest_console_write(struct domain *d, const char *buf, size_t n);

#endif /* HOSPES_PVCONSOLE_H */
