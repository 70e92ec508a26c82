/*
 * sink: the tables events land in, as one contract. For each table it owns
 * the column list and the encoder of one row in PostgreSQL COPY text
 * format (tab-separated, \N for NULL, one line per row), and they are
 * written side by side so that they cannot drift apart (tests/unit/
 * test_sink.c counts the fields of every row against its column list and
 * compares the lists with sql/migrations):
 *
 *   disclosed.<kind table>   sink_kind_columns, sink_kind_row
 *   disclosed.quarantine     sink_quarantine_columns, sink_quarantine_row,
 *                            sink_quarantine_reject_sql (PostgreSQL's refusals)
 *   disclosed.consumer_offset  sink_offsets_*_sql
 *
 * and the encoding of the raw columns both row kinds share (the headers
 * column: sink_headers_json, read back by sink_headers_parse).
 *
 * Encoders append to the caller's buffer and allocate nothing else: they
 * run once per event.
 */
#ifndef DISCLOSED_SINK_H
#define DISCLOSED_SINK_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "event.h"

/* Where an event came from; stored with every row. */
struct lineage {
	const char *topic;
	size_t topic_len;
	int32_t partition;
	int64_t offset;
};

/* The event as it arrived, stored with its row for audit. headers_json is
 * the headers rendered as JSON text, or NULL when there were none; key is
 * NULL when the message had none. */
struct event_raw {
	const void *key;
	size_t key_len;
	const char *headers_json;
	size_t headers_len;
	const void *payload;
	size_t len;
};

/* The headers column: a message's headers as a JSON array of
 * {"name":..,"value":..}; values that are not UTF-8 text are kept exactly
 * as {"name":..,"hex":..}. Built in scratch (reset first), for
 * event_raw.headers_json; NULL when there are no headers. */
const char *sink_headers_json(const struct event_header *h, size_t n, struct buf *scratch,
			      size_t *len);

/* The headers column read back (a replay): up to max headers into h. The
 * strings live in *store (json_decref it after use), hex values are
 * decoded into hexbuf (a value that does not fit is left out). Returns
 * how many. */
size_t sink_headers_parse(const char *json, json_t **store, struct event_header *h, size_t max,
			  unsigned char *hexbuf, size_t hexlen);

/* The kind table's columns as written by sink_kind_row, separated by sep
 * (the table also has ingested_at, filled by PostgreSQL). */
void sink_kind_columns(const struct kind_spec *k, const char *sep, struct buf *out);

/* Append one COPY text line for the kind's table, in the order of
 * sink_kind_columns: source, event_id, agency, subject, event_time,
 * <fields...>, topic, kafka_partition, kafka_offset, kafka_key, headers,
 * payload (text), binary_mode, content_digest. */
void sink_kind_row(const struct decoded *d, const struct lineage *lin,
		   const struct event_raw *raw, struct buf *out);

/* The quarantine columns written by sink_quarantine_row, separated by sep
 * (id, quarantined_at are filled by PostgreSQL; sqlstate, event_type,
 * source, event_id only by sink_quarantine_reject_sql; replayed_at by a
 * replay). */
void sink_quarantine_columns(const char *sep, struct buf *out);

/* Append one COPY text line for an event the decoder set aside: topic,
 * kafka_partition, kafka_offset, kafka_key, headers, payload (bytea: it may
 * not be text), reason_code, field, reason. */
void sink_quarantine_row(const struct lineage *lin, const struct event_raw *raw,
			 const struct decode_error *e, struct buf *out);

/* The statement that quarantines the rows of a staged kind table (a copy
 * of a kind table, e.g. pg_temp.stage_review_filed) that PostgreSQL
 * refused: reason_code db_rejected, $1 the reason, $2 the SQLSTATE, $3 the
 * event type. A row already quarantined at that offset gets the new reason
 * and is no longer marked replayed. Returns one row (topic, partition,
 * offset, event_id, agency) for the log. Replaces out's contents. */
void sink_quarantine_reject_sql(const char *stage, struct buf *out);

/* Append a statement part that quarantines the staged rows of one kind
 * (stage: e.g. pg_temp.stage_review_filed, table: the kind table) whose
 * identity is stored with a different content digest: reason_code
 * conflicting_duplicate, field "id", a reason naming both digests and the
 * stored row's lineage. Rows without a digest on either side count as the
 * same content. The part is "INSERT ... RETURNING topic, kafka_partition,
 * kafka_offset, event_id, reason", for a WITH clause; a row already
 * quarantined at that offset (a replay) gets the reason back, unmarked. */
void sink_quarantine_conflicts_sql(const struct kind_spec *k, const char *stage,
				   struct buf *out);

/* Appends the same for staged events of kind k whose identity is stored
 * under another type (disclosed.event_identity has it, k's table does
 * not): the reason also names the stored type. Same RETURNING list. */
void sink_quarantine_other_type_sql(const struct kind_spec *k, const char *stage,
				    struct buf *out);

/*
 * disclosed.consumer_offset: the next offset per (group, topic, partition),
 * stored in the same transaction as the rows (exactly once).
 */

/* Advance partitions, each only from the value its writer expects (the
 * fence): $1 group, $2 topics text[], $3 partitions int[], $4 next offsets
 * bigint[], $5 expected offsets bigint[] (-1: nothing stored), $6 latest
 * event times in microseconds since the epoch bigint[] (NULL entries for
 * none), $7 member id. Returns one row per partition advanced: fewer rows
 * than partitions means another consumer moved one on. */
extern const char sink_offsets_advance_sql[];

/* The stored next offsets: $1 group, $2 topics text[], $3 partitions int[];
 * rows of (topic, kafka_partition, next_offset) for those stored. */
extern const char sink_offsets_read_sql[];

/* Move one partition's next offset, whatever it was (an operator's
 * rewind): $1 group, $2 topic, $3 partition, $4 next offset. Returns one
 * row: the next offset before, NULL when none was stored. A writer that
 * expected the old value finds it moved and re-reads from here. */
extern const char sink_offsets_rewind_sql[];

#endif
