/* SPDX-License-Identifier: GPL-2.0-only */
/* Protocol tests over host rings: unprivileged domains, permissions, quotas, broken rings. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
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

static int rd_err(struct hx_xs *h, const char *path)
{
	char *v = NULL;
	uint32_t len;
	int rc = hx_xs_read(h, 0, path, &v, &len);

	free(v);
	return rc;
}

static bool ev(struct hx_xs *h, const char *path, int ms)
{
	char *p, *t;
	bool ok;

	if (hx_xs_read_watch(h, &p, &t, ms))
		return false;
	ok = !strcmp(p, path);
	if (!ok)
		fprintf(stderr, "# event %s, wanted %s\n", p, path);
	free(p);
	return ok;
}

static void setup_domain(struct hx_xs *a, unsigned d)
{
	char home[64], name[80], data[80], r[16], o[16];
	const char *hp[2] = {"n0", r}, *dp[1] = {o};

	snprintf(home, sizeof(home), "/local/domain/%u", d);
	snprintf(name, sizeof(name), "%s/name", home);
	snprintf(data, sizeof(data), "%s/data", home);
	snprintf(r, sizeof(r), "r%u", d);
	snprintf(o, sizeof(o), "n%u", d);
	hx_xs_write_str(a, 0, name, "guest");
	hx_xs_set_perms(a, 0, home, hp, 2);
	hx_xs_set_perms(a, 0, name, hp, 2);
	hx_xs_mkdir(a, 0, data);
	hx_xs_set_perms(a, 0, data, dp, 1);
}

static void test_isolation(struct hx_xs *a, struct pt_guest *g1, struct pt_guest *g2)
{
	char **l;
	unsigned n;
	char *p;
	uint32_t len;

	pt_ok(hx_xs_write_str(g1->h, 0, "data/secret", "s3") == 0,
	      "ring: guest writes relative path");
	pt_ok(rd(a, "/local/domain/1/data/secret", "s3"), "ring: toolstack reads it back");
	pt_ok(rd(g1->h, "name", "guest") && rd(g1->h, "/local/domain/1/name", "guest"),
	      "ring: guest reads its read-only node");
	pt_ok(hx_xs_write_str(g1->h, 0, "name", "evil") == -EACCES,
	      "ring: read-only node -> EACCES");
	pt_ok(rd_err(g2->h, "/local/domain/1/data/secret") == -EACCES,
	      "isolation: other domain's private node -> EACCES");
	pt_ok(rd_err(g2->h, "/local/domain/1/data/nothing") == -EACCES &&
		      rd_err(g2->h, "/local/domain/1/nothing") == -EACCES &&
		      rd_err(g2->h, "/local/domain/99/nothing") == -EACCES,
	      "isolation: absent nodes look the same as private ones");
	pt_ok(hx_xs_directory(g2->h, 0, "/local/domain/1", &l, &n) == -EACCES &&
		      hx_xs_directory(g2->h, 0, "/local/domain", &l, &n) == -EACCES,
	      "isolation: cannot list other domains");
	pt_ok(hx_xs_write_str(g2->h, 0, "/local/domain/1/data/x", "1") == -EACCES &&
		      hx_xs_rm(g2->h, 0, "/local/domain/1/data/secret") == -EACCES &&
		      hx_xs_mkdir(g2->h, 0, "/local/domain/1/data/y") == -EACCES,
	      "isolation: cannot write, rm or mkdir there");
	pt_ok(hx_xs_get_perms(g2->h, 0, "/local/domain/1/data/secret", &p, &len) == -EACCES,
	      "isolation: cannot read permissions");
	const char *mine[] = {"b2"};

	pt_ok(hx_xs_set_perms(g2->h, 0, "/local/domain/1/data/secret", mine, 1) == -EACCES,
	      "isolation: cannot set permissions");
	pt_ok(hx_xs_write_str(g2->h, 0, "/local/domain/2/x", "1") == -EACCES,
	      "isolation: own home is read-only above data/");
	pt_ok(hx_xs_watch(g2->h, "/local/domain/1/data", "spy") == 0 &&
		      ev(g2->h, "/local/domain/1/data", 2000),
	      "watch events: registration gives only the initial event");
	hx_xs_watch(a, "/local/domain/1/data", "tool");
	ev(a, "/local/domain/1/data", 2000);
	hx_xs_write_str(g1->h, 0, "data/secret2", "x");
	pt_ok(ev(a, "/local/domain/1/data/secret2", 2000),
	      "watch events: toolstack sees the write");
	pt_ok(!ev(g2->h, "/local/domain/1/data/secret2", 200),
	      "watch events: other domain does not see the private write");
	hx_xs_rm(g1->h, 0, "data/secret2");
	pt_ok(ev(a, "/local/domain/1/data/secret2", 2000) &&
		      !ev(g2->h, "/local/domain/1/data/secret2", 200),
	      "watch events: nor the removal");
	hx_xs_unwatch(a, "/local/domain/1/data", "tool");
	pt_ok(hx_xs_watch(g1->h, "data", "rel") == 0 && ev(g1->h, "data", 2000),
	      "ring: relative watch, relative first event");
	hx_xs_write_str(a, 0, "/local/domain/1/data/fromtool", "1");
	pt_ok(ev(g1->h, "data/fromtool", 2000), "ring: relative event path");
	hx_xs_unwatch(g1->h, "data", "rel");
	const char *own1[] = {"n1"};

	hx_xs_write_str(a, 0, "/priv/g1", "");
	hx_xs_set_perms(a, 0, "/priv/g1", own1, 1);
	hx_xs_watch(g1->h, "/priv/g1", "mine");
	ev(g1->h, "/priv/g1", 2000);
	hx_xs_watch(g2->h, "/priv/g1", "other");
	ev(g2->h, "/priv/g1", 2000);
	hx_xs_rm(a, 0, "/priv");
	pt_ok(ev(g1->h, "/priv/g1", 2000), "watch events: removal of an unreadable parent reaches "
					   "the owner of a watched node below it");
	pt_ok(!ev(g2->h, "/priv/g1", 200), "watch events: but not a domain that cannot read it");
	hx_xs_unwatch(g1->h, "/priv/g1", "mine");
	hx_xs_unwatch(g2->h, "/priv/g1", "other");
}

static void test_privileged_ops(struct pt_guest *g2)
{
	char *out;
	uint32_t len;
	const char *c[] = {"help"};

	pt_ok(hx_xs_watch(g2->h, "@introduceDomain", "x") == -EACCES,
	      "unprivileged: @introduceDomain watch -> EACCES");
	pt_ok(hx_xs_introduce(g2->h, 9, 1, 1) == -EACCES && hx_xs_release(g2->h, 1) == -EACCES,
	      "unprivileged: introduce/release -> EACCES");
	pt_ok(hx_xs_control(g2->h, c, 1, &out, &len) == -EACCES, "unprivileged: control -> EACCES");
	pt_ok(hx_xs_set_target(g2->h, 2, 1) == -EACCES, "unprivileged: set_target -> EACCES");
}

static void test_quotas(struct hx_xs *a, struct pt_guest *g1, struct pt_guest *g2)
{
	const char *qs[] = {"quota-set", "nodes", "30", "2"};
	char path[64];
	int rc = 0, made = 0, w = 0;
	uint32_t tx[16];

	pt_ok(hx_xs_control(a, qs, 4, NULL, NULL) == 0, "quota: set nodes=30 for domain 2");
	for (int i = 0; i < 100 && !rc; i++) {
		snprintf(path, sizeof(path), "data/flood%d", i);
		rc = hx_xs_write_str(g2->h, 0, path, "x");
		made += rc == 0;
	}
	pt_ok(rc == -ENOSPC && made < 30, "quota: node flood stopped with ENOSPC after %d", made);
	pt_ok(hx_xs_write_str(g1->h, 0, "data/ok", "1") == 0, "quota: other domain unaffected");
	rc = 0;
	for (int i = 0; i < 200 && !rc; i++) {
		snprintf(path, sizeof(path), "w%d", i);
		rc = hx_xs_watch(g2->h, "data", path);
		if (!rc) {
			w++;
			ev(g2->h, "data", 2000);
		}
	}
	pt_ok(rc == -E2BIG && w == 127, "quota: watch flood stopped at 128 watches (%d new)", w);
	pt_ok(hx_xs_watch(g1->h, "data", "more") == 0, "quota: other domain can still watch");
	hx_xs_reset_watches(g2->h);
	int t = 0;

	rc = 0;
	while (t < 16 && !(rc = hx_xs_tx_start(g2->h, &tx[t])))
		t++;
	pt_ok(rc == -ENOSPC && t == 10, "quota: 10 transactions, then ENOSPC (%d)", t);
	while (t--)
		hx_xs_tx_end(g2->h, tx[t], false);
	char big[2100];

	memset(big, 'v', sizeof(big));
	pt_ok(hx_xs_write(g1->h, 0, "data/big", big, 2100) == -ENOSPC, "quota: node size");
}

/* Puts one whole message into a guest's request ring, never reading replies; false on a stall. */
static bool ring_put(struct pt_guest *g, const char *data, uint32_t len)
{
	uint32_t prod = g->ring->req_prod;
	uint32_t cons = __atomic_load_n(&g->ring->req_cons, __ATOMIC_ACQUIRE);
	uint64_t one = 1;

	for (int tries = 0; HX_XS_RING_SIZE - (prod - cons) < len; tries++) {
		if (tries == 20)
			return false;
		usleep(5000);
		cons = __atomic_load_n(&g->ring->req_cons, __ATOMIC_ACQUIRE);
	}
	for (uint32_t i = 0; i < len; i++)
		g->ring->req[HX_XS_RING_IDX(prod + i)] = data[i];
	__atomic_store_n(&g->ring->req_prod, prod + len, __ATOMIC_RELEASE);
	return write(g->kick_fd, &one, 8) == 8;
}

