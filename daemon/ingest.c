#include "ingest.h"

#include <errno.h>
#include <librdkafka/rdkafka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "committer.h"
#include "event.h"
#include "kafkaconf.h"
#include "buf.h"
#include "clock.h"
#include "log.h"
#include "metrics.h"
#include "notify.h"
#include "partitions.h"
#include "pgwriter.h"
#include "reload.h"

#define POLL_MAX_MS 100

/* Counts of the events in one batch, by topic and kind, moved into the
 * committed counters when the batch commits. */
typedef uint64_t batch_counts[METRICS_TOPICS][METRICS_KINDS];

struct ingest {
	struct config *cfg; /* borrowed; SIGHUP swaps its reloadable keys */
	int sigfd;          /* SIGTERM, SIGINT, SIGHUP, read in the loop */
	bool stop;
	rd_kafka_t *rk;
	rd_kafka_topic_t **held; /* one per subscribed topic, see hold_topics */
	struct pgw *pg;
	struct partitions *ps;
	struct committer *cm;
	double batch_started;
	struct {
		uint64_t consumed, quarantined; /* all topics, kinds and reasons */
	} st; /* for the log and STATUS; the rest is in snap */
	struct metrics *metrics;
	struct metrics_snapshot snap; /* the consume thread's own counters */
	batch_counts counts[2];        /* [0] filling, [1] in flight */
	bool ready, kafka_up;
	bool scram_hint; /* SCRAM with a librdkafka Kafka 4.x rejects: say so once */
	double next_publish, last_watchdog;
	uint64_t watchdog_usec;
	struct decode_limits lim;
	unsigned char hmac_key[512];
	/* A message's headers, all of them: grown (never shrunk) when a
	 * message has more than any before, so the common case allocates
	 * nothing. Kafka bounds a message's size, headers included. */
	struct event_header *hdrs;
	size_t hdrs_cap;
	char err[1024];
};


/* ---- the committer's connection: pgwriter ------------------------------ */

static enum pgw_rc conn_commit(void *ctx, struct batch *b, struct pgw_result *res, char *err,
			       size_t errlen)
{
	return pgw_commit(ctx, b, res, err, errlen);
}

static bool conn_connected(void *ctx) { return pgw_connected(ctx); }

static bool conn_alive(void *ctx) { return pgw_alive(ctx); }

static const char *conn_sqlstate(void *ctx) { return pgw_sqlstate(ctx); }

static enum pgw_conn conn_connect(void *ctx, char *err, size_t errlen)
{
	return pgw_connect(ctx, err, errlen);
}

/* ---- what the committer tells the loop ---------------------------------- */

static void on_submitted(void *ctx, struct batch *b)
{
	struct ingest *g = ctx;
	partitions_batch_pending(g->ps, b);
	memcpy(g->counts[1], g->counts[0], sizeof(g->counts[0]));
	memset(g->counts[0], 0, sizeof(g->counts[0]));
}

