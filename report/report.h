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

/* Overview (section 一) figures; keys in docs/report.md. */
enum ov {
	OV_PROACTIVE_TOTAL, OV_WORK_NEWS, OV_RECEPTION_NOTICES, OV_NOTICES,
	OV_ONLINE_COMPLAINTS, OV_TRANSFERRED, OV_ACCEPTED, OV_NEW_MEDIA_POSTS,
	OV_NEW_MEDIA_VIEWS, OV_NEW_MEDIA_FOLLOWERS, OV__COUNT
};
extern const char *const ov_keys[OV__COUNT];

/* Section 三: columns and rows (both templates; see s3_rows). */
#define S3_COLS 7
extern const char *const s3_col_keys[S3_COLS];
extern const char *const s3_col_labels[S3_COLS];

struct s3_row {
	const char *code;   /* "1", "3.3.4", ... */
	const char *group;  /* 三、本年度办理结果 sub-heading, or NULL */
	const char *label;
	unsigned templates; /* bit 0: 2019, bit 1: 2021 */
	bool result;        /* counts into 3.7 */
};
#define T2019 1u
#define T2021 2u
extern const struct s3_row s3_rows[];
extern const size_t s3_nrows;

/* Section 四. */
#define S4_ROUTES 3
#define S4_RESULTS 5
extern const char *const s4_route_keys[S4_ROUTES];
extern const char *const s4_result_keys[S4_RESULTS];

/* Section 二: every cell of both templates by (table, row, column). */
struct s2_cell {
	char tbl[12], row[24], col[24];
	char value[40]; /* exact text: integers, or decimals for amounts */
};
#define S2_MAX 64

/* Section 二's tables per template: rows (key, label), columns (key,
 * label) for each template. */
struct s2_col {
	const char *key, *label;
};
struct s2_row {
	const char *key, *label;
	unsigned templates; /* 0: those of its table */
};
struct s2_table {
	const char *key, *title;
	unsigned templates;
	struct s2_row rows[3];
	struct s2_col cols2019[3], cols2021[3];
};

extern const struct s2_table s2_tables[];
extern const size_t s2_ntables;
struct report;
bool in_tmpl(const struct report *r, unsigned t);
const struct s2_col *s2_cols(const struct report *r, const struct s2_table *t);
bool s2_row_shown(const struct report *r, const struct s2_table *t, int row);
extern const char *const s4_route_labels[S4_ROUTES];
extern const char *const s4_result_labels[S4_RESULTS];

struct check {
	char id[64];
	bool holds;
	char where[512]; /* where it fails, or what it checked */
};
#define CHECK_MAX 48

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
	struct check checks[CHECK_MAX];
	size_t nchecks;
	json_t *watermark; /* owned */
	bool complete;     /* every partition's watermark is past the year end */
	char *five, *six;  /* sections 五 and 六, owned */
};

/* Index of a section 三 row code, or -1. */
int s3_index(const char *code);
/* Whether row i is printed in the report's template. */
bool s3_in_template(const struct report *r, size_t i);
/* Value of a section 二 cell, "0" when absent. */
const char *s2_value(const struct report *r, const char *tbl, const char *row, const char *col);

/* Compute every figure of agency for year from the database. 0, or -1 with
 * err. Fills checks too (see checks.c). */
int report_compute(PGconn *conn, struct report *r, char *err, size_t errlen);
/* The same for several agencies at once (year, template and time zone
 * taken from reps[0]): each query runs once for all of them (`only` NULL)
 * rather than once per agency. */
int report_compute_many(PGconn *conn, struct report **reps, size_t n, const char *only,
			char *err, size_t errlen);
/* Add b's figures into a (roll-up); a must have the same year and template. */
void report_add(struct report *a, const struct report *b);
void report_free(struct report *r);

/* The five identities of report-format.md plus the data checks; true when
 * every check holds. */
bool report_check(struct report *r);
void report_check_add(struct report *r, const char *id, bool holds, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
bool report_ok(const struct report *r);

/* 受理率 as printed ("100%", or "—" with no complaints). */
char *report_rate(const struct report *r, char *buf, size_t len);
void report_overview_prose(const struct report *r, FILE *out);

/* Renderings. */
json_t *report_json(const struct report *r);
void render_text(const struct report *r, FILE *out);
void render_markdown(const struct report *r, FILE *out);
void render_csv(const struct report *r, FILE *out);
void render_json(const struct report *r, FILE *out);
void render_html(const struct report *r, FILE *out);

#endif
