/* Computes a report's figures with the embedded sql/report queries. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "report.h"

const char *s2_value(const struct report *r, const char *tbl, const char *row, const char *col)
{
	for (size_t i = 0; i < r->ns2; i++)
		if (!strcmp(r->s2[i].tbl, tbl) && !strcmp(r->s2[i].row, row) &&
		    !strcmp(r->s2[i].col, col))
			return r->s2[i].value;
	return "0";
}

struct run_ctx {
	PGconn *conn;
	PGconn *aux; /* a second connection in the same snapshot, or NULL */
	struct report **reps;
	size_t n;
	const char *only;
	int year;
	const char *tz;
	bool agencies; /* the run lists the agencies of the year too */
	char *err;
	size_t errlen;
	/* The year's start and end instants in tz (year_bounds.sql), as
	 * PostgreSQL prints a timestamptz: computed once, so that a query
	 * compares event times with constants, not with an expression it
	 * evaluates again on every row. */
	char y0[64], y1[64];
};

/* Typed here, so a statement may leave any of them unused. */
static const Oid run_types[] = {25 /* text */, 23 /* int4 */, 25, 1184 /* timestamptz */, 1184};

/* Say for whom and which year the statement failed, after x->err. */
static void run_failed(const struct run_ctx *x)
{
	size_t n = strlen(x->err);
	snprintf(x->err + n, x->errlen - n, " (for %s, year %d)",
		 x->only ? x->only : "every agency", x->year);
}

/* The parameters of every statement of a run: $1 agency x->only (NULL:
 * every agency), $2 year, $3 time zone, $4 and $5 the year's bounds (NULL
 * until computed). ybuf holds the year's text. */
static void run_params(const struct run_ctx *x, char ybuf[16], const char *params[5])
{
	snprintf(ybuf, 16, "%d", x->year);
	params[0] = x->only;
	params[1] = ybuf;
	params[2] = x->tz;
	params[3] = x->y0[0] ? x->y0 : NULL;
	params[4] = x->y1[0] ? x->y1 : NULL;
}

/* Start sql/report/<name> on conn: 0, or -1 with x->err. */
static int run_send(const struct run_ctx *x, PGconn *conn, const char *name)
{
	char ybuf[16];
	const char *params[5];
	run_params(x, ybuf, params);
	if (report_send(conn, name, 5, run_types, params, x->err, x->errlen) == 0)
		return 0;
	run_failed(x);
	return -1;
}

/* Run sql/report/<name> on x->conn: its result, or NULL with x->err. */
static PGresult *run_one(const struct run_ctx *x, const char *name)
{
	char ybuf[16];
	const char *params[5];
	run_params(x, ybuf, params);
	PGresult *res = report_query(x->conn, name, 5, run_types, params, x->err, x->errlen);
	if (!res)
		run_failed(x);
	return res;
}

/* Fill x->y0 and x->y1 from year_bounds.sql; 0, or -1 with x->err. */
static int year_bounds(struct run_ctx *x)
{
	char ybuf[16];
	snprintf(ybuf, sizeof(ybuf), "%d", x->year);
	const char *params[] = {ybuf, x->tz};
	const Oid types[] = {23, 25};
	PGresult *res = report_query(x->conn, "year_bounds.sql", 2, types, params, x->err, x->errlen);
	if (!res)
		return -1;
	snprintf(x->y0, sizeof(x->y0), "%s", PQgetvalue(res, 0, 0));
	snprintf(x->y1, sizeof(x->y1), "%s", PQgetvalue(res, 0, 1));
	PQclear(res);
	return 0;
}

static long long num(PGresult *res, int row, int col)
{
	return strtoll(PQgetvalue(res, row, col), NULL, 10);
}

/* The report of the agency in column 0 of a result row, or NULL when the
 * run does not cover that agency. */
static struct report *owner(struct report **reps, size_t n, PGresult *res, int row)
{
	const char *a = PQgetvalue(res, row, 0);
	for (size_t i = 0; i < n; i++)
		if (strcmp(reps[i]->agency, a) == 0)
			return reps[i];
	return NULL;
}


/* Section 一: the figures in the order of enum ov. */
static void overview_row(struct report *r, PGresult *res, int row)
{
	for (int i = 0; i < OV__COUNT; i++)
		r->ov[i] = num(res, row, i + 1);
}

