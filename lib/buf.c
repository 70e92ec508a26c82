#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_reserve(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (!p) {
		fprintf(stderr, "<2>out of memory growing a buffer to %zu bytes\n", cap);
		abort();
	}
	b->data = p;
	b->cap = cap;
}

void buf_append(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

void buf_puts(struct buf *b, const char *s) { buf_append(b, s, strlen(s)); }


void buf_printf(struct buf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	if ((size_t)n < sizeof(tmp)) {
		buf_append(b, tmp, (size_t)n);
		return;
	}
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void buf_put_i64(struct buf *b, int64_t v)
{
	char tmp[24];
	int i = sizeof(tmp);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[--i] = '-';
	buf_append(b, tmp + i, sizeof(tmp) - (size_t)i);
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

const char *buf_cstr(struct buf *b)
{
	buf_reserve(b, 0);
	b->data[b->len] = '\0';
	return b->data;
}

/* The escape letter of each byte COPY text treats specially, 0 for the
 * others: one load a byte instead of a switch. */
static const char copy_escape[256] = {['\\'] = '\\', ['\t'] = 't', ['\n'] = 'n', ['\r'] = 'r'};

/* Whether any of the 8 bytes of w is one COPY escapes (a zero byte of w
 * xor the repeated character, by the usual bit trick): most text has
 * none, and is passed over a word at a time. */
static int word_needs_escape(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t b = w ^ (ones * '\\'), t = w ^ (ones * '\t'), n = w ^ (ones * '\n'),
		 r = w ^ (ones * '\r');
	return ((((b - ones) & ~b) | ((t - ones) & ~t) | ((n - ones) & ~n) | ((r - ones) & ~r)) &
		highs) != 0;
}

void buf_copy_text(struct buf *b, const char *s, size_t n)
{
	/* At most two bytes out for each byte in: room once, then plain stores. */
	buf_reserve(b, 2 * n);
	char *o = b->data + b->len;
	size_t start = 0, i = 0;
	while (i < n) {
		uint64_t w;
		if (n - i >= sizeof(w)) {
			memcpy(&w, s + i, sizeof(w));
			if (!word_needs_escape(w)) {
				i += sizeof(w);
				continue;
			}
		}
		char esc = copy_escape[(unsigned char)s[i]];
		if (esc) {
			memcpy(o, s + start, i - start);
			o += i - start;
			*o++ = '\\';
			*o++ = esc;
			start = i + 1;
		}
		i++;
	}
	memcpy(o, s + start, n - start);
	b->len = (size_t)(o + (n - start) - b->data);
}

char *hex_encode(char *out, const void *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = p;
	for (size_t i = 0; i < n; i++) {
		*out++ = hex[u[i] >> 4];
		*out++ = hex[u[i] & 15];
	}
	return out;
}

void buf_put_hex(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, 2 * n);
	b->len = (size_t)(hex_encode(b->data + b->len, p, n) - b->data);
}

void buf_copy_bytea(struct buf *b, const void *p, size_t n)
{
	buf_append(b, "\\\\x", 3);
	buf_put_hex(b, p, n);
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned min;
	if (c < 0x80)
		return c ? 1 : 0;
	if ((c & 0xe0) == 0xc0) { len = 2; min = 0x80; c &= 0x1f; }
	else if ((c & 0xf0) == 0xe0) { len = 3; min = 0x800; c &= 0x0f; }
	else if ((c & 0xf8) == 0xf0) { len = 4; min = 0x10000; c &= 0x07; }
	else return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return len;
}

int utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		size_t l = utf8_seq(u + i, n - i);
		if (!l)
			return 0;
		i += l;
	}
	return 1;
}

/* Bytes a JSON string holds as they are: printable ASCII (DEL included)
 * other than the quote and the backslash. */
static int json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

void buf_json_string(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	buf_putc(b, '"');
	for (size_t i = 0; i < n;) {
		/* The longest run that goes out unchanged, appended at once:
		 * plain ASCII and valid multi-byte UTF-8. */
		size_t start = i, l;
		for (;;) {
			if (i < n && json_plain(u[i]))
				i++;
			else if (i < n && u[i] >= 0x80 && (l = utf8_seq(u + i, n - i)))
				i += l;
			else
				break;
		}
		buf_append(b, u + start, i - start);
		if (i == n)
			break;
		unsigned c = u[i++];
		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char)c};
			buf_append(b, e, 2);
		} else if (c < 0x20) {
			char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			buf_append(b, e, 6);
		} else {
			buf_append(b, "\xef\xbf\xbd", 3); /* invalid UTF-8: U+FFFD */
		}
	}
	buf_putc(b, '"');
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);
	if (!p)
		abort();
	return p;
}
