/* ISC licence: see COPYING.  Kernel randomness, ids and keys. */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/random.h>

#include "base/rand.h"
#include "base/xmalloc.h"

static const char	 rand_alphabet[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/* Fill p with len random bytes; the kernel never fails this for us. */
void
rand_bytes(void *p, size_t len)
{
	unsigned char	*q = p;
	ssize_t		 n;

	while (len > 0) {
		n = getrandom(q, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fatal("getrandom");
		}
		q += n;
		len -= (size_t)n;
	}
}

/* A random 64-bit value. */
uint64_t
rand_u64(void)
{
	uint64_t	v;

	rand_bytes(&v, sizeof v);
	return v;
}

/* A uniform value below n, without modulo bias. */
uint64_t
rand_below(uint64_t n)
{
	uint64_t	v, limit;

	if (n <= 1)
		return 0;
	limit = UINT64_MAX - UINT64_MAX % n;
	do
		v = rand_u64();
	while (v >= limit);
	return v % n;
}

/* n random base62 characters, NUL-terminated. */
void
rand_base62(char *out, size_t n)
{
	unsigned char	b[64];
	size_t		i = 0;

	while (i < n) {
		rand_bytes(b, sizeof b);
		for (size_t j = 0; j < sizeof b && i < n; j++) {
			if (b[j] >= 248)	/* 248 = 4 * 62: no bias */
				continue;
			out[i++] = rand_alphabet[b[j] % 62];
		}
	}
	out[n] = '\0';
}

/* An API-style id such as sesn_011CZkZAtmR3yMPDzynEDxu7. */
void
rand_id(const char *prefix, char *out, size_t size)
{
	char	tail[21];

	rand_base62(tail, 20);
	snprintf(out, size, "%s_011C%s", prefix, tail);
}
