/* ISC licence: see COPYING.  Tests for wire/sse_parser. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "wire/sse_parser.h"
#include "fixture.h"
#include "tap.h"

/*
 * Every frame is written to a transcript, one record per frame, so that
 * two ways of feeding the same bytes can be compared with one memcmp.
 */
struct record {
	struct buf	 out;		/* the transcript */
	int		 frames;
	int		 errors;
	int		 abort_at;	/* abort on frame n (from 1), or 0 */
};

static int
record_frame(const struct sse_frame *f, void *arg)
{
	struct record	*r = arg;

	r->frames++;
	if (buf_printf(&r->out, "[%s%.*s|%zu:", f->event ? "E=" : "-",
	    (int)f->eventlen, f->event ? f->event : "", f->datalen) != 0 ||
	    buf_append(&r->out, f->data, f->datalen) != 0 ||
	    buf_printf(&r->out, "|id=%s|retry=%ld]\n",
	    f->id ? f->id : "(none)", f->retry) != 0)
		abort();
	return r->abort_at != 0 && r->frames == r->abort_at;
}

static void
record_error(enum sse_status st, size_t size, void *arg)
{
	struct record	*r = arg;

	r->errors++;
	if (buf_printf(&r->out, "[ERROR %d %zu]\n", (int)st, size) != 0)
		abort();
}

static void
record_init(struct record *r)
{
	memset(r, 0, sizeof *r);
	buf_init(&r->out, BUF_UNBOUNDED);
}

/* Feed text in the given chunk sizes (cycled); returns the transcript. */
static char *
parse_chunks(const char *text, size_t len, size_t max, const size_t *sizes,
    size_t nsizes, int *frames, int *errors)
{
	struct record		 r;
	struct sse_parser	*sp;
	size_t			 off = 0, k, i = 0;

	record_init(&r);
	sp = sse_parser_create(max, record_frame, record_error, &r);
	while (off < len) {
		k = nsizes ? sizes[i++ % nsizes] : len;
		if (k > len - off)
			k = len - off;
		if (sse_parser_feed(sp, text + off, k) != SSE_OK)
			abort();
		off += k;
	}
	sse_parser_free(sp);
	if (frames)
		*frames = r.frames;
	if (errors)
		*errors = r.errors;
	return buf_steal(&r.out, NULL);
}

/* Whole, byte by byte, at every split point and in odd chunkings. */
static void
check_chunkings(const char *name, const char *text, size_t len, size_t max)
{
	static const size_t	 odd[] = { 3, 1, 7, 2, 64, 5 };
	char			*whole, *other;
	size_t			 one = 1, split[2];
	int			 same = 1, frames;

	whole = parse_chunks(text, len, max, NULL, 0, &frames, NULL);
	other = parse_chunks(text, len, max, &one, 1, NULL, NULL);
	is_str(other, whole, "%s: byte by byte = whole", name);
	free(other);
	other = parse_chunks(text, len, max, odd, AD_NITEMS(odd), NULL, NULL);
	is_str(other, whole, "%s: odd chunks = whole", name);
	free(other);
	for (size_t at = 1; at < len && same; at++) {
		split[0] = at;
		split[1] = len;
		other = parse_chunks(text, len, max, split, 2, NULL, NULL);
		if (strcmp(other, whole) != 0) {
			diag("split at %zu differs", at);
			same = 0;
		}
		free(other);
	}
	ok(same, "%s: every two-way split = whole", name);
	free(whole);
}

/*
 * Replace every "\n" of text with the line end le, or when le is NULL
 * with CRLF, CR and LF in turn -- except that a CR is never followed by
 * a lone LF, which would make the two one line end.
 */
static char *
relines(const char *text, const char *le, size_t *lenp)
{
	static const char	*mix[] = { "\r\n", "\r", "\n" };
	struct buf		 b;
	size_t			 n = 0;

	buf_init(&b, BUF_UNBOUNDED);
	for (const char *p = text; *p != '\0'; p++) {
		if (*p != '\n') {
			if (buf_putc(&b, *p) != 0)
				abort();
			continue;
		}
		if (le == NULL) {
			le = mix[n++ % 3];
			if (b.len > 0 && b.data[b.len - 1] == '\r' &&
			    strcmp(le, "\n") == 0)
				le = "\r\n";
			if (buf_puts(&b, le) != 0)
				abort();
			le = NULL;
		} else if (buf_puts(&b, le) != 0)
			abort();
	}
	return buf_steal(&b, lenp);
}

