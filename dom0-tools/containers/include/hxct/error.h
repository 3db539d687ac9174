/* SPDX-License-Identifier: GPL-2.0-only */
/* Error object of the container runtime: an errno plus a message the CLI prints as is. */
#ifndef HXCT_ERROR_H
#define HXCT_ERROR_H

#define CT_ERR_MSG_MAX 1024

/*
 * Every library function that can fail takes a ct_err_t * and returns a negative int (or NULL)
 * after filling it. errnum is 0 when the message alone says everything (a config error).
 */
typedef struct ct_err {
	int errnum;
	char msg[CT_ERR_MSG_MAX];
} ct_err_t;

/* Fills err (if not NULL) and returns -1, so that a failure is one line: return ct_err(...). */
int ct_err(ct_err_t *err, int errnum, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Same, with errnum taken from errno. */
int ct_errno(ct_err_t *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prepends "prefix: " to an already set message (to add context on the way up). */
void ct_err_prefix(ct_err_t *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Formats "msg" or "msg: strerror(errnum)" into buf. */
const char *ct_err_str(const ct_err_t *err, char *buf, unsigned long len);

#endif
