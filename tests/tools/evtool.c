/*
 * evtool: test and benchmark helper. Creates topics and produces
 * deterministic streams of mixed disclosure events to a real broker, and
 * writes the counts the database must end up with.
 *
 *   evtool topics -b BROKERS [-p PARTITIONS] TOPIC...
 *   evtool produce -b BROKERS [-n COUNT] [--prefix P] [--agencies N]
 *                  [--topic-prefix T] [--start I] [--seed S]
 *                  [--bad-every K] [--dup-every K] [--binary-every K]
 *                  [--expect FILE]
 *   evtool pace -b BROKERS [-r RATE] [-d SECONDS] [--prefix P]
 *                  [--topic-prefix T] [--agencies N] [-l LINGER_MS]
 *                  (events at a steady rate, `time` = send instant;
 *                  prints the broker's acknowledgement latency)
 *   evtool first -b BROKERS -g GROUP [--hold] TOPIC...   (a bare consumer:
 *                  prints when its first message arrived)
 *   evtool lines -b BROKERS -t TOPIC FILE   (one message per line; binary
 *                  mode lines start with "ce:" headers, see tests/fixtures)
 */
#include <getopt.h>
#include <jansson.h>
#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NTYPES 13

static const struct {
	const char *type, *table, *topic;
	int weight;
} types[NTYPES] = {
	{"complaint.received", "complaint_received", "disclosure.complaints", 12},
	{"complaint.transferred", "complaint_transferred", "disclosure.complaints", 12},
	{"complaint.decided", "complaint_decided", "disclosure.complaints", 10},
	{"complaint.closed", "complaint_closed", "disclosure.complaints", 10},
	{"reception.held", "reception_held", "disclosure.receptions", 6},
	{"publication.published", "publication_published", "disclosure.publications", 20},
	{"publication.repealed", "publication_repealed", "disclosure.publications", 2},
	{"newmedia.snapshot", "newmedia_snapshot", "disclosure.newmedia", 4},
	{"application.received", "application_received", "disclosure.applications", 8},
	{"application.closed", "application_closed", "disclosure.applications", 8},
	{"review.filed", "review_filed", "disclosure.reviews", 3},
	{"review.decided", "review_decided", "disclosure.reviews", 3},
	{"stats.reported", "stats_reported", "disclosure.stats", 2},
};

static const char *const bad_payloads[] = {
	"{\"specversion\":\"1.0\",\"id\":",                       /* truncated */
	"not json at all",                                         /* bad_json */
	"[1,2,3]",                                                 /* not_object */
	"{\"specversion\":\"0.3\",\"id\":\"x\"}",                  /* bad_specversion */
	"{\"specversion\":\"1.0\",\"id\":\"bad-id\",\"source\":\"/gen\","
	"\"type\":\"disclosure.nope\",\"time\":\"2020-01-01T00:00:00+08:00\","
	"\"subject\":\"s\",\"agency\":\"a\"}",                     /* unknown_type */
	"{\"specversion\":\"1.0\",\"id\":\"bad-id\",\"source\":\"/gen\","
	"\"type\":\"disclosure.reception.held\",\"time\":\"2020-01-01T00:00:00\","
	"\"subject\":\"s\",\"agency\":\"a\",\"data\":{\"leader\":\"x\",\"visitors\":1}}",
	"{\"specversion\":\"1.0\",\"id\":\"bad-id\",\"source\":\"/gen\","
	"\"type\":\"disclosure.reception.held\",\"time\":\"2020-01-01T00:00:00+08:00\","
	"\"subject\":\"s\",\"agency\":\"a\",\"data\":{\"leader\":\"x\",\"visitors\":-4}}",
};
#define NBAD (sizeof(bad_payloads) / sizeof(bad_payloads[0]))

static unsigned long long rng_state;
static unsigned long long rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int pick_type(unsigned long long r)
{
	int total = 0;
	for (int i = 0; i < NTYPES; i++)
		total += types[i].weight;
	int x = (int)(r % (unsigned long long)total);
	for (int i = 0; i < NTYPES; i++) {
		if (x < types[i].weight)
			return i;
		x -= types[i].weight;
	}
	return 0;
}

