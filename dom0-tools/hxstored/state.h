/* SPDX-License-Identifier: GPL-2.0-only */
/* Saving and restoring the daemon's state: the tree, domains, quotas, and (live) connections. */
#ifndef HXSTORED_STATE_H
#define HXSTORED_STATE_H

#include <stdbool.h>

/*
 * Writes the state to file (atomically, through a temporary file). live also records every
 * connection with its descriptor numbers, buffers and watches, for a new process that
 * inherits those descriptors. Returns 0 or an errno.
 */
int state_save(const char *file, bool live);

/*
 * Loads a state file into an empty store (store_init() not called). live re-creates the
 * connections and the listener from inherited descriptors. Returns 0 or an errno
 * (ENOENT: no such file).
 */
int state_load(const char *file, bool live);

/* Clears close-on-exec on every descriptor a live state file names. */
void state_keep_fds(void);

#endif /* HXSTORED_STATE_H */
