/* Renderings: JSON (the public keys of report-format.md), CSV (one row per
 * cell), Markdown, and text in the seed report's layout. */
#include <string.h>

#include "report.h"

const char *const s4_route_labels[S4_ROUTES] = {
	"行政复议", "行政诉讼·未经复议直接起诉", "行政诉讼·复议后起诉"};
const char *const s4_result_labels[S4_RESULTS] = {
	"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"};

char *report_rate(const struct report *r, char *buf, size_t len)
{
	if (!r->ov[OV_ONLINE_COMPLAINTS])
		snprintf(buf, len, "—");
	else
		snprintf(buf, len, "%lld%%",
			 (r->ov[OV_ACCEPTED] * 100 + r->ov[OV_ONLINE_COMPLAINTS] / 2) /
				 r->ov[OV_ONLINE_COMPLAINTS]);
	return buf;
}

/* Amounts stay exact: JSON strings for decimals, integers otherwise. */
static json_t *s2_json_value(const char *v)
{
	return strchr(v, '.') ? json_string(v) : json_integer(strtoll(v, NULL, 10));
}

json_t *report_json(const struct report *r)
{
	char buf[32];
	json_t *ov = json_object(), *s2 = json_object(), *s3 = json_object(), *s4 = json_object();
	for (int i = 0; i < OV__COUNT; i++)
		json_object_set_new(ov, ov_keys[i], json_integer(r->ov[i]));
	json_object_set_new(ov, "acceptance_rate", json_string(report_rate(r, buf, sizeof(buf))));
	for (size_t t = 0; t < s2_ntables; t++) {
		if (!in_tmpl(r, s2_tables[t].templates))
			continue;
		json_t *tbl = json_object();
		for (int row = 0; row < 3; row++) {
			if (!s2_row_shown(r, &s2_tables[t], row))
				continue;
			json_t *cells = json_object();
			for (const struct s2_col *c = s2_cols(r, &s2_tables[t]); c < s2_cols(r, &s2_tables[t]) + 3 && c->key; c++)
				json_object_set_new(cells, c->key,
						    s2_json_value(s2_value(r, s2_tables[t].key,
									  s2_tables[t].rows[row].key, c->key)));
			json_object_set_new(tbl, s2_tables[t].rows[row].key, cells);
		}
		json_object_set_new(s2, s2_tables[t].key, tbl);
	}
	for (size_t row = 0; row < s3_nrows; row++) {
		if (!s3_in_template(r, row))
			continue;
		json_t *cells = json_object();
		for (int c = 0; c < S3_COLS; c++)
			json_object_set_new(cells, s3_col_keys[c], json_integer(r->s3[row][c]));
		json_object_set_new(s3, s3_rows[row].code, cells);
	}
	for (int route = 0; route < S4_ROUTES; route++) {
		json_t *cells = json_object();
		for (int k = 0; k < S4_RESULTS; k++)
			json_object_set_new(cells, s4_result_keys[k], json_integer(r->s4[route][k]));
		json_object_set_new(s4, s4_route_keys[route], cells);
	}
	json_t *checks = json_array();
	for (size_t i = 0; i < r->nchecks; i++)
		json_array_append_new(checks, json_pack("{ss sb ss}", "id", r->checks[i].id,
							"holds", r->checks[i].holds, "where",
							r->checks[i].where));
	return json_pack("{ss ss si ss so so so so so sO*}", "agency", r->agency, "name", r->name,
			 "year", r->year, "template", r->tmpl == 2019 ? "2019" : "2021",
			 "overview", ov, "section2", s2, "section3", s3, "section4", s4,
			 "checks", checks, "watermark", r->watermark);
}

