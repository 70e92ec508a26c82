/* The report's template per year and the traversal every renderer follows
 * (see template.h). Labels are those of the national templates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "template.h"

const char tmpl_title[] = "政府信息公开工作年度报告";

enum tmpl_year tmpl_year_of(const struct report *r)
{
	return r->tmpl == 2019 ? TMPL_2019 : TMPL_2021;
}

#define BOTH (1u << TMPL_2019 | 1u << TMPL_2021)
#define ONLY2019 (1u << TMPL_2019)
/* The same label in both templates. */
#define L(s) {s, s}

/* ---- 一、总体情况: named figures (the prose says them) ------------------- */

static const struct tmpl_row ov_rows[] = {
	{"proactive_total", L("主动公开信息"), {0}, 0},
	{"work_news", L("工作动态"), {0}, 0},
	{"reception_notices", L("领导接访信息"), {0}, 0},
	{"notices", L("通知公告"), {0}, 0},
	{"online_complaints", L("网上投诉"), {0}, 0},
	{"complaints_transferred", L("转交有权处理责任单位"), {0}, 0},
	{"complaints_accepted", L("受理"), {0}, 0},
	{"new_media_posts", L("政务新媒体发布"), {0}, 0},
	{"new_media_views", L("关注度"), {0}, 0},
	{"new_media_followers", L("粉丝数"), {0}, 0},
	{"acceptance_rate", L("受理率"), {0}, 0},
};
static const struct tmpl_col ov_cols[] = {{"value", L("数值"), NULL}};

_Static_assert(sizeof(ov_rows) / sizeof(ov_rows[0]) == OV__COUNT + 1,
	       "one overview row per figure, then the acceptance rate");

static void ov_value(const struct report *r, size_t row, size_t col, struct tmpl_value *v)
{
	(void)col;
	if (row == OV__COUNT) {
		report_rate(r, v->text, sizeof(v->text));
		v->kind = TMPL_TEXT;
		return;
	}
	snprintf(v->text, sizeof(v->text), "%lld", r->ov[row]);
	v->kind = TMPL_INT;
}

static const struct tmpl_table tmpl_overview = {
	.key = "overview", .id = "overview", .years = BOTH, .corner = "", .layout = TMPL_FIGURES,
	.heading_cols = 1, .rows = ov_rows, .nrows = sizeof(ov_rows) / sizeof(ov_rows[0]),
	.cols = ov_cols, .ncols = 1, .value = ov_value,
};

/* ---- 二、主动公开政府信息情况 ------------------------------------------- */

static void s2_cell_value(const struct report *r, const struct tmpl_table *t, size_t row,
			  size_t col, struct tmpl_value *v)
{
	const char *s = s2_value(r, t->key, t->rows[row].key, t->cols[col].key);
	snprintf(v->text, sizeof(v->text), "%s", s);
	v->kind = strchr(s, '.') ? TMPL_DECIMAL : TMPL_INT;
}

#define S2_VALUE(name, table) \
	static void name(const struct report *r, size_t row, size_t col, struct tmpl_value *v) \
	{ \
		s2_cell_value(r, &table, row, col, v); \
	}

#define S2_TABLE(k, t, yrs, rws, cls, fn) \
	{.key = k, .id = k, .years = yrs, .title = t, .corner = "信息内容", \
	 .layout = TMPL_GRID, .heading_cols = 1, .rows = rws, \
	 .nrows = sizeof(rws) / sizeof(rws[0]), .cols = cls, \
	 .ncols = sizeof(cls) / sizeof(cls[0]), .value = fn}

