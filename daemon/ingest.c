#include "ingest.h"

#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event.h"
#include "batch.h"
#include "kafkaconf.h"
#include "log.h"
#include "metrics.h"
#include "notify.h"
#include "pgwriter.h"

#include <errno.h>
#include <sys/signalfd.h>
#include <unistd.h>

#define MAX_HEADERS 64
#define POLL_MAX_MS 100

/* One assigned partition. */
struct assigned {
	char *topic;
	size_t topic_len;
	int32_t partition;
	int topic_idx;     /* in [topics] subscribe, for metrics; -1 if not listed */
	bool active;       /* start offset known from PostgreSQL */
	bool first;        /* nothing received since (re)positioning */
	int64_t committed; /* next offset stored in PostgreSQL; -1 none */
	int64_t pending;   /* after the batch in flight, if any; else committed */
	int64_t next;      /* next offset to add to the batch; -1 from start */
};

/* The writer thread owns the PostgreSQL connection while it commits a
 * batch; the consume thread keeps polling and fills the next batch. When
 * the writer is idle the consume thread may use the connection itself
 * (offsets on assignment, reconnects): it only does so after writer_wait. */
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

/* Counts of the events in one batch, by topic and kind, moved into the
 * committed counters when the batch commits. */
typedef uint64_t batch_counts[METRICS_TOPICS][METRICS_KINDS];

struct ingest {
	const struct config *cfg;
	int sigfd;         /* SIGTERM, SIGINT, SIGHUP, read in the loop */
	bool stop;
	rd_kafka_t *rk;
	struct pgw *pg;
	struct batch *filling;  /* the consume thread appends here */
	struct batch *inflight; /* submitted, or kept for a retry; NULL if none */
	struct batch *spare;
	struct writer w;
	struct assigned *as;
	size_t nas, ascap;
	bool pg_down;
	double retry_at, backoff_ms, batch_started;
	struct {
		uint64_t consumed, quarantined; /* all topics, kinds and reasons */
	} st; /* for the log and STATUS; the rest is in snap */
	struct metrics *metrics;
	struct metrics_snapshot snap; /* the consume thread's own counters */
	batch_counts counts[2];        /* [0] filling, [1] in flight */
	bool ready, kafka_up;
	bool scram_hint; /* SCRAM with a librdkafka Kafka 4.x rejects: say so once */
	double next_publish, last_watchdog, submitted_at;
	uint64_t watchdog_usec;
	struct decode_limits lim;
	unsigned char hmac_key[512];
	struct event_header hdrs[MAX_HEADERS];
	char err[1024];
};

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static struct assigned *find_assigned(struct ingest *g, const char *topic, int32_t p)
{
	for (size_t i = 0; i < g->nas; i++)
		if (g->as[i].partition == p && strcmp(g->as[i].topic, topic) == 0)
			return &g->as[i];
	return NULL;
}

static rd_kafka_topic_partition_list_t *assigned_list(struct ingest *g, bool only_active,
						      bool with_next)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new((int)g->nas + 1);
	for (size_t i = 0; i < g->nas; i++) {
		struct assigned *a = &g->as[i];
		if (only_active && !a->active)
			continue;
		rd_kafka_topic_partition_t *tp =
			rd_kafka_topic_partition_list_add(l, a->topic, a->partition);
		if (with_next)
			tp->offset = a->next >= 0 ? a->next : RD_KAFKA_OFFSET_BEGINNING;
	}
	return l;
}

static void pause_all(struct ingest *g)
{
	rd_kafka_topic_partition_list_t *l = assigned_list(g, false, false);
	if (l->cnt)
		rd_kafka_pause_partitions(g->rk, l);
	rd_kafka_topic_partition_list_destroy(l);
}

/* Reposition every active partition at the first offset not yet in
 * PostgreSQL or in a batch, and let it flow again. Messages dropped while
 * paused are fetched again from there. */