/* Section 二: (table, row, column, value) as stored text. */
static void section2_row(struct report *r, PGresult *res, int i)
{
	if (r->ns2 == S2_MAX)
		return;
	struct s2_cell *c = &r->s2[r->ns2++];
	snprintf(c->tbl, sizeof(c->tbl), "%s", PQgetvalue(res, i, 1));
	snprintf(c->row, sizeof(c->row), "%s", PQgetvalue(res, i, 2));
	snprintf(c->col, sizeof(c->col), "%s", PQgetvalue(res, i, 3));
	snprintf(c->value, sizeof(c->value), "%s", PQgetvalue(res, i, 4));
}

/* An opening-balance count added into a section 二 cell (integers only:
 * art20_1's counts), or a new cell when section2.sql gave none. */
static void opening_section2_row(struct report *r, PGresult *res, int i)
{
	const char *tbl = PQgetvalue(res, i, 1), *row = PQgetvalue(res, i, 2),
		   *col = PQgetvalue(res, i, 3);
	long long add = num(res, i, 4);
	for (size_t k = 0; k < r->ns2; k++) {
		struct s2_cell *c = &r->s2[k];
		if (!strcmp(c->tbl, tbl) && !strcmp(c->row, row) && !strcmp(c->col, col)) {
			snprintf(c->value, sizeof(c->value), "%lld",
				 strtoll(c->value, NULL, 10) + add);
			return;
		}
	}
	section2_row(r, res, i);
}

/* 关注度 from the views stated at go-live (opening_overview.sql). */
static void opening_overview_row(struct report *r, PGresult *res, int i)
{
	r->ov[OV_NEW_MEDIA_VIEWS] += num(res, i, 1);
}

/* Section 三 of the report's year into s3/s3_sql_total. Outcomes are
 * folded into the template: 2019 has one 其他处理 row (3.6) that 3.6.1–3.6.3
 * add into. 2021 splits it and has no row for a plain 3.6: such a closing
 * lands in no printed row (so 3.7 no longer adds up) and the data check
 * application_outcome_3_6_in_template_2021 names it, rather than a guess
 * at which of the three it was (docs/events.md §4.6). */
static void section3_row(struct report *r, PGresult *res, int i)
{
	const char *code = PQgetvalue(res, i, 1);
	int col = tmpl_col_index(&tmpl_s3, PQgetvalue(res, i, 2));
	long long v = num(res, i, 3);
	if (r->tmpl == 2019 && strncmp(code, "3.6.", 4) == 0)
		code = "3.6";
	int row = s3_index(code);
	if (row < 0 || col < 0)
		return;
	/* 总计 and 3.7 as SQL counted them are kept apart to be checked. */
	if (col == S3_COLS - 1 || strcmp(code, "3.7") == 0)
		r->s3_sql_total[row][col] += v;
	else
		r->s3[row][col] += v;
}

/* Row 4 of last year's stored report, for the s3.carry_over check. */
static void carry_over_row(struct report *r, PGresult *res, int i)
{
	int col = tmpl_col_index(&tmpl_s3, PQgetvalue(res, i, 1));
	if (col < 0)
		return;
	r->prev_row4[col] = num(res, i, 2);
	r->prev_stored = true;
}

/* Section 四: (route, result or 'total', count). */
static void section4_row(struct report *r, PGresult *res, int i)
{
	int route = tmpl_row_index(&tmpl_s4, PQgetvalue(res, i, 1));
	int result = tmpl_col_index(&tmpl_s4, PQgetvalue(res, i, 2));
	if (route < 0 || result < 0)
		return;
	if (result == S4_RESULTS - 1)
		r->s4_sql_total[route] += num(res, i, 3);
	else
		r->s4[route][result] += num(res, i, 3);
}

/* Inconsistencies: (issue, cases, a subject); the first row of each. */
static void data_row(struct report *r, PGresult *res, int i)
{
	for (int d = 0; d < DATA__COUNT; d++) {
		if (strcmp(PQgetvalue(res, i, 1), data_issue_keys[d]) != 0 || r->data[d].cases)
			continue;
		if (d == DATA_OUTCOME_3_6_IN_2021 && r->tmpl != 2021)
			continue; /* template 2019 counts it in its 3.6 row */
		r->data[d].cases = num(res, i, 2);
		snprintf(r->data[d].example, sizeof(r->data[d].example), "%s", PQgetvalue(res, i, 3));
	}
}

