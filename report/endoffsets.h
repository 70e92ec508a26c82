/*
 * endoffsets: the broker's end offset (high watermark) of every partition
 * the daemon stores, asked once per run: the one place disclosed-report
 * talks to Kafka, and only for this metadata (docs/report.md, 完整性).
 */
#ifndef DISCLOSED_REPORT_ENDOFFSETS_H
#define DISCLOSED_REPORT_ENDOFFSETS_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"

struct end_offset {
	char *topic; /* owned */
	int partition;
	long long end; /* the offset the next message will get; -1: not known */
};

/* What the broker said. known false: it could not be asked, why says so,
 * and every end is -1. Zeroed: asked about nothing. */
struct end_offsets {
	struct end_offset *v; /* owned */
	size_t n;
	bool known;
	char why[768];
};

/* Ask the broker of c's [kafka] section for the end offset of every
 * partition in disclosed.consumer_offset. A broker that cannot be reached
 * is not an error of the report: o->known is false and why says what
 * failed. -1 with err only when PostgreSQL fails or memory runs out. */
int end_offsets_query(PGconn *conn, const struct config *c, struct end_offsets *o, char *err,
		      size_t errlen);
/* The end offset of topic/partition, or -1 when not known. */
long long end_offsets_get(const struct end_offsets *o, const char *topic, int partition);
void end_offsets_free(struct end_offsets *o);

#endif
