/* disclosure.event.corrected: a withdrawal or a replacement of another
 * stored event, its replacement data checked by the target type's own
 * spec and cross-field rules. */
#include "testutil.h"

#include "kinds.h"

static const struct lineage LIN = LINEAGE("disclosure.applications", 0, 9);

#define ENVELOPE(id)                                                                     \
	"{\"specversion\":\"1.0\",\"id\":\"" id "\",\"source\":\"/disclosure-desk\","       \
	"\"type\":\"disclosure.event.corrected\",\"time\":\"2021-05-06T09:00:00+08:00\","  \
	"\"subject\":\"AP2021-0009\",\"agency\":\"yaodu-xinfang\""
#define ROW_HEAD(id) "/disclosure-desk\t" id "\tyaodu-xinfang\tAP2021-0009\t" \
	"2021-05-06 01:00:00.000000+00\t"
#define ROW_TAIL "\tdisclosure.applications\t0\t9"

static const char REPLACE[] =
	ENVELOPE("fix-1") ",\"data\":{\"target_source\":\"/disclosure-desk\","
	"\"target_id\":\"ap-2021-0009-c\",\"target_type\":\"disclosure.application.closed\","
	"\"action\":\"replace\",\"fact_time\":\"2021-04-21T10:00:00+08:00\","
	"\"data\":{\"outcome\":\"3.1\"}}}";

static const char WITHDRAW[] =
	ENVELOPE("fix-2") ",\"data\":{\"target_source\":\"/disclosure-desk\","
	"\"target_id\":\"ap-2021-0009-r\",\"target_type\":\"disclosure.application.received\","
	"\"action\":\"withdraw\"}}";

/* A replacement of a receipt with personal data in it. */
static const char PERSONAL[] =
	ENVELOPE("fix-3") ",\"data\":{\"target_source\":\"/disclosure-desk\","
	"\"target_id\":\"ap-2021-0009-r\",\"target_type\":\"disclosure.application.received\","
	"\"action\":\"replace\",\"data\":{\"applicant_class\":\"other_org\","
	"\"applicant_name\":\"Zhang San\"}}}";

TEST(test_replace_writes_the_canonical_replacement_data)
{
	check_row(REPLACE, "disclosure.event.corrected", &LIN,
		  ROW_HEAD("fix-1") "/disclosure-desk\tap-2021-0009-c\t"
		  "disclosure.application.closed\treplace\t2021-04-21 02:00:00.000000+00\t"
		  "{\"outcome\":\"3.1\"}" ROW_TAIL);
}

TEST(test_withdraw_writes_no_data)
{
	check_row(WITHDRAW, "disclosure.event.corrected", &LIN,
		  ROW_HEAD("fix-2") "/disclosure-desk\tap-2021-0009-r\t"
		  "disclosure.application.received\twithdraw\t\\N\t\\N" ROW_TAIL);
}

TEST(test_correction_example_decodes) { check_example(&kind_event_corrected); }

TEST(test_target_and_action_are_required)
{
	check_missing(REPLACE, "target_source");
	check_missing(REPLACE, "target_id");
	check_missing(REPLACE, "target_type");
	check_missing(REPLACE, "action");
	check_null_is_missing(WITHDRAW, "action");
}

TEST(test_unknown_action_is_bad_field)
{
	check_bad(WITHDRAW, "action", json_string("delete"), "\"delete\" is not an allowed value");
}

/* A correction is never the target of another: the latest correction of
 * the original counts instead. */
TEST(test_correction_of_a_correction_is_bad_field)
{
	check_bad(WITHDRAW, "target_type", json_string("disclosure.event.corrected"),
		  "is not an allowed value");
	check_bad(WITHDRAW, "target_type", json_string("disclosure.nothing"), NULL);
}

/* Every other type can be corrected, and the list names exactly them:
 * all but this one and opening.stated (a line is restated instead). */
