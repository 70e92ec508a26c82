#include "event.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "jscan.h"
#include "redact.h"
#include "rfc3339.h"

static const char *const reason_names[REASON__COUNT] = {
	[REASON_OK] = "ok",
	[REASON_TOO_LARGE] = "too_large",
	[REASON_BAD_JSON] = "bad_json",
	[REASON_NOT_OBJECT] = "not_object",
	[REASON_BAD_SPECVERSION] = "bad_specversion",
	[REASON_MISSING_ATTRIBUTE] = "missing_attribute",
	[REASON_BAD_ATTRIBUTE] = "bad_attribute",
	[REASON_UNKNOWN_TYPE] = "unknown_type",
	[REASON_BAD_TIME] = "bad_time",
	[REASON_MISSING_FIELD] = "missing_field",
	[REASON_BAD_FIELD] = "bad_field",
	[REASON_UNKNOWN_FIELD] = "unknown_field",
	[REASON_DB_REJECTED] = "db_rejected",
	[REASON_CONFLICTING_DUPLICATE] = "conflicting_duplicate",
};

const char *reason_code(enum reason r)
{
	return r < REASON__COUNT ? reason_names[r] : "unknown";
}

/* Values in error messages are cut short and JSON-quoted, so that a message
 * stays one line and a long free-text field is never copied whole. */
static void quote_value(char *out, size_t outlen, const char *p, size_t n)
{
	struct buf b = BUF_INIT;
	enum { SHOWN = 40 };
	bool cut = n > SHOWN;
	buf_json_string(&b, p, cut ? SHOWN : n);
	if (cut)
		buf_printf(&b, "... (%zu bytes)", n);
	size_t len = b.len < outlen ? b.len : outlen - 1;
	while (len > 0 && len < b.len && ((unsigned char)b.data[len] & 0xc0) == 0x80)
		len--; /* never split a UTF-8 sequence */
	snprintf(out, outlen, "%.*s", (int)len, b.data ? b.data : "");
	buf_free(&b);
}

