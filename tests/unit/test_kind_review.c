/* disclosure.review.filed and .decided: reconsideration and litigation. */
#include "testutil.h"

#include "kinds.h"

static const struct lineage LIN = LINEAGE("disclosure.reviews", 0, 3);

#define ENVELOPE(id, type, time)                                                  \
	"{\"specversion\":\"1.0\",\"id\":\"" id "\",\"source\":\"/legal-affairs\","     \
	"\"type\":\"disclosure.review." type "\",\"time\":\"" time "\","              \
	"\"subject\":\"RV2021-002\",\"agency\":\"yaodu-xinfang\""
#define ROW_HEAD(id, utc) "/legal-affairs\t" id "\tyaodu-xinfang\tRV2021-002\t" utc "\t"
#define ROW_TAIL "\tdisclosure.reviews\t0\t3"

/* ---- disclosure.review.filed --------------------------------------------- */

static const char FILED[] =
	ENVELOPE("rv-2021-002-f", "filed", "2021-07-01T09:00:00+08:00")
	",\"data\":{\"route\":\"litigation_after_reconsideration\"}}";

TEST(test_filed_writes_normalized_row)
{
	check_row(FILED, "disclosure.review.filed", &LIN,
		  ROW_HEAD("rv-2021-002-f", "2021-07-01 01:00:00.000000+00")
		  "litigation_after_reconsideration" ROW_TAIL);
}

TEST(test_filed_example_decodes) { check_example(&kind_review_filed); }

TEST(test_filed_without_route_is_missing_field)
{
	check_missing(FILED, "route");
	check_null_is_missing(FILED, "route");
}

TEST(test_filed_with_non_string_route_is_bad_field)
{
	check_bad(FILED, "route", json_integer(1), "one of the listed strings");
	check_bad(FILED, "route", json_true(), "one of the listed strings");
}

TEST(test_filed_with_route_not_allowed_is_bad_field)
{
	check_bad(FILED, "route", json_string("appeal"), "data.route=\"appeal\" is not an allowed value");
	check_bad(FILED, "route", json_string("litigation"), "\"litigation\"");
}

TEST(test_filed_accepts_every_route)
{
	static const char *const routes[] = {"reconsideration", "litigation_direct",
					     "litigation_after_reconsideration"};
	for (size_t i = 0; i < 3; i++)
		check_value(FILED, "route", json_string(routes[i]), routes[i]);
}

TEST(test_filed_with_unknown_member_is_unknown_field)
{
	check_unknown(FILED, "court");
}

/* ---- disclosure.review.decided ------------------------------------------- */

static const char DECIDED[] =
	ENVELOPE("rv-2021-002-d", "decided", "2021-09-15T15:00:00+08:00")
	",\"data\":{\"outcome\":\"corrected\"}}";

TEST(test_decided_writes_normalized_row)
{
	check_row(DECIDED, "disclosure.review.decided", &LIN,
		  ROW_HEAD("rv-2021-002-d", "2021-09-15 07:00:00.000000+00") "corrected" ROW_TAIL);
}

TEST(test_decided_example_decodes) { check_example(&kind_review_decided); }

TEST(test_decided_without_outcome_is_missing_field)
{
	check_missing(DECIDED, "outcome");
	check_null_is_missing(DECIDED, "outcome");
}

TEST(test_decided_with_non_string_outcome_is_bad_field)
{
	check_bad(DECIDED, "outcome", json_integer(0), "one of the listed strings");
}

TEST(test_decided_with_outcome_not_allowed_is_bad_field)
{
	check_bad(DECIDED, "outcome", json_string("dismissed"),
		  "data.outcome=\"dismissed\" is not an allowed value");
	check_bad(DECIDED, "outcome", json_string("UPHELD"), "\"UPHELD\"");
}

TEST(test_decided_accepts_every_outcome)
{
	static const char *const outcomes[] = {"upheld", "corrected", "other"};
	for (size_t i = 0; i < 3; i++)
		check_value(DECIDED, "outcome", json_string(outcomes[i]), outcomes[i]);
}

TEST(test_decided_with_unknown_member_is_unknown_field)
{
	check_unknown(DECIDED, "route");
}

/* A decision may arrive before its filing; each decodes alone. */
TEST(test_decided_decodes_before_filed_the_same_as_after)
{
	struct tev d1, f, d2;
	tev_decode_str(&d1, DECIDED);
	tev_decode_str(&f, FILED);
	tev_decode_str(&d2, DECIDED);
	assert_decodes(&d1);
	assert_decodes(&f);
	assert_decodes(&d2);
	assert_string_equal(tev_row(&d1, &LIN), tev_row(&d2, &LIN));
	tev_free(&d1);
	tev_free(&f);
	tev_free(&d2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filed_writes_normalized_row),
		cmocka_unit_test(test_filed_example_decodes),
		cmocka_unit_test(test_filed_without_route_is_missing_field),
		cmocka_unit_test(test_filed_with_non_string_route_is_bad_field),
		cmocka_unit_test(test_filed_with_route_not_allowed_is_bad_field),
		cmocka_unit_test(test_filed_accepts_every_route),
		cmocka_unit_test(test_filed_with_unknown_member_is_unknown_field),
		cmocka_unit_test(test_decided_writes_normalized_row),
		cmocka_unit_test(test_decided_example_decodes),
		cmocka_unit_test(test_decided_without_outcome_is_missing_field),
		cmocka_unit_test(test_decided_with_non_string_outcome_is_bad_field),
		cmocka_unit_test(test_decided_with_outcome_not_allowed_is_bad_field),
		cmocka_unit_test(test_decided_accepts_every_outcome),
		cmocka_unit_test(test_decided_with_unknown_member_is_unknown_field),
		cmocka_unit_test(test_decided_decodes_before_filed_the_same_as_after),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
