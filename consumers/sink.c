#include "sink.h"

#include <stdio.h>
#include <string.h>

#include "rfc3339.h"

/* ---- the headers column -------------------------------------------- */

const char *sink_headers_json(const struct event_header *h, size_t n, struct buf *s,
			      size_t *len)
{
	if (!n)
		return NULL;
	buf_reset(s);
	buf_putc(s, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(s, ',');
		buf_puts(s, "{\"name\":");
		buf_json_string(s, h[i].name, strlen(h[i].name));
		if (!h[i].value) {
			buf_puts(s, ",\"value\":null}");
		} else if (utf8_valid(h[i].value, h[i].len)) {
			buf_puts(s, ",\"value\":");
			buf_json_string(s, h[i].value, h[i].len);
			buf_putc(s, '}');
		} else {
			buf_puts(s, ",\"hex\":\"");
			buf_put_hex(s, h[i].value, h[i].len);
			buf_puts(s, "\"}");
		}
	}
	buf_putc(s, ']');
	*len = s->len;
	return s->data;
}

size_t sink_headers_parse(const char *json, json_t **store, struct event_header *h, size_t max,
			  unsigned char *hexbuf, size_t hexlen)
{
	size_t n = 0, used = 0, i;
	json_t *v;
	*store = json ? json_loads(json, 0, NULL) : NULL;
	json_array_foreach(*store, i, v) {
		if (n == max)
			break;
		const char *name = json_string_value(json_object_get(v, "name"));
		json_t *val = json_object_get(v, "value"), *hex = json_object_get(v, "hex");
		if (!name)
			continue;
		if (json_is_string(val)) {
			h[n++] = (struct event_header){name, json_string_value(val),
						       json_string_length(val)};
		} else if (json_is_string(hex)) {
			const char *x = json_string_value(hex);
			size_t len = strlen(x) / 2;
			if (used + len > hexlen)
				continue;
			for (size_t k = 0; k < len; k++)
				sscanf(x + 2 * k, "%2hhx", &hexbuf[used + k]);
			h[n++] = (struct event_header){name, hexbuf + used, len};
			used += len;
		} else {
			h[n++] = (struct event_header){name, NULL, 0};
		}
	}
	return n;
}

/* ---- kind tables ----------------------------------------------------- */

/* Around the kind's own fields; sink_kind_row writes them in this order. */
static const char *const kind_head[] = {"source", "event_id", "agency", "subject",
					"event_time"};
static const char *const kind_tail[] = {"topic", "kafka_partition", "kafka_offset",
					"kafka_key", "headers", "payload", "binary_mode",
					"content_digest"};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void put_names(const char *const *names, size_t n, const char *sep, struct buf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(out, sep);
		buf_puts(out, names[i]);
	}
}

void sink_kind_columns(const struct kind_spec *k, const char *sep, struct buf *out)
{
	put_names(kind_head, NELEM(kind_head), sep, out);
	for (size_t i = 0; i < k->nfields; i++) {
		buf_puts(out, sep);
		buf_puts(out, k->fields[i].name);
	}
	buf_puts(out, sep);
	put_names(kind_tail, NELEM(kind_tail), sep, out);
}

static void put_time(struct buf *out, int64_t us)
{
	char ts[RFC3339_UTC_LEN + 1];
	rfc3339_format_utc(us, ts);
	buf_append(out, ts, RFC3339_UTC_LEN);
}

static void put_text_or_null(struct buf *o, const char *p, size_t n)
{
	if (p)
		buf_copy_text(o, p, n);
	else
		buf_puts(o, "\\N");
}

static void put_bytea_or_null(struct buf *o, const void *p, size_t n)
{
	if (p)
		buf_copy_bytea(o, p, n);
	else
		buf_puts(o, "\\N");
}

static void put_field(struct buf *out, enum field_type t, const struct field_value *v)
{
	if (!v->present) {
		buf_puts(out, "\\N");
		return;
	}
	switch (t) {
	case FT_INT:
		buf_put_i64(out, v->i);
		break;
	case FT_BOOL:
		buf_putc(out, v->i ? 't' : 'f');
		break;
	case FT_TIME:
		put_time(out, v->i);
		break;
	case FT_DECIMAL:
		if (!v->s.p) {
			buf_put_i64(out, v->i);
			break;
		}
		/* fall through */
	case FT_STRING:
	case FT_ENUM:
	case FT_PERSONAL:
	case FT_DATA: /* canonical JSON, for a jsonb column */
		buf_copy_text(out, v->s.p, v->s.n);
		break;
	}
}

/* topic, kafka_partition, kafka_offset, kafka_key, headers: shared by the
 * kind tables and the quarantine. */
