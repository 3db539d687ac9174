/* SPDX-License-Identifier: GPL-2.0-only */
/* Container status, listing and the paths the CLI shows (logs, definition). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

int ct_status_get(struct ct_ctx *ctx, const char *name, struct ct_status *st, ct_err_t *err)
{
	struct ct_state_rec rec;
	struct ct_cgroup cg;

	memset(st, 0, sizeof(*st));
	if (!ct_name_valid(name))
		return ct_err(err, 0, "'%s' is not a valid container name", name);
	if (ct_state_read(ctx, name, &rec, err) < 0)
		return -1;
	snprintf(st->name, sizeof(st->name), "%s", name);
	snprintf(st->uuid, sizeof(st->uuid), "%s", rec.uuid);
	snprintf(st->veth, sizeof(st->veth), "%s", rec.veth);
	st->created = (time_t)rec.created;
	st->started = (time_t)rec.started;
	st->exit_status = rec.exit_status;
	st->terminal = rec.terminal;
	st->mem_bytes = -1;
	st->state = CT_STOPPED;
	if (ct_monitor_alive(ctx, name) && rec.pid > 0) {
		st->state = CT_RUNNING;
		st->pid = rec.pid;
		st->monitor = rec.monitor;
		if (ct_cgroup_init(&cg, ctx->cgparent, name, NULL) == 0) {
			if (ct_cgroup_frozen(&cg))
				st->state = CT_PAUSED;
			st->mem_bytes = ct_cgroup_memory(&cg);
		}
	}
	return 0;
}

int ct_list(struct ct_ctx *ctx, int (*fn)(const struct ct_status *st, void *arg), void *arg,
	    ct_err_t *err)
{
	struct dirent **ents;
	int n, rc = 0;

	n = scandir(ctx->root, &ents, NULL, alphasort);
	if (n < 0)
		return ct_errno(err, "cannot list %s", ctx->root);
	for (int i = 0; i < n; i++) {
		struct ct_status st;

		if (rc == 0 && ents[i]->d_name[0] != '.' && ct_exists(ctx, ents[i]->d_name) &&
		    ct_status_get(ctx, ents[i]->d_name, &st, NULL) == 0) {
			if (st.state == CT_STOPPED)
				ct_gc(ctx, ents[i]->d_name);
			rc = fn(&st, arg);
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

static int leaf_path(struct ct_ctx *ctx, const char *name, const char *leaf, char *buf, size_t len,
		     ct_err_t *err)
{
	if (!ct_name_valid(name))
		return ct_err(err, 0, "'%s' is not a valid container name", name);
	if (!ct_exists(ctx, name))
		return ct_err(err, 0, "container '%s' does not exist", name);
	if (ct_path(ctx, name, leaf, buf, len) < 0)
		return ct_err(err, ENAMETOOLONG, "%s", name);
	return 0;
}

int ct_log_path(struct ct_ctx *ctx, const char *name, char *buf, size_t len, ct_err_t *err)
{
	return leaf_path(ctx, name, "console.log", buf, len, err);
}

int ct_config_path(struct ct_ctx *ctx, const char *name, char *buf, size_t len, ct_err_t *err)
{
	return leaf_path(ctx, name, "config.xml", buf, len, err);
}
