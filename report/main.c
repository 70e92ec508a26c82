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
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "cli.h"
#include "buf.h"
#include "config.h"
#include "db.h"
#include "digest.h"
#include "report.h"
#include "texts.h"

#ifndef DISCLOSED_VERSION
#define DISCLOSED_VERSION "0.0.0"
#endif
#define DEFAULT_CONFIG "/etc/disclosed/disclosed.conf"
#define PROG "disclosed-report"
#define HINT "disclosed-report --help"

static const char *const formats[] = {"text", "markdown", "html", "csv", "json", "docx", "pdf"};
static const char *const exts[] = {"txt", "md", "html", "csv", "json", "docx", "pdf"};
#define NFORMATS 7
#define FORMAT_DOCX 5
#define FORMAT_PDF 6

struct opts {
	int year, tmpl, format; /* format -1: all */
	const char *agency, *output, *config, *texts;
	bool all, snapshot;
	bool require_texts; /* a missing text is an error (EX_NOINPUT), not a warning */
	const char *date_arg; /* --date YYYY-MM-DD, or NULL: today */
	char date[32];        /* the report's date as printed (2027年1月15日) */
	struct csv_opts csv;
	enum checks_print checks; /* --checks */
	long jobs;                /* --jobs: processes rendering --all's files */
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
		"  -f, --format F        text, markdown, html, csv, json, docx, pdf, or all\n"
		"                        (default text)\n"
		"  -o, --output PATH     file (default standard output); a folder with\n"
		"                        --all or --format all (default [report] output_dir)\n"
		"  -c, --config FILE     configuration (default %s)\n"
		"      --texts DIR       sections 五 and 六 and agency names\n"
		"                        (default [report] texts_dir; see docs/report.md)\n"
		"      --require-texts   a missing text is an error (exit 66), not a warning\n"
		"      --date YYYY-MM-DD the report's date under the signature\n"
		"                        (default today in [ingest] time_zone)\n"
		"      --csv-layout L    long (a row per cell, default) or tables (each\n"
		"                        section as the printed table, Chinese labels)\n"
		"      --no-bom          CSV without the UTF-8 byte order mark Excel needs\n"
		"      --checks WHEN     print the checks (数据检查) after the signature:\n"
		"                        auto (default: text, Markdown, HTML, CSV always;\n"
		"                        Word and PDF when one failed or was not made),\n"
		"                        always, or never\n"
		"  -j, --jobs N          with N > 1 the queries run on two connections at\n"
		"                        once, and --all renders its files in N processes\n"
		"                        (default: one per CPU)\n"
		"      --no-snapshot     do not store the computed report\n"
		"  -h, --help            this help\n"
		"  -V, --version         the version\n"
		"\n"
		"Exit status: 0 when no identity or data check failed (one that could\n"
		"not be made is a warning); 1 when one fails (each is printed with\n"
		"where); 64 usage; 66 no data for the agency\n"
		"or year; 69 PostgreSQL failed; 73 an output cannot be written;\n"
		"78 configuration. See disclosed-report(1).\n",
		DEFAULT_CONFIG);
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{"year", 1, 0, 'y'}, {"agency", 1, 0, 'a'}, {"all", 0, 0, 'A'},
		{"template", 1, 0, 't'}, {"format", 1, 0, 'f'}, {"output", 1, 0, 'o'},
		{"config", 1, 0, 'c'}, {"texts", 1, 0, 'T'}, {"no-snapshot", 0, 0, 'N'},
		{"require-texts", 0, 0, 'R'}, {"date", 1, 0, 'D'}, {"csv-layout", 1, 0, 'L'},
		{"no-bom", 0, 0, 'B'}, {"checks", 1, 0, 'K'}, {"jobs", 1, 0, 'j'},
		{"help", 0, 0, 'h'}, {"version", 0, 0, 'V'}, {0, 0, 0, 0}};
	int c;
	char *end;
	*o = (struct opts){.config = DEFAULT_CONFIG, .snapshot = true,
			   .csv = {.bom = true, .layout = CSV_LONG}};
	opterr = 0; /* our own one-line messages */
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	o->jobs = ncpu > 0 ? ncpu : 1;
	while ((c = getopt_long(argc, argv, ":y:a:t:f:o:c:j:hV", lo, NULL)) != -1) {
		switch (c) {
		case 'y':
			o->year = (int)strtol(optarg, &end, 10);
			if (*end || o->year < 1990 || o->year > 2199) {
				cli_error(PROG, HINT, "--year %s is not a year (1990..2199)", optarg);
				return CLI_USAGE;
			}
			break;
		case 'a': o->agency = optarg; break;
		case 'A': o->all = true; break;
		case 't':
			o->tmpl = atoi(optarg);
			if (o->tmpl != 2019 && o->tmpl != 2021) {
				cli_error(PROG, HINT, "--template %s: only 2019 and 2021 exist", optarg);
				return CLI_USAGE;
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
				cli_error(PROG, HINT,
					  "--format %s: use text, markdown, html, csv, json, docx, pdf or all",
					  optarg);
				return CLI_USAGE;
			}
			break;
		case 'o': o->output = optarg; break;
		case 'j':
			o->jobs = strtol(optarg, &end, 10);
			if (*end || o->jobs < 1 || o->jobs > 64) {
				cli_error(PROG, HINT, "--jobs %s is not a number of processes (1..64)",
					  optarg);
				return CLI_USAGE;
			}
			break;
		case 'c': o->config = optarg; break;
		case 'T': o->texts = optarg; break;
		case 'N': o->snapshot = false; break;
		case 'R': o->require_texts = true; break;
		case 'D': o->date_arg = optarg; break;
		case 'B': o->csv.bom = false; break;
		case 'K':
			if (!strcmp(optarg, "auto"))
				o->checks = CHECKS_AUTO;
			else if (!strcmp(optarg, "always"))
				o->checks = CHECKS_ALWAYS;
			else if (!strcmp(optarg, "never"))
				o->checks = CHECKS_NEVER;
			else {
				cli_error(PROG, HINT, "--checks %s: use auto, always or never", optarg);
				return CLI_USAGE;
			}
			break;
		case 'L':
			if (strcmp(optarg, "long") && strcmp(optarg, "tables")) {
				cli_error(PROG, HINT, "--csv-layout %s: use long or tables", optarg);
				return CLI_USAGE;
			}
			o->csv.layout = strcmp(optarg, "long") ? CSV_TABLES : CSV_LONG;
			break;
		case 'h': usage(stdout); exit(CLI_OK);
		case 'V': printf("disclosed-report %s\n", DISCLOSED_VERSION); exit(CLI_OK);
		case ':':
			cli_error(PROG, HINT, "option %s needs a value", argv[optind - 1]);
			return CLI_USAGE;
		default:
			if (optopt)
				cli_error(PROG, HINT, "unknown option -%c", optopt);
			else
				cli_error(PROG, HINT, "unknown option %s", argv[optind - 1]);
			return CLI_USAGE;
		}
	}
	if (optind < argc) {
		cli_error(PROG, HINT, "unexpected argument \"%s\"", argv[optind]);
		return CLI_USAGE;
	}
	if (!o->year || (!o->agency) == (!o->all)) {
		cli_error(PROG, HINT, "need --year and one of --agency or --all");
		return CLI_USAGE;
	}
	int def = o->year <= 2020 ? 2019 : 2021;
	if (o->tmpl && o->tmpl != def) {
		cli_error(PROG, HINT, "template %d does not fit report year %d (template 2019 is "
			  "for years up to 2020, 2021 from 2021)", o->tmpl, o->year);
		return CLI_USAGE;
	}
	o->tmpl = def;
	/* A zip or a PDF is no use on a terminal: refused before any work. */
	if ((o->format == FORMAT_DOCX || o->format == FORMAT_PDF) && !o->output && !o->all &&
	    isatty(STDOUT_FILENO)) {
		cli_error(PROG, HINT, "--format %s writes a binary file: give -o FILE or redirect "
			  "standard output", formats[o->format]);
		return CLI_USAGE;
	}
	return 0;
}

