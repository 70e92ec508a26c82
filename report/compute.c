/* Computes a report's figures with the embedded sql/report queries. */
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "report.h"

extern const struct embedded_file report_sql[];
extern const size_t nreport_sql;

const char *const ov_keys[OV__COUNT] = {
	"proactive_total", "work_news", "reception_notices", "notices",
	"online_complaints", "complaints_transferred", "complaints_accepted",
	"new_media_posts", "new_media_views", "new_media_followers",
};

const char *const s3_col_keys[S3_COLS] = {
	"natural_person", "commercial_enterprise", "research_institution",
	"public_interest_org", "legal_service_org", "other_org", "total",
};
const char *const s3_col_labels[S3_COLS] = {
	"自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计",
};

#define B (T2019 | T2021)
const struct s3_row s3_rows[] = {
	{"1", NULL, "一、本年新收政府信息公开申请数量", B, false},
	{"2", NULL, "二、上年结转政府信息公开申请数量", B, false},
	{"3.1", NULL, "（一）予以公开", B, true},
	{"3.2", NULL, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", B, true},
	{"3.3.1", "（三）不予公开", "1.属于国家秘密", B, true},
	{"3.3.2", "（三）不予公开", "2.其他法律行政法规禁止公开", B, true},
	{"3.3.3", "（三）不予公开", "3.危及“三安全一稳定”", B, true},
	{"3.3.4", "（三）不予公开", "4.保护第三方合法权益", B, true},
	{"3.3.5", "（三）不予公开", "5.属于三类内部事务信息", B, true},
	{"3.3.6", "（三）不予公开", "6.属于四类过程性信息", B, true},
	{"3.3.7", "（三）不予公开", "7.属于行政执法案卷", B, true},
	{"3.3.8", "（三）不予公开", "8.属于行政查询事项", B, true},
	{"3.4.1", "（四）无法提供", "1.本机关不掌握相关政府信息", B, true},
	{"3.4.2", "（四）无法提供", "2.没有现成信息需要另行制作", B, true},
	{"3.4.3", "（四）无法提供", "3.补正后申请内容仍不明确", B, true},
	{"3.5.1", "（五）不予处理", "1.信访举报投诉类申请", B, true},
	{"3.5.2", "（五）不予处理", "2.重复申请", B, true},
	{"3.5.3", "（五）不予处理", "3.要求提供公开出版物", B, true},
	{"3.5.4", "（五）不予处理", "4.无正当理由大量反复申请", B, true},
	{"3.5.5", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息", B, true},
	{"3.6", NULL, "（六）其他处理", T2019, true},
	{"3.6.1", "（六）其他处理",
	 "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", T2021, true},
	{"3.6.2", "（六）其他处理",
	 "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", T2021, true},
	{"3.6.3", "（六）其他处理", "3.其他", T2021, true},
	{"3.7", NULL, "（七）总计", B, false},
	{"4", NULL, "四、结转下年度继续办理", B, false},
};
const size_t s3_nrows = sizeof(s3_rows) / sizeof(s3_rows[0]);

const char *const s4_route_keys[S4_ROUTES] = {
	"reconsideration", "litigation_direct", "litigation_after_reconsideration"};
const char *const s4_result_keys[S4_RESULTS] = {
	"upheld", "corrected", "other", "pending", "total"};

int s3_index(const char *code)
{
	for (size_t i = 0; i < s3_nrows; i++)
		if (strcmp(s3_rows[i].code, code) == 0)
			return (int)i;
	return -1;
}

bool s3_in_template(const struct report *r, size_t i)
{
	return in_tmpl(r, s3_rows[i].templates);
}

static int key_index(const char *const *keys, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (strcmp(keys[i], key) == 0)
			return i;
	return -1;
}

const char *s2_value(const struct report *r, const char *tbl, const char *row, const char *col)
{
	for (size_t i = 0; i < r->ns2; i++)
		if (!strcmp(r->s2[i].tbl, tbl) && !strcmp(r->s2[i].row, row) &&
		    !strcmp(r->s2[i].col, col))
			return r->s2[i].value;
	return "0";
}

/* Run sql/report/<name> for year, for agency `only` (NULL: every agency). */
static PGresult *run(PGconn *conn, const char *name, const char *only, int year, const char *tz,
		     char *err, size_t errlen)
{
	const struct embedded_file *f = embedded_find(report_sql, nreport_sql, name);
	char ybuf[16];
	snprintf(ybuf, sizeof(ybuf), "%d", year);
	const char *params[] = {only, ybuf, tz};
	/* Typed here, so a statement may leave any of them unused. */
	const Oid types[] = {25 /* text */, 23 /* int4 */, 25};
	PGresult *res = PQexecParams(conn, f->data, 3, types, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "sql/report/%s for %s, year %d: %s", name,
			 only ? only : "every agency", year, PQresultErrorMessage(res));
		err[strcspn(err, "\n")] = '\0';
		PQclear(res);
		return NULL;
	}
	return res;
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

struct run_ctx {
	PGconn *conn;
	struct report **reps;
	size_t n;
	const char *only;
	int year;
	const char *tz;
	char *err;
	size_t errlen;
};

static int compute_overview(const struct run_ctx *x)
{
	PGresult *res = run(x->conn, "overview.sql", x->only, x->year, x->tz, x->err, x->errlen);
	if (!res)
		return -1;
	for (int row = 0; row < PQntuples(res); row++) {
		struct report *r = owner(x->reps, x->n, res, row);
		for (int i = 0; r && i < OV__COUNT; i++)
			r->ov[i] = num(res, row, i + 1);
	}
	PQclear(res);
	return 0;
}

static int compute_section2(const struct run_ctx *x)
{
	PGresult *res = run(x->conn, "section2.sql", x->only, x->year, x->tz, x->err, x->errlen);
	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		struct report *r = owner(x->reps, x->n, res, i);
		if (!r || r->ns2 == S2_MAX)
			continue;
		struct s2_cell *c = &r->s2[r->ns2++];
		snprintf(c->tbl, sizeof(c->tbl), "%s", PQgetvalue(res, i, 1));
		snprintf(c->row, sizeof(c->row), "%s", PQgetvalue(res, i, 2));
		snprintf(c->col, sizeof(c->col), "%s", PQgetvalue(res, i, 3));
		snprintf(c->value, sizeof(c->value), "%s", PQgetvalue(res, i, 4));
	}
	PQclear(res);
	return 0;
}

/* Section 三 of the report's year into s3/s3_sql_total. Outcomes are
 * folded into the template: 2019 has one 其他处理 row (3.6), 2021 splits
 * it and an unsplit 3.6 counts as 3.6.3 其他. */
static int compute_section3(const struct run_ctx *x)
{
	PGresult *res = run(x->conn, "section3.sql", x->only, x->year, x->tz, x->err, x->errlen);
	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		struct report *r = owner(x->reps, x->n, res, i);
		if (!r)
			continue;
		const char *code = PQgetvalue(res, i, 1);
		int col = key_index(s3_col_keys, S3_COLS, PQgetvalue(res, i, 2));
		long long v = num(res, i, 3);
		if (r->tmpl == 2019 && strncmp(code, "3.6.", 4) == 0)
			code = "3.6";
		else if (r->tmpl == 2021 && strcmp(code, "3.6") == 0)
			code = "3.6.3";
		int row = s3_index(code);
		if (row < 0 || col < 0)
			continue;
		/* 总计 and 3.7 as SQL counted them are kept apart to be checked. */
		if (col == S3_COLS - 1 || strcmp(code, "3.7") == 0)
			r->s3_sql_total[row][col] += v;
		else
			r->s3[row][col] += v;
	}
	PQclear(res);
	return 0;
}

