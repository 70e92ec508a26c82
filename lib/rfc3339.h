/*
 * rfc3339: strict RFC 3339 timestamps, as CloudEvents requires for `time`.
 * An explicit offset ("Z" or "+08:00") is mandatory: a local time without
 * one cannot be placed in a calendar year safely.
 */
#ifndef DISCLOSED_RFC3339_H
#define DISCLOSED_RFC3339_H

#include <stddef.h>
#include <stdint.h>

#define RFC3339_MIN_YEAR 1900
#define RFC3339_MAX_YEAR 2199

/* Parse s[0..n) into microseconds since the Unix epoch (UTC). Fractions
 * beyond microseconds are truncated. Returns 0, or -1 with a reason in
 * why (a static string) when the text is not a valid timestamp. */
int rfc3339_parse(const char *s, size_t n, int64_t *us, const char **why);

/* Format as "YYYY-MM-DD HH:MM:SS.ffffff+00" (PostgreSQL timestamptz input,
 * UTC). out must hold RFC3339_UTC_LEN + 1 bytes. */
#define RFC3339_UTC_LEN 29
void rfc3339_format_utc(int64_t us, char *out);

#endif
