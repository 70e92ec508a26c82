/* event: the CloudEvents envelope (structured and binary mode), the JSON
 * layer, generic data validation, COPY escaping, and the kind registry.
 * Kind-specific fields are in test_kind_*.c. */
#include "testutil.h"

#include "digest.h"
#include "rfc3339.h"

/* A valid structured-mode complaint, the base most tests mutate. */
#define BASE_JSON \
	"{\"specversion\":\"1.0\",\"id\":\"ts-1\",\"source\":\"/complaint-platform\"," \
	"\"type\":\"disclosure.complaint.received\",\"time\":\"2020-03-02T09:15:00+08:00\"," \
	"\"subject\":\"TS2020-000123\",\"agency\":\"yaodu-xinfang\"," \
	"\"datacontenttype\":\"application/json\"," \
	"\"data\":{\"channel\":\"online\",\"category\":\"urban management\"}}"
static const char BASE[] = BASE_JSON;

static const struct lineage LIN = LINEAGE("disclosure.complaints", 0, 7);

/* BASE's normalized columns, source .. kafka_offset. */
#define BASE_COLS                                                       \
	"/complaint-platform\tts-1\tyaodu-xinfang\tTS2020-000123\t"     \
	"2020-03-02 01:15:00.000000+00\tonline\turban management\t"      \
	"\\N\t\\N\t\\N\t"                                \
	"disclosure.complaints\t0\t7"

/* Asserts that row's normalized columns are `cols`. */
static void tu_assert_cols(const char *row, const char *cols, const char *file, int line)
{
	char *got = tu_normalized(row);
	_assert_string_equal(got, cols, file, line);
	free(got);
}
#define assert_cols(row, cols) tu_assert_cols((row), (cols), __FILE__, __LINE__)

/* A valid reception, for integer fields. */
static const char RECEPTION[] =
	"{\"specversion\":\"1.0\",\"id\":\"rc-1\",\"source\":\"/reception-office\","
	"\"type\":\"disclosure.reception.held\",\"time\":\"2020-05-12T09:00:00+08:00\","
	"\"subject\":\"RC2020-017\",\"agency\":\"yaodu-xinfang\","
	"\"data\":{\"leader\":\"deputy director\",\"visitors\":6}}";

/* BASE with one attribute replaced (value taken) or removed (NULL). */
static void decode_with_attr(struct tev *t, const char *name, json_t *value)
{
	json_t *ev = tu_parse(BASE);
	if (value)
		tu_attr_set(ev, name, value);
	else
		tu_attr_del(ev, name);
	tev_decode_json(t, ev);
}

/* ---- structured mode ---------------------------------------------------- */

TEST(test_structured_event_decodes_to_normalized_row)
{
	struct tev t;
	tev_decode_str(&t, BASE);
	assert_decodes(&t);
	assert_false(t.d.binary);
	assert_string_equal(t.d.kind->type, "disclosure.complaint.received");
	assert_int_equal(t.d.time_us, 1583111700000000LL);
	/* Normalized columns, then no key, no headers, the payload, 'f'. */
	assert_string_equal(tev_row(&t, &LIN), BASE_COLS "\t\\N\t\\N\t" BASE_JSON "\tf\n");
	tev_free(&t);
}

TEST(test_datacontenttype_is_optional)
{
	struct tev t;
	decode_with_attr(&t, "datacontenttype", NULL);
	assert_decodes(&t);
	assert_cols(tev_row(&t, &LIN), BASE_COLS);
	tev_free(&t);
}

TEST(test_datacontenttype_with_parameters_is_accepted)
{
	struct tev t;
	decode_with_attr(&t, "datacontenttype", json_string("application/json; charset=utf-8"));
	assert_decodes(&t);
	tev_free(&t);
}

TEST(test_datacontenttype_other_than_json_is_bad_attribute)
{
	struct tev t;
	decode_with_attr(&t, "datacontenttype", json_string("text/xml"));
	assert_rejected(&t, REASON_BAD_ATTRIBUTE, "datacontenttype");
	assert_message_has(&t, "\"text/xml\"");
	tev_free(&t);
}

TEST(test_unknown_envelope_members_are_ignored)
{
	struct tev t;
	decode_with_attr(&t, "traceparent", json_string("00-abc-def-01"));
	assert_decodes(&t);
	assert_cols(tev_row(&t, &LIN), BASE_COLS);
	tev_free(&t);
}

/* ---- binary mode -------------------------------------------------------- */

#define HDR(name, literal) { (name), (literal), sizeof(literal) - 1 }

#define BINARY_BODY_JSON "{\"channel\":\"online\",\"category\":\"urban management\"}"
static const char BINARY_BODY[] = BINARY_BODY_JSON;

static const struct event_header BINARY_HEADERS[] = {
	HDR("ce_specversion", "1.0"),
	HDR("ce_id", "ts-1"),
	HDR("ce_source", "/complaint-platform"),
	HDR("ce_type", "disclosure.complaint.received"),
	HDR("ce_time", "2020-03-02T09:15:00+08:00"),
	HDR("ce_subject", "TS2020-000123"),
	HDR("ce_agency", "yaodu-xinfang"),
	HDR("content-type", "application/json"),
};
#define NBINARY (sizeof(BINARY_HEADERS) / sizeof(BINARY_HEADERS[0]))

static void decode_binary(struct tev *t, const struct event_header *h, size_t nh,
			  const char *body)
{
	tev_decode_full(t, body, strlen(body), h, nh, TU_MAX_BYTES);
}

/* The binary headers with header `name` replaced by (value, len), or
 * dropped when value is NULL; returns the count. */
static size_t headers_with(struct event_header *out, const char *name, const void *value,
			   size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < NBINARY; i++) {
		if (strcmp(BINARY_HEADERS[i].name, name) == 0) {
			if (value)
				out[n++] = (struct event_header){name, value, len};
		} else {
			out[n++] = BINARY_HEADERS[i];
		}
	}
	return n;
}

TEST(test_binary_mode_decodes_equal_to_structured_mode)
{
	struct tev s, b;
	tev_decode_str(&s, BASE);
	decode_binary(&b, BINARY_HEADERS, NBINARY, BINARY_BODY);
	assert_decodes(&s);
	assert_decodes(&b);
	assert_true(b.d.binary);
	assert_false(s.d.binary);
	assert_ptr_equal(b.d.kind, s.d.kind);
	assert_int_equal(b.d.time_us, s.d.time_us);
	for (size_t i = 0; i < s.d.kind->nfields; i++) {
		assert_int_equal(b.d.v[i].present, s.d.v[i].present);
		assert_int_equal(b.d.v[i].s.n, s.d.v[i].s.n);
		assert_memory_equal(b.d.v[i].s.p, s.d.v[i].s.p, s.d.v[i].s.n);
	}
	assert_int_equal(b.d.subject.n, s.d.subject.n);
	assert_memory_equal(b.d.subject.p, s.d.subject.p, s.d.subject.n);
	char *srow = strdup(tev_row(&s, &LIN));
	assert_cols(srow, BASE_COLS);
	assert_cols(tev_row(&b, &LIN), BASE_COLS);
	/* The raw columns differ as they should: the body, and binary_mode. */
	assert_string_equal(tev_row(&b, &LIN), BASE_COLS "\t\\N\t\\N\t" BINARY_BODY_JSON "\tt\n");
	assert_string_equal(srow, BASE_COLS "\t\\N\t\\N\t" BASE_JSON "\tf\n");
	free(srow);
	tev_free(&s);
	tev_free(&b);
}

TEST(test_binary_mode_without_content_type_decodes)
{
	struct event_header h[NBINARY];
	size_t n = headers_with(h, "content-type", NULL, 0);
	struct tev t;
	decode_binary(&t, h, n, BINARY_BODY);
	assert_decodes(&t);
	assert_cols(tev_row(&t, &LIN), BASE_COLS);
	tev_free(&t);
}

TEST(test_binary_mode_repeated_header_last_one_wins)
{
	struct event_header h[NBINARY + 1];
	memcpy(h, BINARY_HEADERS, sizeof(BINARY_HEADERS));
	h[NBINARY] = (struct event_header)HDR("ce_id", "ts-2");
	struct tev t;
	decode_binary(&t, h, NBINARY + 1, BINARY_BODY);
	assert_decodes(&t);
	assert_int_equal(t.d.id.n, 4);
	assert_memory_equal(t.d.id.p, "ts-2", 4);
	tev_free(&t);
}

TEST(test_binary_mode_without_agency_header_is_missing_attribute)
{
	struct event_header h[NBINARY];
	size_t n = headers_with(h, "ce_agency", NULL, 0);
	struct tev t;
	decode_binary(&t, h, n, BINARY_BODY);
	assert_rejected(&t, REASON_MISSING_ATTRIBUTE, "agency");
	tev_free(&t);
}

