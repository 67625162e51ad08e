/* ISC licence: see COPYING.  Clocks and RFC 3339 timestamps. */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"

/* Microseconds on the monotonic clock. */
int64_t
clock_mono_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Microseconds since the Unix epoch. */
int64_t
clock_real_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Write an RFC 3339 UTC timestamp with digits (0, 3 or 6) of fraction. */
void
clock_format(int64_t us, int digits, char *out, size_t size)
{
	struct tm	 tm;
	time_t		 secs;
	int64_t		 frac;
	int		 n;

	secs = (time_t)(us / 1000000);
	frac = us % 1000000;
	if (frac < 0) {
		frac += 1000000;
		secs--;
	}
	gmtime_r(&secs, &tm);
	n = snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	if (n < 0 || (size_t)n >= size)
		return;
	if (digits == 3)
		snprintf(out + n, size - (size_t)n, ".%03dZ",
		    (int)(frac / 1000));
	else if (digits == 6)
		snprintf(out + n, size - (size_t)n, ".%06dZ", (int)frac);
	else
		snprintf(out + n, size - (size_t)n, "Z");
}

/* Read exactly n digits at *p into *v. */
static int
clock_digits(const char **p, const char *end, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (*p >= end || **p < '0' || **p > '9')
			return -1;
		*v = *v * 10 + (**p - '0');
	}
	return 0;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t
clock_days(int y, int m, int d)
{
	int64_t		era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Parse "YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm)" of length len. */
int
clock_parse(const char *s, size_t len, int64_t *out)
{
	const char	*p = s, *end = s + len;
	int		 y, mo, d, h, mi, sec, oh, om, sign;
	int64_t		 frac = 0, scale = 100000;

	if (clock_digits(&p, end, 4, &y) || p >= end || *p++ != '-' ||
	    clock_digits(&p, end, 2, &mo) || p >= end || *p++ != '-' ||
	    clock_digits(&p, end, 2, &d) || p >= end ||
	    (*p != 'T' && *p != 't' && *p != ' '))
		return -1;
	p++;
	if (clock_digits(&p, end, 2, &h) || p >= end || *p++ != ':' ||
	    clock_digits(&p, end, 2, &mi) || p >= end || *p++ != ':' ||
	    clock_digits(&p, end, 2, &sec))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60)
		return -1;
	if (p < end && *p == '.') {
		p++;
		if (p >= end || *p < '0' || *p > '9')
			return -1;
		for (; p < end && *p >= '0' && *p <= '9'; p++) {
			frac += (*p - '0') * scale;
			scale /= 10;
		}
	}
	if (p >= end)
		return -1;
	if (*p == 'Z' || *p == 'z') {
		oh = om = 0;
		sign = 1;
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (clock_digits(&p, end, 2, &oh) || p >= end || *p++ != ':' ||
		    clock_digits(&p, end, 2, &om))
			return -1;
	} else
		return -1;
	if (p != end)
		return -1;
	*out = ((clock_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) -
	    sign * (oh * 3600 + om * 60)) * 1000000 + frac;
	return 0;
}
