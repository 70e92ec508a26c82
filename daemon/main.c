/*
 * disclosed: consumes disclosure events from Kafka and writes them exactly
 * once to PostgreSQL. See disclosed(8) and README.md.
 *
 * One table of commands drives dispatch, `help`, `COMMAND --help` and the
 * shell completion (`__complete`), so none of them can drift from the others.
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

#include "cli.h"
#include "event.h"
#include "config.h"
#include "db.h"
#include "ingest.h"
#include "kafkaconf.h"
#include "log.h"
#include "migrate.h"
#include "ops.h"
#include "sink.h"

#ifndef DISCLOSED_VERSION
#define DISCLOSED_VERSION "0.0.0"
#endif
#define DEFAULT_CONFIG "/etc/disclosed/disclosed.conf"
#define PROG "disclosed"

/* What the command line said: the global options, the command's options
 * (whichever command they belong to; each command says which it takes)
 * and the words that are not options. */
struct args {
	const char *config;
	bool check, help, version, names;
	const char *limit, *reason, *group, *topic, *to;
	unsigned given; /* OPT_* bits of the command options used */
	int nwords;
	char **words; /* [0] the command, then its arguments */
};

enum {
	OPT_LIMIT = 1u << 0, OPT_REASON = 1u << 1, OPT_GROUP = 1u << 2,
	OPT_TOPIC = 1u << 3, OPT_TO = 1u << 4, OPT_NAMES = 1u << 5,
};

/* The command options: name, its bit, whether it takes a value. */
static const struct {
	const char *name;
	unsigned bit;
	bool value;
} cmd_opts[] = {
	{"limit", OPT_LIMIT, true}, {"reason", OPT_REASON, true}, {"group", OPT_GROUP, true},
	{"topic", OPT_TOPIC, true}, {"to", OPT_TO, true}, {"names", OPT_NAMES, false},
};
#define NCMD_OPTS (sizeof(cmd_opts) / sizeof(cmd_opts[0]))

struct command {
	const char *name;    /* one word, or "quarantine list" */
	const char *args;    /* its synopsis after the name */
	const char *summary; /* one line for the list of commands */
	const char *help;    /* what `help NAME` adds below the synopsis */
	unsigned opts;       /* OPT_* it takes */
	int min_words, max_words; /* arguments after the name; -1: any number */
	bool config;         /* reads the configuration file */
	int (*run)(struct config *c, const struct args *a, char **words, int n);
	/* Checks the arguments before the configuration is read (NULL: none);
	 * returns an exit status after saying what is wrong, or 0. */
	int (*check)(const struct args *a, char **words, int n);
};

static int run_run(struct config *c, const struct args *a, char **w, int n);
static int run_migrate(struct config *c, const struct args *a, char **w, int n);
static int run_types(struct config *c, const struct args *a, char **w, int n);
static int run_schema(struct config *c, const struct args *a, char **w, int n);
static int run_validate(struct config *c, const struct args *a, char **w, int n);
static int run_qlist(struct config *c, const struct args *a, char **w, int n);
static int run_qshow(struct config *c, const struct args *a, char **w, int n);
static int run_qreplay(struct config *c, const struct args *a, char **w, int n);
static int run_rewind(struct config *c, const struct args *a, char **w, int n);
static int run_help(struct config *c, const struct args *a, char **w, int n);
static int check_qlist(const struct args *a, char **w, int n);
static int check_ids(const struct args *a, char **w, int n);
static int check_rewind(const struct args *a, char **w, int n);

