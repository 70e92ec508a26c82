#define _GNU_SOURCE /* strcasestr */
/* The sink contract: every table's COPY row has one field per name in its
 * column list, in that order, and the column lists (and the SQL that names
 * columns) agree with the tables as sql/migrations creates them. */
#include "testutil.h"

#include <ctype.h>
#include <strings.h>

#include "migrate.h"

/* ---- COPY rows ------------------------------------------------------- */

#define MAX_COLS 64

struct fields {
	char *copy; /* owned: the line, cut at its tabs */
	const char *f[MAX_COLS];
	size_t n;
};

/* A copy of s[0..len) cut at each sep. */
static void split_at(const char *s, size_t len, const char *sep, struct fields *out)
{
	out->copy = strndup(s, len);
	assert_non_null(out->copy);
	out->n = 0;
	for (char *p = out->copy;;) {
		assert_true(out->n < MAX_COLS);
		out->f[out->n++] = p;
		p = strstr(p, sep);
		if (!p)
			break;
		*p = '\0';
		p += strlen(sep);
	}
}

/* Split a COPY text line (one row, ending in its newline) at its tabs:
 * escaped tabs inside values are "\t" and do not count. */
static void split_line(const char *line, struct fields *out)
{
	size_t len = strlen(line);
	assert_true(len > 0);
	assert_int_equal(line[len - 1], '\n');
	assert_null(memchr(line, '\n', len - 1)); /* one line, whatever the values */
	split_at(line, len - 1, "\t", out);
}

/* Column lists are written with the separator ", ". */
static void split_columns(const char *cols, struct fields *out)
{
	split_at(cols, strlen(cols), ", ", out);
}

/* The field of row under column name. */
static const char *field_of(const struct fields *cols, const struct fields *row,
			    const char *name)
{
	for (size_t i = 0; i < cols->n; i++)
		if (strcmp(cols->f[i], name) == 0)
			return row->f[i];
	fail_msg("no column %s", name);
	return NULL;
}

static const unsigned char KEY[] = "unit-test-key";

/* Raw columns whose values need escaping: a tab and a newline in the
 * payload, a backslash in a header. */
static const char PAYLOAD_WITH_TAB[] = "{\n\t\"raw\": true}";
static const char HEADERS[] = "[{\"name\":\"trace\",\"value\":\"a\\\\b\"}]";

TEST(test_every_kind_row_has_one_field_per_column)
{
	static const struct lineage lin = LINEAGE("odd\ttopic", 3, 42);
	const struct event_raw raws[] = {
		{"k\tey", 4, HEADERS, sizeof(HEADERS) - 1, PAYLOAD_WITH_TAB,
		 sizeof(PAYLOAD_WITH_TAB) - 1},
		{NULL, 0, NULL, 0, "{}", 2},
	};
	struct decode_limits lim = {.max_bytes = 1 << 20, .hmac_key = KEY,
				    .hmac_key_len = sizeof(KEY) - 1};
	struct buf row = BUF_INIT, cols = BUF_INIT;
	for (size_t k = 0; event_kinds[k]; k++) {
		const struct kind_spec *ks = event_kinds[k];
		struct event_input in = {ks->example, strlen(ks->example), NULL, 0};
		struct decoded d;
		struct decode_error e;
		assert_int_equal(event_decode(&in, &lim, &d, &e), 0);
		buf_reset(&cols);
		sink_kind_columns(ks, ", ", &cols);
		struct fields c;
		split_columns(buf_cstr(&cols), &c);
		assert_int_equal(c.n, 5 + ks->nfields + 8);
		for (size_t r = 0; r < sizeof(raws) / sizeof(raws[0]); r++) {
			buf_reset(&row);
			sink_kind_row(&d, &lin, &raws[r], &row);
			struct fields f;
			split_line(buf_cstr(&row), &f);
			if (f.n != c.n)
				fail_msg("%s: %zu fields in the row, %zu columns (%s)", ks->table,
					 f.n, c.n, buf_cstr(&cols));
			/* The right value under the right name. */
			json_t *ex = json_loads(ks->example, 0, NULL);
			assert_string_equal(field_of(&c, &f, "event_id"),
					    json_string_value(json_object_get(ex, "id")));
			json_decref(ex);
			assert_string_equal(field_of(&c, &f, "topic"), "odd\\ttopic");
			assert_string_equal(field_of(&c, &f, "kafka_partition"), "3");
			assert_string_equal(field_of(&c, &f, "kafka_offset"), "42");
			assert_string_equal(field_of(&c, &f, "binary_mode"), "f");
			assert_string_equal(field_of(&c, &f, "kafka_key"),
					    r == 0 ? "\\\\x6b096579" : "\\N");
			assert_string_equal(field_of(&c, &f, "headers"),
					    r == 0 ? "[{\"name\":\"trace\",\"value\":\"a\\\\\\\\b\"}]"
						   : "\\N");
			assert_string_equal(field_of(&c, &f, "payload"),
					    r == 0 ? "{\\n\\t\"raw\": true}" : "{}");
			for (size_t i = 0; i < ks->nfields; i++)
				if (!d.v[i].present)
					assert_string_equal(field_of(&c, &f, ks->fields[i].name),
							    "\\N");
			free(f.copy);
		}
		free(c.copy);
		decoded_release(&d);
	}
	buf_free(&row);
	buf_free(&cols);
}

