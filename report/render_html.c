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

static void section2(const struct report *r, FILE *out)
{
	for (size_t t = 0; t < s2_ntables; t++) {
		if (!in_tmpl(r, s2_tables[t].templates))
			continue;
		const struct s2_col *cols = s2_cols(r, &s2_tables[t]);
		int n = 0;
		while (n < 3 && cols[n].key)
			n++;
		fprintf(out, "<table class=\"s2\" id=\"%s\">\n<tr><th colspan=\"%d\">%s</th></tr>\n"
			     "<tr><th>信息内容</th>", s2_tables[t].key, n + 1, s2_tables[t].title);
		for (int c = 0; c < n; c++)
			fprintf(out, "<th>%s</th>", cols[c].label);
		fputs("</tr>\n", out);
		for (int row = 0; row < 3; row++) {
			if (!s2_row_shown(r, &s2_tables[t], row))
				continue;
			fprintf(out, "<tr><td>%s</td>", s2_tables[t].rows[row].label);
			for (int c = 0; c < n; c++)
				fprintf(out, "<td class=\"num\">%s</td>",
					s2_value(r, s2_tables[t].key, s2_tables[t].rows[row].key, cols[c].key));
			fputs("</tr>\n", out);
		}
		fputs("</table>\n", out);
	}
}

/* Rows of section 三 in the template, and how many rows a group heading
 * spans from row i. */
static int group_span(const struct report *r, size_t i, bool results)
{
	int n = 0;
	for (size_t j = i; j < s3_nrows; j++) {
		if (!s3_in_template(r, j))
			continue;
		if (results ? !s3_rows[j].result : (!s3_rows[j].group ||
						     strcmp(s3_rows[j].group, s3_rows[i].group) != 0))
			break;
		n++;
	}
	return n;
}

static void section3(const struct report *r, FILE *out)
{
	fputs("<table class=\"s3\" id=\"section3\">\n"
	      "<tr><th colspan=\"3\" rowspan=\"3\">（本列数据的勾稽关系为：第一项加第二项之和，"
	      "等于第三项加第四项之和）</th><th colspan=\"7\">申请人情况</th></tr>\n"
	      "<tr><th rowspan=\"2\">自然人</th><th colspan=\"5\">法人或其他组织</th>"
	      "<th rowspan=\"2\">总计</th></tr>\n<tr>", out);
	for (int c = 1; c < 6; c++)
		fprintf(out, "<th>%s</th>", s3_col_labels[c]);
	fputs("</tr>\n", out);
	const char *open_group = NULL;
	bool results_open = false;
	for (size_t i = 0; i < s3_nrows; i++) {
		if (!s3_in_template(r, i))
			continue;
		const struct s3_row *row = &s3_rows[i];
		fprintf(out, "<tr data-code=\"%s\">", row->code);
		if (strcmp(row->code, "3.7") == 0) {
			/* （七）总计 closes the 办理结果 block opened above. */
			fprintf(out, "<td colspan=\"2\">%s</td>", row->label);
		} else if (!row->result) {
			fprintf(out, "<td colspan=\"3\">%s</td>", row->label);
		} else {
			if (!results_open) {
				fprintf(out, "<td rowspan=\"%d\">三、本年度办理结果</td>", group_span(r, i, true) + 1);
				results_open = true;
			}
			if (!row->group) {
				fprintf(out, "<td colspan=\"2\">%s</td>", row->label);
				open_group = NULL;
			} else {
				if (!open_group || strcmp(open_group, row->group) != 0) {
					fprintf(out, "<td rowspan=\"%d\">%s</td>", group_span(r, i, false),
						row->group);
					open_group = row->group;
				}
				fprintf(out, "<td>%s</td>", row->label);
			}
		}
		for (int c = 0; c < S3_COLS; c++)
			fprintf(out, "<td class=\"num\">%lld</td>", r->s3[i][c]);
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
}

static void section4(const struct report *r, FILE *out)
{
	fputs("<table class=\"s4\" id=\"section4\">\n"
	      "<tr><th colspan=\"5\" rowspan=\"2\">行政复议</th><th colspan=\"10\">行政诉讼</th></tr>\n"
	      "<tr><th colspan=\"5\">未经复议直接起诉</th><th colspan=\"5\">复议后起诉</th></tr>\n<tr>",
	      out);
	for (int route = 0; route < S4_ROUTES; route++)
		for (int k = 0; k < S4_RESULTS; k++)
			fprintf(out, "<th>%s</th>", s4_result_labels[k]);
	fputs("</tr>\n<tr>", out);
	for (int route = 0; route < S4_ROUTES; route++)
		for (int k = 0; k < S4_RESULTS; k++)
			fprintf(out, "<td class=\"num\">%lld</td>", r->s4[route][k]);
	fputs("</tr>\n</table>\n", out);
}

void render_html(const struct report *r, FILE *out)
{
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
		     "<title>");
	esc(out, r->name);
	fprintf(out, " %d年政府信息公开工作年度报告</title>\n<style>%s</style>\n</head>\n<body>\n"
		     "<p class=\"agency\">", r->year, style);
	esc(out, r->name);
	fprintf(out, "</p>\n<h1>%d年政府信息公开工作年度报告</h1>\n<h2>一、总体情况</h2>\n<p>", r->year);
	char *prose = NULL;
	size_t plen = 0;
	FILE *m = open_memstream(&prose, &plen);
	report_overview_prose(r, m);
	fclose(m);
	prose[strcspn(prose, "\n")] = '\0';
	esc(out, prose);
	free(prose);
	fputs("</p>\n<h2>二、主动公开政府信息情况</h2>\n", out);
	section2(r, out);
	fputs("<h2>三、收到和处理政府信息公开申请情况</h2>\n", out);
	section3(r, out);
	fputs("<h2>四、政府信息公开行政复议、行政诉讼情况</h2>\n", out);
	section4(r, out);
	fputs("<h2>五、存在的主要问题及改进情况</h2>\n", out);
	paragraphs(out, r->five ? r->five : "（未提供）");
	fputs("<h2>六、其他需要报告的事项</h2>\n", out);
	paragraphs(out, r->six ? r->six : "无");
	fputs("<p class=\"sign\">", out);
	esc(out, r->name);
	fputs("</p>\n</body>\n</html>\n", out);
}
