/* SPDX-License-Identifier: GPL-2.0-only */
/* hx CLI: command tables, dispatch and the helpers every command group shares. */
#ifndef HX_HX_H
#define HX_HX_H

#include <stdbool.h>
#include <stddef.h>

/* Exit codes, as xl: 0 success, 1 failure, 2 usage error. */
#define HX_EXIT_OK    0
#define HX_EXIT_FAIL  1
#define HX_EXIT_USAGE 2

struct hx_cmd;

/* A command gets argv starting at its own name (argv[0]) and returns an exit code. */
typedef int (*hx_cmd_fn)(const struct hx_cmd *cmd, int argc, char **argv);

struct hx_cmd {
	const char *name;
	hx_cmd_fn fn;
	const char *help;  /* one line for 'hx help' */
	const char *usage; /* arguments and options, printed after "Usage: hx [GROUP] NAME " */
	const struct hx_cmd *sub; /* a command group: its own table (NULL-name terminated) */
	const char *group;	  /* the group a command belongs to ("" at the top) */
};

/* Global options (hx -v ...). */
extern int hx_verbose;

/* The top-level table (cmd_table.c) and the groups. */
extern const struct hx_cmd hx_cmd_table[];
extern const struct hx_cmd hx_container_cmds[];

/*
 * Finds name in table: an exact match, else the only command it is a prefix of (xl rule).
 * Returns NULL if none or ambiguous (and says so on stderr).
 */
const struct hx_cmd *hx_cmd_lookup(const struct hx_cmd *table, const char *name);

/* Runs argv[0] from table; prints the table's help for "help" or no command. */
int hx_dispatch(const struct hx_cmd *table, const char *group, int argc, char **argv);

/* Prints "Usage: hx ..." and the help line of cmd to stderr (or stdout when asked). */
void hx_usage(const struct hx_cmd *cmd, bool to_stdout);

/*
 * getopt wrapper for commands: handles -h, unknown options ("option `x' not supported.")
 * and a minimum of positional arguments. Returns the option, -1 at the end, or -2 after
 * printing usage: the command should then return *exit_code.
 */
int hx_getopt(const struct hx_cmd *cmd, int argc, char **argv, const char *opts, int min_args,
	      int *exit_code);

/* Prints an error message on stderr ("hx: " is not prefixed, as xl). Returns HX_EXIT_FAIL. */
int hx_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
