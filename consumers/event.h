/*
 * event: the event contract. Decodes a CloudEvents 1.0 message (structured
 * JSON, or binary mode with ce_* headers and a JSON body), validates the
 * envelope and the kind's data against a declarative spec. Personal values
 * are hashed by redact.h; the decoded event is written as a table row by
 * sink.h.
 *
 * The specs below are the single source of truth: the decoder validates
 * with them, `disclosed schema` prints them as JSON Schema for docs/, and a
 * test compares them with the columns of the tables in sql/.
 */
#ifndef DISCLOSED_EVENT_H
#define DISCLOSED_EVENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "redact.h"

/* Why an event was set aside. The code names are stored in
 * quarantine.reason_code and are a public interface: append only. */
enum reason {
	REASON_OK = 0,
	REASON_TOO_LARGE,
	REASON_BAD_JSON,
	REASON_NOT_OBJECT,
	REASON_BAD_SPECVERSION,
	REASON_MISSING_ATTRIBUTE,
	REASON_BAD_ATTRIBUTE,
	REASON_UNKNOWN_TYPE,
	REASON_BAD_TIME,
	REASON_MISSING_FIELD,
	REASON_BAD_FIELD,
	REASON_UNKNOWN_FIELD,
	REASON_DB_REJECTED,
	/* Same (source, id) as a stored event, different content digest. */
	REASON_CONFLICTING_DUPLICATE,
	REASON__COUNT
};
const char *reason_code(enum reason r);

/* FT_PERSONAL: a person's identifier (name, phone, ID number), never
 * stored or logged in clear (redact.h). FT_DATA: a JSON object holding the
 * data of another kind, the one the field kind_from names (a correction's
 * replacement data), validated by that kind's spec and check and stored as
 * its canonical JSON. */
enum field_type { FT_STRING, FT_ENUM, FT_INT, FT_BOOL, FT_DECIMAL, FT_TIME, FT_PERSONAL,
		  FT_DATA };

struct field_spec {
	const char *name;
	enum field_type type;
	bool required;
	const char *const *values; /* FT_ENUM: NULL-terminated list */
	long long min, max;        /* FT_INT: inclusive range */
	size_t max_len;            /* FT_STRING: in bytes */
	const char *doc;
	/* FT_DATA: the FT_ENUM field, earlier in the spec and required, whose
	 * value is the type of the kind this object's members follow. */
	const char *kind_from;
};

#define EVENT_MAX_FIELDS 8

/* FT_DECIMAL: at most this many digits before and after the point, from
 * this one place (decoder, JSON Schema, the stats_reported column
 * numeric(20,6)). Amounts are in 万元, and six fraction digits are exact to
 * the 分 (0.000001 万元): docs/events.md, disclosure.stats.reported. */
enum { DECIMAL_INT_DIGITS = 14, DECIMAL_FRAC_DIGITS = 6 };
/* The same limits as the JSON Schema's pattern. */
#define DECIMAL_PATTERN "^-?[0-9]{1,14}(\\.[0-9]{1,6})?$"

/* The longest envelope attributes, in bytes: event_decode enforces them and
 * event_kind_schema publishes them, from these one place. */
enum {
	EVENT_ID_MAX = 128,
	EVENT_SOURCE_MAX = 256,
	EVENT_TYPE_MAX = 128,
	EVENT_SUBJECT_MAX = 128,
};

struct decoded;

struct kind_spec {
	const char *type;  /* CloudEvents type, e.g. "disclosure.complaint.received" */
	const char *table; /* normalized table in schema disclosed */
	const char *subject_doc;
	const char *doc;
	const struct field_spec *fields;
	size_t nfields;
	/* Cross-field rules; NULL when none. Returns 0 or fills err. */
	int (*check)(const struct decoded *d, char *field, size_t flen,
		     char *msg, size_t mlen);
	const char *example; /* a complete structured-mode example */
};

/* All kinds, NULL-terminated (consumers/registry.c). */
extern const struct kind_spec *const event_kinds[];
const struct kind_spec *event_kind_find(const char *type, size_t len);
/* Index in event_kinds of the kind named type, or (size_t)-1. */
size_t event_kind_lookup(const char *type, size_t len);
size_t event_kind_count(void);
/* Index of a kind in event_kinds, for per-kind buffers and counters. */
size_t event_kind_index(const struct kind_spec *k);

struct event_header {
	const char *name;
	const void *value;
	size_t len;
};