/* The report's own sums: 3.7 over the template's result rows, 总计 over
 * the six applicant columns. */
static void section3_sums(struct report *r)
{
	int r37 = s3_index("3.7");
	for (size_t row = 0; row < s3_nrows; row++) {
		if (!s3_rows[row].result || !s3_in_template(r, row))
			continue;
		for (int c = 0; c < S3_COLS - 1; c++)
			r->s3[r37][c] += r->s3[row][c];
	}
	for (size_t row = 0; row < s3_nrows; row++)
		for (int c = 0; c < S3_COLS - 1; c++)
			r->s3[row][S3_COLS - 1] += r->s3[row][c];
}

static int compute_section4(const struct run_ctx *x)
{
	PGresult *res = run(x->conn, "section4.sql", x->only, x->year, x->tz, x->err, x->errlen);
	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		struct report *r = owner(x->reps, x->n, res, i);
		int route = key_index(s4_route_keys, S4_ROUTES, PQgetvalue(res, i, 1));
		int result = key_index(s4_result_keys, S4_RESULTS, PQgetvalue(res, i, 2));
		if (!r || route < 0 || result < 0)
			continue;
		if (result == S4_RESULTS - 1)
			r->s4_sql_total[route] += num(res, i, 3);
		else
			r->s4[route][result] += num(res, i, 3);
	}
	PQclear(res);
	for (size_t k = 0; k < x->n; k++)
		for (int route = 0; route < S4_ROUTES; route++)
			for (int j = 0; j < S4_RESULTS - 1; j++)
				x->reps[k]->s4[route][S4_RESULTS - 1] += x->reps[k]->s4[route][j];
	return 0;
}

