/* batch: the COPY buffers of one transaction (one per kind table, one for
 * quarantine), the duplicate filter, slices for bisection, and the
 * per-partition offset range. */
#define _GNU_SOURCE /* asprintf */
#include "testutil.h"

#include "batch.h"
#include "kinds.h"

static const char T_COMPLAINTS[] = "disclosure.complaints";
static const char T_RECEPTIONS[] = "disclosure.receptions";

static char *complaint(const char *source, const char *id)
{
	char *s;
	int n = asprintf(&s,
		"{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"%s\","
		"\"type\":\"disclosure.complaint.received\",\"time\":\"2020-03-02T09:15:00+08:00\","
		"\"subject\":\"TS-1\",\"agency\":\"yaodu-xinfang\","
		"\"data\":{\"channel\":\"online\"}}", id, source);
	assert_true(n > 0);
	return s;
}

static char *reception_from(const char *source, const char *id)
{
	char *s;
	int n = asprintf(&s,
		"{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"%s\","
		"\"type\":\"disclosure.reception.held\",\"time\":\"2020-05-12T09:00:00+08:00\","
		"\"subject\":\"RC-1\",\"agency\":\"yaodu-xinfang\","
		"\"data\":{\"leader\":\"director\",\"visitors\":2}}", id, source);
	assert_true(n > 0);
	return s;
}

static char *reception(const char *id) { return reception_from("/ro", id); }

static struct batch_msg msg(const char *topic, int32_t partition, int64_t offset,
			    const struct tev *t)
{
	struct batch_msg m = {
		.lin = {topic, strlen(topic), partition, offset},
		.payload = t->payload,
		.len = t->len,
	};
	return m;
}

/* Decodes json (taken) and adds it; returns batch_add_event's answer. */
static bool add(struct batch *b, char *json, const char *topic, int32_t partition,
		int64_t offset)
{
	struct tev t;
	tev_decode_str(&t, json);
	free(json);
	assert_decodes(&t);
	struct batch_msg m = msg(topic, partition, offset, &t);
	bool ok = batch_add_event(b, &m, &t.d);
	tev_free(&t);
	return ok;
}

/* The line sink_kind_row gives for json (taken) at that lineage, with
 * the payload and no key or headers, as add() stores it. */
static char *row_of(char *json, const char *topic, int32_t partition, int64_t offset)
{
	struct tev t;
	tev_decode_str(&t, json);
	free(json);
	assert_decodes(&t);
	struct lineage lin = {topic, strlen(topic), partition, offset};
	struct event_raw raw = {NULL, 0, NULL, 0, t.payload, t.len};
	char *r = strdup(tev_row_full(&t, &lin, &raw));
	tev_free(&t);
	return r;
}

/* Lines in the kind slice of [lo, hi). */
static size_t kind_lines(const struct batch *b, uint32_t kind, size_t lo, size_t hi)
{
	const char *p;
	size_t n;
	batch_kind_slice(b, kind, lo, hi, &p, &n);
	if (n)
		assert_int_equal(p[n - 1], '\n');
	return tu_count(p, n, '\n');
}

static void add_quarantine(struct batch *b, const char *payload, enum reason r,
			   const char *field, const char *message, int64_t offset)
{
	struct decode_error e;
	memset(&e, 0, sizeof(e));
	e.reason = r;
	snprintf(e.field, sizeof(e.field), "%s", field);
	snprintf(e.message, sizeof(e.message), "%s", message);
	struct batch_msg m = {
		.lin = {T_COMPLAINTS, strlen(T_COMPLAINTS), 0, offset},
		.payload = payload,
		.len = payload ? strlen(payload) : 0,
	};
	batch_add_quarantine(b, &m, &e);
}

