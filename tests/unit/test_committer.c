/* committer: the outage and backoff state machine, driven through a fake
 * connection whose answers each test scripts, with the hooks recording
 * what the committer told the rest of the daemon. The writer thread is
 * the real one. */
#include "testutil.h"

#include <unistd.h>

#include "batch.h"
#include "committer.h"

#define BACKOFF_MAX 1000
#define TIME_SLACK_MS 0.001

static const char TOPIC[] = "disclosure.complaints";

struct fake {
	/* scripted answers */
	enum pgw_rc commit_rc;
	size_t rejected; /* events PostgreSQL refused (bisected and quarantined) */
	bool connected;
	enum pgw_conn connect_rc;
	int resume_rc;
	/* what happened */
	int commits, connects, submitted, committed, dropped_filling, dropped_all, paused,
	    stale, forgot, resumed;
	struct pgw_result last;
};

static enum pgw_rc f_commit(void *ctx, struct batch *b, struct pgw_result *res, char *err,
			    size_t errlen)
{
	struct fake *f = ctx;
	f->commits++;
	memset(res, 0, sizeof(*res));
	if (f->commit_rc == PGW_OK) {
		res->db_rejected = f->rejected;
		res->stored = batch_messages(b) - f->rejected;
	}
	snprintf(err, errlen, "fake commit verdict %d", (int)f->commit_rc);
	return f->commit_rc;
}

static bool f_connected(void *ctx) { return ((struct fake *)ctx)->connected; }

static enum pgw_conn f_connect(void *ctx, char *err, size_t errlen)
{
	struct fake *f = ctx;
	f->connects++;
	snprintf(err, errlen, "fake connect verdict %d", (int)f->connect_rc);
	f->connected = f->connect_rc == PGW_CONN_OK;
	return f->connect_rc;
}

static void h_submitted(void *ctx, struct batch *b)
{
	(void)b;
	((struct fake *)ctx)->submitted++;
}

static void h_committed(void *ctx, struct batch *b, const struct pgw_result *res)
{
	struct fake *f = ctx;
	(void)b;
	f->committed++;
	f->last = *res;
}

static void h_dropped(void *ctx, bool all)
{
	struct fake *f = ctx;
	if (all)
		f->dropped_all++;
	else
		f->dropped_filling++;
}

static void h_paused(void *ctx) { ((struct fake *)ctx)->paused++; }
static void h_forget(void *ctx, bool stale)
{
	struct fake *f = ctx;
	f->forgot++;
	f->stale += stale;
}

static int h_resume(void *ctx, char *err, size_t errlen)
{
	struct fake *f = ctx;
	f->resumed++;
	snprintf(err, errlen, "fake resume %d", f->resume_rc);
	return f->resume_rc;
}

/* The committer keeps f and reads it on every call: cppcheck does not see
 * that, so the tests' f.* assignments before a call are suppressed. */
static struct committer *new_committer(struct fake *f)
{
	char err[256];
	*f = (struct fake){.commit_rc = PGW_OK, .connected = true, .connect_rc = PGW_CONN_OK};
	struct committer_conn conn = {f, f_commit, f_connected, f_connected, f_connect, NULL};
	struct committer_hooks hooks = {f, h_submitted, h_committed, h_dropped, h_paused,
					h_forget, h_resume};
	struct committer *c = committer_new(&conn, &hooks, 16, BACKOFF_MAX, err, sizeof(err));
	assert_non_null(c);
	return c;
}

/* n messages on partition 0 from offset `from`, as the loop adds them. */
static void consume(struct committer *c, int64_t from, size_t n)
{
	struct batch *b = committer_filling(c);
	for (size_t i = 0; i < n; i++) {
		struct decode_error e = {.reason = REASON_BAD_JSON};
		struct batch_msg m = {.lin = {TOPIC, sizeof(TOPIC) - 1, 0, from + (int64_t)i},
				      .payload = "x", .len = 1};
		snprintf(e.message, sizeof(e.message), "not JSON");
		batch_add_quarantine(b, &m, &e);
		batch_note_offset(b, TOPIC, 0, from + (int64_t)i, from, INT64_MIN);
	}
}

