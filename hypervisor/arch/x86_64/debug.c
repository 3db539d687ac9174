/* SPDX-License-Identifier: GPL-2.0-only */
/* crash=<kind>: deliberate faults that prove the fatal-trap path reports and stops cleanly. */
#include <hospes/bug.h>
#include <hospes/console.h>
#include <hospes/lib.h>
#include <hospes/setup.h>

void debug_crash(const char *kind)
{
	pr_err("crash=%s requested on the command line\n", kind);
	if (!strcmp(kind, "pagefault")) {
		volatile uint64_t *bad = (volatile uint64_t *)(uintptr_t)0xffff87fffffff000ULL;

		*bad = 1;
	} else if (!strcmp(kind, "ud")) {
		__asm__ volatile("ud2");
	} else if (!strcmp(kind, "gp")) {
		volatile uint64_t *noncanonical =
			(volatile uint64_t *)(uintptr_t)0x8000000000000000ULL;

		*noncanonical = 1;
	} else if (!strcmp(kind, "panic")) {
		panic("crash=panic requested");
	}
	pr_err("crash=%s: unknown kind (pagefault, ud, gp, panic); continuing\n", kind);
}