static const struct tmpl_row art20_1_rows[] = {
	{"regulation", L("规章"), {0}, 0},
	/* Template 2021 says 行政规范性文件 (docs/events.md §4.3). */
	{"normative_document", {"规范性文件", "行政规范性文件"}, {0}, 0},
};
static const struct tmpl_col art20_1_cols[] = {
	{"made", {"本年新制作数量", "本年制发件数"}, NULL},
	{"published", {"本年新公开数量", NULL}, NULL},
	{"repealed", {NULL, "本年废止件数"}, NULL},
	{"in_force", {"对外公开总数量", "现行有效件数"}, NULL},
};
static const struct tmpl_row art20_5_rows[] = {
	{"permit", L("行政许可"), {0}, 0},
	{"other_service", {"其他对外管理服务事项", NULL}, {0}, 0},
};
static const struct tmpl_row art20_6_rows[] = {
	{"punishment", L("行政处罚"), {0}, 0},
	{"coercion", L("行政强制"), {0}, 0},
};
/* 第二十条第（五）（六）项 share their columns. */
static const struct tmpl_col art20_56_cols[] = {
	{"previous_projects", {"上一年项目数量", NULL}, NULL},
	{"change", {"本年增/减", NULL}, NULL},
	{"decisions", {"处理决定数量", "本年处理决定数量"}, NULL},
};
static const struct tmpl_row art20_8_rows[] = {{"fee", L("行政事业性收费"), {0}, 0}};
static const struct tmpl_col art20_8_cols[] = {
	{"previous_projects", {"上一年项目数量", NULL}, NULL},
	{"change", {"本年增/减", NULL}, NULL},
	{"amount", {NULL, "本年收费金额（单位：万元）"}, NULL},
};
static const struct tmpl_row art20_9_rows[] = {{"procurement", {"政府集中采购", NULL}, {0}, 0}};
static const struct tmpl_col art20_9_cols[] = {
	{"projects", {"采购项目数量", NULL}, NULL},
	{"amount", {"采购总金额（单位：万元）", NULL}, NULL},
};

static const struct tmpl_table art20_1, art20_5, art20_6, art20_8, art20_9;
S2_VALUE(art20_1_value, art20_1)
S2_VALUE(art20_5_value, art20_5)
S2_VALUE(art20_6_value, art20_6)
S2_VALUE(art20_8_value, art20_8)
S2_VALUE(art20_9_value, art20_9)
static const struct tmpl_table art20_1 =
	S2_TABLE("art20_1", "第二十条第（一）项", BOTH, art20_1_rows, art20_1_cols, art20_1_value);
static const struct tmpl_table art20_5 =
	S2_TABLE("art20_5", "第二十条第（五）项", BOTH, art20_5_rows, art20_56_cols, art20_5_value);
static const struct tmpl_table art20_6 =
	S2_TABLE("art20_6", "第二十条第（六）项", BOTH, art20_6_rows, art20_56_cols, art20_6_value);
static const struct tmpl_table art20_8 =
	S2_TABLE("art20_8", "第二十条第（八）项", BOTH, art20_8_rows, art20_8_cols, art20_8_value);
static const struct tmpl_table art20_9 =
	S2_TABLE("art20_9", "第二十条第（九）项", ONLY2019, art20_9_rows, art20_9_cols, art20_9_value);

/* ---- 三、收到和处理政府信息公开申请情况 --------------------------------- */

