/* SPDX-License-Identifier: GPL-2.0-only */
/* Number and size parsing shared by the command line and other boot-time text. */
#include <hospes/errno.h>
#include <hospes/lib.h>

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

int parse_ulong(const char *s, const char **end, uint64_t *out)
{
	unsigned int base = 10;
	uint64_t v = 0;
	const char *p = s;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16) {
		base = 16;
		p += 2;
	}
	if (digit_value(*p) >= (int)base)
		return -EINVAL;
	for (; digit_value(*p) < (int)base; p++) {
		unsigned int d = (unsigned int)digit_value(*p);

		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	*out = v;
	if (end)
		*end = p;
	return 0;
}

int parse_size(const char *s, const char **end, uint64_t *out)
{
	const char *p;
	uint64_t v;
	unsigned int shift = 0;
	int rc = parse_ulong(s, &p, &v);

	if (rc)
		return rc;
	switch (*p) {
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	case 't':
	case 'T':
		shift = 40;
		break;
	case 'b':
	case 'B':
		shift = 0;
		break;
	default:
		p--;
		break;
	}
	p++;
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = v << shift;
	if (end)
		*end = p;
	return 0;
}
