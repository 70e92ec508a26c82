/* disclosure.newmedia.snapshot: audience of a new-media account. */
#include "testutil.h"

#include "kinds.h"

static const struct lineage LIN = LINEAGE("disclosure.newmedia", 5, 900);

static const char SNAPSHOT[] =
	"{\"specversion\":\"1.0\",\"id\":\"nm-wx-2020-12-31\",\"source\":\"/newmedia/wechat\","
	"\"type\":\"disclosure.newmedia.snapshot\",\"time\":\"2020-12-31T23:59:00+08:00\","
	"\"subject\":\"wechat-ydxf\",\"agency\":\"yaodu-xinfang\","
	"\"data\":{\"views_total\":4585,\"followers\":733,\"name\":\"尧都阳光信访\"}}";

TEST(test_snapshot_writes_normalized_row)
{
	check_row(SNAPSHOT, "disclosure.newmedia.snapshot", &LIN,
		  "/newmedia/wechat\tnm-wx-2020-12-31\tyaodu-xinfang\twechat-ydxf\t"
		  "2020-12-31 15:59:00.000000+00\t4585\t733\t尧都阳光信访\t"
		  "disclosure.newmedia\t5\t900");
}

TEST(test_snapshot_without_name_writes_null)
{
	check_row("{\"specversion\":\"1.0\",\"id\":\"nm-wb-1\",\"source\":\"/newmedia/weibo\","
		  "\"type\":\"disclosure.newmedia.snapshot\",\"time\":\"2021-01-01T00:00:00Z\","
		  "\"subject\":\"weibo-ydxf\",\"agency\":\"yaodu-xinfang\","
		  "\"data\":{\"followers\":0,\"views_total\":0}}",
		  "disclosure.newmedia.snapshot", &LIN,
		  "/newmedia/weibo\tnm-wb-1\tyaodu-xinfang\tweibo-ydxf\t"
		  "2021-01-01 00:00:00.000000+00\t0\t0\t\\N\t"
		  "disclosure.newmedia\t5\t900");
}

TEST(test_snapshot_example_decodes) { check_example(&kind_newmedia_snapshot); }

TEST(test_snapshot_without_views_total_is_missing_field)
{
	check_missing(SNAPSHOT, "views_total");
	check_null_is_missing(SNAPSHOT, "views_total");
}

TEST(test_snapshot_without_followers_is_missing_field)
{
	check_missing(SNAPSHOT, "followers");
	check_null_is_missing(SNAPSHOT, "followers");
}

TEST(test_snapshot_with_wrong_types_is_bad_field)
{
	check_bad(SNAPSHOT, "views_total", json_string("4585"), "must be an integer");
	check_bad(SNAPSHOT, "followers", json_real(733.5), "must be an integer");
	check_bad(SNAPSHOT, "followers", json_false(), "must be an integer");
	check_bad(SNAPSHOT, "name", json_integer(1), "must be a string");
}

TEST(test_snapshot_negative_counts_are_bad_field)
{
	check_bad(SNAPSHOT, "views_total", json_integer(-1), "data.views_total=-1 is outside 0..");
	check_bad(SNAPSHOT, "followers", json_integer(-733), "data.followers=-733 is outside 0..");
}

TEST(test_snapshot_counts_up_to_9e18_are_accepted_and_written_in_full)
{
	check_value(SNAPSHOT, "views_total", json_integer(INT64_BIG), "9000000000000000000");
	check_value(SNAPSHOT, "followers", json_integer(INT64_BIG), "9000000000000000000");
	check_bad(SNAPSHOT, "views_total", json_integer(INT64_BIG + 1),
		  "data.views_total=9000000000000000001 is outside 0..9000000000000000000");
	check_bad(SNAPSHOT, "followers", json_integer(INT64_MAX), "9223372036854775807");
}

TEST(test_snapshot_name_must_be_1_to_128_characters)
{
	check_bad(SNAPSHOT, "name", json_string(""), "(got 0)");
	check_bad(SNAPSHOT, "name", tu_repeat('n', 129), "1..128 characters");
}

TEST(test_snapshot_with_unknown_member_is_unknown_field)
{
	check_unknown(SNAPSHOT, "views");
	check_unknown(SNAPSHOT, "fans");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snapshot_writes_normalized_row),
		cmocka_unit_test(test_snapshot_without_name_writes_null),
		cmocka_unit_test(test_snapshot_example_decodes),
		cmocka_unit_test(test_snapshot_without_views_total_is_missing_field),
		cmocka_unit_test(test_snapshot_without_followers_is_missing_field),
		cmocka_unit_test(test_snapshot_with_wrong_types_is_bad_field),
		cmocka_unit_test(test_snapshot_negative_counts_are_bad_field),
		cmocka_unit_test(test_snapshot_counts_up_to_9e18_are_accepted_and_written_in_full),
		cmocka_unit_test(test_snapshot_name_must_be_1_to_128_characters),
		cmocka_unit_test(test_snapshot_with_unknown_member_is_unknown_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
