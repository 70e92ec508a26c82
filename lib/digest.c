#include "digest.h"

#include <openssl/evp.h>

#include "buf.h"

void sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	EVP_Digest(p, n, md, &mdlen, EVP_sha256(), NULL);
	*hex_encode(out, md, sizeof(md)) = '\0';
}

void sha256_raw(const void *p, size_t n, unsigned char out[32])
{
	unsigned int mdlen = 0;
	EVP_Digest(p, n, out, &mdlen, EVP_sha256(), NULL);
}
