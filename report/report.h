/*
 * report: the statutory annual report 《政府信息公开工作年度报告》 of one
 * agency (or a roll-up of several) for one year, as computed from the stored
 * rows by the SQL in sql/report, checked, and rendered.
 */
#ifndef DISCLOSED_REPORT_H
#define DISCLOSED_REPORT_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>

#include "endoffsets.h"
#include "template.h"

/* Overview (section 一) figures; keys in docs/report.md, labels and order
 * in template.c. */
enum ov {
	OV_PROACTIVE_TOTAL, OV_WORK_NEWS, OV_RECEPTION_NOTICES, OV_NOTICES,
	OV_ONLINE_COMPLAINTS, OV_TRANSFERRED, OV_ACCEPTED, OV_NEW_MEDIA_POSTS,
	OV_NEW_MEDIA_VIEWS, OV_NEW_MEDIA_FOLLOWERS, OV__COUNT
};

/* Section 二: every cell of both templates by (table, row, column). */
struct s2_cell {
	char tbl[12], row[24], col[24];
	char value[40]; /* exact text: integers, or decimals for amounts */
};
#define S2_MAX 64

/* Inconsistencies in the stored events (sql/report/checks.sql), each a data
 * check of the report; keys in template.c. */
enum data_issue {
	DATA_CLOSED_WITHOUT_APPLICATION, DATA_CLOSED_BEFORE_RECEIVED, DATA_CLOSED_MORE_THAN_ONCE,
	DATA_REVIEW_WITHOUT_FILING, DATA_COMPLAINT_WITHOUT_RECEIPT,
	DATA_OUTCOME_3_6_IN_2021, /* template 2021 years only: 2019 has the row */
	/* Opening balances (sql/report/opening_checks.sql). */
	DATA_OPENING_CONTRADICTED, DATA_OPENING_AS_OF_DIFFERS,
	/* Corrections that were not applied (docs/events.md §1, "Identity,
	 * duplicates, corrections"), or a second withdrawal of one event. */
	DATA_CORRECTION_UNKNOWN_TARGET, DATA_CORRECTION_TYPE_CHANGED,
	DATA_CORRECTION_AGENCY_CHANGED, DATA_CORRECTION_SECOND_WITHDRAWAL,
	DATA__COUNT
};
extern const char *const data_issue_keys[DATA__COUNT];

struct data_found {
	long long cases;
	char example[400]; /* a subject among them (for some issues, the first few) */
};

/* What a check found. not_checked: it could not be made (e.g. the
 * carry-over with no report of last year stored); it fails nothing but is
 * never shown as holding. */
enum check_state { CHECK_HOLDS, CHECK_FAILED, CHECK_NOT_CHECKED, CHECK__NSTATES };
/* "holds", "failed", "not_checked": the JSON and CSV names. */
extern const char *const check_state_names[CHECK__NSTATES];

struct check {
	char id[64];
	enum check_state state;
	char where[512]; /* where it fails, what it checked, or why it was not made */
};

/* Which documents print the checks (数据检查, after the signature; the JSON
 * always has them). auto: text, Markdown, HTML and CSV always; Word and
 * PDF, the documents published as they are, only when a check failed or
 * was not made, so that whoever signs sees it. */
enum checks_print { CHECKS_AUTO, CHECKS_ALWAYS, CHECKS_NEVER };
/* Room for every check a report makes; one more is an error that fails the
 * report (report_check_add), never a check silently left out. */
#define CHECK_MAX 48

/* A report: its identity and texts, the figures computed from the rows
 * (compute.c), and the checks made on them (checks.c). Section 三's and
 * 四's cells are indexed by the rows and columns of template.c. */