/* This year's report as last stored: (report JSON, when stored). */
static void published_row(struct report *r, PGresult *res, int i)
{
	json_decref(r->published);
	r->published = json_loads(PQgetvalue(res, i, 1), 0, NULL);
	snprintf(r->published_at, sizeof(r->published_at), "%s", PQgetvalue(res, i, 2));
}

/* A column as a JSON string, null when SQL NULL. */
static json_t *text_or_null(PGresult *res, int i, int col)
{
	return PQgetisnull(res, i, col) ? json_null() : json_string(PQgetvalue(res, i, col));
}

/* One correction applied to the year's facts, as the JSON lists it. */
static void corrections_row(struct report *r, PGresult *res, int i)
{
	if (!r->corrections)
		r->corrections = json_array();
	json_t *target = json_pack("{s:o s:o s:o s:o s:o}", "type", text_or_null(res, i, 5),
				   "source", text_or_null(res, i, 6), "id", text_or_null(res, i, 7),
				   "subject", text_or_null(res, i, 8), "time", text_or_null(res, i, 9));
	json_t *c = json_pack("{s:o s:o s:o s:o s:o}", "source", text_or_null(res, i, 1), "id",
			      text_or_null(res, i, 2), "time", text_or_null(res, i, 3), "action",
			      text_or_null(res, i, 4), "target", target);
	if (!PQgetisnull(res, i, 12))
		json_object_set_new(c, "replacement",
				    json_pack("{s:o s:o s:o}", "subject", text_or_null(res, i, 10),
					      "time", text_or_null(res, i, 11), "data",
					      json_loads(PQgetvalue(res, i, 12), 0, NULL)));
	json_array_append_new(r->corrections, c);
}

/* The queries whose rows are (agency, ...), each row given to the report
 * of its agency. */
static const struct {
	const char *sql;
	void (*row)(struct report *r, PGresult *res, int i);
} per_agency[] = {
	{"overview.sql", overview_row}, {"section2.sql", section2_row},
	{"section3.sql", section3_row}, {"carry_over.sql", carry_over_row},
	{"section4.sql", section4_row}, {"checks.sql", data_row},
	/* What only an opening balance can give, added to the figures above
	 * (docs/events.md §4.7). */
	{"opening_overview.sql", opening_overview_row},
	{"opening_section2.sql", opening_section2_row},
	{"opening_section3.sql", section3_row}, {"opening_section4.sql", section4_row},
	{"opening_checks.sql", data_row},
	{"published.sql", published_row}, {"corrections.sql", corrections_row},
};

#define NPER (sizeof(per_agency) / sizeof(per_agency[0]))
#define Q_WATERMARK NPER
#define Q_AGENCIES (NPER + 1) /* when the run lists the agencies */
#define NQUERIES (NPER + 2)

static const char *query_name(size_t q)
{
	return q < NPER ? per_agency[q].sql : q == Q_WATERMARK ? "watermark.sql" : "agencies_in_year.sql";
}

/* How many of the queries x runs: the agencies' last, when asked for. */
static size_t run_queries(const struct run_ctx *x) { return x->agencies ? NQUERIES : NQUERIES - 1; }

/* Give each row of query q's result to its agency's report; takes res. */
static void each_row(const struct run_ctx *x, size_t q, PGresult *res)
{
	for (int i = 0; i < PQntuples(res); i++) {
		struct report *r = owner(x->reps, x->n, res, i);
		if (r)
			per_agency[q].row(r, res, i);
	}
	PQclear(res);
}

/* The queries sent first, the longest first (bench/report, a year of
 * 10,000,000 events, each in a report run: overview 5.8 s, checks 3-7 s,
 * section 二 4 s, section 三 3 s, section 四 1.7 s; the agencies and the
 * watermark read disclosed.event_month, 20 ms), so that the two connections
 * end together rather than one running the last long query alone. */
static const char *const send_first[] = {"overview.sql", "checks.sql", "section2.sql", "section3.sql",
					 "section4.sql"};

