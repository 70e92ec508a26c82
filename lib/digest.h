/* digest: the one message digest the project uses (migration checksums,
 * report snapshots). */
#ifndef DISCLOSED_DIGEST_H
#define DISCLOSED_DIGEST_H

#include <stddef.h>

/* SHA-256 of p[0..n) as 64 lowercase hex digits and a NUL. */
void sha256_hex(const void *p, size_t n, char out[65]);
/* SHA-256 of p[0..n), the 32 bytes. */
void sha256_raw(const void *p, size_t n, unsigned char out[32]);

#endif
