/* SPDX-License-Identifier: GPL-2.0-only */
/* Request framing checks, argument splitting and dispatch to the per-type handlers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "domain.h"
#include "log.h"
#include "path.h"
#include "proto.h"
#include "quota.h"
#include "ring.h"
#include "txn.h"

#define OP_PRIV 1u /* control domain only */
#define OP_TX	2u /* runs inside the transaction named by tx_id */

struct proto_op {
	const char *name;
	int (*fn)(struct xs_req *r);
	unsigned flags;
};

static const struct proto_op proto_ops[HX_XS_TYPE_COUNT] = {
	[HX_XS_CONTROL] = {"CONTROL", op_control, OP_PRIV},
	[HX_XS_DIRECTORY] = {"DIRECTORY", op_directory, OP_TX},
	[HX_XS_READ] = {"READ", op_read, OP_TX},
	[HX_XS_GET_PERMS] = {"GET_PERMS", op_get_perms, OP_TX},
	[HX_XS_WATCH] = {"WATCH", op_watch, 0},
	[HX_XS_UNWATCH] = {"UNWATCH", op_unwatch, 0},
	[HX_XS_TRANSACTION_START] = {"TRANSACTION_START", op_tx_start, 0},
	[HX_XS_TRANSACTION_END] = {"TRANSACTION_END", op_tx_end, 0},
	[HX_XS_INTRODUCE] = {"INTRODUCE", op_introduce, OP_PRIV},
	[HX_XS_RELEASE] = {"RELEASE", op_release, OP_PRIV},
	[HX_XS_GET_DOMAIN_PATH] = {"GET_DOMAIN_PATH", op_get_domain_path, 0},
	[HX_XS_WRITE] = {"WRITE", op_write, OP_TX},
	[HX_XS_MKDIR] = {"MKDIR", op_mkdir, OP_TX},
	[HX_XS_RM] = {"RM", op_rm, OP_TX},
	[HX_XS_SET_PERMS] = {"SET_PERMS", op_set_perms, OP_TX},
	[HX_XS_WATCH_EVENT] = {"WATCH_EVENT", NULL, 0},
	[HX_XS_ERROR] = {"ERROR", NULL, 0},
	[HX_XS_IS_DOMAIN_INTRODUCED] = {"IS_DOMAIN_INTRODUCED", op_is_introduced, OP_PRIV},
	[HX_XS_RESUME] = {"RESUME", op_resume, OP_PRIV},
	[HX_XS_SET_TARGET] = {"SET_TARGET", op_set_target, OP_PRIV},
	[HX_XS_RESTRICT] = {"RESTRICT", NULL, 0},
	[HX_XS_RESET_WATCHES] = {"RESET_WATCHES", op_reset_watches, 0},
	[HX_XS_DIRECTORY_PART] = {"DIRECTORY_PART", op_directory_part, OP_TX},
};

static const char *const proto_err_names[] = {
#define X(e) #e,
	HX_XS_ERRORS(X)
#undef X
};
static const int proto_err_nums[] = {
#define X(e) e,
	HX_XS_ERRORS(X)
#undef X
};

const char *proto_errno_name(int err)
{
	for (size_t i = 0; i < sizeof(proto_err_nums) / sizeof(proto_err_nums[0]); i++)
		if (proto_err_nums[i] == err)
			return proto_err_names[i];
	return "EIO";
}

void proto_violation(struct xs_conn *c, const char *why)
{
	log_warn("connection %u (domain %u): protocol violation: %s", c->id, c->who.domid, why);
	ring_conn_set_error(c, HX_XS_RING_ERR_PROTO);
	conn_kill(c, why);
}

int proto_reply(struct xs_req *r, const void *body, uint32_t len)
{
	return conn_send(r->c, r->h->type, r->h->req_id, r->h->tx_id, body, len);
}

int proto_reply_ok(struct xs_req *r)
{
	return proto_reply(r, "OK", 3);
}

int proto_domid(const char *s, uint32_t *domid)
{
	unsigned long v = 0;

	if (!*s || strlen(s) > 5)
		return EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return EINVAL;
		v = v * 10 + (unsigned)(*s - '0');
	}
	if (v > 65535)
		return EINVAL;
	*domid = (uint32_t)v;
	return 0;
}

int proto_path(struct xs_req *r, const char *in, bool special, char *out, size_t *rel_off)
{
	const struct xs_caller *w = &r->ctx.who;
	uint32_t home = w->privileged && !r->c->is_ring ? 0 : w->domid;

	if (path_resolve(in, home, special, out, rel_off))
		return EINVAL;
	if (!w->privileged && out[0] == '/') {
		size_t n = strlen(out) - path_local_off(out, w->domid);

		if (quota_exceeds(quota_limit(domain_quota(w->domid), QUOTA_PATH_MAX), n))
			return EINVAL;
	}
	return 0;
}

/* Splits the body into NUL-terminated strings; the rest (no NUL) is left at rest_off. */
static void proto_split(struct xs_req *r)
{
	uint32_t off = 0;

	r->argc = 0;
	while (off < r->len && r->argc < PROTO_MAX_ARGS) {
		const char *z = memchr(r->body + off, 0, r->len - off);

		if (!z)
			break;
		r->argv[r->argc++] = r->body + off;
		off = (uint32_t)(z - r->body) + 1;
	}
	r->rest_off = off;
}

static int proto_dispatch(struct xs_req *r, const struct proto_op *op)
{
	if ((op->flags & OP_PRIV) && !r->ctx.who.privileged)
		return EACCES;
	if ((op->flags & OP_TX) && r->h->tx_id) {
		r->ctx.tx = conn_find_txn(r->c, r->h->tx_id);
		if (!r->ctx.tx)
			return ENOENT;
	}
	proto_split(r);
	return op->fn(r);
}

void proto_handle(struct xs_conn *c, const struct hx_xs_msg_hdr *h, const char *body)
{
	struct xs_req r = {.c = c, .h = h, .body = body, .len = h->len};
	const struct proto_op *op = h->type < HX_XS_TYPE_COUNT ? &proto_ops[h->type] : NULL;
	int rc;

	r.ctx.who = c->who;
	if (!op || !op->name) {
		log_dbg("connection %u: unknown message type %u", c->id, h->type);
		rc = ENOSYS;
	} else if (!op->fn) {
		rc = EINVAL;
	} else {
		log_dbg("connection %u: %s req %u tx %u len %u", c->id, op->name, h->req_id,
			h->tx_id, h->len);
		rc = proto_dispatch(&r, op);
	}
	if (rc > 0)
		conn_send_error(c, h, rc);
	if (c->nfds)
		conn_drop_fds(c);
}
