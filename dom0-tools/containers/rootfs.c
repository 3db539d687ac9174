/* SPDX-License-Identifier: GPL-2.0-only */
/* Root filesystems: layer store, overlay with a per-container upper, volumes, /dev /proc /sys. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "internal.h"

int ct_layer_path(const struct ct_ctx *ctx, const char *lname, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/.layers/%s", ctx->root, lname);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static bool is_tarball(const char *src)
{
	struct stat st;

	return stat(src, &st) == 0 && S_ISREG(st.st_mode);
}

static uid_t shift_by;

static int shift_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)type;
	(void)ftw;
	if (lchown(path, sb->st_uid + shift_by, sb->st_gid + shift_by) < 0)
		return -1;
	/* chown clears set-id bits: put the mode back (symlinks have none) */
	if (!S_ISLNK(sb->st_mode) && (sb->st_mode & (S_ISUID | S_ISGID)))
		return chmod(path, sb->st_mode & 07777);
	return 0;
}

/* Adds shift to every owner in the tree (LXC's uidshift): the layer then reads as owned by
 * the container's root for containers whose <idmap> maps 0 to shift. */
static int layer_shift(const char *dir, uid_t shift, ct_err_t *err)
{
	shift_by = shift;
	if (nftw(dir, shift_one, 32, FTW_PHYS | FTW_MOUNT) < 0)
		return ct_errno(err, "cannot shift the owners in %s", dir);
	return 0;
}

int ct_layer_import(struct ct_ctx *ctx, const char *lname, const char *src, uid_t shift,
		    ct_err_t *err)
{
	char dst[CT_PATH_MAX], tmp[CT_PATH_MAX], dot[CT_PATH_MAX];
	struct stat st;
	int rc;

	if (!ct_name_valid(lname))
		return ct_err(err, 0,
			      "invalid layer name '%s' (expected [A-Za-z0-9][A-Za-z0-9_.-]*)",
			      lname);
	if (stat(src, &st) < 0)
		return ct_errno(err, "cannot import %s", src);
	if (ct_layer_path(ctx, lname, dst, sizeof(dst)) < 0)
		return ct_err(err, ENAMETOOLONG, "%s", lname);
	if (access(dst, F_OK) == 0)
		return ct_err(err, EEXIST, "layer '%s' already exists", lname);
	snprintf(tmp, sizeof(tmp), "%s/.layers/.tmp-%s-%d", ctx->root, lname, (int)getpid());
	if (ct_mkdir_p(tmp, 0755, err) < 0)
		return -1;
	if (is_tarball(src)) {
		char *argv[] = {"/bin/tar", "--numeric-owner", "-xf", (char *)src, "-C", tmp, NULL};

		rc = ct_run_prog(argv, err);
	} else {
		char *argv[] = {"/bin/cp", "-a", dot, tmp, NULL};

		snprintf(dot, sizeof(dot), "%s/.", src);
		rc = ct_run_prog(argv, err);
	}
	if (rc == 0 && shift)
		rc = layer_shift(tmp, shift, err);
	if (rc == 0 && chmod(tmp, 0755) == 0 && rename(tmp, dst) == 0)
		return 0;
	if (rc == 0)
		ct_errno(err, "cannot commit layer %s", dst);
	(void)ct_rm_rf(tmp);
	return -1;
}

int ct_layer_remove(struct ct_ctx *ctx, const char *lname, ct_err_t *err)
{
	char dst[CT_PATH_MAX];

	if (!ct_name_valid(lname) || ct_layer_path(ctx, lname, dst, sizeof(dst)) < 0)
		return ct_err(err, 0, "invalid layer name '%s'", lname);
	if (access(dst, F_OK) < 0)
		return ct_err(err, 0, "layer '%s' does not exist", lname);
	if (ct_rm_rf(dst) < 0)
		return ct_errno(err, "cannot remove %s", dst);
	return 0;
}

