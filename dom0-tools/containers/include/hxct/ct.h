/* SPDX-License-Identifier: GPL-2.0-only */
/* libhxct: the container runtime behind `hx container` (lifecycle, state, layers). */
#ifndef HXCT_CT_H
#define HXCT_CT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include "config.h"
#include "error.h"

#define CT_DEFAULT_ROOT	    "/var/lib/hospes/containers"
#define CT_DEFAULT_CGPARENT "hospes"

/* Where the runtime keeps its state; filled by ct_ctx_init from options or the environment. */
struct ct_ctx {
	char root[512];	    /* state root: <root>/<name>/, <root>/.layers/, <root>/.locks/ */
	char cgparent[128]; /* cgroup parent below each hierarchy's root */
};

enum ct_state {
	CT_STOPPED,
	CT_RUNNING,
	CT_PAUSED
};

struct ct_status {
	char name[CT_NAME_MAX + 1];
	char uuid[37];
	enum ct_state state;
	pid_t pid;     /* host pid of the init, 0 when stopped */
	pid_t monitor; /* host pid of the monitor */
	time_t created;
	time_t started;	   /* 0 if never */
	int exit_status;   /* last wait status (as waitpid), -1 if none */
	int64_t mem_bytes; /* current usage, -1 if unknown */
	char veth[16];	   /* host end, "" if none */
	bool terminal;
};

/*
 * Initialises ctx: root from the argument, else $HOSPES_CT_ROOT, else CT_DEFAULT_ROOT;
 * cgparent from $HOSPES_CT_CGROUP, else CT_DEFAULT_CGPARENT. Creates the root if missing.
 */
int ct_ctx_init(struct ct_ctx *ctx, const char *root, ct_err_t *err);

/* Validates file, gives the container a UUID and prepares its state and writable layer. */
int ct_create(struct ct_ctx *ctx, const char *file, char *name_out, size_t name_len, ct_err_t *err);

/*
 * Imports an OCI runtime bundle (config.json + root): the bundle's process, hostname, root,
 * bind/tmpfs mounts, id mappings, memory/cpu/pids limits and bounding capabilities become a
 * definition (stored as XML), the root is used in place. The OCI seccomp profile is replaced
 * by the default filter and the container always gets its own network namespace.
 */
int ct_create_oci(struct ct_ctx *ctx, const char *bundle, const char *name, char *name_out,
		  size_t name_len, ct_err_t *err);

/* The definition ct_create_oci would store, as an allocated XML text (*len bytes). */
int ct_oci_to_xml(const char *bundle, const char *name, char **xml, int *len, ct_err_t *err);

/* Options of ct_start. */
struct ct_start_opts {
	bool foreground; /* run in this process, stdio inherited, return when the init exits */
	bool remove;	 /* foreground: the caller destroys it next, its exit is not recorded */
};

/*
 * Starts a created or stopped container. Detached (default): forks a monitor that owns the init
 * and its console, returns once the init has exec'd. Foreground: waits, *wstatus gets the
 * init's wait status.
 */
int ct_start(struct ct_ctx *ctx, const char *name, const struct ct_start_opts *opts, int *wstatus,
	     ct_err_t *err);

/*
 * Creates a container from file and starts it in the foreground (*wstatus gets the init's wait
 * status); remove: destroys it once the init has exited. name_out gets its name.
 */
int ct_run(struct ct_ctx *ctx, const char *file, bool remove, char *name_out, size_t name_len,
	   int *wstatus, ct_err_t *err);
/* SIGTERM (or the definition's stop signal), then SIGKILL after timeout seconds (<0: default). */
int ct_stop(struct ct_ctx *ctx, const char *name, int timeout, ct_err_t *err);
int ct_kill(struct ct_ctx *ctx, const char *name, int sig, ct_err_t *err);
int ct_pause(struct ct_ctx *ctx, const char *name, ct_err_t *err);
int ct_unpause(struct ct_ctx *ctx, const char *name, ct_err_t *err);

/* Stops (force) and removes everything the container owns: state, upper layer, cgroups, veth. */
int ct_destroy(struct ct_ctx *ctx, const char *name, bool force, ct_err_t *err);

/*
 * Runs argv inside the running container's namespaces, cgroup and security settings, with this
 * process's stdio. Returns the command's exit code (128+sig if killed) or -1 on error.
 */
int ct_exec(struct ct_ctx *ctx, const char *name, char *const argv[], ct_err_t *err);

/* Attaches this terminal to the container console; Ctrl-] detaches. */
int ct_console(struct ct_ctx *ctx, const char *name, ct_err_t *err);

int ct_status_get(struct ct_ctx *ctx, const char *name, struct ct_status *st, ct_err_t *err);

/* Calls fn for every container, sorted by name. */
int ct_list(struct ct_ctx *ctx, int (*fn)(const struct ct_status *st, void *arg), void *arg,
	    ct_err_t *err);

/* Path of the console log of name (written by the monitor). */
int ct_log_path(struct ct_ctx *ctx, const char *name, char *buf, size_t len, ct_err_t *err);

/* Path of the stored definition. */
int ct_config_path(struct ct_ctx *ctx, const char *name, char *buf, size_t len, ct_err_t *err);

/*
 * Imports a directory or a tarball (.tar, .tar.gz...) as read-only layer lname; shift > 0 adds
 * shift to every file owner (for containers whose <idmap> maps root to host id shift).
 */
int ct_layer_import(struct ct_ctx *ctx, const char *lname, const char *src, uid_t shift,
		    ct_err_t *err);
int ct_layer_remove(struct ct_ctx *ctx, const char *lname, ct_err_t *err);
int ct_layer_list(struct ct_ctx *ctx, int (*fn)(const char *lname, void *arg), void *arg,
		  ct_err_t *err);

const char *ct_state_name(enum ct_state s);

#endif
