/* disclosure.publication.published and .repealed: proactive publications. */
#include "testutil.h"

#include "kinds.h"

static const struct lineage LIN = LINEAGE("disclosure.publications", 1, 4242);

#define ENVELOPE(id, type, subject)                                                \
	"{\"specversion\":\"1.0\",\"id\":\"" id "\",\"source\":\"/portal/cms\","         \
	"\"type\":\"disclosure.publication." type "\",\"time\":\"2020-06-01T10:30:00+08:00\"," \
	"\"subject\":\"" subject "\",\"agency\":\"yaodu-xinfang\""
#define ROW_HEAD(id, subject) \
	"/portal/cms\t" id "\tyaodu-xinfang\t" subject "\t2020-06-01 02:30:00.000000+00\t"
#define ROW_TAIL "\tdisclosure.publications\t1\t4242"

/* ---- disclosure.publication.published ------------------------------------ */

/* A regulation: made_at set, account and session absent. */
static const char PUBLISHED[] =
	ENVELOPE("pub-2020-0042", "published", "ITEM-2020-0042")
	",\"data\":{\"category\":\"regulation\",\"channel\":\"website\","
	"\"title\":\"Rules on handling petitions\",\"made_at\":\"2020-05-20T00:00:00+08:00\"}}";

/* A new-media post, with the account it needs. */
static const char POST[] =
	ENVELOPE("pub-2020-0043", "published", "ITEM-2020-0043")
	",\"data\":{\"category\":\"new_media_post\",\"channel\":\"wechat\","
	"\"title\":\"Open day\",\"account\":\"wechat-ydxf\"}}";

TEST(test_published_regulation_writes_normalized_row_with_made_at_in_utc)
{
	check_row(PUBLISHED, "disclosure.publication.published", &LIN,
		  ROW_HEAD("pub-2020-0042", "ITEM-2020-0042")
		  "regulation\twebsite\tRules on handling petitions\t\\N\t"
		  "2020-05-19 16:00:00.000000+00\t\\N" ROW_TAIL);
}

TEST(test_published_new_media_post_with_account_writes_row)
{
	check_row(POST, "disclosure.publication.published", &LIN,
		  ROW_HEAD("pub-2020-0043", "ITEM-2020-0043")
		  "new_media_post\twechat\tOpen day\twechat-ydxf\t\\N\t\\N" ROW_TAIL);
}

TEST(test_published_reception_notice_writes_session)
{
	check_row(ENVELOPE("pub-2020-0050", "published", "ITEM-2020-0050")
		  ",\"data\":{\"category\":\"reception_notice\",\"channel\":\"led_screen\","
		  "\"session\":\"RC2020-017\"}}",
		  "disclosure.publication.published", &LIN,
		  ROW_HEAD("pub-2020-0050", "ITEM-2020-0050")
		  "reception_notice\tled_screen\t\\N\t\\N\t\\N\tRC2020-017" ROW_TAIL);
}

TEST(test_published_example_decodes) { check_example(&kind_publication_published); }

TEST(test_published_without_category_is_missing_field)
{
	check_missing(PUBLISHED, "category");
	check_null_is_missing(PUBLISHED, "category");
}

TEST(test_published_without_channel_is_missing_field)
{
	check_missing(PUBLISHED, "channel");
	check_null_is_missing(PUBLISHED, "channel");
}

TEST(test_published_with_wrong_types_is_bad_field)
{
	check_bad(PUBLISHED, "category", json_integer(3), "one of the listed strings");
	check_bad(PUBLISHED, "channel", json_true(), "one of the listed strings");
	check_bad(PUBLISHED, "title", json_integer(5), "must be a string");
	check_bad(PUBLISHED, "account", json_array(), "must be a string");
	check_bad(PUBLISHED, "made_at", json_integer(1590000000), "RFC 3339 timestamp string");
	check_bad(PUBLISHED, "session", json_object(), "must be a string");
}

TEST(test_published_with_category_not_allowed_is_bad_field)
{
	check_bad(PUBLISHED, "category", json_string("press_release"),
		  "data.category=\"press_release\" is not an allowed value");
	check_bad(PUBLISHED, "category", json_string("new_media"), "\"new_media\"");
}

TEST(test_published_with_channel_not_allowed_is_bad_field)
{
	check_bad(PUBLISHED, "channel", json_string("fax"),
		  "data.channel=\"fax\" is not an allowed value");
	check_bad(PUBLISHED, "channel", json_string("WeChat"), "\"WeChat\"");
}

TEST(test_published_accepts_every_listed_category_and_channel)
{
	static const char *const cats[] = {"work_news", "notice", "reception_notice",
					   "regulation", "normative_document", "other"};
	static const char *const chans[] = {"website", "wechat", "weibo", "app",
					    "led_screen", "print", "other"};
	for (size_t i = 0; i < sizeof(cats) / sizeof(cats[0]); i++)
		check_value(PUBLISHED, "category", json_string(cats[i]), cats[i]);
	for (size_t i = 0; i < sizeof(chans) / sizeof(chans[0]); i++)
		check_value(PUBLISHED, "channel", json_string(chans[i]), chans[i]);
}

