/* Break opportunities inside a printed table label (wrap.h). */
#include <string.h>

#include "wrap.h"

#define MAX_CHARS 256

static const char *const opening[] = {"（", "(", "“", "《", "〔"};
static const char *const closing[] = {"）", ")", "”", "》", "〕", "、", "，", ",", "：", ":",
				      "；", ";", "/", "·", "。"};

static bool starts_with_any(const char *s, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strncmp(s, set[i], strlen(set[i])) == 0)
			return true;
	return false;
}

static size_t char_len(unsigned char c)
{
	return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* A CJK unified ideograph (U+4E00..U+9FFF: three bytes, E4 B8 80 .. E9 BF BF). */
static bool ideograph(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	return (u[0] == 0xE4 && u[1] >= 0xB8) || (u[0] >= 0xE5 && u[0] <= 0xE9);
}

size_t wrap_cuts(const char *s, bool pairs, size_t *cut, size_t max)
{
	size_t at[MAX_CHARS + 1], n = 0;
	for (size_t i = 0; s[i] && n < MAX_CHARS; i += char_len((unsigned char)s[i]))
		at[n++] = i;
	at[n] = strlen(s);
	size_t ncut = 0, run = 0; /* ideographs just before char k */
	for (size_t k = 1; k <= n; k++) {
		const char *a = s + at[k - 1], *b = s + at[k];
		run = ideograph(a) ? run + 1 : 0;
		if (k == n)
			break;
		bool brk = !starts_with_any(b, closing, sizeof(closing) / sizeof(closing[0])) &&
			   (*a == ' ' || starts_with_any(a, closing, sizeof(closing) / sizeof(closing[0])) ||
			    (starts_with_any(b, opening, sizeof(opening) / sizeof(opening[0])) &&
			     !starts_with_any(a, opening, sizeof(opening) / sizeof(opening[0]))));
		if (!brk && pairs && run > 0 && run % 2 == 0 && ideograph(b)) {
			/* Inside a run: its length decides. */
			size_t len = run;
			while (k + len - run < n && ideograph(s + at[k + len - run]))
				len++;
			brk = len >= 4 && len % 2 == 0;
		}
		if (brk && ncut < max)
			cut[ncut++] = at[k];
	}
	return ncut;
}

double wrap_ems(const char *s, size_t n)
{
	double ems = 0;
	for (size_t i = 0; i < n && s[i]; i += char_len((unsigned char)s[i]))
		ems += (unsigned char)s[i] < 0x80 ? 0.5 : 1;
	return ems;
}
