/* SPDX-License-Identifier: GPL-2.0-only */
/* io_uring main loop: socket receives complete in the ring, other sources come via the epoll fd. */
#ifndef HXSTORED_URING_H
#define HXSTORED_URING_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct xs_conn;

extern bool uring_on; /* the loop runs on io_uring (else on epoll alone) */

/* Sets the ring up; returns 0 or an errno (then the daemon stays on epoll). */
int uring_init(void);
void uring_fini(void);

/*
 * Queues a receive into mh for c; its completion calls c->tp->rx_done(c, result). It is
 * submitted with the next wait. Returns 0 or EBUSY when the submission queue is full.
 */
int uring_recvmsg(struct xs_conn *c, struct msghdr *mh);
/*
 * Queues a send of len bytes at buf for c, tried once when submitted with the next wait; its
 * completion calls conn_send_done(c, result). Returns 0 or EBUSY when the queue is full.
 */
int uring_send(struct xs_conn *c, const char *buf, size_t len);
/* Asks for c's receive to end early (the completion still arrives, with -ECANCELED). */
void uring_cancel(struct xs_conn *c);

/* Starts the sends queued and submits them without waiting (at shutdown). */
void uring_flush(void);
/* Submits what is queued, waits for at least one completion and handles all that arrived. */
void uring_wait(void);

#endif /* HXSTORED_URING_H */
