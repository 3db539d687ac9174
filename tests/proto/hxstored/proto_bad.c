/* SPDX-License-Identifier: GPL-2.0-only */
/* Malformed input over the socket: each gets an error or a closed connection, others carry on. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ptest.h"

static char reply[70000];

/* True when the daemon closed fd (EOF) within a second. */
static bool closed_by_daemon(int fd)
{
	struct hx_xs_msg_hdr h;

	return pt_raw_recv(fd, &h, reply, 1000) == -1;
}

static bool err_is(int fd, uint32_t type, const void *body, uint32_t len, const char *name)
{
	int t = pt_raw_call(fd, type, body, len, reply);

	if (t != HX_XS_ERROR || strcmp(reply, name)) {
		fprintf(stderr, "# type %u: got reply type %d '%s', wanted %s\n", type, t, reply,
			name);
		return false;
	}
	return true;
}

/* A fresh client still gets served. */
static bool others_fine(struct hx_xs *h)
{
	char *v = NULL;
	uint32_t len;
	bool ok = hx_xs_write_str(h, 0, "/alive", "yes") == 0 &&
		  hx_xs_read(h, 0, "/alive", &v, &len) == 0 && len == 3;

	free(v);
	return ok && pt_daemon_alive();
}

static void test_framing(struct hx_xs *h)
{
	struct hx_xs_msg_hdr big = {.type = HX_XS_READ, .len = 5000};
	int fd = pt_raw_connect();

	pt_ok(send(fd, &big, sizeof(big), 0) == sizeof(big) && closed_by_daemon(fd),
	      "oversized length (5000) -> connection closed");
	close(fd);
	fd = pt_raw_connect();
	big.len = 0xffffffffu;
	pt_ok(send(fd, &big, sizeof(big), 0) == sizeof(big) && closed_by_daemon(fd),
	      "length 0xffffffff -> connection closed");
	close(fd);
	pt_ok(others_fine(h), "other clients carry on after framing errors");
	fd = pt_raw_connect();
	big.len = 100;
	pt_ok(send(fd, &big, sizeof(big), 0) == sizeof(big) && send(fd, "/half", 5, 0) == 5,
	      "send half a message");
	close(fd);
	fd = pt_raw_connect();
	pt_ok(send(fd, &big, 7, 0) == 7, "send half a header");
	close(fd);
	pt_ok(others_fine(h), "client vanishing mid-message does not hurt others");
}

static void test_payloads(struct hx_xs *h)
{
	int fd = pt_raw_connect();

	pt_ok(err_is(fd, HX_XS_READ, "/abc", 4, "EINVAL"), "READ without NUL -> EINVAL");
	pt_ok(err_is(fd, HX_XS_READ, "", 0, "EINVAL"), "READ with empty body -> EINVAL");
	pt_ok(err_is(fd, HX_XS_READ, "/a\0/b", 6, "EINVAL"), "READ with two strings -> EINVAL");
	pt_ok(err_is(fd, HX_XS_WRITE, "/novalue", 8, "EINVAL"), "WRITE without NUL -> EINVAL");
	pt_ok(err_is(fd, HX_XS_WRITE, "/a b\0v", 6, "EINVAL"), "space in path -> EINVAL");
	pt_ok(err_is(fd, HX_XS_WRITE, "/a//b\0v", 7, "EINVAL"), "double slash -> EINVAL");
	pt_ok(err_is(fd, HX_XS_WRITE, "/a/\0v", 5, "EINVAL"), "trailing slash -> EINVAL");
	pt_ok(err_is(fd, HX_XS_WRITE, "/a\xff\0v", 5, "EINVAL"), "high byte in path -> EINVAL");
	pt_ok(err_is(fd, HX_XS_MKDIR, "@introduceDomain", 17, "EINVAL"),
	      "special path where not allowed -> EINVAL");
	pt_ok(err_is(fd, HX_XS_WATCH, "/a", 3, "EINVAL"), "WATCH without token -> EINVAL");
	pt_ok(err_is(fd, HX_XS_WATCH, "/a\0t\0x", 7, "EINVAL"), "WATCH with bad depth -> EINVAL");
	pt_ok(err_is(fd, HX_XS_SET_PERMS, "/alive\0r1", 9, "EINVAL"),
	      "SET_PERMS entry without NUL -> EINVAL");
	pt_ok(err_is(fd, HX_XS_SET_PERMS, "/alive\0", 7, "EINVAL"), "SET_PERMS without entries");
	pt_ok(err_is(fd, HX_XS_INTRODUCE, "1\0x\0y", 6, "EINVAL"), "INTRODUCE garbage -> EINVAL");
	pt_ok(err_is(fd, HX_XS_DIRECTORY_PART, "/\0zz", 5, "EINVAL"), "DIRECTORY_PART bad offset");
	char path[3200];

	memset(path, 'a', sizeof(path));
	path[0] = '/';
	path[3100] = 0;
	pt_ok(err_is(fd, HX_XS_WRITE, path, 3101, "EINVAL"), "path over 3072 bytes -> EINVAL");
	close(fd);
	pt_ok(others_fine(h), "daemon serves others after bad payloads");
}

static void test_vanish_in_tx(struct hx_xs *h)
{
	struct hx_err err;
	struct hx_xs *v = hx_xs_open(pt_sock, &err);
	uint32_t tx;
	char *val;
	uint32_t len;

	if (!v || hx_xs_tx_start(v, &tx) || hx_xs_write_str(v, tx, "/vanish/x", "1")) {
		pt_ok(0, "set up a transaction to abandon");
		hx_xs_close(v);
		return;
	}
	hx_xs_close(v);
	usleep(100000);
	pt_ok(hx_xs_read(h, 0, "/vanish/x", &val, &len) == -ENOENT,
	      "client vanishing mid-transaction: nothing committed");
	pt_ok(others_fine(h), "client vanishing mid-transaction: daemon fine");
}

static void test_garbage(struct hx_xs *h)
{
	unsigned seed = 12345;

	for (int round = 0; round < 50; round++) {
		char buf[2048];
		int fd = pt_raw_connect();

		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = (char)rand_r(&seed);
		/* keep lengths small so the daemon parses many random headers */
		for (size_t i = 12; i + 4 <= sizeof(buf); i += 64)
			buf[i + 1] = buf[i + 2] = buf[i + 3] = 0;
		if (send(fd, buf, sizeof(buf), MSG_NOSIGNAL) < 0)
			break;
		close(fd);
	}
	pt_ok(others_fine(h), "50 connections of random bytes: daemon fine");
}

void pt_malformed_tests(void)
{
	struct hx_xs *h;

	pt_daemon_start(NULL);
	h = pt_open();
	test_framing(h);
	test_payloads(h);
	test_vanish_in_tx(h);
	test_garbage(h);
	hx_xs_close(h);
	pt_ok(pt_daemon_stop(), "malformed: daemon exits cleanly (no sanitizer report)");
}