/* order[]: the indexes of the nq queries in the order they are sent. */
static void send_order(size_t order[NQUERIES], size_t nq)
{
	size_t n = 0, nfirst = sizeof(send_first) / sizeof(send_first[0]), f, q;
	bool taken[NQUERIES] = {false};
	for (f = 0; f < nfirst; f++)
		for (q = 0; q < nq; q++)
			if (!taken[q] && !strcmp(query_name(q), send_first[f])) {
				order[n++] = q;
				taken[q] = true;
			}
	for (q = 0; q < nq; q++)
		if (!taken[q])
			order[n++] = q;
}

/* Run every query, on x->conn and, when there is one, x->aux at once: each
 * connection takes the next query (in send_order) when it is done with
 * one. Results in res[q]; 0, or -1 with x->err. */
static int run_all(struct run_ctx *x, PGresult **res)
{
	PGconn *conns[2] = {x->conn, x->aux};
	int nconns = x->aux ? 2 : 1, busy[2] = {-1, -1}, rc = 0;
	size_t order[NQUERIES], nq = run_queries(x), next = 0, done = 0;
	send_order(order, nq);
	while (done < nq && rc == 0) {
		for (int c = 0; c < nconns && rc == 0; c++)
			if (busy[c] < 0 && next < nq) {
				rc = run_send(x, conns[c], query_name(order[next]));
				busy[c] = (int)order[next++];
			}
		struct pollfd p[2];
		for (int c = 0; c < nconns; c++)
			p[c] = (struct pollfd){PQsocket(conns[c]), busy[c] >= 0 ? POLLIN : 0, 0};
		if (rc == 0 && poll(p, (nfds_t)nconns, -1) < 0) {
			snprintf(x->err, x->errlen, "waiting for PostgreSQL: %s", strerror(errno));
			rc = -1;
		}
		for (int c = 0; c < nconns && rc == 0; c++) {
			if (busy[c] < 0 || !(p[c].revents & (POLLIN | POLLERR | POLLHUP)))
				continue;
			if (!PQconsumeInput(conns[c])) {
				snprintf(x->err, x->errlen, "sql/report/%s: %s",
					 query_name((size_t)busy[c]), PQerrorMessage(conns[c]));
				x->err[strcspn(x->err, "\n")] = '\0';
				run_failed(x);
				rc = -1;
				busy[c] = -1;
				break;
			}
			if (PQisBusy(conns[c]))
				continue; /* more of it to come */
			res[busy[c]] = report_receive(conns[c], query_name((size_t)busy[c]), x->err,
						      x->errlen);
			if (!res[busy[c]]) {
				run_failed(x);
				rc = -1;
			}
			busy[c] = -1;
			done++;
		}
	}
	/* After a failure: the other connection's query is read to its end,
	 * so that the connection can end its transaction. */
	for (int c = 0; c < nconns; c++) {
		PGresult *left;
		while (busy[c] >= 0 && (left = PQgetResult(conns[c])))
			PQclear(left);
	}
	return rc;
}

/* The report's own sums: 3.7 over the template's result rows, 总计 over
 * the six applicant columns and over section 四's four results. */
static void own_sums(struct report *r)
{
	int r37 = s3_index("3.7");
	for (size_t row = 0; row < s3_nrows; row++) {
		if (!s3_rows[row].sums || !s3_in_template(r, row))
			continue;
		for (int c = 0; c < S3_COLS - 1; c++)
			r->s3[r37][c] += r->s3[row][c];
	}
	for (size_t row = 0; row < s3_nrows; row++)
		for (int c = 0; c < S3_COLS - 1; c++)
			r->s3[row][S3_COLS - 1] += r->s3[row][c];
	for (int route = 0; route < S4_ROUTES; route++)
		for (int j = 0; j < S4_RESULTS - 1; j++)
			r->s4[route][S4_RESULTS - 1] += r->s4[route][j];
}

/* The agency's watermark object, made on its first row. */
static json_t *agency_watermark(struct report *r, PGresult *res, int i, const struct end_offsets *eo)
{
	if (r->watermark)
		return r->watermark;
	r->watermark = json_pack("{s s? s s s[] s[] s b}", "latest_event_time",
				 PQgetisnull(res, i, 1) ? NULL : PQgetvalue(res, i, 1), "year_end",
				 PQgetvalue(res, i, 3), "partitions", "lagging", "end_offsets_known",
				 eo && eo->known);
	if (eo && !eo->known)
		json_object_set_new(r->watermark, "end_offsets_unknown", json_string(eo->why));
	else if (!eo)
		json_object_set_new(r->watermark, "end_offsets_unknown",
				    json_string("the broker was not asked"));
	r->complete = PQgetvalue(res, i, 2)[0] == 't';
	json_object_set_new(r->watermark, "latest_passed_year_end", json_boolean(r->complete));
	return r->watermark;
}