/* Fold a committed batch into the metrics counters. */
static void record_commit(struct ingest *g, struct batch *b, const struct pgw_result *res)
{
	struct metrics_snapshot *s = &g->snap;
	for (size_t t = 0; t < METRICS_TOPICS; t++)
		for (size_t k = 0; k < METRICS_KINDS; k++)
			s->committed[t][k] += g->counts[1][t][k];
	memset(g->counts[1], 0, sizeof(g->counts[1]));
	s->rows_stored += res->stored;
	s->duplicates += res->duplicates;
	s->db_rejected += res->db_rejected;
	s->conflicting += res->conflicting + batch_conflicts(b);
	s->lock_retries += res->lock_retries;
	size_t n = batch_messages(b), i = 0;
	while (i < METRICS_BATCH_BUCKETS && (double)n > metrics_batch_bounds[i])
		i++;
	s->batch_hist[i]++;
	s->batch_count++;
	s->batch_sum += n;
	double sec = res->commit_ms / 1000;
	for (i = 0; i < METRICS_LATENCY_BUCKETS && sec > metrics_latency_bounds[i];)
		i++;
	s->latency_hist[i]++;
	s->latency_count++;
	s->latency_sum += sec;
	agency_times_merge(&s->agencies, batch_agencies(b));
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	s->last_commit_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void on_committed(void *ctx, struct batch *b, const struct pgw_result *res)
{
	struct ingest *g = ctx;
	size_t np;
	batch_parts(b, &np);
	partitions_batch_committed(g->ps, b);
	g->st.quarantined += res->quarantined + res->db_rejected + res->conflicting;
	record_commit(g, b, res);
	log_debug("batch committed messages=%zu stored=%zu duplicates=%zu quarantined=%zu "
		  "partitions=%zu ms=%.1f", batch_messages(b), res->stored, res->duplicates,
		  res->quarantined + res->db_rejected, np, res->commit_ms);
}

static void on_dropped(void *ctx, bool all)
{
	struct ingest *g = ctx;
	if (all)
		memset(g->counts, 0, sizeof(g->counts));
	else
		memset(g->counts[0], 0, sizeof(g->counts[0]));
	partitions_rewind(g->ps, all);
}

static void on_paused(void *ctx)
{
	struct ingest *g = ctx;
	partitions_pause_all(g->ps);
}

static void on_forget(void *ctx, bool stale)
{
	struct ingest *g = ctx;
	if (stale)
		g->snap.stale_batches++;
	partitions_forget(g->ps);
}

static int on_resume(void *ctx, char *err, size_t errlen)
{
	struct ingest *g = ctx;
	if (partitions_activate(g->ps, g->pg, err, errlen))
		return -1;
	partitions_seek_and_resume(g->ps);
	return 0;
}

/* READY=1 once every assigned partition knows where to start and PostgreSQL
 * is up: at the assignment itself, not at the next housekeeping, and long
 * before a backlog is drained. */
static void check_ready(struct ingest *g)
{
	if (g->ready || committer_paused(g->cm) || !partitions_all_active(g->ps))
		return;
	g->ready = true;
	notify_ready();
	log_notice("ready: connected to PostgreSQL and Kafka, %zu partition(s) assigned",
		   partitions_count(g->ps));
}

/* ---- rebalancing -------------------------------------------------------- */

static void on_assign(struct ingest *g, rd_kafka_topic_partition_list_t *parts, bool coop)
{
	partitions_add(g->ps, parts);
	bool up = !committer_paused(g->cm);
	bool known = up && partitions_activate(g->ps, g->pg, g->err, sizeof(g->err)) == 0;
	if (partitions_assign(g->ps, parts, coop, known))
		return; /* kept for a retry at the next housekeeping */
	if (!known && up)
		committer_fail(g->cm, g->err, now_ms());
	check_ready(g);
}

static void on_revoke(struct ingest *g, rd_kafka_topic_partition_list_t *parts, bool coop)
{
	if (partitions_lost(g->ps)) {
		/* Another member may own them already: committing would only
		 * meet the fence; drop it all and let PostgreSQL tell. */
		log_warn("assignment lost (%d partition(s)): not committing, uncommitted "
			 "messages are dropped and read again by the new owner", parts->cnt);
		committer_drop_all(g->cm);
	} else if (!committer_flush_sync(g->cm)) {
		/* Last chance to commit while we still own these partitions; if
		 * it fails the new owner re-reads from PostgreSQL's offsets. */
		committer_drop_all(g->cm);
	}
	partitions_revoke(g->ps, parts, coop);
}

static void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
			 rd_kafka_topic_partition_list_t *parts, void *opaque)
{
	struct ingest *g = opaque;
	bool coop = partitions_cooperative(rk);
	committer_settle(g->cm); /* the connection is ours again from here */
	char *member = rd_kafka_memberid(rk);
	pgw_set_member(g->pg, member);
	rd_kafka_mem_free(rk, member);
	if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
		on_assign(g, parts, coop);
	} else if (err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS) {
		on_revoke(g, parts, coop);
	} else {
		log_error("rebalance failed: %s", rd_kafka_err2str(err));
		committer_drop_all(g->cm);
		partitions_revoke_all(g->ps);
	}
}

