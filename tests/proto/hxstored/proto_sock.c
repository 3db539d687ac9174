/* SPDX-License-Identifier: GPL-2.0-only */
/* Protocol tests over the Unix socket: every message type, watches, transactions. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ptest.h"

static bool read_is(struct hx_xs *h, uint32_t tx, const char *path, const char *want)
{
	char *v = NULL;
	uint32_t len;
	bool ok = hx_xs_read(h, tx, path, &v, &len) == 0 && len == strlen(want) &&
		  !memcmp(v, want, len);

	free(v);
	return ok;
}

static bool event_is(struct hx_xs *h, const char *path, const char *token)
{
	char *p, *t;
	bool ok;

	if (hx_xs_read_watch(h, &p, &t, 2000))
		return false;
	ok = !strcmp(p, path) && !strcmp(t, token);
	if (!ok)
		fprintf(stderr, "# event %s/%s, wanted %s/%s\n", p, t, path, token);
	free(p);
	return ok;
}

static bool no_event(struct hx_xs *h, int ms)
{
	char *p, *t;

	if (hx_xs_read_watch(h, &p, &t, ms) == -ETIMEDOUT)
		return true;
	fprintf(stderr, "# unexpected event %s (%s)\n", p, t);
	free(p);
	return false;
}

/*
 * A write's watch events go out before its reply: once the writer has the reply, the event
 * is already readable on the watcher's connection (no wait at all). Repeated, as the other
 * order only loses a race now and then.
 */
static bool events_before_replies(struct hx_xs *watcher, struct hx_xs *writer)
{
	int early = 0, rounds = 200;
	char *p, *t;

	for (int i = 0; i < rounds; i++) {
		if (hx_xs_write_str(writer, 0, "/w/order", "1"))
			return false;
		if (hx_xs_read_watch(watcher, &p, &t, 0) == 0) {
			early += !strcmp(p, "/w/order");
			free(p);
		} else if (event_is(watcher, "/w/order", "tok")) {
			continue; /* late: counted as a failure, the queue stays in step */
		} else {
			return false;
		}
	}
	if (early != rounds)
		fprintf(stderr, "# %d of %d events came after the reply\n", rounds - early, rounds);
	return early == rounds;
}

static void test_nodes(struct hx_xs *h)
{
	char **list, *perms;
	unsigned n;
	uint32_t len;
	struct stat st;

	pt_ok(stat(pt_sock, &st) == 0 && (st.st_mode & 0777) == 0600, "socket: mode 0600");
	pt_ok(hx_xs_write_str(h, 0, "/tool/a", "1") == 0, "write creates parents");
	pt_ok(read_is(h, 0, "/tool/a", "1"), "read back");
	pt_ok(hx_xs_write(h, 0, "/tool/bin", "x\0y", 3) == 0 &&
		      hx_xs_read(h, 0, "/tool/bin", &perms, &len) == 0 && len == 3 &&
		      !memcmp(perms, "x\0y", 3),
	      "values may hold NUL bytes");
	free(perms);
	pt_ok(hx_xs_write(h, 0, "/tool/empty", "", 0) == 0 && read_is(h, 0, "/tool/empty", ""),
	      "empty value");
	pt_ok(hx_xs_mkdir(h, 0, "/tool/dir") == 0 && hx_xs_mkdir(h, 0, "/tool/dir") == 0,
	      "mkdir, twice");
	pt_ok(hx_xs_directory(h, 0, "/tool", &list, &n) == 0 && n == 4 && !strcmp(list[0], "a") &&
		      !strcmp(list[3], "dir"),
	      "directory lists children in creation order");
	free(list);
	pt_ok(hx_xs_read(h, 0, "/tool/nope", &perms, &len) == -ENOENT &&
		      !strcmp(hx_xs_error(h)->msg, "ENOENT"),
	      "missing node -> ENOENT");
	pt_ok(hx_xs_rm(h, 0, "/tool/nope") == 0, "rm of absent node is OK");
	pt_ok(hx_xs_rm(h, 0, "/tool/nope/x") == -ENOENT, "rm with absent parent -> ENOENT");
	const char *p[] = {"n0", "r5", "b7"};

	pt_ok(hx_xs_set_perms(h, 0, "/tool/a", p, 3) == 0, "set perms");
	pt_ok(hx_xs_get_perms(h, 0, "/tool/a", &perms, &len) == 0 && len == 9 &&
		      !memcmp(perms, "n0\0r5\0b7\0", 9),
	      "get perms");
	free(perms);
	const char *bad[] = {"x0"};

	pt_ok(hx_xs_set_perms(h, 0, "/tool/a", bad, 1) == -EINVAL, "bad permission -> EINVAL");
	pt_ok(hx_xs_get_perms(h, 0, "@introduceDomain", &perms, &len) == 0,
	      "perms of @introduceDomain");
	free(perms);
	pt_ok(hx_xs_rm(h, 0, "/tool") == 0 && hx_xs_read(h, 0, "/tool/a", &perms, &len) == -ENOENT,
	      "rm is recursive");
	pt_ok(hx_xs_rm(h, 0, "/") == -EINVAL, "rm / refused");
}

