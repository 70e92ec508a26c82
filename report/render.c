/* Renderings that follow the template's walk (template.h): text in the
 * seed report's layout, Markdown, CSV (a row per cell, or the printed
 * tables) and JSON (the public keys of docs/report.md). */
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* ---- text ------------------------------------------------------------- */

static void text_doc_begin(void *ctx, const struct tw_doc *d)
{
	fprintf(ctx, "%s\n\n%d年%s\n", d->name, d->year, d->title);
}

static void text_section(void *ctx, const struct tmpl_section *s)
{
	fprintf(ctx, "\n%s\n", s->heading);
}

static void text_paragraph(void *ctx, const struct tmpl_section *s, const char *text)
{
	(void)s;
	fprintf(ctx, "\n%s\n", text);
}

static void text_table_begin(void *ctx, const struct tw_table *t)
{
	FILE *out = ctx;
	fputc('\n', out);
	if (t->t->title)
		fprintf(out, "\t%s\n\n", t->t->title);
	if (t->t->note)
		fprintf(out, "\t%s\n", t->t->note);
	/* A one-line table is written a line per row, each cell with its label. */
	if (t->t->layout == TMPL_ONE_LINE)
		return;
	fprintf(out, "\t%s", t->t->corner);
	for (size_t c = 0; c < t->ncols; c++)
		fprintf(out, "\t%s", t->col_label[c]);
	fputc('\n', out);
}

static void text_row_begin(void *ctx, const struct tw_table *t, const struct tw_row *row)
{
	FILE *out = ctx;
	if (t->t->layout == TMPL_ONE_LINE) {
		fprintf(out, "\t%s", row->flat);
		return;
	}
	for (size_t k = 0; k < row->nheads; k++)
		if (row->heads[k].opens)
			fprintf(out, "\t%s\n", row->heads[k].label);
	/* Indented under a sub-heading. */
	fprintf(out, "\t%s%s", row->nheads > 1 ? "\t" : "", row->label);
}

static void text_cell(void *ctx, const struct tw_table *t, const struct tw_row *row,
		      const struct tw_cell *c)
{
	(void)row;
	if (t->t->layout == TMPL_ONE_LINE)
		fprintf(ctx, "\t%s %s", c->label, c->value.text);
	else
		fprintf(ctx, "\t%s", c->value.text);
}

static void text_row_end(void *ctx, const struct tw_table *t, const struct tw_row *row)
{
	(void)t;
	(void)row;
	fputc('\n', ctx);
}

/* The signature, and the date under it when known. */
static void text_sign(void *ctx, const struct tw_doc *d)
{
	fprintf(ctx, "\n%s\n", d->signature ? d->signature : d->name);
	if (d->date)
		fprintf(ctx, "%s\n", d->date);
}

/* The checks, set apart from the report by a rule of dashes. */
static void text_checks_begin(void *ctx, const struct tw_checks *c)
{
	fprintf(ctx, "\n\n────────────────\n%s\n\n%s\n%s\n", c->heading, c->note, c->summary);
}

static void text_check(void *ctx, const struct tw_checks *c, const struct tw_check *k)
{
	(void)c;
	fprintf(ctx, "%s\n", k->line);
}

static const struct render_ops text_ops = {
	.doc_begin = text_doc_begin, .section = text_section, .paragraph = text_paragraph,
	.table_begin = text_table_begin, .row_begin = text_row_begin, .cell = text_cell,
	.row_end = text_row_end, .sign = text_sign, .checks_begin = text_checks_begin,
	.check = text_check,
};

void render_text(const struct report *r, FILE *out)
{
	tmpl_walk(r, &text_ops, out);
}

/* ---- Markdown ----------------------------------------------------------- */

static void md_doc_begin(void *ctx, const struct tw_doc *d)
{
	fprintf(ctx, "# %s %d年%s\n", d->name, d->year, d->title);
}

static void md_section(void *ctx, const struct tmpl_section *s)
{
	fprintf(ctx, "\n## %s\n", s->heading);
}

static void md_table_begin(void *ctx, const struct tw_table *t)
{
	FILE *out = ctx;
	fputc('\n', out);
	if (t->t->title)
		fprintf(out, "**%s**\n\n", t->t->title);
	fprintf(out, "| %s |", t->t->corner);
	for (size_t c = 0; c < t->ncols; c++)
		fprintf(out, " %s |", t->col_flat[c]);
	fputs("\n|---|", out);
	for (size_t c = 0; c < t->ncols; c++)
		fputs("---:|", out);
	fputc('\n', out);
}

