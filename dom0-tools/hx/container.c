/* SPDX-License-Identifier: GPL-2.0-only */
/* `hx container`: lifecycle commands (create, run, start, stop, kill, pause, exec, destroy). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "hxct/ct.h"
#include "hx.h"
#include "container.h"

int hxc_ctx(struct ct_ctx *ctx)
{
	ct_err_t err;
	char buf[CT_ERR_MSG_MAX + 128];

	if (ct_ctx_init(ctx, NULL, &err) < 0) {
		hx_fail("%s", ct_err_str(&err, buf, sizeof(buf)));
		return -1;
	}
	return 0;
}

int hxc_err(const ct_err_t *err)
{
	char buf[CT_ERR_MSG_MAX + 128];

	return hx_fail("%s", ct_err_str(err, buf, sizeof(buf)));
}

/* Parses options of a command that takes only NAME; returns the exit code or -1 to go on. */
static int name_only(const struct hx_cmd *cmd, int argc, char **argv)
{
	int rc, o;

	while ((o = hx_getopt(cmd, argc, argv, "", 1, &rc)) != -1) {
		if (o == -2)
			return rc;
	}
	return -1;
}

static int cmd_create(const struct hx_cmd *cmd, int argc, char **argv)
{
	struct ct_ctx ctx;
	struct ct_start_opts so = {0};
	char name[CT_NAME_MAX + 1];
	const char *oci = NULL;
	bool start = false;
	ct_err_t err;
	int o, rc;

	while ((o = hx_getopt(cmd, argc, argv, "so:", 1, &rc)) != -1) {
		if (o == -2)
			return rc;
		if (o == 's')
			start = true;
		else
			oci = optarg;
	}
	if (hxc_ctx(&ctx) < 0)
		return HX_EXIT_FAIL;
	rc = oci ? ct_create_oci(&ctx, oci, argv[optind], name, sizeof(name), &err)
		 : ct_create(&ctx, argv[optind], name, sizeof(name), &err);
	if (rc < 0)
		return hxc_err(&err);
	if (start && ct_start(&ctx, name, &so, NULL, &err) < 0)
		return hxc_err(&err);
	return HX_EXIT_OK;
}

static int wait_exit_code(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int cmd_run(const struct hx_cmd *cmd, int argc, char **argv)
{
	char name[CT_NAME_MAX + 1];
	struct ct_ctx ctx;
	bool rm = false;
	ct_err_t err;
	int o, rc, st = 0;

	while ((o = hx_getopt(cmd, argc, argv, "r", 1, &rc)) != -1) {
		if (o == -2)
			return rc;
		rm = true;
	}
	if (hxc_ctx(&ctx) < 0)
		return HX_EXIT_FAIL;
	if (ct_run(&ctx, argv[optind], rm, name, sizeof(name), &st, &err) < 0)
		return hxc_err(&err);
	return wait_exit_code(st);
}

static int cmd_start(const struct hx_cmd *cmd, int argc, char **argv)
{
	struct ct_start_opts so = {0};
	struct ct_ctx ctx;
	bool attach = false;
	ct_err_t err;
	int o, rc, st = 0;

	while ((o = hx_getopt(cmd, argc, argv, "aF", 1, &rc)) != -1) {
		if (o == -2)
			return rc;
		if (o == 'a')
			attach = true;
		else
			so.foreground = true;
	}
	if (hxc_ctx(&ctx) < 0)
		return HX_EXIT_FAIL;
	if (ct_start(&ctx, argv[optind], &so, &st, &err) < 0)
		return hxc_err(&err);
	if (so.foreground)
		return wait_exit_code(st);
	if (attach && ct_console(&ctx, argv[optind], &err) < 0)
		return hxc_err(&err);
	return HX_EXIT_OK;
}

static int cmd_stop(const struct hx_cmd *cmd, int argc, char **argv)
{
	struct ct_ctx ctx;
	int o, rc, timeout = -1;
	ct_err_t err;

	while ((o = hx_getopt(cmd, argc, argv, "t:", 1, &rc)) != -1) {
		if (o == -2)
			return rc;
		timeout = atoi(optarg);
	}
	if (hxc_ctx(&ctx) < 0)
		return HX_EXIT_FAIL;
	if (ct_stop(&ctx, argv[optind], timeout, &err) < 0)
		return hxc_err(&err);
	return HX_EXIT_OK;
}

static int parse_signal(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s && !*end)
		return n > 0 && n < NSIG ? (int)n : -1;
	if (!strncmp(s, "SIG", 3))
		s += 3;
	for (int i = 1; i < NSIG; i++) {
		const char *a = sigabbrev_np(i);

		if (a && !strcasecmp(a, s))
			return i;
	}
	return -1;
}

static int cmd_kill(const struct hx_cmd *cmd, int argc, char **argv)
{
	struct ct_ctx ctx;
	int rc, sig = SIGKILL;
	ct_err_t err;

	rc = name_only(cmd, argc, argv);
	if (rc >= 0)
		return rc;
	if (optind + 1 < argc) {
		sig = parse_signal(argv[optind + 1]);
		if (sig < 0)
			return hx_fail("unknown signal '%s'", argv[optind + 1]);
	}
	if (hxc_ctx(&ctx) < 0)
		return HX_EXIT_FAIL;
	if (ct_kill(&ctx, argv[optind], sig, &err) < 0)
		return hxc_err(&err);
	return HX_EXIT_OK;
}

