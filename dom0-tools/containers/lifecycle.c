/* SPDX-License-Identifier: GPL-2.0-only */
/* Container lifecycle: create, start, stop, kill, pause, unpause, destroy. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>
#include "internal.h"

static int check_name(const char *name, ct_err_t *err)
{
	if (!ct_name_valid(name))
		return ct_err(err, 0, "'%s' is not a valid container name", name);
	return 0;
}

/* Removes what a crashed create of name may have left: .tmp-<name>-* directories. */
static void gc_tmp(const struct ct_ctx *ctx, const char *name)
{
	char pat[CT_PATH_MAX];
	glob_t g;

	snprintf(pat, sizeof(pat), "%s/.tmp-%s-*", ctx->root, name);
	if (glob(pat, GLOB_NOSORT, NULL, &g) != 0)
		return;
	for (size_t i = 0; i < g.gl_pathc; i++)
		(void)ct_rm_rf(g.gl_pathv[i]);
	globfree(&g);
}

/* Checks what create can check on the host: layers, bind sources, cgroup controllers. */
static int create_checks(struct ct_ctx *ctx, const struct ct_config *cfg, ct_err_t *err)
{
	char lower[CT_PATH_MAX];
	struct ct_cgroup cg;
	struct stat st;

	if (cfg->n_layers && ct_rootfs_lowerdirs(ctx, cfg, lower, sizeof(lower), err) < 0) {
		ct_err_prefix(err, "%s", cfg->file);
		return -1;
	}
	if (cfg->rootfs_dir && (stat(cfg->rootfs_dir, &st) < 0 || !S_ISDIR(st.st_mode)))
		return ct_err(err, errno ? errno : ENOTDIR, "%s: rootfs path %s", cfg->file,
			      cfg->rootfs_dir);
	for (unsigned i = 0; i < cfg->n_mounts; i++) {
		const struct ct_mount *m = &cfg->mounts[i];

		if (m->type == CT_MOUNT_BIND && stat(m->source, &st) < 0)
			return ct_errno(err, "%s: bind source %s", cfg->file, m->source);
	}
	if (cfg->n_uidmap && !cfg->n_gidmap)
		return ct_err(err, 0, "%s: <idmap> needs both uid and gid ranges", cfg->file);
	if (ct_cgroup_init(&cg, ctx->cgparent, cfg->name, err) < 0)
		return -1;
	return ct_cgroup_check(&cg, cfg, err);
}

static int create_commit(struct ct_ctx *ctx, const struct ct_config *cfg, const char *xml,
			 ct_err_t *err)
{
	char tmp[CT_PATH_MAX], p[CT_PATH_MAX], dst[CT_PATH_MAX];
	struct ct_state_rec rec = {.exit_status = -1};
	bool reused;
	uuid_t u;

	snprintf(tmp, sizeof(tmp), "%s/.tmp-%s-%d", ctx->root, cfg->name, (int)getpid());
	reused = ct_spare_take(ctx, tmp) == 0;
	/* 0711: a user-namespace root must reach fs/, but nobody else lists or reads */
	if (!reused && ct_mkdir_p(tmp, 0711, err) < 0)
		return -1;
	ct_crashpoint("create-tmpdir");
	/* plain writes: nothing in tmp is visible before the rename below */
	snprintf(p, sizeof(p), "%s/config.xml", tmp);
	if (ct_write_file_new(p, xml, 0600, err) < 0 ||
	    ct_rootfs_prepare(ctx, tmp, cfg, reused, err) < 0)
		goto fail;
	ct_crashpoint("create-prepared");
	if (cfg->uuid[0]) {
		snprintf(rec.uuid, sizeof(rec.uuid), "%s", cfg->uuid);
	} else {
		uuid_generate(u);
		uuid_unparse_lower(u, rec.uuid);
	}
	rec.created = time(NULL);
	rec.terminal = cfg->terminal;
	if (ct_state_write_dir(tmp, &rec, err) < 0)
		goto fail;
	ct_crashpoint("create-state");
	ct_path(ctx, cfg->name, NULL, dst, sizeof(dst));
	if (rename(tmp, dst) < 0) {
		ct_errno(err, "cannot create %s", dst);
		goto fail;
	}
	return 0;
fail:
	(void)ct_rm_rf(tmp);
	return -1;
}

