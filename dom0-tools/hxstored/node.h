/* SPDX-License-Identifier: GPL-2.0-only */
/* Store nodes and the path-keyed hash table that holds them. */
#ifndef HXSTORED_NODE_H
#define HXSTORED_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "perms.h"

/* deps bits a transaction records for a node it looked at */
#define NODE_DEP_DATA	  1u /* existence, value, permissions */
#define NODE_DEP_CHILDREN 2u /* the list of children */

/*
 * A node. gen changes whenever existence, value or permissions change, cgen whenever the list of
 * children changes; both come from store_gen and are never 0 for a node that exists.
 */
struct xs_node {
	struct xs_node *hnext; /* hash chain */
	uint32_t hash;
	uint32_t vlen;	     /* value bytes */
	uint32_t clen, ccap; /* children bytes used / allocated */
	uint16_t nperms;     /* >= 1 */
	uint8_t deleted;     /* transaction tombstone */
	uint8_t deps;	     /* NODE_DEP_* (transaction read set) */
	uint64_t gen, cgen;
	char *value;	       /* vlen bytes, NULL when empty */
	char *children;	       /* names, each NUL-terminated, in creation order */
	struct xs_perm *perms; /* &perm0 when there is one entry */
	struct xs_perm perm0;
	char path[];
};

struct xs_nodetab {
	struct xs_node **b;
	uint32_t mask; /* buckets - 1 */
	uint32_t count;
};

uint32_t node_hash(const char *path, size_t len);

int nodetab_init(struct xs_nodetab *t, unsigned order);
/* Frees every node and the table. */
void nodetab_destroy(struct xs_nodetab *t);
struct xs_node *nodetab_find(const struct xs_nodetab *t, const char *path, uint32_t hash);
/* Inserts n (its path must not be present); grows the table. Returns 0 or ENOMEM. */
int nodetab_insert(struct xs_nodetab *t, struct xs_node *n);
void nodetab_remove(struct xs_nodetab *t, struct xs_node *n);
/* Calls fn for every node; fn must not change the table. */
void nodetab_each(const struct xs_nodetab *t, void (*fn)(struct xs_node *n, void *arg), void *arg);

/* A node with no value, no children and one permission entry {owner, perm}. */
struct xs_node *node_alloc(const char *path, size_t len, const struct xs_perm *perms,
			   unsigned nperms);
void node_free(struct xs_node *n);
struct xs_node *node_clone(const struct xs_node *n);

int node_set_value(struct xs_node *n, const void *val, uint32_t len);
int node_set_perms(struct xs_node *n, const struct xs_perm *p, unsigned np);
int node_child_add(struct xs_node *n, const char *name);
bool node_child_del(struct xs_node *n, const char *name);
/* Bytes a node uses (for memory reports). */
size_t node_mem(const struct xs_node *n);

#endif /* HXSTORED_NODE_H */
