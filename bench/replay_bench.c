/*
 * ISC licence: see COPYING.  Replay benchmarks (issue 6), figures in
 * bench/README.md:
 *
 *   replay_bench [-n EVENTS] DIR
 *
 * DIR holds the cache (XDG_CACHE_HOME); a session of EVENTS events
 * (default 1,000,000, bench_gen's workload, the same as console_bench)
 * is written to it on the first run and reused after.  Then, through the
 * real console host on the headless backend (120x40), as pilothouse
 * replay does it:
 *
 *   first    open to the first frame: at the first event, and with a
 *            deep link to the last event;
 *   index    the rest of the log indexed in the background;
 *   seek     keystroke -> frame for seeks (0-9, ], [, {, }, ., ,):
 *            before the reducer snapshots are built, and after;
 *   build    the time the background snapshot builder takes.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/loop.h"
#include "base/xmalloc.h"
#include "bench_gen.h"
#include "bench_ui.h"
#include "cli/console_host.h"
#include "store/store.h"
#include "ui/backend.h"
#include "ui/console.h"
#include "ui/console_int.h"
#include "ui/keymap.h"

/* A replay opened as pilothouse replay does; returns the first frame's
 * milliseconds. */
static double
bench_open(struct loop *loop, struct store *st, struct chost **hp,
    const char *event_id)
{
	struct ui_options	 uo;
	struct console_config	 cc;
	struct console_replay	 o = { event_id, 0, 0, 1 };
	struct chost		*h;
	char			*cause = NULL;
	int64_t			 t0 = clock_mono_us();

	memset(&uo, 0, sizeof uo);
	memset(&cc, 0, sizeof cc);
	uo.backend = "text";
	uo.theme = "default";
	uo.depth = THEME_DEPTH_16;
	uo.width = 120;
	uo.height = 40;
	uo.readonly = 1;
	cc.endpoint = "replay";
	cc.stall_ms = 120000;
	h = chost_create(loop, st, NULL);
	if (chost_open(h, &uo, keymap_create(), &cc, &cause) != 0 ||
	    chost_load_cache(h, BENCH_SESSION, 0, &cause) != 0 ||
	    chost_load_until(h, BENCH_SESSION, event_id, 1, &cause) != 0 ||
	    console_replay(chost_console(h), BENCH_SESSION, &o, &cause) != 0) {
		fprintf(stderr, "open: %s\n", cause);
		exit(1);
	}
	ui_dirty(console_ui(chost_console(h)));
	ui_frame(console_ui(chost_console(h)));
	*hp = h;
	return (double)(clock_mono_us() - t0) / 1e3;
}

/* Seeks of every kind, n of them; into v. */
static void
bench_seeks(struct ui *ui, double *v, size_t n)
{
	static const char	*keys[] = { "9", "]", "[", "3", "}", "7", "{",
	    ",", "1", "8", ".", "5", "]", "2", "6", "," };

	for (size_t i = 0; i < n; i++)
		v[i] = bench_key(ui, keys[i % AD_NITEMS(keys)]);
}

int
main(int argc, char **argv)
{
	struct store	*st;
	struct loop	*loop;
	struct chost	*h;
	struct ui	*ui;
	char		*cause = NULL, last[64];
	double		 v[400];
	long		 n = 1000000;
	int64_t		 t0;
	int		 ch;

	while ((ch = getopt(argc, argv, "n:")) != -1) {
		switch (ch) {
		case 'n':
			n = strtol(optarg, NULL, 10);
			break;
		default:
			goto usage;
		}
	}
	if (optind + 1 != argc)
		goto usage;
	st = bench_cache_fill(argv[optind], n);

	loop = loop_create();
	printf("first frame at the first event: %.1f ms\n",
	    bench_open(loop, st, &h, NULL));
	ui = console_ui(chost_console(h));
	t0 = clock_mono_us();
	if (chost_load_until(h, BENCH_SESSION, NULL, SIZE_MAX, &cause) != 0)
		exit(1);
	printf("index: the rest of the log in %.2f s\n",
	    (double)(clock_mono_us() - t0) / 1e6);
	bench_seeks(ui, v, 32);
	bench_report("seek -> frame, right after indexing", v, 32);
	t0 = clock_mono_us();
	while (chost_replay_ready(h, BENCH_SESSION) < (size_t)n)
		loop_once(loop, 10);
	printf("build: the rest of the snapshots of %ld events in %.2f s\n", n,
	    (double)(clock_mono_us() - t0) / 1e6);
	bench_seeks(ui, v, AD_NITEMS(v));
	bench_report("seek -> frame, snapshots built", v, AD_NITEMS(v));
	chost_free(h);

	/* The deep link to the last event. */
	{
		struct store_iter	*it;
		struct store_event	 e;

		it = store_iter_events(st, BENCH_SESSION, 0, NULL, 0, &cause);
		last[0] = '\0';
		while (it != NULL && store_iter_next(it, &e, &cause) == 1)
			snprintf(last, sizeof last, "%s", e.event_id);
		store_iter_free(it);
	}
	printf("first frame, deep link to the last event: %.1f ms\n",
	    bench_open(loop, st, &h, last));
	chost_free(h);
	loop_free(loop);
	store_close(st);
	return 0;
usage:
	fprintf(stderr, "usage: replay_bench [-n EVENTS] DIR\n");
	return 2;
}
