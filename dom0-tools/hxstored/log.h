/* SPDX-License-Identifier: GPL-2.0-only */
/* hxstored logging: levels, to stderr, a file or syslog. */
#ifndef HXSTORED_LOG_H
#define HXSTORED_LOG_H

enum log_level {
	LOG_LVL_ERROR = 0,
	LOG_LVL_WARN = 1,
	LOG_LVL_INFO = 2,
	LOG_LVL_DEBUG = 3,
};

extern enum log_level log_threshold;

/* Routes output: file NULL and use_syslog false = stderr. Returns 0 or -errno. */
int log_open(const char *file, int use_syslog);
void log_close(void);
/* Parses "error"/"warn"/"info"/"debug" or 0-3; returns -1 when unknown. */
int log_level_parse(const char *s);
const char *log_level_name(enum log_level lvl);

void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...)  log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_dbg(...)                                         \
	do {                                                 \
		if (log_threshold >= LOG_LVL_DEBUG)          \
			log_msg(LOG_LVL_DEBUG, __VA_ARGS__); \
	} while (0)

#endif /* HXSTORED_LOG_H */
