/* The report's identity checks and renderings, on figures built in memory:
 * each identity must catch the inconsistency it exists for, and say where. */
#include "testutil.h"

#include "report.h"

static struct report *consistent(int tmpl)
{
	struct report *r = calloc(1, sizeof(*r));
	snprintf(r->agency, sizeof(r->agency), "a");
	snprintf(r->name, sizeof(r->name), "某局");
	r->year = tmpl == 2019 ? 2020 : 2021;
	r->tmpl = tmpl;
	r->complete = true;
	/* 3 natural persons received, 1 carried over, 2 answered (3.1 and 3.2),
	 * 2 carried forward: 3 + 1 = 2 + 2. */
	int r1 = s3_index("1"), r2 = s3_index("2"), r31 = s3_index("3.1"), r32 = s3_index("3.2"),
	    r37 = s3_index("3.7"), r4 = s3_index("4");
	r->s3[r1][0] = 3;
	r->s3[r2][0] = 1;
	r->s3[r31][0] = 1;
	r->s3[r32][0] = 1;
	r->s3[r37][0] = 2;
	r->s3[r4][0] = 2;
	for (int row = 0; row < (int)s3_nrows; row++)
		r->s3[row][S3_COLS - 1] = r->s3[row][0];
	/* What SQL counted independently. */
	r->s3_sql_total[r37][0] = 2;
	for (int row = 0; row < (int)s3_nrows; row++)
		r->s3_sql_total[row][S3_COLS - 1] = r->s3[row][0];
	r->prev_row4[0] = 1;
	r->prev_row4[S3_COLS - 1] = 1;
	r->prev_stored = true;
	r->s4[0][0] = 1;
	r->s4[0][3] = 2;
	r->s4[0][4] = 3;
	r->s4_sql_total[0] = 3;
	return r;
}

static const struct check *find(const struct report *r, const char *id)
{
	for (size_t i = 0; i < r->nchecks; i++)
		if (strcmp(r->checks[i].id, id) == 0)
			return &r->checks[i];
	fail_msg("no check %s", id);
	return NULL;
}

/* The check named id, which must have failed. */
static const struct check *tu_find_failed(const struct report *r, const char *id,
					  const char *file, int line)
{
	const struct check *c = find(r, id);
	_assert_int_equal(c->state, CHECK_FAILED, file, line);
	return c;
}
#define find_failed(r, id) tu_find_failed((r), (id), __FILE__, __LINE__)

/* report_check fails the report, and the check named id with it. */
static const struct check *tu_check_fails(struct report *r, const char *id, const char *file,
					  int line)
{
	_assert_true(!report_check(r), "report_check(r) fails", file, line);
	return tu_find_failed(r, id, file, line);
}
#define check_fails(r, id) tu_check_fails((r), (id), __FILE__, __LINE__)

TEST(test_consistent_report_passes_every_identity)
{
	struct report *r = consistent(2019);
	assert_true(report_check(r));
	assert_int_equal(r->nchecks, 6);
	free(r);
}

TEST(test_unbalanced_column_fails_balance_naming_the_column)
{
	struct report *r = consistent(2019);
	r->s3[s3_index("1")][2] = 1; /* a research institution appears from nowhere */
	r->s3[s3_index("1")][S3_COLS - 1] += 1;
	r->s3_sql_total[s3_index("1")][S3_COLS - 1] += 1;
	const struct check *c = check_fails(r, "s3.balance");
	assert_has(c->where, "research_institution: 1 != 0");
	assert_has(c->where, "total: 5 != 4");
	free(r);
}

TEST(test_answer_outside_template_rows_fails_results_total)
{
	struct report *r = consistent(2021);
	r->s3_sql_total[s3_index("3.7")][0] = 3; /* SQL saw three answers */
	const struct check *c = check_fails(r, "s3.results_total");
	assert_has(c->where, "natural_person: 2 != 3");
	assert_has(c->where, "template 2021");
	free(r);
}

TEST(test_total_column_off_fails_columns_total_naming_the_row)
{
	struct report *r = consistent(2019);
	r->s3_sql_total[s3_index("4")][S3_COLS - 1] = 7;
	assert_false(report_check(r));
	assert_has(find(r, "s3.columns_total")->where, "row 4: 2 != 7");
	free(r);
}

TEST(test_section4_total_off_fails_naming_the_route)
{
	struct report *r = consistent(2019);
	r->s4_sql_total[0] = 4;
	assert_false(report_check(r));
	assert_has(find(r, "s4.totals")->where, "reconsideration: 3 != 4");
	free(r);
}

TEST(test_carry_over_differing_from_last_year_fails)
{
	struct report *r = consistent(2019);
	r->prev_row4[0] = 0;
	assert_false(report_check(r));
	const struct check *c = find(r, "s3.carry_over");
	assert_has(c->where, "natural_person: 1 != 0");
	assert_has(c->where, "row 4 of the year before");
	free(r);
}

static char *render_to_string(void (*fn)(const struct report *, FILE *), const struct report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	fn(r, m);
	fclose(m);
	return buf;
}

