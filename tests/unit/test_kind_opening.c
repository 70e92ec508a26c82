/* disclosure.opening.stated: one line of an agency's position at go-live,
 * and the rules on which qualifier each balance needs. */
#include "testutil.h"

#include "kinds.h"

static const struct lineage LIN = LINEAGE("disclosure.stats", 0, 7);

#define EVENT(id, subject, data)                                                  \
	"{\"specversion\":\"1.0\",\"id\":\"" id "\",\"source\":\"/go-live\","          \
	"\"type\":\"disclosure.opening.stated\",\"time\":\"2027-01-04T09:00:00+08:00\"," \
	"\"subject\":\"" subject "\",\"agency\":\"yaodu-xinfang\",\"data\":" data "}"
#define ROW(id, subject, cols) \
	"/go-live\t" id "\tyaodu-xinfang\t" subject "\t2027-01-04 01:00:00.000000+00\t" \
	"2026-12-31 16:00:00.000000+00\t" cols "\tdisclosure.stats\t0\t7"
#define AS_OF "\"as_of\":\"2027-01-01T00:00:00+08:00\","

static const char APPS[] =
	EVENT("op-1", "open_applications/natural_person",
	      "{" AS_OF "\"balance\":\"open_applications\",\"applicant_class\":\"natural_person\","
	      "\"count\":3}");
static const char NAMED_APP[] =
	EVENT("op-2", "open_applications/AP2026-0107",
	      "{" AS_OF "\"balance\":\"open_applications\",\"applicant_class\":\"other_org\","
	      "\"item\":\"AP2026-0107\"}");
static const char REVIEWS[] =
	EVENT("op-3", "open_reviews/reconsideration",
	      "{" AS_OF "\"balance\":\"open_reviews\",\"route\":\"reconsideration\",\"count\":1}");
static const char DOCS[] =
	EVENT("op-4", "documents_in_force/normative_document",
	      "{" AS_OF "\"balance\":\"documents_in_force\",\"category\":\"normative_document\","
	      "\"count\":12}");
static const char VIEWS[] =
	EVENT("op-5", "newmedia_views/wechat-ydxf",
	      "{" AS_OF "\"balance\":\"newmedia_views\",\"account\":\"wechat-ydxf\","
	      "\"count\":120000}");

TEST(test_stated_lines_write_normalized_rows)
{
	check_row(APPS, "disclosure.opening.stated", &LIN,
		  ROW("op-1", "open_applications/natural_person",
		      "open_applications\tnatural_person\t\\N\t\\N\t\\N\t\\N\t3"));
	check_row(NAMED_APP, "disclosure.opening.stated", &LIN,
		  ROW("op-2", "open_applications/AP2026-0107",
		      "open_applications\tother_org\t\\N\t\\N\t\\N\tAP2026-0107\t\\N"));
	check_row(REVIEWS, "disclosure.opening.stated", &LIN,
		  ROW("op-3", "open_reviews/reconsideration",
		      "open_reviews\t\\N\treconsideration\t\\N\t\\N\t\\N\t1"));
	check_row(DOCS, "disclosure.opening.stated", &LIN,
		  ROW("op-4", "documents_in_force/normative_document",
		      "documents_in_force\t\\N\t\\N\tnormative_document\t\\N\t\\N\t12"));
	check_row(VIEWS, "disclosure.opening.stated", &LIN,
		  ROW("op-5", "newmedia_views/wechat-ydxf",
		      "newmedia_views\t\\N\t\\N\t\\N\twechat-ydxf\t\\N\t120000"));
}

TEST(test_stated_example_decodes) { check_example(&kind_opening_stated); }

TEST(test_stated_without_as_of_or_balance_is_missing_field)
{
	check_missing(APPS, "as_of");
	check_null_is_missing(APPS, "as_of");
	check_missing(APPS, "balance");
	check_null_is_missing(APPS, "balance");
}

/* A go-live without its offset could not be put in a year. */
TEST(test_stated_as_of_is_an_rfc3339_time_in_utc)
{
	check_bad_time(APPS, "as_of", json_string("2027-01-01T00:00:00"), NULL);
	check_bad_time(APPS, "as_of", json_string("2027-02-30T00:00:00Z"), NULL);
	check_value(APPS, "as_of", json_string("2026-12-31T16:00:00Z"),
		    "2026-12-31 16:00:00.000000+00");
}

TEST(test_stated_enums_refuse_other_values)
{
	check_bad(APPS, "balance", json_string("open_complaints"), "is not an allowed value");
	check_bad(APPS, "applicant_class", json_string("company"), "is not an allowed value");
	check_bad(REVIEWS, "route", json_string("appeal"), "is not an allowed value");
	/* Only section 二 art. 20 (1)'s two rows have documents in force. */
	check_bad(DOCS, "category", json_string("work_news"), "is not an allowed value");
}

