// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenctl's toolstack checks from Dom0 user space, through Linux's own Xen drivers: build a
 * domain's memory and map it (privcmd), grant a page to ourselves and map it (gntalloc, gntdev),
 * an event channel loop (evtchn), and xenbus_backend. One "xenctl: ok - " line per check.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <public/grant_table.h> /* domid_t, grant_ref_t: Linux's UAPI headers use them */
#include <public/memory.h>
#include <xen/evtchn.h>
#include <xen/gntalloc.h>
#include <xen/gntdev.h>
#include "xenctl.h"

#define PAGE   4096
#define NPAGES 4 /* frames given to the new domain; the last is taken back again */
#define MAPPED 3 /* the ones that stay populated */
#define NO_DOM 1234
#define WORDS  (PAGE / 8)

static int failures;

static void check(bool ok, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* One result line: "xenctl: ok - what" or "xenctl: not ok - what: detail" (details on failure). */
static void check(bool ok, const char *what, const char *fmt, ...)
{
	char detail[256] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (ok)
		printf("xenctl: ok - %s\n", what);
	else
		printf("xenctl: not ok - %s: %s\n", what, detail);
	failures += !ok;
}

/* Memory the hypervisor reads and writes for us: locked, so always present. */
static void *locked(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || mlock(p, size)) {
		printf("xenctl: cannot lock a buffer: %s\n", strerror(errno));
		exit(2);
	}
	memset(p, 0, size);
	return p;
}

static int domctl(struct xen_domctl *d)
{
	d->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	return hypercall(HYPERCALL_DOMCTL, (uintptr_t)d, 0, 0);
}

static uint64_t free_pages(void)
{
	struct xen_sysctl *s = locked(sizeof(*s));
	uint64_t n;

	s->cmd = XEN_SYSCTL_physinfo;
	n = sysctl(s) ? 0 : s->u.physinfo.free_pages;
	munmap(s, sizeof(*s));
	return n;
}

/* XENMEM op (populate_physmap, decrease_reservation) on n order-0 extents of dom. */
static int reservation(unsigned int op, uint16_t dom, uint64_t *extents, unsigned int n)
{
	struct xen_memory_reservation *r = locked(sizeof(*r));
	int rc;

	r->extent_start = (uintptr_t)extents;
	r->nr_extents = n;
	r->domid = dom;
	rc = hypercall(HYPERCALL_MEMORY_OP, op, (uintptr_t)r, 0);
	munmap(r, sizeof(*r));
	return rc;
}

