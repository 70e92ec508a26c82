/* disclosure.application.received and .closed: disclosure applications. */
#include "testutil.h"

#include "kinds.h"

static const struct lineage LIN = LINEAGE("disclosure.applications", 3, 77);

#define ENVELOPE(id, type, time)                                                     \
	"{\"specversion\":\"1.0\",\"id\":\"" id "\",\"source\":\"/disclosure-desk\","      \
	"\"type\":\"disclosure.application." type "\",\"time\":\"" time "\","            \
	"\"subject\":\"AP2021-0009\",\"agency\":\"yaodu-xinfang\""
#define ROW_HEAD(id, utc) "/disclosure-desk\t" id "\tyaodu-xinfang\tAP2021-0009\t" utc "\t"
#define ROW_TAIL "\tdisclosure.applications\t3\t77"
/* application.received also has three personal fields, absent here. */
#define RECEIVED_TAIL "\t\\N\t\\N\t\\N" ROW_TAIL

/* ---- disclosure.application.received ------------------------------------- */

static const char RECEIVED[] =
	ENVELOPE("ap-2021-0009-r", "received", "2021-04-06T14:20:00+08:00")
	",\"data\":{\"applicant_class\":\"legal_service_org\",\"channel\":\"email\"}}";

TEST(test_received_writes_normalized_row)
{
	check_row(RECEIVED, "disclosure.application.received", &LIN,
		  ROW_HEAD("ap-2021-0009-r", "2021-04-06 06:20:00.000000+00")
		  "legal_service_org\temail" RECEIVED_TAIL);
}

TEST(test_received_without_channel_writes_null)
{
	check_row(ENVELOPE("ap-2021-0009-r", "received", "2021-04-06T14:20:00+08:00")
		  ",\"data\":{\"applicant_class\":\"natural_person\"}}",
		  "disclosure.application.received", &LIN,
		  ROW_HEAD("ap-2021-0009-r", "2021-04-06 06:20:00.000000+00")
		  "natural_person\t\\N" RECEIVED_TAIL);
}

TEST(test_received_example_decodes) { check_example(&kind_application_received); }

TEST(test_received_without_applicant_class_is_missing_field)
{
	check_missing(RECEIVED, "applicant_class");
	check_null_is_missing(RECEIVED, "applicant_class");
}

TEST(test_received_with_wrong_types_is_bad_field)
{
	check_bad(RECEIVED, "applicant_class", json_integer(1), "one of the listed strings");
	check_bad(RECEIVED, "channel", json_pack("[s]", "email"), "one of the listed strings");
}

TEST(test_received_with_values_not_allowed_is_bad_field)
{
	check_bad(RECEIVED, "applicant_class", json_string("company"),
		  "data.applicant_class=\"company\" is not an allowed value");
	/* "phone" is a complaint channel, not an application channel. */
	check_bad(RECEIVED, "channel", json_string("phone"),
		  "data.channel=\"phone\" is not an allowed value");
}

TEST(test_received_accepts_every_listed_class_and_channel)
{
	static const char *const classes[] = {
		"natural_person", "commercial_enterprise", "research_institution",
		"public_interest_org", "legal_service_org", "other_org"};
	static const char *const chans[] = {"online", "letter", "in_person", "fax",
					    "email", "other"};
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		check_value(RECEIVED, "applicant_class", json_string(classes[i]), classes[i]);
	for (size_t i = 0; i < sizeof(chans) / sizeof(chans[0]); i++)
		check_value(RECEIVED, "channel", json_string(chans[i]), chans[i]);
}

TEST(test_received_with_unknown_member_is_unknown_field)
{
	check_unknown(RECEIVED, "applicant");
}

/* ---- disclosure.application.closed --------------------------------------- */

static const char CLOSED[] =
	ENVELOPE("ap-2021-0009-c", "closed", "2021-04-20T10:00:00+08:00")
	",\"data\":{\"outcome\":\"3.3.4\"}}";

TEST(test_closed_writes_normalized_row)
{
	check_row(CLOSED, "disclosure.application.closed", &LIN,
		  ROW_HEAD("ap-2021-0009-c", "2021-04-20 02:00:00.000000+00") "3.3.4" ROW_TAIL);
}

TEST(test_closed_example_decodes) { check_example(&kind_application_closed); }

TEST(test_closed_without_outcome_is_missing_field)
{
	check_missing(CLOSED, "outcome");
	check_null_is_missing(CLOSED, "outcome");
}

TEST(test_closed_with_numeric_outcome_is_bad_field)
{
	check_bad(CLOSED, "outcome", json_real(3.2), "one of the listed strings");
	check_bad(CLOSED, "outcome", json_integer(3), "one of the listed strings");
}

TEST(test_closed_with_outcome_not_in_section_three_is_bad_field)
{
	check_bad(CLOSED, "outcome", json_string("3.7"), "data.outcome=\"3.7\" is not an allowed value");
	check_bad(CLOSED, "outcome", json_string("3.6.4"), "\"3.6.4\"");
	check_bad(CLOSED, "outcome", json_string("3.3"), "\"3.3\"");
	check_bad(CLOSED, "outcome", json_string("3.1 "), "\"3.1 \"");
}

TEST(test_closed_accepts_every_section_three_row)
{
	static const char *const rows[] = {
		"3.1", "3.2", "3.3.1", "3.3.2", "3.3.3", "3.3.4", "3.3.5", "3.3.6",
		"3.3.7", "3.3.8", "3.4.1", "3.4.2", "3.4.3", "3.5.1", "3.5.2", "3.5.3",
		"3.5.4", "3.5.5", "3.6", "3.6.1", "3.6.2", "3.6.3"};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		check_value(CLOSED, "outcome", json_string(rows[i]), rows[i]);
}

TEST(test_closed_with_unknown_member_is_unknown_field)
{
	check_unknown(CLOSED, "outcomes");
}

/* Closed may arrive before received; each decodes alone. */
TEST(test_closed_decodes_without_its_received_event)
{
	struct tev c, r, c2;
	tev_decode_str(&c, CLOSED);
	tev_decode_str(&r, RECEIVED);
	tev_decode_str(&c2, CLOSED);
	assert_decodes(&c);
	assert_decodes(&r);
	assert_decodes(&c2);
	assert_string_equal(tev_row(&c, &LIN), tev_row(&c2, &LIN));
	tev_free(&c);
	tev_free(&r);
	tev_free(&c2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_received_writes_normalized_row),
		cmocka_unit_test(test_received_without_channel_writes_null),
		cmocka_unit_test(test_received_example_decodes),
		cmocka_unit_test(test_received_without_applicant_class_is_missing_field),
		cmocka_unit_test(test_received_with_wrong_types_is_bad_field),
		cmocka_unit_test(test_received_with_values_not_allowed_is_bad_field),
		cmocka_unit_test(test_received_accepts_every_listed_class_and_channel),
		cmocka_unit_test(test_received_with_unknown_member_is_unknown_field),
		cmocka_unit_test(test_closed_writes_normalized_row),
		cmocka_unit_test(test_closed_example_decodes),
		cmocka_unit_test(test_closed_without_outcome_is_missing_field),
		cmocka_unit_test(test_closed_with_numeric_outcome_is_bad_field),
		cmocka_unit_test(test_closed_with_outcome_not_in_section_three_is_bad_field),
		cmocka_unit_test(test_closed_accepts_every_section_three_row),
		cmocka_unit_test(test_closed_with_unknown_member_is_unknown_field),
		cmocka_unit_test(test_closed_decodes_without_its_received_event),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
