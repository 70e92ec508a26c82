#include "batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct batch {
	struct buf rows[BATCH_MAX_KINDS], quar, keys, ids, scratch;
	struct batch_event *ev;
	size_t nev, evcap;
	uint32_t *slots; /* duplicate filter: event index + 1, 0 = empty */
	size_t nslots;
	struct batch_part *parts;
	size_t nparts, partcap;
	size_t nmsgs, nquar, ndup, nconflict;
	struct agency_times agencies;
};

struct batch *batch_new(size_t capacity)
{
	struct batch *b = xcalloc(1, sizeof(*b));
	b->nslots = 64;
	while (b->nslots < 2 * capacity)
		b->nslots *= 2;
	b->slots = xcalloc(b->nslots, sizeof(*b->slots));
	return b;
}

void batch_free(struct batch *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < BATCH_MAX_KINDS; i++)
		buf_free(&b->rows[i]);
	buf_free(&b->quar);
	buf_free(&b->keys);
	buf_free(&b->ids);
	buf_free(&b->scratch);
	free(b->ev);
	free(b->slots);
	free(b->parts);
	free(b);
}

void batch_reset(struct batch *b)
{
	for (size_t i = 0; i < BATCH_MAX_KINDS; i++)
		buf_reset(&b->rows[i]);
	buf_reset(&b->quar);
	buf_reset(&b->keys);
	buf_reset(&b->ids);
	/* Clearing only the used slots would need a list; a memset of a few
	 * KB per batch is cheaper than tracking them. */
	if (b->nev)
		memset(b->slots, 0, b->nslots * sizeof(*b->slots));
	b->nev = b->nparts = b->nmsgs = b->nquar = b->ndup = b->nconflict = 0;
	agency_times_reset(&b->agencies);
}

