/* ISC licence: see COPYING.  Incremental text/event-stream parser. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "wire/sse_parser.h"

/*
 * The parser is a small state machine over the bytes of the current line,
 * so no line is ever buffered whole: a field's value goes straight into
 * the buffer it belongs to (data, event name, id, retry) as the bytes
 * arrive, and a 10 MB data: line is copied once.  Line ends are found
 * with memchr, so the cost per byte is that of a memcpy.
 *
 * The ceiling counts the bytes buffered for the frame being built (event
 * name, data with its joining newlines, id and retry values).  Comments
 * and unknown fields are never buffered, so they cannot exhaust memory
 * whatever their length.
 */

/* Where the current line is. */
enum sse_line_state {
	SSE_LINE_START,		/* no byte of the line seen yet */
	SSE_LINE_FIELD,		/* reading the field name */
	SSE_LINE_VALUE_FIRST,	/* after the colon: one space may go */
	SSE_LINE_VALUE,		/* reading the value */
	SSE_LINE_IGNORE		/* comment or unknown field: drop the rest */
};

enum sse_field {
	SSE_FIELD_OTHER,
	SSE_FIELD_EVENT,
	SSE_FIELD_DATA,
	SSE_FIELD_ID,
	SSE_FIELD_RETRY
};

#define SSE_FIELD_MAX	5	/* the longest name we act on ("event") */
#define SSE_KEEP	(4 * 1024)	/* buffer memory kept between frames */

struct sse_parser {
	size_t			 max;		/* frame ceiling in bytes */
	sse_frame_cb		 cb;
	sse_error_cb		 errcb;
	void			*arg;		/* for cb and errcb */

	int			 bom;		/* BOM bytes matched so far */
	int			 bom_done;	/* past the stream's start */
	int			 pending_cr;	/* a CR ended the last line */

	enum sse_line_state	 line;
	int			 line_bytes;	/* the line is not blank */
	char			 fname[SSE_FIELD_MAX];	/* field name so far */
	size_t			 fnamelen;
	enum sse_field		 field;		/* field of the current line */

	int			 has_field;	/* frame had event: or data: */
	int			 has_event;	/* frame had event: */
	int			 skipping;	/* frame passed the ceiling */
	size_t			 framelen;	/* bytes buffered for it */
	struct buf		 event;		/* event name */
	struct buf		 data;		/* data lines, each + '\n' */
	struct buf		 idval;		/* id: value being read */
	struct buf		 retryval;	/* retry: value being read */

	char			*lastid;	/* last valid id:, or NULL */
	long			 retry;		/* last valid retry:, or -1 */
};

static const unsigned char	sse_bom[3] = { 0xef, 0xbb, 0xbf };

static enum sse_status	sse_parser_scan(struct sse_parser *,
			    const unsigned char *, size_t);

/* Create a parser; allocation failure is fatal, so this never fails. */
struct sse_parser *
sse_parser_create(size_t max_frame, sse_frame_cb cb, sse_error_cb errcb,
    void *arg)
{
	struct sse_parser	*sp;

	sp = xcalloc(1, sizeof *sp);
	sp->max = max_frame;
	sp->cb = cb;
	sp->errcb = errcb;
	sp->arg = arg;
	buf_init(&sp->event, BUF_UNBOUNDED);	/* bounded by framelen */
	buf_init(&sp->data, BUF_UNBOUNDED);
	buf_init(&sp->idval, BUF_UNBOUNDED);
	buf_init(&sp->retryval, BUF_UNBOUNDED);
	sp->retry = -1;
	return sp;
}

/* Free a parser; NULL does nothing. */
void
sse_parser_free(struct sse_parser *sp)
{
	if (sp == NULL)
		return;
	buf_clear(&sp->event);
	buf_clear(&sp->data);
	buf_clear(&sp->idval);
	buf_clear(&sp->retryval);
	free(sp->lastid);
	free(sp);
}

/* Forget the frame being built (its id: and retry: already took effect). */
static void
sse_parser_clear_frame(struct sse_parser *sp)
{
	buf_release(&sp->event, SSE_KEEP);
	buf_release(&sp->data, SSE_KEEP);
	sp->has_field = sp->has_event = sp->skipping = 0;
	sp->framelen = 0;
}

/* Forget the line being read. */
static void
sse_parser_clear_line(struct sse_parser *sp)
{
	sp->line = SSE_LINE_START;
	sp->line_bytes = 0;
	sp->fnamelen = 0;
	sp->field = SSE_FIELD_OTHER;
	buf_reset(&sp->idval);
	buf_reset(&sp->retryval);
}

/* A new connection: drop any partial frame and expect a BOM again. */
void
sse_parser_reset(struct sse_parser *sp)
{
	sse_parser_clear_frame(sp);
	sse_parser_clear_line(sp);
	sp->bom = sp->bom_done = sp->pending_cr = 0;
}