static void seek_and_resume(struct ingest *g)
{
	rd_kafka_topic_partition_list_t *l = assigned_list(g, true, true);
	if (l->cnt) {
		rd_kafka_error_t *e = rd_kafka_seek_partitions(g->rk, l, 5000);
		if (e) {
			log_warn("seek failed: %s", rd_kafka_error_string(e));
			rd_kafka_error_destroy(e);
		}
		for (int i = 0; i < l->cnt; i++)
			if (l->elems[i].err)
				log_warn("seek failed topic=%s partition=%d offset=%lld: %s",
					 l->elems[i].topic, l->elems[i].partition,
					 (long long)l->elems[i].offset,
					 rd_kafka_err2str(l->elems[i].err));
		rd_kafka_resume_partitions(g->rk, l);
	}
	for (size_t i = 0; i < g->nas; i++)
		g->as[i].first = true;
	rd_kafka_topic_partition_list_destroy(l);
}

/* ---- the writer thread ------------------------------------------------ */

static void *writer_main(void *arg)
{
	struct ingest *g = arg;
	struct writer *w = &g->w;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->has_job && !w->quit)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->quit)
			break;
		struct batch *b = w->job;
		pthread_mutex_unlock(&w->mu);
		enum pgw_rc rc = pgw_commit(g->pg, b, &w->res, w->err, sizeof(w->err));
		pthread_mutex_lock(&w->mu);
		w->rc = rc;
		w->has_job = false;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void writer_submit(struct ingest *g, struct batch *b)
{
	pthread_mutex_lock(&g->w.mu);
	g->w.job = b;
	g->w.has_job = true;
	pthread_cond_broadcast(&g->w.cv);
	pthread_mutex_unlock(&g->w.mu);
}

static bool writer_busy(struct ingest *g)
{
	pthread_mutex_lock(&g->w.mu);
	bool busy = g->w.has_job;
	pthread_mutex_unlock(&g->w.mu);
	return busy;
}

static void writer_wait(struct ingest *g)
{
	pthread_mutex_lock(&g->w.mu);
	while (g->w.has_job)
		pthread_cond_wait(&g->w.cv, &g->w.mu);
	pthread_mutex_unlock(&g->w.mu);
}

/* ---- batches and their outcome ----------------------------------------- */

static void enter_outage(struct ingest *g, const char *why)
{
	if (!g->pg_down) {
		log_error("PostgreSQL unavailable, pausing all partitions: %s", why);
		pause_all(g);
		g->pg_down = true;
		g->backoff_ms = 100;
	} else {
		log_warn("PostgreSQL still unavailable (next try in %.0f ms): %s",
			 g->backoff_ms, why);
	}
	g->retry_at = now_ms() + g->backoff_ms;
	g->backoff_ms *= 2;
	if (g->backoff_ms > (double)g->cfg->retry_backoff_max_ms)
		g->backoff_ms = (double)g->cfg->retry_backoff_max_ms;
}

/* Forget the batch being filled: its partitions restart after the batch
 * in flight (or after what PostgreSQL holds). */
static void drop_filling(struct ingest *g)
{
	batch_reset(g->filling);
	memset(g->counts[0], 0, sizeof(g->counts[0]));
	for (size_t i = 0; i < g->nas; i++)
		g->as[i].next = g->as[i].pending;
}

/* Forget everything not committed. The writer must be idle. */
static void drop_all(struct ingest *g)
{
	if (g->inflight) {
		batch_reset(g->inflight);
		g->spare = g->inflight;
		g->inflight = NULL;
	}
	batch_reset(g->filling);
	memset(g->counts, 0, sizeof(g->counts));
	for (size_t i = 0; i < g->nas; i++)
		g->as[i].next = g->as[i].pending = g->as[i].committed;
}