static void test_dir_part(struct hx_xs *h)
{
	char path[64], *out, **list;
	unsigned n, got = 0;
	uint32_t off = 0, len;
	bool order = true;

	for (int i = 0; i < 500; i++) {
		snprintf(path, sizeof(path), "/big/child-number-%03d", i);
		hx_xs_write_str(h, 0, path, "");
	}
	pt_ok(hx_xs_directory(h, 0, "/big", &list, &n) == -E2BIG, "directory over 4096 -> E2BIG");
	for (int round = 0; round < 10; round++) {
		char body[64];
		int bl = snprintf(body, sizeof(body), "/big%c%u", 0, off) + 1;
		struct iovec v = {.iov_base = body, .iov_len = (size_t)bl};

		if (hx_xs_request(h, 0, HX_XS_DIRECTORY_PART, &v, 1, &out, &len))
			break;
		char *s = out + strlen(out) + 1; /* skip the generation */
		bool end = false;

		while (s < out + len) {
			if (!*s) {
				end = true;
				break;
			}
			snprintf(path, sizeof(path), "child-number-%03u", got);
			order &= !strcmp(s, path);
			got++;
			off += (uint32_t)strlen(s) + 1;
			s += strlen(s) + 1;
		}
		free(out);
		if (end)
			break;
	}
	pt_ok(got == 500 && order, "directory_part returns all 500 children in order (%u)", got);
	hx_xs_rm(h, 0, "/big");
}

static void test_watches(struct hx_xs *h, struct hx_xs *h2)
{
	pt_ok(hx_xs_watch(h, "/w", "tok") == 0 && event_is(h, "/w", "tok"),
	      "watch: OK then immediate event");
	pt_ok(hx_xs_watch(h, "/w", "tok") == -EEXIST, "watch: duplicate -> EEXIST");
	hx_xs_write_str(h2, 0, "/w/x", "1");
	pt_ok(event_is(h, "/w/x", "tok"), "watch: write below fires with the changed path");
	hx_xs_write_str(h2, 0, "/other", "1");
	pt_ok(no_event(h, 100), "watch: unrelated write does not fire");
	pt_ok(hx_xs_watch(h, "/d", "depth") == 0, "watch: register for depth test");
	event_is(h, "/d", "depth");
	{
		struct iovec v[3] = {{"/dd", 4}, {"t0", 3}, {"0", 2}};

		pt_ok(hx_xs_request(h, 0, HX_XS_WATCH, v, 3, NULL, NULL) == 0 &&
			      event_is(h, "/dd", "t0"),
		      "watch: depth argument accepted");
		hx_xs_write_str(h2, 0, "/dd/deep", "1");
		pt_ok(no_event(h, 100), "watch: depth 0 ignores children");
		hx_xs_write_str(h2, 0, "/dd", "v");
		pt_ok(event_is(h, "/dd", "t0"), "watch: depth 0 sees the node itself");
	}
	hx_xs_write_str(h2, 0, "/d/a/b", "1");
	event_is(h, "/d/a/b", "depth");
	pt_ok(hx_xs_watch(h, "/d/a/b/c", "below") == 0 && event_is(h, "/d/a/b/c", "below"),
	      "watch: below a node");
	hx_xs_rm(h2, 0, "/d/a");
	char *p1, *t1, *p2, *t2;
	bool ok = hx_xs_read_watch(h, &p1, &t1, 2000) == 0 &&
		  hx_xs_read_watch(h, &p2, &t2, 2000) == 0;

	pt_ok(ok && ((!strcmp(p1, "/d/a") && !strcmp(p2, "/d/a/b/c")) ||
		     (!strcmp(p2, "/d/a") && !strcmp(p1, "/d/a/b/c"))),
	      "watch: rm fires the removed path and watches below it");
	if (ok) {
		free(p1);
		free(p2);
	}
	pt_ok(events_before_replies(h, h2), "watch: events leave before the writer's reply");
	pt_ok(hx_xs_unwatch(h, "/w", "tok") == 0, "unwatch");
	hx_xs_write_str(h2, 0, "/w/y", "1");
	pt_ok(no_event(h, 100), "unwatch: no more events");
	pt_ok(hx_xs_unwatch(h, "/w", "tok") == -ENOENT, "unwatch unknown -> ENOENT");
	pt_ok(hx_xs_watch(h, "@introduceDomain", "dom") == 0 &&
		      event_is(h, "@introduceDomain", "dom"),
	      "watch @introduceDomain");
	pt_ok(hx_xs_watch(h, "@releaseDomain", "rel") == 0 && event_is(h, "@releaseDomain", "rel"),
	      "watch @releaseDomain");
	pt_ok(hx_xs_introduce(h2, 44, 1234, 5) == 0 && event_is(h, "@introduceDomain", "dom"),
	      "introduce fires @introduceDomain");
	bool yes = false;

	pt_ok(hx_xs_is_introduced(h2, 44, &yes) == 0 && yes, "is_domain_introduced T");
	pt_ok(hx_xs_introduce(h2, 44, 1234, 5) == 0, "introduce again with same ring is OK");
	pt_ok(hx_xs_introduce(h2, 44, 99, 5) == -EEXIST,
	      "introduce again with another ring -> EEXIST");
	pt_ok(hx_xs_release(h2, 44) == 0 && event_is(h, "@releaseDomain", "rel"),
	      "release fires @releaseDomain");
	pt_ok(hx_xs_is_introduced(h2, 44, &yes) == 0 && !yes, "is_domain_introduced F");
	pt_ok(hx_xs_release(h2, 44) == -ENOENT, "release unknown -> ENOENT");
	pt_ok(hx_xs_reset_watches(h) == 0, "reset_watches");
	hx_xs_write_str(h2, 0, "/dd", "again");
	pt_ok(no_event(h, 100), "reset_watches: no more events");
}

