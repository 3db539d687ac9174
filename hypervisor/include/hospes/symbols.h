/* SPDX-License-Identifier: GPL-2.0-only */
/* Hypervisor symbol table for stack traces (generated at link time from the first link). */
#ifndef HOSPES_SYMBOLS_H
#define HOSPES_SYMBOLS_H

#include <hospes/types.h>

struct symbol_entry {
	uint64_t addr;
	const char *name;
};

/* Table sorted by address; hv_nr_symbols may be 0 (first link pass). */
extern const struct symbol_entry hv_symbols[];
extern const unsigned int hv_nr_symbols;

/* Name of the function containing addr and the offset into it; NULL if unknown. */
const char *symbols_lookup(uint64_t addr, uint64_t *offset);

#endif /* HOSPES_SYMBOLS_H */
