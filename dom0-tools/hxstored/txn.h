/* SPDX-License-Identifier: GPL-2.0-only */
/* Transactions: a private overlay, a read set for per-node conflict checks, and replay. */
#ifndef HXSTORED_TXN_H
#define HXSTORED_TXN_H

#include <stdint.h>

#include "node.h"
#include "perms.h"

struct xs_conn;

enum txn_op_type {
	TXN_OP_WRITE,
	TXN_OP_MKDIR,
	TXN_OP_RM,
	TXN_OP_PERMS,
};

struct txn_op {
	uint8_t type;
	uint32_t len;
	char *path;
	char *data; /* value, or struct xs_perm[] for TXN_OP_PERMS (len = entries) */
};

struct xs_txn {
	struct xs_txn *next; /* the connection's list */
	uint32_t id;
	struct xs_conn *conn;
	struct xs_caller who;
	struct xs_nodetab overlay; /* nodes as the transaction changed them; tombstones */
	struct xs_nodetab reads;   /* read set: snapshot and gen/cgen at first touch, deps */
	struct txn_op *ops;
	uint32_t nops, cap;
	int32_t created; /* nodes created minus removed (node quota) */
	bool stale;	 /* saw a node's data unlike its snapshot: the commit fails */
};

struct xs_txn *txn_create(struct xs_conn *conn, uint32_t id, const struct xs_caller *who);
void txn_destroy(struct xs_txn *t);

/* Looks path up in the transaction's view (see store_lookup). */
int txn_lookup(struct xs_txn *t, const char *path, uint32_t hash, unsigned deps,
	       struct xs_node **out);
/* The transaction's private copy of n, made on first change. NULL on ENOMEM. */
struct xs_node *txn_cow(struct xs_txn *t, struct xs_node *n);
/* Puts a newly created node into the overlay (replacing a tombstone). */
int txn_add_node(struct xs_txn *t, struct xs_node *n);
/* Marks path removed in the overlay. */
int txn_remove(struct xs_txn *t, const char *path, uint32_t hash);
/* Appends an operation to replay at commit. */
int txn_log(struct xs_txn *t, enum txn_op_type type, const char *path, const void *data,
	    uint32_t len);

/*
 * Commits: returns EAGAIN when a node the transaction depended on changed since, else replays
 * the operations on the global tree (firing watches) and returns 0. Does not free t.
 */
int txn_commit(struct xs_txn *t);

#endif /* HXSTORED_TXN_H */
