/* Personal data: identifiers never appear in clear in a stored row, a
 * stored or quarantined payload, or a message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/hmac.h>

#include "event.h"

static const unsigned char KEY[] = "unit-test-key-0123456789";
#define PHONE "13800138000"
#define NAME "张三"

static const char *const GOOD =
	"{\"specversion\":\"1.0\",\"id\":\"c1\",\"source\":\"/cp\","
	"\"type\":\"disclosure.complaint.received\",\"time\":\"2021-03-02T09:15:00+08:00\","
	"\"subject\":\"TS-1\",\"agency\":\"a\",\"data\":{\"channel\":\"online\","
	"\"complainant_phone\":\"" PHONE "\",\"complainant_name\":\"" NAME "\"}}";

static void expected_hash(const char *v, char out[100])
{
	unsigned char md[32];
	unsigned int len = 0;
	HMAC(EVP_sha256(), KEY, (int)sizeof(KEY) - 1, (const unsigned char *)v, strlen(v), md, &len);
	strcpy(out, "hmac-sha256:");
	for (unsigned i = 0; i < 32; i++)
		sprintf(out + 12 + 2 * i, "%02x", md[i]);
}

static int decode(const char *json, bool with_key, struct decoded *d, struct decode_error *e)
{
	struct event_input in = {json, strlen(json), NULL, 0};
	struct decode_limits lim = {.max_bytes = 1 << 20};
	if (with_key) {
		lim.hmac_key = KEY;
		lim.hmac_key_len = sizeof(KEY) - 1;
	}
	return event_decode(&in, &lim, d, e);
}

static void test_personal_fields_are_stored_as_their_keyed_hash(void **state)
{
	(void)state;
	struct decoded d;
	struct decode_error e;
	char want[100];
	assert_int_equal(decode(GOOD, true, &d, &e), 0);
	expected_hash(PHONE, want);
	const struct field_value *v = decoded_field(&d, "complainant_phone");
	assert_non_null(v);
	assert_int_equal(v->s.n, strlen(want));
	assert_memory_equal(v->s.p, want, strlen(want));
	/* The payload that is stored is redacted the same way. */
	assert_non_null(d.redacted);
	assert_non_null(strstr(d.redacted, want));
	assert_null(strstr(d.redacted, PHONE));
	assert_null(strstr(d.redacted, NAME));
	decoded_release(&d);
}

static void test_the_same_person_hashes_the_same(void **state)
{
	(void)state;
	struct decoded a, b;
	struct decode_error e;
	assert_int_equal(decode(GOOD, true, &a, &e), 0);
	assert_int_equal(decode(GOOD, true, &b, &e), 0);
	char want[100];
	expected_hash(NAME, want);
	assert_int_equal(strlen(want), PERSONAL_LEN);
	assert_memory_equal(decoded_field(&a, "complainant_name")->s.p, want, PERSONAL_LEN);
	assert_memory_equal(decoded_field(&b, "complainant_name")->s.p, want, PERSONAL_LEN);
	decoded_release(&a);
	decoded_release(&b);
}

static void test_without_a_key_personal_fields_are_dropped(void **state)
{
	(void)state;
	struct decoded d;
	struct decode_error e;
	assert_int_equal(decode(GOOD, false, &d, &e), 0);
	assert_null(decoded_field(&d, "complainant_phone"));
	assert_non_null(d.redacted);
	assert_non_null(strstr(d.redacted, "\"complainant_phone\":null"));
	assert_null(strstr(d.redacted, PHONE));
	decoded_release(&d);
}

static void test_an_invalid_event_is_quarantined_redacted(void **state)
{
	(void)state;
	static const char bad[] =
		"{\"specversion\":\"1.0\",\"id\":\"c2\",\"source\":\"/cp\","
		"\"type\":\"disclosure.complaint.received\",\"time\":\"2021-03-02T09:15:00+08:00\","
		"\"subject\":\"TS-2\",\"agency\":\"a\",\"data\":{\"channel\":\"fax machine\","
		"\"complainant_phone\":\"" PHONE "\"}}";
	struct decoded d;
	struct decode_error e;
	assert_int_equal(decode(bad, true, &d, &e), -1);
	assert_int_equal(e.reason, REASON_BAD_FIELD);
	assert_non_null(e.redacted);
	assert_null(strstr(e.redacted, PHONE));
	char want[100];
	expected_hash(PHONE, want);
	assert_non_null(strstr(e.redacted, want));
	decode_error_release(&e);
}

static void test_a_bad_personal_value_is_never_quoted(void **state)
{
	(void)state;
	char json[1024], longname[256] = ""; /* 70 three-byte characters */
	for (int i = 0; i < 70; i++)
		strcat(longname, "李");
	snprintf(json, sizeof(json),
		 "{\"specversion\":\"1.0\",\"id\":\"c3\",\"source\":\"/cp\","
		 "\"type\":\"disclosure.complaint.received\",\"time\":\"2021-03-02T09:15:00+08:00\","
		 "\"subject\":\"TS-3\",\"agency\":\"a\",\"data\":{\"channel\":\"online\","
		 "\"complainant_name\":\"%s\"}}", longname);
	struct decoded d;
	struct decode_error e;
	assert_int_equal(decode(json, true, &d, &e), -1);
	assert_string_equal(e.field, "data.complainant_name");
	assert_null(strstr(e.message, "李"));
	assert_non_null(strstr(e.message, "value not shown"));
	decode_error_release(&e);
}

static void test_invalid_json_messages_carry_no_payload_text(void **state)
{
	(void)state;
	static const char bad[] = "{\"data\":{\"complainant_phone\":\"" PHONE "\" oops}}";
	struct decoded d;
	struct decode_error e;
	assert_int_equal(decode(bad, true, &d, &e), -1);
	assert_int_equal(e.reason, REASON_BAD_JSON);
	/* The message still says what is wrong, and where. */
	assert_non_null(strstr(e.message, "invalid JSON at byte "));
	assert_null(strstr(e.message, PHONE));
	assert_null(strstr(e.message, "near"));
	decode_error_release(&e);
}

static void test_an_already_hashed_value_is_kept_on_replay(void **state)
{
	(void)state;
	struct decoded d, again;
	struct decode_error e;
	assert_int_equal(decode(GOOD, true, &d, &e), 0);
	assert_int_equal(decode(d.redacted, true, &again, &e), 0);
	char want[100];
	expected_hash(PHONE, want); /* hashed once, not a hash of the hash */
	assert_memory_equal(decoded_field(&d, "complainant_phone")->s.p, want, PERSONAL_LEN);
	assert_memory_equal(decoded_field(&again, "complainant_phone")->s.p, want, PERSONAL_LEN);
	decoded_release(&d);
	decoded_release(&again);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_personal_fields_are_stored_as_their_keyed_hash),
		cmocka_unit_test(test_the_same_person_hashes_the_same),
		cmocka_unit_test(test_without_a_key_personal_fields_are_dropped),
		cmocka_unit_test(test_an_invalid_event_is_quarantined_redacted),
		cmocka_unit_test(test_a_bad_personal_value_is_never_quoted),
		cmocka_unit_test(test_invalid_json_messages_carry_no_payload_text),
		cmocka_unit_test(test_an_already_hashed_value_is_kept_on_replay),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