TEST(test_every_other_type_is_a_target)
{
	const struct field_spec *f = &kind_event_corrected.fields[2];
	assert_string_equal(f->name, "target_type");
	size_t n = 0;
	for (const char *const *v = f->values; *v; v++, n++)
		assert_non_null(event_kind_find(*v, strlen(*v)));
	assert_int_equal(n, event_kind_count() - 2);
	for (size_t i = 0; event_kinds[i]; i++) {
		bool listed = false;
		for (const char *const *v = f->values; *v; v++)
			listed |= strcmp(*v, event_kinds[i]->type) == 0;
		assert_true(listed == (event_kinds[i] != &kind_event_corrected &&
				       event_kinds[i] != &kind_opening_stated));
	}
}

TEST(test_replace_without_data_is_bad_field)
{
	struct tev t;
	json_t *ev = tu_parse(REPLACE);
	tu_data_del(ev, "data");
	tev_decode_json(&t, ev);
	assert_rejected(&t, REASON_BAD_FIELD, "data.data");
	assert_message_has(&t, "required when data.action is \"replace\"");
	tev_free(&t);
}

TEST(test_withdraw_with_data_or_fact_time_is_bad_field)
{
	check_bad(WITHDRAW, "data", tu_parse("{\"applicant_class\":\"other_org\"}"),
		  "must be absent when data.action is \"withdraw\"");
	check_bad(WITHDRAW, "fact_time", json_string("2021-01-01T00:00:00Z"),
		  "must be absent when data.action is \"withdraw\"");
}

/* The replacement is checked by the target type's rules, and the error
 * gives the full path into the correction. */
TEST(test_replacement_data_follows_the_target_types_spec)
{
	check_bad(REPLACE, "data", json_string("3.1"), "must be a JSON object");
	struct tev t;
	json_t *ev = tu_parse(REPLACE);
	tu_data_set(ev, "data", tu_parse("{\"outcome\":\"9.9\"}"));
	tev_decode_json(&t, ev);
	assert_rejected(&t, REASON_BAD_FIELD, "data.data.outcome");
	assert_message_has(&t, "data.data.outcome=\"9.9\" is not an allowed value");
	tev_free(&t);
	ev = tu_parse(REPLACE);
	tu_data_set(ev, "data", tu_parse("{}"));
	tev_decode_json(&t, ev);
	assert_rejected(&t, REASON_MISSING_FIELD, "data.data.outcome");
	assert_message_has(&t, "required field data.data.outcome is missing");
	tev_free(&t);
	ev = tu_parse(REPLACE);
	tu_data_set(ev, "data", tu_parse("{\"outcome\":\"3.1\",\"result\":\"x\"}"));
	tev_decode_json(&t, ev);
	assert_rejected(&t, REASON_UNKNOWN_FIELD, "data.data");
	assert_message_has(&t, "data.data has a member \"result\"");
	tev_free(&t);
}

/* The target type's cross-field rule too (stats.reported: a fee needs an
 * amount or projects). */
TEST(test_replacement_data_follows_the_target_types_cross_field_rule)
{
	struct tev t;
	json_t *ev = tu_parse(REPLACE);
	tu_data_set(ev, "target_type", json_string("disclosure.stats.reported"));
	tu_data_set(ev, "data", tu_parse("{\"year\":2021,\"item\":\"fee\"}"));
	tev_decode_json(&t, ev);
	assert_rejected(&t, REASON_BAD_FIELD, "data.data.amount");
	assert_message_has(&t, "data.data.amount or projects is required when "
			   "data.data.item is \"fee\"");
	tev_free(&t);
	ev = tu_parse(REPLACE);
	tu_data_set(ev, "target_type", json_string("disclosure.stats.reported"));
	tu_data_set(ev, "data", tu_parse("{\"year\":2021,\"item\":\"fee\",\"amount\":12}"));
	tev_decode_json(&t, ev);
	assert_decodes(&t);
	assert_string_equal(t.d.nested, "{\"amount\":\"12\",\"item\":\"fee\",\"year\":2021}");
	tev_free(&t);
}

/* Personal values in a replacement are hashed like the target type's own:
 * in the stored column and in the stored payload; dropped without a key. */
