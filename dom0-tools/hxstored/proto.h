/* SPDX-License-Identifier: GPL-2.0-only */
/* Request framing checks, argument splitting and dispatch to the per-type handlers. */
#ifndef HXSTORED_PROTO_H
#define HXSTORED_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hx/xs_wire.h>

#include "store.h"

#define PATH_EVENT_MAX 4096
#define PROTO_MAX_ARGS 8
#define PROTO_REPLIED  (-1) /* a handler sent its reply itself */

struct xs_conn;

/* One request being handled. */
struct xs_req {
	struct xs_conn *c;
	const struct hx_xs_msg_hdr *h;
	const char *body;
	uint32_t len;
	const char *argv[PROTO_MAX_ARGS]; /* NUL-terminated strings at the start of body */
	unsigned argc;			  /* how many; rest_off: bytes after argv[argc-1] */
	uint32_t rest_off;
	struct xs_ctx ctx;
};

/* Handles one complete message from c (body holds h->len bytes). */
void proto_handle(struct xs_conn *c, const struct hx_xs_msg_hdr *h, const char *body);
/* Logs and closes a connection that broke the framing rules. */
void proto_violation(struct xs_conn *c, const char *why);
const char *proto_errno_name(int err);

int proto_reply(struct xs_req *r, const void *body, uint32_t len);
int proto_reply_ok(struct xs_req *r);
/*
 * Resolves a path argument for this caller (relative paths, special names when special is
 * true, the path-max quota). Returns 0 or EINVAL.
 */
int proto_path(struct xs_req *r, const char *in, bool special, char *out, size_t *rel_off);
/* Parses a decimal domid argument; returns 0 or EINVAL. */
int proto_domid(const char *s, uint32_t *domid);

/* Handlers, by message type (ops_node.c, ops_misc.c). */
int op_directory(struct xs_req *r);
int op_directory_part(struct xs_req *r);
int op_read(struct xs_req *r);
int op_write(struct xs_req *r);
int op_mkdir(struct xs_req *r);
int op_rm(struct xs_req *r);
int op_get_perms(struct xs_req *r);
int op_set_perms(struct xs_req *r);
int op_watch(struct xs_req *r);
int op_unwatch(struct xs_req *r);
int op_tx_start(struct xs_req *r);
int op_tx_end(struct xs_req *r);
int op_introduce(struct xs_req *r);
int op_release(struct xs_req *r);
int op_get_domain_path(struct xs_req *r);
int op_is_introduced(struct xs_req *r);
int op_resume(struct xs_req *r);
int op_set_target(struct xs_req *r);
int op_reset_watches(struct xs_req *r);
int op_control(struct xs_req *r);

#endif /* HXSTORED_PROTO_H */
