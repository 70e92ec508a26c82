#include "rfc3339.h"

#include <string.h>

/* Howard Hinnant's days_from_civil / civil_from_days: exact for the
 * proleptic Gregorian calendar, no libc time zone state involved. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

static int digits(const char *s, size_t n, size_t at, size_t count, int *out)
{
	int v = 0;
	if (at + count > n)
		return -1;
	for (size_t i = 0; i < count; i++) {
		char c = s[at + i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*out = v;
	return 0;
}

static unsigned month_days(int y, int m)
{
	static const unsigned md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return md[m - 1] + (m == 2 && leap);
}

int rfc3339_parse(const char *s, size_t n, int64_t *us, const char **why)
{
	int y, mo, d, h, mi, se, oh = 0, om = 0;
	if (digits(s, n, 0, 4, &y) || n < 5 || s[4] != '-' ||
	    digits(s, n, 5, 2, &mo) || n < 8 || s[7] != '-' ||
	    digits(s, n, 8, 2, &d)) {
		*why = "expected YYYY-MM-DD at the start";
		return -1;
	}
	if (n < 11 || (s[10] != 'T' && s[10] != 't')) {
		*why = "expected 'T' between date and time";
		return -1;
	}
	if (digits(s, n, 11, 2, &h) || n < 14 || s[13] != ':' ||
	    digits(s, n, 14, 2, &mi) || n < 17 || s[16] != ':' ||
	    digits(s, n, 17, 2, &se)) {
		*why = "expected hh:mm:ss after 'T'";
		return -1;
	}
	if (y < RFC3339_MIN_YEAR || y > RFC3339_MAX_YEAR) {
		*why = "year out of range 1900..2199";
		return -1;
	}
	if (mo < 1 || mo > 12 || d < 1 || (unsigned)d > month_days(y, mo)) {
		*why = "no such calendar date";
		return -1;
	}
	if (h > 23 || mi > 59 || se > 59) {
		*why = "no such time of day";
		return -1;
	}
	size_t i = 19;
	int64_t frac = 0;
	if (i < n && s[i] == '.') {
		size_t nd = 0;
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (nd < 6)
				frac = frac * 10 + (s[i] - '0');
			nd++;
			i++;
		}
		if (nd == 0) {
			*why = "empty fraction of a second";
			return -1;
		}
		for (; nd < 6; nd++)
			frac *= 10;
	}
	if (i >= n) {
		*why = "missing UTC offset (need 'Z' or +hh:mm)";
		return -1;
	}
	int sign = 0;
	if (s[i] == 'Z' || s[i] == 'z') {
		i++;
	} else if (s[i] == '+' || s[i] == '-') {
		sign = s[i] == '-' ? -1 : 1;
		if (digits(s, n, i + 1, 2, &oh) || i + 3 >= n || s[i + 3] != ':' ||
		    digits(s, n, i + 4, 2, &om) || oh > 23 || om > 59) {
			*why = "malformed UTC offset (need +hh:mm)";
			return -1;
		}
		i += 6;
	} else {
		*why = "missing UTC offset (need 'Z' or +hh:mm)";
		return -1;
	}
	if (i != n) {
		*why = "trailing characters after the offset";
		return -1;
	}
	int64_t secs = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
		       h * 3600 + mi * 60 + se - sign * (oh * 3600 + om * 60);
	*us = secs * 1000000 + frac;
	return 0;
}

static char *put_digits(char *o, unsigned v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		o[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return o + width;
}

/* Hand-rolled rather than snprintf: it runs once per event and field. */
void rfc3339_format_utc(int64_t us, char *out)
{
	int64_t secs = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
	int64_t frac = us - secs * 1000000;
	int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	int64_t sod = secs - days * 86400;
	int y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	char *o = put_digits(out, (unsigned)y, 4);
	*o++ = '-';
	o = put_digits(o, m, 2);
	*o++ = '-';
	o = put_digits(o, d, 2);
	*o++ = ' ';
	o = put_digits(o, (unsigned)(sod / 3600), 2);
	*o++ = ':';
	o = put_digits(o, (unsigned)(sod / 60 % 60), 2);
	*o++ = ':';
	o = put_digits(o, (unsigned)(sod % 60), 2);
	*o++ = '.';
	o = put_digits(o, (unsigned)frac, 6);
	memcpy(o, "+00", 4);
}