TEST(test_quarantine_row_has_one_field_per_column)
{
	static const struct lineage lin = LINEAGE("complaints", 1, 7);
	struct decode_error e = {.reason = REASON_BAD_FIELD, .field = "data.channel",
				 .message = "data.channel=\"x\ty\" is not\nallowed"};
	const struct event_raw raws[] = {
		{"key", 3, HEADERS, sizeof(HEADERS) - 1, "\x01\xff\t", 3},
		{NULL, 0, NULL, 0, "", 0},
	};
	struct buf row = BUF_INIT, cols = BUF_INIT;
	sink_quarantine_columns(", ", &cols);
	struct fields c;
	split_columns(buf_cstr(&cols), &c);
	for (size_t r = 0; r < 2; r++) {
		if (r == 1) {
			e.reason = REASON_BAD_JSON;
			e.field[0] = '\0';
		}
		buf_reset(&row);
		sink_quarantine_row(&lin, &raws[r], &e, &row);
		struct fields f;
		split_line(buf_cstr(&row), &f);
		if (f.n != c.n)
			fail_msg("quarantine: %zu fields in the row, %zu columns (%s)", f.n, c.n,
				 buf_cstr(&cols));
		assert_string_equal(field_of(&c, &f, "topic"), "complaints");
		assert_string_equal(field_of(&c, &f, "kafka_partition"), "1");
		assert_string_equal(field_of(&c, &f, "kafka_offset"), "7");
		assert_string_equal(field_of(&c, &f, "kafka_key"), r == 0 ? "\\\\x6b6579" : "\\N");
		assert_string_equal(field_of(&c, &f, "payload"), r == 0 ? "\\\\x01ff09" : "\\\\x");
		assert_string_equal(field_of(&c, &f, "reason_code"),
				    r == 0 ? "bad_field" : "bad_json");
		assert_string_equal(field_of(&c, &f, "field"), r == 0 ? "data.channel" : "\\N");
		assert_string_equal(field_of(&c, &f, "reason"),
				    "data.channel=\"x\\ty\" is not\\nallowed");
		free(f.copy);
	}
	free(c.copy);
	buf_free(&row);
	buf_free(&cols);
}

/* The headers column, written and read back (a quarantine replay), keeps
 * every header: text, binary (not UTF-8) and valueless. */
