/* SPDX-License-Identifier: GPL-2.0-only */
/* Watches: registration, matching changed paths, permission-checked event delivery. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "domain.h"
#include "path.h"
#include "proto.h"
#include "quota.h"
#include "store.h"
#include "watch.h"

struct xs_watch *watch_list;

/* Watches by path, so a change looks up its own path and its ancestors instead of every watch. */
#define WATCH_BUCKETS 4096u
static struct xs_watch *watch_hash[WATCH_BUCKETS];

static void watch_event(struct xs_watch *w, const char *epath)
{
	const char *p = epath;

	if (w->rel_off && strlen(epath) >= w->rel_off)
		p = epath + w->rel_off;
	conn_send_event(w->conn, p, w->token);
}

int watch_add(struct xs_conn *c, const char *path, size_t rel_off, const char *token, int depth,
	      bool first_event)
{
	struct xs_watch *w;

	for (w = c->watches; w; w = w->cnext)
		if (!strcmp(w->path, path) && !strcmp(w->token, token))
			return EEXIST;
	if (!c->who.privileged &&
	    quota_exceeds(quota_limit(domain_quota(c->who.domid), QUOTA_WATCHES),
			  (uint64_t)c->nwatches + 1))
		return E2BIG;
	w = calloc(1, sizeof(*w));
	if (!w)
		return ENOMEM;
	w->path = strdup(path);
	w->token = strdup(token);
	if (!w->path || !w->token) {
		free(w->path);
		free(w->token);
		free(w);
		return ENOMEM;
	}
	w->conn = c;
	w->rel_off = rel_off;
	w->depth = depth;
	w->cnext = c->watches;
	c->watches = w;
	c->nwatches++;
	w->next = watch_list;
	if (watch_list)
		watch_list->prev = w;
	watch_list = w;
	w->hash = node_hash(path, strlen(path));
	w->hnext = watch_hash[w->hash % WATCH_BUCKETS];
	watch_hash[w->hash % WATCH_BUCKETS] = w;
	if (first_event)
		watch_event(w, path);
	return 0;
}

static void watch_free(struct xs_watch *w)
{
	for (struct xs_watch **pp = &watch_hash[w->hash % WATCH_BUCKETS]; *pp; pp = &(*pp)->hnext) {
		if (*pp == w) {
			*pp = w->hnext;
			break;
		}
	}
	if (w->prev)
		w->prev->next = w->next;
	else
		watch_list = w->next;
	if (w->next)
		w->next->prev = w->prev;
	w->conn->nwatches--;
	free(w->path);
	free(w->token);
	free(w);
}

int watch_del(struct xs_conn *c, const char *path, const char *token)
{
	for (struct xs_watch **pp = &c->watches; *pp; pp = &(*pp)->cnext) {
		struct xs_watch *w = *pp;

		if (!strcmp(w->path, path) && !strcmp(w->token, token)) {
			*pp = w->cnext;
			watch_free(w);
			return 0;
		}
	}
	return ENOENT;
}

void watch_del_all(struct xs_conn *c)
{
	while (c->watches) {
		struct xs_watch *w = c->watches;

		c->watches = w->cnext;
		watch_free(w);
	}
}

static bool watch_may_see(const struct xs_watch *w, const struct xs_perm *p, unsigned np)
{
	return (perms_access(p, np, &w->conn->who) & PERM_READ) != 0;
}

/* Fires the watches registered exactly on buf (len bytes), depth levels above path. */
static void watch_fire_at(const char *buf, size_t len, unsigned depth, const char *path,
			  const struct xs_perm *p, unsigned np)
{
	uint32_t h = node_hash(buf, len);

	for (struct xs_watch *w = watch_hash[h % WATCH_BUCKETS]; w; w = w->hnext) {
		if (w->hash != h || w->conn->dead || strcmp(w->path, buf))
			continue;
		if (w->depth >= 0 && depth > (unsigned)w->depth)
			continue;
		if (watch_may_see(w, p, np))
			watch_event(w, path);
	}
}

void watch_fire(const char *path, const struct xs_perm *p, unsigned np, bool recursive)
{
	char buf[PATH_BUF_MAX];
	size_t len = strlen(path);
	unsigned depth = 0;

	if (!watch_list || len >= sizeof(buf))
		return;
	memcpy(buf, path, len + 1);
	for (;;) {
		watch_fire_at(buf, len, depth, path, p, np);
		if (buf[0] != '/' || len == 1)
			break;
		len = path_parent_len(buf);
		buf[len] = 0;
		depth++;
	}
	if (!recursive)
		return;
	for (struct xs_watch *w = watch_list; w; w = w->next) {
		const struct xs_node *n;

		if (w->conn->dead || !strcmp(w->path, path) || !path_is_under(w->path, path))
			continue;
		/* The node watched is about to go: it decides who may hear of it. */
		n = nodetab_find(&store_db, w->path, w->hash);
		if (n ? watch_may_see(w, node_perms(n), n->nperms) : watch_may_see(w, p, np))
			watch_event(w, w->path);
	}
}

void watch_fire_special(const char *special, uint32_t domid)
{
	char sub[64];
	struct xs_node *n = nodetab_find(&store_db, special, node_hash(special, strlen(special)));

	snprintf(sub, sizeof(sub), "%s/%u", special, domid);
	for (struct xs_watch *w = watch_list; w; w = w->next) {
		if (w->conn->dead || (n && !watch_may_see(w, node_perms(n), n->nperms)))
			continue;
		if (!strcmp(w->path, special))
			watch_event(w, special);
		else if (domid != DOMID_NONE && !strcmp(w->path, sub))
			watch_event(w, sub);
	}
}