TEST(test_csv_has_one_row_per_cell_of_the_template)
{
	struct report *r = consistent(2021);
	char *csv = render_to_string(render_csv, r);
	size_t lines = 0;
	for (char *p = csv; *p; p++)
		lines += *p == '\n';
	/* header + 11 overview + section 二 (2021: 6 + 1 + 2 + 1) + section 三
	 * (2021: 25 rows x 7) + section 四 15 */
	assert_int_equal(lines, 1 + 11 + 10 + 25 * 7 + 15);
	assert_has(csv, "a,2021,2021,3,applications,3.1,natural_person,1\r\n");
	assert_lacks(csv, ",3.6,");
	free(csv);
	free(r);
}

TEST(test_json_amounts_stay_exact_strings)
{
	struct report *r = consistent(2021);
	r->ns2 = 1;
	snprintf(r->s2[0].tbl, sizeof(r->s2[0].tbl), "art20_8");
	snprintf(r->s2[0].row, sizeof(r->s2[0].row), "fee");
	snprintf(r->s2[0].col, sizeof(r->s2[0].col), "amount");
	snprintf(r->s2[0].value, sizeof(r->s2[0].value), "0.3");
	json_t *j = report_json(r);
	json_t *amount = json_object_get(json_object_get(json_object_get(
		json_object_get(j, "section2"), "art20_8"), "fee"), "amount");
	assert_true(json_is_string(amount));
	assert_string_equal(json_string_value(amount), "0.3");
	json_decref(j);
	free(r);
}

/* Add b to a in the roll-up; the sum as printed. */
static void rollup_sum(const char *a, const char *b, const char *want)
{
	struct report *ra = consistent(2021), *rb = consistent(2021);
	ra->ns2 = rb->ns2 = 1;
	struct s2_cell cell = {"art20_8", "fee", "amount", ""};
	snprintf(cell.value, sizeof(cell.value), "%s", a);
	ra->s2[0] = cell;
	snprintf(cell.value, sizeof(cell.value), "%s", b);
	rb->s2[0] = cell;
	report_add(ra, rb);
	if (strcmp(s2_value(ra, "art20_8", "fee", "amount"), want) != 0)
		fail_msg("%s + %s = %s, want %s", a, b, s2_value(ra, "art20_8", "fee", "amount"),
			 want);
	free(ra);
	free(rb);
}

/* Exactly, to the 分 (six fraction digits of 万元), at both ends of the
 * range, negative ones included, printed as the SQL prints an agency's
 * (no trailing zeros). */
TEST(test_rollup_adds_amounts_exactly)
{
	rollup_sum("0.1", "0.2", "0.3");
	rollup_sum("7380.28959", "0.00001", "7380.2896");
	rollup_sum("0.000001", "0.000001", "0.000002");
	rollup_sum("99999999999999.999999", "0.000001", "100000000000000");
	rollup_sum("99999999999999.999999", "99999999999999.999999", "199999999999999.999998");
	rollup_sum("12.35", "100", "112.35");
	rollup_sum("-0.5", "0.25", "-0.25");
	rollup_sum("-0.000001", "0", "-0.000001");
	rollup_sum("-99999999999999.999999", "-0.000001", "-100000000000000");
	rollup_sum("-1.5", "1.5", "0");
	rollup_sum("3", "4", "7");
	rollup_sum("-3", "1", "-2");
	struct report *a = consistent(2021), *b = consistent(2021);
	report_add(a, b);
	assert_int_equal(a->s3[s3_index("1")][0], 6);
	free(a);
	free(b);
}

/* Amounts set in a template 2019 report (both amount columns: 采购总金额
 * and, via 2021, 本年收费金额), printed in every text format with every
 * digit as the SQL gave it. */
static void set_amount(struct report *r, const char *tbl, const char *row, const char *value)
{
	struct s2_cell *c = &r->s2[r->ns2++];
	snprintf(c->tbl, sizeof(c->tbl), "%s", tbl);
	snprintf(c->row, sizeof(c->row), "%s", row);
	snprintf(c->col, sizeof(c->col), "amount");
	snprintf(c->value, sizeof(c->value), "%s", value);
}

static void csv_tables(const struct report *r, FILE *out);

TEST(test_amounts_print_every_digit_in_every_format)
{
	static const char *const amounts[] = {"99999999999999.999999", "0.000001", "7380.28959",
					      "-0.01"};
	void (*fns[])(const struct report *, FILE *) = {render_text, render_markdown, render_html,
							 render_csv, csv_tables, render_json};
	for (size_t k = 0; k < sizeof(amounts) / sizeof(amounts[0]); k++) {
		struct report *r21 = consistent(2021), *r19 = consistent(2019);
		set_amount(r21, "art20_8", "fee", amounts[k]);
		set_amount(r19, "art20_9", "procurement", amounts[k]);
		for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
			char *o21 = render_to_string(fns[i], r21), *o19 = render_to_string(fns[i], r19);
			assert_has(o21, amounts[k]);
			assert_has(o19, amounts[k]);
			free(o21);
			free(o19);
		}
		json_t *j = report_json(r19);
		json_t *v = json_object_get(json_object_get(json_object_get(
			json_object_get(j, "section2"), "art20_9"), "procurement"), "amount");
		assert_true(json_is_string(v));
		assert_string_equal(json_string_value(v), amounts[k]);
		json_decref(j);
		free(r21);
		free(r19);
	}
}

