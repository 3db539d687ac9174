/* SPDX-License-Identifier: GPL-2.0-only */
/* Unix socket transport: the listener and one connection per client (acting as domain 0). */
#ifndef HXSTORED_SOCK_H
#define HXSTORED_SOCK_H

#include <stddef.h>

struct xs_conn;

/* The socket path: $XENSTORED_PATH, else $XENSTORED_RUNDIR/socket, else the default. */
const char *sock_default_path(char *buf, size_t len);
/* Creates the listening socket (mode 0600) and starts accepting. Returns 0 or an errno. */
int sock_listen(const char *path);
/* Takes over an inherited listening socket (live update). */
int sock_adopt_listener(int fd);
/* The listening socket, -1 if none. */
int sock_listener_fd(void);
void sock_close_listener(void);
/* Wraps an accepted or inherited client socket. NULL on ENOMEM. */
struct xs_conn *sock_conn_adopt(int fd);
/* The client socket of a socket connection, -1 for other transports. */
int sock_conn_fd(const struct xs_conn *c);

#endif /* HXSTORED_SOCK_H */