/* A fresh window of n pages of /dev/xen/privcmd for foreign frames. */
static uint64_t *privcmd_window(unsigned int n)
{
	void *p = mmap(NULL, (size_t)n * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, privcmd, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* MMAPBATCH_V2 of mfns of dom at win: the ioctl's result, per-frame errors in err. */
static int map_v2(uint64_t *win, uint16_t dom, const uint64_t *mfns, int *err, unsigned int n)
{
	struct privcmd_mmapbatch_v2 m = {
		.num = n, .dom = dom, .addr = (uintptr_t)win, .arr = mfns, .err = err};

	return ioctl(privcmd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m) < 0 ? -errno : 0;
}

static uint64_t pattern(uint16_t dom, unsigned int page, unsigned int word)
{
	return 0x5a00000000000000ULL | ((uint64_t)dom << 40) | ((uint64_t)page << 20) | word;
}

/* The first page of frames that do not hold the pattern (n if all do). */
static unsigned int first_bad(const uint64_t *win, uint16_t dom, unsigned int n)
{
	for (unsigned int p = 0; p < n; p++)
		for (unsigned int w = 0; w < WORDS; w++)
			if (win[p * WORDS + w] != pattern(dom, p, w))
				return p;
	return n;
}

static int create_domain(uint16_t *dom)
{
	struct xen_domctl *d = locked(sizeof(*d));
	int rc;

	d->cmd = XEN_DOMCTL_createdomain;
	d->u.createdomain.max_vcpus = 1;
	d->u.createdomain.max_evtchn_port = 1023;
	d->u.createdomain.max_grant_frames = -1;
	d->u.createdomain.max_maptrack_frames = -1;
	d->u.createdomain.grant_opts = XEN_DOMCTL_GRANT_version(1);
	rc = domctl(d);
	*dom = d->domain;
	if (!rc) {
		d->cmd = XEN_DOMCTL_max_mem;
		d->u.max_mem.max_memkb = 1024;
		rc = domctl(d);
	}
	munmap(d, sizeof(*d));
	return rc;
}

static int destroy_domain(uint16_t dom)
{
	struct xen_domctl *d = locked(sizeof(*d));
	int rc;

	d->cmd = XEN_DOMCTL_destroydomain;
	d->domain = dom;
	rc = domctl(d);
	munmap(d, sizeof(*d));
	return rc;
}

/* v1 MMAPBATCH and MMAP (MFN ranges) see the frames v2 wrote. */
static void foreign_v1(uint16_t dom, const uint64_t *mfns)
{
	uint64_t *arr = locked(PAGE), *win = privcmd_window(NPAGES);
	struct privcmd_mmapbatch b = {
		.num = NPAGES, .dom = dom, .addr = (uintptr_t)win, .arr = arr};
	struct privcmd_mmap_entry *e = (void *)(arr + 64);
	struct privcmd_mmap m = {.num = 1, .dom = dom, .entry = e};
	int rc;

	memcpy(arr, mfns, NPAGES * sizeof(*arr));
	rc = win ? ioctl(privcmd, IOCTL_PRIVCMD_MMAPBATCH, &b) : -1;
	check(!rc && win && arr[0] == mfns[0] && arr[2] == mfns[2] &&
		      (arr[3] & PRIVCMD_MMAPBATCH_MFN_ERROR) &&
		      first_bad(win, dom, MAPPED) == MAPPED,
	      "privcmd MMAPBATCH (v1): the frames read back, the unpopulated one is flagged",
	      "rc %d, arr[3] %#" PRIx64, rc, arr[3]);
	if (win)
		munmap(win, NPAGES * PAGE);
	win = privcmd_window(1);
	*e = (struct privcmd_mmap_entry){.va = (uintptr_t)win, .mfn = mfns[1], .npages = 1};
	rc = win ? ioctl(privcmd, IOCTL_PRIVCMD_MMAP, &m) : -1;
	check(!rc && win[5] == pattern(dom, 1, 5), "privcmd MMAP: an MFN range of another domain",
	      "rc %d (%s)", rc, rc ? strerror(errno) : "mapped, wrong contents");
	if (win)
		munmap(win, PAGE);
	munmap(arr, PAGE);
}

/* Maps the populated frames (and the one given back) with v2; writes or checks the pattern. */
static uint64_t *foreign_map(uint16_t dom, const uint64_t *mfns, bool write)
{
	uint64_t *win = privcmd_window(NPAGES), *arr = locked(PAGE);
	int *err = (int *)(arr + NPAGES);
	int rc;

	memcpy(arr, mfns, NPAGES * sizeof(*arr));
	rc = win ? map_v2(win, dom, arr, err, NPAGES) : -ENOMEM;
	check(!rc && !err[0] && !err[1] && !err[2] && err[3] == -EBUSY, /* Xen's errno */
	      write ? "privcmd MMAPBATCH_V2: a new domain's frames map; the unpopulated one fails "
		      "alone (EBUSY)"
		    : "privcmd MMAPBATCH_V2 again, after munmap",
	      "rc %d, errors %d %d %d %d", rc, err[0], err[1], err[2], err[3]);
	munmap(arr, PAGE);
	if (rc)
		return NULL;
	if (write) {
		for (unsigned int p = 0; p < MAPPED; p++)
			for (unsigned int w = 0; w < WORDS; w++)
				win[p * WORDS + w] = pattern(dom, p, w);
	} else {
		unsigned int bad = first_bad(win, dom, MAPPED);

		check(bad == MAPPED, "the pattern written through the first mapping reads back",
		      "page %u differs", bad);
	}
	return win;
}

static void foreign_bad_domain(const uint64_t *mfns)
{
	uint64_t *win = privcmd_window(1), *arr = locked(PAGE);
	int *err = (int *)(arr + 1);
	int rc;

	arr[0] = mfns[0];
	rc = win ? map_v2(win, NO_DOM, arr, err, 1) : -ENOMEM;
	check(!rc && err[0] == -ESRCH, "MMAPBATCH_V2 from a domain that does not exist: ESRCH",
	      "rc %d, error %d", rc, err[0]);
	if (win)
		munmap(win, PAGE);
	munmap(arr, PAGE);
}

static int cmd_foreign(void)
{
	uint64_t *mfns = locked(PAGE), free0 = free_pages(), free1, free2;
	uint64_t *win;
	uint16_t dom = 0;
	int rc = create_domain(&dom);

	check(!rc && dom, "domctl createdomain and max_mem", "rc %d, domain %u", rc, dom);
	if (rc)
		return 1;
	for (unsigned int i = 0; i < NPAGES; i++)
		mfns[i] = i; /* IN: the gpfns; OUT: the MFNs (a PV domain) */
	rc = reservation(XENMEM_populate_physmap, dom, mfns, NPAGES);
	check(rc == NPAGES && mfns[0] != 0, "populate_physmap for the new domain from Dom0",
	      "%d of %d extents", rc, NPAGES);
	/* increase_reservation: a frame without a gpfn, its MFN back; then given back again. */
	mfns[NPAGES] = 0;
	rc = reservation(XENMEM_increase_reservation, dom, mfns + NPAGES, 1);
	if (rc == 1)
		rc = reservation(XENMEM_decrease_reservation, dom, mfns + NPAGES, 1) == 1 ? 1 : -1;
	check(rc == 1 && mfns[NPAGES], "increase_reservation for it from Dom0, and back",
	      "rc %d, mfn %#" PRIx64, rc, mfns[NPAGES]);
	rc = reservation(XENMEM_decrease_reservation, dom, mfns + MAPPED, 1);
	check(rc == 1, "decrease_reservation of one of its frames from Dom0", "rc %d", rc);
	win = foreign_map(dom, mfns, true);
	if (win)
		munmap(win, NPAGES * PAGE);
	win = foreign_map(dom, mfns, false);
	foreign_v1(dom, mfns);
	foreign_bad_domain(mfns);
	free1 = free_pages();
	rc = destroy_domain(dom);
	free2 = free_pages();
	check(!rc && win && first_bad(win, dom, MAPPED) == MAPPED,
	      "destroydomain while mapped: the mapping stays intact", "rc %d", rc);
	if (win)
		munmap(win, NPAGES * PAGE);
	/* Its frames went back only now, all of them: nothing leaked, nothing freed too early. */
	check(free_pages() == free2 + MAPPED && free_pages() == free0,
	      "the last munmap frees the dead domain's frames",
	      "free before %" PRIu64 ", built %" PRIu64 ", destroyed %" PRIu64
	      ", unmapped %" PRIu64,
	      free0, free1, free2, free_pages());
	munmap(mfns, PAGE);
	return failures ? 1 : 0;
}

/* gntalloc grants a page to Dom0 itself; gntdev maps that grant; both views are one page. */
static int cmd_grant(void)
{
	int ga = open("/dev/xen/gntalloc", O_RDWR), gd = open("/dev/xen/gntdev", O_RDWR);
	struct ioctl_gntalloc_alloc_gref a = {
		.domid = 0, .flags = GNTALLOC_FLAG_WRITABLE, .count = 1};
	struct ioctl_gntdev_map_grant_ref m = {.count = 1};
	volatile uint32_t *pa = MAP_FAILED, *pd = MAP_FAILED;
	int rc;

	check(ga >= 0 && gd >= 0, "open /dev/xen/gntalloc and /dev/xen/gntdev", "%s",
	      strerror(errno));
	if (ga < 0 || gd < 0)
		return 1;
	rc = ioctl(ga, IOCTL_GNTALLOC_ALLOC_GREF, &a);
	check(!rc, "gntalloc: a page granted to domain 0", "%s", rc ? strerror(errno) : "");
	if (!rc)
		pa = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ga, (off_t)a.index);
	m.refs[0].domid = 0;
	m.refs[0].ref = a.gref_ids[0];
	rc = pa == MAP_FAILED ? -1 : ioctl(gd, IOCTL_GNTDEV_MAP_GRANT_REF, &m);
	if (!rc)
		pd = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, gd, (off_t)m.index);
	check(pd != MAP_FAILED, "gntdev: the grant maps (GNTTABOP_map_grant_ref)", "%s",
	      strerror(errno));
	if (pd == MAP_FAILED)
		return 1;
	pa[7] = 0x600dcafe;
	pd[100] = 0xfeedbeef;
	check(pd[7] == 0x600dcafe && pa[100] == 0xfeedbeef,
	      "gntalloc/gntdev loopback: a write through either mapping shows in the other",
	      "read %#x and %#x", pd[7], pa[100]);
	rc = munmap((void *)pd, PAGE);
	if (!rc) {
		struct ioctl_gntdev_unmap_grant_ref u = {.index = m.index, .count = 1};

		rc = ioctl(gd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
	}
	check(!rc && pa[7] == 0x600dcafe, "gntdev: munmap and unmap the grant", "%s",
	      rc ? strerror(errno) : "the page changed");
	rc = munmap((void *)pa, PAGE);
	if (!rc) {
		struct ioctl_gntalloc_dealloc_gref d = {.index = a.index, .count = 1};

		rc = ioctl(ga, IOCTL_GNTALLOC_DEALLOC_GREF, &d);
	}
	check(!rc, "gntalloc: the grant is given up", "%s", rc ? strerror(errno) : "");
	close(gd);
	close(ga);
	return failures ? 1 : 0;
}

/* Reads one pending port from fd; 0 if none within about a second. */
static unsigned int evtchn_wait(int fd)
{
	unsigned int port = 0;

	for (int i = 0; i < 100; i++) {
		if (read(fd, &port, sizeof(port)) == sizeof(port))
			return port;
		usleep(10000);
	}
	return 0;
}

/* Domain 0 talks to itself: an unbound port, an interdomain port bound to it, both ways. */
static int cmd_evtchn(void)
{
	int fd = open("/dev/xen/evtchn", O_RDWR | O_NONBLOCK);
	struct ioctl_evtchn_bind_unbound_port u = {.remote_domain = 0};
	struct ioctl_evtchn_bind_interdomain b = {.remote_domain = 0};
	struct ioctl_evtchn_notify n;
	int p1, p2;
	unsigned int got, got2, got3;

	check(fd >= 0, "open /dev/xen/evtchn", "%s", strerror(errno));
	if (fd < 0)
		return 1;
	p1 = ioctl(fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &u);
	b.remote_port = (unsigned int)p1;
	p2 = p1 > 0 ? ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b) : -1;
	check(p1 > 0 && p2 > 0 && p1 != p2,
	      "evtchn: an unbound port for domain 0 and an interdomain port bound to it",
	      "ports %d and %d (%s)", p1, p2, strerror(errno));
	if (p1 <= 0 || p2 <= 0)
		return 1;
	n.port = (unsigned int)p2;
	ioctl(fd, IOCTL_EVTCHN_NOTIFY, &n);
	got = evtchn_wait(fd);
	n.port = (unsigned int)p1;
	ioctl(fd, IOCTL_EVTCHN_NOTIFY, &n);
	got2 = evtchn_wait(fd);
	check(got == (unsigned int)p1 && got2 == (unsigned int)p2,
	      "evtchn: a notify on either end is read as pending at the other",
	      "read %u and %u, expected %d and %d", got, got2, p1, p2);
	/* Delivered ports stay masked until written back: unmask p1, and it fires again. */
	if (write(fd, &got, sizeof(got)) != sizeof(got))
		got = 0;
	n.port = (unsigned int)p2;
	ioctl(fd, IOCTL_EVTCHN_NOTIFY, &n);
	got3 = evtchn_wait(fd);
	check(got && got3 == (unsigned int)p1, "evtchn: unmasked by a write, the port fires again",
	      "read %u", got3);
	close(fd);
	return failures ? 1 : 0;
}

