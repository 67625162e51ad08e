/* ISC licence: see COPYING.  The headless backend: a screen in memory. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/compiler.h"
#include "base/utf8.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "ui/backend.h"

#define TEXT_MAX_QUEUE	4096	/* queued input events */
#define TEXT_MAX_EMITTED (64 * 1024) /* bytes of sequences kept */

struct text_backend {
	struct canvas_cell	*front;		/* what was presented */
	int			 w, h;
	uint64_t		 cells;		/* cells written so far */
	struct ui_input		*queue;		/* typed input, FIFO */
	size_t			 qhead, qlen;
	struct buf		 emitted;	/* bells, OSC 9, OSC 52 */
};

/*
 * One letter per semantic style, in enum order, for style dumps; ANSI
 * styles show as '%'.  Chosen to be readable in golden files.
 */
static const char text_style_letters[] =
    ".dbHBT-cStsoOKkp!mRIWLErXuaht+xyPAD@iNnC";
_Static_assert(sizeof text_style_letters == UI_STYLE__COUNT + 1,
    "one letter per style");

/* Blank front cells for the current size. */
static void
text_alloc(struct text_backend *tb, int w, int h)
{
	size_t	n = (size_t)w * (size_t)h;

	free(tb->front);
	tb->w = w;
	tb->h = h;
	tb->front = xcalloc(n ? n : 1, sizeof *tb->front);
	for (size_t i = 0; i < n; i++) {
		tb->front[i].g[0] = ' ';
		tb->front[i].len = 1;
		tb->front[i].width = 1;
	}
}

/* Open: a screen of the size given in the options (80x24 if none). */
static int
text_open(struct ui_backend *b, char **cause)
{
	struct text_backend	*tb;

	tb = xcalloc(1, sizeof *tb);
	b->w = b->opt.width > 0 ? b->opt.width : 80;
	b->h = b->opt.height > 0 ? b->opt.height : 24;
	text_alloc(tb, b->w, b->h);
	tb->queue = xreallocarray(NULL, TEXT_MAX_QUEUE, sizeof *tb->queue);
	buf_init(&tb->emitted, TEXT_MAX_EMITTED);
	b->data = tb;
	return 0;
}

/* Free the screen. */
static void
text_close(struct ui_backend *b)
{
	struct text_backend	*tb = b->data;

	free(tb->front);
	free(tb->queue);
	buf_clear(&tb->emitted);
	free(tb);
}

/* No descriptor: input is pushed by the caller. */
static int
text_input_fd(struct ui_backend *b)
{
	return -1;
}

/* Hand out queued input. */
static int
text_read(struct ui_backend *b, struct ui_input *ev, int n)
{
	struct text_backend	*tb = b->data;
	int			 i;

	for (i = 0; i < n && tb->qlen > 0; i++) {
		ev[i] = tb->queue[tb->qhead];
		tb->qhead = (tb->qhead + 1) % TEXT_MAX_QUEUE;
		tb->qlen--;
	}
	return i;
}

/* Nothing is ever partial. */
static int
text_timeout(struct ui_backend *b)
{
	return -1;
}

/* Nothing to expire. */
static int
text_expire(struct ui_backend *b, struct ui_input *ev, int n)
{
	return 0;
}

/* The size is whatever was last set in the options. */
static void
text_resize(struct ui_backend *b)
{
	struct text_backend	*tb = b->data;

	b->w = b->opt.width > 0 ? b->opt.width : b->w;
	b->h = b->opt.height > 0 ? b->opt.height : b->h;
	if (b->w != tb->w || b->h != tb->h)
		text_alloc(tb, b->w, b->h);
}

/* Copy the dirty rows into the front screen. */
static void
text_present(struct ui_backend *b, struct canvas *c, const struct theme *t)
{
	struct text_backend		*tb = b->data;
	const struct canvas_cell	*cell;
	struct canvas_cell		*f;
	int				 w, h;

	w = AD_MIN(canvas_width(c), tb->w);
	h = AD_MIN(canvas_height(c), tb->h);
	for (int y = 0; y < h; y++) {
		if (!canvas_row_dirty(c, y))
			continue;
		for (int x = 0; x < w; x++) {
			cell = canvas_cell(c, x, y);
			f = &tb->front[(size_t)y * (size_t)tb->w + (size_t)x];
			if (canvas_cell_equal(f, cell))
				continue;
			*f = *cell;
			tb->cells++;
		}
	}
}

/* Forget the screen. */
static void
text_repaint(struct ui_backend *b)
{
	struct text_backend	*tb = b->data;

	text_alloc(tb, tb->w, tb->h);
}

/* Keep the sequence for ui_backend_text_emitted (the oldest stay when
 * the buffer is full). */
