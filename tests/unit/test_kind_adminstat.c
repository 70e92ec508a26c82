/* disclosure.stats.reported: yearly figures of section 二, and the rules
 * on which figures each item needs. */
#include "testutil.h"

#include "kinds.h"

static const struct lineage LIN = LINEAGE("disclosure.stats", 0, 12);

#define EVENT(id, subject, data)                                                  \
	"{\"specversion\":\"1.0\",\"id\":\"" id "\",\"source\":\"/finance\","          \
	"\"type\":\"disclosure.stats.reported\",\"time\":\"2022-01-05T09:00:00+08:00\"," \
	"\"subject\":\"" subject "\",\"agency\":\"yaodu-xinfang\",\"data\":" data "}"
#define ROW(id, subject, cols) \
	"/finance\t" id "\tyaodu-xinfang\t" subject "\t2022-01-05 01:00:00.000000+00\t" \
	cols "\tdisclosure.stats\t0\t12"

static const char PERMIT[] =
	EVENT("st-2021-permit-1", "permit/2021",
	      "{\"year\":2021,\"item\":\"permit\",\"projects\":12,\"decisions\":3}");
static const char FEE[] =
	EVENT("st-2021-fee-1", "fee/2021", "{\"year\":2021,\"item\":\"fee\",\"amount\":\"12.3500\"}");
static const char PROCUREMENT[] =
	EVENT("st-2021-proc-1", "procurement/2021",
	      "{\"year\":2021,\"item\":\"procurement\",\"projects\":4,\"amount\":250}");

TEST(test_reported_permit_writes_normalized_row)
{
	check_row(PERMIT, "disclosure.stats.reported", &LIN,
		  ROW("st-2021-permit-1", "permit/2021", "2021\tpermit\t12\t3\t\\N"));
}

TEST(test_reported_fee_writes_decimal_amount_as_sent)
{
	check_row(FEE, "disclosure.stats.reported", &LIN,
		  ROW("st-2021-fee-1", "fee/2021", "2021\tfee\t\\N\t\\N\t12.3500"));
}

TEST(test_reported_procurement_writes_integer_amount)
{
	check_row(PROCUREMENT, "disclosure.stats.reported", &LIN,
		  ROW("st-2021-proc-1", "procurement/2021", "2021\tprocurement\t4\t\\N\t250"));
}

TEST(test_reported_example_decodes) { check_example(&kind_stats_reported); }

TEST(test_reported_without_year_is_missing_field)
{
	check_missing(PERMIT, "year");
	check_null_is_missing(PERMIT, "year");
}

TEST(test_reported_without_item_is_missing_field)
{
	check_missing(PERMIT, "item");
	check_null_is_missing(PERMIT, "item");
}

TEST(test_reported_with_wrong_types_is_bad_field)
{
	check_bad(PERMIT, "year", json_string("2021"), "must be an integer");
	check_bad(PERMIT, "item", json_integer(5), "one of the listed strings");
	check_bad(PERMIT, "projects", json_string("12"), "must be an integer");
	check_bad(PERMIT, "decisions", json_real(1.5), "must be an integer");
	check_bad(FEE, "amount", json_true(), "decimal string");
	check_bad(FEE, "amount", json_pack("[s]", "12.35"), "decimal string");
}

TEST(test_reported_float_amount_is_refused_because_it_would_round)
{
	check_bad(FEE, "amount", json_real(12.35), "JSON floats would round");
}

TEST(test_reported_item_not_allowed_is_bad_field)
{
	check_bad(PERMIT, "item", json_string("grant"), "data.item=\"grant\" is not an allowed value");
}

TEST(test_reported_year_outside_1990_to_2199_is_bad_field)
{
	check_bad(PERMIT, "year", json_integer(1989), "data.year=1989 is outside 1990..2199");
	check_bad(PERMIT, "year", json_integer(2200), "data.year=2200 is outside 1990..2199");
	check_value(PERMIT, "year", json_integer(1990), "1990");
	check_value(PERMIT, "year", json_integer(2199), "2199");
}

TEST(test_reported_counts_outside_0_to_100000000_are_bad_field)
{
	check_bad(PERMIT, "projects", json_integer(-1), "data.projects=-1 is outside 0..100000000");
	check_bad(PERMIT, "projects", json_integer(100000001), "100000001");
	check_bad(PERMIT, "decisions", json_integer(-2), "data.decisions=-2 is outside 0..100000000");
	check_value(PERMIT, "projects", json_integer(100000000), "100000000");
	check_value(PERMIT, "decisions", json_integer(0), "0");
}