/* The report as its snapshot keeps it: without published.unchanged, which
 * is about the snapshots themselves (its state moves from not_checked to
 * holds on the second run), so that a rerun on unchanged data finds its
 * snapshot. */
static json_t *snapshot_json(const struct report *r)
{
	json_t *j = report_json(r), *checks = json_object_get(j, "checks"), *c;
	size_t i;
	json_array_foreach(checks, i, c) {
		const char *id = json_string_value(json_object_get(c, "id"));
		if (id && strcmp(id, "published.unchanged") == 0) {
			json_array_remove(checks, i);
			break;
		}
	}
	return j;
}

/* Store what was computed; a rerun on unchanged data finds it there. */
static int store_snapshot(PGconn *conn, const struct report *r, char *err, size_t errlen)
{
	json_t *j = snapshot_json(r);
	char *text = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	if (!text) {
		snprintf(err, errlen, "storing the snapshot: out of memory");
		return -1;
	}
	char sum[65], year[16], tmpl[8];
	sha256_hex(text, strlen(text), sum);
	snprintf(year, sizeof(year), "%d", r->year);
	snprintf(tmpl, sizeof(tmpl), "%d", r->tmpl);
	const char *params[] = {r->agency, year, tmpl, text, sum};
	char qerr[512];
	PGresult *res = report_query(conn, "snapshot_store.sql", 5, NULL, params, qerr, sizeof(qerr));
	int rc = 0;
	if (!res) {
		snprintf(err, errlen, "storing the snapshot: %s", qerr);
		rc = -1;
	}
	PQclear(res);
	free(text);
	return rc;
}

