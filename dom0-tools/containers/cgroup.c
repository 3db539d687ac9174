/* SPDX-License-Identifier: GPL-2.0-only */
/* Resource limits through cgroup v2, or the v1 controllers on hybrid and legacy hosts. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <linux/capability.h>
#include <unistd.h>
#include "internal.h"

static const char *const cg_v1_names[CT_CG_N] = {"memory", "cpu",     "pids",
						 "blkio",  "freezer", "devices"};

static bool keeps_mknod(const struct ct_config *cfg)
{
	return (cfg->caps >> CAP_MKNOD) & 1;
}

/* Mount points of the cgroup2 fs and of the v1 hierarchies we use, scanned once. */
static struct {
	bool scanned;
	char v2[CT_PATH_MAX];
	char v1[CT_CG_N][CT_PATH_MAX];
} cg_mnt;

static void cg_scan_line(char *line)
{
	char mnt[CT_PATH_MAX], fstype[64], opts[1024], *save = NULL;
	const char *sep = strstr(line, " - ");

	if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
	    sscanf(sep + 3, "%63s %*s %1023s", fstype, opts) != 2)
		return;
	if (!strcmp(fstype, "cgroup2") && !cg_mnt.v2[0]) {
		snprintf(cg_mnt.v2, sizeof(cg_mnt.v2), "%s", mnt);
		return;
	}
	if (strcmp(fstype, "cgroup") != 0)
		return;
	for (char *o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		for (int i = 0; i < CT_CG_N; i++) {
			if (!strcmp(o, cg_v1_names[i]) && !cg_mnt.v1[i][0])
				snprintf(cg_mnt.v1[i], sizeof(cg_mnt.v1[i]), "%s", mnt);
		}
	}
}

static void cg_scan(void)
{
	char line[4096];
	FILE *f;

	if (cg_mnt.scanned)
		return;
	cg_mnt.scanned = true;
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		cg_scan_line(line);
	fclose(f);
}

/* v2 is used when the unified hierarchy offers the memory and pids controllers. */
static bool cg_v2_usable(const char *mnt)
{
	char p[CT_PATH_MAX], *buf;
	bool ok;

	snprintf(p, sizeof(p), "%s/cgroup.controllers", mnt);
	if (ct_read_file(p, &buf, NULL, NULL) < 0)
		return false;
	ok = strstr(buf, "memory") && strstr(buf, "pids");
	free(buf);
	return ok;
}

static int cg_path(char *buf, const char *mnt, const char *parent, const char *name, ct_err_t *err)
{
	int n = snprintf(buf, CT_CG_PATH_MAX, "%s/%s/%s", mnt, parent, name);

	if (n < 0 || n >= CT_CG_PATH_MAX)
		return ct_err(err, ENAMETOOLONG, "cgroup path %s/%s/%s", mnt, parent, name);
	return 0;
}

int ct_cgroup_init(struct ct_cgroup *cg, const char *parent, const char *name, ct_err_t *err)
{
	memset(cg, 0, sizeof(*cg));
	if (ct_rootless())
		return 0; /* no cgroup at all: every path stays empty */
	cg_scan();
	if (cg_mnt.v2[0] && cg_v2_usable(cg_mnt.v2)) {
		cg->v2 = true;
		return cg_path(cg->path[0], cg_mnt.v2, parent, name, err);
	}
	for (int i = 0; i < CT_CG_N; i++) {
		if (cg_mnt.v1[i][0] && cg_path(cg->path[i], cg_mnt.v1[i], parent, name, err) < 0)
			return -1;
	}
	if (!cg->path[CT_CG_MEMORY][0] && !cg->path[CT_CG_PIDS][0])
		return ct_err(err, 0,
			      "no usable cgroup hierarchy (neither cgroup2 with memory and "
			      "pids controllers nor cgroup v1 memory/pids are mounted)");
	return 0;
}

void ct_cgroup_trim(struct ct_cgroup *cg, const struct ct_config *cfg)
{
	const struct ct_resources *r = &cfg->res;

	if (cg->v2)
		return;
	if (r->cpu_quota < 0 && r->cpu_period < 0 && r->cpu_weight < 0)
		cg->path[CT_CG_CPU][0] = '\0';
	if (r->n_io == 0)
		cg->path[CT_CG_BLKIO][0] = '\0';
	if (!keeps_mknod(cfg))
		cg->path[CT_CG_DEVICES][0] = '\0';
}

