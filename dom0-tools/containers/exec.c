/* SPDX-License-Identifier: GPL-2.0-only */
/* exec into a running container, and the console client (Ctrl-] detaches). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "internal.h"

extern char **environ;

static const struct {
	const char *name;
	int type;
} exec_ns[] = {
	{"user", CLONE_NEWUSER}, {"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS},
	{"net", CLONE_NEWNET},	 {"pid", CLONE_NEWPID}, {"cgroup", CLONE_NEWCGROUP},
	{"mnt", CLONE_NEWNS},
};
#define EXEC_NS_N (sizeof(exec_ns) / sizeof(exec_ns[0]))

/* Opens /proc/PID/ns/NS for each namespace the container has apart from ours. */
static int open_ns(pid_t pid, int fds[EXEC_NS_N], ct_err_t *err)
{
	for (size_t i = 0; i < EXEC_NS_N; i++) {
		char p[64], self[64];
		struct stat a, b;

		fds[i] = -1;
		snprintf(p, sizeof(p), "/proc/%d/ns/%s", (int)pid, exec_ns[i].name);
		snprintf(self, sizeof(self), "/proc/self/ns/%s", exec_ns[i].name);
		if (stat(p, &a) < 0)
			return ct_errno(err, "cannot open %s", p);
		if (stat(self, &b) == 0 && a.st_ino == b.st_ino)
			continue;
		fds[i] = open(p, O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0)
			return ct_errno(err, "cannot open %s", p);
	}
	return 0;
}

