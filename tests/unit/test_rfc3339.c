/* rfc3339: strict parsing (explicit offset, calendar, 1900..2199) and the
 * UTC text written into COPY rows. */
#include "testutil.h"

#include "rfc3339.h"

/* Parses s (exact length, no terminator visible to the parser). */
static int parse(const char *s, int64_t *us, const char **why)
{
	size_t n = strlen(s);
	char *copy = malloc(n ? n : 1);
	assert_non_null(copy);
	memcpy(copy, s, n);
	*why = NULL;
	int rc = rfc3339_parse(copy, n, us, why);
	free(copy);
	return rc;
}

static int64_t tu_parse_ok(const char *s, const char *file, int line)
{
	int64_t us = 0;
	const char *why;
	if (parse(s, &us, &why) != 0) {
		print_error("\"%s\" rejected: %s\n", s, why ? why : "(no reason)");
		_fail(file, line);
	}
	return us;
}
#define parse_ok(s) tu_parse_ok((s), __FILE__, __LINE__)

/* s is rejected and the reason contains `why_part`. */
static void tu_parse_fails(const char *s, const char *why_part, const char *file, int line)
{
	int64_t us = 12345;
	const char *why;
	if (parse(s, &us, &why) == 0) {
		print_error("\"%s\" accepted, expected a rejection (%s)\n", s, why_part);
		_fail(file, line);
	}
	if (!why || !strstr(why, why_part)) {
		print_error("\"%s\" rejected with \"%s\", expected \"%s\"\n", s,
			    why ? why : "(no reason)", why_part);
		_fail(file, line);
	}
}
#define assert_parse_fails(s, why) tu_parse_fails((s), (why), __FILE__, __LINE__)

static void tu_utc(const char *s, const char *want, const char *file, int line)
{
	char out[RFC3339_UTC_LEN + 1];
	memset(out, 'X', sizeof(out));
	rfc3339_format_utc(tu_parse_ok(s, file, line), out);
	_assert_int_equal(strlen(out), RFC3339_UTC_LEN, file, line);
	_assert_string_equal(out, want, file, line);
}
/* s parses and is written in COPY rows as `want`. */
#define assert_utc(s, want) tu_utc((s), (want), __FILE__, __LINE__)

/* ---- offsets ------------------------------------------------------------ */

TEST(test_epoch_with_z_is_zero)
{
	assert_int_equal(parse_ok("1970-01-01T00:00:00Z"), 0);
}

TEST(test_z_offset_is_utc)
{
	assert_int_equal(parse_ok("2000-02-29T12:34:56.789Z"), 951827696789000LL);
	assert_utc("2000-02-29T12:34:56.789Z", "2000-02-29 12:34:56.789000+00");
}

TEST(test_positive_offset_is_subtracted)
{
	assert_int_equal(parse_ok("2020-03-02T09:15:00+08:00"), 1583111700000000LL);
	assert_utc("2020-03-02T09:15:00+08:00", "2020-03-02 01:15:00.000000+00");
}

TEST(test_negative_half_hour_offset_is_added)
{
	assert_utc("2020-01-01T00:00:00-05:30", "2020-01-01 05:30:00.000000+00");
	assert_int_equal(parse_ok("2020-01-01T00:00:00-05:30"),
			 parse_ok("2020-01-01T05:30:00Z"));
}

TEST(test_offset_moves_the_date_back_across_the_year_boundary)
{
	assert_utc("2021-01-01T07:59:59+08:00", "2020-12-31 23:59:59.000000+00");
	assert_utc("2020-12-31T23:30:00+08:00", "2020-12-31 15:30:00.000000+00");
}

TEST(test_negative_offset_moves_the_date_forward_across_the_year_boundary)
{
	assert_utc("2020-12-31T20:00:00-05:00", "2021-01-01 01:00:00.000000+00");
}

TEST(test_lowercase_t_and_z_are_accepted)
{
	assert_int_equal(parse_ok("2020-06-01t10:30:00z"), parse_ok("2020-06-01T10:30:00Z"));
	assert_int_equal(parse_ok("2020-06-01t10:30:00+08:00"),
			 parse_ok("2020-06-01T02:30:00Z"));
}

TEST(test_time_without_offset_is_rejected)
{
	assert_parse_fails("2020-01-01T00:00:00", "missing UTC offset");
	assert_parse_fails("2020-01-01T00:00:00.5", "missing UTC offset");
}

TEST(test_malformed_offsets_are_rejected)
{
	assert_parse_fails("2020-01-01T00:00:00+0800", "malformed UTC offset");
	assert_parse_fails("2020-01-01T00:00:00+8:00", "malformed UTC offset");
	assert_parse_fails("2020-01-01T00:00:00+08", "malformed UTC offset");
	assert_parse_fails("2020-01-01T00:00:00+08:0", "malformed UTC offset");
	assert_parse_fails("2020-01-01T00:00:00+24:00", "malformed UTC offset");
	assert_parse_fails("2020-01-01T00:00:00+08:60", "malformed UTC offset");
	assert_parse_fails("2020-01-01T00:00:00 +08:00", "missing UTC offset");
	assert_parse_fails("2020-01-01T00:00:00UTC", "missing UTC offset");
}

