// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: what a provided CBC cipher does for libssl on a
 * decrypted TLS 1.0-1.2 record (RFC 5246 6.2.3.2): drop the explicit IV
 * (TLS 1.1+), check and remove the padding, cut the MAC off and hand it
 * out.  The padding length is secret until the MAC is checked, so the
 * work does not depend on it (Lucky Thirteen): every possible padding
 * byte is checked and the MAC is extracted with a scan over every place
 * it may start.  With bad padding the MAC handed out is random, so that
 * libssl's MAC check fails in the same time as with a wrong MAC.
 */
#include <string.h>
#include <sys/random.h>
#include <openssl/prov_ssl.h>

#include "prov.h"

#define BLK	AOFF_AES_BLOCK_SIZE

/* All ones when the top bit of @x is set, else 0. */
static inline size_t ct_msb(size_t x)
{
	return 0 - (x >> (sizeof(x) * 8 - 1));
}

static inline size_t ct_lt(size_t a, size_t b)
{
	return ct_msb(a ^ ((a ^ b) | ((a - b) ^ b)));
}

static inline size_t ct_ge(size_t a, size_t b)
{
	return ~ct_lt(a, b);
}

static inline size_t ct_eq(size_t a, size_t b)
{
	size_t x = a ^ b;

	return ct_msb(~x & (x - 1));
}

/*
 * @rec holds *@len decrypted bytes.  On success *@len is the payload's
 * length (the payload starts @rec + 16 with an explicit IV, else at @rec)
 * and @mac holds the record's @macsize-byte MAC.  Returns 0 when the
 * record cannot be one (lengths are public) or, without a MAC (encrypt-
 * then-MAC, already verified), when the padding is bad.
 */
int aoff_tls_unpad(unsigned int tlsversion, uint8_t *rec, size_t *len,
		   size_t macsize, uint8_t *mac)
{
	size_t n = *len, padv, good, newn, start, mac_start, i, j;
	uint8_t rnd[64], m;
	uint8_t *data = rec;

	if (tlsversion != TLS1_VERSION) {
		/* TLS 1.1, 1.2, DTLS: the first block is the explicit IV. */
		if (n < BLK)
			return 0;
		data += BLK;
		n -= BLK;
	}
	if (n < macsize + 1 || macsize > sizeof(rnd))
		return 0;

	padv = data[n - 1];
	good = ct_ge(n, macsize + 1 + padv);
	/* Check the longest padding there can be, whatever padv says. */
	for (i = 0; i < 256 && i < n; i++) {
		size_t in_pad = ct_ge(padv, i);

		good &= ~(in_pad & (padv ^ data[n - 1 - i]));
	}
	good = ct_eq(good & 0xff, 0xff);
	newn = n - (good & (padv + 1));

	if (!macsize) {
		*len = newn;
		return good != 0;
	}

	/* The MAC ends at newn: scan every place it can start. */
	mac_start = newn - macsize;
	start = n > macsize + 256 ? n - macsize - 256 : 0;
	if (getrandom(rnd, macsize, 0) != (ssize_t)macsize)
		memset(rnd, 0xa5, macsize);	/* still differs from a MAC */
	for (j = 0; j < macsize; j++) {
		m = 0;
		for (i = start; i < n; i++)
			m |= data[i] & (uint8_t)ct_eq(i, mac_start + j);
		mac[j] = (uint8_t)((m & good) | (rnd[j] & ~good));
	}
	*len = mac_start;
	return 1;
}
