/* SPDX-License-Identifier: GPL-2.0-only */
/* libhxct internals shared between its source files (not installed). */
#ifndef HXCT_INTERNAL_H
#define HXCT_INTERNAL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "include/hxct/config.h"
#include "include/hxct/ct.h"
#include "include/hxct/error.h"

#define CT_PATH_MAX 4096

/* config.c: loads a definition stored by ct_create (schema-validated then), skipping the
 * schema pass (libxml2 schema compile and walk); the semantic checks still run. */
int ct_config_load_stored(struct ct_config *cfg, const char *file, ct_err_t *err);
/* ct_config_load_mem of a text known to pass the schema (ct_defcache_has): no schema pass. */
int ct_config_load_mem_valid(struct ct_config *cfg, const char *buf, int len, const char *name,
			     ct_err_t *err);

/* ---- defcache.c: definitions that passed the schema, by content (<root>/.valid/) ------- */
bool ct_defcache_has(const struct ct_ctx *ctx, const char *xml, size_t len);
/* Records that xml passed the schema; best effort (errors ignored). */
void ct_defcache_add(const struct ct_ctx *ctx, const char *xml, size_t len);

/* ---- rootless.c: an unprivileged runtime (euid != 0) -------------------------------------- */
bool ct_rootless(void);
/*
 * Rootless: refuses what needs root (bridges, cgroup limits, other ids) and, without an
 * <idmap>, maps container root to the caller's uid and gid. No-op as root. Applied on every
 * load, since the stored definition is the user's text.
 */
int ct_rootless_adjust(struct ct_config *cfg, ct_err_t *err);

/* ---- util.c ---------------------------------------------------------------------------- */
int ct_read_file(const char *path, char **buf, size_t *len, ct_err_t *err);
/* Writes data to an existing file (cgroup knobs, /proc files): one write(2). */
int ct_write_file(const char *path, const char *data, ct_err_t *err);
/* Creates path (which must not exist) with data and mode (umask applies). */
int ct_write_file_new(const char *path, const char *data, mode_t mode, ct_err_t *err);
int ct_mkdir_p(const char *path, mode_t mode, ct_err_t *err);
/* Removes a tree without crossing mount points; returns -1 with errno on failure. */
int ct_rm_rf(const char *path);
/* Runs argv (absolute path) and waits; error if it does not exit 0. */
int ct_run_prog(char *const argv[], ct_err_t *err);
/* flock()s path (created if missing). Returns the fd, -1 with errno (EWOULDBLOCK if busy). */
int ct_lock_file(const char *path, bool wait);
/* Fault injection for the crash-safety test: SIGKILLs the process if $HXCT_CRASH_AT == point. */
void ct_crashpoint(const char *point);
/* With $HXCT_TRACE set, prints "pid elapsed-us what" on stderr, or appends to $HXCT_TRACE
 * when it is an absolute path (start-up profiling). */
void ct_trace(const char *what);
/* 32-bit FNV-1a of s. */
uint32_t ct_hash(const char *s);

/* ---- state.c: <root>/<name>/{config.xml,state,monitor.lock,console.log,console.sock,fs/} --- */
struct ct_state_rec {
	char uuid[37];
	long long created, started;
	pid_t pid, monitor;
	int exit_status;
	char veth[16];
	bool terminal;
};

int ct_path(const struct ct_ctx *ctx, const char *name, const char *leaf, char *buf, size_t len);
int ct_state_read(const struct ct_ctx *ctx, const char *name, struct ct_state_rec *rec,
		  ct_err_t *err);
/* Rewrites the record in place (fixed size, under flock): readers see the old or the new. */
int ct_state_write_dir(const char *dir, const struct ct_state_rec *rec, ct_err_t *err);
int ct_state_write(const struct ct_ctx *ctx, const char *name, const struct ct_state_rec *rec,
		   ct_err_t *err);
