/* SPDX-License-Identifier: GPL-2.0-only */
/* hx: the Hospes toolstack CLI. Global options, then dispatch through the command tables. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hx.h"

int hx_verbose;

int hx_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return HX_EXIT_FAIL;
}

static void print_table(FILE *f, const struct hx_cmd *t, const char *group)
{
	fprintf(f, "Usage: hx [-v] %s%s<subcommand> [args]\n\n", group, *group ? " " : "");
	fprintf(f, "%s commands:\n\n", *group ? group : "hx");
	for (; t->name; t++)
		fprintf(f, " %-19s %s\n", t->name, t->help);
}

void hx_usage(const struct hx_cmd *cmd, bool to_stdout)
{
	FILE *f = to_stdout ? stdout : stderr;

	fprintf(f, "Usage: hx [-v] %s%s%s %s\n\n%s\n", cmd->group, *cmd->group ? " " : "",
		cmd->name, cmd->usage, cmd->help);
}

const struct hx_cmd *hx_cmd_lookup(const struct hx_cmd *t, const char *name)
{
	const struct hx_cmd *found = NULL;
	size_t n = strlen(name);
	int matches = 0;

	for (const struct hx_cmd *c = t; c->name; c++) {
		if (!strcmp(c->name, name))
			return c;
		if (n && !strncmp(c->name, name, n)) {
			found = c;
			matches++;
		}
	}
	if (matches > 1) {
		fprintf(stderr, "command '%s' is ambiguous\n", name);
		return NULL;
	}
	return found;
}

int hx_dispatch(const struct hx_cmd *table, const char *group, int argc, char **argv)
{
	const struct hx_cmd *c;

	if (argc < 1 || !strcmp(argv[0], "help") || !strcmp(argv[0], "-h") ||
	    !strcmp(argv[0], "--help")) {
		if (argc >= 2 && (c = hx_cmd_lookup(table, argv[1])) != NULL) {
			if (c->sub)
				print_table(stdout, c->sub, c->name);
			else
				hx_usage(c, true);
			return HX_EXIT_OK;
		}
		print_table(argc < 1 ? stderr : stdout, table, group);
		return argc < 1 ? HX_EXIT_USAGE : HX_EXIT_OK;
	}
	c = hx_cmd_lookup(table, argv[0]);
	if (!c) {
		fprintf(stderr, "command not implemented\n");
		return HX_EXIT_FAIL;
	}
	if (c->sub)
		return hx_dispatch(c->sub, c->name, argc - 1, argv + 1);
	return c->fn(c, argc, argv);
}

int hx_getopt(const struct hx_cmd *cmd, int argc, char **argv, const char *opts, int min_args,
	      int *exit_code)
{
	char full[64];
	int o;

	snprintf(full, sizeof(full), "+h%s", opts);
	opterr = 0;
	o = getopt(argc, argv, full);
	if (o == 'h') {
		hx_usage(cmd, true);
		*exit_code = HX_EXIT_OK;
		return -2;
	}
	if (o == '?') {
		fprintf(stderr, "option `%c' not supported.\n", optopt);
		hx_usage(cmd, false);
		*exit_code = HX_EXIT_USAGE;
		return -2;
	}
	if (o == -1 && argc - optind < min_args) {
		fprintf(stderr, "'hx %s %s' requires at least %d argument(s).\n\n", cmd->group,
			cmd->name, min_args);
		hx_usage(cmd, false);
		*exit_code = HX_EXIT_USAGE;
		return -2;
	}
	return o;
}

int main(int argc, char **argv)
{
	int o, first;

	opterr = 0;
	while ((o = getopt(argc, argv, "+vh")) != -1) {
		switch (o) {
		case 'v':
			/* -v: the runtime's start-up trace (timestamps on stderr) */
			if (++hx_verbose == 1)
				setenv("HXCT_TRACE", "1", 0);
			break;
		case 'h':
			return hx_dispatch(hx_cmd_table, "", 1, (char *[]){"help", NULL});
		default:
			fprintf(stderr, "unknown global option\n");
			return HX_EXIT_USAGE;
		}
	}
	first = optind;
	optind = 0; /* commands run getopt again on their own argv */
	return hx_dispatch(hx_cmd_table, "", argc - first, argv + first);
}
