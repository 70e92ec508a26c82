/* Leader reception sessions (领导接访). Their published notices arrive as
 * publication events with category reception_notice. subject = session id. */
#include "kinds.h"

static const struct field_spec held_fields[] = {
	{.name = "leader", .type = FT_STRING, .required = true, .max_len = 64,
	 .doc = "the receiving leader's title or name (an official, not a visitor)"},
	{.name = "visitors", .type = FT_INT, .required = true, .min = 0, .max = 100000,
	 .doc = "number of visitors received"},
	{.name = "location", .type = FT_STRING, .max_len = 128, .doc = "where"},
};

const struct kind_spec kind_reception_held = {
	.type = "disclosure.reception.held",
	.table = "reception_held",
	.subject_doc = "reception session id",
	.doc = "A leader reception session took place; `time` is when it started.",
	.fields = held_fields,
	.nfields = NFIELDS(held_fields),
	.example = "{\"specversion\":\"1.0\",\"id\":\"rc-2020-017\","
		   "\"source\":\"/reception-office\",\"type\":\"disclosure.reception.held\","
		   "\"time\":\"2020-05-12T09:00:00+08:00\",\"subject\":\"RC2020-017\","
		   "\"agency\":\"yaodu-xinfang\",\"data\":{\"leader\":\"deputy director\","
		   "\"visitors\":6,\"location\":\"reception hall\"}}",
};
