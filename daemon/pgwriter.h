/*
 * pgwriter: the PostgreSQL side of exactly-once. One connection; each
 * batch is one transaction that (1) advances the stored next offset of
 * every partition in the batch only if it still holds the value this
 * consumer expects (fencing), (2) COPYs the rows into per-connection
 * staging tables and moves the new ones into place with one set-based
 * insert that skips events already stored, (3) stores the quarantined
 * events. A batch that PostgreSQL rejects for a data reason (SQLSTATE
 * class 22 or 23) is bisected under savepoints until only the offending
 * events are left; those are quarantined with the SQLSTATE and message.
 */
#ifndef DISCLOSED_PGWRITER_H
#define DISCLOSED_PGWRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "batch.h"

struct pgw;

/* Takes copies of its arguments. */
struct pgw *pgw_new(const char *conninfo, const char *group_id);
void pgw_free(struct pgw *w);

/* Why connecting failed: the caller decides from this, never from the
 * message, whether waiting can help. */
enum pgw_conn {
	PGW_CONN_OK,
	PGW_CONN_UNREACHABLE,      /* the server refused or did not answer */
	PGW_CONN_SESSION,          /* setting up the session or staging tables failed */
	PGW_CONN_NOT_MIGRATED,     /* no schema, or a migration not applied */
	PGW_CONN_SCHEMA_MISMATCH,  /* the schema is not this build's (changed or newer) */
	PGW_CONN_SCHEMA_UNREADABLE /* the record of migrations could not be read */
};

/* True for the verdicts that waiting will not fix: the schema needs an
 * operator (`disclosed migrate`, or the right build). */
bool pgw_conn_needs_operator(enum pgw_conn v);

/* (Re)connect, pin the session, verify the schema, create staging tables.
 * PGW_CONN_OK, or the verdict with err. */
enum pgw_conn pgw_connect(struct pgw *w, char *err, size_t errlen)
	__attribute__((warn_unused_result));
bool pgw_connected(const struct pgw *w);
/* Whether a batch's COMMIT waits for PostgreSQL to flush it (as the
 * server is configured; replays always do). [postgresql]
 * synchronous_commit. */
void pgw_set_sync_commit(struct pgw *w, bool on);
/* Connected, and the server has not ended the session since the last
 * statement (read without waiting). Not while a statement runs. */
bool pgw_alive(struct pgw *w);
void pgw_set_member(struct pgw *w, const char *member_id);

enum pgw_rc {
	PGW_OK,    /* committed */
	PGW_STALE, /* another consumer moved a partition on: nothing written */
	PGW_RETRY, /* connection or server trouble: nothing known written */
};

struct pgw_result {
	size_t stored;      /* rows new to the database */
	size_t duplicates;  /* events the database already had */
	size_t db_rejected; /* quarantined by PostgreSQL's verdict */
	size_t conflicting; /* stored identity, other content: quarantined */
	size_t quarantined; /* quarantined by the decoder */
	size_t lock_retries; /* attempts PostgreSQL rolled back for another
			      * transaction's sake (deadlock), made again */
	double commit_ms;
};

/* Attempts of one batch that lose to another transaction (SQLSTATE 40P01
 * deadlock_detected or 40001 serialization_failure) and are made again at
 * once, before the batch counts as failed (PGW_RETRY: the outage path). */
#define PGW_CONFLICT_RETRIES 5

enum pgw_rc pgw_commit(struct pgw *w, struct batch *b, struct pgw_result *res,
		       char *err, size_t errlen) __attribute__((warn_unused_result));

/* Store a batch of events taken out of quarantine (no offsets: they were
 * consumed long ago) and mark quarantine rows `ids` (a PostgreSQL array
 * literal, e.g. "{3,7}") as replayed, in one transaction. Returns 0, or -1
 * with err. */
int pgw_replay(struct pgw *w, struct batch *b, const char *ids, struct pgw_result *res,
	       char *err, size_t errlen) __attribute__((warn_unused_result));

struct part_offset {
	const char *topic;
	int32_t partition;
	int64_t next_offset; /* out: -1 when nothing is stored */
	int64_t max_time_us; /* out: latest stored event time, INT64_MIN none */
};

/* Read the stored next offsets. 0 or -1 with err. */
int pgw_fetch_offsets(struct pgw *w, struct part_offset *po, size_t n,
		      char *err, size_t errlen) __attribute__((warn_unused_result));

/* The SQLSTATE of the last statement that failed, as PostgreSQL's result
 * carried it ("" when the failure had none, e.g. a lost connection). */
const char *pgw_sqlstate(const struct pgw *w);

#endif