/* Assign again what librdkafka refused, once the writer is idle. */
static void retry_refused(struct ingest *g)
{
	rd_kafka_topic_partition_list_t *l = partitions_take_refused(g->ps);
	if (!l)
		return;
	committer_settle(g->cm);
	on_assign(g, l, partitions_cooperative(g->rk));
	rd_kafka_topic_partition_list_destroy(l);
}

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct ingest *g = opaque;
	(void)rk;
	switch (err) {
	case RD_KAFKA_RESP_ERR__AUTHENTICATION:
	case RD_KAFKA_RESP_ERR__SSL:
		/* Not transient: nothing is consumed until the configuration or
		 * the broker is fixed. librdkafka keeps retrying, and so do we. */
		g->kafka_up = false;
		log_error("kafka %s failed (retrying): %s",
			  err == RD_KAFKA_RESP_ERR__SSL ? "TLS" : "authentication", reason);
		if (err == RD_KAFKA_RESP_ERR__AUTHENTICATION && g->scram_hint) {
			g->scram_hint = false;
			log_error("kafka: if the password is right and the broker runs Kafka "
				  "4.x: this librdkafka (%s) predates 2.6.1, whose SCRAM login "
				  "Kafka 4.x brokers reject as \"invalid credentials\" "
				  "(librdkafka issue 4895); use librdkafka >= 2.6.1 with them",
				  rd_kafka_version_str());
		}
		return;
	case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
		g->kafka_up = false;
		break;
	default:
		break;
	}
	log_warn("kafka error %s: %s", rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
}

static rd_kafka_t *make_consumer(struct ingest *g, char *err, size_t errlen)
{
	rd_kafka_conf_t *conf = kafkaconf_consumer(g->cfg, err, errlen);
	if (!conf)
		return NULL;
	rd_kafka_conf_set_opaque(conf, g);
	rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
	rd_kafka_conf_set_log_cb(conf, kafkaconf_log_cb);
	rd_kafka_conf_set_error_cb(conf, error_cb);
	rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, errlen);
	if (!rk) {
		rd_kafka_conf_destroy(conf); /* rd_kafka_new frees conf only on success */
		return NULL;
	}
	rd_kafka_poll_set_consumer(rk);
	return rk;
}

/* A handle on every subscribed topic from the start: librdkafka then asks
 * for their metadata at once, and at the assignment each partition already
 * knows its leader, so its offset query and first fetch go out at once.
 * Without them the partitions of a new assignment have no leader yet and
 * wait for librdkafka's next try, about 500 ms later (debug=topic: "no
 * current leader for partition"). */
static void hold_topics(struct ingest *g)
{
	g->held = xcalloc(g->cfg->ntopics, sizeof(*g->held));
	for (size_t i = 0; i < g->cfg->ntopics; i++)
		g->held[i] = rd_kafka_topic_new(g->rk, g->cfg->topics[i], NULL);
}

static void release_topics(struct ingest *g)
{
	for (size_t i = 0; g->held && i < g->cfg->ntopics; i++)
		if (g->held[i])
			rd_kafka_topic_destroy(g->held[i]);
	free(g->held);
	g->held = NULL;
}

struct ingest *ingest_new(struct config *cfg, const char *conninfo,
			  int sigfd, char *err, size_t errlen)
{
	struct ingest *g = xcalloc(1, sizeof(*g));
	g->cfg = cfg;
	g->sigfd = sigfd;
	g->kafka_up = true;
	g->scram_hint = kafkaconf_scram_outdated(cfg);
	g->watchdog_usec = notify_watchdog_usec();
	g->metrics = metrics_new(cfg->topics, cfg->ntopics);
	if (metrics_listen(g->metrics, cfg->metrics_listen, err, errlen)) {
		metrics_free(g->metrics);
		free(g);
		return NULL;
	}
	decode_limits_init(&g->lim, (size_t)cfg->max_event_bytes);
	size_t keylen = 0;
	if (config_hmac_key(cfg, g->hmac_key, sizeof(g->hmac_key), &keylen) == 0)
		decode_limits_set_key(&g->lim, g->hmac_key, keylen);
	g->pg = pgw_new(conninfo, cfg->group_id);
	pgw_set_sync_commit(g->pg, cfg->pg_synchronous_commit);
	g->rk = make_consumer(g, err, errlen);
	if (!g->rk) {
		ingest_free(g);
		return NULL;
	}
	hold_topics(g);
	g->ps = partitions_new(g->rk, cfg->topics, cfg->ntopics);
	struct committer_conn conn = {g->pg, conn_commit, conn_connected, conn_alive,
				      conn_connect, conn_sqlstate};
	struct committer_hooks hooks = {g, on_submitted, on_committed, on_dropped,
					on_paused, on_forget, on_resume};
	g->cm = committer_new(&conn, &hooks, (size_t)cfg->batch_size,
			      cfg->retry_backoff_max_ms, err, errlen);
	if (!g->cm) {
		ingest_free(g);
		return NULL;
	}
	return g;
}

