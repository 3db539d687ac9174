/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libhx xenstore client: synchronous calls, watches and transactions over a socket or a ring. */
#ifndef HX_XS_H
#define HX_XS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include <hx/xs_wire.h>

/* An error: errno value plus a message for the CLI to print. */
struct hx_err {
	int code;
	char msg[256];
};

struct hx_xs;

/*
 * Connects to a xenstore daemon's Unix socket. path NULL picks $XENSTORED_PATH, else
 * $XENSTORED_RUNDIR/socket, else /var/run/xenstored/socket. Returns NULL with *err filled.
 */
struct hx_xs *hx_xs_open(const char *path, struct hx_err *err);

/*
 * Acts as the guest side of a xenstore ring: page is the 4 KiB struct hx_xs_ring, kick_fd is
 * written (8-byte eventfd counter) to notify the server, wait_fd becomes readable when the server
 * notified us. The handle does not own page or the fds.
 */
struct hx_xs *hx_xs_open_ring(void *page, int kick_fd, int wait_fd, struct hx_err *err);

void hx_xs_close(struct hx_xs *h);

/* The last error of a call on h (code 0 when the last call succeeded). */
const struct hx_err *hx_xs_error(const struct hx_xs *h);

/* Maps an error name from the wire ("ENOENT") to its errno, EINVAL when unknown. */
int hx_xs_errno_from_name(const char *name);
/* Maps an errno to its wire name, "EINVAL" when it has none. */
const char *hx_xs_errno_name(int err);

/*
 * Sends one request and waits for its reply. On success returns 0 and, when out is not NULL,
 * stores a malloc'd copy of the payload (with one extra NUL after it) in *out and its length in
 * *outlen. On an ERROR reply returns -errno. Watch events arriving meanwhile are queued.
 */
int hx_xs_request(struct hx_xs *h, uint32_t tx, uint32_t type, const struct iovec *iov, int niov,
		  char **out, uint32_t *outlen);

/* Like hx_xs_request but also passes file descriptors (socket transport only). */
int hx_xs_request_fds(struct hx_xs *h, uint32_t tx, uint32_t type, const struct iovec *iov,
		      int niov, const int *fds, int nfds, char **out, uint32_t *outlen);

int hx_xs_read(struct hx_xs *h, uint32_t tx, const char *path, char **val, uint32_t *len);
int hx_xs_write(struct hx_xs *h, uint32_t tx, const char *path, const void *val, uint32_t len);
int hx_xs_write_str(struct hx_xs *h, uint32_t tx, const char *path, const char *val);
int hx_xs_mkdir(struct hx_xs *h, uint32_t tx, const char *path);
int hx_xs_rm(struct hx_xs *h, uint32_t tx, const char *path);

/* *list is one malloc'd block: an array of *n string pointers followed by the strings. */
int hx_xs_directory(struct hx_xs *h, uint32_t tx, const char *path, char ***list, unsigned *n);

/* Permissions as text ("n0", "r5", ...). *perms is one NUL-separated malloc'd block. */
int hx_xs_get_perms(struct hx_xs *h, uint32_t tx, const char *path, char **perms, uint32_t *len);
int hx_xs_set_perms(struct hx_xs *h, uint32_t tx, const char *path, const char *const *perms,
		    unsigned n);

int hx_xs_watch(struct hx_xs *h, const char *path, const char *token);
int hx_xs_unwatch(struct hx_xs *h, const char *path, const char *token);

/*
 * Waits up to timeout_ms (-1 = forever) for a watch event. On success *path and *token point
 * into one malloc'd block owned by the caller (free(*path)). Returns -ETIMEDOUT on timeout.
 */
int hx_xs_read_watch(struct hx_xs *h, char **path, char **token, int timeout_ms);

/* File descriptor that becomes readable when the daemon sent something (for poll loops). */
int hx_xs_fileno(const struct hx_xs *h);

int hx_xs_tx_start(struct hx_xs *h, uint32_t *tx);
int hx_xs_tx_end(struct hx_xs *h, uint32_t tx, bool commit);

/*
 * Runs fn inside a transaction and commits; retries the whole transaction on EAGAIN up to
 * max_tries times. fn returns 0 or -errno (a failure aborts the transaction).
 */
int hx_xs_transact(struct hx_xs *h, int (*fn)(struct hx_xs *h, uint32_t tx, void *arg), void *arg,
		   unsigned max_tries);

int hx_xs_introduce(struct hx_xs *h, unsigned domid, long gfn, unsigned port);
int hx_xs_release(struct hx_xs *h, unsigned domid);
int hx_xs_is_introduced(struct hx_xs *h, unsigned domid, bool *yes);
int hx_xs_get_domain_path(struct hx_xs *h, unsigned domid, char **path);
int hx_xs_set_target(struct hx_xs *h, unsigned domid, unsigned target);
int hx_xs_reset_watches(struct hx_xs *h);

/* CONTROL with NUL-separated arguments; *out as hx_xs_request. */
int hx_xs_control(struct hx_xs *h, const char *const *argv, unsigned argc, char **out,
		  uint32_t *outlen);

#endif /* HX_XS_H */