TEST(test_stated_count_is_0_or_more)
{
	check_bad(APPS, "count", json_integer(-1), "data.count=-1 is outside 0..");
	check_bad(APPS, "count", json_string("3"), "must be an integer");
	check_value(APPS, "count", json_integer(0), "0");
	check_value(VIEWS, "count", json_integer(9000000000000000000LL), "9000000000000000000");
}

TEST(test_stated_item_and_account_lengths)
{
	check_bad(NAMED_APP, "item", tu_repeat('a', 129), "1..128 characters");
	check_bad(VIEWS, "account", tu_repeat('a', 65), "1..64 characters");
	check_bad(NAMED_APP, "item", json_string(""), NULL);
}

/* ---- the cross-field rules ----------------------------------------------- */

static void check_rule(const char *base, const char *set, json_t *value, const char *del,
		       const char *field, const char *msg)
{
	struct tev t;
	json_t *ev = tu_parse(base);
	if (set)
		tu_data_set(ev, set, value);
	if (del)
		tu_data_del(ev, del);
	tev_decode_json(&t, ev);
	assert_rejected(&t, REASON_BAD_FIELD, field);
	assert_message_has(&t, msg);
	tev_free(&t);
}

TEST(test_stated_each_balance_needs_its_qualifier)
{
	check_rule(APPS, NULL, NULL, "applicant_class", "data.applicant_class",
		   "data.applicant_class is required when data.balance is \"open_applications\"");
	check_rule(REVIEWS, NULL, NULL, "route", "data.route",
		   "data.route is required when data.balance is \"open_reviews\"");
	check_rule(DOCS, NULL, NULL, "category", "data.category",
		   "data.category is required when data.balance is \"documents_in_force\"");
	check_rule(VIEWS, NULL, NULL, "account", "data.account",
		   "data.account is required when data.balance is \"newmedia_views\"");
}

/* A line with two qualifiers could be read as either: refused. */
TEST(test_stated_other_balances_qualifiers_are_refused)
{
	check_rule(APPS, "category", json_string("regulation"), NULL, "data.category",
		   "data.category is not allowed when data.balance is \"open_applications\"");
	check_rule(DOCS, "route", json_string("reconsideration"), NULL, "data.route",
		   "data.route is not allowed when data.balance is \"documents_in_force\"");
	check_rule(VIEWS, "applicant_class", json_string("natural_person"), NULL,
		   "data.applicant_class", "is not allowed when data.balance is \"newmedia_views\"");
	check_rule(REVIEWS, "account", json_string("wechat-ydxf"), NULL, "data.account",
		   "is not allowed when data.balance is \"open_reviews\"");
}

TEST(test_stated_without_count_or_item_is_bad_field_naming_count)
{
	check_rule(APPS, NULL, NULL, "count", "data.count", "data.count is required (or data.item)");
	check_rule(VIEWS, NULL, NULL, "count", "data.count", "data.count is required");
}

TEST(test_stated_named_line_is_one_item)
{
	check_rule(NAMED_APP, "count", json_integer(2), NULL, "data.count",
		   "data.count=2 must be 0 or 1 (or absent) when data.item names one open_applications line");
	check_value(NAMED_APP, "count", json_integer(1), "1");
	/* 0 takes back a line stated by mistake. */
	check_value(NAMED_APP, "count", json_integer(0), "0");
	/* Naming a document on a line that counts twelve is a contradiction. */
	check_rule(DOCS, "item", json_string("DOC-2019-3"), NULL, "data.count",
		   "data.count=12 must be 0 or 1 (or absent) when data.item names one "
		   "documents_in_force line");
	check_value(REVIEWS, "item", json_string("RV2026-004"), "RV2026-004");
}

/* An account's views are one figure; an item there would mean nothing. */
TEST(test_stated_views_line_refuses_item)
{
	check_rule(VIEWS, "item", json_string("post-1"), NULL, "data.item",
		   "data.item is not allowed when data.balance is \"newmedia_views\"");
}

TEST(test_stated_with_unknown_member_is_unknown_field)
{
	check_unknown(APPS, "applicant");
	check_unknown(VIEWS, "followers");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stated_lines_write_normalized_rows),
		cmocka_unit_test(test_stated_example_decodes),
		cmocka_unit_test(test_stated_without_as_of_or_balance_is_missing_field),
		cmocka_unit_test(test_stated_as_of_is_an_rfc3339_time_in_utc),
		cmocka_unit_test(test_stated_enums_refuse_other_values),
		cmocka_unit_test(test_stated_count_is_0_or_more),
		cmocka_unit_test(test_stated_item_and_account_lengths),
		cmocka_unit_test(test_stated_each_balance_needs_its_qualifier),
		cmocka_unit_test(test_stated_other_balances_qualifiers_are_refused),
		cmocka_unit_test(test_stated_without_count_or_item_is_bad_field_naming_count),
		cmocka_unit_test(test_stated_named_line_is_one_item),
		cmocka_unit_test(test_stated_views_line_refuses_item),
		cmocka_unit_test(test_stated_with_unknown_member_is_unknown_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