/* Learn the stored offsets of partitions not yet active. Writer idle. */
static int activate_pending(struct ingest *g)
{
	size_t n = 0;
	struct part_offset *po = calloc(g->nas + 1, sizeof(*po));
	if (!po)
		abort();
	for (size_t i = 0; i < g->nas; i++)
		if (!g->as[i].active)
			po[n++] = (struct part_offset){g->as[i].topic, g->as[i].partition, -1};
	int rc = n ? pgw_fetch_offsets(g->pg, po, n, g->err, sizeof(g->err)) : 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct assigned *a = find_assigned(g, po[i].topic, po[i].partition);
		if (!a)
			continue; /* not reached: po was built from g->as just above */
		a->active = true;
		a->first = true;
		a->committed = a->pending = a->next = po[i].next_offset;
		log_info("partition active topic=%s partition=%d start=%lld%s", a->topic,
			 a->partition, (long long)a->next,
			 a->next < 0 ? " (nothing stored: from the beginning)" : "");
	}
	free(po);
	return rc;
}

static void commit_to_kafka(struct ingest *g, struct batch_part *parts, size_t np)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new((int)np);
	for (size_t i = 0; i < np; i++)
		rd_kafka_topic_partition_list_add(l, parts[i].topic, parts[i].partition)->offset =
			parts[i].next_offset;
	/* Informational only (Kafka's lag tools); PostgreSQL stays the truth. */
	rd_kafka_commit(g->rk, l, 1);
	rd_kafka_topic_partition_list_destroy(l);
}

/* A stale batch: forget all that is not committed; every partition
 * learns its offset from PostgreSQL again. Writer idle. */
static void forget_stale(struct ingest *g, const char *why)
{
	g->snap.stale_batches++;
	log_warn("%s", why);
	drop_all(g);
	for (size_t i = 0; i < g->nas; i++)
		g->as[i].active = false;
}

static void after_stale(struct ingest *g, const char *why)
{
	forget_stale(g, why);
	if (activate_pending(g)) {
		enter_outage(g, g->err);
		return;
	}
	seek_and_resume(g);
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
}

/* Take the writer's verdict on the batch in flight. Writer idle. */
static void complete(struct ingest *g)
{
	struct writer *w = &g->w;
	struct batch *b = g->inflight;
	size_t np;
	struct batch_part *parts = batch_parts(b, &np);
	if (w->rc == PGW_RETRY) {
		/* Keep the batch for the retry; what came after it is read again. */
		drop_filling(g);
		enter_outage(g, w->err);
		return;
	}
	if (w->rc == PGW_STALE) {
		after_stale(g, w->err);
		return;
	}
	for (size_t i = 0; i < np; i++) {
		struct assigned *a = find_assigned(g, parts[i].topic, parts[i].partition);
		if (a)
			a->committed = parts[i].next_offset;
	}
	commit_to_kafka(g, parts, np);
	struct pgw_result *res = &w->res;
	g->st.quarantined += res->quarantined + res->db_rejected;
	record_commit(g, b, res);
	log_debug("batch committed messages=%zu stored=%zu duplicates=%zu quarantined=%zu "
		  "partitions=%zu ms=%.1f", batch_messages(b), res->stored, res->duplicates,
		  res->quarantined + res->db_rejected, np, res->commit_ms);
	batch_reset(b);
	g->spare = b;
	g->inflight = NULL;
}

/* Wait for the batch in flight, if any, and take its verdict. */
static void settle(struct ingest *g)
{
	/* While PostgreSQL is down the batch in flight is one kept for a
	 * retry: the writer is idle and its verdict already taken. */
	if (!g->inflight || g->pg_down)
		return;
	writer_wait(g);
	complete(g);
}

/* Hand the filled batch to the writer. Requires no batch in flight. */
static void submit(struct ingest *g)
{
	size_t np;
	struct batch_part *parts = batch_parts(g->filling, &np);
	for (size_t i = 0; i < np; i++) {
		struct assigned *a = find_assigned(g, parts[i].topic, parts[i].partition);
		if (a)
			a->pending = parts[i].next_offset;
	}
	g->inflight = g->filling;
	g->filling = g->spare;
	g->spare = NULL;
	memcpy(g->counts[1], g->counts[0], sizeof(g->counts[0]));
	memset(g->counts[0], 0, sizeof(g->counts[0]));
	g->submitted_at = now_ms();
	writer_submit(g, g->inflight);
}

