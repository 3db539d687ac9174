/* SPDX-License-Identifier: GPL-2.0-only */
/* Command-line parsing: a table of options, each with its own value parser. */
#include <hospes/cmdline.h>
#include <hospes/errno.h>
#include <hospes/lib.h>

struct option_desc {
	const char *name;
	/* Returns 0, or a negative errno with a reason written into why[]. */
	int (*parse)(struct hv_options *opts, const char *val, char *why, size_t why_len);
};

static __printf(2, 3) void cmdline_warn(struct hv_options *opts, const char *fmt, ...)
{
	va_list ap;

	if (opts->nr_warnings >= CMDLINE_MAX_WARNINGS) {
		opts->warnings_dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(opts->warnings[opts->nr_warnings++], CMDLINE_WARNING_LEN, fmt, ap);
	va_end(ap);
}

static int opt_console(struct hv_options *opts, const char *val, char *why, size_t n)
{
	bool com1 = false;

	if (!val || !*val) {
		snprintf(why, n, "expected a device list such as com1");
		return -EINVAL;
	}
	for (const char *p = val; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == 4 && !strncmp(p, "com1", 4)) {
			com1 = true;
		} else if (!(len == 4 && !strncmp(p, "none", 4)) &&
			   !(len == 3 && !strncmp(p, "vga", 3))) {
			snprintf(why, n, "unknown console device '%.*s' (known: com1, vga, none)",
				 (int)MIN(len, 16), p);
			return -EINVAL;
		}
		p += len + (e ? 1 : 0);
	}
	opts->console_com1 = com1;
	return 0;
}

static int parse_serial_format(const char *p, struct serial_options *s, char *why, size_t n)
{
	if (!p[0] || !p[1] || !p[2] || p[3]) {
		snprintf(why, n, "expected <data bits><parity><stop bits> such as 8n1");
		return -EINVAL;
	}
	if (p[0] < '5' || p[0] > '8') {
		snprintf(why, n, "data bits must be 5 to 8");
		return -EINVAL;
	}
	s->data_bits = (uint8_t)(p[0] - '0');
	switch (p[1]) {
	case 'n':
		s->parity = PARITY_NONE;
		break;
	case 'o':
		s->parity = PARITY_ODD;
		break;
	case 'e':
		s->parity = PARITY_EVEN;
		break;
	default:
		snprintf(why, n, "parity must be n, o or e");
		return -EINVAL;
	}
	if (p[2] != '1' && p[2] != '2') {
		snprintf(why, n, "stop bits must be 1 or 2");
		return -EINVAL;
	}
	s->stop_bits = (uint8_t)(p[2] - '0');
	return 0;
}

static int opt_com1(struct hv_options *opts, const char *val, char *why, size_t n)
{
	struct serial_options s = {
		.baud = 0, .data_bits = 8, .stop_bits = 1, .parity = PARITY_NONE};
	const char *p = val;
	uint64_t baud;

	if (!val || !*val) {
		snprintf(why, n, "expected <baud>[,8n1]");
		return -EINVAL;
	}
	if (!strncmp(p, "auto", 4)) {
		p += 4;
	} else {
		if (parse_ulong(p, &p, &baud) || baud < 50 || baud > 115200 || 115200 % baud) {
			snprintf(why, n, "baud rate must divide 115200 (50 to 115200)");
			return -EINVAL;
		}
		s.baud = (uint32_t)baud;
	}
	if (*p == '/') { /* clock hz: accepted for Xen compatibility, the UART clock is fixed */
		uint64_t clk;

		if (parse_ulong(p + 1, &p, &clk)) {
			snprintf(why, n, "expected a clock rate after '/'");
			return -EINVAL;
		}
	}
	if (*p == ',') {
		if (parse_serial_format(p + 1, &s, why, n))
			return -EINVAL;
	} else if (*p) {
		snprintf(why, n, "unexpected '%c' after the baud rate", *p);
		return -EINVAL;
	}
	opts->com1 = s;
	return 0;
}

static int opt_loglvl(struct hv_options *opts, const char *val, char *why, size_t n)
{
	static const char *const names[] = {"error", "warning", "info", "debug", "all"};
	uint64_t v;
	const char *end;

	if (!val || !*val) {
		snprintf(why, n, "expected 0-4 or none, error, warning, info, debug, all");
		return -EINVAL;
	}
	if (!strcmp(val, "none")) {
		opts->loglvl = 0;
		return 0;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++) {
		size_t len = strlen(names[i]);

		/* Xen writes loglvl=<level>[/<guest level>]; the part after '/' is ignored. */
		if (!strncmp(val, names[i], len) && (val[len] == '\0' || val[len] == '/')) {
			opts->loglvl = i == 4 ? 4 : (int)i;
			return 0;
		}
	}
	if (parse_ulong(val, &end, &v) || (*end && *end != '/') || v > 4) {
		snprintf(why, n, "expected 0-4 or none, error, warning, info, debug, all");
		return -EINVAL;
	}
	opts->loglvl = (int)v;
	return 0;
}

