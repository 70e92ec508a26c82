#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The level is process-wide configuration, set at start and on SIGHUP by
 * the consume thread while the writer and librdkafka's threads log: an
 * atomic, relaxed since no other memory is published through it. */
static atomic_int cur_level = LOG_LVL_INFO;

static const char *const names[] = {
	[LOG_LVL_ERROR] = "error", [LOG_LVL_WARN] = "warn",
	[LOG_LVL_NOTICE] = "notice", [LOG_LVL_INFO] = "info",
	[LOG_LVL_DEBUG] = "debug",
};

void log_set_level(enum log_level lvl)
{
	atomic_store_explicit(&cur_level, (int)lvl, memory_order_relaxed);
}

enum log_level log_get_level(void)
{
	return (enum log_level)atomic_load_explicit(&cur_level, memory_order_relaxed);
}

int log_level_parse(const char *s)
{
	for (int i = LOG_LVL_ERROR; i <= LOG_LVL_DEBUG; i++)
		if (names[i] && strcmp(s, names[i]) == 0)
			return i;
	if (strcmp(s, "warning") == 0)
		return LOG_LVL_WARN;
	return -1;
}

const char *log_level_name(enum log_level lvl)
{
	return lvl >= LOG_LVL_ERROR && lvl <= LOG_LVL_DEBUG ? names[lvl] : "?";
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	if ((int)lvl > atomic_load_explicit(&cur_level, memory_order_relaxed))
		return;
	int saved = errno;
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (getenv("JOURNAL_STREAM")) {
		fprintf(stderr, "<%d>%s\n", (int)lvl, line);
	} else {
		char ts[32];
		struct timespec now;
		struct tm tm;
		clock_gettime(CLOCK_REALTIME, &now);
		gmtime_r(&now.tv_sec, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
		fprintf(stderr, "%s.%03ldZ %s %s\n", ts, now.tv_nsec / 1000000,
			log_level_name(lvl), line);
	}
	errno = saved;
}
