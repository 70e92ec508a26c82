/*
 * testutil: shared helpers for the cmocka unit tests.
 *
 * A `struct tev` is one decode attempt that keeps everything the decoded
 * event refers to alive (payload copy, COPY row buffer) until tev_free.
 * The assertion helpers are macros so that a failure points at the line
 * of the test that asked, and each prints the decoder's own reason,
 * field and message so that a failing run explains itself.
 */
#ifndef DISCLOSED_TESTUTIL_H
#define DISCLOSED_TESTUTIL_H

/* cmocka needs these before its header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "sink.h"

#define TU_UNUSED __attribute__((unused))

/* A test function; cmocka's state pointer is not used by these tests. */
#define TEST(name) static void name(void **state TU_UNUSED)

/* A lineage with a literal topic. */
#define LINEAGE(topic, partition, offset) \
	{ (topic), sizeof(topic) - 1, (partition), (offset) }

/* Large enough for every test event; TOO_LARGE is tested on its own. */
#define TU_MAX_BYTES ((size_t)1 << 20)

struct tev {
	char *payload; /* exact-length copy, so ASan sees over-reads */
	size_t len;
	struct decoded d;
	struct decode_error e;
	int rc;
	struct buf row;
};

TU_UNUSED static void tev_decode_full(struct tev *t, const void *payload, size_t len,
				      const struct event_header *h, size_t nh,
				      size_t max_bytes)
{
	memset(t, 0, sizeof(*t));
	t->payload = malloc(len ? len : 1);
	assert_non_null(t->payload);
	if (len)
		memcpy(t->payload, payload, len);
	t->len = len;
	struct event_input in = {t->payload, len, h, nh};
	struct decode_limits lim = {.max_bytes = max_bytes};
	/* Poisoned, so a reason or message the decoder forgot to set shows. */
	memset(&t->e, 0x5a, sizeof(t->e));
	t->e.field[sizeof(t->e.field) - 1] = '\0';
	t->e.message[sizeof(t->e.message) - 1] = '\0';
	t->rc = event_decode(&in, &lim, &t->d, &t->e);
}

TU_UNUSED static void tev_decode_bytes(struct tev *t, const void *p, size_t n)
{
	tev_decode_full(t, p, n, NULL, 0, TU_MAX_BYTES);
}

TU_UNUSED static void tev_decode_str(struct tev *t, const char *json)
{
	tev_decode_bytes(t, json, strlen(json));
}

/* Serializes and decodes ev, then releases it. */
TU_UNUSED static void tev_decode_json(struct tev *t, json_t *ev)
{
	char *s = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_non_null(s);
	tev_decode_str(t, s);
	free(s);
	json_decref(ev);
}

TU_UNUSED static void tev_free(struct tev *t)
{
	if (t->rc == 0)
		decoded_release(&t->d);
	free(t->payload);
	buf_free(&t->row);
	t->payload = NULL;
}

/* The COPY line sink_kind_row produces for the decoded event, with the
 * given raw columns, NUL-terminated. */
TU_UNUSED static const char *tev_row_full(struct tev *t, const struct lineage *lin,
					  const struct event_raw *raw)
{
	buf_reset(&t->row);
	sink_kind_row(&t->d, lin, raw, &t->row);
	return buf_cstr(&t->row);
}

TU_UNUSED static const char *tev_row_raw(struct tev *t, const struct lineage *lin,
					 const struct event_raw *raw)
{
	tev_row_full(t, lin, raw);
	/* Without the last column, the content digest (its own tests check it):
	 * the row as the event's columns give it. */
	const char *tab = strrchr(buf_cstr(&t->row), '\t');
	assert_non_null(tab);
	assert_int_equal(strlen(tab), 1 + 3 + 64 + 1); /* tab, \\x, hex, newline */
	t->row.len = (size_t)(tab - t->row.data);
	buf_putc(&t->row, '\n');
	return buf_cstr(&t->row);
}

