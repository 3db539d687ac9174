/* SPDX-License-Identifier: GPL-2.0-only */
/* The node store: lookups and changes, in the global tree or inside a transaction. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "path.h"
#include "quota.h"
#include "store.h"
#include "txn.h"
#include "watch.h"

struct xs_nodetab store_db;
uint64_t store_gen;

static int store_add_root(const char *path)
{
	static const struct xs_perm p0 = {.domid = 0, .perm = 0};
	struct xs_node *n = node_alloc(path, strlen(path), &p0, 1);

	if (!n)
		return ENOMEM;
	n->gen = n->cgen = ++store_gen;
	nodetab_insert(&store_db, n);
	domain_nodes_adjust(0, 1);
	return 0;
}

int store_init(void)
{
	if (nodetab_init(&store_db, 12))
		return ENOMEM;
	if (store_add_root("/") || store_add_root("@introduceDomain") ||
	    store_add_root("@releaseDomain"))
		return ENOMEM;
	return 0;
}

void store_fini(void)
{
	nodetab_destroy(&store_db);
}

int store_lookup(struct xs_ctx *c, const char *path, unsigned deps, struct xs_node **out)
{
	uint32_t h = node_hash(path, strlen(path));

	if (c->tx)
		return txn_lookup(c->tx, path, h, deps, out);
	*out = nodetab_find(&store_db, path, h);
	return 0;
}

static bool store_may(const struct xs_ctx *c, const struct xs_node *n, unsigned want)
{
	return c->trusted || (perms_access(node_perms(n), n->nperms, &c->who) & want) == want;
}

/* Error for a missing path: ENOENT if the nearest existing ancestor is readable, else EACCES. */
static int store_absent(struct xs_ctx *c, const char *path)
{
	char buf[PATH_BUF_MAX];
	size_t len = strlen(path);

	if (c->who.privileged || c->trusted || path[0] != '/' || len >= sizeof(buf))
		return ENOENT;
	memcpy(buf, path, len + 1);
	while (len > 1) {
		struct xs_node *n;
		int rc;

		len = path_parent_len(buf);
		buf[len] = 0;
		rc = store_lookup(c, buf, NODE_DEP_DATA, &n);
		if (rc)
			return rc;
		if (n)
			return store_may(c, n, PERM_READ) ? ENOENT : EACCES;
	}
	return ENOENT;
}

int store_get_checked(struct xs_ctx *c, const char *path, unsigned want, unsigned deps,
		      struct xs_node **out)
{
	struct xs_node *n;
	int rc = store_lookup(c, path, deps | NODE_DEP_DATA, &n);

	if (rc)
		return rc;
	if (!n)
		return store_absent(c, path);
	if (!store_may(c, n, want))
		return EACCES;
	*out = n;
	return 0;
}

int store_quota_nodes(struct xs_ctx *c, unsigned n)
{
	uint64_t cur;

	if (c->trusted || c->who.privileged)
		return 0;
	cur = domain_nodes(c->who.domid) + (uint64_t)(c->tx ? (int64_t)c->tx->created : 0);
	return quota_exceeds(quota_limit(domain_quota(c->who.domid), QUOTA_NODES), cur + n) ? ENOSPC
											    : 0;
}

static int store_quota_size(struct xs_ctx *c, uint32_t len, unsigned nperms)
{
	uint64_t sz = (uint64_t)len + nperms * sizeof(struct xs_perm);

	if (c->trusted || c->who.privileged)
		return 0;
	return quota_exceeds(quota_limit(domain_quota(c->who.domid), QUOTA_NODE_SIZE), sz) ? ENOSPC
											   : 0;
}

/* The table holding the nodes a context changes. */
static struct xs_nodetab *store_tab(struct xs_ctx *c)
{
	return c->tx ? &c->tx->overlay : &store_db;
}

/* The node to change: the transaction's copy, or the node itself. */
static struct xs_node *store_mod(struct xs_ctx *c, struct xs_node *n)
{
	return c->tx ? txn_cow(c->tx, n) : n;
}

static int store_insert(struct xs_ctx *c, struct xs_node *parent, const char *path, size_t plen,
			const struct xs_perm *p, unsigned np, struct xs_node **out)
{
	struct xs_node *n = node_alloc(path, plen, p, np);
	struct xs_node *par = n ? store_mod(c, parent) : NULL;

	if (!par || node_child_add(par, path_basename(n->path))) {
		node_free(n);
		return ENOMEM;
	}
	par->cgen = ++store_gen;
	n->gen = n->cgen = ++store_gen;
	if (c->tx) {
		if (txn_add_node(c->tx, n)) {
			node_child_del(par, path_basename(n->path));
			node_free(n);
			return ENOMEM;
		}
		c->tx->created++;
	} else {
		nodetab_insert(&store_db, n);
		domain_nodes_adjust(p[0].domid, 1);
	}
	*out = n;
	return 0;
}

/* Creates path and its missing parents below the nearest existing ancestor. */
static int store_create(struct xs_ctx *c, const char *path, struct xs_node **out)
{
	char buf[PATH_BUF_MAX];
	size_t len = strlen(path), alen = len;
	struct xs_node *anc = NULL;
	unsigned missing = 0;
	int rc;

	memcpy(buf, path, len + 1);
	while (!anc) {
		missing++;
		alen = path_parent_len(buf);
		buf[alen] = 0;
		rc = store_lookup(c, buf, NODE_DEP_DATA, &anc);
		if (rc)
			return rc;
	}
	if (!store_may(c, anc, PERM_WRITE))
		return EACCES;
	rc = store_quota_nodes(c, missing);
	if (rc)
		return rc;
	struct xs_perm *p = malloc(sizeof(*p) * anc->nperms);
	unsigned np = anc->nperms;

	if (!p)
		return ENOMEM;
	memcpy(p, node_perms(anc), sizeof(*p) * np);
	if (!c->who.privileged)
		p[0].domid = c->who.domid;
	memcpy(buf, path, len + 1);
	for (size_t i = alen + 1; i <= len && !rc; i++) {
		if (buf[i] != '/' && buf[i] != 0)
			continue;
		rc = store_insert(c, anc, buf, i, p, np, &anc);
	}
	free(p);
	*out = anc;
	return rc;
}

