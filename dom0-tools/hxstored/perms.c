/* SPDX-License-Identifier: GPL-2.0-only */
/* Node permissions: parsing "<letter><domid>" lists, formatting them, and access decisions. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "perms.h"

static int perm_letter(char c)
{
	switch (c) {
	case 'n':
		return 0;
	case 'r':
		return PERM_READ;
	case 'w':
		return PERM_WRITE;
	case 'b':
		return PERM_BOTH;
	default:
		return -1;
	}
}

static int perm_parse_one(const char *s, size_t n, struct xs_perm *out)
{
	int bits = n ? perm_letter(s[0]) : -1;
	unsigned long v = 0;

	if (bits < 0 || n < 2 || n > 6)
		return -EINVAL;
	for (size_t i = 1; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > 65535)
		return -EINVAL;
	out->domid = (uint32_t)v;
	out->perm = (uint8_t)bits;
	return 0;
}

int perms_parse(const char *buf, size_t len, struct xs_perm *out, unsigned max)
{
	unsigned n = 0;
	size_t i = 0;

	while (i < len) {
		const char *s = buf + i;
		const char *z = memchr(s, 0, len - i);

		if (!z)
			return -EINVAL;
		if (n == max)
			return -E2BIG;
		if (perm_parse_one(s, (size_t)(z - s), &out[n]))
			return -EINVAL;
		n++;
		i += (size_t)(z - s) + 1;
	}
	return n ? (int)n : -EINVAL;
}

size_t perms_format(const struct xs_perm *p, unsigned n, char *buf, size_t len)
{
	static const char letters[] = "nrwb";
	size_t off = 0;

	for (unsigned i = 0; i < n; i++) {
		int w = snprintf(buf + off, len - off, "%c%u", letters[p[i].perm & 3], p[i].domid);

		if (w < 0 || (size_t)w + 1 > len - off)
			return 0;
		off += (size_t)w + 1;
	}
	return off;
}

unsigned perms_access(const struct xs_perm *p, unsigned n, const struct xs_caller *c)
{
	if (c->privileged || perms_is_owner(p, c))
		return PERM_BOTH;
	for (unsigned i = 1; i < n; i++)
		if (p[i].domid == c->domid)
			return p[i].perm;
	if (c->target != DOMID_NONE)
		for (unsigned i = 1; i < n; i++)
			if (p[i].domid == c->target)
				return p[i].perm;
	return p[0].perm;
}

bool perms_is_owner(const struct xs_perm *p, const struct xs_caller *c)
{
	return c->privileged || p[0].domid == c->domid ||
	       (c->target != DOMID_NONE && p[0].domid == c->target);
}
