/* SPDX-License-Identifier: GPL-2.0-only */
/* Transactions: a private overlay, a read set for per-node conflict checks, and replay. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "log.h"
#include "quota.h"
#include "store.h"
#include "txn.h"

struct xs_txn *txn_create(struct xs_conn *conn, uint32_t id, const struct xs_caller *who)
{
	struct xs_txn *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	if (nodetab_init(&t->overlay, 4) || nodetab_init(&t->reads, 5)) {
		nodetab_destroy(&t->overlay);
		free(t);
		return NULL;
	}
	t->id = id;
	t->conn = conn;
	t->who = *who;
	return t;
}

void txn_destroy(struct xs_txn *t)
{
	if (!t)
		return;
	nodetab_destroy(&t->overlay);
	nodetab_destroy(&t->reads);
	for (uint32_t i = 0; i < t->nops; i++) {
		free(t->ops[i].path);
		free(t->ops[i].data);
	}
	free(t->ops);
	free(t);
}

int txn_lookup(struct xs_txn *t, const char *path, uint32_t hash, unsigned deps,
	       struct xs_node **out)
{
	struct xs_node *r = nodetab_find(&t->reads, path, hash);
	struct xs_node *o, *g = NULL;
	bool fresh = !r;

	if (!r) {
		if (!t->who.privileged &&
		    quota_exceeds(quota_limit(domain_quota(t->who.domid), QUOTA_TX_NODES),
				  (uint64_t)t->reads.count + 1))
			return ENOSPC;
		g = nodetab_find(&store_db, path, hash);
		r = node_snapshot(path, strlen(path), g);
		if (!r)
			return ENOMEM;
		r->gen = g ? g->gen : 0;
		r->cgen = g ? g->cgen : 0;
		nodetab_insert(&t->reads, r);
	}
	r->deps |= (uint8_t)deps;
	o = nodetab_find(&t->overlay, path, hash);
	if (o) {
		*out = o->deleted ? NULL : o;
		return 0;
	}
	if (!fresh)
		g = nodetab_find(&store_db, path, hash);
	/*
	 * Reads come from the store as it is now. Each must match what the snapshot holds, else
	 * a change undone before the commit (A, B, A) would let the transaction act on B unseen.
	 */
	if (!fresh && (g ? g->gen : 0) != r->gen && !node_same_data(r, g))
		t->stale = true;
	*out = g;
	return 0;
}

struct xs_node *txn_cow(struct xs_txn *t, struct xs_node *n)
{
	struct xs_node *o = nodetab_find(&t->overlay, n->path, node_hash_of(n));

	if (o == n)
		return n;
	if (o) {
		nodetab_remove(&t->overlay, o);
		node_free(o);
	}
	o = node_clone(n);
	if (o)
		nodetab_insert(&t->overlay, o);
	return o;
}

int txn_add_node(struct xs_txn *t, struct xs_node *n)
{
	struct xs_node *o = nodetab_find(&t->overlay, n->path, node_hash_of(n));

	if (o) {
		nodetab_remove(&t->overlay, o);
		node_free(o);
	}
	return nodetab_insert(&t->overlay, n);
}

int txn_remove(struct xs_txn *t, const char *path, uint32_t hash)
{
	struct xs_node *o = nodetab_find(&t->overlay, path, hash);

	if (!o) {
		o = node_alloc(path, strlen(path), NULL, 0);
		if (!o)
			return ENOMEM;
		nodetab_insert(&t->overlay, o);
	}
	if (node_set_value(&t->overlay, &o, NULL, 0))
		return ENOMEM;
	node_child_clear(o);
	o->deleted = 1;
	return 0;
}

int txn_log(struct xs_txn *t, enum txn_op_type type, const char *path, const void *data,
	    uint32_t len)
{
	size_t dlen = type == TXN_OP_PERMS ? len * sizeof(struct xs_perm) : len;
	struct txn_op *op;

	if (t->nops == t->cap) {
		uint32_t cap = t->cap ? t->cap * 2 : 8;
		struct txn_op *ops = realloc(t->ops, cap * sizeof(*ops));

		if (!ops)
			return ENOMEM;
		t->ops = ops;
		t->cap = cap;
	}
	op = &t->ops[t->nops];
	op->type = (uint8_t)type;
	op->len = len;
	op->path = strdup(path);
	op->data = dlen ? malloc(dlen) : NULL;
	if (!op->path || (dlen && !op->data)) {
		free(op->path);
		free(op->data);
		return ENOMEM;
	}
	if (dlen)
		memcpy(op->data, data, dlen);
	t->nops++;
	return 0;
}

/*
 * A transaction conflicts when something it looked at is no longer what it saw. For existence,
 * value and permissions that is judged by content, not by generation: a node rewritten with
 * what the transaction read (the same value, the same permissions) changes nothing the
 * transaction could have based its writes on, so committing it now is the same as running it
 * after the other writer. Lists of children are judged by generation.
 */
static bool txn_conflicts(const struct xs_txn *t)
{
	for (uint32_t i = 0; i <= t->reads.mask; i++) {
		for (const struct xs_node *r = t->reads.b[i]; r; r = r->hnext) {
			const struct xs_node *g = nodetab_find(&store_db, r->path, node_hash_of(r));

			if ((r->deps & NODE_DEP_DATA) && (g ? g->gen : 0) != r->gen &&
			    !node_same_data(r, g))
				return true;
			if ((r->deps & NODE_DEP_CHILDREN) && (g ? g->cgen : 0) != r->cgen)
				return true;
		}
	}
	return false;
}

int txn_commit(struct xs_txn *t)
{
	struct xs_ctx c = {.who = t->who, .tx = NULL, .trusted = true};

	if (t->stale || txn_conflicts(t))
		return EAGAIN;
	for (uint32_t i = 0; i < t->nops; i++) {
		const struct txn_op *op = &t->ops[i];
		int rc = 0;

		switch (op->type) {
		case TXN_OP_WRITE:
		case TXN_OP_MKDIR:
			rc = store_write(&c, op->path, op->data, op->len, op->type == TXN_OP_MKDIR);
			break;
		case TXN_OP_RM:
			rc = store_rm(&c, op->path);
			break;
		case TXN_OP_PERMS:
			rc = store_set_perms(&c, op->path, (const struct xs_perm *)(void *)op->data,
					     op->len);
			break;
		}
		if (rc)
			log_warn("transaction %u: replay of %s failed: %d", t->id, op->path, rc);
	}
	return 0;
}
