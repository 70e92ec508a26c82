#include "ops.h"

#include <jansson.h>
#include <librdkafka/rdkafka.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "event.h"
#include "rfc3339.h"
#include "batch.h"
#include "kafkaconf.h"
#include "db.h"
#include "pgwriter.h"
#include "sink.h"

/* PostgreSQL's message (several lines with DETAIL and HINT) on one line. */
static void query_failed(const char *what, PGresult *r)
{
	char msg[1024];
	snprintf(msg, sizeof(msg), "%s", PQresultErrorMessage(r));
	db_one_line(msg);
	cli_error("disclosed", NULL, "%s: %s", what, msg);
}

int ops_quarantine_list(const struct config *c, long limit, const char *reason)
{
	PGconn *conn = db_connect_config(c, "disclosed");
	if (!conn)
		return CLI_UNAVAILABLE;
	char lim[32];
	snprintf(lim, sizeof(lim), "%ld", limit);
	const char *p[] = {lim, reason};
	PGresult *r = PQexecParams(conn,
		"SELECT id, to_char(quarantined_at, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), topic,"
		" kafka_partition, kafka_offset, reason_code, coalesce(field, '-'), reason,"
		" CASE WHEN replayed_at IS NULL THEN '' ELSE ' (replayed)' END"
		" FROM disclosed.quarantine WHERE $2::text IS NULL OR reason_code = $2"
		" ORDER BY id DESC LIMIT $1::bigint", 2, NULL, p, NULL, NULL, 0);
	int rc = 0;
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		query_failed("quarantine list", r);
		rc = CLI_UNAVAILABLE;
	} else {
		for (int i = 0; i < PQntuples(r); i++)
			printf("%s %s topic=%s partition=%s offset=%s reason=%s field=%s%s: %s\n",
			       PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2),
			       PQgetvalue(r, i, 3), PQgetvalue(r, i, 4), PQgetvalue(r, i, 5),
			       PQgetvalue(r, i, 6), PQgetvalue(r, i, 8), PQgetvalue(r, i, 7));
		fprintf(stderr, "%d event(s) listed\n", PQntuples(r));
	}
	PQclear(r);
	PQfinish(conn);
	return rc;
}

int ops_quarantine_replay(const struct config *c, char *const *ids, size_t nids)
{
	char err[1024];
	PGconn *conn = db_connect_config(c, "disclosed");
	if (!conn)
		return CLI_UNAVAILABLE;
	struct buf idlist = BUF_INIT;
	buf_putc(&idlist, '{');
	for (size_t i = 0; i < nids; i++) {
		char *end;
		strtoll(ids[i], &end, 10);
		if (*end || end == ids[i]) {
			fprintf(stderr, "disclosed: quarantine replay: \"%s\" is not an id\n", ids[i]);
			buf_free(&idlist);
			PQfinish(conn);
			return CLI_USAGE;
		}
		buf_printf(&idlist, "%s%s", i ? "," : "", ids[i]);
	}
	buf_putc(&idlist, '}');
	const char *p[] = {nids ? buf_cstr(&idlist) : NULL};
	PGresult *r = PQexecParams(conn,
		"SELECT id, topic, kafka_partition, kafka_offset, kafka_key, headers::text, payload"
		" FROM disclosed.quarantine WHERE CASE WHEN $1::bigint[] IS NULL"
		" THEN replayed_at IS NULL ELSE id = ANY($1::bigint[]) END ORDER BY id",
		1, NULL, p, NULL, NULL, 1 /* binary: bytea as bytes */);
	int rc = 0;
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		query_failed("quarantine replay", r);
		PQclear(r);
		PQfinish(conn);
		buf_free(&idlist);
		return CLI_UNAVAILABLE;
	}
	int rows = PQntuples(r);
	struct batch *b = batch_new((size_t)rows + 1);
	struct buf ok = BUF_INIT;
	unsigned char key[512];
	size_t keylen = 0;
	struct decode_limits lim;
	decode_limits_init(&lim, (size_t)c->max_event_bytes);
	if (config_hmac_key(c, key, sizeof(key), &keylen) == 0)
		decode_limits_set_key(&lim, key, keylen);
	size_t still_bad = 0;
	buf_putc(&ok, '{');
	for (int i = 0; i < rows; i++) {
		/* Binary results: integers in network order. */
		const unsigned char *u;
		uint64_t id = 0, off = 0;
		uint32_t part = 0;
		u = (const unsigned char *)PQgetvalue(r, i, 0);
		for (int k = 0; k < 8; k++)
			id = id << 8 | u[k];
		u = (const unsigned char *)PQgetvalue(r, i, 2);
		for (int k = 0; k < 4; k++)
			part = part << 8 | u[k];
		u = (const unsigned char *)PQgetvalue(r, i, 3);
		for (int k = 0; k < 8; k++)
			off = off << 8 | u[k];
		json_t *hstore = NULL;
		/* Room for every header the column holds, never a cut: an entry
		 * takes at least 16 bytes of its JSON, a hex value two characters
		 * per byte. */
		const char *hj = PQgetisnull(r, i, 5) ? NULL : PQgetvalue(r, i, 5);
		size_t hjlen = hj ? (size_t)PQgetlength(r, i, 5) : 0;
		struct event_header *h = malloc((hjlen / 16 + 1) * sizeof(*h));
		unsigned char *hexbuf = malloc(hjlen / 2 + 1);
		if (!h || !hexbuf)
			abort();
		size_t nh = sink_headers_parse(hj, &hstore, h, hjlen / 16 + 1, hexbuf, hjlen / 2 + 1);
		const char *topic = PQgetvalue(r, i, 1);
		struct batch_msg m = {
			.lin = {topic, strlen(topic), (int32_t)part, (int64_t)off},
			.key = PQgetisnull(r, i, 4) ? NULL : PQgetvalue(r, i, 4),
			.key_len = (size_t)PQgetlength(r, i, 4),
			.headers = h, .nheaders = nh,
			.payload = PQgetvalue(r, i, 6), .len = (size_t)PQgetlength(r, i, 6),
		};
		struct event_input in = {m.payload, m.len, h, nh};
		struct decoded d;
		struct decode_error e;
		if (event_decode(&in, &lim, &d, &e) == 0) {
			batch_add_event(b, &m, &d);
			decoded_release(&d);
			buf_printf(&ok, "%s%llu", ok.len > 1 ? "," : "", (unsigned long long)id);
			printf("%llu: decodes now as %s\n", (unsigned long long)id, d.kind->type);
		} else {
			still_bad++;
			printf("%llu: still %s: %s\n", (unsigned long long)id, reason_code(e.reason),
			       e.message);
		}
		json_decref(hstore);
		free(h);
		free(hexbuf);
	}
	buf_putc(&ok, '}');
	if (ok.len > 2) {
		char *ci = config_pg_conninfo(c, err, sizeof(err));
		struct pgw *w = pgw_new(ci ? ci : "", c->group_id);
		struct pgw_result res;
		free(ci);
		if (pgw_connect(w, err, sizeof(err)) != PGW_CONN_OK ||
		    pgw_replay(w, b, buf_cstr(&ok), &res, err, sizeof(err))) {
			fprintf(stderr, "disclosed: quarantine replay: %s\n", err);
			rc = CLI_UNAVAILABLE;
		} else {
			printf("replayed %zu event(s): %zu stored, %zu already stored, %zu refused "
			       "by PostgreSQL; %zu still invalid\n", batch_events(b), res.stored,
			       res.duplicates, res.db_rejected, still_bad);
		}
		pgw_free(w);
	} else {
		printf("nothing to replay; %zu still invalid\n", still_bad);
	}
	buf_free(&ok);
	buf_free(&idlist);
	batch_free(b);
	decode_limits_free(&lim);
	PQclear(r);
	PQfinish(conn);
	return rc;
}

