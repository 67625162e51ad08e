/* ISC licence: see COPYING.  A deterministic event workload for benches. */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/xmalloc.h"
#include "bench_gen.h"
#include "store/store.h"
#include "wire/api_event.h"

/* Words for text: ASCII, an escape-worthy quote and newline, UTF-8. */
static const char	*bench_words[] = {
	"the", "test", "invoice", "customer", "time", "zone", "fails",
	"because", "\\\"quoted\\\"", "line\\n", "r\xc3\xa9sum\xc3\xa9",
	"\xe6\x97\xa5\xe6\x9c\xac", "pnpm", "vitest", "src/billing/a.ts:41",
	"\\t", "OK", "--", "\xe2\x9c\x93", "function", "return", "{}",
};

/* xorshift64*. */
static uint64_t
bench_rand(struct bench_gen *g)
{
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return g->rng * 2685821657736338717ULL;
}

/* Start a workload with the given seed. */
void
bench_gen_init(struct bench_gen *g, uint64_t seed)
{
	memset(g, 0, sizeof *g);
	g->rng = seed * 2 + 1;
	g->t_us = 1795096931000000LL;	/* 2026-11-19T14:02:11Z */
	strncpy(g->last_use, "sevt_011C0000000000000000000",
	    sizeof g->last_use);
	strncpy(g->last_start, g->last_use, sizeof g->last_start);
}

/* Append about len bytes of text (inside a JSON string). */
static void
bench_text(struct bench_gen *g, struct buf *b, size_t len)
{
	size_t	start = b->len;

	while (b->len - start < len) {
		if (buf_puts(b, bench_words[bench_rand(g) %
		    AD_NITEMS(bench_words)]) != 0 || buf_putc(b, ' ') != 0)
			abort();
	}
}

/* An event id from the counter (unique, 24 characters after sevt_). */
static void
bench_id(struct bench_gen *g, char *out, size_t size)
{
	snprintf(out, size, "sevt_011C%020llu", (unsigned long long)g->n);
}

/* A size spread log-uniformly over [lo, hi]. */
static size_t
bench_loguniform(struct bench_gen *g, double lo, double hi)
{
	double	u = (double)(bench_rand(g) >> 11) / 9007199254740992.0;

	return (size_t)(lo * exp(u * log(hi / lo)));
}

/* Produce the next event. */
void
bench_gen_next(struct bench_gen *g, struct buf *b)
{
	char	id[40], ts[CLOCK_RFC3339_LEN];
	int	r;

	buf_reset(b);
	bench_id(g, id, sizeof id);
	g->n++;
	g->t_us += 1000 + (int64_t)(bench_rand(g) % 50000);
	clock_format(g->t_us, 6, ts, sizeof ts);
	r = (int)(bench_rand(g) % 100);
#define P(...)	do { if (buf_printf(b, __VA_ARGS__) != 0) abort(); } while (0)
	if (r < 20) {
		P("{\"type\":\"agent.tool_result\",\"id\":\"%s\","
		    "\"processed_at\":\"%s\",\"tool_use_id\":\"%s\","
		    "\"content\":[{\"type\":\"text\",\"text\":\"", id, ts,
		    g->last_use);
		bench_text(g, b, bench_loguniform(g, 100, 20000));
		P("\"}],\"is_error\":%s}", r < 2 ? "true" : "false");
	} else if (r < 40) {
		P("{\"type\":\"agent.message\",\"id\":\"%s\","
		    "\"processed_at\":\"%s\",\"content\":[{\"type\":\"text\","
		    "\"text\":\"", id, ts);
		bench_text(g, b, 50 + bench_rand(g) % 1950);
		P("\"}]}");
	} else if (r < 55) {
		P("{\"type\":\"agent.tool_use\",\"id\":\"%s\",\"processed_at\":"
		    "\"%s\",\"name\":\"bash\",\"input\":{\"command\":\"cd "
		    "/workspace/acme-api && pnpm test --reporter=dot 2>&1 | "
		    "tail -n %d\"},\"evaluated_permission\":\"allow\","
		    "\"evaluation\":{\"type\":\"always_allow\"}}", id, ts,
		    (int)(bench_rand(g) % 100));
		strncpy(g->last_use, id, sizeof g->last_use);
	} else if (r < 68) {
		P("{\"type\":\"span.model_request_start\",\"id\":\"%s\","
		    "\"processed_at\":\"%s\"}", id, ts);
		strncpy(g->last_start, id, sizeof g->last_start);
	} else if (r < 81) {
		P("{\"type\":\"span.model_request_end\",\"id\":\"%s\","
		    "\"processed_at\":\"%s\",\"model_request_start_id\":\"%s\","
		    "\"is_error\":false,\"model_usage\":{\"input_tokens\":%d,"
		    "\"output_tokens\":%d,\"cache_creation_input_tokens\":%d,"
		    "\"cache_read_input_tokens\":%d}}", id, ts, g->last_start,
		    (int)(bench_rand(g) % 5000), (int)(bench_rand(g) % 500),
		    (int)(bench_rand(g) % 3000), (int)(bench_rand(g) % 9000));
	} else if (r < 88) {
		P("{\"type\":\"agent.thinking\",\"id\":\"%s\",\"processed_at\":"
		    "\"%s\"}", id, ts);
	} else if (r < 94) {
		P("{\"type\":\"session.status_running\",\"id\":\"%s\","
		    "\"processed_at\":\"%s\"}", id, ts);
	} else {
		P("{\"type\":\"session.status_idle\",\"id\":\"%s\","
		    "\"processed_at\":\"%s\",\"stop_reason\":{\"type\":"
		    "\"end_turn\"},\"stop_details\":null}", id, ts);
	}
#undef P
}

/* Write n events of one session to the cache (if not there already). */
void
bench_gen_fill(struct store *st, const char *session, long n)
{
	struct bench_gen	 g;
	struct api_event	*ev;
	struct buf		 b;
	char			*cause = NULL, *obj;
	int64_t			 have, t0 = clock_mono_us();

	have = store_events_count(st, session, NULL, &cause);
	if (have >= n) {
		printf("cache: %lld events already there\n", (long long)have);
		return;
	}
	xasprintf(&obj, "{\"type\":\"session\",\"id\":\"%s\",\"title\":"
	    "\"benchmark\",\"status\":\"running\",\"agent\":{\"type\":"
	    "\"agent\",\"id\":\"agent_bench\",\"name\":\"bench\",\"model\":"
	    "\"claude-opus-4-8\",\"version\":1},\"environment_id\":\"env_b\","
	    "\"created_at\":\"2026-11-19T14:00:00Z\",\"updated_at\":"
	    "\"2026-11-19T14:00:00Z\"}", session);
	(void)store_session_put(st, obj, strlen(obj), &cause);
	free(obj);
	bench_gen_init(&g, 42);
	buf_init(&b, BUF_UNBOUNDED);
	for (long i = 0; i < n; i++) {
		bench_gen_next(&g, &b);
		if ((ev = api_event_parse(b.data, b.len, &cause)) == NULL) {
			fprintf(stderr, "gen: %s\n", cause);
			exit(1);
		}
		(void)store_event_put(st, session, ev);
		api_event_free(ev);
	}
	buf_clear(&b);
	if (store_flush(st, &cause) != 0) {
		fprintf(stderr, "flush: %s\n", cause);
		exit(1);
	}
	printf("cache: wrote %ld events in %.1f s\n", n,
	    (double)(clock_mono_us() - t0) / 1e6);
}