static const struct command commands[] = {
	{"run", "", "consume until SIGTERM/SIGINT (the default command)",
	 "Consume events from the topics of [topics] subscribe and store them in\n"
	 "PostgreSQL exactly once, until SIGTERM or SIGINT; then commit the batch in\n"
	 "flight and leave the consumer group. SIGHUP re-reads the configuration.\n",
	 0, 0, 0, true, run_run, NULL},
	{"migrate", "", "apply the schema migrations that are missing",
	 "Apply the schema migrations compiled into this binary that the database\n"
	 "lacks, in one transaction. Idempotent; refuses a database where an applied\n"
	 "migration differs from the one compiled in.\n",
	 0, 0, 0, true, run_migrate, NULL},
	{"types", "[--names]", "list the event types, their tables and columns",
	 "List every event type with its table and columns.\n"
	 "  --names   the type names alone, one per line\n",
	 OPT_NAMES, 0, 0, false, run_types, NULL},
	{"schema", "[TYPE]", "print the JSON Schema of one event type, or of all",
	 "Print the JSON Schema of event type TYPE (see `disclosed types`), or an\n"
	 "object of every type's schema.\n",
	 0, 0, 1, false, run_schema, NULL},
	{"validate", "FILE", "check structured-mode events, one JSON per line",
	 "Decode each line of FILE (- for standard input) as the daemon would and\n"
	 "print ok or the quarantine reason. Blank lines and lines starting with #\n"
	 "are skipped. Exit 65 when any event is invalid.\n",
	 0, 1, 1, false, run_validate, NULL},
	{"quarantine list", "[--limit N] [--reason CODE]", "the events set aside, newest first",
	 "List set-aside events, newest first, one line each.\n"
	 "  --limit N       at most N (default 50)\n"
	 "  --reason CODE   only this reason code (too_large, bad_json, ..., db_rejected,\n"
	 "                  conflicting_duplicate; docs/events.md lists them)\n",
	 OPT_LIMIT | OPT_REASON, 0, 0, true, run_qlist, check_qlist},
	{"quarantine show", "ID", "one set-aside event in full",
	 "Print one set-aside event: where it came from (topic, partition, offset,\n"
	 "key, headers), why (reason code, field, message, SQLSTATE), its lineage\n"
	 "(type, source, id) and its payload as text, or in hex when it is not UTF-8.\n",
	 0, 1, 1, true, run_qshow, check_ids},
	{"quarantine replay", "[ID...]", "decode set-aside events again and store those that pass",
	 "Decode set-aside events again (after a fix) and store those that pass,\n"
	 "marking them replayed. Without ID: every one not yet replayed.\n",
	 0, 0, -1, true, run_qreplay, check_ids},
	{"rewind", "--group G --topic T --to TIME", "move a group's stored offsets back in time",
	 "Move group G's stored offsets on topic T back to the first message at or\n"
	 "after TIME (RFC 3339, e.g. 2026-01-01T00:00:00+08:00). Safe while the\n"
	 "daemon runs: events already stored are skipped.\n",
	 OPT_GROUP | OPT_TOPIC | OPT_TO, 0, 0, true, run_rewind, check_rewind},
	{"help", "[COMMAND]", "this list, or the help of one command",
	 "Print the list of commands, or the help of COMMAND.\n", 0, 0, 2, false, run_help, NULL},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_usage(FILE *out)
{
	fprintf(out, "Usage: disclosed [OPTIONS] [COMMAND] [ARGS]\n"
		"\n"
		"Consume government-disclosure events from Kafka and store them exactly\n"
		"once in PostgreSQL.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-18s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n"
		"Options (before or after the command):\n"
		"  -c, --config FILE   configuration file (default %s)\n"
		"      --check-config  validate the configuration without connecting, print\n"
		"                      it with secrets masked, and exit\n"
		"  -h, --help          this help, or the command's\n"
		"  -V, --version       the version and the libraries in use\n"
		"\n"
		"`disclosed help COMMAND` or `disclosed COMMAND --help` explains one command.\n"
		"Exit status: 0 ok, 64 usage, 65 invalid data, 66 no such input, 69 PostgreSQL\n"
		"or Kafka unavailable, 70 internal error, 78 configuration (see disclosed(8)).\n",
		DEFAULT_CONFIG);
}

static void print_command_help(const struct command *k, FILE *out)
{
	fprintf(out, "Usage: disclosed [-c FILE] %s%s%s\n\n%s", k->name, *k->args ? " " : "",
		k->args, k->help);
}

/* The entries named `name` ("quarantine list"), or starting with it
 * ("quarantine"): how many, and the first. */
static size_t find_commands(const char *name, const struct command **first)
{
	size_t n = 0, len = strlen(name);
	*first = NULL;
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const char *c = commands[i].name;
		if (strcmp(c, name) == 0) {
			*first = &commands[i];
			return 1;
		}
		if (strncmp(c, name, len) == 0 && c[len] == ' ' && n++ == 0)
			*first = &commands[i];
	}
	return n;
}

