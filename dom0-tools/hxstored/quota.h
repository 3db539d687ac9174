/* SPDX-License-Identifier: GPL-2.0-only */
/* Per-domain quotas: names, defaults, parsing and limit checks. */
#ifndef HXSTORED_QUOTA_H
#define HXSTORED_QUOTA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum quota_kind {
	QUOTA_NODES,	    /* nodes a domain owns */
	QUOTA_WATCHES,	    /* watches per connection */
	QUOTA_TRANSACTIONS, /* open transactions per connection */
	QUOTA_OUTSTANDING,  /* requests whose replies the domain has not consumed yet */
	QUOTA_NODE_SIZE,    /* value bytes + permission bytes of one node */
	QUOTA_PATH_MAX,	    /* path length below the domain's home */
	QUOTA_PERMS,	    /* permission entries per node */
	QUOTA_TX_NODES,	    /* nodes touched by one transaction */
	QUOTA_WATCH_EVENTS, /* queued watch events per connection */
	QUOTA_COUNT,
};

/* One value per kind; 0 means no limit. A domain may override some kinds. */
struct quota_set {
	uint32_t v[QUOTA_COUNT];
	uint32_t set_mask; /* bit k: v[k] overrides the global value */
};

/* Limits for unprivileged domains (no looser than Xen's C daemon). */
extern struct quota_set quota_global;

void quota_defaults(struct quota_set *q);
/* Index of a quota name ("nodes", "watches", ...) or -1. */
int quota_lookup(const char *name);
const char *quota_name(enum quota_kind k);
/* Parses "name=value" into q (marking it set). Returns 0 or EINVAL. */
int quota_assign(struct quota_set *q, const char *spec);
/* Sets one kind from decimal text; returns 0 or EINVAL. */
int quota_set_value(struct quota_set *q, enum quota_kind k, const char *val);
/* The limit in force for a domain with overrides dq (NULL = none). */
uint32_t quota_limit(const struct quota_set *dq, enum quota_kind k);
/* True when value would exceed the limit. */
bool quota_exceeds(uint32_t limit, uint64_t value);
/* "name value\n" lines for every kind into buf; returns length written. */
size_t quota_report(const struct quota_set *dq, char *buf, size_t len);

#endif /* HXSTORED_QUOTA_H */