TEST(test_binary_mode_header_with_invalid_utf8_is_bad_attribute)
{
	static const char *const bad[] = {
		"TS\xff\xfe",         /* not UTF-8 at all */
		"TS\xc0\xaf",         /* overlong '/' */
		"TS\xe0\x80\xaf",     /* overlong, 3 bytes */
		"TS\xed\xa0\x80",     /* UTF-16 surrogate */
		"TS\xf4\x90\x80\x80", /* beyond U+10FFFF */
		"TS\xe5\xb0",         /* truncated */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct event_header h[NBINARY];
		size_t n = headers_with(h, "ce_subject", bad[i], strlen(bad[i]));
		struct tev t;
		decode_binary(&t, h, n, BINARY_BODY);
		assert_rejected(&t, REASON_BAD_ATTRIBUTE, "subject");
		assert_message_has(&t, "ce_subject");
		tev_free(&t);
	}
}

TEST(test_binary_mode_header_with_utf8_text_is_accepted)
{
	static const char subject[] = "TS-尧都-\xf0\x9f\x93\x84"; /* CJK and a 4-byte emoji */
	struct event_header h[NBINARY];
	size_t n = headers_with(h, "ce_subject", subject, sizeof(subject) - 1);
	struct tev t;
	decode_binary(&t, h, n, BINARY_BODY);
	assert_decodes(&t);
	assert_int_equal(t.d.subject.n, sizeof(subject) - 1);
	assert_memory_equal(t.d.subject.p, subject, sizeof(subject) - 1);
	tev_free(&t);
}

TEST(test_binary_mode_header_with_nul_byte_is_bad_attribute)
{
	struct event_header h[NBINARY];
	size_t n = headers_with(h, "ce_id", "ts\0-1", 5);
	struct tev t;
	decode_binary(&t, h, n, BINARY_BODY);
	assert_rejected(&t, REASON_BAD_ATTRIBUTE, "id");
	tev_free(&t);
}

TEST(test_binary_mode_array_body_is_not_object)
{
	struct tev t;
	decode_binary(&t, BINARY_HEADERS, NBINARY, "[\"online\"]");
	assert_rejected(&t, REASON_NOT_OBJECT, NULL);
	tev_free(&t);
}

TEST(test_binary_mode_body_with_envelope_member_is_unknown_field)
{
	/* In binary mode the body is data, not an envelope. */
	struct tev t;
	decode_binary(&t, BINARY_HEADERS, NBINARY, "{\"channel\":\"online\",\"specversion\":\"1.0\"}");
	assert_rejected(&t, REASON_UNKNOWN_FIELD, "data");
	tev_free(&t);
}

TEST(test_binary_mode_ce_datacontenttype_other_than_json_is_bad_attribute)
{
	struct event_header h[NBINARY + 1];
	memcpy(h, BINARY_HEADERS, sizeof(BINARY_HEADERS));
	h[NBINARY] = (struct event_header)HDR("ce_datacontenttype", "text/plain");
	struct tev t;
	decode_binary(&t, h, NBINARY + 1, BINARY_BODY);
	assert_rejected(&t, REASON_BAD_ATTRIBUTE, "datacontenttype");
	assert_message_has(&t, "\"text/plain\"");
	tev_free(&t);
}

/* BUG (consumers/event.c:195): the Kafka `content-type` header carries
 * datacontenttype in binary mode, but get_attr() prefixes "ce_", so the
 * lookup is for "ce_content-type" and the header is never read. */
TEST(test_binary_mode_content_type_header_other_than_json_is_bad_attribute)
{
	struct event_header h[NBINARY];
	size_t n = headers_with(h, "content-type", "text/plain", 10);
	struct tev t;
	decode_binary(&t, h, n, BINARY_BODY);
	assert_rejected(&t, REASON_BAD_ATTRIBUTE, "datacontenttype");
	assert_message_has(&t, "\"text/plain\"");
	tev_free(&t);
}

TEST(test_headers_without_ce_specversion_mean_structured_mode)
{
	struct event_header h[] = {HDR("content-type", "application/cloudevents+json"),
				   HDR("ce_id", "ignored")};
	struct tev t;
	tev_decode_full(&t, BASE, strlen(BASE), h, 2, TU_MAX_BYTES);
	assert_decodes(&t);
	assert_false(t.d.binary);
	assert_cols(tev_row(&t, &LIN), BASE_COLS);
	tev_free(&t);
}

/* ---- specversion -------------------------------------------------------- */

TEST(test_missing_specversion_is_missing_attribute)
{
	struct tev t;
	decode_with_attr(&t, "specversion", NULL);
	assert_rejected(&t, REASON_MISSING_ATTRIBUTE, "specversion");
	tev_free(&t);
}

TEST(test_specversion_0_3_is_bad_specversion)
{
	struct tev t;
	decode_with_attr(&t, "specversion", json_string("0.3"));
	assert_rejected(&t, REASON_BAD_SPECVERSION, "specversion");
	assert_message_has(&t, "\"0.3\"");
	tev_free(&t);
}

TEST(test_specversion_1_0_with_suffix_is_bad_specversion)
{
	struct tev t;
	decode_with_attr(&t, "specversion", json_string("1.0.1"));
	assert_rejected(&t, REASON_BAD_SPECVERSION, "specversion");
	tev_free(&t);
}

TEST(test_numeric_specversion_is_bad_attribute)
{
	struct tev t;
	decode_with_attr(&t, "specversion", json_real(1.0));
	assert_rejected(&t, REASON_BAD_ATTRIBUTE, "specversion");
	tev_free(&t);
}

/* ---- id, source, type, subject ------------------------------------------ */

static void check_attr_missing_and_empty(const char *name)
{
	struct tev t;
	decode_with_attr(&t, name, NULL);
	assert_rejected(&t, REASON_MISSING_ATTRIBUTE, name);
	assert_message_has(&t, name);
	tev_free(&t);

	decode_with_attr(&t, name, json_null());
	assert_rejected(&t, REASON_MISSING_ATTRIBUTE, name);
	tev_free(&t);

	decode_with_attr(&t, name, json_string(""));
	assert_rejected(&t, REASON_BAD_ATTRIBUTE, name);
	assert_message_has(&t, "empty");
	tev_free(&t);

	decode_with_attr(&t, name, json_integer(17));
	assert_rejected(&t, REASON_BAD_ATTRIBUTE, name);
	tev_free(&t);
}

TEST(test_id_missing_or_empty_is_rejected) { check_attr_missing_and_empty("id"); }
TEST(test_source_missing_or_empty_is_rejected) { check_attr_missing_and_empty("source"); }
TEST(test_type_missing_or_empty_is_rejected) { check_attr_missing_and_empty("type"); }
TEST(test_subject_missing_or_empty_is_rejected) { check_attr_missing_and_empty("subject"); }

TEST(test_id_of_128_bytes_is_accepted_and_129_rejected)
{
	struct tev t;
	decode_with_attr(&t, "id", tu_repeat('i', 128));
	assert_decodes(&t);
	tev_free(&t);
	decode_with_attr(&t, "id", tu_repeat('i', 129));
	assert_rejected(&t, REASON_BAD_ATTRIBUTE, "id");
	assert_message_has(&t, "1..128");
	tev_free(&t);
}

TEST(test_long_value_is_quoted_shortened_in_message)
{
	struct tev t;
	decode_with_attr(&t, "source", tu_repeat('s', 300));
	assert_rejected(&t, REASON_BAD_ATTRIBUTE, "source");
	assert_message_has(&t, "\"ssssssssssssssssssssssssssssssssssssssss\"... (300 bytes)");
	tev_free(&t);
}

TEST(test_subject_with_control_character_is_bad_attribute)
{
	struct tev t;
	decode_with_attr(&t, "subject", json_string("TS\t2020"));
	assert_rejected(&t, REASON_BAD_ATTRIBUTE, "subject");
	assert_message_has(&t, "\"TS\\u00092020\""); /* quoted: the message stays one line */
	tev_free(&t);
	decode_with_attr(&t, "id", json_string("a\nb"));
	assert_rejected(&t, REASON_BAD_ATTRIBUTE, "id");
	tev_free(&t);
}

TEST(test_unknown_type_is_unknown_type)
{
	struct tev t;
	decode_with_attr(&t, "type", json_string("disclosure.complaint.reopened"));
	assert_rejected(&t, REASON_UNKNOWN_TYPE, "type");
	assert_message_has(&t, "\"disclosure.complaint.reopened\"");
	tev_free(&t);
	decode_with_attr(&t, "type", json_string("disclosure.complaint"));
	assert_rejected(&t, REASON_UNKNOWN_TYPE, "type");
	tev_free(&t);
	decode_with_attr(&t, "type", json_string("DISCLOSURE.COMPLAINT.RECEIVED"));
	assert_rejected(&t, REASON_UNKNOWN_TYPE, "type");
	tev_free(&t);
}

/* ---- agency ------------------------------------------------------------- */

TEST(test_agency_missing_is_missing_attribute)
{
	struct tev t;
	decode_with_attr(&t, "agency", NULL);
	assert_rejected(&t, REASON_MISSING_ATTRIBUTE, "agency");
	tev_free(&t);
}

