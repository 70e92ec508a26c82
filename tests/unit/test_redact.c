/* redact: keyed hashes of personal values, and payloads rewritten so that
 * no personal value is kept in clear. (test_personal.c covers the same
 * through the decoder.) */
#include "testutil.h"

#include "redact.h"

/* RFC 4231, test case 2. */
static const unsigned char JEFE[] = "Jefe";
#define WHAT "what do ya want for nothing?"
#define WHAT_HMAC "hmac-sha256:5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"

TEST(test_hash_is_the_keyed_sha256_in_lowercase_hex)
{
	char out[PERSONAL_LEN + 1];
	memset(out, 'x', sizeof(out));
	redact_hash(JEFE, sizeof(JEFE) - 1, WHAT, strlen(WHAT), out);
	assert_string_equal(out, WHAT_HMAC);
	assert_int_equal(strlen(out), PERSONAL_LEN);
	assert_true(redact_is_hashed(out, strlen(out)));
}

/* The hasher set up once gives the one-shot hash, value after value (its
 * context is re-initialised with the same key each time). */
TEST(test_reused_hmac_gives_the_one_shot_hash)
{
	static const char *const values[] = {WHAT, "", "13800138000", WHAT};
	struct redact_hmac *h = redact_hmac_new(JEFE, sizeof(JEFE) - 1);
	assert_non_null(h);
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char got[PERSONAL_LEN + 1], want[PERSONAL_LEN + 1];
		redact_hmac_hash(h, values[i], strlen(values[i]), got);
		redact_hash(JEFE, sizeof(JEFE) - 1, values[i], strlen(values[i]), want);
		assert_string_equal(got, want);
		if (strcmp(values[i], WHAT) == 0)
			assert_string_equal(got, WHAT_HMAC);
	}
	redact_hmac_free(h);
}

/* The decoder with limits keyed by decode_limits_set_key stores the same
 * hash as with the bare key. */
TEST(test_decoder_with_the_reused_hmac_stores_the_same_hash)
{
	static const char ev[] =
		"{\"specversion\":\"1.0\",\"id\":\"p-1\",\"source\":\"/s\","
		"\"type\":\"disclosure.application.received\",\"time\":\"2020-03-02T09:15:00+08:00\","
		"\"subject\":\"A-1\",\"agency\":\"yaodu\",\"data\":{\"applicant_class\":"
		"\"natural_person\",\"applicant_name\":\"" WHAT "\"}}";
	struct decode_limits bare = {.max_bytes = 4096, .hmac_key = JEFE,
				     .hmac_key_len = sizeof(JEFE) - 1}, fast;
	decode_limits_init(&fast, 4096);
	decode_limits_set_key(&fast, JEFE, sizeof(JEFE) - 1);
	assert_non_null(fast.hmac);
	struct event_input in = {ev, strlen(ev), NULL, 0};
	struct decoded a, b;
	struct decode_error e;
	assert_int_equal(event_decode(&in, &bare, &a, &e), 0);
	assert_int_equal(event_decode(&in, &fast, &b, &e), 0);
	const struct field_value *va = decoded_field(&a, "applicant_name");
	const struct field_value *vb = decoded_field(&b, "applicant_name");
	assert_non_null(va);
	assert_non_null(vb);
	assert_int_equal(vb->s.n, PERSONAL_LEN);
	assert_memory_equal(vb->s.p, WHAT_HMAC, PERSONAL_LEN);
	assert_memory_equal(va->s.p, vb->s.p, PERSONAL_LEN);
	assert_string_equal(a.redacted, b.redacted);
	decoded_release(&a);
	decoded_release(&b);
	decode_limits_free(&fast);
}

TEST(test_only_a_well_formed_hash_counts_as_hashed)
{
	static const char *const not_hashed[] = {
		"hmac-sha256:5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843",
		"hmac-sha256:5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec384",
		"hmac-sha256:5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843a",
		"hmac-sha1:5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843ab",
		"hmac-sha256:5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec384g",
		"13800138000", "",
	};
	for (size_t i = 0; i < sizeof(not_hashed) / sizeof(not_hashed[0]); i++)
		if (redact_is_hashed(not_hashed[i], strlen(not_hashed[i])))
			fail_msg("\"%s\" taken for a hash", not_hashed[i]);
	assert_true(redact_is_hashed(WHAT_HMAC, strlen(WHAT_HMAC)));
}

/* redact_any on the payload {"data": <data>}; returns the new text. */
static char *redact_text(const char *data, const unsigned char *key, size_t keylen)
{
	char json[512];
	snprintf(json, sizeof(json), "{\"id\":\"e1\",\"data\":%s}", data);
	json_t *body = json_loads(json, 0, NULL);
	assert_non_null(body);
	size_t len = 0;
	char *out = redact_any(body, json_object_get(body, "data"), key, keylen, &len);
	if (out)
		assert_int_equal(len, strlen(out));
	json_decref(body);
	return out;
}

TEST(test_any_kinds_personal_members_are_replaced)
{
	char *out = redact_text("{\"complainant_phone\":\"" WHAT "\",\"applicant_name\":\"" WHAT
				"\",\"channel\":\"online\"}", JEFE, sizeof(JEFE) - 1);
	assert_non_null(out);
	assert_null(strstr(out, WHAT));
	assert_non_null(strstr(out, "\"complainant_phone\":\"" WHAT_HMAC "\""));
	assert_non_null(strstr(out, "\"applicant_name\":\"" WHAT_HMAC "\""));
	assert_non_null(strstr(out, "\"channel\":\"online\""));
	assert_non_null(strstr(out, "\"id\":\"e1\""));
	free(out);
}

TEST(test_without_a_key_personal_members_become_null)
{
	char *out = redact_text("{\"complainant_phone\":\"" WHAT "\",\"complainant_name\":42}",
				NULL, 0);
	assert_non_null(out);
	assert_null(strstr(out, WHAT));
	assert_non_null(strstr(out, "\"complainant_phone\":null"));
	assert_non_null(strstr(out, "\"complainant_name\":null"));
	free(out);
}

TEST(test_nothing_to_replace_gives_null)
{
	assert_null(redact_text("{\"channel\":\"online\"}", JEFE, sizeof(JEFE) - 1));
	assert_null(redact_text("{\"complainant_phone\":\"" WHAT_HMAC "\"}", JEFE, sizeof(JEFE) - 1));
	assert_null(redact_text("{\"complainant_phone\":null}", NULL, 0));
	assert_null(redact_text("[\"" WHAT "\"]", JEFE, sizeof(JEFE) - 1));
	assert_null(redact_any(NULL, NULL, JEFE, sizeof(JEFE) - 1, &(size_t){0}));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_is_the_keyed_sha256_in_lowercase_hex),
		cmocka_unit_test(test_reused_hmac_gives_the_one_shot_hash),
		cmocka_unit_test(test_decoder_with_the_reused_hmac_stores_the_same_hash),
		cmocka_unit_test(test_only_a_well_formed_hash_counts_as_hashed),
		cmocka_unit_test(test_any_kinds_personal_members_are_replaced),
		cmocka_unit_test(test_without_a_key_personal_members_become_null),
		cmocka_unit_test(test_nothing_to_replace_gives_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
