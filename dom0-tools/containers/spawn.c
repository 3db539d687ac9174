/* SPDX-License-Identifier: GPL-2.0-only */
/* The container init: clone into new namespaces, host-side setup, in-child setup, exec. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/close_range.h>
#include "internal.h"

#define CT_BPF_MAX 65536

/* What the child sends back when setup fails; exec success is seen as EOF (CLOEXEC). */
struct child_err {
	int errnum;
	char msg[CT_ERR_MSG_MAX - 64];
};

extern char **environ;

static void __attribute__((noreturn)) child_fail(int fd, const ct_err_t *err)
{
	struct child_err ce = {.errnum = err->errnum};

	snprintf(ce.msg, sizeof(ce.msg), "%s", err->msg);
	(void)!write(fd, &ce, sizeof(ce));
	_exit(127);
}

static void child_env(const struct ct_config *cfg, char **envp, size_t max)
{
	static char path[] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	static char home_root[] = "HOME=/root", home[] = "HOME=/", cont[] = "container=hospes";
	static char term[] = "TERM=xterm";
	static char host[128];
	size_t n = 0;

	snprintf(host, sizeof(host), "HOSTNAME=%s", cfg->hostname);
	envp[n++] = path;
	envp[n++] = cfg->uid == 0 ? home_root : home;
	envp[n++] = cont;
	envp[n++] = host;
	if (cfg->terminal)
		envp[n++] = term;
	for (unsigned i = 0; i < cfg->n_env && n + 1 < max; i++) {
		size_t klen = strcspn(cfg->env[i], "=") + 1;

		/* a variable of the definition replaces a default of the same name */
		for (size_t j = 0; j < n; j++) {
			if (!strncmp(envp[j], cfg->env[i], klen)) {
				envp[j] = envp[--n];
				break;
			}
		}
		envp[n++] = cfg->env[i];
	}
	envp[n] = NULL;
}

static int child_stdio(struct ct_spawn *sp, ct_err_t *err)
{
	if (sp->console_fd >= 0) {
		if (setsid() < 0 || ioctl(sp->console_fd, TIOCSCTTY, 0) < 0)
			return ct_errno(err, "cannot make %s the controlling terminal",
					sp->console);
		for (int i = 0; i < 3; i++) {
			if (dup2(sp->console_fd, i) < 0)
				return ct_errno(err, "dup2");
		}
		return 0;
	}
	for (int i = 0; i < 3; i++) {
		if (sp->stdio[i] >= 0 && sp->stdio[i] != i && dup2(sp->stdio[i], i) < 0)
			return ct_errno(err, "dup2");
	}
	return 0;
}

/*
 * Resets the signals this process ignores (exec keeps those; handled ones it resets itself),
 * as listed by SigIgn in /proc/self/status: one read instead of a sigaction per signal.
 */
static void reset_ignored_signals(void)
{
	char buf[4096], *ign;
	unsigned long long mask = ~0ULL;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n > 0) {
		buf[n] = '\0';
		ign = strstr(buf, "\nSigIgn:");
		if (ign)
			mask = strtoull(ign + 8, NULL, 16);
	}
	for (int s = 1; s < NSIG && s <= 64; s++) {
		if (mask & (1ULL << (s - 1)))
			signal(s, SIG_DFL);
	}
}

/* Parent gone? (the sync socket reads EOF) */
static bool parent_gone(int fd)
{
	char c;

	return recv(fd, &c, 1, MSG_DONTWAIT | MSG_PEEK) == 0;
}

