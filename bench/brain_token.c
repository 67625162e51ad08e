/* ISC licence: see COPYING.  What one streamed token costs the harness. */

/*
 * bench/brain_token [TOKENS]: the brain overhead per streamed token,
 * parse and event emission, timed token by token.  A generated response
 * of TOKENS text deltas (default 100,000; word-sized, some multibyte) in
 * each protocol's exact wire format is fed to the brain's stream parser
 * one frame at a time, as curl hands frames over, with the real turn
 * assembler (turn_sink) as the sink: each delta becomes an event_delta
 * preview frame published to a session hub with one subscriber that asked
 * for previews (drained untimed every 256 tokens, as the HTTP server
 * would).  Reported: median, p90, p99 and mean in microseconds, for the
 * whole path and for the parser alone (a sink that does nothing).
 *
 * The stand-in server and curl are left out on purpose: they are the
 * network, not the brain.  bench/brain.sh measures the same thing end to
 * end (the harness's CPU time per token with pilothouse serve and the
 * stand-in) and the first-preview latency; "brain_token -w FILE TOKENS"
 * writes the Anthropic response it uses.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "harness/brain.h"
#include "harness/brain_anthropic.h"
#include "harness/brain_openai.h"
#include "harness/hub.h"
#include "harness/session.h"
#include "harness/turn.h"

#define BENCH_DRAIN	256

static const char *const words[] = { "The", " mean", " uses", " integer",
    " division", ";", " dividing", " by", " `(double)n`", " fixes", " it",
    ".", "\n", " Caf\xc3\xa9", " na\xc3\xafve", " \xe2\x86\x92", " 42",
    " tests", " pass", "," };

/* Monotonic nanoseconds: a token costs about a microsecond, so the
 * project's microsecond clock is too coarse here. */
static int64_t
bench_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Nothing: the parser alone. */
static int
bench_null_sink(void *arg, const struct brain_ev *ev)
{
	return 0;
}

/* A hub subscriber that is never parked for long. */
static void
bench_wake(void *arg)
{
}