/* Commit everything consumed so far and wait for it (rebalance, stop).
 * Returns true when nothing is left uncommitted. */
static bool flush_sync(struct ingest *g)
{
	settle(g);
	if (g->pg_down || g->inflight)
		return false;
	if (batch_messages(g->filling)) {
		submit(g);
		settle(g);
	}
	return !g->pg_down && !g->inflight && !batch_messages(g->filling);
}

/* While PostgreSQL is down: reconnect, commit the kept batch, learn the
 * offsets of new partitions, then resume. Writer idle. */
static void try_recover(struct ingest *g)
{
	if (!pgw_connected(g->pg)) {
		g->snap.reconnects++;
		if (pgw_connect(g->pg, g->err, sizeof(g->err))) {
			enter_outage(g, g->err);
			return;
		}
	}
	if (g->inflight) {
		writer_submit(g, g->inflight);
		writer_wait(g);
		if (g->w.rc == PGW_RETRY) {
			/* Still failing: the batch is kept, and with pg_down
			 * still set the backoff keeps growing. */
			enter_outage(g, g->w.err);
			return;
		}
		if (g->w.rc == PGW_STALE)
			forget_stale(g, g->w.err); /* resumed below, once */
		else
			complete(g);
	}
	if (activate_pending(g)) {
		enter_outage(g, g->err);
		return;
	}
	g->pg_down = false;
	g->backoff_ms = 100;
	seek_and_resume(g);
	log_notice("PostgreSQL available again, partitions resumed");
}

/* ---- rebalancing ---------------------------------------------------------- */

static void on_assign(struct ingest *g, rd_kafka_topic_partition_list_t *parts, bool coop)
{
	for (int i = 0; i < parts->cnt; i++) {
		if (g->nas == g->ascap) {
			g->ascap = g->ascap ? 2 * g->ascap : 32;
			g->as = realloc(g->as, g->ascap * sizeof(*g->as));
			if (!g->as)
				abort();
		}
		char *t = strdup(parts->elems[i].topic);
		if (!t)
			abort();
		int ti = -1;
		for (size_t k = 0; k < g->cfg->ntopics && k < METRICS_TOPICS; k++)
			if (strcmp(g->cfg->topics[k], t) == 0)
				ti = (int)k;
		g->as[g->nas++] = (struct assigned){t, strlen(t), parts->elems[i].partition, ti,
						    false, true, -1, -1, -1};
	}
	bool known = !g->pg_down && activate_pending(g) == 0;
	for (int i = 0; i < parts->cnt; i++) {
		struct assigned *a = find_assigned(g, parts->elems[i].topic,
						   parts->elems[i].partition);
		parts->elems[i].offset = known && a->next >= 0 ? a->next
				       : RD_KAFKA_OFFSET_BEGINNING;
	}
	if (coop)
		rd_kafka_error_destroy(rd_kafka_incremental_assign(g->rk, parts));
	else
		rd_kafka_assign(g->rk, parts);
	if (!known) {
		/* Nothing may flow until we know where PostgreSQL left off. */
		rd_kafka_pause_partitions(g->rk, parts);
		if (!g->pg_down)
			enter_outage(g, g->err);
	}
	log_info("assigned %d partition(s)%s", parts->cnt,
		 known ? "" : ", paused until PostgreSQL answers");
}

