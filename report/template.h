/*
 * template: the one description of the annual report per template year
 * (2019 and 2021: see ../shared/report-format.md and docs/report.md) and
 * the one traversal that every renderer follows.
 *
 * The template says what the report is: its sections and headings, its
 * tables, their rows (key, label per template year, row-heading levels),
 * their columns (key, label per template year, header group) and the merged
 * header cells of the printed layout. tmpl_walk() visits it for one report,
 * in document order, handing each renderer the labels and values to write;
 * no renderer holds a label or a row order of its own, so two formats
 * cannot disagree on either.
 */
#ifndef DISCLOSED_REPORT_TEMPLATE_H
#define DISCLOSED_REPORT_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct report;

/* Template years, as indexes into the label arrays below. */
enum tmpl_year { TMPL_2019, TMPL_2021, TMPL_NYEARS };
/* The template year of a report (r->tmpl is 2019 or 2021). */
enum tmpl_year tmpl_year_of(const struct report *r);

/* A column of a table. label[y] NULL: not in template year y. */
struct tmpl_col {
	const char *key;                /* CSV column, JSON key */
	const char *label[TMPL_NYEARS];
	const char *group;              /* header cell spanning it, e.g. 法人或其他组织 */
};

/* Levels of row headings above a row's own label (三、本年度办理结果,
 * （三）不予公开), outermost first; NULL when fewer. */
#define TMPL_HEADS 2

/* A row of a table. label[y] NULL: not in template year y. */
struct tmpl_row {
	const char *key;                /* CSV row, JSON key: a key or a row code ("3.3.4") */
	const char *label[TMPL_NYEARS];
	const char *heads[TMPL_HEADS];
	bool sums;                      /* counts into its table's total row (三: 3.7) */
};

/* A header cell of the printed layout, merged over colspan x rowspan. */
struct tmpl_hcell {
	const char *label;
	int colspan, rowspan;
};

enum tmpl_layout {
	TMPL_GRID,     /* a printed grid: a header, then a line per row */
	TMPL_ONE_LINE, /* printed as one line of every row's cells side by side under
			  its header (section 四's official layout) */
	TMPL_FIGURES,  /* named figures, not printed as a table (section 一; the
			  prose says them) but written by the data formats */
};

enum tmpl_kind { TMPL_INT, TMPL_DECIMAL, TMPL_TEXT };

/* A cell's value as printed, and its kind (JSON keeps decimals as text). */
struct tmpl_value {
	char text[48];
	enum tmpl_kind kind;
};

struct tmpl_table {
	const char *key;     /* CSV table; JSON key in a section written by table */
	const char *id;      /* the printed table's anchor (HTML id) */
	unsigned years;      /* bit y: in template year y */
	const char *title;   /* printed above it (第二十条第（一）项), or NULL */
	const char *note;    /* printed above its header (本列数据的勾稽关系…), or NULL */
	const char *corner;  /* label of the row-heading column */
	enum tmpl_layout layout;
	int heading_cols;    /* columns the row headings take in the grid */
	const char *head_sep[TMPL_HEADS]; /* joins a heading level to the next in a
					     one-string label */
	const char *col_sep; /* joins a column's group and label likewise */
	bool row_codes;      /* rows are keyed by their printed codes */
	/* Header rows of the printed layout, each ended by a cell with a NULL
	 * label, the last by two; NULL: a title row (when titled), then the
	 * corner and the columns. */
	const struct tmpl_hcell *header;
	const struct tmpl_row *rows;
	size_t nrows;
	const struct tmpl_col *cols;
	size_t ncols;
	/* The value of cell (row, col), indexes into rows and cols. */
	void (*value)(const struct report *r, size_t row, size_t col, struct tmpl_value *v);
};

/* What a paragraph says. */
enum tmpl_text { TMPL_TEXT_OVERVIEW, TMPL_TEXT_FIVE, TMPL_TEXT_SIX };

struct tmpl_section {
	const char *key;      /* CSV section ("1".."4"), or NULL: text only */
	const char *json_key; /* "overview", "section2", ... or NULL */
	const char *id;       /* HTML class of its tables ("s2") */
	const char *heading;  /* 一、总体情况 */
	bool json_by_table;   /* JSON nests its tables by key (section 二) */
	bool has_text;
	enum tmpl_text text;  /* its paragraph, when has_text */
	const char *no_text;  /* said when the text is not provided */
	const struct tmpl_table *const *tables;
	size_t ntables;
};

extern const struct tmpl_section tmpl_sections[];
extern const size_t tmpl_nsections;
extern const char tmpl_title[]; /* 政府信息公开工作年度报告, after the year */

/* Section 三 and 四, whose cells the figures hold by row and column index. */
extern const struct tmpl_table tmpl_s3, tmpl_s4;
#define S3_COLS 7
#define S4_ROUTES 3
#define S4_RESULTS 5
#define s3_rows (tmpl_s3.rows)
#define s3_nrows (tmpl_s3.nrows)

/* Index of a row or column key in a table, or -1. */
int tmpl_row_index(const struct tmpl_table *t, const char *key);
int tmpl_col_index(const struct tmpl_table *t, const char *key);
/* Index of a section 三 row code, or -1. */
int s3_index(const char *code);
/* Whether row i of section 三 is in the report's template. */
bool s3_in_template(const struct report *r, size_t i);

/* 受理率 as printed ("100%", or "—" with no complaints). */
char *report_rate(const struct report *r, char *buf, size_t len);

/* ---- Placeholders in the agency's texts ---------------------------------- */

/* Whether {name} names a figure (an English key or its Chinese name; the
 * list is in template.c and docs/report.md). name is n bytes. */