/* dom0_mem=[min:<size>,][max:<size>,][<size>] in any order, as Xen accepts it. */
static int opt_dom0_mem(struct hv_options *opts, const char *val, char *why, size_t n)
{
	uint64_t amount = 0, min = 0, max = 0;

	if (!val || !*val) {
		snprintf(why, n, "expected a size such as 512M");
		return -EINVAL;
	}
	for (const char *p = val; *p;) {
		uint64_t *dst = &amount;
		const char *end;
		uint64_t v;

		if (!strncmp(p, "min:", 4)) {
			dst = &min;
			p += 4;
		} else if (!strncmp(p, "max:", 4)) {
			dst = &max;
			p += 4;
		}
		if (parse_size(p, &end, &v) || (*end && *end != ',') || v < MiB(1)) {
			snprintf(why, n,
				 "expected sizes such as 512M or max:1G (at least 1M each)");
			return -EINVAL;
		}
		*dst = v;
		p = *end ? end + 1 : end;
	}
	if (max && min > max) {
		snprintf(why, n, "min: is larger than max:");
		return -EINVAL;
	}
	opts->dom0_mem = amount;
	opts->dom0_mem_min = min;
	opts->dom0_mem_max = max;
	return 0;
}

static int opt_maxcpus(struct hv_options *opts, const char *val, char *why, size_t n)
{
	uint64_t v;
	const char *end;

	if (!val || parse_ulong(val, &end, &v) || *end || v == 0 || v > 4096) {
		snprintf(why, n, "expected a CPU count from 1");
		return -EINVAL;
	}
	opts->maxcpus = (uint32_t)v;
	return 0;
}

static int opt_dom0_max_vcpus(struct hv_options *opts, const char *val, char *why, size_t n)
{
	uint64_t v;
	const char *end;

	if (!val || parse_ulong(val, &end, &v) || *end || v == 0 || v > 32) {
		snprintf(why, n, "expected a vCPU count from 1 to 32");
		return -EINVAL;
	}
	opts->dom0_vcpus = (uint32_t)v;
	return 0;
}

static int opt_noreboot(struct hv_options *opts, const char *val, char *why, size_t n)
{
	if (!val || !strcmp(val, "1") || !strcmp(val, "true") || !strcmp(val, "yes") ||
	    !strcmp(val, "on")) {
		opts->noreboot = true;
		return 0;
	}
	if (!strcmp(val, "0") || !strcmp(val, "false") || !strcmp(val, "no") ||
	    !strcmp(val, "off")) {
		opts->noreboot = false;
		return 0;
	}
	snprintf(why, n, "expected no value, or a boolean");
	return -EINVAL;
}

/* initdom=privileged|unprivileged: whether the domain built from the modules controls the host. */
static int opt_initdom(struct hv_options *opts, const char *val, char *why, size_t n)
{
	if (val && !strcmp(val, "privileged")) {
		opts->initdom_unprivileged = false;
		return 0;
	}
	if (val && !strcmp(val, "unprivileged")) {
		opts->initdom_unprivileged = true;
		return 0;
	}
	snprintf(why, n, "expected privileged or unprivileged");
	return -EINVAL;
}

static int opt_crash(struct hv_options *opts, const char *val, char *why, size_t n)
{
	if (!val || !*val || strlen(val) >= sizeof(opts->crash)) {
		snprintf(why, n, "expected pagefault, ud, gp or panic");
		return -EINVAL;
	}
	strlcpy(opts->crash, val, sizeof(opts->crash));
	return 0;
}

static const struct option_desc options[] = {
	{"console", opt_console}, {"com1", opt_com1},
	{"loglvl", opt_loglvl},	  {"dom0_mem", opt_dom0_mem},
	{"maxcpus", opt_maxcpus}, {"noreboot", opt_noreboot},
	{"crash", opt_crash},	  {"dom0_max_vcpus", opt_dom0_max_vcpus},
	{"initdom", opt_initdom},
};

static void cmdline_apply(struct hv_options *opts, char *tok)
{
	char *val = strchr(tok, '=');
	char why[64];

	if (val)
		*val++ = '\0';
	for (unsigned int i = 0; i < ARRAY_SIZE(options); i++) {
		if (strcmp(tok, options[i].name))
			continue;
		why[0] = '\0';
		if (options[i].parse(opts, val, why, sizeof(why)))
			cmdline_warn(opts, "%s=%.24s: %s; ignored", tok, val ? val : "", why);
		return;
	}
	cmdline_warn(opts, "unknown option '%.40s' ignored", tok);
}

void cmdline_parse(const char *cmdline, int default_loglvl, struct hv_options *opts)
{
	char buf[CMDLINE_MAX];
	size_t len;

	memset(opts, 0, sizeof(*opts));
	opts->console_com1 = true;
	opts->com1 = (struct serial_options){0, 8, 1, PARITY_NONE};
	opts->loglvl = default_loglvl;
	if (!cmdline)
		return;
	len = strlcpy(opts->text, cmdline, sizeof(opts->text));
	if (len >= sizeof(opts->text))
		cmdline_warn(opts, "command line of %zu bytes cut at %u", len, CMDLINE_MAX - 1);
	memcpy(buf, opts->text, sizeof(buf));
	for (char *p = buf; *p;) {
		char *tok;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		tok = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
		if ((unsigned char)tok[0] < 0x20 || (unsigned char)tok[0] >= 0x7f) {
			cmdline_warn(opts, "option starting with byte 0x%02x ignored",
				     (unsigned char)tok[0]);
			continue;
		}
		cmdline_apply(opts, tok);
	}
}
