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
		if (!strcmp(n->path, path))
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

			uint32_t i2 = node_hash_of(n) & (nb - 1);

			n->hnext = b[i2];
			b[i2] = n;
			n = next;
		}
	}
	free(t->b);
	t->b = b;
	t->mask = nb - 1;
	return 0;
}

/* Chains average up to two nodes: a bucket costs as much as a quarter of a small node. */
int nodetab_insert(struct xs_nodetab *t, struct xs_node *n)
{
	uint32_t i;

	if (t->count >= 2 * (t->mask + 1) && t->mask < (1u << 30))
		nodetab_grow(t); /* on failure the chains just get longer */
	i = node_hash_of(n) & t->mask;
	n->hnext = t->b[i];
	t->b[i] = n;
	t->count++;
	return 0;
}

void nodetab_remove(struct xs_nodetab *t, struct xs_node *n)
{
	struct xs_node **pp = &t->b[node_hash_of(n) & t->mask];

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

static size_t node_size(size_t plen, unsigned nperms, size_t vlen)
{
	return node_perms_off(plen) + nperms * sizeof(struct xs_perm) + vlen;
}

struct xs_node *node_alloc(const char *path, size_t len, const struct xs_perm *perms,
			   unsigned nperms)
{
	struct xs_node *n;

	if (len > UINT16_MAX || nperms > UINT16_MAX)
		return NULL;
	n = calloc(1, node_size(len, nperms, 0));
	if (!n)
		return NULL;
	memcpy(n->path, path, len);
	n->path[len] = 0;
	n->plen = (uint16_t)len;
	n->nperms = (uint16_t)nperms;
	if (nperms)
		memcpy(node_perms(n), perms, nperms * sizeof(*perms));
	return n;
}

void node_free(struct xs_node *n)
{
	if (!n)
		return;
	free(n->children);
	free(n);
}

struct xs_node *node_clone(const struct xs_node *n)
{
	size_t size = node_size(n->plen, n->nperms, n->vlen);
	struct xs_node *c = malloc(size);

	if (!c)
		return NULL;
	memcpy(c, n, size);
	c->hnext = NULL;
	c->children = NULL;
	if (n->clen) {
		c->children = malloc(node_child_cap(n->clen));
		if (!c->children) {
			free(c);
			return NULL;
		}
		memcpy(c->children, n->children, n->clen);
	}
	return c;
}

struct xs_node *node_snapshot(const char *path, size_t len, const struct xs_node *n)
{
	struct xs_node *s;

	if (!n)
		return node_alloc(path, len, NULL, 0);
	s = malloc(node_size(n->plen, n->nperms, n->vlen));
	if (!s)
		return NULL;
	memcpy(s, n, node_size(n->plen, n->nperms, n->vlen));
	s->hnext = NULL;
	s->children = NULL;
	s->clen = 0;
	s->deleted = 0;
	s->deps = 0;
	return s;
}

bool node_same_data(const struct xs_node *s, const struct xs_node *n)
{
	const struct xs_perm *ps, *pn;

	if (!s->gen || !n)
		return !s->gen && !n;
	if (s->vlen != n->vlen || s->nperms != n->nperms ||
	    memcmp(node_value(s), node_value(n), n->vlen))
		return false;
	ps = node_perms(s);
	pn = node_perms(n);
	for (unsigned i = 0; i < n->nperms; i++)
		if (ps[i].domid != pn[i].domid || ps[i].perm != pn[i].perm)
			return false;
	return true;
}

/* Reallocates *np to size bytes, keeping its place in t (if it is there). */
static int node_resize(struct xs_nodetab *t, struct xs_node **np, size_t size)
{
	struct xs_node *n = *np, **pp = NULL, *m;

	if (t) {
		pp = &t->b[node_hash_of(n) & t->mask];
		while (*pp && *pp != n)
			pp = &(*pp)->hnext;
		if (!*pp)
			pp = NULL;
	}
	m = realloc(n, size);
	if (!m)
		return ENOMEM;
	if (pp)
		*pp = m;
	*np = m;
	return 0;
}

int node_set_value(struct xs_nodetab *t, struct xs_node **np, const void *val, uint32_t len)
{
	struct xs_node *n = *np;

	if (len > NODE_VALUE_MAX)
		return E2BIG;
	if (len != n->vlen) {
		if (node_resize(t, np, node_size(n->plen, n->nperms, len)))
			return ENOMEM;
		n = *np;
		n->vlen = (uint16_t)len;
	}
	if (len)
		memcpy(node_value(n), val, len);
	return 0;
}

int node_set_perms(struct xs_nodetab *t, struct xs_node **np, const struct xs_perm *p, unsigned cnt)
{
	struct xs_node *n = *np;
	size_t off = node_perms_off(n->plen);

	if (cnt > UINT16_MAX)
		return E2BIG;
	if (cnt > n->nperms) {
		if (node_resize(t, np, node_size(n->plen, cnt, n->vlen)))
			return ENOMEM;
		n = *np;
	}
	if (cnt != n->nperms)
		memmove((char *)n + off + cnt * sizeof(*p), node_value(n), n->vlen);
	memcpy((char *)n + off, p, cnt * sizeof(*p));
	if (cnt < n->nperms)
		node_resize(t, np, node_size(n->plen, cnt, n->vlen)); /* shrinking: cannot hurt */
	(*np)->nperms = (uint16_t)cnt;
	return 0;
}

uint32_t node_child_cap(uint32_t len)
{
	uint32_t cap = 32;

	if (!len)
		return 0;
	while (cap < len)
		cap *= 2;
	return cap;
}

int node_child_add(struct xs_node *n, const char *name)
{
	size_t len = strlen(name) + 1;
	uint32_t cap = node_child_cap(n->clen + (uint32_t)len);

	if (!n->children || cap > node_child_cap(n->clen)) {
		char *c = realloc(n->children, cap);

		if (!c)
			return ENOMEM;
		n->children = c;
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
			if (!n->clen)
				node_child_clear(n);
			return true;
		}
		off += (uint32_t)sl;
	}
	return false;
}

void node_child_clear(struct xs_node *n)
{
	free(n->children);
	n->children = NULL;
	n->clen = 0;
}

size_t node_mem(const struct xs_node *n)
{
	return node_size(n->plen, n->nperms, n->vlen) + node_child_cap(n->clen);
}
