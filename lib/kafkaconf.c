#include "kafkaconf.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "log.h"

int kafkaconf_set(rd_kafka_conf_t *conf, const char *k, const char *v, int line, char *err,
		  size_t errlen)
{
	char e[512];
	if (rd_kafka_conf_set(conf, k, v, e, sizeof(e)) == RD_KAFKA_CONF_OK)
		return 0;
	if (line)
		snprintf(err, errlen, "[kafka] %s (line %d): %s", k, line, e);
	else
		snprintf(err, errlen, "[kafka] %s: %s", k, e);
	return -1;
}

/* The [kafka] entry for key, or NULL. */
static const struct kv *kafka_key(const struct config *c, const char *key)
{
	for (size_t i = 0; i < c->nkafka; i++)
		if (strcmp(c->kafka[i].key, key) == 0)
			return &c->kafka[i];
	return NULL;
}

/* sasl.password from [kafka_sasl] password_file (a systemd credential, a
 * file only the service reads), so the configuration holds no secret. */
static int set_password(rd_kafka_conf_t *conf, const struct config *c, char *err,
			size_t errlen)
{
	char pw[512];
	int got = config_kafka_password(c, pw, sizeof(pw), err, errlen);
	if (got <= 0)
		return got;
	int rc = -1;
	const struct kv *inline_pw = kafka_key(c, "sasl.password");
	if (inline_pw)
		snprintf(err, errlen, "[kafka] sasl.password (line %d) and [kafka_sasl] "
			 "password_file are both set: keep one", inline_pw->line);
	else
		rc = kafkaconf_set(conf, "sasl.password", pw, 0, err, errlen);
	explicit_bzero(pw, sizeof(pw));
	return rc;
}

/* group.instance.id with each %H replaced by the host name, so one
 * configuration file serves every host and each keeps its own static
 * membership. 0, or -1 with err. */
static int expand_instance_id(const struct kv *kv, char *out, size_t cap, char *err,
			      size_t errlen)
{
	char host[256];
	size_t n = 0;
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	for (const char *p = kv->value; *p; p++) {
		const char *add = p[0] == '%' && p[1] == 'H' ? host : NULL;
		size_t len = add ? strlen(add) : 1;
		if (n + len >= cap) {
			snprintf(err, errlen, "[kafka] group.instance.id (line %d): longer than %zu "
				 "bytes once %%H is the host name", kv->line, cap - 1);
			return -1;
		}
		memcpy(out + n, add ? add : p, len);
		n += len;
		p += add ? 1 : 0;
	}
	out[n] = '\0';
	return 0;
}

int kafkaconf_apply(rd_kafka_conf_t *conf, const struct config *c, char *err, size_t errlen)
{
	for (size_t i = 0; i < c->nkafka; i++) {
		const struct kv *kv = &c->kafka[i];
		char id[512];
		const char *v = kv->value;
		if (strcmp(kv->key, "group.instance.id") == 0) {
			if (expand_instance_id(kv, id, sizeof(id), err, errlen))
				return -1;
			v = id;
		}
		if (kafkaconf_set(conf, kv->key, v, kv->line, err, errlen))
			return -1;
	}
	if (!kafka_key(c, "bootstrap.servers") && !kafka_key(c, "metadata.broker.list")) {
		snprintf(err, errlen, "[kafka] bootstrap.servers is not set");
		return -1;
	}
	return set_password(conf, c, err, errlen);
}

/* librdkafka before 2.6.1 repeats the client nonce in SCRAM's final
 * message; Kafka 4.x checks it strictly and refuses the login. */
bool kafkaconf_scram_outdated(const struct config *c)
{
	if (rd_kafka_version() >= 0x020601ff)
		return false;
	const struct kv *m = kafka_key(c, "sasl.mechanisms");
	if (!m)
		m = kafka_key(c, "sasl.mechanism");
	return m && strncasecmp(m->value, "SCRAM", 5) == 0;
}

rd_kafka_conf_t *kafkaconf_consumer(const struct config *c, char *err, size_t errlen)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	static const char *const defaults[][2] = {
		{"enable.auto.commit", "false"},
		{"enable.auto.offset.store", "false"},
		{"auto.offset.reset", "earliest"},
		{"enable.partition.eof", "false"},
		/* Prefetch bounds memory: librdkafka's default (64 MB of payload,
		 * nearly twice that in RSS for small events) would exceed our
		 * 100 MB budget, and so did 20 MB (peak RSS 101-104 MB). 12 MB
		 * still keeps PostgreSQL busy (bench/ingest BENCH_QUEUE_KB, back
		 * to back: the same events/s, peak 80 MB); much lower starves
		 * the loop, since 2.0.x looks at a full queue again only about
		 * once a second. */
		{"queued.max.messages.kbytes", "12288"},
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
	return conf;
fail:
	rd_kafka_conf_destroy(conf);
	return NULL;
}

void kafkaconf_log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	(void)rk;
	log_msg(level <= 3 ? LOG_LVL_ERROR : level == 4 ? LOG_LVL_WARN
		: level <= 6 ? LOG_LVL_INFO : LOG_LVL_DEBUG, "kafka %s: %s", fac, buf);
}