TEST(test_html_keeps_a_long_paragraph_whole_and_escaped)
{
	struct report *r = consistent(2021);
	size_t n = 3000; /* 9000 bytes of CJK text in one paragraph */
	r->five = malloc(3 * n + 16);
	char *p = r->five;
	for (size_t i = 0; i < n; i++, p += 3)
		memcpy(p, "公", 3);
	strcpy(p, "<end>");
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	render_html(r, f);
	fclose(f);
	/* The whole paragraph, unbroken by any tag, escaped at its end. */
	char *want = malloc(3 * n + 32);
	assert_non_null(want);
	p = want;
	for (size_t i = 0; i < n; i++, p += 3)
		memcpy(p, "公", 3);
	strcpy(p, "&lt;end&gt;</p>");
	assert_has(out, want);
	free(want);
	free(out);
	free(r->five);
	free(r);
}

TEST(test_carry_over_without_last_years_report_is_not_checked)
{
	struct report *r = consistent(2021);
	r->prev_stored = false;
	r->prev_row4[0] = 0; /* nothing stored: not compared */
	/* Not made: it fails nothing, but is not "holds" either, in the
	 * struct and in JSON (issue 10, defect 4). */
	assert_true(report_check(r));
	const struct check *c = find(r, "s3.carry_over");
	assert_int_equal(c->state, CHECK_NOT_CHECKED);
	assert_int_equal(report_checks_in(r, CHECK_NOT_CHECKED), 2); /* and published.unchanged */
	assert_has(c->where, "not checked: no report of 2020 stored");
	json_t *j = report_json(r), *v;
	size_t i;
	const char *st = NULL;
	json_array_foreach(json_object_get(j, "checks"), i, v)
		if (!strcmp(json_string_value(json_object_get(v, "id")), "s3.carry_over"))
			st = json_string_value(json_object_get(v, "state"));
	assert_non_null(st);
	assert_string_equal(st, "not_checked");
	json_decref(j);
	free(r);
}

/* A plain 3.6 closing in a template 2021 year is a failing data check that
 * names the applications; template 2019 counts it in its 3.6 row. */
TEST(test_plain_3_6_in_template_2021_fails_naming_the_cases)
{
	struct report *r = consistent(2021);
	r->data_computed = true;
	r->data[DATA_OUTCOME_3_6_IN_2021].cases = 2;
	snprintf(r->data[DATA_OUTCOME_3_6_IN_2021].example,
		 sizeof(r->data[DATA_OUTCOME_3_6_IN_2021].example), "AP-7, AP-15");
	const struct check *c = check_fails(r, "data.application_outcome_3_6_in_template_2021");
	assert_has(c->where, "2 application(s) closed in 2021 with outcome 3.6");
	assert_has(c->where, "AP-7, AP-15");
	free(r);
}

/* An opening balance the detailed events contradict fails its data check,
 * which names the lines and why; a line left with another as_of too. */
TEST(test_contradicted_opening_balance_fails_naming_the_lines)
{
	struct report *r = consistent(2021);
	r->data_computed = true;
	r->data[DATA_OPENING_CONTRADICTED].cases = 1;
	snprintf(r->data[DATA_OPENING_CONTRADICTED].example,
		 sizeof(r->data[DATA_OPENING_CONTRADICTED].example),
		 "open_applications/natural_person (events show 2 before as_of, stated 1)");
	r->data[DATA_OPENING_AS_OF_DIFFERS].cases = 1;
	snprintf(r->data[DATA_OPENING_AS_OF_DIFFERS].example,
		 sizeof(r->data[DATA_OPENING_AS_OF_DIFFERS].example), "documents_in_force/regulation");
	const struct check *c = check_fails(r, "data.opening_contradicted");
	assert_string_equal(c->where, "agency a: 1 opening balance line(s) contradicted by the "
			    "detailed events: open_applications/natural_person (events show 2 "
			    "before as_of, stated 1)");
	c = find_failed(r, "data.opening_as_of_differs");
	assert_has(c->where, "not used (restate them): documents_in_force/regulation");
	free(r);
}

/* A message cut at the end of its buffer never ends inside a UTF-8
 * sequence: the check stays in the JSON, which only carries valid UTF-8. */
