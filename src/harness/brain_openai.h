/*
 * brain_openai.h -- the brain for "local:ALIAS" models: any server that
 * speaks OpenAI's /v1/chat/completions with tool calls (llama.cpp's
 * llama-server, Ollama, vLLM), as configured in [brain.ALIAS]
 * (harness.md 5.5).
 *
 * The canonical conversation becomes chat messages (tool results as
 * role "tool" messages, thinking dropped), the tools become functions.
 * The streamed chunks are re-sequenced into the brain's contiguous
 * blocks: reasoning and text stream through as they come; tool calls,
 * whose fragments servers may interleave, send names late or send
 * without ids, are assembled by index and handed on whole when the
 * model finishes.  With stream_tools off (servers that cannot stream
 * tool calls) a request with tools is made without streaming and the
 * answer replayed as the same events.
 *
 * Quirks handled (doc/brains.md has the list): reasoning under
 * "reasoning_content" or "reasoning", or as a leading <think>...</think>
 * in the content; tool calls without an index (older Ollama), with the
 * arguments as an object instead of a string, or all in one chunk;
 * usage missing (estimated from sizes), in the finish chunk or in a
 * final chunk with no choices; a finish_reason of "stop" although tools
 * were called; an error object in the middle of the stream.
 */
#ifndef PILOTHOUSE_BRAIN_OPENAI_H
#define PILOTHOUSE_BRAIN_OPENAI_H

#include <stddef.h>

#include <jansson.h>

#include "base/compiler.h"
#include "harness/brain.h"

#define BRAIN_OPENAI_MAX_TOKENS		4096 /* unless configured */
#define BRAIN_OPENAI_MAX_RESPONSE	(64 * 1024 * 1024)

struct brain_openai_stream;

extern const struct brain_ops brain_openai_ops;

/* The brain for alias (the ALIAS of "local:ALIAS"); NULL with *cause
 * naming the config problem.  Free through brain_openai_ops. */
void	*brain_openai_create(const char *, const struct brain_env *,
	    char **);

/*
 * The JSON body of one request for the server's model name; max_tokens
 * 0 means the request's own value capped at BRAIN_OPENAI_MAX_TOKENS
 * (the harness asks for as much as Claude gives, more than a local
 * context may hold); stream 0 asks for one whole answer.  Returns a new
 * reference.
 */
json_t	*brain_openai_body(const struct brain_request *, const char *,
	    int, int);

/* A parser for one response; in_bytes (the request's size) feeds the
 * usage estimate when the server reports none.  Caller frees. */
struct brain_openai_stream *brain_openai_stream_create(brain_sink, void *,
	    size_t);
void	 brain_openai_stream_free(struct brain_openai_stream *);
/* Feed streamed body bytes; non-zero means stop reading (see _end). */
int	 brain_openai_stream_feed(struct brain_openai_stream *, const char *,
	    size_t);
/* Replay a whole (non-streamed) chat.completion answer as events. */
int	 brain_openai_stream_message(struct brain_openai_stream *,
	    const char *, size_t);
/*
 * How the response ended; non-zero when res was filled (finished,
 * failed or stopped by the sink), zero when it simply stopped early.
 */
int	 brain_openai_stream_end(struct brain_openai_stream *, const char *,
	    struct brain_result *);

#endif
