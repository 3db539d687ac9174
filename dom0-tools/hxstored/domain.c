/* SPDX-License-Identifier: GPL-2.0-only */
/* Domains: introduction, release, targets, node accounting and per-domain quotas. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "domain.h"
#include "log.h"
#include "perms.h"
#include "store.h"
#include "watch.h"

#define DOMAIN_SLOTS 65536u

static struct xs_domain **domain_tab;
static uint32_t domain_cap; /* slots in domain_tab, grows to the highest domid seen */

int domain_init(void)
{
	domain_cap = 16;
	domain_tab = calloc(domain_cap, sizeof(*domain_tab));
	return domain_tab ? 0 : ENOMEM;
}

static int domain_grow(uint32_t domid)
{
	uint32_t cap = domain_cap;
	struct xs_domain **t;

	while (cap <= domid)
		cap *= 2;
	t = realloc(domain_tab, cap * sizeof(*t));
	if (!t)
		return ENOMEM;
	memset(t + domain_cap, 0, (cap - domain_cap) * sizeof(*t));
	domain_tab = t;
	domain_cap = cap;
	return 0;
}

void domain_fini(void)
{
	if (!domain_tab)
		return;
	for (uint32_t i = 0; i < domain_cap; i++)
		free(domain_tab[i]);
	free(domain_tab);
	domain_tab = NULL;
	domain_cap = 0;
}

struct xs_domain *domain_get(uint32_t domid)
{
	return domid < domain_cap ? domain_tab[domid] : NULL;
}

struct xs_domain *domain_get_or_create(uint32_t domid)
{
	struct xs_domain *d = domain_get(domid);

	if (d || domid >= DOMAIN_SLOTS || !domain_tab)
		return d;
	if (domid >= domain_cap && domain_grow(domid))
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->domid = domid;
	d->target = DOMID_NONE;
	domain_tab[domid] = d;
	return d;
}

void domain_nodes_adjust(uint32_t domid, int delta)
{
	struct xs_domain *d = domain_get_or_create(domid);

	if (d)
		d->nodes = (uint32_t)((int64_t)d->nodes + delta);
}

uint32_t domain_nodes(uint32_t domid)
{
	struct xs_domain *d = domain_get(domid);

	return d ? d->nodes : 0;
}

const struct quota_set *domain_quota(uint32_t domid)
{
	struct xs_domain *d = domain_get(domid);

	return d && d->quota.set_mask ? &d->quota : NULL;
}

uint32_t domain_target(uint32_t domid)
{
	struct xs_domain *d = domain_get(domid);

	return d ? d->target : DOMID_NONE;
}

int domain_introduce(uint32_t domid, long gfn, uint32_t port, struct xs_conn *conn)
{
	struct xs_domain *d = domain_get_or_create(domid);

	if (!d)
		return ENOMEM;
	d->introduced = true;
	d->gfn = gfn;
	d->port = port;
	d->conn = conn;
	if (conn)
		conn->who.target = d->target;
	log_info("domain %u introduced (gfn %ld, port %u)", domid, gfn, port);
	watch_fire_special("@introduceDomain", domid);
	return 0;
}

struct domain_owned {
	uint32_t domid;
	char **paths;
	size_t n, cap;
};

static void domain_collect(struct xs_node *n, void *arg)
{
	struct domain_owned *o = arg;

	if (node_perms(n)[0].domid != o->domid || n->path[0] != '/')
		return;
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 64;
		char **p = realloc(o->paths, cap * sizeof(*p));

		if (!p)
			return;
		o->paths = p;
		o->cap = cap;
	}
	o->paths[o->n] = strdup(n->path);
	if (o->paths[o->n])
		o->n++;
}

/* Removes every node the domain owns (with its children). */
static void domain_remove_nodes(uint32_t domid)
{
	struct domain_owned o = {.domid = domid};
	struct xs_ctx c = {.who = {.domid = 0, .target = DOMID_NONE, .privileged = true},
			   .trusted = true};

	nodetab_each(&store_db, domain_collect, &o);
	for (size_t i = 0; i < o.n; i++) {
		store_rm(&c, o.paths[i]);
		free(o.paths[i]);
	}
	free(o.paths);
}

int domain_release(uint32_t domid)
{
	struct xs_domain *d = domain_get(domid);

	if (!d || !d->introduced)
		return ENOENT;
	if (d->conn)
		conn_kill(d->conn, "domain released");
	d->conn = NULL;
	d->introduced = false;
	d->target = DOMID_NONE;
	if (domid != 0)
		domain_remove_nodes(domid);
	log_info("domain %u released", domid);
	watch_fire_special("@releaseDomain", domid);
	return 0;
}

void domain_each(void (*fn)(struct xs_domain *d, void *arg), void *arg)
{
	if (!domain_tab)
		return;
	for (uint32_t i = 0; i < domain_cap; i++)
		if (domain_tab[i])
			fn(domain_tab[i], arg);
}