TEST(test_agency_empty_is_bad_attribute)
{
	struct tev t;
	decode_with_attr(&t, "agency", json_string(""));
	assert_rejected(&t, REASON_BAD_ATTRIBUTE, "agency");
	tev_free(&t);
}

TEST(test_agency_with_uppercase_is_bad_attribute)
{
	struct tev t;
	decode_with_attr(&t, "agency", json_string("Yaodu-Xinfang"));
	assert_rejected(&t, REASON_BAD_ATTRIBUTE, "agency");
	assert_message_has(&t, "\"Yaodu-Xinfang\"");
	tev_free(&t);
}

TEST(test_agency_starting_with_punctuation_is_bad_attribute)
{
	static const char *const bad[] = {"-yaodu", ".yaodu", "_yaodu", "yao du", "yaodu/x",
					  "尧都"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tev t;
		decode_with_attr(&t, "agency", json_string(bad[i]));
		assert_rejected(&t, REASON_BAD_ATTRIBUTE, "agency");
		tev_free(&t);
	}
}

TEST(test_agency_with_digits_dots_dashes_and_underscores_is_accepted)
{
	struct tev t;
	decode_with_attr(&t, "agency", json_string("0yaodu.xin_fang-2"));
	assert_decodes(&t);
	tev_free(&t);
	decode_with_attr(&t, "agency", tu_repeat('a', 64));
	assert_decodes(&t);
	tev_free(&t);
	decode_with_attr(&t, "agency", tu_repeat('a', 65));
	assert_rejected(&t, REASON_BAD_ATTRIBUTE, "agency");
	tev_free(&t);
}

/* ---- time --------------------------------------------------------------- */

TEST(test_time_missing_is_missing_attribute)
{
	struct tev t;
	decode_with_attr(&t, "time", NULL);
	assert_rejected(&t, REASON_MISSING_ATTRIBUTE, "time");
	tev_free(&t);
}

TEST(test_time_without_offset_is_quarantined_as_bad_time)
{
	struct tev t;
	decode_with_attr(&t, "time", json_string("2020-03-02T09:15:00"));
	assert_rejected(&t, REASON_BAD_TIME, "time");
	assert_message_has(&t, "\"2020-03-02T09:15:00\"");
	assert_message_has(&t, "offset");
	tev_free(&t);
}

TEST(test_time_on_february_29_2021_is_bad_time)
{
	struct tev t;
	decode_with_attr(&t, "time", json_string("2021-02-29T10:00:00+08:00"));
	assert_rejected(&t, REASON_BAD_TIME, "time");
	assert_message_has(&t, "\"2021-02-29T10:00:00+08:00\"");
	assert_message_has(&t, "no such calendar date");
	tev_free(&t);
}

TEST(test_time_at_year_boundary_normalizes_to_utc)
{
	struct tev t;
	decode_with_attr(&t, "time", json_string("2020-12-31T23:30:00+08:00"));
	assert_decodes(&t);
	assert_cols(tev_row(&t, &LIN),
		    "/complaint-platform\tts-1\tyaodu-xinfang\tTS2020-000123\t"
		    "2020-12-31 15:30:00.000000+00\tonline\turban management\t"
		    "\\N\t\\N\t\\N\tdisclosure.complaints\t0\t7");
	tev_free(&t);
}

TEST(test_numeric_time_is_bad_attribute)
{
	struct tev t;
	decode_with_attr(&t, "time", json_integer(1583111700));
	assert_rejected(&t, REASON_BAD_ATTRIBUTE, "time");
	tev_free(&t);
}

/* ---- the JSON layer ----------------------------------------------------- */

static void check_payload(const void *p, size_t n, enum reason r)
{
	struct tev t;
	tev_decode_bytes(&t, p, n);
	assert_rejected(&t, r, "");
	tev_free(&t);
}

TEST(test_invalid_json_is_bad_json)
{
	struct tev t;
	tev_decode_str(&t, "not json at all");
	assert_rejected(&t, REASON_BAD_JSON, "");
	assert_message_has(&t, "invalid JSON at byte");
	tev_free(&t);
}

TEST(test_truncated_json_is_bad_json)
{
	check_payload(BASE, strlen(BASE) - 1, REASON_BAD_JSON);
	check_payload(BASE, 20, REASON_BAD_JSON);
	check_payload("{\"specversion\":\"1.0\",\"id\":", 26, REASON_BAD_JSON);
}

TEST(test_empty_payload_is_bad_json)
{
	struct tev t;
	tev_decode_bytes(&t, "", 0);
	assert_rejected(&t, REASON_BAD_JSON, "");
	assert_message_has(&t, "empty");
	tev_free(&t);
}

TEST(test_json_array_payload_is_not_object)
{
	check_payload("[1,2,3]", 7, REASON_NOT_OBJECT);
	check_payload("[]", 2, REASON_NOT_OBJECT);
}

/* BUG (consumers/event.c:370): a bare JSON value is valid JSON (RFC 8259)
 * but not an object; json_loadb without JSON_DECODE_ANY refuses it, so it
 * is reported as bad_json instead of not_object. */
TEST(test_json_scalar_payload_is_not_object)
{
	check_payload("42", 2, REASON_NOT_OBJECT);
	check_payload("\"text\"", 6, REASON_NOT_OBJECT);
	check_payload("null", 4, REASON_NOT_OBJECT);
}

TEST(test_data_that_is_not_an_object_is_bad_field)
{
	struct tev t;
	decode_with_attr(&t, "data", json_pack("[s]", "online"));
	assert_rejected(&t, REASON_BAD_FIELD, "data");
	tev_free(&t);
	decode_with_attr(&t, "data", json_string("online"));
	assert_rejected(&t, REASON_BAD_FIELD, "data");
	tev_free(&t);
}

TEST(test_missing_data_reports_first_required_field)
{
	struct tev t;
	decode_with_attr(&t, "data", NULL);
	assert_rejected(&t, REASON_MISSING_FIELD, NULL);
	assert_string_equal(tu_bare(t.e.field), "channel");
	tev_free(&t);
	decode_with_attr(&t, "data", json_null());
	assert_rejected(&t, REASON_MISSING_FIELD, NULL);
	assert_string_equal(tu_bare(t.e.field), "channel");
	tev_free(&t);
}

TEST(test_duplicate_keys_are_bad_json)
{
	static const char top[] =
		"{\"specversion\":\"1.0\",\"id\":\"a\",\"id\":\"b\",\"source\":\"/s\","
		"\"type\":\"disclosure.complaint.closed\",\"time\":\"2020-01-01T00:00:00Z\","
		"\"subject\":\"s\",\"agency\":\"a\"}";
	static const char in_data[] =
		"{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"/s\","
		"\"type\":\"disclosure.complaint.received\",\"time\":\"2020-01-01T00:00:00Z\","
		"\"subject\":\"s\",\"agency\":\"a\","
		"\"data\":{\"channel\":\"online\",\"channel\":\"phone\"}}";
	struct tev t;
	tev_decode_str(&t, top);
	assert_rejected(&t, REASON_BAD_JSON, "");
	assert_message_has(&t, "duplicate");
	tev_free(&t);
	tev_decode_str(&t, in_data);
	assert_rejected(&t, REASON_BAD_JSON, "");
	tev_free(&t);
}

TEST(test_payload_larger_than_max_bytes_is_too_large)
{
	struct tev t;
	size_t n = strlen(BASE);
	tev_decode_full(&t, BASE, n, NULL, 0, n - 1);
	assert_rejected(&t, REASON_TOO_LARGE, "");
	char want[64];
	snprintf(want, sizeof(want), "%zu bytes exceeds the limit of %zu", n, n - 1);
	assert_message_has(&t, want);
	tev_free(&t);
	tev_decode_full(&t, BASE, n, NULL, 0, n);
	assert_decodes(&t);
	tev_free(&t);
}

TEST(test_too_large_is_decided_before_parsing)
{
	struct tev t;
	tev_decode_full(&t, "garbage!", 8, NULL, 0, 4);
	assert_rejected(&t, REASON_TOO_LARGE, "");
	tev_free(&t);
}

TEST(test_invalid_utf8_is_bad_json)
{
	static const char bad[] =
		"{\"specversion\":\"1.0\",\"id\":\"ts-\xc3\x28\",\"source\":\"/s\","
		"\"type\":\"disclosure.complaint.closed\",\"time\":\"2020-01-01T00:00:00Z\","
		"\"subject\":\"s\",\"agency\":\"a\"}";
	check_payload(bad, sizeof(bad) - 1, REASON_BAD_JSON);
	check_payload("{\"a\":\"\xff\"}", 9, REASON_BAD_JSON);
	check_payload("{\"a\":\"\xed\xa0\x80\"}", 11, REASON_BAD_JSON); /* surrogate */
	check_payload("{\"a\":\"\xc0\xaf\"}", 10, REASON_BAD_JSON);     /* overlong */
}

