/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * LD_PRELOAD shim that lets Debian's C xenstored (4.17) start without a hypervisor, so the
 * benchmark can measure it side by side: it stands in for the libxenctrl, libxenevtchn and
 * libxengnttab calls xenstored makes and feeds it a dom0 store port. Benchmark use only.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

static int shim_token;
static int shim_evfd = -1;
static unsigned shim_next_port = 10;

void *xc_interface_open(void *logger, void *dombuild_logger, unsigned flags);
int xc_interface_close(void *xch);
int xc_domain_getinfo(void *xch, uint32_t first, unsigned max, void *info);
void *xenevtchn_open(void *logger, unsigned flags);
void *xenevtchn_fdopen(void *logger, int fd, unsigned flags);
int xenevtchn_fd(void *xce);
int xenevtchn_bind_virq(void *xce, unsigned virq);
int xenevtchn_bind_interdomain(void *xce, uint32_t domid, unsigned port);
int xenevtchn_notify(void *xce, unsigned port);
int xenevtchn_pending(void *xce);
int xenevtchn_unmask(void *xce, unsigned port);
int xenevtchn_unbind(void *xce, unsigned port);
void *xengnttab_open(void *logger, unsigned flags);
int xengnttab_close(void *xgt);
int xengnttab_set_max_grants(void *xgt, uint32_t n);
void *xengnttab_map_grant_ref(void *xgt, uint32_t domid, uint32_t ref, int prot);
int xengnttab_unmap(void *xgt, void *addr, uint32_t count);
int open(const char *path, int flags, ...);
int open64(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);

void *xc_interface_open(void *logger, void *dombuild_logger, unsigned flags)
{
	return &shim_token;
}

int xc_interface_close(void *xch)
{
	return 0;
}

/* Every domain exists and is running: zero the leading flag fields, set the domid. */
int xc_domain_getinfo(void *xch, uint32_t first, unsigned max, void *info)
{
	if (!max)
		return 0;
	memset(info, 0, 64);
	*(uint32_t *)info = first;
	return 1;
}

void *xenevtchn_open(void *logger, unsigned flags)
{
	if (shim_evfd < 0)
		shim_evfd = eventfd(0, EFD_NONBLOCK);
	return &shim_token;
}

void *xenevtchn_fdopen(void *logger, int fd, unsigned flags)
{
	shim_evfd = fd;
	return &shim_token;
}

int xenevtchn_fd(void *xce)
{
	return shim_evfd;
}

int xenevtchn_bind_virq(void *xce, unsigned virq)
{
	return 1;
}

int xenevtchn_bind_interdomain(void *xce, uint32_t domid, unsigned port)
{
	return (int)shim_next_port++;
}

int xenevtchn_notify(void *xce, unsigned port)
{
	return 0;
}

int xenevtchn_pending(void *xce)
{
	return -1;
}

int xenevtchn_unmask(void *xce, unsigned port)
{
	return 0;
}

int xenevtchn_unbind(void *xce, unsigned port)
{
	return 0;
}

void *xengnttab_open(void *logger, unsigned flags)
{
	return &shim_token;
}

int xengnttab_close(void *xgt)
{
	return 0;
}

int xengnttab_set_max_grants(void *xgt, uint32_t n)
{
	return 0;
}

/* A private zeroed page stands in for the dom0 ring nobody will use. */
void *xengnttab_map_grant_ref(void *xgt, uint32_t domid, uint32_t ref, int prot)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

int xengnttab_unmap(void *xgt, void *addr, uint32_t count)
{
	return munmap(addr, 4096 * count);
}

/* The dom0 store port and ring page xenstored reads from /proc/xen; -1 for other paths. */
static int shim_fake(const char *path)
{
	int fd = -1;

	if (!strcmp(path, "/proc/xen/xsd_port")) {
		fd = memfd_create("xsd_port", 0);
		if (fd >= 0 && (write(fd, "1", 1) != 1 || lseek(fd, 0, SEEK_SET) != 0))
			fd = -1;
	} else if (!strcmp(path, "/proc/xen/xsd_kva")) {
		fd = memfd_create("xsd_kva", 0);
		if (fd >= 0 && ftruncate(fd, 4096))
			fd = -1;
	}
	return fd;
}

static int shim_open(const char *path, int flags, mode_t mode, const char *real)
{
	int (*next)(const char *, int, ...) =
		(int (*)(const char *, int, ...))dlsym(RTLD_NEXT, real);
	int fd = shim_fake(path);

	return fd >= 0 ? fd : next(path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	int (*next)(int, const char *, int, ...) =
		(int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, "openat");
	int fd = shim_fake(path);
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = (mode_t)va_arg(ap, int);
	va_end(ap);
	return fd >= 0 ? fd : next(dirfd, path, flags, mode);
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = (mode_t)va_arg(ap, int);
	va_end(ap);
	return shim_open(path, flags, mode, "open");
}

int open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = (mode_t)va_arg(ap, int);
	va_end(ap);
	return shim_open(path, flags, mode, "open64");
}

/* oxenstored raises its descriptor limit; a container may forbid that. Keep the old limit. */
int setrlimit(__rlimit_resource_t resource, const struct rlimit *rl)
{
	int (*next)(__rlimit_resource_t, const struct rlimit *) =
		(int (*)(__rlimit_resource_t, const struct rlimit *))dlsym(RTLD_NEXT, "setrlimit");

	if (next(resource, rl) == 0)
		return 0;
	return 0;
}
