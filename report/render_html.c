/* HTML: a printable page with the official table layout, merged header
 * cells included (rowspan/colspan as in the national templates). */
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* Escape n bytes of s (n = -1: up to its end). */
static void esc_n(FILE *out, const char *s, size_t n)
{
	for (size_t i = 0; s && i < n && s[i]; i++) {
		switch (s[i]) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(s[i], out);
		}
	}
}

static void esc(FILE *out, const char *s) { esc_n(out, s, (size_t)-1); }

static void paragraphs(FILE *out, const char *text)
{
	const char *p = text;
	while (p && *p) {
		size_t n = strcspn(p, "\n");
		if (n) {
			fputs("<p>", out);
			esc_n(out, p, n);
			fputs("</p>\n", out);
		}
		p += n + (p[n] ? 1 : 0);
	}
}

static const char style[] =
	"body{font-family:'Noto Serif CJK SC','Source Han Serif SC','SimSun',serif;"
	"max-width:60em;margin:2em auto;line-height:1.7;color:#000}"
	"h1{text-align:center;font-size:1.6em}h2{font-size:1.2em;margin-top:1.6em}"
	"p{text-indent:2em}table{border-collapse:collapse;width:100%;margin:.8em 0;"
	"page-break-inside:avoid}th,td{border:1px solid #000;padding:.25em .4em;"
	"text-align:center;vertical-align:middle}td.num{text-align:right}"
	"caption{font-weight:bold;text-align:left;padding:.3em 0}"
	".agency{text-align:center;font-size:1.2em}.sign{text-align:right}"
	"@media print{body{margin:0;max-width:none}}";

static void html_doc_begin(void *ctx, const struct tw_doc *d)
{
	FILE *out = ctx;
	fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>", out);
	esc(out, d->name);
	fprintf(out, " %d年", d->year);
	esc(out, d->title);
	fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<p class=\"agency\">", style);
	esc(out, d->name);
	fprintf(out, "</p>\n<h1>%d年", d->year);
	esc(out, d->title);
	fputs("</h1>\n", out);
}

static void html_section(void *ctx, const struct tmpl_section *s)
{
	fputs("<h2>", ctx);
	esc(ctx, s->heading);
	fputs("</h2>\n", ctx);
}

static void html_paragraph(void *ctx, const struct tmpl_section *s, const char *text)
{
	(void)s;
	paragraphs(ctx, text);
}

/* A th or td cell with its spans, as attributes when more than one. */
static void html_tag(FILE *out, const char *tag, int colspan, int rowspan, const char *text)
{
	fprintf(out, "<%s", tag);
	if (colspan > 1)
		fprintf(out, " colspan=\"%d\"", colspan);
	if (rowspan > 1)
		fprintf(out, " rowspan=\"%d\"", rowspan);
	fputc('>', out);
	esc(out, text);
	fprintf(out, "</%s>", tag);
}

static void html_table_begin(void *ctx, const struct tw_table *t)
{
	fprintf(ctx, "<table class=\"%s\" id=\"%s\">\n", t->section->id, t->t->id);
}

static void html_header_row(void *ctx, const struct tw_table *t, const struct tmpl_hcell *cells,
			    size_t n)
{
	FILE *out = ctx;
	(void)t;
	fputs("<tr>", out);
	for (size_t i = 0; i < n; i++)
		html_tag(out, "th", cells[i].colspan, cells[i].rowspan, cells[i].label);
	fputs("</tr>\n", out);
}

/* Row headings span the rows under them; a one-line table puts every row's
 * cells on one line under its header. */
static void html_row_begin(void *ctx, const struct tw_table *t, const struct tw_row *row)
{
	FILE *out = ctx;
	if (t->t->layout == TMPL_ONE_LINE) {
		if (row->index == 0)
			fputs("<tr>", out);
		return;
	}
	fputs("<tr", out);
	if (t->t->row_codes) {
		fputs(" data-code=\"", out);
		esc(out, row->key);
		fputc('"', out);
	}
	fputc('>', out);
	for (size_t k = 0; k < row->nheads; k++)
		if (row->heads[k].opens)
			html_tag(out, "td", 1, row->heads[k].rowspan, row->heads[k].label);
	html_tag(out, "td", row->label_colspan, 1, row->label);
}

static void html_cell(void *ctx, const struct tw_table *t, const struct tw_row *row,
		      const struct tw_cell *c)
{
	(void)t;
	(void)row;
	fputs("<td class=\"num\">", ctx);
	esc(ctx, c->value.text);
	fputs("</td>", ctx);
}

static void html_row_end(void *ctx, const struct tw_table *t, const struct tw_row *row)
{
	if (t->t->layout == TMPL_GRID ||
	    (t->t->layout == TMPL_ONE_LINE && row->index + 1 == t->nrows))
		fputs("</tr>\n", ctx);
}

static void html_table_end(void *ctx, const struct tw_table *t)
{
	(void)t;
	fputs("</table>\n", ctx);
}

static void html_doc_end(void *ctx, const struct tw_doc *d)
{
	fputs("<p class=\"sign\">", ctx);
	esc(ctx, d->name);
	fputs("</p>\n</body>\n</html>\n", ctx);
}

static const struct render_ops html_ops = {
	.doc_begin = html_doc_begin, .section = html_section, .paragraph = html_paragraph,
	.table_begin = html_table_begin, .header_row = html_header_row,
	.row_begin = html_row_begin, .cell = html_cell, .row_end = html_row_end,
	.table_end = html_table_end, .doc_end = html_doc_end,
};

void render_html(const struct report *r, FILE *out)
{
	tmpl_walk(r, &html_ops, out);
}