/* One partition of the agency's topics: stored up to next_offset, the
 * broker's end offset, and how far behind it the store is. */
static void agency_partition(json_t *wm, PGresult *res, int i, const struct end_offsets *eo)
{
	if (PQgetisnull(res, i, 4))
		return;
	const char *topic = PQgetvalue(res, i, 4);
	int part = atoi(PQgetvalue(res, i, 5));
	long long next = num(res, i, 6), end = end_offsets_get(eo, topic, part);
	json_t *p = json_pack("{ss si sI s s?}", "topic", topic, "partition", part,
			      "stored_next_offset", (json_int_t)next, "max_event_time",
			      PQgetisnull(res, i, 7) ? NULL : PQgetvalue(res, i, 7));
	if (end >= 0) {
		json_object_set_new(p, "end_offset", json_integer(end));
		json_object_set_new(p, "behind", json_integer(end > next ? end - next : 0));
		if (end > next)
			json_array_append_new(json_object_get(wm, "lagging"),
					      json_sprintf("%s[%d] %lld message(s) behind (stored up "
							   "to offset %lld, broker end offset %lld)",
							   topic, part, end - next, next, end));
	}
	json_array_append_new(json_object_get(wm, "partitions"), p);
}

/* Completeness per agency: complete when its latest stored event time has
 * passed the year end, or when every partition of the topics carrying its
 * events is stored up to the end offset the broker reported at report
 * time (nothing unread can be its). */
static void compute_watermark(const struct run_ctx *x, const struct end_offsets *eo,
			      PGresult *res /* taken */)
{
	for (int i = 0; i < PQntuples(res); i++) {
		struct report *r = owner(x->reps, x->n, res, i);
		if (r)
			agency_partition(agency_watermark(r, res, i, eo), res, i, eo);
	}
	PQclear(res);
	for (size_t k = 0; k < x->n; k++) {
		struct report *r = x->reps[k];
		if (!r->watermark) { /* no event of the agency stored at all */
			r->watermark = json_pack("{s[] s[] sb}", "partitions", "lagging",
						 "end_offsets_known", eo && eo->known);
			r->complete = false;
			json_object_set_new(r->watermark, "complete", json_false());
			continue;
		}
		json_t *parts = json_object_get(r->watermark, "partitions");
		bool caught_up = eo && eo->known && json_array_size(parts) > 0 &&
				 json_array_size(json_object_get(r->watermark, "lagging")) == 0;
		r->complete = r->complete || caught_up;
		json_object_set_new(r->watermark, "complete", json_boolean(r->complete));
	}
}

#define BEGIN_RO "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

/* The run's snapshot on x->conn and, when it can share it, x->aux (else
 * x->aux is dropped for this run: the queries then run one after the
 * other). 0, or -1 with x->err when conn cannot begin. */
static int begin_snapshot(struct run_ctx *x)
{
	if (db_exec(x->conn, BEGIN_RO, BEGIN_RO, x->err, x->errlen))
		return -1;
	if (!x->aux)
		return 0;
	char why[512];
	PGresult *r = PQexec(x->conn, "SELECT pg_export_snapshot()");
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
	    db_exec(x->aux, BEGIN_RO, BEGIN_RO, why, sizeof(why)) == 0) {
		const char *id = PQgetvalue(r, 0, 0);
		char *lit = PQescapeLiteral(x->aux, id, strlen(id)), sql[128];
		snprintf(sql, sizeof(sql), "SET TRANSACTION SNAPSHOT %s", lit ? lit : "''");
		PQfreemem(lit);
		if (db_exec(x->aux, sql, sql, why, sizeof(why)) == 0) {
			PQclear(r);
			return 0;
		}
		PQclear(PQexec(x->aux, "ROLLBACK"));
	}
	PQclear(r);
	/* A failed export aborted conn's transaction: begin it again. */
	PQclear(PQexec(x->conn, "ROLLBACK"));
	x->aux = NULL;
	return db_exec(x->conn, BEGIN_RO, BEGIN_RO, x->err, x->errlen);
}

