// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenctl: a small Dom0 tool that drives the hypervisor through Linux's /dev/xen/privcmd:
 * sysctl physinfo and getdomaininfolist, printed one line each. In a domain without the
 * privilege, the hypercalls fail and the tool says how (the e2e tests expect EPERM there).
 * Subcommands (xenctl-toolstack.c) exercise the rest of Dom0's toolstack interfaces: foreign
 * mappings (privcmd), gntalloc/gntdev, evtchn and xenbus_backend, one "xenctl: ok - " or
 * "xenctl: not ok - " line per check.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "xenctl.h"

#define MAX_DOMAINS 64

int privcmd = -1;

int hypercall(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct privcmd_hypercall h = {.op = op, .arg = {a0, a1, a2}};
	int rc = ioctl(privcmd, IOCTL_PRIVCMD_HYPERCALL, &h);

	return rc < 0 ? -errno : rc;
}

/* Issues sysctl s; returns 0 or a negative errno. */
int sysctl(struct xen_sysctl *s)
{
	struct privcmd_hypercall h = {.op = HYPERCALL_SYSCTL, .arg = {(uintptr_t)s}};

	s->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	return ioctl(privcmd, IOCTL_PRIVCMD_HYPERCALL, &h) < 0 ? -errno : 0;
}

static int physinfo(void)
{
	struct xen_sysctl s = {.cmd = XEN_SYSCTL_physinfo};
	int rc = sysctl(&s);

	if (rc) {
		printf("xenctl: physinfo: %s\n", strerror(-rc));
		return rc;
	}
	printf("xenctl: physinfo: %u CPUs, %u kHz, %" PRIu64 " pages, %" PRIu64 " free\n",
	       s.u.physinfo.nr_cpus, s.u.physinfo.cpu_khz, s.u.physinfo.total_pages,
	       s.u.physinfo.free_pages);
	return 0;
}

static int domains(void)
{
	/* The buffer must stay mapped while the hypervisor writes it: locked, page-aligned. */
	size_t size = MAX_DOMAINS * sizeof(struct xen_domctl_getdomaininfo);
	struct xen_domctl_getdomaininfo *info =
		mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct xen_sysctl s = {.cmd = XEN_SYSCTL_getdomaininfolist};
	int rc;

	if (info == MAP_FAILED || mlock(info, size)) {
		printf("xenctl: cannot lock a buffer: %s\n", strerror(errno));
		return -errno;
	}
	memset(info, 0, size);
	s.u.getdomaininfolist.first_domain = 0;
	s.u.getdomaininfolist.max_domains = MAX_DOMAINS;
	s.u.getdomaininfolist.buffer = (uintptr_t)info;
	rc = sysctl(&s);
	if (rc) {
		printf("xenctl: getdomaininfolist: %s\n", strerror(-rc));
		return rc;
	}
	for (uint32_t i = 0; i < s.u.getdomaininfolist.num_domains && i < MAX_DOMAINS; i++)
		printf("xenctl: domain %u: %" PRIu64 " pages (max %" PRIu64 "), %u vCPUs online\n",
		       info[i].domain, info[i].tot_pages, info[i].max_pages,
		       info[i].nr_online_vcpus);
	return 0;
}

int main(int argc, char **argv)
{
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	privcmd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
	if (privcmd < 0) {
		printf("xenctl: /dev/xen/privcmd: %s\n", strerror(errno));
		return 2;
	}
	if (argc > 1)
		return toolstack_main(argv[1]);
	rc = physinfo();
	if (!rc)
		rc = domains();
	printf("xenctl: done (%s)\n", rc ? strerror(-rc) : "ok");
	return rc ? 1 : 0;
}
