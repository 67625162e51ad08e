/* ISC licence: see COPYING.  Tests for the brains' stream parsers. */

/*
 * Every recorded response in tests/data/brains is fed to its parser
 * whole and in pieces of 1, 2, 7 and 100 bytes; the events must be the
 * same each time, follow brain.h's contract, and match the expected
 * trace next to the recording (NAME.trace).  Set BRAIN_TRACE_WRITE=1 to
 * write the traces afresh (then read every diff before committing).
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/io.h"
#include "base/xmalloc.h"
#include "harness/brain.h"
#include "harness/brain_anthropic.h"
#include "harness/brain_openai.h"
#include "harness/brain_stream.h"
#include "brain_trace.h"
#include "tap.h"

#define DATA	PH_SRCDIR "/tests/data/brains/"

enum kind { ANTHROPIC, OPENAI, OPENAI_WHOLE };

static char *
slurp(const char *path, size_t *len)
{
	struct buf	 b;
	char		*cause = NULL;

	buf_init(&b, 64 * 1024 * 1024);
	if (io_read_file(path, b.max, &b, &cause) != 0) {
		printf("Bail out! %s\n", cause);
		exit(1);
	}
	return buf_steal(&b, len);
}

/* Run one response through a parser in pieces of step bytes. */
static char *
run(enum kind k, const char *body, size_t len, size_t step, int abort_after,
    int *violations)
{
	struct brain_anthropic_stream	*as = NULL;
	struct brain_openai_stream	*os = NULL;
	struct brain_trace		 t;
	struct brain_result		 res;
	size_t				 off, n;
	int				 stop = 0, ended;
	char				*out;

	brain_trace_init(&t);
	t.abort_after = abort_after;
	if (k == ANTHROPIC)
		as = brain_anthropic_stream_create(brain_trace_sink, &t);
	else
		os = brain_openai_stream_create(brain_trace_sink, &t, 4000);
	if (k == OPENAI_WHOLE)
		(void)brain_openai_stream_message(os, body, len);
	else {
		for (off = 0; off < len && !stop; off += n) {
			n = AD_MIN(step, len - off);
			stop = k == ANTHROPIC ?
			    brain_anthropic_stream_feed(as, body + off, n) :
			    brain_openai_stream_feed(os, body + off, n);
		}
	}
	ended = k == ANTHROPIC ? brain_anthropic_stream_end(as, "test", &res) :
	    brain_openai_stream_end(os, "test", &res);
	if (ended)
		brain_trace_result(&t, &res);
	else if (buf_puts(&t.out, "result incomplete\n") != 0)
		abort();
	if (ended && res.status != BRAIN_OK && res.status != BRAIN_CANCELLED &&
	    buf_printf(&t.out, "message %s\n", res.message) != 0)
		abort();
	*violations = t.violations;
	out = xstrdup(buf_cstr(&t.out));
	brain_trace_clear(&t);
	brain_anthropic_stream_free(as);
	brain_openai_stream_free(os);
	return out;
}

/* Check one recording against its trace, split every which way. */
static void
check(enum kind k, const char *name)
{
	static const size_t	 steps[] = { 1, 2, 7, 100 };
	char			*path, *body, *want, *whole, *got;
	size_t			 len, wlen;
	int			 v, same = 1, clean;

	xasprintf(&path, DATA "%s", name);
	body = slurp(path, &len);
	free(path);
	whole = run(k, body, len, len + 1, 0, &v);
	clean = v == 0;
	if (k != OPENAI_WHOLE) {
		for (size_t i = 0; i < AD_NITEMS(steps); i++) {
			got = run(k, body, len, steps[i], 0, &v);
			if (strcmp(got, whole) != 0) {
				same = 0;
				diag("%zu-byte pieces gave:\n%s", steps[i],
				    got);
			}
			clean = clean && v == 0;
			free(got);
		}
		ok(same, "%s: the same events however the bytes are split",
		    name);
	}
	ok(clean, "%s: events follow the brain contract", name);

	xasprintf(&path, DATA "%.*s.trace", (int)(strrchr(name, '.') - name),
	    name);
	if (getenv("BRAIN_TRACE_WRITE") != NULL) {
		char	*cause = NULL;

		if (io_write_file(path, whole, strlen(whole), &cause) != 0)
			diag("%s", cause);
	}
	want = slurp(path, &wlen);
	is_str(whole, want, "%s: the expected events", name);
	free(want);
	free(path);
	free(whole);
	free(body);
}