TEST(test_nul_byte_inside_payload_is_bad_json)
{
	static const char raw_in_string[] =
		"{\"specversion\":\"1.0\",\"id\":\"ts\0-1\",\"source\":\"/s\","
		"\"type\":\"disclosure.complaint.closed\",\"time\":\"2020-01-01T00:00:00Z\","
		"\"subject\":\"s\",\"agency\":\"a\"}";
	check_payload(raw_in_string, sizeof(raw_in_string) - 1, REASON_BAD_JSON);
	/* A C string terminator sent along with the JSON. */
	check_payload(BASE, sizeof(BASE), REASON_BAD_JSON);
}

TEST(test_escaped_nul_in_a_string_is_bad_json)
{
	struct tev t;
	json_t *ev = tu_parse(BASE);
	char *s = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(ev);
	/* "urban management" -> "urban\u0000management" */
	char *p = strstr(s, "urban management");
	assert_non_null(p);
	size_t n = strlen(s) + 8;
	char *q = malloc(n);
	snprintf(q, n, "%.*surban\\u0000management%s", (int)(p - s), s, p + 16);
	tev_decode_str(&t, q);
	assert_rejected(&t, REASON_BAD_JSON, "");
	tev_free(&t);
	free(q);
	free(s);
}

TEST(test_utf8_bom_before_json_is_bad_json)
{
	char *p = malloc(sizeof(BASE) + 3);
	memcpy(p, "\xef\xbb\xbf", 3);
	memcpy(p + 3, BASE, sizeof(BASE));
	check_payload(p, strlen(p), REASON_BAD_JSON);
	free(p);
}

TEST(test_deep_nesting_is_bad_json_without_crashing)
{
	size_t n = 10000;
	char *p = malloc(n);
	memset(p, '[', n);
	check_payload(p, n, REASON_BAD_JSON);
	free(p);

	/* The same depth inside data of an otherwise valid event. */
	static const char head[] =
		"{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"/s\","
		"\"type\":\"disclosure.complaint.closed\",\"time\":\"2020-01-01T00:00:00Z\","
		"\"subject\":\"s\",\"agency\":\"a\",\"data\":{\"result\":";
	size_t hn = sizeof(head) - 1;
	p = malloc(hn + 2 * n + 2);
	memcpy(p, head, hn);
	memset(p + hn, '[', n);
	memset(p + hn + n, ']', n);
	memcpy(p + hn + 2 * n, "}}", 2);
	check_payload(p, hn + 2 * n + 2, REASON_BAD_JSON);
	free(p);
}

TEST(test_integer_beyond_int64_is_bad_json)
{
	json_t *ev = tu_parse(RECEPTION);
	char *s = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(ev);
	char *p = strstr(s, "\"visitors\":6");
	assert_non_null(p);
	char buf[1024];
	snprintf(buf, sizeof(buf), "%.*s\"visitors\":99999999999999999999999%s",
		 (int)(p - s), s, p + 12);
	free(s);
	struct tev t;
	tev_decode_str(&t, buf);
	assert_rejected(&t, REASON_BAD_JSON, "");
	tev_free(&t);
}

TEST(test_int64_max_visitors_is_out_of_range)
{
	check_bad(RECEPTION, "visitors", json_integer(INT64_MAX), "9223372036854775807");
	check_bad(RECEPTION, "visitors", json_integer(INT64_MIN), "-9223372036854775808");
}

TEST(test_negative_visitors_is_bad_field)
{
	check_bad(RECEPTION, "visitors", json_integer(-4), "data.visitors=-4 is outside 0..100000");
}

/* ---- data fields, generic ----------------------------------------------- */

/* BUG (consumers/event.c:329): every other data error names the field by
 * its path ("data.channel" for a bad value, "data.account" from a kind's
 * check), but a missing required field is stored as bare "channel", so
 * quarantine.field differs for the same field depending on the reason. */
TEST(test_missing_data_field_is_reported_with_its_data_path)
{
	struct tev t;
	json_t *ev = tu_parse(BASE);
	tu_data_del(ev, "channel");
	tev_decode_json(&t, ev);
	assert_rejected(&t, REASON_MISSING_FIELD, "data.channel");
	tev_free(&t);
}

TEST(test_null_optional_field_is_written_as_null)
{
	struct tev t;
	json_t *ev = tu_parse(BASE);
	tu_data_set(ev, "category", json_null());
	tev_decode_json(&t, ev);
	assert_decodes(&t);
	assert_null(decoded_field(&t.d, "category"));
	assert_non_null(decoded_field(&t.d, "channel"));
	assert_null(decoded_field(&t.d, "no_such_field"));
	assert_cols(tev_row(&t, &LIN),
		    "/complaint-platform\tts-1\tyaodu-xinfang\tTS2020-000123\t"
		    "2020-03-02 01:15:00.000000+00\tonline\t\\N\t"
		    "\\N\t\\N\t\\N\tdisclosure.complaints\t0\t7");
	tev_free(&t);
}

/* Every backslash doubled: the COPY text form of JSON text, which has no
 * raw tab, newline or carriage return. */
