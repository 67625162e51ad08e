/* ISC licence: see COPYING.  Retry decisions and backoff delays. */

#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rand.h"
#include "wire/api_retry.h"

#define API_RETRY_MAX_MS	2147483647.0	/* what one timer can hold */

static int	api_retry_number(const char *, double *);

/* Decide from the status and x-should-retry, as the SDK does. */
int
api_retry_status(long status, const char *should)
{
	if (should != NULL && strcmp(should, "true") == 0)
		return 1;
	if (should != NULL && strcmp(should, "false") == 0)
		return 0;
	return status == 408 || status == 409 || status == 429 ||
	    status >= 500;
}

/* Parse a whole (trimmed) decimal number like JavaScript's parseFloat. */
static int
api_retry_number(const char *s, double *out)
{
	char	*end;

	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s) && *s != '.' && *s != '-' && *s != '+')
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	if (end == s || errno != 0 || !isfinite(*out))
		return -1;
	return 0;
}

/* The wait the server asked for, in ms, or -1 to use the default. */
int64_t
api_retry_after(const char *after_ms, const char *after, int64_t now_us)
{
	double	v = 0;
	int64_t	when;
	int	have = 0;

	if (after_ms != NULL && api_retry_number(after_ms, &v) == 0)
		have = v != 0;	/* the SDK skips a zero here */
	if (!have && after != NULL) {
		if (api_retry_number(after, &v) == 0) {
			v *= 1000;
			have = 1;
		} else if (api_retry_http_date(after, &when) == 0) {
			v = (double)(when - now_us) / 1000;
			have = 1;
		}
	}
	if (!have || !(v > 0) || v > API_RETRY_MAX_MS)
		return -1;
	return (int64_t)ceil(v);
}

/* 0.5 s * 2^n, at most 8 s, times (1 - u/4). */
int64_t
api_retry_backoff(int n, double u)
{
	double	s;

	s = n >= 5 ? 8.0 : 0.5 * (double)(1 << n);
	if (s > 8.0)
		s = 8.0;
	return (int64_t)(s * (1.0 - u * 0.25) * 1000.0);
}

/* A uniform wait in [0, min(cap, base * 2^n)). */
int64_t
api_retry_full_jitter(int n, int64_t base, int64_t cap, double u)
{
	int64_t	ceiling = base;

	for (int i = 0; i < n && ceiling < cap; i++)
		ceiling *= 2;
	if (ceiling > cap)
		ceiling = cap;
	return (int64_t)(u * (double)ceiling);
}

/* Days before each month in a non-leap year. */
static const int	api_retry_yday[12] = {
	0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334
};

/* Parse "Sun, 06 Nov 1994 08:49:37 GMT" into epoch microseconds. */
int
api_retry_http_date(const char *s, int64_t *out)
{
	static const char	 months[] =
	    "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char		*m;
	int			 day, mon, year, hh, mm, ss, n = 0;
	char			 wday[4], mname[4];
	int64_t			 days, y;

	if (sscanf(s, "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d GMT%n",
	    wday, &day, mname, &year, &hh, &mm, &ss, &n) != 7 || n == 0 ||
	    s[n] != '\0')
		return -1;
	if ((m = strstr(months, mname)) == NULL || strlen(mname) != 3 ||
	    (m - months) % 3 != 0)
		return -1;
	mon = (int)(m - months) / 3;
	if (day < 1 || day > 31 || year < 1970 || hh > 23 || mm > 59 ||
	    ss > 60 || hh < 0 || mm < 0 || ss < 0)
		return -1;
	/* Days since 1970-01-01 (proleptic Gregorian). */
	y = year - 1;
	days = (year - 1970) * 365 + (y / 4 - y / 100 + y / 400) -
	    (1969 / 4 - 1969 / 100 + 1969 / 400) + api_retry_yday[mon] +
	    day - 1;
	if (mon > 1 && (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))
		days++;
	*out = ((days * 86400) + hh * 3600 + mm * 60 + ss) * 1000000LL;
	return 0;
}

/* Uniform in [0, 1) with 53 bits of randomness. */
double
api_retry_uniform(void)
{
	return (double)(rand_u64() >> 11) / 9007199254740992.0;
}
