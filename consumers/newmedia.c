/* New-media audience (政务新媒体 关注度, 粉丝数): periodic snapshots of
 * cumulative views and current followers per account. subject = account. */
#include "kinds.h"

static const struct field_spec snapshot_fields[] = {
	{.name = "views_total", .type = FT_INT, .required = true, .min = 0,
	 .max = INT64_BIG, .doc = "cumulative views since the account opened"},
	{.name = "followers", .type = FT_INT, .required = true, .min = 0,
	 .max = INT64_BIG, .doc = "followers at `time`"},
	{.name = "name", .type = FT_STRING, .max_len = 128,
	 .doc = "the account's display name"},
};

const struct kind_spec kind_newmedia_snapshot = {
	.type = "disclosure.newmedia.snapshot",
	.table = "newmedia_snapshot",
	.subject_doc = "new-media account id",
	.doc = "Audience of an account at `time`. A year's views are the growth "
	       "of views_total over the year; followers are as at year end.",
	.fields = snapshot_fields,
	.nfields = NFIELDS(snapshot_fields),
	.example = "{\"specversion\":\"1.0\",\"id\":\"nm-wx-2020-12-31\","
		   "\"source\":\"/newmedia/wechat\",\"type\":\"disclosure.newmedia.snapshot\","
		   "\"time\":\"2020-12-31T23:59:00+08:00\",\"subject\":\"wechat-ydxf\","
		   "\"agency\":\"yaodu-xinfang\",\"data\":{\"views_total\":4585,"
		   "\"followers\":733,\"name\":\"尧都阳光信访\"}}",
};