#define RES "三、本年度办理结果"
#define NOT_DISCLOSED "（三）不予公开"
#define UNABLE "（四）无法提供"
#define NOT_HANDLED "（五）不予处理"
#define OTHER "（六）其他处理"
static const struct tmpl_row s3_row_list[] = {
	{"1", L("一、本年新收政府信息公开申请数量"), {0}, false},
	{"2", L("二、上年结转政府信息公开申请数量"), {0}, false},
	{"3.1", L("（一）予以公开"), {RES}, true},
	{"3.2", L("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"), {RES}, true},
	{"3.3.1", L("1.属于国家秘密"), {RES, NOT_DISCLOSED}, true},
	{"3.3.2", L("2.其他法律行政法规禁止公开"), {RES, NOT_DISCLOSED}, true},
	{"3.3.3", L("3.危及“三安全一稳定”"), {RES, NOT_DISCLOSED}, true},
	{"3.3.4", L("4.保护第三方合法权益"), {RES, NOT_DISCLOSED}, true},
	{"3.3.5", L("5.属于三类内部事务信息"), {RES, NOT_DISCLOSED}, true},
	{"3.3.6", L("6.属于四类过程性信息"), {RES, NOT_DISCLOSED}, true},
	{"3.3.7", L("7.属于行政执法案卷"), {RES, NOT_DISCLOSED}, true},
	{"3.3.8", L("8.属于行政查询事项"), {RES, NOT_DISCLOSED}, true},
	{"3.4.1", L("1.本机关不掌握相关政府信息"), {RES, UNABLE}, true},
	{"3.4.2", L("2.没有现成信息需要另行制作"), {RES, UNABLE}, true},
	{"3.4.3", L("3.补正后申请内容仍不明确"), {RES, UNABLE}, true},
	{"3.5.1", L("1.信访举报投诉类申请"), {RES, NOT_HANDLED}, true},
	{"3.5.2", L("2.重复申请"), {RES, NOT_HANDLED}, true},
	{"3.5.3", L("3.要求提供公开出版物"), {RES, NOT_HANDLED}, true},
	{"3.5.4", L("4.无正当理由大量反复申请"), {RES, NOT_HANDLED}, true},
	{"3.5.5", L("5.要求行政机关确认或重新出具已获取信息"), {RES, NOT_HANDLED}, true},
	{"3.6", {"（六）其他处理", NULL}, {RES}, true},
	{"3.6.1", {NULL, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"},
	 {RES, OTHER}, true},
	{"3.6.2", {NULL, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"},
	 {RES, OTHER}, true},
	{"3.6.3", {NULL, "3.其他"}, {RES, OTHER}, true},
	/* Under 三、本年度办理结果 in the printed table, not one of its results. */
	{"3.7", L("（七）总计"), {RES}, false},
	{"4", L("四、结转下年度继续办理"), {0}, false},
};

#define LEGAL "法人或其他组织"
static const struct tmpl_col s3_col_list[S3_COLS] = {
	{"natural_person", L("自然人"), NULL},
	{"commercial_enterprise", L("商业企业"), LEGAL},
	{"research_institution", L("科研机构"), LEGAL},
	{"public_interest_org", L("社会公益组织"), LEGAL},
	{"legal_service_org", L("法律服务机构"), LEGAL},
	{"other_org", L("其他"), LEGAL},
	{"total", L("总计"), NULL},
};

static const struct tmpl_hcell s3_header[] = {
	{"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3},
	{"申请人情况", 7, 1}, {NULL, 0, 0},
	{"自然人", 1, 2}, {LEGAL, 5, 1}, {"总计", 1, 2}, {NULL, 0, 0},
	{"商业企业", 1, 1}, {"科研机构", 1, 1}, {"社会公益组织", 1, 1},
	{"法律服务机构", 1, 1}, {"其他", 1, 1}, {NULL, 0, 0}, {NULL, 0, 0},
};

static void s3_value(const struct report *r, size_t row, size_t col, struct tmpl_value *v)
{
	snprintf(v->text, sizeof(v->text), "%lld", r->s3[row][col]);
	v->kind = TMPL_INT;
}

const struct tmpl_table tmpl_s3 = {
	.key = "applications", .id = "section3", .years = BOTH,
	.note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
	.corner = "申请人情况", .layout = TMPL_GRID, .heading_cols = 3,
	.head_sep = {" ", ""}, .col_sep = "·", .row_codes = true, .header = s3_header,
	.rows = s3_row_list, .nrows = sizeof(s3_row_list) / sizeof(s3_row_list[0]),
	.cols = s3_col_list, .ncols = S3_COLS, .value = s3_value,
};

/* ---- 四、政府信息公开行政复议、行政诉讼情况 ----------------------------- */

static const struct tmpl_row s4_row_list[S4_ROUTES] = {
	{"reconsideration", L("行政复议"), {0}, false},
	{"litigation_direct", L("未经复议直接起诉"), {"行政诉讼"}, false},
	{"litigation_after_reconsideration", L("复议后起诉"), {"行政诉讼"}, false},
};
static const struct tmpl_col s4_col_list[S4_RESULTS] = {
	{"upheld", L("结果维持"), NULL},
	{"corrected", L("结果纠正"), NULL},
	{"other", L("其他结果"), NULL},
	{"pending", L("尚未审结"), NULL},
	{"total", L("总计"), NULL},
};

#define S4_RESULT_CELLS \
	{"结果维持", 1, 1}, {"结果纠正", 1, 1}, {"其他结果", 1, 1}, {"尚未审结", 1, 1}, {"总计", 1, 1}
/* The official layout: 行政复议 on the first row only, its five results
 * spanning rows 2-3; 行政诉讼's two routes on row 2, their results on 3. */
#define S4_RESULT_CELLS_2ROWS \
	{"结果维持", 1, 2}, {"结果纠正", 1, 2}, {"其他结果", 1, 2}, {"尚未审结", 1, 2}, {"总计", 1, 2}
static const struct tmpl_hcell s4_header[] = {
	{"行政复议", 5, 1}, {"行政诉讼", 10, 1}, {NULL, 0, 0},
	S4_RESULT_CELLS_2ROWS, {"未经复议直接起诉", 5, 1}, {"复议后起诉", 5, 1}, {NULL, 0, 0},
	S4_RESULT_CELLS, S4_RESULT_CELLS, {NULL, 0, 0}, {NULL, 0, 0},
};

static void s4_value(const struct report *r, size_t row, size_t col, struct tmpl_value *v)
{
	snprintf(v->text, sizeof(v->text), "%lld", r->s4[row][col]);
	v->kind = TMPL_INT;
}

const struct tmpl_table tmpl_s4 = {
	.key = "review", .id = "section4", .years = BOTH, .corner = "", .layout = TMPL_ONE_LINE,
	.heading_cols = 2, .head_sep = {"·"}, .col_sep = "·", .header = s4_header,
	.rows = s4_row_list, .nrows = S4_ROUTES, .cols = s4_col_list, .ncols = S4_RESULTS,
	.value = s4_value,
};

/* ---- The sections ------------------------------------------------------ */

static const struct tmpl_table *const s1_tables[] = {&tmpl_overview};
static const struct tmpl_table *const s2_tables[] = {&art20_1, &art20_5, &art20_6, &art20_8,
						     &art20_9};
static const struct tmpl_table *const s3_tables[] = {&tmpl_s3};
static const struct tmpl_table *const s4_tables[] = {&tmpl_s4};

#define TABLES(a) a, sizeof(a) / sizeof(a[0])
const struct tmpl_section tmpl_sections[] = {
	{"1", "overview", "s1", "一、总体情况", false, true, TMPL_TEXT_OVERVIEW, "", TABLES(s1_tables)},
	{"2", "section2", "s2", "二、主动公开政府信息情况", true, false, 0, NULL, TABLES(s2_tables)},
	{"3", "section3", "s3", "三、收到和处理政府信息公开申请情况", false, false, 0, NULL,
	 TABLES(s3_tables)},
	{"4", "section4", "s4", "四、政府信息公开行政复议、行政诉讼情况", false, false, 0, NULL,
	 TABLES(s4_tables)},
	{NULL, NULL, "s5", "五、存在的主要问题及改进情况", false, true, TMPL_TEXT_FIVE, "（未提供）",
	 NULL, 0},
	{NULL, NULL, "s6", "六、其他需要报告的事项", false, true, TMPL_TEXT_SIX, "无", NULL, 0},
};
const size_t tmpl_nsections = sizeof(tmpl_sections) / sizeof(tmpl_sections[0]);

/* The inconsistencies checked in each agency's events, as sql/report/
 * checks.sql names them (checks data.<key>, docs/report.md). */
const char *const data_issue_keys[DATA__COUNT] = {
	"application_closed_without_application", "application_closed_before_received",
	"application_closed_more_than_once", "review_decided_without_filing",
	"complaint_handled_without_receipt", "application_outcome_3_6_in_template_2021",
	"opening_contradicted", "opening_as_of_differs",
	"correction_unknown_target", "correction_type_changed", "correction_agency_changed",
	"correction_second_withdrawal",
};

/* ---- 数据检查 -------------------------------------------------------------- */

/* Each check's Chinese name, said as what holds when it holds (checks.c,
 * docs/report.md); a check not listed is printed by its id. */
static const struct { const char *id, *label; } check_labels[] = {
	{"s3.balance", "申请情况勾稽关系：第一项加第二项之和等于第三项加第四项之和"},
	{"s3.results_total", "办理结果总计等于本年办结的申请数"},
	{"s3.columns_total", "申请情况各行的总计等于各类申请人之和"},
	{"s4.totals", "行政复议、行政诉讼的总计等于各项结果之和"},
	{"s3.carry_over", "上年结转申请数等于上一年度报告的结转下年度继续办理数"},
	{"published.unchanged", "各项数字与本年度最近一次保存的报告一致"},
	{"data.application_closed_without_application", "每件办结的申请均有收到记录"},
	{"data.application_closed_before_received", "没有早于收到日期的办结"},
	{"data.application_closed_more_than_once", "每件申请只办结一次"},
	{"data.review_decided_without_filing", "每件复议、诉讼结果均有立案记录"},
	{"data.complaint_handled_without_receipt", "每件转交、受理、办结的投诉均有收到记录"},
	{"data.application_outcome_3_6_in_template_2021",
	 "没有2021年版模板无对应行的“（六）其他处理”结果"},
	{"data.opening_contradicted", "期初数（上线时的未办结数、现行有效数、累计阅读量）与明细记录一致"},
	{"data.opening_as_of_differs", "期初数各行的截至时间均为本机关上线时间"},
	{"data.correction_unknown_target", "每项更正均指向已保存的事件"},
	{"data.correction_type_changed", "更正未改变事件的类型"},
	{"data.correction_agency_changed", "更正未改变事件的所属单位"},
	{"data.correction_second_withdrawal", "没有重复撤回同一事件"},
	{"report.checks_overflow", "全部检查均已记录"},
};

static const char *const check_marks[CHECK__NSTATES] = {"✓", "✗", "—"};
static const char *const check_words[CHECK__NSTATES] = {"成立", "不成立", "未检查"};

static const char checks_heading[] = "附：数据检查";
static const char checks_note[] =
	"本节为系统对报告数据的核对记录，不属于年度报告正文，公开发布时不含本节。"
	"“不成立”的检查使生成报告以状态1结束，须核实数据后重新生成；"
	"“未检查”表示无法核对（如系统中没有上一年度的报告），不影响生成。";

bool tmpl_checks_shown(const struct report *r, const struct render_ops *ops)
{
	if (!ops->check && !ops->checks_begin)
		return false;
	switch (r->print_checks) {
	case CHECKS_NEVER: return false;
	case CHECKS_ALWAYS: return true;
	case CHECKS_AUTO: break;
	}
	/* published.unchanged is not made on a year's first run, when nothing
	 * was published to compare with: that is nothing for the signer to
	 * see, unlike a carry-over left unchecked. */
	size_t not_made = 0;
	for (size_t i = 0; i < r->nchecks; i++)
		not_made += r->checks[i].state == CHECK_NOT_CHECKED &&
			    strcmp(r->checks[i].id, "published.unchanged") != 0;
	return !ops->publishable || !report_ok(r) || not_made > 0;
}

static const char *check_label(const char *id)
{
	for (size_t i = 0; i < sizeof(check_labels) / sizeof(check_labels[0]); i++)
		if (strcmp(check_labels[i].id, id) == 0)
			return check_labels[i].label;
	return id;
}

/* ---- Lookups ------------------------------------------------------------ */

int tmpl_row_index(const struct tmpl_table *t, const char *key)
{
	for (size_t i = 0; i < t->nrows; i++)
		if (strcmp(t->rows[i].key, key) == 0)
			return (int)i;
	return -1;
}

int tmpl_col_index(const struct tmpl_table *t, const char *key)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].key, key) == 0)
			return (int)i;
	return -1;
}

