/* Word (.docx): WordprocessingML parts in a zip (libzip), A4 with margins in
 * the spirit of GB/T 9704, the official tables with their merged header
 * cells (gridSpan across, vMerge down), header rows repeated on each page
 * and no row split across pages. Everything it says comes from the walk. */
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "buf.h"
#include "report.h"
#include "wrap.h"

/* Page and type, in twips (1/1440 inch) and half-points. A4 is 210 x 297 mm;
 * margins top 37, bottom 35, left 28, right 26 mm. */
#define PAGE_W 11906
#define PAGE_H 16838
#define MARGIN_TOP 2098
#define MARGIN_BOTTOM 1984
#define MARGIN_LEFT 1587
#define MARGIN_RIGHT 1474
#define TEXT_W (PAGE_W - MARGIN_LEFT - MARGIN_RIGHT)
#define CELL_MARGIN 57     /* left and right inside a table cell */
#define TABLE_HALF_PT 21   /* 五号, 10.5 pt */
#define NARROW (34 * TABLE_HALF_PT + 2 * CELL_MARGIN) /* three characters and spare: （三） */
#define KEEP_ROWS 12       /* a table of more rows keeps only its head together */

/* How a cell's text may wrap. */
enum fit { FIT_FREE, FIT_HEADER, FIT_HEADING };

struct docx {
	struct buf doc;              /* word/document.xml, being written */
	int grid[TW_MAXCOLS * 2 + 4]; /* the current table's column widths */
	int ncols;                   /* grid columns of the current table */
	/* Header cells merged down into the header row being written: rows
	 * still to cover and the columns they span, by their first column. */
	int cover_rows[TW_MAXCOLS * 2 + 4], cover_span[TW_MAXCOLS * 2 + 4];
	int col;                     /* grid column of the next cell in a row */
	bool keep;                   /* keep this row with the next (not the table's last) */
};

/* XML character data: markup escaped; C0 controls, which XML 1.0 forbids,
 * dropped (a tab becomes a space). */
static void xml_n(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; s && i < n && s[i]; i++) {
		unsigned char ch = (unsigned char)s[i];
		switch (ch) {
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '&': buf_puts(b, "&amp;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\t': buf_putc(b, ' '); break;
		default:
			if (ch >= 0x20)
				buf_putc(b, (char)ch);
		}
	}
}

/* A paragraph of style `style` holding n bytes of text. */
static void para_n(struct buf *b, const char *style, const char *text, size_t n)
{
	buf_printf(b, "<w:p><w:pPr><w:pStyle w:val=\"%s\"/></w:pPr><w:r><w:t xml:space=\"preserve\">",
		   style);
	xml_n(b, text, n);
	buf_puts(b, "</w:t></w:r></w:p>");
}

static void para(struct buf *b, const char *style, const char *text)
{
	para_n(b, style, text, (size_t)-1);
}

static void docx_doc_begin(void *ctx, const struct tw_doc *d)
{
	struct docx *x = ctx;
	buf_puts(&x->doc, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		 "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
		 "<w:body>");
	para(&x->doc, "Title", d->name);
	char title[512];
	snprintf(title, sizeof(title), "%d年%s", d->year, d->title);
	para(&x->doc, "Title", title);
}

static void docx_section(void *ctx, const struct tmpl_section *s)
{
	struct docx *x = ctx;
	para(&x->doc, "Heading1", s->heading);
}

static void docx_paragraph(void *ctx, const struct tmpl_section *s, const char *text)
{
	struct docx *x = ctx;
	(void)s;
	for (const char *p = text; p && *p;) {
		size_t n = strcspn(p, "\n");
		if (n)
			para_n(&x->doc, "Normal", p, n);
		p += n + (p[n] ? 1 : 0);
	}
}

/* Grid widths: the row-heading columns take 40 % of the text width (all
 * but the last of them narrow: they hold a group heading merged down),
 * the figures share the rest; a one-line table shares it evenly. */
