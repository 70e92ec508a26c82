/* The report's identity checks and renderings, on figures built in memory:
 * each identity must catch the inconsistency it exists for, and say where. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

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

static void test_consistent_report_passes_every_identity(void **state)
{
	(void)state;
	struct report *r = consistent(2019);
	assert_true(report_check(r));
	assert_int_equal(r->nchecks, 5);
	free(r);
}

static void test_unbalanced_column_fails_balance_naming_the_column(void **state)
{
	(void)state;
	struct report *r = consistent(2019);
	r->s3[s3_index("1")][2] = 1; /* a research institution appears from nowhere */
	r->s3[s3_index("1")][S3_COLS - 1] += 1;
	r->s3_sql_total[s3_index("1")][S3_COLS - 1] += 1;
	assert_false(report_check(r));
	const struct check *c = find(r, "s3.balance");
	assert_false(c->holds);
	assert_non_null(strstr(c->where, "research_institution: 1 != 0"));
	assert_non_null(strstr(c->where, "total: 5 != 4"));
	free(r);
}

static void test_answer_outside_template_rows_fails_results_total(void **state)
{
	(void)state;
	struct report *r = consistent(2021);
	r->s3_sql_total[s3_index("3.7")][0] = 3; /* SQL saw three answers */
	assert_false(report_check(r));
	const struct check *c = find(r, "s3.results_total");
	assert_false(c->holds);
	assert_non_null(strstr(c->where, "natural_person: 2 != 3"));
	assert_non_null(strstr(c->where, "template 2021"));
	free(r);
}

static void test_total_column_off_fails_columns_total_naming_the_row(void **state)
{
	(void)state;
	struct report *r = consistent(2019);
	r->s3_sql_total[s3_index("4")][S3_COLS - 1] = 7;
	assert_false(report_check(r));
	assert_non_null(strstr(find(r, "s3.columns_total")->where, "row 4: 2 != 7"));
	free(r);
}

static void test_section4_total_off_fails_naming_the_route(void **state)
{
	(void)state;
	struct report *r = consistent(2019);
	r->s4_sql_total[0] = 4;
	assert_false(report_check(r));
	assert_non_null(strstr(find(r, "s4.totals")->where, "reconsideration: 3 != 4"));
	free(r);
}

static void test_carry_over_differing_from_last_year_fails(void **state)
{
	(void)state;
	struct report *r = consistent(2019);
	r->prev_row4[0] = 0;
	assert_false(report_check(r));
	const struct check *c = find(r, "s3.carry_over");
	assert_non_null(strstr(c->where, "natural_person: 1 != 0"));
	assert_non_null(strstr(c->where, "row 4 of the year before"));
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

static void test_csv_has_one_row_per_cell_of_the_template(void **state)
{
	(void)state;
	struct report *r = consistent(2021);
	char *csv = render_to_string(render_csv, r);
	size_t lines = 0;
	for (char *p = csv; *p; p++)
		lines += *p == '\n';
	/* header + 11 overview + section 二 (2021: 6 + 1 + 2 + 1) + section 三
	 * (2021: 25 rows x 7) + section 四 15 */
	assert_int_equal(lines, 1 + 11 + 10 + 25 * 7 + 15);
	assert_non_null(strstr(csv, "a,2021,2021,3,applications,3.1,natural_person,1\r\n"));
	assert_null(strstr(csv, ",3.6,"));
	free(csv);
	free(r);
}

static void test_json_amounts_stay_exact_strings(void **state)
{
	(void)state;
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

static void test_rollup_adds_amounts_exactly(void **state)
{
	(void)state;
	struct report *a = consistent(2021), *b = consistent(2021);
	a->ns2 = b->ns2 = 1;
	struct s2_cell cell = {"art20_8", "fee", "amount", "0.1"};
	a->s2[0] = cell;
	snprintf(cell.value, sizeof(cell.value), "0.2");
	b->s2[0] = cell;
	report_add(a, b);
	assert_string_equal(s2_value(a, "art20_8", "fee", "amount"), "0.3000");
	assert_int_equal(a->s3[s3_index("1")][0], 6);
	free(a);
	free(b);
}

static void test_html_keeps_a_long_paragraph_whole_and_escaped(void **state)
{
	(void)state;
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
	assert_non_null(strstr(out, want));
	free(want);
	free(out);
	free(r->five);
	free(r);
}

static void test_carry_over_without_last_years_report_is_not_checked(void **state)
{
	(void)state;
	struct report *r = consistent(2021);
	r->prev_stored = false;
	r->prev_row4[0] = 0; /* nothing stored: not compared */
	assert_true(report_check(r));
	const struct check *c = find(r, "s3.carry_over");
	assert_true(c->holds);
	assert_non_null(strstr(c->where, "not checked: no report of 2020 stored"));
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
		cmocka_unit_test(test_csv_has_one_row_per_cell_of_the_template),
		cmocka_unit_test(test_json_amounts_stay_exact_strings),
		cmocka_unit_test(test_rollup_adds_amounts_exactly),
		cmocka_unit_test(test_html_keeps_a_long_paragraph_whole_and_escaped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