/* Submit the filling batch and wait for its verdict. */
static void commit_now(struct committer *c)
{
	committer_submit(c, 0);
	committer_settle(c);
}

/* n messages from offset 0 whose commit fails transiently: paused, the
 * batch kept in flight for the retry. */
static void fail_first_commit(struct committer *c, struct fake *f, size_t n)
{
	consume(c, 0, n);
	f->commit_rc = PGW_RETRY;
	commit_now(c);
}

/* Each test runs on a fresh committer over a fresh fake, freed after it
 * whether it passed or not. */
struct rig {
	struct fake f;
	struct committer *c;
};

static int rig_up(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));
	if (!r)
		return -1;
	r->c = new_committer(&r->f);
	*state = r;
	return 0;
}

static int rig_down(void **state)
{
	struct rig *r = *state;
	committer_free(r->c);
	free(r);
	return 0;
}

/* A test body given the rig's fake and committer. */
#define RIG_TEST(name)                                                       \
	static void name##_on(struct fake *f, struct committer *c);          \
	static void name(void **state)                                       \
	{                                                                    \
		struct rig *r = *state;                                      \
		name##_on(&r->f, r->c);                                      \
	}                                                                    \
	static void name##_on(struct fake *f, struct committer *c)
#define RIG_UNIT(name) cmocka_unit_test_setup_teardown(name, rig_up, rig_down)

RIG_TEST(commit_ok)
{
	consume(c, 0, 3);
	commit_now(c);
	assert_int_equal(f->commits, 1);
	assert_int_equal(f->submitted, 1);
	assert_int_equal(f->committed, 1);
	assert_int_equal(f->last.stored, 3);
	assert_false(committer_paused(c));
	assert_false(committer_inflight(c));
	assert_int_equal(committer_uncommitted(c), 0);
	assert_int_equal(f->paused + f->dropped_filling + f->dropped_all + f->stale, 0);
}

/* A transient failure pauses once; every further failure doubles the wait
 * up to the cap, the kept batch stays in flight. */
RIG_TEST(transient_failure_pauses_and_backs_off)
{
	fail_first_commit(c, f, 2);
	assert_true(committer_paused(c));
	assert_int_equal(f->paused, 1);
	assert_int_equal(f->dropped_filling, 1); /* what came after is read again */
	assert_int_equal(f->committed, 0);
	assert_true(committer_inflight(c)); /* kept for the retry */
	assert_int_equal(committer_uncommitted(c), 2);
	assert_true(committer_backoff_ms(c) == 200);

	/* Not due yet: nothing is tried. */
	double now = committer_retry_at(c) - 1;
	assert_false(committer_tick(c, now));
	assert_int_equal(f->commits, 1);
	assert_int_equal(f->connects, 0);

	/* The server is gone: each attempt fails to connect. */
	f->connected = false;
	f->connect_rc = PGW_CONN_UNREACHABLE;
	const double waits[] = {200, 400, 800, 1000, 1000};
	for (size_t i = 0; i < sizeof(waits) / sizeof(waits[0]); i++) {
		now = committer_retry_at(c);
		assert_false(committer_tick(c, now));
		assert_true(committer_retry_at(c) == now + waits[i]);
	}
	assert_true(committer_backoff_ms(c) == BACKOFF_MAX);
	assert_int_equal(f->connects, 5);
	assert_int_equal(committer_reconnects(c), 5);
	assert_int_equal(f->paused, 1); /* paused once, not at every attempt */
	assert_int_equal(f->commits, 1);
	assert_int_equal(f->resumed, 0);
}

/* Back on a new connection: what was not committed is forgotten (the
 * kept batch too: batches committed before the outage without waiting for
 * the flush may be gone with the server), every position is read again,
 * partitions resume and the backoff starts over. */
