/* PDF: the report drawn with cairo and pango on A4, margins in the spirit
 * of GB/T 9704, fonts found through fontconfig (the 公文 fonts first, Noto
 * CJK from Debian as their fallback; cairo embeds the subsets used).
 *
 * The walk streams; a table is collected whole (its cells placed on the
 * grid as the header and row headings merge them) and drawn at its end,
 * so its rows can be measured and paginated: header rows repeated on each
 * page, no row split across pages, a section heading kept with the first
 * lines of what follows it, header cells never broken inside a word. */
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "wrap.h"

/* A4 in points; margins top 37, bottom 35, left 28, right 26 mm. */
#define MM 2.834645669
#define PAGE_W 595.28
#define PAGE_H 841.89
#define TOP (37 * MM)
#define BOTTOM (PAGE_H - 35 * MM)
#define LEFT (28 * MM)
#define RIGHT (PAGE_W - 26 * MM)
#define TEXT_W (RIGHT - LEFT)

/* 三号 (16 pt) text, 二号 (22 pt) title, 五号 (10.5 pt) tables. */
#define BODY_FONT "仿宋_GB2312, FangSong, 仿宋, Noto Serif CJK SC, serif"
#define TITLE_FONT "方正小标宋简体, 小标宋, Noto Serif CJK SC, serif"
#define HEADING_FONT "黑体, SimHei, Noto Sans CJK SC, sans-serif"
#define BODY_PT 16.0
#define TITLE_PT 22.0
#define TABLE_PT 10.5
#define CHECK_PT 12.0 /* 小四: the checks block */
#define MIN_TABLE_PT 5.0
#define LINE_PITCH 28.0 /* 22 lines a page, as 公文 */
#define PAD 2.5         /* inside a table cell */
#define MAX_GRID (TW_MAXCOLS * 2 + 4)

struct pcell {
	int row, col, colspan, rowspan;
	char *text;   /* owned */
	bool header;  /* a header cell: shrunk rather than broken inside a word */
	bool keep;    /* a header cell or a row heading: not broken inside a word */
	bool left;    /* a row label: aligned left */
	int level;    /* of keep_words() that fits */
	double pt;    /* its font size */
	double h;     /* height its text needs, padding included */
};

struct ptable {
	struct pcell *cells; /* owned */
	size_t ncells, cap;
	int ncols, nrows, nheader;
	double colw[MAX_GRID];
	double *rowh, *rowy; /* owned, nrows + 1: heights; tops as drawn */
	int cover[MAX_GRID]; /* header rows still covered by a cell above, */
	int cover_span[MAX_GRID]; /* and the columns that cell spans */
	int col;             /* grid column of the next cell in a row */
};

struct pdf {
	cairo_t *cr;
	double y;            /* top of the free space on the page */
	int page;
	bool failed;         /* out of memory: the document is incomplete */
	char *heading;       /* a section heading waiting for what follows it, owned */
	struct ptable tab;   /* the table being collected */
};

/* ---- text ------------------------------------------------------------- */

static PangoLayout *layout_new(struct pdf *p, const char *family, double pt, bool bold,
			       double width)
{
	PangoLayout *l = pango_cairo_create_layout(p->cr);
	PangoFontDescription *fd = pango_font_description_from_string(family);
	pango_font_description_set_absolute_size(fd, pt * PANGO_SCALE);
	if (bold)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	return l;
}

static void finish_page(struct pdf *p)
{
	char num[32];
	snprintf(num, sizeof(num), "— %d —", p->page);
	PangoLayout *l = layout_new(p, BODY_FONT, 14, false, TEXT_W);
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	pango_layout_set_text(l, num, -1);
	cairo_move_to(p->cr, LEFT, BOTTOM + 7 * MM);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	cairo_show_page(p->cr);
}

static void new_page(struct pdf *p)
{
	finish_page(p);
	p->page++;
	p->y = TOP;
}

/* Draw layout l's lines from the free space down at x, each line at the
 * fixed pitch (0: its own height), breaking pages between lines. */