/*
 * The frame passed the ceiling: tell the caller once (with the ceiling as
 * the size), drop what was buffered and skip to its blank line.
 */
static void
sse_parser_overflow(struct sse_parser *sp)
{
	sse_parser_clear_frame(sp);
	sp->skipping = 1;
	sp->line = SSE_LINE_IGNORE;
	if (sp->errcb != NULL)
		sp->errcb(SSE_ERR_TOOBIG, sp->max, sp->arg);
}

/* Append to one of the frame's buffers, counting against the ceiling. */
static int
sse_parser_add(struct sse_parser *sp, struct buf *b, const void *p,
    size_t len)
{
	if (len > sp->max || sp->framelen > sp->max - len) {
		sse_parser_overflow(sp);
		return -1;
	}
	sp->framelen += len;
	if (buf_append(b, p, len) != 0)
		fatalx("sse: unbounded buffer refused %zu bytes", len);
	return 0;
}

/* The field called name, or OTHER. */
static enum sse_field
sse_parser_field(const char *name, size_t len)
{
	if (len == 5 && memcmp(name, "event", 5) == 0)
		return SSE_FIELD_EVENT;
	if (len == 4 && memcmp(name, "data", 4) == 0)
		return SSE_FIELD_DATA;
	if (len == 2 && memcmp(name, "id", 2) == 0)
		return SSE_FIELD_ID;
	if (len == 5 && memcmp(name, "retry", 5) == 0)
		return SSE_FIELD_RETRY;
	return SSE_FIELD_OTHER;
}

/* The field name is complete: start its value. */
static void
sse_parser_begin_value(struct sse_parser *sp)
{
	sp->field = sse_parser_field(sp->fname, sp->fnamelen);
	switch (sp->field) {
	case SSE_FIELD_EVENT:
		/* The last event: line of a frame wins. */
		sp->framelen -= sp->event.len;
		buf_reset(&sp->event);
		sp->has_field = sp->has_event = 1;
		break;
	case SSE_FIELD_DATA:
		sp->has_field = 1;
		break;
	case SSE_FIELD_ID:
	case SSE_FIELD_RETRY:
		break;
	case SSE_FIELD_OTHER:
		sp->line = SSE_LINE_IGNORE;
		return;
	}
	sp->line = SSE_LINE_VALUE_FIRST;
}

/* Take n bytes of the current line (no line end among them). */
static void
sse_parser_line_bytes(struct sse_parser *sp, const unsigned char *p,
    size_t n)
{
	const unsigned char	*colon;
	size_t			 k;
	struct buf		*b;

	while (n > 0) {
		sp->line_bytes = 1;
		switch (sp->line) {
		case SSE_LINE_START:
			if (*p == ':') {
				sp->line = SSE_LINE_IGNORE;	/* comment */
				return;
			}
			sp->line = SSE_LINE_FIELD;
			break;
		case SSE_LINE_FIELD:
			colon = memchr(p, ':', n);
			k = colon != NULL ? (size_t)(colon - p) : n;
			if (sp->fnamelen + k > SSE_FIELD_MAX) {
				/* Longer than any name we act on. */
				sp->line = SSE_LINE_IGNORE;
				return;
			}
			memcpy(sp->fname + sp->fnamelen, p, k);
			sp->fnamelen += k;
			if (colon == NULL)
				return;
			p += k + 1;
			n -= k + 1;
			sse_parser_begin_value(sp);
			break;
		case SSE_LINE_VALUE_FIRST:
			if (*p == ' ') {
				p++;
				n--;
			}
			sp->line = SSE_LINE_VALUE;
			break;
		case SSE_LINE_VALUE:
			switch (sp->field) {
			case SSE_FIELD_EVENT:
				b = &sp->event;
				break;
			case SSE_FIELD_DATA:
				b = &sp->data;
				break;
			case SSE_FIELD_ID:
				b = &sp->idval;
				break;
			default:
				b = &sp->retryval;
				break;
			}
			(void)sse_parser_add(sp, b, p, n);
			return;
		case SSE_LINE_IGNORE:
			return;
		}
	}
}

/* Hand the finished frame to the callback; non-zero aborts. */
static int
sse_parser_dispatch(struct sse_parser *sp)
{
	struct sse_frame	f;
	int			rv;

	memset(&f, 0, sizeof f);
	if (sp->has_event) {
		f.event = sp->event.data != NULL ? sp->event.data : "";
		f.eventlen = sp->event.len;
	}
	if (sp->data.len > 0) {
		/* Drop the newline after the last data: line. */
		buf_truncate(&sp->data, sp->data.len - 1);
		f.data = sp->data.data;
		f.datalen = sp->data.len;
	} else
		f.data = "";
	f.id = sp->lastid;
	f.retry = sp->retry;
	rv = sp->cb(&f, sp->arg);
	sse_parser_clear_frame(sp);
	return rv;
}