struct report {
	char agency[65];
	char name[256];
	int year;
	int tmpl; /* 2019 or 2021 */
	char tz[64];
	long long ov[OV__COUNT];
	struct s2_cell s2[S2_MAX];
	size_t ns2;
	long long s3[32][S3_COLS];
	long long s3_sql_total[32][S3_COLS]; /* 3.7 and 总计 as counted in SQL */
	long long s4[S4_ROUTES][S4_RESULTS];
	long long s4_sql_total[S4_ROUTES];
	long long prev_row4[S3_COLS]; /* row 4 of the year before, as stored */
	bool prev_stored;             /* a report of the year before is stored */
	/* This year's report as last stored (disclosed.report_snapshot), for
	 * published.unchanged: owned, NULL when none is stored; and when it
	 * was stored. */
	json_t *published;
	char published_at[40];
	/* The corrections applied to the year's facts (sql/report/
	 * corrections.sql), an array of objects; owned, NULL for none. */
	json_t *corrections;
	bool data_computed;           /* data[] holds this agency's query */
	struct data_found data[DATA__COUNT];
	struct check checks[CHECK_MAX];
	size_t nchecks;
	size_t checks_lost; /* beyond CHECK_MAX: the report fails */
	/* Completeness (compute.c): the agency's latest stored event time, the
	 * partitions of its topics with the offsets used; owned. */
	json_t *watermark;
	/* Its latest event time has passed the year end, or every partition of
	 * its topics is stored up to the broker's end offset. */
	bool complete;
	/* The agency's texts (texts.c), owned; NULL when not provided. one:
	 * section 一's narrative, a paragraph per line, with placeholders. */
	char *one, *five, *six;
	char date[32]; /* of the report as printed ("2027年1月15日"), or "" */
	enum checks_print print_checks;
};

/* Value of a section 二 cell, "0" when absent. */
const char *s2_value(const struct report *r, const char *tbl, const char *row, const char *col);

/* Compute every figure of agency for year from the database, and its
 * completeness against the broker's end offsets eo (NULL: not asked, so
 * only an event time past the year end makes it complete). 0, or -1 with
 * err. Makes no check: report_check() does. */
int report_compute(PGconn *conn, bool share, struct report *r, const struct end_offsets *eo,
		   char *err, size_t errlen);
/* The same in two steps, for several agencies at once, when they are not
 * known beforehand (every agency's report of a year). report_run runs every
 * query of year in time zone tz once, for agency `only` (NULL: every
 * agency), and with `agencies` one more listing the agencies with data for
 * the year, at the same time as the others. Every query reads one snapshot
 * of the database (a read-only REPEATABLE READ transaction on conn,
 * committed before returning). With share, a second connection made as
 * conn was takes a share of the queries in the same snapshot, for the time
 * of the call (when it cannot be made, a warning says so and conn runs
 * them all). NULL with err when a query fails. report_run_agencies lists
 * the agencies (a new array of strings, empty when not asked for).
 * report_run_give gives the rows to reps (made for those agencies, with
 * the run's year, template and time zone; the others' rows are left) and
 * the completeness against eo; once. */
struct report_run;
struct report_run *report_run(PGconn *conn, bool share, int year, const char *tz,
			      const char *only, bool agencies, char *err, size_t errlen);
json_t *report_run_agencies(const struct report_run *run);
void report_run_give(struct report_run *run, struct report **reps, size_t n,
		     const struct end_offsets *eo);
void report_run_free(struct report_run *run);
/* This year's report of r->agency as last stored, into r->published (left
 * NULL when none is): 0, or -1 with err. report_compute does it for each
 * agency; a roll-up ("all") asks for its own. */
int report_fetch_published(PGconn *conn, struct report *r, char *err, size_t errlen);
/* Add b's figures into a (roll-up); a must have the same year and template.
 * The data checks stay with each agency's own report. */
void report_add(struct report *a, const struct report *b);
void report_free(struct report *r);

/* The identities of report-format.md, then the data checks when computed;
 * true when no check failed (report_ok). */
