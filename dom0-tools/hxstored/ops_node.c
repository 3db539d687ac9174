/* SPDX-License-Identifier: GPL-2.0-only */
/* Handlers for the node messages: DIRECTORY(_PART), READ, WRITE, MKDIR, RM, GET/SET_PERMS. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "path.h"
#include "proto.h"
#include "store.h"

#define OPS_MAX_PERMS 1400 /* a 4096-byte payload holds at most 1365 "n0\0" entries */

/* The single path argument of a request, resolved; EINVAL unless the body is exactly "path\0". */
static int ops_one_path(struct xs_req *r, bool special, char *out)
{
	size_t rel;

	if (r->argc != 1 || r->rest_off != r->len)
		return EINVAL;
	return proto_path(r, r->argv[0], special, out, &rel);
}

int op_directory(struct xs_req *r)
{
	char path[PATH_BUF_MAX];
	struct xs_node *n;
	int rc = ops_one_path(r, false, path);

	if (!rc)
		rc = store_get_checked(&r->ctx, path, PERM_READ, NODE_DEP_CHILDREN, &n);
	if (rc)
		return rc;
	if (n->clen > HX_XS_PAYLOAD_MAX)
		return E2BIG;
	return proto_reply(r, n->children, n->clen);
}

int op_directory_part(struct xs_req *r)
{
	char path[PATH_BUF_MAX], buf[HX_XS_PAYLOAD_MAX];
	struct xs_node *n;
	size_t rel, len;
	unsigned long off;
	char *end;
	int rc;

	if (r->argc != 2 || r->rest_off != r->len)
		return EINVAL;
	off = strtoul(r->argv[1], &end, 10);
	if (!*r->argv[1] || *end)
		return EINVAL;
	rc = proto_path(r, r->argv[0], false, path, &rel);
	if (!rc)
		rc = store_get_checked(&r->ctx, path, PERM_READ, NODE_DEP_CHILDREN, &n);
	if (rc)
		return rc;
	len = (size_t)snprintf(buf, sizeof(buf), "%llu", (unsigned long long)n->cgen) + 1;
	if (off > n->clen || (off && n->children[off - 1] != 0))
		return EINVAL;
	while (off < n->clen) {
		size_t cl = strlen(n->children + off) + 1;

		if (len + cl + 1 > sizeof(buf))
			break;
		memcpy(buf + len, n->children + off, cl);
		len += cl;
		off += cl;
	}
	if (off >= n->clen)
		buf[len++] = 0; /* an empty name marks the end of the list */
	return proto_reply(r, buf, (uint32_t)len);
}

int op_read(struct xs_req *r)
{
	char path[PATH_BUF_MAX];
	struct xs_node *n;
	int rc = ops_one_path(r, false, path);

	if (!rc)
		rc = store_get_checked(&r->ctx, path, PERM_READ, 0, &n);
	if (rc)
		return rc;
	return proto_reply(r, node_value(n), n->vlen);
}

int op_write(struct xs_req *r)
{
	char path[PATH_BUF_MAX];
	size_t rel;
	int rc;

	if (r->argc < 1)
		return EINVAL;
	rc = proto_path(r, r->argv[0], false, path, &rel);
	if (rc)
		return rc;
	uint32_t voff = (uint32_t)(strlen(r->argv[0]) + 1);

	rc = store_write(&r->ctx, path, r->body + voff, r->len - voff, false);
	return rc ? rc : proto_reply_ok(r);
}

int op_mkdir(struct xs_req *r)
{
	char path[PATH_BUF_MAX];
	int rc = ops_one_path(r, false, path);

	if (!rc)
		rc = store_write(&r->ctx, path, NULL, 0, true);
	return rc ? rc : proto_reply_ok(r);
}

int op_rm(struct xs_req *r)
{
	char path[PATH_BUF_MAX];
	int rc = ops_one_path(r, false, path);

	if (!rc)
		rc = store_rm(&r->ctx, path);
	return rc ? rc : proto_reply_ok(r);
}

int op_get_perms(struct xs_req *r)
{
	char path[PATH_BUF_MAX], buf[HX_XS_PAYLOAD_MAX];
	struct xs_node *n;
	size_t len;
	int rc = ops_one_path(r, true, path);

	if (!rc)
		rc = store_get_checked(&r->ctx, path, PERM_READ, 0, &n);
	if (rc)
		return rc;
	len = perms_format(node_perms(n), n->nperms, buf, sizeof(buf));
	if (!len)
		return E2BIG;
	return proto_reply(r, buf, (uint32_t)len);
}

int op_set_perms(struct xs_req *r)
{
	char path[PATH_BUF_MAX];
	size_t rel, plen;
	int rc, n;

	if (r->argc < 1 || r->body[r->len - 1] != 0)
		return EINVAL;
	rc = proto_path(r, r->argv[0], true, path, &rel);
	if (rc)
		return rc;
	plen = strlen(r->argv[0]) + 1;
	struct xs_perm *p = malloc(sizeof(*p) * OPS_MAX_PERMS);

	if (!p)
		return ENOMEM;
	n = perms_parse(r->body + plen, r->len - plen, p, OPS_MAX_PERMS);
	rc = n < 0 ? -n : store_set_perms(&r->ctx, path, p, (unsigned)n);
	free(p);
	return rc ? rc : proto_reply_ok(r);
}
