/*
 * rand.h -- randomness from the kernel (getrandom): object ids in the
 * API's format, secret keys, and jitter for backoff.
 */
#ifndef PILOTHOUSE_RAND_H
#define PILOTHOUSE_RAND_H

#include <stddef.h>
#include <stdint.h>

#define RAND_ID_LEN	64	/* buffer size for rand_id */

void	 rand_bytes(void *, size_t);
uint64_t rand_u64(void);
/* Uniform in [0, n); n > 0. */
uint64_t rand_below(uint64_t);
/* prefix + "_" + "011C" + 20 base62 characters, like the API's ids. */
void	 rand_id(const char *, char *, size_t);
/* n base62 characters and a NUL into out (size n + 1). */
void	 rand_base62(char *, size_t);

#endif