int s3_index(const char *code)
{
	return tmpl_row_index(&tmpl_s3, code);
}

bool s3_in_template(const struct report *r, size_t i)
{
	return s3_rows[i].label[tmpl_year_of(r)] != NULL;
}

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

/* ---- Placeholders -------------------------------------------------------- */

/* Figures a text may name besides section 一's (ov_rows: key or label). */
enum ph_extra { PH_YEAR, PH_RECEIVED, PH_CARRIED_OVER, PH_ANSWERED, PH_CARRIED_FORWARD,
		PH_RECONSIDERATIONS, PH_LITIGATIONS, PH__COUNT };
static const struct { const char *key, *zh; } ph_extra[PH__COUNT] = {
	{"year", "年度"},
	{"applications_received", "申请总数"},           /* 三 row 1, 总计 */
	{"applications_carried_over", "上年结转申请数"},  /* 三 row 2, 总计 */
	{"applications_answered", "办结申请数"},         /* 三 row 3.7, 总计 */
	{"applications_carried_forward", "结转下年度申请数"}, /* 三 row 4, 总计 */
	{"reconsiderations", "行政复议数"},              /* 四 行政复议 总计 */
	{"litigations", "行政诉讼数"},                   /* 四 both routes' 总计 */
};

static bool ph_is(const char *name, size_t n, const char *s)
{
	return strlen(s) == n && memcmp(name, s, n) == 0;
}