int ct_layer_list(struct ct_ctx *ctx, int (*fn)(const char *lname, void *arg), void *arg,
		  ct_err_t *err)
{
	char dir[CT_PATH_MAX];
	struct dirent **ents;
	int n, rc = 0;

	snprintf(dir, sizeof(dir), "%s/.layers", ctx->root);
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		return errno == ENOENT ? 0 : ct_errno(err, "cannot list %s", dir);
	for (int i = 0; i < n; i++) {
		if (rc == 0 && ents[i]->d_name[0] != '.')
			rc = fn(ents[i]->d_name, arg);
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int ct_rootfs_lowerdirs(const struct ct_ctx *ctx, const struct ct_config *cfg, char *buf,
			size_t len, ct_err_t *err)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned i = cfg->n_layers; i-- > 0;) {
		char p[CT_PATH_MAX];
		const char *l = cfg->layers[i];
		int n;

		if (l[0] == '/')
			snprintf(p, sizeof(p), "%s", l);
		else if (ct_layer_path(ctx, l, p, sizeof(p)) < 0)
			return ct_err(err, ENAMETOOLONG, "%s", l);
		if (access(p, F_OK) < 0)
			return l[0] == '/' ? ct_errno(err, "layer directory %s", p)
					   : ct_err(err, 0,
						    "layer '%s' does not exist (import it with "
						    "'hx container import %s DIR|TARBALL')",
						    l, l);
		if (strchr(p, ':') || strchr(p, ','))
			return ct_err(err, 0, "layer path %s contains ':' or ','", p);
		n = snprintf(buf + off, len - off, "%s%s", off ? ":" : "", p);
		if (n < 0 || (size_t)n >= len - off)
			return ct_err(err, ENAMETOOLONG, "too many layers");
		off += (size_t)n;
	}
	return 0;
}

/* Host id that container id 0 maps to (for owning the upper layer), or 0 without userns. */
static uid_t mapped_root(const struct ct_idmap *m, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (m[i].ct_id == 0)
			return m[i].host_id;
	}
	return 0;
}

int ct_rootfs_prepare(const struct ct_ctx *ctx, const char *dir, const struct ct_config *cfg,
		      bool reused, ct_err_t *err)
{
	static const char *const sub[] = {"fs", "fs/upper", "fs/work"};
	uid_t uid = mapped_root(cfg->uidmap, cfg->n_uidmap);
	gid_t gid = mapped_root(cfg->gidmap, cfg->n_gidmap);
	char p[CT_PATH_MAX];

	(void)ctx;
	/* fs/ is the root's mount point; a bind-mounted root needs no upper layer */
	for (size_t i = 0; i < (cfg->n_layers ? 3 : 1); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, sub[i]);
		if (mkdir(p, 0755) < 0 && (!reused || errno != EEXIST))
			return ct_errno(err, "cannot create %s", p);
		/* a spare may come from a container with another id map */
		if (i > 0 && (uid || gid || reused) && lchown(p, uid, gid) < 0)
			return ct_errno(err, "cannot chown %s", p);
	}
	return 0;
}

/* ---- in the child ------------------------------------------------------------------------ */

static int mnt(const char *src, const char *dst, const char *type, unsigned long fl,
	       const char *data, ct_err_t *err)
{
	if (mount(src, dst, type, fl, data) < 0)
		return ct_errno(err, "cannot mount %s on %s",
				type  ? type
				: src ? src
				      : "(remount)",
				dst);
	return 0;
}

/* Creates root + target and the directories leading to it below root (not above). */
static int make_below(const char *root, const char *out, bool like_file, ct_err_t *err)
{
	char p[CT_PATH_MAX];
	size_t rl = strlen(root);
	int fd;

	snprintf(p, sizeof(p), "%s", out);
	for (char *s = p + rl + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return ct_errno(err, "cannot create %s", p);
		*s = '/';
	}
	if (!like_file) {
		if (mkdir(out, 0755) < 0 && errno != EEXIST)
			return ct_errno(err, "cannot create %s", out);
		return 0;
	}
	fd = open(out, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd >= 0)
		close(fd);
	return 0;
}

/* Creates target (a directory, or a file when like_file) below root, refusing escapes. */
static int make_target(const char *root, const char *target, bool like_file, char *out, size_t len,
		       ct_err_t *err)
{
	char real[CT_PATH_MAX];
	size_t rl = strlen(root);
	struct stat st;

	snprintf(out, len, "%s%s", root, target);
	if (make_below(root, out, like_file, err) < 0)
		return -1;
	/* one component that is neither ".." nor a symbolic link cannot lead out of root */
	if (!strchr(target + 1, '/') && strcmp(target, "/..") != 0 && lstat(out, &st) == 0 &&
	    !S_ISLNK(st.st_mode))
		return 0;
	if (!realpath(out, real))
		return ct_errno(err, "cannot resolve %s", out);
	if (strncmp(real, root, rl) != 0 || (real[rl] != '/' && real[rl] != '\0'))
		return ct_err(err, 0, "mount target %s escapes the container root", target);
	return 0;
}