/* The help of every entry that is or starts with name; 0 when known. */
static int help_for(const char *name, FILE *out)
{
	const struct command *k;
	size_t n = find_commands(name, &k);
	for (size_t i = 0; i < n; i++)
		print_command_help(&k[i], out), fputs(i + 1 < n ? "\n" : "", out);
	return n ? 0 : -1;
}

static int run_help(struct config *c, const struct args *a, char **w, int n)
{
	(void)c, (void)a;
	char name[64];
	if (n == 0) {
		print_usage(stdout);
		return CLI_OK;
	}
	snprintf(name, sizeof(name), "%s%s%s", w[0], n > 1 ? " " : "", n > 1 ? w[1] : "");
	if (help_for(name, stdout)) {
		cli_error(PROG, "disclosed help", "no command \"%s\"", name);
		return CLI_USAGE;
	}
	return CLI_OK;
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

/* --check-config: the file, then what can be checked without connecting
 * (time zone, files and their modes, the listen address). */
static int check_config(const char *path)
{
	char errs[8192];
	struct config *c = NULL;
	if (load_config(path, &c))
		return CLI_CONFIG;
	int n = config_check(c, errs, sizeof(errs));
	fputs(errs, stderr);
	/* The [kafka] properties as librdkafka will take them (no connection). */
	char err[1024];
	rd_kafka_conf_t *kc = rd_kafka_conf_new();
	if (kafkaconf_apply(kc, c, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", path, err);
		n++;
	}
	rd_kafka_conf_destroy(kc);
	if (n > 0)
		fprintf(stderr, "disclosed: %d error(s) in %s\n", n, path);
	else
		config_print(c, stdout);
	config_free(c);
	return n > 0 ? CLI_CONFIG : CLI_OK;
}

static int run_migrate(struct config *c, const struct args *a, char **w, int n)
{
	(void)a, (void)w, (void)n;
	char err[1024];
	PGconn *conn = db_connect_config(c, PROG);
	if (!conn)
		return CLI_UNAVAILABLE;
	int applied = migrate_apply(conn, err, sizeof(err));
	PQfinish(conn);
	if (applied < 0) {
		/* A changed migration or a missing privilege: the database is
		 * not in a state this release can use until someone acts. */
		cli_error(PROG, NULL, "migrate: %s", err);
		return CLI_CONFIG;
	}
	printf("%d migration(s) applied, %zu in total, schema up to date\n", applied,
	       nmigrations);
	return CLI_OK;
}

static int run_schema(struct config *c, const struct args *a, char **w, int n)
{
	(void)c, (void)a;
	json_t *out;
	if (n) {
		const struct kind_spec *k = event_kind_find(w[0], strlen(w[0]));
		if (!k) {
			cli_error(PROG, "disclosed types --names", "unknown event type \"%s\"", w[0]);
			return CLI_USAGE;
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
	return CLI_OK;
}

/* Decode structured-mode events, one per line, as the daemon would. */
static int run_validate(struct config *c, const struct args *a, char **w, int n)
{
	(void)c, (void)a, (void)n;
	const char *path = w[0];
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		cli_error(PROG, NULL, "validate: cannot open %s: %s", path, strerror(errno));
		return CLI_NOINPUT;
	}
	char *line = NULL;
	size_t cap = 0, lineno = 0, bad = 0;
	ssize_t len;
	/* The daemon's default limit, from the one table of defaults. */
	struct config *defaults = config_new();
	struct decode_limits lim;
	decode_limits_init(&lim, (size_t)defaults->max_event_bytes);
	config_free(defaults);
	while ((len = getline(&line, &cap, f)) > 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		struct event_input in = {line, (size_t)len, NULL, 0};
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
	decode_limits_free(&lim);
	if (f != stdin)
		fclose(f);
	return bad ? CLI_DATA : CLI_OK;
}

static int run_types(struct config *c, const struct args *a, char **w, int n)
{
	(void)c, (void)w, (void)n;
	struct buf cols = BUF_INIT;
	for (size_t i = 0; event_kinds[i]; i++) {
		if (a->names) {
			puts(event_kinds[i]->type);
			continue;
		}
		buf_reset(&cols);
		sink_kind_columns(event_kinds[i], ",", &cols);
		printf("%-36s disclosed.%-24s %s,ingested_at\n", event_kinds[i]->type,
		       event_kinds[i]->table, buf_cstr(&cols));
	}
	buf_free(&cols);
	return CLI_OK;
}

static int run_run(struct config *c, const struct args *a, char **w, int n)
{
	(void)a, (void)w, (void)n;
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
		return CLI_SOFTWARE;
	}

	char *ci = config_pg_conninfo(c, err, sizeof(err));
	if (!ci) {
		log_error("%s", err);
		return CLI_CONFIG;
	}
	struct ingest *g = ingest_new(c, ci, sigfd, err, sizeof(err));
	explicit_bzero(ci, strlen(ci));
	free(ci);
	if (!g) {
		/* [metrics] listen or a [kafka] property librdkafka refused. */
		log_error("cannot start: %s", err);
		return CLI_CONFIG;
	}
	int rc = ingest_run(g);
	ingest_free(g);
	close(sigfd);
	/* The one failure of a started daemon: a database without this
	 * release's schema, which no restart fixes (78: systemd waits). */
	return rc == 0 ? CLI_OK : CLI_CONFIG;
}

static bool known_reason(const char *s)
{
	for (int r = REASON_OK + 1; r < REASON__COUNT; r++)
		if (strcmp(reason_code((enum reason)r), s) == 0)
			return true;
	return false;
}

static int check_qlist(const struct args *a, char **w, int n)
{
	(void)w, (void)n;
	char *end;
	if (a->limit && (strtol(a->limit, &end, 10) <= 0 || *end)) {
		cli_error(PROG, "disclosed help quarantine list",
			  "--limit \"%s\" is not a positive whole number", a->limit);
		return CLI_USAGE;
	}
	if (a->reason && !known_reason(a->reason)) {
		struct buf known = BUF_INIT;
		for (int r = REASON_OK + 1; r < REASON__COUNT; r++)
			buf_printf(&known, "%s%s", r > 1 ? ", " : "", reason_code((enum reason)r));
		cli_error(PROG, "disclosed help quarantine list",
			  "--reason \"%s\" is not a reason code (%s)", a->reason, buf_cstr(&known));
		buf_free(&known);
		return CLI_USAGE;
	}
	return CLI_OK;
}

static int run_qlist(struct config *c, const struct args *a, char **w, int n)
{
	(void)w, (void)n;
	return ops_quarantine_list(c, a->limit ? strtol(a->limit, NULL, 10) : 50, a->reason);
}

/* quarantine show and replay: every word an id. */
static int check_ids(const struct args *a, char **w, int n)
{
	(void)a;
	for (int i = 0; i < n; i++) {
		char *end;
		errno = 0;
		long long v = strtoll(w[i], &end, 10);
		if (errno || end == w[i] || *end || v <= 0) {
			cli_error(PROG, "disclosed quarantine list", "\"%s\" is not an id (a number "
				  "from `disclosed quarantine list`)", w[i]);
			return CLI_USAGE;
		}
	}
	return CLI_OK;
}

static int run_qshow(struct config *c, const struct args *a, char **w, int n)
{
	(void)a, (void)n;
	return ops_quarantine_show(c, w[0]);
}

static int run_qreplay(struct config *c, const struct args *a, char **w, int n)
{
	(void)a;
	return ops_quarantine_replay(c, w, (size_t)n);
}

static int check_rewind(const struct args *a, char **w, int n)
{
	(void)w, (void)n;
	if (!a->group || !a->topic || !a->to) {
		cli_error(PROG, "disclosed help rewind", "rewind needs --group, --topic and --to");
		return CLI_USAGE;
	}
	return CLI_OK;
}

static int run_rewind(struct config *c, const struct args *a, char **w, int n)
{
	(void)w, (void)n;
	return ops_rewind(c, a->group, a->topic, a->to);
}

/* The libraries in use, as loaded: what a bug report needs (librdkafka's
 * version decides, for one, whether SCRAM works with Kafka 4.x). */
static void print_version(void)
{
	int pq = PQlibVersion();
	printf("disclosed %s\nlibrdkafka %s, libpq %d.%d, jansson %s\n", DISCLOSED_VERSION,
	       rd_kafka_version_str(), pq / 10000, pq % 10000, jansson_version_str());
}


/* The words the bash completion offers, from the tables above, so the
 * script cannot fall behind the program (config/bash-completion/disclosed):
 *   __complete commands | subcommands CMD | options [CMD [SUB]] | types | reasons */
static int complete(char **w, int n)
{
	const char *what = n ? w[0] : "";
	if (strcmp(what, "commands") == 0 || strcmp(what, "subcommands") == 0) {
		const char *parent = n > 1 ? w[1] : "";
		size_t plen = strlen(parent);
		char prev[32] = "";
		for (size_t i = 0; i < NCOMMANDS; i++) {
			const char *c = commands[i].name, *sp = strchr(c, ' ');
			char word[32];
			if (*parent) {
				if (strncmp(c, parent, plen) != 0 || c[plen] != ' ')
					continue;
				snprintf(word, sizeof(word), "%s", c + plen + 1);
			} else {
				snprintf(word, sizeof(word), "%.*s", sp ? (int)(sp - c) : (int)strlen(c), c);
			}
			if (strcmp(word, prev) != 0)
				puts(word);
			snprintf(prev, sizeof(prev), "%s", word);
		}
	} else if (strcmp(what, "options") == 0) {
		puts("--config\n--check-config\n--help\n--version");
		char name[64];
		bool two = n > 2 && *w[2]; /* "quarantine list" */
		snprintf(name, sizeof(name), "%s%s%s", n > 1 ? w[1] : "", two ? " " : "",
			 two ? w[2] : "");
		const struct command *k;
		size_t m = n > 1 ? find_commands(name, &k) : 0;
		for (size_t i = 0; i < m; i++)
			for (size_t j = 0; j < NCMD_OPTS; j++)
				if (k[i].opts & cmd_opts[j].bit)
					printf("--%s\n", cmd_opts[j].name);
	} else if (strcmp(what, "types") == 0) {
		for (size_t i = 0; event_kinds[i]; i++)
			puts(event_kinds[i]->type);
	} else if (strcmp(what, "reasons") == 0) {
		for (int r = REASON_OK + 1; r < REASON__COUNT; r++)
			puts(reason_code((enum reason)r));
	} else {
		return CLI_USAGE;
	}
	return CLI_OK;
}

/* Options before or after the command; the words in order. Returns -1
 * after saying what is wrong. */
static int parse_args(int argc, char **argv, struct args *a)
{
	enum { O_CHECK = 256, O_CMD = 300 };
	struct option lo[4 + NCMD_OPTS + 1] = {
		{"config", required_argument, NULL, 'c'},
		{"check-config", no_argument, NULL, O_CHECK},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
	};
	for (size_t j = 0; j < NCMD_OPTS; j++)
		lo[4 + j] = (struct option){cmd_opts[j].name,
					    cmd_opts[j].value ? required_argument : no_argument,
					    NULL, O_CMD + (int)j};
	lo[4 + NCMD_OPTS] = (struct option){NULL, 0, NULL, 0};
	const char **vals[] = {&a->limit, &a->reason, &a->group, &a->topic, &a->to, NULL};
	int o;
	*a = (struct args){.config = DEFAULT_CONFIG};
	opterr = 0; /* our own one-line messages */
	while ((o = getopt_long(argc, argv, ":c:hV", lo, NULL)) != -1) {
		switch (o) {
		case 'c': a->config = optarg; break;
		case O_CHECK: a->check = true; break;
		case 'h': a->help = true; break;
		case 'V': a->version = true; break;
		case ':':
			cli_error(PROG, "disclosed --help", "option %s needs a value", argv[optind - 1]);
			return -1;
		case '?':
			if (optopt)
				cli_error(PROG, "disclosed --help", "unknown option -%c", optopt);
			else
				cli_error(PROG, "disclosed --help", "unknown option %s", argv[optind - 1]);
			return -1;
		default: {
			size_t j = (size_t)(o - O_CMD);
			a->given |= cmd_opts[j].bit;
			if (cmd_opts[j].bit == OPT_NAMES)
				a->names = true;
			else
				*vals[j] = optarg;
		}
		}
	}
	a->words = argv + optind;
	a->nwords = argc - optind;
	return 0;
}

/* The first option in `given` that is not in `allowed`, or NULL. */
static const char *stray_option(unsigned given, unsigned allowed)
{
	for (size_t j = 0; j < NCMD_OPTS; j++)
		if ((given & cmd_opts[j].bit) && !(allowed & cmd_opts[j].bit))
			return cmd_opts[j].name;
	return NULL;
}

/* The table entry the words name ("quarantine list" is two words); NULL
 * after saying what is wrong, or after printing quarantine's help. */
static const struct command *resolve(const struct args *a, int *used, int *rc)
{
	char name[64];
	const struct command *k;
	*used = 1;
	*rc = CLI_USAGE;
	snprintf(name, sizeof(name), "%s", a->words[0]);
	if (strcmp(a->words[0], "quarantine") == 0) {
		if (a->nwords < 2) {
			if (a->help && help_for("quarantine", stdout) == 0)
				*rc = CLI_OK;
			else
				cli_error(PROG, "disclosed help quarantine",
					  "quarantine needs list, show or replay");
			return NULL;
		}
		snprintf(name, sizeof(name), "quarantine %s", a->words[1]);
		*used = 2;
	}
	if (find_commands(name, &k) != 1 || strcmp(k->name, name) != 0) {
		cli_error(PROG, "disclosed help", "unknown command \"%s\"", name);
		return NULL;
	}
	return k;
}

/* Check what the command was given, read the configuration if it needs
 * it, and run it. */
static int dispatch(const struct command *k, const struct args *a, int used)
{
	char hint[96];
	const char *stray = stray_option(a->given, k->opts);
	int n = a->nwords - used;
	char **w = a->words + used;
	snprintf(hint, sizeof(hint), "disclosed help %s", k->name);
	if (stray) {
		cli_error(PROG, hint, "%s does not take --%s", k->name, stray);
		return CLI_USAGE;
	}
	if (n < k->min_words) {
		cli_error(PROG, hint, "%s needs %s", k->name, k->args);
		return CLI_USAGE;
	}
	if (k->max_words >= 0 && n > k->max_words) {
		cli_error(PROG, hint, "unexpected argument \"%s\" to %s", w[k->max_words], k->name);
		return CLI_USAGE;
	}
	int rc = k->check ? k->check(a, w, n) : CLI_OK;
	if (rc)
		return rc;
	struct config *c = NULL;
	if (k->config && load_config(a->config, &c))
		return CLI_CONFIG; /* EX_CONFIG: systemd will not loop on it */
	rc = k->run(c, a, w, n);
	config_free(c);
	return rc;
}

int main(int argc, char **argv)
{
	static char *run_word[] = {"run", NULL};
	struct args a;
	int used, rc;
	if (parse_args(argc, argv, &a))
		return CLI_USAGE;
	if (a.version) {
		print_version();
		return CLI_OK;
	}
	if (a.nwords && strcmp(a.words[0], "__complete") == 0)
		return complete(a.words + 1, a.nwords - 1);
	if (a.help && !a.nwords) {
		print_usage(stdout);
		return CLI_OK;
	}
	if (a.check) {
		if (a.nwords && strcmp(a.words[0], "run") != 0) {
			cli_error(PROG, "disclosed --help", "--check-config takes no command (got \"%s\")",
				  a.words[0]);
			return CLI_USAGE;
		}
		return check_config(a.config);
	}
	if (!a.nwords) { /* run is the default */
		a.words = run_word;
		a.nwords = 1;
	}
	const struct command *k = resolve(&a, &used, &rc);
	if (!k)
		return rc;
	if (a.help) {
		print_command_help(k, stdout);
		return CLI_OK;
	}
	return dispatch(k, &a, used);
}