/* Creates from a definition in memory; label names it in messages. */
static int create_mem(struct ct_ctx *ctx, const char *xml, const char *label, char *name_out,
		      size_t name_len, ct_err_t *err)
{
	struct ct_config cfg;
	char dir[CT_PATH_MAX];
	size_t len = strlen(xml);
	bool known = ct_defcache_has(ctx, xml, len);
	int lock, rc = -1;

	if ((known ? ct_config_load_mem_valid(&cfg, xml, (int)len, label, err)
		   : ct_config_load_mem(&cfg, xml, (int)len, label, err)) < 0)
		return -1;
	if (!known)
		ct_defcache_add(ctx, xml, len);
	if (ct_rootless_adjust(&cfg, err) < 0) {
		ct_config_free(&cfg);
		return -1;
	}
	lock = ct_name_lock(ctx, cfg.name, err);
	if (lock < 0)
		goto out;
	gc_tmp(ctx, cfg.name);
	ct_path(ctx, cfg.name, NULL, dir, sizeof(dir));
	if (ct_exists(ctx, cfg.name)) {
		ct_err(err, 0, "container '%s' already exists", cfg.name);
		goto out;
	}
	/* a directory without its state file is a half-destroyed container: finish the job */
	if (access(dir, F_OK) == 0 && (ct_reclaim(ctx, cfg.name, err) < 0 || ct_rm_rf(dir) < 0))
		goto out;
	if (create_checks(ctx, &cfg, err) < 0 || create_commit(ctx, &cfg, xml, err) < 0)
		goto out;
	snprintf(name_out, name_len, "%s", cfg.name);
	rc = 0;
out:
	if (lock >= 0)
		close(lock);
	ct_config_free(&cfg);
	return rc;
}

int ct_create(struct ct_ctx *ctx, const char *file, char *name_out, size_t name_len, ct_err_t *err)
{
	char *xml;
	size_t len;
	int rc;

	ct_trace("create");
	if (ct_read_file(file, &xml, &len, err) < 0)
		return -1;
	if (len > INT_MAX || strlen(xml) != len) {
		free(xml);
		return ct_err(err, 0, "%s: not a text file", file);
	}
	rc = create_mem(ctx, xml, file, name_out, name_len, err);
	free(xml);
	return rc;
}

int ct_create_oci(struct ct_ctx *ctx, const char *bundle, const char *name, char *name_out,
		  size_t name_len, ct_err_t *err)
{
	char label[CT_PATH_MAX];
	char *xml;
	int len, rc;

	if (!ct_name_valid(name))
		return ct_err(err, 0, "'%s' is not a valid container name", name);
	if (ct_oci_to_xml(bundle, name, &xml, &len, err) < 0)
		return -1;
	snprintf(label, sizeof(label), "%s/config.json (as XML)", bundle);
	rc = create_mem(ctx, xml, label, name_out, name_len, err);
	free(xml);
	return rc;
}

int ct_reclaim(const struct ct_ctx *ctx, const char *name, ct_err_t *err)
{
	struct ct_cgroup cg;
	char veth[16];

	ct_net_veth_name(name, veth, sizeof(veth));
	if (ct_net_link_del(veth, err) < 0)
		return -1;
	if (ct_cgroup_init(&cg, ctx->cgparent, name, NULL) == 0 && ct_cgroup_destroy(&cg, err) < 0)
		return -1;
	return 0;
}

void ct_gc(const struct ct_ctx *ctx, const char *name)
{
	char p[CT_PATH_MAX];
	int fd;

	snprintf(p, sizeof(p), "%s/.locks/%s", ctx->root, name);
	fd = ct_lock_file(p, false);
	if (fd < 0)
		return;
	if (!ct_monitor_alive(ctx, name))
		(void)ct_reclaim(ctx, name, NULL);
	close(fd);
}