static long long s3_total(const struct report *r, const char *code)
{
	return r->s3[s3_index(code)][S3_COLS - 1];
}

/* The figure {name} stands for, into v; false when none. */
static bool ph_value(const struct report *r, const char *name, size_t n, struct tmpl_value *v)
{
	for (size_t i = 0; i < sizeof(ov_rows) / sizeof(ov_rows[0]); i++)
		if (ph_is(name, n, ov_rows[i].key) || ph_is(name, n, ov_rows[i].label[TMPL_2019])) {
			ov_value(r, i, 0, v);
			return true;
		}
	long long x = 0;
	size_t i = 0;
	while (i < PH__COUNT && !ph_is(name, n, ph_extra[i].key) && !ph_is(name, n, ph_extra[i].zh))
		i++;
	switch (i) {
	case PH_YEAR: x = r->year; break;
	case PH_RECEIVED: x = s3_total(r, "1"); break;
	case PH_CARRIED_OVER: x = s3_total(r, "2"); break;
	case PH_ANSWERED: x = s3_total(r, "3.7"); break;
	case PH_CARRIED_FORWARD: x = s3_total(r, "4"); break;
	case PH_RECONSIDERATIONS: x = r->s4[0][S4_RESULTS - 1]; break;
	case PH_LITIGATIONS: x = r->s4[1][S4_RESULTS - 1] + r->s4[2][S4_RESULTS - 1]; break;
	default: return false;
	}
	snprintf(v->text, sizeof(v->text), "%lld", x);
	v->kind = TMPL_INT;
	return true;
}

