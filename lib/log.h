/*
 * log: one logger for the daemon and its tools.
 *
 * Lines go to stderr. Under systemd (JOURNAL_STREAM set) each line starts
 * with a "<N>" syslog priority so journald files it at the right level;
 * otherwise a level word is printed. The level is checked before any
 * formatting, and errno is preserved across calls.
 *
 * Never pass a secret or a complainant's personal data to the logger.
 */
#ifndef DISCLOSED_LOG_H
#define DISCLOSED_LOG_H

enum log_level { LOG_LVL_ERROR = 3, LOG_LVL_WARN = 4, LOG_LVL_NOTICE = 5,
		 LOG_LVL_INFO = 6, LOG_LVL_DEBUG = 7 };

void log_set_level(enum log_level lvl);
enum log_level log_get_level(void);
/* Parse "error|warn|notice|info|debug"; returns -1 when unknown. */
int log_level_parse(const char *s);
const char *log_level_name(enum log_level lvl);

void log_msg(enum log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_LVL_NOTICE, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

#endif
