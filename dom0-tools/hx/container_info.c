/* SPDX-License-Identifier: GPL-2.0-only */
/* `hx container`: read-only commands (list, info, logs) and the layer store commands. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "container.h"

static void fmt_uptime(char *buf, size_t len, const struct ct_status *st)
{
	long s;

	if (st->state == CT_STOPPED || !st->started) {
		snprintf(buf, len, "-");
		return;
	}
	s = (long)(time(NULL) - st->started);
	if (s >= 86400)
		snprintf(buf, len, "%ldd %02ld:%02ld:%02ld", s / 86400, s / 3600 % 24, s / 60 % 60,
			 s % 60);
	else
		snprintf(buf, len, "%02ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
}

static void fmt_mem(char *buf, size_t len, const struct ct_status *st)
{
	if (st->mem_bytes < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f", (double)st->mem_bytes / (1024.0 * 1024.0));
}

static int list_row(const struct ct_status *st, void *arg)
{
	char up[32], mem[32];

	(void)arg;
	fmt_uptime(up, sizeof(up), st);
	fmt_mem(mem, sizeof(mem), st);
	printf("%-24s %-36s %-8s %7d %11s %9s\n", st->name, st->uuid, ct_state_name(st->state),
	       (int)st->pid, up, mem);
	return 0;
}

static void fmt_time(char *buf, size_t len, time_t t)
{
	struct tm tm;

	if (!t || !localtime_r(&t, &tm))
		snprintf(buf, len, "-");
	else
		strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

static int info_print(struct ct_ctx *ctx, const struct ct_status *st)
{
	char up[32], mem[32], created[32], started[32], cfgp[4096], logp[4096], ex[32] = "-";

	fmt_uptime(up, sizeof(up), st);
	fmt_mem(mem, sizeof(mem), st);
	fmt_time(created, sizeof(created), st->created);
	fmt_time(started, sizeof(started), st->started);
	(void)ct_config_path(ctx, st->name, cfgp, sizeof(cfgp), NULL);
	(void)ct_log_path(ctx, st->name, logp, sizeof(logp), NULL);
	if (st->exit_status >= 0)
		snprintf(ex, sizeof(ex), "%d",
			 WIFEXITED(st->exit_status) ? WEXITSTATUS(st->exit_status)
						    : 128 + WTERMSIG(st->exit_status));
	printf("%-23s: %s\n", "name", st->name);
	printf("%-23s: %s\n", "uuid", st->uuid);
	printf("%-23s: %s\n", "state", ct_state_name(st->state));
	printf("%-23s: %d\n", "pid", (int)st->pid);
	printf("%-23s: %d\n", "monitor_pid", (int)st->monitor);
	printf("%-23s: %s\n", "created", created);
	printf("%-23s: %s\n", "started", started);
	printf("%-23s: %s\n", "uptime", up);
	printf("%-23s: %s\n", "memory_mib", mem);
	printf("%-23s: %s\n", "last_exit_code", ex);
	printf("%-23s: %s\n", "veth", st->veth[0] ? st->veth : "-");
	printf("%-23s: %s\n", "console", st->terminal ? "pty" : "log only");
	printf("%-23s: %s\n", "definition", cfgp);
	printf("%-23s: %s\n", "log", logp);
	return 0;
}

static int list_long(const struct ct_status *st, void *arg)
{
	info_print(arg, st);
	printf("\n");
	return 0;
}

int hxc_cmd_list(const struct hx_cmd *cmd, int argc, char **argv)
{
	struct ct_ctx ctx;
	bool lng = false;
	ct_err_t err;
	int o, rc;

	while ((o = hx_getopt(cmd, argc, argv, "l", 0, &rc)) != -1) {
		if (o == -2)
			return rc;
		lng = true;
	}
	if (hxc_ctx(&ctx) < 0)
		return HX_EXIT_FAIL;
	if (!lng)
		printf("%-24s %-36s %-8s %7s %11s %9s\n", "Name", "UUID", "State", "PID", "Uptime",
		       "Mem(MiB)");
	if (ct_list(&ctx, lng ? list_long : list_row, &ctx, &err) < 0)
		return hxc_err(&err);
	return HX_EXIT_OK;
}

static int one_name(const struct hx_cmd *cmd, int argc, char **argv, int min)
{
	int o, rc;

	while ((o = hx_getopt(cmd, argc, argv, "", min, &rc)) != -1) {
		if (o == -2)
			return rc;
	}
	return -1;
}

int hxc_cmd_info(const struct hx_cmd *cmd, int argc, char **argv)
{
	struct ct_status st;
	struct ct_ctx ctx;
	ct_err_t err;
	int rc = one_name(cmd, argc, argv, 1);

	if (rc >= 0)
		return rc;
	if (hxc_ctx(&ctx) < 0)
		return HX_EXIT_FAIL;
	if (ct_status_get(&ctx, argv[optind], &st, &err) < 0)
		return hxc_err(&err);
	return info_print(&ctx, &st);
}

int hxc_cmd_logs(const struct hx_cmd *cmd, int argc, char **argv)
{
	char p[4096], buf[8192];
	struct ct_ctx ctx;
	ct_err_t err;
	ssize_t n;
	int fd, rc = one_name(cmd, argc, argv, 1);

	if (rc >= 0)
		return rc;
	if (hxc_ctx(&ctx) < 0)
		return HX_EXIT_FAIL;
	if (ct_log_path(&ctx, argv[optind], p, sizeof(p), &err) < 0)
		return hxc_err(&err);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return HX_EXIT_OK; /* never started: no output yet */
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(fd);
	return HX_EXIT_OK;
}

int hxc_cmd_import(const struct hx_cmd *cmd, int argc, char **argv)
{
	struct ct_ctx ctx;
	unsigned long shift = 0;
	ct_err_t err;
	int o, rc;

	while ((o = hx_getopt(cmd, argc, argv, "u:", 2, &rc)) != -1) {
		if (o == -2)
			return rc;
		shift = strtoul(optarg, NULL, 10);
	}
	if (hxc_ctx(&ctx) < 0)
		return HX_EXIT_FAIL;
	if (ct_layer_import(&ctx, argv[optind], argv[optind + 1], (uid_t)shift, &err) < 0)
		return hxc_err(&err);
	return HX_EXIT_OK;
}

static int layer_row(const char *lname, void *arg)
{
	(void)arg;
	printf("%s\n", lname);
	return 0;
}

int hxc_cmd_layers(const struct hx_cmd *cmd, int argc, char **argv)
{
	struct ct_ctx ctx;
	ct_err_t err;
	int rc = one_name(cmd, argc, argv, 0);

	if (rc >= 0)
		return rc;
	if (hxc_ctx(&ctx) < 0)
		return HX_EXIT_FAIL;
	return ct_layer_list(&ctx, layer_row, NULL, &err) < 0 ? hxc_err(&err) : HX_EXIT_OK;
}

int hxc_cmd_layer_rm(const struct hx_cmd *cmd, int argc, char **argv)
{
	struct ct_ctx ctx;
	ct_err_t err;
	int rc = one_name(cmd, argc, argv, 1);

	if (rc >= 0)
		return rc;
	if (hxc_ctx(&ctx) < 0)
		return HX_EXIT_FAIL;
	return ct_layer_remove(&ctx, argv[optind], &err) < 0 ? hxc_err(&err) : HX_EXIT_OK;
}