static void
text_emit(struct ui_backend *b, const char *seq, size_t len)
{
	struct text_backend	*tb = b->data;

	if (buf_append(&tb->emitted, seq, len) != 0)
		log_debug("text backend: %zu emitted bytes dropped", len);
}

/* Mouse reporting needs a terminal. */
static void
text_set_mouse(struct ui_backend *b, int on)
{
}

const struct ui_backend_ops ui_backend_text_ops = {
	.name = "text",
	.open = text_open,
	.close = text_close,
	.input_fd = text_input_fd,
	.read = text_read,
	.timeout = text_timeout,
	.expire = text_expire,
	.resize = text_resize,
	.present = text_present,
	.repaint = text_repaint,
	.emit = text_emit,
	.set_mouse = text_set_mouse,
};

/* Queue one input event (dropped when the queue is full). */
void
ui_backend_text_push(struct ui_backend *b, const struct ui_input *in)
{
	struct text_backend	*tb = b->data;

	if (b->ops != &ui_backend_text_ops || tb->qlen == TEXT_MAX_QUEUE)
		return;
	tb->queue[(tb->qhead + tb->qlen) % TEXT_MAX_QUEUE] = *in;
	tb->qlen++;
}

/* Queue key names ("j C-o Enter") or, with text, literal characters. */
int
ui_backend_text_type(struct ui_backend *b, const char *s, int text,
    char **cause)
{
	struct ui_input	 in;
	char		*copy, *w, *last = NULL;
	uint32_t	 cp;
	size_t		 len = strlen(s);
	int		 k, key, mods;

	if (text) {
		while (len > 0) {
			if ((k = utf8_decode(s, len, &cp)) < 0) {
				xasprintf(cause, "typed text is not UTF-8");
				return -1;
			}
			if (cp < 0x20 || cp == 0x7f)
				ui_key_from_byte((int)cp, &key, &mods);
			else {
				key = (int)cp;
				mods = 0;
			}
			ui_input_key(&in, key, mods);
			ui_backend_text_push(b, &in);
			s += k;
			len -= (size_t)k;
		}
		return 0;
	}
	copy = xstrdup(s);
	for (w = strtok_r(copy, " ", &last); w != NULL;
	    w = strtok_r(NULL, " ", &last)) {
		if (ui_key_parse(w, &key, &mods, cause) != 0) {
			free(copy);
			return -1;
		}
		ui_input_key(&in, key, mods);
		ui_backend_text_push(b, &in);
	}
	free(copy);
	return 0;
}

/* The letter of a style in dumps. */
static char
text_style_letter(uint16_t style)
{
	if (style & UI_STYLE_ANSI)
		return '%';
	if (style >= UI_STYLE__COUNT)
		return '?';
	return text_style_letters[style];
}

/* Dump the screen as text (and styles). */
int
ui_backend_text_dump(struct ui_backend *b, int styles, struct buf *out)
{
	struct text_backend	*tb = b->data;
	struct canvas_cell	*row;
	size_t			 keep;
	int			 x, y, end;

	for (y = 0; y < tb->h; y++) {
		row = &tb->front[(size_t)y * (size_t)tb->w];
		end = tb->w;
		while (end > 0 && row[end - 1].width == 1 &&
		    row[end - 1].g[0] == ' ' && (!styles ||
		    row[end - 1].style == UI_STYLE_NORMAL))
			end--;
		for (x = 0; x < end; x++)
			if (row[x].width != 0 &&
			    buf_append(out, row[x].g, row[x].len) != 0)
				return -1;
		if (buf_putc(out, '\n') != 0)
			return -1;
		if (!styles)
			continue;
		keep = out->len;
		for (x = 0; x < end; x++)
			if (buf_putc(out, text_style_letter(row[x].style)) != 0)
				return -1;
		/* A row all in the normal style gets an empty style line. */
		for (x = 0; x < end && row[x].style == UI_STYLE_NORMAL; x++)
			;
		if (x == end)
			buf_truncate(out, keep);
		if (buf_putc(out, '\n') != 0)
			return -1;
	}
	return 0;
}

/* Cells written by present so far (a measure of output volume). */
uint64_t
ui_backend_text_cells(struct ui_backend *b)
{
	struct text_backend	*tb = b->data;

	return tb->cells;
}

/* Move what was emitted between frames so far into out (appended). */
int
ui_backend_text_emitted(struct ui_backend *b, struct buf *out)
{
	struct text_backend	*tb = b->data;
	int			 rc;

	if (b->ops != &ui_backend_text_ops || tb->emitted.len == 0)
		return 0;
	rc = buf_append(out, tb->emitted.data, tb->emitted.len);
	buf_reset(&tb->emitted);
	return rc;
}
