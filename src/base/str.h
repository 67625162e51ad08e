/*
 * str.h -- small string helpers: bounded number parsing, prefixes,
 * joining and splitting of comma lists.
 */
#ifndef PILOTHOUSE_STR_H
#define PILOTHOUSE_STR_H

#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"

/* Parse a decimal integer in [min, max]; on error *cause is set. */
int	 str_to_ll(const char *, long long, long long, long long *, char **)
	    AD_WARN_UNUSED;
/* Parse a non-negative decimal number of seconds (fractions allowed). */
int	 str_to_seconds(const char *, double, double *, char **) AD_WARN_UNUSED;
int	 str_has_prefix(const char *, const char *);
int	 str_has_suffix(const char *, const char *);
/* Split a comma list into a NULL-terminated array.  Caller frees with
 * str_freev. */
char	**str_split(const char *, int, size_t *);
void	 str_freev(char **);
/* Copy with truncation; always NUL-terminates when size > 0. */
size_t	 str_lcpy(char *, const char *, size_t);
/* Constant-time comparison of two equal-purpose secrets. */
int	 str_secure_eq(const char *, const char *);

#endif
