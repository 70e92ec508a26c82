/*
 * log: one logger for the daemon and its tools.
 *
 * Lines go to stderr with a timestamp and a level word. Under systemd
 * (stderr is the stream JOURNAL_STREAM names) each message goes to the
 * journal through its native protocol instead, with PRIORITY and, from
 * log_event, fields a query can select on (journalctl REASON=bad_field);
 * should that fail, the line goes to stderr with a "<N>" priority prefix.
 * Every message is escaped to one line (\n, \r, \\ and \xHH for other
 * control bytes), so data from an event can never forge a log line. The
 * level is checked before any formatting, and errno is preserved.
 *
 * Never pass a secret or a complainant's personal data to the logger.
 */
#ifndef DISCLOSED_LOG_H
#define DISCLOSED_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

enum log_level { LOG_LVL_ERROR = 3, LOG_LVL_WARN = 4, LOG_LVL_NOTICE = 5,
		 LOG_LVL_INFO = 6, LOG_LVL_DEBUG = 7 };

void log_set_level(enum log_level lvl);
enum log_level log_get_level(void);
/* Parse "error|warn|notice|info|debug"; returns -1 when unknown. */
int log_level_parse(const char *s);
const char *log_level_name(enum log_level lvl);

/* What an event's log entry is about; NULL strings are left out, and
 * topic, partition and offset only when `lineage` is set. In the journal:
 * TOPIC, PARTITION, OFFSET, REASON, AGENCY, EVENT_ID, SQLSTATE. */
struct log_fields {
	bool lineage;
	const char *topic;
	int32_t partition;
	int64_t offset;
	const char *reason;   /* a quarantine reason code */
	const char *agency;
	const char *event_id;
	const char *sqlstate;
};

/* One log line at lvl, with fields (f may be NULL); every value is escaped
 * like the message, in the journal and on stderr alike. */
void log_event(enum log_level lvl, const struct log_fields *f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define log_msg(lvl, ...) log_event((lvl), NULL, __VA_ARGS__)

/* The journal entry for a message (escaped already):
 * "NAME=value" strings written into buf, pointed to by iov. Returns how
 * many iov were used, or -1 when buf or iov is too small. For tests. */
int log_journal_entry(enum log_level lvl, const struct log_fields *f, const char *msg,
		      struct iovec *iov, int maxiov, char *buf, size_t cap);

/* s[0..n) escaped to one line into out (NUL-terminated, cut to fit cap). */
void log_escape(char *out, size_t cap, const char *s, size_t n);

#define log_error(...) log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_LVL_NOTICE, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

#endif