int store_write(struct xs_ctx *c, const char *path, const void *val, uint32_t len, bool mkdir)
{
	struct xs_node *n;
	int rc = store_lookup(c, path, NODE_DEP_DATA, &n);

	if (rc)
		return rc;
	if (n && !store_may(c, n, PERM_WRITE))
		return EACCES;
	if (n && mkdir)
		return 0;
	rc = store_quota_size(c, len, n ? n->nperms : 1);
	if (rc)
		return rc;
	if (!n) {
		rc = store_create(c, path, &n);
		if (rc)
			return rc;
	} else {
		n = store_mod(c, n);
		if (!n)
			return ENOMEM;
	}
	if (!mkdir) {
		rc = node_set_value(store_tab(c), &n, val, len);
		if (rc)
			return rc;
	}
	n->gen = ++store_gen;
	if (c->tx)
		return txn_log(c->tx, mkdir ? TXN_OP_MKDIR : TXN_OP_WRITE, path, val, len);
	watch_fire(path, node_perms(n), n->nperms, false);
	return 0;
}

/* Removes the node at buf (len bytes) and everything below it from the context's view. */
static int store_delete_tree(struct xs_ctx *c, char *buf, size_t len)
{
	struct xs_node *n;
	int rc = store_lookup(c, buf, 0, &n);

	if (rc || !n)
		return rc;
	for (uint32_t off = 0; off < n->clen;) {
		const char *name = n->children + off;
		size_t nl = strlen(name);

		off += (uint32_t)nl + 1;
		if (len + 1 + nl >= PATH_BUF_MAX)
			continue;
		buf[len] = '/';
		memcpy(buf + len + 1, name, nl + 1);
		rc = store_delete_tree(c, buf, len + 1 + nl);
		buf[len] = 0;
		if (rc)
			return rc;
	}
	if (c->tx) {
		c->tx->created--;
		return txn_remove(c->tx, buf, node_hash_of(n));
	}
	nodetab_remove(&store_db, n);
	domain_nodes_adjust(node_perms(n)[0].domid, -1);
	node_free(n);
	return 0;
}

static int store_rm_absent(struct xs_ctx *c, const char *path)
{
	char buf[PATH_BUF_MAX];
	size_t plen = path_parent_len(path);
	struct xs_node *par;

	memcpy(buf, path, plen);
	buf[plen] = 0;
	return store_get_checked(c, buf, PERM_WRITE, 0, &par);
}

int store_rm(struct xs_ctx *c, const char *path)
{
	char buf[PATH_BUF_MAX];
	size_t len = strlen(path);
	struct xs_node *n, *par;
	int rc;

	if (path[0] != '/' || len == 1 || len >= sizeof(buf))
		return EINVAL;
	rc = store_lookup(c, path, NODE_DEP_DATA, &n);
	if (rc)
		return rc;
	if (!n)
		return store_rm_absent(c, path);
	if (!store_may(c, n, PERM_WRITE))
		return EACCES;
	struct xs_perm *saved = malloc(sizeof(*saved) * n->nperms);
	unsigned np = n->nperms;

	if (!saved)
		return ENOMEM;
	memcpy(saved, node_perms(n), sizeof(*saved) * np);
	memcpy(buf, path, len + 1);
	buf[path_parent_len(path)] = 0;
	rc = store_lookup(c, buf, 0, &par);
	if (!rc && par && (par = store_mod(c, par)) != NULL) {
		node_child_del(par, path_basename(path));
		par->cgen = ++store_gen;
	}
	memcpy(buf, path, len + 1);
	/* Fire first: watches below path are checked against their own nodes' permissions. */
	if (!rc && !c->tx)
		watch_fire(path, saved, np, true);
	if (!rc)
		rc = store_delete_tree(c, buf, len);
	if (!rc && c->tx)
		rc = txn_log(c->tx, TXN_OP_RM, path, NULL, 0);
	free(saved);
	return rc;
}

int store_set_perms(struct xs_ctx *c, const char *path, const struct xs_perm *p, unsigned np)
{
	struct xs_node *n;
	uint32_t old_owner;
	int rc = store_get_checked(c, path, 0, 0, &n);

	if (rc)
		return rc;
	if (!c->trusted && !perms_is_owner(node_perms(n), &c->who))
		return EACCES;
	if (!c->trusted && !c->who.privileged) {
		if (p[0].domid != node_perms(n)[0].domid)
			return EPERM;
		if (quota_exceeds(quota_limit(domain_quota(c->who.domid), QUOTA_PERMS), np))
			return ENOSPC;
	}
	old_owner = node_perms(n)[0].domid;
	n = store_mod(c, n);
	if (!n)
		return ENOMEM;
	rc = node_set_perms(store_tab(c), &n, p, np);
	if (rc)
		return rc;
	n->gen = ++store_gen;
	if (c->tx)
		return txn_log(c->tx, TXN_OP_PERMS, path, p, np);
	if (old_owner != p[0].domid) {
		domain_nodes_adjust(old_owner, -1);
		domain_nodes_adjust(p[0].domid, 1);
	}
	watch_fire(path, p, np, false);
	return 0;
}