TEST(test_personal_values_in_a_replacement_are_hashed)
{
	static const unsigned char key[] = "unit-test-key";
	struct decode_limits lim = {.max_bytes = 1 << 20, .hmac_key = key,
				    .hmac_key_len = sizeof(key) - 1};
	struct event_input in = {PERSONAL, strlen(PERSONAL), NULL, 0};
	struct decoded d;
	struct decode_error e;
	assert_int_equal(event_decode(&in, &lim, &d, &e), 0);
	char h[PERSONAL_LEN + 1], want[256];
	redact_hash(key, sizeof(key) - 1, "Zhang San", 9, h);
	snprintf(want, sizeof(want), "{\"applicant_class\":\"other_org\",\"applicant_name\":\"%s\"}",
		 h);
	assert_string_equal(d.nested, want);
	assert_non_null(d.redacted);
	assert_lacks(d.redacted, "Zhang San");
	assert_has(d.redacted, h);
	decoded_release(&d);
	lim.hmac_key = NULL;
	assert_int_equal(event_decode(&in, &lim, &d, &e), 0);
	assert_string_equal(d.nested, "{\"applicant_class\":\"other_org\"}");
	assert_lacks(d.redacted, "Zhang San");
	decoded_release(&d);
}

/* A correction set aside keeps no personal value in clear either. */
TEST(test_rejected_correction_with_personal_data_is_redacted)
{
	static const unsigned char key[] = "unit-test-key";
	struct decode_limits lim = {.max_bytes = 1 << 20, .hmac_key = key,
				    .hmac_key_len = sizeof(key) - 1};
	json_t *ev = tu_parse(PERSONAL);
	tu_data_set(ev, "action", json_string("withdraw")); /* with data: refused */
	char *s = json_dumps(ev, JSON_COMPACT);
	json_decref(ev);
	struct event_input in = {s, strlen(s), NULL, 0};
	struct decoded d;
	struct decode_error e;
	assert_int_equal(event_decode(&in, &lim, &d, &e), -1);
	assert_int_equal(e.reason, REASON_BAD_FIELD);
	assert_non_null(e.redacted);
	assert_lacks(e.redacted, "Zhang San");
	decode_error_release(&e);
	free(s);
}

/* The replacement is part of the content: another replacement under the
 * same identity is a conflicting duplicate, the same one in another form
 * is not. */
TEST(test_replacement_data_is_part_of_the_content_digest)
{
	struct tev a, b, c;
	tev_decode_str(&a, REPLACE);
	json_t *ev = tu_parse(REPLACE);
	tu_data_set(ev, "data", tu_parse("{\"outcome\":\"3.2\"}"));
	tev_decode_json(&b, ev);
	ev = tu_parse(REPLACE);
	tu_data_set(ev, "fact_time", json_string("2021-04-21T02:00:00Z"));
	tev_decode_json(&c, ev);
	assert_decodes(&a);
	assert_decodes(&b);
	assert_decodes(&c);
	assert_memory_not_equal(a.d.digest, b.d.digest, sizeof(a.d.digest));
	assert_memory_equal(a.d.digest, c.d.digest, sizeof(a.d.digest));
	tev_free(&a);
	tev_free(&b);
	tev_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replace_writes_the_canonical_replacement_data),
		cmocka_unit_test(test_withdraw_writes_no_data),
		cmocka_unit_test(test_correction_example_decodes),
		cmocka_unit_test(test_target_and_action_are_required),
		cmocka_unit_test(test_unknown_action_is_bad_field),
		cmocka_unit_test(test_correction_of_a_correction_is_bad_field),
		cmocka_unit_test(test_every_other_type_is_a_target),
		cmocka_unit_test(test_replace_without_data_is_bad_field),
		cmocka_unit_test(test_withdraw_with_data_or_fact_time_is_bad_field),
		cmocka_unit_test(test_replacement_data_follows_the_target_types_spec),
		cmocka_unit_test(test_replacement_data_follows_the_target_types_cross_field_rule),
		cmocka_unit_test(test_personal_values_in_a_replacement_are_hashed),
		cmocka_unit_test(test_rejected_correction_with_personal_data_is_redacted),
		cmocka_unit_test(test_replacement_data_is_part_of_the_content_digest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
