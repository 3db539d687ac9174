/* SPDX-License-Identifier: GPL-2.0-only */
/* io_uring main loop: socket receives complete in the ring, other sources come via the epoll fd. */
#include <errno.h>
#include <linux/io_uring.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "conn.h"
#include "log.h"
#include "uring.h"

/*
 * One wait is one system call: it submits the sends and receives queued since the last one and
 * sleeps until a completion arrives. A request costs that call alone, where epoll needs a wait,
 * a receive and a send per connection written to.
 */
#define URING_ENTRIES	    256u
#define URING_UD_EPOLL	    1u	       /* the epoll fd became readable */
#define URING_UD_CANCEL	    2u	       /* a cancel request failed (successes post nothing) */
#define URING_UD_SEND	    1u	       /* or-ed into a connection's address: its send completed */
#define URING_SEND_CHECK_NS 10000000LL /* see uring_wait */
#define URING_NEED_FEATS \
	(IORING_FEAT_SINGLE_MMAP | IORING_FEAT_NODROP | IORING_FEAT_CQE_SKIP | IORING_FEAT_EXT_ARG)
#define URING_LOAD(p)	  __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define URING_STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

struct uring {
	int fd;
	unsigned *sq_head, *sq_tail, *sq_mask, *sq_array, sq_entries;
	unsigned *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
	void *ring;
	size_t ring_len, sqes_len;
	bool epoll_armed;
};

static struct uring ur = {.fd = -1};
bool uring_on;

/* timeout_ns > 0: the wait ends after that long at the latest (then ETIME). */
static int uring_enter(unsigned submit, unsigned wait, unsigned flags, long long timeout_ns)
{
	struct __kernel_timespec ts = {.tv_sec = timeout_ns / 1000000000,
				       .tv_nsec = timeout_ns % 1000000000};
	struct io_uring_getevents_arg arg = {.ts = (uintptr_t)&ts};
	void *argp = NULL;
	size_t argsz = 0;
	long rc;

	if (timeout_ns > 0) {
		flags |= IORING_ENTER_EXT_ARG;
		argp = &arg;
		argsz = sizeof(arg);
	}
	do
		rc = syscall(__NR_io_uring_enter, ur.fd, submit, wait, flags, argp, argsz);
	while (rc < 0 && errno == EINTR);
	return rc < 0 ? errno : 0;
}

static int uring_map(const struct io_uring_params *p)
{
	size_t sq_len = p->sq_off.array + p->sq_entries * sizeof(unsigned);
	size_t cq_len = p->cq_off.cqes + p->cq_entries * sizeof(struct io_uring_cqe);
	char *r;

	ur.ring_len = sq_len > cq_len ? sq_len : cq_len;
	ur.sqes_len = p->sq_entries * sizeof(struct io_uring_sqe);
	r = mmap(NULL, ur.ring_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ur.fd,
		 IORING_OFF_SQ_RING);
	if (r == MAP_FAILED)
		return errno;
	ur.ring = r;
	ur.sqes = mmap(NULL, ur.sqes_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ur.fd,
		       IORING_OFF_SQES);
	if (ur.sqes == MAP_FAILED) {
		ur.sqes = NULL;
		return errno;
	}
	ur.sq_head = (unsigned *)(void *)(r + p->sq_off.head);
	ur.sq_tail = (unsigned *)(void *)(r + p->sq_off.tail);
	ur.sq_mask = (unsigned *)(void *)(r + p->sq_off.ring_mask);
	ur.sq_array = (unsigned *)(void *)(r + p->sq_off.array);
	ur.sq_entries = p->sq_entries;
	ur.cq_head = (unsigned *)(void *)(r + p->cq_off.head);
	ur.cq_tail = (unsigned *)(void *)(r + p->cq_off.tail);
	ur.cq_mask = (unsigned *)(void *)(r + p->cq_off.ring_mask);
	ur.cqes = (struct io_uring_cqe *)(void *)(r + p->cq_off.cqes);
	return 0;
}

/*
 * Only with DEFER_TASKRUN (Linux 6.1): receives then complete only inside uring_wait, never
 * while requests are handled (a live update saves the input buffers as they stand).
 */
int uring_init(void)
{
	struct io_uring_params p;
	int rc;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
	ur.fd = (int)syscall(__NR_io_uring_setup, URING_ENTRIES, &p);
	if (ur.fd < 0)
		return errno;
	if ((p.features & URING_NEED_FEATS) != URING_NEED_FEATS)
		rc = EOPNOTSUPP;
	else
		rc = uring_map(&p);
	if (rc) {
		uring_fini();
		return rc;
	}
	uring_on = true;
	return 0;
}

void uring_fini(void)
{
	if (ur.sqes)
		munmap(ur.sqes, ur.sqes_len);
	if (ur.ring)
		munmap(ur.ring, ur.ring_len);
	if (ur.fd >= 0)
		close(ur.fd);
	ur = (struct uring){.fd = -1};
	uring_on = false;
}

/* A cleared submission queue entry, or NULL when the queue stays full. */
static struct io_uring_sqe *uring_sqe(void)
{
	unsigned tail = *ur.sq_tail, idx;
	struct io_uring_sqe *sqe;

