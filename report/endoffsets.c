/* The broker's end offsets, through a short-lived librdkafka handle. */
#include "endoffsets.h"

#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kafkaconf.h"
#include "report.h"

/* Per partition; the whole query stops at the first partition the broker
 * does not answer, so an unreachable broker costs one timeout, not one per
 * partition. */
#define QUERY_TIMEOUT_MS 5000

static void ask_broker(const struct config *c, struct end_offsets *o)
{
	char err[512];
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	if (kafkaconf_apply(conf, c, err, sizeof(err)) ||
	    kafkaconf_set(conf, "client.id", "disclosed-report", 0, err, sizeof(err))) {
		rd_kafka_conf_destroy(conf);
		snprintf(o->why, sizeof(o->why), "[kafka]: %s", err);
		return;
	}
	rd_kafka_conf_set_log_cb(conf, kafkaconf_log_cb);
	/* A producer handle: no group, nothing consumed or committed. */
	rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
	if (!rk) {
		rd_kafka_conf_destroy(conf);
		snprintf(o->why, sizeof(o->why), "Kafka client: %s", err);
		return;
	}
	for (size_t i = 0; i < o->n; i++) {
		int64_t lo, hi;
		rd_kafka_resp_err_t e = rd_kafka_query_watermark_offsets(
			rk, o->v[i].topic, o->v[i].partition, &lo, &hi, QUERY_TIMEOUT_MS);
		if (e) {
			snprintf(o->why, sizeof(o->why), "end offset of %s[%d]: %s", o->v[i].topic,
				 o->v[i].partition, rd_kafka_err2str(e));
			for (size_t k = 0; k < o->n; k++)
				o->v[k].end = -1;
			rd_kafka_destroy(rk);
			return;
		}
		o->v[i].end = hi;
	}
	o->known = true;
	rd_kafka_destroy(rk);
}

/* gcc 12's analyzer loses track of a pointer stored at a variable index
 * (o->v[i].topic, freed by end_offsets_free) and reports it leaked: the
 * false positive lib/config.c describes. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif
int end_offsets_query(PGconn *conn, const struct config *c, struct end_offsets *o, char *err,
		      size_t errlen)
{
	memset(o, 0, sizeof(*o));
	PGresult *res = report_query(conn, "partitions.sql", 0, NULL, NULL, err, errlen);
	if (!res)
		return -1;
	int n = PQntuples(res);
	o->v = calloc(n ? (size_t)n : 1, sizeof(*o->v));
	if (!o->v) {
		PQclear(res);
		snprintf(err, errlen, "out of memory for %d partitions", n);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		o->v[i].topic = strdup(PQgetvalue(res, i, 0));
		o->v[i].partition = atoi(PQgetvalue(res, i, 1));
		o->v[i].end = -1;
		o->n++;
		if (!o->v[i].topic) {
			PQclear(res);
			end_offsets_free(o);
			snprintf(err, errlen, "out of memory for %d partitions", n);
			return -1;
		}
	}
	PQclear(res);
	if (o->n)
		ask_broker(c, o);
	else
		o->known = true; /* nothing stored: nothing to ask about */
	return 0;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

long long end_offsets_get(const struct end_offsets *o, const char *topic, int partition)
{
	for (size_t i = 0; o && i < o->n; i++)
		if (o->v[i].partition == partition && strcmp(o->v[i].topic, topic) == 0)
			return o->v[i].end;
	return -1;
}

void end_offsets_free(struct end_offsets *o)
{
	for (size_t i = 0; i < o->n; i++)
		free(o->v[i].topic);
	free(o->v);
	memset(o, 0, sizeof(*o));
}
