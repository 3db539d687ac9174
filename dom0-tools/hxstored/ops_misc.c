/* SPDX-License-Identifier: GPL-2.0-only */
/* Handlers for watches, transactions and domain messages. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "domain.h"
#include "path.h"
#include "proto.h"
#include "quota.h"
#include "ring.h"
#include "txn.h"
#include "watch.h"

/* Body must be exactly n NUL-terminated strings. */
static bool ops_nargs(const struct xs_req *r, unsigned n)
{
	return r->argc == n && r->rest_off == r->len;
}

static int ops_special_allowed(struct xs_req *r, const char *path)
{
	char base[32];
	struct xs_node *n;
	size_t i = 0;

	if (path[0] != '@' || r->ctx.who.privileged)
		return 0;
	while (path[i] && path[i] != '/' && i < sizeof(base) - 1) {
		base[i] = path[i];
		i++;
	}
	base[i] = 0;
	n = nodetab_find(&store_db, base, node_hash(base, i));
	if (!n || !(perms_access(node_perms(n), n->nperms, &r->ctx.who) & PERM_READ))
		return EACCES;
	return 0;
}

int op_watch(struct xs_req *r)
{
	char path[PATH_BUF_MAX];
	size_t rel;
	int depth = -1, rc;

	if (r->rest_off != r->len || (r->argc != 2 && r->argc != 3))
		return EINVAL;
	if (r->argc == 3) {
		char *end;
		long v = strtol(r->argv[2], &end, 10);

		if (!*r->argv[2] || *end || v < 0 || v > 65535)
			return EINVAL;
		depth = (int)v;
	}
	rc = proto_path(r, r->argv[0], true, path, &rel);
	if (!rc)
		rc = ops_special_allowed(r, path);
	if (rc)
		return rc;
	/* Quota and duplicates first, so the OK reply precedes the first event. */
	for (struct xs_watch *w = r->c->watches; w; w = w->cnext)
		if (!strcmp(w->path, path) && !strcmp(w->token, r->argv[1]))
			return EEXIST;
	if (!r->c->who.privileged &&
	    quota_exceeds(quota_limit(domain_quota(r->c->who.domid), QUOTA_WATCHES),
			  (uint64_t)r->c->nwatches + 1))
		return E2BIG;
	rc = proto_reply_ok(r);
	if (!rc)
		rc = watch_add(r->c, path, rel, r->argv[1], depth, true);
	return rc ? rc : PROTO_REPLIED;
}

int op_unwatch(struct xs_req *r)
{
	char path[PATH_BUF_MAX];
	size_t rel;
	int rc;

	if (!ops_nargs(r, 2))
		return EINVAL;
	rc = proto_path(r, r->argv[0], true, path, &rel);
	if (!rc)
		rc = watch_del(r->c, path, r->argv[1]);
	return rc ? rc : proto_reply_ok(r);
}

int op_tx_start(struct xs_req *r)
{
	struct xs_conn *c = r->c;
	struct xs_txn *t;
	char buf[16];

	if (r->h->tx_id)
		return EBUSY;
	if (!c->who.privileged &&
	    quota_exceeds(quota_limit(domain_quota(c->who.domid), QUOTA_TRANSACTIONS),
			  (uint64_t)c->ntxns + 1))
		return ENOSPC;
	while (c->next_txid == 0 || conn_find_txn(c, c->next_txid))
		c->next_txid++;
	t = txn_create(c, c->next_txid++, &c->who);
	if (!t)
		return ENOMEM;
	t->next = c->txns;
	c->txns = t;
	c->ntxns++;
	return proto_reply(r, buf, (uint32_t)snprintf(buf, sizeof(buf), "%u", t->id) + 1);
}

int op_tx_end(struct xs_req *r)
{
	struct xs_conn *c = r->c;
	struct xs_txn **pp, *t = NULL;
	bool commit;
	int rc = 0;

	if (!ops_nargs(r, 1) || (strcmp(r->argv[0], "T") && strcmp(r->argv[0], "F")))
		return EINVAL;
	commit = r->argv[0][0] == 'T';
	for (pp = &c->txns; *pp; pp = &(*pp)->next) {
		if ((*pp)->id == r->h->tx_id) {
			t = *pp;
			*pp = t->next;
			c->ntxns--;
			break;
		}
	}
	if (!t)
		return ENOENT;
	if (commit)
		rc = txn_commit(t);
	txn_destroy(t);
	return rc ? rc : proto_reply_ok(r);
}

int op_introduce(struct xs_req *r)
{
	struct xs_conn *ring = NULL;
	struct xs_domain *d;
	uint32_t domid, port;
	char *end;
	long gfn;
	int rc;

	if (!ops_nargs(r, 3) || proto_domid(r->argv[0], &domid) || proto_domid(r->argv[2], &port))
		return EINVAL;
	gfn = strtol(r->argv[1], &end, 10);
	if (!*r->argv[1] || *end || domid > DOMID_MAX)
		return EINVAL;
	d = domain_get(domid);
	if (d && d->introduced)
		return d->gfn == gfn && d->port == port ? proto_reply_ok(r) : EEXIST;
	if (ring_backend && (ring_backend != &ring_backend_host || r->c->nfds)) {
		rc = ring_backend->attach(domid, gfn, port, r->c->fds, r->c->nfds, &ring);
		if (rc)
			return rc;
	}
	rc = domain_introduce(domid, gfn, port, ring);
	if (rc)
		return rc;
	return proto_reply_ok(r);
}

static int ops_one_domid(struct xs_req *r, uint32_t *domid)
{
	if (!ops_nargs(r, 1) || proto_domid(r->argv[0], domid))
		return EINVAL;
	return 0;
}

int op_release(struct xs_req *r)
{
	uint32_t domid;
	int rc = ops_one_domid(r, &domid);

	if (!rc)
		rc = domain_release(domid);
	return rc ? rc : proto_reply_ok(r);
}

int op_get_domain_path(struct xs_req *r)
{
	char buf[40];
	uint32_t domid;
	int rc = ops_one_domid(r, &domid);

	if (rc)
		return rc;
	return proto_reply(r, buf,
			   (uint32_t)snprintf(buf, sizeof(buf), "/local/domain/%u", domid) + 1);
}

int op_is_introduced(struct xs_req *r)
{
	struct xs_domain *d;
	uint32_t domid;
	int rc = ops_one_domid(r, &domid);

	if (rc)
		return rc;
	d = domain_get(domid);
	return proto_reply(r, d && d->introduced ? "T" : "F", 2);
}

int op_resume(struct xs_req *r)
{
	struct xs_domain *d;
	uint32_t domid;
	int rc = ops_one_domid(r, &domid);

	if (rc)
		return rc;
	d = domain_get(domid);
	if (!d || !d->introduced)
		return ENOENT;
	return proto_reply_ok(r);
}

int op_set_target(struct xs_req *r)
{
	struct xs_domain *d, *t;
	uint32_t domid, target;

	if (!ops_nargs(r, 2) || proto_domid(r->argv[0], &domid) ||
	    proto_domid(r->argv[1], &target) || domid == target)
		return EINVAL;
	d = domain_get(domid);
	t = domain_get(target);
	if (!d || !d->introduced || !t || !t->introduced)
		return ENOENT;
	d->target = target;
	if (d->conn)
		d->conn->who.target = target;
	return proto_reply_ok(r);
}

int op_reset_watches(struct xs_req *r)
{
	watch_del_all(r->c);
	conn_drop_txns(r->c);
	return proto_reply_ok(r);
}
