/* SPDX-License-Identifier: GPL-2.0-only */
/* Credentials, capability sets (libcap-ng), no_new_privs and the seccomp filter (libseccomp). */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <cap-ng.h>
#include <seccomp.h>
#include "internal.h"

/*
 * Denied with EPERM unless the definition names the syscall itself: kernel modules, kexec,
 * clocks, swap, accounting, keyrings, bpf/perf, handle-based opens, namespace and mount
 * changes, tracing other processes' memory, io_uring (a frequent source of escapes).
 */
const char *const ct_sec_default_deny[] = {
	"acct",
	"add_key",
	"bpf",
	"clock_adjtime",
	"clock_settime",
	"create_module",
	"delete_module",
	"finit_module",
	"fsconfig",
	"fsmount",
	"fsopen",
	"fspick",
	"get_kernel_syms",
	"init_module",
	"io_uring_enter",
	"io_uring_register",
	"io_uring_setup",
	"ioperm",
	"iopl",
	"kcmp",
	"kexec_file_load",
	"kexec_load",
	"keyctl",
	"lookup_dcookie",
	"mount",
	"move_mount",
	"move_pages",
	"nfsservctl",
	"open_by_handle_at",
	"open_tree",
	"perf_event_open",
	"pivot_root",
	"process_vm_readv",
	"process_vm_writev",
	"query_module",
	"quotactl",
	"reboot",
	"request_key",
	"setns",
	"settimeofday",
	"swapoff",
	"swapon",
	"sysfs",
	"_sysctl",
	"umount2",
	"unshare",
	"uselib",
	"userfaultfd",
	"ustat",
	"vm86",
	"vm86old",
	NULL,
};

int ct_sec_creds(const struct ct_config *cfg, ct_err_t *err)
{
	unsigned type = CAPNG_EFFECTIVE | CAPNG_PERMITTED;

	capng_clear(CAPNG_SELECT_ALL);
	for (int c = 0; c <= CAP_LAST_CAP && c < 64; c++) {
		if (!(cfg->caps & (1ULL << c)))
			continue;
		if (capng_update(CAPNG_ADD, CAPNG_BOUNDING_SET | (cfg->uid == 0 ? type : 0),
				 (unsigned)c) < 0)
			return ct_err(err, EINVAL, "capability %d", c);
	}
	if (capng_apply(CAPNG_SELECT_BOUNDS) < 0)
		return ct_err(err, EPERM, "cannot reduce the capability bounding set");
	if (setgroups(0, NULL) < 0 && errno != EPERM)
		return ct_errno(err, "setgroups");
	if (setresgid(cfg->gid, cfg->gid, cfg->gid) < 0)
		return ct_errno(err, "cannot switch to gid %u", (unsigned)cfg->gid);
	if (setresuid(cfg->uid, cfg->uid, cfg->uid) < 0)
		return ct_errno(err, "cannot switch to uid %u", (unsigned)cfg->uid);
	/* Non-root: the uid switch emptied permitted/effective; root keeps exactly cfg->caps. */
	if (cfg->uid == 0 && capng_apply(CAPNG_SELECT_CAPS) < 0)
		return ct_err(err, EPERM, "cannot set the capability sets");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return ct_errno(err, "cannot clear the ambient capabilities");
	return 0;
}

static uint32_t sc_action(enum ct_sc_action a, int errnum)
{
	switch (a) {
	case CT_SC_ALLOW:
		return SCMP_ACT_ALLOW;
	case CT_SC_KILL:
		return SCMP_ACT_KILL_PROCESS;
	case CT_SC_LOG:
		return SCMP_ACT_LOG;
	default:
		return SCMP_ACT_ERRNO((uint32_t)errnum);
	}
}

static bool user_names(const struct ct_config *cfg, const char *name)
{
	for (unsigned i = 0; i < cfg->n_syscalls; i++) {
		if (!strcmp(cfg->syscalls[i].name, name))
			return true;
	}
	return false;
}

/* Builds the filter: the default action, the default deny list, then the definition's rules. */
static scmp_filter_ctx sec_build(const struct ct_config *cfg, ct_err_t *err)
{
	scmp_filter_ctx sc = seccomp_init(sc_action(cfg->sc_default, EPERM));
	int rc;

	if (!sc) {
		ct_err(err, ENOMEM, "seccomp_init");
		return NULL;
	}
	for (int i = 0; ct_sec_default_deny[i]; i++) {
		int nr = seccomp_syscall_resolve_name(ct_sec_default_deny[i]);

		if (nr == __NR_SCMP_ERROR || nr < 0 || user_names(cfg, ct_sec_default_deny[i]))
			continue;
		(void)seccomp_rule_add(sc, SCMP_ACT_ERRNO(EPERM), nr, 0);
	}
	for (unsigned i = 0; i < cfg->n_syscalls; i++) {
		const struct ct_syscall *s = &cfg->syscalls[i];
		uint32_t act = sc_action(s->action, s->errnum);

		if (act == sc_action(cfg->sc_default, EPERM))
			continue; /* same as the default: libseccomp refuses such a rule */
		rc = seccomp_rule_add(sc, act, seccomp_syscall_resolve_name(s->name), 0);
		if (rc < 0) {
			seccomp_release(sc);
			ct_err(err, -rc, "cannot add seccomp rule for %s", s->name);
			return NULL;
		}
	}
	return sc;
}

int ct_sec_seccomp(const struct ct_config *cfg, ct_err_t *err)
{
	scmp_filter_ctx sc;
	int rc;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return ct_errno(err, "cannot set no_new_privs");
	if (!cfg->seccomp)
		return 0;
	sc = sec_build(cfg, err);
	if (!sc)
		return -1;
	rc = seccomp_load(sc);
	seccomp_release(sc);
	if (rc < 0)
		return ct_err(err, -rc, "cannot load the seccomp filter");
	return 0;
}

int ct_sec_filter_build(const struct ct_config *cfg, void *buf, size_t max, size_t *len,
			ct_err_t *err)
{
	scmp_filter_ctx sc;
	ssize_t n;
	int fd, rc;

	*len = 0;
	if (!cfg->seccomp)
		return 0;
	sc = sec_build(cfg, err);
	if (!sc)
		return -1;
	fd = memfd_create("hxct-seccomp", MFD_CLOEXEC);
	rc = fd < 0 ? -errno : seccomp_export_bpf(sc, fd);
	seccomp_release(sc);
	if (rc < 0) {
		if (fd >= 0)
			close(fd);
		return ct_err(err, -rc, "cannot export the seccomp filter");
	}
	n = pread(fd, buf, max, 0);
	close(fd);
	if (n <= 0 || (size_t)n == max || n % sizeof(struct sock_filter))
		return ct_err(err, EFBIG, "seccomp filter too large or unreadable");
	*len = (size_t)n;
	return 0;
}

int ct_sec_filter_load(const void *prog, size_t len, ct_err_t *err)
{
	struct sock_fprog fp = {
		.len = (unsigned short)(len / sizeof(struct sock_filter)),
		.filter = (struct sock_filter *)(uintptr_t)prog,
	};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return ct_errno(err, "cannot set no_new_privs");
	if (len && syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) < 0)
		return ct_errno(err, "cannot load the seccomp filter");
	return 0;
}
