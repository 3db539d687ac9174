/* SPDX-License-Identifier: GPL-2.0-only */
/* Xen ring backend for a real Dom0: the page through /dev/xen/gntdev, kicks through evtchn. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* The Linux uapi headers expect the Xen ABI types to be defined by the includer. */
typedef uint16_t domid_t;
typedef uint32_t grant_ref_t;

#include <xen/evtchn.h>
#include <xen/gntdev.h>

#include "conn.h"
#include "log.h"
#include "ring.h"

#define RING_XEN_GREF 1 /* GNTTAB_RESERVED_XENSTORE */

struct ring_xen {
	void *page;
	int gnt_fd, evt_fd;
	uint64_t index;	     /* gntdev mapping offset */
	unsigned local_port; /* our end of the event channel */
};

static void ring_xen_kick(void *opaque)
{
	struct ring_xen *x = opaque;
	struct ioctl_evtchn_notify n = {.port = x->local_port};

	if (ioctl(x->evt_fd, IOCTL_EVTCHN_NOTIFY, &n))
		log_dbg("evtchn notify: %d", errno);
}

static void ring_xen_ack(void *opaque)
{
	struct ring_xen *x = opaque;
	uint32_t port;

	/* Reading yields the pending port; writing it back unmasks it. */
	while (read(x->evt_fd, &port, sizeof(port)) == sizeof(port))
		if (write(x->evt_fd, &port, sizeof(port)) != sizeof(port))
			break;
}

static void ring_xen_unmap(void *opaque)
{
	struct ring_xen *x = opaque;
	struct ioctl_gntdev_unmap_grant_ref u = {.index = x->index, .count = 1};

	if (x->page && x->page != MAP_FAILED)
		munmap(x->page, 4096);
	if (x->gnt_fd >= 0) {
		ioctl(x->gnt_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
		close(x->gnt_fd);
	}
	if (x->evt_fd >= 0)
		close(x->evt_fd);
	free(x);
}

static const struct ring_ops ring_xen_ops = {
	.kick = ring_xen_kick,
	.ack = ring_xen_ack,
	.unmap = ring_xen_unmap,
};

static int ring_xen_map(struct ring_xen *x, uint32_t domid)
{
	struct ioctl_gntdev_map_grant_ref m = {.count = 1};

	x->gnt_fd = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
	if (x->gnt_fd < 0)
		return errno;
	m.refs[0].domid = domid;
	m.refs[0].ref = RING_XEN_GREF;
	if (ioctl(x->gnt_fd, IOCTL_GNTDEV_MAP_GRANT_REF, &m))
		return errno;
	x->index = m.index;
	x->page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, x->gnt_fd, (off_t)m.index);
	return x->page == MAP_FAILED ? errno : 0;
}

static int ring_xen_bind(struct ring_xen *x, uint32_t domid, uint32_t port)
{
	struct ioctl_evtchn_bind_interdomain b = {.remote_domain = domid, .remote_port = port};
	int rc;

	x->evt_fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (x->evt_fd < 0)
		return errno;
	rc = ioctl(x->evt_fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);
	if (rc < 0)
		return errno;
	x->local_port = (unsigned)rc;
	return 0;
}

static int ring_xen_attach(uint32_t domid, long gfn, uint32_t port, int *fds, int nfds,
			   struct xs_conn **out)
{
	struct ring_xen *x = calloc(1, sizeof(*x));
	int rc;

	if (!x)
		return ENOMEM;
	x->gnt_fd = x->evt_fd = -1;
	rc = ring_xen_map(x, domid);
	if (!rc)
		rc = ring_xen_bind(x, domid, port);
	if (!rc) {
		*out = ring_conn_new(domid, x->page, x->evt_fd, &ring_xen_ops, x);
		if (*out)
			return 0;
		rc = ENOMEM;
	}
	log_err("domain %u: cannot attach ring (gfn %ld, port %u): errno %d", domid, gfn, port, rc);
	ring_xen_unmap(x);
	return rc;
}

const struct ring_backend ring_backend_xen = {
	.name = "xen",
	.attach = ring_xen_attach,
};