static int fail(struct decode_error *err, enum reason r, const char *field,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(struct decode_error *err, enum reason r, const char *field,
		const char *fmt, ...)
{
	va_list ap;
	err->reason = r;
	snprintf(err->field, sizeof(err->field), "%s", field);
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}

/* A failure of data.<name>: the message starts with the field's path
 * (fmt goes on after it), formatted only when there is a failure. */
static int fail_data(struct decode_error *err, enum reason r, const struct field_spec *f,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail_data(struct decode_error *err, enum reason r, const struct field_spec *f,
		     const char *fmt, ...)
{
	va_list ap;
	err->reason = r;
	snprintf(err->field, sizeof(err->field), "data.%s", f->name);
	int n = snprintf(err->message, sizeof(err->message), "%s", err->field);
	va_start(ap, fmt);
	vsnprintf(err->message + n, sizeof(err->message) - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- attributes ------------------------------------------------------ */

static bool printable(const struct strref *s)
{
	for (size_t i = 0; i < s->n; i++)
		if ((unsigned char)s->p[i] < 0x20 || s->p[i] == 0x7f)
			return false;
	return true;
}

static bool agency_ok(const struct strref *s)
{
	if (s->n < 1 || s->n > 64)
		return false;
	for (size_t i = 0; i < s->n; i++) {
		char c = s->p[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			  (i > 0 && (c == '-' || c == '_' || c == '.'));
		if (!ok)
			return false;
	}
	return true;
}

/* ---- the parsed payload ------------------------------------------------ */

/* A JSON value from either parser: jscan's node (the fast path) or
 * jansson's tree (everything jscan declines). The checks below read only
 * this, so both paths validate alike. */
struct jval {
	enum jscan_type t;
	const char *s; /* JT_STRING */
	size_t n;
	int64_t i;     /* JT_INT */
	json_t *j;     /* from jansson, else NULL */
	const struct jnode *node; /* from jscan, else NULL */
};

/* An object: jansson's, or a node of a jscan document. */
struct jobj {
	json_t *j;
	const struct jdoc *doc;
	const struct jnode *node;
};

static struct jval jval_of_json(json_t *v)
{
	struct jval r = {.t = JT_OTHER, .j = v};
	switch (json_typeof(v)) {
	case JSON_STRING:
		r.t = JT_STRING;
		r.s = json_string_value(v);
		r.n = json_string_length(v);
		break;
	case JSON_INTEGER:
		r.t = JT_INT;
		r.i = json_integer_value(v);
		break;
	case JSON_TRUE: r.t = JT_TRUE; break;
	case JSON_FALSE: r.t = JT_FALSE; break;
	case JSON_NULL: r.t = JT_NULL; break;
	case JSON_OBJECT: r.t = JT_OBJECT; break;
	default: break; /* arrays, reals */
	}
	return r;
}

static struct jval jval_of_node(const struct jnode *n)
{
	return (struct jval){.t = n->type, .s = n->s, .n = n->n, .i = n->i, .node = n};
}

/* The member name of o; false when absent. */
static bool obj_get(const struct jobj *o, const char *name, struct jval *v)
{
	if (o->doc) {
		const struct jnode *n = jscan_get(o->doc, o->node, name);
		if (n)
			*v = jval_of_node(n);
		return n != NULL;
	}
	json_t *j = json_object_get(o->j, name);
	if (j)
		*v = jval_of_json(j);
	return j != NULL;
}

static size_t obj_size(const struct jobj *o)
{
	return o->doc ? o->node->count : json_object_size(o->j);
}

/* The object v is (v.t == JT_OBJECT), from the document o belongs to. */
static struct jobj obj_of(const struct jobj *o, const struct jval *v)
{
	return (struct jobj){.j = v->j, .doc = o->doc, .node = v->node};
}

/* Look an attribute up in structured mode (a JSON member) or binary mode
 * (a ce_<name> header; the last one wins, as Kafka headers may repeat). */
static int get_attr(const struct event_input *in, const struct jobj *root,
		    const char *name, struct strref *out, struct decode_error *err)
{
	out->p = NULL;
	out->n = 0;
	if (root) {
		struct jval v;
		if (!obj_get(root, name, &v) || v.t == JT_NULL)
			return 0;
		if (v.t != JT_STRING)
			return fail(err, REASON_BAD_ATTRIBUTE, name,
				    "attribute %s must be a string", name);
		out->p = v.s;
		out->n = v.n;
		return 0;
	}
	for (size_t i = 0; i < in->nheaders; i++) {
		const char *h = in->headers[i].name;
		if (strncmp(h, "ce_", 3) != 0 || strcmp(h + 3, name) != 0)
			continue;
		if (!in->headers[i].value)
			continue;
		if (!utf8_valid(in->headers[i].value, in->headers[i].len))
			return fail(err, REASON_BAD_ATTRIBUTE, name,
				    "header %s is not valid UTF-8 text", h);
		out->p = in->headers[i].value;
		out->n = in->headers[i].len;
	}
	return 0;
}

static int check_attr(const struct strref *v, const char *name, size_t max_len,
		      struct decode_error *err)
{
	char q[96];
	if (!v->p)
		return fail(err, REASON_MISSING_ATTRIBUTE, name,
			    "required attribute %s is missing", name);
	if (v->n == 0)
		return fail(err, REASON_BAD_ATTRIBUTE, name,
			    "attribute %s is empty", name);
	if (v->n > max_len || !printable(v)) {
		quote_value(q, sizeof(q), v->p, v->n);
		return fail(err, REASON_BAD_ATTRIBUTE, name,
			    "attribute %s=%s must be 1..%zu printable characters",
			    name, q, max_len);
	}
	return 0;
}

static int decode_envelope(const struct event_input *in, const struct jobj *root,
			   struct decoded *d, struct decode_error *err)
{
	struct strref sv, dct, t;
	char q[96];
	const char *why;

	if (get_attr(in, root, "specversion", &sv, err))
		return -1;
	if (!sv.p)
		return fail(err, REASON_MISSING_ATTRIBUTE, "specversion",
			    "required attribute specversion is missing");
	if (sv.n != 3 || memcmp(sv.p, "1.0", 3) != 0) {
		quote_value(q, sizeof(q), sv.p, sv.n);
		return fail(err, REASON_BAD_SPECVERSION, "specversion",
			    "specversion=%s is not supported (need \"1.0\")", q);
	}
	if (get_attr(in, root, "id", &d->id, err) ||
	    check_attr(&d->id, "id", EVENT_ID_MAX, err) ||
	    get_attr(in, root, "source", &d->source, err) ||
	    check_attr(&d->source, "source", EVENT_SOURCE_MAX, err) ||
	    get_attr(in, root, "type", &d->type, err) ||
	    check_attr(&d->type, "type", EVENT_TYPE_MAX, err))
		return -1;
	d->kind_idx = event_kind_lookup(d->type.p, d->type.n);
	d->kind = d->kind_idx == (size_t)-1 ? NULL : event_kinds[d->kind_idx];
	if (!d->kind) {
		quote_value(q, sizeof(q), d->type.p, d->type.n);
		return fail(err, REASON_UNKNOWN_TYPE, "type",
			    "type=%s is not a known event type", q);
	}
	if (get_attr(in, root, "subject", &d->subject, err) ||
	    check_attr(&d->subject, "subject", EVENT_SUBJECT_MAX, err) ||
	    get_attr(in, root, "agency", &d->agency, err))
		return -1;
	if (!d->agency.p)
		return fail(err, REASON_MISSING_ATTRIBUTE, "agency",
			    "required extension attribute agency is missing");
	if (!agency_ok(&d->agency)) {
		quote_value(q, sizeof(q), d->agency.p, d->agency.n);
		return fail(err, REASON_BAD_ATTRIBUTE, "agency",
			    "agency=%s must match [a-z0-9][a-z0-9._-]{0,63}", q);
	}
	if (get_attr(in, root, "time", &t, err))
		return -1;
	if (!t.p)
		return fail(err, REASON_MISSING_ATTRIBUTE, "time",
			    "required attribute time is missing");
	if (rfc3339_parse(t.p, t.n, &d->time_us, &why)) {
		quote_value(q, sizeof(q), t.p, t.n);
		return fail(err, REASON_BAD_TIME, "time", "time=%s: %s", q, why);
	}
	if (get_attr(in, root, "datacontenttype", &dct, err))
		return -1;
	if (!root && !dct.p)
		for (size_t i = 0; i < in->nheaders; i++) /* not ce_ */
			if (in->headers[i].value && strcmp(in->headers[i].name, "content-type") == 0) {
				dct.p = in->headers[i].value;
				dct.n = in->headers[i].len;
			}
	if (dct.p && (dct.n < 16 || memcmp(dct.p, "application/json", 16) != 0 ||
		      (dct.n > 16 && dct.p[16] != ';' && dct.p[16] != ' '))) {
		quote_value(q, sizeof(q), dct.p, dct.n);
		return fail(err, REASON_BAD_ATTRIBUTE, "datacontenttype",
			    "datacontenttype=%s is not application/json", q);
	}
	return 0;
}

/* ---- data fields ----------------------------------------------------- */

/* Characters (code points) in valid UTF-8, as JSON Schema's maxLength
 * counts them. */
static size_t utf8_chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/* Whether s (n bytes) is a plain decimal, -?digits[.digits]; its digit
 * counts before and after the point into intd and fracd. */
static bool decimal_syntax(const char *s, size_t n, size_t *intd, size_t *fracd)
{
	size_t i = 0;
	*intd = *fracd = 0;
	if (i < n && s[i] == '-')
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, (*intd)++;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, (*fracd)++;
		if (*fracd == 0)
			return false;
	}
	return i == n && *intd >= 1;
}

static const char *type_word(enum field_type t)
{
	switch (t) {
	case FT_STRING: return "a string";
	case FT_ENUM: return "one of the listed strings";
	case FT_INT: return "an integer";
	case FT_BOOL: return "true or false";
	case FT_DECIMAL: return "a decimal string";
	case FT_TIME: return "an RFC 3339 timestamp string";
	case FT_PERSONAL: return "a string";
	case FT_DATA: return "a JSON object";
	}
	return "?";
}

/* A person's identifier: validated without ever quoting it, then replaced
 * by its keyed hash, or dropped when there is no key. */
static int decode_personal(const struct field_spec *f, const struct jval *v,
			   const struct decode_limits *lim, char *hashed,
			   struct field_value *out, struct decode_error *err)
{
	if (v->t != JT_STRING)
		return fail_data(err, REASON_BAD_FIELD, f, " must be a string");
	const char *s = v->s;
	size_t n = v->n;
	if (redact_is_hashed(s, n)) {
		memcpy(hashed, s, n);
		hashed[n] = '\0';
	} else {
		size_t chars = 0;
		for (size_t i = 0; i < n; i++) {
			if ((unsigned char)s[i] < 0x20)
				return fail_data(err, REASON_BAD_FIELD, f,
					    " has a control character (value not shown: personal data)");
			chars += ((unsigned char)s[i] & 0xc0) != 0x80;
		}
		if (chars == 0 || chars > f->max_len)
			return fail_data(err, REASON_BAD_FIELD, f, " must be 1..%zu characters "
					 "(value not shown: personal data)", f->max_len);
		if (!lim || !lim->hmac_key)
			return 0; /* dropped: never stored in clear */
		if (lim->hmac)
			redact_hmac_hash(lim->hmac, s, n, hashed);
		else
			redact_hash(lim->hmac_key, lim->hmac_key_len, s, n, hashed);
	}
	out->s.p = hashed;
	out->s.n = PERSONAL_LEN;
	out->present = true;
	return 0;
}

static int decode_field(const struct field_spec *f, const struct jval *v,
			struct field_value *out, struct decode_error *err)
{
	char q[96];
	const char *why;
	size_t intd, fracd;

	switch (f->type) {
	case FT_INT:
		if (v->t != JT_INT)
			return fail_data(err, REASON_BAD_FIELD, f, " must be %s", type_word(f->type));
		out->i = v->i;
		if (out->i < f->min || out->i > f->max)
			return fail_data(err, REASON_BAD_FIELD, f,
				    "=%lld is outside %lld..%lld",
				    (long long)out->i, f->min, f->max);
		break;
	case FT_BOOL:
		if (v->t != JT_TRUE && v->t != JT_FALSE)
			return fail_data(err, REASON_BAD_FIELD, f, " must be %s", type_word(f->type));
		out->i = v->t == JT_TRUE;
		break;
	case FT_DECIMAL:
		if (v->t == JT_INT) {
			out->i = v->i;
			if (out->i < -99999999999999LL || out->i > 99999999999999LL)
				return fail_data(err, REASON_BAD_FIELD, f,
					    "=%lld has more than %d integer digits", (long long)out->i,
					    DECIMAL_INT_DIGITS);
			break;
		}
		if (v->t != JT_STRING)
			return fail_data(err, REASON_BAD_FIELD, f,
				    " must be a decimal string such as \"12.5\" "
				    "(JSON floats would round)");
		out->s.p = v->s;
		out->s.n = v->n;
		if (!decimal_syntax(out->s.p, out->s.n, &intd, &fracd)) {
			quote_value(q, sizeof(q), out->s.p, out->s.n);
			return fail_data(err, REASON_BAD_FIELD, f,
				    "=%s is not a decimal such as \"12.5\"", q);
		}
		if (intd > DECIMAL_INT_DIGITS || fracd > DECIMAL_FRAC_DIGITS) {
			quote_value(q, sizeof(q), out->s.p, out->s.n);
			return fail_data(err, REASON_BAD_FIELD, f,
				    "=%s has %zu integer and %zu fraction digits "
				    "(at most %d and %d: 万元 to the 分)", q, intd, fracd,
				    DECIMAL_INT_DIGITS, DECIMAL_FRAC_DIGITS);
		}
		break;
	case FT_DATA: /* decode_nested handles these */
	case FT_STRING:
	case FT_ENUM:
	case FT_TIME:
	case FT_PERSONAL: /* decode_personal handles these */
		if (v->t != JT_STRING)
			return fail_data(err, REASON_BAD_FIELD, f, " must be %s", type_word(f->type));
		out->s.p = v->s;
		out->s.n = v->n;
		if (f->type == FT_TIME) {
			if (rfc3339_parse(out->s.p, out->s.n, &out->i, &why)) {
				quote_value(q, sizeof(q), out->s.p, out->s.n);
				return fail_data(err, REASON_BAD_TIME, f, "=%s: %s", q, why);
			}
		} else if (f->type == FT_ENUM) {
			const char *const *e = f->values;
			for (; *e; e++)
				/* strlen only on a prefix match: once per event */
				if (strncmp(*e, out->s.p, out->s.n) == 0 && strlen(*e) == out->s.n)
					break;
			if (!*e) {
				quote_value(q, sizeof(q), out->s.p, out->s.n);
				return fail_data(err, REASON_BAD_FIELD, f,
					    "=%s is not an allowed value", q);
			}
		} else {
			size_t chars = utf8_chars(out->s.p, out->s.n);
			if (chars == 0 || chars > f->max_len || memchr(out->s.p, '\0', out->s.n))
				return fail_data(err, REASON_BAD_FIELD, f, " must be 1..%zu "
						 "characters of text (got %zu)", f->max_len, chars);
		}
		break;
	}
	out->present = true;
	return 0;
}

static int decode_data(const struct jobj *data, struct decoded *d,
		       const struct decode_limits *lim, struct decode_error *err);
static int run_check(struct decoded *d, struct decode_error *err);
static void put_data(struct buf *out, const struct kind_spec *k, const struct field_value *v);

/* An error found in nested data, said with its full path: "data" and
 * "data.<x>" (at the start of the message or after a blank, never inside
 * a quoted value) become "data.<f>" and "data.<f>.<x>". */
static void nest_path(struct decode_error *err, const struct field_spec *f)
{
	struct buf b = BUF_INIT;
	const char *m = err->message;
	for (size_t i = 0; m[i]; i++) {
		bool word = (i == 0 || m[i - 1] == ' ') && strncmp(m + i, "data", 4) == 0 &&
			    (m[i + 4] == '.' || m[i + 4] == ' ' || !m[i + 4]);
		if (word) {
			buf_printf(&b, "data.%s", f->name);
			i += 3;
		} else {
			buf_putc(&b, m[i]);
		}
	}
	char field[sizeof(err->field)];
	snprintf(field, sizeof(field), "data.%s%s", f->name, err->field + strlen("data"));
	memcpy(err->field, field, sizeof(field));
	snprintf(err->message, sizeof(err->message), "%s", buf_cstr(&b));
	buf_free(&b);
}

/* FT_DATA: v (a member of o) holds the data of the kind named by the field
 * f->kind_from (decoded before it), checked exactly as that kind's own data
 * is, personal values hashed in place; the canonical form is kept in
 * d->nested. Only on the jansson path (the fast path declines such kinds):
 * a correction is rare, and the allocations here cost the hot path
 * nothing. */
static int decode_nested(const struct field_spec *f, const struct jobj *o,
			 const struct jval *v, struct decoded *d, const struct decode_limits *lim,
			 struct field_value *out, struct decode_error *err)
{
	const struct field_value *of = decoded_field(d, f->kind_from);
	size_t k = of ? event_kind_lookup(of->s.p, of->s.n) : (size_t)-1;
	if (k == (size_t)-1)
		return fail_data(err, REASON_BAD_FIELD, f, " needs a known data.%s", f->kind_from);
	if (v->t != JT_OBJECT)
		return fail_data(err, REASON_BAD_FIELD, f, " must be a JSON object: the data of "
				 "a %s event", event_kinds[k]->type);
	struct jobj nested = obj_of(o, v);
	if (!nested.j) /* jscan's node: the fast path declines corrections */
		return fail_data(err, REASON_BAD_FIELD, f, " is read from jansson's tree only");
	struct decoded *in = xcalloc(1, sizeof(*in));
	in->kind = event_kinds[k];
	in->kind_idx = k;
	int rc = decode_data(&nested, in, lim, err);
	if (!rc)
		rc = run_check(in, err);
	if (rc) {
		nest_path(err, f);
	} else {
		struct buf b = BUF_INIT;
		d->nested_redacted = redact_data(in, nested.j);
		put_data(&b, in->kind, in->v);
		buf_cstr(&b); /* NUL-terminated */
		free(d->nested);
		d->nested = b.data; /* taken over from b */
		out->s.p = d->nested;
		out->s.n = b.len;
		out->present = true;
	}
	free(in);
	return rc;
}

/* data: NULL when the event has none (absent or null). */
static int decode_data(const struct jobj *data, struct decoded *d,
		       const struct decode_limits *lim, struct decode_error *err)
{
	const struct kind_spec *k = d->kind;
	size_t known = 0; /* members of data the kind defines */
	for (size_t i = 0; i < k->nfields; i++) {
		const struct field_spec *f = &k->fields[i];
		struct jval v;
		bool has = data && obj_get(data, f->name, &v);
		known += has;
		if (!has || v.t == JT_NULL) {
			if (f->required) {
				char path[64];
				snprintf(path, sizeof(path), "data.%s", f->name);
				return fail(err, REASON_MISSING_FIELD, path,
					    "required field %s is missing", path);
			}
			continue;
		}
		if (f->type == FT_PERSONAL) {
			if (decode_personal(f, &v, lim, d->hashed[i], &d->v[i], err))
				return -1;
		} else if (f->type == FT_DATA) {
			if (decode_nested(f, data, &v, d, lim, &d->v[i], err))
				return -1;
		} else if (decode_field(f, &v, &d->v[i], err)) {
			return -1;
		}
	}
	/* Unknown members are refused, not ignored: a misspelt optional field
	 * would otherwise silently change a statutory figure. Keys are unique
	 * (the parser rejects duplicates), so a count tells; the walk below
	 * only names the culprit. */
	if (!data || obj_size(data) == known)
		return 0;
	if (!data->j) /* the fast path gives up; jansson's names the member */
		return fail(err, REASON_UNKNOWN_FIELD, "data", "data has a member %s does not define",
			    k->type);
	const char *key;
	json_t *val;
	json_object_foreach(data->j, key, val) {
		size_t i = 0;
		while (i < k->nfields && strcmp(k->fields[i].name, key) != 0)
			i++;
		if (i == k->nfields) {
			char q[96];
			quote_value(q, sizeof(q), key, strlen(key));
			return fail(err, REASON_UNKNOWN_FIELD, "data",
				    "data has a member %s that type %s does not define",
				    q, k->type);
		}
	}
	(void)val;
	return 0;
}

/* ---- canonical content ----------------------------------------------- */

static void put_utc(struct buf *out, int64_t us)
{
	char ts[RFC3339_UTC_LEN + 1];
	rfc3339_format_utc(us, ts);
	buf_putc(out, '"');
	buf_append(out, ts, RFC3339_UTC_LEN);
	buf_putc(out, '"');
}

static void put_value(struct buf *out, enum field_type t, const struct field_value *v)
{
	switch (t) {
	case FT_INT:
		buf_put_i64(out, v->i);
		break;
	case FT_BOOL:
		buf_puts(out, v->i ? "true" : "false");
		break;
	case FT_TIME:
		put_utc(out, v->i);
		break;
	case FT_DATA: /* canonical already */
		buf_append(out, v->s.p, v->s.n);
		break;
	case FT_DECIMAL:
		if (!v->s.p) { /* sent as a JSON integer: the same text as "12" */
			buf_putc(out, '"');
			buf_put_i64(out, v->i);
			buf_putc(out, '"');
			break;
		}
		/* fall through */
	case FT_STRING:
	case FT_ENUM:
	case FT_PERSONAL:
		buf_json_string(out, v->s.p, v->s.n);
		break;
	}
}

/* A literal, without its NUL. */
#define PUT_LIT(out, s) buf_append((out), (s), sizeof(s) - 1)

/* The order of k's fields in the canonical form: by name. */
static void canon_sort(const struct kind_spec *k, uint8_t order[EVENT_MAX_FIELDS])
{
	size_t n = 0;
	for (size_t i = 0; i < k->nfields; i++) { /* at most 8: insertion sort */
		size_t j = n++;
		for (; j > 0 && strcmp(k->fields[order[j - 1]].name, k->fields[i].name) > 0; j--)
			order[j] = order[j - 1];
		order[j] = (uint8_t)i;
	}
}

/* A kind's data members in sorted order, names written as they are: JSON
 * quotes the envelope's names and the fields' (identifiers; test_event
 * checks every kind's) without change. */
static void put_fields(struct buf *out, const struct kind_spec *k, const uint8_t *order,
		       const struct field_value *v)
{
	bool first = true;
	buf_putc(out, '{');
	for (size_t j = 0; j < k->nfields; j++) {
		const struct field_spec *f = &k->fields[order[j]];
		if (!v[order[j]].present)
			continue;
		if (!first)
			buf_putc(out, ',');
		first = false;
		buf_putc(out, '"');
		buf_puts(out, f->name);
		PUT_LIT(out, "\":");
		put_value(out, f->type, &v[order[j]]);
	}
	buf_putc(out, '}');
}

/* A kind's data as stored, canonical (a correction's replacement data). */
static void put_data(struct buf *out, const struct kind_spec *k, const struct field_value *v)
{
	uint8_t order[EVENT_MAX_FIELDS] = {0};
	canon_sort(k, order);
	put_fields(out, k, order, v);
}

static void canon_write(const struct decoded *d, const uint8_t *order, struct buf *out)
{
	PUT_LIT(out, "{\"agency\":");
	buf_json_string(out, d->agency.p, d->agency.n);
	PUT_LIT(out, ",\"data\":");
	put_fields(out, d->kind, order, d->v);
	PUT_LIT(out, ",\"subject\":");
	buf_json_string(out, d->subject.p, d->subject.n);
	PUT_LIT(out, ",\"time\":");
	put_utc(out, d->time_us);
	PUT_LIT(out, ",\"type\":");
	buf_json_string(out, d->type.p, d->type.n);
	buf_putc(out, '}');
}

void event_content_canonical(const struct decoded *d, struct buf *out)
{
	uint8_t order[EVENT_MAX_FIELDS] = {0};
	canon_sort(d->kind, order);
	canon_write(d, order, out);
}

/* Every kind's order, sorted once per decoder instead of per event. */
struct canon_order {
	size_t nkinds;
	uint8_t order[][EVENT_MAX_FIELDS]; /* by index in event_kinds */
};

static void content_digest(struct decoded *d, const struct decode_limits *lim)
{
	struct buf own = BUF_INIT;
	struct buf *b = lim && lim->scratch ? lim->scratch : &own;
	buf_reset(b);
	uint8_t sorted[EVENT_MAX_FIELDS] = {0};
	const uint8_t *order = sorted;
	if (lim && lim->canon && d->kind_idx < lim->canon->nkinds)
		order = lim->canon->order[d->kind_idx];
	else
		canon_sort(d->kind, sorted);
	canon_write(d, order, b);
	sha256_sum(lim ? lim->sha : NULL, b->data, b->len, d->digest);
	buf_free(&own);
}

void decode_error_release(struct decode_error *e)
{
	free(e->redacted);
	e->redacted = NULL;
	e->redacted_len = 0;
}

void decode_limits_init(struct decode_limits *lim, size_t max_bytes)
{
	*lim = (struct decode_limits){.max_bytes = max_bytes,
				      .scratch = xcalloc(1, sizeof(struct buf)),
				      .sha = sha256_new()};
	lim->canon = xcalloc(1, sizeof(*lim->canon) + event_kind_count() * EVENT_MAX_FIELDS);
	lim->canon->nkinds = event_kind_count();
	for (size_t k = 0; event_kinds[k]; k++)
		canon_sort(event_kinds[k], lim->canon->order[k]);
}

void decode_limits_free(struct decode_limits *lim)
{
	if (lim->scratch)
		buf_free(lim->scratch);
	free(lim->scratch);
	sha256_free(lim->sha);
	redact_hmac_free(lim->hmac);
	free(lim->canon);
	lim->canon = NULL;
	lim->scratch = NULL;
	lim->sha = NULL;
	lim->hmac = NULL;
}

void decode_limits_set_key(struct decode_limits *lim, const unsigned char *key, size_t len)
{
	redact_hmac_free(lim->hmac);
	lim->hmac_key = key;
	lim->hmac_key_len = len;
	lim->hmac = redact_hmac_new(key, len);
}

static bool is_binary(const struct event_input *in)
{
	for (size_t i = 0; i < in->nheaders; i++)
		if (strcmp(in->headers[i].name, "ce_specversion") == 0)
			return true;
	return false;
}

static int run_check(struct decoded *d, struct decode_error *err)
{
	if (d->kind->check &&
	    d->kind->check(d, err->field, sizeof(err->field), err->message,
			   sizeof(err->message))) {
		err->reason = REASON_BAD_FIELD;
		return -1;
	}
	return 0;
}

/* The fast path: the payload scanned by jscan, values referring into it,
 * nothing allocated. 0 when the event is decoded; -1 when jscan declined
 * or any check failed: then the jansson path decides, and words the error
 * (err here is scratch). Events with a personal value go that way too:
 * their stored payload is rewritten from jansson's tree; and corrections
 * (a kind with an FT_DATA field), whose nested data is read from it. */
static int decode_scanned(const struct event_input *in, const struct decode_limits *lim,
			  struct decoded *d, struct decode_error *err)
{
	struct jdoc doc;
	struct jval v;
	if (!jscan_object(in->payload, in->len, &doc))
		return -1;
	struct jobj body = {.doc = &doc, .node = &doc.n[0]}, data = body;
	d->binary = is_binary(in);
	if (decode_envelope(in, d->binary ? NULL : &body, d, err))
		return -1;
	bool has_data = true;
	if (!d->binary) {
		if (obj_get(&body, "data_base64", &v))
			return -1;
		has_data = obj_get(&body, "data", &v) && v.t != JT_NULL;
		if (has_data && v.t != JT_OBJECT)
			return -1;
		if (has_data)
			data = obj_of(&body, &v);
	}
	for (size_t i = 0; has_data && i < d->kind->nfields; i++)
		if ((d->kind->fields[i].type == FT_PERSONAL &&
		     obj_get(&data, d->kind->fields[i].name, &v) && v.t != JT_NULL) ||
		    d->kind->fields[i].type == FT_DATA)
			return -1;
	if (decode_data(has_data ? &data : NULL, d, lim, err) || run_check(d, err))
		return -1;
	content_digest(d, lim);
	return 0;
}

/* Everything else, and the authority on what is wrong: jansson's tree. */
static int decode_parsed(const struct event_input *in, const struct decode_limits *lim,
			 struct decoded *d, struct decode_error *err)
{
	json_error_t jerr;
	json_t *body = json_loadb(in->payload, in->len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
				  &jerr);
	if (!body) {
		/* jansson adds " near '<text>'": text of the payload, which may be
		 * a person's data, so it is cut. */
		char *near = strstr(jerr.text, " near ");
		if (near)
			*near = '\0';
		return fail(err, REASON_BAD_JSON, "",
			    "invalid JSON at byte %d: %s", jerr.position, jerr.text);
	}
	struct jobj root = {.j = body}, data;
	json_t *dj;
	if (!json_is_object(body)) {
		fail(err, REASON_NOT_OBJECT, "", "the payload is JSON but not an object");
		goto fail;
	}
	d->binary = is_binary(in);
	if (decode_envelope(in, d->binary ? NULL : &root, d, err))
		goto fail;
	if (!d->binary && json_object_get(body, "data_base64")) {
		fail(err, REASON_BAD_ATTRIBUTE, "data_base64",
		     "data_base64 is not accepted: send the data as JSON in data");
		goto fail;
	}
	dj = d->binary ? body : json_object_get(body, "data");
	if (json_is_null(dj))
		dj = NULL;
	if (dj && !json_is_object(dj)) {
		fail(err, REASON_BAD_FIELD, "data", "data must be a JSON object");
		goto fail;
	}
	data = (struct jobj){.j = dj};
	if (decode_data(dj ? &data : NULL, d, lim, err) || run_check(d, err))
		goto fail;
	d->redacted = redact_decoded(d, body, dj, &d->redacted_len);
	d->root = body;
	content_digest(d, lim);
	return 0;
fail:
	err->redacted = redact_any(body, d->binary ? body : json_object_get(body, "data"),
				   lim ? lim->hmac_key : NULL, lim ? lim->hmac_key_len : 0,
				   &err->redacted_len);
	if (!err->redacted && d->nested_redacted) { /* hashed in place already */
		err->redacted = json_dumps(body, JSON_COMPACT);
		err->redacted_len = err->redacted ? strlen(err->redacted) : 0;
	}
	json_decref(body);
	free(d->nested);
	memset(d, 0, sizeof(*d));
	return -1;
}

int event_decode(const struct event_input *in, const struct decode_limits *lim,
		 struct decoded *d, struct decode_error *err)
{
	memset(d, 0, sizeof(*d));
	err->reason = REASON_OK;
	err->redacted = NULL;
	err->redacted_len = 0;
	if (lim && in->len > lim->max_bytes)
		return fail(err, REASON_TOO_LARGE, "",
			    "payload of %zu bytes exceeds the limit of %zu bytes",
			    in->len, lim->max_bytes);
	if (in->len == 0 || !in->payload)
		return fail(err, REASON_BAD_JSON, "", "empty payload");
	if (!(lim && lim->jansson_only)) {
		struct decode_error scratch;
		if (decode_scanned(in, lim, d, &scratch) == 0)
			return 0;
		memset(d, 0, sizeof(*d));
	}
	return decode_parsed(in, lim, d, err);
}

void decoded_release(struct decoded *d)
{
	json_decref(d->root);
	free(d->redacted);
	free(d->nested);
	d->root = NULL;
	d->redacted = NULL;
	d->nested = NULL;
}

const struct field_value *decoded_field(const struct decoded *d, const char *name)
{
	for (size_t i = 0; i < d->kind->nfields; i++)
		if (strcmp(d->kind->fields[i].name, name) == 0)
			return d->v[i].present ? &d->v[i] : NULL;
	return NULL;
}