void render_json(const struct report *r, FILE *out)
{
	json_t *j = report_json(r);
	json_dumpf(j, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(j);
}

static void csv_field(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\n")) {
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

static void csv_row(FILE *out, const struct report *r, const char *sect, const char *tbl,
		    const char *row, const char *col, const char *val)
{
	const char *f[] = {r->agency, sect, tbl, row, col, val};
	char y[8];
	snprintf(y, sizeof(y), "%d", r->year);
	csv_field(out, f[0]);
	fprintf(out, ",%s,%d", y, r->tmpl);
	for (int i = 1; i < 6; i++) {
		fputc(',', out);
		csv_field(out, f[i]);
	}
	fputs("\r\n", out);
}

void render_csv(const struct report *r, FILE *out)
{
	char v[40];
	fputs("agency,year,template,section,table,row,column,value\r\n", out);
	for (int i = 0; i < OV__COUNT; i++) {
		snprintf(v, sizeof(v), "%lld", r->ov[i]);
		csv_row(out, r, "1", "overview", ov_keys[i], "value", v);
	}
	csv_row(out, r, "1", "overview", "acceptance_rate", "value", report_rate(r, v, sizeof(v)));
	for (size_t t = 0; t < s2_ntables; t++) {
		if (!in_tmpl(r, s2_tables[t].templates))
			continue;
		for (int row = 0; row < 3; row++) {
			if (!s2_row_shown(r, &s2_tables[t], row))
				continue;
			for (const struct s2_col *c = s2_cols(r, &s2_tables[t]); c < s2_cols(r, &s2_tables[t]) + 3 && c->key; c++)
				csv_row(out, r, "2", s2_tables[t].key, s2_tables[t].rows[row].key, c->key,
					s2_value(r, s2_tables[t].key, s2_tables[t].rows[row].key, c->key));
		}
	}
	for (size_t row = 0; row < s3_nrows; row++) {
		if (!s3_in_template(r, row))
			continue;
		for (int c = 0; c < S3_COLS; c++) {
			snprintf(v, sizeof(v), "%lld", r->s3[row][c]);
			csv_row(out, r, "3", "applications", s3_rows[row].code, s3_col_keys[c], v);
		}
	}
	for (int route = 0; route < S4_ROUTES; route++)
		for (int k = 0; k < S4_RESULTS; k++) {
			snprintf(v, sizeof(v), "%lld", r->s4[route][k]);
			csv_row(out, r, "4", "review", s4_route_keys[route], s4_result_keys[k], v);
		}
}

void report_overview_prose(const struct report *r, FILE *out)
{
	char buf[32];
	fprintf(out, "%d年，共主动公开信息%lld条，其中，工作动态%lld条、领导接访信息%lld条、通知公告%lld条、"
		     "网上投诉%lld件次", r->year, r->ov[OV_PROACTIVE_TOTAL], r->ov[OV_WORK_NEWS],
		r->ov[OV_RECEPTION_NOTICES], r->ov[OV_NOTICES], r->ov[OV_ONLINE_COMPLAINTS]);
	if (r->ov[OV_ONLINE_COMPLAINTS]) {
		if (r->ov[OV_TRANSFERRED] == r->ov[OV_ONLINE_COMPLAINTS])
			fputs(",全部转交有权处理责任单位处理", out);
		else
			fprintf(out, ",其中%lld件次转交有权处理责任单位处理", r->ov[OV_TRANSFERRED]);
		fprintf(out, "，受理率达%s", report_rate(r, buf, sizeof(buf)));
	}
	fprintf(out, "；政务新媒体共计发布各类信息%lld篇，关注度%lld次，粉丝数%lld人。\n",
		r->ov[OV_NEW_MEDIA_POSTS], r->ov[OV_NEW_MEDIA_VIEWS], r->ov[OV_NEW_MEDIA_FOLLOWERS]);
}

void render_text(const struct report *r, FILE *out)
{
	fprintf(out, "%s\n\n%d年政府信息公开工作年度报告\n\n一、总体情况\n\n", r->name, r->year);
	report_overview_prose(r, out);
	fputs("\n二、主动公开政府信息情况\n", out);
	for (size_t t = 0; t < s2_ntables; t++) {
		if (!in_tmpl(r, s2_tables[t].templates))
			continue;
		fprintf(out, "\n\t%s\n\n\t信息内容", s2_tables[t].title);
		const struct s2_col *cols = s2_cols(r, &s2_tables[t]);
		for (int c = 0; c < 3 && cols[c].key; c++)
			fprintf(out, "\t%s", cols[c].label);
		fputc('\n', out);
		for (int row = 0; row < 3; row++) {
			if (!s2_row_shown(r, &s2_tables[t], row))
				continue;
			fprintf(out, "\t%s", s2_tables[t].rows[row].label);
			for (int c = 0; c < 3 && cols[c].key; c++)
				fprintf(out, "\t%s", s2_value(r, s2_tables[t].key, s2_tables[t].rows[row].key,
							      cols[c].key));
			fputc('\n', out);
		}
	}
	fputs("\n三、收到和处理政府信息公开申请情况\n\n"
	      "\t（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n\t申请人情况", out);
	for (int c = 0; c < S3_COLS; c++)
		fprintf(out, "\t%s", s3_col_labels[c]);
	fputc('\n', out);
	const char *group = NULL;
	for (size_t row = 0; row < s3_nrows; row++) {
		if (!s3_in_template(r, row))
			continue;
		if (strcmp(s3_rows[row].code, "3.1") == 0)
			fputs("\t三、本年度办理结果\n", out);
		if (s3_rows[row].group && (!group || strcmp(group, s3_rows[row].group) != 0))
			fprintf(out, "\t%s\n", s3_rows[row].group);
		group = s3_rows[row].group;
		fprintf(out, "\t%s%s", s3_rows[row].group ? "\t" : "", s3_rows[row].label);
		for (int c = 0; c < S3_COLS; c++)
			fprintf(out, "\t%lld", r->s3[row][c]);
		fputc('\n', out);
	}
	fputs("\n四、政府信息公开行政复议、行政诉讼情况\n\n", out);
	for (int route = 0; route < S4_ROUTES; route++) {
		fprintf(out, "\t%s", s4_route_labels[route]);
		for (int k = 0; k < S4_RESULTS; k++)
			fprintf(out, "\t%s %lld", s4_result_labels[k], r->s4[route][k]);
		fputc('\n', out);
	}
	fprintf(out, "\n五、存在的主要问题及改进情况\n\n%s\n\n六、其他需要报告的事项\n\n%s\n\n%s\n",
		r->five ? r->five : "（未提供）", r->six ? r->six : "无", r->name);
}

void render_markdown(const struct report *r, FILE *out)
{
	fprintf(out, "# %s %d年政府信息公开工作年度报告\n\n## 一、总体情况\n\n", r->name, r->year);
	report_overview_prose(r, out);
	fputs("\n## 二、主动公开政府信息情况\n", out);
	for (size_t t = 0; t < s2_ntables; t++) {
		if (!in_tmpl(r, s2_tables[t].templates))
			continue;
		const struct s2_col *cols = s2_cols(r, &s2_tables[t]);
		fprintf(out, "\n**%s**\n\n| 信息内容 |", s2_tables[t].title);
		int n = 0;
		for (; n < 3 && cols[n].key; n++)
			fprintf(out, " %s |", cols[n].label);
		fputs("\n|---|", out);
		for (int c = 0; c < n; c++)
			fputs("---:|", out);
		fputc('\n', out);
		for (int row = 0; row < 3; row++) {
			if (!s2_row_shown(r, &s2_tables[t], row))
				continue;
			fprintf(out, "| %s |", s2_tables[t].rows[row].label);
			for (int c = 0; c < n; c++)
				fprintf(out, " %s |", s2_value(r, s2_tables[t].key, s2_tables[t].rows[row].key,
							       cols[c].key));
			fputc('\n', out);
		}
	}
	fputs("\n## 三、收到和处理政府信息公开申请情况\n\n| 申请人情况 |", out);
	for (int c = 0; c < S3_COLS; c++)
		fprintf(out, " %s%s |", c > 0 && c < 6 ? "法人或其他组织·" : "", s3_col_labels[c]);
	fputs("\n|---|", out);
	for (int c = 0; c < S3_COLS; c++)
		fputs("---:|", out);
	fputc('\n', out);
	for (size_t row = 0; row < s3_nrows; row++) {
		if (!s3_in_template(r, row))
			continue;
		fprintf(out, "| %s%s%s |", s3_rows[row].result ? "三、本年度办理结果 " : "",
			s3_rows[row].group ? s3_rows[row].group : "", s3_rows[row].label);
		for (int c = 0; c < S3_COLS; c++)
			fprintf(out, " %lld |", r->s3[row][c]);
		fputc('\n', out);
	}
	fputs("\n## 四、政府信息公开行政复议、行政诉讼情况\n\n|  |", out);
	for (int k = 0; k < S4_RESULTS; k++)
		fprintf(out, " %s |", s4_result_labels[k]);
	fputs("\n|---|---:|---:|---:|---:|---:|\n", out);
	for (int route = 0; route < S4_ROUTES; route++) {
		fprintf(out, "| %s |", s4_route_labels[route]);
		for (int k = 0; k < S4_RESULTS; k++)
			fprintf(out, " %lld |", r->s4[route][k]);
		fputc('\n', out);
	}
	fprintf(out, "\n## 五、存在的主要问题及改进情况\n\n%s\n\n## 六、其他需要报告的事项\n\n%s\n",
		r->five ? r->five : "（未提供）", r->six ? r->six : "无");
}
