/* Yearly administrative figures kept in other systems (section 二 art. 20
 * items 5, 6, 8, 9): permits, other services, punishments, coercive
 * measures, fees, centralized procurement. subject = "<item>/<year>"; the
 * latest report by `time` for an (agency, item, year) counts. */
#include <string.h>

#include "kinds.h"

static const char *const items[] = {
	"permit", "other_service", "punishment", "coercion", "fee",
	"procurement", NULL};

static const struct field_spec reported_fields[] = {
	{.name = "year", .type = FT_INT, .required = true, .min = 1990, .max = 2199,
	 .doc = "the report year the figures are for"},
	{.name = "item", .type = FT_ENUM, .required = true, .values = items,
	 .doc = "the section 二 row"},
	{.name = "projects", .type = FT_INT, .min = 0, .max = 100000000,
	 .doc = "项目数量 at year end (procurement: 采购项目数量)"},
	{.name = "decisions", .type = FT_INT, .min = 0, .max = 100000000,
	 .doc = "处理决定数量 in the year"},
	{.name = "amount", .type = FT_DECIMAL,
	 .doc = "fee: 收费金额 in 万元 (template 2021); procurement: 采购总金额 in 万元; "
		"up to 6 fraction digits, exact to the 分 (73802895.90 元 is \"7380.28959\")"},
};

static int check_reported(const struct decoded *d, char *field, size_t flen,
			  char *msg, size_t mlen)
{
	const struct field_value *item = decoded_field(d, "item");
	const char *need = NULL;
	/* Template 2019 reports fees by 项目数量, template 2021 by 金额. */
	if (field_equals(item, "fee") && !decoded_field(d, "amount") && !decoded_field(d, "projects"))
		need = "amount or projects";
	else if (field_equals(item, "procurement") && !decoded_field(d, "amount"))
		need = "amount";
	else if (field_equals(item, "procurement") && !decoded_field(d, "projects"))
		need = "projects";
	else if (!field_equals(item, "fee") && !field_equals(item, "procurement") &&
		 !decoded_field(d, "projects") && !decoded_field(d, "decisions"))
		need = "projects or decisions";
	if (!need)
		return 0;
	snprintf(field, flen, "data.%.*s", (int)strcspn(need, " "), need);
	snprintf(msg, mlen, "data.%s is required when data.item is \"%.*s\"",
		 need, (int)item->s.n, item->s.p);
	return -1;
}

const struct kind_spec kind_stats_reported = {
	.type = "disclosure.stats.reported",
	.table = "stats_reported",
	.subject_doc = "\"<item>/<year>\"",
	.doc = "Yearly figures for one section 二 row; a later report replaces "
	       "an earlier one.",
	.fields = reported_fields,
	.nfields = NFIELDS(reported_fields),
	.check = check_reported,
	.example = "{\"specversion\":\"1.0\",\"id\":\"st-2021-fee-1\","
		   "\"source\":\"/finance\",\"type\":\"disclosure.stats.reported\","
		   "\"time\":\"2022-01-05T09:00:00+08:00\",\"subject\":\"fee/2021\","
		   "\"agency\":\"yaodu-xinfang\",\"data\":{\"year\":2021,\"item\":\"fee\","
		   "\"amount\":\"12.3500\"}}",
};
