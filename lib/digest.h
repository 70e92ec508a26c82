/* digest: the one message digest the project uses (migration checksums,
 * report snapshots). */
#ifndef DISCLOSED_DIGEST_H
#define DISCLOSED_DIGEST_H

#include <stddef.h>

/* SHA-256 of p[0..n) as 64 lowercase hex digits and a NUL. */
void sha256_hex(const void *p, size_t n, char out[65]);
/* SHA-256 of p[0..n), the 32 bytes. */
void sha256_raw(const void *p, size_t n, unsigned char out[32]);

/* A SHA-256 hasher for many small inputs (one per event): OpenSSL 3 looks
 * the algorithm up on every one-shot call, which costs more than hashing a
 * few hundred bytes; this fetches it once and reuses one context. NULL when
 * OpenSSL cannot provide SHA-256. */
struct sha256;
struct sha256 *sha256_new(void);
/* SHA-256 of p[0..n) into out; h NULL: as sha256_raw. */
void sha256_sum(struct sha256 *h, const void *p, size_t n, unsigned char out[32]);
void sha256_free(struct sha256 *h);

#endif
