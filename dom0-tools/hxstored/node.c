/* SPDX-License-Identifier: GPL-2.0-only */
/* Store nodes and the path-keyed hash table that holds them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "node.h"

uint32_t node_hash(const char *path, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)path[i]) * 16777619u;
	return h;
}

int nodetab_init(struct xs_nodetab *t, unsigned order)
{
	t->b = calloc(1u << order, sizeof(*t->b));
	if (!t->b)
		return ENOMEM;
	t->mask = (1u << order) - 1;
	t->count = 0;
	return 0;
}

void nodetab_destroy(struct xs_nodetab *t)
{
	if (!t->b)
		return;
	for (uint32_t i = 0; i <= t->mask; i++) {
		struct xs_node *n = t->b[i];

		while (n) {
			struct xs_node *next = n->hnext;

			node_free(n);
			n = next;
		}
	}
	free(t->b);
	t->b = NULL;
	t->count = 0;
}

struct xs_node *nodetab_find(const struct xs_nodetab *t, const char *path, uint32_t hash)
{
	for (struct xs_node *n = t->b[hash & t->mask]; n; n = n->hnext)
		if (n->hash == hash && !strcmp(n->path, path))
			return n;
	return NULL;
}

static int nodetab_grow(struct xs_nodetab *t)
{
	uint32_t nb = (t->mask + 1) * 2;
	struct xs_node **b = calloc(nb, sizeof(*b));

	if (!b)
		return ENOMEM;
	for (uint32_t i = 0; i <= t->mask; i++) {
		struct xs_node *n = t->b[i];

		while (n) {
			struct xs_node *next = n->hnext;

			n->hnext = b[n->hash & (nb - 1)];
			b[n->hash & (nb - 1)] = n;
			n = next;
		}
	}
	free(t->b);
	t->b = b;
	t->mask = nb - 1;
	return 0;
}

int nodetab_insert(struct xs_nodetab *t, struct xs_node *n)
{
	if (t->count >= t->mask && t->mask < (1u << 30))
		nodetab_grow(t); /* on failure the chains just get longer */
	n->hnext = t->b[n->hash & t->mask];
	t->b[n->hash & t->mask] = n;
	t->count++;
	return 0;
}

void nodetab_remove(struct xs_nodetab *t, struct xs_node *n)
{
	struct xs_node **pp = &t->b[n->hash & t->mask];

	for (; *pp; pp = &(*pp)->hnext) {
		if (*pp == n) {
			*pp = n->hnext;
			t->count--;
			return;
		}
	}
}

void nodetab_each(const struct xs_nodetab *t, void (*fn)(struct xs_node *n, void *arg), void *arg)
{
	for (uint32_t i = 0; i <= t->mask; i++)
		for (struct xs_node *n = t->b[i]; n; n = n->hnext)
			fn(n, arg);
}

struct xs_node *node_alloc(const char *path, size_t len, const struct xs_perm *perms,
			   unsigned nperms)
{
	struct xs_node *n = calloc(1, sizeof(*n) + len + 1);

	if (!n)
		return NULL;
	memcpy(n->path, path, len);
	n->path[len] = 0;
	n->hash = node_hash(path, len);
	if (nperms && node_set_perms(n, perms, nperms)) {
		free(n);
		return NULL;
	}
	return n;
}

void node_free(struct xs_node *n)
{
	if (!n)
		return;
	free(n->value);
	free(n->children);
	if (n->perms != &n->perm0)
		free(n->perms);
	free(n);
}

struct xs_node *node_clone(const struct xs_node *n)
{
	size_t len = strlen(n->path);
	struct xs_node *c = node_alloc(n->path, len, n->perms, n->nperms);

	if (!c)
		return NULL;
	c->gen = n->gen;
	c->cgen = n->cgen;
	if (node_set_value(c, n->value, n->vlen))
		goto fail;
	if (n->clen) {
		c->children = malloc(n->clen);
		if (!c->children)
			goto fail;
		memcpy(c->children, n->children, n->clen);
		c->clen = c->ccap = n->clen;
	}
	return c;
fail:
	node_free(c);
	return NULL;
}

int node_set_value(struct xs_node *n, const void *val, uint32_t len)
{
	char *v = NULL;

	if (len) {
		v = malloc(len);
		if (!v)
			return ENOMEM;
		memcpy(v, val, len);
	}
	free(n->value);
	n->value = v;
	n->vlen = len;
	return 0;
}

int node_set_perms(struct xs_node *n, const struct xs_perm *p, unsigned np)
{
	struct xs_perm *c = &n->perm0;

	if (np == 1) {
		n->perm0 = p[0];
	} else {
		c = malloc(sizeof(*c) * np);
		if (!c)
			return ENOMEM;
		memcpy(c, p, sizeof(*c) * np);
	}
	if (n->perms != &n->perm0)
		free(n->perms);
	n->perms = c;
	n->nperms = (uint16_t)np;
	return 0;
}

int node_child_add(struct xs_node *n, const char *name)
{
	size_t len = strlen(name) + 1;

	if (n->clen + len > n->ccap) {
		uint32_t cap = n->ccap ? n->ccap * 2 : 32;
		char *c;

		while (cap < n->clen + len)
			cap *= 2;
		c = realloc(n->children, cap);
		if (!c)
			return ENOMEM;
		n->children = c;
		n->ccap = cap;
	}
	memcpy(n->children + n->clen, name, len);
	n->clen += (uint32_t)len;
	return 0;
}

bool node_child_del(struct xs_node *n, const char *name)
{
	size_t len = strlen(name) + 1;

	for (uint32_t off = 0; off < n->clen;) {
		const char *s = n->children + off;
		size_t sl = strlen(s) + 1;

		if (sl == len && !memcmp(s, name, len)) {
			memmove(n->children + off, n->children + off + sl, n->clen - off - sl);
			n->clen -= (uint32_t)sl;
			return true;
		}
		off += (uint32_t)sl;
	}
	return false;
}

size_t node_mem(const struct xs_node *n)
{
	return sizeof(*n) + strlen(n->path) + 1 + n->vlen + n->ccap +
	       (n->perms != &n->perm0 ? n->nperms * sizeof(struct xs_perm) : 0);
}