TEST(test_headers_column_reads_back_what_was_written)
{
	static const unsigned char bin[] = {0x00, 0xff, 0x80, 0x41};
	const struct event_header in[] = {
		{"ce_id", "x1", 2}, {"trace", bin, sizeof(bin)}, {"empty", NULL, 0},
		{"quote", "a\"b\\c", 5},
	};
	struct buf scratch = BUF_INIT;
	size_t len = 0;
	assert_null(sink_headers_json(in, 0, &scratch, &len));
	const char *j = sink_headers_json(in, 4, &scratch, &len);
	assert_non_null(j);
	char *copy = strndup(j, len); /* j is not NUL-terminated */
	assert_int_equal(strlen(copy), len);
	assert_non_null(strstr(copy, "{\"name\":\"trace\",\"hex\":\"00ff8041\"}"));
	json_t *store = NULL;
	struct event_header out[8];
	unsigned char hex[16];
	assert_int_equal(sink_headers_parse(copy, &store, out, 8, hex, sizeof(hex)), 4);
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(out[i].name, in[i].name);
		assert_int_equal(out[i].len, in[i].len);
		if (in[i].value)
			assert_memory_equal(out[i].value, in[i].value, in[i].len);
		else
			assert_null(out[i].value);
	}
	json_decref(store);
	assert_int_equal(sink_headers_parse(NULL, &store, out, 8, hex, sizeof(hex)), 0);
	free(copy);
	buf_free(&scratch);
}

/* ---- the tables in sql/migrations ------------------------------------ */

struct column {
	char name[64];
	bool not_null, has_default;
};

struct table {
	char name[64];
	struct column col[MAX_COLS];
	size_t n;
};

/* Every migration, in order, with comments blanked out (they may hold
 * commas and parentheses). Caller frees. */
static char *schema_text(void)
{
	struct buf b = BUF_INIT;
	assert_true(nmigrations > 0);
	for (size_t i = 0; i < nmigrations; i++) {
		buf_append(&b, migrations[i].data, migrations[i].len);
		buf_putc(&b, '\n');
	}
	char *s = strdup(buf_cstr(&b));
	buf_free(&b);
	assert_non_null(s);
	for (char *p = strstr(s, "--"); p; p = strstr(p, "--"))
		while (*p && *p != '\n')
			*p++ = ' ';
	return s;
}

/* The next item of a comma-separated list at depth 0, ending at `end`:
 * *p moves past it. Returns false at the end. */
static bool next_item(const char **p, const char *end, char *item, size_t len)
{
	const char *s = *p;
	while (s < end && (isspace((unsigned char)*s) || *s == ','))
		s++;
	if (s >= end)
		return false;
	const char *e = s;
	for (int depth = 0; e < end && (depth > 0 || *e != ','); e++)
		depth += (*e == '(') - (*e == ')');
	size_t n = (size_t)(e - s) < len - 1 ? (size_t)(e - s) : len - 1;
	memcpy(item, s, n);
	item[n] = '\0';
	*p = e;
	return true;
}

static bool starts_word(const char *s, const char *word)
{
	size_t n = strlen(word);
	return strncasecmp(s, word, n) == 0 && (isspace((unsigned char)s[n]) || !s[n]);
}

/* "name type ...": a column definition. */
static void add_column(struct table *t, const char *def)
{
	struct column *c = &t->col[t->n++];
	assert_true(t->n < MAX_COLS);
	size_t n = strcspn(def, " \t\n");
	assert_true(n > 0 && n < sizeof(c->name));
	memcpy(c->name, def, n);
	c->name[n] = '\0';
	c->not_null = strcasestr(def, "not null") || strcasestr(def, "primary key");
	c->has_default = strcasestr(def, " default ") || strcasestr(def, "serial");
}

/* Where `prefix` followed by the table's name and a blank starts in s. */
static const char *find_statement(const char *s, const char *prefix, const char *table)
{
	char head[128];
	snprintf(head, sizeof(head), "%sdisclosed.%s", prefix, table);
	for (const char *p = strstr(s, head); p; p = strstr(p + 1, head))
		if (isspace((unsigned char)p[strlen(head)]))
			return p + strlen(head);
	return NULL;
}

