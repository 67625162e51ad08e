/* ISC licence: see COPYING.  What the brains' response parsers share. */

#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/xmalloc.h"
#include "harness/brain_stream.h"

static void	brain_stream_toobig(enum sse_status, size_t, void *);

/* Start with nothing seen. */
void
brain_stream_init(struct brain_stream *bs, brain_sink sink, void *arg,
    sse_frame_cb frame, void *frame_arg)
{
	memset(bs, 0, sizeof *bs);
	bs->sink = sink;
	bs->arg = arg;
	bs->sse = sse_parser_create(BRAIN_STREAM_MAX_FRAME, frame,
	    brain_stream_toobig, frame_arg);
}

/* Release the parser and the scratch buffer. */
void
brain_stream_clear(struct brain_stream *bs)
{
	sse_parser_free(bs->sse);
	free(bs->scratch);
	memset(bs, 0, sizeof *bs);
}

/*
 * A frame over the ceiling breaks the stream: nothing sane is that big.
 * The parser hands the frame's owner as arg, whose first member is the
 * struct brain_stream.
 */
static void
brain_stream_toobig(enum sse_status why, size_t len, void *arg)
{
	brain_stream_fail(arg, BRAIN_E_PROTOCOL, 1, "the model server sent "
	    "an event of more than %zu bytes", len);
}

/* Feed body bytes to the SSE parser. */
int
brain_stream_feed(struct brain_stream *bs, const char *p, size_t len)
{
	if (bs->failed || bs->aborted)
		return -1;
	if (sse_parser_feed(bs->sse, p, len) != SSE_OK)
		return -1;
	return bs->failed || bs->aborted ? -1 : 0;
}

/* Hand one event to the sink. */
int
brain_stream_emit(struct brain_stream *bs, struct brain_ev *ev)
{
	if (bs->sink(bs->arg, ev) != 0) {
		bs->aborted = 1;
		return -1;
	}
	return 0;
}

/* Keep the first failure. */
int
brain_stream_fail(struct brain_stream *bs, enum brain_status status,
    int retryable, const char *fmt, ...)
{
	va_list	ap;

	if (bs->failed)
		return -1;
	bs->failed = 1;
	bs->fail = status;
	bs->fail_retry = retryable;
	va_start(ap, fmt);
	vsnprintf(bs->why, sizeof bs->why, fmt, ap);
	va_end(ap);
	return -1;
}

/* Decode a string value into the reused buffer (never larger than the
 * text it came from). */
long
brain_stream_decode(struct brain_stream *bs, const struct json_span *v)
{
	if (v->len > bs->scratchsize) {
		bs->scratchsize = v->len * 2;
		free(bs->scratch);
		bs->scratch = xmalloc(bs->scratchsize);
	}
	return json_scan_string(v, bs->scratch);
}

/* Say how the response ended, as far as the parser saw. */
int
brain_stream_end(struct brain_stream *bs, int finished, const char *who,
    struct brain_result *res)
{
	memset(res, 0, sizeof *res);
	res->retry_after_ms = -1;
	if (bs->aborted) {
		res->status = BRAIN_CANCELLED;
		str_lcpy(res->message, "interrupted", sizeof res->message);
		return 1;
	}
	if (bs->failed) {
		brain_result_fail(res, bs->fail, bs->fail_retry, "%s: %s", who,
		    bs->why);
		res->http_status = 200;
		return 1;
	}
	if (finished) {
		res->status = BRAIN_OK;
		return 1;
	}
	return 0;
}

/* The result of a whole request. */
void
brain_stream_result(struct brain_stream *bs, int finished,
    const struct brain_http_response *resp, const char *who,
    const char *url, const char *until, const char *hint,
    struct brain_result *res)
{
	if (resp->outcome == BRAIN_HTTP_CANCELLED ||
	    (resp->outcome == BRAIN_HTTP_DONE &&
	    (resp->status < 200 || resp->status > 299)))
		brain_http_result(resp, who, url, hint, res);
	else if (brain_stream_end(bs, finished, who, res) != 0)
		return;	/* finished, failed in the stream, or stopped */
	else if (resp->outcome == BRAIN_HTTP_DONE)
		brain_result_fail(res, BRAIN_E_REQUEST, 1, "%s: the response "
		    "from %s ended before %s", who, url, until);
	else
		brain_http_result(resp, who, url, hint, res);
}
