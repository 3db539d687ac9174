/* SPDX-License-Identifier: GPL-2.0-only */
/* The node store: lookups and changes, in the global tree or inside a transaction. */
#ifndef HXSTORED_STORE_H
#define HXSTORED_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "node.h"
#include "perms.h"

struct xs_txn;
struct xs_conn;

/* Who does an operation and where: the global tree (tx NULL) or a transaction's view. */
struct xs_ctx {
	struct xs_caller who;
	struct xs_txn *tx;
	bool trusted; /* transaction replay: permissions and quotas were checked already */
};

extern struct xs_nodetab store_db;
extern uint64_t store_gen; /* last generation handed out */

/* Creates "/" and the special nodes. Returns 0 or ENOMEM. */
int store_init(void);
/* Frees every node (also the root). */
void store_fini(void);

/*
 * Looks path up in the context's view, recording deps (NODE_DEP_*) in a transaction.
 * Returns 0 and *out (NULL when absent), or an errno (ENOSPC: transaction too large).
 */
int store_lookup(struct xs_ctx *c, const char *path, unsigned deps, struct xs_node **out);

/*
 * Finds a node the caller may access with want (PERM_*). A missing node gives ENOENT only if
 * the caller may read its nearest existing ancestor, else EACCES, so that unprivileged callers
 * cannot learn what exists in places they cannot read.
 */
int store_get_checked(struct xs_ctx *c, const char *path, unsigned want, unsigned deps,
		      struct xs_node **out);

/* WRITE and MKDIR: create missing parents, set the value (write only). */
int store_write(struct xs_ctx *c, const char *path, const void *val, uint32_t len, bool mkdir);
/* RM: recursive; absent node is fine unless its parent is absent too. */
int store_rm(struct xs_ctx *c, const char *path);
int store_set_perms(struct xs_ctx *c, const char *path, const struct xs_perm *p, unsigned n);

/* Node-count quota check for a caller about to create n nodes; 0 or ENOSPC. */
int store_quota_nodes(struct xs_ctx *c, unsigned n);

#endif /* HXSTORED_STORE_H */