static void on_revoke(struct ingest *g, rd_kafka_topic_partition_list_t *parts, bool coop)
{
	/* Last chance to commit while we still own these partitions; if it
	 * fails the new owner re-reads from PostgreSQL's offsets. */
	if (!flush_sync(g))
		drop_all(g);
	for (int i = 0; i < parts->cnt; i++) {
		struct assigned *a = find_assigned(g, parts->elems[i].topic,
						   parts->elems[i].partition);
		if (!a)
			continue;
		free(a->topic);
		*a = g->as[--g->nas];
	}
	if (coop)
		rd_kafka_error_destroy(rd_kafka_incremental_unassign(g->rk, parts));
	else
		rd_kafka_assign(g->rk, NULL);
	log_info("revoked %d partition(s)", parts->cnt);
}

static void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
			 rd_kafka_topic_partition_list_t *parts, void *opaque)
{
	struct ingest *g = opaque;
	bool coop = strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
	settle(g); /* the connection is ours again from here */
	char *member = rd_kafka_memberid(rk);
	pgw_set_member(g->pg, member);
	rd_kafka_mem_free(rk, member);
	if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
		on_assign(g, parts, coop);
	} else if (err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS) {
		on_revoke(g, parts, coop);
	} else {
		log_error("rebalance failed: %s", rd_kafka_err2str(err));
		rd_kafka_assign(rk, NULL);
	}
}

static void log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	(void)rk;
	log_msg(level <= 3 ? LOG_LVL_ERROR : level == 4 ? LOG_LVL_WARN
		: level <= 6 ? LOG_LVL_INFO : LOG_LVL_DEBUG, "kafka %s: %s", fac, buf);
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
	const struct config *c = g->cfg;
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	static const char *const defaults[][2] = {
		{"enable.auto.commit", "false"},
		{"enable.auto.offset.store", "false"},
		{"auto.offset.reset", "earliest"},
		{"enable.partition.eof", "false"},
		/* Prefetch bounds memory: librdkafka's default (64 MB of payload,
		 * nearly twice that in RSS for small events) would exceed our
		 * 100 MB budget. Much lower starves the loop, since 2.0.x looks
		 * at a full queue again only about once a second; bench/ingest
		 * measures the balance. */
		{"queued.max.messages.kbytes", "20480"},
		{"max.partition.fetch.bytes", "32768"},
		{"client.id", "disclosed"},
	};
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		if (kafkaconf_set(conf, defaults[i][0], defaults[i][1], 0, err, errlen))
			goto fail;
	if (kafkaconf_apply(conf, c, err, errlen))
		goto fail;
	if (kafkaconf_set(conf, "group.id", c->group_id, 0, err, errlen))
		goto fail;
	rd_kafka_conf_set_opaque(conf, g);
	rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
	rd_kafka_conf_set_log_cb(conf, log_cb);
	rd_kafka_conf_set_error_cb(conf, error_cb);
	rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, errlen);
	if (!rk)
		goto fail; /* rd_kafka_new frees conf only on success */
	rd_kafka_poll_set_consumer(rk);
	return rk;
fail:
	rd_kafka_conf_destroy(conf);
	return NULL;
}

struct ingest *ingest_new(const struct config *cfg, const char *conninfo,
			  int sigfd, char *err, size_t errlen)
{
	struct ingest *g = calloc(1, sizeof(*g));
	if (!g)
		abort();
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
	g->lim.max_bytes = (size_t)cfg->max_event_bytes;
	size_t keylen = 0;
	if (config_hmac_key(cfg, g->hmac_key, sizeof(g->hmac_key), &keylen) == 0) {
		g->lim.hmac_key = g->hmac_key;
		g->lim.hmac_key_len = keylen;
	}
	g->backoff_ms = 100;
	g->pg = pgw_new(conninfo, cfg->group_id);
	g->filling = batch_new((size_t)cfg->batch_size);
	g->spare = batch_new((size_t)cfg->batch_size);
	pthread_mutex_init(&g->w.mu, NULL);
	pthread_cond_init(&g->w.cv, NULL);
	g->rk = make_consumer(g, err, errlen);
	if (!g->rk) {
		ingest_free(g);
		return NULL;
	}
	if (pthread_create(&g->w.th, NULL, writer_main, g)) {
		snprintf(err, errlen, "cannot start the writer thread");
		ingest_free(g);
		return NULL;
	}
	g->w.started = true;
	return g;
}