static void __attribute__((noreturn)) exec_inner(const struct ct_config *cfg, char *const argv[])
{
	ct_err_t err = {0};
	static char path[] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	static char cont[] = "container=hospes";
	char *envp[CT_MAX_ENV + 4];
	size_t n = 0;

	/* not dumpable until exec: container processes cannot open /proc/PID/exe (hx) */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	envp[n++] = path;
	envp[n++] = cont;
	for (unsigned i = 0; i < cfg->n_env; i++)
		envp[n++] = cfg->env[i];
	envp[n] = NULL;
	if (cfg->n_uidmap && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)) {
		perror("hx: cannot become root in the container user namespace");
		_exit(126);
	}
	if (chdir(cfg->cwd) < 0 && chdir("/") < 0)
		_exit(126);
	if (ct_sec_creds(cfg, &err) < 0 || ct_sec_seccomp(cfg, &err) < 0) {
		char buf[CT_ERR_MSG_MAX + 64];

		fprintf(stderr, "hx: %s\n", ct_err_str(&err, buf, sizeof(buf)));
		_exit(126);
	}
	environ = envp;
	execvp(argv[0], argv);
	fprintf(stderr, "hx: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* In the forked child: joins the namespaces, forks into the pid namespace, relays the status. */
static void __attribute__((noreturn))
exec_child(const struct ct_config *cfg, int fds[EXEC_NS_N], int sync, char *const argv[])
{
	char go;
	pid_t pid;
	int st;

	if (read(sync, &go, 1) != 1)
		_exit(126);
	for (size_t i = 0; i < EXEC_NS_N; i++) {
		if (fds[i] >= 0 && setns(fds[i], exec_ns[i].type) < 0) {
			fprintf(stderr, "hx: cannot join the %s namespace: %s\n", exec_ns[i].name,
				strerror(errno));
			_exit(126);
		}
	}
	pid = fork();
	if (pid < 0)
		_exit(126);
	if (pid == 0)
		exec_inner(cfg, argv);
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			_exit(126);
	}
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

int ct_exec(struct ct_ctx *ctx, const char *name, char *const argv[], ct_err_t *err)
{
	struct ct_status st;
	struct ct_config cfg;
	struct ct_cgroup cg;
	char p[CT_PATH_MAX];
	int fds[EXEC_NS_N], sync[2], ws, rc = -1;
	pid_t pid;

	if (ct_status_get(ctx, name, &st, err) < 0)
		return -1;
	if (st.state != CT_RUNNING)
		return ct_err(err, 0, "container '%s' is %s", name, ct_state_name(st.state));
	err->msg[0] = '\0';
	ct_path(ctx, name, "config.xml", p, sizeof(p));
	if (ct_config_load_stored(&cfg, p, err) < 0)
		return -1;
	if (ct_rootless_adjust(&cfg, err) < 0) {
		ct_config_free(&cfg);
		return -1;
	}
	for (size_t i = 0; i < EXEC_NS_N; i++)
		fds[i] = -1;
	if (ct_cgroup_init(&cg, ctx->cgparent, name, err) < 0 || open_ns(st.pid, fds, err) < 0)
		goto out;
	ct_cgroup_trim(&cg, &cfg); /* the hierarchies the init joined */
	if (pipe2(sync, O_CLOEXEC) < 0) {
		ct_errno(err, "pipe");
		goto out;
	}
	pid = fork();
	if (pid == 0) {
		close(sync[1]);
		exec_child(&cfg, fds, sync[0], argv);
	}
	close(sync[0]);
	if (pid < 0 || ct_cgroup_enter(&cg, pid, err) < 0 || write(sync[1], "g", 1) != 1) {
		if (pid > 0)
			kill(pid, SIGKILL);
		if (!err->msg[0])
			ct_errno(err, "cannot start the command");
	}
	close(sync[1]);
	while (pid > 0 && waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	if (pid > 0 && !err->msg[0])
		rc = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
out:
	for (size_t i = 0; i < EXEC_NS_N; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
	}
	ct_config_free(&cfg);
	return rc;
}

/* ---- console client ------------------------------------------------------------------------ */

#define CT_ESCAPE 0x1d /* Ctrl-] */

static int console_pump(int sock)
{
	char buf[4096];

	for (;;) {
		struct pollfd pf[2] = {{.fd = 0, .events = POLLIN}, {.fd = sock, .events = POLLIN}};
		ssize_t n;

		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (pf[0].revents) {
			n = read(0, buf, sizeof(buf));
			if (n <= 0)
				return 0;
			if (memchr(buf, CT_ESCAPE, (size_t)n))
				return 0;
			if (send(sock, buf, (size_t)n, MSG_NOSIGNAL) < 0)
				return 0;
		}
		if (pf[1].revents) {
			n = recv(sock, buf, sizeof(buf), 0);
			if (n <= 0)
				return 1; /* the container went away */
			(void)!write(1, buf, (size_t)n);
		}
	}
}

int ct_console(struct ct_ctx *ctx, const char *name, ct_err_t *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct termios old, raw;
	struct ct_status st;
	bool tty = isatty(0) && tcgetattr(0, &old) == 0;
	int sock, rc;

	if (ct_status_get(ctx, name, &st, err) < 0)
		return -1;
	if (st.state == CT_STOPPED)
		return ct_err(err, 0, "container '%s' is not running", name);
	if (!st.terminal)
		return ct_err(err, 0,
			      "container '%s' has no console (set <init terminal=\"true\">); "
			      "see 'hx container logs %s'",
			      name, name);
	ct_path(ctx, name, "console.sock", sa.sun_path, sizeof(sa.sun_path));
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0 || connect(sock, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ct_errno(err, "cannot connect to the console of '%s'", name);
		if (sock >= 0)
			close(sock);
		return -1;
	}
	fprintf(stderr, "Connected to %s (escape character is Ctrl-])\r\n", name);
	if (tty) {
		raw = old;
		cfmakeraw(&raw);
		tcsetattr(0, TCSANOW, &raw);
	}
	rc = console_pump(sock);
	if (tty)
		tcsetattr(0, TCSANOW, &old);
	close(sock);
	fprintf(stderr, rc == 1 ? "\nContainer %s exited\n" : "\nDetached from %s\n", name);
	return 0;
}