bool report_check(struct report *r);
/* Record a check that was made: it holds or failed. */
void report_check_add(struct report *r, const char *id, bool holds, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Record a check that could not be made, and why. */
void report_check_not_made(struct report *r, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Checks in the given state. */
size_t report_checks_in(const struct report *r, enum check_state s);
/* Forget every check made (before checking a roll-up again). */
void report_checks_clear(struct report *r);
/* No check failed and none was lost; not_checked ones do not fail it. */
bool report_ok(const struct report *r);

/* Renderings: each walks the template (template.h). */
/* The report as stored in its snapshot: figures, checks, watermark and
 * the number of corrections applied. */
json_t *report_json(const struct report *r);
void render_text(const struct report *r, FILE *out);
void render_markdown(const struct report *r, FILE *out);
/* CSV as the program writes it: a UTF-8 byte order mark first (Excel on
 * Chinese Windows reads CSV without one in the local code page), and either
 * a row per cell (long) or each section as its printed table (tables). */
enum csv_layout { CSV_LONG, CSV_TABLES };
struct csv_opts {
	bool bom;
	enum csv_layout layout;
};
void render_csv_opts(const struct report *r, FILE *out, const struct csv_opts *o);
/* The long layout without a byte order mark. */
void render_csv(const struct report *r, FILE *out);
/* report_json with the corrections applied, each in full
 * (corrections_list). */
void render_json(const struct report *r, FILE *out);
void render_html(const struct report *r, FILE *out);
/* Word (WordprocessingML in a zip) and PDF (cairo, pango): 0, or -1 with
 * err saying what failed. */
int render_docx(const struct report *r, FILE *out, char *err, size_t errlen);
int render_pdf(const struct report *r, FILE *out, char *err, size_t errlen);

/* The settings of every session that runs the report's queries. No JIT:
 * they are index probes and small sets whose plans (the effective_* views
 * repeat each table's expressions) cost PostgreSQL seconds to compile
 * each time, more than running them. No merge joins: through the views
 * the planner misjudges the rows of the data checks' look-ups and sorts
 * both sides, where hash joins and index probes answer them (bench/report,
 * 10,000,000 events over ten years: every report of one year 17.5 s ->
 * 11.9 s). work_mem at least 64 MB: the data checks and section 三 hash a
 * year's cases (700,000 answers at 10,000,000 events a year), which spill
 * to disk at PostgreSQL's default 4 MB (EXPLAIN ANALYZE: the checks 6.3 ->
 * 3.1 s, section 三 7.6 -> 3.2 s); a server configured with more keeps it.
 * README "Report cost". */
#define REPORT_SESSION_SQL                                                        \
	"SET jit = off; SET enable_mergejoin = off; "                             \
	"SELECT set_config('work_mem', '64MB', false) "                           \
	"WHERE pg_size_bytes(current_setting('work_mem')) < 64 * 1024 * 1024"

/* Run the query sql/report/<name> with n parameters in text form (NULL: SQL
 * NULL) of the given types (NULL: as the statement infers them). Its
 * result, or NULL with err. */
PGresult *report_query(PGconn *conn, const char *name, int n, const Oid *types,
		       const char *const *params, char *err, size_t errlen);
/* The same in two steps, so that two connections run queries at once:
 * send it (0, or -1 with err), then, once PQisBusy says it is done, take
 * its result (or NULL with err). */
int report_send(PGconn *conn, const char *name, int n, const Oid *types,
		const char *const *params, char *err, size_t errlen);
PGresult *report_receive(PGconn *conn, const char *name, char *err, size_t errlen);
/* The first column of res's rows as a new JSON array of strings (empty
 * when res is NULL, a query that failed); res stays the caller's. */
json_t *report_first_column(const PGresult *res);
/* Start a roll-up sum from the first of its parts: its figures, no texts,
 * no data checks (those stay with each agency's report); its checks are
 * to be cleared (report_checks_clear) and made again. */
void report_rollup_begin(struct report *sum, const struct report *first);

#endif