TEST(test_long_check_message_is_cut_on_a_character_boundary)
{
	struct report *r = consistent(2021);
	memset(r->agency, 'a', 64);
	r->agency[64] = '\0';
	r->data_computed = true;
	struct data_found *f = &r->data[DATA_OPENING_CONTRADICTED];
	f->cases = 10; /* the message then cuts inside a character */
	for (size_t i = 0; i + 3 < sizeof(f->example); i += 3)
		memcpy(f->example + i, "期", 4); /* 3 bytes and the NUL, overwritten next */
	const struct check *c = check_fails(r, "data.opening_contradicted");
	size_t n = strlen(c->where);
	assert_true(n > 400 && n < sizeof(c->where));
	assert_true(utf8_valid(c->where, n));
	json_t *j = report_json(r), *v;
	size_t i;
	const char *where = NULL;
	json_array_foreach(json_object_get(j, "checks"), i, v)
		if (!strcmp(json_string_value(json_object_get(v, "id")), "data.opening_contradicted"))
			where = json_string_value(json_object_get(v, "where"));
	assert_non_null(where);
	assert_string_equal(where, c->where);
	json_decref(j);
	free(r);
}

/* ---- checks beyond CHECK_MAX ------------------------------------------ */

TEST(test_checks_beyond_the_limit_fail_the_report)
{
	struct report *r = consistent(2021);
	for (int i = 0; i < CHECK_MAX + 1; i++)
		report_check_add(r, "x.holds", true, "check %d", i);
	/* Every one held, but one could not be recorded: not a pass. */
	assert_false(report_ok(r));
	assert_int_equal(r->nchecks, CHECK_MAX);
	const struct check *c = find_failed(r, "report.checks_overflow");
	assert_has(c->where, "2 check(s) not recorded");
	report_check_add(r, "x.holds", true, "one more");
	assert_has(c->where, "3 check(s) not recorded");
	json_t *j = report_json(r);
	json_t *last = json_array_get(json_object_get(j, "checks"), CHECK_MAX - 1);
	assert_string_equal(json_string_value(json_object_get(last, "id")), "report.checks_overflow");
	assert_string_equal(json_string_value(json_object_get(last, "state")), "failed");
	json_decref(j);
	report_checks_clear(r);
	assert_true(report_check(r));
	free(r);
}

TEST(test_failing_check_after_many_is_kept)
{
	struct report *r = consistent(2019);
	for (int i = 0; i < CHECK_MAX + 8; i++)
		report_check_add(r, "x", i != CHECK_MAX + 7, "check %d", i);
	assert_false(report_ok(r));
	free(r);
}

/* ---- published.unchanged ---------------------------------------------- */

/* Without a stored report of the year it is not made; with one equal to
 * this run it holds; a cell changed since names the cell, both values and
 * when the report was stored, and fails the report. */
TEST(test_published_unchanged_names_each_changed_cell)
{
	struct report *r = consistent(2021);
	assert_true(report_check(r));
	assert_int_equal(find(r, "published.unchanged")->state, CHECK_NOT_CHECKED);
	assert_has(find(r, "published.unchanged")->where, "no report of a 2021 stored");
	/* As stored by this very run: unchanged, whatever its checks said. */
	r->published = report_json(r);
	snprintf(r->published_at, sizeof(r->published_at), "2022-01-10 09:00:00+08");
	report_checks_clear(r);
	assert_true(report_check(r));
	assert_int_equal(find(r, "published.unchanged")->state, CHECK_HOLDS);
	/* A correction moved one application from 3.1 to 3.2 since. */
	int r31 = s3_index("3.1"), r32 = s3_index("3.2");
	r->s3[r31][0]--;
	r->s3[r31][S3_COLS - 1]--;
	r->s3[r32][0]++;
	r->s3[r32][S3_COLS - 1]++;
	report_checks_clear(r);
	const struct check *c = check_fails(r, "published.unchanged");
	assert_has(c->where, "section3/3.1/natural_person: 1 -> 0");
	assert_has(c->where, "section3/3.2/total: 1 -> 2");
	assert_has(c->where, "4 cell(s) changed since the report stored at 2022-01-10 09:00:00+08");
	json_decref(r->published);
	free(r);
}

/* Many changed cells: as many named as fit, every one counted. */
TEST(test_published_unchanged_counts_cells_beyond_the_message)
{
	struct report *r = consistent(2021);
	r->published = report_json(r);
	for (int row = 0; row < (int)s3_nrows; row++)
		for (int c = 0; c < S3_COLS; c++)
			r->s3[row][c] += 1000;
	report_checks_clear(r);
	const struct check *c = check_fails(r, "published.unchanged");
	assert_has(c->where, "cell(s) changed since");
	assert_true(strlen(c->where) < sizeof(c->where) - 1);
	json_decref(r->published);
	free(r);
}

TEST(test_data_checks_name_the_case_and_stay_off_the_rollup)
{
	struct report *r = consistent(2021), *sum = calloc(1, sizeof(*sum));
	r->data_computed = true;
	r->data[DATA_REVIEW_WITHOUT_FILING].cases = 2;
	snprintf(r->data[DATA_REVIEW_WITHOUT_FILING].example,
		 sizeof(r->data[DATA_REVIEW_WITHOUT_FILING].example), "RV-9");
	assert_false(report_check(r));
	assert_int_equal(r->nchecks, 6 + DATA__COUNT);
	assert_string_equal(find(r, "data.review_decided_without_filing")->where,
			    "agency a: 2 case(s), e.g. subject RV-9");
	assert_true(find(r, "data.application_closed_without_application")->state == CHECK_HOLDS);
	report_rollup_begin(sum, r);
	report_checks_clear(sum);
	assert_true(report_check(sum));
	assert_int_equal(sum->nchecks, 6);
	free(sum);
	free(r);
}

