/* ISC licence: see COPYING.  Small string helpers. */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/xmalloc.h"

/* Parse a whole string as a decimal integer between min and max. */
int
str_to_ll(const char *s, long long min, long long max, long long *out,
    char **cause)
{
	char		*end;
	long long	 v;

	errno = 0;
	if (s == NULL || *s == '\0') {
		xasprintf(cause, "empty number");
		return -1;
	}
	v = strtoll(s, &end, 10);
	if (*end != '\0') {
		xasprintf(cause, "\"%s\" is not a number", s);
		return -1;
	}
	if (errno == ERANGE || v < min || v > max) {
		xasprintf(cause, "%s is out of range (%lld to %lld)", s, min,
		    max);
		return -1;
	}
	*out = v;
	return 0;
}

/* Parse a number of seconds, at most max (fractions allowed). */
int
str_to_seconds(const char *s, double max, double *out, char **cause)
{
	char	*end;
	double	 v;

	if (s == NULL || *s == '\0') {
		xasprintf(cause, "empty number");
		return -1;
	}
	errno = 0;
	v = strtod(s, &end);
	if (*end != '\0' || errno != 0 || !isfinite(v) || v < 0 || v > max) {
		xasprintf(cause, "\"%s\" is not a number of seconds in 0..%g",
		    s, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* Non-zero when s starts with prefix. */
int
str_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Non-zero when s ends with suffix. */
int
str_has_suffix(const char *s, const char *suffix)
{
	size_t	sl = strlen(s), xl = strlen(suffix);

	return sl >= xl && memcmp(s + sl - xl, suffix, xl) == 0;
}

/* Split s on sep, dropping empty items.  Caller frees with str_freev. */
char **
str_split(const char *s, int sep, size_t *countp)
{
	char		**v = NULL;
	const char	 *p, *q;
	size_t		  n = 0;

	for (p = s; ; p = q + 1) {
		q = strchr(p, sep);
		if (q == NULL)
			q = p + strlen(p);
		if (q > p) {
			v = xreallocarray(v, n + 2, sizeof *v);
			v[n++] = xstrndup(p, (size_t)(q - p));
		}
		if (*q == '\0')
			break;
	}
	if (v == NULL)
		v = xcalloc(1, sizeof *v);
	v[n] = NULL;
	if (countp != NULL)
		*countp = n;
	return v;
}

/* Free an array from str_split. */
void
str_freev(char **v)
{
	if (v == NULL)
		return;
	for (char **p = v; *p != NULL; p++)
		free(*p);
	free(v);
}

/* strlcpy: copy src into dst of size bytes; returns strlen(src). */
size_t
str_lcpy(char *dst, const char *src, size_t size)
{
	size_t	len = strlen(src);

	if (size > 0) {
		size_t	n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/* Compare without an early exit, so timing does not leak a prefix. */
int
str_secure_eq(const char *a, const char *b)
{
	size_t		 la = strlen(a), lb = strlen(b);
	unsigned char	 d = la != lb;

	for (size_t i = 0; i < la; i++)
		d |= (unsigned char)a[i] ^ (unsigned char)b[i % (lb ? lb : 1)];
	return d == 0;
}
