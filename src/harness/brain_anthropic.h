/*
 * brain_anthropic.h -- the brain for "claude-..." models: Anthropic's
 * Messages API, streamed (harness.md 5.4).
 *
 * A request carries the agent's system prompt and tools as prompt-cache
 * breakpoints, the canonical conversation with the harness's private
 * keys dropped, thinking blocks and their signatures exactly as they
 * came, and tool_choice auto.  The response's server-sent events are
 * turned into brain events as they arrive: text, thinking and signature
 * deltas, tool input JSON fragments, the stop reason and the usage.
 *
 * The body builder and the stream parser are exposed so the tests, the
 * fuzz target and the benchmark drive exactly the code the brain runs.
 */
#ifndef PILOTHOUSE_BRAIN_ANTHROPIC_H
#define PILOTHOUSE_BRAIN_ANTHROPIC_H

#include <stddef.h>

#include <jansson.h>

#include "base/compiler.h"
#include "harness/brain.h"

/* as the SDK sends */
#define BRAIN_ANTHROPIC_VERSION		"2026-10-21"
#define BRAIN_ANTHROPIC_MAX_TOKENS	16000

struct brain_anthropic_stream;

extern const struct brain_ops brain_anthropic_ops;

/* The brain for model (a "claude-..." string); NULL with *cause when
 * the configuration is wrong.  Free through brain_anthropic_ops. */
void	*brain_anthropic_create(const char *, const struct brain_env *,
	    char **);

/* The JSON body of one request; max_tokens 0 means the request's own
 * value or the default.  Returns a new reference. */
json_t	*brain_anthropic_body(const struct brain_request *, int);

/* A parser for one response body; events go to sink.  Caller frees. */
struct brain_anthropic_stream *brain_anthropic_stream_create(brain_sink,
	    void *);
void	 brain_anthropic_stream_free(struct brain_anthropic_stream *);
/*
 * Feed body bytes as they arrive.  Non-zero means stop reading: the
 * sink asked to stop, or the stream failed (an error event, a malformed
 * event); brain_anthropic_stream_end says which.
 */
int	 brain_anthropic_stream_feed(struct brain_anthropic_stream *,
	    const char *, size_t);
/*
 * How the response ended: BRAIN_OK only after message_stop; a stream
 * cut short, an error event or a broken event give the matching failure
 * (who names the brain in the message).  Non-zero when res was filled,
 * zero when the stream saw nothing wrong but did not finish.
 */
int	 brain_anthropic_stream_end(struct brain_anthropic_stream *,
	    const char *, struct brain_result *);

#endif
