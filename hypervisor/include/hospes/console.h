/* SPDX-License-Identifier: GPL-2.0-only */
/* Console: printk to the serial line and into the log ring Dom0 reads later. */
#ifndef HOSPES_CONSOLE_H
#define HOSPES_CONSOLE_H

#include <stdarg.h>
#include <hospes/types.h>

enum log_level {
	LOG_ERR = 0,
	LOG_WARN = 1,
	LOG_INFO = 2,
	LOG_DEBUG = 3,
	LOG_ALL = 4,
};

/* A console output device (the serial port); write() must work with interrupts off. */
struct console_dev {
	void (*write)(const char *s, size_t len);
};

void console_init(int loglvl);
void console_set_dev(const struct console_dev *dev);
void console_set_loglvl(int loglvl);

/*
 * Prints at a level: the message always goes into the log ring, and onto the console if
 * level <= loglvl. Non-printable bytes are shown as \xNN. Safe from any CPU and from traps
 * (the lock is dropped, not waited for, once console_panic_mode() was called).
 */
void printk(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vprintk(enum log_level level, const char *fmt, va_list ap);

#define pr_err(...)   printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)  printk(LOG_WARN, __VA_ARGS__)
#define pr_info(...)  printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) printk(LOG_DEBUG, __VA_ARGS__)

/*
 * Output of the domain that owns the console (its interactive terminal): goes to the log ring
 * and the console as it is, except control bytes a terminal need not see (shown as \xNN).
 */
void console_write_raw(const char *s, size_t len);

/* From here on printk never waits for the console lock (fatal paths). */
void console_panic_mode(void);

/*
 * Copies up to len bytes of the log ring starting at logical offset *pos into buf, advancing
 * *pos. Returns the byte count; if *pos fell out of the ring, it restarts at the oldest byte.
 */
size_t console_ring_read(uint64_t *pos, char *buf, size_t len);

/* The logical offset of the next byte the log ring will take (CONFIG_LOG_RING_SIZE KiB kept). */
uint64_t console_ring_head(void);

#endif /* HOSPES_CONSOLE_H */