/* The partitions of topic and, for each, the first offset at or after ms. */
/* NULL with err and *rc: CLI_CONFIG when librdkafka refuses the [kafka]
 * settings, CLI_UNAVAILABLE when the broker does not answer. */
static rd_kafka_topic_partition_list_t *offsets_at(const struct config *c, const char *topic,
						   int64_t ms, int *rc, char *err, size_t errlen)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	*rc = CLI_CONFIG;
	if (kafkaconf_apply(conf, c, err, errlen)) {
		rd_kafka_conf_destroy(conf);
		return NULL;
	}
	rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, errlen);
	if (!rk) {
		rd_kafka_conf_destroy(conf);
		return NULL;
	}
	rd_kafka_topic_partition_list_t *l = NULL;
	*rc = CLI_UNAVAILABLE;
	rd_kafka_topic_t *t = rd_kafka_topic_new(rk, topic, NULL);
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 0, t, &md, 10000);
	if (e || md->topic_cnt != 1 || md->topics[0].err) {
		snprintf(err, errlen, "topic %s: %s", topic,
			 rd_kafka_err2str(e ? e : md->topics[0].err));
		goto out;
	}
	l = rd_kafka_topic_partition_list_new(md->topics[0].partition_cnt);
	for (int i = 0; i < md->topics[0].partition_cnt; i++)
		rd_kafka_topic_partition_list_add(l, topic, md->topics[0].partitions[i].id)->offset = ms;
	e = rd_kafka_offsets_for_times(rk, l, 10000);
	if (e) {
		snprintf(err, errlen, "offsets for %s at the time given: %s", topic, rd_kafka_err2str(e));
		rd_kafka_topic_partition_list_destroy(l);
		l = NULL;
		goto out;
	}
	/* -1: nothing at or after that time; the end of the partition. */
	for (int i = 0; i < l->cnt; i++) {
		int64_t lo, hi;
		if (l->elems[i].offset < 0 &&
		    !rd_kafka_query_watermark_offsets(rk, topic, l->elems[i].partition, &lo, &hi, 10000))
			l->elems[i].offset = hi;
	}
out:
	if (md)
		rd_kafka_metadata_destroy(md);
	rd_kafka_topic_destroy(t);
	rd_kafka_destroy(rk);
	return l;
}

