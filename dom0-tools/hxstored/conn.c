/* SPDX-License-Identifier: GPL-2.0-only */
/* Connections: one per client, over any transport; input framing and output queues. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "conn.h"
#include "domain.h"
#include "log.h"
#include "proto.h"
#include "quota.h"
#include "txn.h"
#include "watch.h"

struct xs_conn *conn_list;
static struct xs_conn *conn_zombies, *conn_dirty;
static struct xs_conn *conn_sendq, **conn_sendq_tail = &conn_sendq; /* FIFO: sends to start */
#define CONN_TX_SMALL 16384u /* far below a socket's buffer: expected to go through whole */
static unsigned conn_next_id = 1;
int loop_epfd = -1;

static int loop_ctl(struct loop_src *s, int op, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.ptr = s};

	if (epoll_ctl(loop_epfd, op, s->fd, &ev))
		return errno;
	s->events = events;
	return 0;
}

/* events 0 leaves the source unregistered until loop_mod asks for some. */
int loop_add(struct loop_src *s, uint32_t events)
{
	s->events = 0;
	if (loop_epfd < 0 || s->fd < 0 || !events)
		return 0;
	return loop_ctl(s, EPOLL_CTL_ADD, events);
}

void loop_mod(struct loop_src *s, uint32_t events)
{
	if (loop_epfd < 0 || s->fd < 0 || events == s->events)
		return;
	if (!events)
		loop_del(s);
	else
		loop_ctl(s, s->events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, events);
}

void loop_del(struct loop_src *s)
{
	if (loop_epfd >= 0 && s->fd >= 0 && s->events)
		epoll_ctl(loop_epfd, EPOLL_CTL_DEL, s->fd, NULL);
	s->events = 0;
}

int loop_dispatch(int timeout)
{
	struct epoll_event ev[64];
	int n = epoll_wait(loop_epfd, ev, 64, timeout);

	for (int i = 0; i < n; i++) {
		struct loop_src *s = ev[i].data.ptr;

		s->ready(s, ev[i].events);
	}
	return n;
}

static void conn_ready(struct loop_src *s, uint32_t events)
{
	struct xs_conn *c = (struct xs_conn *)s;

	/* Killed earlier in this batch of events: its transport is gone already. */
	if (c->dead)
		return;
	if (events & EPOLLOUT)
		c->tx_stuck = false;
	if (c->tp->wake && (events & EPOLLIN))
		c->tp->wake(c);
	conn_service(c);
}

struct xs_conn *conn_new(const struct xs_transport *tp, void *tpriv, int fd,
			 const struct xs_caller *who)
{
	struct xs_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->in = malloc(CONN_IN_CAP);
	if (!c->in) {
		free(c);
		return NULL;
	}
	c->src.fd = fd;
	c->src.ready = conn_ready;
	c->tp = tp;
	c->tpriv = tpriv;
	c->who = *who;
	c->id = conn_next_id++;
	c->next_txid = 1;
	if (loop_add(&c->src, tp->arm ? 0 : EPOLLIN)) {
		free(c->in);
		free(c);
		return NULL;
	}
	c->next = conn_list;
	if (conn_list)
		conn_list->prev = c;
	conn_list = c;
	return c;
}

void conn_drop_fds(struct xs_conn *c)
{
	for (int i = 0; i < c->nfds; i++)
		if (c->fds[i] >= 0)
			close(c->fds[i]);
	c->nfds = 0;
}

void conn_drop_txns(struct xs_conn *c)
{
	while (c->txns) {
		struct xs_txn *t = c->txns;

		c->txns = t->next;
		txn_destroy(t);
	}
	c->ntxns = 0;
}

