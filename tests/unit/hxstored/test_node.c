/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for hxstored's nodes: one-allocation layout, moves on resize, the hash table. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node.h"
#include "tap.h"

void test_node_all(void);

static struct xs_node *find(const struct xs_nodetab *t, const char *path)
{
	return nodetab_find(t, path, node_hash(path, strlen(path)));
}

static void test_table(void)
{
	static const struct xs_perm p0 = {.domid = 0, .perm = 0};
	struct xs_nodetab t;
	char path[32];
	int found = 0;

	nodetab_init(&t, 2);
	for (int i = 0; i < 1000; i++) {
		snprintf(path, sizeof(path), "/t/n%d", i);
		nodetab_insert(&t, node_alloc(path, strlen(path), &p0, 1));
	}
	for (int i = 0; i < 1000; i++) {
		snprintf(path, sizeof(path), "/t/n%d", i);
		struct xs_node *n = find(&t, path);

		found += n && !strcmp(n->path, path) && n->plen == strlen(path);
	}
	tap_ok(found == 1000 && t.count == 1000 && t.mask + 1 >= 500,
	       "node table: grows, every path found");
	struct xs_node *gone = find(&t, "/t/n7");

	nodetab_remove(&t, gone);
	tap_ok(!find(&t, "/t/n7") && find(&t, "/t/n8") && t.count == 999, "node table: remove");
	node_free(gone);
	nodetab_destroy(&t);
}

static void test_resize(void)
{
	struct xs_perm p[5] = {{1, 0}, {2, PERM_READ}, {3, PERM_WRITE}, {4, PERM_BOTH}, {5, 1}};
	struct xs_nodetab t;
	struct xs_node *n;
	char big[3000];

	memset(big, 'v', sizeof(big));
	nodetab_init(&t, 1);
	nodetab_insert(&t, node_alloc("/a", 2, p, 1));
	nodetab_insert(&t, node_alloc("/b", 2, p, 1));
	n = find(&t, "/a");
	tap_ok(node_set_value(&t, &n, "hello", 5) == 0 && n == find(&t, "/a") && n->vlen == 5 &&
		       !memcmp(node_value(n), "hello", 5),
	       "node: value stored inline");
	tap_ok(node_set_value(&t, &n, big, sizeof(big)) == 0 && n == find(&t, "/a") &&
		       n->vlen == sizeof(big) && !memcmp(node_value(n), big, sizeof(big)) &&
		       !strcmp(n->path, "/a") && find(&t, "/b"),
	       "node: a bigger value (the node may move): the table follows");
	tap_ok(node_set_perms(&t, &n, p, 5) == 0 && n == find(&t, "/a") && n->nperms == 5 &&
		       !memcmp(node_perms(n), p, sizeof(p)) &&
		       !memcmp(node_value(n), big, sizeof(big)),
	       "node: more permission entries keep the value");
	tap_ok(node_set_perms(&t, &n, p + 3, 2) == 0 && n == find(&t, "/a") && n->nperms == 2 &&
		       node_perms(n)[0].domid == 4 && node_perms(n)[1].domid == 5 &&
		       !memcmp(node_value(n), big, sizeof(big)),
	       "node: fewer permission entries keep the value");
	tap_ok(node_set_value(&t, &n, NULL, 0) == 0 && n == find(&t, "/a") && n->vlen == 0 &&
		       node_perms(n)[1].domid == 5,
	       "node: empty value");
	tap_ok(node_set_value(&t, &n, big, NODE_VALUE_MAX + 1) == E2BIG, "node: value limit");
	nodetab_destroy(&t);
}

static void test_children(void)
{
	static const struct xs_perm p0 = {.domid = 0, .perm = 0};
	struct xs_node *n = node_alloc("/p", 2, &p0, 1), *c;
	char name[16];
	int ok = 1;

	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "child%d", i);
		ok &= node_child_add(n, name) == 0;
	}
	tap_ok(ok && n->clen == 10 * 7 + 90 * 8 && !strcmp(n->children + n->clen - 8, "child99"),
	       "node: children appended in order");
	node_set_value(NULL, &n, "x", 1);
	c = node_clone(n);
	tap_ok(c && c->clen == n->clen && !memcmp(c->children, n->children, n->clen) &&
		       c->children != n->children && c->vlen == 1 && *node_value(c) == 'x' &&
		       node_child_add(c, "more") == 0,
	       "node: clone copies value and children");
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "child%d", i);
		ok &= node_child_del(n, name);
	}
	tap_ok(ok && n->clen == 0 && !n->children && !node_child_del(n, "child0"),
	       "node: removing the last child frees the list");
	tap_ok(node_child_add(n, "again") == 0 && n->clen == 6, "node: children again");
	node_free(c);
	node_free(n);
}

void test_node_all(void)
{
	test_table();
	test_resize();
	test_children();
}