static void end_snapshot(const struct run_ctx *x)
{
	PQclear(PQexec(x->conn, "COMMIT"));
	if (x->aux)
		PQclear(PQexec(x->aux, "COMMIT"));
}

/* A second connection made as conn was, with the report's session
 * settings; NULL (said as a warning) when it cannot be made. */
static PGconn *second_conn(PGconn *conn)
{
	char why[1024];
	PGconn *aux = db_connect_like(conn, why, sizeof(why));
	if (!aux) {
		fprintf(stderr, "disclosed-report: warning: no second connection (%s): the "
			"queries run one after the other\n", why);
		return NULL;
	}
	PQclear(PQexec(aux, REPORT_SESSION_SQL));
	return aux;
}

struct report_run {
	struct run_ctx x;
	PGresult *res[NQUERIES];
};

struct report_run *report_run(PGconn *conn, bool share, int year, const char *tz,
			      const char *only, bool agencies, char *err, size_t errlen)
{
	struct report_run *run = xcalloc(1, sizeof(*run));
	/* The second connection lives for the queries only, not into the
	 * rendering processes that fork after them; begin_snapshot may drop
	 * it from the run, so it is held here. */
	PGconn *aux = share ? second_conn(conn) : NULL;
	run->x = (struct run_ctx){.conn = conn, .aux = aux, .only = only, .year = year,
				  .tz = tz, .agencies = agencies, .err = err, .errlen = errlen};
	int rc = begin_snapshot(&run->x);
	if (rc == 0) {
		rc = year_bounds(&run->x) || run_all(&run->x, run->res) ? -1 : 0;
		end_snapshot(&run->x);
	}
	if (aux)
		PQfinish(aux);
	run->x.aux = NULL;
	run->x.err = NULL; /* the caller's, for the queries only */
	if (rc) {
		report_run_free(run);
		return NULL;
	}
	return run;
}

json_t *report_run_agencies(const struct report_run *run)
{
	return report_first_column(run->res[Q_AGENCIES]);
}

void report_run_give(struct report_run *run, struct report **reps, size_t n,
		     const struct end_offsets *eo)
{
	struct run_ctx *x = &run->x;
	x->reps = reps;
	x->n = n;
	/* In per_agency's order, whichever finished first: a later query's
	 * rows add to an earlier one's (the opening balances). */
	for (size_t q = 0; q < NPER; q++) {
		each_row(x, q, run->res[q]);
		run->res[q] = NULL;
	}
	compute_watermark(x, eo, run->res[Q_WATERMARK]); /* takes it */
	run->res[Q_WATERMARK] = NULL;
	for (size_t k = 0; k < n; k++) {
		own_sums(reps[k]);
		reps[k]->data_computed = true;
	}
}

void report_run_free(struct report_run *run)
{
	if (!run)
		return;
	for (size_t q = 0; q < NQUERIES; q++)
		PQclear(run->res[q]);
	free(run);
}

int report_compute(PGconn *conn, bool share, struct report *r, const struct end_offsets *eo,
		   char *err, size_t errlen)
{
	struct report_run *run = report_run(conn, share, r->year, r->tz, r->agency, false, err, errlen);
	if (!run)
		return -1;
	report_run_give(run, &r, 1, eo);
	report_run_free(run);
	return 0;
}

int report_fetch_published(PGconn *conn, struct report *r, char *err, size_t errlen)
{
	struct run_ctx x = {.conn = conn, .reps = &r, .n = 1, .only = r->agency, .year = r->year,
			    .tz = r->tz, .err = err, .errlen = errlen};
	PGresult *res = run_one(&x, "published.sql");
	if (!res)
		return -1;
	if (PQntuples(res) == 1)
		published_row(r, res, 0);
	PQclear(res);
	return 0;
}

/* An amount as the decoder admits it (14 integer and 6 fraction digits:
 * 万元 to the 分), exactly: value = units + micro / 10^6 with 0 <= micro <
 * 10^6, so -1.5 is units -2, micro 500000. Two integers rather than one
 * count of 10^-6: 10^14 万元 in millionths would overflow a long long.
 * Never floating point. */