/* Loads the stored definition of name. */
static int load_stored(const struct ct_ctx *ctx, const char *name, struct ct_config *cfg,
		       ct_err_t *err)
{
	char p[CT_PATH_MAX];

	ct_path(ctx, name, "config.xml", p, sizeof(p));
	if (ct_config_load_stored(cfg, p, err) < 0)
		return -1;
	if (ct_rootless_adjust(cfg, err) < 0) {
		ct_config_free(cfg);
		return -1;
	}
	return 0;
}

/* Fills sp for name: cgroup created and limited, paths resolved. */
static int start_prepare(struct ct_ctx *ctx, const char *name, struct ct_spawn *sp, ct_err_t *err)
{
	const struct ct_config *cfg = sp->cfg;

	sp->ctx = ctx;
	sp->name = name;
	sp->console_fd = -1;
	sp->stdio[0] = sp->stdio[1] = sp->stdio[2] = -1;
	ct_path(ctx, name, NULL, sp->dir, sizeof(sp->dir));
	if (cfg->net.type == CT_NET_BRIDGE)
		ct_net_veth_name(name, sp->veth, sizeof(sp->veth));
	if (cfg->n_layers &&
	    ct_rootfs_lowerdirs(ctx, cfg, sp->lowerdirs, sizeof(sp->lowerdirs), err) < 0)
		return -1;
	if (ct_reclaim(ctx, name, err) < 0 ||
	    ct_cgroup_init(&sp->cg, ctx->cgparent, name, err) < 0 ||
	    ct_cgroup_check(&sp->cg, cfg, err) < 0)
		return -1;
	ct_cgroup_trim(&sp->cg, cfg);
	if (ct_cgroup_create(&sp->cg, err) < 0)
		return -1;
	ct_crashpoint("start-cgroup");
	if (ct_cgroup_apply(&sp->cg, cfg, err) < 0) {
		(void)ct_cgroup_destroy(&sp->cg, NULL);
		return -1;
	}
	return 0;
}

int ct_record_started(struct ct_spawn *sp, ct_err_t *err)
{
	struct ct_state_rec rec;

	if (ct_state_read(sp->ctx, sp->name, &rec, err) < 0)
		return -1;
	rec.pid = sp->pid;
	rec.monitor = getpid();
	rec.started = time(NULL);
	rec.exit_status = -1;
	rec.terminal = sp->console_fd >= 0;
	snprintf(rec.veth, sizeof(rec.veth), "%s", sp->veth);
	return ct_state_write(sp->ctx, sp->name, &rec, err);
}

void ct_record_stopped(const struct ct_ctx *ctx, const char *name, int wstatus)
{
	struct ct_state_rec rec;

	(void)ct_reclaim(ctx, name, NULL);
	if (ct_state_read(ctx, name, &rec, NULL) == 0) {
		rec.pid = 0;
		rec.monitor = 0;
		rec.exit_status = wstatus;
		(void)ct_state_write(ctx, name, &rec, NULL);
	}
}

/* keep: record the exit in the state (not for a container destroyed right after, ct_run). */
static int start_foreground(struct ct_spawn *sp, int *wstatus, int name_lock, bool keep,
			    ct_err_t *err)
{
	int st = 0;

	if (ct_spawn(sp, err) < 0 || ct_record_started(sp, err) < 0) {
		if (sp->pid > 0)
			kill(sp->pid, SIGKILL);
		(void)ct_reclaim(sp->ctx, sp->name, NULL);
		close(name_lock);
		return -1;
	}
	close(name_lock);
	ct_trace("start: init running");
	while (waitpid(sp->pid, &st, 0) < 0) {
		if (errno != EINTR)
			break;
	}
	ct_trace("start: init exited");
	if (keep)
		ct_record_stopped(sp->ctx, sp->name, st);
	if (wstatus)
		*wstatus = st;
	return 0;
}

/*
 * Forks the detached monitor and waits for its "ready" line. One fork: the monitor starts a
 * session of its own and outlives this process (then it is reparented); it opens every
 * terminal O_NOCTTY, so it needs no second fork to stay clear of a controlling terminal.
 */
