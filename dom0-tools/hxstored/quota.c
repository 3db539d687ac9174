/* SPDX-License-Identifier: GPL-2.0-only */
/* Per-domain quotas: names, defaults, parsing and limit checks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quota.h"

struct quota_set quota_global;

static const char *const quota_names[QUOTA_COUNT] = {
	[QUOTA_NODES] = "nodes",
	[QUOTA_WATCHES] = "watches",
	[QUOTA_TRANSACTIONS] = "transactions",
	[QUOTA_OUTSTANDING] = "outstanding",
	[QUOTA_NODE_SIZE] = "node-size",
	[QUOTA_PATH_MAX] = "path-max",
	[QUOTA_PERMS] = "permissions",
	[QUOTA_TX_NODES] = "transaction-nodes",
	[QUOTA_WATCH_EVENTS] = "watch-events",
};

static const uint32_t quota_default_values[QUOTA_COUNT] = {
	[QUOTA_NODES] = 1000,	  [QUOTA_WATCHES] = 128,    [QUOTA_TRANSACTIONS] = 10,
	[QUOTA_OUTSTANDING] = 20, [QUOTA_NODE_SIZE] = 2048, [QUOTA_PATH_MAX] = 2048,
	[QUOTA_PERMS] = 5,	  [QUOTA_TX_NODES] = 1024,  [QUOTA_WATCH_EVENTS] = 1024,
};

void quota_defaults(struct quota_set *q)
{
	memcpy(q->v, quota_default_values, sizeof(q->v));
	q->set_mask = 0;
}

int quota_lookup(const char *name)
{
	for (int i = 0; i < QUOTA_COUNT; i++)
		if (!strcmp(name, quota_names[i]))
			return i;
	return -1;
}

const char *quota_name(enum quota_kind k)
{
	return (unsigned)k < QUOTA_COUNT ? quota_names[k] : "?";
}

int quota_set_value(struct quota_set *q, enum quota_kind k, const char *val)
{
	char *end;
	unsigned long v;

	if (!*val || *val == '-')
		return EINVAL;
	errno = 0;
	v = strtoul(val, &end, 10);
	if (*end || errno || v > 0xffffffffu)
		return EINVAL;
	q->v[k] = (uint32_t)v;
	q->set_mask |= 1u << k;
	return 0;
}

int quota_assign(struct quota_set *q, const char *spec)
{
	const char *eq = strchr(spec, '=');
	char name[32];
	int k;

	if (!eq || (size_t)(eq - spec) >= sizeof(name))
		return EINVAL;
	memcpy(name, spec, (size_t)(eq - spec));
	name[eq - spec] = 0;
	k = quota_lookup(name);
	if (k < 0)
		return EINVAL;
	return quota_set_value(q, (enum quota_kind)k, eq + 1);
}

uint32_t quota_limit(const struct quota_set *dq, enum quota_kind k)
{
	if (dq && (dq->set_mask & (1u << k)))
		return dq->v[k];
	return quota_global.v[k];
}

bool quota_exceeds(uint32_t limit, uint64_t value)
{
	return limit != 0 && value > limit;
}

size_t quota_report(const struct quota_set *dq, char *buf, size_t len)
{
	size_t off = 0;

	for (int k = 0; k < QUOTA_COUNT && off < len; k++) {
		int w = snprintf(buf + off, len - off, "%-18s %u\n", quota_names[k],
				 quota_limit(dq, (enum quota_kind)k));

		if (w < 0)
			break;
		off += (size_t)w;
	}
	return off < len ? off : len - 1;
}
