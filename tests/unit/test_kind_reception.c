/* disclosure.reception.held: leader reception sessions. */
#include "testutil.h"

#include "kinds.h"

static const struct lineage LIN = LINEAGE("disclosure.receptions", 0, 17);

static const char HELD[] =
	"{\"specversion\":\"1.0\",\"id\":\"rc-2020-017\",\"source\":\"/reception-office\","
	"\"type\":\"disclosure.reception.held\",\"time\":\"2020-05-12T09:00:00+08:00\","
	"\"subject\":\"RC2020-017\",\"agency\":\"yaodu-xinfang\","
	"\"data\":{\"leader\":\"deputy director\",\"visitors\":6,"
	"\"location\":\"reception hall\"}}";

TEST(test_held_writes_normalized_row)
{
	check_row(HELD, "disclosure.reception.held", &LIN,
		  "/reception-office\trc-2020-017\tyaodu-xinfang\tRC2020-017\t"
		  "2020-05-12 01:00:00.000000+00\tdeputy director\t6\treception hall\t"
		  "disclosure.receptions\t0\t17");
}

TEST(test_held_without_location_writes_null)
{
	check_row("{\"specversion\":\"1.0\",\"id\":\"rc-2020-018\",\"source\":\"/reception-office\","
		  "\"type\":\"disclosure.reception.held\",\"time\":\"2020-05-19T09:00:00+08:00\","
		  "\"subject\":\"RC2020-018\",\"agency\":\"yaodu-xinfang\","
		  "\"data\":{\"visitors\":0,\"leader\":\"director\"}}",
		  "disclosure.reception.held", &LIN,
		  "/reception-office\trc-2020-018\tyaodu-xinfang\tRC2020-018\t"
		  "2020-05-19 01:00:00.000000+00\tdirector\t0\t\\N\t"
		  "disclosure.receptions\t0\t17");
}

TEST(test_held_example_decodes) { check_example(&kind_reception_held); }

TEST(test_held_without_leader_is_missing_field)
{
	check_missing(HELD, "leader");
	check_null_is_missing(HELD, "leader");
}

TEST(test_held_without_visitors_is_missing_field)
{
	check_missing(HELD, "visitors");
	check_null_is_missing(HELD, "visitors");
}

TEST(test_held_with_non_string_leader_is_bad_field)
{
	check_bad(HELD, "leader", json_integer(3), "must be a string");
	check_bad(HELD, "leader", json_pack("{ss}", "name", "x"), "must be a string");
}

TEST(test_held_with_non_integer_visitors_is_bad_field)
{
	check_bad(HELD, "visitors", json_string("6"), "must be an integer");
	check_bad(HELD, "visitors", json_real(6.0), "must be an integer");
	check_bad(HELD, "visitors", json_real(6.5), "must be an integer");
	check_bad(HELD, "visitors", json_true(), "must be an integer");
}

TEST(test_held_with_non_string_location_is_bad_field)
{
	check_bad(HELD, "location", json_integer(101), "must be a string");
}

TEST(test_held_visitors_outside_0_to_100000_is_bad_field)
{
	check_bad(HELD, "visitors", json_integer(-1), "data.visitors=-1 is outside 0..100000");
	check_bad(HELD, "visitors", json_integer(100001),
		  "data.visitors=100001 is outside 0..100000");
	check_value(HELD, "visitors", json_integer(0), "0");
	check_value(HELD, "visitors", json_integer(100000), "100000");
}

TEST(test_held_leader_length_is_counted_in_characters)
{
	/* 64 CJK characters are 192 bytes and fit; 65 do not. The limit counts
	 * characters, as JSON Schema's maxLength does. */
	char ok[256] = "", bad[256] = "";
	for (int i = 0; i < 64; i++)
		strcat(ok, "局");
	strcpy(bad, ok);
	strcat(bad, "长");
	check_value(HELD, "leader", json_string(ok), ok);
	check_bad(HELD, "leader", json_string(bad), "1..64 characters of text (got 65)");
	check_bad(HELD, "leader", json_string(""), "(got 0)");
}

TEST(test_held_location_longer_than_128_bytes_is_bad_field)
{
	check_bad(HELD, "location", tu_repeat('l', 129), "1..128 characters");
}

TEST(test_held_with_unknown_member_is_unknown_field)
{
	check_unknown(HELD, "visitor");
	check_unknown(HELD, "petitioner_name");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_held_writes_normalized_row),
		cmocka_unit_test(test_held_without_location_writes_null),
		cmocka_unit_test(test_held_example_decodes),
		cmocka_unit_test(test_held_without_leader_is_missing_field),
		cmocka_unit_test(test_held_without_visitors_is_missing_field),
		cmocka_unit_test(test_held_with_non_string_leader_is_bad_field),
		cmocka_unit_test(test_held_with_non_integer_visitors_is_bad_field),
		cmocka_unit_test(test_held_with_non_string_location_is_bad_field),
		cmocka_unit_test(test_held_visitors_outside_0_to_100000_is_bad_field),
		cmocka_unit_test(test_held_leader_length_is_counted_in_characters),
		cmocka_unit_test(test_held_location_longer_than_128_bytes_is_bad_field),
		cmocka_unit_test(test_held_with_unknown_member_is_unknown_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