/* Event data per type; deterministic from n. */
static int data_for(int t, unsigned long long n, char *out, size_t len)
{
	static const char *const cats[] = {"work_news", "notice", "reception_notice",
					   "regulation", "normative_document"};
	static const char *const classes[] = {"natural_person", "commercial_enterprise",
		"research_institution", "public_interest_org", "legal_service_org", "other_org"};
	static const char *const outcomes[] = {"3.1", "3.2", "3.3.4", "3.4.1", "3.5.2", "3.6.3"};
	static const char *const routes[] = {"reconsideration", "litigation_direct",
					     "litigation_after_reconsideration"};
	static const char *const results[] = {"upheld", "corrected", "other"};
	switch (t) {
	case 0: return snprintf(out, len, "{\"channel\":\"online\",\"category\":\"urban management\"}");
	case 1: return snprintf(out, len, "{\"unit\":\"district bureau %llu\"}", n % 17);
	case 2: return snprintf(out, len, "{\"accepted\":%s}", n % 10 ? "true" : "false");
	case 3: return snprintf(out, len, "{\"result\":\"resolved\"}");
	case 4: return snprintf(out, len, "{\"leader\":\"deputy director\",\"visitors\":%llu}", n % 9);
	case 5: return snprintf(out, len, "{\"category\":\"%s\",\"channel\":\"website\","
				"\"title\":\"Item %llu: petition work update\"}", cats[n % 5], n);
	case 6: return snprintf(out, len, "{\"reason\":\"superseded\"}");
	case 7: return snprintf(out, len, "{\"views_total\":%llu,\"followers\":%llu}", n * 3, n / 7);
	case 8: return snprintf(out, len, "{\"applicant_class\":\"%s\",\"channel\":\"online\"}",
				classes[n % 6]);
	case 9: return snprintf(out, len, "{\"outcome\":\"%s\"}", outcomes[n % 6]);
	case 10: return snprintf(out, len, "{\"route\":\"%s\"}", routes[n % 3]);
	case 11: return snprintf(out, len, "{\"outcome\":\"%s\"}", results[n % 3]);
	default: return snprintf(out, len, "{\"year\":%llu,\"item\":\"permit\",\"decisions\":%llu}",
				 2019 + n % 3, n % 50);
	}
}

static int64_t wall_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The broker's acknowledgements of a paced run: each message's opaque is
 * its send instant (wall_us), the one its event carries as `time`. */
struct acks {
	int64_t *lat_us;
	size_t n, cap;
};

/* A message the broker refused must fail the tool, not vanish. */
static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	struct acks *a = opaque;
	(void)rk;
	if (m->err) {
		fprintf(stderr, "evtool: delivery to %s failed: %s\n", rd_kafka_topic_name(m->rkt),
			rd_kafka_err2str(m->err));
		exit(1);
	}
	if (!a)
		return;
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 65536;
		a->lat_us = realloc(a->lat_us, a->cap * sizeof(*a->lat_us));
		if (!a->lat_us)
			abort();
	}
	a->lat_us[a->n++] = wall_us() - (int64_t)(intptr_t)m->_private;
}

/* acks: NULL, or where a paced run keeps its acknowledgement latencies
 * (borrowed; must outlive the producer). */
static rd_kafka_t *make_producer(const char *brokers, const char *linger_ms, struct acks *acks)
{
	char err[512];
	rd_kafka_conf_t *c = rd_kafka_conf_new();
	rd_kafka_conf_set_dr_msg_cb(c, on_delivery);
	rd_kafka_conf_set_opaque(c, acks);
	const char *kv[][2] = {{"bootstrap.servers", brokers}, {"linger.ms", linger_ms},
			       {"batch.num.messages", "10000"}, {"enable.idempotence", "true"},
			       {"queue.buffering.max.messages", "500000"},
			       {"message.max.bytes", "16000000"},
			       /* "coordinator load in progress" at a fresh broker is retried; only errors matter */
			       {"log_level", "3"}};
	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++)
		if (rd_kafka_conf_set(c, kv[i][0], kv[i][1], err, sizeof(err))) {
			fprintf(stderr, "evtool: %s\n", err);
			exit(1);
		}
	rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, c, err, sizeof(err));
	if (!rk) {
		fprintf(stderr, "evtool: %s\n", err);
		exit(1);
	}
	return rk;
}

