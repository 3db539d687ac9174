/* SPDX-License-Identifier: MIT */
/* pvkit: a small vsnprintf (integers, strings, pointers) for a guest without a C library. */
#include <pvkit/lib.h>

struct out {
	char *buf;
	size_t size;
	size_t len; /* characters the full output needs */
};

struct spec {
	bool left;
	bool zero;
	int width;
	int prec; /* -1: none; for %s, the most characters to print */
	int lng;  /* 0 int, 1 long, 2 long long, -1 short */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, const struct spec *sp)
{
	int pad = sp->width > (int)n ? sp->width - (int)n : 0;
	char fill = sp->zero && !sp->left ? '0' : ' ';

	if (!sp->left)
		while (pad-- > 0)
			put(o, fill);
	while (n--)
		put(o, *s++);
	if (sp->left)
		while (pad-- > 0)
			put(o, ' ');
}

static void put_number(struct out *o, uint64_t v, unsigned int base, bool neg, bool upper,
		       const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	size_t n = 0;

	do {
		tmp[sizeof(tmp) - 1 - n++] = digits[v % base];
		v /= base;
	} while (v);
	if (neg) {
		if (sp->zero && sp->width > 0) {
			struct spec s2 = *sp;

			put(o, '-');
			s2.width--;
			put_padded(o, &tmp[sizeof(tmp) - n], n, &s2);
			return;
		}
		tmp[sizeof(tmp) - 1 - n++] = '-';
	}
	put_padded(o, &tmp[sizeof(tmp) - n], n, sp);
}

static const char *parse_spec(const char *f, struct spec *sp)
{
	*sp = (struct spec){0};
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else
			break;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	sp->prec = -1;
	if (*f == '.') {
		sp->prec = 0;
		while (*++f >= '0' && *f <= '9')
			sp->prec = sp->prec * 10 + (*f - '0');
	}
	for (;; f++) {
		if (*f == 'l' || *f == 'z')
			sp->lng++;
		else if (*f == 'h')
			sp->lng = -1;
		else
			break;
	}
	return f;
}

static uint64_t get_unsigned(va_list *ap, int lng)
{
	if (lng > 0)
		return va_arg(*ap, unsigned long long);
	return va_arg(*ap, unsigned int);
}

static int64_t get_signed(va_list *ap, int lng)
{
	if (lng > 0)
		return va_arg(*ap, long long);
	return va_arg(*ap, int);
}

static void convert(struct out *o, char c, struct spec *sp, va_list *ap)
{
	const char *s;
	int64_t sv;

	switch (c) {
	case 'd':
	case 'i':
		sv = get_signed(ap, sp->lng);
		put_number(o, sv < 0 ? -(uint64_t)sv : (uint64_t)sv, 10, sv < 0, false, sp);
		break;
	case 'u':
		put_number(o, get_unsigned(ap, sp->lng), 10, false, false, sp);
		break;
	case 'x':
	case 'X':
		put_number(o, get_unsigned(ap, sp->lng), 16, false, c == 'X', sp);
		break;
	case 'o':
		put_number(o, get_unsigned(ap, sp->lng), 8, false, false, sp);
		break;
	case 'p':
		put(o, '0');
		put(o, 'x');
		put_number(o, (uintptr_t)va_arg(*ap, void *), 16, false, false, sp);
		break;
	case 'c':
		put(o, (char)va_arg(*ap, int));
		break;
	case 's':
		s = va_arg(*ap, const char *);
		s = s ? s : "(null)";
		put_padded(o, s, sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s), sp);
		break;
	default: /* "%%" and anything unknown are copied */
		put(o, c);
		break;
	}
}

int pv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {buf, size, 0};
	struct spec sp;
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp);
		if (!*fmt)
			break;
		convert(&o, *fmt++, &sp, &aq);
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int pv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = pv_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