static int cg_v2_enable(const char *dir, ct_err_t *err)
{
	static const char *const ctl[] = {"+memory", "+pids", "+cpu", "+io"};
	char p[CT_PATH_MAX];

	snprintf(p, sizeof(p), "%s/cgroup.subtree_control", dir);
	for (size_t i = 0; i < sizeof(ctl) / sizeof(ctl[0]); i++) {
		bool required = i < 2; /* memory and pids; cpu and io are optional */

		if (ct_write_file(p, ctl[i], NULL) < 0 && required)
			return ct_errno(err, "cannot enable controller %s in %s", ctl[i] + 1, p);
	}
	return 0;
}

int ct_cgroup_create(struct ct_cgroup *cg, ct_err_t *err)
{
	if (cg->v2) {
		char parent[CT_PATH_MAX], *slash;

		snprintf(parent, sizeof(parent), "%s", cg->path[0]);
		slash = strrchr(parent, '/');
		*slash = '\0';
		if (ct_mkdir_p(parent, 0755, err) < 0)
			return -1;
		if (cg_v2_enable(parent, err) < 0)
			return -1;
		if (mkdir(cg->path[0], 0755) < 0 && errno != EEXIST)
			return ct_errno(err, "cannot create cgroup %s", cg->path[0]);
		return 0;
	}
	for (int i = 0; i < CT_CG_N; i++) {
		if (cg->path[i][0] && ct_mkdir_p(cg->path[i], 0755, err) < 0)
			return -1;
	}
	return 0;
}

static int cg_set(const struct ct_cgroup *cg, int ctl, const char *knob, const char *val,
		  ct_err_t *err)
{
	const char *dir = cg->v2 ? cg->path[0] : cg->path[ctl];
	char p[CT_PATH_MAX];

	if (!dir[0])
		return ct_err(err, 0, "cgroup controller %s is not available on this host",
			      cg_v1_names[ctl]);
	snprintf(p, sizeof(p), "%s/%s", dir, knob);
	return ct_write_file(p, val, err);
}

static void fmt_limit(char *buf, size_t len, int64_t v, const char *unlimited)
{
	if (v == CT_UNLIMITED)
		snprintf(buf, len, "%s", unlimited);
	else
		snprintf(buf, len, "%lld", (long long)v);
}

uint64_t ct_cgroup_weight_to_shares(uint64_t weight)
{
	return 2 + ((weight - 1) * 262142) / 9999;
}

int ct_cgroup_check(const struct ct_cgroup *cg, const struct ct_config *cfg, ct_err_t *err)
{
	const struct ct_resources *r = &cfg->res;
	struct {
		bool used;
		int ctl;
	} need[] = {
		{r->mem_max >= 0 || r->mem_high >= 0, CT_CG_MEMORY},
		{r->cpu_quota >= 0 || r->cpu_weight >= 0, CT_CG_CPU},
		{r->pids_max >= 0, CT_CG_PIDS},
		{r->n_io > 0, CT_CG_BLKIO},
		{keeps_mknod(cfg), CT_CG_DEVICES},
	};

	if (cg->v2 && keeps_mknod(cfg))
		return ct_err(err, 0,
			      "%s: keeping the mknod capability needs the cgroup v1 devices "
			      "controller to confine device access (this host has cgroup v2)",
			      cfg->file);
	if (cg->v2)
		return 0;
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if (need[i].used && !cg->path[need[i].ctl][0])
			return ct_err(err, 0,
				      "%s: the definition needs the %s cgroup controller, which "
				      "this host does not mount",
				      cfg->file, cg_v1_names[need[i].ctl]);
	}
	return 0;
}

static int cg_apply_io(const struct ct_cgroup *cg, const struct ct_io_max *io, ct_err_t *err)
{
	static const char *const v1[] = {
		"blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
		"blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device"};
	static const char *const v2[] = {"rbps", "wbps", "riops", "wiops"};
	const int64_t vals[] = {io->rbps, io->wbps, io->riops, io->wiops};
	char line[256], buf[64];
	size_t off;

	/* v2: one "MAJ:MIN key=value..." line; v1: one file per key */
	off = (size_t)snprintf(line, sizeof(line), "%u:%u", io->major, io->minor);
	for (int k = 0; k < 4; k++) {
		char num[32];

		if (vals[k] < 0)
			continue;
		fmt_limit(num, sizeof(num), vals[k], cg->v2 ? "max" : "0");
		if (cg->v2) {
			off += (size_t)snprintf(line + off, sizeof(line) - off, " %s=%s", v2[k],
						num);
			continue;
		}
		snprintf(buf, sizeof(buf), "%u:%u %s", io->major, io->minor, num);
		if (cg_set(cg, CT_CG_BLKIO, v1[k], buf, err) < 0)
			return -1;
	}
	return cg->v2 ? cg_set(cg, CT_CG_BLKIO, "io.max", line, err) : 0;
}