static void md_row_begin(void *ctx, const struct tw_table *t, const struct tw_row *row)
{
	(void)t;
	fprintf(ctx, "| %s |", row->flat);
}

static void md_cell(void *ctx, const struct tw_table *t, const struct tw_row *row,
		    const struct tw_cell *c)
{
	(void)t;
	(void)row;
	fprintf(ctx, " %s |", c->value.text);
}

static void md_checks_begin(void *ctx, const struct tw_checks *c)
{
	fprintf(ctx, "\n---\n\n## %s\n\n%s\n\n%s\n\n", c->heading, c->note, c->summary);
}

static void md_check(void *ctx, const struct tw_checks *c, const struct tw_check *k)
{
	(void)c;
	fprintf(ctx, "- %s\n", k->line);
}

static const struct render_ops md_ops = {
	.doc_begin = md_doc_begin, .section = md_section, .paragraph = text_paragraph,
	.table_begin = md_table_begin, .row_begin = md_row_begin, .cell = md_cell,
	.row_end = text_row_end, .sign = text_sign, .checks_begin = md_checks_begin,
	.check = md_check,
};

void render_markdown(const struct report *r, FILE *out)
{
	tmpl_walk(r, &md_ops, out);
}

/* ---- CSV (RFC 4180): long, a row per cell: agency, year, template,
 * section, table, row, column, value; or tables, each printed table ------- */

/* Cells of a printed table's widest line (section 四: 15). */
#define CSV_WIDTH 64
#define CSV_HEADER_ROWS 8

struct csv {
	FILE *out;
	const struct report *r;
	const char *section;
	/* tables: fields written on the current line; header cells spanning
	 * down into the header rows below (grid of the table's width). */
	int fields, width, header_rows;
	bool section_open;
	unsigned char used[CSV_HEADER_ROWS][CSV_WIDTH];
};

static void csv_field(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void csv_doc_begin(void *ctx, const struct tw_doc *d)
{
	(void)d;
	fputs("agency,year,template,section,table,row,column,value\r\n", ((struct csv *)ctx)->out);
}

static void csv_section(void *ctx, const struct tmpl_section *s)
{
	((struct csv *)ctx)->section = s->key;
}

static void csv_cell(void *ctx, const struct tw_table *t, const struct tw_row *row,
		     const struct tw_cell *c)
{
	struct csv *x = ctx;
	const char *f[] = {x->section, t->t->key, row->key, c->key, c->value.text};
	csv_field(x->out, x->r->agency);
	fprintf(x->out, ",%d,%d", x->r->year, x->r->tmpl);
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		fputc(',', x->out);
		csv_field(x->out, f[i]);
	}
	fputs("\r\n", x->out);
}

/* A check as rows of section "checks": its state (holds, failed,
 * not_checked), the state as printed (✓ 成立), its Chinese name, where. */
static void csv_check(void *ctx, const struct tw_checks *cs, const struct tw_check *k)
{
	struct csv *x = ctx;
	const char *col[] = {"state", "result", "label", "where"};
	char result[32];
	snprintf(result, sizeof(result), "%s %s", k->mark, k->word);
	const char *val[] = {k->state, result, k->label, k->where};
	(void)cs;
	for (size_t i = 0; i < sizeof(col) / sizeof(col[0]); i++) {
		csv_field(x->out, x->r->agency);
		fprintf(x->out, ",%d,%d,checks,checks,", x->r->year, x->r->tmpl);
		csv_field(x->out, k->id);
		fprintf(x->out, ",%s,", col[i]);
		csv_field(x->out, val[i]);
		fputs("\r\n", x->out);
	}
}

static const struct render_ops csv_ops = {
	.figures = true,
	.doc_begin = csv_doc_begin, .section = csv_section, .cell = csv_cell, .check = csv_check,
};

/* tables: one field more on the current line. */
static void tcsv_field(struct csv *x, const char *s)
{
	if (x->fields++)
		fputc(',', x->out);
	csv_field(x->out, s);
}

static void tcsv_end_line(struct csv *x)
{
	fputs("\r\n", x->out);
	x->fields = 0;
}

