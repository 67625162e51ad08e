/* ISC licence: see COPYING.  postmortem_fill: a big session for bench/postmortem.sh. */

/*
 * postmortem_fill PATH SESSION N: store N events of bench_gen's workload
 * (performance.md's shape) as one session in the cache at PATH, so that
 * bench/postmortem.sh can time pilothouse export on it.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "bench/bench_gen.h"
#include "store/store.h"
#include "wire/api_event.h"

/* Fill the cache. */
int
main(int argc, char **argv)
{
	struct bench_gen	 g;
	struct store		*st;
	struct api_event	*ev;
	struct buf		 b;
	char			*cause = NULL;
	long			 n;

	if (argc != 4 || (n = strtol(argv[3], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: postmortem_fill PATH SESSION N\n");
		return 2;
	}
	if ((st = store_open(argv[1], 0, &cause)) == NULL)
		fatalx("%s", cause);
	bench_gen_init(&g, 6);
	buf_init(&b, BUF_UNBOUNDED);
	for (long i = 0; i < n; i++) {
		bench_gen_next(&g, &b);
		if ((ev = api_event_parse(b.data, b.len, &cause)) == NULL)
			fatalx("event %ld: %s", i, cause);
		store_event_put(st, argv[2], ev);
		api_event_free(ev);
	}
	/* All of it: export reads the cache, never fetches. */
	store_sync_set_full(st, argv[2]);
	if (store_flush(st, &cause) != 0)
		fatalx("%s", cause);
	store_close(st);
	buf_clear(&b);
	return 0;
}