/* The batch's message, event, duplicate and quarantine counts. */
static void tu_assert_counts(const struct batch *b, size_t messages, size_t events,
			     size_t duplicates, size_t quarantined, const char *file, int line)
{
	_assert_int_equal(batch_messages(b), messages, file, line);
	_assert_int_equal(batch_events(b), events, file, line);
	_assert_int_equal(batch_duplicates(b), duplicates, file, line);
	_assert_int_equal(batch_quarantined(b), quarantined, file, line);
}
#define assert_counts(b, messages, events, duplicates, quarantined) \
	tu_assert_counts((b), (messages), (events), (duplicates), (quarantined), __FILE__, __LINE__)

static uint32_t bit(const struct kind_spec *k) { return 1u << event_kind_index(k); }
#define COMPLAINT ((uint32_t)event_kind_index(&kind_complaint_received))
#define RECEPTION ((uint32_t)event_kind_index(&kind_reception_held))

/* Events 0..4: complaint /cp a1, reception r1, complaint /cp a2,
 * reception r2, complaint /other a1; a refused copy of /cp a1; one
 * quarantined message. */
static struct batch *filled(void)
{
	struct batch *b = batch_new(16);
	assert_non_null(b);
	assert_true(add(b, complaint("/cp", "a1"), T_COMPLAINTS, 0, 10));
	assert_true(add(b, reception("r1"), T_RECEPTIONS, 1, 20));
	assert_true(add(b, complaint("/cp", "a2"), T_COMPLAINTS, 0, 11));
	assert_true(add(b, reception("r2"), T_RECEPTIONS, 1, 21));
	assert_true(add(b, complaint("/other", "a1"), T_COMPLAINTS, 0, 12));
	assert_false(add(b, complaint("/cp", "a1"), T_COMPLAINTS, 0, 13));
	add_quarantine(b, "[1]", REASON_NOT_OBJECT, "", "the payload is JSON but not an object", 14);
	return b;
}

/* ---- counts and the duplicate filter --------------------------------------- */

TEST(test_counts_distinguish_events_duplicates_and_quarantine)
{
	struct batch *b = filled();
	assert_counts(b, 7, 5, 1, 1);
	batch_free(b);
}

TEST(test_same_source_and_id_is_refused_as_duplicate)
{
	struct batch *b = batch_new(4);
	assert_true(add(b, complaint("/cp", "x"), T_COMPLAINTS, 0, 1));
	assert_false(add(b, complaint("/cp", "x"), T_COMPLAINTS, 0, 2));
	/* A different kind with the same identity is the same identity with
	 * other content: set aside, not dropped. */
	assert_false(add(b, reception_from("/cp", "x"), T_RECEPTIONS, 0, 3));
	assert_counts(b, 3, 1, 1, 1);
	assert_int_equal(batch_conflicts(b), 1);
	assert_int_equal(kind_lines(b, COMPLAINT, 0, 1), 1);
	assert_int_equal(kind_lines(b, RECEPTION, 0, 1), 0);
	batch_free(b);
}

/* Two events of one identity in a batch: the same content again is a
 * silent duplicate (another agency's office, another form), other content
 * is set aside with both digests and where the first one is. */
