/* ISC licence: see COPYING.  Tests for wire/api_retry: SDK retry rules. */

#include "config.h"

#include "tap.h"
#include "wire/api_retry.h"

int
main(void)
{
	/* now: 2023-11-14T22:13:20Z */
	int64_t	us, now = 1700000000LL * 1000000;
	double	u;

	/* Which statuses retry, and x-should-retry overriding them. */
	ok(api_retry_status(408, NULL), "408 retries");
	ok(api_retry_status(409, NULL), "409 retries");
	ok(api_retry_status(429, NULL), "429 retries");
	ok(api_retry_status(500, NULL) && api_retry_status(529, NULL),
	    "5xx retries");
	ok(!api_retry_status(400, NULL) && !api_retry_status(404, NULL) &&
	    !api_retry_status(401, NULL), "other 4xx do not");
	ok(api_retry_status(400, "true"), "x-should-retry: true wins");
	ok(!api_retry_status(503, "false"), "x-should-retry: false wins");
	ok(api_retry_status(503, "maybe"), "other values are ignored");

	/* retry-after-ms first, then retry-after, else -1. */
	is_int(api_retry_after("250", "9", now), 250, "retry-after-ms");
	is_int(api_retry_after("12.2", NULL, now), 13, "ms round up");
	is_int(api_retry_after(NULL, "2", now), 2000, "retry-after seconds");
	is_int(api_retry_after(NULL, "0.5", now), 500, "fractional seconds");
	is_int(api_retry_after("0", "3", now), 3000,
	    "a zero retry-after-ms falls through, as in the SDK");
	is_int(api_retry_after("-5", "3", now), -1,
	    "a negative retry-after-ms means the default");
	is_int(api_retry_after(NULL, "Tue, 14 Nov 2023 22:13:25 GMT", now),
	    5000, "retry-after as an HTTP date");
	is_int(api_retry_after(NULL, "Tue, 14 Nov 2023 22:13:00 GMT", now),
	    -1, "a date in the past means the default");
	is_int(api_retry_after(NULL, "soon", now), -1, "junk: the default");
	is_int(api_retry_after(NULL, "3000000", now), -1,
	    "more than a timer can hold means the default");
	is_int(api_retry_after(NULL, NULL, now), -1, "no header");

	ok(api_retry_http_date("Sun, 06 Nov 1994 08:49:37 GMT", &us) == 0 &&
	    us == 784111777LL * 1000000, "RFC 9110's example date");
	ok(api_retry_http_date("Thu, 29 Feb 2024 00:00:00 GMT", &us) == 0 &&
	    us == 1709164800LL * 1000000, "a leap day");
	ok(api_retry_http_date("Sun, 06 Nov 1994 08:49:37 UTC", &us) == -1,
	    "only GMT");
	ok(api_retry_http_date("Sun, 06 Foo 1994 08:49:37 GMT", &us) == -1,
	    "a bad month");
	ok(api_retry_http_date("Sun, 06 Nov 1994 08:49:37 GMT x", &us) == -1,
	    "trailing junk");

	/* The SDK's backoff: 0.5 s * 2^n, capped at 8 s, minus <= 25 %. */
	is_int(api_retry_backoff(0, 0.0), 500, "first retry: 0.5 s");
	is_int(api_retry_backoff(1, 0.0), 1000, "second: 1 s");
	is_int(api_retry_backoff(4, 0.0), 8000, "fifth: 8 s");
	is_int(api_retry_backoff(9, 0.0), 8000, "capped at 8 s");
	is_int(api_retry_backoff(0, 0.999999), 375, "jitter takes <= 25 %%");

	/* Full jitter: uniform under min(cap, base * 2^n). */
	is_int(api_retry_full_jitter(0, 500, 30000, 0.5), 250, "n=0");
	is_int(api_retry_full_jitter(3, 500, 30000, 0.5), 2000, "n=3");
	is_int(api_retry_full_jitter(10, 500, 30000, 0.5), 15000, "capped");
	is_int(api_retry_full_jitter(60, 500, 30000, 0.0), 0,
	    "can be zero, and n is not an overflow");
	for (int i = 0; i < 1000; i++) {
		u = api_retry_uniform();
		if (u < 0.0 || u >= 1.0)
			break;
		if (i == 999)
			ok(1, "uniform draws stay in [0, 1)");
	}
	return done_testing();
}
