/* Administrative reconsideration and litigation about disclosure (section
 * 四). subject = the case id. */
#include "kinds.h"

static const char *const routes[] = {
	"reconsideration", "litigation_direct", "litigation_after_reconsideration", NULL};
static const char *const results[] = {"upheld", "corrected", "other", NULL};

static const struct field_spec filed_fields[] = {
	{.name = "route", .type = FT_ENUM, .required = true, .values = routes,
	 .doc = "行政复议, 未经复议直接起诉 or 复议后起诉"},
};

const struct kind_spec kind_review_filed = {
	.type = "disclosure.review.filed",
	.table = "review_filed",
	.subject_doc = "case id",
	.doc = "A reconsideration or lawsuit was filed; `time` is when.",
	.fields = filed_fields,
	.nfields = NFIELDS(filed_fields),
	.example = "{\"specversion\":\"1.0\",\"id\":\"rv-2021-002-f\","
		   "\"source\":\"/legal-affairs\",\"type\":\"disclosure.review.filed\","
		   "\"time\":\"2021-07-01T09:00:00+08:00\",\"subject\":\"RV2021-002\","
		   "\"agency\":\"yaodu-xinfang\",\"data\":{\"route\":\"reconsideration\"}}",
};

static const struct field_spec decided_fields[] = {
	{.name = "outcome", .type = FT_ENUM, .required = true, .values = results,
	 .doc = "结果维持, 结果纠正 or 其他结果"},
};

const struct kind_spec kind_review_decided = {
	.type = "disclosure.review.decided",
	.table = "review_decided",
	.subject_doc = "case id",
	.doc = "The case was decided; `time` is when.",
	.fields = decided_fields,
	.nfields = NFIELDS(decided_fields),
	.example = "{\"specversion\":\"1.0\",\"id\":\"rv-2021-002-d\","
		   "\"source\":\"/legal-affairs\",\"type\":\"disclosure.review.decided\","
		   "\"time\":\"2021-09-15T15:00:00+08:00\",\"subject\":\"RV2021-002\","
		   "\"agency\":\"yaodu-xinfang\",\"data\":{\"outcome\":\"upheld\"}}",
};
