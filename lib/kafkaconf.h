/*
 * kafkaconf: a librdkafka configuration from [kafka] and [kafka_sasl], the
 * one place that turns the config file into client properties, for the
 * consume loop and the operator commands alike.
 */
#ifndef DISCLOSED_KAFKACONF_H
#define DISCLOSED_KAFKACONF_H

#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"

/* Set k = v on conf; on failure err names the key (and its config line
 * when line > 0) and librdkafka's reason. */
int kafkaconf_set(rd_kafka_conf_t *conf, const char *k, const char *v, int line, char *err,
		  size_t errlen);
/* Apply every [kafka] property and the password of [kafka_sasl]
 * password_file over what conf already holds (defaults set before win
 * only where the file is silent); %H in group.instance.id becomes the host
 * name (static membership). -1 with err when a property is refused,
 * bootstrap.servers is missing, or the password cannot be read. */
int kafkaconf_apply(rd_kafka_conf_t *conf, const struct config *c, char *err, size_t errlen);
/* True when SCRAM is configured but this librdkafka predates 2.6.1, whose
 * SCRAM login Kafka 4.x brokers refuse. */
bool kafkaconf_scram_outdated(const struct config *c);
/* The consumer's configuration: our defaults (no auto commit: PostgreSQL
 * holds the offsets; bounded prefetch), then the file, then group.id.
 * Caller owns it; NULL with err when a property is refused. */
rd_kafka_conf_t *kafkaconf_consumer(const struct config *c, char *err, size_t errlen);
/* librdkafka's log lines into ours, at the matching level (any thread). */
void kafkaconf_log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf);

#endif
