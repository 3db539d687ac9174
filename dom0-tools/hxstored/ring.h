/* SPDX-License-Identifier: GPL-2.0-only */
/* The guest ring transport, independent of how the page is mapped and the peer signalled. */
#ifndef HXSTORED_RING_H
#define HXSTORED_RING_H

#include <stdint.h>

#include <hx/xs_wire.h>

struct xs_conn;

/* How one ring's page is held and its peer signalled. */
struct ring_ops {
	void (*kick)(void *opaque);  /* signal the guest */
	void (*ack)(void *opaque);   /* consume a signal from the guest (wait fd readable) */
	void (*unmap)(void *opaque); /* release page, fds and opaque */
};

/* Maps domains' rings for INTRODUCE: the Xen devices, or memfd/eventfd for host tests. */
struct ring_backend {
	const char *name;
	/*
	 * Attaches the ring of domid. fds are the descriptors received with the INTRODUCE request
	 * (host backend: memfd of the page, created with MFD_ALLOW_SEALING as it gets sealed
	 * against shrinking, eventfd the guest kicks, eventfd the server kicks); the
	 * backend takes the ones it uses by setting them to -1. Returns 0 or an errno.
	 */
	int (*attach)(uint32_t domid, long gfn, uint32_t port, int *fds, int nfds,
		      struct xs_conn **out);
};

extern const struct ring_backend ring_backend_host;
extern const struct ring_backend ring_backend_xen;
extern const struct ring_backend *ring_backend; /* NULL: INTRODUCE only records the domain */

/* Creates the connection for a mapped ring; wait_fd becomes readable when the guest kicks. */
struct xs_conn *ring_conn_new(uint32_t domid, struct hx_xs_ring *intf, int wait_fd,
			      const struct ring_ops *ops, void *opaque);
/* Reports an error (HX_XS_RING_ERR_*) to the guest in the ring page. */
void ring_conn_set_error(struct xs_conn *c, uint32_t err);
/* The opaque pointer of a ring connection. */
void *ring_conn_opaque(const struct xs_conn *c);

/* Host backend details needed to hand a ring over to a new process. */
int ring_host_fds(const struct xs_conn *c, int fds[3]);
/* Re-creates a host ring connection from its three descriptors (live update). */
struct xs_conn *ring_host_adopt(uint32_t domid, int memfd, int in_fd, int out_fd);

#endif /* HXSTORED_RING_H */