TEST(test_trailing_characters_after_offset_are_rejected)
{
	assert_parse_fails("2020-01-01T00:00:00Zx", "trailing characters");
	assert_parse_fails("2020-01-01T00:00:00+08:00 ", "trailing characters");
	assert_parse_fails("2020-01-01T00:00:00ZZ", "trailing characters");
}

TEST(test_parser_stops_at_the_given_length)
{
	const char *s = "2020-01-01T00:00:00Z";
	int64_t us;
	const char *why = NULL;
	/* The 'Z' is outside the first 19 bytes. */
	assert_int_equal(rfc3339_parse(s, 19, &us, &why), -1);
	assert_non_null(why);
	assert_non_null(strstr(why, "missing UTC offset"));
	assert_int_equal(rfc3339_parse(s, 0, &us, &why), -1);
	assert_int_equal(rfc3339_parse(s, 4, &us, &why), -1);
}

/* ---- date and time fields ----------------------------------------------- */

TEST(test_february_29_exists_in_leap_years)
{
	assert_utc("2020-02-29T00:00:00Z", "2020-02-29 00:00:00.000000+00");
	assert_utc("2000-02-29T00:00:00Z", "2000-02-29 00:00:00.000000+00"); /* 400 rule */
	assert_utc("2196-02-29T00:00:00Z", "2196-02-29 00:00:00.000000+00");
	assert_int_equal(parse_ok("2020-03-01T00:00:00Z") - parse_ok("2020-02-28T00:00:00Z"),
			 2LL * 86400 * 1000000);
}

TEST(test_february_29_is_rejected_in_common_years)
{
	assert_parse_fails("2021-02-29T00:00:00Z", "no such calendar date");
	assert_parse_fails("1900-02-29T00:00:00Z", "no such calendar date"); /* 100 rule */
	assert_parse_fails("2100-02-29T00:00:00Z", "no such calendar date");
	assert_parse_fails("2019-02-29T12:00:00+08:00", "no such calendar date");
}

TEST(test_impossible_dates_are_rejected)
{
	assert_parse_fails("2020-00-10T00:00:00Z", "no such calendar date");
	assert_parse_fails("2020-13-10T00:00:00Z", "no such calendar date");
	assert_parse_fails("2020-01-00T00:00:00Z", "no such calendar date");
	assert_parse_fails("2020-04-31T00:00:00Z", "no such calendar date");
	assert_parse_fails("2020-12-32T00:00:00Z", "no such calendar date");
	assert_utc("2020-12-31T00:00:00Z", "2020-12-31 00:00:00.000000+00");
}

TEST(test_impossible_times_of_day_are_rejected)
{
	assert_parse_fails("2020-01-01T24:00:00Z", "no such time of day");
	assert_parse_fails("2020-01-01T23:60:00Z", "no such time of day");
	assert_parse_fails("2020-01-01T23:59:60Z", "no such time of day");
	assert_utc("2020-01-01T23:59:59Z", "2020-01-01 23:59:59.000000+00");
}

TEST(test_malformed_layouts_are_rejected)
{
	assert_parse_fails("", "YYYY-MM-DD");
	assert_parse_fails("2020", "YYYY-MM-DD");
	assert_parse_fails("2020-1-01T00:00:00Z", "YYYY-MM-DD");
	assert_parse_fails("20-01-01T00:00:00Z", "YYYY-MM-DD");
	assert_parse_fails("2020/01/01T00:00:00Z", "YYYY-MM-DD");
	assert_parse_fails("2020-01-01", "expected 'T'");
	assert_parse_fails("2020-01-01 00:00:00Z", "expected 'T'");
	assert_parse_fails("2020-01-01T0:00:00Z", "hh:mm:ss");
	assert_parse_fails("2020-01-01T00:00Z", "hh:mm:ss");
	assert_parse_fails("+2020-01-01T00:00:00Z", "YYYY-MM-DD");
}

/* ---- range -------------------------------------------------------------- */

TEST(test_year_1900_is_the_first_accepted)
{
	assert_int_equal(parse_ok("1900-01-01T00:00:00Z"), -2208988800000000LL);
	assert_utc("1900-01-01T00:00:00Z", "1900-01-01 00:00:00.000000+00");
	assert_parse_fails("1899-12-31T23:59:59Z", "year out of range");
	assert_parse_fails("0000-01-01T00:00:00Z", "year out of range");
}

TEST(test_year_2199_is_the_last_accepted)
{
	assert_int_equal(parse_ok("2199-12-31T23:59:59.999999Z"), 7258118399999999LL);
	assert_utc("2199-12-31T23:59:59.999999Z", "2199-12-31 23:59:59.999999+00");
	assert_parse_fails("2200-01-01T00:00:00Z", "year out of range");
	assert_parse_fails("9999-12-31T23:59:59Z", "year out of range");
}