/* 0, or -1 with err (the binary formats can fail). */
static int render(const struct report *r, const struct opts *o, int format, FILE *out,
		  char *err, size_t errlen)
{
	switch (format) {
	case 0: render_text(r, out); break;
	case 1: render_markdown(r, out); break;
	case 2: render_html(r, out); break;
	case 3: render_csv_opts(r, out, &o->csv); break;
	case 4: render_json(r, out); break;
	case FORMAT_DOCX: return render_docx(r, out, err, errlen);
	default: return render_pdf(r, out, err, errlen);
	}
	return 0;
}

static int max_rc(int a, int b) { return a > b ? a : b; }

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
			cli_error(PROG, NULL, "cannot write %s: %s", to, strerror(errno));
			return -1;
		}
		char err[512];
		if (render(r, o, f, out, err, sizeof(err))) {
			cli_error(PROG, NULL, "%s %d: %s: %s", r->agency, r->year, formats[f], err);
			if (out != stdout)
				fclose(out);
			return -1;
		}
		if (out != stdout && fclose(out)) {
			cli_error(PROG, NULL, "writing %s failed: %s", to, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Why the agency's year may lack data: its latest event is before the year
 * end, and the store is behind the broker, or the broker could not say. */
static void print_incomplete(const struct report *r)
{
	json_t *wm = r->watermark, *lag = json_object_get(wm, "lagging"), *v;
	const char *latest = json_string_value(json_object_get(wm, "latest_event_time"));
	size_t i;
	fprintf(stderr, "disclosed-report: warning: %s %d: data may be incomplete: ", r->agency,
		r->year);
	/* A roll-up carries its first agency's watermark: another one lags. */
	if (json_is_true(json_object_get(wm, "complete"))) {
		fprintf(stderr, "for some of its agencies (each is warned about above)\n");
		return;
	}
	if (!latest) {
		fprintf(stderr, "none of its events is stored yet\n");
		return;
	}
	fprintf(stderr, "its latest stored event (%s) is before the end of the year, and ", latest);
	if (json_array_size(lag)) {
		fprintf(stderr, "partitions of its topics are behind the broker:");
		json_array_foreach(lag, i, v)
			fprintf(stderr, "%s %s", i ? ";" : "", json_string_value(v));
	} else if (!json_is_true(json_object_get(wm, "end_offsets_known"))) {
		fprintf(stderr, "the broker's end offsets are unknown (%s)",
			json_string_value(json_object_get(wm, "end_offsets_unknown")));
	} else {
		fprintf(stderr, "no offset of its topics is stored");
	}
	fputc('\n', stderr);
}

static void print_checks(const struct report *r)
{
	/* Failed checks make the exit status 1 (report_ok); one not made
	 * leaves it 0 but is never passed over in silence. */
	for (size_t i = 0; i < r->nchecks; i++)
		if (r->checks[i].state == CHECK_FAILED)
			fprintf(stderr, "disclosed-report: %s %d: check %s FAILED: %s\n", r->agency,
				r->year, r->checks[i].id, r->checks[i].where);
		else if (r->checks[i].state == CHECK_NOT_CHECKED)
			fprintf(stderr, "disclosed-report: warning: %s %d: check %s not made: %s\n",
				r->agency, r->year, r->checks[i].id, r->checks[i].where);
	if (!r->complete)
		print_incomplete(r);
	if (json_array_size(r->corrections))
		fprintf(stderr, "disclosed-report: %s %d: %zu correction(s) applied to the year's "
			"facts (corrections_list in --format json)\n", r->agency, r->year,
			json_array_size(r->corrections));
}

/* Agencies with any event, for naming an unknown one. */
static json_t *agencies(PGconn *conn)
{
	char err[512];
	PGresult *res = report_query(conn, "agencies.sql", 0, NULL, NULL, err, sizeof(err));
	json_t *a = report_first_column(res);
	PQclear(res);
	return a;
}

/* Whether sql/report/<name>, an EXISTS, says yes (a failed query: no). */
static bool query_yes(PGconn *conn, const char *name, int n, const char *const *params)
{
	char err[512];
	PGresult *res = report_query(conn, name, n, NULL, params, err, sizeof(err));
	bool yes = res && PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return yes;
}

/* One index probe per table, unlike listing every agency. */
static bool agency_exists(PGconn *conn, const char *agency)
{
	const char *p[] = {agency};
	return query_yes(conn, "agency_exists.sql", 1, p);
}

/* A report's identity, date and texts, before its figures are computed.
 * 0; EX_DATAERR when a text names an unknown figure; EX_NOINPUT when a text
 * is missing and --require-texts (each missing one is named, as a warning
 * without it). */
static int prepare(struct report *r, const struct opts *o, const struct config *c,
		   const char *agency)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->agency, sizeof(r->agency), "%s", agency);
	snprintf(r->name, sizeof(r->name), "%s", agency);
	snprintf(r->tz, sizeof(r->tz), "%s", c->time_zone);
	snprintf(r->date, sizeof(r->date), "%s", o->date);
	r->print_checks = o->checks;
	r->year = o->year;
	r->tmpl = o->tmpl;
	const char *dir = o->texts ? o->texts : c->report_texts_dir;
	struct texts_result res;
	char err[4352];
	if (texts_load(r, dir, &res, err, sizeof(err))) {
		cli_error(PROG, NULL, "%s", err);
		return CLI_DATA;
	}
	for (size_t i = 0; i < res.nmissing; i++)
		fprintf(stderr, "disclosed-report: %s: %s %d: text missing: %s%s\n",
			o->require_texts ? "error" : "warning", agency, o->year, res.missing[i],
			o->require_texts ? "" : " (a placeholder is printed; see docs/report.md)");
	return res.nmissing && o->require_texts ? CLI_NOINPUT : 0;
}