static void test_outstanding(struct hx_xs *a)
{
	struct pt_guest g;
	char msg[sizeof(struct hx_xs_msg_hdr) + 5];
	struct hx_xs_msg_hdr h = {.type = HX_XS_READ, .req_id = 9, .len = 5};
	int sent = 0;
	uint32_t used;

	if (!pt_ok(pt_guest_new(a, 6, &g) == 0, "introduce guest 6"))
		return;
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), "/nop", 5);
	while (sent < 200 && ring_put(&g, msg, sizeof(msg)))
		sent++;
	used = g.ring->rsp_prod - g.ring->rsp_cons;
	pt_ok(sent < 200 && used <= HX_XS_RING_SIZE,
	      "outstanding: a domain that never reads replies is stopped (%d requests taken)",
	      sent);
	pt_ok(rd(a, "/local/domain/1/name", "guest"), "outstanding: other clients unaffected");
	int rc = rd_err(g.h, "/nop");

	pt_ok(rc == -EACCES, "outstanding: the domain resumes once it reads (%d %s)", rc,
	      hx_xs_error(g.h)->msg);
	hx_xs_release(a, 6);
	pt_guest_close(&g);
}

static void test_big_values(struct pt_guest *g1)
{
	char val[2000], *out = NULL;
	uint32_t len;
	bool ok = true;

	for (int i = 0; i < 30 && ok; i++) {
		memset(val, 'a' + i % 26, sizeof(val));
		ok = hx_xs_write(g1->h, 0, "data/blob", val, sizeof(val)) == 0 &&
		     hx_xs_read(g1->h, 0, "data/blob", &out, &len) == 0 && len == sizeof(val) &&
		     !memcmp(out, val, len);
		free(out);
		out = NULL;
	}
	pt_ok(ok, "ring: 2000-byte values across ring wrap-around, 30 times");
}

