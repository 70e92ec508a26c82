/*
 * jscan: a validating scanner for the usual shape of an event payload, so
 * that most events are decoded without building a jansson tree (the
 * parser, its allocations and their release were over half the daemon's
 * instructions an event).
 *
 * It accepts only a JSON object of at most two levels whose values are
 * strings without escapes, integers of at most 18 digits, true, false,
 * null or (one level down) objects, with few members, no duplicate names
 * and valid UTF-8. Anything else — arrays, reals, escapes, invalid JSON —
 * it declines, and the caller parses with jansson, which then decides
 * (and words every error). What jscan accepts, jansson accepts with the
 * same values: strings are the payload's own bytes.
 */
#ifndef DISCLOSED_JSCAN_H
#define DISCLOSED_JSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum jscan_type { JT_NULL, JT_FALSE, JT_TRUE, JT_INT, JT_STRING, JT_OBJECT, JT_OTHER };

struct jnode {
	enum jscan_type type;
	const char *key; /* as a member: its name, klen bytes (into the payload) */
	size_t klen;
	const char *s;   /* JT_STRING: n bytes into the payload, not terminated */
	size_t n;
	int64_t i;       /* JT_INT */
	uint16_t first;  /* JT_OBJECT: its first member (0: none) */
	uint16_t count;  /* JT_OBJECT: members */
	uint16_t next;   /* as a member: the next one (0: last) */
};

enum { JSCAN_MAX_NODES = 64 };

/* Plain data, a few KB: callers keep it on the stack. */
struct jdoc {
	struct jnode n[JSCAN_MAX_NODES]; /* n[0]: the root object */
	uint16_t nn;
};

/* Scans p[0..len) into doc. True when it is an object jscan handles;
 * false when declined (doc is then undefined). p must outlive doc. */
bool jscan_object(const char *p, size_t len, struct jdoc *doc);

/* The member of obj (a JT_OBJECT node of doc) named name, or NULL. */
const struct jnode *jscan_get(const struct jdoc *doc, const struct jnode *obj,
			      const char *name);

#endif
