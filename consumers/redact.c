#include "redact.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"

bool redact_is_hashed(const char *s, size_t n)
{
	if (n != PERSONAL_LEN || memcmp(s, PERSONAL_PREFIX, sizeof(PERSONAL_PREFIX) - 1) != 0)
		return false;
	for (size_t i = sizeof(PERSONAL_PREFIX) - 1; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

void redact_hash(const unsigned char *key, size_t keylen, const char *s, size_t n, char *out)
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	HMAC(EVP_sha256(), key, (int)keylen, (const unsigned char *)s, n, md, &mdlen);
	memcpy(out, PERSONAL_PREFIX, sizeof(PERSONAL_PREFIX) - 1);
	*hex_encode(out + sizeof(PERSONAL_PREFIX) - 1, md, sizeof(md)) = '\0';
}

struct redact_hmac {
	EVP_MAC *mac;
	EVP_MAC_CTX *ctx; /* keyed; re-initialised with the same key per value */
	unsigned char *key;
	size_t keylen;
};

struct redact_hmac *redact_hmac_new(const unsigned char *key, size_t keylen)
{
	struct redact_hmac *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	char digest[] = "SHA256";
	OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
			       OSSL_PARAM_construct_end()};
	h->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	h->ctx = h->mac ? EVP_MAC_CTX_new(h->mac) : NULL;
	h->key = malloc(keylen ? keylen : 1);
	if (!h->ctx || !h->key || !EVP_MAC_init(h->ctx, key, keylen, params)) {
		redact_hmac_free(h);
		return NULL;
	}
	memcpy(h->key, key, keylen);
	h->keylen = keylen;
	return h;
}

void redact_hmac_free(struct redact_hmac *h)
{
	if (!h)
		return;
	EVP_MAC_CTX_free(h->ctx);
	EVP_MAC_free(h->mac);
	if (h->key)
		OPENSSL_cleanse(h->key, h->keylen);
	free(h->key);
	free(h);
}

void redact_hmac_hash(struct redact_hmac *h, const char *s, size_t n, char *out)
{
	unsigned char md[32];
	size_t mdlen = 0;
	/* A NULL key re-initialises with the key already loaded. */
	if (!h || !EVP_MAC_init(h->ctx, NULL, 0, NULL) ||
	    !EVP_MAC_update(h->ctx, (const unsigned char *)s, n) ||
	    !EVP_MAC_final(h->ctx, md, &mdlen, sizeof(md)) || mdlen != sizeof(md)) {
		if (h)
			redact_hash(h->key, h->keylen, s, n, out);
		return;
	}
	memcpy(out, PERSONAL_PREFIX, sizeof(PERSONAL_PREFIX) - 1);
	*hex_encode(out + sizeof(PERSONAL_PREFIX) - 1, md, sizeof(md)) = '\0';
}

static char *dump(json_t *body, size_t *len)
{
	char *s = json_dumps(body, JSON_COMPACT);
	*len = s ? strlen(s) : 0;
	return s;
}

bool redact_data(const struct decoded *d, json_t *data)
{
	bool any = false;
	for (size_t i = 0; i < d->kind->nfields; i++) {
		const struct field_spec *f = &d->kind->fields[i];
		json_t *v = f->type == FT_PERSONAL && data ? json_object_get(data, f->name) : NULL;
		if (!v || json_is_null(v))
			continue;
		json_object_set_new(data, f->name, d->v[i].present ? json_string(d->hashed[i])
								   : json_null());
		any = true;
	}
	return any;
}

char *redact_decoded(const struct decoded *d, json_t *body, json_t *data, size_t *len)
{
	bool any = redact_data(d, data) || d->nested_redacted;
	return any ? dump(body, len) : NULL;
}

/* Every member of data that a kind declares personal, hashed (or null);
 * then the same in each member that is an object: one level down only,
 * where a correction carries its target's data. How many were replaced. */
static int redact_members(json_t *data, const unsigned char *key, size_t keylen, bool nested)
{
	int n = 0;
	for (size_t k = 0; event_kinds[k]; k++)
		for (size_t i = 0; i < event_kinds[k]->nfields; i++) {
			const struct field_spec *f = &event_kinds[k]->fields[i];
			json_t *v = f->type == FT_PERSONAL ? json_object_get(data, f->name) : NULL;
			if (!v || json_is_null(v))
				continue;
			char h[PERSONAL_LEN + 1];
			if (json_is_string(v) &&
			    redact_is_hashed(json_string_value(v), json_string_length(v)))
				continue;
			if (json_is_string(v) && key) {
				redact_hash(key, keylen, json_string_value(v),
					    json_string_length(v), h);
				json_object_set_new(data, f->name, json_string(h));
			} else {
				json_object_set_new(data, f->name, json_null());
			}
			n++;
		}
	const char *name;
	json_t *member;
	json_object_foreach(data, name, member)
		if (nested && json_is_object(member))
			n += redact_members(member, key, keylen, false);
	return n;
}

char *redact_any(json_t *body, json_t *data, const unsigned char *key, size_t keylen,
		 size_t *len)
{
	if (!json_is_object(body) || !json_is_object(data))
		return NULL;
	return redact_members(data, key, keylen, true) > 0 ? dump(body, len) : NULL;
}
