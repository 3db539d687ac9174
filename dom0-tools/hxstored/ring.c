/* SPDX-License-Identifier: GPL-2.0-only */
/* The guest ring transport, independent of how the page is mapped and the peer signalled. */
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "log.h"
#include "ring.h"

const struct ring_backend *ring_backend;

struct ring_priv {
	struct hx_xs_ring *intf;
	const struct ring_ops *ops;
	void *opaque;
};

/* Broken indices: report it in the page and drop the connection. */
static ssize_t ring_broken(struct xs_conn *c, struct hx_xs_ring *r, const char *what)
{
	log_warn("domain %u: ring %s indices corrupt, disconnecting", c->who.domid, what);
	__atomic_store_n(&r->error, HX_XS_RING_ERR_RINGIDX, __ATOMIC_RELEASE);
	return -1;
}

static void ring_reconnect(struct xs_conn *c, struct ring_priv *p)
{
	struct hx_xs_ring *r = p->intf;

	log_info("domain %u: ring reconnect", c->who.domid);
	r->req_cons = r->req_prod = r->rsp_cons = r->rsp_prod = 0;
	c->in_len = 0;
	c->out_len = c->out_off = 0;
	conn_drop_txns(c);
	__atomic_store_n(&r->connection, HX_XS_RING_CONNECTED, __ATOMIC_RELEASE);
	p->ops->kick(p->opaque);
}

static ssize_t ring_recv(struct xs_conn *c, char *buf, size_t len)
{
	struct ring_priv *p = c->tpriv;
	struct hx_xs_ring *r = p->intf;

	if (__atomic_load_n(&r->connection, __ATOMIC_ACQUIRE) == HX_XS_RING_RECONNECT) {
		ring_reconnect(c, p);
		return 0;
	}
	if (r->error)
		return -1;
	uint32_t prod = __atomic_load_n(&r->req_prod, __ATOMIC_ACQUIRE);
	uint32_t cons = r->req_cons;
	uint32_t avail = prod - cons;

	if (avail > HX_XS_RING_SIZE)
		return ring_broken(c, r, "request");
	if (avail > len)
		avail = (uint32_t)len;
	for (uint32_t done = 0; done < avail;) {
		uint32_t idx = HX_XS_RING_IDX(cons + done);
		uint32_t chunk = HX_XS_RING_SIZE - idx;

		if (chunk > avail - done)
			chunk = avail - done;
		memcpy(buf + done, r->req + idx, chunk);
		done += chunk;
	}
	__atomic_store_n(&r->req_cons, cons + avail, __ATOMIC_RELEASE);
	if (avail)
		p->ops->kick(p->opaque);
	return avail;
}

static ssize_t ring_send(struct xs_conn *c, const char *buf, size_t len)
{
	struct ring_priv *p = c->tpriv;
	struct hx_xs_ring *r = p->intf;
	uint32_t cons = __atomic_load_n(&r->rsp_cons, __ATOMIC_ACQUIRE);
	uint32_t prod = r->rsp_prod;
	uint32_t used = prod - cons, space, done = 0;

	if (r->error)
		return -1;
	if (used > HX_XS_RING_SIZE)
		return ring_broken(c, r, "response");
	space = HX_XS_RING_SIZE - used;
	if (space > len)
		space = (uint32_t)len;
	while (done < space) {
		uint32_t idx = HX_XS_RING_IDX(prod + done);
		uint32_t chunk = HX_XS_RING_SIZE - idx;

		if (chunk > space - done)
			chunk = space - done;
		memcpy(r->rsp + idx, buf + done, chunk);
		done += chunk;
	}
	__atomic_store_n(&r->rsp_prod, prod + done, __ATOMIC_RELEASE);
	return done;
}

static void ring_wake(struct xs_conn *c)
{
	struct ring_priv *p = c->tpriv;

	p->ops->ack(p->opaque);
}

static void ring_notify(struct xs_conn *c)
{
	struct ring_priv *p = c->tpriv;

	p->ops->kick(p->opaque);
}

static void ring_destroy(struct xs_conn *c)
{
	struct ring_priv *p = c->tpriv;

	/* Tell a guest that is still there that nobody serves this ring any more. */
	if (!p->intf->error)
		__atomic_store_n(&p->intf->error, HX_XS_RING_ERR_COMM, __ATOMIC_RELEASE);
	p->ops->kick(p->opaque);
	p->ops->unmap(p->opaque);
	free(p);
	c->tpriv = NULL;
}

static const struct xs_transport ring_transport = {
	.name = "ring",
	.recv = ring_recv,
	.send = ring_send,
	.wake = ring_wake,
	.notify = ring_notify,
	.destroy = ring_destroy,
	.poll_out = false,
};

struct xs_conn *ring_conn_new(uint32_t domid, struct hx_xs_ring *intf, int wait_fd,
			      const struct ring_ops *ops, void *opaque)
{
	struct xs_caller who = {.domid = domid, .target = DOMID_NONE, .privileged = domid == 0};
	struct ring_priv *p = calloc(1, sizeof(*p));
	struct xs_conn *c;

	if (!p)
		return NULL;
	p->intf = intf;
	p->ops = ops;
	p->opaque = opaque;
	c = conn_new(&ring_transport, p, wait_fd, &who);
	if (!c) {
		free(p);
		return NULL;
	}
	c->is_ring = true;
	intf->server_features = HX_XS_RING_F_RECONNECT | HX_XS_RING_F_ERROR;
	return c;
}

void *ring_conn_opaque(const struct xs_conn *c)
{
	const struct ring_priv *p = c->tpriv;

	return c->is_ring && p ? p->opaque : NULL;
}

void ring_conn_set_error(struct xs_conn *c, uint32_t err)
{
	struct ring_priv *p = c->tpriv;

	if (c->is_ring && p)
		__atomic_store_n(&p->intf->error, err, __ATOMIC_RELEASE);
}