/* Same, with the payload as raw and no key or headers. */
TU_UNUSED static const char *tev_row(struct tev *t, const struct lineage *lin)
{
	struct event_raw raw = {NULL, 0, NULL, 0, t->payload, t->len};
	return tev_row_raw(t, lin, &raw);
}

/* The normalized columns of a row (source .. kafka_offset): the row
 * without its four raw columns (key, headers, payload, binary_mode) and
 * newline. Caller frees. */
TU_UNUSED static char *tu_normalized(const char *row)
{
	size_t n = strlen(row);
	int tabs = 0;
	while (n > 0) {
		n--;
		if (row[n] == '\t' && ++tabs == 4)
			break;
	}
	assert_int_equal(tabs, 4);
	return strndup(row, n);
}

/* ---- JSON building ----------------------------------------------------- */

TU_UNUSED static json_t *tu_parse(const char *json)
{
	json_error_t je;
	json_t *j = json_loads(json, 0, &je);
	if (!j)
		fail_msg("test fixture is not JSON: %s: %s", je.text, json);
	return j;
}

TU_UNUSED static json_t *tu_data(json_t *ev)
{
	json_t *data = json_object_get(ev, "data");
	if (!json_is_object(data)) {
		data = json_object();
		json_object_set_new(ev, "data", data);
	}
	return data;
}

TU_UNUSED static void tu_data_set(json_t *ev, const char *name, json_t *v)
{
	json_object_set_new(tu_data(ev), name, v);
}

TU_UNUSED static void tu_data_del(json_t *ev, const char *name)
{
	assert_int_equal(json_object_del(tu_data(ev), name), 0);
}

TU_UNUSED static void tu_attr_set(json_t *ev, const char *name, json_t *v)
{
	json_object_set_new(ev, name, v);
}

TU_UNUSED static void tu_attr_del(json_t *ev, const char *name)
{
	assert_int_equal(json_object_del(ev, name), 0);
}

/* A string of n copies of c, for length limits. */
TU_UNUSED static json_t *tu_repeat(char c, size_t n)
{
	char *s = malloc(n + 1);
	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	json_t *j = json_string(s);
	free(s);
	return j;
}

/* ---- assertions -------------------------------------------------------- */

TU_UNUSED static void tu_assert_ok(const struct tev *t, const char *file, int line)
{
	if (t->rc == 0 && t->d.kind && event_kinds[t->d.kind_idx] == t->d.kind)
		return;
	print_error("expected the event to decode, got rc=%d %s (field \"%s\"): %s\n",
		    t->rc, reason_code(t->e.reason), t->e.field, t->e.message);
	_fail(file, line);
}
#define assert_decodes(t) tu_assert_ok((t), __FILE__, __LINE__)

/* field NULL: not checked. */
TU_UNUSED static void tu_assert_rejected(const struct tev *t, enum reason r,
					 const char *field, const char *file, int line)
{
	if (t->rc == 0) {
		print_error("expected %s (field \"%s\"), but the event decoded\n",
			    reason_code(r), field ? field : "?");
		_fail(file, line);
	}
	if (t->rc != -1 || t->e.reason != r) {
		print_error("expected %s (field \"%s\"), got rc=%d %s (field \"%s\"): %s\n",
			    reason_code(r), field ? field : "?", t->rc,
			    reason_code(t->e.reason), t->e.field, t->e.message);
		_fail(file, line);
	}
	if (field && strcmp(t->e.field, field) != 0) {
		print_error("%s names field \"%s\", expected \"%s\": %s\n", reason_code(r),
			    t->e.field, field, t->e.message);
		_fail(file, line);
	}
	if (!t->e.message[0] || strchr(t->e.message, '\n')) {
		print_error("the message must be one non-empty line: \"%s\"\n", t->e.message);
		_fail(file, line);
	}
	if (t->d.root || t->d.kind) {
		print_error("a failed decode must leave nothing behind\n");
		_fail(file, line);
	}
}
#define assert_rejected(t, reason, field) \
	tu_assert_rejected((t), (reason), (field), __FILE__, __LINE__)

