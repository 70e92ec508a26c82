/*
 * redact: personal data (FT_PERSONAL fields: a person's name, phone, ID
 * number) is never stored or logged in clear. A value is replaced by
 * "hmac-sha256:<64 hex>", keyed, so that a repeat complainant still counts
 * once; without a key it is dropped. The payload kept for audit (with a
 * stored row, or in the quarantine) is redacted the same way.
 *
 * The decoder (event.c) validates a personal value and calls redact_hash;
 * this module owns the hashing and the rewriting of payloads.
 */
#ifndef DISCLOSED_REDACT_H
#define DISCLOSED_REDACT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define PERSONAL_PREFIX "hmac-sha256:"
#define PERSONAL_LEN (sizeof(PERSONAL_PREFIX) - 1 + 64)

struct decoded;

/* Whether s[0..n) is already a keyed hash (a replayed, redacted payload):
 * such a value is kept as it is. */
bool redact_is_hashed(const char *s, size_t n);

/* "hmac-sha256:<hex>" of s[0..n) under key into out (PERSONAL_LEN + 1
 * bytes, NUL-terminated). */
void redact_hash(const unsigned char *key, size_t keylen, const char *s, size_t n, char *out);

/* A keyed HMAC-SHA-256 set up once (algorithm fetched, key loaded) for
 * many values: HMAC() fetches SHA-256 and HMAC from OpenSSL's providers and
 * keys a new context on every call, which costs more than hashing a name.
 * NULL when OpenSSL cannot provide it (redact_hash is then used). The key
 * is copied. */
struct redact_hmac;
struct redact_hmac *redact_hmac_new(const unsigned char *key, size_t keylen);
void redact_hmac_free(struct redact_hmac *h);
/* As redact_hash, with h's key. */
void redact_hmac_hash(struct redact_hmac *h, const char *s, size_t n, char *out);

/* After a successful decode: the payload to store, with each personal value
 * in data replaced by the hash already in d (or null when dropped), as new
 * JSON text the caller frees; NULL when the event carries no personal value.
 * body is the parsed payload, data its data object (or NULL); both are
 * changed in place. *len is set when the result is not NULL. */
char *redact_decoded(const struct decoded *d, json_t *body, json_t *data, size_t *len);

/* Replace each personal value in data (an object of d's kind) by the hash
 * already in d, or null when dropped, in place. Whether any was. */
bool redact_data(const struct decoded *d, json_t *data);

/* For an event that failed validation, so that the quarantine does not keep
 * personal values in clear either: every member of data that any kind
 * declares personal is replaced by its keyed hash (null without a key),
 * and likewise in a member that is an object (a correction's data).
 * Returns the redacted body as new JSON text the caller frees, or NULL when
 * nothing was replaced (store the payload as received). */
char *redact_any(json_t *body, json_t *data, const unsigned char *key, size_t keylen,
		 size_t *len);

#endif