static char *double_backslashes(const char *s)
{
	char *out = malloc(2 * strlen(s) + 1), *o = out;
	for (; *s; s++) {
		assert_true(*s != '\t' && *s != '\n' && *s != '\r');
		if (*s == '\\')
			*o++ = '\\';
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

TEST(test_sql_metacharacters_are_escaped_in_copy_line)
{
	/* JSON text; its escapes decode to a backslash, tab, LF and CR. */
	static const char json[] =
		"{\"specversion\":\"1.0\",\"id\":\"x'; DROP TABLE x; --\","
		"\"source\":\"/a\\\"b'c\",\"type\":\"disclosure.complaint.received\","
		"\"time\":\"2020-03-02T09:15:00+08:00\",\"subject\":\"TS\\\\2020\\\\N\","
		"\"agency\":\"yaodu-xinfang\",\"data\":{\"channel\":\"online\","
		"\"category\":\"'; DROP TABLE x; --\\\\ a\\tb\\nc\\rd\\\\N\"}}";
	struct tev t;
	tev_decode_str(&t, json);
	assert_decodes(&t);
	const char *row = tev_row(&t, &LIN);
	assert_cols(row, "/a\"b'c\tx'; DROP TABLE x; --\tyaodu-xinfang\tTS\\\\2020\\\\N\t"
			 "2020-03-02 01:15:00.000000+00\tonline\t"
			 "'; DROP TABLE x; --\\\\ a\\tb\\nc\\rd\\\\N\t"
			 "\\N\t\\N\t\\N\tdisclosure.complaints\t0\t7");
	/* The payload column is the JSON text with its backslashes doubled. */
	char *payload = double_backslashes(json);
	char *want = malloc(strlen(payload) + 16);
	sprintf(want, "\t\\N\t\\N\t%s\tf\n", payload);
	assert_true(strlen(row) > strlen(want));
	assert_string_equal(row + strlen(row) - strlen(want), want);
	assert_int_equal(tu_count(row, strlen(row), '\n'), 1);
	free(want);
	free(payload);
	tev_free(&t);
}

TEST(test_raw_columns_hold_key_as_bytea_and_headers_as_escaped_text)
{
	static const char headers[] = "[{\"name\":\"trace\",\"value\":\"a\\tb\"}]";
	struct tev t;
	tev_decode_str(&t, BASE);
	assert_decodes(&t);
	struct event_raw raw = {"k\0\xff", 3, headers, sizeof(headers) - 1, t.payload, t.len};
	assert_string_equal(tev_row_raw(&t, &LIN, &raw),
			    BASE_COLS "\t\\\\x6b00ff\t[{\"name\":\"trace\",\"value\":\"a\\\\tb\"}]\t"
			    BASE_JSON "\tf\n");
	tev_free(&t);
}

TEST(test_row_columns_follow_sink_kind_columns)
{
	struct buf b = BUF_INIT;
	sink_kind_columns(event_kind_find("disclosure.complaint.received", 29), ", ", &b);
	assert_string_equal(buf_cstr(&b),
			    "source, event_id, agency, subject, event_time, channel, category, "
			    "complainant_name, complainant_phone, complainant_id_number, "
			    "topic, kafka_partition, kafka_offset, kafka_key, headers, payload, "
			    "binary_mode, content_digest");
	buf_free(&b);
}

TEST(test_lineage_topic_is_escaped_and_offsets_written_in_full)
{
	static const struct lineage lin = LINEAGE("odd\ttopic\\", 2147483647, 9007199254740993LL);
	struct tev t;
	tev_decode_str(&t, BASE);
	assert_decodes(&t);
	const char *row = tev_row(&t, &lin);
	assert_cols(row, "/complaint-platform\tts-1\tyaodu-xinfang\tTS2020-000123\t"
			 "2020-03-02 01:15:00.000000+00\tonline\turban management\t"
			 "\\N\t\\N\t\\N\todd\\ttopic\\\\\t2147483647\t9007199254740993");
	tev_free(&t);
}

TEST(test_utf8_text_passes_through_unchanged)
{
	struct tev t;
	json_t *ev = tu_parse(BASE);
	tu_data_set(ev, "category", json_string("城市管理"));
	tev_decode_json(&t, ev);
	assert_decodes(&t);
	assert_non_null(strstr(tev_row(&t, &LIN), "\tonline\t城市管理\t"));
	tev_free(&t);
}

/* BUG (consumers/event.c:32-41): quote_value() escapes up to 40 bytes and
 * then cuts the result to the caller's 96-byte buffer with snprintf, which
 * can split a UTF-8 sequence. The message goes to quarantine.reason (text),
 * where PostgreSQL rejects invalid UTF-8 and the whole batch is retried. */
TEST(test_rejection_message_is_valid_utf8_when_a_quoted_value_is_cut)
{
	for (size_t ctl = 1; ctl <= 20; ctl++) {
		char v[128];
		size_t n = 0;
		for (size_t i = 0; i < ctl; i++)
			v[n++] = '\x01';
		for (size_t i = 0; i < 8; i++)
			n += (size_t)sprintf(v + n, "中");
		v[n] = '\0';
		struct tev t;
		decode_with_attr(&t, "id", json_string(v));
		assert_rejected(&t, REASON_BAD_ATTRIBUTE, "id");
		if (!utf8_valid(t.e.message, strlen(t.e.message)))
			fail_msg("id of %zu control characters and CJK text: the message "
				 "(%zu bytes) is not valid UTF-8", ctl, strlen(t.e.message));
		tev_free(&t);
	}
}

/* ---- order independence -------------------------------------------------- */

/* Lifecycles arriving out of order or twice are resolved by storage (SQL
 * views); here each event must decode alone, the same in any order. */
TEST(test_decoding_is_independent_of_order_and_repetition)
{
	size_t nk = event_kind_count();
	char **rows = calloc(nk, sizeof(*rows));
	assert_non_null(rows);
	for (size_t i = 0; i < nk; i++) {
		struct tev t;
		tev_decode_str(&t, event_kinds[i]->example);
		assert_decodes(&t);
		rows[i] = strdup(tev_row(&t, &LIN));
		tev_free(&t);
	}
	for (size_t round = 0; round < 2; round++) {
		for (size_t j = nk; j-- > 0;) { /* reverse order, twice */
			struct tev t;
			tev_decode_str(&t, event_kinds[j]->example);
			assert_decodes(&t);
			assert_string_equal(tev_row(&t, &LIN), rows[j]);
			tev_free(&t);
		}
	}
	for (size_t i = 0; i < nk; i++)
		free(rows[i]);
	free(rows);
}

/* ---- registry, reason codes, schema -------------------------------------- */

TEST(test_registry_lists_fifteen_kinds_found_by_type)
{
	assert_int_equal(event_kind_count(), 15);
	for (size_t i = 0; i < event_kind_count(); i++) {
		const struct kind_spec *k = event_kinds[i];
		assert_ptr_equal(event_kind_find(k->type, strlen(k->type)), k);
		assert_int_equal(event_kind_index(k), i);
		assert_int_equal(event_kind_lookup(k->type, strlen(k->type)), i);
		assert_true(k->nfields <= EVENT_MAX_FIELDS);
		for (size_t j = 0; j < i; j++) {
			assert_string_not_equal(event_kinds[j]->type, k->type);
			assert_string_not_equal(event_kinds[j]->table, k->table);
		}
	}
	assert_null(event_kinds[event_kind_count()]);
	assert_null(event_kind_find("disclosure.complaint", 20));
	assert_null(event_kind_find("disclosure.complaint.received.x", 31));
	assert_int_equal(event_kind_index(NULL), (size_t)-1);
	assert_int_equal(event_kind_lookup("disclosure.complaint", 20), (size_t)-1);
}

/* ---- the content digest (docs/events.md, "Duplicates") ---------------- */

/* BASE's canonical content, written out by hand: sorted keys, compact,
 * the time in UTC. */
#define BASE_CANONICAL                                                        \
	"{\"agency\":\"yaodu-xinfang\",\"data\":{\"category\":\"urban management\"," \
	"\"channel\":\"online\"},\"subject\":\"TS2020-000123\","                  \
	"\"time\":\"2020-03-02 01:15:00.000000+00\","                              \
	"\"type\":\"disclosure.complaint.received\"}"

TEST(test_canonical_content_is_sorted_compact_and_in_utc)
{
	struct tev t;
	struct buf b = BUF_INIT;
	tev_decode_str(&t, BASE);
	assert_decodes(&t);
	event_content_canonical(&t.d, &b);
	assert_string_equal(buf_cstr(&b), BASE_CANONICAL);
	unsigned char md[32];
	sha256_raw(b.data, b.len, md);
	assert_memory_equal(t.d.digest, md, sizeof(md));
	buf_free(&b);
	tev_free(&t);
}

/* Same content: another mode, member order, white space, time zone
 * notation, header order, envelope extras, an optional field sent as null. */
TEST(test_same_content_has_the_same_digest_whatever_the_form)
{
	static const char *const same[] = {
		"{ \"data\" : {\"category\":\"urban management\", \"channel\":\"online\"},\n"
		"  \"agency\":\"yaodu-xinfang\", \"subject\":\"TS2020-000123\","
		"  \"time\":\"2020-03-02T01:15:00Z\", \"type\":\"disclosure.complaint.received\","
		"  \"source\":\"/complaint-platform\", \"id\":\"ts-1\", \"specversion\":\"1.0\","
		"  \"dataschema\":\"urn:x\"}",
		"{\"specversion\":\"1.0\",\"id\":\"ts-1\",\"source\":\"/complaint-platform\","
		"\"type\":\"disclosure.complaint.received\",\"time\":\"2020-03-02T01:15:00.000000+00:00\","
		"\"subject\":\"TS2020-000123\",\"agency\":\"yaodu-xinfang\","
		"\"data\":{\"channel\":\"online\",\"category\":\"urban management\","
		"\"complainant_name\":null}}",
	};
	struct tev base, t;
	tev_decode_str(&base, BASE);
	assert_decodes(&base);
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		tev_decode_str(&t, same[i]);
		assert_decodes(&t);
		assert_memory_equal(t.d.digest, base.d.digest, 32);
		tev_free(&t);
	}
	/* Binary mode, headers in another order than BINARY_HEADERS. */
	struct event_header h[NBINARY];
	for (size_t i = 0; i < NBINARY; i++)
		h[i] = BINARY_HEADERS[NBINARY - 1 - i];
	decode_binary(&t, h, NBINARY, BINARY_BODY);
	assert_decodes(&t);
	assert_true(t.d.binary);
	assert_memory_equal(t.d.digest, base.d.digest, 32);
	tev_free(&t);
	tev_free(&base);
}

/* Other content: each part of the canonical form counts. The identity
 * (source, id) is not content. */
TEST(test_other_content_has_another_digest)
{
	struct tev base, t;
	tev_decode_str(&base, BASE);
	assert_decodes(&base);
	static const struct {
		const char *attr, *value; /* attribute, or data member when attr is NULL */
		const char *field, *fvalue;
	} change[] = {
		{"subject", "TS2020-000124", NULL, NULL},
		{"agency", "other-office", NULL, NULL},
		{"time", "2020-03-02T09:15:01+08:00", NULL, NULL},
		{NULL, NULL, "category", "rural management"},
		{NULL, NULL, "channel", "letter"},
	};
	for (size_t i = 0; i < sizeof(change) / sizeof(change[0]); i++) {
		json_t *ev = tu_parse(BASE);
		if (change[i].attr)
			tu_attr_set(ev, change[i].attr, json_string(change[i].value));
		else
			tu_data_set(ev, change[i].field, json_string(change[i].fvalue));
		tev_decode_json(&t, ev);
		assert_decodes(&t);
		if (memcmp(t.d.digest, base.d.digest, 32) == 0)
			fail_msg("change %zu left the digest as it was", i);
		tev_free(&t);
	}
	json_t *ev = tu_parse(BASE); /* a missing optional field is other content */
	tu_data_del(ev, "category");
	tev_decode_json(&t, ev);
	assert_decodes(&t);
	assert_memory_not_equal(t.d.digest, base.d.digest, 32);
	tev_free(&t);
	ev = tu_parse(BASE);
	tu_attr_set(ev, "id", json_string("ts-2"));
	tu_attr_set(ev, "source", json_string("/elsewhere"));
	tev_decode_json(&t, ev);
	assert_decodes(&t);
	assert_memory_equal(t.d.digest, base.d.digest, 32);
	tev_free(&t);
	tev_free(&base);
}

/* The reusable buffer gives the same digest as a temporary one. */
TEST(test_digest_with_a_reused_buffer)
{
	struct buf scratch = BUF_INIT;
	buf_puts(&scratch, "left over from the last event");
	struct decode_limits lim = {.max_bytes = TU_MAX_BYTES, .scratch = &scratch};
	struct event_input in = {BASE, strlen(BASE), NULL, 0};
	struct decoded d;
	struct decode_error e;
	struct tev base;
	tev_decode_str(&base, BASE);
	assert_decodes(&base);
	assert_int_equal(event_decode(&in, &lim, &d, &e), 0);
	assert_memory_equal(d.digest, base.d.digest, 32);
	decoded_release(&d);
	tev_free(&base);
	buf_free(&scratch);
}

/* The reusable hasher the daemon decodes with gives what the one-shot
 * digest gives: FIPS 180-2's "abc" vector, then an event's digest twice
 * (the context is reused). */
TEST(test_reused_hasher_gives_the_one_shot_digest)
{
	static const unsigned char abc[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae,
		0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61,
		0xf2, 0x00, 0x15, 0xad};
	unsigned char out[32];
	struct sha256 *h = sha256_new();
	assert_non_null(h);
	sha256_sum(h, "abc", 3, out);
	assert_memory_equal(out, abc, 32);
	struct buf scratch = BUF_INIT;
	struct decode_limits lim = {.max_bytes = TU_MAX_BYTES, .scratch = &scratch, .sha = h};
	struct tev base;
	tev_decode_str(&base, BASE);
	assert_decodes(&base);
	for (int i = 0; i < 2; i++) {
		struct event_input in = {BASE, strlen(BASE), NULL, 0};
		struct decoded d;
		struct decode_error e;
		assert_int_equal(event_decode(&in, &lim, &d, &e), 0);
		assert_memory_equal(d.digest, base.d.digest, 32);
		decoded_release(&d);
	}
	tev_free(&base);
	buf_free(&scratch);
	sha256_free(h);
}

/* ---- the canonical form against its first implementation ------------- */

/* buf_json_string and event_content_canonical as first written (a byte at
 * a time, the fields sorted anew for every event). The faster ones must
 * give the very same bytes: a digest that changed would make every stored
 * event look like a conflicting duplicate of its own re-delivery. */
static size_t ref_utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0], min;
	size_t len;
	if (c < 0x80)
		return c ? 1 : 0;
	if ((c & 0xe0) == 0xc0) { len = 2; min = 0x80; c &= 0x1f; }
	else if ((c & 0xf0) == 0xe0) { len = 3; min = 0x800; c &= 0x0f; }
	else if ((c & 0xf8) == 0xf0) { len = 4; min = 0x10000; c &= 0x07; }
	else return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return len;
}

