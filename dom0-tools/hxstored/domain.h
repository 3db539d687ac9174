/* SPDX-License-Identifier: GPL-2.0-only */
/* Domains: introduction, release, targets, node accounting and per-domain quotas. */
#ifndef HXSTORED_DOMAIN_H
#define HXSTORED_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "quota.h"

#define DOMID_MAX 0x7fefu /* highest real domid */

struct xs_conn;

struct xs_domain {
	uint32_t domid;
	bool introduced;
	struct xs_conn *conn; /* its ring, NULL when not connected */
	uint32_t target;      /* DOMID_NONE or the domain it serves (stubdom) */
	uint32_t nodes;	      /* nodes it owns */
	long gfn;
	uint32_t port;
	struct quota_set quota; /* overrides (quota.set_mask) */
};

int domain_init(void);
void domain_fini(void);

struct xs_domain *domain_get(uint32_t domid);
/* Returns the record, creating an un-introduced one for accounting. NULL on ENOMEM/bad id. */
struct xs_domain *domain_get_or_create(uint32_t domid);
void domain_nodes_adjust(uint32_t domid, int delta);
uint32_t domain_nodes(uint32_t domid);
/* The domain's quota overrides, or NULL. */
const struct quota_set *domain_quota(uint32_t domid);
uint32_t domain_target(uint32_t domid);

/* Marks the domain introduced with ring connection conn and fires @introduceDomain. */
int domain_introduce(uint32_t domid, long gfn, uint32_t port, struct xs_conn *conn);
/* Closes its connection, removes the nodes it owns, fires @releaseDomain. ENOENT if unknown. */
int domain_release(uint32_t domid);

/* Calls fn for every domain record. */
void domain_each(void (*fn)(struct xs_domain *d, void *arg), void *arg);

#endif /* HXSTORED_DOMAIN_H */