struct event_input {
	const void *payload;
	size_t len;
	const struct event_header *headers;
	size_t nheaders;
};

struct strref {
	const char *p;
	size_t n;
};

struct field_value {
	bool present;
	struct strref s; /* string, enum, decimal text */
	int64_t i;       /* int, bool, time (microseconds) */
};

struct decoded {
	const struct kind_spec *kind;
	size_t kind_idx; /* kind's index in event_kinds */
	/* jansson's tree when the event took that path (owned; released by
	 * decoded_release); NULL when jscan decoded it (jscan.h). */
	json_t *root;
	bool binary;
	struct strref id, source, type, subject, agency;
	int64_t time_us;
	struct field_value v[EVENT_MAX_FIELDS];
	char hashed[EVENT_MAX_FIELDS][PERSONAL_LEN + 1];
	/* The payload with personal values replaced (owned; NULL when the
	 * event carries none): what is stored instead of the bytes received. */
	char *redacted;
	size_t redacted_len;
	/* SHA-256 of the event's canonical content (event_content_canonical):
	 * two copies of one identity with equal digests are the same event. */
	unsigned char digest[32];
	/* An FT_DATA field's canonical JSON (owned; NULL for the kinds without
	 * one), and whether its personal values were replaced in root. */
	char *nested;
	bool nested_redacted;
};

struct decode_error {
	enum reason reason;
	char field[64];
	char message[512];
	/* As in struct decoded, for the quarantine: owned, release with
	 * decode_error_release. */
	char *redacted;
	size_t redacted_len;
};
void decode_error_release(struct decode_error *e);

struct sha256; /* lib/digest.h */
struct canon_order;

struct decode_limits {
	size_t max_bytes; /* larger payloads are set aside unparsed */
	/* HMAC key for FT_PERSONAL fields; NULL: such values are dropped.
	 * Set with decode_limits_set_key for the fast keyed hasher. */
	const unsigned char *hmac_key;
	size_t hmac_key_len;
	/* hmac_key set up once (owned by decode_limits_set_key's caller
	 * through decode_limits_free; NULL: a one-shot HMAC per value). */
	struct redact_hmac *hmac;
	/* Each kind's fields in canonical order, sorted once (owned; NULL:
	 * sorted for every event). */
	struct canon_order *canon;
	/* Parse every event with jansson, never the fast scan (jscan.h): for
	 * tests that compare the two. */
	bool jansson_only;
	/* Reused for the canonical content (borrowed; NULL: a temporary one
	 * per event). */
	struct buf *scratch;
	/* Hashes the canonical content (borrowed; NULL: a one-shot digest per
	 * event, slower). */
	struct sha256 *sha;
};

/* The canonical content of a decoded event, appended to out: compact JSON
 * with sorted keys of type, subject, agency, time (UTC, microseconds) and
 * data as stored (personal values hashed, times in UTC, decimals as text,
 * absent and null alike left out). Header order, JSON formatting and the
 * mode (structured or binary) do not show in it. */
void event_content_canonical(const struct decoded *d, struct buf *out);

/* Limits with a reusable scratch buffer and SHA-256 hasher for the content
 * digest, the fast way to decode many events; release with
 * decode_limits_free (the HMAC key stays the caller's). */
void decode_limits_init(struct decode_limits *lim, size_t max_bytes);
void decode_limits_free(struct decode_limits *lim);
/* The HMAC key (borrowed: it must outlive lim) and its hasher, set up once
 * (released by decode_limits_free). */
void decode_limits_set_key(struct decode_limits *lim, const unsigned char *key, size_t len);

/* Decode and validate. On success returns 0 and `out` holds references
 * into `in` and into out->root: `in` must outlive `out`. On failure
 * returns -1, fills err, and leaves nothing to release. */
int event_decode(const struct event_input *in, const struct decode_limits *lim,
		 struct decoded *out, struct decode_error *err);
void decoded_release(struct decoded *d);

/* The value of a field by name, NULL when the kind has no such field or
 * the event does not carry it. For check hooks and tests. */
const struct field_value *decoded_field(const struct decoded *d, const char *name);
/* Whether a present text field equals s (check hooks compare enum values). */
static inline bool field_equals(const struct field_value *v, const char *s)
{
	return v && v->s.n == strlen(s) && memcmp(v->s.p, s, v->s.n) == 0;
}

/* JSON Schema (draft 2020-12) for one kind, as a new json_t. */
json_t *event_kind_schema(const struct kind_spec *k);

#endif
