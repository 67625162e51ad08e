/*
 * sse_parser.h -- incremental parser for text/event-stream bodies.
 *
 * Bytes go in as the network delivers them, in chunks of any size; one
 * callback fires per complete frame.  WHATWG rules: lines end with LF,
 * CRLF or CR (a CR at the end of one chunk and an LF at the start of the
 * next are one line end); a BOM at the start of the stream is dropped;
 * "field: value" loses one optional space; several data: lines are joined
 * with "\n"; lines starting with ':' are comments; fields other than
 * event, data, id and retry are ignored.  A frame is dispatched at a blank
 * line when it had an event: or a data: line.
 *
 * This layer does not decide what a frame means: frames without an event
 * name, "ping" frames and "error" frames are all handed to the callback
 * (the stream layer drops, ignores or raises them as the SDK does).
 *
 * A frame larger than the ceiling given at creation is not buffered: the
 * error callback gets SSE_ERR_TOOBIG once, the rest of that frame is
 * skipped up to its blank line, and parsing resumes with the next frame.
 */
#ifndef PILOTHOUSE_SSE_PARSER_H
#define PILOTHOUSE_SSE_PARSER_H

#include <stddef.h>

#include "base/compiler.h"

#define SSE_DEFAULT_MAX_FRAME	(64u * 1024 * 1024)

struct sse_parser;

/* Fields are borrowed: valid only until the callback returns. */
struct sse_frame {
	const char	*event;		/* NULL when the frame had no event: */
	size_t		 eventlen;
	const char	*data;		/* data: lines joined by '\n', or "" */
	size_t		 datalen;
	const char	*id;		/* the last id: seen so far, or NULL */
	long		 retry;		/* last valid retry: in ms, or -1 */
};

enum sse_status {
	SSE_OK = 0,
	SSE_ERR_TOOBIG,		/* a frame passed the ceiling; it was skipped */
	SSE_ERR_ABORTED		/* the frame callback returned non-zero */
};

/* Return non-zero to stop parsing (feed then returns SSE_ERR_ABORTED). */
typedef int	(*sse_frame_cb)(const struct sse_frame *, void *);
/* Told about a skipped frame (the size is the ceiling); parsing goes on.
 * sse_parser_feed() itself still returns SSE_OK. */
typedef void	(*sse_error_cb)(enum sse_status, size_t, void *);

/* max_frame bounds the bytes buffered for one frame. */
struct sse_parser	*sse_parser_create(size_t, sse_frame_cb, sse_error_cb,
			    void *);
void			 sse_parser_free(struct sse_parser *);
enum sse_status		 sse_parser_feed(struct sse_parser *, const void *,
			    size_t) AD_WARN_UNUSED;
/* A new connection: forget any partial frame; a BOM is expected again. */
void			 sse_parser_reset(struct sse_parser *);

#endif
