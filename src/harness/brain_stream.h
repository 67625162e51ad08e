/*
 * brain_stream.h -- what the brains' response parsers share.
 *
 * Both the Anthropic and the OpenAI parser read server-sent events (the
 * SSE parser lives here, frames over 8 MiB fail the response), feed a
 * brain sink, remember whether it asked them to stop or the response
 * failed (and why), decode JSON string fragments into a reused buffer,
 * and in the end turn the HTTP exchange and what they saw into the
 * brain's result.  Each parser
 * embeds a struct brain_stream (_init/_clear) and keeps its own
 * protocol state beside it.
 */
#ifndef PILOTHOUSE_BRAIN_STREAM_H
#define PILOTHOUSE_BRAIN_STREAM_H

#include <stddef.h>

#include "base/compiler.h"
#include "harness/brain.h"
#include "harness/brain_http.h"
#include "wire/json_scan.h"
#include "wire/sse_parser.h"

#define BRAIN_STREAM_MAX_FRAME	(8 * 1024 * 1024) /* one SSE frame */

struct brain_stream {
	struct sse_parser	*sse;
	brain_sink		 sink;
	void			*arg;	/* handed back to sink */
	int			 aborted;	/* the sink said stop */
	int			 failed; /* fail, retry and why hold why */
	enum brain_status	 fail;
	int			 fail_retry;
	char			 why[400];
	char			*scratch;	/* decoded fragments */
	size_t			 scratchsize;
};

/* frame (with frame_arg) gets each SSE frame of the body. */
void	 brain_stream_init(struct brain_stream *, brain_sink, void *,
	    sse_frame_cb, void *);
void	 brain_stream_clear(struct brain_stream *);
/* Feed body bytes; non-zero means stop reading (stopped or failed). */
int	 brain_stream_feed(struct brain_stream *, const char *, size_t);
/* Hand one event to the sink; -1 (and aborted set) when it says stop. */
int	 brain_stream_emit(struct brain_stream *, struct brain_ev *);
/* Record the first failure of the response; always returns -1. */
int	 brain_stream_fail(struct brain_stream *, enum brain_status, int,
	    const char *, ...) AD_PRINTFLIKE(4, 5);
/*
 * Decode a JSON string value (quotes included) into the scratch buffer:
 * its length, or -1 when it is not a string.  Borrowed; valid until the
 * next decode.
 */
long	 brain_stream_decode(struct brain_stream *,
	    const struct json_span *);
/*
 * How the response ended as far as the parser knows: cancelled when the
 * sink said stop, the recorded failure (its message led by who), BRAIN_OK
 * when finished.  Non-zero when res was filled; 0 when nothing went wrong
 * but the response did not finish.
 */
int	 brain_stream_end(struct brain_stream *, int, const char *,
	    struct brain_result *);
/*
 * The result of a whole request: an HTTP error or a cancel as
 * brain_http_result says, else what brain_stream_end says, else (a 2xx
 * body that stopped short) "WHO: the response from URL ended before
 * UNTIL", else a transport failure, its message ending with hint.
 */
void	 brain_stream_result(struct brain_stream *, int,
	    const struct brain_http_response *, const char *, const char *,
	    const char *, const char *, struct brain_result *);

#endif
