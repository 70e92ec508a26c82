/*
 * batch: the events of one transaction, already rendered as PostgreSQL
 * COPY text — one buffer per kind table, one for quarantined events — plus
 * the offset range consumed per partition. Rows are encoded by sink.h.
 *
 * Each stored event's lines are contiguous in their buffers and events are
 * appended in order, so any range of events [lo, hi) maps to one slice of
 * each buffer: the writer bisects a failed batch without re-rendering.
 * Buffers keep their capacity across batches (no per-event allocation once
 * warm).
 */
#ifndef DISCLOSED_BATCH_H
#define DISCLOSED_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agency_times.h"
#include "buf.h"
#include "event.h"
#include "sink.h"

#define BATCH_MAX_KINDS 16

struct batch_part {
	const char *topic; /* borrowed from the assignment; outlives the batch */
	int32_t partition;
	int64_t expected;    /* next_offset stored before this batch; -1 none */
	int64_t next_offset; /* offset after the last message in the batch */
	int64_t max_time_us; /* latest event time seen; INT64_MIN when none */
};

struct batch_event {
	uint32_t kind;
	size_t row_start, row_end;
	size_t key_start; /* source\0id\0 in the dedupe key buffer */
	unsigned char digest[32]; /* the content digest (event.h) */
	struct lineage lin;       /* topic borrowed like batch_part's */
};

struct batch;

/* `capacity` is the flush threshold; it sizes the duplicate filter. */
struct batch *batch_new(size_t capacity);
void batch_free(struct batch *b);
void batch_reset(struct batch *b);

/* Message metadata shared by the add functions. */
struct batch_msg {
	struct lineage lin;
	const void *key;
	size_t key_len;
	const struct event_header *headers;
	size_t nheaders;
	const void *payload;
	size_t len;
};

/* Add a decoded event. Returns false when an event with the same source
 * and id is already in this batch (the copy is dropped, its offset still
 * counts): silently when its content digest is the same, otherwise it is
 * quarantined as conflicting_duplicate (batch_conflicts). */
bool batch_add_event(struct batch *b, const struct batch_msg *m,
		     const struct decoded *d);
/* Add an event that failed decoding, with its reason. */
void batch_add_quarantine(struct batch *b, const struct batch_msg *m,
			  const struct decode_error *e);
/* Record that `offset` of (topic, partition) is consumed by this batch.
 * `expected` is used when the partition first appears in the batch. */
void batch_note_offset(struct batch *b, const char *topic, int32_t partition,
		       int64_t offset, int64_t expected, int64_t time_us);

size_t batch_messages(const struct batch *b); /* everything consumed */
size_t batch_events(const struct batch *b);   /* to store */
size_t batch_quarantined(const struct batch *b);
size_t batch_duplicates(const struct batch *b);
size_t batch_conflicts(const struct batch *b); /* also in batch_quarantined */
size_t batch_bytes(const struct batch *b);

/* The latest event time per agency among the events added. */
const struct agency_times *batch_agencies(const struct batch *b);
const struct batch_event *batch_event_at(const struct batch *b, size_t i);
struct batch_part *batch_parts(struct batch *b, size_t *n);
/* COPY text of the events of kind `kind` among events [lo, hi). */
void batch_kind_slice(const struct batch *b, uint32_t kind, size_t lo, size_t hi,
		      const char **p, size_t *n);
/* Which kinds occur in [lo, hi): bit i set for event_kinds[i]. */
uint32_t batch_kinds_in(const struct batch *b, size_t lo, size_t hi);
void batch_quarantine_copy(const struct batch *b, const char **p, size_t *n);
/* COPY text (source, event_id) of every event of the batch, for
 * disclosed.event_identity. */
void batch_identity_copy(const struct batch *b, const char **p, size_t *n);

#endif