int ops_rewind(const struct config *c, const char *group, const char *topic, const char *to)
{
	char err[1024];
	int64_t us;
	const char *why;
	if (rfc3339_parse(to, strlen(to), &us, &why)) {
		fprintf(stderr, "disclosed: rewind: --to \"%s\": %s\n", to, why);
		return CLI_USAGE;
	}
	int rc;
	rd_kafka_topic_partition_list_t *l = offsets_at(c, topic, us / 1000, &rc, err, sizeof(err));
	if (!l) {
		fprintf(stderr, "disclosed: rewind: %s\n", err);
		return rc;
	}
	PGconn *conn = db_connect_config(c, "disclosed");
	if (!conn) {
		rd_kafka_topic_partition_list_destroy(l);
		return CLI_UNAVAILABLE;
	}
	rc = CLI_OK;
	PQclear(PQexec(conn, "BEGIN"));
	for (int i = 0; i < l->cnt && !rc; i++) {
		char part[16], off[32];
		snprintf(part, sizeof(part), "%d", l->elems[i].partition);
		snprintf(off, sizeof(off), "%lld", (long long)l->elems[i].offset);
		const char *p[] = {group, topic, part, off};
		/* A running daemon's next commit expects its own offset, finds this
		 * one, and re-reads from here: safe because events already stored
		 * are skipped by their identity. */
		PGresult *r = PQexecParams(conn, sink_offsets_rewind_sql, 4, NULL, p, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			query_failed("rewind", r);
			rc = CLI_UNAVAILABLE;
		} else {
			const char *was = PQgetisnull(r, 0, 0) ? "none" : PQgetvalue(r, 0, 0);
			printf("%s[%d]: next offset %s -> %s\n", topic, l->elems[i].partition, was, off);
		}
		PQclear(r);
	}
	PGresult *r = PQexec(conn, rc ? "ROLLBACK" : "COMMIT");
	PQclear(r);
	if (!rc)
		printf("group %s rewound on %s to %s; a running daemon picks it up at its next "
		       "commit, a stopped one at its next start\n", group, topic, to);
	PQfinish(conn);
	rd_kafka_topic_partition_list_destroy(l);
	return rc;
}

/* A value of a binary-format row: text columns arrive as their bytes. */
static const char *col(PGresult *r, int i, const char *none)
{
	return PQgetisnull(r, 0, i) ? none : PQgetvalue(r, 0, i);
}

/* Bytes as text when they are UTF-8 (without NUL), else as a hex dump of 16
 * bytes a line, each with its offset. */
static void print_bytes(const char *label, const char *p, size_t n)
{
	if (utf8_valid(p, n)) {
		printf("%s (%zu bytes, UTF-8 text):\n", label, n);
		fwrite(p, 1, n, stdout);
		if (n && p[n - 1] != '\n')
			putchar('\n');
		return;
	}
	printf("%s (%zu bytes, not UTF-8 text, in hex):\n", label, n);
	for (size_t off = 0; off < n; off += 16) {
		printf("%08zx ", off);
		for (size_t i = off; i < off + 16 && i < n; i++)
			printf(" %02x", (unsigned char)p[i]);
		putchar('\n');
	}
}

int ops_quarantine_show(const struct config *c, const char *id)
{
	PGconn *conn = db_connect_config(c, "disclosed");
	if (!conn)
		return CLI_UNAVAILABLE;
	const char *p[] = {id};
	/* Binary results, so the key and payload come as their bytes; every
	 * other column is cast to text. */
	PGresult *r = PQexecParams(conn,
		"SELECT id::text, to_char(quarantined_at, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
		" to_char(replayed_at, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), topic,"
		" kafka_partition::text, kafka_offset::text, reason_code, field, reason, sqlstate,"
		" event_type, source, event_id, headers::text, kafka_key, payload"
		" FROM disclosed.quarantine WHERE id = $1::bigint",
		1, NULL, p, NULL, NULL, 1);
	int rc = CLI_OK;
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		query_failed("quarantine show", r);
		rc = CLI_UNAVAILABLE;
	} else if (PQntuples(r) == 0) {
		fprintf(stderr, "disclosed: quarantine show: no set-aside event has id %s\n"
			"Try 'disclosed quarantine list'.\n", id);
		rc = CLI_NOINPUT;
	} else {
		static const char *const labels[] = {
			"id", "quarantined at", "replayed at", "topic", "partition", "offset",
			"reason code", "field", "reason", "sqlstate", "event type", "source",
			"event id", "headers"};
		for (int i = 0; i < (int)(sizeof(labels) / sizeof(labels[0])); i++)
			printf("%-15s %s\n", labels[i], col(r, i, "-"));
		if (PQgetisnull(r, 0, 14))
			printf("%-15s -\n", "key");
		else
			print_bytes("key", PQgetvalue(r, 0, 14), (size_t)PQgetlength(r, 0, 14));
		if (PQgetisnull(r, 0, 15))
			printf("%-15s -\n", "payload");
		else
			print_bytes("payload", PQgetvalue(r, 0, 15), (size_t)PQgetlength(r, 0, 15));
	}
	PQclear(r);
	PQfinish(conn);
	return rc;
}
