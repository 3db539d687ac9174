/* SPDX-License-Identifier: GPL-2.0-only */
/* hxstored logging: levels, to stderr, a file or syslog. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

enum log_level log_threshold = LOG_LVL_INFO;
static FILE *log_file;
static int log_syslog;

static const char *const log_names[] = {"error", "warn", "info", "debug"};

int log_open(const char *file, int use_syslog)
{
	if (file) {
		FILE *f = fopen(file, "ae");

		if (!f)
			return -errno;
		setvbuf(f, NULL, _IOLBF, 0);
		log_file = f;
	}
	if (use_syslog) {
		openlog("hxstored", LOG_PID, LOG_DAEMON);
		log_syslog = 1;
	}
	return 0;
}

void log_close(void)
{
	if (log_file)
		fclose(log_file);
	log_file = NULL;
	if (log_syslog)
		closelog();
	log_syslog = 0;
}

int log_level_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, log_names[i]))
			return i;
	if (s[0] >= '0' && s[0] <= '3' && !s[1])
		return s[0] - '0';
	return -1;
}

const char *log_level_name(enum log_level lvl)
{
	return (unsigned)lvl < 4 ? log_names[lvl] : "?";
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	static const int prio[] = {LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG};
	char buf[1024];
	va_list ap;

	if (lvl > log_threshold)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (log_syslog) {
		syslog(prio[lvl], "%s", buf);
		return;
	}
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	fprintf(log_file ? log_file : stderr,
		"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ hxstored %s: %s\n", tm.tm_year + 1900,
		tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000,
		log_names[lvl], buf);
}
