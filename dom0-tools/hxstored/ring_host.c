/* SPDX-License-Identifier: GPL-2.0-only */
/* Host ring backend: the ring page is a memfd and the event channel a pair of eventfds. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conn.h"
#include "log.h"
#include "ring.h"

struct ring_host {
	void *page;
	int memfd, in_fd, out_fd; /* in: the guest kicks us; out: we kick the guest */
};

static void ring_host_kick(void *opaque)
{
	struct ring_host *h = opaque;
	uint64_t one = 1;

	if (write(h->out_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		log_dbg("ring kick: %d", errno);
}

static void ring_host_ack(void *opaque)
{
	struct ring_host *h = opaque;
	uint64_t v;

	if (read(h->in_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		log_dbg("ring ack: %d", errno);
}

static void ring_host_unmap(void *opaque)
{
	struct ring_host *h = opaque;

	munmap(h->page, 4096);
	close(h->memfd);
	close(h->in_fd);
	close(h->out_fd);
	free(h);
}

static const struct ring_ops ring_host_ops = {
	.kick = ring_host_kick,
	.ack = ring_host_ack,
	.unmap = ring_host_unmap,
};

struct xs_conn *ring_host_adopt(uint32_t domid, int memfd, int in_fd, int out_fd)
{
	struct ring_host *h = calloc(1, sizeof(*h));
	struct stat st;
	struct xs_conn *c;

	if (!h)
		return NULL;
	/* The page must stay: a client shrinking the memfd would fault the daemon. */
	if (fstat(memfd, &st) || st.st_size < 4096 || fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK) < 0)
		goto fail;
	h->page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (h->page == MAP_FAILED)
		goto fail;
	h->memfd = memfd;
	h->in_fd = in_fd;
	h->out_fd = out_fd;
	fcntl(in_fd, F_SETFL, fcntl(in_fd, F_GETFL) | O_NONBLOCK);
	fcntl(out_fd, F_SETFL, fcntl(out_fd, F_GETFL) | O_NONBLOCK);
	c = ring_conn_new(domid, h->page, in_fd, &ring_host_ops, h);
	if (c)
		return c;
	munmap(h->page, 4096);
fail:
	free(h);
	return NULL;
}

static int ring_host_attach(uint32_t domid, long gfn, uint32_t port, int *fds, int nfds,
			    struct xs_conn **out)
{
	if (nfds != 3)
		return EINVAL;
	*out = ring_host_adopt(domid, fds[0], fds[1], fds[2]);
	if (!*out)
		return EINVAL;
	fds[0] = fds[1] = fds[2] = -1;
	return 0;
}

int ring_host_fds(const struct xs_conn *c, int fds[3])
{
	const struct ring_host *h = ring_conn_opaque(c);

	if (!h || ring_backend != &ring_backend_host)
		return -1;
	fds[0] = h->memfd;
	fds[1] = h->in_fd;
	fds[2] = h->out_fd;
	return 0;
}

const struct ring_backend ring_backend_host = {
	.name = "host",
	.attach = ring_host_attach,
};
