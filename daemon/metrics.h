/*
 * metrics: the HTTP endpoint (libmicrohttpd) with /metrics in Prometheus
 * text format and /healthz. The consume thread keeps its own counters and
 * publishes a copy about once a second (metrics_publish); the HTTP thread
 * formats only from that copy, so the hot path takes no lock.
 */
#ifndef DISCLOSED_METRICS_H
#define DISCLOSED_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agency_times.h"

#define METRICS_TOPICS 32
#define METRICS_KINDS 16 /* event kinds; index METRICS_KINDS-1: undecodable */
#define METRICS_REASONS 16
#define METRICS_PARTS 256
#define METRICS_BATCH_BUCKETS 8
#define METRICS_LATENCY_BUCKETS 11

extern const double metrics_batch_bounds[METRICS_BATCH_BUCKETS];
extern const double metrics_latency_bounds[METRICS_LATENCY_BUCKETS]; /* seconds */

struct metrics_partition {
	char topic[128];
	int32_t partition;
	int64_t committed; /* next offset stored in PostgreSQL, -1 none */
	int64_t high;      /* high watermark, -1 unknown */
	int64_t max_time_us; /* latest stored event time, INT64_MIN unknown */
};

struct metrics_snapshot {
	uint64_t consumed[METRICS_TOPICS][METRICS_KINDS];
	uint64_t committed[METRICS_TOPICS][METRICS_KINDS]; /* in committed batches */
	uint64_t quarantined[METRICS_TOPICS][METRICS_REASONS];
	uint64_t db_rejected, rows_stored, duplicates, reconnects, stale_batches;
	uint64_t conflicting; /* conflicting duplicates set aside, committed */
	uint64_t lock_retries; /* attempts of committed batches lost to a deadlock */
	uint64_t batch_hist[METRICS_BATCH_BUCKETS + 1], batch_count, batch_sum;
	uint64_t latency_hist[METRICS_LATENCY_BUCKETS + 1], latency_count;
	double latency_sum;
	struct metrics_partition parts[METRICS_PARTS];
	size_t nparts;
	bool pg_connected, kafka_up, paused, stopping;
	int64_t last_commit_us; /* wall clock of the last committed batch, 0 none */
	struct agency_times agencies; /* in the batches committed since the start */
};

struct metrics;

/* topics: the configured topic names, in the order counters are indexed. */
struct metrics *metrics_new(char *const *topics, size_t ntopics);
/* Serve on "host:port" (empty: do not serve). 0, or -1 with err. */
int metrics_listen(struct metrics *m, const char *hostport, char *err, size_t errlen)
	__attribute__((warn_unused_result));
void metrics_publish(struct metrics *m, const struct metrics_snapshot *s);
/* Format /metrics into a malloc'd string (for the server and tests): the
 * published counters, disclosed_build_info and the process_* metrics. */
char *metrics_format(struct metrics *m);
/* Whether /healthz answers 200: connected to both and assigned. */
bool metrics_healthy(struct metrics *m, char *why, size_t len);
void metrics_free(struct metrics *m);

#endif