static uint64_t fnv1a(uint64_t h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Returns the slot for (source, id): either empty or holding the same
 * identity. The filter grows with the batch if a flush threshold was set
 * higher than its capacity. */
static uint32_t *find_slot(struct batch *b, const struct strref *src,
			   const struct strref *id)
{
	uint64_t h = fnv1a(fnv1a(14695981039346656037ULL, src->p, src->n), "", 1);
	h = fnv1a(h, id->p, id->n);
	for (size_t i = h & (b->nslots - 1);; i = (i + 1) & (b->nslots - 1)) {
		uint32_t s = b->slots[i];
		if (!s)
			return &b->slots[i];
		const char *k = b->keys.data + b->ev[s - 1].key_start;
		size_t kl = strlen(k);
		if (kl == src->n && memcmp(k, src->p, kl) == 0) {
			const char *kid = k + kl + 1;
			if (strlen(kid) == id->n && memcmp(kid, id->p, id->n) == 0)
				return &b->slots[i];
		}
	}
}

static void grow_filter(struct batch *b)
{
	free(b->slots);
	b->nslots *= 2;
	b->slots = xcalloc(b->nslots, sizeof(*b->slots));
	for (size_t e = 0; e < b->nev; e++) {
		const char *k = b->keys.data + b->ev[e].key_start;
		struct strref s = {k, strlen(k)}, id = {k + s.n + 1, strlen(k + s.n + 1)};
		*find_slot(b, &s, &id) = (uint32_t)(e + 1);
	}
}

/* The second of two events of one identity in this batch, with other
 * content: set aside with both digests and the first one's lineage, as the
 * writer does for an identity already stored. */
static void add_conflict(struct batch *b, const struct batch_msg *m, const struct decoded *d,
			 const struct batch_event *first)
{
	struct decode_error e = {.reason = REASON_CONFLICTING_DUPLICATE, .field = "id"};
	char dg[65], sdg[65];
	*hex_encode(dg, d->digest, sizeof(d->digest)) = '\0';
	*hex_encode(sdg, first->digest, sizeof(first->digest)) = '\0';
	snprintf(e.message, sizeof(e.message),
		 "an event with source %.*s and id %.*s is already stored with other content: "
		 "digest=%s stored_digest=%s stored_topic=%.*s stored_partition=%d "
		 "stored_offset=%lld", (int)(d->source.n > 40 ? 40 : d->source.n), d->source.p,
		 (int)(d->id.n > 40 ? 40 : d->id.n), d->id.p, dg, sdg,
		 (int)(first->lin.topic_len > 64 ? 64 : first->lin.topic_len),
		 first->lin.topic, first->lin.partition, (long long)first->lin.offset);
	/* Stored as redacted by the decoder, like the event itself. */
	e.redacted = d->redacted;
	e.redacted_len = d->redacted_len;
	batch_add_quarantine(b, m, &e);
}

bool batch_add_event(struct batch *b, const struct batch_msg *m,
		     const struct decoded *d)
{
	b->nmsgs++;
	if (b->nev + 1 > b->nslots / 2)
		grow_filter(b);
	uint32_t *slot = find_slot(b, &d->source, &d->id);
	if (*slot) {
		const struct batch_event *first = &b->ev[*slot - 1];
		if (memcmp(first->digest, d->digest, sizeof(d->digest)) == 0) {
			b->ndup++;
			return false;
		}
		b->nmsgs--; /* counted again by batch_add_quarantine */
		b->nconflict++;
		add_conflict(b, m, d, first);
		return false;
	}
	if (b->nev == b->evcap) {
		b->evcap = b->evcap ? 2 * b->evcap : 1024;
		b->ev = realloc(b->ev, b->evcap * sizeof(*b->ev));
		if (!b->ev)
			abort();
	}
	struct batch_event *e = &b->ev[b->nev];
	e->kind = (uint32_t)d->kind_idx;
	memcpy(e->digest, d->digest, sizeof(e->digest));
	e->lin = m->lin;
	e->key_start = b->keys.len;
	buf_append(&b->keys, d->source.p, d->source.n);
	buf_putc(&b->keys, '\0');
	buf_append(&b->keys, d->id.p, d->id.n);
	buf_putc(&b->keys, '\0');
	/* The identities' COPY rows: one identity is one key across types. */
	buf_copy_text(&b->ids, d->source.p, d->source.n);
	buf_putc(&b->ids, '\t');
	buf_copy_text(&b->ids, d->id.p, d->id.n);
	buf_putc(&b->ids, '\n');

	/* Events with personal data are stored as redacted by the decoder. */
	struct event_raw raw = {m->key, m->key_len, NULL, 0,
				d->redacted ? d->redacted : m->payload,
				d->redacted ? d->redacted_len : m->len};
	raw.headers_json = sink_headers_json(m->headers, m->nheaders, &b->scratch,
					    &raw.headers_len);
	struct buf *r = &b->rows[e->kind];
	e->row_start = r->len;
	sink_kind_row(d, &m->lin, &raw, r);
	e->row_end = r->len;
	*slot = (uint32_t)(++b->nev);
	agency_times_note(&b->agencies, d->agency.p, d->agency.n, d->time_us);
	return true;
}

void batch_add_quarantine(struct batch *b, const struct batch_msg *m,
			  const struct decode_error *err)
{
	b->nmsgs++;
	b->nquar++;
	/* Stored as redacted by the decoder when it carries personal data; as
	 * received otherwise (an empty payload is stored empty, not NULL). */
	struct event_raw raw = {m->key, m->key_len, NULL, 0,
				err->redacted ? err->redacted : (m->payload ? m->payload : ""),
				err->redacted ? err->redacted_len : m->len};
	raw.headers_json = sink_headers_json(m->headers, m->nheaders, &b->scratch,
					    &raw.headers_len);
	sink_quarantine_row(&m->lin, &raw, err, &b->quar);
}

void batch_note_offset(struct batch *b, const char *topic, int32_t partition,
		       int64_t offset, int64_t expected, int64_t time_us)
{
	struct batch_part *p = NULL;
	for (size_t i = 0; i < b->nparts; i++)
		if (b->parts[i].partition == partition && b->parts[i].topic == topic) {
			p = &b->parts[i];
			break;
		}
	if (!p) {
		if (b->nparts == b->partcap) {
			b->partcap = b->partcap ? 2 * b->partcap : 16;
			b->parts = realloc(b->parts, b->partcap * sizeof(*b->parts));
			if (!b->parts)
				abort();
		}
		p = &b->parts[b->nparts++];
		*p = (struct batch_part){topic, partition, expected, offset + 1, INT64_MIN};
	}
	if (offset + 1 > p->next_offset)
		p->next_offset = offset + 1;
	if (time_us > p->max_time_us)
		p->max_time_us = time_us;
}

size_t batch_messages(const struct batch *b) { return b->nmsgs; }
const struct agency_times *batch_agencies(const struct batch *b) { return &b->agencies; }
size_t batch_events(const struct batch *b) { return b->nev; }
size_t batch_quarantined(const struct batch *b) { return b->nquar; }
size_t batch_duplicates(const struct batch *b) { return b->ndup; }
size_t batch_conflicts(const struct batch *b) { return b->nconflict; }

size_t batch_bytes(const struct batch *b)
{
	size_t n = b->quar.len;
	for (size_t i = 0; i < BATCH_MAX_KINDS; i++)
		n += b->rows[i].len;
	return n;
}

void batch_identity_copy(const struct batch *b, const char **p, size_t *n)
{
	*p = b->ids.data;
	*n = b->ids.len;
}

const struct batch_event *batch_event_at(const struct batch *b, size_t i)
{
	return &b->ev[i];
}

struct batch_part *batch_parts(struct batch *b, size_t *n)
{
	*n = b->nparts;
	return b->parts;
}

void batch_kind_slice(const struct batch *b, uint32_t kind, size_t lo, size_t hi,
		      const char **p, size_t *n)
{
	size_t first = hi, last = hi;
	for (size_t i = lo; i < hi; i++)
		if (b->ev[i].kind == kind) {
			if (first == hi)
				first = i;
			last = i;
		}
	if (first == hi) {
		*p = NULL;
		*n = 0;
		return;
	}
	*p = b->rows[kind].data + b->ev[first].row_start;
	*n = b->ev[last].row_end - b->ev[first].row_start;
}

uint32_t batch_kinds_in(const struct batch *b, size_t lo, size_t hi)
{
	uint32_t m = 0;
	for (size_t i = lo; i < hi; i++)
		m |= 1u << b->ev[i].kind;
	return m;
}

void batch_quarantine_copy(const struct batch *b, const char **p, size_t *n)
{
	*p = b->quar.data;
	*n = b->quar.len;
}