static const char *const data_checks[] = {
	"application_closed_without_application", "application_closed_before_received",
	"application_closed_more_than_once", "review_decided_without_filing",
	"complaint_handled_without_receipt",
};
#define NDATA_CHECKS (sizeof(data_checks) / sizeof(data_checks[0]))

static int compute_data_checks(const struct run_ctx *x)
{
	PGresult *res = run(x->conn, "checks.sql", x->only, x->year, x->tz, x->err, x->errlen);
	if (!res)
		return -1;
	for (size_t k = 0; k < x->n; k++) {
		struct report *r = x->reps[k];
		for (size_t c = 0; c < NDATA_CHECKS; c++) {
			char id[64];
			int found = -1;
			snprintf(id, sizeof(id), "data.%s", data_checks[c]);
			for (int i = 0; i < PQntuples(res) && found < 0; i++)
				if (strcmp(PQgetvalue(res, i, 0), r->agency) == 0 &&
				    strcmp(PQgetvalue(res, i, 1), data_checks[c]) == 0)
					found = i;
			if (found >= 0)
				report_check_add(r, id, false, "agency %s: %s case(s), e.g. subject %s",
						 r->agency, PQgetvalue(res, found, 2),
						 PQgetvalue(res, found, 3));
			else
				report_check_add(r, id, true, "agency %s: none", r->agency);
		}
	}
	PQclear(res);
	return 0;
}

/* The ingest watermark is the same for every agency: computed once. */
static int compute_watermark(const struct run_ctx *x)
{
	PGresult *res = run(x->conn, "watermark.sql", NULL, x->year, x->tz, x->err, x->errlen);
	if (!res)
		return -1;
	json_t *parts = json_array(), *lagging = json_array();
	/* The same on every row; none before anything is ingested. */
	const char *end = PQntuples(res) ? PQgetvalue(res, 0, 6) : NULL;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *t = PQgetisnull(res, i, 4) ? NULL : PQgetvalue(res, i, 4);
		json_array_append_new(parts, json_pack("{ss ss si sI s s?}", "group",
			PQgetvalue(res, i, 0), "topic", PQgetvalue(res, i, 1), "partition",
			atoi(PQgetvalue(res, i, 2)), "last_offset", (json_int_t)num(res, i, 3),
			"max_event_time", t));
		if (PQgetvalue(res, i, 5)[0] != 't')
			json_array_append_new(lagging, json_sprintf("%s[%s] (group %s)",
				PQgetvalue(res, i, 1), PQgetvalue(res, i, 2), PQgetvalue(res, i, 0)));
	}
	bool complete = json_array_size(lagging) == 0 && json_array_size(parts) > 0;
	json_t *wm = json_pack("{so so sb s s?}", "partitions", parts, "lagging", lagging,
			       "complete", complete, "year_end", end);
	for (size_t k = 0; k < x->n; k++) {
		x->reps[k]->complete = complete;
		x->reps[k]->watermark = json_incref(wm);
	}
	json_decref(wm);
	PQclear(res);
	return 0;
}

/* Row 4 of last year's stored report, for the s3.carry_over check. */
static int compute_carry_over(const struct run_ctx *x)
{
	PGresult *res = run(x->conn, "carry_over.sql", x->only, x->year, x->tz, x->err,
			    x->errlen);
	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		struct report *r = owner(x->reps, x->n, res, i);
		int col = key_index(s3_col_keys, S3_COLS, PQgetvalue(res, i, 1));
		if (!r || col < 0)
			continue;
		r->prev_row4[col] = num(res, i, 2);
		r->prev_stored = true;
	}
	PQclear(res);
	return 0;
}

