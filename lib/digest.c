#include "digest.h"

#include <openssl/evp.h>
#include <stdlib.h>

#include "buf.h"

void sha256_raw(const void *p, size_t n, unsigned char out[32])
{
	unsigned int mdlen = 0;
	EVP_Digest(p, n, out, &mdlen, EVP_sha256(), NULL);
}

void sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char md[32];
	sha256_raw(p, n, md);
	*hex_encode(out, md, sizeof(md)) = '\0';
}

struct sha256 {
	EVP_MD *md;
	EVP_MD_CTX *ctx;
};

struct sha256 *sha256_new(void)
{
	struct sha256 *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->md = EVP_MD_fetch(NULL, "SHA256", NULL);
	h->ctx = EVP_MD_CTX_new();
	if (!h->md || !h->ctx) {
		sha256_free(h);
		return NULL;
	}
	return h;
}

void sha256_sum(struct sha256 *h, const void *p, size_t n, unsigned char out[32])
{
	unsigned int len = 0;
	if (!h || !EVP_DigestInit_ex2(h->ctx, h->md, NULL) || !EVP_DigestUpdate(h->ctx, p, n) ||
	    !EVP_DigestFinal_ex(h->ctx, out, &len))
		sha256_raw(p, n, out);
}

void sha256_free(struct sha256 *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	EVP_MD_free(h->md);
	free(h);
}
