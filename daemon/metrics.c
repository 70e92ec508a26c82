#include "metrics.h"

#include <arpa/inet.h>
#include <libpq-fe.h>
#include <librdkafka/rdkafka.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "buf.h"
#include "config.h"
#include "procstat.h"

#ifndef DISCLOSED_VERSION
#define DISCLOSED_VERSION "unknown"
#endif

const double metrics_batch_bounds[METRICS_BATCH_BUCKETS] = {1, 10, 100, 500, 1000, 2500,
							    5000, 10000};
const double metrics_latency_bounds[METRICS_LATENCY_BUCKETS] = {
	0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

struct metrics {
	pthread_mutex_t mu;
	struct metrics_snapshot snap;
	char **topics;
	size_t ntopics;
	struct MHD_Daemon *httpd;
};

/* gcc 12's analyzer forgets a pointer stored at a variable index once the
 * loop stores at another, and reports each copied topic as leaked;
 * metrics_free frees them all. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif
struct metrics *metrics_new(char *const *topics, size_t ntopics)
{
	struct metrics *m = xcalloc(1, sizeof(*m));
	pthread_mutex_init(&m->mu, NULL);
	m->ntopics = ntopics < METRICS_TOPICS ? ntopics : METRICS_TOPICS;
	m->topics = xcalloc(m->ntopics + 1, sizeof(char *));
	for (size_t i = 0; i < m->ntopics; i++) {
		m->topics[i] = strdup(topics[i]);
		if (!m->topics[i])
			abort();
	}
	return m;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

void metrics_publish(struct metrics *m, const struct metrics_snapshot *s)
{
	pthread_mutex_lock(&m->mu);
	m->snap = *s;
	pthread_mutex_unlock(&m->mu);
}

static const char *kind_name(size_t k)
{
	return k < event_kind_count() ? event_kinds[k]->type : "undecodable";
}

static void histogram(struct buf *b, const char *name, const char *help, const double *bounds,
		      size_t n, const uint64_t *hist, uint64_t count, double sum)
{
	uint64_t cum = 0;
	buf_printf(b, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name);
	for (size_t i = 0; i < n; i++) {
		cum += hist[i];
		buf_printf(b, "%s_bucket{le=\"%g\"} %llu\n", name, bounds[i], (unsigned long long)cum);
	}
	buf_printf(b, "%s_bucket{le=\"+Inf\"} %llu\n%s_sum %g\n%s_count %llu\n", name,
		   (unsigned long long)count, name, sum, name, (unsigned long long)count);
}

static void counter(struct buf *b, const char *name, const char *help, uint64_t v)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", name, help, name, name,
		   (unsigned long long)v);
}

static void gauge(struct buf *b, const char *name, const char *help, long long v)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s gauge\n%s %lld\n", name, help, name, name, v);
}

static void by_topic_kind(struct buf *b, const struct metrics *m, const char *name,
			  const char *help, const uint64_t (*c)[METRICS_KINDS])
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
	for (size_t t = 0; t < m->ntopics; t++)
		for (size_t k = 0; k < METRICS_KINDS; k++)
			if (c[t][k])
				buf_printf(b, "%s{topic=\"%s\",type=\"%s\"} %llu\n", name, m->topics[t],
					   kind_name(k), (unsigned long long)c[t][k]);
}

/* Which build answers: dashboards show it, and a join on it tells this
 * daemon's process_* metrics from other exporters' on the same target. */
static void build_info(struct buf *b)
{
	int pq = PQlibVersion(); /* 150010 for 15.10 (since 10: major * 10000) */
	buf_printf(b, "# HELP disclosed_build_info The running build: disclosed, librdkafka and "
		      "libpq versions.\n# TYPE disclosed_build_info gauge\n"
		      "disclosed_build_info{version=\"%s\",librdkafka=\"%s\",libpq=\"%d.%d\"} 1\n",
		   DISCLOSED_VERSION, rd_kafka_version_str(), pq / 10000, pq % 10000);
}

static void seconds(struct buf *b, int64_t us)
{
	buf_printf(b, "%lld.%06lld\n", (long long)(us / 1000000),
		   (long long)((us % 1000000 + 1000000) % 1000000));
}

/* Latest stored event times: what the January completeness alert and the
 * dashboard's per-agency table read. */
static void event_times(struct buf *b, const struct metrics_snapshot *s)
{
	buf_puts(b, "# HELP disclosed_partition_latest_event_time_seconds Latest event time stored "
		    "from the partition (the report's ingest watermark), Unix seconds.\n"
		    "# TYPE disclosed_partition_latest_event_time_seconds gauge\n");
	for (size_t i = 0; i < s->nparts; i++) {
		const struct metrics_partition *p = &s->parts[i];
		if (p->max_time_us == INT64_MIN)
			continue;
		buf_printf(b, "disclosed_partition_latest_event_time_seconds{topic=\"%s\","
			      "partition=\"%d\"} ", p->topic, p->partition);
		seconds(b, p->max_time_us);
	}
	buf_puts(b, "# HELP disclosed_agency_latest_event_time_seconds Latest event time in the "
		    "batches committed since the start, by agency, Unix seconds.\n"
		    "# TYPE disclosed_agency_latest_event_time_seconds gauge\n");
	for (size_t i = 0; s->agencies.n && i < AGENCY_TIMES_SLOTS; i++) {
		const struct agency_time *a = &s->agencies.slot[i];
		if (!a->name[0])
			continue;
		/* Agency names are [a-z0-9._-] (the decoder checks): no escaping. */
		buf_printf(b, "disclosed_agency_latest_event_time_seconds{agency=\"%s\"} ", a->name);
		seconds(b, a->time_us);
	}
	buf_puts(b, "# HELP disclosed_last_commit_timestamp_seconds When the last batch was "
		    "committed to PostgreSQL, Unix seconds (0: none since the start).\n"
		    "# TYPE disclosed_last_commit_timestamp_seconds gauge\n"
		    "disclosed_last_commit_timestamp_seconds ");
	seconds(b, s->last_commit_us);
}

char *metrics_format(struct metrics *m)
{
	struct buf b = BUF_INIT;
	pthread_mutex_lock(&m->mu);
	const struct metrics_snapshot *s = &m->snap;
	by_topic_kind(&b, m, "disclosed_events_consumed_total",
		      "Messages consumed, by topic and event type.", s->consumed);
	by_topic_kind(&b, m, "disclosed_events_committed_total",
		      "Events in batches committed to PostgreSQL (new or already stored).",
		      s->committed);
	buf_puts(&b, "# HELP disclosed_events_quarantined_total Events set aside, by topic and "
		     "reason.\n# TYPE disclosed_events_quarantined_total counter\n");
	for (size_t t = 0; t < m->ntopics; t++)
		for (size_t r = 0; r < METRICS_REASONS && r < REASON__COUNT; r++)
			if (s->quarantined[t][r])
				buf_printf(&b, "disclosed_events_quarantined_total{topic=\"%s\",reason=\"%s\"} %llu\n",
					   m->topics[t], reason_code((enum reason)r),
					   (unsigned long long)s->quarantined[t][r]);
	buf_printf(&b, "disclosed_events_quarantined_total{topic=\"\",reason=\"db_rejected\"} %llu\n",
		   (unsigned long long)s->db_rejected);
	counter(&b, "disclosed_events_conflicting_total",
		"Events set aside because the same source and id were stored with other content "
		"(quarantine reason conflicting_duplicate).", s->conflicting);
	counter(&b, "disclosed_rows_stored_total", "Rows new to PostgreSQL.", s->rows_stored);
	counter(&b, "disclosed_events_duplicate_total",
		"Events skipped because the same source and id were already stored.", s->duplicates);
	counter(&b, "disclosed_postgresql_reconnects_total", "Reconnections to PostgreSQL.",
		s->reconnects);
	counter(&b, "disclosed_stale_batches_total",
		"Batches refused because a partition's stored offset had moved on (fencing).",
		s->stale_batches);
	counter(&b, "disclosed_batch_lock_retries_total",
		"Attempts of committed batches that PostgreSQL rolled back for another member's "
		"transaction (deadlock or serialization failure) and that were made again at once.",
		s->lock_retries);
	histogram(&b, "disclosed_batch_size", "Messages per committed batch.", metrics_batch_bounds,
		  METRICS_BATCH_BUCKETS, s->batch_hist, s->batch_count, (double)s->batch_sum);
	histogram(&b, "disclosed_commit_latency_seconds", "Time to commit a batch to PostgreSQL.",
		  metrics_latency_bounds, METRICS_LATENCY_BUCKETS, s->latency_hist, s->latency_count,
		  s->latency_sum);
	buf_puts(&b, "# HELP disclosed_partition_lag Messages between the offset committed to "
		     "PostgreSQL and the high watermark.\n# TYPE disclosed_partition_lag gauge\n");
	for (size_t i = 0; i < s->nparts; i++) {
		const struct metrics_partition *p = &s->parts[i];
		if (p->high < 0)
			continue;
		long long lag = p->high - (p->committed < 0 ? 0 : p->committed);
		buf_printf(&b, "disclosed_partition_lag{topic=\"%s\",partition=\"%d\"} %lld\n",
			   p->topic, p->partition, lag < 0 ? 0 : lag);
	}
	gauge(&b, "disclosed_assigned_partitions", "Partitions assigned to this member.",
	      (long long)s->nparts);
	gauge(&b, "disclosed_paused", "1 while partitions are paused for a PostgreSQL outage.",
	      s->paused);
	gauge(&b, "disclosed_postgresql_connected", "1 when connected to PostgreSQL.",
	      s->pg_connected);
	gauge(&b, "disclosed_kafka_up", "1 unless every broker connection is down.", s->kafka_up);
	event_times(&b, s);
	pthread_mutex_unlock(&m->mu);
	build_info(&b);
	procstat_format(&b);
	return (char *)buf_cstr(&b); /* ownership passes to the caller */
}

bool metrics_healthy(struct metrics *m, char *why, size_t len)
{
	pthread_mutex_lock(&m->mu);
	const struct metrics_snapshot *s = &m->snap;
	bool ok = s->pg_connected && !s->paused && s->kafka_up && s->nparts > 0 && !s->stopping;
	snprintf(why, len, "%s postgresql=%s kafka=%s assigned=%zu%s\n", ok ? "ok" : "not ready",
		 s->pg_connected && !s->paused ? "up" : "down", s->kafka_up ? "up" : "down",
		 s->nparts, s->stopping ? " stopping" : "");
	pthread_mutex_unlock(&m->mu);
	return ok;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_len, void **state)
{
	struct metrics *m = cls;
	(void)version, (void)upload, (void)upload_len, (void)state;
	struct MHD_Response *r;
	unsigned status = MHD_HTTP_OK;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		static const char msg[] = "only GET\n";
		r = MHD_create_response_from_buffer(sizeof(msg) - 1, (void *)msg, MHD_RESPMEM_PERSISTENT);
		status = MHD_HTTP_METHOD_NOT_ALLOWED;
	} else if (strcmp(url, "/metrics") == 0) {
		char *text = metrics_format(m);
		r = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
		MHD_add_response_header(r, "Content-Type", "text/plain; version=0.0.4");
	} else if (strcmp(url, "/healthz") == 0) {
		char why[256];
		status = metrics_healthy(m, why, sizeof(why)) ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE;
		r = MHD_create_response_from_buffer(strlen(why), why, MHD_RESPMEM_MUST_COPY);
	} else {
		static const char msg[] = "not found: try /metrics or /healthz\n";
		r = MHD_create_response_from_buffer(sizeof(msg) - 1, (void *)msg, MHD_RESPMEM_PERSISTENT);
		status = MHD_HTTP_NOT_FOUND;
	}
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

int metrics_listen(struct metrics *m, const char *hostport, char *err, size_t errlen)
{
	if (!hostport || !*hostport)
		return 0;
	char host[64];
	int port;
	if (config_parse_listen(hostport, host, sizeof(host), &port, err, errlen))
		return -1;
	struct sockaddr_in sa = {0};
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, host, &sa.sin_addr); /* checked by config_parse_listen */
	m->httpd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, (uint16_t)port, NULL, NULL,
				    answer, m, MHD_OPTION_SOCK_ADDR, &sa,
				    MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
	if (!m->httpd) {
		snprintf(err, errlen, "[metrics] listen = \"%s\": cannot listen there (in use?)",
			 hostport);
		return -1;
	}
	return 0;
}

void metrics_free(struct metrics *m)
{
	if (!m)
		return;
	if (m->httpd)
		MHD_stop_daemon(m->httpd);
	for (size_t i = 0; i < m->ntopics; i++)
		free(m->topics[i]);
	free(m->topics);
	pthread_mutex_destroy(&m->mu);
	free(m);
}
