/* SPDX-License-Identifier: GPL-2.0-only */
/* Watches: registration, matching changed paths, permission-checked event delivery. */
#ifndef HXSTORED_WATCH_H
#define HXSTORED_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "perms.h"

struct xs_conn;

struct xs_watch {
	struct xs_watch *next, *prev; /* global list */
	struct xs_watch *cnext;	      /* the connection's list */
	struct xs_watch *hnext;	      /* hash chain by path */
	uint32_t hash;
	struct xs_conn *conn;
	char *path; /* absolute (or special) */
	char *token;
	size_t rel_off; /* events strip this prefix (relative watch) */
	int depth;	/* -1: unlimited */
};

extern struct xs_watch *watch_list;

/*
 * Adds a watch and queues its first event. Returns 0, EEXIST (same path and token), E2BIG
 * (watch quota) or ENOMEM.
 */
int watch_add(struct xs_conn *c, const char *path, size_t rel_off, const char *token, int depth,
	      bool first_event);
/* Removes one watch; ENOENT when there is none. */
int watch_del(struct xs_conn *c, const char *path, const char *token);
void watch_del_all(struct xs_conn *c);

/*
 * A node changed (recursive: a subtree is about to be removed; call before removing it).
 * Queues an event for every watch at or above path whose owner may read a node with these
 * perms and, when recursive, for every watch below it whose owner may read the watched node.
 */
void watch_fire(const char *path, const struct xs_perm *p, unsigned np, bool recursive);

/* @introduceDomain / @releaseDomain events; domid != DOMID_NONE also fires "<special>/<domid>". */
void watch_fire_special(const char *special, uint32_t domid);

#endif /* HXSTORED_WATCH_H */
