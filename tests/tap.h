/*
 * tap.h -- a tiny Test Anything Protocol producer for the C tests.
 *
 * Each test program includes this once.  ok()/is_*() print one "ok N" or
 * "not ok N" line with the location of a failure as a diagnostic;
 * done_testing() prints the plan and returns the exit status.  A test
 * that cannot run here calls tap_skip_all("why").
 */
#ifndef PILOTHOUSE_TAP_H
#define PILOTHOUSE_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	tap_count;
static int	tap_failures;

static void	tap_vresult(int, const char *, int, const char *, va_list)
		    __attribute__((format(printf, 4, 0)));

/* Print a diagnostic line ("# ..."). */
static __attribute__((format(printf, 1, 2), unused)) void
diag(const char *fmt, ...)
{
	va_list	ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

/* Record one result. */
static void
tap_vresult(int pass, const char *file, int line, const char *fmt, va_list ap)
{
	tap_count++;
	if (!pass)
		tap_failures++;
	printf("%sok %d - ", pass ? "" : "not ", tap_count);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	if (!pass)
		printf("#   failed at %s:%d\n", file, line);
	fflush(stdout);
}

static __attribute__((format(printf, 4, 5), unused)) int
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	tap_vresult(pass, file, line, fmt, ap);
	va_end(ap);
	return pass;
}

#define ok(cond, ...)	tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_int(got, want, ...) do {					\
	long long	tap_g = (long long)(got), tap_w = (long long)(want); \
	if (!tap_ok(tap_g == tap_w, __FILE__, __LINE__, __VA_ARGS__))	\
		diag("  got %lld, want %lld", tap_g, tap_w);		\
} while (0)

#define is_str(got, want, ...) do {					\
	const char	*tap_g = (got), *tap_w = (want);		\
	int		 tap_p = (tap_g == NULL && tap_w == NULL) ||	\
	    (tap_g != NULL && tap_w != NULL && strcmp(tap_g, tap_w) == 0); \
	if (!tap_ok(tap_p, __FILE__, __LINE__, __VA_ARGS__))		\
		diag("  got \"%s\", want \"%s\"",			\
		    tap_g ? tap_g : "(null)", tap_w ? tap_w : "(null)"); \
} while (0)

#define is_mem(got, glen, want, wlen, ...) do {				\
	size_t	tap_gl = (glen), tap_wl = (wlen);			\
	int	tap_p = tap_gl == tap_wl &&				\
	    memcmp((got), (want), tap_gl) == 0;				\
	if (!tap_ok(tap_p, __FILE__, __LINE__, __VA_ARGS__))		\
		diag("  got %zu bytes, want %zu bytes", tap_gl, tap_wl); \
} while (0)

/* Skip the whole program (prints the plan "1..0 # SKIP why"). */
static __attribute__((noreturn, unused)) void
tap_skip_all(const char *why)
{
	printf("1..0 # SKIP %s\n", why);
	exit(0);
}

/* Record n skipped results. */
static __attribute__((unused)) void
tap_skip(int n, const char *why)
{
	for (int i = 0; i < n; i++)
		printf("ok %d # SKIP %s\n", ++tap_count, why);
}

/* Print the plan; use as "return done_testing();" */
static __attribute__((unused)) int
done_testing(void)
{
	printf("1..%d\n", tap_count);
	return tap_failures ? 1 : 0;
}

#endif
