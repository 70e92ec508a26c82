/*
 * agency_times: the latest event time per agency among a set of events, in
 * a fixed open-addressing table, so recording an event neither allocates
 * nor formats. A batch keeps one for its events; the metrics keep one for
 * every batch committed since the start, exported as
 * disclosed_agency_latest_event_time_seconds{agency}.
 *
 * A plain value (copied with the metrics snapshot): no pointers inside.
 */
#ifndef DISCLOSED_AGENCY_TIMES_H
#define DISCLOSED_AGENCY_TIMES_H

#include <stddef.h>
#include <stdint.h>

#define AGENCY_TIMES_SLOTS 512 /* a power of two */
/* Distinct agencies kept; the events of further ones are only counted in
 * `untracked` (a load factor of 3/4 keeps probes short). */
#define AGENCY_TIMES_MAX (AGENCY_TIMES_SLOTS / 4 * 3)
#define AGENCY_NAME_MAX 64 /* the event contract's limit */

struct agency_time {
	char name[AGENCY_NAME_MAX + 1]; /* "" = empty slot */
	int64_t time_us;                /* microseconds since the epoch, UTC */
};

struct agency_times {
	struct agency_time slot[AGENCY_TIMES_SLOTS];
	size_t n;
	uint64_t untracked; /* events whose agency did not fit */
};

void agency_times_reset(struct agency_times *t);
/* Keep time_us for the agency if later than what is kept. Names longer
 * than AGENCY_NAME_MAX (the decoder refuses them) are counted untracked. */
void agency_times_note(struct agency_times *t, const char *name, size_t len, int64_t time_us);
void agency_times_merge(struct agency_times *into, const struct agency_times *from);

#endif
