#include "committer.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "clock.h"
#include "log.h"

#define BACKOFF_FIRST_MS 100.0
/* While PostgreSQL stays down, one line this often says so (with the count
 * of attempts), instead of one line per attempt. */
#define QUIET_LOG_MS 60000.0

/* The writer thread owns the connection while it commits a batch; the
 * consume thread keeps polling and fills the next batch. When the writer
 * is idle the consume thread may use the connection itself (offsets,
 * reconnects): it only does so after writer_wait. */
struct writer {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool started, has_job, quit;
	struct batch *job;
	enum pgw_rc rc;
	struct pgw_result res;
	char err[1024];
};

/* The outage state machine's data: pure, no I/O. */
struct outage {
	bool down;
	double backoff_ms, backoff_max_ms, retry_at;
	double since, logged_at; /* when it started, when it was last logged */
	uint64_t failures, logged_failures; /* attempts failed, as of logged_at */
	char sqlstate[6]; /* of the failure last logged: a new reason is logged at once */
};

struct committer {
	struct committer_conn conn;
	struct committer_hooks h;
	struct writer w;
	struct outage o;
	struct batch *filling;  /* the consume thread appends here */
	struct batch *inflight; /* submitted, or kept for a retry; NULL if none */
	struct batch *spare;
	double submitted_at;
	uint64_t reconnects;
	char err[1024];
};


/* ---- the outage state machine ------------------------------------------ */

/* A failure: returns true when it starts an outage. The next attempt is
 * due after the current backoff, which doubles up to the cap. */
static bool outage_fail(struct outage *o, double now)
{
	bool starts = !o->down;
	if (starts) {
		o->down = true;
		o->backoff_ms = BACKOFF_FIRST_MS;
		o->since = o->logged_at = now;
		o->failures = o->logged_failures = 0;
	}
	o->failures++;
	o->retry_at = now + o->backoff_ms;
	o->backoff_ms *= 2;
	if (o->backoff_ms > o->backoff_max_ms)
		o->backoff_ms = o->backoff_max_ms;
	return starts;
}

static void outage_end(struct outage *o)
{
	o->down = false;
	o->backoff_ms = BACKOFF_FIRST_MS;
	o->sqlstate[0] = '\0';
}

/* ---- the writer thread ------------------------------------------------- */