static void ref_json_string(struct buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	buf_putc(b, '"');
	for (size_t i = 0; i < n;) {
		unsigned c = u[i];
		if (c == '"' || c == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, (char)c);
			i++;
		} else if (c < 0x20) {
			buf_printf(b, "\\u%04x", c);
			i++;
		} else {
			size_t l = ref_utf8_seq(u + i, n - i);
			if (l) {
				buf_append(b, u + i, l);
				i += l;
			} else {
				buf_puts(b, "\xef\xbf\xbd");
				i++;
			}
		}
	}
	buf_putc(b, '"');
}

static void ref_member(struct buf *out, const char *name, bool *first)
{
	if (!*first)
		buf_putc(out, ',');
	*first = false;
	ref_json_string(out, name, strlen(name));
	buf_putc(out, ':');
}

static void ref_utc(struct buf *out, int64_t us)
{
	char ts[RFC3339_UTC_LEN + 1];
	rfc3339_format_utc(us, ts);
	buf_putc(out, '"');
	buf_append(out, ts, RFC3339_UTC_LEN);
	buf_putc(out, '"');
}

static void ref_canonical(const struct decoded *d, struct buf *out)
{
	const struct kind_spec *k = d->kind;
	size_t order[EVENT_MAX_FIELDS], n = 0;
	for (size_t i = 0; i < k->nfields; i++) {
		size_t j = n++;
		for (; j > 0 && strcmp(k->fields[order[j - 1]].name, k->fields[i].name) > 0; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	bool first = true, dfirst = true;
	buf_putc(out, '{');
	ref_member(out, "agency", &first);
	ref_json_string(out, d->agency.p, d->agency.n);
	ref_member(out, "data", &first);
	buf_putc(out, '{');
	for (size_t j = 0; j < n; j++) {
		const struct field_spec *f = &k->fields[order[j]];
		const struct field_value *v = &d->v[order[j]];
		if (!v->present)
			continue;
		ref_member(out, f->name, &dfirst);
		switch (f->type) {
		case FT_INT: buf_put_i64(out, v->i); break;
		case FT_BOOL: buf_puts(out, v->i ? "true" : "false"); break;
		case FT_TIME: ref_utc(out, v->i); break;
		case FT_DECIMAL:
			if (!v->s.p) {
				buf_putc(out, '"');
				buf_put_i64(out, v->i);
				buf_putc(out, '"');
				break;
			}
			/* fall through */
		case FT_STRING:
		case FT_ENUM:
		case FT_PERSONAL: ref_json_string(out, v->s.p, v->s.n); break;
		/* A correction's data: the target kind's canonical data, as
		 * test_kind_correction checks it. */
		case FT_DATA: buf_append(out, v->s.p, v->s.n); break;
		}
	}
	buf_putc(out, '}');
	ref_member(out, "subject", &first);
	ref_json_string(out, d->subject.p, d->subject.n);
	ref_member(out, "time", &first);
	ref_utc(out, d->time_us);
	ref_member(out, "type", &first);
	ref_json_string(out, d->type.p, d->type.n);
	buf_putc(out, '}');
}

/* Decodes json and compares both canonical forms; returns the kind. */
static size_t assert_canonical_as_first(const char *json)
{
	struct tev t;
	struct buf got = BUF_INIT, want = BUF_INIT;
	tev_decode_str(&t, json);
	assert_decodes(&t);
	event_content_canonical(&t.d, &got);
	ref_canonical(&t.d, &want);
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.data, want.data, want.len);
	/* The daemon's way: the order sorted once per decoder, a reused
	 * hasher; the digest is the first form's. */
	unsigned char md[32];
	sha256_raw(want.data, want.len, md);
	assert_memory_equal(t.d.digest, md, 32);
	struct decode_limits lim;
	decode_limits_init(&lim, TU_MAX_BYTES);
	assert_non_null(lim.canon);
	struct event_input in = {json, strlen(json), NULL, 0};
	struct decoded d;
	struct decode_error e;
	assert_int_equal(event_decode(&in, &lim, &d, &e), 0);
	assert_memory_equal(d.digest, md, 32);
	decoded_release(&d);
	decode_limits_free(&lim);
	size_t k = t.d.kind_idx;
	buf_free(&got);
	buf_free(&want);
	tev_free(&t);
	return k;
}

/* Every type in docs/examples.jsonl, as published and with text that needs
 * escaping (quote, backslash, control characters, DEL, non-ASCII) in the
 * subject and in every string field. */
TEST(test_canonical_form_is_byte_identical_to_the_first_implementation)
{
	/* Attributes must be printable; free text may hold control characters. */
	static const char subject[] = "q\"b\\s/ caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80";
	static const char odd[] = "q\"b\\s/\x01\x1f\x7f caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80";
	FILE *f = fopen(DISCLOSED_SOURCE_DIR "/docs/examples.jsonl", "r");
	assert_non_null(f);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	uint32_t seen = 0;
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		size_t k = assert_canonical_as_first(line);
		seen |= 1u << k;
		json_t *ev = tu_parse(line);
		tu_attr_set(ev, "subject", json_string(subject));
		json_t *data = json_object_get(ev, "data");
		for (size_t i = 0; i < event_kinds[k]->nfields; i++) {
			const struct field_spec *fs = &event_kinds[k]->fields[i];
			if (fs->type == FT_STRING && json_object_get(data, fs->name))
				json_object_set_new(data, fs->name, json_string(odd));
		}
		char *s = json_dumps(ev, JSON_COMPACT);
		assert_canonical_as_first(s);
		free(s);
		json_decref(ev);
	}
	free(line);
	fclose(f);
	assert_int_equal(seen, (1u << event_kind_count()) - 1);
	/* The canonical form writes field names unquoted-as-is: identifiers. */
	for (size_t k = 0; event_kinds[k]; k++)
		for (size_t i = 0; i < event_kinds[k]->nfields; i++) {
			const char *n = event_kinds[k]->fields[i].name;
			if (!*n || strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(n))
				fail_msg("field name \"%s\" is not an identifier", n);
		}
}

/* Arbitrary bytes, invalid UTF-8 included: the JSON string and the COPY
 * text come out as the byte-at-a-time encoders wrote them. */