TEST(test_same_identity_with_other_content_is_quarantined_as_conflicting)
{
	struct batch *b = batch_new(4);
	assert_true(add(b, complaint("/cp", "x"), T_COMPLAINTS, 3, 41));
	/* The same content in another form: silent. */
	assert_false(add(b, strdup("{\"data\":{\"channel\":\"online\"},\"specversion\":\"1.0\","
				   "\"id\":\"x\",\"source\":\"/cp\",\"subject\":\"TS-1\","
				   "\"type\":\"disclosure.complaint.received\","
				   "\"time\":\"2020-03-02T01:15:00Z\",\"agency\":\"yaodu-xinfang\"}"),
			 T_COMPLAINTS, 3, 42));
	assert_int_equal(batch_duplicates(b), 1);
	assert_int_equal(batch_conflicts(b), 0);
	assert_int_equal(batch_quarantined(b), 0);
	/* Other data: set aside. */
	char *other = strdup("{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/cp\","
			     "\"type\":\"disclosure.complaint.received\","
			     "\"time\":\"2020-03-02T09:15:00+08:00\",\"subject\":\"TS-1\","
			     "\"agency\":\"yaodu-xinfang\",\"data\":{\"channel\":\"letter\"}}");
	struct tev first, second;
	char *fj = complaint("/cp", "x");
	tev_decode_str(&first, fj);
	free(fj);
	tev_decode_str(&second, other);
	assert_false(add(b, other, T_COMPLAINTS, 3, 43));
	assert_counts(b, 3, 1, 1, 1);
	assert_int_equal(batch_conflicts(b), 1);
	const char *p;
	size_t n;
	batch_quarantine_copy(b, &p, &n);
	char *q = strndup(p, n), dg[65], sdg[65];
	*hex_encode(dg, second.d.digest, 32) = '\0';
	*hex_encode(sdg, first.d.digest, 32) = '\0';
	char *want;
	assert_true(asprintf(&want, "\tconflicting_duplicate\tid\tan event with source /cp and "
			     "id x is already stored with other content: digest=%s "
			     "stored_digest=%s stored_topic=%s stored_partition=3 "
			     "stored_offset=41\n", dg, sdg, T_COMPLAINTS) > 0);
	assert_non_null(strstr(q, want));
	assert_true(strncmp(q, "disclosure.complaints\t3\t43\t", 26) == 0);
	free(want);
	free(q);
	tev_free(&first);
	tev_free(&second);
	batch_free(b);
}

TEST(test_same_source_with_different_id_is_accepted)
{
	struct batch *b = batch_new(4);
	assert_true(add(b, complaint("/cp", "x"), T_COMPLAINTS, 0, 1));
	assert_true(add(b, complaint("/cp", "x2"), T_COMPLAINTS, 0, 2));
	assert_true(add(b, complaint("/cp", "X"), T_COMPLAINTS, 0, 3));
	assert_int_equal(batch_events(b), 3);
	assert_int_equal(batch_duplicates(b), 0);
	batch_free(b);
}

TEST(test_same_id_with_different_source_is_accepted)
{
	struct batch *b = batch_new(4);
	assert_true(add(b, complaint("/cp", "x"), T_COMPLAINTS, 0, 1));
	assert_true(add(b, complaint("/cp2", "x"), T_COMPLAINTS, 0, 2));
	/* The key is (source, id), not their concatenation. */
	assert_true(add(b, complaint("/c", "px"), T_COMPLAINTS, 0, 3));
	assert_int_equal(batch_events(b), 3);
	batch_free(b);
}

/* ---- slices ------------------------------------------------------------------ */