TU_UNUSED static void tu_assert_message_has(const struct tev *t, const char *part,
					    const char *file, int line)
{
	if (strstr(t->e.message, part))
		return;
	print_error("message \"%s\" does not contain \"%s\"\n", t->e.message, part);
	_fail(file, line);
}
#define assert_message_has(t, part) tu_assert_message_has((t), (part), __FILE__, __LINE__)

/* Whether text contains part is as wanted; a failure names the part. */
TU_UNUSED static void tu_assert_contains(const char *text, const char *part, bool want,
					 const char *file, int line)
{
	if ((strstr(text, part) != NULL) == want)
		return;
	print_error("the text %s \"%s\"\n", want ? "lacks" : "contains", part);
	_fail(file, line);
}
#define assert_has(text, part) tu_assert_contains((text), (part), true, __FILE__, __LINE__)
#define assert_lacks(text, part) tu_assert_contains((text), (part), false, __FILE__, __LINE__)

TU_UNUSED static size_t tu_count(const char *p, size_t n, char c)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += p[i] == c;
	return k;
}

/* ---- the per-kind checks, shared by the test_kind_*.c files ------------ */

/* `json` decodes as kind `type`, and sink_kind_row writes the normalized
 * columns `cols` (source .. kafka_offset) followed by the raw columns: no
 * key, no headers, the payload as is, structured mode. */
TU_UNUSED static void tu_check_row(const char *json, const char *type,
				   const struct lineage *lin, const char *cols,
				   const char *file, int line)
{
	struct tev t;
	/* The payload is expected verbatim, so it must need no COPY escape. */
	_assert_true(strcspn(json, "\\\t\n\r") == strlen(json),
		     "fixture payload needs no COPY escaping", file, line);
	tev_decode_str(&t, json);
	tu_assert_ok(&t, file, line);
	if (strcmp(t.d.kind->type, type) != 0) {
		print_error("decoded as %s, expected %s\n", t.d.kind->type, type);
		_fail(file, line);
	}
	size_t n = strlen(cols) + strlen(json) + 16;
	char *want = malloc(n);
	snprintf(want, n, "%s\t\\N\t\\N\t%s\tf\n", cols, json);
	_assert_string_equal(tev_row(&t, lin), want, file, line);
	free(want);
	tev_free(&t);
}
#define check_row(json, type, lin, cols) tu_check_row((json), (type), (lin), (cols), __FILE__, __LINE__)

/* The spec's own example decodes as that kind, into one line with one
 * column per name in sink_kind_columns. */
TU_UNUSED static void tu_check_example(const struct kind_spec *k, const char *file,
				       int line)
{
	struct tev t;
	static const struct lineage lin = LINEAGE("t", 0, 0);
	struct buf cols = BUF_INIT;
	assert_non_null(k->example);
	tev_decode_str(&t, k->example);
	tu_assert_ok(&t, file, line);
	_assert_true(t.d.kind == k, "decoded kind is the spec's kind", file, line);
	struct event_raw raw = {NULL, 0, NULL, 0, t.payload, t.len};
	const char *row = tev_row_full(&t, &lin, &raw);
	sink_kind_columns(k, "\t", &cols);
	_assert_int_equal(tu_count(row, strlen(row), '\t'), tu_count(cols.data, cols.len, '\t'),
			  file, line);
	_assert_int_equal(tu_count(row, strlen(row), '\n'), 1, file, line);
	_assert_int_equal(row[strlen(row) - 1], '\n', file, line);
	buf_free(&cols);
	tev_free(&t);
}
#define check_example(k) tu_check_example((k), __FILE__, __LINE__)

/* Strips the "data." prefix; see test_event.c for the path convention. */
static inline const char *tu_bare(const char *field)
{
	return strncmp(field, "data.", 5) == 0 ? field + 5 : field;
}

