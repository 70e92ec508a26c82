/* Online complaints (网上投诉) from the complaint platform and their
 * handling: received, transferred to the responsible unit, accepted or not
 * accepted, closed. subject = the platform's case number. */
#include "kinds.h"

static const char *const channels[] = {"online", "phone", "letter", "visit",
				       "other", NULL};

static const struct field_spec received_fields[] = {
	{.name = "channel", .type = FT_ENUM, .required = true, .values = channels,
	 .doc = "how the complaint arrived; the overview counts `online`"},
	{.name = "category", .type = FT_STRING, .max_len = 64,
	 .doc = "the platform's subject category, free text"},
	{.name = "complainant_name", .type = FT_PERSONAL, .max_len = 64,
	 .doc = "personal data: stored only as its keyed hash (HMAC-SHA256)"},
	{.name = "complainant_phone", .type = FT_PERSONAL, .max_len = 64,
	 .doc = "personal data: stored only as its keyed hash (HMAC-SHA256)"},
	{.name = "complainant_id_number", .type = FT_PERSONAL, .max_len = 64,
	 .doc = "personal data: stored only as its keyed hash (HMAC-SHA256)"},
};

const struct kind_spec kind_complaint_received = {
	.type = "disclosure.complaint.received",
	.table = "complaint_received",
	.subject_doc = "complaint case number",
	.doc = "A complaint was received; `time` is when.",
	.fields = received_fields,
	.nfields = NFIELDS(received_fields),
	.example = "{\"specversion\":\"1.0\",\"id\":\"ts-2020-000123-r\","
		   "\"source\":\"/complaint-platform\",\"type\":\"disclosure.complaint.received\","
		   "\"time\":\"2020-03-02T09:15:00+08:00\",\"subject\":\"TS2020-000123\","
		   "\"agency\":\"yaodu-xinfang\",\"datacontenttype\":\"application/json\","
		   "\"data\":{\"channel\":\"online\",\"category\":\"urban management\"}}",
};

static const struct field_spec transferred_fields[] = {
	{.name = "unit", .type = FT_STRING, .required = true, .max_len = 128,
	 .doc = "the unit responsible for handling it (有权处理责任单位)"},
};

const struct kind_spec kind_complaint_transferred = {
	.type = "disclosure.complaint.transferred",
	.table = "complaint_transferred",
	.subject_doc = "complaint case number",
	.doc = "The complaint was transferred to the unit responsible for it.",
	.fields = transferred_fields,
	.nfields = NFIELDS(transferred_fields),
	.example = "{\"specversion\":\"1.0\",\"id\":\"ts-2020-000123-t\","
		   "\"source\":\"/complaint-platform\",\"type\":\"disclosure.complaint.transferred\","
		   "\"time\":\"2020-03-02T16:00:00+08:00\",\"subject\":\"TS2020-000123\","
		   "\"agency\":\"yaodu-xinfang\",\"data\":{\"unit\":\"district housing bureau\"}}",
};

static const struct field_spec decided_fields[] = {
	{.name = "accepted", .type = FT_BOOL, .required = true,
	 .doc = "true when accepted (受理), false when not accepted"},
	{.name = "reason", .type = FT_STRING, .max_len = 256,
	 .doc = "why it was not accepted, free text"},
};

const struct kind_spec kind_complaint_decided = {
	.type = "disclosure.complaint.decided",
	.table = "complaint_decided",
	.subject_doc = "complaint case number",
	.doc = "The acceptance decision. The latest decision by `time` counts.",
	.fields = decided_fields,
	.nfields = NFIELDS(decided_fields),
	.example = "{\"specversion\":\"1.0\",\"id\":\"ts-2020-000123-a\","
		   "\"source\":\"/complaint-platform\",\"type\":\"disclosure.complaint.decided\","
		   "\"time\":\"2020-03-03T10:00:00+08:00\",\"subject\":\"TS2020-000123\","
		   "\"agency\":\"yaodu-xinfang\",\"data\":{\"accepted\":true}}",
};

static const struct field_spec closed_fields[] = {
	{.name = "result", .type = FT_STRING, .max_len = 64,
	 .doc = "how it ended, free text"},
};

const struct kind_spec kind_complaint_closed = {
	.type = "disclosure.complaint.closed",
	.table = "complaint_closed",
	.subject_doc = "complaint case number",
	.doc = "The complaint was closed.",
	.fields = closed_fields,
	.nfields = NFIELDS(closed_fields),
	.example = "{\"specversion\":\"1.0\",\"id\":\"ts-2020-000123-c\","
		   "\"source\":\"/complaint-platform\",\"type\":\"disclosure.complaint.closed\","
		   "\"time\":\"2020-03-20T11:00:00+08:00\",\"subject\":\"TS2020-000123\","
		   "\"agency\":\"yaodu-xinfang\",\"data\":{\"result\":\"resolved\"}}",
};
