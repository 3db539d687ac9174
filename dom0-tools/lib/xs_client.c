/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libhx xenstore client: framing, reply matching, watch queue and both transports. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <hx/xs.h>

struct xs_event {
	struct xs_event *next;
	uint32_t len;
	char data[]; /* path\0token\0 */
};

struct hx_xs {
	int fd;			 /* socket, or -1 for a ring */
	struct hx_xs_ring *ring; /* ring transport when not NULL */
	int kick_fd, wait_fd;
	uint32_t next_req;
	struct hx_err err;
	struct xs_event *ev_head, **ev_tail;
	char *rbuf; /* received bytes not yet parsed */
	size_t rlen, rcap;
};

static const char *const xs_err_names[] = {
#define X(e) #e,
	HX_XS_ERRORS(X)
#undef X
};
static const int xs_err_nums[] = {
#define X(e) e,
	HX_XS_ERRORS(X)
#undef X
};

int hx_xs_errno_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(xs_err_nums) / sizeof(xs_err_nums[0]); i++)
		if (!strcmp(name, xs_err_names[i]))
			return xs_err_nums[i];
	return EINVAL;
}

const char *hx_xs_errno_name(int err)
{
	for (size_t i = 0; i < sizeof(xs_err_nums) / sizeof(xs_err_nums[0]); i++)
		if (xs_err_nums[i] == err)
			return xs_err_names[i];
	return "EINVAL";
}

static int xs_fail(struct hx_xs *h, int code, const char *fmt, ...)
{
	va_list ap;

	h->err.code = code;
	va_start(ap, fmt);
	vsnprintf(h->err.msg, sizeof(h->err.msg), fmt, ap);
	va_end(ap);
	return -code;
}

static struct hx_xs *xs_alloc(struct hx_err *err)
{
	struct hx_xs *h = calloc(1, sizeof(*h));

	if (!h) {
		err->code = ENOMEM;
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return NULL;
	}
	h->fd = h->kick_fd = h->wait_fd = -1;
	h->ev_tail = &h->ev_head;
	h->next_req = 1;
	return h;
}

static const char *xs_default_path(char *buf, size_t len)
{
	const char *p = getenv("XENSTORED_PATH");

	if (p && *p)
		return p;
	p = getenv("XENSTORED_RUNDIR");
	snprintf(buf, len, "%s/socket", p && *p ? p : "/var/run/xenstored");
	return buf;
}