static int cg_apply_cpu(const struct ct_cgroup *cg, const struct ct_resources *r, ct_err_t *err)
{
	char buf[64];
	int64_t period = r->cpu_period > 0 ? r->cpu_period : 100000;

	if (r->cpu_quota >= 0 || r->cpu_period > 0) {
		if (cg->v2) {
			char q[32];

			fmt_limit(q, sizeof(q), r->cpu_quota >= 0 ? r->cpu_quota : CT_UNLIMITED,
				  "max");
			snprintf(buf, sizeof(buf), "%s %lld", q, (long long)period);
			if (cg_set(cg, CT_CG_CPU, "cpu.max", buf, err) < 0)
				return -1;
		} else {
			snprintf(buf, sizeof(buf), "%lld", (long long)period);
			if (cg_set(cg, CT_CG_CPU, "cpu.cfs_period_us", buf, err) < 0)
				return -1;
			fmt_limit(buf, sizeof(buf), r->cpu_quota >= 0 ? r->cpu_quota : CT_UNLIMITED,
				  "-1");
			if (cg_set(cg, CT_CG_CPU, "cpu.cfs_quota_us", buf, err) < 0)
				return -1;
		}
	}
	if (r->cpu_weight > 0) {
		if (cg->v2)
			snprintf(buf, sizeof(buf), "%lld", (long long)r->cpu_weight);
		else
			snprintf(buf, sizeof(buf), "%llu",
				 (unsigned long long)ct_cgroup_weight_to_shares(
					 (uint64_t)r->cpu_weight));
		if (cg_set(cg, CT_CG_CPU, cg->v2 ? "cpu.weight" : "cpu.shares", buf, err) < 0)
			return -1;
	}
	return 0;
}

/* v1 devices whitelist: what /dev holds (null zero full random urandom tty ptmx pts/N). */
static int cg_apply_devices(const struct ct_cgroup *cg, ct_err_t *err)
{
	static const char *const allow[] = {"c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm",
					    "c 1:9 rwm", "c 5:0 rwm", "c 5:2 rwm", "c 136:* rwm"};

	if (cg_set(cg, CT_CG_DEVICES, "devices.deny", "a", err) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(allow) / sizeof(allow[0]); i++) {
		if (cg_set(cg, CT_CG_DEVICES, "devices.allow", allow[i], err) < 0)
			return -1;
	}
	return 0;
}

int ct_cgroup_apply(const struct ct_cgroup *cg, const struct ct_config *cfg, ct_err_t *err)
{
	const struct ct_resources *r = &cfg->res;
	char buf[64];

	if (!cg->v2 && cg->path[CT_CG_DEVICES][0] && cg_apply_devices(cg, err) < 0)
		return -1;

	if (r->mem_max >= 0) {
		fmt_limit(buf, sizeof(buf), r->mem_max, cg->v2 ? "max" : "-1");
		if (cg_set(cg, CT_CG_MEMORY, cg->v2 ? "memory.max" : "memory.limit_in_bytes", buf,
			   err) < 0)
			return -1;
	}
	if (r->mem_high >= 0) {
		/* v1 has no throttling limit: the soft limit is the closest (reclaim target). */
		fmt_limit(buf, sizeof(buf), r->mem_high, cg->v2 ? "max" : "-1");
		if (cg_set(cg, CT_CG_MEMORY, cg->v2 ? "memory.high" : "memory.soft_limit_in_bytes",
			   buf, err) < 0)
			return -1;
	}
	if (cg_apply_cpu(cg, r, err) < 0)
		return -1;
	if (r->pids_max >= 0) {
		fmt_limit(buf, sizeof(buf), r->pids_max, "max");
		if (cg_set(cg, CT_CG_PIDS, "pids.max", buf, err) < 0)
			return -1;
	}
	for (unsigned i = 0; i < r->n_io; i++) {
		if (cg_apply_io(cg, &r->io[i], err) < 0)
			return -1;
	}
	return 0;
}

int ct_cgroup_enter(const struct ct_cgroup *cg, pid_t pid, ct_err_t *err)
{
	char buf[32], p[CT_PATH_MAX];

	snprintf(buf, sizeof(buf), "%d", (int)pid);
	for (int i = 0; i < (cg->v2 ? 1 : CT_CG_N); i++) {
		if (!cg->path[i][0])
			continue;
		snprintf(p, sizeof(p), "%s/cgroup.procs", cg->path[i]);
		if (ct_write_file(p, buf, err) < 0)
			return -1;
		ct_trace(p);
	}
	return 0;
}

