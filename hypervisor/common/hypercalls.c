/* SPDX-License-Identifier: GPL-2.0-only */
/* Architecture-neutral hypercalls: console_io, xen_version, sched_op, multicall. */
#include <asm/cpu.h>
#include <asm/time.h>
#include <hospes/console.h>
#include <hospes/domain.h>
#include <hospes/errno.h>
#include <hospes/guest_access.h>
#include <hospes/hypercall.h>
#include <hospes/lib.h>
#include <hospes/pvconsole.h>
#include <hospes/sched.h>
#include <hospes/setup.h>
#include <public/features.h>
#include <public/sched.h>
#include <public/version.h>

#define CONSOLE_CHUNK 128

long do_console_io(uint64_t cmd, uint64_t count, uint64_t buffer, uint64_t a4, uint64_t a5)
{
	struct domain *d = current_vcpu()->domain;
	char buf[CONSOLE_CHUNK + 1];

	if (cmd == CONSOLEIO_read) {
		long n;

		if (count > (1u << 20))
			return -EINVAL;
		n = pvconsole_read(d, buf, (size_t)MIN(count, (uint64_t)CONSOLE_CHUNK));
		if (n > 0 && copy_to_guest(buffer, buf, (size_t)n))
			return -EFAULT; /* the bytes are lost, as a bad buffer deserves */
		return n;
	}
	if (cmd != CONSOLEIO_write)
		return -ENOSYS;
	if (count > (1u << 20))
		return -EINVAL;
	for (uint64_t done = 0; done < count; done += CONSOLE_CHUNK) {
		size_t n = (size_t)MIN(count - done, (uint64_t)CONSOLE_CHUNK);

		if (copy_from_guest(buf, buffer + done, n))
			return -EFAULT;
		buf[n] = '\0';
		guest_console_write(d, buf, n);
	}
	return 0;
}

static long version_string(uint64_t arg, const char *s, size_t size)
{
	char buf[1024];

	memset(buf, 0, size);
	strlcpy(buf, s, size);
	return copy_to_guest(arg, buf, size) ? -EFAULT : 0;
}

long do_xen_version(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct domain *d = current_vcpu()->domain;

	switch (cmd) {
	case XENVER_version:
		return (4 << 16) | 17;
	case XENVER_extraversion:
		return version_string(arg, ".0-hospes", 16);
	case XENVER_capabilities:
		return version_string(arg, "xen-3.0-x86_64 ", 1024);
	case XENVER_changeset:
		return version_string(arg, "hospes " HOSPES_VERSION, 64);
	case XENVER_pagesize:
		return 4096;
	case XENVER_compile_info: {
		struct xen_compile_info ci = {.compiler = "gcc",
					      .compile_by = "hospes",
					      .compile_domain = "hospes",
					      .compile_date = "reproducible"};

		return copy_to_guest(arg, &ci, sizeof(ci)) ? -EFAULT : 0;
	}
	case XENVER_platform_parameters: {
		struct xen_platform_parameters pp = {.virt_start = HYPERVISOR_VIRT_START};

		return copy_to_guest(arg, &pp, sizeof(pp)) ? -EFAULT : 0;
	}
	case XENVER_get_features: {
		struct xen_feature_info fi;

		if (copy_from_guest(&fi, arg, sizeof(fi)))
			return -EFAULT;
		if (fi.submap_idx >= 1) /* XENFEAT_NR_SUBMAPS */
			return -EINVAL;
		fi.submap = 0;
		if (fi.submap_idx == 0) {
			fi.submap = (1u << XENFEAT_mmu_pt_update_preserve_ad) |
				    (1u << XENFEAT_gnttab_map_avail_bits);
			if (d->is_privileged)
				fi.submap |= 1u << XENFEAT_dom0;
		}
		return copy_to_guest(arg, &fi, sizeof(fi)) ? -EFAULT : 0;
	}
	case XENVER_commandline:
		if (!d->is_privileged)
			return -EPERM;
		return version_string(arg, hv_opts.text, 1024);
	default:
		return -ENOSYS;
	}
}

static long sched_shutdown(uint64_t arg, bool stop)
{
	struct domain *d = current_vcpu()->domain;
	struct sched_shutdown s;

	if (copy_from_guest(&s, arg, sizeof(s)))
		return -EFAULT;
	if (s.reason > SHUTDOWN_MAX)
		return -EINVAL;
	if (!stop) {
		d->shutdown_reason = (uint8_t)s.reason;
		return 0;
	}
	domain_shutdown(d, s.reason);
	return 0;
}

long do_sched_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5)
{
	switch (cmd) {
	case SCHEDOP_yield:
		sched_yield_current();
		return 0;
	case SCHEDOP_block:
		current_vcpu()->info->evtchn_upcall_mask = 0;
		vcpu_block_current();
		return 0;
	case SCHEDOP_shutdown:
		return sched_shutdown(arg, true);
	case SCHEDOP_shutdown_code:
		return sched_shutdown(arg, false);
	case SCHEDOP_poll:
		return sched_poll(arg);
	default:
		return -ENOSYS;
	}
}

/* The old sched_op: the argument is the value itself (shutdown reason), not a pointer. */
long do_sched_op_compat(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5)
{
	if (cmd == SCHEDOP_shutdown) {
		if (arg > SHUTDOWN_MAX)
			return -EINVAL;
		domain_shutdown(current_vcpu()->domain, (unsigned int)arg);
		return 0;
	}
	return do_sched_op(cmd, 0, 0, 0, 0);
}

/* One multicall_entry: op, result, args[6]. */
struct mc_entry {
	uint64_t op, result, args[6];
};

long do_multicall(uint64_t list, uint64_t nr, uint64_t a3, uint64_t a4, uint64_t a5)
{
	for (uint64_t i = 0; i < nr; i++) {
		struct mc_entry e;
		uint64_t at = list + i * sizeof(e);

		if (copy_from_guest(&e, at, sizeof(e)))
			return -EFAULT;
		if (e.op == __HYPERVISOR_iret) {
			/* As on Xen (XSA-213): the iret takes effect and ends the batch. */
			long rax = do_iret(guest_cpu_regs());

			e.result = (uint64_t)rax;
			(void)copy_to_guest(at + offsetof(struct mc_entry, result), &e.result, 8);
			return rax;
		}
		if (e.op == __HYPERVISOR_multicall)
			e.result = (uint64_t)-EINVAL;
		else
			e.result = (uint64_t)hypercall_call(e.op, e.args[0], e.args[1], e.args[2],
							    e.args[3], e.args[4]);
		if (copy_to_guest(at + offsetof(struct mc_entry, result), &e.result, 8))
			return -EFAULT;
		if (current_vcpu()->domain->is_shutdown)
			break;
	}
	return 0;
}
