/*
 * disclosed: consumes disclosure events from Kafka and writes them exactly
 * once to PostgreSQL. See disclosed(8) and README.md.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include <jansson.h>
#include <librdkafka/rdkafka.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "config.h"
#include "db.h"
#include "ingest.h"
#include "log.h"
#include "migrate.h"
#include "ops.h"
#include "sink.h"

#ifndef DISCLOSED_VERSION
#define DISCLOSED_VERSION "0.0.0"
#endif
#define DEFAULT_CONFIG "/etc/disclosed/disclosed.conf"


static void usage(FILE *out)
{
	fprintf(out,
		"Usage: disclosed [OPTIONS] [COMMAND]\n"
		"\n"
		"Consume government-disclosure events from Kafka and store them exactly\n"
		"once in PostgreSQL.\n"
		"\n"
		"Commands:\n"
		"  run              consume until SIGTERM/SIGINT (the default)\n"
		"  migrate          apply the schema migrations that are missing\n"
		"  schema [TYPE]    print the JSON Schema of one event type, or of all\n"
		"  types            list the event types, their tables and columns\n"
		"  validate FILE    check structured-mode events, one JSON per line\n"
		"                   (- for standard input); exit 1 if any is invalid\n"
		"  quarantine list [--limit N] [--reason CODE]\n"
		"                   the events set aside, newest first (default 50)\n"
		"  quarantine replay [ID...]\n"
		"                   decode set-aside events again (after a fix) and store\n"
		"                   those that pass; no ID: every one not yet replayed\n"
		"  rewind --group G --topic T --to TIME\n"
		"                   move the group's stored offsets on topic T back to the\n"
		"                   first message at or after TIME (RFC 3339); safe while\n"
		"                   running: events already stored are skipped\n"
		"\n"
		"Options:\n"
		"  -c, --config FILE   configuration file (default %s)\n"
		"      --check-config  validate the configuration, print it with\n"
		"                      secrets masked, and exit\n"
		"  -h, --help          show this help\n"
		"  -V, --version       show the version\n",
		DEFAULT_CONFIG);
}

static int load_config(const char *path, struct config **out)
{
	char errs[8192];
	struct config *c = config_new();
	int n = config_load(c, path, errs, sizeof(errs));
	if (n) {
		fprintf(stderr, "%s", errs);
		fprintf(stderr, "disclosed: %d error(s) in %s\n", n, path);
		config_free(c);
		return -1;
	}
	log_set_level((enum log_level)c->log_level);
	*out = c;
	return 0;
}

static int cmd_migrate(const struct config *c)
{
	char err[1024];
	PGconn *conn = db_connect_config(c, "disclosed");
	if (!conn)
		return 1;
	int n = migrate_apply(conn, err, sizeof(err));
	PQfinish(conn);
	if (n < 0) {
		fprintf(stderr, "disclosed: migrate: %s\n", err);
		return 1;
	}
	printf("%d migration(s) applied, %zu in total, schema up to date\n", n, nmigrations);
	return 0;
}

static int cmd_schema(const char *type)
{
	json_t *out;
	if (type) {
		const struct kind_spec *k = event_kind_find(type, strlen(type));
		if (!k) {
			fprintf(stderr, "disclosed: unknown event type \"%s\" (see `disclosed types`)\n",
				type);
			return 2;
		}
		out = event_kind_schema(k);
	} else {
		out = json_object();
		for (size_t i = 0; event_kinds[i]; i++)
			json_object_set_new(out, event_kinds[i]->type,
					    event_kind_schema(event_kinds[i]));
	}
	json_dumpf(out, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(out);
	return 0;
}

/* Decode structured-mode events, one per line, as the daemon would. */
static int cmd_validate(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		fprintf(stderr, "disclosed: validate: cannot open %s\n", path);
		return 2;
	}
	char *line = NULL;
	size_t cap = 0, lineno = 0, bad = 0;
	ssize_t n;
	/* The daemon's default limit, from the one table of defaults. */
	struct config *defaults = config_new();
	struct decode_limits lim = {.max_bytes = (size_t)defaults->max_event_bytes};
	config_free(defaults);
	while ((n = getline(&line, &cap, f)) > 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		struct event_input in = {line, (size_t)n, NULL, 0};
		struct decoded d;
		struct decode_error e;
		if (event_decode(&in, &lim, &d, &e) == 0) {
			printf("%s:%zu: ok %.*s -> disclosed.%s\n", path, lineno, (int)d.type.n,
			       d.type.p, d.kind->table);
			decoded_release(&d);
		} else {
			printf("%s:%zu: %s: %s\n", path, lineno, reason_code(e.reason), e.message);
			bad++;
		}
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return bad ? 1 : 0;
}

static int cmd_types(void)
{
	struct buf cols = BUF_INIT;
	for (size_t i = 0; event_kinds[i]; i++) {
		buf_reset(&cols);
		sink_kind_columns(event_kinds[i], ",", &cols);
		printf("%-36s disclosed.%-24s %s,ingested_at\n", event_kinds[i]->type,
		       event_kinds[i]->table, buf_cstr(&cols));
	}
	buf_free(&cols);
	return 0;
}

