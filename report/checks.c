/* The identities a correct report keeps (../shared/report-format.md), each
 * checked on every run and reported with where it fails. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* Identities, data checks, and a slot for the overflow. */
_Static_assert(CHECK_MAX > 6 + DATA__COUNT, "CHECK_MAX holds every check report_check makes");

#define OVERFLOW_ID "report.checks_overflow"

const char *const check_state_names[CHECK__NSTATES] = {"holds", "failed", "not_checked"};

/* A check beyond CHECK_MAX is never left out silently: the last slot
 * becomes a failing check that counts what could not be recorded. */
static void check_overflow(struct report *r)
{
	struct check *c = &r->checks[CHECK_MAX - 1];
	if (!r->checks_lost++) /* the check this slot held is lost too */
		r->checks_lost++;
	snprintf(c->id, sizeof(c->id), OVERFLOW_ID);
	c->state = CHECK_FAILED;
	snprintf(c->where, sizeof(c->where), "%zu check(s) not recorded: a report holds at most "
		 "%d (CHECK_MAX); their outcome is unknown", r->checks_lost, CHECK_MAX - 1);
}

/* A message cut at its buffer's end (long subjects named by a data check)
 * may end inside a UTF-8 sequence, which JSON cannot carry: drop the
 * incomplete tail. */
static void utf8_trim_tail(char *s)
{
	size_t n = strlen(s), lead = n, k = 0;
	while (lead > 0 && k < 4 && ((unsigned char)s[lead - 1] & 0xC0) == 0x80) {
		lead--;
		k++;
	}
	if (lead == 0 || ((unsigned char)s[lead - 1] & 0x80) == 0)
		return; /* ASCII last: complete */
	unsigned char b = (unsigned char)s[lead - 1];
	size_t want = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
	if (n - (lead - 1) < want)
		s[lead - 1] = '\0';
}

static void check_addv(struct report *r, const char *id, enum check_state s, const char *fmt,
		       va_list ap)
{
	if (r->nchecks == CHECK_MAX) {
		check_overflow(r);
		return;
	}
	struct check *c = &r->checks[r->nchecks++];
	snprintf(c->id, sizeof(c->id), "%s", id);
	c->state = s;
	vsnprintf(c->where, sizeof(c->where), fmt, ap);
	utf8_trim_tail(c->where);
}

void report_check_add(struct report *r, const char *id, bool holds, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	check_addv(r, id, holds ? CHECK_HOLDS : CHECK_FAILED, fmt, ap);
	va_end(ap);
}

void report_check_not_made(struct report *r, const char *id, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	check_addv(r, id, CHECK_NOT_CHECKED, fmt, ap);
	va_end(ap);
}

size_t report_checks_in(const struct report *r, enum check_state s)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nchecks; i++)
		n += r->checks[i].state == s;
	return n;
}

void report_checks_clear(struct report *r)
{
	r->nchecks = 0;
	r->checks_lost = 0;
}

bool report_ok(const struct report *r)
{
	return !r->checks_lost && report_checks_in(r, CHECK_FAILED) == 0;
}

/* Append "col (a != b)" for each failing column to a message. */
static void add_col(char *msg, size_t len, int col, long long a, long long b)
{
	size_t n = strlen(msg);
	snprintf(msg + n, len - n, "%s%s: %lld != %lld", n ? "; " : "", tmpl_s3.cols[col].key, a, b);
}

static void check_s3_balance(struct report *r)
{
	int r1 = s3_index("1"), r2 = s3_index("2"), r37 = s3_index("3.7"), r4 = s3_index("4");
	char msg[512] = "";
	for (int c = 0; c < S3_COLS; c++) {
		long long in = r->s3[r1][c] + r->s3[r2][c], out = r->s3[r37][c] + r->s3[r4][c];
		if (in != out)
			add_col(msg, sizeof(msg), c, in, out);
	}
	report_check_add(r, "s3.balance", !msg[0], "%s",
			 msg[0] ? msg : "row 1 + row 2 = row 3.7 + row 4 in every column");
}