/* ---- the template and its walk ------------------------------------------ */

/* Row labels of the printed tables, in walk order. */
struct labels {
	char *v[128];
	size_t n;
	const char *keys[128];
	size_t nkeys;
};

static void rec_row(void *ctx, const struct tw_table *t, const struct tw_row *row)
{
	struct labels *l = ctx;
	if (t->t->layout == TMPL_GRID)
		l->v[l->n++] = strdup(row->label);
	l->keys[l->nkeys++] = row->key;
}

static const struct render_ops rec_ops = {.figures = true, .row_begin = rec_row};

/* Each needle found after the one before it. */
static void assert_in_order(const char *hay, char *const *needles, size_t n, const char *what)
{
	const char *p = hay;
	for (size_t i = 0; i < n; i++) {
		const char *q = strstr(p, needles[i]);
		if (!q)
			fail_msg("%s: row label \"%s\" (%zu of %zu) missing or out of order", what,
				 needles[i], i + 1, n);
		p = q + strlen(needles[i]);
	}
}

TEST(test_every_renderer_has_the_templates_rows_in_order)
{
	int years[] = {2019, 2021};
	for (int y = 0; y < 2; y++) {
		struct report *r = consistent(years[y]);
		struct labels l = {0};
		assert_int_equal(tmpl_walk(r, &rec_ops, &l), 0);
		/* Rows of the printed grids of 二 and 三: 2019 8 + 23, 2021 6 + 25. */
		assert_int_equal(l.n, 31);
		void (*printed[])(const struct report *, FILE *) = {render_text, render_markdown,
								    render_html};
		const char *names[] = {"text", "markdown", "html"};
		for (size_t k = 0; k < 3; k++) {
			char *out = render_to_string(printed[k], r);
			assert_in_order(out, l.v, l.n, names[k]);
			free(out);
		}
		/* The data formats: every row key, in the same order. */
		char *csv = render_to_string(render_csv, r);
		char *keys[128];
		for (size_t i = 0; i < l.nkeys; i++) {
			keys[i] = malloc(strlen(l.keys[i]) + 3);
			sprintf(keys[i], ",%s,", l.keys[i]);
		}
		assert_in_order(csv, keys, l.nkeys, "csv");
		json_t *j = report_json(r);
		char *json = json_dumps(j, JSON_PRESERVE_ORDER);
		for (size_t i = 0; i < l.nkeys; i++)
			sprintf(keys[i], "\"%s\"", l.keys[i]);
		assert_in_order(json, keys, l.nkeys, "json");
		for (size_t i = 0; i < l.nkeys; i++)
			free(keys[i]);
		for (size_t i = 0; i < l.n; i++)
			free(l.v[i]);
		free(json);
		json_decref(j);
		free(csv);
		free(r);
	}
}

TEST(test_template_labels_differ_per_year)
{
	struct report *r19 = consistent(2019), *r21 = consistent(2021);
	char *t19 = render_to_string(render_text, r19), *t21 = render_to_string(render_text, r21);
	assert_has(t21, "\t行政规范性文件\t");
	assert_lacks(t21, "\t规范性文件\t");
	assert_has(t19, "\t规范性文件\t");
	assert_has(t19, "\t（六）其他处理\t");
	assert_lacks(t19, "3.其他");
	assert_has(t21, "\t\t3.其他\t");
	assert_lacks(t21, "第二十条第（九）项");
	free(t19);
	free(t21);
	free(r19);
	free(r21);
}

static void csv_tables(const struct report *r, FILE *out)
{
	struct csv_opts o = {false, CSV_TABLES};
	render_csv_opts(r, out, &o);
}

/* Template 2021's 行政规范性文件 in every printed format, not only text
 * (issue 10, defect 2). */
TEST(test_2021_normative_label_in_text_markdown_html)
{
	struct report *r21 = consistent(2021), *r19 = consistent(2019);
	void (*fns[])(const struct report *, FILE *) = {render_text, render_markdown, render_html,
							 csv_tables};
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		char *o21 = render_to_string(fns[i], r21), *o19 = render_to_string(fns[i], r19);
		assert_has(o21, "行政规范性文件");
		/* Every 规范性文件 of 2021 is part of 行政规范性文件. */
		for (const char *p = o21; (p = strstr(p, "规范性文件")); p++)
			assert_true(p - o21 >= 6 && !memcmp(p - 6, "行政", 6));
		assert_has(o19, "规范性文件");
		assert_lacks(o19, "行政规范性文件");
		free(o21);
		free(o19);
	}
	free(r21);
	free(r19);
}

/* Amounts carry the template's unit, 万元, in every printed format's
 * header: 采购总金额 (2019) and 本年收费金额 (2021) (issue 10, defect 5). */