static void produce_one(rd_kafka_t *rk, const char *topic, const char *key, const void *val,
		 size_t len, rd_kafka_headers_t *hdrs)
{
	for (;;) {
		rd_kafka_resp_err_t e = rd_kafka_producev(
			rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY(key, key ? strlen(key) : 0),
			RD_KAFKA_V_VALUE((void *)val, len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
			RD_KAFKA_V_HEADERS(hdrs), RD_KAFKA_V_END);
		if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
			rd_kafka_poll(rk, 50);
			continue;
		}
		if (e) {
			fprintf(stderr, "evtool: produce to %s failed: %s\n", topic, rd_kafka_err2str(e));
			if (hdrs)
				rd_kafka_headers_destroy(hdrs);
			exit(1);
		}
		return;
	}
}

static void finish(rd_kafka_t *rk)
{
	rd_kafka_resp_err_t e = rd_kafka_flush(rk, 120000);
	if (e) {
		fprintf(stderr, "evtool: flush failed: %s\n", rd_kafka_err2str(e));
		exit(1);
	}
	rd_kafka_destroy(rk);
}

static int cmd_produce(int argc, char **argv)
{
	static const struct option o[] = {
		{"brokers", 1, 0, 'b'}, {"count", 1, 0, 'n'}, {"prefix", 1, 0, 'P'},
		{"agencies", 1, 0, 'a'}, {"bad-every", 1, 0, 'B'}, {"dup-every", 1, 0, 'D'},
		{"binary-every", 1, 0, 'Y'}, {"expect", 1, 0, 'e'}, {"seed", 1, 0, 's'},
		{"start", 1, 0, 'S'}, {"topic-prefix", 1, 0, 'T'}, {0, 0, 0, 0}};
	const char *brokers = NULL, *prefix = "ev", *expect = NULL, *tprefix = "disclosure.";
	unsigned long long count = 1000, agencies = 5, bad = 0, dup = 0, bin = 0, seed = 42,
			   start = 0;
	int c;
	while ((c = getopt_long(argc, argv, "b:n:", o, NULL)) != -1) {
		switch (c) {
		case 'b': brokers = optarg; break;
		case 'n': count = strtoull(optarg, NULL, 10); break;
		case 'P': prefix = optarg; break;
		case 'a': agencies = strtoull(optarg, NULL, 10); break;
		case 'B': bad = strtoull(optarg, NULL, 10); break;
		case 'D': dup = strtoull(optarg, NULL, 10); break;
		case 'Y': bin = strtoull(optarg, NULL, 10); break;
		case 'e': expect = optarg; break;
		case 's': seed = strtoull(optarg, NULL, 10); break;
		case 'S': start = strtoull(optarg, NULL, 10); break;
		case 'T': tprefix = optarg; break;
		default: return 2;
		}
	}
	if (!brokers || !agencies) {
		fprintf(stderr, "evtool produce: -b BROKERS is required\n");
		return 2;
	}
	rng_state = seed * 2654435761ULL + 1;
	rd_kafka_t *rk = make_producer(brokers, "20", NULL);
	unsigned long long per_table[NTYPES] = {0}, nbad = 0, ndup = 0, sent = 0;
	char payload[2048], data[512], subject[64], agency[32], ts[40], id[96];
	for (unsigned long long i = start; i < start + count; i++) {
		unsigned long long r = rnd();
		int t = pick_type(r);
		char topic[128];
		snprintf(topic, sizeof(topic), "%s%s", tprefix, types[t].topic + strlen("disclosure."));
		if (bad && i % bad == bad - 1) {
			const char *p = bad_payloads[nbad % NBAD];
			produce_one(rk, topic, NULL, p, strlen(p), NULL);
			nbad++;
			sent++;
			continue;
		}
		/* Cases group related lifecycle events under one subject and key. */
		snprintf(subject, sizeof(subject), "%s-%c%llu", prefix, types[t].type[0], i / 4);
		snprintf(agency, sizeof(agency), "agency-%02llu", (r >> 20) % agencies);
		unsigned long long secs = (r >> 8) % (2 * 365 * 86400ULL);
		time_t tt = (time_t)(1577808000ULL + secs); /* 2020-01-01T00:00:00+08:00 */
		struct tm tm;
		gmtime_r(&tt, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S+08:00", &tm);
		snprintf(id, sizeof(id), "%s-%llu", prefix, i);
		data_for(t, i, data, sizeof(data));
		rd_kafka_headers_t *h = NULL;
		int n;
		if (bin && i % bin == 0) {
			char type[64];
			snprintf(type, sizeof(type), "disclosure.%s", types[t].type);
			h = rd_kafka_headers_new(8);
			rd_kafka_header_add(h, "ce_specversion", -1, "1.0", -1);
			rd_kafka_header_add(h, "ce_id", -1, id, -1);
			rd_kafka_header_add(h, "ce_source", -1, "/gen", -1);
			rd_kafka_header_add(h, "ce_type", -1, type, -1);
			rd_kafka_header_add(h, "ce_time", -1, ts, -1);
			rd_kafka_header_add(h, "ce_subject", -1, subject, -1);
			rd_kafka_header_add(h, "ce_agency", -1, agency, -1);
			rd_kafka_header_add(h, "content-type", -1, "application/json", -1);
			n = snprintf(payload, sizeof(payload), "%s", data);
		} else {
			n = snprintf(payload, sizeof(payload),
				     "{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"/gen\","
				     "\"type\":\"disclosure.%s\",\"time\":\"%s\",\"subject\":\"%s\","
				     "\"agency\":\"%s\",\"datacontenttype\":\"application/json\","
				     "\"data\":%s}", id, types[t].type, ts, subject, agency, data);
		}
		rd_kafka_headers_t *h2 = NULL;
		if (dup && i % dup == dup - 1) {
			h2 = h ? rd_kafka_headers_copy(h) : NULL;
			produce_one(rk, topic, subject, payload, (size_t)n, h2);
			ndup++;
			sent++;
		}
		produce_one(rk, topic, subject, payload, (size_t)n, h);
		per_table[t]++;
		sent++;
		if (sent % 10000 == 0)
			rd_kafka_poll(rk, 0);
	}
	finish(rk);
	unsigned long long events = 0;
	for (int t = 0; t < NTYPES; t++)
		events += per_table[t];
	if (expect) {
		FILE *f = fopen(expect, "w");
		if (!f) {
			perror(expect);
			return 1;
		}
		for (int t = 0; t < NTYPES; t++)
			fprintf(f, "%s %llu\n", types[t].table, per_table[t]);
		fprintf(f, "raw_event %llu\nquarantine %llu\n", events, nbad);
		fclose(f);
	}
	printf("produced messages=%llu events=%llu bad=%llu duplicates=%llu\n", sent, events,
	       nbad, ndup);
	return 0;
}

static int cmd_topics(int argc, char **argv)
{
	const char *brokers = NULL;
	int parts = 4, c;
	char err[512];
	while ((c = getopt(argc, argv, "b:p:")) != -1) {
		if (c == 'b')
			brokers = optarg;
		else if (c == 'p')
			parts = atoi(optarg);
		else
			return 2;
	}
	if (!brokers || optind >= argc) {
		fprintf(stderr, "evtool topics: -b BROKERS and at least one topic\n");
		return 2;
	}
	rd_kafka_t *rk = make_producer(brokers, "20", NULL);
	int n = argc - optind;
	rd_kafka_NewTopic_t **nt = calloc((size_t)n, sizeof(*nt));
	for (int i = 0; i < n; i++)
		nt[i] = rd_kafka_NewTopic_new(argv[optind + i], parts, 1, err, sizeof(err));
	rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
	rd_kafka_CreateTopics(rk, nt, (size_t)n, NULL, q);
	rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 30000);
	int rc = 0;
	if (!ev) {
		fprintf(stderr, "evtool topics: no answer from %s\n", brokers);
		rc = 1;
	} else {
		size_t cnt;
		const rd_kafka_topic_result_t **res =
			rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &cnt);
		for (size_t i = 0; i < cnt; i++) {
			rd_kafka_resp_err_t e = rd_kafka_topic_result_error(res[i]);
			if (e && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
				fprintf(stderr, "evtool topics: %s: %s\n",
					rd_kafka_topic_result_name(res[i]),
					rd_kafka_topic_result_error_string(res[i]));
				rc = 1;
			}
		}
		rd_kafka_event_destroy(ev);
	}
	for (int i = 0; i < n; i++)
		rd_kafka_NewTopic_destroy(nt[i]);
	free(nt);
	rd_kafka_queue_destroy(q);
	rd_kafka_destroy(rk);
	return rc;
}