static int collect_headers(struct ingest *g, rd_kafka_message_t *m)
{
	rd_kafka_headers_t *h = NULL;
	size_t n = 0;
	if (rd_kafka_message_headers(m, &h) != RD_KAFKA_RESP_ERR_NO_ERROR)
		return 0;
	const char *name;
	const void *val;
	size_t size;
	while (n < MAX_HEADERS && rd_kafka_header_get_all(h, n, &name, &val, &size) ==
					  RD_KAFKA_RESP_ERR_NO_ERROR) {
		g->hdrs[n] = (struct event_header){name, val, size};
		n++;
	}
	return (int)n;
}

static void handle(struct ingest *g, rd_kafka_message_t *m)
{
	const char *topic = rd_kafka_topic_name(m->rkt);
	struct assigned *a = find_assigned(g, topic, m->partition);
	/* Not ours, not positioned yet, paused for an outage, or redelivered
	 * after a seek: it will be (or was) read again from the right place. */
	if (!a || !a->active || g->pg_down || (a->next >= 0 && m->offset < a->next))
		return;
	if (a->first && a->next >= 0 && m->offset > a->next)
		log_warn("offsets missing topic=%s partition=%d expected=%lld got=%lld "
			 "(retention or compaction removed them)", topic, m->partition,
			 (long long)a->next, (long long)m->offset);
	a->first = false;
	a->next = m->offset + 1;
	g->kafka_up = true;
	int ti = a->topic_idx >= 0 ? a->topic_idx : 0;

	struct batch_msg bm = {
		.lin = {a->topic, a->topic_len, m->partition, m->offset},
		.key = m->key, .key_len = m->key_len,
		.headers = g->hdrs, .nheaders = (size_t)collect_headers(g, m),
		.payload = m->payload, .len = m->len,
	};
	struct event_input in = {m->payload, m->len, bm.headers, bm.nheaders};
	struct decoded d;
	struct decode_error e;
	int64_t t = INT64_MIN;
	if (batch_messages(g->filling) == 0)
		g->batch_started = now_ms();
	if (event_decode(&in, &g->lim, &d, &e) == 0) {
		size_t k = d.kind_idx;
		t = d.time_us;
		batch_add_event(g->filling, &bm, &d);
		decoded_release(&d);
		g->snap.consumed[ti][k]++;
		g->counts[0][ti][k]++;
	} else {
		g->snap.consumed[ti][METRICS_KINDS - 1]++;
		g->snap.quarantined[ti][e.reason < METRICS_REASONS ? e.reason : 0]++;
		log_warn("event quarantined topic=%s partition=%d offset=%lld reason=%s: %s",
			 topic, m->partition, (long long)m->offset, reason_code(e.reason),
			 e.message);
		batch_add_quarantine(g->filling, &bm, &e);
		decode_error_release(&e);
	}
	/* The fence expects the offset the batch before this one ends at. */
	batch_note_offset(g->filling, a->topic, m->partition, m->offset, a->pending, t);
	g->st.consumed++;
}

static bool batch_full(struct ingest *g)
{
	return batch_messages(g->filling) >= (size_t)g->cfg->batch_size ||
	       batch_bytes(g->filling) >= (size_t)g->cfg->max_batch_bytes;
}

static bool batch_due(struct ingest *g, double now)
{
	return batch_messages(g->filling) &&
	       (batch_full(g) ||
		now - g->batch_started >= (double)g->cfg->flush_interval_ms);
}

/* SIGHUP: re-read the file; apply what can change at run time (the log
 * level) and say what needs a restart. A bad file changes nothing. */