TEST(test_json_string_and_copy_text_match_the_byte_at_a_time_encoders)
{
	static const unsigned char alphabet[] = {'a', 'Z', ' ', '"', '\\', '\t', '\n', '\r', 0,
		0x01, 0x1f, 0x7f, 0x80, 0xbf, 0xc3, 0xa9, 0xe4, 0xb8, 0xad, 0xed, 0xa0, 0xf0,
		0x9f, 0x98, 0xff};
	unsigned long long r = 88172645463325252ULL;
	struct buf got = BUF_INIT, want = BUF_INIT;
	char s[64];
	for (int round = 0; round < 20000; round++) {
		size_t n = round % 64;
		for (size_t i = 0; i < n; i++) {
			r ^= r << 13, r ^= r >> 7, r ^= r << 17;
			s[i] = (char)alphabet[r % sizeof(alphabet)];
		}
		buf_reset(&got);
		buf_reset(&want);
		buf_json_string(&got, s, n);
		ref_json_string(&want, s, n);
		assert_int_equal(got.len, want.len);
		assert_memory_equal(got.data, want.data, want.len);
		buf_reset(&got);
		buf_reset(&want);
		buf_copy_text(&got, s, n);
		for (size_t i = 0; i < n; i++) {
			const char *e = s[i] == '\\' ? "\\\\" : s[i] == '\t' ? "\\t"
				      : s[i] == '\n' ? "\\n" : s[i] == '\r' ? "\\r" : NULL;
			if (e)
				buf_puts(&want, e);
			else
				buf_putc(&want, s[i]);
		}
		assert_int_equal(got.len, want.len);
		if (n)
			assert_memory_equal(got.data, want.data, want.len);
	}
	buf_free(&got);
	buf_free(&want);
}

/* ---- the fast scan (jscan.h) against jansson ------------------------- */

/* Decodes p[0..n) both ways: with the fast scan where it applies, and with
 * jansson only. Everything observable must be the same. Returns whether
 * the fast scan decoded it (no jansson tree). */
static bool assert_scan_as_jansson(const char *p, size_t n, const struct event_header *h,
				   size_t nh)
{
	static const unsigned char key[] = "0123456789abcdef";
	struct decode_limits fast = {.max_bytes = TU_MAX_BYTES, .hmac_key = key,
				     .hmac_key_len = sizeof(key) - 1};
	struct decode_limits slow = fast;
	slow.jansson_only = true;
	struct event_input in = {p, n, h, nh};
	struct decoded a, b;
	struct decode_error ea, eb;
	int ra = event_decode(&in, &fast, &a, &ea), rb = event_decode(&in, &slow, &b, &eb);
	if (ra != rb)
		fail_msg("fast scan rc=%d, jansson rc=%d (%s) for: %.*s", ra, rb,
			 rb ? eb.message : ea.message, (int)n, p);
	bool scanned = ra == 0 && a.root == NULL;
	if (ra) {
		assert_int_equal(ea.reason, eb.reason);
		assert_string_equal(ea.field, eb.field);
		assert_string_equal(ea.message, eb.message);
		assert_int_equal(ea.redacted_len, eb.redacted_len);
		if (ea.redacted)
			assert_memory_equal(ea.redacted, eb.redacted, eb.redacted_len);
		decode_error_release(&ea);
		decode_error_release(&eb);
		return false;
	}
	assert_ptr_equal(a.kind, b.kind);
	assert_int_equal(a.binary, b.binary);
	const struct strref *sa[] = {&a.id, &a.source, &a.type, &a.subject, &a.agency},
			    *sb[] = {&b.id, &b.source, &b.type, &b.subject, &b.agency};
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(sa[i]->n, sb[i]->n);
		assert_memory_equal(sa[i]->p, sb[i]->p, sb[i]->n);
	}
	assert_int_equal(a.time_us, b.time_us);
	for (size_t i = 0; i < a.kind->nfields; i++) {
		assert_int_equal(a.v[i].present, b.v[i].present);
		assert_int_equal(a.v[i].i, b.v[i].i);
		assert_int_equal(a.v[i].s.n, b.v[i].s.n);
		assert_int_equal(a.v[i].s.p == NULL, b.v[i].s.p == NULL);
		if (b.v[i].s.n)
			assert_memory_equal(a.v[i].s.p, b.v[i].s.p, b.v[i].s.n);
	}
	assert_memory_equal(a.digest, b.digest, 32);
	assert_int_equal(a.redacted_len, b.redacted_len);
	if (b.redacted)
		assert_memory_equal(a.redacted, b.redacted, b.redacted_len);
	decoded_release(&a);
	decoded_release(&b);
	return scanned;
}

static bool scan_str(const char *s)
{
	return assert_scan_as_jansson(s, strlen(s), NULL, 0);
}

/* Every example, then each with every byte deleted and replaced by bytes
 * that matter to JSON: the fast scan declines or agrees, never differs. */
TEST(test_fast_scan_decodes_as_jansson_or_declines)
{
	static const char swaps[] = "\"\\{}[],:0-.eE tn\x01\x80\xff";
	char m[4096];
	size_t scanned = 0;
	for (size_t k = 0; event_kinds[k]; k++) {
		const char *ex = event_kinds[k]->example;
		size_t n = strlen(ex);
		assert_true(n < sizeof(m));
		scanned += scan_str(ex);
		for (size_t i = 0; i < n; i++) {
			memcpy(m, ex, i);
			memcpy(m + i, ex + i + 1, n - i - 1);
			assert_scan_as_jansson(m, n - 1, NULL, 0);
			memcpy(m, ex, n);
			for (const char *c = swaps; *c; c++) {
				m[i] = *c;
				assert_scan_as_jansson(m, n, NULL, 0);
			}
		}
	}
	/* The examples without personal data take the fast path. */
	assert_true(scanned >= event_kind_count() - 3);
}

/* Values at the edges of what the fast scan takes, each way round. */
TEST(test_fast_scan_edges_agree_with_jansson)
{
#define EV(data) "{\"specversion\":\"1.0\",\"id\":\"e\",\"source\":\"/s\"," \
	"\"type\":\"disclosure.newmedia.snapshot\",\"time\":\"2020-01-01T00:00:00Z\"," \
	"\"subject\":\"s\",\"agency\":\"a\",\"data\":" data "}"
	static const char *const taken[] = {
		EV("{\"views_total\":999999999999999999,\"followers\":-0}"),
		EV("{\"views_total\":0,\"followers\":1,\"name\":\"\xe5\xbe\xae\xe4\xbf\xa1\"}"),
		" \t\r\n" EV("{ \"views_total\" : 1 , \"followers\" : 2 }") " \n",
		EV("{\"views_total\":1,\"followers\":2,\"name\":null}"),
	};
	static const char *const declined[] = {
		EV("{\"views_total\":1000000000000000000,\"followers\":1}"),
		EV("{\"views_total\":9223372036854775808,\"followers\":1}"),
		EV("{\"views_total\":1.0,\"followers\":1}"),
		EV("{\"views_total\":1e3,\"followers\":1}"),
		EV("{\"views_total\":01,\"followers\":1}"),
		EV("{\"views_total\":-,\"followers\":1}"),
		EV("{\"views_total\":1,\"followers\":1,\"name\":\"a\\u00e9\\\"\"}"),
		EV("{\"views_total\":1,\"followers\":1,\"x\":[1,2]}"),
		EV("{\"views_total\":1,\"followers\":1,\"x\":{\"y\":{}}}"),
		EV("{\"views_total\":1,\"followers\":1,\"followers\":2}"),
		EV("{\"views_total\":1,\"followers\":1,\"name\":\"\xc3\x28\"}"),
		EV("{\"views_total\":1,\"followers\":1,\"name\":\"a\x01\"}"),
		EV("{\"views_total\":1,\"followers\":1}") "x",
		"\xef\xbb\xbf" EV("{\"views_total\":1,\"followers\":1}"),
		EV("{\"views_total\":true,\"followers\":1}"),
		EV("{\"views_total\":1,\"followers\":1,}"),
		EV("[]"),
		EV("null"),
		"{\"id\":\"a\",\"id\":\"b\"}",
		"{\"id\":\"x\",\"specversion\":\"1.0\",\"id\":\"e\",\"source\":\"/s\","
		"\"type\":\"disclosure.newmedia.snapshot\",\"time\":\"2020-01-01T00:00:00Z\","
		"\"subject\":\"s\",\"agency\":\"a\",\"data\":{\"views_total\":1,\"followers\":1}}",
		"[1]",
		"\"s\"",
		"{}",
	};
	for (size_t i = 0; i < sizeof(taken) / sizeof(taken[0]); i++)
		if (!scan_str(taken[i]))
			fail_msg("not taken by the fast scan: %s", taken[i]);
	for (size_t i = 0; i < sizeof(declined) / sizeof(declined[0]); i++)
		if (scan_str(declined[i]))
			fail_msg("taken by the fast scan: %s", declined[i]);
	/* A NUL byte inside and a payload with more members than nodes. */
	static const char nul[] = EV("{\"views_total\":1,\"followers\":1,\"name\":\"a\0b\"}");
	assert_false(assert_scan_as_jansson(nul, sizeof(nul) - 1, NULL, 0));
	struct buf many = BUF_INIT;
	buf_puts(&many, "{\"specversion\":\"1.0\"");
	for (int i = 0; i < 70; i++)
		buf_printf(&many, ",\"x%d\":%d", i, i);
	buf_puts(&many, "}");
	assert_false(assert_scan_as_jansson(many.data, many.len, NULL, 0));
	buf_free(&many);
	/* Binary mode: the body is data. */
	static const char body[] = "{\"channel\":\"online\",\"category\":\"urban management\"}";
	assert_true(assert_scan_as_jansson(body, strlen(body), BINARY_HEADERS, NBINARY));
#undef EV
}