/* "ALTER COLUMN name TYPE ...": of a column the table has; it changes
 * neither whether the column may be NULL nor its default. Any other ALTER
 * COLUMN (SET NOT NULL, SET DEFAULT...) is not this. */
static bool alter_column_type(const struct table *t, const char *item)
{
	if (!starts_word(item, "ALTER") || !starts_word(item + 6, "COLUMN"))
		return false;
	const char *name = item + 13;
	size_t n = strcspn(name, " \t\n");
	if (!starts_word(name + n + 1, "TYPE"))
		return false;
	for (size_t i = 0; i < t->n; i++)
		if (strlen(t->col[i].name) == n && strncmp(t->col[i].name, name, n) == 0)
			return true;
	fail_msg("ALTER TABLE disclosed.%s: \"%s\" changes a column it does not have",
		 t->name, item);
	return false;
}

/* The table as the migrations leave it: CREATE TABLE, then each ALTER
 * TABLE. A change this parser does not know fails the test, to be taught
 * here rather than silently misread. */
static void table_from_migrations(const char *schema, const char *name, struct table *t)
{
	char item[512];
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name);
	const char *p = find_statement(schema, "CREATE TABLE ", name);
	if (!p)
		fail_msg("no CREATE TABLE disclosed.%s in sql/migrations", name);
	p = strchr(p, '(') + 1;
	const char *end = p;
	for (int depth = 1; depth > 0; end++) {
		assert_true(*end != '\0');
		depth += (*end == '(') - (*end == ')');
	}
	end--;
	while (next_item(&p, end, item, sizeof(item)))
		if (!starts_word(item, "PRIMARY") && !starts_word(item, "UNIQUE") &&
		    !starts_word(item, "CONSTRAINT") && !starts_word(item, "CHECK") &&
		    !starts_word(item, "FOREIGN") && !starts_word(item, "EXCLUDE"))
			add_column(t, item);
	char prefix[128];
	snprintf(prefix, sizeof(prefix), "ALTER TABLE disclosed.%s", name);
	for (const char *a = strstr(schema, prefix); a; a = strstr(a + 1, prefix)) {
		const char *q = a + strlen(prefix);
		if (!isspace((unsigned char)*q))
			continue;
		const char *stop = strchr(q, ';');
		assert_non_null(stop);
		while (next_item(&q, stop, item, sizeof(item))) {
			if (starts_word(item, "ADD") && starts_word(item + 4, "CONSTRAINT"))
				continue;
			if (alter_column_type(t, item))
				continue;
			if (!starts_word(item, "ADD") || !starts_word(item + 4, "COLUMN"))
				fail_msg("ALTER TABLE disclosed.%s: \"%s\" is not understood by "
					 "test_sink.c; teach it", name, item);
			add_column(t, item + 11);
		}
	}
}

static const struct column *column_of(const struct table *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->col[i].name, name) == 0)
			return &t->col[i];
	return NULL;
}

/* Every written column exists, once; every column left out is one that
 * PostgreSQL fills (a default) or, when nullable_ok, may stay NULL. */
static void check_written(const struct table *t, const struct fields *written, bool nullable_ok,
			  const char *what)
{
	for (size_t i = 0; i < written->n; i++) {
		if (!column_of(t, written->f[i]))
			fail_msg("%s writes %s, which disclosed.%s does not have", what,
				 written->f[i], t->name);
		for (size_t j = 0; j < i; j++)
			if (strcmp(written->f[i], written->f[j]) == 0)
				fail_msg("%s writes %s twice", what, written->f[i]);
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct column *c = &t->col[i];
		bool found = false;
		for (size_t j = 0; j < written->n && !found; j++)
			found = strcmp(written->f[j], c->name) == 0;
		if (!found && !c->has_default && (c->not_null || !nullable_ok))
			fail_msg("%s leaves out disclosed.%s.%s, which PostgreSQL does not fill",
				 what, t->name, c->name);
	}
}

