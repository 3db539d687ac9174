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
 * A node, in one allocation: this header, the path (NUL-terminated), the permission entries
 * (4-byte aligned) and the value. Changing the value or the permissions may move the node
 * (node_set_value, node_set_perms relink it in its table). gen changes whenever existence,
 * value or permissions change, cgen whenever the list of children changes; both come from
 * store_gen and are never 0 for a node that exists.
 */
struct xs_node {
	struct xs_node *hnext; /* hash chain */
	char *children;	       /* names, each NUL-terminated, in creation order; NULL if none */
	uint64_t gen, cgen;
	uint32_t clen;	 /* children bytes used; capacity: node_child_cap(clen) */
	uint16_t vlen;	 /* value bytes */
	uint16_t plen;	 /* path bytes, without the NUL */
	uint16_t nperms; /* >= 1 in the store; 0 for tombstones and snapshots of absent nodes */
	uint8_t deleted; /* transaction tombstone */
	uint8_t deps;	 /* NODE_DEP_* (transaction read set) */
	char path[];
};

#define NODE_VALUE_MAX 65535u

struct xs_nodetab {
	struct xs_node **b;
	uint32_t mask; /* buckets - 1 */
	uint32_t count;
};

uint32_t node_hash(const char *path, size_t len);

static inline uint32_t node_hash_of(const struct xs_node *n)
{
	return node_hash(n->path, n->plen);
}

/* Offset of the permission entries from the start of a node with a path of plen bytes. */
static inline size_t node_perms_off(size_t plen)
{
	return (offsetof(struct xs_node, path) + plen + 1 + 3) & ~(size_t)3;
}

static inline struct xs_perm *node_perms(const struct xs_node *n)
{
	return (struct xs_perm *)(void *)((char *)n + node_perms_off(n->plen));
}

static inline char *node_value(const struct xs_node *n)
{
	return (char *)(node_perms(n) + n->nperms);
}

int nodetab_init(struct xs_nodetab *t, unsigned order);
/* Frees every node and the table. */
void nodetab_destroy(struct xs_nodetab *t);
struct xs_node *nodetab_find(const struct xs_nodetab *t, const char *path, uint32_t hash);
/* Inserts n (its path must not be present); grows the table. Returns 0 or ENOMEM. */
int nodetab_insert(struct xs_nodetab *t, struct xs_node *n);
void nodetab_remove(struct xs_nodetab *t, struct xs_node *n);
/* Calls fn for every node; fn must not change the table. */
void nodetab_each(const struct xs_nodetab *t, void (*fn)(struct xs_node *n, void *arg), void *arg);

/* A node with no value and no children; nperms may be 0 (absent-node snapshots, tombstones). */
struct xs_node *node_alloc(const char *path, size_t len, const struct xs_perm *perms,
			   unsigned nperms);
void node_free(struct xs_node *n);
/*
 * What a transaction saw of n: path, existence (gen), value and permissions, no children.
 * n NULL: a node that did not exist. Returns NULL when out of memory.
 */
struct xs_node *node_snapshot(const char *path, size_t len, const struct xs_node *n);
/* True when snapshot s and node n (NULL: absent) agree on existence, value and permissions. */
bool node_same_data(const struct xs_node *s, const struct xs_node *n);
struct xs_node *node_clone(const struct xs_node *n);

/*
 * Replace the value or the permissions of *np. The node may move: *np is updated and, when t is
 * not NULL, so is the table t holding it. Return 0, ENOMEM, or E2BIG (value over
 * NODE_VALUE_MAX).
 */
int node_set_value(struct xs_nodetab *t, struct xs_node **np, const void *val, uint32_t len);
int node_set_perms(struct xs_nodetab *t, struct xs_node **np, const struct xs_perm *p, unsigned n);
/* Bytes allocated for a children list of len bytes. */
uint32_t node_child_cap(uint32_t len);
int node_child_add(struct xs_node *n, const char *name);
bool node_child_del(struct xs_node *n, const char *name);
/* Drops the children list (tombstones). */
void node_child_clear(struct xs_node *n);
/* Bytes a node uses (for memory reports). */
size_t node_mem(const struct xs_node *n);

#endif /* HXSTORED_NODE_H */
