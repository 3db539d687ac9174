/* SPDX-License-Identifier: GPL-2.0-only */
/* The per-container monitor: owns the init, logs its output, serves the console socket. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "internal.h"

#define MON_MAX_CLIENTS 8
#define MON_LOG_MAX	(4 << 20) /* console.log is truncated beyond this */

struct monitor {
	struct ct_spawn *sp;
	int out;    /* pty master or read end of the output pipe */
	int log;    /* console.log */
	int listen; /* console.sock, -1 without a terminal */
	int sig;    /* signalfd: SIGCHLD */
	int clients[MON_MAX_CLIENTS];
};

static void mon_fail(struct ct_spawn *sp, int ready, const ct_err_t *err)
{
	char buf[CT_ERR_MSG_MAX + 16];
	int n = snprintf(buf, sizeof(buf), "%d %s", err->errnum, err->msg);

	(void)!write(ready, buf, (size_t)n);
	(void)ct_reclaim(sp->ctx, sp->name, NULL);
	_exit(1);
}

/* Sets up the init's stdio: a pty when the definition asks for a terminal, else a pipe. */
static int mon_stdio(struct monitor *m, ct_err_t *err)
{
	struct ct_spawn *sp = m->sp;
	int p[2];

	if (sp->cfg->terminal) {
		m->out = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (m->out < 0 || grantpt(m->out) < 0 || unlockpt(m->out) < 0 ||
		    ptsname_r(m->out, sp->console, sizeof(sp->console)) != 0)
			return ct_errno(err, "cannot allocate a pty");
		sp->console_fd = open(sp->console, O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (sp->console_fd < 0)
			return ct_errno(err, "cannot open %s", sp->console);
		return 0;
	}
	if (pipe2(p, O_CLOEXEC) < 0)
		return ct_errno(err, "pipe");
	m->out = p[0];
	sp->stdio[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	sp->stdio[1] = sp->stdio[2] = p[1];
	return 0;
}

static int mon_listen(struct monitor *m, ct_err_t *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char p[CT_PATH_MAX];

	ct_path(m->sp->ctx, m->sp->name, "console.sock", p, sizeof(p));
	if (strlen(p) >= sizeof(sa.sun_path))
		return ct_err(err, ENAMETOOLONG, "%s", p);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", p);
	unlink(p);
	m->listen = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (m->listen < 0 || bind(m->listen, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(p, 0600) < 0 || listen(m->listen, 4) < 0)
		return ct_errno(err, "cannot listen on %s", p);
	return 0;
}

static void mon_output(struct monitor *m)
{
	char buf[8192];
	ssize_t n = read(m->out, buf, sizeof(buf));

	if (n <= 0) {
		close(m->out); /* EOF or EIO when the last slave closed */
		m->out = -1;
		return;
	}
	if (lseek(m->log, 0, SEEK_END) > MON_LOG_MAX && ftruncate(m->log, 0) < 0)
		return;
	(void)!write(m->log, buf, (size_t)n);
	for (int i = 0; i < MON_MAX_CLIENTS; i++) {
		if (m->clients[i] >= 0 && send(m->clients[i], buf, (size_t)n, MSG_NOSIGNAL) < 0) {
			close(m->clients[i]);
			m->clients[i] = -1;
		}
	}
}

static void mon_accept(struct monitor *m)
{
	int c = accept4(m->listen, NULL, NULL, SOCK_CLOEXEC);

	if (c < 0)
		return;
	for (int i = 0; i < MON_MAX_CLIENTS; i++) {
		if (m->clients[i] < 0) {
			m->clients[i] = c;
			return;
		}
	}
	close(c);
}

static void mon_client(struct monitor *m, int i)
{
	char buf[4096];
	ssize_t n = recv(m->clients[i], buf, sizeof(buf), 0);

	if (n <= 0) {
		close(m->clients[i]);
		m->clients[i] = -1;
		return;
	}
	if (m->out >= 0)
		(void)!write(m->out, buf, (size_t)n);
}

/* Returns the init's wait status once it has exited. */
static int mon_loop(struct monitor *m)
{
	for (;;) {
		struct pollfd pf[3 + MON_MAX_CLIENTS];
		int n = 0, st;

		pf[n++] = (struct pollfd){.fd = m->sig, .events = POLLIN};
		pf[n++] = (struct pollfd){.fd = m->out, .events = POLLIN};
		pf[n++] = (struct pollfd){.fd = m->listen, .events = POLLIN};
		for (int i = 0; i < MON_MAX_CLIENTS; i++)
			pf[n++] = (struct pollfd){.fd = m->clients[i], .events = POLLIN};
		if (poll(pf, (nfds_t)n, -1) < 0 && errno != EINTR)
			return -1;
		if (pf[1].revents)
			mon_output(m);
		if (pf[2].revents)
			mon_accept(m);
		for (int i = 0; i < MON_MAX_CLIENTS; i++) {
			if (pf[3 + i].revents && m->clients[i] >= 0)
				mon_client(m, i);
		}
		if (pf[0].revents) {
			struct signalfd_siginfo si;

			(void)!read(m->sig, &si, sizeof(si));
			if (waitpid(m->sp->pid, &st, WNOHANG) == m->sp->pid)
				return st;
		}
	}
}

void ct_monitor_run(struct ct_spawn *sp, int ready)
{
	struct monitor m = {.sp = sp, .out = -1, .listen = -1};
	char p[CT_PATH_MAX];
	ct_err_t err = {0};
	sigset_t set;
	int st, null = open("/dev/null", O_RDWR);

	for (int i = 0; i < MON_MAX_CLIENTS; i++)
		m.clients[i] = -1;
	for (int i = 0; i < 3 && null >= 0; i++)
		dup2(null, i);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	m.sig = signalfd(-1, &set, SFD_CLOEXEC);
	ct_path(sp->ctx, sp->name, "console.log", p, sizeof(p));
	m.log = open(p, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (m.sig < 0 || m.log < 0)
		mon_fail(sp, ready, (ct_errno(&err, "monitor setup"), &err));
	if (mon_stdio(&m, &err) < 0 || (sp->cfg->terminal && mon_listen(&m, &err) < 0))
		mon_fail(sp, ready, &err);
	ct_crashpoint("start-monitor");
	if (ct_spawn(sp, &err) < 0 || ct_record_started(sp, &err) < 0) {
		if (sp->pid > 0)
			kill(sp->pid, SIGKILL);
		mon_fail(sp, ready, &err);
	}
	/* the init holds its ends now; EOF on m.out means every writer is gone */
	for (int i = 0; i < 3; i++) {
		if (sp->stdio[i] >= 0 && (i == 0 || sp->stdio[i] != sp->stdio[i - 1]))
			close(sp->stdio[i]);
	}
	if (sp->console_fd >= 0)
		close(sp->console_fd);
	ct_crashpoint("start-running");
	(void)!write(ready, "0\n", 2);
	close(ready);
	st = mon_loop(&m);
	while (m.out >= 0)
		mon_output(&m); /* drain what the init wrote last */
	ct_record_stopped(sp->ctx, sp->name, st);
	ct_path(sp->ctx, sp->name, "console.sock", p, sizeof(p));
	unlink(p);
	_exit(0);
}