/* The date printed under the signature: --date, else today in the
 * configured time zone (asked of PostgreSQL, which knows its zones). */
static int report_date(PGconn *conn, struct opts *o, const char *tz)
{
	int y, m, d;
	char end;
	if (o->date_arg) {
		if (sscanf(o->date_arg, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 || m < 1 || m > 12 ||
		    d < 1 || d > 31) {
			cli_error(PROG, HINT, "--date %s is not a date (YYYY-MM-DD)", o->date_arg);
			return CLI_USAGE;
		}
	} else {
		const char *p[] = {tz};
		char err[512];
		PGresult *res = report_query(conn, "today.sql", 1, NULL, p, err, sizeof(err));
		if (!res) {
			cli_error(PROG, NULL, "%s", err);
			return CLI_UNAVAILABLE;
		}
		y = atoi(PQgetvalue(res, 0, 0));
		m = atoi(PQgetvalue(res, 0, 1));
		d = atoi(PQgetvalue(res, 0, 2));
		PQclear(res);
	}
	snprintf(o->date, sizeof(o->date), "%d年%d月%d日", y, m, d);
	return 0;
}

/* Whether the agency has an event dated in the year (or figures reported
 * for it): the search ends at the first. */
static bool has_year(PGconn *conn, const char *agency, int year, const char *tz)
{
	char y[16];
	snprintf(y, sizeof(y), "%d", year);
	const char *p[] = {y, tz, agency};
	return query_yes(conn, "agency_has_year.sql", 3, p);
}

/* Print a computed report's checks and store its snapshot: 0 when every
 * check holds, 1 when one fails, 69 when storing fails (said on stderr). */
static int record(PGconn *conn, struct report *r, const struct opts *o)
{
	char err[1024];
	print_checks(r);
	if (o->snapshot && store_snapshot(conn, r, err, sizeof(err))) {
		cli_error(PROG, NULL, "%s", err);
		return CLI_UNAVAILABLE;
	}
	return report_ok(r) ? CLI_OK : CLI_CHECK_FAILED;
}

/* Render every jobs-th report from `first` on; 0, or 73 when a file could
 * not be written (emit says why). Those whose snapshot failed are skipped. */
static int emit_share(struct report **reps, const int *rcs, size_t n, size_t first,
		      size_t step, const struct opts *o, const char *dir)
{
	int rc = 0;
	for (size_t i = first; i < n; i += step)
		if (rcs[i] != CLI_UNAVAILABLE && emit(reps[i], o, dir))
			rc = CLI_CANTCREAT;
	return rc;
}

/* Render n reports in up to o->jobs processes, each taking every jobs-th
 * one. A document is CPU work of its own (for each PDF cairo reads the
 * tables of every CJK font it embeds: about 70 ms each, 3.6 s for the 51
 * of fifty agencies on one core; README "Report cost"); the database work
 * is done by then. Returns the worst exit status of the rendering. */
static int emit_parallel(struct report **reps, const int *rcs, size_t n, const struct opts *o,
			 const char *dir)
{
	size_t jobs = o->jobs < 1 ? 1 : (size_t)o->jobs, k;
	if (jobs > n)
		jobs = n;
	if (jobs <= 1)
		return emit_share(reps, rcs, n, 0, 1, o, dir);
	/* What is buffered would be written again by every child. */
	fflush(stdout);
	fflush(stderr);
	pid_t *pids = xcalloc(jobs, sizeof(*pids));
	int rc = 0, st = 0;
	for (k = 0; k < jobs; k++) {
		pids[k] = fork();
		if (pids[k] == 0) {
			int crc = emit_share(reps, rcs, n, k, jobs, o, dir);
			fflush(stderr);
			_exit(crc);
		}
		if (pids[k] < 0) { /* no process to spare: this share here */
			cli_error(PROG, NULL, "cannot start a rendering process (%s): rendering "
				  "its share itself", strerror(errno));
			rc = max_rc(rc, emit_share(reps, rcs, n, k, jobs, o, dir));
		}
	}
	for (k = 0; k < jobs; k++) {
		if (pids[k] <= 0)
			continue;
		if (waitpid(pids[k], &st, 0) < 0 || !WIFEXITED(st)) {
			cli_error(PROG, NULL, "rendering process %d failed (%s): some files of %d "
				  "may be missing", (int)pids[k],
				  WIFSIGNALED(st) ? strsignal(WTERMSIG(st)) : "status unknown",
				  o->year);
			rc = max_rc(rc, CLI_CANTCREAT);
		} else {
			rc = max_rc(rc, WEXITSTATUS(st));
		}
	}
	free(pids);
	return rc;
}

/* Print a computed report's checks, store its snapshot and render it: 0
 * when every check holds, 1 when one fails, 69 when storing fails, 73
 * when writing does (said on stderr). */
static int finish(PGconn *conn, struct report *r, const struct opts *o, const char *dir)
{
	int rc = record(conn, r, o);
	if (rc == CLI_UNAVAILABLE)
		return rc;
	return emit(r, o, dir) ? CLI_CANTCREAT /* emit says why */ : rc;
}


/* The broker's end offsets for the completeness of every report of the
 * run; a broker that cannot be asked only leaves them unknown. */
static int ask_end_offsets(PGconn *conn, const struct config *c, struct end_offsets *eo)
{
	char err[1024];
	if (end_offsets_query(conn, c, eo, err, sizeof(err))) {
		cli_error(PROG, NULL, "%s", err);
		return CLI_UNAVAILABLE;
	}
	return 0;
}

static int all_reports(PGconn *conn, const struct opts *o, const struct config *c,
		       const char *dir)
{
	char err[1024];
	struct end_offsets eo = {0};
	struct report_run *run = NULL;
	json_t *list = NULL;
	struct report **reps = NULL, *sum = xcalloc(1, sizeof(*sum));
	int *rcs = NULL, rc;
	size_t n = 0, i;
	/* The agencies of the year are found by one more query of the run,
	 * at the same time as the figures: a pass over the year's events
	 * that would otherwise come first, alone. */
	if ((rc = ask_end_offsets(conn, c, &eo)))
		goto out;
	run = report_run(conn, o->jobs > 1, o->year, c->time_zone, NULL, true, err, sizeof(err));
	if (!run) {
		cli_error(PROG, NULL, "%s", err);
		rc = CLI_UNAVAILABLE;
		goto out;
	}
	list = report_run_agencies(run);
	if (!(n = json_array_size(list))) {
		cli_error(PROG, NULL, "no agency has data for %d", o->year);
		rc = CLI_NOINPUT;
		goto out;
	}
	/* reps[n] is the roll-up; rcs each report's status before rendering. */
	reps = xcalloc(n + 1, sizeof(*reps));
	rcs = xcalloc(n + 1, sizeof(*rcs));
	/* Every agency's texts are read (and each missing one named) before
	 * any report is written. */
	for (i = 0; i < n; i++) {
		reps[i] = xcalloc(1, sizeof(**reps));
		rc = max_rc(rc, prepare(reps[i], o, c, json_string_value(json_array_get(list, i))));
	}
	if (rc)
		goto out;
	report_run_give(run, reps, n, &eo);
	report_run_free(run);
	run = NULL;
	for (i = 0; i < n; i++)
		report_check(reps[i]);
	report_rollup_begin(sum, reps[0]);
	for (i = 0; i < n; i++) {
		rc = max_rc(rc, rcs[i] = record(conn, reps[i], o));
		if (i)
			report_add(sum, reps[i]);
	}
	snprintf(sum->agency, sizeof(sum->agency), "all");
	snprintf(sum->name, sizeof(sum->name), "合计（%zu个单位）", n);
	if (report_fetch_published(conn, sum, err, sizeof(err))) {
		cli_error(PROG, NULL, "%s", err);
		rc = CLI_UNAVAILABLE;
		goto out;
	}
	report_checks_clear(sum);
	report_check(sum);
	rc = max_rc(rc, rcs[n] = record(conn, sum, o));
	reps[n] = sum;
	rc = max_rc(rc, emit_parallel(reps, rcs, n + 1, o, dir));
	reps[n] = NULL;
out:
	report_run_free(run);
	for (i = 0; reps && i < n; i++) {
		report_free(reps[i]);
		free(reps[i]);
	}
	free(reps);
	free(rcs);
	end_offsets_free(&eo);
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
		return CLI_CONFIG;
	}
	/* A misspelt zone would otherwise surface as "no data for the year". */
	if (config_time_zone_check(c->time_zone, err, sizeof(err)) < 0) {
		cli_error(PROG, "disclosed --check-config", "%s: [ingest] time_zone = \"%s\" %s",
			  o.config, c->time_zone, err);
		config_free(c);
		return CLI_CONFIG;
	}
	/* [report] conninfo: the read-only role's own login; else the
	 * daemon's, with its password file. */
	PGconn *conn;
	if (*c->report_conninfo) {
		conn = db_connect(c->report_conninfo, "disclosed-report", err, sizeof(err));
		if (!conn)
			cli_error(PROG, NULL, "%s", err);
	} else {
		conn = db_connect_config(c, "disclosed-report");
	}
	if (!conn) {
		config_free(c);
		return CLI_UNAVAILABLE;
	}
	/* The planner settings of the report's session, in one round trip
	 * (report.h says why); a failure only costs time. */
	PQclear(PQexec(conn, REPORT_SESSION_SQL));
	const char *dir = NULL;
	rc = CLI_CANTCREAT;
	if (o.all || o.format == -1) {
		dir = o.output ? o.output : c->report_output_dir;
		if (mkdir(dir, 0755) && errno != EEXIST) {
			cli_error(PROG, NULL, "cannot create %s: %s", dir, strerror(errno));
			goto out;
		}
	}
	if ((rc = report_date(conn, &o, c->time_zone)))
		goto out;
	if (o.agency) {
		if (!agency_exists(conn, o.agency)) {
			json_t *known = agencies(conn);
			char *list = json_dumps(known, JSON_COMPACT);
			json_decref(known);
			cli_error(PROG, NULL, "unknown agency \"%s\": no event names it (agencies "
				  "with data: %s)", o.agency, list);
			free(list);
			rc = CLI_NOINPUT;
		} else if (!has_year(conn, o.agency, o.year, c->time_zone)) {
			cli_error(PROG, NULL, "agency %s has no data for %d (in %s)", o.agency, o.year,
				  c->time_zone);
			rc = CLI_NOINPUT;
		} else {
			struct report *r = xcalloc(1, sizeof(*r));
			struct end_offsets eo = {0};
			if ((rc = prepare(r, &o, c, o.agency)) || (rc = ask_end_offsets(conn, c, &eo))) {
				; /* each says why */
			} else if (report_compute(conn, o.jobs > 1, r, &eo, err, sizeof(err))) {
				cli_error(PROG, NULL, "%s", err);
				rc = CLI_UNAVAILABLE;
			} else {
				report_check(r);
				rc = finish(conn, r, &o, dir);
			}
			end_offsets_free(&eo);
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