/* Order nanosecond counts for the percentiles. */
static int
bench_cmp(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Frames of one response: the head, then one frame per token. */
static char **
bench_frames(int openai, size_t n, size_t *nframes)
{
	char	**f;
	size_t	 k = 0;

	f = xcalloc(n + 2, sizeof *f);
	if (openai)
		f[k++] = xstrdup("data: {\"choices\":[{\"finish_reason\":null,"
		    "\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":"
		    "null}}],\"created\":1763712000,\"id\":\"chatcmpl-Qk1xUq2X"
		    "h1t5m8ZcVb3J9nL0rT6yW4aE\",\"model\":\"qwen2.5-coder-7b\","
		    "\"system_fingerprint\":\"b6123-79e0b68c\",\"object\":"
		    "\"chat.completion.chunk\"}\n\n");
	else {
		f[k++] = xstrdup("event: message_start\ndata: {\"type\":"
		    "\"message_start\",\"message\":{\"id\":\"msg_01Lg1Lg2Lg3Lg4"
		    "Lg5Lg6Lg7L\",\"type\":\"message\",\"role\":\"assistant\","
		    "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],"
		    "\"stop_reason\":null,\"stop_sequence\":null,\"stop_details"
		    "\":null,\"container\":null,\"diagnostics\":null,\"usage\":"
		    "{\"input_tokens\":40,\"cache_creation_input_tokens\":0,"
		    "\"cache_read_input_tokens\":0,\"output_tokens\":1}}}\n\n");
		f[k++] = xstrdup("event: content_block_start\ndata: {\"type\":"
		    "\"content_block_start\",\"index\":0,\"content_block\":"
		    "{\"type\":\"text\",\"text\":\"\",\"citations\":null}}\n\n");
	}
	for (size_t i = 0; i < n; i++) {
		const char	*w = words[i % (sizeof words / sizeof words[0])];
		char		*esc = xstrdup(w), *p;

		if ((p = strchr(esc, '\n')) != NULL) {
			free(esc);
			esc = xstrdup("\\n");
		}
		if (openai)
			xasprintf(&f[k++], "data: {\"choices\":[{\"finish_reason"
			    "\":null,\"index\":0,\"delta\":{\"content\":\"%s\"}}],"
			    "\"created\":1763712000,\"id\":\"chatcmpl-Qk1xUq2Xh1t5"
			    "m8ZcVb3J9nL0rT6yW4aE\",\"model\":\"qwen2.5-coder-7b\","
			    "\"system_fingerprint\":\"b6123-79e0b68c\",\"object\":"
			    "\"chat.completion.chunk\"}\n\n", esc);
		else
			xasprintf(&f[k++], "event: content_block_delta\ndata: "
			    "{\"type\":\"content_block_delta\",\"index\":0,"
			    "\"delta\":{\"type\":\"text_delta\",\"text\":\"%s\"}}"
			    "\n\n", esc);
		free(esc);
		if (k >= n + 2)
			break;
	}
	*nframes = k;
	return f;
}

/* Time every token frame; the head frames are fed first, untimed. */
static void
bench_run(const char *what, int openai, int with_turn, size_t n)
{
	struct brain_anthropic_stream	*as = NULL;
	struct brain_openai_stream	*os = NULL;
	struct session			*s = NULL;
	struct hub			*hub = NULL;
	struct hub_sub			*sub = NULL;
	struct turn			 t;
	brain_sink			 sink;
	void				*arg;
	char				**frames, drain[65536];
	size_t				 nframes, head = openai ? 1 : 2, m = 0;
	int64_t				*ns, t0, sum = 0;

	frames = bench_frames(openai, n, &nframes);
	ns = xcalloc(nframes, sizeof *ns);
	if (with_turn) {
		s = xcalloc(1, sizeof *s);
		pthread_mutex_init(&s->lock, NULL);
		s->hub = hub = hub_create(64 * 1024 * 1024);
		sub = hub_subscribe(hub, HUB_PREVIEW_MESSAGE, bench_wake,
		    bench_wake, NULL);
		turn_init(&t, s, NULL, "/workspace");
		sink = turn_sink;
		arg = &t;
	} else {
		sink = bench_null_sink;
		arg = NULL;
	}
	if (openai)
		os = brain_openai_stream_create(sink, arg, 1000);
	else
		as = brain_anthropic_stream_create(sink, arg);
	for (size_t i = 0; i < nframes; i++) {
		size_t	len = strlen(frames[i]);
		int	rc;

		t0 = bench_ns();
		rc = openai ? brain_openai_stream_feed(os, frames[i], len) :
		    brain_anthropic_stream_feed(as, frames[i], len);
		if (i >= head)
			ns[m++] = bench_ns() - t0;
		if (rc != 0) {
			fprintf(stderr, "%s: the parser stopped at frame %zu\n",
			    what, i);
			exit(1);
		}
		if (sub != NULL && i % BENCH_DRAIN == 0)
			while (hub_sub_read(sub, drain, sizeof drain) > 0)
				continue;
	}
	for (size_t i = 0; i < m; i++)
		sum += ns[i];
	qsort(ns, m, sizeof *ns, bench_cmp);
	printf("%-22s %7zu tokens  median %5.2f us  p90 %5.2f  p99 %6.2f  "
	    "mean %5.2f\n", what, m, ns[m / 2] / 1e3, ns[m * 9 / 10] / 1e3,
	    ns[m * 99 / 100] / 1e3, (double)sum / (double)m / 1e3);
	brain_anthropic_stream_free(as);
	brain_openai_stream_free(os);
	if (with_turn) {
		turn_clear(&t);
		hub_unsubscribe(sub);
		hub_free(hub);
		pthread_mutex_destroy(&s->lock);
		free(s);
	}
	for (size_t i = 0; i < nframes; i++)
		free(frames[i]);
	free(frames);
	free(ns);
}

/* Write a whole Anthropic response of n tokens to path. */
static int
bench_write(const char *path, size_t n)
{
	static const char	 tail[] = "event: content_block_stop\ndata: "
	    "{\"type\":\"content_block_stop\",\"index\":0}\n\nevent: "
	    "message_delta\ndata: {\"type\":\"message_delta\",\"delta\":"
	    "{\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
	    "\"stop_details\":null,\"container\":null},\"usage\":{"
	    "\"output_tokens\":1}}\n\nevent: message_stop\ndata: {\"type\":"
	    "\"message_stop\"}\n\n";
	char			**frames;
	size_t			  nframes;
	FILE			 *f;

	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		return 1;
	}
	frames = bench_frames(0, n, &nframes);
	for (size_t i = 0; i < nframes; i++) {
		fputs(frames[i], f);
		free(frames[i]);
	}
	free(frames);
	fputs(tail, f);
	return fclose(f) != 0;
}

int
main(int argc, char **argv)
{
	size_t	n;

	if (argc == 4 && strcmp(argv[1], "-w") == 0)
		return bench_write(argv[2], strtoul(argv[3], NULL, 10));
	n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;

	bench_run("anthropic parse", 0, 0, n);
	bench_run("anthropic parse+emit", 0, 1, n);
	bench_run("openai parse", 1, 0, n);
	bench_run("openai parse+emit", 1, 1, n);
	return 0;
}