static void test_broken_rings(struct hx_xs *a)
{
	struct pt_guest g4, g5;
	struct hx_xs_msg_hdr h = {.type = HX_XS_READ, .len = 6000};
	uint64_t one = 1;
	bool yes = false;

	if (!pt_ok(pt_guest_new(a, 4, &g4) == 0 && pt_guest_new(a, 5, &g5) == 0,
		   "introduce guests 4 and 5"))
		return;
	g4.ring->req_prod = g4.ring->req_cons + 3000;
	if (write(g4.kick_fd, &one, 8) != 8)
		return;
	for (int i = 0; i < 100 && !g4.ring->error; i++)
		usleep(10000);
	pt_ok(g4.ring->error == HX_XS_RING_ERR_RINGIDX,
	      "corrupt ring indices -> error 2 in the page");
	memcpy(g5.ring->req, &h, sizeof(h));
	__atomic_store_n(&g5.ring->req_prod, sizeof(h), __ATOMIC_RELEASE);
	if (write(g5.kick_fd, &one, 8) != 8)
		return;
	for (int i = 0; i < 100 && !g5.ring->error; i++)
		usleep(10000);
	pt_ok(g5.ring->error == HX_XS_RING_ERR_PROTO, "oversized message on a ring -> error 3");
	pt_ok(rd(a, "/local/domain/1/name", "guest") && pt_daemon_alive(),
	      "broken rings: daemon serves others");
	pt_ok(hx_xs_is_introduced(a, 4, &yes) == 0 && yes, "broken ring: domain stays introduced");
	hx_xs_release(a, 4);
	hx_xs_release(a, 5);
	pt_guest_close(&g4);
	pt_guest_close(&g5);
}

