/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for the store: nodes, permission hiding, node quotas, transaction conflicts. */
#include <errno.h>
#include <string.h>

#include "domain.h"
#include "quota.h"
#include "store.h"
#include "tap.h"
#include "txn.h"

void test_store_all(void);

static struct xs_ctx priv = {.who = {.domid = 0, .target = DOMID_NONE, .privileged = true}};
static struct xs_ctx dom5 = {.who = {.domid = 5, .target = DOMID_NONE}};
static struct xs_ctx dom6 = {.who = {.domid = 6, .target = DOMID_NONE}};

static const char *value_of(struct xs_ctx *c, const char *path)
{
	static char buf[256];
	struct xs_node *n;

	if (store_get_checked(c, path, PERM_READ, 0, &n))
		return NULL;
	memcpy(buf, node_value(n), n->vlen);
	buf[n->vlen] = 0;
	return buf;
}

static int w(struct xs_ctx *c, const char *path, const char *val)
{
	return store_write(c, path, val, (uint32_t)strlen(val), false);
}

static void test_basic(void)
{
	struct xs_node *n;

	tap_ok(w(&priv, "/a/b/c", "v") == 0, "store: write creates parents");
	tap_ok(value_of(&priv, "/a/b/c") && !strcmp(value_of(&priv, "/a/b/c"), "v"),
	       "store: read back");
	tap_ok(value_of(&priv, "/a/b") && !strcmp(value_of(&priv, "/a/b"), ""),
	       "store: intermediate node has an empty value");
	tap_ok(store_write(&priv, "/a/b", NULL, 0, true) == 0, "store: mkdir of existing node");
	store_lookup(&priv, "/a", 0, &n);
	tap_ok(n && n->clen == 2 && !memcmp(n->children, "b", 2), "store: children list");
	tap_ok(store_rm(&priv, "/a/nope") == 0, "store: rm of absent node under existing parent");
	tap_ok(store_rm(&priv, "/a/nope/deeper") == ENOENT, "store: rm with absent parent");
	tap_ok(store_rm(&priv, "/") == EINVAL, "store: rm / refused");
	uint32_t before = store_db.count;

	tap_ok(store_rm(&priv, "/a") == 0 && store_db.count == before - 3,
	       "store: rm is recursive");
	store_lookup(&priv, "/a/b/c", 0, &n);
	tap_ok(!n, "store: removed subtree is gone");
}

static void test_perms(void)
{
	struct xs_perm home[2] = {{5, 0}, {0, 0}};
	struct xs_node *n;

	w(&priv, "/local/domain/5", "");
	w(&priv, "/local/domain/6", "");
	tap_ok(store_set_perms(&priv, "/local/domain/5", home, 1) == 0, "perms: set owner");
	tap_ok(w(&dom5, "/local/domain/5/data/x", "1") == 0, "perms: owner writes below its home");
	store_lookup(&priv, "/local/domain/5/data/x", 0, &n);
	tap_ok(n && node_perms(n)[0].domid == 5, "perms: created node owned by its creator");
	tap_ok(store_get_checked(&dom6, "/local/domain/5/data/x", PERM_READ, 0, &n) == EACCES,
	       "perms: other domain cannot read");
	tap_ok(store_get_checked(&dom6, "/local/domain/5/nothing", PERM_READ, 0, &n) == EACCES,
	       "perms: other domain cannot learn that a node is absent");
	tap_ok(store_get_checked(&dom5, "/local/domain/5/nothing", PERM_READ, 0, &n) == ENOENT,
	       "perms: owner gets ENOENT");
	tap_ok(w(&dom6, "/local/domain/5/data/y", "1") == EACCES,
	       "perms: other domain cannot create");
	tap_ok(store_rm(&dom6, "/local/domain/5/data") == EACCES, "perms: other domain cannot rm");
	tap_ok(store_set_perms(&dom6, "/local/domain/5/data", home, 1) == EACCES,
	       "perms: non-owner cannot set perms");
	home[0].domid = 6;
	tap_ok(store_set_perms(&dom5, "/local/domain/5/data", home, 1) == EPERM,
	       "perms: unprivileged owner cannot give nodes away");
	home[0].domid = 5;
	home[1].domid = 6;
	home[1].perm = PERM_READ;
	tap_ok(store_set_perms(&dom5, "/local/domain/5/data/x", home, 2) == 0 &&
		       value_of(&dom6, "/local/domain/5/data/x") != NULL,
	       "perms: owner grants read");
	tap_ok(w(&dom6, "/local/domain/5/data/x", "2") == EACCES, "perms: read grant is not write");
}