static void tcsv_doc_begin(void *ctx, const struct tw_doc *d)
{
	struct csv *x = ctx;
	char title[512];
	snprintf(title, sizeof(title), "%d年%s", d->year, d->title);
	tcsv_field(x, d->name);
	tcsv_end_line(x);
	tcsv_field(x, title);
	tcsv_end_line(x);
}

static void tcsv_section(void *ctx, const struct tmpl_section *s)
{
	((struct csv *)ctx)->section = s->heading;
	((struct csv *)ctx)->section_open = false;
}

/* A blank line, then the section's heading over its first table. */
static void tcsv_table_begin(void *ctx, const struct tw_table *t)
{
	struct csv *x = ctx;
	tcsv_end_line(x);
	if (!x->section_open) {
		tcsv_field(x, x->section);
		tcsv_end_line(x);
		x->section_open = true;
	}
	memset(x->used, 0, sizeof(x->used));
	x->header_rows = 0;
	x->width = t->t->layout == TMPL_ONE_LINE ? (int)(t->nrows * t->ncols)
						 : t->t->heading_cols + (int)t->ncols;
}

/* A header row: each merged cell's label in its first column, empty fields
 * where it spans and where cells of the rows above span down. */
static void tcsv_header_row(void *ctx, const struct tw_table *t, const struct tmpl_hcell *cells,
			    size_t n)
{
	struct csv *x = ctx;
	const char *label[CSV_WIDTH] = {0};
	int row = x->header_rows++, col = 0;
	(void)t;
	if (row >= CSV_HEADER_ROWS)
		return;
	for (size_t i = 0; i < n; i++) {
		while (col < CSV_WIDTH && x->used[row][col])
			col++;
		if (col < CSV_WIDTH)
			label[col] = cells[i].label;
		for (int dr = 0; dr < cells[i].rowspan && row + dr < CSV_HEADER_ROWS; dr++)
			for (int dc = 0; dc < cells[i].colspan && col + dc < CSV_WIDTH; dc++)
				x->used[row + dr][col + dc] = 1;
		col += cells[i].colspan;
	}
	for (int c = 0; c < x->width && c < CSV_WIDTH; c++)
		tcsv_field(x, label[c] ? label[c] : "");
	tcsv_end_line(x);
}

/* Row headings where they open (blank below, as merged in print), the
 * row's label, blanks for the heading columns it spans. */
static void tcsv_row_begin(void *ctx, const struct tw_table *t, const struct tw_row *row)
{
	struct csv *x = ctx;
	if (t->t->layout == TMPL_ONE_LINE)
		return;
	for (size_t k = 0; k < row->nheads; k++)
		tcsv_field(x, row->heads[k].opens ? row->heads[k].label : "");
	tcsv_field(x, row->label);
	for (int k = 1; k < row->label_colspan; k++)
		tcsv_field(x, "");
}

static void tcsv_cell(void *ctx, const struct tw_table *t, const struct tw_row *row,
		      const struct tw_cell *c)
{
	(void)t;
	(void)row;
	tcsv_field(ctx, c->value.text);
}

static void tcsv_row_end(void *ctx, const struct tw_table *t, const struct tw_row *row)
{
	if (t->t->layout != TMPL_ONE_LINE || row->index + 1 == t->nrows)
		tcsv_end_line(ctx);
}

/* After the tables: a blank line, the heading, the note and the summary
 * each on a line, then a table of the checks. */
static void tcsv_checks_begin(void *ctx, const struct tw_checks *c)
{
	struct csv *x = ctx;
	const char *lines[] = {"", c->heading, c->note, c->summary};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		if (lines[i][0])
			tcsv_field(x, lines[i]);
		tcsv_end_line(x);
	}
	tcsv_field(x, "结果");
	tcsv_field(x, "检查项");
	tcsv_field(x, "编号");
	tcsv_field(x, "说明");
	tcsv_end_line(x);
}

static void tcsv_check(void *ctx, const struct tw_checks *c, const struct tw_check *k)
{
	struct csv *x = ctx;
	char result[32];
	(void)c;
	snprintf(result, sizeof(result), "%s %s", k->mark, k->word);
	tcsv_field(x, result);
	tcsv_field(x, k->label);
	tcsv_field(x, k->id);
	tcsv_field(x, k->where);
	tcsv_end_line(x);
}

