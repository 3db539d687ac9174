/* SPDX-License-Identifier: GPL-2.0-only */
/* sysctl (#35): the console log, host facts and the domain list for the toolstack (Xen 4.17). */
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <hospes/console.h>
#include <hospes/domain.h>
#include <hospes/domctl.h>
#include <hospes/errno.h>
#include <hospes/guest_access.h>
#include <hospes/lib.h>
#include <hospes/mm.h>
#include <hospes/sched.h>
#include <generated/config.h>
#include <public/sysctl.h>

#define READCONSOLE_CHUNK 256
#define LOG_RING_BYTES	  ((uint64_t)CONFIG_LOG_RING_SIZE * 1024)

static uint64_t console_clear; /* readconsole's clear point (under the domctl lock) */

/* readconsole: copies from the start Xen's rules give, chunk by chunk; index is where it ends. */
static long sys_readconsole(struct xen_sysctl_readconsole *rc)
{
	char buf[READCONSOLE_CHUNK];
	uint64_t head = console_ring_head();
	uint64_t pos = domctl_readconsole_start(head, LOG_RING_BYTES, console_clear,
						rc->incremental, rc->index);
	uint32_t done = 0;

	while (done < rc->count) {
		size_t n =
			console_ring_read(&pos, buf, MIN(sizeof(buf), (size_t)(rc->count - done)));

		if (n == 0)
			break;
		if (copy_to_guest(rc->buffer + done, buf, n))
			return -EFAULT;
		done += (uint32_t)n;
	}
	if (rc->clear)
		console_clear = pos;
	rc->count = done;
	rc->index = (uint32_t)pos;
	return 0;
}

/* The host's feature words, in the order of Xen's featureset (see public/sysctl.h). */
static void host_features(uint32_t hw_cap[8])
{
	uint32_t max = cpuid(0).eax, xmax = cpuid(0x80000000).eax;

	hw_cap[0] = cpuid(1).edx;
	hw_cap[1] = cpuid(1).ecx;
	if (xmax >= 0x80000001) {
		hw_cap[2] = cpuid(0x80000001).edx;
		hw_cap[3] = cpuid(0x80000001).ecx;
	}
	if (max >= 0xd)
		hw_cap[4] = cpuid_count(0xd, 1).eax;
	if (max >= 7) {
		hw_cap[5] = cpuid_count(7, 0).ebx;
		hw_cap[6] = cpuid_count(7, 0).ecx;
	}
	if (xmax >= 0x80000007)
		hw_cap[7] = cpuid(0x80000007).edx;
}

/* physinfo: one socket, one thread per core, one NUMA node; PV guests, grant tables v1. */
static void sys_physinfo(struct xen_sysctl_physinfo *pi)
{
	memset(pi, 0, sizeof(*pi));
	pi->threads_per_core = 1;
	pi->cores_per_socket = nr_cpus_online;
	pi->nr_cpus = nr_cpus_online;
	pi->max_cpu_id = nr_cpus_online - 1;
	pi->nr_nodes = 1;
	pi->max_node_id = 0;
	pi->cpu_khz = (uint32_t)tsc_khz;
	pi->capabilities = XEN_SYSCTL_PHYSCAP_pv | XEN_SYSCTL_PHYSCAP_gnttab_v1;
	pi->total_pages = frame_pool.total_frames;
	pi->free_pages = frame_pool_free_count(&frame_pool);
	pi->max_mfn = max_pfn - 1;
	host_features(pi->hw_cap);
}

/* getdomaininfolist: the domains from first_domain up, in id order, at most max_domains. */
static long sys_getdomaininfolist(struct xen_sysctl_getdomaininfolist *l)
{
	struct xen_domctl_getdomaininfo info;
	uint32_t n = 0;
	struct domain *d;

	if (l->first_domain >= DOMID_FIRST_RESERVED) {
		l->num_domains = 0;
		return 0;
	}
	for (d = domain_first_from(l->first_domain); d && n < l->max_domains;
	     d = d->domid + 1u < DOMID_FIRST_RESERVED ? domain_first_from(d->domid + 1u) : NULL) {
		domctl_getdomaininfo(d, &info);
		if (copy_to_guest(l->buffer + (uint64_t)n * sizeof(info), &info, sizeof(info)))
			return -EFAULT;
		n++;
	}
	l->num_domains = n;
	return 0;
}

long do_sysctl(uint64_t arg, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct xen_sysctl op;
	long rc;

	if (!current_vcpu()->domain->is_privileged)
		return -EPERM;
	if (copy_from_guest(&op, arg, sizeof(op)))
		return -EFAULT;
	if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
		return -EACCES;
	domctl_lock();
	switch (op.cmd) {
	case XEN_SYSCTL_readconsole:
		rc = sys_readconsole(&op.u.readconsole);
		break;
	case XEN_SYSCTL_physinfo:
		sys_physinfo(&op.u.physinfo);
		rc = 0;
		break;
	case XEN_SYSCTL_getdomaininfolist:
		rc = sys_getdomaininfolist(&op.u.getdomaininfolist);
		break;
	default:
		rc = -ENOSYS;
		break;
	}
	domctl_unlock();
	if (!rc && copy_to_guest(arg, &op, sizeof(op)))
		rc = -EFAULT;
	return rc;
}
