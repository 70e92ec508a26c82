/*
 * buf: a growable byte buffer that owns its storage.
 *
 * Batches reuse one buf per table across flushes (buf_reset keeps the
 * capacity), so the per-event path appends without allocating once the
 * buffer has reached its high-water mark.
 */
#ifndef DISCLOSED_BUF_H
#define DISCLOSED_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

/* Ensure room for `extra` more bytes. Aborts on out-of-memory: a daemon
 * that cannot allocate a few KB has no safe way to continue. */
void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *p, size_t n);
/* calloc that aborts on out-of-memory, for the same reason. */
void *xcalloc(size_t n, size_t size);
void buf_puts(struct buf *b, const char *s);
/* Inline: a COPY row puts a tab between every two columns. */
static inline void buf_putc(struct buf *b, char c)
{
	if (b->len + 2 > b->cap)
		buf_reserve(b, 1);
	b->data[b->len++] = c;
}
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_put_i64(struct buf *b, int64_t v);
/* Keep the capacity, drop the contents. */
static inline void buf_reset(struct buf *b) { b->len = 0; }
void buf_free(struct buf *b);
/* NUL-terminate without counting the NUL in len; returns data. */
const char *buf_cstr(struct buf *b);

/* COPY text format: escape backslash, tab, newline, CR (the only bytes
 * that the default text format treats specially). */
void buf_copy_text(struct buf *b, const char *s, size_t n);
/* COPY text format for bytea: "\\x" followed by hex. */
void buf_copy_bytea(struct buf *b, const void *p, size_t n);
/* Lowercase hex of n bytes: 2n characters at out (not terminated); returns
 * the end. buf_put_hex appends them to b. */
char *hex_encode(char *out, const void *p, size_t n);
void buf_put_hex(struct buf *b, const void *p, size_t n);
/* JSON string literal with quotes; invalid UTF-8 bytes become U+FFFD. */
void buf_json_string(struct buf *b, const char *s, size_t n);

/* True when s[0..n) is valid UTF-8 without NUL bytes. */
int utf8_valid(const char *s, size_t n);

#endif