TEST(test_amount_columns_say_wan_yuan)
{
	struct report *r21 = consistent(2021), *r19 = consistent(2019);
	void (*fns[])(const struct report *, FILE *) = {render_text, render_markdown, render_html,
							 csv_tables};
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		char *o21 = render_to_string(fns[i], r21), *o19 = render_to_string(fns[i], r19);
		assert_has(o19, "采购总金额（单位：万元）");
		assert_has(o21, "本年收费金额（单位：万元）");
		free(o21);
		free(o19);
	}
	free(r21);
	free(r19);
}

/* ---- 数据检查: the checks as the documents print them ---------------------- */

/* A report whose checks are in all three states: s4.totals failed, the
 * carry-over not made (no report of last year stored), the rest hold. */
static struct report *three_states(void)
{
	struct report *r = consistent(2021);
	r->prev_stored = false;
	r->s4_sql_total[0] = 4;
	report_check(r);
	return r;
}

#define FAILED_LINE "✗ 不成立　行政复议、行政诉讼的总计等于各项结果之和（s4.totals：reconsideration: 3 != 4）"
#define NOT_CHECKED_LINE "— 未检查　上年结转申请数等于上一年度报告的结转下年度继续办理数" \
	"（s3.carry_over：not checked: no report of 2020 stored）"
#define HOLDS_LINE "✓ 成立　申请情况勾稽关系：第一项加第二项之和等于第三项加第四项之和" \
	"（s3.balance：row 1 + row 2 = row 3.7 + row 4 in every column）"

/* A copy of text from mark on, or NULL. */
__attribute__((noinline)) static char *tail_from(const char *text, const char *mark)
{
	const char *p = strstr(text, mark);
	return p ? strdup(p) : NULL;
}

/* Text, Markdown, HTML and both CSV layouts print every check with its
 * state in Chinese, after the signature, under a heading that says it is
 * not part of the report. */
TEST(test_checks_printed_after_the_signature_in_every_text_format)
{
	struct report *r = three_states();
	void (*fns[])(const struct report *, FILE *) = {render_text, render_markdown, render_html,
							 csv_tables};
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		char *o = render_to_string(fns[i], r);
		char *block = tail_from(o, "附：数据检查");
		assert_non_null(block);
		/* After the report's last heading (CSV tables: the last section
		 * with a table) and its signature. */
		const char *last = fns[i] == csv_tables ? "四、政府信息公开行政复议、行政诉讼情况"
							: "六、其他需要报告的事项";
		assert_has(o, last);
		assert_lacks(block, last);
		assert_lacks(block, "某局");
		assert_has(block, "不属于年度报告正文");
		/* published.unchanged: no report of the year stored either. */
		assert_has(block, "共6项：成立3项，不成立1项，未检查2项。");
		if (fns[i] == csv_tables) {
			assert_has(block, "✗ 不成立,行政复议、行政诉讼的总计等于各项结果之和,s4.totals,"
				   "reconsideration: 3 != 4\r\n");
			assert_has(block, "— 未检查,上年结转申请数等于上一年度报告的结转下年度继续办理数,"
				   "s3.carry_over,not checked: no report of 2020 stored\r\n");
			assert_has(block, "✓ 成立,申请情况勾稽关系");
		} else {
			assert_has(block, FAILED_LINE);
			assert_has(block, NOT_CHECKED_LINE);
			assert_has(block, HOLDS_LINE);
		}
		free(block);
		free(o);
	}
	char *csv = render_to_string(render_csv, r);
	assert_has(csv, "a,2021,2021,checks,checks,s4.totals,state,failed\r\n");
	assert_has(csv, "a,2021,2021,checks,checks,s3.carry_over,state,not_checked\r\n");
	assert_has(csv, "a,2021,2021,checks,checks,s3.balance,state,holds\r\n");
	assert_has(csv, "a,2021,2021,checks,checks,s4.totals,result,✗ 不成立\r\n");
	assert_has(csv, "a,2021,2021,checks,checks,s3.carry_over,label,上年结转申请数");
	assert_has(csv, "a,2021,2021,checks,checks,s4.totals,where,reconsideration: 3 != 4\r\n");
	free(csv);
	free(r);
}

TEST(test_checks_never_leaves_every_document_without_them)
{
	struct report *r = three_states();
	r->print_checks = CHECKS_NEVER;
	void (*fns[])(const struct report *, FILE *) = {render_text, render_markdown, render_html,
							 csv_tables, render_csv};
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		char *o = render_to_string(fns[i], r);
		assert_lacks(o, "数据检查");
		assert_lacks(o, "s4.totals");
		free(o);
	}
	free(r);
}

static void no_check(void *ctx, const struct tw_checks *c, const struct tw_check *k)
{
	(void)ctx;
	(void)c;
	(void)k;
}

/* Word and PDF are published as they are: with auto they carry the checks
 * only when one failed or was not made; always and never as said. */
