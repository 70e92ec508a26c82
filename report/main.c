/*
 * disclosed-report: computes, checks, stores and renders the statutory
 * annual report 《政府信息公开工作年度报告》 from the rows `disclosed` ingested.
 * See disclosed-report(1) and docs/report.md.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "db.h"
#include "digest.h"
#include "report.h"

/* Without the memory for a report there is nothing useful left to do but
 * say so. */
static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);
	if (!p) {
		fprintf(stderr, "disclosed-report: out of memory (%zu x %zu bytes)\n", n, size);
		exit(2);
	}
	return p;
}

#ifndef DISCLOSED_VERSION
#define DISCLOSED_VERSION "0.0.0"
#endif
#define DEFAULT_CONFIG "/etc/disclosed/disclosed.conf"

static const char *const formats[] = {"text", "markdown", "html", "csv", "json"};
static const char *const exts[] = {"txt", "md", "html", "csv", "json"};
#define NFORMATS 5

struct opts {
	int year, tmpl, format; /* format -1: all */
	const char *agency, *output, *config, *texts;
	bool all, snapshot;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: disclosed-report --year Y [--agency ID | --all] [OPTIONS]\n"
		"\n"
		"Compute every figure of the annual report on government information\n"
		"disclosure from the ingested events, check its identities, store a\n"
		"snapshot, and render it.\n"
		"\n"
		"  -y, --year Y          report year (calendar year in [ingest] time_zone)\n"
		"  -a, --agency ID       the agency (its `agency` event attribute)\n"
		"      --all             every agency with data, plus a roll-up (all-Y)\n"
		"  -t, --template T      2019 or 2021 (default: 2019 up to 2020, 2021 from 2021)\n"
		"  -f, --format F        text, markdown, html, csv, json, or all (default text)\n"
		"  -o, --output PATH     file (default standard output); a folder with\n"
		"                        --all or --format all (default [report] output_dir)\n"
		"  -c, --config FILE     configuration (default %s)\n"
		"      --texts DIR       sections 五 and 六 and agency names\n"
		"                        (default [report] texts_dir; see docs/report.md)\n"
		"      --no-snapshot     do not store the computed report\n"
		"  -h, --help            this help\n"
		"  -V, --version         the version\n"
		"\n"
		"Exit status: 0 when every identity and data check holds, 1 when one\n"
		"fails (each is printed with where), 2 for usage and data errors.\n",
		DEFAULT_CONFIG);
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{"year", 1, 0, 'y'}, {"agency", 1, 0, 'a'}, {"all", 0, 0, 'A'},
		{"template", 1, 0, 't'}, {"format", 1, 0, 'f'}, {"output", 1, 0, 'o'},
		{"config", 1, 0, 'c'}, {"texts", 1, 0, 'T'}, {"no-snapshot", 0, 0, 'N'},
		{"help", 0, 0, 'h'}, {"version", 0, 0, 'V'}, {0, 0, 0, 0}};
	int c;
	char *end;
	*o = (struct opts){.config = DEFAULT_CONFIG, .snapshot = true};
	while ((c = getopt_long(argc, argv, "y:a:t:f:o:c:hV", lo, NULL)) != -1) {
		switch (c) {
		case 'y':
			o->year = (int)strtol(optarg, &end, 10);
			if (*end || o->year < 1990 || o->year > 2199) {
				fprintf(stderr, "disclosed-report: --year %s is not a year (1990..2199)\n", optarg);
				return 2;
			}
			break;
		case 'a': o->agency = optarg; break;
		case 'A': o->all = true; break;
		case 't':
			o->tmpl = atoi(optarg);
			if (o->tmpl != 2019 && o->tmpl != 2021) {
				fprintf(stderr, "disclosed-report: --template %s: only 2019 and 2021 exist\n", optarg);
				return 2;
			}
			break;
		case 'f':
			o->format = -2;
			for (int i = 0; i < NFORMATS; i++)
				if (strcmp(optarg, formats[i]) == 0)
					o->format = i;
			if (strcmp(optarg, "all") == 0)
				o->format = -1;
			if (o->format == -2) {
				fprintf(stderr, "disclosed-report: --format %s: use text, markdown, html, csv, json or all\n", optarg);
				return 2;
			}
			break;
		case 'o': o->output = optarg; break;
		case 'c': o->config = optarg; break;
		case 'T': o->texts = optarg; break;
		case 'N': o->snapshot = false; break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("disclosed-report %s\n", DISCLOSED_VERSION); exit(0);
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "disclosed-report: unexpected argument \"%s\"\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (!o->year || (!o->agency) == (!o->all)) {
		fprintf(stderr, "disclosed-report: need --year and one of --agency or --all\n");
		usage(stderr);
		return 2;
	}
	int def = o->year <= 2020 ? 2019 : 2021;
	if (o->tmpl && o->tmpl != def) {
		fprintf(stderr, "disclosed-report: template %d does not fit report year %d "
			"(template 2019 is for years up to 2020, 2021 from 2021)\n", o->tmpl, o->year);
		return 2;
	}
	o->tmpl = def;
	return 0;
}