/* /dev/xen/xenbus_backend: opens in Dom0; with no xenstore yet, its event channel is ENODEV. */
static int cmd_xenbus(void)
{
	int fd = open("/dev/xen/xenbus_backend", O_RDWR), rc;

	check(fd >= 0, "open /dev/xen/xenbus_backend", "%s", strerror(errno));
	if (fd < 0)
		return 1;
	rc = ioctl(fd, _IOC(_IOC_NONE, 'B', 0, 0)); /* IOCTL_XENBUS_BACKEND_EVTCHN */
	check(rc > 0 || errno == ENODEV,
	      "xenbus_backend: IOCTL_XENBUS_BACKEND_EVTCHN answers (start_info's store port, "
	      "or ENODEV)",
	      "rc %d (%s)", rc, strerror(errno));
	printf("xenctl: xenbus_backend evtchn: %d (%s)\n", rc, rc < 0 ? strerror(errno) : "port");
	close(fd);
	return failures ? 1 : 0;
}

int toolstack_main(const char *name)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} cmds[] = {{"foreign", cmd_foreign},
		    {"grant", cmd_grant},
		    {"evtchn", cmd_evtchn},
		    {"xenbus", cmd_xenbus}};
	int rc = -1;

	for (unsigned int i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(name, cmds[i].name) || !strcmp(name, "all"))
			rc = cmds[i].fn() | (rc > 0 ? rc : 0);
	if (rc < 0) {
		printf("xenctl: unknown subcommand %s (foreign, grant, evtchn, xenbus, all)\n",
		       name);
		return 2;
	}
	printf("xenctl: %s done (%d failed)\n", name, failures);
	return rc;
}
