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

/* Print per GB/T 9704 (公文格式): A4, top margin 37 mm, left 28 mm, a text
 * block of 156 x 225 mm; title in 方正小标宋, headings in 黑体, body in 仿宋
 * 三号, each with the Noto CJK fonts Debian ships as fallback. Header rows
 * repeat on every page, no row splits, no heading ends a page, and narrow
 * header cells never break inside a word (section 四's result labels are
 * set upright in a column, as in printed reports). */
#define SERIF "'Noto Serif CJK SC','Source Han Serif SC','Noto Serif CJK',serif"
#define SANS "'Noto Sans CJK SC','Source Han Sans SC','Noto Sans CJK',sans-serif"
static const char style[] =
	"@page{size:A4;margin:37mm 26mm 35mm 28mm}"
	"body{font-family:'FangSong','仿宋','FangSong_GB2312','仿宋_GB2312'," SERIF ","
	SANS ";font-size:16pt;line-height:28.9pt;color:#000;margin:0}"
	"@media screen{body{max-width:156mm;margin:2em auto}}"
	".agency,h1{font-family:'FZXiaoBiaoSong-B05S','方正小标宋简体','方正小标宋_GBK',"
	SERIF ";font-weight:normal;text-align:center;font-size:22pt;line-height:1.5;margin:0}"
	"h1{margin-bottom:1em}"
	"h2{font-family:'SimHei','黑体'," SANS ";font-weight:normal;font-size:16pt;"
	"margin:.5em 0 0;break-after:avoid;page-break-after:avoid}"
	"p{text-indent:2em;margin:0;orphans:2;widows:2}"
	"table{border-collapse:collapse;width:100%;margin:.5em 0 1em;font-size:10.5pt;"
	"line-height:1.4;font-family:" SERIF "}"
	/* Rows stay whole; a row opening a row heading (rowspan) may be broken
	 * after, or Chromium keeps its whole group together and leaves most of
	 * a page blank. */
	"thead{display:table-header-group}"
	"tr:not(:has(td[rowspan])),td:not([rowspan]){break-inside:avoid;page-break-inside:avoid}"
	"table.s2,table.s4{break-inside:avoid;page-break-inside:avoid}"
	"th,td{border:1px solid #000;padding:2pt 3pt;text-align:center;vertical-align:middle;"
	"font-weight:normal}"
	"th.n{word-break:keep-all;white-space:nowrap}"
	"table.s4 th.n{writing-mode:vertical-rl;text-orientation:upright;white-space:nowrap;"
	"padding:3pt 1pt;letter-spacing:1pt}"
	"table.s4 td{padding:2pt 1pt}"
	"td.num{text-align:center;white-space:nowrap}"
	/* Section 三: ten columns in 156 mm; its outer row heading narrow (not
	 * vertical writing, which Chromium never breaks across pages). */
	"table.s3{font-size:9pt;line-height:1.3}"
	"table.s3 td.h0{width:1em;padding:2pt 3pt}"
	"table.s3 td.h1{width:4.5em}td.l{text-align:left}"
	".sign{text-align:right;text-indent:0;padding-right:4em;margin-top:2em;"
	"break-before:avoid;page-break-before:avoid}"
	".date{text-align:right;text-indent:0;padding-right:4em}"
	/* The checks: not part of the report, on a page of their own. */
	".checks{break-before:page;page-break-before:always}"
	".checks p,.checks li{text-indent:0;font-size:12pt;line-height:1.6}"
	".checks ul{list-style:none;padding:0;margin:.5em 0}"
	".checks li.failed{font-weight:bold}";

struct html {
	FILE *out;
	bool in_head; /* a <thead> is open */
};

static void html_doc_begin(void *ctx, const struct tw_doc *d)
{
	FILE *out = ((struct html *)ctx)->out;
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
	FILE *out = ((struct html *)ctx)->out;
	fputs("<h2>", out);
	esc(out, s->heading);
	fputs("</h2>\n", out);
}

static void html_paragraph(void *ctx, const struct tmpl_section *s, const char *text)
{
	(void)s;
	paragraphs(((struct html *)ctx)->out, text);
}

/* A th or td cell with its spans, as attributes when more than one, and
 * its class when cls. */
static void html_tag(FILE *out, const char *tag, const char *cls, int colspan, int rowspan,
		     const char *text)
{
	fprintf(out, "<%s", tag);
	if (cls)
		fprintf(out, " class=\"%s\"", cls);
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
	fprintf(((struct html *)ctx)->out, "<table class=\"%s\" id=\"%s\">\n", t->section->id,
		t->t->id);
}