static int cmd_pause(const struct hx_cmd *cmd, int argc, char **argv)
{
	bool un = !strcmp(cmd->name, "unpause");
	struct ct_ctx ctx;
	ct_err_t err;
	int rc;

	rc = name_only(cmd, argc, argv);
	if (rc >= 0)
		return rc;
	if (hxc_ctx(&ctx) < 0)
		return HX_EXIT_FAIL;
	rc = un ? ct_unpause(&ctx, argv[optind], &err) : ct_pause(&ctx, argv[optind], &err);
	return rc < 0 ? hxc_err(&err) : HX_EXIT_OK;
}

static int cmd_exec(const struct hx_cmd *cmd, int argc, char **argv)
{
	struct ct_ctx ctx;
	ct_err_t err;
	int o, rc;

	while ((o = hx_getopt(cmd, argc, argv, "", 2, &rc)) != -1) {
		if (o == -2)
			return rc;
	}
	if (hxc_ctx(&ctx) < 0)
		return HX_EXIT_FAIL;
	if (!strcmp(argv[optind + 1], "--") && optind + 2 >= argc)
		return hx_fail("'hx container exec' needs a command after --");
	rc = ct_exec(&ctx, argv[optind], argv + optind + 1 + (strcmp(argv[optind + 1], "--") == 0),
		     &err);
	return rc < 0 ? hxc_err(&err) : rc;
}

static int cmd_console(const struct hx_cmd *cmd, int argc, char **argv)
{
	struct ct_ctx ctx;
	ct_err_t err;
	int rc;

	rc = name_only(cmd, argc, argv);
	if (rc >= 0)
		return rc;
	if (hxc_ctx(&ctx) < 0)
		return HX_EXIT_FAIL;
	return ct_console(&ctx, argv[optind], &err) < 0 ? hxc_err(&err) : HX_EXIT_OK;
}

static int cmd_destroy(const struct hx_cmd *cmd, int argc, char **argv)
{
	struct ct_ctx ctx;
	bool force = false;
	ct_err_t err;
	int o, rc;

	while ((o = hx_getopt(cmd, argc, argv, "f", 1, &rc)) != -1) {
		if (o == -2)
			return rc;
		force = true;
	}
	if (hxc_ctx(&ctx) < 0)
		return HX_EXIT_FAIL;
	return ct_destroy(&ctx, argv[optind], force, &err) < 0 ? hxc_err(&err) : HX_EXIT_OK;
}

#define G "container"
const struct hx_cmd hx_container_cmds[] = {
	{"create", cmd_create, "Create a container from an XML definition or an OCI bundle",
	 "[-s] <file.xml> | [-s] -o <oci-bundle> <name>\n"
	 "  -s  start it too\n  -o  import the OCI runtime bundle (config.json + root) as <name>",
	 NULL, G},
	{"run", cmd_run, "Create and start a container in the foreground, return its exit code",
	 "[-r] <file.xml>\n  -r  destroy it when it exits", NULL, G},
	{"start", cmd_start, "Start a created or stopped container",
	 "[-a|-F] <name>\n"
	 "  -a  attach to its console\n  -F  stay in the foreground until it exits",
	 NULL, G},
	{"stop", cmd_stop, "Stop a container: its stop signal, then SIGKILL after a timeout",
	 "[-t secs] <name>", NULL, G},
	{"kill", cmd_kill, "Send a signal (default SIGKILL) to the container init",
	 "<name> [signal]", NULL, G},
	{"pause", cmd_pause, "Freeze every process of a container", "<name>", NULL, G},
	{"unpause", cmd_pause, "Thaw a paused container", "<name>", NULL, G},
	{"exec", cmd_exec, "Run a command inside a running container", "<name> [--] <cmd> [args]",
	 NULL, G},
	{"console", cmd_console, "Attach to the container console (Ctrl-] detaches)", "<name>",
	 NULL, G},
	{"list", hxc_cmd_list, "List containers",
	 "[-l]\n  -l  one 'hx container info' per container", NULL, G},
	{"info", hxc_cmd_info, "Show a container's details", "<name>", NULL, G},
	{"logs", hxc_cmd_logs, "Print the container console log", "<name>", NULL, G},
	{"destroy", cmd_destroy, "Remove a container and everything it owns",
	 "[-f] <name>\n  -f  kill it first if it is running", NULL, G},
	{"import", hxc_cmd_import, "Import a directory or tarball as a read-only layer",
	 "[-u HOSTID] <layer> <dir|tarball>\n"
	 "  -u  shift file owners by HOSTID, for containers whose <idmap> maps root to HOSTID",
	 NULL, G},
	{"layers", hxc_cmd_layers, "List the layers", "", NULL, G},
	{"layer-rm", hxc_cmd_layer_rm, "Remove a layer", "<layer>", NULL, G},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};