int report_compute_many(PGconn *conn, struct report **reps, size_t n, const char *only,
			char *err, size_t errlen)
{
	if (!n)
		return 0;
	struct run_ctx x = {conn, reps, n, only, reps[0]->year, reps[0]->tz, err, errlen};
	if (compute_overview(&x) || compute_section2(&x) || compute_section3(&x) ||
	    compute_carry_over(&x) || compute_section4(&x) || compute_watermark(&x))
		return -1;
	for (size_t k = 0; k < n; k++) {
		section3_sums(reps[k]);
		report_check(reps[k]);
	}
	return compute_data_checks(&x);
}

int report_compute(PGconn *conn, struct report *r, char *err, size_t errlen)
{
	return report_compute_many(conn, &r, 1, r->agency, err, errlen);
}

/* A decimal with at most 4 fraction digits, as an integer of 1/10000:
 * amounts are added exactly, never through floating point. */
static long long dec4(const char *s)
{
	bool neg = *s == '-';
	char *dot;
	long long ip = llabs(strtoll(s, &dot, 10)), fp = 0;
	if (*dot == '.') {
		int digits = 0;
		for (const char *p = dot + 1; *p >= '0' && *p <= '9' && digits < 4; p++, digits++)
			fp = fp * 10 + (*p - '0');
		for (; digits < 4; digits++)
			fp *= 10;
	}
	long long v = ip * 10000 + fp;
	return neg ? -v : v;
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
		bool decimal = strchr(c->value, '.') || strchr(b->s2[i].value, '.');
		long long t = dec4(c->value) + dec4(b->s2[i].value);
		if (decimal)
			snprintf(c->value, sizeof(c->value), "%s%lld.%04lld", t < 0 ? "-" : "",
				 llabs(t) / 10000, llabs(t) % 10000);
		else
			snprintf(c->value, sizeof(c->value), "%lld", t / 10000);
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
}

void report_free(struct report *r)
{
	json_decref(r->watermark);
	free(r->five);
	free(r->six);
	r->watermark = NULL;
	r->five = r->six = NULL;
}

/* Section 二's tables per template: rows (key, label, and the templates
 * that show it when not all of its table's) and columns (key, label). */
const struct s2_table s2_tables[] = {
	{"art20_1", "第二十条第（一）项", T2019 | T2021,
	 {{"regulation", "规章", 0}, {"normative_document", "规范性文件", 0}},
	 {{"made", "本年新制作数量"}, {"published", "本年新公开数量"}, {"in_force", "对外公开总数量"}},
	 {{"made", "本年制发件数"}, {"repealed", "本年废止件数"}, {"in_force", "现行有效件数"}}},
	{"art20_5", "第二十条第（五）项", T2019 | T2021,
	 {{"permit", "行政许可", 0}, {"other_service", "其他对外管理服务事项", T2019}},
	 {{"previous_projects", "上一年项目数量"}, {"change", "本年增/减"}, {"decisions", "处理决定数量"}},
	 {{"decisions", "本年处理决定数量"}}},
	{"art20_6", "第二十条第（六）项", T2019 | T2021,
	 {{"punishment", "行政处罚", 0}, {"coercion", "行政强制", 0}},
	 {{"previous_projects", "上一年项目数量"}, {"change", "本年增/减"}, {"decisions", "处理决定数量"}},
	 {{"decisions", "本年处理决定数量"}}},
	{"art20_8", "第二十条第（八）项", T2019 | T2021,
	 {{"fee", "行政事业性收费", 0}},
	 {{"previous_projects", "上一年项目数量"}, {"change", "本年增/减"}},
	 {{"amount", "本年收费金额（单位：万元）"}}},
	{"art20_9", "第二十条第（九）项", T2019,
	 {{"procurement", "政府集中采购", 0}},
	 {{"projects", "采购项目数量"}, {"amount", "采购总金额"}},
	 {{NULL, NULL}}},
};
const size_t s2_ntables = sizeof(s2_tables) / sizeof(s2_tables[0]);

bool in_tmpl(const struct report *r, unsigned t)
{
	return t & (r->tmpl == 2019 ? T2019 : T2021);
}

const struct s2_col *s2_cols(const struct report *r, const struct s2_table *t)
{
	return r->tmpl == 2019 ? t->cols2019 : t->cols2021;
}

bool s2_row_shown(const struct report *r, const struct s2_table *t, int row)
{
	const struct s2_row *w = &t->rows[row];
	return w->key && (!w->templates || in_tmpl(r, w->templates));
}

