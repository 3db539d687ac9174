/* SPDX-License-Identifier: GPL-2.0-only */
/* Recycled container directories: destroy keeps a few emptied ones, create takes them back. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "internal.h"

/*
 * <root>/.spare/<id> is the directory of a destroyed container, emptied: fs/ and, if it had
 * layers, fs/upper/ (no entry, no overlay xattr) and fs/work/ (empty). Making and removing
 * those directories allocates and frees a block each, and freeing costs a synchronous discard
 * on filesystems mounted with -o discard: several per create/destroy cycle. A destroyed
 * directory is moved to .spare/.dirty-<pid> (the container is gone at that rename), emptied
 * there, then renamed to a ready name; a destroy killed half-way leaves a .dirty-<pid> that
 * the next take or put removes once <pid> is gone. At most SPARE_MAX are kept.
 */
#define SPARE_MAX 16

static void spare_dir(const struct ct_ctx *ctx, const char *leaf, char *buf, size_t len)
{
	snprintf(buf, len, "%s/.spare%s%s", ctx->root, leaf ? "/" : "", leaf ? leaf : "");
}

/* Removes every entry of dir but those named in keep (NULL-terminated). */
static int empty_dir(const char *dir, const char *const keep[])
{
	char p[CT_PATH_MAX];
	struct dirent *e;
	DIR *d = opendir(dir);
	int rc = 0;

	if (!d)
		return -1;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		bool kept = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");

		for (size_t i = 0; keep[i] && !kept; i++)
			kept = !strcmp(e->d_name, keep[i]);
		if (kept)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		rc = ct_rm_rf(p);
	}
	closedir(d);
	return rc;
}

/* Drops the overlay's xattrs (uuid, impure...) from the upper directory's root. */
static int clear_overlay_xattrs(const char *dir)
{
	char names[1024];
	ssize_t n = llistxattr(dir, names, sizeof(names));

	if (n < 0)
		return errno == ENOTSUP ? 0 : -1;
	for (char *a = names; a < names + n; a += strlen(a) + 1) {
		bool ovl = !strncmp(a, "trusted.overlay.", 16) || !strncmp(a, "user.overlay.", 13);

		if (ovl && lremovexattr(dir, a) < 0)
			return -1;
	}
	return 0;
}

/* Empties a destroyed container's directory down to the reusable skeleton. */
static int spare_clean(const char *dir)
{
	static const char *const top[] = {"fs", NULL}, *const fs[] = {"upper", "work", NULL};
	static const char *const none[] = {NULL};
	char p[CT_PATH_MAX];
	struct stat st;

	if (empty_dir(dir, top) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/fs", dir);
	if (lstat(p, &st) < 0 || !S_ISDIR(st.st_mode) || empty_dir(p, fs) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/fs/upper", dir);
	if (lstat(p, &st) == 0 &&
	    (!S_ISDIR(st.st_mode) || empty_dir(p, none) < 0 || clear_overlay_xattrs(p) < 0))
		return -1;
	snprintf(p, sizeof(p), "%s/fs/work", dir);
	if (lstat(p, &st) == 0 && (!S_ISDIR(st.st_mode) || empty_dir(p, none) < 0))
		return -1;
	return 0;
}

/* What spare_each calls for each ready spare; 0 stops the walk. */
typedef int spare_fn(const struct ct_ctx *ctx, const char *name, void *arg);

/* Calls fn for the ready spares until it returns 0 (then returns 0, else -1); counts them. */
static int spare_each(const struct ct_ctx *ctx, spare_fn *fn, void *arg, int *count)
{
	char dir[CT_PATH_MAX];
	struct dirent *e;
	DIR *d;
	int rc = -1;

	spare_dir(ctx, NULL, dir, sizeof(dir));
	d = opendir(dir);
	if (!d)
		return -1;
	while (rc < 0 && (e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (!strncmp(e->d_name, ".dirty-", 7)) {
			char p[CT_PATH_MAX];

			/* left by a destroy that was killed: remove it once its process is gone */
			spare_dir(ctx, e->d_name, p, sizeof(p));
			if (kill(atoi(e->d_name + 7), 0) < 0 && errno == ESRCH)
				(void)ct_rm_rf(p);
			continue;
		}
		if (count)
			(*count)++;
		if (fn)
			rc = fn(ctx, e->d_name, arg);
	}
	closedir(d);
	return rc;
}

static int take_one(const struct ct_ctx *ctx, const char *name, void *dst)
{
	char p[CT_PATH_MAX];

	spare_dir(ctx, name, p, sizeof(p));
	return rename(p, dst); /* ENOENT: another create took it first */
}

int ct_spare_take(const struct ct_ctx *ctx, const char *dst)
{
	return spare_each(ctx, take_one, (void *)dst, NULL);
}

int ct_spare_put(const struct ct_ctx *ctx, const char *dir)
{
	char dirty[CT_PATH_MAX], ready[CT_PATH_MAX], id[32];
	int count = 0;

	spare_dir(ctx, NULL, dirty, sizeof(dirty));
	if (mkdir(dirty, 0700) < 0 && errno != EEXIST)
		return -1;
	snprintf(id, sizeof(id), ".dirty-%d", (int)getpid());
	spare_dir(ctx, id, dirty, sizeof(dirty));
	if (rename(dir, dirty) < 0)
		return -1;
	ct_crashpoint("destroy-moved");
	(void)spare_each(ctx, NULL, NULL, &count);
	snprintf(id, sizeof(id), "%d-%lx", (int)getpid(), (unsigned long)random());
	spare_dir(ctx, id, ready, sizeof(ready));
	if (count >= SPARE_MAX || spare_clean(dirty) < 0 || rename(dirty, ready) < 0)
		(void)ct_rm_rf(dirty);
	return 0;
}
