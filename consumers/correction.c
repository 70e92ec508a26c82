/* Corrections: one event withdraws or replaces another stored event, of
 * any other type, by its identity (source, id). The original row stays;
 * the correction is stored as its own row and the effective_* views of
 * migration 0008 apply it (docs/events.md, "Identity, duplicates,
 * corrections"). A replacement's data is checked by the target type's own
 * spec and cross-field rules (FT_DATA), never by a copy of them here.
 * subject = the target's subject, or its corrected subject. */
#include <string.h>

#include "kinds.h"

/* Every type but this one (a correction is not corrected by another: send
 * one more correction of its target, the latest counts) and
 * opening.stated (a line is restated instead: the latest statement counts,
 * count 0 takes it back). test_kind_correction checks this list against
 * the registry. */
static const char *const targets[] = {
	"disclosure.complaint.received", "disclosure.complaint.transferred",
	"disclosure.complaint.decided", "disclosure.complaint.closed",
	"disclosure.reception.held",
	"disclosure.publication.published", "disclosure.publication.repealed",
	"disclosure.newmedia.snapshot",
	"disclosure.application.received", "disclosure.application.closed",
	"disclosure.review.filed", "disclosure.review.decided",
	"disclosure.stats.reported", NULL};
static const char *const actions[] = {"withdraw", "replace", NULL};

static const struct field_spec corrected_fields[] = {
	{.name = "target_source", .type = FT_STRING, .required = true,
	 .max_len = EVENT_SOURCE_MAX, .doc = "the corrected event's source"},
	{.name = "target_id", .type = FT_STRING, .required = true, .max_len = EVENT_ID_MAX,
	 .doc = "the corrected event's id"},
	{.name = "target_type", .type = FT_ENUM, .required = true, .values = targets,
	 .doc = "the corrected event's type"},
	{.name = "action", .type = FT_ENUM, .required = true, .values = actions,
	 .doc = "withdraw: the event no longer counts; replace: it counts with data, "
		"fact_time and this event's subject"},
	{.name = "fact_time", .type = FT_TIME,
	 .doc = "replace: the corrected event's time (default: the original's)"},
	{.name = "data", .type = FT_DATA, .kind_from = "target_type",
	 .doc = "replace: the corrected event's whole data, as its type defines it"},
};

static int check_corrected(const struct decoded *d, char *field, size_t flen, char *msg,
			   size_t mlen)
{
	const struct field_value *action = decoded_field(d, "action");
	bool replace = field_equals(action, "replace");
	const char *bad = NULL, *why = NULL;
	if (replace && !decoded_field(d, "data")) {
		bad = "data";
		why = "is required when data.action is \"replace\" (the whole corrected data)";
	} else if (!replace && decoded_field(d, "data")) {
		bad = "data";
		why = "must be absent when data.action is \"withdraw\"";
	} else if (!replace && decoded_field(d, "fact_time")) {
		bad = "fact_time";
		why = "must be absent when data.action is \"withdraw\"";
	}
	if (!bad)
		return 0;
	snprintf(field, flen, "data.%s", bad);
	snprintf(msg, mlen, "data.%s %s", bad, why);
	return -1;
}

const struct kind_spec kind_event_corrected = {
	.type = "disclosure.event.corrected",
	.table = "event_correction",
	.subject_doc = "the corrected event's subject (a replacement may change it)",
	.doc = "Withdraws or replaces a stored event of another type, named by its "
	       "source and id; `time` is when the correction was made (the latest "
	       "correction of an event counts).",
	.fields = corrected_fields,
	.nfields = NFIELDS(corrected_fields),
	.check = check_corrected,
	.example = "{\"specversion\":\"1.0\",\"id\":\"ap-2021-0009-c-fix1\","
		   "\"source\":\"/disclosure-desk\",\"type\":\"disclosure.event.corrected\","
		   "\"time\":\"2021-05-06T09:00:00+08:00\",\"subject\":\"AP2021-0009\","
		   "\"agency\":\"yaodu-xinfang\",\"data\":{\"target_source\":\"/disclosure-desk\","
		   "\"target_id\":\"ap-2021-0009-c\",\"target_type\":\"disclosure.application.closed\","
		   "\"action\":\"replace\",\"data\":{\"outcome\":\"3.1\"}}}",
};