/* Serialises operations on one container name; returns an fd to close. */
int ct_name_lock(const struct ct_ctx *ctx, const char *name, ct_err_t *err);
/* True while a monitor (or a foreground runtime) holds <dir>/monitor.lock. */
bool ct_monitor_alive(const struct ct_ctx *ctx, const char *name);
bool ct_exists(const struct ct_ctx *ctx, const char *name);

/* ---- spare.c: emptied directories of destroyed containers, reused by create ----------- */
/* Moves a spare container directory to dst (which must not exist); -1 if there is none. */
int ct_spare_take(const struct ct_ctx *ctx, const char *dst);
/* Moves dir (a destroyed container's) out of the way and keeps it emptied as a spare, or
 * removes it; -1 if dir could not be moved: the caller removes it. */
int ct_spare_put(const struct ct_ctx *ctx, const char *dir);

/* ---- cgroup.c: v2, or v1 controllers on hybrid/legacy hosts ----------------------------- */
enum {
	CT_CG_MEMORY,
	CT_CG_CPU,
	CT_CG_PIDS,
	CT_CG_BLKIO,
	CT_CG_FREEZER,
	CT_CG_DEVICES,
	CT_CG_N
};

/* Bounded well below CT_PATH_MAX: the struct is on the stack of every start (and copied by
 * fork), and mount point + parent + name fit (ct_cgroup_init refuses longer ones). */
#define CT_CG_PATH_MAX 512

struct ct_cgroup {
	bool v2;
	char path[CT_CG_N][CT_CG_PATH_MAX]; /* v2: only [0] is used; "" = controller missing */
};

int ct_cgroup_init(struct ct_cgroup *cg, const char *parent, const char *name, ct_err_t *err);
/* v1: forgets the cpu and blkio hierarchies when res does not limit them (each hierarchy
 * joined costs a cgroup.procs write on the start path). */
void ct_cgroup_trim(struct ct_cgroup *cg, const struct ct_config *cfg);
int ct_cgroup_create(struct ct_cgroup *cg, ct_err_t *err);
/* Checks that every limit set in res has a controller on this host. */
int ct_cgroup_check(const struct ct_cgroup *cg, const struct ct_config *cfg, ct_err_t *err);
/* Limits, and on v1 the device whitelist when the container keeps CAP_MKNOD. */
int ct_cgroup_apply(const struct ct_cgroup *cg, const struct ct_config *cfg, ct_err_t *err);
int ct_cgroup_enter(const struct ct_cgroup *cg, pid_t pid, ct_err_t *err);
int ct_cgroup_freeze(const struct ct_cgroup *cg, bool frozen, ct_err_t *err);
bool ct_cgroup_frozen(const struct ct_cgroup *cg);
int64_t ct_cgroup_memory(const struct ct_cgroup *cg);
/* SIGKILLs everything inside, waits until empty (bounded), removes the directories. */
int ct_cgroup_destroy(const struct ct_cgroup *cg, ct_err_t *err);
/* Removes the shared parent directories if no container uses them any more. */
void ct_cgroup_remove_parents(const struct ct_cgroup *cg);
/* cpu.weight (1..10000) -> v1 cpu.shares, inverse of crun's shares -> weight mapping. */
uint64_t ct_cgroup_weight_to_shares(uint64_t weight);

/* ---- net.c: veth + bridge through rtnetlink ------------------------------------------- */
/* Host-side veth name derived from the container name: "hx" + 8 hex digits. */
void ct_net_veth_name(const char *name, char *buf, size_t len);
/* Creates host<->peer; host is enslaved to bridge and up, peer is created inside netns_pid. */
int ct_net_veth_create(const char *host, const char *bridge, const char *peer, pid_t netns_pid,
		       const char *mac, ct_err_t *err);
/* Deletes a link by name in the current netns; absent links are not an error. */
int ct_net_link_del(const char *ifname, ct_err_t *err);
/* Inside the container netns: lo up; for a bridge network eth0 gets its address and route. */
int ct_net_configure(const struct ct_net *net, ct_err_t *err);