TEST(test_row_holds_normalized_columns_key_headers_payload_and_mode)
{
	static const char body[] = "{\"channel\":\"online\",\"category\":\"a\\tb\"}";
	const struct event_header h[] = {
		{"ce_specversion", "1.0", 3}, {"ce_id", "b1", 2}, {"ce_source", "/cp", 3},
		{"ce_type", "disclosure.complaint.received", 29},
		{"ce_time", "2020-03-02T09:15:00+08:00", 25}, {"ce_subject", "TS-1", 4},
		{"ce_agency", "yaodu-xinfang", 13}, {"trace", "\xff\x01", 2}, {"empty", NULL, 0},
	};
	struct tev t;
	tev_decode_full(&t, body, strlen(body), h, 9, TU_MAX_BYTES);
	assert_decodes(&t);
	struct batch *b = batch_new(4);
	struct batch_msg m = msg(T_COMPLAINTS, 0, 10, &t);
	m.key = "k1";
	m.key_len = 2;
	m.headers = h;
	m.nheaders = 9;
	assert_true(batch_add_event(b, &m, &t.d));
	const char *p;
	size_t n;
	batch_kind_slice(b, COMPLAINT, 0, 1, &p, &n);
	static const char want[] =
		"/cp\tb1\tyaodu-xinfang\tTS-1\t2020-03-02 01:15:00.000000+00\tonline\t"
		"a\\tb\t\\N\t\\N\t\\N\tdisclosure.complaints\t0\t10\t"
		"\\\\x6b31\t"
		"[{\"name\":\"ce_specversion\",\"value\":\"1.0\"},"
		"{\"name\":\"ce_id\",\"value\":\"b1\"},"
		"{\"name\":\"ce_source\",\"value\":\"/cp\"},"
		"{\"name\":\"ce_type\",\"value\":\"disclosure.complaint.received\"},"
		"{\"name\":\"ce_time\",\"value\":\"2020-03-02T09:15:00+08:00\"},"
		"{\"name\":\"ce_subject\",\"value\":\"TS-1\"},"
		"{\"name\":\"ce_agency\",\"value\":\"yaodu-xinfang\"},"
		"{\"name\":\"trace\",\"hex\":\"ff01\"},"
		"{\"name\":\"empty\",\"value\":null}]\t"
		/* the body's JSON escape \t: COPY doubles its backslash */
		"{\"channel\":\"online\",\"category\":\"a\\\\tb\"}\tt\t"
		/* SHA-256 of the canonical content (docs/events.md), computed apart:
		 * {"agency":"yaodu-xinfang","data":{"category":"a\u0009b","channel":
		 * "online"},"subject":"TS-1","time":"2020-03-02 01:15:00.000000+00",
		 * "type":"disclosure.complaint.received"} */
		"\\\\x496aade043f746b23916809bb04b52f74ebf6149f183ab4efbd52c67c52cf236\n";
	assert_int_equal(n, sizeof(want) - 1);
	assert_memory_equal(p, want, n);
	tev_free(&t);
	batch_free(b);
}

TEST(test_kind_slice_holds_exactly_the_rows_of_that_kind)
{
	struct batch *b = filled();
	const char *p;
	size_t n;
	batch_kind_slice(b, COMPLAINT, 0, 5, &p, &n);
	assert_int_equal(tu_count(p, n, '\n'), 3);
	assert_int_equal(kind_lines(b, RECEPTION, 0, 5), 2);
	assert_int_equal(kind_lines(b, COMPLAINT, 0, 3), 2);
	assert_int_equal(kind_lines(b, COMPLAINT, 2, 5), 2);
	assert_int_equal(kind_lines(b, RECEPTION, 1, 4), 2);
	char *r0 = row_of(complaint("/cp", "a1"), T_COMPLAINTS, 0, 10);
	char *r2 = row_of(complaint("/cp", "a2"), T_COMPLAINTS, 0, 11);
	char *r4 = row_of(complaint("/other", "a1"), T_COMPLAINTS, 0, 12);
	char *want;
	assert_true(asprintf(&want, "%s%s%s", r0, r2, r4) > 0);
	assert_int_equal(n, strlen(want));
	assert_memory_equal(p, want, n);
	free(want);

	/* [1, 3): only event 2 is a complaint. */
	batch_kind_slice(b, COMPLAINT, 1, 3, &p, &n);
	assert_int_equal(n, strlen(r2));
	assert_memory_equal(p, r2, n);

	char *r1 = row_of(reception("r1"), T_RECEPTIONS, 1, 20);
	char *r3 = row_of(reception("r2"), T_RECEPTIONS, 1, 21);
	batch_kind_slice(b, RECEPTION, 0, 5, &p, &n);
	assert_int_equal(n, strlen(r1) + strlen(r3));
	assert_memory_equal(p, r1, strlen(r1));
	assert_memory_equal(p + strlen(r1), r3, strlen(r3));

	batch_kind_slice(b, RECEPTION, 1, 2, &p, &n);
	assert_int_equal(n, strlen(r1));
	assert_memory_equal(p, r1, n);
	batch_kind_slice(b, RECEPTION, 2, 4, &p, &n);
	assert_int_equal(n, strlen(r3));
	assert_memory_equal(p, r3, n);
	free(r1);
	free(r3);
	free(r0);
	free(r2);
	free(r4);
	batch_free(b);
}