/* Store a finished id: value; one containing NUL is ignored (WHATWG). */
static void
sse_parser_set_id(struct sse_parser *sp)
{
	const char	*v = sp->idval.data != NULL ? sp->idval.data : "";

	if (memchr(v, '\0', sp->idval.len) != NULL)
		return;
	free(sp->lastid);
	sp->lastid = xstrndup(v, sp->idval.len);
}

/* Store a finished retry: value when it is all ASCII digits. */
static void
sse_parser_set_retry(struct sse_parser *sp)
{
	long	v = 0;

	if (sp->retryval.len == 0)
		return;
	for (size_t i = 0; i < sp->retryval.len; i++) {
		unsigned char	c = sp->retryval.data[i];

		if (c < '0' || c > '9')
			return;
		if (v > (2147483647L - (c - '0')) / 10)
			return;		/* more than INT_MAX ms: ignore */
		v = v * 10 + (c - '0');
	}
	sp->retry = v;
}

/* A line ended: act on it.  Returns non-zero if the callback aborted. */
static int
sse_parser_line_end(struct sse_parser *sp)
{
	int	rv = 0;

	if (!sp->line_bytes) {
		/* A blank line ends the frame. */
		if (sp->skipping)
			sse_parser_clear_frame(sp);
		else if (sp->has_field)
			rv = sse_parser_dispatch(sp);
		else
			sse_parser_clear_frame(sp);
		sse_parser_clear_line(sp);
		return rv;
	}
	if (sp->line == SSE_LINE_FIELD) {
		/* No colon: the whole line names a field with no value. */
		sse_parser_begin_value(sp);
	}
	if (sp->line == SSE_LINE_VALUE_FIRST || sp->line == SSE_LINE_VALUE) {
		switch (sp->field) {
		case SSE_FIELD_DATA:
			(void)sse_parser_add(sp, &sp->data, "\n", 1);
			break;
		case SSE_FIELD_ID:
			sse_parser_set_id(sp);
			break;
		case SSE_FIELD_RETRY:
			sse_parser_set_retry(sp);
			break;
		default:
			break;
		}
		/* id and retry values are not part of the frame's size. */
		if (sp->field == SSE_FIELD_ID || sp->field == SSE_FIELD_RETRY)
			sp->framelen -= sp->field == SSE_FIELD_ID ?
			    sp->idval.len : sp->retryval.len;
	}
	sse_parser_clear_line(sp);
	if (sp->skipping)
		sp->line = SSE_LINE_IGNORE;
	return 0;
}

/* Split bytes (past the BOM) into lines and feed them through. */
static enum sse_status
sse_parser_scan(struct sse_parser *sp, const unsigned char *p, size_t len)
{
	const unsigned char	*nl, *cr, *end;
	size_t			 n;

	while (len > 0) {
		if (sp->pending_cr) {
			sp->pending_cr = 0;
			if (*p == '\n') {	/* the LF of a split CRLF */
				p++;
				len--;
				continue;
			}
		}
		nl = memchr(p, '\n', len);
		n = nl != NULL ? (size_t)(nl - p) : len;
		cr = memchr(p, '\r', n);
		end = cr != NULL ? cr : nl;
		if (end == NULL) {
			sse_parser_line_bytes(sp, p, len);
			return SSE_OK;
		}
		n = (size_t)(end - p);
		sse_parser_line_bytes(sp, p, n);
		if (*end == '\r')
			sp->pending_cr = 1;
		p += n + 1;
		len -= n + 1;
		if (sse_parser_line_end(sp) != 0)
			return SSE_ERR_ABORTED;
	}
	return SSE_OK;
}

/*
 * Feed len bytes.  Returns SSE_ERR_ABORTED when the frame callback asked
 * to stop (the rest of these bytes is dropped), else SSE_OK: a frame that
 * passed the ceiling is reported to the error callback, not here.
 */
enum sse_status
sse_parser_feed(struct sse_parser *sp, const void *buf, size_t len)
{
	const unsigned char	*p = buf;

	/* Drop a BOM at the start, even one split over chunks. */
	while (!sp->bom_done && len > 0) {
		if (*p == sse_bom[sp->bom]) {
			p++;
			len--;
			if (++sp->bom == 3)
				sp->bom_done = 1;
			continue;
		}
		sp->bom_done = 1;
		/* A partial match was ordinary text after all. */
		if (sp->bom > 0 &&
		    sse_parser_scan(sp, sse_bom, sp->bom) != SSE_OK)
			return SSE_ERR_ABORTED;
	}
	return sse_parser_scan(sp, p, len);
}