/* ---- rootfs.c: layers, overlay, volumes, /dev /proc /sys, pivot_root ------------------- */
int ct_layer_path(const struct ct_ctx *ctx, const char *lname, char *buf, size_t len);
/* Resolves the definition's layers to directories (colon-joined, topmost first). */
int ct_rootfs_lowerdirs(const struct ct_ctx *ctx, const struct ct_config *cfg, char *buf,
			size_t len, ct_err_t *err);
/* Creates <dir>/fs (the root mount point) and, for layers, fs/{upper,work}, owned by the
 * mapped root; reused: dir is a spare (ct_spare_take), whatever it has is kept. */
int ct_rootfs_prepare(const struct ct_ctx *ctx, const char *dir, const struct ct_config *cfg,
		      bool reused, ct_err_t *err);

struct ct_rootfs_args {
	const struct ct_config *cfg;
	const char *lowerdirs; /* NULL: cfg->rootfs_dir is bind-mounted */
	char upper[CT_PATH_MAX], work[CT_PATH_MAX];
	char merged[CT_PATH_MAX]; /* where the root is mounted: <dir>/fs, over upper and work */
	const char *console;	  /* pty slave to bind on /dev/console, or NULL */
};

/* In the child, in its own mount namespace: builds the root and pivots into it. */
int ct_rootfs_setup(const struct ct_rootfs_args *a, ct_err_t *err);

/* ---- security.c: credentials, capabilities (libcap-ng), no_new_privs, seccomp ---------- */
/* Switches to cfg uid/gid keeping only cfg->caps (bounding, permitted, effective, ambient). */
int ct_sec_creds(const struct ct_config *cfg, ct_err_t *err);
/* no_new_privs + the default seccomp filter plus the definition's rules. */
int ct_sec_seccomp(const struct ct_config *cfg, ct_err_t *err);
/*
 * The same filter compiled to classic BPF in buf (the parent builds it while the child sets
 * up), and its loading (no_new_privs + seccomp(2)) in the child. len 0: no filter.
 */
int ct_sec_filter_build(const struct ct_config *cfg, void *buf, size_t max, size_t *len,
			ct_err_t *err);
int ct_sec_filter_load(const void *prog, size_t len, ct_err_t *err);
/* Names of the default-denied syscalls (NULL-terminated), for docs and tests. */
extern const char *const ct_sec_default_deny[];

/* ---- spawn.c: the container init ------------------------------------------------------- */
struct ct_spawn {
	const struct ct_ctx *ctx;
	const char *name;
	const struct ct_config *cfg;
	struct ct_cgroup cg;
	char veth[16];
	char lowerdirs[CT_PATH_MAX];
	char dir[CT_PATH_MAX];
	int stdio[3];	  /* fds for the init's 0,1,2 (-1: inherit) */
	int console_fd;	  /* pty slave when cfg->terminal, else -1 */
	char console[64]; /* its path */
	pid_t pid;	  /* out */
};

/* Clones the init into new namespaces, sets up cgroups and network, waits for its exec. */
int ct_spawn(struct ct_spawn *sp, ct_err_t *err);

/* Cleans what a dead container leaves on the host: cgroups, host veth. Idempotent. */
int ct_reclaim(const struct ct_ctx *ctx, const char *name, ct_err_t *err);
/* Reconciliation: reclaims leftovers of a stopped container whose runtime was killed, unless
 * another operation holds its name (ct_list runs it for every stopped container). */
void ct_gc(const struct ct_ctx *ctx, const char *name);

/* lifecycle.c: state bookkeeping shared with the monitor. */
int ct_record_started(struct ct_spawn *sp, ct_err_t *err);
void ct_record_stopped(const struct ct_ctx *ctx, const char *name, int wstatus);

/* ---- monitor.c ------------------------------------------------------------------------- */
/*
 * Runs as the detached monitor: owns the init, copies its output to console.log, serves
 * console.sock, records the exit status and reclaims resources when the init exits.
 * ready_fd gets "0\n" once the init runs, or "ERRNO message". The caller holds monitor.lock
 * (an inherited flock) for the monitor's whole life. Never returns.
 */
void ct_monitor_run(struct ct_spawn *sp, int ready_fd) __attribute__((noreturn));

#endif
