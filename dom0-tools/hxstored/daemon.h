/* SPDX-License-Identifier: GPL-2.0-only */
/* Daemon-wide actions the control commands trigger (main.c). */
#ifndef HXSTORED_DAEMON_H
#define HXSTORED_DAEMON_H

/* Writes the state file now. Returns 0 or an errno (ENOENT: no --state-file given). */
int daemon_save(void);

/*
 * Hands every connection over to a fresh copy of the daemon (exec). Returns only on failure,
 * with an errno (EBUSY: transactions are open).
 */
int daemon_live_update(void);

#endif /* HXSTORED_DAEMON_H */
