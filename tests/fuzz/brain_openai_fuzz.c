/* ISC licence: see COPYING.  Fuzz target for the OpenAI chunk parser.
 *
 * The first input byte picks a chunk size; the rest is a response body.
 * Invariants: the events keep brain.h's contract (START first, blocks
 * contiguous and numbered from 0, deltas inside their block, nothing
 * after STOP), and they are the same whether the body is fed whole or
 * in the chosen chunks.  The body is also replayed as a whole
 * (unstreamed) answer, under the same contract.
 */

#include "config.h"

#include <string.h>

#include "base/xmalloc.h"
#include "harness/brain.h"
#include "harness/brain_openai.h"
#include "brain_trace.h"
#include "fuzz.h"

/* Parse body in pieces of step bytes; the trace is returned. */
static char *
fuzz_openai_run(const char *body, size_t len, size_t step)
{
	struct brain_openai_stream	*st;
	struct brain_trace		 t;
	struct brain_result		 res;
	char				*out;
	size_t				 n;

	brain_trace_init(&t);
	t.hide_ids = 1;		/* made-up ids differ run to run */
	st = brain_openai_stream_create(brain_trace_sink, &t, len);
	for (size_t off = 0; off < len; off += n) {
		n = AD_MIN(step, len - off);
		if (brain_openai_stream_feed(st, body + off, n) != 0)
			break;
	}
	if (brain_openai_stream_end(st, "fuzz", &res))
		brain_trace_result(&t, &res);
	if (t.violations != 0)
		fuzz_fail("%d breaches of the brain contract:\n%s",
		    t.violations, buf_cstr(&t.out));
	out = xstrdup(buf_cstr(&t.out));
	brain_trace_clear(&t);
	brain_openai_stream_free(st);
	return out;
}

/* Replay body as a whole answer. */
static void
fuzz_openai_whole(const char *body, size_t len)
{
	struct brain_openai_stream	*st;
	struct brain_trace		 t;
	struct brain_result		 res;

	brain_trace_init(&t);
	st = brain_openai_stream_create(brain_trace_sink, &t, len);
	(void)brain_openai_stream_message(st, body, len);
	if (brain_openai_stream_end(st, "fuzz", &res))
		brain_trace_result(&t, &res);
	if (t.violations != 0)
		fuzz_fail("%d breaches of the brain contract (whole):\n%s",
		    t.violations, buf_cstr(&t.out));
	brain_trace_clear(&t);
	brain_openai_stream_free(st);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*whole, *pieces;

	if (size < 1)
		return 0;
	whole = fuzz_openai_run((const char *)data + 1, size - 1, size);
	pieces = fuzz_openai_run((const char *)data + 1, size - 1,
	    (size_t)data[0] % 64 + 1);
	if (strcmp(whole, pieces) != 0)
		fuzz_fail("whole and in pieces differ:\n%s\n---\n%s", whole,
		    pieces);
	free(whole);
	free(pieces);
	fuzz_openai_whole((const char *)data + 1, size - 1);
	return 0;
}