/* The Kafka key docs/events.md asks for: the event's subject, from the
 * structured body or the ce_subject header; NULL (no key) when it has none,
 * e.g. a malformed line. Owned by the caller. */
static char *subject_key(const char *body, size_t blen, const rd_kafka_headers_t *h)
{
	const void *v;
	size_t vlen;
	if (h) {
		if (rd_kafka_header_get_last(h, "ce_subject", &v, &vlen) == RD_KAFKA_RESP_ERR_NO_ERROR)
			return strndup(v, vlen);
		return NULL;
	}
	json_t *j = json_loadb(body, blen, 0, NULL);
	const char *s = json_string_value(json_object_get(j, "subject"));
	char *key = s ? strdup(s) : NULL;
	json_decref(j);
	return key;
}

/* One message per line, keyed by its subject as a producer should. A line
 * "ce:NAME=VALUE;NAME=VALUE|BODY" is sent in binary mode with those
 * headers; "raw-hex:HEX" sends arbitrary bytes; "big:N" sends an N-byte
 * payload of 'x' inside a JSON string (those two without a key). */
static int cmd_lines(int argc, char **argv)
{
	const char *brokers = NULL, *topic = NULL;
	int c;
	while ((c = getopt(argc, argv, "b:t:")) != -1) {
		if (c == 'b')
			brokers = optarg;
		else if (c == 't')
			topic = optarg;
		else
			return 2;
	}
	if (!brokers || !topic || optind >= argc) {
		fprintf(stderr, "evtool lines: -b BROKERS -t TOPIC FILE\n");
		return 2;
	}
	FILE *f = strcmp(argv[optind], "-") ? fopen(argv[optind], "r") : stdin;
	if (!f) {
		perror(argv[optind]);
		return 1;
	}
	rd_kafka_t *rk = make_producer(brokers, "20", NULL);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long long sent = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (n == 0)
			continue;
		rd_kafka_headers_t *h = NULL;
		char *body = line;
		size_t blen = (size_t)n;
		char *owned = NULL;
		if (strncmp(line, "ce:", 3) == 0 && strchr(line, '|')) {
			char *bar = strchr(line, '|');
			*bar = '\0';
			body = bar + 1;
			blen = strlen(body);
			h = rd_kafka_headers_new(8);
			char *save = NULL;
			for (char *kv = strtok_r(line + 3, ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
				char *eq = strchr(kv, '=');
				if (eq) {
					*eq = '\0';
					rd_kafka_header_add(h, kv, -1, eq + 1, -1);
				}
			}
		} else if (strncmp(line, "raw-hex:", 8) == 0) {
			size_t hl = strlen(line + 8) / 2;
			owned = malloc(hl + 1);
			for (size_t i = 0; i < hl; i++)
				sscanf(line + 8 + 2 * i, "%2hhx", (unsigned char *)&owned[i]);
			body = owned;
			blen = hl;
		} else if (strncmp(line, "big:", 4) == 0) {
			size_t bl = strtoull(line + 4, NULL, 10);
			owned = malloc(bl + 1);
			memset(owned, 'x', bl);
			memcpy(owned, "{\"p\":\"", 6);
			memcpy(owned + bl - 2, "\"}", 2);
			body = owned;
			blen = bl;
		}
		char *key = owned ? NULL : subject_key(body, blen, h);
		produce_one(rk, topic, key, body, blen, h);
		free(key);
		free(owned);
		sent++;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	finish(rk);
	printf("produced messages=%llu\n", sent);
	return 0;
}

/* One message from a file, as is; headers from an optional file of
 * name=value lines (binary-mode CloudEvents). */
static int cmd_file(int argc, char **argv)
{
	if (argc < 5 || strcmp(argv[1], "-b") || strcmp(argv[3], "-t")) {
		fprintf(stderr, "evtool file -b BROKERS -t TOPIC PAYLOAD [HEADERS]\n");
		return 2;
	}
	FILE *f = argc > 5 ? fopen(argv[5], "rb") : NULL;
	if (!f) {
		fprintf(stderr, "evtool file: cannot read payload\n");
		return 1;
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(f);
	fclose(m);
	rd_kafka_headers_t *h = NULL;
	if (argc > 6) {
		FILE *hf = fopen(argv[6], "r");
		char line[1024];
		h = rd_kafka_headers_new(8);
		while (hf && fgets(line, sizeof(line), hf)) {
			line[strcspn(line, "\n")] = '\0';
			char *eq = strchr(line, '=');
			if (eq) {
				*eq = '\0';
				rd_kafka_header_add(h, line, -1, eq + 1, -1);
			}
		}
		if (hf)
			fclose(hf);
	}
	rd_kafka_t *rk = make_producer(argv[2], "20", NULL);
	produce_one(rk, argv[4], NULL, len ? buf : NULL, len, h);
	finish(rk);
	free(buf);
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The nearest-rank percentile (PostgreSQL's percentile_disc) in ms. */
static double pct_ms(const int64_t *sorted, size_t n, double p)
{
	size_t i = (size_t)((double)n * p + 0.999999);
	return n ? (double)sorted[i ? i - 1 : 0] / 1000 : 0;
}

/* Wait until `due` (wall_us), serving delivery reports meanwhile: they are
 * timed when served, so poll at least once a millisecond. */
static void pace_wait(rd_kafka_t *rk, int64_t due)
{
	for (int64_t left; (left = due - wall_us()) > 0;) {
		if (left >= 1000) {
			rd_kafka_poll(rk, (int)(left / 1000));
			continue;
		}
		rd_kafka_poll(rk, 0);
		struct timespec ts = {0, (long)left * 1000};
		nanosleep(&ts, NULL);
	}
}

struct pace {
	rd_kafka_t *rk;
	const char *prefix, *tprefix;
	unsigned long long agencies;
};

/* Send event i of type t, its `time` and opaque being the instant now. */
static int pace_send(struct pace *p, const char *id, unsigned long long i, int t,
		     unsigned long long r)
{
	char payload[2048], data[512], subject[64], agency[32], ts[48], topic[128];
	snprintf(topic, sizeof(topic), "%s%s", p->tprefix, types[t].topic + strlen("disclosure."));
	snprintf(subject, sizeof(subject), "%s-%c%llu", p->prefix, types[t].type[0], i / 4);
	snprintf(agency, sizeof(agency), "agency-%02llu", (r >> 20) % p->agencies);
	data_for(t, i, data, sizeof(data));
	int64_t now = wall_us();
	time_t tt = (time_t)(now / 1000000);
	struct tm tm;
	gmtime_r(&tt, &tm);
	size_t tl = strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(ts + tl, sizeof(ts) - tl, ".%06dZ", (int)(now % 1000000));
	int n = snprintf(payload, sizeof(payload),
			 "{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"/gen\","
			 "\"type\":\"disclosure.%s\",\"time\":\"%s\",\"subject\":\"%s\","
			 "\"agency\":\"%s\",\"datacontenttype\":\"application/json\","
			 "\"data\":%s}", id, types[t].type, ts, subject, agency, data);
	for (;;) {
		rd_kafka_resp_err_t e = rd_kafka_producev(
			p->rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY(subject, strlen(subject)),
			RD_KAFKA_V_VALUE(payload, (size_t)n), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
			RD_KAFKA_V_OPAQUE((void *)(intptr_t)now), RD_KAFKA_V_END);
		if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
			if (e)
				fprintf(stderr, "evtool: produce to %s failed: %s\n", topic,
					rd_kafka_err2str(e));
			return e ? -1 : 0;
		}
		rd_kafka_poll(p->rk, 1);
	}
}

/* Events at a steady rate, each stamped with its send instant as `time`
 * (microseconds, UTC), for end-to-end latency. First one event of each
 * type (ids PREFIXw-N), acknowledged before the clock starts, so that
 * connections, metadata and the producer id are not in the figures. Prints
 * the broker's acknowledgement latency of the paced events: the floor of
 * any consumer. */
static int cmd_pace(int argc, char **argv)
{
	static const struct option o[] = {
		{"brokers", 1, 0, 'b'}, {"rate", 1, 0, 'r'}, {"duration", 1, 0, 'd'},
		{"prefix", 1, 0, 'P'}, {"agencies", 1, 0, 'a'}, {"topic-prefix", 1, 0, 'T'},
		{"linger", 1, 0, 'l'}, {"seed", 1, 0, 's'}, {0, 0, 0, 0}};
	struct pace p = {NULL, "pace", "disclosure.", 5};
	const char *brokers = NULL, *linger = "1";
	double rate = 1000, secs = 60;
	unsigned long long seed = 42;
	int c;
	while ((c = getopt_long(argc, argv, "b:r:d:l:", o, NULL)) != -1) {
		switch (c) {
		case 'b': brokers = optarg; break;
		case 'r': rate = strtod(optarg, NULL); break;
		case 'd': secs = strtod(optarg, NULL); break;
		case 'P': p.prefix = optarg; break;
		case 'a': p.agencies = strtoull(optarg, NULL, 10); break;
		case 'T': p.tprefix = optarg; break;
		case 'l': linger = optarg; break;
		case 's': seed = strtoull(optarg, NULL, 10); break;
		default: return 2;
		}
	}
	if (!brokers || !p.agencies || !(rate > 0) || !(secs > 0)) {
		fprintf(stderr, "evtool pace: -b BROKERS, and -r RATE -d SECONDS above 0\n");
		return 2;
	}
	rng_state = seed * 2654435761ULL + 1;
	struct acks acks = {0};
	p.rk = make_producer(brokers, linger, &acks);
	char id[96];
	for (int t = 0; t < NTYPES; t++) {
		snprintf(id, sizeof(id), "%sw-%d", p.prefix, t);
		if (pace_send(&p, id, (unsigned long long)t, t, rnd()))
			return 1;
	}
	if (rd_kafka_flush(p.rk, 60000)) {
		fprintf(stderr, "evtool pace: the warm-up events were not acknowledged\n");
		return 1;
	}
	acks.n = 0;
	unsigned long long count = (unsigned long long)(rate * secs);
	int64_t t0 = wall_us() + 1000, behind_max = 0;
	for (unsigned long long i = 0; i < count; i++) {
		int64_t due = t0 + (int64_t)((double)i * 1e6 / rate);
		pace_wait(p.rk, due);
		if (wall_us() - due > behind_max)
			behind_max = wall_us() - due;
		unsigned long long r = rnd();
		snprintf(id, sizeof(id), "%s-%llu", p.prefix, i);
		if (pace_send(&p, id, i, pick_type(r), r))
			return 1;
	}
	double took = (double)(wall_us() - t0) / 1e6;
	finish(p.rk);
	qsort(acks.lat_us, acks.n, sizeof(*acks.lat_us), cmp_i64);
	printf("paced warmup=%d sent=%llu rate=%.0f achieved_rate=%.0f behind_max_ms=%.1f "
	       "acked=%zu ack_p50_ms=%.1f ack_p99_ms=%.1f ack_max_ms=%.1f\n", NTYPES, count, rate,
	       (double)count / took, (double)behind_max / 1000, acks.n,
	       pct_ms(acks.lat_us, acks.n, 0.50), pct_ms(acks.lat_us, acks.n, 0.99),
	       pct_ms(acks.lat_us, acks.n, 1.0));
	free(acks.lat_us);
	return acks.n == count ? 0 : 1;
}

/* A bare consumer's start, the floor of the daemon's: joins a new group
 * with the daemon's fetch settings, reads from the beginning and prints
 * the wall time (epoch seconds) of its first message, then exits at once
 * (no leave). --hold takes a handle on
 * each topic before subscribing, as the daemon does, so the partitions know
 * their leader at the assignment; without it librdkafka's default start. */
static int cmd_first(int argc, char **argv)
{
	static const struct option o[] = {
		{"brokers", 1, 0, 'b'}, {"group", 1, 0, 'g'}, {"hold", 0, 0, 'H'}, {0, 0, 0, 0}};
	const char *brokers = NULL, *group = NULL;
	bool hold = false;
	int c;
	char err[512];
	while ((c = getopt_long(argc, argv, "b:g:", o, NULL)) != -1) {
		switch (c) {
		case 'b': brokers = optarg; break;
		case 'g': group = optarg; break;
		case 'H': hold = true; break;
		default: return 2;
		}
	}
	if (!brokers || !group || optind >= argc) {
		fprintf(stderr, "evtool first: -b BROKERS -g GROUP [--hold] TOPIC...\n");
		return 2;
	}
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	const char *kv[][2] = {{"bootstrap.servers", brokers}, {"group.id", group},
			       {"auto.offset.reset", "earliest"}, {"enable.auto.commit", "false"},
			       /* the daemon's fetch sizing (lib/kafkaconf.c): a first fetch
				* of 1 MB a partition would take the whole backlog */
			       {"max.partition.fetch.bytes", "32768"},
			       {"queued.max.messages.kbytes", "20480"}, {"log_level", "3"}};
	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++)
		if (rd_kafka_conf_set(conf, kv[i][0], kv[i][1], err, sizeof(err))) {
			fprintf(stderr, "evtool: %s\n", err);
			return 1;
		}
	rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err));
	if (!rk) {
		fprintf(stderr, "evtool: %s\n", err);
		return 1;
	}
	rd_kafka_poll_set_consumer(rk);
	int n = argc - optind;
	rd_kafka_topic_t **held = calloc((size_t)n, sizeof(*held));
	rd_kafka_topic_partition_list_t *subs = rd_kafka_topic_partition_list_new(n);
	for (int i = 0; i < n; i++) {
		if (hold)
			held[i] = rd_kafka_topic_new(rk, argv[optind + i], NULL);
		rd_kafka_topic_partition_list_add(subs, argv[optind + i], RD_KAFKA_PARTITION_UA);
	}
	rd_kafka_resp_err_t e = rd_kafka_subscribe(rk, subs);
	rd_kafka_topic_partition_list_destroy(subs);
	int rc = 1;
	if (e)
		fprintf(stderr, "evtool first: subscribe: %s\n", rd_kafka_err2str(e));
	for (int waited = 0; !e && waited < 60000; waited += 100) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
		if (!m)
			continue;
		bool ok = !m->err;
		if (ok) {
			int64_t now = wall_us();
			printf("first_message_at=%lld.%06lld topic=%s partition=%d offset=%lld\n",
			       (long long)(now / 1000000), (long long)(now % 1000000),
			       rd_kafka_topic_name(m->rkt), m->partition, (long long)m->offset);
			fflush(stdout);
		}
		rd_kafka_message_destroy(m);
		if (ok) {
			rc = 0;
			break;
		}
	}
	for (int i = 0; i < n; i++)
		if (held[i])
			rd_kafka_topic_destroy(held[i]);
	free(held);
	rd_kafka_destroy_flags(rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: evtool topics|produce|pace|first|lines|file ...\n");
		return 2;
	}
	if (strcmp(argv[1], "produce") == 0)
		return cmd_produce(argc - 1, argv + 1);
	if (strcmp(argv[1], "topics") == 0)
		return cmd_topics(argc - 1, argv + 1);
	if (strcmp(argv[1], "lines") == 0)
		return cmd_lines(argc - 1, argv + 1);
	if (strcmp(argv[1], "first") == 0)
		return cmd_first(argc - 1, argv + 1);
	if (strcmp(argv[1], "pace") == 0)
		return cmd_pace(argc - 1, argv + 1);
	if (strcmp(argv[1], "file") == 0)
		return cmd_file(argc - 1, argv + 1);
	fprintf(stderr, "evtool: unknown command %s\n", argv[1]);
	return 2;
}
