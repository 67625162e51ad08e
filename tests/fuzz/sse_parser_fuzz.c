/* ISC licence: see COPYING.  Fuzz target for wire/sse_parser.
 *
 * The first input byte picks the frame ceiling and the chunk size; the
 * rest is the stream.  Invariants: no frame exceeds the ceiling, at most
 * one error per skipped frame, and the frames (and errors) are the same
 * whether the stream is fed whole, in the chosen chunks or byte by byte.
 */

#include "config.h"

#include <string.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "wire/sse_parser.h"
#include "fuzz.h"

struct fuzz_sse {
	struct buf	 out;		/* transcript of frames and errors */
	size_t		 max;
};

static int
fuzz_sse_frame(const struct sse_frame *f, void *arg)
{
	struct fuzz_sse	*fs = arg;
	size_t		 eventlen = f->event != NULL ? f->eventlen : 0;

	if (f->data == NULL)
		fuzz_fail("data is NULL");
	if (f->datalen + eventlen > fs->max)
		fuzz_fail("frame of %zu bytes passed the ceiling %zu",
		    f->datalen + eventlen, fs->max);
	if (f->event != NULL && memchr(f->event, '\n', f->eventlen) != NULL)
		fuzz_fail("a line end inside the event name");
	if (buf_printf(&fs->out, "F%zu:%zu:%ld:%s:", eventlen, f->datalen,
	    f->retry, f->id != NULL ? f->id : "-") != 0 ||
	    buf_append(&fs->out, f->event != NULL ? f->event : "", eventlen) ||
	    buf_append(&fs->out, f->data, f->datalen) != 0)
		fuzz_fail("transcript");
	return 0;
}

static void
fuzz_sse_error(enum sse_status st, size_t size, void *arg)
{
	struct fuzz_sse	*fs = arg;

	if (st != SSE_ERR_TOOBIG || size != fs->max)
		fuzz_fail("unexpected error %d %zu", (int)st, size);
	if (buf_puts(&fs->out, "E") != 0)
		fuzz_fail("transcript");
}

/* Feed data in chunks of step bytes (0: whole); returns the transcript. */
static char *
fuzz_sse_run(const uint8_t *data, size_t size, size_t max, size_t step,
    size_t *lenp)
{
	struct fuzz_sse		 fs;
	struct sse_parser	*sp;
	size_t			 off = 0, k;

	buf_init(&fs.out, BUF_UNBOUNDED);
	fs.max = max;
	sp = sse_parser_create(max, fuzz_sse_frame, fuzz_sse_error, &fs);
	while (off < size) {
		k = step == 0 || step > size - off ? size - off : step;
		if (sse_parser_feed(sp, data + off, k) != SSE_OK)
			fuzz_fail("feed failed without an abort");
		off += k;
	}
	sse_parser_free(sp);
	return buf_steal(&fs.out, lenp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t	 maxes[] = { 1, 8, 64, 4096,
	    SSE_DEFAULT_MAX_FRAME };
	char			*whole, *chunked, *bytes;
	size_t			 wl, cl, bl, max, step;

	if (size == 0)
		return 0;
	max = maxes[data[0] % AD_NITEMS(maxes)];
	step = 1 + (data[0] >> 3);
	data++;
	size--;
	whole = fuzz_sse_run(data, size, max, 0, &wl);
	chunked = fuzz_sse_run(data, size, max, step, &cl);
	bytes = fuzz_sse_run(data, size, max, 1, &bl);
	if (wl != cl || memcmp(whole, chunked, wl) != 0)
		fuzz_fail("chunks of %zu differ from the whole", step);
	if (wl != bl || memcmp(whole, bytes, wl) != 0)
		fuzz_fail("byte by byte differs from the whole");
	free(whole);
	free(chunked);
	free(bytes);
	return 0;
}