/* Header rows go in <thead>, which print repeats on every page. A header
 * cell over one column is narrow: class n keeps its label whole. */
static void html_header_row(void *ctx, const struct tw_table *t, const struct tmpl_hcell *cells,
			    size_t n)
{
	struct html *h = ctx;
	(void)t;
	if (!h->in_head)
		fputs("<thead>\n", h->out);
	h->in_head = true;
	fputs("<tr>", h->out);
	for (size_t i = 0; i < n; i++)
		html_tag(h->out, "th", cells[i].colspan == 1 ? "n" : NULL, cells[i].colspan,
			 cells[i].rowspan, cells[i].label);
	fputs("</tr>\n", h->out);
}

/* Row headings span the rows under them; a one-line table puts every row's
 * cells on one line under its header. */
static void html_row_begin(void *ctx, const struct tw_table *t, const struct tw_row *row)
{
	struct html *h = ctx;
	FILE *out = h->out;
	if (row->index == 0) {
		fputs(h->in_head ? "</thead>\n<tbody>\n" : "<tbody>\n", out);
		h->in_head = false;
	}
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
	static const char *const head_class[TMPL_HEADS] = {"h0", "h1"};
	for (size_t k = 0; k < row->nheads; k++)
		if (row->heads[k].opens)
			html_tag(out, "td", head_class[k], 1, row->heads[k].rowspan, row->heads[k].label);
	html_tag(out, "td", "l", row->label_colspan, 1, row->label);
}

static void html_cell(void *ctx, const struct tw_table *t, const struct tw_row *row,
		      const struct tw_cell *c)
{
	(void)t;
	(void)row;
	html_tag(((struct html *)ctx)->out, "td", "num", 1, 1, c->value.text);
}

static void html_row_end(void *ctx, const struct tw_table *t, const struct tw_row *row)
{
	if (t->t->layout == TMPL_GRID ||
	    (t->t->layout == TMPL_ONE_LINE && row->index + 1 == t->nrows))
		fputs("</tr>\n", ((struct html *)ctx)->out);
}

static void html_table_end(void *ctx, const struct tw_table *t)
{
	(void)t;
	fputs("</tbody>\n</table>\n", ((struct html *)ctx)->out);
}

/* The signature (the agency's full name) and the date under it. */
static void html_sign(void *ctx, const struct tw_doc *d)
{
	FILE *out = ((struct html *)ctx)->out;
	fputs("<p class=\"sign\">", out);
	esc(out, d->signature ? d->signature : d->name);
	fputs("</p>\n", out);
	if (d->date) {
		fputs("<p class=\"date\">", out);
		esc(out, d->date);
		fputs("</p>\n", out);
	}
}

static void html_checks_begin(void *ctx, const struct tw_checks *c)
{
	FILE *out = ((struct html *)ctx)->out;
	fputs("<section class=\"checks\">\n<h2>", out);
	esc(out, c->heading);
	fputs("</h2>\n<p>", out);
	esc(out, c->note);
	fputs("</p>\n<p>", out);
	esc(out, c->summary);
	fputs("</p>\n<ul>\n", out);
}

static void html_check(void *ctx, const struct tw_checks *c, const struct tw_check *k)
{
	FILE *out = ((struct html *)ctx)->out;
	(void)c;
	fprintf(out, "<li class=\"%s\">", k->state);
	esc(out, k->line);
	fputs("</li>\n", out);
}

static void html_checks_end(void *ctx, const struct tw_checks *c)
{
	(void)c;
	fputs("</ul>\n</section>\n", ((struct html *)ctx)->out);
}

static void html_doc_end(void *ctx, const struct tw_doc *d)
{
	(void)d;
	fputs("</body>\n</html>\n", ((struct html *)ctx)->out);
}

static const struct render_ops html_ops = {
	.doc_begin = html_doc_begin, .section = html_section, .paragraph = html_paragraph,
	.table_begin = html_table_begin, .header_row = html_header_row,
	.row_begin = html_row_begin, .cell = html_cell, .row_end = html_row_end,
	.table_end = html_table_end, .sign = html_sign, .checks_begin = html_checks_begin,
	.check = html_check, .checks_end = html_checks_end, .doc_end = html_doc_end,
};

void render_html(const struct report *r, FILE *out)
{
	struct html h = {out, false};
	tmpl_walk(r, &html_ops, &h);
}
