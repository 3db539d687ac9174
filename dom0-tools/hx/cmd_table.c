/* SPDX-License-Identifier: GPL-2.0-only */
/* The top-level command table of hx: domain verbs join here, groups point to their tables. */
#include <stddef.h>
#include "hx.h"

const struct hx_cmd hx_cmd_table[] = {
#ifdef HX_WITH_CONTAINERS
	{"container", NULL, "Manage containers (create, start, exec, list...)",
	 "<subcommand> [args]", hx_container_cmds, ""},
#endif
	{NULL, NULL, NULL, NULL, NULL, NULL},
};