struct hx_xs *hx_xs_open(const char *path, struct hx_err *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char buf[sizeof(sa.sun_path) + 16];
	struct hx_xs *h = xs_alloc(err);

	if (!h)
		return NULL;
	if (!path)
		path = xs_default_path(buf, sizeof(buf));
	if (strlen(path) >= sizeof(sa.sun_path)) {
		err->code = ENAMETOOLONG;
		snprintf(err->msg, sizeof(err->msg), "socket path too long: %s", path);
		goto fail;
	}
	strcpy(sa.sun_path, path);
	h->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (h->fd < 0 || connect(h->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err->code = errno;
		snprintf(err->msg, sizeof(err->msg), "connect %s: %s", path, strerror(errno));
		goto fail;
	}
	return h;
fail:
	if (h->fd >= 0)
		close(h->fd);
	free(h);
	return NULL;
}

struct hx_xs *hx_xs_open_ring(void *page, int kick_fd, int wait_fd, struct hx_err *err)
{
	struct hx_xs *h = xs_alloc(err);

	if (!h)
		return NULL;
	h->ring = page;
	h->kick_fd = kick_fd;
	h->wait_fd = wait_fd;
	return h;
}

void hx_xs_close(struct hx_xs *h)
{
	if (!h)
		return;
	while (h->ev_head) {
		struct xs_event *e = h->ev_head;

		h->ev_head = e->next;
		free(e);
	}
	if (h->fd >= 0)
		close(h->fd);
	free(h->rbuf);
	free(h);
}

const struct hx_err *hx_xs_error(const struct hx_xs *h)
{
	return &h->err;
}

int hx_xs_fileno(const struct hx_xs *h)
{
	return h->ring ? h->wait_fd : h->fd;
}

static void xs_kick(struct hx_xs *h)
{
	uint64_t one = 1;

	if (write(h->kick_fd, &one, sizeof(one)) < 0) {
		/* An eventfd write only fails on counter overflow; the server wakes anyway. */
	}
}

static int xs_ring_pull(struct hx_xs *h);

/* Copies len bytes into the request ring, waiting for space. */
static int xs_ring_send(struct hx_xs *h, const char *data, size_t len)
{
	struct hx_xs_ring *r = h->ring;

	while (len) {
		uint32_t cons = __atomic_load_n(&r->req_cons, __ATOMIC_ACQUIRE);
		uint32_t prod = r->req_prod;
		uint32_t space = HX_XS_RING_SIZE - (prod - cons);
		uint32_t chunk = HX_XS_RING_SIZE - HX_XS_RING_IDX(prod);

		if (space > HX_XS_RING_SIZE)
			return xs_fail(h, EIO, "ring: corrupt request indices");
		if (!space) {
			struct pollfd p = {.fd = h->wait_fd, .events = POLLIN};
			uint64_t v;

			/* The server may be waiting for us to take replies before it reads on. */
			if (xs_ring_pull(h) < 0)
				return -h->err.code;
			xs_kick(h);
			if (poll(&p, 1, 5000) <= 0)
				return xs_fail(h, EIO, "ring: server does not consume requests");
			if (read(h->wait_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
				return xs_fail(h, errno, "ring: %s", strerror(errno));
			continue;
		}
		if (chunk > space)
			chunk = space;
		if (chunk > len)
			chunk = (uint32_t)len;
		memcpy(r->req + HX_XS_RING_IDX(prod), data, chunk);
		__atomic_store_n(&r->req_prod, prod + chunk, __ATOMIC_RELEASE);
		data += chunk;
		len -= chunk;
	}
	xs_kick(h);
	return 0;
}

static int xs_send(struct hx_xs *h, const struct iovec *iov, int niov, const int *fds, int nfds)
{
	if (h->ring) {
		for (int i = 0; i < niov; i++) {
			int rc = xs_ring_send(h, iov[i].iov_base, iov[i].iov_len);

			if (rc)
				return rc;
		}
		return 0;
	}
	union {
		char buf[CMSG_SPACE(sizeof(int) * 8)];
		struct cmsghdr align;
	} cm;
	struct msghdr mh = {.msg_iov = (struct iovec *)iov, .msg_iovlen = (size_t)niov};
	size_t total = 0;

	for (int i = 0; i < niov; i++)
		total += iov[i].iov_len;
	if (nfds > 0) {
		struct cmsghdr *c;

		if (nfds > 8)
			return xs_fail(h, EINVAL, "too many descriptors");
		memset(&cm, 0, sizeof(cm));
		mh.msg_control = cm.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
	}
	ssize_t n = sendmsg(h->fd, &mh, MSG_NOSIGNAL);

	if (n < 0)
		return xs_fail(h, errno, "send: %s", strerror(errno));
	if ((size_t)n == total)
		return 0;
	/* Short write: send the rest plainly. */
	for (int i = 0; i < niov; i++) {
		size_t len = iov[i].iov_len;
		const char *p = iov[i].iov_base;

		if ((size_t)n >= len) {
			n -= (ssize_t)len;
			continue;
		}
		p += n;
		len -= (size_t)n;
		n = 0;
		while (len) {
			ssize_t w = send(h->fd, p, len, MSG_NOSIGNAL);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return xs_fail(h, errno, "send: %s", strerror(errno));
			p += w;
			len -= (size_t)w;
		}
	}
	return 0;
}

static int xs_reserve(struct hx_xs *h, size_t more)
{
	if (h->rlen + more <= h->rcap)
		return 0;
	size_t cap = h->rcap ? h->rcap : 8192;

	while (cap < h->rlen + more)
		cap *= 2;
	char *p = realloc(h->rbuf, cap);

	if (!p)
		return xs_fail(h, ENOMEM, "out of memory");
	h->rbuf = p;
	h->rcap = cap;
	return 0;
}

/* Pulls whatever the ring holds into rbuf. Returns bytes taken, or -errno. */
static int xs_ring_pull(struct hx_xs *h)
{
	struct hx_xs_ring *r = h->ring;
	uint32_t prod = __atomic_load_n(&r->rsp_prod, __ATOMIC_ACQUIRE);
	uint32_t cons = r->rsp_cons;
	uint32_t avail = prod - cons;
	int rc;

	if (avail > HX_XS_RING_SIZE)
		return xs_fail(h, EIO, "ring: corrupt response indices");
	rc = xs_reserve(h, avail);
	if (rc)
		return rc;
	for (uint32_t i = 0; i < avail; i++)
		h->rbuf[h->rlen + i] = r->rsp[HX_XS_RING_IDX(cons + i)];
	h->rlen += avail;
	__atomic_store_n(&r->rsp_cons, cons + avail, __ATOMIC_RELEASE);
	if (avail)
		xs_kick(h);
	return (int)avail;
}

/* Waits (up to timeout_ms) for more bytes. Returns >0, 0 on timeout, -errno. */
static int xs_fill(struct hx_xs *h, int timeout_ms)
{
	for (;;) {
		int slice = timeout_ms;

		if (h->ring) {
			uint32_t e = __atomic_load_n(&h->ring->error, __ATOMIC_ACQUIRE);
			int n;

			if (e)
				return xs_fail(h, EIO, "ring: the server reported error %u", e);
			n = xs_ring_pull(h);
			if (n != 0)
				return n;
			/* Wake up now and then to notice a server that gave up on the ring. */
			if (slice < 0 || slice > 200)
				slice = 200;
		}
		struct pollfd p = {.fd = hx_xs_fileno(h), .events = POLLIN};
		/* A blocking socket with no deadline: recv waits by itself, one system call fewer. */
		int pr = !h->ring && timeout_ms < 0 ? 1 : poll(&p, 1, slice);

		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			return xs_fail(h, errno, "poll: %s", strerror(errno));
		if (pr == 0 && h->ring && slice != timeout_ms) {
			if (timeout_ms > 0)
				timeout_ms -= slice;
			continue;
		}
		if (pr == 0)
			return 0;
		if (h->ring) {
			uint64_t v;

			if (read(h->wait_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
				return xs_fail(h, errno, "ring: %s", strerror(errno));
			continue;
		}
		int rc = xs_reserve(h, 65536);

		if (rc)
			return rc;
		ssize_t n = recv(h->fd, h->rbuf + h->rlen, h->rcap - h->rlen, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return xs_fail(h, errno, "recv: %s", strerror(errno));
		if (n == 0)
			return xs_fail(h, ECONNRESET, "daemon closed the connection");
		h->rlen += (size_t)n;
		return (int)n;
	}
}

/* Takes one complete message from rbuf if there is one: 1 taken, 0 none, -errno. */
static int xs_take(struct hx_xs *h, struct hx_xs_msg_hdr *hdr, char **body)
{
	if (h->rlen < sizeof(*hdr))
		return 0;
	memcpy(hdr, h->rbuf, sizeof(*hdr));
	if (hdr->len > HX_XS_PAYLOAD_MAX * 16)
		return xs_fail(h, EIO, "reply too long (%u bytes)", hdr->len);
	if (h->rlen < sizeof(*hdr) + hdr->len)
		return 0;
	*body = malloc(hdr->len + 1);
	if (!*body)
		return xs_fail(h, ENOMEM, "out of memory");
	memcpy(*body, h->rbuf + sizeof(*hdr), hdr->len);
	(*body)[hdr->len] = 0;
	h->rlen -= sizeof(*hdr) + hdr->len;
	memmove(h->rbuf, h->rbuf + sizeof(*hdr) + hdr->len, h->rlen);
	return 1;
}

static int xs_queue_event(struct hx_xs *h, char *body, uint32_t len)
{
	struct xs_event *e = malloc(sizeof(*e) + len + 1);

	if (!e)
		return xs_fail(h, ENOMEM, "out of memory");
	memcpy(e->data, body, len);
	e->data[len] = 0;
	e->len = len;
	e->next = NULL;
	*h->ev_tail = e;
	h->ev_tail = &e->next;
	return 0;
}

static int xs_wait_reply(struct hx_xs *h, uint32_t req, uint32_t type, char **out, uint32_t *outlen)
{
	for (;;) {
		struct hx_xs_msg_hdr hdr;
		char *body = NULL;
		int rc = xs_take(h, &hdr, &body);

		if (rc < 0)
			return rc;
		if (rc == 0) {
			rc = xs_fill(h, -1);
			if (rc < 0)
				return rc;
			continue;
		}
		if (hdr.type == HX_XS_WATCH_EVENT) {
			rc = xs_queue_event(h, body, hdr.len);
			free(body);
			if (rc)
				return rc;
			continue;
		}
		if (hdr.req_id != req) {
			free(body);
			continue;
		}
		if (hdr.type == HX_XS_ERROR) {
			int e = hx_xs_errno_from_name(body);

			rc = xs_fail(h, e, "%s", body);
			free(body);
			return rc;
		}
		if (hdr.type != type) {
			free(body);
			return xs_fail(h, EIO, "reply type %u to request type %u", hdr.type, type);
		}
		if (out)
			*out = body;
		else
			free(body);
		if (outlen)
			*outlen = hdr.len;
		return 0;
	}
}

int hx_xs_request_fds(struct hx_xs *h, uint32_t tx, uint32_t type, const struct iovec *iov,
		      int niov, const int *fds, int nfds, char **out, uint32_t *outlen)
{
	struct iovec v[17];
	struct hx_xs_msg_hdr hdr = {.type = type, .req_id = h->next_req++, .tx_id = tx};
	int rc;

	h->err.code = 0;
	h->err.msg[0] = 0;
	if (niov > 16)
		return xs_fail(h, EINVAL, "too many iovecs");
	for (int i = 0; i < niov; i++) {
		v[i + 1] = iov[i];
		hdr.len += (uint32_t)iov[i].iov_len;
	}
	v[0].iov_base = &hdr;
	v[0].iov_len = sizeof(hdr);
	rc = xs_send(h, v, niov + 1, fds, nfds);
	if (rc)
		return rc;
	return xs_wait_reply(h, hdr.req_id, type, out, outlen);
}

int hx_xs_request(struct hx_xs *h, uint32_t tx, uint32_t type, const struct iovec *iov, int niov,
		  char **out, uint32_t *outlen)
{
	return hx_xs_request_fds(h, tx, type, iov, niov, NULL, 0, out, outlen);
}

static int xs_req_str(struct hx_xs *h, uint32_t tx, uint32_t type, const char *s, char **out,
		      uint32_t *outlen)
{
	struct iovec v = {.iov_base = (void *)s, .iov_len = strlen(s) + 1};

	return hx_xs_request(h, tx, type, &v, 1, out, outlen);
}

int hx_xs_read(struct hx_xs *h, uint32_t tx, const char *path, char **val, uint32_t *len)
{
	return xs_req_str(h, tx, HX_XS_READ, path, val, len);
}

int hx_xs_write(struct hx_xs *h, uint32_t tx, const char *path, const void *val, uint32_t len)
{
	struct iovec v[2] = {{(void *)path, strlen(path) + 1}, {(void *)val, len}};

	return hx_xs_request(h, tx, HX_XS_WRITE, v, 2, NULL, NULL);
}

int hx_xs_write_str(struct hx_xs *h, uint32_t tx, const char *path, const char *val)
{
	return hx_xs_write(h, tx, path, val, (uint32_t)strlen(val));
}

int hx_xs_mkdir(struct hx_xs *h, uint32_t tx, const char *path)
{
	return xs_req_str(h, tx, HX_XS_MKDIR, path, NULL, NULL);
}

int hx_xs_rm(struct hx_xs *h, uint32_t tx, const char *path)
{
	return xs_req_str(h, tx, HX_XS_RM, path, NULL, NULL);
}

/* Splits a NUL-separated list into one block: pointer array then strings. */
static int xs_split(struct hx_xs *h, const char *buf, uint32_t len, char ***list, unsigned *n)
{
	unsigned cnt = 0;

	for (uint32_t i = 0; i < len; i++)
		cnt += buf[i] == 0;
	char **arr = malloc(sizeof(char *) * (cnt + 1) + len + 1);

	if (!arr)
		return xs_fail(h, ENOMEM, "out of memory");
	char *s = (char *)(arr + cnt + 1);

	memcpy(s, buf, len);
	s[len] = 0;
	for (unsigned i = 0; i < cnt; i++) {
		arr[i] = s;
		s += strlen(s) + 1;
	}
	arr[cnt] = NULL;
	*list = arr;
	*n = cnt;
	return 0;
}

int hx_xs_directory(struct hx_xs *h, uint32_t tx, const char *path, char ***list, unsigned *n)
{
	char *out;
	uint32_t len;
	int rc = xs_req_str(h, tx, HX_XS_DIRECTORY, path, &out, &len);

	if (rc)
		return rc;
	rc = xs_split(h, out, len, list, n);
	free(out);
	return rc;
}

int hx_xs_get_perms(struct hx_xs *h, uint32_t tx, const char *path, char **perms, uint32_t *len)
{
	return xs_req_str(h, tx, HX_XS_GET_PERMS, path, perms, len);
}

int hx_xs_set_perms(struct hx_xs *h, uint32_t tx, const char *path, const char *const *perms,
		    unsigned n)
{
	struct iovec v[16];

	if (n > 15)
		return xs_fail(h, E2BIG, "too many permissions");
	v[0].iov_base = (void *)path;
	v[0].iov_len = strlen(path) + 1;
	for (unsigned i = 0; i < n; i++) {
		v[i + 1].iov_base = (void *)perms[i];
		v[i + 1].iov_len = strlen(perms[i]) + 1;
	}
	return hx_xs_request(h, tx, HX_XS_SET_PERMS, v, (int)n + 1, NULL, NULL);
}

int hx_xs_watch(struct hx_xs *h, const char *path, const char *token)
{
	struct iovec v[2] = {{(void *)path, strlen(path) + 1}, {(void *)token, strlen(token) + 1}};

	return hx_xs_request(h, 0, HX_XS_WATCH, v, 2, NULL, NULL);
}

int hx_xs_unwatch(struct hx_xs *h, const char *path, const char *token)
{
	struct iovec v[2] = {{(void *)path, strlen(path) + 1}, {(void *)token, strlen(token) + 1}};

	return hx_xs_request(h, 0, HX_XS_UNWATCH, v, 2, NULL, NULL);
}

int hx_xs_read_watch(struct hx_xs *h, char **path, char **token, int timeout_ms)
{
	for (;;) {
		struct xs_event *e = h->ev_head;

		if (e) {
			h->ev_head = e->next;
			if (!h->ev_head)
				h->ev_tail = &h->ev_head;
			size_t len = e->len, plen = strnlen(e->data, len);

			memmove(e, e->data, len + 1);
			*path = (char *)e;
			*token = plen < len ? (char *)e + plen + 1 : (char *)e + len;
			return 0;
		}
		struct hx_xs_msg_hdr hdr;
		char *body = NULL;
		int rc = xs_take(h, &hdr, &body);

		if (rc < 0)
			return rc;
		if (rc == 1) {
			if (hdr.type == HX_XS_WATCH_EVENT)
				rc = xs_queue_event(h, body, hdr.len);
			free(body);
			if (rc < 0)
				return rc;
			continue;
		}
		rc = xs_fill(h, timeout_ms);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return xs_fail(h, ETIMEDOUT, "no watch event within %d ms", timeout_ms);
	}
}

int hx_xs_tx_start(struct hx_xs *h, uint32_t *tx)
{
	char *out;
	int rc = xs_req_str(h, 0, HX_XS_TRANSACTION_START, "", &out, NULL);

	if (rc)
		return rc;
	*tx = (uint32_t)strtoul(out, NULL, 10);
	free(out);
	return 0;
}

int hx_xs_tx_end(struct hx_xs *h, uint32_t tx, bool commit)
{
	return xs_req_str(h, tx, HX_XS_TRANSACTION_END, commit ? "T" : "F", NULL, NULL);
}

int hx_xs_transact(struct hx_xs *h, int (*fn)(struct hx_xs *h, uint32_t tx, void *arg), void *arg,
		   unsigned max_tries)
{
	int rc = -EAGAIN;

	for (unsigned i = 0; i < max_tries && rc == -EAGAIN; i++) {
		uint32_t tx;

		rc = hx_xs_tx_start(h, &tx);
		if (rc)
			return rc;
		rc = fn(h, tx, arg);
		if (rc) {
			struct hx_err keep = h->err;

			hx_xs_tx_end(h, tx, false);
			h->err = keep;
			return rc;
		}
		rc = hx_xs_tx_end(h, tx, true);
	}
	return rc;
}

static int xs_req_num(struct hx_xs *h, uint32_t type, const unsigned *nums, unsigned n, char **out)
{
	char buf[64];
	size_t off = 0;

	for (unsigned i = 0; i < n; i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%u", nums[i]) + 1;
	struct iovec v = {.iov_base = buf, .iov_len = off};

	return hx_xs_request(h, 0, type, &v, 1, out, NULL);
}

int hx_xs_introduce(struct hx_xs *h, unsigned domid, long gfn, unsigned port)
{
	char buf[96];
	int n = snprintf(buf, sizeof(buf), "%u%c%ld%c%u", domid, 0, gfn, 0, port);
	struct iovec v = {.iov_base = buf, .iov_len = (size_t)n + 1};

	return hx_xs_request(h, 0, HX_XS_INTRODUCE, &v, 1, NULL, NULL);
}

int hx_xs_release(struct hx_xs *h, unsigned domid)
{
	return xs_req_num(h, HX_XS_RELEASE, &domid, 1, NULL);
}

int hx_xs_is_introduced(struct hx_xs *h, unsigned domid, bool *yes)
{
	char *out;
	int rc = xs_req_num(h, HX_XS_IS_DOMAIN_INTRODUCED, &domid, 1, &out);

	if (rc)
		return rc;
	*yes = out[0] == 'T';
	free(out);
	return 0;
}

int hx_xs_get_domain_path(struct hx_xs *h, unsigned domid, char **path)
{
	return xs_req_num(h, HX_XS_GET_DOMAIN_PATH, &domid, 1, path);
}

int hx_xs_set_target(struct hx_xs *h, unsigned domid, unsigned target)
{
	unsigned n[2] = {domid, target};

	return xs_req_num(h, HX_XS_SET_TARGET, n, 2, NULL);
}

int hx_xs_reset_watches(struct hx_xs *h)
{
	return xs_req_str(h, 0, HX_XS_RESET_WATCHES, "", NULL, NULL);
}

int hx_xs_control(struct hx_xs *h, const char *const *argv, unsigned argc, char **out,
		  uint32_t *outlen)
{
	struct iovec v[16];

	if (argc > 16 || argc == 0)
		return xs_fail(h, EINVAL, "bad control argument count");
	for (unsigned i = 0; i < argc; i++) {
		v[i].iov_base = (void *)argv[i];
		v[i].iov_len = strlen(argv[i]) + 1;
	}
	return hx_xs_request(h, 0, HX_XS_CONTROL, v, (int)argc, out, outlen);
}
