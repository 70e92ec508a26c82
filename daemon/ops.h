/*
 * ops: operator commands that work through the database (and, for rewind,
 * Kafka's offsets-for-times): list and replay quarantined events, move a
 * group's stored offsets back to a point in time. Each returns a process
 * exit status (enum cli_exit) and prints what it did.
 */
#ifndef DISCLOSED_OPS_H
#define DISCLOSED_OPS_H

#include <stddef.h>

#include "config.h"

int ops_quarantine_list(const struct config *c, long limit, const char *reason);
/* One set-aside event in full: where from, why, its lineage, its key and
 * payload as text or hex. id: digits (the caller checked). */
int ops_quarantine_show(const struct config *c, const char *id);
/* ids: NULL or empty for every event not yet replayed. */
int ops_quarantine_replay(const struct config *c, char *const *ids, size_t nids);
int ops_rewind(const struct config *c, const char *group, const char *topic, const char *to);

#endif