static bool cg_freezer_is(const struct ct_cgroup *cg, bool frozen)
{
	char p[CT_PATH_MAX], *buf;
	bool is;

	if (cg->v2) {
		snprintf(p, sizeof(p), "%s/cgroup.events", cg->path[0]);
		if (ct_read_file(p, &buf, NULL, NULL) < 0)
			return false;
		is = strstr(buf, frozen ? "frozen 1" : "frozen 0") != NULL;
	} else {
		snprintf(p, sizeof(p), "%s/freezer.state", cg->path[CT_CG_FREEZER]);
		if (ct_read_file(p, &buf, NULL, NULL) < 0)
			return false;
		is = !strncmp(buf, frozen ? "FROZEN" : "THAWED", 6);
	}
	free(buf);
	return is;
}

bool ct_cgroup_frozen(const struct ct_cgroup *cg)
{
	if (!cg->v2 && !cg->path[CT_CG_FREEZER][0])
		return false;
	return cg_freezer_is(cg, true);
}

int ct_cgroup_freeze(const struct ct_cgroup *cg, bool frozen, ct_err_t *err)
{
	int rc;

	if (cg->v2)
		rc = cg_set(cg, 0, "cgroup.freeze", frozen ? "1" : "0", err);
	else
		rc = cg_set(cg, CT_CG_FREEZER, "freezer.state", frozen ? "FROZEN" : "THAWED", err);
	if (rc < 0)
		return -1;
	for (int i = 0; i < 500; i++) {
		if (cg_freezer_is(cg, frozen))
			return 0;
		usleep(2000);
	}
	return ct_err(err, ETIMEDOUT, "cgroup did not become %s", frozen ? "frozen" : "thawed");
}

int64_t ct_cgroup_memory(const struct ct_cgroup *cg)
{
	const char *dir = cg->v2 ? cg->path[0] : cg->path[CT_CG_MEMORY];
	char p[CT_PATH_MAX], *buf;
	int64_t v;

	if (!dir[0])
		return -1;
	snprintf(p, sizeof(p), "%s/%s", dir, cg->v2 ? "memory.current" : "memory.usage_in_bytes");
	if (ct_read_file(p, &buf, NULL, NULL) < 0)
		return -1;
	v = atoll(buf);
	free(buf);
	return v;
}

/* Kills every pid listed in dir/cgroup.procs; returns how many were found. */
static int cg_kill_procs(const char *dir)
{
	char p[CT_PATH_MAX], *buf, *s, *save = NULL;
	int n = 0;

	snprintf(p, sizeof(p), "%s/cgroup.procs", dir);
	if (ct_read_file(p, &buf, NULL, NULL) < 0)
		return 0;
	for (s = strtok_r(buf, "\n", &save); s; s = strtok_r(NULL, "\n", &save)) {
		kill(atoi(s), SIGKILL);
		n++;
	}
	free(buf);
	return n;
}

int ct_cgroup_destroy(const struct ct_cgroup *cg, ct_err_t *err)
{
	const struct timespec ts = {0, 2000000};
	bool present[CT_CG_N] = {false}, any = false;
	int n = cg->v2 ? 1 : CT_CG_N;

	/* usually there is nothing (a clean stop reclaimed it): one access per hierarchy */
	for (int i = 0; i < n; i++) {
		present[i] = cg->path[i][0] && access(cg->path[i], F_OK) == 0;
		any |= present[i];
	}
	if (!any)
		return 0;
	/* Frozen tasks do not die until thawed: kill first, then thaw. */
	for (int i = 0; i < n; i++) {
		if (present[i])
			cg_kill_procs(cg->path[i]);
	}
	if (cg->v2 || present[CT_CG_FREEZER])
		(void)ct_cgroup_freeze(cg, false, NULL);
	for (int i = 0; i < n; i++) {
		int tries = 0;

		while (present[i] && rmdir(cg->path[i]) < 0) {
			if (errno == ENOENT)
				break;
			if (errno != EBUSY || ++tries > 2500)
				return ct_errno(err, "cannot remove cgroup %s", cg->path[i]);
			cg_kill_procs(cg->path[i]);
			nanosleep(&ts, NULL);
		}
	}
	return 0;
}

void ct_cgroup_remove_parents(const struct ct_cgroup *cg)
{
	for (int i = 0; i < (cg->v2 ? 1 : CT_CG_N); i++) {
		char parent[CT_PATH_MAX], *slash;

		snprintf(parent, sizeof(parent), "%s", cg->path[i]);
		slash = strrchr(parent, '/');
		if (parent[0] && slash) {
			*slash = '\0';
			(void)rmdir(parent); /* fails while other containers use it: fine */
		}
	}
}