static char *read_text(const char *dir, const char *agency, int year, const char *file)
{
	char path[4096];
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 0)
			snprintf(path, sizeof(path), "%s/%s/%d/%s", dir, agency, year, file);
		else
			snprintf(path, sizeof(path), "%s/%s/%s", dir, agency, file);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		char chunk[4096];
		size_t n;
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			fwrite(chunk, 1, n, m);
		fclose(f);
		fclose(m);
		while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
			buf[--len] = '\0';
		return buf;
	}
	return NULL;
}

/* Store what was computed; a rerun on unchanged data finds it there. */
static int store_snapshot(PGconn *conn, const struct report *r, char *err, size_t errlen)
{
	json_t *j = report_json(r);
	char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	char sum[65], year[16], tmpl[8];
	sha256_hex(text, strlen(text), sum);
	snprintf(year, sizeof(year), "%d", r->year);
	snprintf(tmpl, sizeof(tmpl), "%d", r->tmpl);
	const char *params[] = {r->agency, year, tmpl, text, sum};
	PGresult *res = PQexecParams(conn,
		"INSERT INTO disclosed.report_snapshot (agency, year, template, report, sha256)"
		" VALUES ($1, $2, $3, $4, $5) ON CONFLICT (agency, year, template, sha256)"
		" DO UPDATE SET last_run_at = now(), runs = report_snapshot.runs + 1",
		5, NULL, params, NULL, NULL, 0);
	int rc = 0;
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		snprintf(err, errlen, "storing the snapshot: %s", PQresultErrorMessage(res));
		err[strcspn(err, "\n")] = '\0';
		rc = -1;
	}
	PQclear(res);
	free(text);
	return rc;
}

static void render(const struct report *r, int format, FILE *out)
{
	switch (format) {
	case 0: render_text(r, out); break;
	case 1: render_markdown(r, out); break;
	case 2: render_html(r, out); break;
	case 3: render_csv(r, out); break;
	default: render_json(r, out); break;
	}
}

/* Write one report in the requested format(s): to a file, standard output,
 * or <dir>/<agency>-<year>.<ext>. */
