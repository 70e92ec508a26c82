/* Opening balances (期初数) of an agency that starts using disclosed with
 * history behind it: the position at go-live (`as_of`) that no detailed
 * event can give. One event states one balance line; subject = the line's
 * key (docs/events.md). Which figures use them: docs/events.md §4.7. */
#include <string.h>

#include "kinds.h"

static const char *const balances[] = {
	"open_applications", "open_reviews", "documents_in_force", "newmedia_views", NULL};
static const char *const classes[] = {
	"natural_person", "commercial_enterprise", "research_institution",
	"public_interest_org", "legal_service_org", "other_org", NULL};
static const char *const routes[] = {
	"reconsideration", "litigation_direct", "litigation_after_reconsideration", NULL};
static const char *const doc_categories[] = {"regulation", "normative_document", NULL};

static const struct field_spec stated_fields[] = {
	{.name = "as_of", .type = FT_TIME, .required = true,
	 .doc = "go-live: the line states the position just before this instant"},
	{.name = "balance", .type = FT_ENUM, .required = true, .values = balances,
	 .doc = "what is stated; selects the qualifier the line needs"},
	{.name = "applicant_class", .type = FT_ENUM, .values = classes,
	 .doc = "open_applications: the applicant column of section 三"},
	{.name = "route", .type = FT_ENUM, .values = routes,
	 .doc = "open_reviews: the row of section 四"},
	{.name = "category", .type = FT_ENUM, .values = doc_categories,
	 .doc = "documents_in_force: the row of 第二十条第（一）项"},
	{.name = "account", .type = FT_STRING, .max_len = 64,
	 .doc = "newmedia_views: the new-media account id (a snapshot's subject)"},
	{.name = "item", .type = FT_STRING, .max_len = 128,
	 .doc = "when known: the one application id, review case id or publication item "
		"id the line is about (count is then 1, or 0 to take the line back)"},
	{.name = "count", .type = FT_INT, .min = 0, .max = INT64_BIG,
	 .doc = "how many (newmedia_views: the account's cumulative views); required "
		"without item"},
};

/* The one qualifier each balance needs; the others are refused so that a
 * line cannot be read two ways. */
static const struct {
	const char *balance, *qualifier;
	bool item_allowed;
} rules[] = {
	{"open_applications", "applicant_class", true},
	{"open_reviews", "route", true},
	{"documents_in_force", "category", true},
	{"newmedia_views", "account", false},
};
static const char *const qualifiers[] = {"applicant_class", "route", "category", "account"};

static int refuse(char *field, size_t flen, char *msg, size_t mlen, const char *name,
		  const char *what, const struct field_value *balance)
{
	snprintf(field, flen, "data.%s", name);
	snprintf(msg, mlen, "data.%s %s when data.balance is \"%.*s\"", name, what,
		 (int)balance->s.n, balance->s.p);
	return -1;
}

static int check_stated(const struct decoded *d, char *field, size_t flen, char *msg,
			size_t mlen)
{
	const struct field_value *balance = decoded_field(d, "balance");
	size_t r = 0;
	while (r < NFIELDS(rules) && !field_equals(balance, rules[r].balance))
		r++;
	if (r == NFIELDS(rules))
		return 0; /* the enum check has refused it already */
	for (size_t q = 0; q < NFIELDS(qualifiers); q++) {
		bool wanted = strcmp(qualifiers[q], rules[r].qualifier) == 0;
		bool present = decoded_field(d, qualifiers[q]) != NULL;
		if (wanted && !present)
			return refuse(field, flen, msg, mlen, qualifiers[q], "is required", balance);
		if (!wanted && present)
			return refuse(field, flen, msg, mlen, qualifiers[q], "is not allowed", balance);
	}
	const struct field_value *item = decoded_field(d, "item");
	const struct field_value *count = decoded_field(d, "count");
	if (item && !rules[r].item_allowed)
		return refuse(field, flen, msg, mlen, "item", "is not allowed", balance);
	if (!item && !count)
		return refuse(field, flen, msg, mlen, "count", "is required (or data.item)",
			      balance);
	/* A named line is one application, case or document: 1, or 0 to take
	 * back a line stated by mistake. */
	if (item && count && count->i > 1) {
		snprintf(field, flen, "data.count");
		snprintf(msg, mlen, "data.count=%lld must be 0 or 1 (or absent) when data.item "
			 "names one %.*s line", (long long)count->i, (int)balance->s.n, balance->s.p);
		return -1;
	}
	return 0;
}

const struct kind_spec kind_opening_stated = {
	.type = "disclosure.opening.stated",
	.table = "opening_stated",
	.subject_doc = "the line's key: `<balance>/<qualifier>[/<item>]`",
	.doc = "One line of an agency's position at go-live (`as_of`): open applications or "
	       "reviews, documents in force, a new-media account's cumulative views. For one "
	       "line the latest statement by `time` counts; only the lines of the agency's "
	       "latest `as_of` are used.",
	.fields = stated_fields,
	.nfields = NFIELDS(stated_fields),
	.check = check_stated,
	.example = "{\"specversion\":\"1.0\",\"id\":\"op-2027-app-np\","
		   "\"source\":\"/go-live\",\"type\":\"disclosure.opening.stated\","
		   "\"time\":\"2027-01-04T09:00:00+08:00\","
		   "\"subject\":\"open_applications/natural_person\","
		   "\"agency\":\"yaodu-xinfang\",\"data\":{\"as_of\":\"2027-01-01T00:00:00+08:00\","
		   "\"balance\":\"open_applications\",\"applicant_class\":\"natural_person\","
		   "\"count\":3}}",
};