bool tmpl_placeholder_known(const char *name, size_t n);
/* Write text with each {name} replaced by its figure; an unknown one is
 * written as it stands (texts are checked when read: texts.c). 0, or -1
 * when writing failed. */
int tmpl_expand(const struct report *r, const char *text, FILE *out);

/* ---- The traversal ---------------------------------------------------- */

/* The document being walked. */
struct tw_doc {
	const struct report *r;
	const char *name;      /* the agency's full name, as headed */
	int year;
	const char *title;     /* tmpl_title */
	const char *signature; /* signed under section 六 (the full name), or NULL */
	const char *date;      /* under the signature, as printed ("2027年1月15日"), or NULL */
};

#define TW_MAXCOLS 16

/* A table as the walk presents it for the report's template year. */
struct tw_table {
	const struct tmpl_section *section;
	const struct tmpl_table *t;
	size_t ncols;
	size_t col_index[TW_MAXCOLS];     /* into t->cols */
	const char *col_key[TW_MAXCOLS];
	const char *col_label[TW_MAXCOLS];
	const char *col_flat[TW_MAXCOLS]; /* group, col_sep, label: one string */
	size_t nrows;                     /* rows in the template year */
	char flat_buf[TW_MAXCOLS][128];
};

/* A row heading level: shown once over the rows it spans. */
struct tw_head {
	const char *label;
	bool opens;  /* this row is the first under it */
	int rowspan; /* when it opens: the rows under it */
};

struct tw_row {
	const char *key;
	const char *label;  /* its own label in the template year */
	const char *flat;   /* heading levels and label as one string */
	size_t nheads;
	struct tw_head heads[TMPL_HEADS];
	int label_colspan;  /* grid columns its own label spans */
	size_t index;       /* among the rows shown, from 0 */
	char flat_buf[512];
};

struct tw_cell {
	size_t col;        /* among the columns shown, from 0 */
	const char *key, *label;
	struct tmpl_value value;
};

/* ---- 数据检查: the report's checks as the documents print them ----------- */

/* One check: its state's mark and word, its Chinese name (what holds when
 * it holds), and its own explanation (where it fails, what it checked, or
 * why it was not made). */
struct tw_check {
	const char *id;
	const char *state;  /* holds, failed, not_checked (as in the JSON) */
	const char *mark;   /* ✓, ✗, — */
	const char *word;   /* 成立, 不成立, 未检查 */
	const char *label;  /* its Chinese name; the id when it has none */
	const char *where;
	size_t index;       /* from 0 */
	char line[1024];    /* mark, word, label and (id：where) as one line */
};

/* The block of checks, printed apart from the report after its signature. */
struct tw_checks {
	const char *heading; /* 附：数据检查 */
	const char *note;    /* that it is not part of the published report, and
				what the states mean for the run */
	size_t n, holds, failed, not_checked;
	char summary[256];   /* 共N项：成立a项，不成立b项，未检查c项。 */
};

/* What a renderer does at each step; any may be NULL. `ctx` is the
 * renderer's own state. Strings are the template's or the walk's, valid
 * during the call. */
struct render_ops {
	/* Visit TMPL_FIGURES tables too: data formats want them; printed ones
	 * have them in the prose. */
	bool figures;
	void (*doc_begin)(void *ctx, const struct tw_doc *d);
	void (*section)(void *ctx, const struct tmpl_section *s);
	/* A paragraph of prose or of the agency's texts: section 一's
	 * narrative one call per paragraph, its placeholders replaced; 五 and
	 * 六 one call holding their lines (newline-separated paragraphs). */
	void (*paragraph)(void *ctx, const struct tmpl_section *s, const char *text);
	void (*table_begin)(void *ctx, const struct tw_table *t);
	/* Each header row of the printed layout, merged cells included. */
	void (*header_row)(void *ctx, const struct tw_table *t, const struct tmpl_hcell *cells,
			   size_t n);
	void (*row_begin)(void *ctx, const struct tw_table *t, const struct tw_row *row);
	void (*cell)(void *ctx, const struct tw_table *t, const struct tw_row *row,
		     const struct tw_cell *c);
	void (*row_end)(void *ctx, const struct tw_table *t, const struct tw_row *row);
	void (*table_end)(void *ctx, const struct tw_table *t);
	/* The signature and date under section 六: the report ends here. */
	void (*sign)(void *ctx, const struct tw_doc *d);
	/* The document is the one signed and published as is (Word, PDF): with
	 * checks "auto" it carries the checks only when one failed or was not
	 * made (report.h, enum checks_print). */
	bool publishable;
	/* The checks, after the signature, when the document carries them. */
	void (*checks_begin)(void *ctx, const struct tw_checks *c);
	void (*check)(void *ctx, const struct tw_checks *c, const struct tw_check *k);
	void (*checks_end)(void *ctx, const struct tw_checks *c);
	void (*doc_end)(void *ctx, const struct tw_doc *d);
};

/* Visit report r in document order: doc_begin; per section: section, its
 * paragraph, then per table of the template year: table_begin, header_row
 * for each header row, then per row row_begin, cell per column, row_end;
 * table_end; then sign; then, when the document carries them
 * (tmpl_checks_shown), checks_begin, check per check, checks_end; finally
 * doc_end. 0, or -1 when memory ran out or a table has
 * more than TW_MAXCOLS columns (the walk stops there). */
int tmpl_walk(const struct report *r, const struct render_ops *ops, void *ctx);
/* Whether a document of these ops carries report r's checks. */
bool tmpl_checks_shown(const struct report *r, const struct render_ops *ops);

#endif