static const struct render_ops tcsv_ops = {
	.figures = true,
	.doc_begin = tcsv_doc_begin, .section = tcsv_section, .table_begin = tcsv_table_begin,
	.header_row = tcsv_header_row, .row_begin = tcsv_row_begin, .cell = tcsv_cell,
	.row_end = tcsv_row_end, .checks_begin = tcsv_checks_begin, .check = tcsv_check,
};

void render_csv_opts(const struct report *r, FILE *out, const struct csv_opts *o)
{
	struct csv x = {.out = out, .r = r};
	if (o->bom)
		fputs("\xef\xbb\xbf", out);
	tmpl_walk(r, o->layout == CSV_TABLES ? &tcsv_ops : &csv_ops, &x);
}

void render_csv(const struct report *r, FILE *out)
{
	struct csv_opts o = {false, CSV_LONG};
	render_csv_opts(r, out, &o);
}

/* ---- JSON --------------------------------------------------------------- */

struct json_walk {
	json_t *root, *section, *table, *row;
};

static void json_doc_begin(void *ctx, const struct tw_doc *d)
{
	const struct report *r = d->r;
	((struct json_walk *)ctx)->root = json_pack("{ss ss si ss}", "agency", r->agency, "name",
						    d->name, "year", r->year, "template",
						    r->tmpl == 2019 ? "2019" : "2021");
}

static void json_section(void *ctx, const struct tmpl_section *s)
{
	struct json_walk *x = ctx;
	x->section = NULL;
	if (x->root && s->json_key) {
		x->section = json_object();
		json_object_set_new(x->root, s->json_key, x->section);
	}
}

static void json_table_begin(void *ctx, const struct tw_table *t)
{
	struct json_walk *x = ctx;
	x->table = x->section;
	if (x->section && t->section->json_by_table) {
		x->table = json_object();
		json_object_set_new(x->section, t->t->key, x->table);
	}
}

static void json_row_begin(void *ctx, const struct tw_table *t, const struct tw_row *row)
{
	struct json_walk *x = ctx;
	x->row = x->table;
	/* Named figures are values of the section itself. */
	if (x->table && t->t->layout != TMPL_FIGURES) {
		x->row = json_object();
		json_object_set_new(x->table, row->key, x->row);
	}
}

/* Amounts stay exact: JSON strings for decimals and text, integers
 * otherwise. */
static void json_cell(void *ctx, const struct tw_table *t, const struct tw_row *row,
		      const struct tw_cell *c)
{
	struct json_walk *x = ctx;
	if (!x->row)
		return;
	json_t *v = c->value.kind == TMPL_INT ? json_integer(strtoll(c->value.text, NULL, 10))
					      : json_string(c->value.text);
	json_object_set_new(x->row, t->t->layout == TMPL_FIGURES ? row->key : c->key, v);
}

static void json_doc_end(void *ctx, const struct tw_doc *d)
{
	struct json_walk *x = ctx;
	const struct report *r = d->r;
	if (!x->root)
		return;
	json_t *checks = json_array();
	for (size_t i = 0; i < r->nchecks; i++)
		json_array_append_new(checks, json_pack("{ss ss ss}", "id", r->checks[i].id,
							"state",
							check_state_names[r->checks[i].state],
							"where", r->checks[i].where));
	json_object_set_new(x->root, "checks", checks);
	if (r->watermark)
		json_object_set(x->root, "watermark", r->watermark);
	/* The count is part of the snapshot; the list is in render_json. */
	json_object_set_new(x->root, "corrections",
			    json_integer((json_int_t)json_array_size(r->corrections)));
}

static const struct render_ops json_ops = {
	.figures = true,
	.doc_begin = json_doc_begin, .section = json_section, .table_begin = json_table_begin,
	.row_begin = json_row_begin, .cell = json_cell, .doc_end = json_doc_end,
};

json_t *report_json(const struct report *r)
{
	struct json_walk x = {0};
	if (tmpl_walk(r, &json_ops, &x)) {
		json_decref(x.root);
		return NULL;
	}
	return x.root;
}

void render_json(const struct report *r, FILE *out)
{
	json_t *j = report_json(r);
	if (j)
		json_object_set_new(j, "corrections_list",
				    r->corrections ? json_incref(r->corrections) : json_array());
	json_dumpf(j, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(j);
}
