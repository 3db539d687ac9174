/* SPDX-License-Identifier: GPL-2.0-only */
/* Rootless mode: what an unprivileged user can run, and the identity mapping it implies. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "internal.h"

bool ct_rootless(void)
{
	return geteuid() != 0;
}

static bool has_limits(const struct ct_resources *r)
{
	return r->mem_max >= 0 || r->mem_high >= 0 || r->cpu_quota >= 0 || r->cpu_period >= 0 ||
	       r->cpu_weight >= 0 || r->pids_max >= 0 || r->n_io > 0;
}

static bool is_self_map(const struct ct_idmap *m, unsigned n, unsigned id)
{
	return n == 1 && m[0].ct_id == 0 && m[0].host_id == id && m[0].count == 1;
}

int ct_rootless_adjust(struct ct_config *cfg, ct_err_t *err)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();

	if (!ct_rootless())
		return 0;
	if (cfg->net.type != CT_NET_NONE)
		return ct_err(
			err, 0,
			"%s: rootless containers (uid %u) only support <network type=\"none\"/>",
			cfg->file, (unsigned)uid);
	if (has_limits(&cfg->res))
		return ct_err(err, 0,
			      "%s: rootless containers (uid %u) cannot have resource limits: no "
			      "cgroup is delegated to this user",
			      cfg->file, (unsigned)uid);
	if (!cfg->n_uidmap) {
		cfg->uidmap[0] = (struct ct_idmap){0, uid, 1};
		cfg->gidmap[0] = (struct ct_idmap){0, gid, 1};
		cfg->n_uidmap = cfg->n_gidmap = 1;
	} else if (!is_self_map(cfg->uidmap, cfg->n_uidmap, uid) ||
		   !is_self_map(cfg->gidmap, cfg->n_gidmap, gid)) {
		return ct_err(err, 0,
			      "%s: rootless containers can only map container root to your own uid "
			      "%u and gid %u (count 1)",
			      cfg->file, (unsigned)uid, (unsigned)gid);
	}
	if (cfg->uid != 0 || cfg->gid != 0)
		return ct_err(err, 0, "%s: rootless containers run their init as root (uid 0)",
			      cfg->file);
	return 0;
}