/* Child, after "g": namespaces are ours, the parent joins our cgroups meanwhile. */
static int child_prepare(struct ct_spawn *sp, ct_err_t *err)
{
	const struct ct_config *cfg = sp->cfg;
	struct ct_rootfs_args ra = {.cfg = cfg};

	if (cfg->n_uidmap && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
		return ct_errno(err, "cannot become root in the user namespace");
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (sethostname(cfg->hostname, strlen(cfg->hostname)) < 0)
		return ct_errno(err, "sethostname");
	if (ct_net_configure(&cfg->net, err) < 0 || child_stdio(sp, err) < 0)
		return -1;
	ra.lowerdirs = sp->lowerdirs[0] ? sp->lowerdirs : NULL;
	snprintf(ra.upper, sizeof(ra.upper), "%s/fs/upper", sp->dir);
	snprintf(ra.work, sizeof(ra.work), "%s/fs/work", sp->dir);
	snprintf(ra.merged, sizeof(ra.merged), "%s/fs", sp->dir);
	ra.console = sp->console_fd >= 0 ? sp->console : NULL;
	ct_trace("child: net and stdio done");
	if (ct_rootfs_setup(&ra, err) < 0)
		return -1;
	ct_trace("child: rootfs done");
	if (chdir(cfg->cwd) < 0)
		return ct_errno(err, "cannot change to working directory %s", cfg->cwd);
	return 0;
}

static void __attribute__((noreturn)) child_main(struct ct_spawn *sp, int fd)
{
	static char prog[CT_BPF_MAX];
	const struct ct_config *cfg = sp->cfg;
	char *envp[CT_MAX_ENV + 8];
	ct_err_t err = {0};
	sigset_t none;
	ssize_t n;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	reset_ignored_signals();
	if (read(fd, prog, 1) != 1)
		_exit(127);
	/* until exec: no /proc/PID/exe for the container (after "g": the parent has written our
	 * id maps, which an unprivileged parent cannot do to a non-dumpable process) */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (child_prepare(sp, &err) < 0)
		child_fail(fd, &err);
	/* "c" + the seccomp program: we are in our cgroups, the cgroup namespace can root there */
	n = read(fd, prog, sizeof(prog));
	if (n < 8 || prog[0] != 'c')
		_exit(127);
	if (unshare(CLONE_NEWCGROUP) < 0)
		child_fail(fd, (ct_errno(&err, "cannot create the cgroup namespace"), &err));
	child_env(cfg, envp, sizeof(envp) / sizeof(envp[0]));
	if (ct_sec_creds(cfg, &err) < 0)
		child_fail(fd, &err);
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* credential changes clear it */
	if (parent_gone(fd))
		_exit(127);
	if (ct_sec_filter_load(prog + 8, (size_t)n - 8, &err) < 0)
		child_fail(fd, &err);
	ct_trace("child: exec");
	syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
	environ = envp;
	execvp(cfg->argv[0], cfg->argv);
	ct_errno(&err, "cannot run %s", cfg->argv[0]);
	child_fail(fd, &err);
}

static int write_idmap(pid_t pid, const char *file, const struct ct_idmap *m, unsigned n,
		       ct_err_t *err)
{
	char p[64], buf[512];
	size_t off = 0;

	for (unsigned i = 0; i < n && off < sizeof(buf); i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%u %u %u\n", m[i].ct_id,
					m[i].host_id, m[i].count);
	snprintf(p, sizeof(p), "/proc/%d/%s", (int)pid, file);
	return ct_write_file(p, buf, err);
}

static int wait_exec(struct ct_spawn *sp, int fd, ct_err_t *err)
{
	struct child_err ce;
	ssize_t n;

	do {
		n = read(fd, &ce, sizeof(ce));
	} while (n < 0 && errno == EINTR);
	if (n == 0)
		return 0;
	if (n == (ssize_t)sizeof(ce))
		return ct_err(err, ce.errnum, "%s", ce.msg);
	return ct_err(err, 0, "the container init died during setup");
}

/* Host side, between clone and "go": what the child needs before it can set up. */
static int parent_setup(struct ct_spawn *sp, ct_err_t *err)
{
	const struct ct_config *cfg = sp->cfg;

	if (cfg->n_uidmap) {
		char p[64];

		/* an unprivileged gid_map needs setgroups denied first */
		snprintf(p, sizeof(p), "/proc/%d/setgroups", (int)sp->pid);
		if (ct_rootless() && ct_write_file(p, "deny", err) < 0)
			return -1;
		if (write_idmap(sp->pid, "uid_map", cfg->uidmap, cfg->n_uidmap, err) < 0 ||
		    write_idmap(sp->pid, "gid_map", cfg->gidmap, cfg->n_gidmap, err) < 0)
			return -1;
	}
	if (cfg->net.type == CT_NET_BRIDGE &&
	    ct_net_veth_create(sp->veth, cfg->net.bridge, "eth0", sp->pid, cfg->net.mac, err) < 0)
		return -1;
	ct_crashpoint("start-veth");
	return 0;
}

/* Host side, while the child builds its root: cgroups, then the seccomp program. */
static int parent_setup_late(struct ct_spawn *sp, int fd, ct_err_t *err)
{
	static char msg[CT_BPF_MAX];
	size_t len;

	if (ct_cgroup_enter(&sp->cg, sp->pid, err) < 0)
		return -1;
	ct_crashpoint("start-cgroup-entered");
	memcpy(msg, "c\0\0\0\0\0\0\0", 8); /* 8: keeps the program aligned */
	if (ct_sec_filter_build(sp->cfg, msg + 8, sizeof(msg) - 8, &len, err) < 0)
		return -1;
	if (send(fd, msg, len + 8, MSG_NOSIGNAL) != (ssize_t)(len + 8)) {
		/* the child died during its setup: its own error says why */
		if (errno == EPIPE && wait_exec(sp, fd, err) < 0)
			return -1;
		return ct_errno(err, "cannot hand the seccomp filter over");
	}
	return 0;
}

int ct_spawn(struct ct_spawn *sp, ct_err_t *err)
{
	const struct ct_config *cfg = sp->cfg;
	unsigned long flags =
		CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | SIGCHLD;
	int fds[2];
	long pid;

	err->msg[0] = '\0';
	if (cfg->n_uidmap)
		flags |= CLONE_NEWUSER;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
		return ct_errno(err, "socketpair");
	pid = syscall(SYS_clone, flags, NULL, NULL, NULL, NULL);
	if (pid < 0) {
		ct_errno(err, "cannot create the container namespaces");
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		child_main(sp, fds[1]);
	}
	close(fds[1]);
	ct_trace("spawn: cloned");
	sp->pid = (pid_t)pid;
	if (parent_setup(sp, err) < 0 || send(fds[0], "g", 1, MSG_NOSIGNAL) != 1 ||
	    parent_setup_late(sp, fds[0], err) < 0 || wait_exec(sp, fds[0], err) < 0) {
		if (!err->msg[0])
			ct_errno(err, "cannot start the container init");
		close(fds[0]);
		kill(sp->pid, SIGKILL);
		while (waitpid(sp->pid, NULL, 0) < 0 && errno == EINTR)
			;
		sp->pid = 0;
		return -1;
	}
	close(fds[0]);
	return 0;
}
