/* SPDX-License-Identifier: GPL-2.0-only */
/* printk: formats once, keeps everything in the log ring, prints up to the log level. */
#include <hospes/console.h>
#include <hospes/lib.h>
#include <hospes/spinlock.h>
#include <generated/config.h>

#define RING_SIZE (CONFIG_LOG_RING_SIZE * 1024)

static char log_ring[RING_SIZE];
static uint64_t ring_head; /* logical offset of the next byte written */
static spinlock_t console_lock = SPINLOCK_INIT;
static const struct console_dev *console_dev;
static int console_loglvl = CONFIG_DEFAULT_LOGLVL;
static bool panic_mode;
static bool raw_midline; /* the console owner's raw output left the cursor mid-line */

void console_init(int loglvl)
{
	console_loglvl = loglvl;
}

void console_set_dev(const struct console_dev *dev)
{
	console_dev = dev;
}

void console_set_loglvl(int loglvl)
{
	console_loglvl = loglvl;
}

void console_panic_mode(void)
{
	panic_mode = true;
}

static void ring_put(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		log_ring[(ring_head + i) % RING_SIZE] = s[i];
	ring_head += len;
}

/* Control bytes the console owner's terminal stream keeps: line editing needs them. */
static bool terminal_control(unsigned char c)
{
	return c == '\r' || c == '\t' || c == '\b' || c == 0x07 || c == 0x1b;
}

/*
 * Copies in for the console: printable bytes as they are, a line feed as CR LF, anything else
 * as \xNN, so that no guest-supplied text can drive the terminal. A terminal stream (raw: the
 * console owner's) also keeps terminal_control() bytes, and a line feed right after a CR (*prev
 * carries the last byte across calls) stays bare.
 */
static size_t sanitise(const char *in, size_t len, char *out, size_t out_len, bool raw, char *prev)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < len && o + 4 < out_len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c == '\n' && !(raw && *prev == '\r'))
			out[o++] = '\r';
		if ((c >= 0x20 && c < 0x7f) || c == '\n' || (raw && terminal_control(c))) {
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
		if (raw)
			*prev = (char)c;
	}
	return o;
}

void console_write_raw(const char *s, size_t len)
{
	static char prev; /* the stream's last byte; console_lock */
	char out[512];

	while (len) {
		size_t n = MIN(len, sizeof(out) / 4 - 1), olen;

		spin_lock(&console_lock);
		olen = sanitise(s, n, out, sizeof(out), true, &prev);
		ring_put(s, n);
		if (console_dev)
			console_dev->write(out, olen);
		raw_midline = s[n - 1] != '\n';
		spin_unlock(&console_lock);
		s += n;
		len -= n;
	}
}

void vprintk(enum log_level level, const char *fmt, va_list ap)
{
	char msg[320], out[1300];
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t len = n < 0 ? 0 : MIN((size_t)n, sizeof(msg) - 1);
	size_t olen;

	/* A cut message still ends its line, so the next one does not run into it. */
	if ((size_t)n > len && len >= 4 && fmt[strlen(fmt) - 1] == '\n')
		memcpy(msg + len - 4, "...\n", 4);
	olen = sanitise(msg, len, out, sizeof(out), false, NULL);
	bool locked = true;

	if (panic_mode) {
		/* Try for a while, then print anyway: a CPU that died holding it must not mute us. */
		locked = false;
		for (int i = 0; i < 1000000 && !locked; i++)
			locked = spin_trylock(&console_lock);
	} else {
		spin_lock(&console_lock);
	}
	ring_put(msg, len);
	if (console_dev && (int)level <= console_loglvl) {
		if (raw_midline) /* our line starts on a line of its own */
			console_dev->write("\r\n", 2);
		raw_midline = false;
		console_dev->write(out, olen);
	}
	if (locked)
		spin_unlock(&console_lock);
}

void printk(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(level, fmt, ap);
	va_end(ap);
}

size_t console_ring_read(uint64_t *pos, char *buf, size_t len)
{
	size_t n = 0;

	spin_lock(&console_lock);
	if (ring_head > RING_SIZE && *pos < ring_head - RING_SIZE)
		*pos = ring_head - RING_SIZE;
	while (n < len && *pos < ring_head) {
		buf[n++] = log_ring[*pos % RING_SIZE];
		(*pos)++;
	}
	spin_unlock(&console_lock);
	return n;
}

uint64_t console_ring_head(void)
{
	uint64_t head;

	spin_lock(&console_lock);
	head = ring_head;
	spin_unlock(&console_lock);
	return head;
}
