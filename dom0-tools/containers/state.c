/* SPDX-License-Identifier: GPL-2.0-only */
/* Per-container state under the state root: paths, the state record, locks. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

int ct_ctx_init(struct ct_ctx *ctx, const char *root, ct_err_t *err)
{
	const char *cg = getenv("HOSPES_CT_CGROUP");
	char locks[CT_PATH_MAX];

	char home[512];

	if (!root)
		root = getenv("HOSPES_CT_ROOT");
	if ((!root || !*root) && geteuid() != 0) {
		/* rootless: under the user's runtime or data directory */
		const char *xdg = getenv("XDG_RUNTIME_DIR"), *h = getenv("HOME");

		if (xdg && *xdg)
			snprintf(home, sizeof(home), "%s/hospes/containers", xdg);
		else
			snprintf(home, sizeof(home), "%s/.local/share/hospes/containers",
				 h && *h ? h : "/tmp");
		root = home;
	}
	if (!root || !*root)
		root = CT_DEFAULT_ROOT;
	if (root[0] != '/')
		return ct_err(err, 0, "state root must be an absolute path, got \"%s\"", root);
	if (strlen(root) >= sizeof(ctx->root))
		return ct_err(err, ENAMETOOLONG, "%s", root);
	snprintf(ctx->root, sizeof(ctx->root), "%s", root);
	snprintf(ctx->cgparent, sizeof(ctx->cgparent), "%s", cg && *cg ? cg : CT_DEFAULT_CGPARENT);
	/* 0711: a container with a user namespace must be able to reach its layers */
	if (ct_mkdir_p(ctx->root, 0711, err) < 0)
		return -1;
	snprintf(locks, sizeof(locks), "%s/.locks", ctx->root);
	if (mkdir(locks, 0700) < 0 && errno != EEXIST)
		return ct_errno(err, "cannot create %s", locks);
	return 0;
}

int ct_path(const struct ct_ctx *ctx, const char *name, const char *leaf, char *buf, size_t len)
{
	int n = leaf ? snprintf(buf, len, "%s/%s/%s", ctx->root, name, leaf)
		     : snprintf(buf, len, "%s/%s", ctx->root, name);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

bool ct_exists(const struct ct_ctx *ctx, const char *name)
{
	char p[CT_PATH_MAX];

	return ct_path(ctx, name, "state", p, sizeof(p)) == 0 && access(p, F_OK) == 0;
}

int ct_name_lock(const struct ct_ctx *ctx, const char *name, ct_err_t *err)
{
	char p[CT_PATH_MAX];
	struct stat a, b;
	int fd;

	snprintf(p, sizeof(p), "%s/.locks/%s", ctx->root, name);
	for (;;) {
		fd = ct_lock_file(p, true);
		if (fd < 0)
			return ct_errno(err, "cannot lock %s", p);
		/* destroy unlinks the lock file: make sure we locked the current one */
		if (fstat(fd, &a) == 0 && stat(p, &b) == 0 && a.st_ino == b.st_ino)
			return fd;
		close(fd);
	}
}

bool ct_monitor_alive(const struct ct_ctx *ctx, const char *name)
{
	char p[CT_PATH_MAX];
	int fd;

	if (ct_path(ctx, name, "monitor.lock", p, sizeof(p)) < 0)
		return false;
	fd = open(p, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return errno == EWOULDBLOCK;
	}
	close(fd);
	return false;
}

/*
 * The state record is rewritten in place under flock(2) (writers exclusive, readers shared),
 * padded to a fixed size: replacing it by rename would free its block each time, which costs
 * a synchronous discard on filesystems mounted with -o discard.
 */
#define STATE_SIZE 256

static int state_load(const char *p, char *buf, size_t len, ct_err_t *err)
{
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return errno == ENOENT ? 1 : ct_errno(err, "cannot open %s", p);
	while (flock(fd, LOCK_SH) < 0 && errno == EINTR)
		;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return ct_errno(err, "cannot read %s", p);
	buf[n] = '\0';
	return 0;
}

int ct_state_read(const struct ct_ctx *ctx, const char *name, struct ct_state_rec *rec,
		  ct_err_t *err)
{
	char p[CT_PATH_MAX], buf[STATE_SIZE * 2], *line, *save = NULL;
	int rc;

	memset(rec, 0, sizeof(*rec));
	rec->exit_status = -1;
	if (ct_path(ctx, name, "state", p, sizeof(p)) < 0)
		return ct_err(err, ENAMETOOLONG, "%s", name);
	rc = state_load(p, buf, sizeof(buf), err);
	if (rc != 0)
		return rc < 0 ? -1 : ct_err(err, 0, "container '%s' does not exist", name);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *v = strchr(line, '=');

		if (!v)
			continue;
		*v++ = '\0';
		if (!strcmp(line, "uuid"))
			snprintf(rec->uuid, sizeof(rec->uuid), "%s", v);
		else if (!strcmp(line, "created"))
			rec->created = atoll(v);
		else if (!strcmp(line, "started"))
			rec->started = atoll(v);
		else if (!strcmp(line, "pid"))
			rec->pid = atoi(v);
		else if (!strcmp(line, "monitor"))
			rec->monitor = atoi(v);
		else if (!strcmp(line, "exit"))
			rec->exit_status = atoi(v);
		else if (!strcmp(line, "veth"))
			snprintf(rec->veth, sizeof(rec->veth), "%s", v);
		else if (!strcmp(line, "terminal"))
			rec->terminal = atoi(v) != 0;
	}
	return 0;
}

int ct_state_write_dir(const char *dir, const struct ct_state_rec *rec, ct_err_t *err)
{
	char p[CT_PATH_MAX], buf[STATE_SIZE];
	int n, fd;

	if ((size_t)snprintf(p, sizeof(p), "%s/state", dir) >= sizeof(p))
		return ct_err(err, ENAMETOOLONG, "%s", dir);
	n = snprintf(buf, sizeof(buf),
		     "uuid=%s\ncreated=%lld\nstarted=%lld\npid=%d\nmonitor=%d\nexit=%d\nveth=%s\n"
		     "terminal=%d\n",
		     rec->uuid, rec->created, rec->started, (int)rec->pid, (int)rec->monitor,
		     rec->exit_status, rec->veth, rec->terminal ? 1 : 0);
	if (n < 0 || n >= (int)sizeof(buf))
		return ct_err(err, EOVERFLOW, "state record of %s", dir);
	/* blank lines up to the fixed size: a shorter record leaves nothing of a longer one */
	memset(buf + n, '\n', sizeof(buf) - (size_t)n);
	fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return ct_errno(err, "cannot open %s", p);
	while (flock(fd, LOCK_EX) < 0 && errno == EINTR)
		;
	if (pwrite(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf)) {
		ct_errno(err, "cannot write %s", p);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int ct_state_write(const struct ct_ctx *ctx, const char *name, const struct ct_state_rec *rec,
		   ct_err_t *err)
{
	char dir[CT_PATH_MAX];

	if (ct_path(ctx, name, NULL, dir, sizeof(dir)) < 0)
		return ct_err(err, ENAMETOOLONG, "%s", name);
	return ct_state_write_dir(dir, rec, err);
}

const char *ct_state_name(enum ct_state s)
{
	switch (s) {
	case CT_RUNNING:
		return "running";
	case CT_PAUSED:
		return "paused";
	default:
		return "stopped";
	}
}