static size_t collect_headers(struct ingest *g, rd_kafka_message_t *m)
{
	rd_kafka_headers_t *h = NULL;
	if (rd_kafka_message_headers(m, &h) != RD_KAFKA_RESP_ERR_NO_ERROR)
		return 0;
	size_t n = rd_kafka_header_cnt(h);
	if (n > g->hdrs_cap) {
		size_t cap = g->hdrs_cap ? g->hdrs_cap : 64;
		while (cap < n)
			cap *= 2;
		struct event_header *p = realloc(g->hdrs, cap * sizeof(*p));
		if (!p)
			abort(); /* as buf_reserve: no safe way on */
		g->hdrs = p;
		g->hdrs_cap = cap;
	}
	const char *name;
	const void *val;
	size_t size;
	for (size_t i = 0; i < n; i++) {
		if (rd_kafka_header_get_all(h, i, &name, &val, &size) != RD_KAFKA_RESP_ERR_NO_ERROR)
			return i;
		g->hdrs[i] = (struct event_header){name, val, size};
	}
	return n;
}

static void handle(struct ingest *g, rd_kafka_message_t *m)
{
	const char *topic = rd_kafka_topic_name(m->rkt);
	struct assigned *a = partitions_find(g->ps, topic, m->partition);
	struct batch *b = committer_filling(g->cm);
	/* Not ours, not positioned yet, paused for an outage, or redelivered
	 * after a seek: it will be (or was) read again from the right place. */
	if (!a || !a->active || committer_paused(g->cm) || (a->next >= 0 && m->offset < a->next))
		return;
	if (a->first && a->next >= 0 && m->offset > a->next)
		log_event(LOG_LVL_WARN, &(struct log_fields){.lineage = true, .topic = topic,
			  .partition = m->partition, .offset = m->offset},
			  "offsets missing topic=%s partition=%d expected=%lld got=%lld "
			  "(retention or compaction removed them)", topic, m->partition,
			  (long long)a->next, (long long)m->offset);
	a->first = false;
	a->next = m->offset + 1;
	g->kafka_up = true;
	int ti = a->topic_idx >= 0 ? a->topic_idx : 0;

	struct batch_msg bm = {
		.lin = {a->topic, a->topic_len, m->partition, m->offset},
		.key = m->key, .key_len = m->key_len,
		.nheaders = collect_headers(g, m),
		.payload = m->payload, .len = m->len,
	};
	bm.headers = g->hdrs; /* after collect_headers: it may move them */
	struct event_input in = {m->payload, m->len, bm.headers, bm.nheaders};
	struct decoded d;
	struct decode_error e;
	int64_t t = INT64_MIN;
	if (batch_messages(b) == 0)
		g->batch_started = now_ms();
	if (event_decode(&in, &g->lim, &d, &e) == 0) {
		size_t k = d.kind_idx;
		t = d.time_us;
		size_t conflicts = batch_conflicts(b);
		batch_add_event(b, &bm, &d);
		if (batch_conflicts(b) != conflicts)
			log_event(LOG_LVL_WARN, &(struct log_fields){.lineage = true, .topic = topic,
				  .partition = m->partition, .offset = m->offset,
				  .reason = "conflicting_duplicate"},
				  "event quarantined topic=%s partition=%d offset=%lld "
				  "reason=conflicting_duplicate: same source and id as an event earlier "
				  "in this batch, other content", topic, m->partition,
				  (long long)m->offset);
		decoded_release(&d);
		g->snap.consumed[ti][k]++;
		g->counts[0][ti][k]++;
	} else {
		g->snap.consumed[ti][METRICS_KINDS - 1]++;
		g->snap.quarantined[ti][e.reason < METRICS_REASONS ? e.reason : 0]++;
		struct log_fields f = {.lineage = true, .topic = topic, .partition = m->partition,
				       .offset = m->offset, .reason = reason_code(e.reason)};
		log_event(LOG_LVL_WARN, &f, "event quarantined topic=%s partition=%d offset=%lld "
			  "reason=%s: %s", topic, m->partition, (long long)m->offset,
			  reason_code(e.reason), e.message);
		batch_add_quarantine(b, &bm, &e);
		decode_error_release(&e);
	}
	/* The fence expects the offset the batch before this one ends at. */
	batch_note_offset(b, a->topic, m->partition, m->offset, a->pending, t);
	g->st.consumed++;
}