static int start_detached(struct ct_spawn *sp, int name_lock, ct_err_t *err)
{
	char msg[CT_ERR_MSG_MAX + 16];
	int ready[2];
	ssize_t n;
	pid_t mid;

	if (pipe2(ready, O_CLOEXEC) < 0)
		return ct_errno(err, "pipe");
	mid = fork();
	if (mid < 0) {
		close(ready[0]);
		close(ready[1]);
		return ct_errno(err, "fork");
	}
	if (mid == 0) {
		close(ready[0]);
		close(name_lock);
		if (setsid() < 0)
			_exit(1);
		ct_monitor_run(sp, ready[1]);
	}
	close(ready[1]);
	do {
		n = read(ready[0], msg, sizeof(msg) - 1);
	} while (n < 0 && errno == EINTR);
	close(ready[0]);
	if (n <= 0)
		return ct_err(err, 0, "the container monitor died during start");
	msg[n] = '\0';
	if (!strcmp(msg, "0\n"))
		return 0;
	return ct_err(err, atoi(msg), "%s", strchr(msg, ' ') ? strchr(msg, ' ') + 1 : msg);
}

int ct_start(struct ct_ctx *ctx, const char *name, const struct ct_start_opts *opts, int *wstatus,
	     ct_err_t *err)
{
	struct ct_spawn sp = {0};
	struct ct_config cfg;
	char p[CT_PATH_MAX];
	int lock, mlock = -1, rc = -1;

	if (check_name(name, err) < 0)
		return -1;
	lock = ct_name_lock(ctx, name, err);
	if (lock < 0)
		return -1;
	if (!ct_exists(ctx, name)) {
		close(lock);
		return ct_err(err, 0, "container '%s' does not exist", name);
	}
	ct_path(ctx, name, "monitor.lock", p, sizeof(p));
	mlock = ct_lock_file(p, false);
	if (mlock < 0) {
		close(lock);
		return errno == EWOULDBLOCK
			       ? ct_err(err, 0, "container '%s' is already running", name)
			       : ct_errno(err, "cannot lock %s", p);
	}
	ct_trace("start: locked");
	if (load_stored(ctx, name, &cfg, err) < 0)
		goto out;
	ct_trace("start: definition loaded");
	sp.cfg = &cfg;
	if (start_prepare(ctx, name, &sp, err) < 0)
		goto out_cfg;
	if (opts && opts->foreground) {
		rc = start_foreground(&sp, wstatus, lock, !opts->remove, err);
		lock = -1;
	} else {
		rc = start_detached(&sp, lock, err);
	}
out_cfg:
	ct_config_free(&cfg);
out:
	close(mlock);
	if (lock >= 0)
		close(lock);
	return rc;
}

int ct_run(struct ct_ctx *ctx, const char *file, bool remove, char *name_out, size_t name_len,
	   int *wstatus, ct_err_t *err)
{
	struct ct_start_opts so = {.foreground = true, .remove = remove};
	ct_err_t derr;
	int rc;

	if (ct_create(ctx, file, name_out, name_len, err) < 0)
		return -1;
	rc = ct_start(ctx, name_out, &so, wstatus, err);
	/* the exit was not recorded: destroy reclaims what the init left (cgroups, veth) */
	if (remove && ct_destroy(ctx, name_out, true, rc < 0 ? &derr : err) < 0 && rc == 0)
		rc = -1;
	return rc;
}

/* Reads the state of a running container; error if it is not running. */
static int running(struct ct_ctx *ctx, const char *name, struct ct_state_rec *rec, ct_err_t *err)
{
	if (check_name(name, err) < 0 || ct_state_read(ctx, name, rec, err) < 0)
		return -1;
	if (!ct_monitor_alive(ctx, name) || rec->pid <= 0)
		return ct_err(err, 0, "container '%s' is not running", name);
	return 0;
}

