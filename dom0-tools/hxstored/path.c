/* SPDX-License-Identifier: GPL-2.0-only */
/* Xenstore path rules: validation, relative-to-absolute resolution, ancestry tests. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <hx/xs_wire.h>

#include "path.h"

static bool path_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '/' || c == '_' || c == '@';
}

bool path_is_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!path_char_ok(s[i]))
			return false;
		if (s[i] == '/' && s[i + 1] == '/')
			return false;
	}
	return n == 1 || s[n - 1] != '/';
}

static bool path_special_ok(const char *s)
{
	static const char rel[] = "@releaseDomain";

	if (!strcmp(s, "@introduceDomain") || !strcmp(s, rel))
		return true;
	if (strncmp(s, rel, sizeof(rel) - 1) || s[sizeof(rel) - 1] != '/')
		return false;
	s += sizeof(rel);
	if (!*s || strlen(s) > 5)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int path_resolve(const char *in, uint32_t domid, bool allow_special, char *out, size_t *rel_off)
{
	size_t n = strlen(in), off = 0;

	*rel_off = 0;
	if (in[0] == '@') {
		if (!allow_special || !path_special_ok(in))
			return EINVAL;
		memcpy(out, in, n + 1);
		return 0;
	}
	if (in[0] != '/') {
		off = (size_t)snprintf(out, PATH_BUF_MAX, "/local/domain/%u/", domid);
		*rel_off = off;
	}
	if (n > HX_XS_ABS_PATH_MAX || off + n >= PATH_BUF_MAX)
		return EINVAL;
	memcpy(out + off, in, n + 1);
	if (!path_is_valid(out) || (off && n == 0))
		return EINVAL;
	if (strchr(out + 1, '@'))
		return EINVAL;
	return 0;
}

bool path_is_under(const char *p, const char *anc)
{
	size_t n = strlen(anc);

	if (n == 1 && anc[0] == '/')
		return p[0] == '/';
	return !strncmp(p, anc, n) && (p[n] == 0 || p[n] == '/');
}

unsigned path_depth_below(const char *p, const char *anc)
{
	size_t n = strlen(anc);
	unsigned d = 0;

	if (n == 1 && anc[0] == '/')
		n = 0;
	for (p += n; *p; p++)
		d += *p == '/';
	return d;
}

size_t path_parent_len(const char *p)
{
	const char *s = strrchr(p, '/');

	if (!s || s == p)
		return 1;
	return (size_t)(s - p);
}

const char *path_basename(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

size_t path_local_off(const char *p, uint32_t domid)
{
	char pre[40];
	int n = snprintf(pre, sizeof(pre), "/local/domain/%u/", domid);

	return !strncmp(p, pre, (size_t)n) ? (size_t)n : 0;
}