/* 万元 to the 分: 6 fraction digits, kept as sent (trailing zeros too: the
 * content digest is over the text). */
TEST(test_reported_amount_accepts_up_to_14_integer_and_6_fraction_digits)
{
	check_value(FEE, "amount", json_string("99999999999999.999999"), "99999999999999.999999");
	check_value(FEE, "amount", json_string("-99999999999999.999999"), "-99999999999999.999999");
	check_value(FEE, "amount", json_string("0.000001"), "0.000001");
	check_value(FEE, "amount", json_string("7380.28959"), "7380.28959");
	check_value(FEE, "amount", json_string("7380.289590"), "7380.289590");
	check_value(FEE, "amount", json_string("99999999999999.9999"), "99999999999999.9999");
	check_value(FEE, "amount", json_string("0"), "0");
	check_value(FEE, "amount", json_string("-0.5"), "-0.5");
	check_value(FEE, "amount", json_integer(99999999999999LL), "99999999999999");
	check_value(FEE, "amount", json_integer(-99999999999999LL), "-99999999999999");
}

TEST(test_reported_malformed_decimal_amount_is_bad_field)
{
	static const char *const bad[] = {
		"",  "12.", ".5",  "1e3", "+12", " 12", "12 ", "1,5", "0x10", "-", "12.3.4", "NaN"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check_bad(FEE, "amount", json_string(bad[i]), "is not a decimal");
}

/* Below the 分, or 10^14 万元 and more: refused with the counts, never
 * rounded or cut. */
TEST(test_reported_amount_with_too_many_digits_is_bad_field_saying_how_many)
{
	check_bad(FEE, "amount", json_string("7380.2895901"),
		  "data.amount=\"7380.2895901\" has 4 integer and 7 fraction digits "
		  "(at most 14 and 6: 万元 to the 分)");
	check_bad(FEE, "amount", json_string("123456789012345"),
		  "has 15 integer and 0 fraction digits");
	check_bad(FEE, "amount", json_string("-100000000000000.5"),
		  "has 15 integer and 1 fraction digits");
}

TEST(test_reported_integer_amount_over_14_digits_is_bad_field)
{
	check_bad(FEE, "amount", json_integer(100000000000000LL),
		  "data.amount=100000000000000 has more than 14 integer digits");
	check_bad(FEE, "amount", json_integer(-100000000000000LL), "more than 14 integer digits");
}

/* ---- the cross-field rule ------------------------------------------------- */

static void check_rule(const char *base, const char *item, const char *drop1,
		       const char *drop2, const char *field_prefix, const char *msg)
{
	struct tev t;
	json_t *ev = tu_parse(base);
	tu_data_set(ev, "item", json_string(item));
	if (drop1)
		json_object_del(tu_data(ev), drop1);
	if (drop2)
		json_object_del(tu_data(ev), drop2);
	tev_decode_json(&t, ev);
	assert_rejected(&t, REASON_BAD_FIELD, NULL);
	if (strncmp(t.e.field, field_prefix, strlen(field_prefix)) != 0)
		fail_msg("item %s: field \"%s\", expected \"%s...\"", item, t.e.field,
			 field_prefix);
	assert_message_has(&t, msg);
	char quoted[64];
	snprintf(quoted, sizeof(quoted), "data.item is \"%s\"", item);
	assert_message_has(&t, quoted);
	tev_free(&t);
}

static void check_accepted(const char *base, const char *item, const char *drop1,
			   const char *drop2)
{
	struct tev t;
	json_t *ev = tu_parse(base);
	tu_data_set(ev, "item", json_string(item));
	if (drop1)
		json_object_del(tu_data(ev), drop1);
	if (drop2)
		json_object_del(tu_data(ev), drop2);
	tev_decode_json(&t, ev);
	assert_decodes(&t);
	tev_free(&t);
}

TEST(test_reported_fee_without_amount_or_projects_is_bad_field_naming_amount)
{
	check_rule(FEE, "fee", "amount", "projects", "data.amount",
		   "data.amount or projects is required");
}

/* Template 2019 reports fees by 项目数量 (projects) rather than an amount. */
TEST(test_reported_fee_with_projects_and_no_amount_is_accepted)
{
	struct tev t;
	json_t *ev = tu_parse(FEE);
	json_object_del(tu_data(ev), "amount");
	tu_data_set(ev, "projects", json_integer(3));
	tev_decode_json(&t, ev);
	assert_decodes(&t);
	tev_free(&t);
}

TEST(test_reported_fee_does_not_need_projects_or_decisions)
{
	check_accepted(FEE, "fee", NULL, NULL);
}

TEST(test_reported_procurement_without_amount_is_bad_field_naming_amount)
{
	check_rule(PROCUREMENT, "procurement", "amount", NULL, "data.amount",
		   "data.amount is required");
}

TEST(test_reported_procurement_without_projects_is_bad_field_naming_projects)
{
	check_rule(PROCUREMENT, "procurement", "projects", NULL, "data.projects",
		   "data.projects is required");
	/* decisions do not stand in for projects here */
	struct tev t;
	json_t *ev = tu_parse(PROCUREMENT);
	tu_data_del(ev, "projects");
	tu_data_set(ev, "decisions", json_integer(4));
	tev_decode_json(&t, ev);
	assert_rejected(&t, REASON_BAD_FIELD, "data.projects");
	tev_free(&t);
}

TEST(test_reported_other_items_need_projects_or_decisions)
{
	static const char *const others[] = {"permit", "other_service", "punishment",
					     "coercion"};
	for (size_t i = 0; i < 4; i++) {
		check_rule(PERMIT, others[i], "projects", "decisions", "data.projects",
			   "decisions is required");
		check_accepted(PERMIT, others[i], "projects", NULL);
		check_accepted(PERMIT, others[i], "decisions", NULL);
	}
}

TEST(test_reported_amount_does_not_replace_projects_or_decisions)
{
	struct tev t;
	json_t *ev = tu_parse(PERMIT);
	tu_data_del(ev, "projects");
	tu_data_del(ev, "decisions");
	tu_data_set(ev, "amount", json_string("10"));
	tev_decode_json(&t, ev);
	assert_rejected(&t, REASON_BAD_FIELD, NULL);
	assert_message_has(&t, "data.projects");
	tev_free(&t);
}

TEST(test_reported_with_unknown_member_is_unknown_field)
{
	check_unknown(PERMIT, "project");
	check_unknown(FEE, "amount_wan_yuan");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reported_permit_writes_normalized_row),
		cmocka_unit_test(test_reported_fee_writes_decimal_amount_as_sent),
		cmocka_unit_test(test_reported_procurement_writes_integer_amount),
		cmocka_unit_test(test_reported_example_decodes),
		cmocka_unit_test(test_reported_without_year_is_missing_field),
		cmocka_unit_test(test_reported_without_item_is_missing_field),
		cmocka_unit_test(test_reported_with_wrong_types_is_bad_field),
		cmocka_unit_test(test_reported_float_amount_is_refused_because_it_would_round),
		cmocka_unit_test(test_reported_item_not_allowed_is_bad_field),
		cmocka_unit_test(test_reported_year_outside_1990_to_2199_is_bad_field),
		cmocka_unit_test(test_reported_counts_outside_0_to_100000000_are_bad_field),
		cmocka_unit_test(test_reported_amount_accepts_up_to_14_integer_and_6_fraction_digits),
		cmocka_unit_test(test_reported_malformed_decimal_amount_is_bad_field),
		cmocka_unit_test(test_reported_amount_with_too_many_digits_is_bad_field_saying_how_many),
		cmocka_unit_test(test_reported_integer_amount_over_14_digits_is_bad_field),
		cmocka_unit_test(test_reported_fee_without_amount_or_projects_is_bad_field_naming_amount),
		cmocka_unit_test(test_reported_fee_with_projects_and_no_amount_is_accepted),
		cmocka_unit_test(test_reported_fee_does_not_need_projects_or_decisions),
		cmocka_unit_test(test_reported_procurement_without_amount_is_bad_field_naming_amount),
		cmocka_unit_test(test_reported_procurement_without_projects_is_bad_field_naming_projects),
		cmocka_unit_test(test_reported_other_items_need_projects_or_decisions),
		cmocka_unit_test(test_reported_amount_does_not_replace_projects_or_decisions),
		cmocka_unit_test(test_reported_with_unknown_member_is_unknown_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
