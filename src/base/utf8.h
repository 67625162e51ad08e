/*
 * utf8.h -- strict UTF-8 decoding (no overlongs, no surrogates, nothing
 * above U+10FFFF), used wherever untrusted text is measured or shown.
 */
#ifndef PILOTHOUSE_UTF8_H
#define PILOTHOUSE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decode one code point from s (len bytes available).  Returns the number
 * of bytes used (1-4) and sets *cp, or returns -1 for an invalid or
 * truncated sequence (then one byte should be skipped).
 */
int	 utf8_decode(const char *, size_t, uint32_t *);
/* Encode cp into out (4 bytes room); returns the length, 0 if invalid. */
int	 utf8_encode(uint32_t, char *);
/* Non-zero when all len bytes are valid UTF-8. */
int	 utf8_valid(const char *, size_t);

#endif
