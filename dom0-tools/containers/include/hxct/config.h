/* SPDX-License-Identifier: GPL-2.0-only */
/* Container definitions: the in-memory form of the XML document (schema/container.xsd). */
#ifndef HXCT_CONFIG_H
#define HXCT_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "error.h"

#define CT_NAME_MAX	48
#define CT_MAX_ARGS	64
#define CT_MAX_ENV	64
#define CT_MAX_LAYERS	16
#define CT_MAX_IDMAP	8
#define CT_MAX_MOUNTS	32
#define CT_MAX_SYSCALLS 64
#define CT_MAX_IO	8
#define CT_UNLIMITED	INT64_MAX

struct ct_idmap {
	uint32_t ct_id;
	uint32_t host_id;
	uint32_t count;
};

enum ct_mount_type {
	CT_MOUNT_BIND,
	CT_MOUNT_TMPFS
};

struct ct_mount {
	enum ct_mount_type type;
	char *source; /* bind only: absolute host path */
	char *target; /* absolute path inside the container */
	bool readonly;
	int64_t size; /* tmpfs only, bytes, 0 = kernel default */
};

enum ct_net_type {
	CT_NET_NONE,
	CT_NET_BRIDGE
};

struct ct_net {
	enum ct_net_type type;
	char *bridge;
	char *address; /* "a.b.c.d/len" */
	char *gateway; /* optional */
	char *mac;     /* optional "aa:bb:cc:dd:ee:ff" */
};

/* seccomp actions a rule can name. */
enum ct_sc_action {
	CT_SC_ALLOW,
	CT_SC_ERRNO,
	CT_SC_KILL,
	CT_SC_LOG
};

struct ct_syscall {
	char *name;
	enum ct_sc_action action;
	int errnum;
};

struct ct_io_max {
	unsigned major, minor;
	int64_t rbps, wbps, riops, wiops; /* -1 = not set */
};

struct ct_resources {
	int64_t mem_max, mem_high;     /* bytes, CT_UNLIMITED, or -1 = not set */
	int64_t cpu_quota, cpu_period; /* us; quota CT_UNLIMITED = "max"; -1 = not set */
	int64_t cpu_weight;	       /* 1..10000, -1 = not set */
	int64_t pids_max;	       /* CT_UNLIMITED, or -1 = not set */
	struct ct_io_max io[CT_MAX_IO];
	unsigned n_io;
};

struct ct_config {
	char *file; /* where it was read from, for messages */
	char *name;
	char uuid[37]; /* empty if the definition has none */
	char *hostname;
	char *layers[CT_MAX_LAYERS]; /* lowest first: layer names or absolute directories */
	unsigned n_layers;
	char *rootfs_dir; /* <rootfs path=...> with no layers: bind-mounted, writable */
	bool rootfs_readonly;
	char *argv[CT_MAX_ARGS + 1];
	unsigned argc;
	char *env[CT_MAX_ENV + 1]; /* "K=V" */
	unsigned n_env;
	char *cwd;
	uid_t uid;
	gid_t gid;
	bool terminal;
	struct ct_idmap uidmap[CT_MAX_IDMAP], gidmap[CT_MAX_IDMAP];
	unsigned n_uidmap, n_gidmap;
	struct ct_resources res;
	struct ct_mount mounts[CT_MAX_MOUNTS];
	unsigned n_mounts;
	struct ct_net net;
	uint64_t caps; /* bit n = capability n kept */
	bool seccomp;  /* false: no filter at all */
	enum ct_sc_action sc_default;
	struct ct_syscall syscalls[CT_MAX_SYSCALLS]; /* added after the default list */
	unsigned n_syscalls;
	int stop_signal;
	int stop_timeout; /* seconds */
};

/* The capabilities kept when a definition says nothing (see schema/container.xsd). */
uint64_t ct_config_default_caps(void);

/*
 * Parses and validates the definition in file against the shipped XML Schema, then checks
 * what the schema cannot (paths, ranges, names). Errors read "FILE:LINE: what was expected".
 * On success *cfg is filled and must be released with ct_config_free.
 */
int ct_config_load(struct ct_config *cfg, const char *file, ct_err_t *err);

/* Same from a buffer; name is used in messages. */
int ct_config_load_mem(struct ct_config *cfg, const char *buf, int len, const char *name,
		       ct_err_t *err);

void ct_config_free(struct ct_config *cfg);

/* Parses "123", "64K", "256M", "1G", "max" (-> CT_UNLIMITED). Returns -1 if invalid. */
int ct_parse_size(const char *s, int64_t *out);

/* Valid container/layer name: [A-Za-z0-9][A-Za-z0-9_.-]*, at most CT_NAME_MAX. */
bool ct_name_valid(const char *name);

/* The embedded schema text (generated from schema/container.xsd). */
extern const unsigned char ct_schema_xsd[];
extern const unsigned int ct_schema_xsd_len;

#endif