static void reload(struct ingest *g)
{
	char errs[4096];
	notify_reloading();
	struct config *c = config_new();
	int n = config_load(c, g->cfg->path, errs, sizeof(errs));
	if (n) {
		log_error("reload of %s failed with %d error(s), keeping the running "
			  "configuration: %s", g->cfg->path, n, errs);
	} else {
		if (c->log_level != (int)log_get_level())
			log_notice("reload: log level is now %s", log_level_name((enum log_level)c->log_level));
		log_set_level((enum log_level)c->log_level);
		char *a = NULL, *b = NULL;
		size_t al = 0, bl = 0;
		FILE *fa = open_memstream(&a, &al), *fb = open_memstream(&b, &bl);
		config_print(g->cfg, fa);
		config_print(c, fb);
		fclose(fa);
		fclose(fb);
		/* Compare line by line, past the header; only [log] level applies. */
		char *sa = NULL, *sb = NULL;
		char *la = strtok_r(a, "\n", &sa), *lb = strtok_r(b, "\n", &sb);
		for (; la && lb; la = strtok_r(NULL, "\n", &sa), lb = strtok_r(NULL, "\n", &sb))
			if (la[0] != '#' && strcmp(la, lb) != 0 && strncmp(la, "level =", 7) != 0)
				log_warn("reload: \"%s\" needs a restart to apply (running with \"%s\")",
					 lb, la);
		free(a);
		free(b);
	}
	config_free(c);
	notify_ready();
}

static void read_signals(struct ingest *g)
{
	struct signalfd_siginfo si;
	while (g->sigfd >= 0 && read(g->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			reload(g);
		} else if (!g->stop) {
			log_notice("received %s, stopping", strsignal((int)si.ssi_signo));
			g->stop = true;
		}
	}
}

/* About once a second: metrics, STATUS, READY, the watchdog. */
static void housekeeping(struct ingest *g, double now)
{
	struct metrics_snapshot *s = &g->snap;
	long long lag = 0;
	s->nparts = 0;
	for (size_t i = 0; i < g->nas && s->nparts < METRICS_PARTS; i++) {
		struct metrics_partition *p = &s->parts[s->nparts++];
		int64_t lo = -1, hi = -1;
		snprintf(p->topic, sizeof(p->topic), "%s", g->as[i].topic);
		p->partition = g->as[i].partition;
		p->committed = g->as[i].committed;
		if (rd_kafka_get_watermark_offsets(g->rk, g->as[i].topic, g->as[i].partition, &lo,
						   &hi) != RD_KAFKA_RESP_ERR_NO_ERROR)
			hi = -1;
		p->high = hi;
		if (hi >= 0)
			lag += hi - (p->committed < 0 ? lo : p->committed);
	}
	s->pg_connected = !g->pg_down;
	s->paused = g->pg_down;
	s->kafka_up = g->kafka_up;
	s->stopping = g->stop;
	metrics_publish(g->metrics, s);
	bool all_active = g->nas > 0;
	for (size_t i = 0; i < g->nas; i++)
		all_active &= g->as[i].active;
	if (!g->ready && !g->pg_down && all_active) {
		g->ready = true;
		notify_ready();
		log_notice("ready: connected to PostgreSQL and Kafka, %zu partition(s) assigned", g->nas);
	}
	notify_status("%s consumed=%llu stored=%llu duplicates=%llu quarantined=%llu "
		      "partitions=%zu lag=%lld", g->pg_down ? "PAUSED (PostgreSQL unavailable)" : "running",
		      (unsigned long long)g->st.consumed, (unsigned long long)g->snap.rows_stored,
		      (unsigned long long)g->snap.duplicates, (unsigned long long)g->st.quarantined,
		      g->nas, lag < 0 ? 0 : lag);
	g->next_publish = now + 1000;
}

/* The watchdog is fed while the loop turns and the writer is not stuck: a
 * commit running longer than half the interval stops the pings. */