static void plan_grid(struct docx *x, const struct tw_table *t, int ncols)
{
	int heads = t->t->layout == TMPL_GRID ? t->t->heading_cols : 0;
	if (heads >= ncols)
		heads = 0;
	int head_w = heads ? TEXT_W * 2 / 5 : 0, narrow = NARROW;
	for (int c = 0; c < heads; c++)
		x->grid[c] = c + 1 < heads ? narrow : head_w - narrow * (heads - 1);
	for (int c = heads; c < ncols; c++)
		x->grid[c] = (TEXT_W - head_w) / (ncols - heads);
}

static void docx_table_begin(void *ctx, const struct tw_table *t)
{
	struct docx *x = ctx;
	/* The grid is as wide as the first header row. */
	int ncols = 0;
	const struct tmpl_hcell *h = t->t->header;
	if (h)
		for (; h->label; h++)
			ncols += h->colspan;
	else
		ncols = (int)t->ncols + (t->t->layout == TMPL_GRID ? t->t->heading_cols : 0);
	if (t->t->layout == TMPL_ONE_LINE && !t->t->header)
		ncols = (int)(t->ncols * t->nrows);
	if (ncols > (int)(sizeof(x->grid) / sizeof(x->grid[0])))
		ncols = (int)(sizeof(x->grid) / sizeof(x->grid[0]));
	x->ncols = ncols;
	memset(x->cover_rows, 0, sizeof(x->cover_rows));
	plan_grid(x, t, ncols);
	buf_puts(&x->doc, "<w:tbl><w:tblPr><w:tblStyle w:val=\"ReportTable\"/>"
		 "<w:tblW w:w=\"5000\" w:type=\"pct\"/><w:jc w:val=\"center\"/>"
		 "<w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>");
	for (int c = 0; c < ncols; c++)
		buf_printf(&x->doc, "<w:gridCol w:w=\"%d\"/>", x->grid[c]);
	buf_puts(&x->doc, "</w:tblGrid>");
}

/* Where the greedy packing of label `text`'s pieces (wrap.h, pairs at
 * level 1) into lines `ems` wide breaks: offsets into brk, their count in
 * *n; false when a piece alone is wider. */
static bool pack(const char *text, int level, double ems, size_t *brk, size_t *n)
{
	size_t cut[64], ncut = wrap_cuts(text, level == 1, cut, 64), from = 0;
	double line = 0;
	*n = 0;
	for (size_t i = 0; i <= ncut; i++) {
		size_t to = i < ncut ? cut[i] : strlen(text);
		double w = wrap_ems(text + from, to - from);
		if (w > ems)
			return false;
		if (line > 0 && line + w > ems) {
			brk[(*n)++] = from;
			line = 0;
		}
		line += w;
		from = to;
	}
	return true;
}

/* The cell's text in runs of size `half` (half-points), a line break
 * (w:br) before each offset of brk: Word and WPS then break a label only
 * where it may break, never inside a word. */
static void runs(struct buf *b, const char *text, int half, const size_t *brk, size_t n)
{
	size_t from = 0;
	for (size_t i = 0; i <= n; i++) {
		size_t to = i < n ? brk[i] : strlen(text);
		buf_puts(b, "<w:r>");
		if (half != TABLE_HALF_PT)
			buf_printf(b, "<w:rPr><w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/></w:rPr>", half, half);
		if (i > 0)
			buf_puts(b, "<w:br/>");
		buf_puts(b, "<w:t xml:space=\"preserve\">");
		xml_n(b, text + from, to - from);
		buf_puts(b, "</w:t></w:r>");
		from = to;
	}
}

/* The text of a cell `width` twips wide: a header's or a row heading's
 * words whole if they fit, else its two-character words whole, at the
 * largest size that one of the two fits (a header's down to 5 pt, a row
 * heading's at the table's size only); else as Word wraps it. Widths are
 * estimated in ems (wrap_ems), with 10 % to spare for the font's own
 * metrics. */