static void
test_fixtures(void)
{
	char	*text, *t;
	size_t	 len;
	int	 frames, errors;

	text = fixture_read("stream.sse", &len);
	t = parse_chunks(text, len, SSE_DEFAULT_MAX_FRAME, NULL, 0, &frames,
	    &errors);
	is_int(frames, 19, "stream.sse: 18 events and a ping");
	is_int(errors, 0, "stream.sse: no errors");
	ok(strncmp(t, "[E=user.message|", 16) == 0, "first is user.message");
	ok(strstr(t, "[E=ping|15:{\"type\":\"ping\"}|id=(none)|retry=-1]") !=
	    NULL, "the ping frame is handed on");
	ok(strstr(t, "[E=session.status_idle|") != NULL &&
	    strstr(t, "\"stop_reason\":{\"type\":\"end_turn\"}") != NULL,
	    "the last idle is there");
	free(t);
	check_chunkings("stream.sse", text, len, SSE_DEFAULT_MAX_FRAME);
	free(text);

	text = fixture_read("stream-edge-cases.sse", &len);
	t = parse_chunks(text, len, SSE_DEFAULT_MAX_FRAME, NULL, 0, &frames,
	    &errors);
	is_int(frames, 7, "edge cases: 7 frames");
	is_str(t,
	    "[E=session.status_running|115:"
	    "{\"type\":\"session.status_running\","
	    "\"id\":\"sevt_011CNMmsRTwFDQAZcCUIvqAX\",\"processed_at\":"
	    "\"2026-11-19T15:00:00.000001Z\"}|id=(none)|retry=-1]\n"
	    "[E=ping|15:{\"type\":\"ping\"}|id=(none)|retry=-1]\n"
	    "[E=agent.message|184:{\"type\":\"agent.message\",\"id\":"
	    "\"sevt_011CC75KhYNmw2xxYhTxeb0H\",\"processed_at\":"
	    "\"2026-11-19T15:00:01.5Z\",\n\"content\":[{\"type\":\"text\","
	    "\"text\":\"multi-line data field \xe2\x9c\x93 \xe2\x80\x94 "
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xf0\x9f\x9a\x80\"}]}"
	    "|id=(none)|retry=-1]\n"
	    "[-|85:{\"type\":\"session.status_idle\",\"note\":\"frame without "
	    "event: line (SDK 1.10 drops it)\"}|id=(none)|retry=-1]\n"
	    "[E=some.future_event|114:{\"type\":\"some.future_event\",\"id\":"
	    "\"sevt_011CAGjkqagGtKQVG9yrZ5Yk\",\"processed_at\":"
	    "\"2026-11-19T15:00:02+00:00\",\"x\":1}|id=(none)|retry=-1]\n"
	    "[E=session.status_idle|159:{\"type\":\"session.status_idle\","
	    "\"id\":\"sevt_011CvWHoW8flaePrsggNnLO2\",\"processed_at\":"
	    "\"2026-11-19T15:00:03Z\",\"stop_reason\":{\"type\":\"end_turn\"},"
	    "\"stop_details\":null}|id=42|retry=5000]\n"
	    "[E=error|119:{\"type\":\"error\",\"error\":{\"type\":"
	    "\"overloaded_error\",\"message\":\"Overloaded\"},\"request_id\":"
	    "\"req_011CDdkxnO9e1MOdku8ythrf\"}|id=42|retry=5000]\n",
	    "edge cases: exact frames (BOM, CRLF, no space, joined data, "
	    "comments, no event, id, retry)");
	free(t);
	check_chunkings("stream-edge-cases.sse", text, len,
	    SSE_DEFAULT_MAX_FRAME);
	free(text);
}

