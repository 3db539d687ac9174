/* SPDX-License-Identifier: GPL-2.0-only */
/* Address to function-name lookup over the generated, sorted symbol table. */
#include <hospes/symbols.h>

extern char __text_start[], __text_end[];

const char *symbols_lookup(uint64_t addr, uint64_t *offset)
{
	unsigned int lo = 0, hi = hv_nr_symbols;

	if (addr < (uint64_t)(uintptr_t)__text_start || addr >= (uint64_t)(uintptr_t)__text_end ||
	    !hi || addr < hv_symbols[0].addr)
		return NULL;
	while (hi - lo > 1) { /* invariant: hv_symbols[lo].addr <= addr */
		unsigned int mid = lo + (hi - lo) / 2;

		if (hv_symbols[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - hv_symbols[lo].addr;
	return hv_symbols[lo].name;
}
