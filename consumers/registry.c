/* The list of kinds, lookup by type, and JSON Schema generation from the
 * same specs the decoder uses. */
#include <string.h>

#include "kinds.h"

const struct kind_spec *const event_kinds[] = {
	&kind_complaint_received, &kind_complaint_transferred,
	&kind_complaint_decided, &kind_complaint_closed,
	&kind_reception_held,
	&kind_publication_published, &kind_publication_repealed,
	&kind_newmedia_snapshot,
	&kind_application_received, &kind_application_closed,
	&kind_review_filed, &kind_review_decided,
	&kind_stats_reported,
	&kind_opening_stated,
	&kind_event_corrected,
	NULL,
};

size_t event_kind_count(void)
{
	return sizeof(event_kinds) / sizeof(event_kinds[0]) - 1;
}

size_t event_kind_index(const struct kind_spec *k)
{
	for (size_t i = 0; event_kinds[i]; i++)
		if (event_kinds[i] == k)
			return i;
	return (size_t)-1;
}

/* A linear scan over 15 short strings: strncmp stops at the first
 * difference (all share "disclosure."), strlen runs only on a match. */
size_t event_kind_lookup(const char *type, size_t len)
{
	for (size_t i = 0; event_kinds[i]; i++) {
		const char *t = event_kinds[i]->type;
		if (strncmp(t, type, len) == 0 && strlen(t) == len)
			return i;
	}
	return (size_t)-1;
}

const struct kind_spec *event_kind_find(const char *type, size_t len)
{
	size_t i = event_kind_lookup(type, len);
	return i == (size_t)-1 ? NULL : event_kinds[i];
}

static json_t *field_schema(const struct field_spec *f)
{
	json_t *s = json_object();
	switch (f->type) {
	case FT_STRING:
		json_object_set_new(s, "type", json_string("string"));
		json_object_set_new(s, "minLength", json_integer(1));
		json_object_set_new(s, "maxLength", json_integer((json_int_t)f->max_len));
		break;
	case FT_ENUM: {
		json_t *e = json_array();
		for (const char *const *v = f->values; *v; v++)
			json_array_append_new(e, json_string(*v));
		json_object_set_new(s, "type", json_string("string"));
		json_object_set_new(s, "enum", e);
		break;
	}
	case FT_INT:
		json_object_set_new(s, "type", json_string("integer"));
		json_object_set_new(s, "minimum", json_integer(f->min));
		json_object_set_new(s, "maximum", json_integer(f->max));
		break;
	case FT_BOOL:
		json_object_set_new(s, "type", json_string("boolean"));
		break;
	case FT_DECIMAL:
		json_object_set_new(s, "type", json_pack("[ss]", "string", "integer"));
		json_object_set_new(s, "pattern", json_string(DECIMAL_PATTERN));
		break;
	case FT_PERSONAL:
		json_object_set_new(s, "type", json_string("string"));
		json_object_set_new(s, "minLength", json_integer(1));
		json_object_set_new(s, "maxLength", json_integer((json_int_t)PERSONAL_LEN));
		json_object_set_new(s, "x-personal-data", json_true());
		break;
	case FT_DATA:
		json_object_set_new(s, "type", json_string("object"));
		json_object_set_new(s, "x-data-of", json_string(f->kind_from));
		break;
	case FT_TIME:
		json_object_set_new(s, "type", json_string("string"));
		json_object_set_new(s, "format", json_string("date-time"));
		json_object_set_new(s, "pattern", json_string("(Z|z|[+-][0-9]{2}:[0-9]{2})$"));
		break;
	}
	json_object_set_new(s, "description", json_string(f->doc));
	return s;
}

static json_t *attr(const char *type, int maxlen, const char *desc)
{
	json_t *a = json_pack("{ss ss}", "type", type, "description", desc);
	if (maxlen > 0) {
		json_object_set_new(a, "minLength", json_integer(1));
		json_object_set_new(a, "maxLength", json_integer(maxlen));
	}
	return a;
}

json_t *event_kind_schema(const struct kind_spec *k)
{
	json_t *props = json_object(), *req = json_array();
	for (size_t i = 0; i < k->nfields; i++) {
		json_object_set_new(props, k->fields[i].name, field_schema(&k->fields[i]));
		if (k->fields[i].required)
			json_array_append_new(req, json_string(k->fields[i].name));
	}
	json_t *data = json_pack("{ss so so sb}", "type", "object", "properties", props,
				 "required", req, "additionalProperties", 0);

	json_t *ep = json_object();
	json_object_set_new(ep, "specversion", json_pack("{ss}", "const", "1.0"));
	json_object_set_new(ep, "id", attr("string", EVENT_ID_MAX,
							 "unique with source; duplicates are ignored"));
	json_object_set_new(ep, "source", attr("string", EVENT_SOURCE_MAX,
							     "the producing system (URI-reference)"));
	json_object_set_new(ep, "type", json_pack("{ss}", "const", k->type));
	json_object_set_new(ep, "time", json_pack("{ss ss ss ss}", "type", "string",
						  "format", "date-time", "pattern",
						  "(Z|z|[+-][0-9]{2}:[0-9]{2})$",
						  "description", "RFC 3339 with an explicit offset"));
	json_object_set_new(ep, "subject", attr("string", EVENT_SUBJECT_MAX, k->subject_doc));
	json_object_set_new(ep, "agency", json_pack("{ss ss ss}", "type", "string",
						    "pattern", "^[a-z0-9][a-z0-9._-]{0,63}$",
						    "description", "extension attribute: the reporting agency"));
	json_object_set_new(ep, "datacontenttype", json_pack("{ss ss}", "type", "string",
							     "pattern", "^application/json( *;.*)?$"));
	json_object_set_new(ep, "data", data);
	json_t *required = json_pack("[sssssss]", "specversion", "id", "source", "type",
				     "time", "subject", "agency");
	for (size_t i = 0; i < k->nfields; i++)
		if (k->fields[i].required) {
			json_array_append_new(required, json_string("data"));
			break;
		}
	return json_pack("{ss ss ss ss ss so so}",
			 "$schema", "https://json-schema.org/draft/2020-12/schema",
			 "$id", k->type, "title", k->type, "description", k->doc,
			 "type", "object", "properties", ep, "required", required);
}