TEST(test_kind_slice_without_events_of_that_kind_is_empty)
{
	struct batch *b = filled();
	const char *p = "x";
	size_t n = 99;
	batch_kind_slice(b, RECEPTION, 0, 1, &p, &n);
	assert_null(p);
	assert_int_equal(n, 0);
	p = "x";
	batch_kind_slice(b, COMPLAINT, 1, 2, &p, &n);
	assert_null(p);
	assert_int_equal(n, 0);
	batch_kind_slice(b, (uint32_t)event_kind_index(&kind_stats_reported), 0, 5, &p, &n);
	assert_null(p);
	assert_int_equal(n, 0);
	batch_free(b);
}

TEST(test_kinds_in_sets_one_bit_per_kind_present)
{
	struct batch *b = filled();
	assert_int_equal(batch_kinds_in(b, 0, 5),
			 bit(&kind_complaint_received) | bit(&kind_reception_held));
	assert_int_equal(batch_kinds_in(b, 1, 2), bit(&kind_reception_held));
	assert_int_equal(batch_kinds_in(b, 2, 3), bit(&kind_complaint_received));
	assert_int_equal(batch_kinds_in(b, 4, 5), bit(&kind_complaint_received));
	assert_int_equal(batch_kinds_in(b, 3, 3), 0);
	assert_int_equal(batch_event_at(b, 1)->kind, RECEPTION);
	assert_int_equal(batch_event_at(b, 4)->kind, COMPLAINT);
	batch_free(b);
}

TEST(test_quarantine_line_holds_lineage_payload_reason_field_and_message)
{
	struct batch *b = batch_new(4);
	add_quarantine(b, "{}", REASON_BAD_TIME, "time", "time=\"x\": a\tb\\c", 7);
	add_quarantine(b, NULL, REASON_BAD_JSON, "", "empty payload", 8);
	const struct event_header h[] = {{"ce_id", "q\t1", 3}};
	struct decode_error e = {.reason = REASON_MISSING_ATTRIBUTE, .field = "agency",
				 .message = "required extension attribute agency is missing"};
	struct batch_msg m = {.lin = {T_RECEPTIONS, strlen(T_RECEPTIONS), 4, 9},
			      .key = "\x01", .key_len = 1, .headers = h, .nheaders = 1,
			      .payload = "{}", .len = 2};
	batch_add_quarantine(b, &m, &e);
	const char *p;
	size_t n;
	batch_quarantine_copy(b, &p, &n);
	const char want[] =
		"disclosure.complaints\t0\t7\t\\N\t\\N\t\\\\x7b7d\tbad_time\ttime\t"
		"time=\"x\": a\\tb\\\\c\n"
		"disclosure.complaints\t0\t8\t\\N\t\\N\t\\\\x\tbad_json\t\\N\tempty payload\n"
		"disclosure.receptions\t4\t9\t\\\\x01\t[{\"name\":\"ce_id\",\"value\":\"q\\\\u00091\"}]\t"
		"\\\\x7b7d\tmissing_attribute\tagency\trequired extension attribute agency is missing\n";
	assert_int_equal(n, sizeof(want) - 1);
	assert_memory_equal(p, want, n);
	assert_int_equal(batch_quarantined(b), 3);
	assert_int_equal(batch_messages(b), 3);
	assert_int_equal(batch_events(b), 0);
	batch_free(b);
}

TEST(test_bytes_is_the_sum_of_all_buffers)
{
	struct batch *b = filled();
	const char *p;
	size_t c, r, q;
	batch_kind_slice(b, COMPLAINT, 0, 5, &p, &c);
	batch_kind_slice(b, RECEPTION, 0, 5, &p, &r);
	batch_quarantine_copy(b, &p, &q);
	assert_true(c > 0 && r > 0 && q > 0);
	assert_int_equal(batch_bytes(b), c + r + q);
	batch_free(b);
}

/* ---- offsets ------------------------------------------------------------------- */

