/* ISC licence: see COPYING.  Benchmark: the session reducer (model_apply)
 * folded over a generated log of N events (default 1,000,000). */

/*
 * The log is bench_gen's workload, made and scanned (api_event_parse) in
 * chunks so a million 1.15 KB events never sit in memory at once.  Only
 * model_apply is timed for the fold figure; the load figure adds the
 * scan, which is what the console pays per event read from the cache.
 * Usage: model_fold [EVENTS]
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/xmalloc.h"
#include "model/session.h"
#include "wire/api_event.h"
#include "bench_gen.h"

#define CHUNK	8192

int
main(int argc, char **argv)
{
	static struct api_event	*evs[CHUNK];
	struct model_session	 s;
	struct bench_gen	 g;
	struct buf		 b;
	char			*cause = NULL;
	long			 n = 1000000, done = 0, k;
	int64_t			 t0, fold_us = 0, scan_us = 0;

	if (argc > 1 && (n = strtol(argv[1], NULL, 10)) <= 0)
		fatalx("usage: model_fold [EVENTS]");
	bench_gen_init(&g, 42);
	buf_init(&b, 1 << 20);
	model_state_init(&s);
	while (done < n) {
		k = n - done < CHUNK ? n - done : CHUNK;
		for (long i = 0; i < k; i++) {
			bench_gen_next(&g, &b);
			t0 = clock_mono_us();
			evs[i] = api_event_parse(b.data, b.len, &cause);
			scan_us += clock_mono_us() - t0;
			if (evs[i] == NULL)
				fatalx("parse: %s", cause);
		}
		t0 = clock_mono_us();
		for (long i = 0; i < k; i++)
			model_apply(&s, evs[i]);
		fold_us += clock_mono_us() - t0;
		for (long i = 0; i < k; i++)
			api_event_free(evs[i]);
		done += k;
	}
	printf("events %ld: fold %.3f s (%.3f us/event), scan + fold "
	    "%.3f s (%.3f us/event)\n", n, fold_us / 1e6,
	    (double)fold_us / n, (fold_us + scan_us) / 1e6,
	    (double)(fold_us + scan_us) / n);
	printf("state: %lld events, %lld tool uses, %lld errors, %zu tools, "
	    "%lld+%lld tokens\n", (long long)s.nevents,
	    (long long)s.tool_uses, (long long)s.tool_errors, s.ntools,
	    (long long)s.spans.input_tokens,
	    (long long)s.spans.output_tokens);
	model_state_clear(&s);
	buf_clear(&b);
	return 0;
}
