/*
 * config: the daemon's INI configuration (libinih), driven by one
 * declarative table of keys. Every error names the file, the line, the key
 * and the value; [kafka] keys are passed to librdkafka untouched.
 */
#ifndef DISCLOSED_CONFIG_H
#define DISCLOSED_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CONFIG_MAX_KEYS 32

struct kv {
	char *key;
	char *value;
	int line;
};

struct config {
	char *path;
	/* [kafka] */
	struct kv *kafka;
	size_t nkafka;
	/* [kafka_sasl] */
	char *kafka_password_file;
	/* [postgresql] */
	char *pg_conninfo;
	char *pg_password_file;
	/* Off: batches commit without waiting for the WAL flush; their
	 * offsets are in the same transaction, so one lost in a crash of
	 * PostgreSQL is read from Kafka again (README "Performance"). */
	bool pg_synchronous_commit;
	/* [topics] */
	char **topics;
	size_t ntopics;
	/* [ingest] */
	char *group_id;
	long batch_size;
	long flush_interval_ms;
	long max_batch_bytes;
	long max_event_bytes;
	long retry_backoff_max_ms;
	long shutdown_timeout_ms;
	char *time_zone;
	/* [report] */
	char *report_conninfo; /* empty: [postgresql] conninfo */
	char *report_texts_dir;
	char *report_output_dir;
	/* [privacy] */
	char *hmac_key_file;
	/* [metrics] */
	char *metrics_listen;
	/* [log] */
	int log_level;
	/* The line each key of config.c's table was read from (0: its
	 * default), by table position; for --check-config's messages. */
	int key_line[CONFIG_MAX_KEYS];
};

/* Defaults for everything; returns a config that config_free releases. */
struct config *config_new(void);
/* Load a file over the defaults. Returns the number of errors (0 when the
 * file is fine); each error is one line appended to errs. */
int config_load(struct config *c, const char *path, char *errs, size_t errlen)
	__attribute__((warn_unused_result));
/* Same, from a string (for tests); `name` stands in for the file name. */
int config_load_string(struct config *c, const char *name, const char *text,
		       char *errs, size_t errlen) __attribute__((warn_unused_result));
/* Set a key as if read from the file, e.g. from a command-line override. */
int config_set(struct config *c, const char *section, const char *key,
	       const char *value, char *err, size_t errlen);
/* Print the effective configuration, secrets masked. */
void config_print(const struct config *c, FILE *out);
/* One key that differs between a running configuration and a new one:
 * values as config_print shows them (secrets masked; "(not set)" for a
 * [kafka] key added or removed). reloadable: SIGHUP applies it. */
typedef void config_change_fn(void *user, const char *section, const char *key,
			      bool reloadable, const char *running, const char *next);
/* Call fn for every key whose value differs, [kafka] first, then in the
 * order of the key table. Returns how many differ. */
size_t config_changes(const struct config *running, const struct config *next,
		      config_change_fn *fn, void *user);
/* Copy into running the values of next for the keys the key table marks
 * reloadable; the others stay as they are. */
void config_apply_reloadable(struct config *running, const struct config *next);
/* The PostgreSQL conninfo to use: pg_conninfo plus the password from
 * pg_password_file when set. Caller frees. NULL with err on failure. */
char *config_pg_conninfo(const struct config *c, char *err, size_t errlen);
/* The SASL password from [kafka_sasl] password_file into out: 1 when read,
 * 0 when no file is configured, -1 with err when it cannot be read. */
int config_kafka_password(const struct config *c, char *out, size_t cap, char *err,
			  size_t errlen);
/* Read the key for hashing personal data from [privacy] hmac_key_file into
 * key (at most cap bytes; a trailing newline is not part of it). 0 when
 * loaded; -1 when there is none or it cannot be read (why: logged). */
int config_hmac_key(const struct config *c, unsigned char *key, size_t cap, size_t *len);
/* Check what can be checked without connecting: the time zone against the
 * system's zoneinfo, the conninfo syntax, that the files named exist and
 * that secrets (password files, the HMAC key, [kafka] ssl.key.location)
 * are readable by their owner only, the [metrics] listen address. Appends
 * one line per finding to errs ("FILE:LINE: [section] key = "value": why";
 * warnings say "warning:"); returns the number of errors (not warnings). */
int config_check(const struct config *c, char *errs, size_t errlen);
/* Is tz a zone of the system's time zone database (a TZif file under TZDIR
 * or /usr/share/zoneinfo, which is what PostgreSQL built with the system's
 * tzdata reads)? 0 yes; -1 no, 1 cannot tell (no database), with why. */
int config_time_zone_check(const char *tz, char *why, size_t whylen);
/* Parse "host:port" ([metrics] listen): an IPv4 address or localhost and a
 * port in 1..65535. 0 with host (dotted, at least 16 bytes) and port set. */
int config_parse_listen(const char *hostport, char *host, size_t hostlen, int *port,
			char *err, size_t errlen);
void config_free(struct config *c);

#endif
