/* SPDX-License-Identifier: GPL-2.0-only */
/* Reading a state file back: tree, domains, quotas and inherited connections. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "domain.h"
#include "log.h"
#include "path.h"
#include "quota.h"
#include "ring.h"
#include "sock.h"
#include "state.h"
#include "store.h"
#include "watch.h"

#define STATE_MAX_ARGS 24

static long state_unhex(char *s)
{
	size_t n = strlen(s);

	if (!strcmp(s, "-"))
		return 0;
	if (n % 2)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		s[i] = (char)v;
	}
	s[n / 2] = 0;
	return (long)(n / 2);
}

static int state_perms(char *s, struct xs_perm *p, unsigned max)
{
	unsigned n = 0;
	char *save, *tok;

	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int rc;

		if (n == max)
			return -1;
		rc = perms_parse(tok, strlen(tok) + 1, &p[n], 1);
		if (rc != 1)
			return -1;
		n++;
	}
	return n ? (int)n : -1;
}

static int state_load_node(char **a, int n)
{
	struct xs_perm p[64];
	struct xs_node *node, *par;
	long plen, vlen;
	int np, rc;

	if (n != 6)
		return EINVAL;
	plen = state_unhex(a[1]);
	vlen = state_unhex(a[5]);
	np = state_perms(a[4], p, 64);
	if (plen <= 0 || vlen < 0 || np < 1)
		return EINVAL;
	node = node_alloc(a[1], (size_t)plen, p, (unsigned)np);
	if (!node)
		return ENOMEM;
	rc = node_set_value(NULL, &node, a[5], (uint32_t)vlen);
	if (rc) {
		node_free(node);
		return rc == E2BIG ? EINVAL : rc;
	}
	node->gen = strtoull(a[2], NULL, 10);
	node->cgen = strtoull(a[3], NULL, 10);
	if (nodetab_find(&store_db, node->path, node_hash_of(node))) {
		node_free(node);
		return EEXIST;
	}
	nodetab_insert(&store_db, node);
	domain_nodes_adjust(p[0].domid, 1);
	if (node->path[0] == '/' && node->path[1]) {
		size_t l = path_parent_len(node->path);
		char buf[PATH_BUF_MAX];

		memcpy(buf, node->path, l);
		buf[l] = 0;
		par = nodetab_find(&store_db, buf, node_hash(buf, l));
		if (!par)
			return EINVAL;
		return node_child_add(par, path_basename(node->path));
	}
	return 0;
}

static int state_load_domain(char **a, int n)
{
	struct xs_domain *d;

	if (n != 7 + QUOTA_COUNT)
		return EINVAL;
	d = domain_get_or_create((uint32_t)strtoul(a[1], NULL, 10));
	if (!d)
		return ENOMEM;
	d->introduced = atoi(a[2]) != 0;
	d->target = atoi(a[3]) < 0 ? DOMID_NONE : (uint32_t)atoi(a[3]);
	d->gfn = strtol(a[4], NULL, 10);
	d->port = (uint32_t)strtoul(a[5], NULL, 10);
	d->quota.set_mask = (uint32_t)strtoul(a[6], NULL, 10);
	for (int k = 0; k < QUOTA_COUNT; k++)
		d->quota.v[k] = (uint32_t)strtoul(a[7 + k], NULL, 10);
	return 0;
}

static int state_load_conn(char **a, int n, struct xs_conn **cur)
{
	struct xs_domain *d;

	if (n == 4 && !strcmp(a[1], "sock")) {
		*cur = sock_conn_adopt(atoi(a[2]));
		if (*cur)
			(*cur)->next_txid = (uint32_t)strtoul(a[3], NULL, 10);
		return *cur ? 0 : ENOMEM;
	}
	if (n != 7 || strcmp(a[1], "ring"))
		return EINVAL;
	uint32_t domid = (uint32_t)strtoul(a[2], NULL, 10);

	*cur = ring_host_adopt(domid, atoi(a[3]), atoi(a[4]), atoi(a[5]));
	if (!*cur)
		return EINVAL;
	(*cur)->next_txid = (uint32_t)strtoul(a[6], NULL, 10);
	d = domain_get(domid);
	if (d) {
		d->conn = *cur;
		(*cur)->who.target = d->target;
	}
	return 0;
}

static int state_load_buf(char **a, int n, struct xs_conn *c)
{
	long len;

	if (n != 2 || !c)
		return EINVAL;
	len = state_unhex(a[1]);
	if (len < 0)
		return EINVAL;
	if (a[0][0] == 'i') {
		if ((size_t)len > CONN_IN_CAP)
			return EINVAL;
		memcpy(c->in, a[1], (size_t)len);
		c->in_len = (size_t)len;
		return 0;
	}
	return conn_queue_raw(c, a[1], (size_t)len);
}

static int state_load_watch(char **a, int n, struct xs_conn *c)
{
	if (n != 5 || !c || state_unhex(a[3]) <= 0 || state_unhex(a[4]) < 0)
		return EINVAL;
	return watch_add(c, a[3], strtoul(a[2], NULL, 10), a[4], atoi(a[1]), false);
}

static int state_line(char **a, int n, bool live, struct xs_conn **cur)
{
	if (!strcmp(a[0], "gen") && n == 2) {
		store_gen = strtoull(a[1], NULL, 10);
		return 0;
	}
	if (!strcmp(a[0], "quota") && n == 3) {
		int k = quota_lookup(a[1]);

		return k < 0 ? EINVAL : quota_set_value(&quota_global, (enum quota_kind)k, a[2]);
	}
	if (!strcmp(a[0], "node"))
		return state_load_node(a, n);
	if (!strcmp(a[0], "domain"))
		return state_load_domain(a, n);
	if (!live)
		return 0;
	if (!strcmp(a[0], "listen") && n == 2)
		return atoi(a[1]) >= 0 ? sock_adopt_listener(atoi(a[1])) : 0;
	if (!strcmp(a[0], "conn"))
		return state_load_conn(a, n, cur);
	if (!strcmp(a[0], "in") || !strcmp(a[0], "out"))
		return state_load_buf(a, n, *cur);
	if (!strcmp(a[0], "watch"))
		return state_load_watch(a, n, *cur);
	return EINVAL;
}

static void state_reattach(struct xs_domain *d, void *arg)
{
	struct xs_conn *c = NULL;

	if (!d->introduced || d->conn || ring_backend != &ring_backend_xen)
		return;
	if (ring_backend->attach(d->domid, d->gfn, d->port, NULL, 0, &c) == 0)
		d->conn = c;
}

static int state_parse(FILE *f, bool live)
{
	struct xs_conn *cur = NULL;
	char *line = NULL, *a[STATE_MAX_ARGS], *save;
	size_t cap = 0;
	ssize_t len;
	int rc = EINVAL;

	if (getline(&line, &cap, f) <= 0 || strncmp(line, "HXSTORED-STATE 1", 16))
		goto out;
	while ((len = getline(&line, &cap, f)) > 0) {
		int n = 0;

		if (line[len - 1] == '\n')
			line[len - 1] = 0;
		for (char *t = strtok_r(line, " ", &save); t && n < STATE_MAX_ARGS;
		     t = strtok_r(NULL, " ", &save))
			a[n++] = t;
		if (n == 0)
			continue;
		if (!strcmp(a[0], "end")) {
			rc = 0;
			break;
		}
		rc = state_line(a, n, live, &cur);
		if (rc) {
			log_err("state file: bad '%s' line: %s", a[0], strerror(rc));
			break;
		}
		rc = EINVAL;
	}
out:
	free(line);
	return rc;
}

int state_load(const char *file, bool live)
{
	FILE *f = fopen(file, "re");
	int rc;

	if (!f)
		return errno;
	if (nodetab_init(&store_db, 12)) {
		fclose(f);
		return ENOMEM;
	}
	rc = state_parse(f, live);
	fclose(f);
	if (!rc && !nodetab_find(&store_db, "/", node_hash("/", 1)))
		rc = EINVAL;
	if (!rc)
		domain_each(state_reattach, NULL);
	return rc;
}