static void
test_line_ends(void)
{
	static const char	*ends[] = { "\n", "\r\n", "\r", NULL };
	static const char	*names[] = { "LF", "CRLF", "CR", "mixed" };
	char			*text, *base, *t, *u;
	size_t			 len, tlen;

	text = fixture_read("stream.sse", &len);
	base = parse_chunks(text, len, SSE_DEFAULT_MAX_FRAME, NULL, 0, NULL,
	    NULL);
	for (size_t i = 0; i < AD_NITEMS(ends); i++) {
		t = relines(text, ends[i], &tlen);
		u = parse_chunks(t, tlen, SSE_DEFAULT_MAX_FRAME, NULL, 0, NULL,
		    NULL);
		is_str(u, base, "%s line ends give the same frames", names[i]);
		free(u);
		if (i != 0)
			check_chunkings(names[i], t, tlen,
			    SSE_DEFAULT_MAX_FRAME);
		free(t);
	}
	free(base);
	free(text);

	t = parse_chunks("data: a\r\rdata: b\r\n\r\ndata: c\n\r", 29, 1024,
	    NULL, 0, NULL, NULL);
	is_str(t, "[-|1:a|id=(none)|retry=-1]\n[-|1:b|id=(none)|retry=-1]\n"
	    "[-|1:c|id=(none)|retry=-1]\n", "CR CR, CRLF CRLF and LF CR are "
	    "blank lines");
	free(t);
	t = parse_chunks("data: a\n\n\n\n\ndata: b\n\n", 21, 1024, NULL, 0,
	    NULL, NULL);
	is_str(t, "[-|1:a|id=(none)|retry=-1]\n[-|1:b|id=(none)|retry=-1]\n",
	    "extra blank lines dispatch nothing");
	free(t);
}

static void
test_fields(void)
{
	char	*t;
	int	 frames;

#define P(s)	parse_chunks(s, sizeof s - 1, 1024, NULL, 0, &frames, NULL)
	t = P("event:x\ndata\ndata\n\n");
	is_str(t, "[E=x|1:\n|id=(none)|retry=-1]\n",
	    "a bare \"data\" line adds an empty line");
	free(t);
	t = P("data:  two spaces\ndata:\tx\n\n");
	is_str(t, "[-|14: two spaces\n\tx|id=(none)|retry=-1]\n",
	    "only one space goes");
	free(t);
	t = P("event: a\nevent: b\ndata: 1\n\n");
	is_str(t, "[E=b|1:1|id=(none)|retry=-1]\n", "the last event: wins");
	free(t);
	t = P("event: only\n\n");
	is_str(t, "[E=only|0:|id=(none)|retry=-1]\n",
	    "an event with no data is dispatched with \"\"");
	free(t);
	t = P("event\n\n");
	is_str(t, "[E=|0:|id=(none)|retry=-1]\n", "a bare \"event\" line");
	free(t);
	t = P("id: 7\n\nretry: 12\n\ndata: x\n\n");
	is_str(t, "[-|1:x|id=7|retry=12]\n",
	    "id and retry alone dispatch nothing but persist");
	is_int(frames, 1, "one frame");
	free(t);
	t = P("id: 1\ndata: a\n\nid\ndata: b\n\nid: a\0b\ndata: c\n\n");
	is_str(t, "[-|1:a|id=1|retry=-1]\n[-|1:b|id=|retry=-1]\n"
	    "[-|1:c|id=|retry=-1]\n", "empty id resets it; an id with NUL "
	    "is ignored");
	free(t);
	t = P("retry: 1x\ndata: a\n\nretry: 99999999999\ndata: b\n\n"
	    "retry:\ndata: c\n\n");
	is_str(t, "[-|1:a|id=(none)|retry=-1]\n[-|1:b|id=(none)|retry=-1]\n"
	    "[-|1:c|id=(none)|retry=-1]\n", "invalid retry values are ignored");
	free(t);
	t = P(": comment\n:\nfoo: bar\nlongfieldname: x\nDATA: no\ndata: y\n"
	    "\n");
	is_str(t, "[-|1:y|id=(none)|retry=-1]\n",
	    "comments and unknown fields are ignored");
	free(t);
	t = P("data: partial");
	is_int(frames, 0, "an unterminated frame is not dispatched");
	free(t);
	t = P("data: x\n");
	is_int(frames, 0, "a frame without its blank line is not dispatched");
	free(t);
	t = P("\xef\xbb\xbf\xef\xbb\xbf" "data: x\n\n");
	is_int(frames, 0, "only one BOM is dropped (the second starts a "
	    "field name)");
	free(t);
	t = P("\xef\xbb" "data: x\n\ndata: y\n\n");
	is_str(t, "[-|1:y|id=(none)|retry=-1]\n", "a partial BOM is "
	    "ordinary text");
	free(t);
	t = P("\xef\xbb\xbf" "data: x\n\n");
	is_str(t, "[-|1:x|id=(none)|retry=-1]\n", "a BOM is dropped");
	free(t);
#undef P
}