TEST(test_published_made_at_without_offset_is_bad_time)
{
	check_bad_time(PUBLISHED, "made_at", json_string("2020-05-20T00:00:00"),
		       "\"2020-05-20T00:00:00\"");
	check_bad_time(PUBLISHED, "made_at", json_string("2020-05-20"), "\"2020-05-20\"");
	check_bad_time(PUBLISHED, "made_at", json_string("2021-02-29T00:00:00Z"),
		       "no such calendar date");
}

TEST(test_published_text_fields_over_their_byte_limit_are_bad_field)
{
	check_bad(PUBLISHED, "title", tu_repeat('t', 513), "1..512 characters");
	check_bad(PUBLISHED, "account", tu_repeat('a', 65), "1..64 characters");
	check_bad(PUBLISHED, "session", tu_repeat('s', 129), "1..128 characters");
}

TEST(test_published_new_media_post_without_account_is_bad_field)
{
	struct tev t;
	json_t *ev = tu_parse(POST);
	tu_data_del(ev, "account");
	tev_decode_json(&t, ev);
	assert_rejected(&t, REASON_BAD_FIELD, "data.account");
	assert_message_has(&t, "data.account is required when data.category is \"new_media_post\"");
	tev_free(&t);
}

TEST(test_published_new_media_post_with_null_account_is_bad_field)
{
	struct tev t;
	json_t *ev = tu_parse(POST);
	tu_data_set(ev, "account", json_null());
	tev_decode_json(&t, ev);
	assert_rejected(&t, REASON_BAD_FIELD, "data.account");
	tev_free(&t);
}

TEST(test_published_other_categories_do_not_need_account)
{
	struct tev t;
	json_t *ev = tu_parse(POST);
	tu_data_del(ev, "account");
	tu_data_set(ev, "category", json_string("work_news"));
	tev_decode_json(&t, ev);
	assert_decodes(&t);
	tev_free(&t);
}

TEST(test_published_with_unknown_member_is_unknown_field)
{
	check_unknown(PUBLISHED, "made");
	check_unknown(PUBLISHED, "account_id");
}

/* ---- disclosure.publication.repealed ------------------------------------- */

static const char REPEALED[] =
	ENVELOPE("pub-2019-0007-x", "repealed", "ITEM-2019-0007")
	",\"data\":{\"reason\":\"superseded\"}}";

TEST(test_repealed_writes_normalized_row)
{
	check_row(REPEALED, "disclosure.publication.repealed", &LIN,
		  ROW_HEAD("pub-2019-0007-x", "ITEM-2019-0007") "superseded" ROW_TAIL);
}

TEST(test_repealed_without_data_writes_null_reason)
{
	check_row(ENVELOPE("pub-2019-0007-x", "repealed", "ITEM-2019-0007") "}",
		  "disclosure.publication.repealed", &LIN,
		  ROW_HEAD("pub-2019-0007-x", "ITEM-2019-0007") "\\N" ROW_TAIL);
}

TEST(test_repealed_example_decodes) { check_example(&kind_publication_repealed); }

TEST(test_repealed_with_wrong_reason_type_or_length_is_bad_field)
{
	check_bad(REPEALED, "reason", json_integer(1), "must be a string");
	check_bad(REPEALED, "reason", tu_repeat('r', 257), "1..256 characters");
}

TEST(test_repealed_with_unknown_member_is_unknown_field)
{
	check_unknown(REPEALED, "repealed_at");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_published_regulation_writes_normalized_row_with_made_at_in_utc),
		cmocka_unit_test(test_published_new_media_post_with_account_writes_row),
		cmocka_unit_test(test_published_reception_notice_writes_session),
		cmocka_unit_test(test_published_example_decodes),
		cmocka_unit_test(test_published_without_category_is_missing_field),
		cmocka_unit_test(test_published_without_channel_is_missing_field),
		cmocka_unit_test(test_published_with_wrong_types_is_bad_field),
		cmocka_unit_test(test_published_with_category_not_allowed_is_bad_field),
		cmocka_unit_test(test_published_with_channel_not_allowed_is_bad_field),
		cmocka_unit_test(test_published_accepts_every_listed_category_and_channel),
		cmocka_unit_test(test_published_made_at_without_offset_is_bad_time),
		cmocka_unit_test(test_published_text_fields_over_their_byte_limit_are_bad_field),
		cmocka_unit_test(test_published_new_media_post_without_account_is_bad_field),
		cmocka_unit_test(test_published_new_media_post_with_null_account_is_bad_field),
		cmocka_unit_test(test_published_other_categories_do_not_need_account),
		cmocka_unit_test(test_published_with_unknown_member_is_unknown_field),
		cmocka_unit_test(test_repealed_writes_normalized_row),
		cmocka_unit_test(test_repealed_without_data_writes_null_reason),
		cmocka_unit_test(test_repealed_example_decodes),
		cmocka_unit_test(test_repealed_with_wrong_reason_type_or_length_is_bad_field),
		cmocka_unit_test(test_repealed_with_unknown_member_is_unknown_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