TEST(test_note_offset_keeps_next_offset_at_max_plus_one_and_max_time)
{
	struct batch *b = batch_new(4);
	batch_note_offset(b, T_COMPLAINTS, 0, 10, 9, 100);
	batch_note_offset(b, T_COMPLAINTS, 0, 12, 999, INT64_MIN); /* quarantined */
	batch_note_offset(b, T_COMPLAINTS, 0, 11, 999, 300);
	batch_note_offset(b, T_COMPLAINTS, 0, 5, 999, 200);
	batch_note_offset(b, T_RECEPTIONS, 1, 20, -1, INT64_MIN);
	batch_note_offset(b, T_COMPLAINTS, 1, 40, 40, -5);
	size_t n;
	struct batch_part *parts = batch_parts(b, &n);
	assert_int_equal(n, 3);

	assert_ptr_equal(parts[0].topic, T_COMPLAINTS);
	assert_int_equal(parts[0].partition, 0);
	assert_int_equal(parts[0].expected, 9); /* from the first call only */
	assert_int_equal(parts[0].next_offset, 13);
	assert_int_equal(parts[0].max_time_us, 300);

	assert_ptr_equal(parts[1].topic, T_RECEPTIONS);
	assert_int_equal(parts[1].partition, 1);
	assert_int_equal(parts[1].expected, -1);
	assert_int_equal(parts[1].next_offset, 21);
	assert_true(parts[1].max_time_us == INT64_MIN); /* no event time seen */

	assert_ptr_equal(parts[2].topic, T_COMPLAINTS);
	assert_int_equal(parts[2].partition, 1);
	assert_int_equal(parts[2].next_offset, 41);
	assert_true(parts[2].max_time_us == -5);
	batch_free(b);
}

TEST(test_note_offset_handles_many_partitions)
{
	struct batch *b = batch_new(4);
	for (int32_t p = 0; p < 40; p++)
		for (int64_t o = 0; o < 3; o++)
			batch_note_offset(b, T_COMPLAINTS, p, 100 * p + o, -1, o);
	size_t n;
	struct batch_part *parts = batch_parts(b, &n);
	assert_int_equal(n, 40);
	for (int32_t p = 0; p < 40; p++) {
		assert_int_equal(parts[p].partition, p);
		assert_int_equal(parts[p].next_offset, 100 * p + 3);
		assert_int_equal(parts[p].max_time_us, 2);
	}
	batch_free(b);
}

/* ---- reset and the filter's growth ------------------------------------------ */

TEST(test_reset_empties_everything_and_the_filter_works_again)
{
	struct batch *b = filled();
	batch_note_offset(b, T_COMPLAINTS, 0, 14, 9, 1);
	batch_reset(b);
	size_t n = 99;
	batch_parts(b, &n);
	assert_int_equal(n, 0);
	assert_counts(b, 0, 0, 0, 0);
	assert_int_equal(batch_bytes(b), 0);
	const char *p;
	batch_quarantine_copy(b, &p, &n);
	assert_int_equal(n, 0);

	/* Identities from before the reset are forgotten, new copies are not. */
	assert_true(add(b, complaint("/cp", "a1"), T_COMPLAINTS, 0, 20));
	assert_false(add(b, complaint("/cp", "a1"), T_COMPLAINTS, 0, 21));
	assert_true(add(b, reception("r1"), T_RECEPTIONS, 1, 30));
	assert_int_equal(batch_events(b), 2);
	assert_int_equal(batch_duplicates(b), 1);
	assert_int_equal(kind_lines(b, RECEPTION, 0, 2), 1);
	batch_kind_slice(b, COMPLAINT, 0, 2, &p, &n);
	assert_int_equal(tu_count(p, n, '\n'), 1);
	assert_true(strncmp(p, "/cp\ta1\t", 7) == 0);
	batch_free(b);
}

