/*
 * bench_ui.h -- what the console benchmarks share: a cache filled with
 * one generated session, a key typed on the headless backend and timed
 * to its frame, and percentiles.
 */
#ifndef PILOTHOUSE_BENCH_UI_H
#define PILOTHOUSE_BENCH_UI_H

#include <stddef.h>

#include "ui/ui.h"

struct store;

/* The session the benchmarks fill and open. */
#define BENCH_SESSION	"sesn_011CBENCHbenchBENCHbench1"

/*
 * Point the cache at dir (UTC, C.UTF-8) and fill BENCH_SESSION with n
 * generated events; exits on failure.
 */
struct store	*bench_cache_fill(const char *, long);
/* Compare two doubles, for qsort. */
int	 bench_cmp(const void *, const void *);
/* Type a key name and draw the frame; returns milliseconds. */
double	 bench_key(struct ui *, const char *);
/* Print p50, p99 and max of v (sorted in place). */
void	 bench_report(const char *, double *, size_t);

#endif