static bool batch_full(struct ingest *g)
{
	struct batch *b = committer_filling(g->cm);
	return batch_messages(b) >= (size_t)g->cfg->batch_size ||
	       batch_bytes(b) >= (size_t)g->cfg->max_batch_bytes;
}

static bool batch_due(struct ingest *g, double now)
{
	return batch_messages(committer_filling(g->cm)) &&
	       (batch_full(g) ||
		now - g->batch_started >= (double)g->cfg->flush_interval_ms);
}

static void read_signals(struct ingest *g)
{
	struct signalfd_siginfo si;
	while (g->sigfd >= 0 && read(g->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			reload_config(g->cfg);
		} else if (!g->stop) {
			log_notice("received %s, stopping", strsignal((int)si.ssi_signo));
			g->stop = true;
		}
	}
}

/* About once a second: metrics, STATUS, READY, the watchdog, refused
 * assignments. */
static void housekeeping(struct ingest *g, double now)
{
	struct metrics_snapshot *s = &g->snap;
	bool paused = committer_paused(g->cm);
	long long lag = partitions_snapshot(g->ps, s);
	size_t nparts = partitions_count(g->ps);
	s->reconnects = committer_reconnects(g->cm);
	s->pg_connected = !paused;
	s->paused = paused;
	s->kafka_up = g->kafka_up;
	s->stopping = g->stop;
	metrics_publish(g->metrics, s);
	check_ready(g);
	notify_status("%s consumed=%llu stored=%llu duplicates=%llu quarantined=%llu "
		      "partitions=%zu lag=%lld", paused ? "PAUSED (PostgreSQL unavailable)" : "running",
		      (unsigned long long)g->st.consumed, (unsigned long long)g->snap.rows_stored,
		      (unsigned long long)g->snap.duplicates, (unsigned long long)g->st.quarantined,
		      nparts, lag < 0 ? 0 : lag);
	g->next_publish = now + 1000;
	if (!g->stop) {
		committer_check_idle(g->cm, now);
		retry_refused(g);
	}
}

/* The watchdog is fed while the loop turns and the writer is not stuck: a
 * commit running longer than half the interval stops the pings. */
static void feed_watchdog(struct ingest *g, double now)
{
	double interval = (double)g->watchdog_usec / 1000;
	if (!g->watchdog_usec || now - g->last_watchdog < interval / 4)
		return;
	if (committer_stuck(g->cm, now, interval / 2))
		return;
	notify_watchdog();
	g->last_watchdog = now;
}

/* Per-iteration housekeeping: take finished commits, retry after an
 * outage, and hand a due batch to the writer. A full batch waits for the
 * writer (bounded by one commit); a merely old one keeps filling. */
static void before_poll(struct ingest *g)
{
	double now = now_ms();
	read_signals(g);
	if (now >= g->next_publish)
		housekeeping(g, now);
	feed_watchdog(g, now);
	if (!committer_tick(g->cm, now_ms()))
		return;
	if (!batch_due(g, now_ms()))
		return;
	if (committer_inflight(g->cm) && batch_full(g))
		committer_settle(g->cm);
	if (!committer_inflight(g->cm) && !committer_paused(g->cm))
		committer_submit(g->cm, now_ms());
}

static int poll_timeout(struct ingest *g, double now)
{
	double t = POLL_MAX_MS;
	if (committer_paused(g->cm))
		t = committer_retry_at(g->cm) - now;
	else if (batch_messages(committer_filling(g->cm)))
		t = g->batch_started + (double)g->cfg->flush_interval_ms - now;
	if (committer_inflight(g->cm) && t > 5)
		t = 5; /* look for the writer's verdict soon */
	if (t > POLL_MAX_MS)
		t = POLL_MAX_MS;
	return t < 0 ? 0 : (int)t;
}

