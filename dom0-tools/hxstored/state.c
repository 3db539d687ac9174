/* SPDX-License-Identifier: GPL-2.0-only */
/* Saving and restoring the daemon's state: the tree, domains, quotas, and (live) connections. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

#define STATE_MAGIC "HXSTORED-STATE 1"

static void state_hex(FILE *f, const void *data, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *p = data;

	if (!len) {
		fputc('-', f);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		fputc(digits[p[i] >> 4], f);
		fputc(digits[p[i] & 15], f);
	}
}

static void state_node(FILE *f, const struct xs_node *n)
{
	fputs("node ", f);
	state_hex(f, n->path, strlen(n->path));
	fprintf(f, " %llu %llu ", (unsigned long long)n->gen, (unsigned long long)n->cgen);
	for (unsigned i = 0; i < n->nperms; i++)
		fprintf(f, "%s%c%u", i ? "," : "", "nrwb"[node_perms(n)[i].perm & 3],
			node_perms(n)[i].domid);
	fputc(' ', f);
	state_hex(f, node_value(n), n->vlen);
	fputc('\n', f);
}

/* Writes path's node and its subtree, parents first. */
static void state_tree(FILE *f, char *buf, size_t len)
{
	const struct xs_node *n = nodetab_find(&store_db, buf, node_hash(buf, len));

	if (!n)
		return;
	state_node(f, n);
	for (uint32_t off = 0; off < n->clen;) {
		const char *name = n->children + off;
		size_t nl = strlen(name), base = len == 1 ? 0 : len;

		off += (uint32_t)nl + 1;
		if (base + 1 + nl >= PATH_BUF_MAX)
			continue;
		buf[base] = '/';
		memcpy(buf + base + 1, name, nl + 1);
		state_tree(f, buf, base + 1 + nl);
		buf[len] = 0;
	}
}

static void state_domain(struct xs_domain *d, void *arg)
{
	FILE *f = arg;

	fprintf(f, "domain %u %d %d %ld %u %u", d->domid, d->introduced,
		d->target == DOMID_NONE ? -1 : (int)d->target, d->gfn, d->port, d->quota.set_mask);
	for (int k = 0; k < QUOTA_COUNT; k++)
		fprintf(f, " %u", d->quota.v[k]);
	fputc('\n', f);
}

static void state_conn(FILE *f, const struct xs_conn *c)
{
	int fds[3];

	if (sock_conn_fd(c) >= 0)
		fprintf(f, "conn sock %d %u\n", sock_conn_fd(c), c->next_txid);
	else if (ring_host_fds(c, fds) == 0)
		fprintf(f, "conn ring %u %d %d %d %u\n", c->who.domid, fds[0], fds[1], fds[2],
			c->next_txid);
	else
		return;
	fputs("in ", f);
	state_hex(f, c->in + c->in_done, c->in_len - c->in_done);
	fputs("\nout ", f);
	state_hex(f, c->out + c->out_off, c->out_len - c->out_off);
	fputc('\n', f);
	for (const struct xs_watch *w = c->watches; w; w = w->cnext) {
		fprintf(f, "watch %d %zu ", w->depth, w->rel_off);
		state_hex(f, w->path, strlen(w->path));
		fputc(' ', f);
		state_hex(f, w->token, strlen(w->token));
		fputc('\n', f);
	}
}

int state_save(const char *file, bool live)
{
	char tmp[4096], buf[PATH_BUF_MAX] = "/";
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	f = fopen(tmp, "we");
	if (!f)
		return errno;
	fprintf(f, "%s\ngen %llu\n", STATE_MAGIC, (unsigned long long)store_gen);
	for (int k = 0; k < QUOTA_COUNT; k++)
		fprintf(f, "quota %s %u\n", quota_name((enum quota_kind)k), quota_global.v[k]);
	state_tree(f, buf, 1);
	state_node(f,
		   nodetab_find(&store_db, "@introduceDomain", node_hash("@introduceDomain", 16)));
	state_node(f, nodetab_find(&store_db, "@releaseDomain", node_hash("@releaseDomain", 14)));
	domain_each(state_domain, f);
	if (live) {
		fprintf(f, "listen %d\n", sock_listener_fd());
		for (const struct xs_conn *c = conn_list; c; c = c->next)
			state_conn(f, c);
	}
	fputs("end\n", f);
	if (fflush(f) || fsync(fileno(f))) {
		int rc = errno;

		fclose(f);
		unlink(tmp);
		return rc;
	}
	fclose(f);
	return rename(tmp, file) ? errno : 0;
}

static void state_keep(int fd)
{
	if (fd >= 0)
		fcntl(fd, F_SETFD, 0);
}

void state_keep_fds(void)
{
	int fds[3];

	state_keep(sock_listener_fd());
	for (const struct xs_conn *c = conn_list; c; c = c->next) {
		state_keep(sock_conn_fd(c));
		if (ring_host_fds(c, fds) == 0)
			for (int i = 0; i < 3; i++)
				state_keep(fds[i]);
	}
}
