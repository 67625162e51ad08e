/* ISC licence: see COPYING.  Benchmark: the event scan (api_event_parse)
 * against jansson's full parse, per event, on the bench_gen workload. */

#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/xmalloc.h"
#include "wire/api_event.h"
#include "bench_gen.h"

#define NEVENTS	20000

struct sample {
	char	*text;
	size_t	 len;
};

/* Best of five timings of one pass over every event, in microseconds. */
static double
run(struct sample *s, size_t n, int mode)
{
	double	 best = 1e30;
	char	*cause = NULL;

	for (int round = 0; round < 5; round++) {
		int64_t	t0 = clock_mono_us();

		for (size_t i = 0; i < n; i++) {
			struct api_event	*ev;
			struct api_event_view	 v;
			json_t			*j;
			json_error_t		 err;

			switch (mode) {
			case 0:
				ev = api_event_parse(s[i].text, s[i].len,
				    &cause);
				if (ev == NULL)
					fatalx("parse: %s", cause);
				api_event_free(ev);
				break;
			case 1:
				j = json_loadb(s[i].text, s[i].len,
				    JSON_ALLOW_NUL, &err);
				if (j == NULL)
					fatalx("jansson: %s", err.text);
				json_decref(j);
				break;
			default:
				ev = api_event_parse(s[i].text, s[i].len,
				    &cause);
				if (ev == NULL ||
				    api_event_view(ev, &v, &cause) != 0)
					fatalx("view: %s", cause);
				api_event_free(ev);
				break;
			}
		}
		double	dt = (double)(clock_mono_us() - t0);
		if (dt < best)
			best = dt;
	}
	return best;
}

int
main(int argc, char **argv)
{
	static const char	*names[] = {
		"api_event_parse (scan)", "jansson json_loadb (full tree)",
		"scan + tree + view"
	};
	struct bench_gen	 g;
	struct buf		 b;
	struct sample		*s;
	size_t			 total = 0;
	double			 us[3];

	bench_gen_init(&g, 42);
	buf_init(&b, BUF_UNBOUNDED);
	s = xcalloc(NEVENTS, sizeof *s);
	for (size_t i = 0; i < NEVENTS; i++) {
		bench_gen_next(&g, &b);
		s[i].text = xmemdup(b.data, b.len + 1);
		s[i].len = b.len;
		total += b.len;
	}
	buf_clear(&b);
	printf("%d events, %.0f bytes on average\n", NEVENTS,
	    (double)total / NEVENTS);
	for (int m = 0; m < 3; m++) {
		us[m] = run(s, NEVENTS, m);
		printf("%-32s %7.2f us/event %8.0f k events/s %7.0f MB/s\n",
		    names[m], us[m] / NEVENTS, NEVENTS / us[m] * 1e3,
		    (double)total / us[m]);
	}
	printf("scan is %.1fx faster than the full parse\n", us[1] / us[0]);
	for (size_t i = 0; i < NEVENTS; i++)
		free(s[i].text);
	free(s);
	return 0;
}
