/* Disclosure applications (政府信息公开申请), section 三. subject = the
 * application id. */
#include "kinds.h"

static const char *const classes[] = {
	"natural_person", "commercial_enterprise", "research_institution",
	"public_interest_org", "legal_service_org", "other_org", NULL};
static const char *const app_channels[] = {
	"online", "letter", "in_person", "fax", "email", "other", NULL};

/* Result rows of section 三; "3.6" is template 2019's single 其他处理 row,
 * 3.6.1-3.6.3 are template 2021's split of it. */
static const char *const outcomes[] = {
	"3.1", "3.2",
	"3.3.1", "3.3.2", "3.3.3", "3.3.4", "3.3.5", "3.3.6", "3.3.7", "3.3.8",
	"3.4.1", "3.4.2", "3.4.3",
	"3.5.1", "3.5.2", "3.5.3", "3.5.4", "3.5.5",
	"3.6", "3.6.1", "3.6.2", "3.6.3", NULL};

static const struct field_spec received_fields[] = {
	{.name = "applicant_class", .type = FT_ENUM, .required = true, .values = classes,
	 .doc = "the applicant column of section 三"},
	{.name = "channel", .type = FT_ENUM, .values = app_channels,
	 .doc = "how the application arrived"},
	{.name = "applicant_name", .type = FT_PERSONAL, .max_len = 64,
	 .doc = "personal data: stored only as its keyed hash (HMAC-SHA256)"},
	{.name = "applicant_phone", .type = FT_PERSONAL, .max_len = 64,
	 .doc = "personal data: stored only as its keyed hash (HMAC-SHA256)"},
	{.name = "applicant_id_number", .type = FT_PERSONAL, .max_len = 64,
	 .doc = "personal data: stored only as its keyed hash (HMAC-SHA256)"},
};

const struct kind_spec kind_application_received = {
	.type = "disclosure.application.received",
	.table = "application_received",
	.subject_doc = "application id",
	.doc = "A disclosure application was received; `time` is when.",
	.fields = received_fields,
	.nfields = NFIELDS(received_fields),
	.example = "{\"specversion\":\"1.0\",\"id\":\"ap-2021-0009-r\","
		   "\"source\":\"/disclosure-desk\",\"type\":\"disclosure.application.received\","
		   "\"time\":\"2021-04-06T14:20:00+08:00\",\"subject\":\"AP2021-0009\","
		   "\"agency\":\"yaodu-xinfang\",\"data\":{\"applicant_class\":\"natural_person\","
		   "\"channel\":\"online\"}}",
};

static const struct field_spec closed_fields[] = {
	{.name = "outcome", .type = FT_ENUM, .required = true, .values = outcomes,
	 .doc = "the one result row of section 三 (3.1 … 3.6.3)"},
};

const struct kind_spec kind_application_closed = {
	.type = "disclosure.application.closed",
	.table = "application_closed",
	.subject_doc = "application id",
	.doc = "The application was answered; `time` is when. Exactly one outcome.",
	.fields = closed_fields,
	.nfields = NFIELDS(closed_fields),
	.example = "{\"specversion\":\"1.0\",\"id\":\"ap-2021-0009-c\","
		   "\"source\":\"/disclosure-desk\",\"type\":\"disclosure.application.closed\","
		   "\"time\":\"2021-04-20T10:00:00+08:00\",\"subject\":\"AP2021-0009\","
		   "\"agency\":\"yaodu-xinfang\",\"data\":{\"outcome\":\"3.2\"}}",
};
