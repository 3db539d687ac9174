/* SPDX-License-Identifier: GPL-2.0-only */
/* The hypervisor command line: parsed once at boot into struct hv_options. */
#ifndef HOSPES_CMDLINE_H
#define HOSPES_CMDLINE_H

#include <hospes/types.h>

#define CMDLINE_MAX	     1024
#define CMDLINE_MAX_WARNINGS 8
#define CMDLINE_WARNING_LEN  96

enum serial_parity {
	PARITY_NONE,
	PARITY_ODD,
	PARITY_EVEN,
};

struct serial_options {
	uint32_t baud; /* 0: keep what the firmware set */
	uint8_t data_bits;
	uint8_t stop_bits;
	uint8_t parity; /* enum serial_parity */
};

struct hv_options {
	bool console_com1;
	struct serial_options com1;
	int loglvl;	       /* 0 errors .. 4 debug */
	uint64_t dom0_mem;     /* bytes; 0: builder's default */
	uint64_t dom0_mem_min; /* bytes; 0: none */
	uint64_t dom0_mem_max; /* bytes; 0: none */
	uint32_t maxcpus;      /* 0: all */
	uint32_t dom0_vcpus;   /* dom0_max_vcpus=; 0: the default (1) */
	bool noreboot;
	bool initdom_unprivileged; /* initdom=unprivileged: domain 1, no privileges, console ring */
	char crash[16]; /* debug: deliberate fault at the end of boot (see debug_crash) */
	/* Options not understood, values out of range: reported once the console is up. */
	unsigned int nr_warnings;
	unsigned int warnings_dropped;
	char warnings[CMDLINE_MAX_WARNINGS][CMDLINE_WARNING_LEN];
	char text[CMDLINE_MAX]; /* the command line as used, NUL-terminated */
};

/*
 * Fills opts with defaults, then applies the options in cmdline (may be NULL). Never fails:
 * a bad option is skipped with a warning in opts->warnings and the default stays in force.
 * A command line longer than CMDLINE_MAX - 1 bytes is cut there, with a warning.
 */
void cmdline_parse(const char *cmdline, int default_loglvl, struct hv_options *opts);

#endif /* HOSPES_CMDLINE_H */