TEST(test_published_documents_carry_checks_only_when_one_did_not_hold)
{
	const struct render_ops published = {.publishable = true, .check = no_check};
	const struct render_ops working = {.check = no_check};
	struct report *r = consistent(2021);
	report_check(r);
	assert_true(report_ok(r));
	assert_false(tmpl_checks_shown(r, &published));
	assert_true(tmpl_checks_shown(r, &working));
	r->print_checks = CHECKS_ALWAYS;
	assert_true(tmpl_checks_shown(r, &published));
	r->print_checks = CHECKS_NEVER;
	assert_false(tmpl_checks_shown(r, &working));
	free(r);

	r = consistent(2021);
	r->prev_stored = false; /* not made: shown, though the report passes */
	report_check(r);
	assert_true(report_ok(r));
	assert_true(tmpl_checks_shown(r, &published));
	free(r);

	r = consistent(2021);
	r->s4_sql_total[0] = 4; /* failed */
	report_check(r);
	assert_true(tmpl_checks_shown(r, &published));
	r->print_checks = CHECKS_NEVER;
	assert_false(tmpl_checks_shown(r, &published));
	free(r);
}

/* Every header row of the printed layout fills the table's width exactly,
 * merged cells (rowspan) counted in the rows they reach. */
struct grid {
	int width, rows;
	int used[8][64];
	const char *leaf[64]; /* the lowest header cell over each column */
	bool bad;
};

static void grid_table(void *ctx, const struct tw_table *t)
{
	struct grid *g = ctx;
	memset(g->used, 0, sizeof(g->used));
	g->rows = 0;
	memset(g->leaf, 0, sizeof(g->leaf));
	g->width = t->t->layout == TMPL_ONE_LINE ? (int)(t->nrows * t->ncols)
						 : t->t->heading_cols + (int)t->ncols;
}

static void grid_header(void *ctx, const struct tw_table *t, const struct tmpl_hcell *cells,
			size_t n)
{
	struct grid *g = ctx;
	int col = 0, row = g->rows++;
	for (size_t i = 0; i < n; i++) {
		while (col < 64 && g->used[row][col])
			col++;
		for (int dr = 0; dr < cells[i].rowspan && row + dr < 8; dr++)
			for (int dc = 0; dc < cells[i].colspan && col + dc < 64; dc++)
				g->used[row + dr][col + dc]++;
		for (int dc = 0; dc < cells[i].colspan && col + dc < 64; dc++)
			g->leaf[col + dc] = cells[i].label;
		col += cells[i].colspan;
	}
	for (int c = 0; c < 64; c++)
		if (g->used[row][c] != (c < g->width)) {
			print_error("%s header row %d: column %d covered %d times (width %d)\n",
				    t->t->key, row, c, g->used[row][c], g->width);
			g->bad = true;
		}
}

/* Under the header, each column's own label: the header says what the
 * columns are. */
static void grid_end(void *ctx, const struct tw_table *t)
{
	struct grid *g = ctx;
	int first = t->t->layout == TMPL_ONE_LINE ? 0 : t->t->heading_cols;
	for (int c = first; c < g->width; c++) {
		const char *want = t->col_label[(size_t)(c - first) % t->ncols];
		if (!g->leaf[c] || strcmp(g->leaf[c], want) != 0) {
			print_error("%s: header over column %d says %s, the column is %s\n",
				    t->t->key, c, g->leaf[c] ? g->leaf[c] : "nothing", want);
			g->bad = true;
		}
	}
}

static const struct render_ops grid_ops = {.table_begin = grid_table, .header_row = grid_header,
					   .table_end = grid_end};

TEST(test_header_cells_fill_every_table)
{
	int years[] = {2019, 2021};
	for (int y = 0; y < 2; y++) {
		struct report *r = consistent(years[y]);
		struct grid g = {0};
		assert_int_equal(tmpl_walk(r, &grid_ops, &g), 0);
		assert_false(g.bad);
		free(r);
	}
}

/* Row headings span exactly the rows under them. */
struct spans {
	int open, left[TMPL_HEADS];
	bool bad;
};

static void span_row(void *ctx, const struct tw_table *t, const struct tw_row *row)
{
	struct spans *s = ctx;
	(void)t;
	for (size_t k = 0; k < TMPL_HEADS; k++) {
		if (k < row->nheads && row->heads[k].opens) {
			s->bad |= s->left[k] != 0;
			s->left[k] = row->heads[k].rowspan;
		}
		if (k < row->nheads) {
			s->bad |= s->left[k] <= 0;
			s->left[k]--;
		} else {
			s->bad |= s->left[k] != 0;
		}
	}
	s->bad |= row->label_colspan < 1;
	if (s->bad && !s->open++)
		print_error("row %s: heading spans off\n", row->key);
}

static const struct render_ops span_ops = {.row_begin = span_row};

TEST(test_row_headings_span_their_rows)
{
	int years[] = {2019, 2021};
	for (int y = 0; y < 2; y++) {
		struct report *r = consistent(years[y]);
		struct spans s = {0};
		assert_int_equal(tmpl_walk(r, &span_ops, &s), 0);
		assert_false(s.bad);
		free(r);
	}
}

/* CSV for Excel: a byte order mark first; fields holding a quote, comma,
 * CR or LF quoted (RFC 4180); the tables layout with Chinese labels. */