static int bind_into(const char *root, const char *src, const char *target, bool ro, ct_err_t *err)
{
	char dst[CT_PATH_MAX];
	struct stat st;

	if (stat(src, &st) < 0)
		return ct_errno(err, "bind source %s", src);
	if (make_target(root, target, !S_ISDIR(st.st_mode), dst, sizeof(dst), err) < 0)
		return -1;
	if (mnt(src, dst, NULL, MS_BIND | MS_REC, NULL, err) < 0)
		return -1;
	if (!S_ISCHR(st.st_mode) &&
	    mnt(NULL, dst, NULL, MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV | (ro ? MS_RDONLY : 0),
		NULL, err) < 0)
		return -1;
	return 0;
}

static int setup_volumes(const struct ct_rootfs_args *a, ct_err_t *err)
{
	const struct ct_config *c = a->cfg;

	for (unsigned i = 0; i < c->n_mounts; i++) {
		const struct ct_mount *m = &c->mounts[i];
		char dst[CT_PATH_MAX], opts[64] = "mode=755";

		if (m->type == CT_MOUNT_BIND) {
			if (bind_into(a->merged, m->source, m->target, m->readonly, err) < 0)
				return -1;
			continue;
		}
		if (make_target(a->merged, m->target, false, dst, sizeof(dst), err) < 0)
			return -1;
		if (m->size > 0)
			snprintf(opts, sizeof(opts), "mode=755,size=%lld", (long long)m->size);
		if (mnt("tmpfs", dst, "tmpfs", MS_NOSUID | MS_NODEV, opts, err) < 0)
			return -1;
	}
	return 0;
}

/* The device nodes of /dev: made with mknod (umask off: no chmod after each), or bind-mounted
 * from the host in a user namespace, where mknod is not allowed. */
static int dev_nodes(const struct ct_rootfs_args *a, const char *dev, ct_err_t *err)
{
	static const struct {
		const char *name;
		unsigned major, minor;
	} nodes[] = {{"null", 1, 3},   {"zero", 1, 5},	  {"full", 1, 7},
		     {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0}};
	char p[CT_PATH_MAX], src[64];
	mode_t umask_was = umask(0);
	int rc = 0;

	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]) && rc == 0; i++) {
		snprintf(src, sizeof(src), "/dev/%s", nodes[i].name);
		snprintf(p, sizeof(p), "%s/%s", dev, nodes[i].name);
		if (!a->cfg->n_uidmap &&
		    mknod(p, S_IFCHR | 0666, makedev(nodes[i].major, nodes[i].minor)) == 0)
			continue;
		rc = bind_into(a->merged, src, src, false, err);
	}
	umask(umask_was);
	return rc;
}