TEST(test_times_before_1970_format_with_positive_fractions)
{
	assert_utc("1969-12-31T23:59:59.000001Z", "1969-12-31 23:59:59.000001+00");
	assert_utc("1900-01-01T00:00:00.5Z", "1900-01-01 00:00:00.500000+00");
	assert_int_equal(parse_ok("1969-12-31T23:59:59.999999Z"), -1);
}

/* ---- fractions ---------------------------------------------------------- */

TEST(test_fraction_is_scaled_to_microseconds)
{
	assert_int_equal(parse_ok("1970-01-01T00:00:00.5Z"), 500000);
	assert_int_equal(parse_ok("1970-01-01T00:00:00.05Z"), 50000);
	assert_int_equal(parse_ok("1970-01-01T00:00:00.000001Z"), 1);
	assert_int_equal(parse_ok("1970-01-01T00:00:00.123456Z"), 123456);
}

TEST(test_fraction_beyond_microseconds_is_truncated_not_rounded)
{
	assert_int_equal(parse_ok("1970-01-01T00:00:00.1234567Z"), 123456);
	assert_int_equal(parse_ok("1970-01-01T00:00:00.9999999Z"), 999999);
	assert_int_equal(parse_ok("1970-01-01T00:00:00.0000009Z"), 0);
	assert_utc("2020-12-31T23:59:59.999999999+08:00", "2020-12-31 15:59:59.999999+00");
}

TEST(test_empty_fraction_is_rejected)
{
	assert_parse_fails("2020-01-01T00:00:00.Z", "empty fraction");
	assert_parse_fails("2020-01-01T00:00:00.+08:00", "empty fraction");
}

/* ---- round trip ----------------------------------------------------------- */

/* "YYYY-MM-DD HH:MM:SS.ffffff+00" back into RFC 3339. */
static void to_rfc3339(const char *utc, char *out, size_t outlen)
{
	snprintf(out, outlen, "%.10sT%.18s:00", utc, utc + 11);
	assert_int_equal(strlen(out), 32);
}

TEST(test_format_then_parse_round_trips)
{
	static const int64_t values[] = {
		0, 1, -1, 999999, 1000000, 951827696789000LL, 1583111700000000LL,
		1609430400000000LL - 1, /* 2020-12-31 15:59:59.999999 */
		-2208988800000000LL, 7258118399999999LL, 4107542400123456LL,
	};
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char utc[RFC3339_UTC_LEN + 1], back[40];
		rfc3339_format_utc(values[i], utc);
		to_rfc3339(utc, back, sizeof(back));
		int64_t us = parse_ok(back);
		if (us != values[i])
			fail_msg("%lld -> \"%s\" -> %lld", (long long)values[i], back,
				 (long long)us);
	}
}

TEST(test_parse_then_format_round_trips)
{
	static const char *const texts[] = {
		"2020-02-29 23:59:59.999999+00", "1900-01-01 00:00:00.000000+00",
		"2199-12-31 23:59:59.999999+00", "1970-01-01 00:00:00.000000+00",
		"2021-03-01 00:00:00.000001+00", "2100-03-01 12:00:00.250000+00",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char back[40], utc[RFC3339_UTC_LEN + 1];
		to_rfc3339(texts[i], back, sizeof(back));
		rfc3339_format_utc(parse_ok(back), utc);
		assert_string_equal(utc, texts[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_epoch_with_z_is_zero),
		cmocka_unit_test(test_z_offset_is_utc),
		cmocka_unit_test(test_positive_offset_is_subtracted),
		cmocka_unit_test(test_negative_half_hour_offset_is_added),
		cmocka_unit_test(test_offset_moves_the_date_back_across_the_year_boundary),
		cmocka_unit_test(test_negative_offset_moves_the_date_forward_across_the_year_boundary),
		cmocka_unit_test(test_lowercase_t_and_z_are_accepted),
		cmocka_unit_test(test_time_without_offset_is_rejected),
		cmocka_unit_test(test_malformed_offsets_are_rejected),
		cmocka_unit_test(test_trailing_characters_after_offset_are_rejected),
		cmocka_unit_test(test_parser_stops_at_the_given_length),
		cmocka_unit_test(test_february_29_exists_in_leap_years),
		cmocka_unit_test(test_february_29_is_rejected_in_common_years),
		cmocka_unit_test(test_impossible_dates_are_rejected),
		cmocka_unit_test(test_impossible_times_of_day_are_rejected),
		cmocka_unit_test(test_malformed_layouts_are_rejected),
		cmocka_unit_test(test_year_1900_is_the_first_accepted),
		cmocka_unit_test(test_year_2199_is_the_last_accepted),
		cmocka_unit_test(test_times_before_1970_format_with_positive_fractions),
		cmocka_unit_test(test_fraction_is_scaled_to_microseconds),
		cmocka_unit_test(test_fraction_beyond_microseconds_is_truncated_not_rounded),
		cmocka_unit_test(test_empty_fraction_is_rejected),
		cmocka_unit_test(test_format_then_parse_round_trips),
		cmocka_unit_test(test_parse_then_format_round_trips),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