TEST(test_reason_codes_are_the_stored_names)
{
	assert_string_equal(reason_code(REASON_OK), "ok");
	assert_string_equal(reason_code(REASON_TOO_LARGE), "too_large");
	assert_string_equal(reason_code(REASON_BAD_JSON), "bad_json");
	assert_string_equal(reason_code(REASON_NOT_OBJECT), "not_object");
	assert_string_equal(reason_code(REASON_BAD_SPECVERSION), "bad_specversion");
	assert_string_equal(reason_code(REASON_MISSING_ATTRIBUTE), "missing_attribute");
	assert_string_equal(reason_code(REASON_BAD_ATTRIBUTE), "bad_attribute");
	assert_string_equal(reason_code(REASON_UNKNOWN_TYPE), "unknown_type");
	assert_string_equal(reason_code(REASON_BAD_TIME), "bad_time");
	assert_string_equal(reason_code(REASON_MISSING_FIELD), "missing_field");
	assert_string_equal(reason_code(REASON_BAD_FIELD), "bad_field");
	assert_string_equal(reason_code(REASON_UNKNOWN_FIELD), "unknown_field");
	assert_string_equal(reason_code(REASON_DB_REJECTED), "db_rejected");
	assert_string_equal(reason_code(REASON_CONFLICTING_DUPLICATE), "conflicting_duplicate");
	assert_int_equal(REASON_CONFLICTING_DUPLICATE, 13); /* appended: codes are stored */
	assert_string_equal(reason_code(REASON__COUNT), "unknown");
}

TEST(test_schema_lists_every_field_and_refuses_others)
{
	for (size_t i = 0; i < event_kind_count(); i++) {
		const struct kind_spec *k = event_kinds[i];
		json_t *s = event_kind_schema(k);
		assert_non_null(s);
		json_t *data = json_object_get(json_object_get(s, "properties"), "data");
		assert_non_null(data);
		assert_true(json_is_false(json_object_get(data, "additionalProperties")));
		json_t *props = json_object_get(data, "properties");
		assert_int_equal(json_object_size(props), k->nfields);
		size_t nreq = 0;
		for (size_t f = 0; f < k->nfields; f++) {
			assert_non_null(json_object_get(props, k->fields[f].name));
			nreq += k->fields[f].required;
		}
		assert_int_equal(json_array_size(json_object_get(data, "required")), nreq);
		assert_string_equal(json_string_value(json_object_get(s, "$id")), k->type);
		json_decref(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_structured_event_decodes_to_normalized_row),
		cmocka_unit_test(test_datacontenttype_is_optional),
		cmocka_unit_test(test_datacontenttype_with_parameters_is_accepted),
		cmocka_unit_test(test_datacontenttype_other_than_json_is_bad_attribute),
		cmocka_unit_test(test_unknown_envelope_members_are_ignored),
		cmocka_unit_test(test_binary_mode_decodes_equal_to_structured_mode),
		cmocka_unit_test(test_binary_mode_without_content_type_decodes),
		cmocka_unit_test(test_binary_mode_repeated_header_last_one_wins),
		cmocka_unit_test(test_binary_mode_without_agency_header_is_missing_attribute),
		cmocka_unit_test(test_binary_mode_header_with_invalid_utf8_is_bad_attribute),
		cmocka_unit_test(test_binary_mode_header_with_utf8_text_is_accepted),
		cmocka_unit_test(test_binary_mode_header_with_nul_byte_is_bad_attribute),
		cmocka_unit_test(test_binary_mode_array_body_is_not_object),
		cmocka_unit_test(test_binary_mode_body_with_envelope_member_is_unknown_field),
		cmocka_unit_test(test_binary_mode_ce_datacontenttype_other_than_json_is_bad_attribute),
		cmocka_unit_test(test_binary_mode_content_type_header_other_than_json_is_bad_attribute),
		cmocka_unit_test(test_headers_without_ce_specversion_mean_structured_mode),
		cmocka_unit_test(test_missing_specversion_is_missing_attribute),
		cmocka_unit_test(test_specversion_0_3_is_bad_specversion),
		cmocka_unit_test(test_specversion_1_0_with_suffix_is_bad_specversion),
		cmocka_unit_test(test_numeric_specversion_is_bad_attribute),
		cmocka_unit_test(test_id_missing_or_empty_is_rejected),
		cmocka_unit_test(test_source_missing_or_empty_is_rejected),
		cmocka_unit_test(test_type_missing_or_empty_is_rejected),
		cmocka_unit_test(test_subject_missing_or_empty_is_rejected),
		cmocka_unit_test(test_id_of_128_bytes_is_accepted_and_129_rejected),
		cmocka_unit_test(test_long_value_is_quoted_shortened_in_message),
		cmocka_unit_test(test_subject_with_control_character_is_bad_attribute),
		cmocka_unit_test(test_unknown_type_is_unknown_type),
		cmocka_unit_test(test_agency_missing_is_missing_attribute),
		cmocka_unit_test(test_agency_empty_is_bad_attribute),
		cmocka_unit_test(test_agency_with_uppercase_is_bad_attribute),
		cmocka_unit_test(test_agency_starting_with_punctuation_is_bad_attribute),
		cmocka_unit_test(test_agency_with_digits_dots_dashes_and_underscores_is_accepted),
		cmocka_unit_test(test_time_missing_is_missing_attribute),
		cmocka_unit_test(test_time_without_offset_is_quarantined_as_bad_time),
		cmocka_unit_test(test_time_on_february_29_2021_is_bad_time),
		cmocka_unit_test(test_time_at_year_boundary_normalizes_to_utc),
		cmocka_unit_test(test_numeric_time_is_bad_attribute),
		cmocka_unit_test(test_invalid_json_is_bad_json),
		cmocka_unit_test(test_truncated_json_is_bad_json),
		cmocka_unit_test(test_empty_payload_is_bad_json),
		cmocka_unit_test(test_json_array_payload_is_not_object),
		cmocka_unit_test(test_json_scalar_payload_is_not_object),
		cmocka_unit_test(test_data_that_is_not_an_object_is_bad_field),
		cmocka_unit_test(test_missing_data_reports_first_required_field),
		cmocka_unit_test(test_duplicate_keys_are_bad_json),
		cmocka_unit_test(test_payload_larger_than_max_bytes_is_too_large),
		cmocka_unit_test(test_too_large_is_decided_before_parsing),
		cmocka_unit_test(test_invalid_utf8_is_bad_json),
		cmocka_unit_test(test_nul_byte_inside_payload_is_bad_json),
		cmocka_unit_test(test_escaped_nul_in_a_string_is_bad_json),
		cmocka_unit_test(test_utf8_bom_before_json_is_bad_json),
		cmocka_unit_test(test_deep_nesting_is_bad_json_without_crashing),
		cmocka_unit_test(test_integer_beyond_int64_is_bad_json),
		cmocka_unit_test(test_int64_max_visitors_is_out_of_range),
		cmocka_unit_test(test_negative_visitors_is_bad_field),
		cmocka_unit_test(test_missing_data_field_is_reported_with_its_data_path),
		cmocka_unit_test(test_null_optional_field_is_written_as_null),
		cmocka_unit_test(test_sql_metacharacters_are_escaped_in_copy_line),
		cmocka_unit_test(test_raw_columns_hold_key_as_bytea_and_headers_as_escaped_text),
		cmocka_unit_test(test_row_columns_follow_sink_kind_columns),
		cmocka_unit_test(test_lineage_topic_is_escaped_and_offsets_written_in_full),
		cmocka_unit_test(test_utf8_text_passes_through_unchanged),
		cmocka_unit_test(test_rejection_message_is_valid_utf8_when_a_quoted_value_is_cut),
		cmocka_unit_test(test_decoding_is_independent_of_order_and_repetition),
		cmocka_unit_test(test_registry_lists_fifteen_kinds_found_by_type),
		cmocka_unit_test(test_canonical_content_is_sorted_compact_and_in_utc),
		cmocka_unit_test(test_same_content_has_the_same_digest_whatever_the_form),
		cmocka_unit_test(test_other_content_has_another_digest),
		cmocka_unit_test(test_digest_with_a_reused_buffer),
		cmocka_unit_test(test_reused_hasher_gives_the_one_shot_digest),
		cmocka_unit_test(test_canonical_form_is_byte_identical_to_the_first_implementation),
		cmocka_unit_test(test_json_string_and_copy_text_match_the_byte_at_a_time_encoders),
		cmocka_unit_test(test_fast_scan_decodes_as_jansson_or_declines),
		cmocka_unit_test(test_fast_scan_edges_agree_with_jansson),
		cmocka_unit_test(test_reason_codes_are_the_stored_names),
		cmocka_unit_test(test_schema_lists_every_field_and_refuses_others),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