static void check_s3_results(struct report *r)
{
	int r37 = s3_index("3.7");
	char msg[512] = "";
	for (int c = 0; c < S3_COLS; c++)
		if (r->s3[r37][c] != r->s3_sql_total[r37][c])
			add_col(msg, sizeof(msg), c, r->s3[r37][c], r->s3_sql_total[r37][c]);
	if (msg[0]) {
		size_t n = strlen(msg);
		snprintf(msg + n, sizeof(msg) - n, " (sum of result rows vs applications closed "
			 "in the year: an outcome outside template %d's rows?)", r->tmpl);
	}
	report_check_add(r, "s3.results_total", !msg[0], "%s",
			 msg[0] ? msg : "row 3.7 = sum of the result rows in every column");
}

static void check_s3_columns(struct report *r)
{
	char msg[512] = "";
	for (size_t row = 0; row < s3_nrows; row++) {
		if (!s3_in_template(r, row))
			continue;
		long long sum = 0;
		for (int c = 0; c < S3_COLS - 1; c++)
			sum += r->s3[row][c];
		/* 总计 as SQL counted it; for 3.7 its own total. */
		long long sql = r->s3_sql_total[row][S3_COLS - 1];
		if (sum != sql) {
			size_t n = strlen(msg);
			snprintf(msg + n, sizeof(msg) - n, "%srow %s: %lld != %lld", n ? "; " : "",
				 s3_rows[row].key, sum, sql);
		}
	}
	report_check_add(r, "s3.columns_total", !msg[0], "%s",
			 msg[0] ? msg : "总计 = sum of the six applicant columns in every row");
}

static void check_s4(struct report *r)
{
	char msg[512] = "";
	for (int route = 0; route < S4_ROUTES; route++) {
		long long sum = 0;
		for (int k = 0; k < S4_RESULTS - 1; k++)
			sum += r->s4[route][k];
		if (sum != r->s4_sql_total[route]) {
			size_t n = strlen(msg);
			snprintf(msg + n, sizeof(msg) - n, "%s%s: %lld != %lld", n ? "; " : "",
				 tmpl_s4.rows[route].key, sum, r->s4_sql_total[route]);
		}
	}
	report_check_add(r, "s4.totals", !msg[0], "%s",
			 msg[0] ? msg : "each 总计 = sum of its four results");
}

/* Against the report of the year before as stored (what was published):
 * from the events alone, row 2 and last year's row 4 are the same count. */
static void check_carry_over(struct report *r)
{
	int r2 = s3_index("2");
	char msg[512] = "";
	if (!r->prev_stored) {
		report_check_not_made(r, "s3.carry_over", "not checked: no report of %d stored",
				      r->year - 1);
		return;
	}
	for (int c = 0; c < S3_COLS; c++)
		if (r->s3[r2][c] != r->prev_row4[c])
			add_col(msg, sizeof(msg), c, r->s3[r2][c], r->prev_row4[c]);
	report_check_add(r, "s3.carry_over", !msg[0], "%s%s", msg[0] ? msg : "",
			 msg[0] ? " (row 2 of this year vs row 4 of the year before, as stored: "
				  "events that arrived late for a year already reported?)"
				: "row 2 = row 4 of the year before, as stored, in every column");
}

/* Names one changed cell (path: stored -> now) into msg while it has
 * room; counts every one. */
static void note_cell(char *msg, size_t len, size_t *changed, const char *path,
		      json_t *was, json_t *now)
{
	char *a = was ? json_dumps(was, JSON_ENCODE_ANY) : NULL;
	char *b = now ? json_dumps(now, JSON_ENCODE_ANY) : NULL;
	size_t n = strlen(msg);
	char item[256];
	snprintf(item, sizeof(item), "%s%s: %s -> %s", n ? "; " : "", path, a ? a : "absent",
		 b ? b : "absent");
	if (n + strlen(item) < len - 48) /* room left for the count of the rest */
		memcpy(msg + n, item, strlen(item) + 1);
	(*changed)++;
	free(a);
	free(b);
}

/* Every leaf of was and now at path that differs, in now's order (the
 * template's), then those only stored. */