static void *writer_main(void *arg)
{
	struct committer *c = arg;
	struct writer *w = &c->w;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->has_job && !w->quit)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->quit)
			break;
		struct batch *b = w->job;
		pthread_mutex_unlock(&w->mu);
		enum pgw_rc rc = c->conn.commit(c->conn.ctx, b, &w->res, w->err, sizeof(w->err));
		pthread_mutex_lock(&w->mu);
		w->rc = rc;
		w->has_job = false;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void writer_submit(struct writer *w, struct batch *b)
{
	pthread_mutex_lock(&w->mu);
	w->job = b;
	w->has_job = true;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static bool writer_busy(struct writer *w)
{
	pthread_mutex_lock(&w->mu);
	bool busy = w->has_job;
	pthread_mutex_unlock(&w->mu);
	return busy;
}

static void writer_wait(struct writer *w)
{
	pthread_mutex_lock(&w->mu);
	while (w->has_job)
		pthread_cond_wait(&w->cv, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

/* ---- batches and their outcome ----------------------------------------- */

/* The failures since the outage was last logged, when a minute has passed
 * (it is then logged now); else 0. */
static uint64_t outage_log_due(struct outage *o, double now)
{
	if (now - o->logged_at < QUIET_LOG_MS)
		return 0;
	uint64_t n = o->failures - o->logged_failures;
	o->logged_at = now;
	o->logged_failures = o->failures;
	return n;
}

void committer_fail(struct committer *c, const char *why, double now)
{
	const char *st = c->conn.sqlstate ? c->conn.sqlstate(c->conn.ctx) : NULL;
	struct log_fields f = {.sqlstate = st && *st ? st : NULL};
	uint64_t n;
	bool new_reason = strcmp(c->o.sqlstate, st ? st : "") != 0;
	snprintf(c->o.sqlstate, sizeof(c->o.sqlstate), "%s", st ? st : "");
	if (outage_fail(&c->o, now)) {
		c->o.logged_failures = c->o.failures;
		log_event(LOG_LVL_ERROR, &f, "PostgreSQL unavailable, pausing all partitions "
			  "(trying again every %.0f ms at most, logging once a minute): %s",
			  c->o.backoff_max_ms, why);
		c->h.paused(c->h.ctx);
	} else if (new_reason && f.sqlstate) {
		/* Another reason (a lost connection, then a read-only standby):
		 * said at once, whatever the minute. */
		c->o.logged_at = now;
		c->o.logged_failures = c->o.failures;
		log_event(LOG_LVL_WARN, &f, "PostgreSQL still unavailable after %.0f s, now: %s",
			  (now - c->o.since) / 1000, why);
	} else if ((n = outage_log_due(&c->o, now)) > 0) {
		log_event(LOG_LVL_WARN, &f, "PostgreSQL still unavailable after %.0f s, "
			  "%llu failed attempt(s) since the last line: %s",
			  (now - c->o.since) / 1000, (unsigned long long)n, why);
	}
}

/* Forget the batch being filled: its partitions restart after the batch
 * in flight (or after what PostgreSQL holds). */
static void drop_filling(struct committer *c)
{
	batch_reset(c->filling);
	c->h.dropped(c->h.ctx, false);
}

void committer_drop_all(struct committer *c)
{
	if (c->inflight) {
		batch_reset(c->inflight);
		c->spare = c->inflight;
		c->inflight = NULL;
	}
	batch_reset(c->filling);
	c->h.dropped(c->h.ctx, true);
}

/* A stale batch: forget all that is not committed; every partition
 * learns its offset from PostgreSQL again. Writer idle. */
static void forget_stale(struct committer *c, const char *why)
{
	log_warn("%s", why);
	committer_drop_all(c);
	c->h.forget(c->h.ctx, true);
}

static void after_stale(struct committer *c, const char *why)
{
	forget_stale(c, why);
	if (c->h.resume(c->h.ctx, c->err, sizeof(c->err)))
		committer_fail(c, c->err, now_ms());
}

/* Take the writer's verdict on the batch in flight. Writer idle. */
static void complete(struct committer *c, double now)
{
	struct writer *w = &c->w;
	struct batch *b = c->inflight;
	if (w->rc == PGW_RETRY) {
		/* Keep the batch for the retry; what came after it is read again. */
		drop_filling(c);
		committer_fail(c, w->err, now);
		return;
	}
	if (w->rc == PGW_STALE) {
		after_stale(c, w->err);
		return;
	}
	c->h.committed(c->h.ctx, b, &w->res);
	batch_reset(b);
	c->spare = b;
	c->inflight = NULL;
}

void committer_settle(struct committer *c)
{
	/* While PostgreSQL is down the batch in flight is one kept for a
	 * retry: the writer is idle and its verdict already taken. */
	if (!c->inflight || c->o.down)
		return;
	writer_wait(&c->w);
	complete(c, now_ms());
}

void committer_submit(struct committer *c, double now)
{
	c->h.submitted(c->h.ctx, c->filling);
	c->inflight = c->filling;
	c->filling = c->spare;
	c->spare = NULL;
	c->submitted_at = now;
	writer_submit(&c->w, c->inflight);
}

bool committer_flush_sync(struct committer *c)
{
	committer_settle(c);
	if (c->o.down || c->inflight)
		return false;
	if (batch_messages(c->filling)) {
		committer_submit(c, now_ms());
		committer_settle(c);
	}
	return !c->o.down && !c->inflight && !batch_messages(c->filling);
}

/* While PostgreSQL is down: reconnect (then every position is read
 * again), or commit the kept batch on the connection that stayed, learn
 * the offsets of new partitions, then resume. Writer idle. */
void committer_recover(struct committer *c, double now)
{
	if (!c->o.down)
		return;
	if (!c->conn.connected(c->conn.ctx)) {
		c->reconnects++;
		if (c->conn.connect(c->conn.ctx, c->err, sizeof(c->err)) != PGW_CONN_OK) {
			committer_fail(c, c->err, now);
			return;
		}
		/* A new connection: batches committed without waiting for the
		 * flush may have gone with a crash of the server, their offsets
		 * with them. What PostgreSQL holds is where every partition
		 * starts again; the kept batch is read again too. */
		committer_drop_all(c);
		c->h.forget(c->h.ctx, false);
	}
	if (c->inflight) {
		writer_submit(&c->w, c->inflight);
		writer_wait(&c->w);
		if (c->w.rc == PGW_RETRY) {
			/* Still failing: the batch is kept and the backoff grows. */
			committer_fail(c, c->w.err, now);
			return;
		}
		if (c->w.rc == PGW_STALE)
			forget_stale(c, c->w.err); /* resumed below, once */
		else
			complete(c, now);
	}
	if (c->h.resume(c->h.ctx, c->err, sizeof(c->err))) {
		committer_fail(c, c->err, now);
		return;
	}
	log_notice("PostgreSQL available again, partitions resumed (down %.1f s, %llu failed "
		   "attempt(s))", (now - c->o.since) / 1000, (unsigned long long)c->o.failures);
	outage_end(&c->o);
}

bool committer_tick(struct committer *c, double now)
{
	if (c->inflight && !c->o.down && !writer_busy(&c->w))
		complete(c, now);
	if (c->o.down && now >= c->o.retry_at)
		committer_recover(c, now);
	return !c->o.down;
}

void committer_check_idle(struct committer *c, double now)
{
	if (c->inflight || c->o.down || !c->conn.alive || c->conn.alive(c->conn.ctx))
		return;
	committer_fail(c, "the connection to PostgreSQL was lost while idle", now);
}

/* ---- state ------------------------------------------------------------- */

struct batch *committer_filling(struct committer *c) { return c->filling; }
bool committer_paused(const struct committer *c) { return c->o.down; }
bool committer_inflight(const struct committer *c) { return c->inflight != NULL; }
double committer_retry_at(const struct committer *c) { return c->o.retry_at; }
double committer_backoff_ms(const struct committer *c) { return c->o.backoff_ms; }
uint64_t committer_reconnects(const struct committer *c) { return c->reconnects; }

bool committer_stuck(struct committer *c, double now, double limit_ms)
{
	return c->inflight && writer_busy(&c->w) && now - c->submitted_at > limit_ms;
}

size_t committer_uncommitted(const struct committer *c)
{
	return batch_messages(c->filling) + (c->inflight ? batch_messages(c->inflight) : 0);
}

struct committer *committer_new(const struct committer_conn *conn,
				const struct committer_hooks *hooks, size_t batch_size,
				long backoff_max_ms, char *err, size_t errlen)
{
	struct committer *c = xcalloc(1, sizeof(*c));
	c->conn = *conn;
	c->h = *hooks;
	c->o.backoff_ms = BACKOFF_FIRST_MS;
	c->o.backoff_max_ms = (double)backoff_max_ms;
	c->filling = batch_new(batch_size);
	c->spare = batch_new(batch_size);
	pthread_mutex_init(&c->w.mu, NULL);
	pthread_cond_init(&c->w.cv, NULL);
	if (pthread_create(&c->w.th, NULL, writer_main, c)) {
		snprintf(err, errlen, "cannot start the writer thread");
		committer_free(c);
		return NULL;
	}
	c->w.started = true;
	return c;
}

void committer_free(struct committer *c)
{
	if (!c)
		return;
	if (c->w.started) {
		writer_wait(&c->w);
		pthread_mutex_lock(&c->w.mu);
		c->w.quit = true;
		pthread_cond_broadcast(&c->w.cv);
		pthread_mutex_unlock(&c->w.mu);
		pthread_join(c->w.th, NULL);
	}
	batch_free(c->filling);
	batch_free(c->inflight);
	batch_free(c->spare);
	pthread_mutex_destroy(&c->w.mu);
	pthread_cond_destroy(&c->w.cv);
	free(c);
}