/* The column list of the INSERT INTO disclosed.<table> in sql. */
static void insert_columns(const char *sql, const char *table, struct fields *out)
{
	const char *p = find_statement(sql, "INSERT INTO ", table);
	assert_non_null(p);
	p = strchr(p, '(');
	assert_non_null(p);
	const char *end = strchr(p, ')');
	assert_non_null(end);
	char *list = strndup(p + 1, (size_t)(end - p - 1));
	assert_non_null(list);
	split_columns(list, out);
	free(list);
}

TEST(test_kind_columns_are_the_tables_columns)
{
	char *schema = schema_text();
	struct buf cols = BUF_INIT;
	static struct table t;
	for (size_t k = 0; event_kinds[k]; k++) {
		table_from_migrations(schema, event_kinds[k]->table, &t);
		buf_reset(&cols);
		sink_kind_columns(event_kinds[k], ", ", &cols);
		struct fields c;
		split_columns(buf_cstr(&cols), &c);
		/* Nothing a kind defines may be left NULL by omission. */
		check_written(&t, &c, false, event_kinds[k]->type);
		free(c.copy);
	}
	buf_free(&cols);
	free(schema);
}

TEST(test_quarantine_columns_are_the_tables_columns)
{
	char *schema = schema_text();
	static struct table t;
	struct buf cols = BUF_INIT;
	struct fields c;
	table_from_migrations(schema, "quarantine", &t);
	sink_quarantine_columns(", ", &cols);
	split_columns(buf_cstr(&cols), &c);
	check_written(&t, &c, true, "sink_quarantine_row");
	free(c.copy);
	sink_quarantine_reject_sql("pg_temp.stage_x", &cols);
	insert_columns(buf_cstr(&cols), "quarantine", &c);
	check_written(&t, &c, true, "sink_quarantine_reject_sql");
	free(c.copy);
	buf_free(&cols);
	free(schema);
}

TEST(test_offsets_sql_names_the_tables_columns)
{
	char *schema = schema_text();
	static struct table t;
	struct fields c;
	table_from_migrations(schema, "consumer_offset", &t);
	insert_columns(sink_offsets_advance_sql, "consumer_offset", &c);
	check_written(&t, &c, true, "sink_offsets_advance_sql");
	free(c.copy);
	insert_columns(sink_offsets_rewind_sql, "consumer_offset", &c);
	check_written(&t, &c, true, "sink_offsets_rewind_sql");
	free(c.copy);
	free(schema);
}

/* The parser itself: it must see what the migrations say, or the checks
 * above would pass on nothing. */
TEST(test_the_migrations_are_read_in_full)
{
	char *schema = schema_text();
	static struct table t;
	table_from_migrations(schema, "complaint_received", &t);
	assert_non_null(column_of(&t, "channel"));
	assert_non_null(column_of(&t, "complainant_phone")); /* ALTER TABLE, 0005 */
	assert_true(column_of(&t, "ingested_at")->has_default);
	assert_true(column_of(&t, "source")->not_null);
	assert_false(column_of(&t, "category")->not_null);
	assert_null(column_of(&t, "PRIMARY"));
	assert_int_equal(t.n, 5 + 2 + 3 + 8 + 1);
	table_from_migrations(schema, "quarantine", &t);
	assert_true(column_of(&t, "id")->has_default);
	assert_false(column_of(&t, "sqlstate")->not_null);
	assert_null(column_of(&t, "UNIQUE"));
	assert_int_equal(t.n, 16);
	free(schema);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind_row_has_one_field_per_column),
		cmocka_unit_test(test_quarantine_row_has_one_field_per_column),
		cmocka_unit_test(test_headers_column_reads_back_what_was_written),
		cmocka_unit_test(test_kind_columns_are_the_tables_columns),
		cmocka_unit_test(test_quarantine_columns_are_the_tables_columns),
		cmocka_unit_test(test_offsets_sql_names_the_tables_columns),
		cmocka_unit_test(test_the_migrations_are_read_in_full),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