/* Without data.<name> (or with it null), `base` is REASON_MISSING_FIELD. */
TU_UNUSED static void tu_check_missing(const char *base, const char *name, bool as_null,
				       const char *file, int line)
{
	struct tev t;
	char path[80];
	json_t *ev = tu_parse(base);
	if (as_null)
		tu_data_set(ev, name, json_null());
	else
		tu_data_del(ev, name);
	tev_decode_json(&t, ev);
	tu_assert_rejected(&t, REASON_MISSING_FIELD, NULL, file, line);
	_assert_string_equal(tu_bare(t.e.field), name, file, line);
	snprintf(path, sizeof(path), "data.%s", name);
	tu_assert_message_has(&t, path, file, line);
	tev_free(&t);
}
#define check_missing(base, name) tu_check_missing((base), (name), false, __FILE__, __LINE__)
#define check_null_is_missing(base, name) tu_check_missing((base), (name), true, __FILE__, __LINE__)

/* data.<name> = value (taken) makes `base` fail with `reason`, the error
 * names data.<name>, and the message contains `part` (when not NULL). */
TU_UNUSED static void tu_check_bad(const char *base, const char *name, json_t *value,
				   enum reason r, const char *part, const char *file,
				   int line)
{
	struct tev t;
	char path[80];
	json_t *ev = tu_parse(base);
	tu_data_set(ev, name, value);
	tev_decode_json(&t, ev);
	snprintf(path, sizeof(path), "data.%s", name);
	tu_assert_rejected(&t, r, path, file, line);
	tu_assert_message_has(&t, path, file, line);
	if (part)
		tu_assert_message_has(&t, part, file, line);
	tev_free(&t);
}
#define check_bad(base, name, value, part) \
	tu_check_bad((base), (name), (value), REASON_BAD_FIELD, (part), __FILE__, __LINE__)
#define check_bad_time(base, name, value, part) \
	tu_check_bad((base), (name), (value), REASON_BAD_TIME, (part), __FILE__, __LINE__)

/* data.<name> = value (taken) is accepted and written as `column`, the
 * COPY text of that field's column. */
TU_UNUSED static void tu_check_value(const char *base, const char *name, json_t *value,
				     const char *column, const char *file, int line)
{
	struct tev t;
	static const struct lineage lin = LINEAGE("t", 0, 0);
	json_t *ev = tu_parse(base);
	tu_data_set(ev, name, value);
	tev_decode_json(&t, ev);
	tu_assert_ok(&t, file, line);
	size_t idx = 0;
	while (idx < t.d.kind->nfields && strcmp(t.d.kind->fields[idx].name, name) != 0)
		idx++;
	_assert_true(idx < t.d.kind->nfields, "the kind has the field", file, line);
	/* Column 5 + idx of the row. */
	const char *p = tev_row(&t, &lin);
	for (size_t col = 0; col < 5 + idx; col++) {
		p = strchr(p, '\t');
		_assert_true(p != NULL, "row has enough columns", file, line);
		p++;
	}
	size_t n = strcspn(p, "\t\n");
	char got[1024];
	snprintf(got, sizeof(got), "%.*s", (int)n, p);
	_assert_string_equal(got, column, file, line);
	tev_free(&t);
}
#define check_value(base, name, value, column) \
	tu_check_value((base), (name), (value), (column), __FILE__, __LINE__)

/* An extra member in data is REASON_UNKNOWN_FIELD naming the member. */
TU_UNUSED static void tu_check_unknown(const char *base, const char *member,
				       const char *file, int line)
{
	struct tev t;
	char quoted[80], type[80];
	json_t *ev = tu_parse(base);
	snprintf(type, sizeof(type), "%s", json_string_value(json_object_get(ev, "type")));
	tu_data_set(ev, member, json_string("x"));
	tev_decode_json(&t, ev);
	tu_assert_rejected(&t, REASON_UNKNOWN_FIELD, "data", file, line);
	snprintf(quoted, sizeof(quoted), "\"%s\"", member);
	tu_assert_message_has(&t, quoted, file, line);
	tu_assert_message_has(&t, type, file, line);
	tev_free(&t);
}
#define check_unknown(base, member) tu_check_unknown((base), (member), __FILE__, __LINE__)

#endif
