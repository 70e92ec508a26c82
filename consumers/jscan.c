#include "jscan.h"

#include <string.h>

#include "buf.h"

/* Two levels: the envelope, and data inside it. */
enum { MAX_DEPTH = 2, MAX_DIGITS = 18 };

struct scan {
	const unsigned char *p, *end;
	struct jdoc *doc;
};

static bool object(struct scan *s, struct jnode *obj, int depth);

static void ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/* A string without escapes or control characters, valid UTF-8. A quote
 * byte never occurs inside a multi-byte sequence, so the scan for the
 * closing quote is safe before the UTF-8 check. */
static bool string(struct scan *s, const char **out, size_t *n)
{
	const unsigned char *b = ++s->p; /* past the quote */
	unsigned high = 0;
	for (; s->p < s->end && *s->p != '"'; s->p++) {
		if (*s->p < 0x20 || *s->p == '\\')
			return false;
		high |= *s->p & 0x80;
	}
	if (s->p == s->end)
		return false;
	*out = (const char *)b;
	*n = (size_t)(s->p - b);
	s->p++;
	return !high || utf8_valid(*out, *n);
}

/* An integer as jansson reads it (strtoll), declined where it would read
 * a real, refuse the text, or could overflow. */
static bool integer(struct scan *s, int64_t *out)
{
	bool neg = s->p < s->end && *s->p == '-';
	s->p += neg;
	const unsigned char *d = s->p;
	uint64_t v = 0;
	while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
		v = 10 * v + (uint64_t)(*s->p++ - '0');
	size_t nd = (size_t)(s->p - d);
	if (nd == 0 || nd > MAX_DIGITS || (nd > 1 && *d == '0'))
		return false;
	if (s->p < s->end && (*s->p == '.' || *s->p == 'e' || *s->p == 'E'))
		return false;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return true;
}

static bool literal(struct scan *s, const char *word, size_t n)
{
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
		return false;
	s->p += n;
	return true;
}

static bool value(struct scan *s, struct jnode *v, int depth)
{
	if (s->p == s->end)
		return false;
	switch (*s->p) {
	case '"':
		v->type = JT_STRING;
		return string(s, &v->s, &v->n);
	case '{':
		v->type = JT_OBJECT;
		return depth < MAX_DEPTH && object(s, v, depth + 1);
	case 't':
		v->type = JT_TRUE;
		return literal(s, "true", 4);
	case 'f':
		v->type = JT_FALSE;
		return literal(s, "false", 5);
	case 'n':
		v->type = JT_NULL;
		return literal(s, "null", 4);
	default:
		v->type = JT_INT;
		return integer(s, &v->i); /* fails on anything else, arrays too */
	}
}

static bool duplicate(const struct jdoc *doc, const struct jnode *obj, const struct jnode *m)
{
	for (uint16_t k = obj->first; k; k = doc->n[k].next)
		if (doc->n[k].klen == m->klen && memcmp(doc->n[k].key, m->key, m->klen) == 0)
			return true;
	return false;
}

/* At the opening brace; members are linked in order. */
static bool object(struct scan *s, struct jnode *obj, int depth)
{
	uint16_t last = 0;
	obj->first = obj->count = 0;
	s->p++;
	ws(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
		return true;
	}
	for (;;) {
		if (s->doc->nn == JSCAN_MAX_NODES || s->p == s->end || *s->p != '"')
			return false;
		uint16_t idx = s->doc->nn++;
		struct jnode *m = &s->doc->n[idx];
		*m = (struct jnode){.type = JT_OTHER};
		if (!string(s, &m->key, &m->klen) || duplicate(s->doc, obj, m))
			return false;
		ws(s);
		if (s->p == s->end || *s->p != ':')
			return false;
		s->p++;
		ws(s);
		if (!value(s, m, depth))
			return false;
		if (last)
			s->doc->n[last].next = idx;
		else
			obj->first = idx;
		last = idx;
		obj->count++;
		ws(s);
		if (s->p == s->end)
			return false;
		if (*s->p == '}') {
			s->p++;
			return true;
		}
		if (*s->p != ',')
			return false;
		s->p++;
		ws(s);
	}
}

bool jscan_object(const char *p, size_t len, struct jdoc *doc)
{
	/* cppcheck-suppress ctuuninitvar ; doc is written here, not read */
	struct scan s = {(const unsigned char *)p, (const unsigned char *)p + len, doc};
	doc->nn = 1;
	doc->n[0] = (struct jnode){.type = JT_OBJECT};
	ws(&s);
	if (s.p == s.end || *s.p != '{' || !object(&s, &doc->n[0], 1))
		return false;
	ws(&s);
	return s.p == s.end;
}

const struct jnode *jscan_get(const struct jdoc *doc, const struct jnode *obj,
			      const char *name)
{
	size_t n = strlen(name);
	for (uint16_t k = obj->first; k; k = doc->n[k].next)
		if (doc->n[k].klen == n && memcmp(doc->n[k].key, name, n) == 0)
			return &doc->n[k];
	return NULL;
}
