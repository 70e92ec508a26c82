#define _GNU_SOURCE /* program_invocation_short_name */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
/* CODE_FILE/LINE/FUNC would always name emit() below: left out. */
#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>
#include <time.h>
#include <unistd.h>

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

static void emit(enum log_level lvl, const struct log_fields *f, const char *line);

/* Format, escape to one line (an event's data never starts a line of its
 * own), and write. */
static void vlog(enum log_level lvl, const struct log_fields *f, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void vlog(enum log_level lvl, const struct log_fields *f, const char *fmt, va_list ap)
{
	int saved = errno;
	char line[2048], esc[4096];
	vsnprintf(line, sizeof(line), fmt, ap);
	log_escape(esc, sizeof(esc), line, strlen(line));
	emit(lvl, f, esc);
	errno = saved;
}

void log_escape(char *out, size_t cap, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	if (!cap)
		return;
	for (size_t i = 0; i < n && s[i]; i++) {
		unsigned char ch = (unsigned char)s[i];
		char e[5] = {ch, 0};
		if (ch == '\n' || ch == '\r' || ch == '\\')
			e[0] = '\\', e[1] = ch == '\n' ? 'n' : ch == '\r' ? 'r' : '\\';
		else if (ch < 0x20 && ch != '\t')
			e[0] = '\\', e[1] = 'x', e[2] = hex[ch >> 4], e[3] = hex[ch & 15];
		size_t len = strlen(e);
		if (o + len >= cap)
			break;
		memcpy(out + o, e, len);
		o += len;
	}
	out[o] = '\0';
}

/* Appends "NAME=value" (value escaped) at buf+*used and points iov at it. */
static int field(struct iovec *iov, int *n, int maxiov, char *buf, size_t cap, size_t *used,
		 const char *name, const char *value, bool escape)
{
	size_t start = *used, nl = strlen(name);
	if (*n >= maxiov || start + nl + 2 > cap)
		return -1;
	memcpy(buf + start, name, nl);
	buf[start + nl] = '=';
	if (escape)
		log_escape(buf + start + nl + 1, cap - start - nl - 1, value, strlen(value));
	else
		snprintf(buf + start + nl + 1, cap - start - nl - 1, "%s", value);
	size_t len = strlen(buf + start);
	iov[(*n)++] = (struct iovec){buf + start, len};
	*used = start + len + 1;
	return 0;
}

int log_journal_entry(enum log_level lvl, const struct log_fields *f, const char *msg,
		      struct iovec *iov, int maxiov, char *buf, size_t cap)
{
	char num[32];
	size_t used = 0;
	int n = 0, bad = 0;
	snprintf(num, sizeof(num), "%d", (int)lvl);
	bad |= field(iov, &n, maxiov, buf, cap, &used, "PRIORITY", num, false);
	bad |= field(iov, &n, maxiov, buf, cap, &used, "SYSLOG_IDENTIFIER",
		     program_invocation_short_name, true);
	/* The message keeps its line ends (journald stores them); log_event
	 * escaped its own already. */
	bad |= field(iov, &n, maxiov, buf, cap, &used, "MESSAGE", msg, false);
	if (f && f->lineage) {
		bad |= field(iov, &n, maxiov, buf, cap, &used, "TOPIC", f->topic ? f->topic : "", true);
		snprintf(num, sizeof(num), "%d", (int)f->partition);
		bad |= field(iov, &n, maxiov, buf, cap, &used, "PARTITION", num, false);
		snprintf(num, sizeof(num), "%lld", (long long)f->offset);
		bad |= field(iov, &n, maxiov, buf, cap, &used, "OFFSET", num, false);
	}
	const char *const keys[] = {"REASON", "AGENCY", "EVENT_ID", "SQLSTATE"};
	const char *const vals[] = {f ? f->reason : NULL, f ? f->agency : NULL,
				    f ? f->event_id : NULL, f ? f->sqlstate : NULL};
	for (size_t i = 0; i < 4; i++)
		if (vals[i])
			bad |= field(iov, &n, maxiov, buf, cap, &used, keys[i], vals[i], true);
	return bad ? -1 : n;
}

/* stderr is the journal's stream when JOURNAL_STREAM names its device and
 * inode (systemd.exec(5)); a child's inherited variable does not count. */
static bool journal_stderr(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	return js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 && fstat(STDERR_FILENO, &st) == 0 &&
	       (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

static void emit(enum log_level lvl, const struct log_fields *f, const char *line)
{
	if (journal_stderr()) {
		struct iovec iov[12];
		char buf[4096 + 1024];
		int n = log_journal_entry(lvl, f, line, iov, 12, buf, sizeof(buf));
		if (n > 0 && sd_journal_sendv(iov, n) == 0)
			return;
		fprintf(stderr, "<%d>%s\n", (int)lvl, line);
		return;
	}
	char ts[32];
	struct timespec now;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ %s %s\n", ts, now.tv_nsec / 1000000, log_level_name(lvl), line);
}

void log_event(enum log_level lvl, const struct log_fields *f, const char *fmt, ...)
{
	if ((int)lvl > atomic_load_explicit(&cur_level, memory_order_relaxed))
		return;
	va_list ap;
	va_start(ap, fmt);
	vlog(lvl, f, fmt, ap);
	va_end(ap);
}