bool tmpl_placeholder_known(const char *name, size_t n)
{
	static const struct report zero; /* only whether a value exists is asked */
	struct tmpl_value v;
	return ph_value(&zero, name, n, &v);
}

int tmpl_expand(const struct report *r, const char *text, FILE *out)
{
	const char *p = text;
	while (*p) {
		const char *open = strchr(p, '{');
		const char *close = open ? strchr(open + 1, '}') : NULL;
		struct tmpl_value v;
		if (!close) {
			fputs(p, out);
			break;
		}
		fwrite(p, 1, (size_t)(open - p), out);
		if (ph_value(r, open + 1, (size_t)(close - open - 1), &v))
			fputs(v.text, out);
		else
			fwrite(open, 1, (size_t)(close - open + 1), out);
		p = close + 1;
	}
	return ferror(out) ? -1 : 0;
}

/* Section 一's paragraph, from the figures. */
static void overview_prose(const struct report *r, FILE *out)
{
	fprintf(out, "%d年，共主动公开信息%lld条，其中，工作动态%lld条、领导接访信息%lld条、通知公告%lld条、"
		     "网上投诉%lld件次", r->year, r->ov[OV_PROACTIVE_TOTAL], r->ov[OV_WORK_NEWS],
		r->ov[OV_RECEPTION_NOTICES], r->ov[OV_NOTICES], r->ov[OV_ONLINE_COMPLAINTS]);
	if (r->ov[OV_ONLINE_COMPLAINTS]) {
		if (r->ov[OV_TRANSFERRED] == r->ov[OV_ONLINE_COMPLAINTS])
			fputs(",全部转交有权处理责任单位处理", out);
		else
			fprintf(out, ",其中%lld件次转交有权处理责任单位处理", r->ov[OV_TRANSFERRED]);
		char buf[32];
		fprintf(out, "，受理率达%s", report_rate(r, buf, sizeof(buf)));
	}
	fprintf(out, "；政务新媒体共计发布各类信息%lld篇，关注度%lld次，粉丝数%lld人。",
		r->ov[OV_NEW_MEDIA_POSTS], r->ov[OV_NEW_MEDIA_VIEWS], r->ov[OV_NEW_MEDIA_FOLLOWERS]);
}

/* ---- The walk ----------------------------------------------------------- */

struct walk {
	const struct report *r;
	enum tmpl_year y;
	const struct render_ops *ops;
	void *ctx;
};

#define CALL(w, fn, ...) do { if ((w)->ops->fn) (w)->ops->fn((w)->ctx, __VA_ARGS__); } while (0)

/* The section's paragraph: prose from the figures for 一, else the
 * agency's text or what stands for it. */
/* One paragraph of section 一: the agency's line with its placeholders
 * replaced (n bytes of it), or, line NULL, the prose from the figures. */
static int overview_paragraph(const struct walk *w, const struct tmpl_section *s,
			      const char *line, size_t n)
{
	char *buf = NULL; /* owned by the memstream until fclose */
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		return -1;
	char *copy = NULL;
	bool failed = false;
	if (line) {
		copy = strndup(line, n);
		if (copy)
			tmpl_expand(w->r, copy, m);
		else
			failed = true;
	} else {
		overview_prose(w->r, m);
	}
	int rc = fclose(m) || failed ? -1 : 0;
	if (!rc)
		CALL(w, paragraph, s, buf);
	free(copy);
	free(buf);
	return rc;
}

static int walk_text(const struct walk *w, const struct tmpl_section *s)
{
	if (s->text != TMPL_TEXT_OVERVIEW) {
		const char *text = s->text == TMPL_TEXT_FIVE ? w->r->five : w->r->six;
		CALL(w, paragraph, s, text ? text : s->no_text);
		return 0;
	}
	if (!w->r->one)
		return overview_paragraph(w, s, NULL, 0);
	/* A paragraph per non-empty line. */
	for (const char *p = w->r->one; *p;) {
		size_t n = strcspn(p, "\n");
		if (n && overview_paragraph(w, s, p, n))
			return -1;
		p += n + (p[n] ? 1 : 0);
	}
	return 0;
}