static void put_lineage(struct buf *out, const struct lineage *lin, const struct event_raw *raw)
{
	buf_copy_text(out, lin->topic, lin->topic_len);
	buf_putc(out, '\t');
	buf_put_i64(out, lin->partition);
	buf_putc(out, '\t');
	buf_put_i64(out, lin->offset);
	buf_putc(out, '\t');
	put_bytea_or_null(out, raw->key, raw->key_len);
	buf_putc(out, '\t');
	put_text_or_null(out, raw->headers_json, raw->headers_len);
}

void sink_kind_row(const struct decoded *d, const struct lineage *lin,
		   const struct event_raw *raw, struct buf *out)
{
	buf_copy_text(out, d->source.p, d->source.n);
	buf_putc(out, '\t');
	buf_copy_text(out, d->id.p, d->id.n);
	buf_putc(out, '\t');
	buf_copy_text(out, d->agency.p, d->agency.n);
	buf_putc(out, '\t');
	buf_copy_text(out, d->subject.p, d->subject.n);
	buf_putc(out, '\t');
	put_time(out, d->time_us);
	for (size_t i = 0; i < d->kind->nfields; i++) {
		buf_putc(out, '\t');
		put_field(out, d->kind->fields[i].type, &d->v[i]);
	}
	buf_putc(out, '\t');
	put_lineage(out, lin, raw);
	buf_putc(out, '\t');
	buf_copy_text(out, raw->payload, raw->len);
	buf_putc(out, '\t');
	buf_putc(out, d->binary ? 't' : 'f');
	buf_putc(out, '\t');
	buf_copy_bytea(out, d->digest, sizeof(d->digest));
	buf_putc(out, '\n');
}

/* ---- quarantine ------------------------------------------------------ */

static const char *const quarantine_cols[] = {
	"topic", "kafka_partition", "kafka_offset", "kafka_key", "headers", "payload",
	"reason_code", "field", "reason"};

void sink_quarantine_columns(const char *sep, struct buf *out)
{
	put_names(quarantine_cols, NELEM(quarantine_cols), sep, out);
}

void sink_quarantine_row(const struct lineage *lin, const struct event_raw *raw,
			 const struct decode_error *e, struct buf *out)
{
	put_lineage(out, lin, raw);
	buf_putc(out, '\t');
	put_bytea_or_null(out, raw->payload, raw->len);
	buf_putc(out, '\t');
	buf_puts(out, reason_code(e->reason));
	buf_putc(out, '\t');
	put_text_or_null(out, e->field[0] ? e->field : NULL, strlen(e->field));
	buf_putc(out, '\t');
	buf_copy_text(out, e->message, strlen(e->message));
	buf_putc(out, '\n');
}

void sink_quarantine_reject_sql(const char *stage, struct buf *out)
{
	buf_reset(out);
	/* The staged row is the one event: its agency (not a quarantine
	 * column) comes from there, for the log. */
	buf_printf(out,
		"WITH q AS (INSERT INTO disclosed.quarantine (topic, kafka_partition, kafka_offset,"
		" kafka_key, headers, payload, reason_code, reason, sqlstate, event_type,"
		" source, event_id) SELECT topic, kafka_partition, kafka_offset, kafka_key,"
		" headers, convert_to(payload, 'UTF8'), 'db_rejected', $1, $2, $3,"
		" source, event_id FROM %s ON CONFLICT (topic, kafka_partition, kafka_offset)"
		" DO UPDATE SET reason_code = EXCLUDED.reason_code, reason = EXCLUDED.reason,"
		" sqlstate = EXCLUDED.sqlstate, replayed_at = NULL"
		" RETURNING topic, kafka_partition, kafka_offset, event_id)"
		" SELECT q.*, (SELECT agency FROM %s LIMIT 1) FROM q", stage, stage);
}

void sink_quarantine_conflicts_sql(const struct kind_spec *k, const char *stage,
				   struct buf *out)
{
	buf_printf(out,
		"INSERT INTO disclosed.quarantine (topic, kafka_partition, kafka_offset,"
		" kafka_key, headers, payload, reason_code, field, reason, event_type, source,"
		" event_id) SELECT s.topic, s.kafka_partition, s.kafka_offset, s.kafka_key,"
		" s.headers, convert_to(s.payload, 'UTF8'), 'conflicting_duplicate', 'id',"
		" format('an event with source %%s and id %%s is already stored with other"
		" content: digest=%%s stored_digest=%%s stored_topic=%%s stored_partition=%%s"
		" stored_offset=%%s', s.source, s.event_id, encode(s.content_digest, 'hex'),"
		" encode(t.content_digest, 'hex'), t.topic, t.kafka_partition, t.kafka_offset),"
		" '%s', s.source, s.event_id FROM %s s JOIN disclosed.%s t"
		" ON t.source = s.source AND t.event_id = s.event_id"
		" WHERE s.content_digest <> t.content_digest"
		" ON CONFLICT (topic, kafka_partition, kafka_offset) DO UPDATE SET"
		" reason_code = EXCLUDED.reason_code, field = EXCLUDED.field,"
		" reason = EXCLUDED.reason, sqlstate = NULL, replayed_at = NULL"
		" RETURNING topic, kafka_partition, kafka_offset, event_id, reason",
		k->type, stage, k->table);
}

