/* log: escaping to one line, the journal entry's fields, the text line on
 * stderr. `test_log emit` logs one event and exits: check_journal.sh runs
 * it against a fake journald socket to check the native protocol itself. */
#define _GNU_SOURCE
#include "testutil.h"

#include <unistd.h>

#include "log.h"

static void escape_one_line(void **state)
{
	(void)state;
	char out[64];
	const char in[] = "a\nb\\c\r\x01\td";
	log_escape(out, sizeof(out), in, sizeof(in) - 1);
	assert_string_equal(out, "a\\nb\\\\c\\r\\x01\td");
	/* Cut to fit, never in the middle of an escape. */
	log_escape(out, 4, "ab\ncd", 5);
	assert_string_equal(out, "ab");
}

/* The iov entries as one string, each followed by '|'. */
static void joined(const struct iovec *iov, int n, char *out, size_t cap)
{
	size_t o = 0;
	for (int i = 0; i < n; i++)
		o += (size_t)snprintf(out + o, cap - o, "%.*s|", (int)iov[i].iov_len,
				      (const char *)iov[i].iov_base);
}

static void journal_fields(void **state)
{
	(void)state;
	struct iovec iov[12];
	char buf[2048], all[2048];
	struct log_fields f = {.lineage = true, .topic = "disclosure.receptions", .partition = 3,
			       .offset = 42, .reason = "bad_field", .agency = "demo-bureau",
			       .event_id = "e-1\nMESSAGE=forged", .sqlstate = "23514"};
	int n = log_journal_entry(LOG_LVL_WARN, &f, "event quarantined", iov, 12, buf, sizeof(buf));
	assert_int_equal(n, 10);
	joined(iov, n, all, sizeof(all));
	assert_string_equal(all, "PRIORITY=4|SYSLOG_IDENTIFIER=test_log|MESSAGE=event quarantined|"
			    "TOPIC=disclosure.receptions|PARTITION=3|OFFSET=42|REASON=bad_field|"
			    "AGENCY=demo-bureau|EVENT_ID=e-1\\nMESSAGE=forged|SQLSTATE=23514|");
	/* No lineage, no strings: the message and its priority alone. */
	struct log_fields none = {.sqlstate = "08006"};
	n = log_journal_entry(LOG_LVL_ERROR, &none, "down", iov, 12, buf, sizeof(buf));
	joined(iov, n, all, sizeof(all));
	assert_string_equal(all, "PRIORITY=3|SYSLOG_IDENTIFIER=test_log|MESSAGE=down|SQLSTATE=08006|");
	n = log_journal_entry(LOG_LVL_INFO, NULL, "plain", iov, 12, buf, sizeof(buf));
	assert_int_equal(n, 3);
	/* Too small a buffer or too few iov: refused, not cut. */
	assert_int_equal(log_journal_entry(LOG_LVL_WARN, &f, "m", iov, 12, buf, 40), -1);
	assert_int_equal(log_journal_entry(LOG_LVL_WARN, &f, "m", iov, 5, buf, sizeof(buf)), -1);
}

/* Outside systemd: one text line, the event's newline escaped. */
static void text_line(void **state)
{
	(void)state;
	char path[] = "/tmp/test_log_XXXXXX", line[512];
	int fd = mkstemp(path), saved = dup(STDERR_FILENO);
	assert_true(fd >= 0);
	unsetenv("JOURNAL_STREAM");
	fflush(stderr);
	dup2(fd, STDERR_FILENO);
	struct log_fields f = {.lineage = true, .topic = "t", .partition = 0, .offset = 7,
			       .reason = "bad_json"};
	log_event(LOG_LVL_WARN, &f, "event quarantined offset=7: %s", "bad\nline");
	log_event(LOG_LVL_DEBUG, &f, "below the level: not printed");
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	FILE *in = fdopen(fd, "r");
	rewind(in);
	int lines = 0;
	while (fgets(line, sizeof(line), in)) {
		lines++;
		assert_non_null(strstr(line, " warn event quarantined offset=7: bad\\nline\n"));
	}
	assert_int_equal(lines, 1);
	fclose(in);
	unlink(path);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "emit") == 0) {
		struct log_fields f = {.lineage = true, .topic = "disclosure.receptions",
				       .partition = 1, .offset = 99, .reason = "bad_field",
				       .event_id = "x\ny"};
		log_event(LOG_LVL_WARN, &f, "event quarantined topic=disclosure.receptions "
			  "partition=1 offset=99 reason=bad_field: %s", argc > 2 ? argv[2] : "-");
		return 0;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escape_one_line),
		cmocka_unit_test(journal_fields),
		cmocka_unit_test(text_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