static void draw_lines(struct pdf *p, PangoLayout *l, double x, double pitch)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	do {
		PangoRectangle ink, logical;
		pango_layout_iter_get_line_extents(it, &ink, &logical);
		double h = pitch > 0 ? pitch : logical.height / (double)PANGO_SCALE;
		double line_h = logical.height / (double)PANGO_SCALE;
		if (p->y + h > BOTTOM)
			new_page(p);
		double base = pango_layout_iter_get_baseline(it) / (double)PANGO_SCALE -
			      logical.y / (double)PANGO_SCALE;
		cairo_move_to(p->cr, x + logical.x / (double)PANGO_SCALE,
			      p->y + (h - line_h) / 2 + base);
		pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
		p->y += h;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

/* The body text of n bytes: a paragraph indented two characters. A
 * control character in an agency's text is dropped (pango would draw it
 * as a box of hex digits), a tab is a space. */
static PangoLayout *body_layout(struct pdf *p, const char *text, size_t n)
{
	PangoLayout *l = layout_new(p, BODY_FONT, BODY_PT, false, TEXT_W);
	pango_layout_set_indent(l, (int)(2 * BODY_PT * PANGO_SCALE));
	pango_layout_set_justify(l, TRUE);
	char *clean = malloc(n + 1);
	size_t len = 0;
	for (size_t i = 0; clean && i < n; i++)
		if ((unsigned char)text[i] >= 0x20 || text[i] == '\t')
			clean[len++] = text[i] == '\t' ? ' ' : text[i];
	if (clean)
		pango_layout_set_text(l, clean, (int)len);
	else
		p->failed = true;
	free(clean);
	return l;
}

static PangoLayout *heading_layout(struct pdf *p, const char *text)
{
	PangoLayout *l = layout_new(p, HEADING_FONT, BODY_PT, false, TEXT_W);
	pango_layout_set_indent(l, (int)(2 * BODY_PT * PANGO_SCALE));
	pango_layout_set_text(l, text, -1);
	return l;
}

/* The heading waiting, if any, drawn where the `next` points after it
 * (the first lines of a paragraph, a table's header and first row) fit
 * on the same page: a heading never ends a page. */
static void flush_heading(struct pdf *p, double next)
{
	if (!p->heading)
		return;
	PangoLayout *l = heading_layout(p, p->heading);
	double h = LINE_PITCH * pango_layout_get_line_count(l);
	if (p->y > TOP && p->y + h + next > BOTTOM)
		new_page(p);
	draw_lines(p, l, LEFT, LINE_PITCH);
	g_object_unref(l);
	free(p->heading);
	p->heading = NULL;
}

static void pdf_doc_begin(void *ctx, const struct tw_doc *d)
{
	struct pdf *p = ctx;
	char title[512];
	snprintf(title, sizeof(title), "%s\n%d年%s", d->name, d->year, d->title);
	PangoLayout *l = layout_new(p, TITLE_FONT, TITLE_PT, true, TEXT_W);
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	pango_layout_set_text(l, title, -1);
	draw_lines(p, l, LEFT, 36);
	g_object_unref(l);
	p->y += LINE_PITCH / 2;
}

static void pdf_section(void *ctx, const struct tmpl_section *s)
{
	struct pdf *p = ctx;
	flush_heading(p, 0);
	p->heading = strdup(s->heading);
	p->failed |= !p->heading;
}

static void pdf_paragraph(void *ctx, const struct tmpl_section *s, const char *text)
{
	struct pdf *p = ctx;
	(void)s;
	for (const char *t = text; t && *t;) {
		size_t n = strcspn(t, "\n");
		if (n) {
			PangoLayout *l = body_layout(p, t, n);
			int lines = pango_layout_get_line_count(l);
			flush_heading(p, LINE_PITCH * (lines < 2 ? lines : 2));
			draw_lines(p, l, LEFT, LINE_PITCH);
			g_object_unref(l);
		}
		t += n + (t[n] ? 1 : 0);
	}
}

/* ---- tables: collected ------------------------------------------------- */

/* gcc 12's analyzer loses track of a pointer stored at a variable index
 * (the text in t->cells[t->ncells]) and reports it leaked; the table's
 * free frees every cell's text, as lib/config.c explains for the same case. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif
static void add_cell(struct pdf *p, int colspan, int rowspan, const char *text, bool header,
		     bool keep, bool left)
{
	struct ptable *t = &p->tab;
	if (t->ncells == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct pcell *c = realloc(t->cells, cap * sizeof(*c));
		if (!c) {
			p->failed = true;
			return;
		}
		t->cells = c;
		t->cap = cap;
	}
	struct pcell *c = &t->cells[t->ncells];
	*c = (struct pcell){t->nrows, t->col, colspan, rowspan, NULL, header, keep, left, 0,
			    TABLE_PT, 0};
	c->text = strdup(text ? text : "");
	if (!c->text) {
		p->failed = true;
		return;
	}
	t->ncells++;
	t->col += colspan;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/* Grid widths as the Word rendering plans them: row headings 40 % (all
 * but the last narrow: three characters and a little, as （三）), the
 * figures share the rest. */
static void pdf_table_begin(void *ctx, const struct tw_table *t)
{
	struct pdf *p = ctx;
	struct ptable *tab = &p->tab;
	int ncols = 0;
	if (t->t->header)
		for (const struct tmpl_hcell *h = t->t->header; h->label; h++)
			ncols += h->colspan;
	else
		ncols = (int)t->ncols + (t->t->layout == TMPL_GRID ? t->t->heading_cols : 0);
	if (ncols > MAX_GRID)
		ncols = MAX_GRID;
	tab->ncols = ncols;
	tab->nrows = tab->nheader = 0;
	tab->ncells = 0;
	memset(tab->cover, 0, sizeof(tab->cover));
	int heads = t->t->layout == TMPL_GRID ? t->t->heading_cols : 0;
	if (heads >= ncols)
		heads = 0;
	double head_w = heads ? TEXT_W * 2 / 5 : 0, narrow = 3.3 * TABLE_PT + 2 * PAD;
	for (int c = 0; c < heads; c++)
		tab->colw[c] = c + 1 < heads ? narrow : head_w - narrow * (heads - 1);
	for (int c = heads; c < ncols; c++)
		tab->colw[c] = (TEXT_W - head_w) / (ncols - heads);
}

/* Cells merged down from a header row above take their columns first. */
static void pdf_header_row(void *ctx, const struct tw_table *t, const struct tmpl_hcell *cells,
			   size_t n)
{
	struct pdf *p = ctx;
	struct ptable *tab = &p->tab;
	(void)t;
	tab->col = 0;
	size_t i = 0;
	while (tab->col < tab->ncols) {
		int c = tab->col;
		if (tab->cover[c] > 0) {
			tab->cover[c]--;
			tab->col += tab->cover_span[c];
		} else if (i < n) {
			tab->cover[c] = cells[i].rowspan - 1;
			tab->cover_span[c] = cells[i].colspan;
			add_cell(p, cells[i].colspan, cells[i].rowspan, cells[i].label, true, true, false);
			i++;
		} else {
			break;
		}
	}
	tab->nrows++;
	tab->nheader++;
}

static void pdf_row_begin(void *ctx, const struct tw_table *t, const struct tw_row *row)
{
	struct pdf *p = ctx;
	struct ptable *tab = &p->tab;
	if (t->t->layout == TMPL_ONE_LINE) {
		if (row->index == 0)
			tab->col = 0;
		return;
	}
	tab->col = 0;
	for (size_t k = 0; k < row->nheads; k++) {
		if (row->heads[k].opens)
			add_cell(p, 1, row->heads[k].rowspan, row->heads[k].label, false, true, false);
		else
			tab->col++;
	}
	add_cell(p, row->label_colspan, 1, row->label, false, false, true);
}

static void pdf_cell(void *ctx, const struct tw_table *t, const struct tw_row *row,
		     const struct tw_cell *c)
{
	(void)t;
	(void)row;
	add_cell(ctx, 1, 1, c->value.text, false, false, false);
}

static void pdf_row_end(void *ctx, const struct tw_table *t, const struct tw_row *row)
{
	struct pdf *p = ctx;
	if (t->t->layout == TMPL_GRID || row->index + 1 == t->nrows)
		p->tab.nrows++;
}

/* ---- tables: measured -------------------------------------------------- */

static double span_w(const struct ptable *t, const struct pcell *c)
{
	double w = 0;
	for (int k = c->col; k < c->col + c->colspan && k < t->ncols; k++)
		w += t->colw[k];
	return w;
}

/* No line break inside a piece of the label (wrap.h): level 0 its words,
 * 1 its two-character words, 2 anywhere pango likes. */
static void keep_words(PangoLayout *l, const char *text, int level)
{
	if (level >= 2)
		return;
	size_t cut[64], n = wrap_cuts(text, level == 1, cut, 64), from = 0;
	PangoAttrList *attrs = pango_attr_list_new();
	for (size_t i = 0; i <= n; i++) {
		size_t to = i < n ? cut[i] : strlen(text);
		PangoAttribute *a = pango_attr_allow_breaks_new(FALSE);
		a->start_index = (guint)from;
		a->end_index = (guint)to;
		pango_attr_list_insert(attrs, a);
		from = to;
	}
	pango_layout_set_attributes(l, attrs);
	pango_attr_list_unref(attrs);
}

static PangoLayout *cell_layout(struct pdf *p, const struct pcell *c, double width)
{
	PangoLayout *l = layout_new(p, BODY_FONT, c->pt, false, width);
	pango_layout_set_alignment(l, c->left ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER);
	pango_layout_set_text(l, c->text, -1);
	if (c->keep)
		keep_words(l, c->text, c->level);
	return l;
}

/* Whether a line of layout l breaks inside a word of a header: its
 * widest word is wider than the cell. */
static bool word_too_wide(PangoLayout *l, double width)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	bool wide = false;
	do {
		PangoRectangle logical;
		pango_layout_iter_get_line_extents(it, NULL, &logical);
		wide |= logical.width / (double)PANGO_SCALE > width + 0.01;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	return wide;
}

static bool fits(struct pdf *p, const struct pcell *c, double width)
{
	PangoLayout *l = cell_layout(p, c, width);
	bool wide = word_too_wide(l, width);
	g_object_unref(l);
	return !wide;
}

/* The words of a kept cell whole if they fit, else its two-character
 * words whole, at the largest size that one of the two fits: a header's
 * down to 5 pt, a row heading's at the table's size only; else broken
 * where pango likes, at the table's size. */
static void fit_words(struct pdf *p, struct pcell *c, double width)
{
	if (!c->keep)
		return;
	double floor = c->header ? MIN_TABLE_PT : TABLE_PT;
	for (c->pt = TABLE_PT; c->pt >= floor; c->pt -= 0.5)
		for (c->level = 0; c->level < 2; c->level++)
			if (fits(p, c, width))
				return;
	c->level = 2;
	c->pt = TABLE_PT;
}

/* Each cell's font size (a header's shrunk until its widest word fits)
 * and height, then each row's height: the tallest of its own cells, and
 * a cell merged down made room for in the last row it spans. */
static int measure(struct pdf *p)
{
	struct ptable *t = &p->tab;
	free(t->rowh);
	free(t->rowy);
	t->rowh = calloc((size_t)t->nrows + 1, sizeof(double));
	t->rowy = calloc((size_t)t->nrows + 1, sizeof(double));
	if (!t->rowh || !t->rowy)
		return -1;
	for (size_t i = 0; i < t->ncells; i++) {
		struct pcell *c = &t->cells[i];
		double w = span_w(t, c) - 2 * PAD;
		fit_words(p, c, w);
		PangoLayout *l = cell_layout(p, c, w);
		int lw, lh;
		pango_layout_get_size(l, &lw, &lh);
		c->h = lh / (double)PANGO_SCALE + 2 * PAD;
		g_object_unref(l);
		if (c->rowspan == 1 && c->row < t->nrows && c->h > t->rowh[c->row])
			t->rowh[c->row] = c->h;
	}
	for (int r = 0; r < t->nrows; r++)
		if (t->rowh[r] < TABLE_PT * 1.9)
			t->rowh[r] = TABLE_PT * 1.9;
	for (size_t i = 0; i < t->ncells; i++) {
		const struct pcell *c = &t->cells[i];
		int last = c->row + c->rowspan - 1;
		if (c->rowspan < 2 || last >= t->nrows)
			continue;
		double sum = 0;
		for (int r = c->row; r <= last; r++)
			sum += t->rowh[r];
		if (sum < c->h)
			t->rowh[last] += c->h - sum;
	}
	return 0;
}

/* ---- tables: drawn ------------------------------------------------------ */

/* Draw the rows [a, b) of the table from y: every cell they show, a cell
 * merged over rows beyond them cut to them (its text again on a new page). */
static double draw_rows(struct pdf *p, int a, int b, double y)
{
	const struct ptable *t = &p->tab;
	double *rowy = t->rowy, h = 0;
	for (int r = a; r < b; r++) {
		rowy[r] = y + h;
		h += t->rowh[r];
	}
	rowy[b] = y + h;
	cairo_set_line_width(p->cr, 0.6);
	for (size_t i = 0; i < t->ncells; i++) {
		const struct pcell *c = &t->cells[i];
		int top = c->row > a ? c->row : a, end = c->row + c->rowspan;
		if (end > b)
			end = b;
		if (top >= end)
			continue;
		double x = LEFT;
		for (int k = 0; k < c->col; k++)
			x += t->colw[k];
		double w = span_w(t, c), y0 = rowy[top], y1 = rowy[end];
		cairo_rectangle(p->cr, x, y0, w, y1 - y0);
		cairo_stroke(p->cr);
		PangoLayout *l = cell_layout(p, c, w - 2 * PAD);
		int lw, lh;
		pango_layout_get_size(l, &lw, &lh);
		double th = lh / (double)PANGO_SCALE;
		cairo_save(p->cr);
		cairo_rectangle(p->cr, x, y0, w, y1 - y0);
		cairo_clip(p->cr);
		cairo_move_to(p->cr, x + PAD, y0 + (y1 - y0 - th) / 2);
		pango_cairo_show_layout(p->cr, l);
		cairo_restore(p->cr);
		g_object_unref(l);
	}
	return h;
}

static double rows_h(const struct ptable *t, int a, int b)
{
	double h = 0;
	for (int r = a; r < b; r++)
		h += t->rowh[r];
	return h;
}

/* Where to break a page before row r: r, or the first row of a row
 * heading merged over r (（五）不予处理) when the rows it spans fit on a
 * page, so a group of rows is not cut when it need not be. */
static int group_start(const struct ptable *t, int start, int r, double room)
{
	int at = r;
	for (size_t i = 0; i < t->ncells; i++) {
		const struct pcell *c = &t->cells[i];
		if (c->row > start && c->row < at && c->row + c->rowspan > r &&
		    rows_h(t, c->row, c->row + c->rowspan) <= room)
			at = c->row;
	}
	return at;
}

/* A table kept on one page when it fits on one; else begun where its
 * header and first row fit, its header drawn again on each new page. */
static void pdf_table_end(void *ctx, const struct tw_table *tw)
{
	struct pdf *p = ctx;
	struct ptable *t = &p->tab;
	(void)tw;
	if (p->failed || measure(p)) {
		p->failed = true;
		goto out;
	}
	double head = rows_h(t, 0, t->nheader), all = rows_h(t, 0, t->nrows);
	double first = t->nheader < t->nrows ? t->rowh[t->nheader] : 0;
	flush_heading(p, all <= BOTTOM - TOP ? all : head + first);
	if (p->y > TOP && p->y + (all <= BOTTOM - TOP ? all : head + first) > BOTTOM)
		new_page(p);
	p->y += draw_rows(p, 0, t->nheader, p->y);
	int start = t->nheader;
	double y = p->y;
	for (int r = t->nheader; r < t->nrows; r++) {
		if (y + t->rowh[r] > BOTTOM && r > start) {
			r = group_start(t, start, r, BOTTOM - TOP - head);
			draw_rows(p, start, r, p->y);
			new_page(p);
			p->y += draw_rows(p, 0, t->nheader, p->y);
			start = r;
			y = p->y;
		}
		y += t->rowh[r];
	}
	p->y += draw_rows(p, start, t->nrows, p->y);
	p->y += LINE_PITCH / 2;
out:
	for (size_t i = 0; i < t->ncells; i++)
		free(t->cells[i].text);
	t->ncells = 0;
}

static void pdf_sign(void *ctx, const struct tw_doc *d)
{
	struct pdf *p = ctx;
	flush_heading(p, 0);
	char sign[512];
	snprintf(sign, sizeof(sign), "%s%s%s", d->signature ? d->signature : d->name,
		 d->date ? "\n" : "", d->date ? d->date : "");
	PangoLayout *l = layout_new(p, BODY_FONT, BODY_PT, false, TEXT_W - 2 * BODY_PT);
	pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
	pango_layout_set_text(l, sign, -1);
	int lines = pango_layout_get_line_count(l);
	p->y += LINE_PITCH;
	if (p->y + LINE_PITCH * lines > BOTTOM)
		new_page(p);
	draw_lines(p, l, LEFT, LINE_PITCH);
	g_object_unref(l);
}

/* A line of the checks block: 小四 (12 pt), flush left, wrapped. */
static void check_text(struct pdf *p, const char *text)
{
	PangoLayout *l = layout_new(p, BODY_FONT, CHECK_PT, false, TEXT_W);
	pango_layout_set_text(l, text, -1);
	draw_lines(p, l, LEFT, 0);
	g_object_unref(l);
	p->y += CHECK_PT / 2;
}

/* The checks on a page of their own after the signature. */
static void pdf_checks_begin(void *ctx, const struct tw_checks *c)
{
	struct pdf *p = ctx;
	new_page(p);
	PangoLayout *l = heading_layout(p, c->heading);
	draw_lines(p, l, LEFT, LINE_PITCH);
	g_object_unref(l);
	check_text(p, c->note);
	check_text(p, c->summary);
}

static void pdf_check(void *ctx, const struct tw_checks *c, const struct tw_check *k)
{
	(void)c;
	check_text(ctx, k->line);
}

static const struct render_ops pdf_ops = {
	.doc_begin = pdf_doc_begin, .section = pdf_section, .paragraph = pdf_paragraph,
	.table_begin = pdf_table_begin, .header_row = pdf_header_row,
	.row_begin = pdf_row_begin, .cell = pdf_cell, .row_end = pdf_row_end,
	.table_end = pdf_table_end, .sign = pdf_sign, .publishable = true,
	.checks_begin = pdf_checks_begin, .check = pdf_check,
};

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int n)
{
	return fwrite(data, 1, n, closure) == n ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

int render_pdf(const struct report *r, FILE *out, char *err, size_t errlen)
{
	struct pdf p = {.page = 1, .y = TOP};
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_out, out, PAGE_W, PAGE_H);
	char title[512];
	snprintf(title, sizeof(title), "%s %d年%s", r->name, r->year, tmpl_title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "disclosed-report");
	p.cr = cairo_create(s);
	cairo_set_source_rgb(p.cr, 0, 0, 0);
	int rc = tmpl_walk(r, &pdf_ops, &p);
	if (rc || p.failed)
		snprintf(err, errlen, "laying out the report failed (out of memory?)");
	else
		finish_page(&p);
	cairo_destroy(p.cr);
	cairo_surface_finish(s);
	cairo_status_t st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (!rc && !p.failed && st != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errlen, "writing the PDF: %s", cairo_status_to_string(st));
		rc = -1;
	}
	free(p.heading);
	free(p.tab.cells);
	free(p.tab.rowh);
	free(p.tab.rowy);
	return rc || p.failed ? -1 : 0;
}