static void diff_cells(json_t *was, json_t *now, const char *path, char *msg, size_t len,
		       size_t *changed)
{
	if (!json_is_object(was) || !json_is_object(now)) {
		if (!json_equal(was, now))
			note_cell(msg, len, changed, path, was, now);
		return;
	}
	const char *key;
	json_t *v;
	char sub[256];
	json_object_foreach(now, key, v) {
		snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "/" : "", key);
		diff_cells(json_object_get(was, key), v, sub, msg, len, changed);
	}
	json_object_foreach(was, key, v) {
		snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "/" : "", key);
		if (!json_object_get(now, key))
			diff_cells(v, NULL, sub, msg, len, changed);
	}
}

/* Every cell of this run against the year's report as last stored (what
 * was published): a correction or a late event that changed a published
 * figure is named cell by cell. The sections are the report's objects
 * other than its watermark; checks and texts are not figures. */
static void check_published(struct report *r)
{
	if (!r->published) {
		report_check_not_made(r, "published.unchanged", "not checked: no report of %s %d "
				      "stored", r->agency, r->year);
		return;
	}
	json_t *now = report_json(r), *was = json_object(), *cur = json_object(), *v;
	const char *key;
	json_object_foreach(r->published, key, v)
		if (json_is_object(v) && strcmp(key, "watermark") != 0)
			json_object_set(was, key, v);
	json_object_foreach(now, key, v)
		if (json_is_object(v) && strcmp(key, "watermark") != 0)
			json_object_set(cur, key, v);
	char msg[512] = "";
	size_t changed = 0, n;
	diff_cells(was, cur, "", msg, sizeof(msg), &changed);
	n = strlen(msg);
	if (changed)
		snprintf(msg + n, sizeof(msg) - n, " (%zu cell(s) changed since the report stored "
			 "at %s)", changed, r->published_at);
	report_check_add(r, "published.unchanged", !changed, "%s",
			 changed ? msg : "every cell as in the report stored");
	json_decref(now);
	json_decref(was);
	json_decref(cur);
}

/* A correction not applied, or a repeated withdrawal (its own message). */
static bool correction_issue(enum data_issue d)
{
	switch (d) {
	case DATA_CORRECTION_UNKNOWN_TARGET:
	case DATA_CORRECTION_TYPE_CHANGED:
	case DATA_CORRECTION_AGENCY_CHANGED:
	case DATA_CORRECTION_SECOND_WITHDRAWAL:
		return true;
	default:
		return false;
	}
}

/* What sql/report/checks.sql found in the agency's events. */
static void check_data(struct report *r)
{
	for (int d = 0; d < DATA__COUNT; d++) {
		char id[64];
		snprintf(id, sizeof(id), "data.%s", data_issue_keys[d]);
		if (d == DATA_OUTCOME_3_6_IN_2021 && r->data[d].cases)
			report_check_add(r, id, false, "agency %s: %lld application(s) closed in %d "
					 "with outcome 3.6, which template 2021 has no row for (send "
					 "3.6.1, 3.6.2 or 3.6.3): %s", r->agency, r->data[d].cases,
					 r->year, r->data[d].example);
		else if (d == DATA_OPENING_CONTRADICTED && r->data[d].cases)
			report_check_add(r, id, false, "agency %s: %lld opening balance line(s) "
					 "contradicted by the detailed events: %s", r->agency,
					 r->data[d].cases, r->data[d].example);
		else if (d == DATA_OPENING_AS_OF_DIFFERS && r->data[d].cases)
			report_check_add(r, id, false, "agency %s: %lld opening balance line(s) "
					 "stated for another as_of than the go-live, not used (restate "
					 "them): %s", r->agency, r->data[d].cases, r->data[d].example);
		else if (correction_issue((enum data_issue)d) && r->data[d].cases)
			report_check_add(r, id, false, "agency %s: %lld correction(s) not applied "
					 "or repeated: %s", r->agency, r->data[d].cases,
					 r->data[d].example);
		else if (r->data[d].cases)
			report_check_add(r, id, false, "agency %s: %lld case(s), e.g. subject %s",
					 r->agency, r->data[d].cases, r->data[d].example);
		else
			report_check_add(r, id, true, "agency %s: none", r->agency);
	}
}

bool report_check(struct report *r)
{
	check_s3_balance(r);
	check_s3_results(r);
	check_s3_columns(r);
	check_s4(r);
	check_carry_over(r);
	check_published(r);
	if (r->data_computed)
		check_data(r);
	return report_ok(r);
}