static int setup_dev(const struct ct_rootfs_args *a, ct_err_t *err)
{
	static const char *const links[][2] = {
		{"/proc/self/fd", "fd"},       {"/proc/self/fd/0", "stdin"},
		{"/proc/self/fd/1", "stdout"}, {"/proc/self/fd/2", "stderr"},
		{"pts/ptmx", "ptmx"},
	};
	char dev[CT_PATH_MAX], p[CT_PATH_MAX];

	if (make_target(a->merged, "/dev", false, dev, sizeof(dev), err) < 0 ||
	    mnt("tmpfs", dev, "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536", err) <
		    0 ||
	    dev_nodes(a, dev, err) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dev, links[i][1]);
		if (symlink(links[i][0], p) < 0)
			return ct_errno(err, "cannot create %s", p);
	}
	snprintf(p, sizeof(p), "%s/pts", dev);
	if (mkdir(p, 0755) < 0 || mnt("devpts", p, "devpts", MS_NOSUID | MS_NOEXEC,
				      "newinstance,ptmxmode=0666,mode=620", err) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/shm", dev);
	if (mkdir(p, 01777) < 0 || mnt("shm", p, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
				       "mode=1777,size=65536k", err) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/mqueue", dev);
	if (mkdir(p, 0755) < 0 ||
	    mnt("mqueue", p, "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, err) < 0)
		return -1;
	if (a->console && bind_into(a->merged, a->console, "/dev/console", false, err) < 0)
		return -1;
	return 0;
}

static int setup_proc_sys(const struct ct_rootfs_args *a, ct_err_t *err)
{
	char p[CT_PATH_MAX];

	if (make_target(a->merged, "/proc", false, p, sizeof(p), err) < 0 ||
	    mnt("proc", p, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, err) < 0)
		return -1;
	if (make_target(a->merged, "/sys", false, p, sizeof(p), err) < 0)
		return -1;
	if (mount("sysfs", p, "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, NULL) == 0)
		return 0;
	/* sysfs needs a private netns owned by our userns; fall back to a read-only bind. */
	if (mnt("/sys", p, NULL, MS_BIND | MS_REC, NULL, err) < 0)
		return -1;
	return mnt(NULL, p, NULL,
		   MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, err);
}

/* Paths hidden or made read-only after pivot_root (the OCI/crun defaults). */
static const char *const masked[] = {
	"/proc/acpi",
	"/proc/asound",
	"/proc/kcore",
	"/proc/keys",
	"/proc/latency_stats",
	"/proc/timer_list",
	"/proc/timer_stats",
	"/proc/sched_debug",
	"/proc/scsi",
	"/sys/firmware",
	"/sys/devices/virtual/powercap",
};
static const char *const readonly[] = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
				       "/proc/sysrq-trigger"};

static int mask_paths(ct_err_t *err)
{
	const unsigned long rofl =
		MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
	struct stat st;

	for (size_t i = 0; i < sizeof(masked) / sizeof(masked[0]); i++) {
		if (stat(masked[i], &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (mnt("tmpfs", masked[i], "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV,
				"size=0", err) < 0)
				return -1;
		} else if (mnt("/dev/null", masked[i], NULL, MS_BIND, NULL, err) < 0) {
			return -1;
		}
	}
	for (size_t i = 0; i < sizeof(readonly) / sizeof(readonly[0]); i++) {
		if (stat(readonly[i], &st) < 0)
			continue;
		if (mnt(readonly[i], readonly[i], NULL, MS_BIND | MS_REC, NULL, err) < 0 ||
		    mnt(NULL, readonly[i], NULL, rofl, NULL, err) < 0)
			return -1;
	}
	return 0;
}

static int mount_root(const struct ct_rootfs_args *a, ct_err_t *err)
{
	const struct ct_config *c = a->cfg;
	char opts[CT_PATH_MAX * 2];

	/* nodev everywhere but /dev: device nodes shipped in an image or a volume stay inert */
	if (!a->lowerdirs) {
		if (mnt(c->rootfs_dir, a->merged, NULL, MS_BIND | MS_REC, NULL, err) < 0)
			return -1;
		/* read-only comes last (ct_rootfs_setup): mount points may have to be made */
		return mnt(NULL, a->merged, NULL, MS_BIND | MS_REMOUNT | MS_NODEV, NULL, err);
	}
	if ((size_t)snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s", a->lowerdirs,
			     a->upper, a->work) >= sizeof(opts))
		return ct_err(err, ENAMETOOLONG, "overlay options");
	return mnt("overlay", a->merged, "overlay", MS_NODEV, opts, err);
}

int ct_rootfs_setup(const struct ct_rootfs_args *a, ct_err_t *err)
{
	if (mnt(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL, err) < 0)
		return -1;
	if (mount_root(a, err) < 0 || setup_volumes(a, err) < 0 || setup_proc_sys(a, err) < 0 ||
	    setup_dev(a, err) < 0)
		return -1;
	if (!a->lowerdirs && a->cfg->rootfs_readonly &&
	    mnt(NULL, a->merged, NULL, MS_BIND | MS_REMOUNT | MS_NODEV | MS_RDONLY, NULL, err) < 0)
		return -1;
	if (chdir(a->merged) < 0)
		return ct_errno(err, "chdir %s", a->merged);
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return ct_errno(err, "pivot_root to %s", a->merged);
	if (umount2(".", MNT_DETACH) < 0)
		return ct_errno(err, "cannot detach the old root");
	if (chdir("/") < 0)
		return ct_errno(err, "chdir /");
	return mask_paths(err);
}
