/*
 * api_retry.h -- when and how long to wait before trying again.
 *
 * Requests follow the official SDK: retry 408, 409, 429, every 5xx and
 * connection failures, unless the server says otherwise with
 * x-should-retry; wait what retry-after-ms or retry-after asks, else
 * 0.5 s * 2^n capped at 8 s, less up to 25 % jitter.  Streams reconnect
 * forever with "full jitter" (a uniform wait in [0, min(cap, base*2^n)]),
 * which spreads 1,000 reconnecting streams instead of synchronising them.
 * Pure functions: the caller passes the clock and the random draw.
 */
#ifndef PILOTHOUSE_API_RETRY_H
#define PILOTHOUSE_API_RETRY_H

#include <stdint.h>

#define API_RETRY_DEFAULT	2	/* the SDK's maxRetries */

/*
 * Should a response with this HTTP status be retried?  x_should_retry is
 * the header's value or NULL; "true" and "false" override the status.
 */
int	 api_retry_status(long, const char *);
/*
 * The server's requested wait in milliseconds from retry-after-ms
 * (fractional ms) or, failing that, retry-after (seconds, or an HTTP date
 * compared with now_us, wall-clock microseconds).  -1 when absent,
 * unparseable, not positive or beyond 2^31-1 ms: the SDK then uses its
 * default backoff.
 */
int64_t	 api_retry_after(const char *, const char *, int64_t);
/* The SDK's default wait before retry number n+1 (n >= 0); u in [0, 1). */
int64_t	 api_retry_backoff(int, double);
/* Full jitter: u * min(cap, base * 2^n) milliseconds; u in [0, 1). */
int64_t	 api_retry_full_jitter(int, int64_t, int64_t, double);
/* Parse an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"); -1 on junk. */
int	 api_retry_http_date(const char *, int64_t *);
/* A uniform draw in [0, 1) from the kernel's randomness. */
double	 api_retry_uniform(void);

#endif
