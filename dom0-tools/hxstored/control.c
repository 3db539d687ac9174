/* SPDX-License-Identifier: GPL-2.0-only */
/* CONTROL (type 0) commands: log, quota, memreport, check, print, save, live-update, help. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "conn.h"
#include "daemon.h"
#include "domain.h"
#include "log.h"
#include "path.h"
#include "proto.h"
#include "quota.h"
#include "store.h"

#define CONTROL_HELP                                                                   \
	"help                          this text\n"                                    \
	"log [error|warn|info|debug]   show or set the log level\n"                    \
	"quota [domid]                 show the global (or a domain's) quotas\n"       \
	"quota-set name value [domid]  set a global (or a domain's) quota, 0 = none\n" \
	"memreport                     nodes and memory in use\n"                      \
	"check                         verify the tree's parent/child links\n"         \
	"print text                    write text to the log\n"                        \
	"save                          write the state file now\n"                     \
	"live-update                   hand all connections to a new daemon process\n"

static int control_text(struct xs_req *r, const char *s)
{
	return proto_reply(r, s, (uint32_t)strlen(s) + 1);
}

static int control_log(struct xs_req *r)
{
	if (r->argc == 2) {
		int lvl = log_level_parse(r->argv[1]);

		if (lvl < 0)
			return EINVAL;
		log_threshold = (enum log_level)lvl;
	}
	return control_text(r, log_level_name(log_threshold));
}

static int control_quota(struct xs_req *r)
{
	char buf[1024];
	uint32_t domid;

	if (r->argc > 2)
		return EINVAL;
	if (r->argc == 2) {
		if (proto_domid(r->argv[1], &domid))
			return EINVAL;
		quota_report(domain_quota(domid), buf, sizeof(buf));
	} else {
		quota_report(NULL, buf, sizeof(buf));
	}
	return control_text(r, buf);
}

static int control_quota_set(struct xs_req *r)
{
	struct quota_set *q = &quota_global;
	uint32_t domid;
	int k;

	if (r->argc != 3 && r->argc != 4)
		return EINVAL;
	k = quota_lookup(r->argv[1]);
	if (k < 0)
		return EINVAL;
	if (r->argc == 4) {
		struct xs_domain *d;

		if (proto_domid(r->argv[3], &domid) || !(d = domain_get_or_create(domid)))
			return EINVAL;
		q = &d->quota;
	}
	if (quota_set_value(q, (enum quota_kind)k, r->argv[2]))
		return EINVAL;
	return control_text(r, "OK");
}

struct control_mem {
	size_t nodes, bytes;
};

static void control_mem_node(struct xs_node *n, void *arg)
{
	struct control_mem *m = arg;

	m->nodes++;
	m->bytes += node_mem(n);
}

static int control_memreport(struct xs_req *r)
{
	struct control_mem m = {0};
	unsigned conns = 0;
	char buf[256];

	nodetab_each(&store_db, control_mem_node, &m);
	for (struct xs_conn *c = conn_list; c; c = c->next)
		conns++;
	snprintf(buf, sizeof(buf), "nodes %zu\nnode-bytes %zu\nhash-bytes %zu\nconnections %u\n",
		 m.nodes, m.bytes, (size_t)(store_db.mask + 1) * sizeof(void *), conns);
	return control_text(r, buf);
}

static void control_check_node(struct xs_node *n, void *arg)
{
	unsigned *bad = arg;
	char buf[PATH_BUF_MAX];
	size_t len = strlen(n->path);

	for (uint32_t off = 0; off < n->clen;) {
		const char *name = n->children + off;
		size_t nl = strlen(name);
		int w = snprintf(buf, sizeof(buf), "%s/%s", len == 1 ? "" : n->path, name);

		off += (uint32_t)nl + 1;
		if (w > 0 && (size_t)w < sizeof(buf) &&
		    !nodetab_find(&store_db, buf, node_hash(buf, (size_t)w)))
			(*bad)++;
	}
}

static int control_check(struct xs_req *r)
{
	unsigned bad = 0;

	nodetab_each(&store_db, control_check_node, &bad);
	if (bad) {
		log_err("check: %u dangling child entries", bad);
		return EIO;
	}
	return control_text(r, "OK");
}

static int control_live_update(struct xs_req *r)
{
	int rc;

	for (struct xs_conn *c = conn_list; c; c = c->next)
		if (c->ntxns)
			return EBUSY;
	size_t pending = r->c->out_len - r->c->out_off;

	/* The OK travels in the handed-over output queue; a failed update takes it back. */
	rc = control_text(r, "OK");
	if (rc)
		return rc;
	rc = daemon_live_update();
	log_err("live update failed: %s", strerror(rc));
	r->c->out_len = r->c->out_off + pending;
	r->c->out_replies--;
	return rc;
}

int op_control(struct xs_req *r)
{
	const char *cmd;

	if (r->argc < 1)
		return EINVAL;
	cmd = r->argv[0];
	if (!strcmp(cmd, "help"))
		return control_text(r, CONTROL_HELP);
	if (!strcmp(cmd, "log"))
		return control_log(r);
	if (!strcmp(cmd, "quota"))
		return control_quota(r);
	if (!strcmp(cmd, "quota-set"))
		return control_quota_set(r);
	if (!strcmp(cmd, "memreport"))
		return control_memreport(r);
	if (!strcmp(cmd, "check"))
		return control_check(r);
	if (!strcmp(cmd, "print") && r->argc == 2) {
		log_info("control: %s", r->argv[1]);
		return control_text(r, "OK");
	}
	if (!strcmp(cmd, "save")) {
		int rc = daemon_save();

		return rc ? rc : control_text(r, "OK");
	}
	if (!strcmp(cmd, "live-update"))
		return control_live_update(r);
	return EINVAL;
}