struct amount {
	long long units;
	long micro;
};

#define MICRO 1000000L

static struct amount amount_parse(const char *s)
{
	bool neg = *s == '-';
	char *dot;
	struct amount a = {llabs(strtoll(s, &dot, 10)), 0};
	if (*dot == '.') {
		int digits = 0;
		for (const char *p = dot + 1; *p >= '0' && *p <= '9' && digits < 6; p++, digits++)
			a.micro = a.micro * 10 + (*p - '0');
		for (; digits < 6; digits++)
			a.micro *= 10;
	}
	if (neg && a.micro) {
		a.units = -a.units - 1;
		a.micro = MICRO - a.micro;
	} else if (neg) {
		a.units = -a.units;
	}
	return a;
}

static struct amount amount_add(struct amount a, struct amount b)
{
	struct amount t = {a.units + b.units, a.micro + b.micro};
	if (t.micro >= MICRO) {
		t.micro -= MICRO;
		t.units++;
	}
	return t;
}

/* As the SQL prints it (trim_scale): no trailing zeros, no point without
 * a fraction. */
static void amount_format(struct amount a, char *buf, size_t len)
{
	bool neg = a.units < 0;
	long long units = a.units;
	long micro = a.micro;
	if (neg && micro) {
		units = -units - 1;
		micro = MICRO - micro;
	} else if (neg) {
		units = -units;
	}
	int digits = 6;
	while (digits > 0 && micro % 10 == 0) {
		micro /= 10;
		digits--;
	}
	if (digits)
		snprintf(buf, len, "%s%lld.%0*ld", neg ? "-" : "", units, digits, micro);
	else
		snprintf(buf, len, "%s%lld", neg ? "-" : "", units);
}

void report_add(struct report *a, const struct report *b)
{
	for (int i = 0; i < OV__COUNT; i++)
		a->ov[i] += b->ov[i];
	for (size_t i = 0; i < b->ns2; i++) {
		struct s2_cell *c = NULL;
		for (size_t j = 0; j < a->ns2; j++)
			if (!strcmp(a->s2[j].tbl, b->s2[i].tbl) && !strcmp(a->s2[j].row, b->s2[i].row) &&
			    !strcmp(a->s2[j].col, b->s2[i].col))
				c = &a->s2[j];
		if (!c) {
			if (a->ns2 == S2_MAX)
				continue;
			c = &a->s2[a->ns2++];
			*c = b->s2[i];
			continue;
		}
		amount_format(amount_add(amount_parse(c->value), amount_parse(b->s2[i].value)),
			      c->value, sizeof(c->value));
	}
	for (size_t row = 0; row < s3_nrows; row++)
		for (int c = 0; c < S3_COLS; c++) {
			a->s3[row][c] += b->s3[row][c];
			a->s3_sql_total[row][c] += b->s3_sql_total[row][c];
		}
	for (int c = 0; c < S3_COLS; c++)
		a->prev_row4[c] += b->prev_row4[c];
	a->prev_stored &= b->prev_stored; /* checked only when every part was */
	for (int route = 0; route < S4_ROUTES; route++) {
		a->s4_sql_total[route] += b->s4_sql_total[route];
		for (int k = 0; k < S4_RESULTS; k++)
			a->s4[route][k] += b->s4[route][k];
	}
	a->complete = a->complete && b->complete;
	a->data_computed = false; /* checked on each agency's own report */
	if (b->corrections) {
		if (!a->corrections)
			a->corrections = json_array();
		json_array_extend(a->corrections, b->corrections);
	}
}

void report_rollup_begin(struct report *sum, const struct report *first)
{
	*sum = *first;
	sum->watermark = json_incref(first->watermark);
	sum->one = sum->five = sum->six = NULL;
	sum->data_computed = false;
	/* The roll-up's own stored report is asked for separately. */
	sum->published = NULL;
	sum->published_at[0] = '\0';
	sum->corrections = first->corrections ? json_deep_copy(first->corrections) : NULL;
}

void report_free(struct report *r)
{
	json_decref(r->watermark);
	json_decref(r->published);
	json_decref(r->corrections);
	r->published = r->corrections = NULL;
	free(r->one);
	free(r->five);
	free(r->six);
	r->watermark = NULL;
	r->one = r->five = r->six = NULL;
}