RIG_TEST(recovery_resumes)
{
	fail_first_commit(c, f, 4);
	f->connected = false;
	f->connect_rc = PGW_CONN_UNREACHABLE;
	assert_false(committer_tick(c, committer_retry_at(c)));
	assert_true(committer_backoff_ms(c) == 400);

	/* cppcheck-suppress redundantAssignment ; the committer reads f */
	f->connect_rc = PGW_CONN_OK;
	/* cppcheck-suppress redundantAssignment ; the committer reads f */
	f->commit_rc = PGW_OK;
	assert_true(committer_tick(c, committer_retry_at(c)));
	assert_false(committer_paused(c));
	assert_int_equal(f->connects, 2);
	assert_int_equal(f->commits, 1); /* the kept batch is read again, not retried */
	assert_int_equal(f->committed, 0);
	assert_int_equal(f->dropped_all, 1);
	assert_int_equal(f->forgot, 1);
	assert_int_equal(f->stale, 0); /* not counted as a stale batch */
	assert_int_equal(f->resumed, 1);
	assert_false(committer_inflight(c));
	assert_int_equal(committer_uncommitted(c), 0);
	assert_true(committer_backoff_ms(c) == 100);

	/* Later outages start from the first step again. */
	consume(c, 4, 1);
	/* cppcheck-suppress redundantAssignment ; the committer reads f */
	f->commit_rc = PGW_RETRY;
	commit_now(c);
	assert_int_equal(f->paused, 2);
	assert_true(committer_backoff_ms(c) == 200);
}

/* Lines written to stderr (the log) while fn runs. */
static int log_lines(void (*fn)(void *), void *arg)
{
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	FILE *t = tmpfile();
	assert_non_null(t);
	dup2(fileno(t), STDERR_FILENO);
	fn(arg);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(t);
	int n = 0, ch;
	while ((ch = fgetc(t)) != EOF)
		n += ch == '\n';
	fclose(t);
	return n;
}

struct long_outage {
	struct committer *c;
	struct fake *f;
	double back_at, resumed_at, longest_wait;
};

/* Three minutes down, then back: attempts keep coming at most a second
 * apart, so the daemon resumes within a second of PostgreSQL's return. */
static void run_long_outage(void *arg)
{
	struct long_outage *o = arg;
	struct committer *c = o->c;
	consume(c, 0, 3);
	o->f->commit_rc = PGW_RETRY;
	committer_submit(c, 0);
	committer_settle(c); /* fails now: paused, first retry in 100 ms */
	o->f->connected = false;
	o->f->connect_rc = PGW_CONN_UNREACHABLE;
	double now = committer_retry_at(c) - 100;
	o->back_at += now;
	while (committer_paused(c)) {
		double next = committer_retry_at(c);
		if (next - now > o->longest_wait)
			o->longest_wait = next - now;
		now = next;
		if (now >= o->back_at) {
			o->f->connect_rc = PGW_CONN_OK;
			o->f->commit_rc = PGW_OK;
		}
		if (committer_tick(c, now))
			o->resumed_at = now;
	}
	o->resumed_at -= o->back_at;
}

RIG_TEST(long_outage_quiet_and_prompt)
{
	struct long_outage o = {c, f, 180000.5, -1, 0};
	int lines = log_lines(run_long_outage, &o);
	/* The times are the monotonic clock's fractional milliseconds plus
	 * the waits: their sums round in the last bits, hence the slack. */
	assert_true(o.resumed_at >= 0); /* after the return, by at most a wait */
	assert_true(o.resumed_at <= BACKOFF_MAX + TIME_SLACK_MS);
	assert_true(o.longest_wait <= BACKOFF_MAX + TIME_SLACK_MS);
	assert_true(f->connects > 170); /* tried about every second */
	assert_int_equal(f->forgot, 1); /* positions read again once back */
	assert_int_equal(f->resumed, 1);
	assert_int_equal(f->paused, 1);
	/* Paused, still down after 1 and 2 minutes, available again. */
	assert_int_equal(lines, 4);
}

/* The connection stayed (the server refused the commit): the kept batch
 * is committed, nothing is forgotten. Then positions cannot be read:
 * still paused. */
RIG_TEST(resume_failure_stays_paused)
{
	fail_first_commit(c, f, 1);
	/* cppcheck-suppress redundantAssignment ; the committer reads f */
	f->commit_rc = PGW_OK;
	f->resume_rc = -1;
	assert_false(committer_tick(c, committer_retry_at(c)));
	assert_true(committer_paused(c));
	assert_int_equal(f->committed, 1); /* the kept batch did commit */
	assert_int_equal(f->forgot, 0);
	assert_true(committer_backoff_ms(c) == 400);
	/* cppcheck-suppress redundantAssignment ; the committer reads f */
	f->resume_rc = 0;
	assert_true(committer_tick(c, committer_retry_at(c)));
	assert_int_equal(f->resumed, 2);
}

