/* SPDX-License-Identifier: GPL-2.0-only */
/* Unix socket transport: the listener and one connection per client (acting as domain 0). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "conn.h"
#include "log.h"
#include "sock.h"
#include "uring.h"

static struct loop_src sock_listener = {.fd = -1};

const char *sock_default_path(char *buf, size_t len)
{
	const char *p = getenv("XENSTORED_PATH");

	if (p && *p)
		return p;
	p = getenv("XENSTORED_RUNDIR");
	snprintf(buf, len, "%s/socket", p && *p ? p : "/var/run/xenstored");
	return buf;
}

/* Keeps the descriptors that came with the latest message that brought any. */
static void sock_take_fds(struct xs_conn *c, struct msghdr *mh)
{
	for (struct cmsghdr *h = CMSG_FIRSTHDR(mh); h; h = CMSG_NXTHDR(mh, h)) {
		if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS)
			continue;
		size_t cnt = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		int fds[CONN_MAX_FDS];

		memcpy(fds, CMSG_DATA(h), cnt * sizeof(int));
		conn_drop_fds(c); /* only the descriptors of the latest message count */
		for (size_t i = 0; i < cnt; i++)
			c->fds[c->nfds++] = fds[i];
	}
}

static ssize_t sock_recv(struct xs_conn *c, char *buf, size_t len)
{
	union {
		char b[CMSG_SPACE(sizeof(int) * CONN_MAX_FDS)];
		struct cmsghdr align;
	} cm;
	struct iovec iov = {.iov_base = buf, .iov_len = len};
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = cm.b,
			    .msg_controllen = sizeof(cm.b)};
	ssize_t n;

	do
		n = recvmsg(c->src.fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	sock_take_fds(c, &mh);
	return n == 0 ? -1 : n;
}

static ssize_t sock_send(struct xs_conn *c, const char *buf, size_t len)
{
	ssize_t n;

	do
		n = send(c->src.fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	return n;
}

static void sock_destroy(struct xs_conn *c)
{
	if (c->rx.busy)
		uring_cancel(c);
	close(c->src.fd);
	c->src.fd = -1;
}

static const struct xs_transport sock_transport = {
	.name = "socket",
	.recv = sock_recv,
	.send = sock_send,
	.destroy = sock_destroy,
	.poll_out = true,
};

/* io_uring: input arrives through sock_rx_done, never through recv. */
static ssize_t sock_recv_none(struct xs_conn *c, char *buf, size_t len)
{
	return 0;
}

static int sock_arm(struct xs_conn *c)
{
	struct conn_rx *rx = &c->rx;

	if (c->in_len >= CONN_IN_CAP)
		return 0;
	rx->iov = (struct iovec){.iov_base = c->in + c->in_len, .iov_len = CONN_IN_CAP - c->in_len};
	rx->mh = (struct msghdr){.msg_iov = &rx->iov,
				 .msg_iovlen = 1,
				 .msg_control = rx->cm.b,
				 .msg_controllen = sizeof(rx->cm.b)};
	if (uring_recvmsg(c, &rx->mh))
		return EBUSY;
	rx->busy = true;
	return 0;
}

static void sock_rx_done(struct xs_conn *c, int res)
{
	c->rx.busy = false;
	if (c->dead)
		return;
	if (res == -EINTR || res == -EAGAIN) {
		conn_service(c); /* starts another receive */
		return;
	}
	if (res <= 0) {
		conn_kill(c, res ? "receive failed" : "peer closed");
		return;
	}
	sock_take_fds(c, &c->rx.mh);
	c->in_len += (size_t)res;
	conn_service(c);
}

static const struct xs_transport sock_uring_transport = {
	.name = "socket",
	.recv = sock_recv_none,
	.send = sock_send,
	.destroy = sock_destroy,
	.arm = sock_arm,
	.rx_done = sock_rx_done,
	.send_start = uring_send,
	.poll_out = true,
};

struct xs_conn *sock_conn_adopt(int fd)
{
	struct xs_caller who = {.domid = 0, .target = DOMID_NONE, .privileged = true};

	return conn_new(uring_on ? &sock_uring_transport : &sock_transport, NULL, fd, &who);
}

int sock_conn_fd(const struct xs_conn *c)
{
	return c->tp == &sock_transport || c->tp == &sock_uring_transport ? c->src.fd : -1;
}

static void sock_accept(struct loop_src *s, uint32_t events)
{
	for (;;) {
		int fd = accept4(s->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("accept: %s", strerror(errno));
			return;
		}
		struct xs_conn *c = sock_conn_adopt(fd);

		if (!c) {
			log_err("out of memory for a new connection");
			close(fd);
		} else if (c->tp->arm) {
			conn_service(c); /* starts its first receive */
		}
	}
}

int sock_adopt_listener(int fd)
{
	sock_listener.fd = fd;
	sock_listener.ready = sock_accept;
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return loop_add(&sock_listener, EPOLLIN);
}

int sock_listen(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd, rc;

	if (strlen(path) >= sizeof(sa.sun_path))
		return ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return errno;
	unlink(path);
	mode_t old = umask(0077);

	rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc || chmod(path, 0600) || listen(fd, 128)) {
		rc = errno;
		close(fd);
		return rc;
	}
	return sock_adopt_listener(fd);
}

int sock_listener_fd(void)
{
	return sock_listener.fd;
}

void sock_close_listener(void)
{
	if (sock_listener.fd < 0)
		return;
	loop_del(&sock_listener);
	close(sock_listener.fd);
	sock_listener.fd = -1;
}
