/*
 * committer: batches on their way to PostgreSQL. Owns the batch being
 * filled, the batch in flight and the writer thread that commits it, and
 * the outage state machine:
 *
 *   RUNNING --commit or connect fails--> PAUSED (partitions paused,
 *   backoff 100 ms, doubling up to the configured maximum)
 *   PAUSED --retry due: commit the kept batch, resume--> RUNNING
 *   PAUSED --retry due: reconnect, forget the uncommitted, resume--> RUNNING
 *   any --stale fence or new connection--> positions re-read from PostgreSQL
 *
 * It reaches PostgreSQL only through a `committer_conn` (pgwriter in the
 * daemon, a fake in tests) and tells the rest of the daemon what happened
 * through `committer_hooks`; it knows neither libpq nor librdkafka.
 * Everything except the writer thread's commit runs on the consume thread.
 */
#ifndef DISCLOSED_COMMITTER_H
#define DISCLOSED_COMMITTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "batch.h"
#include "pgwriter.h"

/* The database side. commit runs on the writer thread; the others on the
 * consume thread while the writer is idle. */
struct committer_conn {
	void *ctx;
	enum pgw_rc (*commit)(void *ctx, struct batch *b, struct pgw_result *res, char *err,
			      size_t errlen);
	bool (*connected)(void *ctx);
	/* Connected and the session not ended by the server since (reads
	 * without waiting); on the consume thread while the writer is idle. */
	bool (*alive)(void *ctx);
	enum pgw_conn (*connect)(void *ctx, char *err, size_t errlen);
	/* The SQLSTATE of the last failure, for the log; NULL or "" when none.
	 * May be NULL. */
	const char *(*sqlstate)(void *ctx);
};

/* What the committer tells the rest of the daemon, on the consume thread. */
struct committer_hooks {
	void *ctx;
	/* The batch went to the writer: its offsets are now pending. */
	void (*submitted)(void *ctx, struct batch *b);
	/* The batch is in PostgreSQL (res: what became of its events). */
	void (*committed)(void *ctx, struct batch *b, const struct pgw_result *res);
	/* Uncommitted messages were forgotten: only the filling batch (its
	 * partitions restart after the batch in flight), or all of them
	 * (every partition restarts at what PostgreSQL holds). */
	void (*dropped)(void *ctx, bool all);
	/* PostgreSQL became unavailable: stop fetching. */
	void (*paused)(void *ctx);
	/* Positions are unknown until read again: after a stale fence
	 * (stale), or a new connection to PostgreSQL. */
	void (*forget)(void *ctx, bool stale);
	/* Learn positions from PostgreSQL and let partitions flow: 0, or -1
	 * with err when PostgreSQL cannot say. */
	int (*resume)(void *ctx, char *err, size_t errlen);
};

struct committer;

/* Copies conn and hooks. backoff_max_ms caps the retry interval. NULL
 * with err when the writer thread cannot start. */
struct committer *committer_new(const struct committer_conn *conn,
				const struct committer_hooks *hooks, size_t batch_size,
				long backoff_max_ms, char *err, size_t errlen);
/* Waits for the writer, stops it, frees the batches. */
void committer_free(struct committer *c);

/* The batch the consume thread appends to. */
struct batch *committer_filling(struct committer *c);
bool committer_paused(const struct committer *c);
bool committer_inflight(const struct committer *c);
/* While paused: when the next attempt is due, and the wait after it. */
double committer_retry_at(const struct committer *c);
double committer_backoff_ms(const struct committer *c);
/* Connection attempts made while paused. */
uint64_t committer_reconnects(const struct committer *c);
/* The batch in flight has been with the writer longer than limit_ms. */
bool committer_stuck(struct committer *c, double now, double limit_ms);
/* Messages consumed and not committed. */
size_t committer_uncommitted(const struct committer *c);

/* PostgreSQL failed (why: logged): pause, or while paused back off further. */
void committer_fail(struct committer *c, const char *why, double now);
/* Take a finished commit's verdict; while paused, try to recover when due.
 * Returns true when running (batches may be submitted). */
bool committer_tick(struct committer *c, double now);
/* While idle (nothing in flight, not paused): a session the server ended
 * is an outage now, not at the next batch, so that positions are read
 * again at once (a crash may have taken batches committed without waiting
 * for the flush). About once a second. */
void committer_check_idle(struct committer *c, double now);
/* Wait for the batch in flight, if any, and take its verdict. */
void committer_settle(struct committer *c);
/* Hand the filling batch to the writer. Requires running, none in flight. */
void committer_submit(struct committer *c, double now);
/* Commit everything consumed and wait (rebalance, stop). True when
 * nothing is left uncommitted. */
bool committer_flush_sync(struct committer *c);
/* Try to recover now (paused only; the shutdown's last attempts). */
void committer_recover(struct committer *c, double now);
/* Forget everything not committed. */
void committer_drop_all(struct committer *c);

#endif