static void feed_watchdog(struct ingest *g, double now)
{
	double interval = (double)g->watchdog_usec / 1000;
	if (!g->watchdog_usec || now - g->last_watchdog < interval / 4)
		return;
	if (g->inflight && writer_busy(g) && now - g->submitted_at > interval / 2)
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
	if (g->inflight && !g->pg_down && !writer_busy(g))
		complete(g);
	if (g->pg_down) {
		if (now_ms() >= g->retry_at)
			try_recover(g);
		return;
	}
	if (!batch_due(g, now_ms()))
		return;
	if (g->inflight && batch_full(g))
		settle(g);
	if (!g->inflight && !g->pg_down)
		submit(g);
}

static int poll_timeout(struct ingest *g, double now)
{
	double t = POLL_MAX_MS;
	if (g->pg_down)
		t = g->retry_at - now;
	else if (batch_messages(g->filling))
		t = g->batch_started + (double)g->cfg->flush_interval_ms - now;
	if (g->inflight && t > 5)
		t = 5; /* look for the writer's verdict soon */
	if (t > POLL_MAX_MS)
		t = POLL_MAX_MS;
	return t < 0 ? 0 : (int)t;
}

static void shutdown_flush(struct ingest *g)
{
	double deadline = now_ms() + (double)g->cfg->shutdown_timeout_ms;
	for (;;) {
		if (!g->pg_down && flush_sync(g))
			return;
		if (now_ms() >= deadline)
			break;
		double wait = g->retry_at - now_ms();
		if (wait > deadline - now_ms())
			wait = deadline - now_ms();
		if (wait > 0) {
			struct timespec ts = {(time_t)(wait / 1000),
					      (long)((long long)wait % 1000) * 1000000L};
			nanosleep(&ts, NULL);
		}
		if (g->pg_down)
			try_recover(g);
	}
	size_t left = batch_messages(g->filling) + (g->inflight ? batch_messages(g->inflight) : 0);
	if (left) {
		log_warn("stopping with %zu uncommitted message(s): PostgreSQL did not "
			 "answer within %ld ms; they will be read again at the next start",
			 left, g->cfg->shutdown_timeout_ms);
		drop_all(g);
	}
}

int ingest_run(struct ingest *g)
{
	rd_kafka_topic_partition_list_t *subs =
		rd_kafka_topic_partition_list_new((int)g->cfg->ntopics);
	for (size_t i = 0; i < g->cfg->ntopics; i++)
		rd_kafka_topic_partition_list_add(subs, g->cfg->topics[i], RD_KAFKA_PARTITION_UA);
	if (pgw_connect(g->pg, g->err, sizeof(g->err))) {
		/* A wrong schema will not fix itself; an unreachable server may. */
		if (strstr(g->err, "disclosed migrate") || strstr(g->err, "migration")) {
			log_error("%s", g->err);
			rd_kafka_topic_partition_list_destroy(subs);
			return -1;
		}
		enter_outage(g, g->err);
	}
	rd_kafka_resp_err_t e = rd_kafka_subscribe(g->rk, subs);
	rd_kafka_topic_partition_list_destroy(subs);
	if (e) {
		log_error("subscribing failed: %s", rd_kafka_err2str(e));
		return -1;
	}
	log_notice("ingest started group=%s topics=%zu batch_size=%ld flush_interval_ms=%ld",
		   g->cfg->group_id, g->cfg->ntopics, g->cfg->batch_size,
		   g->cfg->flush_interval_ms);
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
	if (g->w.started) {
		writer_wait(g);
		pthread_mutex_lock(&g->w.mu);
		g->w.quit = true;
		pthread_cond_broadcast(&g->w.cv);
		pthread_mutex_unlock(&g->w.mu);
		pthread_join(g->w.th, NULL);
	}
	if (g->rk)
		rd_kafka_destroy(g->rk);
	for (size_t i = 0; i < g->nas; i++)
		free(g->as[i].topic);
	free(g->as);
	batch_free(g->filling);
	batch_free(g->inflight);
	batch_free(g->spare);
	pthread_mutex_destroy(&g->w.mu);
	pthread_cond_destroy(&g->w.cv);
	pgw_free(g->pg);
	metrics_free(g->metrics);
	free(g);
}