static int emit(const struct report *r, const struct opts *o, const char *dir)
{
	for (int f = 0; f < NFORMATS; f++) {
		if (o->format >= 0 && f != o->format)
			continue;
		char path[4096];
		const char *to = o->output;
		if (dir) {
			snprintf(path, sizeof(path), "%s/%s-%d.%s", dir, r->agency, r->year, exts[f]);
			to = path;
		}
		FILE *out = to ? fopen(to, "w") : stdout;
		if (!out) {
			fprintf(stderr, "disclosed-report: cannot write %s: %s\n", to, strerror(errno));
			return -1;
		}
		render(r, f, out);
		if (out != stdout && fclose(out)) {
			fprintf(stderr, "disclosed-report: writing %s failed: %s\n", to, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static void print_checks(const struct report *r)
{
	for (size_t i = 0; i < r->nchecks; i++)
		if (!r->checks[i].holds)
			fprintf(stderr, "disclosed-report: %s %d: check %s FAILED: %s\n", r->agency,
				r->year, r->checks[i].id, r->checks[i].where);
	if (!r->complete) {
		json_t *lag = json_object_get(r->watermark, "lagging");
		size_t i;
		json_t *v;
		fprintf(stderr, "disclosed-report: warning: %s %d: data may be incomplete: the "
			"ingest watermark has not passed the end of the year on", r->agency, r->year);
		json_array_foreach(lag, i, v) fprintf(stderr, "%s %s", i ? "," : "", json_string_value(v));
		if (!json_array_size(lag))
			fprintf(stderr, " any partition (nothing ingested yet)");
		fputc('\n', stderr);
	}
}

/* The first column of a query's rows as a JSON array of strings (empty
 * when the query failed); takes res. */
static json_t *first_column(PGresult *res)
{
	json_t *a = json_array();
	for (int i = 0; PQresultStatus(res) == PGRES_TUPLES_OK && i < PQntuples(res); i++)
		json_array_append_new(a, json_string(PQgetvalue(res, i, 0)));
	PQclear(res);
	return a;
}

/* Agencies with any event, for naming an unknown one. */
static json_t *agencies(PGconn *conn)
{
	return first_column(PQexec(conn, "SELECT DISTINCT agency FROM disclosed.raw_event ORDER BY 1"));
}

/* One index probe per table, unlike listing every agency. */
static bool agency_exists(PGconn *conn, const char *agency)
{
	const char *p[] = {agency};
	PGresult *res = PQexecParams(conn, "SELECT EXISTS (SELECT 1 FROM disclosed.raw_event"
				     " WHERE agency = $1)", 1, NULL, p, NULL, NULL, 0);
	bool yes = PQresultStatus(res) == PGRES_TUPLES_OK && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return yes;
}

/* A report's identity and texts, before its figures are computed. */
static void prepare(struct report *r, const struct opts *o, const struct config *c,
		    const char *agency)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->agency, sizeof(r->agency), "%s", agency);
	snprintf(r->tz, sizeof(r->tz), "%s", c->time_zone);
	r->year = o->year;
	r->tmpl = o->tmpl;
	const char *texts = o->texts ? o->texts : c->report_texts_dir;
	char *name = read_text(texts, agency, o->year, "name.txt");
	snprintf(r->name, sizeof(r->name), "%s", name ? name : agency);
	free(name);
	r->five = read_text(texts, agency, o->year, "five.txt");
	r->six = read_text(texts, agency, o->year, "six.txt");
}

/* Agencies with any event dated in the year (or figures reported for it),
 * in one pass over the tables; only `agency` unless NULL. */
static json_t *agencies_in_year(PGconn *conn, const char *agency, int year, const char *tz)
{
	char y[16];
	snprintf(y, sizeof(y), "%d", year);
	const char *p[] = {y, tz, agency};
	return first_column(PQexecParams(conn,
		"SELECT agency FROM disclosed.raw_event"
		" WHERE event_time >= make_timestamptz($1::int, 1, 1, 0, 0, 0, $2)"
		" AND event_time < make_timestamptz($1::int + 1, 1, 1, 0, 0, 0, $2)"
		" AND ($3::text IS NULL OR agency = $3)"
		" UNION SELECT agency FROM disclosed.stats_reported WHERE year = $1::int"
		" AND ($3::text IS NULL OR agency = $3)"
		" ORDER BY 1", 3, NULL, p, NULL, NULL, 0));
}

static bool has_year(PGconn *conn, const char *agency, int year, const char *tz)
{
	json_t *a = agencies_in_year(conn, agency, year, tz);
	bool yes = json_array_size(a) > 0;
	json_decref(a);
	return yes;
}

/* Every agency's report and the roll-up. Returns the exit status. */
/* Print a computed report's checks, store its snapshot and render it: 0
 * when every check holds, 1 when one fails, 2 when storing or writing
 * fails (said on stderr). */
static int finish(PGconn *conn, struct report *r, const struct opts *o, const char *dir)
{
	char err[1024];
	print_checks(r);
	if (o->snapshot && store_snapshot(conn, r, err, sizeof(err))) {
		fprintf(stderr, "disclosed-report: %s\n", err);
		return 2;
	}
	if (emit(r, o, dir))
		return 2; /* emit says why */
	return report_ok(r) ? 0 : 1;
}

static int max_rc(int a, int b) { return a > b ? a : b; }

static int all_reports(PGconn *conn, const struct opts *o, const struct config *c,
		       const char *dir)
{
	char err[1024];
	json_t *list = agencies_in_year(conn, NULL, o->year, c->time_zone);
	size_t n = json_array_size(list), i;
	int rc = 0;
	if (!n) {
		fprintf(stderr, "disclosed-report: no agency has data for %d\n", o->year);
		json_decref(list);
		return 2;
	}
	struct report **reps = xcalloc(n, sizeof(*reps)), *sum = xcalloc(1, sizeof(*sum));
	for (i = 0; i < n; i++) {
		reps[i] = xcalloc(1, sizeof(**reps));
		prepare(reps[i], o, c, json_string_value(json_array_get(list, i)));
	}
	if (report_compute_many(conn, reps, n, NULL, err, sizeof(err))) {
		fprintf(stderr, "disclosed-report: %s\n", err);
		rc = 2;
		goto out;
	}
	*sum = *reps[0];
	sum->watermark = json_incref(reps[0]->watermark);
	sum->five = sum->six = NULL;
	for (i = 0; i < n; i++) {
		rc = max_rc(rc, finish(conn, reps[i], o, dir));
		if (i)
			report_add(sum, reps[i]);
	}
	snprintf(sum->agency, sizeof(sum->agency), "all");
	snprintf(sum->name, sizeof(sum->name), "合计（%zu个单位）", n);
	sum->nchecks = 0;
	report_check(sum);
	rc = max_rc(rc, finish(conn, sum, o, dir));
out:
	for (i = 0; i < n; i++) {
		report_free(reps[i]);
		free(reps[i]);
	}
	free(reps);
	report_free(sum);
	free(sum);
	json_decref(list);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o;
	char errs[8192], err[1024];
	int rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc;
	struct config *c = config_new();
	if (config_load(c, o.config, errs, sizeof(errs))) {
		fprintf(stderr, "%sdisclosed-report: errors in %s\n", errs, o.config);
		config_free(c);
		return 2;
	}
	/* [report] conninfo: the read-only role's own login; else the
	 * daemon's, with its password file. */
	PGconn *conn;
	if (*c->report_conninfo) {
		conn = db_connect(c->report_conninfo, "disclosed-report", err, sizeof(err));
		if (!conn)
			fprintf(stderr, "disclosed-report: %s\n", err);
	} else {
		conn = db_connect_config(c, "disclosed-report");
	}
	if (!conn) {
		config_free(c);
		return 2;
	}
	const char *dir = NULL;
	rc = 2;
	if (o.all || o.format == -1) {
		dir = o.output ? o.output : c->report_output_dir;
		if (mkdir(dir, 0755) && errno != EEXIST) {
			fprintf(stderr, "disclosed-report: cannot create %s: %s\n", dir, strerror(errno));
			goto out;
		}
	}
	if (o.agency) {
		if (!agency_exists(conn, o.agency)) {
			json_t *known = agencies(conn);
			char *list = json_dumps(known, JSON_COMPACT);
			json_decref(known);
			fprintf(stderr, "disclosed-report: unknown agency \"%s\": no event names it "
				"(agencies with data: %s)\n", o.agency, list);
			free(list);
			rc = 2;
		} else if (!has_year(conn, o.agency, o.year, c->time_zone)) {
			fprintf(stderr, "disclosed-report: agency %s has no data for %d (in %s)\n",
				o.agency, o.year, c->time_zone);
			rc = 2;
		} else {
			struct report *r = xcalloc(1, sizeof(*r));
			prepare(r, &o, c, o.agency);
			if (report_compute(conn, r, err, sizeof(err))) {
				fprintf(stderr, "disclosed-report: %s\n", err);
				rc = 2;
			} else {
				rc = finish(conn, r, &o, dir);
			}
			report_free(r);
			free(r);
		}
	} else {
		rc = all_reports(conn, &o, c, dir);
	}
out:
	PQfinish(conn);
	config_free(c);
	return rc;
}