static int tx_incr(struct hx_xs *h, uint32_t tx, void *arg)
{
	char *v, buf[32];
	uint32_t len;
	int rc = hx_xs_read(h, tx, "/ctr", &v, &len);

	if (rc)
		return rc;
	snprintf(buf, sizeof(buf), "%ld", strtol(v, NULL, 10) + 1);
	free(v);
	return hx_xs_write_str(h, tx, "/ctr", buf);
}

static void test_transactions(struct hx_xs *h, struct hx_xs *h2)
{
	uint32_t t1, t2;

	hx_xs_write_str(h, 0, "/tx/x", "0");
	pt_ok(hx_xs_tx_start(h, &t1) == 0 && t1 != 0, "transaction start");
	pt_ok(hx_xs_write_str(h, t1, "/tx/new", "1") == 0 && read_is(h, t1, "/tx/new", "1"),
	      "transaction: own writes visible inside");
	char *v;
	uint32_t len;

	pt_ok(hx_xs_read(h2, 0, "/tx/new", &v, &len) == -ENOENT, "transaction: invisible outside");
	pt_ok(hx_xs_tx_end(h, t1, true) == 0 && read_is(h2, 0, "/tx/new", "1"), "commit");
	hx_xs_tx_start(h, &t1);
	hx_xs_write_str(h, t1, "/tx/aborted", "1");
	pt_ok(hx_xs_tx_end(h, t1, false) == 0 &&
		      hx_xs_read(h, 0, "/tx/aborted", &v, &len) == -ENOENT,
	      "abort discards");
	hx_xs_tx_start(h, &t1);
	hx_xs_tx_start(h2, &t2);
	read_is(h, t1, "/tx/x", "0");
	hx_xs_write_str(h, t1, "/tx/x", "from-1");
	read_is(h2, t2, "/tx/x", "0");
	hx_xs_write_str(h2, t2, "/tx/x", "from-2");
	pt_ok(hx_xs_tx_end(h, t1, true) == 0, "first conflicting commit succeeds");
	pt_ok(hx_xs_tx_end(h2, t2, true) == -EAGAIN, "second conflicting commit -> EAGAIN");
	pt_ok(read_is(h, 0, "/tx/x", "from-1"), "loser changed nothing");
	hx_xs_tx_start(h, &t1);
	hx_xs_tx_start(h2, &t2);
	hx_xs_write_str(h, t1, "/tx/p/a", "1");
	hx_xs_write_str(h2, t2, "/tx/q/b", "1");
	pt_ok(hx_xs_tx_end(h, t1, true) == 0 && hx_xs_tx_end(h2, t2, true) == 0,
	      "disjoint transactions both commit");
	pt_ok(hx_xs_read(h, 12345, "/tx/x", &v, &len) == -ENOENT, "unknown tx_id -> ENOENT");
	pt_ok(hx_xs_tx_end(h, 12345, true) == -ENOENT, "end unknown transaction -> ENOENT");
	{
		struct iovec iv = {"", 1};

		hx_xs_tx_start(h, &t1);
		pt_ok(hx_xs_request(h, t1, HX_XS_TRANSACTION_START, &iv, 1, NULL, NULL) == -EBUSY,
		      "nested transaction start -> EBUSY");
		struct iovec bad = {"X", 2};

		pt_ok(hx_xs_request(h, t1, HX_XS_TRANSACTION_END, &bad, 1, NULL, NULL) == -EINVAL,
		      "transaction end with bad argument -> EINVAL");
		hx_xs_tx_end(h, t1, false);
	}
	hx_xs_write_str(h, 0, "/ctr", "0");
	for (int i = 0; i < 20; i++) {
		hx_xs_transact(h, tx_incr, NULL, 100);
		hx_xs_transact(h2, tx_incr, NULL, 100);
	}
	pt_ok(read_is(h, 0, "/ctr", "40"), "transact helper: 40 increments");
}

