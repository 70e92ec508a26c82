/*
 * kinds: the per-kind specs, one consumer file per business area. Each
 * file defines its kinds' field tables, cross-field checks and examples;
 * registry.c lists them all.
 */
#ifndef DISCLOSED_KINDS_H
#define DISCLOSED_KINDS_H

#include <stdbool.h>
#include <stdio.h>

#include "event.h"

#define NFIELDS(a) (sizeof(a) / sizeof((a)[0]))
#define INT64_BIG 9000000000000000000LL

extern const struct kind_spec kind_complaint_received, kind_complaint_transferred,
	kind_complaint_decided, kind_complaint_closed;
extern const struct kind_spec kind_reception_held;
extern const struct kind_spec kind_publication_published, kind_publication_repealed;
extern const struct kind_spec kind_newmedia_snapshot;
extern const struct kind_spec kind_application_received, kind_application_closed;
extern const struct kind_spec kind_review_filed, kind_review_decided;
extern const struct kind_spec kind_stats_reported;
extern const struct kind_spec kind_opening_stated;
extern const struct kind_spec kind_event_corrected;

#endif
