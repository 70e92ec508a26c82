/* The complaint kinds: received, transferred, decided, closed. */
#include "testutil.h"

#include "kinds.h"

static const struct lineage LIN = LINEAGE("disclosure.complaints", 2, 1001);

#define ENVELOPE(id, type, time)                                                   \
	"{\"specversion\":\"1.0\",\"id\":\"" id "\",\"source\":\"/complaint-platform\"," \
	"\"type\":\"disclosure.complaint." type "\",\"time\":\"" time "\","            \
	"\"subject\":\"TS2020-000123\",\"agency\":\"yaodu-xinfang\""
#define ROW_HEAD(id, utc) "/complaint-platform\t" id "\tyaodu-xinfang\tTS2020-000123\t" utc "\t"
#define ROW_TAIL "\tdisclosure.complaints\t2\t1001"
/* complaint.received also has three personal fields, absent here. */
#define RECEIVED_TAIL "\t\\N\t\\N\t\\N" ROW_TAIL

/* ---- disclosure.complaint.received --------------------------------------- */

static const char RECEIVED[] =
	ENVELOPE("ts-1-r", "received", "2020-03-02T09:15:00+08:00")
	",\"data\":{\"channel\":\"phone\",\"category\":\"urban management\"}}";

TEST(test_received_with_all_fields_writes_normalized_row)
{
	check_row(RECEIVED, "disclosure.complaint.received", &LIN,
		  ROW_HEAD("ts-1-r", "2020-03-02 01:15:00.000000+00")
		  "phone\turban management" RECEIVED_TAIL);
}

TEST(test_received_without_category_writes_null)
{
	check_row(ENVELOPE("ts-1-r", "received", "2020-03-02T09:15:00+08:00")
		  ",\"data\":{\"channel\":\"online\"}}",
		  "disclosure.complaint.received", &LIN,
		  ROW_HEAD("ts-1-r", "2020-03-02 01:15:00.000000+00") "online\t\\N" RECEIVED_TAIL);
}

TEST(test_received_example_decodes) { check_example(&kind_complaint_received); }

TEST(test_received_without_channel_is_missing_field)
{
	check_missing(RECEIVED, "channel");
	check_null_is_missing(RECEIVED, "channel");
}

TEST(test_received_with_wrong_types_is_bad_field)
{
	check_bad(RECEIVED, "channel", json_integer(1), "one of the listed strings");
	check_bad(RECEIVED, "channel", json_pack("[s]", "online"), NULL);
	check_bad(RECEIVED, "category", json_integer(7), "must be a string");
	check_bad(RECEIVED, "category", json_true(), "must be a string");
}

TEST(test_received_with_channel_not_allowed_is_bad_field)
{
	check_bad(RECEIVED, "channel", json_string("fax"), "data.channel=\"fax\" is not an allowed value");
	check_bad(RECEIVED, "channel", json_string("Online"), "\"Online\"");
	check_bad(RECEIVED, "channel", json_string(""), "\"\"");
}

TEST(test_received_accepts_every_listed_channel)
{
	static const char *const all[] = {"online", "phone", "letter", "visit", "other"};
	for (size_t i = 0; i < 5; i++)
		check_value(RECEIVED, "channel", json_string(all[i]), all[i]);
}

TEST(test_received_category_must_be_1_to_64_characters)
{
	check_value(RECEIVED, "category", tu_repeat('c', 64),
		    "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc");
	check_bad(RECEIVED, "category", tu_repeat('c', 65), "1..64 characters of text (got 65)");
	check_bad(RECEIVED, "category", json_string(""), "(got 0)");
}

TEST(test_received_with_unknown_member_is_unknown_field)
{
	check_unknown(RECEIVED, "categroy");
	check_unknown(RECEIVED, "Channel");
}

/* ---- disclosure.complaint.transferred ------------------------------------ */

static const char TRANSFERRED[] =
	ENVELOPE("ts-1-t", "transferred", "2020-03-02T16:00:00+08:00")
	",\"data\":{\"unit\":\"district housing bureau\"}}";