	if (tail - URING_LOAD(ur.sq_head) >= ur.sq_entries &&
	    (uring_enter(tail - URING_LOAD(ur.sq_head), 0, 0, 0) ||
	     tail - URING_LOAD(ur.sq_head) >= ur.sq_entries))
		return NULL;
	idx = tail & *ur.sq_mask;
	sqe = &ur.sqes[idx];
	memset(sqe, 0, sizeof(*sqe));
	ur.sq_array[idx] = idx;
	URING_STORE(ur.sq_tail, tail + 1); /* the kernel reads it at the next enter only */
	return sqe;
}

int uring_recvmsg(struct xs_conn *c, struct msghdr *mh)
{
	struct io_uring_sqe *sqe = uring_sqe();

	if (!sqe)
		return EBUSY;
	sqe->opcode = IORING_OP_RECVMSG;
	sqe->fd = c->src.fd;
	sqe->addr = (uintptr_t)mh;
	sqe->len = 1;
	sqe->msg_flags = MSG_CMSG_CLOEXEC;
	/* The reply was just sent: the next request is not there yet, wait for it first. */
	sqe->ioprio = IORING_RECVSEND_POLL_FIRST;
	sqe->user_data = (uintptr_t)c;
	return 0;
}

/*
 * MSG_DONTWAIT: the kernel tries the send once, while it submits it, and completes it there
 * (bytes taken, or -EAGAIN when the socket is full); it never waits for room.
 */
int uring_send(struct xs_conn *c, const char *buf, size_t len)
{
	struct io_uring_sqe *sqe = uring_sqe();

	if (!sqe)
		return EBUSY;
	sqe->opcode = IORING_OP_SEND;
	sqe->fd = c->src.fd;
	sqe->addr = (uintptr_t)buf;
	sqe->len = len > (1u << 30) ? 1u << 30 : (uint32_t)len;
	sqe->msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL;
	sqe->user_data = (uintptr_t)c | URING_UD_SEND;
	return 0;
}

void uring_cancel(struct xs_conn *c)
{
	struct io_uring_sqe *sqe = uring_on ? uring_sqe() : NULL;

	if (!sqe)
		return; /* the receive ends when the peer goes, or with the ring */
	sqe->opcode = IORING_OP_ASYNC_CANCEL;
	sqe->addr = (uintptr_t)c;
	sqe->flags = IOSQE_CQE_SKIP_SUCCESS;
	sqe->user_data = URING_UD_CANCEL;
}

/* Keeps a multishot poll on the epoll fd, which stands for every source that is not a socket. */
static void uring_arm_epoll(void)
{
	struct io_uring_sqe *sqe;

	if (ur.epoll_armed || !(sqe = uring_sqe()))
		return;
	sqe->opcode = IORING_OP_POLL_ADD;
	sqe->fd = loop_epfd;
	sqe->poll32_events = POLLIN;
	sqe->len = IORING_POLL_ADD_MULTI;
	sqe->user_data = URING_UD_EPOLL;
	ur.epoll_armed = true;
}

static void uring_complete(uint64_t ud, int res, unsigned flags)
{
	if (ud == URING_UD_EPOLL) {
		if (!(flags & IORING_CQE_F_MORE))
			ur.epoll_armed = false;
		while (loop_dispatch(0) == 64)
			;
		return;
	}
	if (ud == URING_UD_CANCEL)
		return;
	if (ud & URING_UD_SEND) {
		conn_send_done((struct xs_conn *)(uintptr_t)(ud & ~(uint64_t)URING_UD_SEND), res);
		return;
	}
	struct xs_conn *c = (struct xs_conn *)(uintptr_t)ud;

	c->tp->rx_done(c, res);
}

void uring_flush(void)
{
	bool armed;

	if (conn_start_sends(&armed))
		uring_enter(*ur.sq_tail - URING_LOAD(ur.sq_head), 0, 0, 0);
}

/*
 * The sends complete while they are submitted (MSG_DONTWAIT), so their completions are in the
 * queue before the wait starts, first in the batch (before anything can touch their buffers).
 * When every connection sent to reads on by itself, the same call then waits for one more
 * completion, from a receive or the epoll fd: a request costs one system call. A send that
 * came back short (the client does not read, its socket is full) then waits to be seen until
 * that completion, or URING_SEND_CHECK_NS at the latest. Otherwise the call returns with the
 * sends' completions and the next one waits.
 */
void uring_wait(void)
{
	unsigned head, tail, sends;
	bool armed;
	int rc;

	uring_arm_epoll();
	sends = conn_start_sends(&armed);
	rc = uring_enter(*ur.sq_tail - URING_LOAD(ur.sq_head), sends && !armed ? sends : 1 + sends,
			 IORING_ENTER_GETEVENTS, sends ? URING_SEND_CHECK_NS : 0);
	if (rc && rc != EBUSY && rc != EAGAIN && rc != ETIME) {
		log_err("io_uring wait: %s", strerror(rc));
		return;
	}
	head = *ur.cq_head;
	tail = URING_LOAD(ur.cq_tail);
	while (head != tail) {
		const struct io_uring_cqe *cqe = &ur.cqes[head & *ur.cq_mask];
		uint64_t ud = cqe->user_data;
		int res = cqe->res;
		unsigned flags = cqe->flags;

		URING_STORE(ur.cq_head, ++head);
		uring_complete(ud, res, flags);
		if (head == tail)
			tail = URING_LOAD(ur.cq_tail);
	}
}