static void
test_ceiling(void)
{
	struct buf	 b;
	char		*t, *big;
	int		 frames, errors;
	size_t		 one = 1;

	buf_init(&b, BUF_UNBOUNDED);
	if (buf_puts(&b, "event: a\ndata: ") != 0)
		abort();
	for (int i = 0; i < 100; i++)
		if (buf_putc(&b, 'x') != 0)
			abort();
	if (buf_puts(&b, "\nid: 5\nevent: b\ndata: more\n\n"
	    "event: next\ndata: ok\n\n") != 0)
		abort();
	big = b.data;
	t = parse_chunks(big, b.len, 64, NULL, 0, &frames, &errors);
	is_str(t, "[ERROR 1 64]\n[E=next|2:ok|id=(none)|retry=-1]\n",
	    "a frame over the ceiling is reported once, skipped to its "
	    "blank line, and parsing resumes");
	free(t);
	t = parse_chunks(big, b.len, 64, &one, 1, NULL, NULL);
	is_str(t, "[ERROR 1 64]\n[E=next|2:ok|id=(none)|retry=-1]\n",
	    "the same, byte by byte");
	free(t);
	check_chunkings("ceiling", big, b.len, 64);
	t = parse_chunks(big, b.len, 1024, NULL, 0, &frames, &errors);
	is_int(frames, 2, "under a larger ceiling both frames pass");
	is_int(errors, 0, "and nothing is reported");
	free(t);
	buf_clear(&b);

	/* Many small data lines add up. */
	buf_init(&b, BUF_UNBOUNDED);
	for (int i = 0; i < 40; i++)
		if (buf_puts(&b, "data: 0123\n") != 0)
			abort();
	if (buf_puts(&b, "\ndata: after\n\n") != 0)
		abort();
	t = parse_chunks(b.data, b.len, 100, NULL, 0, &frames, &errors);
	is_str(t, "[ERROR 1 100]\n[-|5:after|id=(none)|retry=-1]\n",
	    "many data lines add up to the ceiling");
	free(t);
	buf_clear(&b);

	/* Exactly at the ceiling is fine: "aaaa\nbb" is 7 bytes. */
	t = parse_chunks("data: aaaa\ndata: bb\n\n", 21, 8, NULL, 0, &frames,
	    &errors);
	is_str(t, "[-|7:aaaa\nbb|id=(none)|retry=-1]\n",
	    "a frame that fits exactly passes");
	free(t);

	/* Comments and unknown fields are never buffered. */
	buf_init(&b, BUF_UNBOUNDED);
	if (buf_putc(&b, ':') != 0)
		abort();
	for (int i = 0; i < 1000; i++)
		if (buf_puts(&b, "comment ") != 0)
			abort();
	if (buf_puts(&b, "\nunknown: ") != 0)
		abort();
	for (int i = 0; i < 1000; i++)
		if (buf_puts(&b, "value ") != 0)
			abort();
	if (buf_puts(&b, "\ndata: x\n\n") != 0)
		abort();
	t = parse_chunks(b.data, b.len, 16, NULL, 0, &frames, &errors);
	is_str(t, "[-|1:x|id=(none)|retry=-1]\n",
	    "long comments and unknown fields do not count");
	free(t);
	buf_clear(&b);
}

static int
abort_cb(const struct sse_frame *f, void *arg)
{
	(*(int *)arg)++;
	return 1;
}

static void
test_abort_reset(void)
{
	struct sse_parser	*sp;
	struct record		 r;
	int			 n = 0;

	sp = sse_parser_create(1024, abort_cb, NULL, &n);
	is_int(sse_parser_feed(sp, "data: a\n\ndata: b\n\n", 18),
	    SSE_ERR_ABORTED, "a non-zero callback aborts the feed");
	is_int(n, 1, "and no further frame is delivered");
	sse_parser_free(sp);

	record_init(&r);
	sp = sse_parser_create(1024, record_frame, record_error, &r);
#define FEED(s)	sse_parser_feed(sp, s, sizeof s - 1)
	ok(FEED("\xef\xbb\xbfid: 9\n\ndata: part") == SSE_OK,
	    "feed a partial frame");
	sse_parser_reset(sp);
	ok(FEED("\xef\xbb\xbf" "data: new\n\n") == SSE_OK,
	    "feed after a reset");
#undef FEED
	is_str(r.out.data, "[-|3:new|id=9|retry=-1]\n",
	    "reset drops the partial frame, expects a BOM again, keeps the "
	    "last id");
	sse_parser_free(sp);
	buf_clear(&r.out);
}

int
main(void)
{
	test_fixtures();
	test_line_ends();
	test_fields();
	test_ceiling();
	test_abort_reset();
	return done_testing();
}