TEST(test_transferred_writes_normalized_row)
{
	check_row(TRANSFERRED, "disclosure.complaint.transferred", &LIN,
		  ROW_HEAD("ts-1-t", "2020-03-02 08:00:00.000000+00")
		  "district housing bureau" ROW_TAIL);
}

TEST(test_transferred_example_decodes) { check_example(&kind_complaint_transferred); }

TEST(test_transferred_without_unit_is_missing_field)
{
	check_missing(TRANSFERRED, "unit");
	check_null_is_missing(TRANSFERRED, "unit");
}

TEST(test_transferred_with_wrong_type_is_bad_field)
{
	check_bad(TRANSFERRED, "unit", json_integer(12), "must be a string");
	check_bad(TRANSFERRED, "unit", json_object(), "must be a string");
}

TEST(test_transferred_unit_must_be_1_to_128_characters)
{
	check_bad(TRANSFERRED, "unit", json_string(""), "1..128 characters");
	check_bad(TRANSFERRED, "unit", tu_repeat('u', 129), "(got 129)");
	struct tev t;
	json_t *ev = tu_parse(TRANSFERRED);
	tu_data_set(ev, "unit", tu_repeat('u', 128));
	tev_decode_json(&t, ev);
	assert_decodes(&t);
	tev_free(&t);
}

TEST(test_transferred_with_unknown_member_is_unknown_field)
{
	check_unknown(TRANSFERRED, "unit_id");
}

/* ---- disclosure.complaint.decided ---------------------------------------- */

static const char DECIDED[] =
	ENVELOPE("ts-1-a", "decided", "2020-03-03T10:00:00+08:00")
	",\"data\":{\"accepted\":false,\"reason\":\"outside our remit\"}}";

TEST(test_decided_not_accepted_writes_f_and_reason)
{
	check_row(DECIDED, "disclosure.complaint.decided", &LIN,
		  ROW_HEAD("ts-1-a", "2020-03-03 02:00:00.000000+00")
		  "f\toutside our remit" ROW_TAIL);
}

TEST(test_decided_accepted_writes_t_and_null_reason)
{
	check_row(ENVELOPE("ts-1-a", "decided", "2020-03-03T10:00:00+08:00")
		  ",\"data\":{\"accepted\":true}}",
		  "disclosure.complaint.decided", &LIN,
		  ROW_HEAD("ts-1-a", "2020-03-03 02:00:00.000000+00") "t\t\\N" ROW_TAIL);
}

TEST(test_decided_example_decodes) { check_example(&kind_complaint_decided); }

TEST(test_decided_without_accepted_is_missing_field)
{
	check_missing(DECIDED, "accepted");
	check_null_is_missing(DECIDED, "accepted");
}

TEST(test_decided_with_non_boolean_accepted_is_bad_field)
{
	check_bad(DECIDED, "accepted", json_string("true"), "must be true or false");
	check_bad(DECIDED, "accepted", json_integer(1), "must be true or false");
	check_bad(DECIDED, "accepted", json_integer(0), "must be true or false");
}

TEST(test_decided_with_wrong_reason_type_or_length_is_bad_field)
{
	check_bad(DECIDED, "reason", json_false(), "must be a string");
	check_bad(DECIDED, "reason", tu_repeat('r', 257), "1..256 characters");
	char r256[257];
	memset(r256, 'r', 256);
	r256[256] = '\0';
	check_value(DECIDED, "reason", json_string(r256), r256);
}

TEST(test_decided_with_unknown_member_is_unknown_field)
{
	check_unknown(DECIDED, "decision");
}

/* ---- disclosure.complaint.closed ----------------------------------------- */

static const char CLOSED[] =
	ENVELOPE("ts-1-c", "closed", "2020-03-20T11:00:00+08:00")
	",\"data\":{\"result\":\"resolved\"}}";

TEST(test_closed_writes_normalized_row)
{
	check_row(CLOSED, "disclosure.complaint.closed", &LIN,
		  ROW_HEAD("ts-1-c", "2020-03-20 03:00:00.000000+00") "resolved" ROW_TAIL);
}

