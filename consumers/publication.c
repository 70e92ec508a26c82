/* Proactive publications (主动公开) under art. 20: work news, notices,
 * reception notices, regulations, normative documents, new-media posts.
 * subject = the item id in the publishing system. */
#include <string.h>

#include "kinds.h"

static const char *const categories[] = {
	"work_news", "notice", "reception_notice", "regulation",
	"normative_document", "new_media_post", "other", NULL};
static const char *const channels[] = {
	"website", "wechat", "weibo", "app", "led_screen", "print", "other", NULL};

static const struct field_spec published_fields[] = {
	{.name = "category", .type = FT_ENUM, .required = true, .values = categories,
	 .doc = "what was published; selects the overview line or section 二 row"},
	{.name = "channel", .type = FT_ENUM, .required = true, .values = channels,
	 .doc = "where it was published"},
	{.name = "title", .type = FT_STRING, .max_len = 512, .doc = "title"},
	{.name = "account", .type = FT_STRING, .max_len = 64,
	 .doc = "new-media account id; required for new_media_post"},
	{.name = "made_at", .type = FT_TIME,
	 .doc = "when a regulation or normative document was made (制作/制发); "
		"defaults to `time`"},
	{.name = "session", .type = FT_STRING, .max_len = 128,
	 .doc = "for reception_notice: the reception session's subject"},
};

static int check_published(const struct decoded *d, char *field, size_t flen,
			   char *msg, size_t mlen)
{
	const struct field_value *cat = decoded_field(d, "category");
	if (field_equals(cat, "new_media_post") && !decoded_field(d, "account")) {
		snprintf(field, flen, "data.account");
		snprintf(msg, mlen, "data.account is required when "
			 "data.category is \"new_media_post\"");
		return -1;
	}
	return 0;
}

const struct kind_spec kind_publication_published = {
	.type = "disclosure.publication.published",
	.table = "publication_published",
	.subject_doc = "item id",
	.doc = "An item was published; `time` is the publication time.",
	.fields = published_fields,
	.nfields = NFIELDS(published_fields),
	.check = check_published,
	.example = "{\"specversion\":\"1.0\",\"id\":\"pub-2020-0042\","
		   "\"source\":\"/portal/cms\",\"type\":\"disclosure.publication.published\","
		   "\"time\":\"2020-06-01T10:30:00+08:00\",\"subject\":\"ITEM-2020-0042\","
		   "\"agency\":\"yaodu-xinfang\",\"data\":{\"category\":\"work_news\","
		   "\"channel\":\"website\",\"title\":\"Petition work meeting held\"}}",
};

static const struct field_spec repealed_fields[] = {
	{.name = "reason", .type = FT_STRING, .max_len = 256, .doc = "why"},
};

const struct kind_spec kind_publication_repealed = {
	.type = "disclosure.publication.repealed",
	.table = "publication_repealed",
	.subject_doc = "item id of the published item",
	.doc = "A published regulation or normative document was repealed (废止).",
	.fields = repealed_fields,
	.nfields = NFIELDS(repealed_fields),
	.example = "{\"specversion\":\"1.0\",\"id\":\"pub-2019-0007-x\","
		   "\"source\":\"/portal/cms\",\"type\":\"disclosure.publication.repealed\","
		   "\"time\":\"2021-09-30T17:00:00+08:00\",\"subject\":\"ITEM-2019-0007\","
		   "\"agency\":\"yaodu-xinfang\",\"data\":{\"reason\":\"superseded\"}}",
};
