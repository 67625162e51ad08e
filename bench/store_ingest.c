/* ISC licence: see COPYING.  Benchmark: durable ingest without the
 * network -- a generated SSE stream is framed (sse_parser), scanned
 * (api_event_parse) and queued to the store (store_event_put) in 16 KB
 * chunks, and the clock stops when store_flush() says every event is
 * committed.  Reports events/s and the process's peak RSS. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/xmalloc.h"
#include "store/store.h"
#include "wire/api_event.h"
#include "wire/sse_parser.h"
#include "bench_gen.h"

#define CHUNK	16384

struct ingest {
	struct store	*st;
	uint64_t	 n;
};

static int
on_frame(const struct sse_frame *f, void *arg)
{
	struct ingest		*in = arg;
	struct api_event	*ev;
	char			*cause = NULL;

	if (f->event == NULL || strcmp(f->event, "ping") == 0)
		return 0;
	if ((ev = api_event_parse(f->data, f->datalen, &cause)) == NULL)
		fatalx("%s", cause);
	if (store_event_put(in->st, "sesn_011Cbench00000000000000", ev) == 0)
		fatalx("not queued");
	api_event_free(ev);
	in->n++;
	return 0;
}

/* One run into a fresh file; returns events per second. */
static double
run(const char *stream, size_t len, const char *dir, uint64_t *n)
{
	struct ingest		 in;
	struct sse_parser	*sp;
	char			*path, *cause = NULL, *cmd;
	int64_t			 t0, dt;

	xasprintf(&path, "%s/cache.db", dir);
	xasprintf(&cmd, "rm -f '%s' '%s-wal' '%s-shm'", path, path, path);
	if (system(cmd) != 0)
		fatalx("rm");
	if ((in.st = store_open(path, 0, &cause)) == NULL)
		fatalx("%s", cause);
	in.n = 0;
	sp = sse_parser_create(SSE_DEFAULT_MAX_FRAME, on_frame, NULL, &in);
	t0 = clock_mono_us();
	for (size_t off = 0; off < len; off += CHUNK)
		if (sse_parser_feed(sp, stream + off,
		    AD_MIN(CHUNK, len - off)) != SSE_OK)
			fatalx("feed");
	if (store_flush(in.st, &cause) != 0)
		fatalx("%s", cause);
	dt = clock_mono_us() - t0;
	sse_parser_free(sp);
	store_close(in.st);
	if (system(cmd) != 0)
		fatalx("rm");
	free(cmd);
	free(path);
	*n = in.n;
	return (double)in.n / ((double)dt / 1e6);
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	struct bench_gen	 g;
	struct buf		 ev, sse;
	struct rusage		 ru;
	size_t			 n = 200000;
	char			 tmpl[] = "/tmp/ph-ingest.XXXXXX";
	double			 r[5];
	uint64_t		 got = 0;
	long			 base_kb;

	if (argc > 1)
		n = strtoul(argv[1], NULL, 10);
	if (mkdtemp(tmpl) == NULL)
		fatal("mkdtemp");
	bench_gen_init(&g, 11);
	buf_init(&ev, BUF_UNBOUNDED);
	buf_init(&sse, BUF_UNBOUNDED);
	for (size_t i = 0; i < n; i++) {
		const char	*t;
		size_t		 tl;

		bench_gen_next(&g, &ev);
		t = strstr(ev.data, "\"type\":\"") + 8;
		tl = (size_t)(strchr(t, '"') - t);
		if (buf_printf(&sse, "event: %.*s\ndata: %s\n\n", (int)tl, t,
		    ev.data) != 0)
			fatalx("buf");
	}
	buf_clear(&ev);
	getrusage(RUSAGE_SELF, &ru);
	base_kb = ru.ru_maxrss;
	printf("%zu events, %zu bytes of SSE (%.0f per event)\n", n, sse.len,
	    (double)sse.len / (double)n);
	for (size_t i = 0; i < AD_NITEMS(r); i++) {
		r[i] = run(sse.data, sse.len, tmpl, &got);
		printf("run %zu: %.0f events/s (%llu events)\n", i + 1, r[i],
		    (unsigned long long)got);
	}
	qsort(r, AD_NITEMS(r), sizeof r[0], cmp_double);
	getrusage(RUSAGE_SELF, &ru);
	printf("median %.0f events/s; peak RSS %.1f MB (%.1f MB of it the "
	    "generated stream)\n", r[AD_NITEMS(r) / 2],
	    (double)ru.ru_maxrss / 1024, (double)base_kb / 1024);
	buf_clear(&sse);
	rmdir(tmpl);
	return 0;
}
