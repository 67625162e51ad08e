/* ISC licence: see COPYING.  Helpers of the console benchmarks. */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/clock.h"
#include "bench_gen.h"
#include "bench_ui.h"
#include "store/store.h"
#include "ui/backend.h"

/* The cache in dir, with BENCH_SESSION holding n events. */
struct store *
bench_cache_fill(const char *dir, long n)
{
	struct store	*st;
	char		*cause = NULL;

	setenv("XDG_CACHE_HOME", dir, 1);
	setenv("TZ", "UTC", 1);
	setlocale(LC_ALL, "C.UTF-8");
	if ((st = store_open(NULL, 0, &cause)) == NULL) {
		fprintf(stderr, "store: %s\n", cause);
		exit(1);
	}
	bench_gen_fill(st, BENCH_SESSION, n);
	return st;
}

/* Sort helper for percentiles (qsort). */
int
bench_cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Type a key name and draw the frame; returns milliseconds. */
double
bench_key(struct ui *ui, const char *key)
{
	char	*cause = NULL;
	int64_t	 t0 = clock_mono_us();

	if (ui_backend_text_type(ui_backend(ui), key, 0, &cause) != 0)
		exit(1);
	ui_drain(ui);
	ui_dirty(ui);
	ui_frame(ui);
	return (double)(clock_mono_us() - t0) / 1e3;
}

/* Print p50, p99 and max of v. */
void
bench_report(const char *what, double *v, size_t n)
{
	qsort(v, n, sizeof *v, bench_cmp);
	printf("%-36s p50 %.3f ms  p99 %.3f ms  max %.3f ms  (%zu)\n", what,
	    v[n / 2], v[n * 99 / 100], v[n - 1], n);
}