static void cell_text(struct buf *b, const char *text, int width, enum fit fit)
{
	size_t brk[64], n = 0;
	int floor = fit == FIT_HEADER ? 10 : fit == FIT_HEADING ? TABLE_HALF_PT : TABLE_HALF_PT + 1;
	for (int half = TABLE_HALF_PT; half >= floor; half--)
		for (int level = 0; level < 2; level++)
			if (pack(text, level, (width - 2 * CELL_MARGIN) * 0.9 / (half * 10), brk, &n)) {
				runs(b, text, half, brk, n);
				return;
			}
	runs(b, text, TABLE_HALF_PT, brk, 0);
}

/* A cell at the current grid column spanning `span` columns; merge: NULL,
 * "restart" (the first of a cell merged down) or "continue". */
static void tc(struct docx *x, int span, const char *merge, const char *text, const char *jc,
	       enum fit fit)
{
	int w = 0;
	for (int c = x->col; c < x->col + span && c < x->ncols; c++)
		w += x->grid[c];
	buf_printf(&x->doc, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>", w);
	if (span > 1)
		buf_printf(&x->doc, "<w:gridSpan w:val=\"%d\"/>", span);
	if (merge && strcmp(merge, "continue") == 0)
		buf_puts(&x->doc, "<w:vMerge/>");
	else if (merge)
		buf_puts(&x->doc, "<w:vMerge w:val=\"restart\"/>");
	buf_printf(&x->doc, "<w:vAlign w:val=\"center\"/></w:tcPr><w:p><w:pPr>"
		   "<w:pStyle w:val=\"TableText\"/>%s<w:jc w:val=\"%s\"/></w:pPr>",
		   x->keep ? "<w:keepNext/>" : "", jc);
	if (text && *text)
		cell_text(&x->doc, text, w, fit);
	buf_puts(&x->doc, "</w:p></w:tc>");
	x->col += span;
}

static void tr_begin(struct docx *x, bool header)
{
	buf_printf(&x->doc, "<w:tr><w:trPr><w:cantSplit/>%s</w:trPr>",
		   header ? "<w:tblHeader/>" : "");
	x->col = 0;
}

/* A header row: cells merged down from rows above take their columns
 * first (a vMerge continuation each), the row's own cells the rest. */
static void docx_header_row(void *ctx, const struct tw_table *t, const struct tmpl_hcell *cells,
			    size_t n)
{
	struct docx *x = ctx;
	(void)t;
	x->keep = true;
	tr_begin(x, true);
	size_t i = 0;
	while (x->col < x->ncols) {
		int c = x->col;
		if (x->cover_rows[c] > 0) {
			x->cover_rows[c]--;
			tc(x, x->cover_span[c], "continue", NULL, "center", FIT_FREE);
		} else if (i < n) {
			const struct tmpl_hcell *h = &cells[i++];
			x->cover_rows[c] = h->rowspan - 1;
			x->cover_span[c] = h->colspan;
			tc(x, h->colspan, h->rowspan > 1 ? "restart" : NULL, h->label, "center", FIT_HEADER);
		} else {
			break;
		}
	}
	buf_puts(&x->doc, "</w:tr>");
}

/* Row headings span the rows under them (restarted where they open,
 * continued below); a one-line table puts every row's cells on one line. */
static void docx_row_begin(void *ctx, const struct tw_table *t, const struct tw_row *row)
{
	struct docx *x = ctx;
	if (t->t->layout == TMPL_ONE_LINE) {
		x->keep = false;
		if (row->index == 0)
			tr_begin(x, false);
		return;
	}
	/* A short table is kept on one page, a long one with its header and
	 * first rows: Word moves what it keeps together to the next page. */
	x->keep = row->index + 1 < t->nrows && (t->nrows <= KEEP_ROWS || row->index < 2);
	tr_begin(x, false);
	for (size_t k = 0; k < row->nheads; k++) {
		const struct tw_head *h = &row->heads[k];
		if (!h->opens)
			tc(x, 1, "continue", NULL, "center", FIT_FREE);
		else
			tc(x, 1, h->rowspan > 1 ? "restart" : NULL, h->label, "center", FIT_HEADING);
	}
	tc(x, row->label_colspan, NULL, row->label, "left", FIT_FREE);
}

static void docx_cell(void *ctx, const struct tw_table *t, const struct tw_row *row,
		      const struct tw_cell *c)
{
	(void)t;
	(void)row;
	tc(ctx, 1, NULL, c->value.text, "center", FIT_FREE);
}

static void docx_row_end(void *ctx, const struct tw_table *t, const struct tw_row *row)
{
	struct docx *x = ctx;
	if (t->t->layout == TMPL_GRID || row->index + 1 == t->nrows)
		buf_puts(&x->doc, "</w:tr>");
}

static void docx_table_end(void *ctx, const struct tw_table *t)
{
	struct docx *x = ctx;
	(void)t;
	/* Word needs a paragraph between two tables, or it joins them. */
	buf_puts(&x->doc, "</w:tbl><w:p><w:pPr><w:pStyle w:val=\"TableGap\"/></w:pPr></w:p>");
}

static void docx_sign(void *ctx, const struct tw_doc *d)
{
	struct docx *x = ctx;
	buf_puts(&x->doc, "<w:p/>"); /* a blank line above the signature */
	para(&x->doc, "Signature", d->signature ? d->signature : d->name);
	if (d->date)
		para(&x->doc, "Signature", d->date);
}

/* The checks on a page of their own after the signature. */
static void docx_checks_begin(void *ctx, const struct tw_checks *c)
{
	struct docx *x = ctx;
	buf_puts(&x->doc, "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
	para(&x->doc, "Heading1", c->heading);
	para(&x->doc, "Check", c->note);
	para(&x->doc, "Check", c->summary);
}

static void docx_check(void *ctx, const struct tw_checks *c, const struct tw_check *k)
{
	struct docx *x = ctx;
	(void)c;
	para(&x->doc, "Check", k->line);
}

static void docx_doc_end(void *ctx, const struct tw_doc *d)
{
	struct docx *x = ctx;
	(void)d;
	buf_printf(&x->doc, "<w:sectPr><w:pgSz w:w=\"%d\" w:h=\"%d\"/>"
		   "<w:pgMar w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\" w:left=\"%d\" "
		   "w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/>"
		   "<w:docGrid w:type=\"lines\" w:linePitch=\"579\"/></w:sectPr></w:body></w:document>\n",
		   PAGE_W, PAGE_H, MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT);
}

static const struct render_ops docx_ops = {
	.doc_begin = docx_doc_begin, .section = docx_section, .paragraph = docx_paragraph,
	.table_begin = docx_table_begin, .header_row = docx_header_row,
	.row_begin = docx_row_begin, .cell = docx_cell, .row_end = docx_row_end,
	.table_end = docx_table_end, .sign = docx_sign, .publishable = true,
	.checks_begin = docx_checks_begin, .check = docx_check, .doc_end = docx_doc_end,
};

/* ---- the fixed parts ---------------------------------------------------- */

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
#define RELS_NS "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\""
#define OD_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const char content_types[] = XML_DECL
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
	"<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
	"<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>"
	"<Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>"
	"</Types>\n";

static const char package_rels[] = XML_DECL "<Relationships " RELS_NS ">"
	"<Relationship Id=\"rId1\" Type=\"" OD_REL "officeDocument\" Target=\"word/document.xml\"/>"
	"</Relationships>\n";

static const char document_rels[] = XML_DECL "<Relationships " RELS_NS ">"
	"<Relationship Id=\"rId1\" Type=\"" OD_REL "styles\" Target=\"styles.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"" OD_REL "settings\" Target=\"settings.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"" OD_REL "fontTable\" Target=\"fontTable.xml\"/>"
	"</Relationships>\n";

static const char settings[] = XML_DECL "<w:settings " W_NS ">"
	"<w:defaultTabStop w:val=\"640\"/><w:characterSpacingControl w:val=\"compressPunctuation\"/>"
	"<w:compat><w:compatSetting w:name=\"compatibilityMode\" "
	"w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
	"</w:settings>\n";

/* The fonts of 公文: 方正小标宋简体 for the title, 黑体 for headings,
 * 仿宋_GB2312 for the text, each with the font a machine without it
 * takes instead (altName: those Windows ships). */
static const char font_table[] = XML_DECL "<w:fonts " W_NS ">"
	"<w:font w:name=\"方正小标宋简体\"><w:altName w:val=\"宋体\"/><w:charset w:val=\"86\"/>"
	"<w:family w:val=\"script\"/></w:font>"
	"<w:font w:name=\"仿宋_GB2312\"><w:altName w:val=\"仿宋\"/><w:charset w:val=\"86\"/>"
	"<w:family w:val=\"modern\"/></w:font>"
	"<w:font w:name=\"仿宋\"><w:altName w:val=\"FangSong\"/><w:charset w:val=\"86\"/>"
	"<w:family w:val=\"modern\"/></w:font>"
	"<w:font w:name=\"黑体\"><w:altName w:val=\"SimHei\"/><w:charset w:val=\"86\"/>"
	"<w:family w:val=\"modern\"/></w:font>"
	"<w:font w:name=\"Times New Roman\"><w:charset w:val=\"00\"/><w:family w:val=\"roman\"/></w:font>"
	"</w:fonts>\n";

/* rFonts: Latin in Times New Roman, Chinese in `east`. */
#define RFONTS(east) "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" " \
	"w:eastAsia=\"" east "\" w:cs=\"Times New Roman\" w:hint=\"eastAsia\"/>"

/* 三号 (16 pt) 仿宋 text with a two-character indent; the title in 二号
 * (22 pt) 小标宋, headings in 三号 黑体; tables in 五号 (10.5 pt) 仿宋. */
static const char styles[] = XML_DECL "<w:styles " W_NS ">"
	"<w:docDefaults><w:rPrDefault><w:rPr>" RFONTS("仿宋_GB2312")
	"<w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/>"
	"</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
	"<w:spacing w:after=\"0\" w:line=\"560\" w:lineRule=\"exact\"/></w:pPr></w:pPrDefault>"
	"</w:docDefaults>"
	"<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>"
	"<w:pPr><w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/><w:jc w:val=\"both\"/></w:pPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/>"
	"<w:basedOn w:val=\"Normal\"/><w:pPr><w:keepNext/><w:spacing w:line=\"700\" w:lineRule=\"exact\"/>"
	"<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/></w:pPr>"
	"<w:rPr>" RFONTS("方正小标宋简体") "<w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/></w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>"
	"<w:basedOn w:val=\"Normal\"/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"280\"/>"
	"<w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr>" RFONTS("黑体") "</w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"Table Text\"/>"
	"<w:basedOn w:val=\"Normal\"/><w:pPr><w:snapToGrid w:val=\"0\"/>"
	"<w:spacing w:line=\"280\" w:lineRule=\"atLeast\"/>"
	"<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/></w:pPr>"
	"<w:rPr><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/></w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"TableGap\"><w:name w:val=\"Table Gap\"/>"
	"<w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:line=\"240\" w:lineRule=\"exact\"/></w:pPr>"
	"<w:rPr><w:sz w:val=\"12\"/></w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Signature\"><w:name w:val=\"Signature\"/>"
	"<w:basedOn w:val=\"Normal\"/><w:pPr><w:keepLines/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\" "
	"w:right=\"640\"/><w:jc w:val=\"right\"/></w:pPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Check\"><w:name w:val=\"Check\"/>"
	"<w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:line=\"360\" w:lineRule=\"atLeast\"/>"
	"<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"left\"/></w:pPr>"
	"<w:rPr><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/></w:rPr></w:style>"
	"<w:style w:type=\"table\" w:styleId=\"ReportTable\"><w:name w:val=\"Report Table\"/>"
	"<w:tblPr><w:tblBorders>"
	"<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
	"<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
	"<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
	"<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
	"<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
	"<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
	"</w:tblBorders><w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/>"
	"<w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
	"</w:styles>\n";

/* Add a part to the archive from n bytes that must live until zip_close. */
static int add_part(zip_t *za, const char *name, const void *data, size_t n)
{
	zip_source_t *s = zip_source_buffer(za, data, n, 0);
	if (!s)
		return -1;
	if (zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8) < 0) {
		zip_source_free(s);
		return -1;
	}
	return 0;
}

/* Copy the finished archive held by src to out. */
static int copy_out(zip_source_t *src, FILE *out, char *err, size_t errlen)
{
	if (zip_source_open(src) < 0) {
		snprintf(err, errlen, "reading the zip back: %s", zip_error_strerror(zip_source_error(src)));
		return -1;
	}
	char chunk[8192];
	zip_int64_t n;
	int rc = 0;
	while ((n = zip_source_read(src, chunk, sizeof(chunk))) > 0)
		if (fwrite(chunk, 1, (size_t)n, out) != (size_t)n) {
			snprintf(err, errlen, "writing the document failed");
			rc = -1;
			break;
		}
	if (n < 0) {
		snprintf(err, errlen, "reading the zip back: %s", zip_error_strerror(zip_source_error(src)));
		rc = -1;
	}
	zip_source_close(src);
	return rc;
}

int render_docx(const struct report *r, FILE *out, char *err, size_t errlen)
{
	struct docx *x = calloc(1, sizeof(*x));
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = NULL;
	zip_t *za = NULL;
	int rc = -1;
	if (!x) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (tmpl_walk(r, &docx_ops, x)) {
		snprintf(err, errlen, "walking the report template failed (out of memory?)");
		goto out;
	}
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	za = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
	if (!za) {
		snprintf(err, errlen, "creating the zip: %s", zip_error_strerror(&ze));
		goto out;
	}
	zip_source_keep(src); /* read back after zip_close */
	struct { const char *name, *data; size_t n; } parts[] = {
		{"[Content_Types].xml", content_types, sizeof(content_types) - 1},
		{"_rels/.rels", package_rels, sizeof(package_rels) - 1},
		{"word/_rels/document.xml.rels", document_rels, sizeof(document_rels) - 1},
		{"word/document.xml", x->doc.data, x->doc.len},
		{"word/styles.xml", styles, sizeof(styles) - 1},
		{"word/settings.xml", settings, sizeof(settings) - 1},
		{"word/fontTable.xml", font_table, sizeof(font_table) - 1},
	};
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (add_part(za, parts[i].name, parts[i].data, parts[i].n)) {
			snprintf(err, errlen, "adding %s to the zip: %s", parts[i].name, zip_strerror(za));
			goto out;
		}
	if (zip_close(za) < 0) {
		snprintf(err, errlen, "writing the zip: %s", zip_strerror(za));
		goto out;
	}
	za = NULL;
	rc = copy_out(src, out, err, errlen);
out:
	/* src holds one reference of ours (zip_source_keep, or the one
	 * zip_open_from_source did not take when it failed) and one of za's. */
	if (za)
		zip_discard(za);
	if (src)
		zip_source_free(src);
	zip_error_fini(&ze);
	if (x)
		buf_free(&x->doc);
	free(x);
	return rc;
}
