/* ISC licence: see COPYING.  Fuzz target for the Anthropic stream parser.
 *
 * The first input byte picks a chunk size; the rest is a response body.
 * Invariants: the events keep brain.h's contract (START first, blocks
 * contiguous and numbered from 0, deltas inside their block, nothing
 * after STOP), and they are the same whether the body is fed whole or
 * in the chosen chunks.
 */

#include "config.h"

#include <string.h>

#include "base/xmalloc.h"
#include "harness/brain.h"
#include "harness/brain_anthropic.h"
#include "brain_trace.h"
#include "fuzz.h"

/* Parse body in pieces of step bytes; the trace is returned. */
static char *
fuzz_anthropic_run(const char *body, size_t len, size_t step)
{
	struct brain_anthropic_stream	*st;
	struct brain_trace		 t;
	struct brain_result		 res;
	char				*out;
	size_t				 n;

	brain_trace_init(&t);
	st = brain_anthropic_stream_create(brain_trace_sink, &t);
	for (size_t off = 0; off < len; off += n) {
		n = AD_MIN(step, len - off);
		if (brain_anthropic_stream_feed(st, body + off, n) != 0)
			break;
	}
	if (brain_anthropic_stream_end(st, "fuzz", &res))
		brain_trace_result(&t, &res);
	if (t.violations != 0)
		fuzz_fail("%d breaches of the brain contract:\n%s",
		    t.violations, buf_cstr(&t.out));
	out = xstrdup(buf_cstr(&t.out));
	brain_trace_clear(&t);
	brain_anthropic_stream_free(st);
	return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*whole, *pieces;

	if (size < 1)
		return 0;
	whole = fuzz_anthropic_run((const char *)data + 1, size - 1, size);
	pieces = fuzz_anthropic_run((const char *)data + 1, size - 1,
	    (size_t)data[0] % 64 + 1);
	if (strcmp(whole, pieces) != 0)
		fuzz_fail("whole and in pieces differ:\n%s\n---\n%s", whole,
		    pieces);
	free(whole);
	free(pieces);
	return 0;
}
