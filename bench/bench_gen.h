/*
 * bench_gen.h -- a deterministic Managed Agents event workload for the
 * benchmarks, shaped like performance.md's: 1.15 KB per event on average,
 * tool results of 100 B to 20 KB, messages of 50 to 2,000 characters,
 * spans and status changes, with escapes and non-ASCII text in strings.
 */
#ifndef PILOTHOUSE_BENCH_GEN_H
#define PILOTHOUSE_BENCH_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

struct bench_gen {
	uint64_t	 rng;		/* xorshift state */
	uint64_t	 n;		/* events made so far */
	int64_t		 t_us;		/* processed_at of the next event */
	char		 last_use[40];	/* id of the last tool use */
	char		 last_start[40];	/* id of the last span start */
};

void	 bench_gen_init(struct bench_gen *, uint64_t);
/* Append the next event's compact JSON to b (after resetting it). */
void	 bench_gen_next(struct bench_gen *, struct buf *);

struct store;
/* Write n events of session (seed 42) to the cache, unless it holds
 * that many already; exits on error. */
void	 bench_gen_fill(struct store *, const char *, long);

#endif
