/*
 * libFuzzer harness over the decoder's whole path: decode and validate an
 * event (structured mode, or binary mode when the input carries headers),
 * render its normalized row, and add it to a batch as the daemon would.
 *
 * Every input is decoded twice, by the fast scan (jscan) and by jansson
 * alone: the two must agree on the verdict, the reason, the identity and
 * the content digest, or the fuzzer stops (abort).
 *
 * Input: optional header block "name=value\n"... ended by "\n\n" when the
 * input starts with "ce_"; the rest is the message value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "event.h"

#define MAX_HEADERS 16

/* libFuzzer's entry point: called by the fuzzing engine, not by our code. */
/* cppcheck-suppress unusedFunction */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct batch *b;
	static size_t added;
	struct event_header h[MAX_HEADERS];
	char names[MAX_HEADERS][32];
	size_t nh = 0, off = 0;
	if (!b)
		b = batch_new(64);
	if (size > 3 && memcmp(data, "ce_", 3) == 0) {
		while (off < size && nh < MAX_HEADERS) {
			const uint8_t *nl = memchr(data + off, '\n', size - off);
			if (!nl || nl == data + off) {
				off = nl ? (size_t)(nl - data) + 1 : size;
				break;
			}
			const uint8_t *eq = memchr(data + off, '=', (size_t)(nl - data) - off);
			if (eq) {
				size_t nlen = (size_t)(eq - data) - off;
				if (nlen >= sizeof(names[0]))
					nlen = sizeof(names[0]) - 1;
				memcpy(names[nh], data + off, nlen);
				names[nh][nlen] = '\0';
				h[nh] = (struct event_header){names[nh], eq + 1, (size_t)(nl - eq) - 1};
				nh++;
			}
			off = (size_t)(nl - data) + 1;
		}
	}
	struct event_input in = {data + off, size - off, h, nh};
	static const unsigned char key[] = "fuzzing-key-0123456789";
	struct decode_limits lim = {.max_bytes = 1 << 20, .hmac_key = key, .hmac_key_len = sizeof(key) - 1};
	struct decode_limits slow = lim;
	slow.jansson_only = true;
	struct decoded d, d2;
	struct decode_error e, e2;
	struct batch_msg m = {.lin = {"fuzz", 4, 0, (int64_t)added}, .headers = h, .nheaders = nh,
			      .payload = data + off, .len = size - off};
	int rc = event_decode(&in, &lim, &d, &e);
	int rc2 = event_decode(&in, &slow, &d2, &e2);
	if (rc != rc2)
		abort();
	if (rc == 0) {
		if (d.kind_idx != d2.kind_idx || memcmp(d.digest, d2.digest, sizeof(d.digest)) != 0 ||
		    d.id.n != d2.id.n || memcmp(d.id.p, d2.id.p, d.id.n) != 0 ||
		    d.source.n != d2.source.n || memcmp(d.source.p, d2.source.p, d.source.n) != 0)
			abort();
		decoded_release(&d2);
		batch_add_event(b, &m, &d);
		decoded_release(&d);
	} else {
		if (e.reason != e2.reason)
			abort();
		decode_error_release(&e2);
		/* A failure must name a reason and carry a message. */
		if (e.reason == REASON_OK || !e.message[0])
			abort();
		batch_add_quarantine(b, &m, &e);
		decode_error_release(&e);
	}
	if (++added % 64 == 0)
		batch_reset(b);
	return 0;
}
