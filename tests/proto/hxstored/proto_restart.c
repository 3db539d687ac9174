/* SPDX-License-Identifier: GPL-2.0-only */
/* Restart without loss: live handover to a new process, and stop/start through a state file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ptest.h"

static bool rd(struct hx_xs *h, const char *path, const char *want)
{
	char *v = NULL;
	uint32_t len;
	bool ok = hx_xs_read(h, 0, path, &v, &len) == 0 && len == strlen(want) &&
		  !memcmp(v, want, len);

	free(v);
	return ok;
}

static bool ev(struct hx_xs *h, const char *path, const char *tok)
{
	char *p, *t;
	bool ok;

	if (hx_xs_read_watch(h, &p, &t, 2000))
		return false;
	ok = !strcmp(p, path) && !strcmp(t, tok);
	if (!ok)
		fprintf(stderr, "# event %s %s, wanted %s %s\n", p, t, path, tok);
	free(p);
	return ok;
}

static bool perms_are(struct hx_xs *h, const char *path, const char *want, uint32_t wlen)
{
	char *p = NULL;
	uint32_t len;
	bool ok =
		hx_xs_get_perms(h, 0, path, &p, &len) == 0 && len == wlen && !memcmp(p, want, len);

	free(p);
	return ok;
}

static bool log_has(const char *what)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "grep -q '%s' %s/hxstored.log", what, pt_dir);
	return system(cmd) == 0;
}

static void test_live_update(void)
{
	struct hx_xs *h = pt_open(), *h2 = pt_open(), *h3 = pt_open();
	const char *lu[] = {"live-update"}, *own1[] = {"n1"}, *p2[] = {"n0", "r5"};
	struct pt_guest g1;
	uint32_t tx;
	pid_t before = pt_pid;
	char *out = NULL;

	hx_xs_write_str(h, 0, "/lu/a", "1");
	hx_xs_set_perms(h, 0, "/lu/a", p2, 2);
	hx_xs_watch(h, "/lu", "lu");
	ev(h, "/lu", "lu");
	hx_xs_mkdir(h, 0, "/local/domain/1");
	hx_xs_set_perms(h, 0, "/local/domain/1", own1, 1);
	if (!pt_ok(pt_guest_new(h, 1, &g1) == 0, "live update: guest 1 on a ring"))
		return;
	hx_xs_write_str(g1.h, 0, "x/v", "guest");
	hx_xs_watch(g1.h, "x", "gw");
	ev(g1.h, "x", "gw");
	hx_xs_tx_start(h2, &tx);
	pt_ok(hx_xs_control(h3, lu, 1, NULL, NULL) == -EBUSY,
	      "live update refused while a transaction is open");
	hx_xs_tx_end(h2, tx, false);
	for (int round = 1; round <= 2; round++) {
		pt_ok(hx_xs_control(h3, lu, 1, &out, NULL) == 0 && !strcmp(out, "OK"),
		      "live update %d: OK", round);
		free(out);
		out = NULL;
		pt_ok(rd(h, "/lu/a", "1") && perms_are(h, "/lu/a", "n0\0r5\0", 6),
		      "live update %d: tree and permissions kept, same socket connection", round);
		hx_xs_write_str(h3, 0, "/lu/b", "2");
		pt_ok(ev(h, "/lu/b", "lu"), "live update %d: socket watch still fires", round);
		pt_ok(rd(g1.h, "x/v", "guest"), "live update %d: guest ring still connected",
		      round);
		hx_xs_write_str(h, 0, "/local/domain/1/x/new", "n");
		pt_ok(ev(g1.h, "x/new", "gw"), "live update %d: guest watch still fires", round);
	}
	pt_ok(pt_pid == before && pt_daemon_alive() && log_has("live update: resumed"),
	      "live update: new program image in the same process");
	pt_guest_close(&g1);
	hx_xs_close(h);
	hx_xs_close(h2);
	hx_xs_close(h3);
}

static void test_state_file(void)
{
	char file[400];
	const char *extra[] = {"--state-file", file, NULL};
	const char *p[] = {"n3", "r4"}, *qs[] = {"quota-set", "nodes", "777"}, *q[] = {"quota"};
	struct hx_xs *h;
	bool yes = false;
	char *out = NULL;

	snprintf(file, sizeof(file), "%s/state", pt_dir);
	pt_daemon_start(extra);
	h = pt_open();
	hx_xs_write_str(h, 0, "/keep/a", "alpha");
	hx_xs_write(h, 0, "/keep/bin", "\0\1\2", 3);
	hx_xs_set_perms(h, 0, "/keep/a", p, 2);
	hx_xs_introduce(h, 9, 99, 3);
	hx_xs_control(h, qs, 3, NULL, NULL);
	hx_xs_close(h);
	pt_ok(pt_daemon_stop(), "state file: daemon saved and exited cleanly");
	pt_daemon_start(extra);
	h = pt_open();
	pt_ok(rd(h, "/keep/a", "alpha") && perms_are(h, "/keep/a", "n3\0r4\0", 6),
	      "state file: nodes and permissions survive a restart");
	char *v = NULL;
	uint32_t len = 0;

	pt_ok(hx_xs_read(h, 0, "/keep/bin", &v, &len) == 0 && len == 3 && !memcmp(v, "\0\1\2", 3),
	      "state file: binary values survive");
	free(v);
	pt_ok(hx_xs_is_introduced(h, 9, &yes) == 0 && yes, "state file: domains survive");
	pt_ok(hx_xs_control(h, q, 1, &out, NULL) == 0 && strstr(out, "777"),
	      "state file: quotas survive");
	free(out);
	hx_xs_close(h);
	pt_ok(pt_daemon_stop(), "state file: second run exits cleanly");
}

void pt_restart_tests(void)
{
	pt_daemon_start(NULL);
	test_live_update();
	pt_ok(pt_daemon_stop(), "live update: daemon exits cleanly (no sanitizer report)");
	test_state_file();
}