static bool row_shown(const struct walk *w, const struct tmpl_table *t, size_t i)
{
	return t->rows[i].label[w->y] != NULL;
}

static size_t heads_of(const struct tmpl_row *row)
{
	size_t n = 0;
	while (n < TMPL_HEADS && row->heads[n])
		n++;
	return n;
}

/* Whether rows a and b share heading levels 0..level. */
static bool same_heads(const struct tmpl_row *a, const struct tmpl_row *b, size_t level)
{
	for (size_t k = 0; k <= level; k++)
		if (!a->heads[k] || !b->heads[k] || strcmp(a->heads[k], b->heads[k]) != 0)
			return false;
	return true;
}

/* Row i's heading levels: which open at it (the first row shown, or one
 * whose headings differ from the row shown before it, prev) and how many
 * shown rows they span. */
static void make_heads(const struct walk *w, const struct tmpl_table *t, size_t i, size_t prev,
		       struct tw_row *out)
{
	const struct tmpl_row *row = &t->rows[i];
	for (size_t k = 0; k < out->nheads; k++) {
		struct tw_head *h = &out->heads[k];
		h->label = row->heads[k];
		h->opens = out->index == 0 || !same_heads(&t->rows[prev], row, k);
		h->rowspan = 0;
		for (size_t j = i; h->opens && j < t->nrows; j++) {
			if (!row_shown(w, t, j))
				continue;
			if (!same_heads(&t->rows[j], row, k))
				break;
			h->rowspan++;
		}
	}
}

/* Row i as presented: its label, heading levels, and the two as one string. */
static void make_row(const struct walk *w, const struct tmpl_table *t, size_t i, size_t prev,
		     size_t index, struct tw_row *out)
{
	const struct tmpl_row *row = &t->rows[i];
	out->key = row->key;
	out->label = row->label[w->y];
	out->index = index;
	out->nheads = heads_of(row);
	out->label_colspan = t->heading_cols - (int)out->nheads;
	make_heads(w, t, i, prev, out);
	size_t len = 0;
	out->flat_buf[0] = '\0';
	for (size_t k = 0; k < out->nheads && len < sizeof(out->flat_buf); k++)
		len += (size_t)snprintf(out->flat_buf + len, sizeof(out->flat_buf) - len, "%s%s",
					row->heads[k], t->head_sep[k] ? t->head_sep[k] : "");
	if (len < sizeof(out->flat_buf))
		snprintf(out->flat_buf + len, sizeof(out->flat_buf) - len, "%s", out->label);
	out->flat = out->flat_buf;
}

/* The header rows of the printed layout: the table's own, or a title row
 * and a row of the corner and the columns. */
static void walk_header(const struct walk *w, const struct tw_table *tw)
{
	const struct tmpl_table *t = tw->t;
	if (t->header) {
		const struct tmpl_hcell *start = t->header;
		for (const struct tmpl_hcell *c = t->header;; c++) {
			if (c->label)
				continue;
			if (c == start)
				break;
			CALL(w, header_row, tw, start, (size_t)(c - start));
			start = c + 1;
		}
		return;
	}
	struct tmpl_hcell cells[TW_MAXCOLS + 1];
	if (t->title) {
		cells[0] = (struct tmpl_hcell){t->title, (int)tw->ncols + 1, 1};
		CALL(w, header_row, tw, cells, 1);
	}
	cells[0] = (struct tmpl_hcell){t->corner, 1, 1};
	for (size_t c = 0; c < tw->ncols; c++)
		cells[c + 1] = (struct tmpl_hcell){tw->col_label[c], 1, 1};
	CALL(w, header_row, tw, cells, tw->ncols + 1);
}

/* Table t as shown in the template year: its columns, flat labels, and
 * how many rows. -1 when it has more columns than TW_MAXCOLS (a template
 * error, never a column left out). */