static void test_domains_misc(struct hx_xs *h)
{
	char *out, buf[64];
	uint32_t len;
	int fd = pt_raw_connect();

	pt_ok(hx_xs_get_domain_path(h, 7, &out) == 0 && !strcmp(out, "/local/domain/7"),
	      "get_domain_path");
	free(out);
	pt_ok(hx_xs_get_domain_path(h, 70000, &out) == -EINVAL, "get_domain_path bad domid");
	pt_ok(hx_xs_set_target(h, 8, 9) == -ENOENT, "set_target of unknown domains -> ENOENT");
	pt_ok(pt_raw_call(fd, HX_XS_RESUME, "8", 2, buf) == HX_XS_ERROR && !strcmp(buf, "ENOENT"),
	      "resume unknown -> ENOENT");
	pt_ok(pt_raw_call(fd, HX_XS_RESTRICT, "1", 2, buf) == HX_XS_ERROR && !strcmp(buf, "EINVAL"),
	      "RESTRICT (removed) -> EINVAL");
	pt_ok(pt_raw_call(fd, HX_XS_WATCH_EVENT, "a\0b", 4, buf) == HX_XS_ERROR,
	      "client-sent WATCH_EVENT -> error");
	for (uint32_t t = HX_XS_GET_FEATURE; t <= HX_XS_SET_QUOTA; t++)
		pt_ok(pt_raw_call(fd, t, "", 1, buf) == HX_XS_ERROR && !strcmp(buf, "ENOSYS"),
		      "type %u -> ENOSYS", t);
	pt_ok(pt_raw_call(fd, 1000, "", 1, buf) == HX_XS_ERROR && !strcmp(buf, "ENOSYS"),
	      "unknown type -> ENOSYS");
	close(fd);
	const char *help[] = {"help"}, *lg[] = {"log", "debug"}, *lgi[] = {"log", "info"};
	const char *q[] = {"quota"}, *qs[] = {"quota-set", "nodes", "1500"};
	const char *mr[] = {"memreport"}, *ck[] = {"check"}, *bad[] = {"frobnicate"};

	pt_ok(hx_xs_control(h, help, 1, &out, &len) == 0 && strstr(out, "quota"), "control help");
	free(out);
	pt_ok(hx_xs_control(h, lg, 2, &out, &len) == 0 && !strcmp(out, "debug") &&
		      hx_xs_control(h, lgi, 2, NULL, NULL) == 0,
	      "control log level");
	free(out);
	pt_ok(hx_xs_control(h, qs, 3, NULL, NULL) == 0 && hx_xs_control(h, q, 1, &out, &len) == 0 &&
		      strstr(out, "nodes") && strstr(out, "1500"),
	      "control quota-set / quota");
	free(out);
	pt_ok(hx_xs_control(h, mr, 1, &out, &len) == 0 && strstr(out, "nodes "),
	      "control memreport");
	free(out);
	pt_ok(hx_xs_control(h, ck, 1, &out, &len) == 0, "control check");
	free(out);
	pt_ok(hx_xs_control(h, bad, 1, NULL, NULL) == -EINVAL, "control unknown -> EINVAL");
	qs[2] = "1000";
	hx_xs_control(h, qs, 3, NULL, NULL);
}

