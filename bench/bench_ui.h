/*
 * bench_ui.h -- what the console benchmarks share: a key typed on the
 * headless backend and timed to its frame, and percentiles.
 */
#ifndef PILOTHOUSE_BENCH_UI_H
#define PILOTHOUSE_BENCH_UI_H

#include <stddef.h>

#include "ui/ui.h"

/* Compare two doubles, for qsort. */
int	 bench_cmp(const void *, const void *);
/* Type a key name and draw the frame; returns milliseconds. */
double	 bench_key(struct ui *, const char *);
/* Print p50, p99 and max of v (sorted in place). */
void	 bench_report(const char *, double *, size_t);

#endif