static void test_unsealable(struct hx_xs *a)
{
	int fds[3] = {memfd_create("plain", MFD_CLOEXEC), eventfd(0, EFD_CLOEXEC),
		      eventfd(0, EFD_CLOEXEC)};
	struct iovec v = {.iov_base = "7\0"
				      "1007\0"
				      "17",
			  .iov_len = 10};
	bool yes = true;

	if (fds[0] < 0 || ftruncate(fds[0], 4096))
		return;
	pt_ok(hx_xs_request_fds(a, 0, HX_XS_INTRODUCE, &v, 1, fds, 3, NULL, NULL) == -EINVAL &&
		      hx_xs_is_introduced(a, 7, &yes) == 0 && !yes,
	      "host ring: a page that could shrink under the daemon is refused");
	for (int i = 0; i < 3; i++)
		close(fds[i]);
}

static void test_target_release(struct hx_xs *a, struct pt_guest *g2)
{
	struct pt_guest g3;

	if (!pt_ok(pt_guest_new(a, 3, &g3) == 0, "introduce stubdom 3"))
		return;
	pt_ok(rd_err(g3.h, "/local/domain/1/data/secret") == -EACCES, "stubdom: no access before");
	pt_ok(hx_xs_set_target(a, 3, 1) == 0 && rd(g3.h, "/local/domain/1/data/secret", "s3"),
	      "set_target: stubdom reads its target's nodes");
	hx_xs_release(a, 3);
	pt_guest_close(&g3);
	hx_xs_watch(a, "@releaseDomain", "rel");
	ev(a, "@releaseDomain", 2000);
	pt_ok(hx_xs_release(a, 2) == 0 && ev(a, "@releaseDomain", 2000),
	      "release fires @releaseDomain");
	pt_ok(rd_err(a, "/local/domain/2/data") == -ENOENT &&
		      rd(a, "/local/domain/2/name", "guest"),
	      "release removes the nodes the domain owned");
	pt_ok(rd_err(g2->h, "name") != 0, "released domain's ring is disconnected");
}

static void test_reconnect(struct pt_guest *g1)
{
	uint64_t one = 1;

	__atomic_store_n(&g1->ring->connection, HX_XS_RING_RECONNECT, __ATOMIC_RELEASE);
	if (write(g1->kick_fd, &one, 8) != 8)
		return;
	for (int i = 0; i < 100 && g1->ring->connection; i++)
		usleep(10000);
	pt_ok(g1->ring->connection == HX_XS_RING_CONNECTED && g1->ring->req_prod == 0,
	      "ring reconnect: indices reset, connected again");
	pt_ok(rd(g1->h, "name", "guest"), "ring reconnect: guest talks again");
}

void pt_ring_tests(void)
{
	struct pt_guest g1, g2;
	struct hx_xs *a;

	pt_daemon_start(NULL);
	a = pt_open();
	setup_domain(a, 1);
	setup_domain(a, 2);
	if (!pt_ok(pt_guest_new(a, 1, &g1) == 0 && pt_guest_new(a, 2, &g2) == 0,
		   "introduce guests 1 and 2 with host rings")) {
		pt_daemon_stop();
		return;
	}
	test_isolation(a, &g1, &g2);
	test_privileged_ops(&g2);
	test_quotas(a, &g1, &g2);
	test_big_values(&g1);
	test_outstanding(a);
	test_broken_rings(a);
	test_unsealable(a);
	test_target_release(a, &g2);
	test_reconnect(&g1);
	pt_guest_close(&g1);
	pt_guest_close(&g2);
	hx_xs_close(a);
	pt_ok(pt_daemon_stop(), "ring: daemon exits cleanly (no sanitizer report)");
}