struct xs_txn *conn_find_txn(struct xs_conn *c, uint32_t id)
{
	for (struct xs_txn *t = c->txns; t; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

void conn_kill(struct xs_conn *c, const char *why)
{
	struct xs_domain *d;

	if (c->dead)
		return;
	log_dbg("connection %u (domain %u): closed: %s", c->id, c->who.domid, why);
	c->dead = true;
	watch_del_all(c);
	conn_drop_txns(c);
	conn_drop_fds(c);
	loop_del(&c->src);
	if (c->tp->destroy)
		c->tp->destroy(c);
	d = c->is_ring ? domain_get(c->who.domid) : NULL;
	if (d && d->conn == c)
		d->conn = NULL;
	if (c->prev)
		c->prev->next = c->next;
	else
		conn_list = c->next;
	if (c->next)
		c->next->prev = c->prev;
	c->next = conn_zombies;
	conn_zombies = c;
}

static void conn_free(struct xs_conn *c)
{
	free(c->in);
	free(c->out);
	free(c->out_old);
	free(c);
}

/*
 * Frees dead connections, except those the kernel may still use (receive or send under way)
 * and those still queued for a send (dropped when the queue is next walked).
 */
void conn_reap(void)
{
	struct xs_conn **pp = &conn_zombies;

	while (*pp) {
		struct xs_conn *c = *pp;

		if (c->rx.busy || c->tx_busy || c->in_sendq) {
			pp = &c->next;
			continue;
		}
		*pp = c->next;
		conn_free(c);
	}
}

void conn_fini(void)
{
	while (conn_list)
		conn_kill(conn_list, "shutdown");
	conn_dirty = NULL;
	conn_sendq = NULL;
	conn_sendq_tail = &conn_sendq;
	/* The ring is closed by now: the kernel uses none of the buffers any more. */
	for (struct xs_conn *c = conn_zombies; c; c = c->next)
		c->rx.busy = c->tx_busy = c->in_sendq = false;
	conn_reap();
}

static void conn_mark_dirty(struct xs_conn *c)
{
	if (c->dirty)
		return;
	c->dirty = true;
	c->dirty_next = conn_dirty;
	conn_dirty = c;
}

/* Grows out[] while a send reads it: into a new buffer, the old one freed when the send ends. */
static int conn_reserve_busy(struct xs_conn *c, size_t cap)
{
	char *p;

	if (c->out_old)
		return ENOMEM; /* one send at a time, so one old buffer at most */
	p = malloc(cap);
	if (!p)
		return ENOMEM;
	memcpy(p, c->out, c->out_len);
	c->out_old = c->out;
	c->out = p;
	c->out_cap = cap;
	return 0;
}

static int conn_reserve(struct xs_conn *c, size_t more)
{
	if (c->out_off && c->out_off == c->out_len && !c->tx_busy)
		c->out_off = c->out_len = 0;
	if (c->out_len + more <= c->out_cap)
		return 0;
	if (c->out_off && !c->tx_busy) {
		memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
		c->out_len -= c->out_off;
		c->out_off = 0;
		if (c->out_len + more <= c->out_cap)
			return 0;
	}
	size_t cap = c->out_cap ? c->out_cap : 8192;

	while (cap < c->out_len + more)
		cap *= 2;
	if (c->tx_busy)
		return conn_reserve_busy(c, cap);
	char *p = realloc(c->out, cap);

	if (!p)
		return ENOMEM;
	c->out = p;
	c->out_cap = cap;
	return 0;
}

int conn_send(struct xs_conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id, const void *body,
	      uint32_t len)
{
	struct hx_xs_msg_hdr h = {.type = type, .req_id = req_id, .tx_id = tx_id, .len = len};

	if (c->dead)
		return 0;
	if (conn_reserve(c, sizeof(h) + len))
		return ENOMEM;
	memcpy(c->out + c->out_len, &h, sizeof(h));
	if (len)
		memcpy(c->out + c->out_len + sizeof(h), body, len);
	c->out_len += sizeof(h) + len;
	if (type == HX_XS_WATCH_EVENT)
		c->out_events++;
	else
		c->out_replies++;
	conn_mark_dirty(c);
	return 0;
}

int conn_queue_raw(struct xs_conn *c, const void *data, size_t len)
{
	if (!len)
		return 0;
	if (conn_reserve(c, len))
		return ENOMEM;
	memcpy(c->out + c->out_len, data, len);
	c->out_len += len;
	conn_mark_dirty(c);
	return 0;
}

int conn_send_error(struct xs_conn *c, const struct hx_xs_msg_hdr *req, int err)
{
	const char *name = proto_errno_name(err);

	return conn_send(c, HX_XS_ERROR, req->req_id, req->tx_id, name, (uint32_t)strlen(name) + 1);
}

void conn_send_event(struct xs_conn *c, const char *path, const char *token)
{
	char buf[2 * PATH_EVENT_MAX];
	size_t pl = strlen(path) + 1, tl = strlen(token) + 1;
	uint32_t limit =
		c->who.privileged ? 0 : quota_limit(domain_quota(c->who.domid), QUOTA_WATCH_EVENTS);

	if (quota_exceeds(limit, (uint64_t)c->out_events + 1)) {
		log_warn("domain %u: watch event backlog over quota, dropping %s", c->who.domid,
			 path);
		return;
	}
	if (pl + tl > sizeof(buf))
		return;
	memcpy(buf, path, pl);
	memcpy(buf + pl, token, tl);
	conn_send(c, HX_XS_WATCH_EVENT, 0, 0, buf, (uint32_t)(pl + tl));
}

/* After output moved (or not): resets an empty queue, notifies, polls a stuck fd for room. */
static void conn_flush_done(struct xs_conn *c, bool moved)
{
	if (c->out_off == c->out_len && !c->tx_busy) {
		c->out_off = c->out_len = 0;
		c->out_replies = c->out_events = 0;
	} else if (c->out_len - c->out_off > CONN_OUT_KILL) {
		conn_kill(c, "client does not read its replies");
		return;
	}
	if (moved && c->tp->notify)
		c->tp->notify(c);
	if (c->tp->poll_out) {
		bool want = c->tp->send_start ? c->tx_stuck : c->out_off < c->out_len;

		if (want != c->out_polled) {
			loop_mod(&c->src, (c->tp->arm ? 0 : EPOLLIN) | (want ? EPOLLOUT : 0));
			c->out_polled = want;
		}
	}
}

/* send_start transports: the output waits for the next submission, in the order queued. */
static void conn_sendq_add(struct xs_conn *c)
{
	if (c->in_sendq || c->tx_busy || c->tx_stuck || c->out_off == c->out_len)
		return;
	c->in_sendq = true;
	c->sendq_next = NULL;
	*conn_sendq_tail = c;
	conn_sendq_tail = &c->sendq_next;
}

unsigned conn_start_sends(bool *armed)
{
	unsigned n = 0;

	*armed = true;
	while (conn_sendq) {
		struct xs_conn *c = conn_sendq;
		size_t len = c->out_len - c->out_off;

		if (!c->dead && len && !c->tx_busy) {
			if (c->tp->send_start(c, c->out + c->out_off, len))
				break; /* no room in the queue: the rest go with the next wait */
			c->tx_busy = true;
			c->tx_len = len;
			*armed = *armed && c->rx.busy && !c->tx_short && len <= CONN_TX_SMALL;
			n++;
		}
		conn_sendq = c->sendq_next;
		c->in_sendq = false;
	}
	if (!conn_sendq)
		conn_sendq_tail = &conn_sendq;
	return n;
}

void conn_send_done(struct xs_conn *c, int res)
{
	size_t sent = res > 0 ? (size_t)res : 0;

	c->tx_busy = false;
	free(c->out_old);
	c->out_old = NULL;
	if (c->dead)
		return;
	if (res < 0 && res != -EAGAIN) {
		conn_kill(c, "send failed");
		return;
	}
	c->out_off += sent < c->tx_len ? sent : c->tx_len;
	c->tx_stuck = c->tx_short = sent < c->tx_len; /* socket full: wait until writable */
	conn_flush_done(c, sent > 0);
	if (c->dead)
		return;
	conn_sendq_add(c); /* what was queued while the send was under way */
	/* Input may have waited for this backlog to go. */
	if (!c->rx.busy)
		conn_service(c);
}

void conn_flush(struct xs_conn *c)
{
	bool moved = false;

	if (c->tp->send_start) {
		if (!c->dead) {
			conn_sendq_add(c);
			conn_flush_done(c, false);
		}
		return;
	}
	while (!c->dead && c->out_off < c->out_len) {
		ssize_t n = c->tp->send(c, c->out + c->out_off, c->out_len - c->out_off);

		if (n < 0) {
			conn_kill(c, "send failed");
			return;
		}
		if (n == 0)
			break;
		c->out_off += (size_t)n;
		moved = true;
	}
	if (!c->dead)
		conn_flush_done(c, moved);
}

void conn_flush_dirty(void)
{
	while (conn_dirty) {
		struct xs_conn *c = conn_dirty;

		conn_dirty = c->dirty_next;
		c->dirty = false;
		conn_flush(c);
	}
}

/*
 * Sends what c's requests queued for other connections (watch events) before c's own replies.
 * A client that got its reply then knows every watcher's event has left already (Xen's C
 * daemon orders them alike), and one that waits for both its reply and an event on another
 * connection wakes up once, not twice. Each connection's own queue keeps its order.
 */
static void conn_flush_others_first(struct xs_conn *c)
{
	while (conn_dirty) {
		struct xs_conn *o = conn_dirty;

		conn_dirty = o->dirty_next;
		o->dirty = false;
		if (o != c)
			conn_flush(o);
	}
	conn_flush(c);
}

/* True while the client has too many unconsumed replies to be served more. */
static bool conn_backlogged(const struct xs_conn *c)
{
	if (c->who.privileged)
		return c->out_len - c->out_off > CONN_OUT_HIGH;
	return quota_exceeds(quota_limit(domain_quota(c->who.domid), QUOTA_OUTSTANDING),
			     (uint64_t)c->out_replies + 1);
}

/* Handles every complete message in the input buffer; false when the connection died. */
static bool conn_parse(struct xs_conn *c)
{
	size_t off = 0;

	/* The kernel is filling in[] from in_len on: leave it be (it holds no whole message). */
	if (c->rx.busy)
		return !c->dead;
	while (!c->dead && c->in_len - off >= sizeof(struct hx_xs_msg_hdr)) {
		struct hx_xs_msg_hdr h;

		memcpy(&h, c->in + off, sizeof(h));
		if (h.len > HX_XS_PAYLOAD_MAX) {
			proto_violation(c, "payload too long");
			return false;
		}
		if (c->in_len - off < sizeof(h) + h.len || conn_backlogged(c))
			break;
		c->in_done = off + sizeof(h) + h.len;
		proto_handle(c, &h, c->in + off + sizeof(h));
		off += sizeof(h) + h.len;
	}
	c->in_done = 0;
	if (c->dead)
		return false;
	memmove(c->in, c->in + off, c->in_len - off);
	c->in_len -= off;
	return true;
}

static bool conn_has_msg(const struct xs_conn *c)
{
	struct hx_xs_msg_hdr h;

	if (c->in_len < sizeof(h))
		return false;
	memcpy(&h, c->in, sizeof(h));
	return c->in_len >= sizeof(h) + h.len;
}

void conn_service(struct xs_conn *c)
{
	bool drained = false;

	while (!c->dead) {
		ssize_t n;
		size_t want;

		if (!conn_parse(c))
			break;
		conn_flush_others_first(c);
		if (c->dead || conn_backlogged(c))
			break;
		/* Parsing may have paused for a backlog that the flush just cleared. */
		if (conn_has_msg(c))
			continue;
		/* A short read emptied the transport: the next wake-up brings more. */
		if (drained)
			break;
		want = CONN_IN_CAP - c->in_len;
		n = c->tp->recv(c, c->in + c->in_len, want);
		if (n < 0) {
			conn_kill(c, "peer closed or broke the protocol");
			break;
		}
		if (n == 0)
			break;
		c->in_len += (size_t)n;
		drained = (size_t)n < want;
	}
	if (c->tp->arm && !c->dead && !c->rx.busy && !conn_backlogged(c) && c->tp->arm(c))
		conn_kill(c, "cannot start a receive");
	conn_flush_dirty();
}
