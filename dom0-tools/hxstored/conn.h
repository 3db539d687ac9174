/* SPDX-License-Identifier: GPL-2.0-only */
/* Connections: one per client, over any transport; input framing and output queues. */
#ifndef HXSTORED_CONN_H
#define HXSTORED_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <hx/xs_wire.h>

#include "perms.h"

struct xs_conn;
struct xs_watch;
struct xs_txn;

/* Something the main loop polls: a connection or a listener. */
struct loop_src {
	int fd;
	uint32_t events; /* registered with the epoll fd for these (0: not registered) */
	void (*ready)(struct loop_src *s, uint32_t events);
};

/*
 * A transport moves bytes. recv returns bytes read, 0 when nothing is available now, -1 when the
 * peer is gone or broke the protocol. send returns bytes taken (possibly 0) or -1.
 */
struct xs_transport {
	const char *name;
	ssize_t (*recv)(struct xs_conn *c, char *buf, size_t len);
	ssize_t (*send)(struct xs_conn *c, const char *buf, size_t len);
	/* The wait fd fired: acknowledge it (optional). */
	void (*wake)(struct xs_conn *c);
	/* After send moved bytes: tell the peer (optional). */
	void (*notify)(struct xs_conn *c);
	void (*destroy)(struct xs_conn *c);
	/*
	 * Completion-based receiving (io_uring): arm starts a receive into the free end of the
	 * input buffer (0 or an errno); rx_done gets its result (bytes, 0 at EOF, -errno). Such a
	 * transport's recv returns 0, and its fd is not polled for input.
	 */
	int (*arm)(struct xs_conn *c);
	void (*rx_done)(struct xs_conn *c, int res);
	/*
	 * Completion-based sending (io_uring, optional): queues a non-blocking send of len bytes
	 * at buf, submitted with the next wait (0 or an errno). Its result goes to
	 * conn_send_done. Such a transport's send is not used.
	 */
	int (*send_start)(struct xs_conn *c, const char *buf, size_t len);
	bool poll_out; /* wait for EPOLLOUT on the fd when output is stuck */
};

#define CONN_IN_CAP   (65536 + sizeof(struct hx_xs_msg_hdr) + HX_XS_PAYLOAD_MAX)
#define CONN_MAX_FDS  4
#define CONN_OUT_HIGH (1u << 20) /* privileged clients: stop reading above this backlog */
#define CONN_OUT_KILL (64u << 20)

/* A receive under way in the kernel (io_uring): in[] and this must stay put until it ends. */
struct conn_rx {
	struct msghdr mh;
	struct iovec iov;
	union {
		char b[64]; /* >= CMSG_SPACE(sizeof(int) * CONN_MAX_FDS), not a constant for clang */
		size_t align;
	} cm;
	bool busy;
};

struct xs_conn {
	struct loop_src src; /* src.fd: the fd the loop waits on */
	struct xs_conn *next, *prev, *dirty_next, *sendq_next;
	unsigned id;
	const struct xs_transport *tp;
	void *tpriv;
	struct xs_caller who;
	bool is_ring, dead, dirty, out_polled;

	char *in;
	size_t in_len;
	size_t in_done; /* bytes of in[] handled by the parse pass under way */
	char *out;
	size_t out_len, out_off, out_cap;
	/*
	 * send_start transports: tx_busy while the kernel may read out[out_off, +tx_len) (out[]
	 * then only grows into a new buffer, the old one kept in out_old until the send ends);
	 * in_sendq while waiting for the next submission; tx_stuck after a send that did not take
	 * everything, until the fd is writable again.
	 */
	char *out_old;
	size_t tx_len;
	bool tx_busy, in_sendq, tx_stuck, tx_short; /* tx_short: the last send came back short */
	uint32_t out_replies, out_events;	    /* queued since the queue was last empty */

	struct xs_watch *watches;
	unsigned nwatches;
	struct xs_txn *txns;
	unsigned ntxns;
	uint32_t next_txid;

	int fds[CONN_MAX_FDS]; /* descriptors received with the last message (socket) */
	int nfds;
	struct conn_rx rx;
};

extern struct xs_conn *conn_list;

/* Creates a connection and starts polling fd (-1: not polled). NULL on ENOMEM. */
struct xs_conn *conn_new(const struct xs_transport *tp, void *tpriv, int fd,
			 const struct xs_caller *who);
/* Drops watches and transactions, closes the transport; freed later by conn_reap(). */
void conn_kill(struct xs_conn *c, const char *why);
void conn_reap(void);
/* Frees every connection (shutdown, fuzzing; after uring_fini). */
void conn_fini(void);

/* Reads and handles whatever the transport has; flushes output. */
void conn_service(struct xs_conn *c);
/* Queues a message; returns 0 or ENOMEM. */
int conn_send(struct xs_conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id, const void *body,
	      uint32_t len);
/* Appends raw bytes (whole messages) to the output queue; 0 or ENOMEM. */
int conn_queue_raw(struct xs_conn *c, const void *data, size_t len);
int conn_send_error(struct xs_conn *c, const struct hx_xs_msg_hdr *req, int err);
/* Queues a watch event unless the connection's event backlog is over its quota. */
void conn_send_event(struct xs_conn *c, const char *path, const char *token);
/* Sends queued output of every connection that has some. */
void conn_flush_dirty(void);
/*
 * send_start transports: starts the sends queued since the last call; returns how many.
 * *armed: every connection sent to has a receive under way (none waits for its send to end
 * before it reads on) and each send is expected to go through whole (it is small and the
 * connection's last send did).
 */
unsigned conn_start_sends(bool *armed);
/* The result of a send_start send: bytes taken or -errno (-EAGAIN: the socket is full). */
void conn_send_done(struct xs_conn *c, int res);
void conn_flush(struct xs_conn *c);
/* Closes descriptors received and not consumed. */
void conn_drop_fds(struct xs_conn *c);
struct xs_txn *conn_find_txn(struct xs_conn *c, uint32_t id);
void conn_drop_txns(struct xs_conn *c);

/* epoll helpers used by transports and the main loop. */
extern int loop_epfd;
int loop_add(struct loop_src *s, uint32_t events);
void loop_mod(struct loop_src *s, uint32_t events);
void loop_del(struct loop_src *s);
/* Waits up to timeout ms on the epoll fd and runs the sources that are ready; returns how many. */
int loop_dispatch(int timeout);

#endif /* HXSTORED_CONN_H */