/* A sink that stops the request stops the parser at once. */
static void
check_abort(enum kind k, const char *name, int after)
{
	char	*path, *body, *got;
	size_t	 len;
	int	 v;

	xasprintf(&path, DATA "%s", name);
	body = slurp(path, &len);
	got = run(k, body, len, 5, after, &v);
	ok(strstr(got, "result cancelled\n") != NULL,
	    "%s: a sink that says stop cancels the request", name);
	free(got);
	free(body);
	free(path);
}

/* A body cut short is not a finished answer. */
static void
check_truncated(enum kind k, const char *name)
{
	char	*path, *body, *got;
	size_t	 len;
	int	 v;

	xasprintf(&path, DATA "%s", name);
	body = slurp(path, &len);
	got = run(k, body, len / 2, 64, 0, &v);
	ok(strstr(got, "result incomplete\n") != NULL && v == 0,
	    "%s: cut in half, the answer is incomplete", name);
	free(got);
	free(body);
	free(path);
}

/* An event over the 8 MiB frame ceiling fails the response, retryable. */
static void
check_toobig(enum kind k)
{
	struct buf	 b;
	char		*got;
	int		 v;

	buf_init(&b, BUF_UNBOUNDED);
	if (buf_puts(&b, k == ANTHROPIC ? "event: message_start\ndata: "
	    "{\"type\":\"message_start\",\"message\":{\"usage\":{}}}\n\n"
	    "event: content_block_delta\ndata: " : "data: ") != 0)
		abort();
	for (size_t i = 0; i < BRAIN_STREAM_MAX_FRAME / 64 + 1; i++)
		if (buf_puts(&b, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxxxxxxx") != 0)
			abort();
	if (buf_puts(&b, "\n\n") != 0)
		abort();
	got = run(k, b.data, b.len, 65536, 0, &v);
	ok(strstr(got, "result protocol retryable\n") != NULL &&
	    strstr(got, "an event of more than") != NULL,
	    "%s: an event over the frame ceiling fails the response",
	    k == ANTHROPIC ? "anthropic" : "openai");
	free(got);
	buf_clear(&b);
}

int
main(void)
{
	check(ANTHROPIC, "anthropic-tool-use/1.sse");
	check(ANTHROPIC, "anthropic-tool-use/2.sse");
	check(ANTHROPIC, "anthropic-parallel/1.sse");
	check(ANTHROPIC, "anthropic-malformed/1.sse");
	check(ANTHROPIC, "anthropic-overloaded/1.sse");
	check(ANTHROPIC, "anthropic-refusal/1.sse");
	check(ANTHROPIC, "anthropic-thinking/1.sse");
	check(ANTHROPIC, "anthropic-long/1.sse");
	check_abort(ANTHROPIC, "anthropic-tool-use/1.sse", 3);
	check_truncated(ANTHROPIC, "anthropic-long/1.sse");

	check(OPENAI, "openai-tool-use/1.sse");
	check(OPENAI, "openai-tool-use/2.sse");
	check(OPENAI, "openai-parallel/1.sse");
	check(OPENAI, "openai-ollama/1.sse");
	check(OPENAI, "openai-ollama/noindex.sse");
	check(OPENAI, "openai-reasoning/think-tags.sse");
	check(OPENAI, "openai-reasoning/reasoning-content.sse");
	check(OPENAI, "openai-malformed/1.sse");
	check(OPENAI, "openai-midstream-error/1.sse");
	check(OPENAI, "openai-long/1.sse");
	check(OPENAI_WHOLE, "openai-whole/1.json");
	check(OPENAI_WHOLE, "openai-whole/2.json");
	check_abort(OPENAI, "openai-tool-use/1.sse", 3);
	check_truncated(OPENAI, "openai-long/1.sse");
	check_toobig(ANTHROPIC);
	check_toobig(OPENAI);
	return done_testing();
}