static int cmd_run(struct config *c)
{
	char err[1024];
	/* Signals are read from a signalfd in the loop, not handled: blocked
	 * here, before any thread starts, so every thread inherits the mask. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	int sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sigfd < 0) {
		log_error("signalfd failed: %s", strerror(errno));
		return 1;
	}

	char *ci = config_pg_conninfo(c, err, sizeof(err));
	if (!ci) {
		log_error("%s", err);
		return 1;
	}
	struct ingest *g = ingest_new(c, ci, sigfd, err, sizeof(err));
	explicit_bzero(ci, strlen(ci));
	free(ci);
	if (!g) {
		log_error("cannot start: %s", err);
		return 1;
	}
	int rc = ingest_run(g);
	ingest_free(g);
	close(sigfd);
	return rc == 0 ? 0 : 1;
}

/* quarantine list|replay, rewind: argv[0] is the command word. */
static int cmd_ops(const char *path, int argc, char **argv)
{
	static const struct option lo[] = {
		{"limit", 1, 0, 'l'}, {"reason", 1, 0, 'r'}, {"group", 1, 0, 'g'},
		{"topic", 1, 0, 't'}, {"to", 1, 0, 'T'}, {0, 0, 0, 0}};
	const char *reason = NULL, *group = NULL, *topic = NULL, *to = NULL;
	long limit = 50;
	int o, rc;
	bool rewind = strcmp(argv[0], "rewind") == 0;
	const char *sub = rewind ? "rewind" : argc > 1 ? argv[1] : "";
	if (!rewind && strcmp(sub, "list") != 0 && strcmp(sub, "replay") != 0) {
		fprintf(stderr, "disclosed: quarantine needs list or replay\n");
		usage(stderr);
		return 2;
	}
	optind = 1;
	while ((o = getopt_long(argc - !rewind, argv + !rewind, "", lo, NULL)) != -1) {
		switch (o) {
		case 'l': limit = strtol(optarg, NULL, 10); break;
		case 'r': reason = optarg; break;
		case 'g': group = optarg; break;
		case 't': topic = optarg; break;
		case 'T': to = optarg; break;
		default: usage(stderr); return 2;
		}
	}
	if (rewind && (!group || !topic || !to)) {
		fprintf(stderr, "disclosed: rewind needs --group, --topic and --to\n");
		return 2;
	}
	struct config *c = NULL;
	if (load_config(path, &c))
		return 78;
	if (rewind)
		rc = ops_rewind(c, group, topic, to);
	else if (strcmp(sub, "list") == 0)
		rc = ops_quarantine_list(c, limit > 0 ? limit : 50, reason);
	else
		rc = ops_quarantine_replay(c, argv + 1 + optind, (size_t)(argc - 1 - optind));
	config_free(c);
	return rc;
}

/* The libraries in use, as loaded: what a bug report needs (librdkafka's
 * version decides, for one, whether SCRAM works with Kafka 4.x). */
static void print_version(void)
{
	int pq = PQlibVersion();
	printf("disclosed %s\nlibrdkafka %s, libpq %d.%d, jansson %s\n", DISCLOSED_VERSION,
	       rd_kafka_version_str(), pq / 10000, pq % 10000, jansson_version_str());
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"check-config", no_argument, NULL, 'C'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	const char *path = DEFAULT_CONFIG;
	int check = 0, o;
	struct config *c = NULL;
	/* "+": options after the command word belong to the command. */
	while ((o = getopt_long(argc, argv, "+c:hV", opts, NULL)) != -1) {
		switch (o) {
		case 'c': path = optarg; break;
		case 'C': check = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': print_version(); return 0;
		default: usage(stderr); return 2;
		}
	}
	const char *cmd = optind < argc ? argv[optind] : "run";
	if (strcmp(cmd, "schema") == 0)
		return cmd_schema(optind + 1 < argc ? argv[optind + 1] : NULL);
	if (strcmp(cmd, "types") == 0)
		return cmd_types();
	if (strcmp(cmd, "validate") == 0) {
		if (optind + 1 >= argc) {
			fprintf(stderr, "disclosed: validate needs a FILE (or -)\n");
			return 2;
		}
		return cmd_validate(argv[optind + 1]);
	}
	if (strcmp(cmd, "quarantine") == 0 || strcmp(cmd, "rewind") == 0)
		return cmd_ops(path, argc - optind, argv + optind);
	if (strcmp(cmd, "run") != 0 && strcmp(cmd, "migrate") != 0) {
		fprintf(stderr, "disclosed: unknown command \"%s\"\n", cmd);
		usage(stderr);
		return 2;
	}
	if (optind + 1 < argc) {
		fprintf(stderr, "disclosed: unexpected argument \"%s\"\n", argv[optind + 1]);
		usage(stderr);
		return 2;
	}
	if (load_config(path, &c))
		return check ? 1 : 78; /* EX_CONFIG: systemd will not loop on it */
	int rc;
	if (check) {
		config_print(c, stdout);
		rc = 0;
	} else if (strcmp(cmd, "migrate") == 0) {
		rc = cmd_migrate(c);
	} else {
		rc = cmd_run(c);
	}
	config_free(c);
	return rc;
}
