/* SPDX-License-Identifier: GPL-2.0-only */
/* vsnprintf for the console: %d %i %u %x %X %o %p %s %c %%, flags - 0 + space #, width, precision. */
#include <hospes/lib.h>

struct fmt_out {
	char *buf;
	size_t size;
	size_t len; /* characters produced so far, even past size */
};

struct fmt_spec {
	bool left, zero, plus, space, alt;
	int width;
	int prec; /* -1: none */
};

static void out_char(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_pad(struct fmt_out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

static void out_string(struct fmt_out *o, const char *s, const struct fmt_spec *f)
{
	size_t n;

	if (!s)
		s = "(null)";
	n = strnlen(s, f->prec >= 0 ? (size_t)f->prec : SIZE_MAX);
	if (!f->left)
		out_pad(o, ' ', f->width - (int)n);
	for (size_t i = 0; i < n; i++)
		out_char(o, s[i]);
	if (f->left)
		out_pad(o, ' ', f->width - (int)n);
}

static void out_number(struct fmt_out *o, uint64_t v, bool neg, unsigned int base, bool upper,
		       const struct fmt_spec *f)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, prefix_len = 0;
	char sign = 0;
	const char *prefix = "";

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (neg)
		sign = '-';
	else if (f->plus)
		sign = '+';
	else if (f->space)
		sign = ' ';
	if (f->alt && base == 16) {
		prefix = upper ? "0X" : "0x";
		prefix_len = 2;
	}
	int body = MAX(n, f->prec) + (sign ? 1 : 0) + prefix_len;

	if (!f->left && !(f->zero && f->prec < 0))
		out_pad(o, ' ', f->width - body);
	if (sign)
		out_char(o, sign);
	for (int i = 0; i < prefix_len; i++)
		out_char(o, prefix[i]);
	if (!f->left && f->zero && f->prec < 0)
		out_pad(o, '0', f->width - body);
	out_pad(o, '0', f->prec - n);
	while (n)
		out_char(o, tmp[--n]);
	if (f->left)
		out_pad(o, ' ', f->width - body);
}

static const char *parse_spec(const char *p, struct fmt_spec *f, va_list *ap)
{
	*f = (struct fmt_spec){.prec = -1};
	for (;; p++) {
		if (*p == '-')
			f->left = true;
		else if (*p == '0')
			f->zero = true;
		else if (*p == '+')
			f->plus = true;
		else if (*p == ' ')
			f->space = true;
		else if (*p == '#')
			f->alt = true;
		else
			break;
	}
	if (*p == '*') {
		f->width = va_arg(*ap, int);
		p++;
	} else {
		while (*p >= '0' && *p <= '9')
			f->width = f->width * 10 + (*p++ - '0');
	}
	if (*p == '.') {
		p++;
		f->prec = 0;
		if (*p == '*') {
			f->prec = va_arg(*ap, int);
			p++;
		} else {
			while (*p >= '0' && *p <= '9')
				f->prec = f->prec * 10 + (*p++ - '0');
		}
	}
	return p;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = {buf, size, 0};
	va_list args;

	va_copy(args, ap);
	for (const char *p = fmt; *p; p++) {
		struct fmt_spec f;
		int lng = 0;

		if (*p != '%') {
			out_char(&o, *p);
			continue;
		}
		p = parse_spec(p + 1, &f, &args);
		for (; *p == 'l' || *p == 'z' || *p == 'h'; p++)
			lng += (*p == 'h') ? 0 : 1;
		switch (*p) {
		case 'd':
		case 'i': {
			int64_t v = lng ? va_arg(args, int64_t) : va_arg(args, int);

			out_number(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, false, &f);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			uint64_t v = lng ? va_arg(args, uint64_t) : va_arg(args, unsigned int);
			unsigned int base = *p == 'u' ? 10 : *p == 'o' ? 8 : 16;

			out_number(&o, v, false, base, *p == 'X', &f);
			break;
		}
		case 'p':
			f.alt = true;
			out_number(&o, (uint64_t)(uintptr_t)va_arg(args, void *), false, 16, false,
				   &f);
			break;
		case 's':
			out_string(&o, va_arg(args, const char *), &f);
			break;
		case 'c':
			out_char(&o, (char)va_arg(args, int));
			break;
		case '%':
			out_char(&o, '%');
			break;
		case '\0':
			p--;
			break;
		default:
			out_char(&o, '%');
			out_char(&o, *p);
			break;
		}
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