static int table_view(const struct walk *w, const struct tmpl_section *s,
		      const struct tmpl_table *t, struct tw_table *tw)
{
	tw->section = s;
	tw->t = t;
	for (size_t c = 0; c < t->ncols; c++) {
		const struct tmpl_col *col = &t->cols[c];
		if (!col->label[w->y])
			continue;
		if (tw->ncols == TW_MAXCOLS)
			return -1;
		tw->col_index[tw->ncols] = c;
		tw->col_key[tw->ncols] = col->key;
		tw->col_label[tw->ncols] = col->label[w->y];
		snprintf(tw->flat_buf[tw->ncols], sizeof(tw->flat_buf[0]), "%s%s%s",
			 col->group ? col->group : "", col->group ? t->col_sep : "",
			 col->label[w->y]);
		tw->col_flat[tw->ncols] = tw->flat_buf[tw->ncols];
		tw->ncols++;
	}
	for (size_t i = 0; i < t->nrows; i++)
		tw->nrows += row_shown(w, t, i);
	return 0;
}

/* Every shown row of the table: row_begin, its cells, row_end. */
static void walk_rows(const struct walk *w, const struct tw_table *tw, struct tw_row *row)
{
	const struct tmpl_table *t = tw->t;
	size_t index = 0, prev = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		if (!row_shown(w, t, i))
			continue;
		make_row(w, t, i, prev, index, row);
		CALL(w, row_begin, tw, row);
		for (size_t c = 0; c < tw->ncols; c++) {
			struct tw_cell cell = {c, tw->col_key[c], tw->col_label[c], {"", TMPL_INT}};
			t->value(w->r, i, tw->col_index[c], &cell.value);
			CALL(w, cell, tw, row, &cell);
		}
		CALL(w, row_end, tw, row);
		prev = i;
		index++;
	}
}

static int walk_table(const struct walk *w, const struct tmpl_section *s,
		      const struct tmpl_table *t)
{
	/* Large for the stack with their label buffers; freed here. */
	struct tw_table *tw = calloc(1, sizeof(*tw));
	struct tw_row *row = calloc(1, sizeof(*row));
	int rc = -1;
	if (!tw || !row || table_view(w, s, t, tw))
		goto out;
	CALL(w, table_begin, tw);
	walk_header(w, tw);
	walk_rows(w, tw, row);
	CALL(w, table_end, tw);
	rc = 0;
out:
	free(tw);
	free(row);
	return rc;
}

/* The checks block: its summary, then each check as a line. */
static void walk_checks(const struct walk *w)
{
	const struct report *r = w->r;
	struct tw_checks cs = {.heading = checks_heading, .note = checks_note, .n = r->nchecks,
			       .holds = report_checks_in(r, CHECK_HOLDS),
			       .failed = report_checks_in(r, CHECK_FAILED),
			       .not_checked = report_checks_in(r, CHECK_NOT_CHECKED)};
	snprintf(cs.summary, sizeof(cs.summary), "共%zu项：成立%zu项，不成立%zu项，未检查%zu项。",
		 cs.n, cs.holds, cs.failed, cs.not_checked);
	CALL(w, checks_begin, &cs);
	struct tw_check k;
	for (size_t i = 0; i < r->nchecks; i++) {
		const struct check *c = &r->checks[i];
		k = (struct tw_check){.id = c->id, .state = check_state_names[c->state],
				      .mark = check_marks[c->state], .word = check_words[c->state],
				      .label = check_label(c->id), .where = c->where, .index = i};
		snprintf(k.line, sizeof(k.line), "%s %s　%s（%s：%s）", k.mark, k.word, k.label, k.id,
			 k.where);
		CALL(w, check, &cs, &k);
	}
	CALL(w, checks_end, &cs);
}

int tmpl_walk(const struct report *r, const struct render_ops *ops, void *ctx)
{
	struct walk w = {r, tmpl_year_of(r), ops, ctx};
	struct tw_doc d = {.r = r, .name = r->name, .year = r->year, .title = tmpl_title,
			   .signature = r->name, .date = r->date[0] ? r->date : NULL};
	CALL(&w, doc_begin, &d);
	for (size_t i = 0; i < tmpl_nsections; i++) {
		const struct tmpl_section *s = &tmpl_sections[i];
		CALL(&w, section, s);
		if (s->has_text && walk_text(&w, s))
			return -1;
		for (size_t t = 0; t < s->ntables; t++) {
			const struct tmpl_table *tb = s->tables[t];
			if (!(tb->years & 1u << w.y) || (tb->layout == TMPL_FIGURES && !ops->figures))
				continue;
			if (walk_table(&w, s, tb))
				return -1;
		}
	}
	CALL(&w, sign, &d);
	if (tmpl_checks_shown(r, ops))
		walk_checks(&w);
	CALL(&w, doc_end, &d);
	return 0;
}
