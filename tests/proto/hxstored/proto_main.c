/* SPDX-License-Identifier: GPL-2.0-only */
/* hxstored protocol tests: harness (daemon process, raw messages, test guests) and main. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ptest.h"

int tap_failures;
const char *pt_daemon_bin;
char pt_dir[64];
char pt_sock[100];
pid_t pt_pid = -1;

int pt_ok(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s - ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!ok)
		tap_failures++;
	return ok;
}

static void pt_sleep_ms(int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

pid_t pt_daemon_start(const char *const *extra)
{
	char log[400];
	const char *argv[32];
	const char *loop = getenv("HXSTORED_PROTO_LOOP"); /* e.g. --epoll */
	int n = 0;

	snprintf(log, sizeof(log), "%s/hxstored.log", pt_dir);
	argv[n++] = pt_daemon_bin;
	argv[n++] = "--socket";
	argv[n++] = pt_sock;
	argv[n++] = "--ring-backend";
	argv[n++] = "host";
	argv[n++] = "--log-file";
	argv[n++] = log;
	if (loop && *loop)
		argv[n++] = loop;
	for (int i = 0; extra && extra[i] && n < 30; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	unlink(pt_sock);
	pt_pid = fork();
	if (pt_pid == 0) {
		/* Do not outlive a crashed test program (it would hold the test log open). */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		execv(pt_daemon_bin, (char *const *)argv);
		_exit(127);
	}
	for (int i = 0; i < 500; i++) {
		int fd = pt_raw_connect();

		if (fd >= 0) {
			close(fd);
			return pt_pid;
		}
		pt_sleep_ms(10);
	}
	fprintf(stderr, "daemon did not come up\n");
	exit(1);
}

bool pt_daemon_alive(void)
{
	return pt_pid > 0 && waitpid(pt_pid, NULL, WNOHANG) == 0;
}

bool pt_daemon_stop(void)
{
	int st = 0;

	if (pt_pid <= 0)
		return false;
	kill(pt_pid, SIGTERM);
	if (waitpid(pt_pid, &st, 0) != pt_pid)
		return false;
	pt_pid = -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

struct hx_xs *pt_open(void)
{
	struct hx_err err;
	struct hx_xs *h = hx_xs_open(pt_sock, &err);

	if (!h) {
		fprintf(stderr, "cannot connect: %s\n", err.msg);
		exit(1);
	}
	return h;
}

int pt_raw_connect(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", pt_sock);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return fd;
	if (fd >= 0)
		close(fd);
	return -1;
}

int pt_raw_send(int fd, uint32_t type, uint32_t req, uint32_t tx, const void *body, uint32_t len)
{
	struct hx_xs_msg_hdr h = {.type = type, .req_id = req, .tx_id = tx, .len = len};
	char buf[sizeof(h) + 65536];

	if (len > 65536)
		return -1;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), body, len);
	return send(fd, buf, sizeof(h) + len, MSG_NOSIGNAL) == (ssize_t)(sizeof(h) + len) ? 0 : -1;
}

static int pt_read_full(int fd, void *buf, size_t len, int timeout_ms)
{
	size_t got = 0;

	while (got < len) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (poll(&p, 1, timeout_ms) <= 0)
			return -2;
		n = read(fd, (char *)buf + got, len - got);
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

int pt_raw_recv(int fd, struct hx_xs_msg_hdr *h, char *body, int timeout_ms)
{
	int rc = pt_read_full(fd, h, sizeof(*h), timeout_ms);

	if (rc)
		return rc;
	if (h->len > 65536)
		return -1;
	rc = pt_read_full(fd, body, h->len, timeout_ms);
	if (rc)
		return rc;
	body[h->len] = 0;
	return (int)h->len;
}

int pt_raw_call(int fd, uint32_t type, const void *body, uint32_t len, char *reply)
{
	struct hx_xs_msg_hdr h;

	if (pt_raw_send(fd, type, 77, 0, body, len))
		return -1;
	do {
		if (pt_raw_recv(fd, &h, reply, 2000) < 0)
			return -1;
	} while (h.type == HX_XS_WATCH_EVENT);
	return h.req_id == 77 ? (int)h.type : -1;
}

int pt_guest_new(struct hx_xs *admin, unsigned domid, struct pt_guest *g)
{
	struct hx_err err;
	char body[64];
	int fds[3], n, rc;

	memset(g, 0, sizeof(*g));
	g->domid = domid;
	g->memfd = memfd_create("xs-ring", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	g->kick_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	g->wait_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (g->memfd < 0 || g->kick_fd < 0 || g->wait_fd < 0 || ftruncate(g->memfd, 4096))
		return -errno;
	g->ring = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, g->memfd, 0);
	if (g->ring == MAP_FAILED)
		return -errno;
	fds[0] = g->memfd;
	fds[1] = g->kick_fd;
	fds[2] = g->wait_fd;
	n = snprintf(body, sizeof(body), "%u%c%u%c%u", domid, 0, 1000 + domid, 0, 10 + domid);
	struct iovec v = {.iov_base = body, .iov_len = (size_t)n + 1};

	rc = hx_xs_request_fds(admin, 0, HX_XS_INTRODUCE, &v, 1, fds, 3, NULL, NULL);
	if (rc)
		return rc;
	g->h = hx_xs_open_ring(g->ring, g->kick_fd, g->wait_fd, &err);
	return g->h ? 0 : -err.code;
}

void pt_guest_close(struct pt_guest *g)
{
	hx_xs_close(g->h);
	munmap(g->ring, 4096);
	close(g->memfd);
	close(g->kick_fd);
	close(g->wait_fd);
	g->h = NULL;
}

int main(int argc, char **argv)
{
	const char *only = argc > 2 ? argv[2] : "";

	if (argc < 2) {
		fprintf(stderr, "usage: %s HXSTORED-BINARY [socket|malformed|ring|restart]\n",
			argv[0]);
		return 2;
	}
	pt_daemon_bin = argv[1];
	snprintf(pt_dir, sizeof(pt_dir), "/tmp/hxstored-proto.XXXXXX");
	if (!mkdtemp(pt_dir))
		return 1;
	snprintf(pt_sock, sizeof(pt_sock), "%s/socket", pt_dir);
	signal(SIGPIPE, SIG_IGN);
	if (!*only || !strcmp(only, "socket"))
		pt_socket_tests();
	if (!*only || !strcmp(only, "malformed"))
		pt_malformed_tests();
	if (!*only || !strcmp(only, "ring"))
		pt_ring_tests();
	if (!*only || !strcmp(only, "restart"))
		pt_restart_tests();
	if (tap_failures) {
		char cmd[400];

		snprintf(cmd, sizeof(cmd), "tail -30 %s/hxstored.log >&2", pt_dir);
		if (system(cmd) != 0)
			fprintf(stderr, "no daemon log\n");
	}
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", pt_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot clean %s\n", pt_dir);
	return tap_failures ? 1 : 0;
}
