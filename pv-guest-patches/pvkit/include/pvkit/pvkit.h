/* SPDX-License-Identifier: MIT */
/* pvkit: the PV guest kit in one include — start of day, hypercalls, console, events, tests. */
#ifndef PVKIT_PVKIT_H
#define PVKIT_PVKIT_H

#include "lib.h"
#include "hypercall.h"
#include "mm.h"
#include "console.h"
#include "events.h"
#include "time.h"
#include "grant.h"
#include "traps.h"
#include "test.h"

/* The command line the guest was started with (start_info.cmd_line). */
const char *pv_cmdline(void);
/* True if word appears in the command line as a whole space-separated word. */
bool pv_cmdline_has(const char *word);

/*
 * Start of day, called by the entry code with the start_info pointer: chooses the hypercall
 * mechanism, sets up the console, maps shared_info, installs the trap table and the event
 * callback (events stay masked), prints the banner, runs test_main() and pv_test_exit().
 */
void pv_start_c(struct start_info *si) PV_NORETURN;

#endif /* PVKIT_PVKIT_H */