static void shutdown_flush(struct ingest *g)
{
	double deadline = now_ms() + (double)g->cfg->shutdown_timeout_ms;
	for (;;) {
		if (!committer_paused(g->cm) && committer_flush_sync(g->cm))
			return;
		if (now_ms() >= deadline)
			break;
		double wait = committer_retry_at(g->cm) - now_ms();
		if (wait > deadline - now_ms())
			wait = deadline - now_ms();
		if (wait > 0) {
			struct timespec ts = {(time_t)(wait / 1000),
					      (long)((long long)wait % 1000) * 1000000L};
			nanosleep(&ts, NULL);
		}
		committer_recover(g->cm, now_ms());
	}
	size_t left = committer_uncommitted(g->cm);
	if (left) {
		log_warn("stopping with %zu uncommitted message(s): PostgreSQL did not "
			 "answer within %ld ms; they will be read again at the next start",
			 left, g->cfg->shutdown_timeout_ms);
		committer_drop_all(g->cm);
	}
}

int ingest_run(struct ingest *g)
{
	rd_kafka_topic_partition_list_t *subs =
		rd_kafka_topic_partition_list_new((int)g->cfg->ntopics);
	for (size_t i = 0; i < g->cfg->ntopics; i++)
		rd_kafka_topic_partition_list_add(subs, g->cfg->topics[i], RD_KAFKA_PARTITION_UA);
	/* Subscribe first: librdkafka joins the group on its own threads
	 * while PostgreSQL connects; the assignment waits for our first poll,
	 * by which time the connection is there (or known to be down). */
	rd_kafka_resp_err_t e = rd_kafka_subscribe(g->rk, subs);
	rd_kafka_topic_partition_list_destroy(subs);
	if (e) {
		log_error("subscribing failed: %s", rd_kafka_err2str(e));
		return -1;
	}
	enum pgw_conn cv = pgw_connect(g->pg, g->err, sizeof(g->err));
	if (cv != PGW_CONN_OK) {
		/* A wrong schema will not fix itself; an unreachable server may. */
		if (pgw_conn_needs_operator(cv)) {
			log_error("%s", g->err);
			return -1;
		}
		committer_fail(g->cm, g->err, now_ms());
	}
	char inst[512] = "";
	size_t isz = sizeof(inst);
	if (rd_kafka_conf_get(rd_kafka_conf(g->rk), "group.instance.id", inst, &isz) !=
	    RD_KAFKA_CONF_OK)
		inst[0] = '\0';
	log_notice("ingest started group=%s%s%s topics=%zu batch_size=%ld flush_interval_ms=%ld",
		   g->cfg->group_id, *inst ? " instance=" : "", inst, g->cfg->ntopics,
		   g->cfg->batch_size, g->cfg->flush_interval_ms);
	while (!g->stop) {
		before_poll(g);
		rd_kafka_message_t *m = rd_kafka_consumer_poll(g->rk, poll_timeout(g, now_ms()));
		if (!m)
			continue;
		if (m->err)
			log_warn("kafka consume error topic=%s partition=%d: %s",
				 m->rkt ? rd_kafka_topic_name(m->rkt) : "-", m->partition,
				 rd_kafka_message_errstr(m));
		else
			handle(g, m);
		rd_kafka_message_destroy(m);
	}
	log_notice("stopping: committing the batch in flight");
	notify_stopping();
	housekeeping(g, now_ms());
	shutdown_flush(g);
	rd_kafka_consumer_close(g->rk);
	log_notice("stopped consumed=%llu stored=%llu duplicates=%llu quarantined=%llu",
		   (unsigned long long)g->st.consumed, (unsigned long long)g->snap.rows_stored,
		   (unsigned long long)g->snap.duplicates, (unsigned long long)g->st.quarantined);
	return 0;
}



void ingest_free(struct ingest *g)
{
	if (!g)
		return;
	/* Kafka first: closing may still call rebalance_cb, which uses the
	 * committer and the partitions. */
	release_topics(g);
	if (g->rk)
		rd_kafka_destroy(g->rk);
	committer_free(g->cm); /* stops the writer before the connection goes */
	partitions_free(g->ps);
	pgw_free(g->pg);
	metrics_free(g->metrics);
	free(g->hdrs);
	decode_limits_free(&g->lim);
	free(g);
}