/* Rows PostgreSQL refuses are bisected out and quarantined by the writer:
 * the batch commits and the committer runs on. */
RIG_TEST(data_error_commits_with_rejects)
{
	consume(c, 0, 5);
	f->rejected = 2;
	commit_now(c);
	assert_false(committer_paused(c));
	assert_int_equal(f->committed, 1);
	assert_int_equal(f->last.db_rejected, 2);
	assert_int_equal(f->last.stored, 3);
	assert_int_equal(f->paused, 0);
}

/* A stale fence drops everything uncommitted and positions are read from
 * PostgreSQL again; no outage. */
RIG_TEST(stale_fence_rereads)
{
	consume(c, 0, 3);
	f->commit_rc = PGW_STALE;
	commit_now(c);
	assert_int_equal(f->stale, 1);
	assert_int_equal(f->dropped_all, 1);
	assert_int_equal(f->resumed, 1);
	assert_int_equal(f->committed, 0);
	assert_false(committer_paused(c));
	assert_false(committer_inflight(c));
	assert_int_equal(committer_uncommitted(c), 0);

	/* When PostgreSQL cannot say where to start, that is an outage. */
	consume(c, 0, 1);
	f->resume_rc = -1;
	commit_now(c);
	assert_int_equal(f->stale, 2);
	assert_true(committer_paused(c));
	assert_int_equal(f->paused, 1);
}

/* The kept batch turns out stale on the retry: dropped, resumed once. */
RIG_TEST(stale_on_recovery)
{
	fail_first_commit(c, f, 2);
	/* cppcheck-suppress redundantAssignment ; the committer reads f */
	f->commit_rc = PGW_STALE;
	assert_true(committer_tick(c, committer_retry_at(c)));
	assert_int_equal(f->stale, 1);
	assert_int_equal(f->resumed, 1);
	assert_int_equal(f->committed, 0);
	assert_false(committer_inflight(c));
}

/* The server ends the session while nothing is in flight (a crash): an
 * outage at once, not at the next batch; once back, every position is
 * read again, since the crash may have taken committed batches. */
RIG_TEST(idle_loss_rereads)
{
	consume(c, 0, 2);
	commit_now(c);
	assert_int_equal(f->committed, 1);
	committer_check_idle(c, 0);
	assert_false(committer_paused(c)); /* still there: nothing happens */
	assert_int_equal(f->forgot, 0);
	f->connected = false;
	committer_check_idle(c, 0);
	assert_true(committer_paused(c));
	assert_int_equal(f->paused, 1);
	assert_true(committer_tick(c, committer_retry_at(c)));
	assert_int_equal(f->connects, 1);
	assert_int_equal(f->forgot, 1);
	assert_int_equal(f->stale, 0);
	assert_int_equal(f->resumed, 1);
	assert_int_equal(f->commits, 1);
}

/* Rebalance and stop: flush commits what is consumed, or says it could not. */
RIG_TEST(flush_sync)
{
	consume(c, 0, 2);
	assert_true(committer_flush_sync(c));
	assert_int_equal(f->committed, 1);
	consume(c, 2, 2);
	f->commit_rc = PGW_RETRY;
	assert_false(committer_flush_sync(c));
	assert_true(committer_paused(c));
	committer_drop_all(c);
	assert_int_equal(committer_uncommitted(c), 0);
	assert_int_equal(f->dropped_all, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		RIG_UNIT(commit_ok),
		RIG_UNIT(transient_failure_pauses_and_backs_off),
		RIG_UNIT(recovery_resumes),
		RIG_UNIT(resume_failure_stays_paused),
		RIG_UNIT(long_outage_quiet_and_prompt),
		RIG_UNIT(data_error_commits_with_rejects),
		RIG_UNIT(stale_fence_rereads),
		RIG_UNIT(stale_on_recovery),
		RIG_UNIT(idle_loss_rereads),
		RIG_UNIT(flush_sync),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