TEST(test_csv_tables_quote_and_bom)
{
	struct report *r = consistent(2021);
	snprintf(r->name, sizeof(r->name), "某局\rX"); /* a CR alone needs quotes too */
	struct csv_opts o = {true, CSV_TABLES};
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	render_csv_opts(r, f, &o);
	fclose(f);
	assert_memory_equal(out, "\xef\xbb\xbf\"某局\rX\"\r\n", 3 + 12);
	assert_has(out, "\r\n三、收到和处理政府信息公开申请情况\r\n");
	assert_has(out, "\r\n三、本年度办理结果,（一）予以公开,,1,0,0,0,0,0,1\r\n");
	/* Section 四 on one line of 15 figures under its three header rows. */
	assert_has(out, "\r\n1,0,0,2,3,0,0,0,0,0,0,0,0,0,0\r\n");
	free(out);
	o = (struct csv_opts){false, CSV_LONG};
	snprintf(r->agency, sizeof(r->agency), "a,\"b\"");
	f = open_memstream(&out, &len);
	render_csv_opts(r, f, &o);
	fclose(f);
	assert_memory_equal(out, "agency,", 7);
	assert_has(out, "\r\n\"a,\"\"b\"\"\",2021,2021,1,overview,");
	free(out);
	free(r);
}

struct paras {
	char text[4][256];
	int n;
};

static void para(void *ctx, const struct tmpl_section *s, const char *text)
{
	struct paras *p = ctx;
	if (s->text == TMPL_TEXT_OVERVIEW && p->n < 4)
		snprintf(p->text[p->n++], sizeof(p->text[0]), "%s", text);
}

/* Section 一's narrative: a paragraph per line, placeholders by Chinese
 * name or English key replaced by the figures the tables hold. */
TEST(test_overview_paragraphs_fill_placeholders)
{
	struct report *r = consistent(2021);
	r->one = strdup("{年度}年收到{申请总数}件，办结{applications_answered}件。\n\n"
			"复议{行政复议数}件，受理率{受理率}，{未知}。");
	snprintf(r->date, sizeof(r->date), "2022年1月5日");
	struct paras p = {0};
	struct render_ops ops = {.paragraph = para};
	assert_int_equal(tmpl_walk(r, &ops, &p), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.text[0], "2021年收到3件，办结2件。");
	assert_string_equal(p.text[1], "复议3件，受理率—，{未知}。");
	assert_true(tmpl_placeholder_known("litigations", 11));
	assert_false(tmpl_placeholder_known("未知", strlen("未知")));
	char *text = render_to_string(render_text, r);
	assert_has(text, "\n某局\n2022年1月5日\n");
	free(text);
	free(r->one);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_consistent_report_passes_every_identity),
		cmocka_unit_test(test_unbalanced_column_fails_balance_naming_the_column),
		cmocka_unit_test(test_answer_outside_template_rows_fails_results_total),
		cmocka_unit_test(test_total_column_off_fails_columns_total_naming_the_row),
		cmocka_unit_test(test_section4_total_off_fails_naming_the_route),
		cmocka_unit_test(test_carry_over_differing_from_last_year_fails),
		cmocka_unit_test(test_carry_over_without_last_years_report_is_not_checked),
		cmocka_unit_test(test_plain_3_6_in_template_2021_fails_naming_the_cases),
		cmocka_unit_test(test_2021_normative_label_in_text_markdown_html),
		cmocka_unit_test(test_amount_columns_say_wan_yuan),
		cmocka_unit_test(test_csv_has_one_row_per_cell_of_the_template),
		cmocka_unit_test(test_json_amounts_stay_exact_strings),
		cmocka_unit_test(test_rollup_adds_amounts_exactly),
		cmocka_unit_test(test_amounts_print_every_digit_in_every_format),
		cmocka_unit_test(test_checks_printed_after_the_signature_in_every_text_format),
		cmocka_unit_test(test_checks_never_leaves_every_document_without_them),
		cmocka_unit_test(test_published_documents_carry_checks_only_when_one_did_not_hold),
		cmocka_unit_test(test_html_keeps_a_long_paragraph_whole_and_escaped),
		cmocka_unit_test(test_checks_beyond_the_limit_fail_the_report),
		cmocka_unit_test(test_failing_check_after_many_is_kept),
		cmocka_unit_test(test_published_unchanged_names_each_changed_cell),
		cmocka_unit_test(test_published_unchanged_counts_cells_beyond_the_message),
		cmocka_unit_test(test_data_checks_name_the_case_and_stay_off_the_rollup),
		cmocka_unit_test(test_contradicted_opening_balance_fails_naming_the_lines),
		cmocka_unit_test(test_long_check_message_is_cut_on_a_character_boundary),
		cmocka_unit_test(test_every_renderer_has_the_templates_rows_in_order),
		cmocka_unit_test(test_template_labels_differ_per_year),
		cmocka_unit_test(test_header_cells_fill_every_table),
		cmocka_unit_test(test_row_headings_span_their_rows),
		cmocka_unit_test(test_csv_tables_quote_and_bom),
		cmocka_unit_test(test_overview_paragraphs_fill_placeholders),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
