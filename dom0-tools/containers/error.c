/* SPDX-License-Identifier: GPL-2.0-only */
/* Error object helpers (see hxct/error.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "hxct/error.h"

static int ct_err_v(ct_err_t *err, int errnum, const char *fmt, va_list ap)
{
	if (err) {
		err->errnum = errnum;
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	}
	return -1;
}

int ct_err(ct_err_t *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ct_err_v(err, errnum, fmt, ap);
	va_end(ap);
	return -1;
}

int ct_errno(ct_err_t *err, const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	ct_err_v(err, e, fmt, ap);
	va_end(ap);
	errno = e;
	return -1;
}

void ct_err_prefix(ct_err_t *err, const char *fmt, ...)
{
	char pre[256], old[CT_ERR_MSG_MAX];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	snprintf(old, sizeof(old), "%s", err->msg);
	snprintf(err->msg, sizeof(err->msg), "%s: %s", pre, old);
}

const char *ct_err_str(const ct_err_t *err, char *buf, unsigned long len)
{
	if (err->errnum)
		snprintf(buf, len, "%s: %s", err->msg, strerror(err->errnum));
	else
		snprintf(buf, len, "%s", err->msg);
	return buf;
}
