#include "redact.h"

#include <openssl/hmac.h>
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