static void test_quota(void)
{
	struct xs_domain *d = domain_get_or_create(5);
	char path[64];
	int rc = 0, made = 0;

	quota_set_value(&d->quota, QUOTA_NODES, "20");
	for (int i = 0; i < 40 && !rc; i++) {
		snprintf(path, sizeof(path), "/local/domain/5/q%d", i);
		rc = w(&dom5, path, "x");
		made += rc == 0;
	}
	tap_ok(rc == ENOSPC && domain_nodes(5) == 20, "quota: node flood stopped at the quota (%d)",
	       made);
	tap_ok(store_write(&dom5, "/local/domain/5/data/x", "v", 1, false) == 0,
	       "quota: changing an existing node still works");
	struct xs_perm p6 = {6, 0};

	store_set_perms(&priv, "/local/domain/6", &p6, 1);
	tap_ok(w(&dom6, "/local/domain/6/a", "1") == 0, "quota: other domains unaffected");
	char big[3000];

	memset(big, 'x', sizeof(big));
	tap_ok(store_write(&dom6, "/local/domain/6/a", big, sizeof(big), false) == ENOSPC,
	       "quota: node size");
	tap_ok(store_write(&priv, "/big", big, sizeof(big), false) == 0,
	       "quota: control domain not limited");
}

static void test_txn(void)
{
	struct xs_txn *t1 = txn_create(NULL, 1, &priv.who), *t2 = txn_create(NULL, 2, &priv.who);
	struct xs_ctx c1 = priv, c2 = priv;
	struct xs_node *n;

	c1.tx = t1;
	c2.tx = t2;
	w(&priv, "/t/x", "0");
	tap_ok(w(&c1, "/t/a", "1") == 0 && w(&c2, "/t/b", "2") == 0, "txn: writes inside");
	store_lookup(&priv, "/t/a", 0, &n);
	tap_ok(!n, "txn: uncommitted write invisible outside");
	store_lookup(&c1, "/t/a", 0, &n);
	tap_ok(n && n->vlen == 1, "txn: visible inside");
	tap_ok(txn_commit(t1) == 0 && txn_commit(t2) == 0,
	       "txn: sibling creations do not conflict");
	tap_ok(value_of(&priv, "/t/a") && value_of(&priv, "/t/b"), "txn: both committed");
	txn_destroy(t1);
	txn_destroy(t2);

	t1 = txn_create(NULL, 3, &priv.who);
	c1.tx = t1;
	value_of(&c1, "/t/x");
	w(&priv, "/t/x", "changed");
	w(&c1, "/t/y", "1");
	tap_ok(txn_commit(t1) == EAGAIN, "txn: read node changed outside -> EAGAIN");
	store_lookup(&priv, "/t/y", 0, &n);
	tap_ok(!n, "txn: failed commit applied nothing");
	txn_destroy(t1);

	t1 = txn_create(NULL, 4, &priv.who);
	c1.tx = t1;
	value_of(&c1, "/t/x");
	w(&priv, "/t/other", "z");
	w(&c1, "/t/x", "mine");
	tap_ok(txn_commit(t1) == 0 && !strcmp(value_of(&priv, "/t/x"), "mine"),
	       "txn: unrelated outside write -> commit");
	txn_destroy(t1);

	/* Judged by content: rewriting what the transaction read is no conflict. */
	t1 = txn_create(NULL, 40, &priv.who);
	c1.tx = t1;
	w(&priv, "/t/x", "same");
	value_of(&c1, "/t/x");
	w(&priv, "/t/x", "same");
	w(&c1, "/t/y", "after-same");
	tap_ok(txn_commit(t1) == 0 && !strcmp(value_of(&priv, "/t/y"), "after-same"),
	       "txn: read node rewritten with the same value -> commit");
	txn_destroy(t1);

	struct xs_perm p7 = {7, PERM_READ};

	t1 = txn_create(NULL, 41, &priv.who);
	c1.tx = t1;
	value_of(&c1, "/t/x");
	store_set_perms(&priv, "/t/x", &p7, 1);
	w(&c1, "/t/y", "perms");
	tap_ok(txn_commit(t1) == EAGAIN, "txn: same value, other permissions -> EAGAIN");
	txn_destroy(t1);

	t1 = txn_create(NULL, 42, &priv.who);
	c1.tx = t1;
	value_of(&c1, "/t/x");
	store_rm(&priv, "/t/x");
	w(&c1, "/t/y", "gone");
	tap_ok(txn_commit(t1) == EAGAIN, "txn: read node removed -> EAGAIN");
	txn_destroy(t1);

	t1 = txn_create(NULL, 43, &priv.who);
	c1.tx = t1;
	tap_ok(value_of(&c1, "/t/x") == NULL, "txn: absent node reads as absent");
	w(&priv, "/t/x", "");
	store_rm(&priv, "/t/x");
	w(&c1, "/t/y", "absent");
	tap_ok(txn_commit(t1) == 0, "txn: node created and removed again outside -> commit");
	txn_destroy(t1);

	/* A, B, A: the transaction read B in between, so its view was not the snapshot's. */
	w(&priv, "/t/x", "A");
	t1 = txn_create(NULL, 44, &priv.who);
	c1.tx = t1;
	value_of(&c1, "/t/x");
	w(&priv, "/t/x", "B");
	tap_ok(!strcmp(value_of(&c1, "/t/x"), "B"), "txn: reads see the store as it is");
	w(&priv, "/t/x", "A");
	w(&c1, "/t/y", "aba");
	tap_ok(txn_commit(t1) == EAGAIN, "txn: value changed and back while read -> EAGAIN");
	tap_ok(strcmp(value_of(&priv, "/t/y"), "aba") != 0, "txn: nothing of it applied");
	txn_destroy(t1);

	t1 = txn_create(NULL, 5, &priv.who);
	c1.tx = t1;
	store_get_checked(&c1, "/t", PERM_READ, NODE_DEP_CHILDREN, &n);
	w(&priv, "/t/new", "z");
	w(&c1, "/t/x", "again");
	tap_ok(txn_commit(t1) == EAGAIN, "txn: listed directory changed -> EAGAIN");
	txn_destroy(t1);

	t1 = txn_create(NULL, 6, &priv.who);
	c1.tx = t1;
	tap_ok(store_rm(&c1, "/t") == 0, "txn: rm inside");
	store_lookup(&c1, "/t/x", 0, &n);
	tap_ok(!n, "txn: removed subtree gone inside");
	store_lookup(&priv, "/t/x", 0, &n);
	tap_ok(n != NULL, "txn: still there outside");
	tap_ok(w(&c1, "/t/x", "re") == 0, "txn: re-create after rm inside");
	tap_ok(txn_commit(t1) == 0 && !value_of(&priv, "/t/a") &&
		       !strcmp(value_of(&priv, "/t/x"), "re"),
	       "txn: rm + re-create committed");
	txn_destroy(t1);
}

void test_store_all(void)
{
	quota_defaults(&quota_global);
	if (!tap_ok(domain_init() == 0 && store_init() == 0, "store: init"))
		return;
	test_basic();
	test_perms();
	test_quota();
	test_txn();
	store_fini();
	domain_fini();
}