/*
 * A client that sends many requests before reading any reply: the replies (6 MB) overflow
 * its socket and the daemon's backlog limit, so the daemon stops reading it, waits until the
 * socket takes more and resumes. Every reply arrives, in order, and others are served meanwhile.
 */
static void test_late_reader(struct hx_xs *h)
{
	enum {
		REQS = 1500,
		VLEN = 4000,
		REQ_LEN = sizeof(struct hx_xs_msg_hdr) + 10
	};
	static char val[VLEN], body[70000], reqs[REQS * REQ_LEN];
	struct hx_xs_msg_hdr rh;
	int fd = pt_raw_connect(), sent = 0, got = 0;
	char *v = NULL;
	uint32_t len;

	memset(val, 'v', sizeof(val));
	if (hx_xs_write(h, 0, "/late/big", val, VLEN)) {
		pt_ok(0, "late reader: set up a big value");
		close(fd);
		return;
	}
	/* One send: a client blocked sending while the daemon waits for it to read would hang. */
	for (; sent < REQS; sent++) {
		struct hx_xs_msg_hdr q = {
			.type = HX_XS_READ, .req_id = (uint32_t)sent + 1, .len = 10};

		memcpy(reqs + sent * REQ_LEN, &q, sizeof(q));
		memcpy(reqs + sent * REQ_LEN + sizeof(q), "/late/big", 10);
	}
	if (send(fd, reqs, sizeof(reqs), MSG_NOSIGNAL) != (ssize_t)sizeof(reqs))
		sent = 0;
	usleep(100000); /* the daemon fills the socket and stops reading this client */
	pt_ok(hx_xs_read(h, 0, "/late/big", &v, &len) == 0 && len == VLEN,
	      "late reader: others are served while its replies wait");
	free(v);
	while (got < sent && pt_raw_recv(fd, &rh, body, 2000) == VLEN && rh.type == HX_XS_READ &&
	       rh.req_id == (uint32_t)got + 1)
		got++;
	pt_ok(sent == REQS && got == REQS, "late reader: %d of %d replies, in order", got, REQS);
	close(fd);
}

/*
 * A watcher that reads nothing while 2000 events pile up: its socket fills, sends to it come
 * back short, and once it reads, every event still arrives, whole and in order, though the
 * writer has gone quiet by then (nothing else wakes the daemon up).
 */
static void test_late_watcher(struct hx_xs *h)
{
	enum {
		EVENTS = 2000
	};
	struct hx_xs *w = pt_open();
	char path[64], *p, *t;
	int wrote = 0, got = 0;

	if (hx_xs_watch(w, "/lw", "late") || !event_is(w, "/lw", "late")) {
		pt_ok(0, "late watcher: watch /lw");
		hx_xs_close(w);
		return;
	}
	for (; wrote < EVENTS; wrote++) {
		snprintf(path, sizeof(path), "/lw/key-with-a-longer-name-%05d", wrote);
		if (hx_xs_write_str(h, 0, path, "v"))
			break;
	}
	usleep(50000);
	for (; got < wrote; got++) {
		bool ok;

		snprintf(path, sizeof(path), "/lw/key-with-a-longer-name-%05d", got);
		if (hx_xs_read_watch(w, &p, &t, 2000))
			break;
		ok = !strcmp(p, path) && !strcmp(t, "late");
		free(p);
		if (!ok)
			break;
	}
	pt_ok(wrote == EVENTS && got == EVENTS, "late watcher: %d of %d events, in order", got,
	      EVENTS);
	hx_xs_close(w);
}

void pt_socket_tests(void)
{
	struct hx_xs *h, *h2;

	pt_daemon_start(NULL);
	h = pt_open();
	h2 = pt_open();
	test_nodes(h);
	test_dir_part(h);
	test_watches(h, h2);
	test_transactions(h, h2);
	test_domains_misc(h);
	test_late_reader(h);
	test_late_watcher(h);
	hx_xs_close(h);
	hx_xs_close(h2);
	pt_ok(pt_daemon_stop(), "socket: daemon exits cleanly (no sanitizer report)");
}