void sink_quarantine_other_type_sql(const struct kind_spec *k, const char *stage,
				    struct buf *out)
{
	buf_printf(out,
		"INSERT INTO disclosed.quarantine (topic, kafka_partition, kafka_offset,"
		" kafka_key, headers, payload, reason_code, field, reason, event_type, source,"
		" event_id) SELECT s.topic, s.kafka_partition, s.kafka_offset, s.kafka_key,"
		" s.headers, convert_to(s.payload, 'UTF8'), 'conflicting_duplicate', 'id',"
		" format('an event with source %%s and id %%s is already stored as %%s with"
		" other content: digest=%%s stored_digest=%%s stored_topic=%%s"
		" stored_partition=%%s stored_offset=%%s', s.source, s.event_id, t.type,"
		" encode(s.content_digest, 'hex'), encode(t.content_digest, 'hex'), t.topic,"
		" t.kafka_partition, t.kafka_offset), '%s', s.source, s.event_id FROM %s s"
		" CROSS JOIN LATERAL (", k->type, stage);
	/* Only rows that pass the two filters below reach this lookup: one
	 * index probe per other table, for a rare event. */
	const char *sep = "";
	for (size_t i = 0; event_kinds[i]; i++) {
		if (event_kinds[i] == k)
			continue;
		buf_printf(out, "%sSELECT '%s'::text AS type, content_digest, topic,"
			   " kafka_partition, kafka_offset FROM disclosed.%s WHERE source ="
			   " s.source AND event_id = s.event_id", sep, event_kinds[i]->type,
			   event_kinds[i]->table);
		sep = " UNION ALL ";
	}
	buf_printf(out,
		" LIMIT 1) t WHERE EXISTS (SELECT 1 FROM disclosed.event_identity e"
		" WHERE e.source = s.source AND e.event_id = s.event_id)"
		" AND NOT EXISTS (SELECT 1 FROM disclosed.%s o"
		" WHERE o.source = s.source AND o.event_id = s.event_id)"
		" ON CONFLICT (topic, kafka_partition, kafka_offset) DO UPDATE SET"
		" reason_code = EXCLUDED.reason_code, field = EXCLUDED.field,"
		" reason = EXCLUDED.reason, sqlstate = NULL, replayed_at = NULL"
		" RETURNING topic, kafka_partition, kafka_offset, event_id, reason", k->table);
}

/* ---- consumer_offset ------------------------------------------------- */

const char sink_offsets_advance_sql[] =
	"INSERT INTO disclosed.consumer_offset AS o (group_id, topic,"
	" kafka_partition, next_offset, prev_offset, max_event_time, member_id)"
	" SELECT $1, t, p, n, e, 'epoch'::timestamptz + m * interval '1 microsecond', $7"
	" FROM unnest($2::text[], $3::int[], $4::bigint[], $5::bigint[], $6::bigint[])"
	" AS v(t, p, n, e, m)"
	" ON CONFLICT (group_id, topic, kafka_partition) DO UPDATE SET"
	" next_offset = EXCLUDED.next_offset, prev_offset = EXCLUDED.prev_offset,"
	" max_event_time = greatest(o.max_event_time, EXCLUDED.max_event_time),"
	" member_id = EXCLUDED.member_id, updated_at = now()"
	" WHERE o.next_offset = EXCLUDED.prev_offset RETURNING 1";

const char sink_offsets_read_sql[] =
	"SELECT o.topic, o.kafka_partition, o.next_offset,"
	" (extract(epoch FROM o.max_event_time) * 1000000)::bigint"
	" FROM disclosed.consumer_offset o"
	" JOIN unnest($2::text[], $3::int[]) AS v(t, p)"
	" ON o.topic = v.t AND o.kafka_partition = v.p WHERE o.group_id = $1";

const char sink_offsets_rewind_sql[] =
	"INSERT INTO disclosed.consumer_offset AS o (group_id, topic, kafka_partition,"
	" next_offset, prev_offset, member_id) VALUES ($1, $2, $3::int, $4::bigint, -1,"
	" 'rewind') ON CONFLICT (group_id, topic, kafka_partition) DO UPDATE SET"
	" prev_offset = o.next_offset, next_offset = EXCLUDED.next_offset,"
	" member_id = 'rewind', updated_at = now()"
	" RETURNING (SELECT next_offset FROM disclosed.consumer_offset"
	" WHERE group_id = $1 AND topic = $2 AND kafka_partition = $3::int)";