static void add_many(struct batch *b, size_t count, bool expect_new)
{
	for (size_t i = 0; i < count; i++) {
		char id[32];
		snprintf(id, sizeof(id), "ev-%zu", i);
		bool ok = add(b, i % 3 ? complaint("/cp", id) : reception(id),
			      i % 3 ? T_COMPLAINTS : T_RECEPTIONS, 0, (int64_t)i);
		if (ok != expect_new)
			fail_msg("event %zu: batch_add_event returned %d", i, ok);
	}
}

TEST(test_filter_grows_beyond_initial_capacity_and_survives_reset)
{
	const size_t count = 1500; /* > capacity 4, > 64 slots, > 1024 events */
	struct batch *b = batch_new(4);
	add_many(b, count, true);
	assert_int_equal(batch_events(b), count);
	add_many(b, count, false); /* every identity is still found after growth */
	assert_int_equal(batch_duplicates(b), count);
	assert_int_equal(batch_messages(b), 2 * count);
	/* i % 3 == 0 is a reception: 500 of 1500, 33 of [100, 200). */
	assert_int_equal(kind_lines(b, COMPLAINT, 0, count), 1000);
	assert_int_equal(kind_lines(b, RECEPTION, 0, count), 500);
	assert_int_equal(kind_lines(b, COMPLAINT, 100, 200), 67);
	assert_int_equal(kind_lines(b, RECEPTION, 100, 200), 33);
	const char *p;
	size_t n;
	batch_kind_slice(b, COMPLAINT, 100, 200, &p, &n);
	assert_true(strncmp(p, "/cp\tev-100\t", 11) == 0);
	batch_kind_slice(b, RECEPTION, 100, 200, &p, &n);
	assert_true(strncmp(p, "/ro\tev-102\t", 11) == 0);

	batch_reset(b);
	add_many(b, count, true);
	assert_int_equal(batch_events(b), count);
	assert_int_equal(batch_duplicates(b), 0);
	add_many(b, 10, false);
	assert_int_equal(batch_duplicates(b), 10);
	batch_free(b);
}

TEST(test_new_batch_is_empty_and_free_accepts_null)
{
	struct batch *b = batch_new(1);
	assert_non_null(b);
	assert_counts(b, 0, 0, 0, 0);
	assert_int_equal(batch_bytes(b), 0);
	size_t n = 99;
	batch_parts(b, &n);
	assert_int_equal(n, 0);
	const char *p = "x";
	batch_quarantine_copy(b, &p, &n);
	assert_int_equal(n, 0);
	batch_kind_slice(b, COMPLAINT, 0, 0, &p, &n);
	assert_null(p);
	assert_int_equal(n, 0);
	batch_free(b);
	batch_free(NULL); /* like free(3): the cleanup paths rely on it */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_distinguish_events_duplicates_and_quarantine),
		cmocka_unit_test(test_same_source_and_id_is_refused_as_duplicate),
		cmocka_unit_test(test_same_identity_with_other_content_is_quarantined_as_conflicting),
		cmocka_unit_test(test_same_source_with_different_id_is_accepted),
		cmocka_unit_test(test_same_id_with_different_source_is_accepted),
		cmocka_unit_test(test_row_holds_normalized_columns_key_headers_payload_and_mode),
		cmocka_unit_test(test_kind_slice_holds_exactly_the_rows_of_that_kind),
		cmocka_unit_test(test_kind_slice_without_events_of_that_kind_is_empty),
		cmocka_unit_test(test_kinds_in_sets_one_bit_per_kind_present),
		cmocka_unit_test(test_quarantine_line_holds_lineage_payload_reason_field_and_message),
		cmocka_unit_test(test_bytes_is_the_sum_of_all_buffers),
		cmocka_unit_test(test_note_offset_keeps_next_offset_at_max_plus_one_and_max_time),
		cmocka_unit_test(test_note_offset_handles_many_partitions),
		cmocka_unit_test(test_reset_empties_everything_and_the_filter_works_again),
		cmocka_unit_test(test_filter_grows_beyond_initial_capacity_and_survives_reset),
		cmocka_unit_test(test_new_batch_is_empty_and_free_accepts_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