/* Waits up to ms for the monitor to finish; true if it did. */
static bool wait_stopped(struct ct_ctx *ctx, const char *name, int ms)
{
	const struct timespec ts = {0, 5000000};

	for (int t = 0; t <= ms; t += 5) {
		if (!ct_monitor_alive(ctx, name))
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

static void thaw(struct ct_ctx *ctx, const char *name)
{
	struct ct_cgroup cg;

	if (ct_cgroup_init(&cg, ctx->cgparent, name, NULL) == 0 && ct_cgroup_frozen(&cg))
		(void)ct_cgroup_freeze(&cg, false, NULL);
}

int ct_stop(struct ct_ctx *ctx, const char *name, int timeout, ct_err_t *err)
{
	struct ct_state_rec rec;
	struct ct_config cfg;
	int sig = SIGTERM;

	if (running(ctx, name, &rec, err) < 0)
		return -1;
	if (load_stored(ctx, name, &cfg, NULL) == 0) {
		sig = cfg.stop_signal;
		if (timeout < 0)
			timeout = cfg.stop_timeout;
		ct_config_free(&cfg);
	}
	if (timeout < 0)
		timeout = 10;
	kill(rec.pid, sig);
	thaw(ctx, name);
	if (wait_stopped(ctx, name, timeout * 1000))
		return 0;
	kill(rec.pid, SIGKILL); /* the pid namespace dies with its init */
	thaw(ctx, name);
	if (wait_stopped(ctx, name, 10000))
		return 0;
	return ct_err(err, ETIMEDOUT, "container '%s' did not stop", name);
}

int ct_kill(struct ct_ctx *ctx, const char *name, int sig, ct_err_t *err)
{
	struct ct_state_rec rec;

	if (running(ctx, name, &rec, err) < 0)
		return -1;
	if (kill(rec.pid, sig) < 0)
		return ct_errno(err, "cannot signal container '%s'", name);
	return 0;
}

static int freeze(struct ct_ctx *ctx, const char *name, bool on, ct_err_t *err)
{
	struct ct_state_rec rec;
	struct ct_cgroup cg;

	if (running(ctx, name, &rec, err) < 0 || ct_cgroup_init(&cg, ctx->cgparent, name, err) < 0)
		return -1;
	if (ct_rootless())
		return ct_err(err, 0,
			      "pause needs a freezer cgroup, which rootless containers lack");
	if (ct_cgroup_frozen(&cg) == on)
		return ct_err(err, 0, "container '%s' is %s", name,
			      on ? "already paused" : "not paused");
	return ct_cgroup_freeze(&cg, on, err);
}

int ct_pause(struct ct_ctx *ctx, const char *name, ct_err_t *err)
{
	return freeze(ctx, name, true, err);
}

int ct_unpause(struct ct_ctx *ctx, const char *name, ct_err_t *err)
{
	return freeze(ctx, name, false, err);
}

int ct_destroy(struct ct_ctx *ctx, const char *name, bool force, ct_err_t *err)
{
	struct ct_state_rec rec;
	struct ct_cgroup cg;
	char dir[CT_PATH_MAX], lp[CT_PATH_MAX];
	int lock, rc = -1;

	ct_trace("destroy");
	if (check_name(name, err) < 0)
		return -1;
	lock = ct_name_lock(ctx, name, err);
	if (lock < 0)
		return -1;
	ct_path(ctx, name, NULL, dir, sizeof(dir));
	if (!ct_exists(ctx, name) && access(dir, F_OK) < 0) {
		ct_err(err, 0, "container '%s' does not exist", name);
		goto out;
	}
	if (ct_monitor_alive(ctx, name)) {
		if (!force) {
			ct_err(err, 0, "container '%s' is running (stop it first, or use -f)",
			       name);
			goto out;
		}
		if (ct_state_read(ctx, name, &rec, NULL) == 0 && rec.pid > 0)
			kill(rec.pid, SIGKILL);
		thaw(ctx, name);
		if (!wait_stopped(ctx, name, 10000)) {
			ct_err(err, ETIMEDOUT, "container '%s' did not die", name);
			goto out;
		}
	}
	if (ct_reclaim(ctx, name, err) < 0)
		goto out;
	if (ct_cgroup_init(&cg, ctx->cgparent, name, NULL) == 0)
		ct_cgroup_remove_parents(&cg);
	ct_crashpoint("destroy-reclaimed");
	if (ct_spare_put(ctx, dir) < 0 && ct_rm_rf(dir) < 0) {
		ct_errno(err, "cannot remove %s", dir);
		goto out;
	}
	snprintf(lp, sizeof(lp), "%s/.locks/%s", ctx->root, name);
	unlink(lp);
	ct_trace("destroyed");
	rc = 0;
out:
	close(lock);
	return rc;
}
