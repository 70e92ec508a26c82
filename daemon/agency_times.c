#include "agency_times.h"

#include <string.h>

void agency_times_reset(struct agency_times *t)
{
	/* Most batches touch few slots, but clearing 512 names is cheaper
	 * than keeping a list of the used ones. */
	if (t->n)
		memset(t->slot, 0, sizeof(t->slot));
	t->n = 0;
	t->untracked = 0;
}

static size_t hash(const char *p, size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

void agency_times_note(struct agency_times *t, const char *name, size_t len, int64_t time_us)
{
	if (len == 0 || len > AGENCY_NAME_MAX) {
		t->untracked++;
		return;
	}
	for (size_t i = hash(name, len) & (AGENCY_TIMES_SLOTS - 1);;
	     i = (i + 1) & (AGENCY_TIMES_SLOTS - 1)) {
		struct agency_time *s = &t->slot[i];
		if (!s->name[0]) {
			if (t->n >= AGENCY_TIMES_MAX) {
				t->untracked++;
				return;
			}
			memcpy(s->name, name, len);
			s->name[len] = '\0';
			s->time_us = time_us;
			t->n++;
			return;
		}
		if (strncmp(s->name, name, len) == 0 && s->name[len] == '\0') {
			if (time_us > s->time_us)
				s->time_us = time_us;
			return;
		}
	}
}

void agency_times_merge(struct agency_times *into, const struct agency_times *from)
{
	for (size_t i = 0; from->n && i < AGENCY_TIMES_SLOTS; i++)
		if (from->slot[i].name[0])
			agency_times_note(into, from->slot[i].name, strlen(from->slot[i].name),
					  from->slot[i].time_us);
	into->untracked += from->untracked;
}