TEST(test_closed_without_data_writes_null_result)
{
	check_row(ENVELOPE("ts-1-c", "closed", "2020-03-20T11:00:00+08:00") "}",
		  "disclosure.complaint.closed", &LIN,
		  ROW_HEAD("ts-1-c", "2020-03-20 03:00:00.000000+00") "\\N" ROW_TAIL);
	check_row(ENVELOPE("ts-1-c", "closed", "2020-03-20T11:00:00+08:00") ",\"data\":{}}",
		  "disclosure.complaint.closed", &LIN,
		  ROW_HEAD("ts-1-c", "2020-03-20 03:00:00.000000+00") "\\N" ROW_TAIL);
}

TEST(test_closed_example_decodes) { check_example(&kind_complaint_closed); }

TEST(test_closed_with_wrong_result_type_is_bad_field)
{
	check_bad(CLOSED, "result", json_integer(1), "must be a string");
	check_bad(CLOSED, "result", tu_repeat('x', 65), "1..64 characters");
}

TEST(test_closed_with_unknown_member_is_unknown_field)
{
	check_unknown(CLOSED, "outcome");
}

/* ---- the lifecycle --------------------------------------------------------- */

/* Received, transferred, decided and closed may arrive in any order (the
 * views in sql/ order them by time); each decodes alone, the same way. */
TEST(test_lifecycle_events_decode_the_same_in_any_order)
{
	const char *const events[] = {RECEIVED, TRANSFERRED, DECIDED, CLOSED};
	char *first[4];
	for (size_t i = 0; i < 4; i++) {
		struct tev t;
		tev_decode_str(&t, events[i]);
		assert_decodes(&t);
		first[i] = strdup(tev_row(&t, &LIN));
		tev_free(&t);
	}
	static const size_t order[] = {3, 1, 3, 0, 2, 2};
	for (size_t k = 0; k < 6; k++) {
		struct tev t;
		tev_decode_str(&t, events[order[k]]);
		assert_decodes(&t);
		assert_string_equal(tev_row(&t, &LIN), first[order[k]]);
		tev_free(&t);
	}
	for (size_t i = 0; i < 4; i++)
		free(first[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_received_with_all_fields_writes_normalized_row),
		cmocka_unit_test(test_received_without_category_writes_null),
		cmocka_unit_test(test_received_example_decodes),
		cmocka_unit_test(test_received_without_channel_is_missing_field),
		cmocka_unit_test(test_received_with_wrong_types_is_bad_field),
		cmocka_unit_test(test_received_with_channel_not_allowed_is_bad_field),
		cmocka_unit_test(test_received_accepts_every_listed_channel),
		cmocka_unit_test(test_received_category_must_be_1_to_64_characters),
		cmocka_unit_test(test_received_with_unknown_member_is_unknown_field),
		cmocka_unit_test(test_transferred_writes_normalized_row),
		cmocka_unit_test(test_transferred_example_decodes),
		cmocka_unit_test(test_transferred_without_unit_is_missing_field),
		cmocka_unit_test(test_transferred_with_wrong_type_is_bad_field),
		cmocka_unit_test(test_transferred_unit_must_be_1_to_128_characters),
		cmocka_unit_test(test_transferred_with_unknown_member_is_unknown_field),
		cmocka_unit_test(test_decided_not_accepted_writes_f_and_reason),
		cmocka_unit_test(test_decided_accepted_writes_t_and_null_reason),
		cmocka_unit_test(test_decided_example_decodes),
		cmocka_unit_test(test_decided_without_accepted_is_missing_field),
		cmocka_unit_test(test_decided_with_non_boolean_accepted_is_bad_field),
		cmocka_unit_test(test_decided_with_wrong_reason_type_or_length_is_bad_field),
		cmocka_unit_test(test_decided_with_unknown_member_is_unknown_field),
		cmocka_unit_test(test_closed_writes_normalized_row),
		cmocka_unit_test(test_closed_without_data_writes_null_result),
		cmocka_unit_test(test_closed_example_decodes),
		cmocka_unit_test(test_closed_with_wrong_result_type_is_bad_field),
		cmocka_unit_test(test_closed_with_unknown_member_is_unknown_field),
		cmocka_unit_test(test_lifecycle_events_decode_the_same_in_any_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
