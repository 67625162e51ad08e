/* ISC licence: see COPYING.  The libtickit backend (--ui=tickit). */

#include "config.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <tickit.h>

#include "base/compiler.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "ui/backend.h"

/*
 * Only TickitTerm is used (not Tickit's windows or event loop): the
 * console's own loop watches the input descriptor and calls
 * tickit_term_input_readable(), and presenting compares the canvas with
 * a copy of what was last written, sending each changed run once with a
 * goto, pen changes and the text.  After a cluster that is not ASCII the
 * cursor is placed again explicitly, so a terminal that measures some
 * character differently cannot shift the rest of the row.
 */

#define TK_MAX_QUEUE	256	/* decoded events not yet read */
#define TK_PEN_CACHE	64	/* pens for ANSI styles, direct-mapped */
#define TK_UNKNOWN	0xff	/* front cell width: not known */
#define TK_ERASE_MIN	6	/* blanks worth an erase instead */

struct tk_backend {
	TickitTerm		*tt;
	int			 fd;		/* input */
	int			 colors;
	struct canvas_cell	*front;		/* what the terminal shows */
	int			 w, h;
	struct ui_input		 queue[TK_MAX_QUEUE];
	int			 qhead, qlen;
	TickitPen		*pens[UI_STYLE__COUNT];
	TickitPen		*apens[TK_PEN_CACHE];	/* ANSI styles */
	uint16_t		 astyle[TK_PEN_CACHE];
	TickitPen		*plain;		/* the default pen */
	const struct theme	*theme;		/* pens were made for it */
	int			 cur_style;	/* pen on the terminal, or -1 */
	int			 cursor_on;	/* cursor shown */
};

/* Add an event to the queue (dropped when full: the user typed ahead). */
static void
tk_queue(struct tk_backend *tb, const struct ui_input *in)
{
	if (tb->qlen == TK_MAX_QUEUE)
		return;
	tb->queue[(tb->qhead + tb->qlen) % TK_MAX_QUEUE] = *in;
	tb->qlen++;
}

/* libtermkey's names for the special keys. */
static const struct {
	const char	*name;
	int		 key;
} tk_keys[] = {
	{ "Enter", UI_KEY_ENTER }, { "Escape", UI_KEY_ESCAPE },
	{ "Tab", UI_KEY_TAB }, { "Backspace", UI_KEY_BACKSPACE },
	{ "Delete", UI_KEY_DELETE }, { "Insert", UI_KEY_INSERT },
	{ "Up", UI_KEY_UP }, { "Down", UI_KEY_DOWN }, { "Left", UI_KEY_LEFT },
	{ "Right", UI_KEY_RIGHT }, { "Home", UI_KEY_HOME },
	{ "End", UI_KEY_END }, { "PageUp", UI_KEY_PGUP },
	{ "PageDown", UI_KEY_PGDN }, { "Space", ' ' },
};

/* A key event from libtickit, normalised. */
static int
tk_on_key(TickitTerm *tt, TickitEventFlags flags, void *info, void *arg)
{
	struct tk_backend	*tb = arg;
	TickitKeyEventInfo	*ki = info;
	struct ui_input		 in;
	const char		*s = ki->str;
	uint32_t		 cp;
	int			 mods = 0, key = UI_KEY_NONE, n;

	if (ki->mod & TICKIT_MOD_CTRL)
		mods |= UI_MOD_CTRL;
	if (ki->mod & TICKIT_MOD_ALT)
		mods |= UI_MOD_ALT;
	if (ki->mod & TICKIT_MOD_SHIFT)
		mods |= UI_MOD_SHIFT;
	if (ki->type == TICKIT_KEYEV_KEY) {
		/* Drop the "C-", "M-", "S-" prefixes: mod has them. */
		while (s[0] != '\0' && s[1] == '-' && s[2] != '\0' &&
		    (s[0] == 'C' || s[0] == 'M' || s[0] == 'S'))
			s += 2;
		for (size_t i = 0; i < AD_NITEMS(tk_keys); i++)
			if (strcmp(s, tk_keys[i].name) == 0)
				key = tk_keys[i].key;
		if (key == UI_KEY_NONE && s[0] == 'F' && s[1] >= '1' &&
		    s[1] <= '9') {
			n = s[1] - '0';
			if (s[2] >= '0' && s[2] <= '2')
				n = n * 10 + (s[2] - '0');
			if (n >= 1 && n <= 12)
				key = UI_KEY_F1 + n - 1;
		}
	}
	if (key == UI_KEY_NONE) {
		n = utf8_decode(s, strlen(s), &cp);
		if (n <= 0 || cp < 0x20)
			return 1;
		key = (int)cp;
		if (ki->type == TICKIT_KEYEV_TEXT)
			mods &= ~UI_MOD_SHIFT;	/* "A" is its own key */
		if (key >= 'A' && key <= 'Z' && (mods & UI_MOD_CTRL))
			key += 'a' - 'A';
	}
	/* Enter, Tab and Backspace come with their own names already. */
	ui_input_key(&in, key, mods);
	tk_queue(tb, &in);
	return 1;
}

/* A mouse event from libtickit. */
static int
tk_on_mouse(TickitTerm *tt, TickitEventFlags flags, void *info, void *arg)
{
	struct tk_backend	*tb = arg;
	TickitMouseEventInfo	*mi = info;
	struct ui_input		 in;

	memset(&in, 0, sizeof in);
	in.type = UI_INPUT_MOUSE;
	in.x = mi->col;
	in.y = mi->line;
	in.button = mi->button;
	switch (mi->type) {
	case TICKIT_MOUSEEV_PRESS:
		in.action = UI_MOUSE_PRESS;
		break;
	case TICKIT_MOUSEEV_RELEASE:
		in.action = UI_MOUSE_RELEASE;
		break;
	case TICKIT_MOUSEEV_WHEEL:
		in.action = mi->button == TICKIT_MOUSEWHEEL_UP ?
		    UI_MOUSE_WHEEL_UP : UI_MOUSE_WHEEL_DOWN;
		break;
	default:
		return 1;
	}
	tk_queue(tb, &in);
	return 1;
}

/* Mark every front cell unknown (the terminal was cleared). */
static void
tk_front_reset(struct tk_backend *tb, int w, int h)
{
	size_t	n = (size_t)w * (size_t)h;

	free(tb->front);
	tb->w = w;
	tb->h = h;
	tb->front = xcalloc(n ? n : 1, sizeof *tb->front);
	for (size_t i = 0; i < n; i++)
		tb->front[i].width = TK_UNKNOWN;
	tb->cur_style = -1;
}

/* Take over the terminal. */
static int
tk_open(struct ui_backend *b, char **cause)
{
	struct TickitTermBuilder	 tb_build;
	struct tk_backend		*tb;
	struct termios			 tio;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		xasprintf(cause, "the tickit backend needs a terminal on "
		    "standard input and output");
		return -1;
	}
	memset(&tb_build, 0, sizeof tb_build);
	tb_build.open = TICKIT_OPEN_STDIO;
	tb_build.output_buffersize = 64 * 1024;
	tb = xcalloc(1, sizeof *tb);
	if ((tb->tt = tickit_term_build(&tb_build)) == NULL) {
		xasprintf(cause, "libtickit cannot use this terminal (TERM="
		    "%s)", getenv("TERM") ? getenv("TERM") : "");
		free(tb);
		return -1;
	}
	tb->fd = tickit_term_get_input_fd(tb->tt);
	tickit_term_await_started_msec(tb->tt, 100);
	/* C-c and C-z are keys here too, as in the ncurses backend. */
	if (tcgetattr(tb->fd, &tio) == 0) {
		tio.c_lflag &= ~(tcflag_t)ISIG;
		tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
		(void)tcsetattr(tb->fd, TCSANOW, &tio);
	}
	tb->plain = tickit_pen_new();
	tickit_term_setctl_int(tb->tt, TICKIT_TERMCTL_ALTSCREEN, 1);
	tickit_term_setctl_int(tb->tt, TICKIT_TERMCTL_CURSORVIS, 0);
	if (b->opt.mouse)
		tickit_term_setctl_int(tb->tt, TICKIT_TERMCTL_MOUSE,
		    TICKIT_TERM_MOUSEMODE_CLICK);
	if (!tickit_term_getctl_int(tb->tt, TICKIT_TERMCTL_COLORS,
	    &tb->colors))
		tb->colors = 8;
	tickit_term_bind_event(tb->tt, TICKIT_TERM_ON_KEY, 0, tk_on_key, tb);
	tickit_term_bind_event(tb->tt, TICKIT_TERM_ON_MOUSE, 0, tk_on_mouse,
	    tb);
	tickit_term_clear(tb->tt);
	tickit_term_flush(tb->tt);
	tickit_term_get_size(tb->tt, &b->h, &b->w);
	tk_front_reset(tb, b->w, b->h);
	b->data = tb;
	return 0;
}

/* Drop every cached pen (a new theme, or closing). */
static void
tk_pens_clear(struct tk_backend *tb)
{
	for (int i = 0; i < UI_STYLE__COUNT; i++) {
		if (tb->pens[i] != NULL)
			tickit_pen_unref(tb->pens[i]);
		tb->pens[i] = NULL;
	}
	for (int i = 0; i < TK_PEN_CACHE; i++) {
		if (tb->apens[i] != NULL)
			tickit_pen_unref(tb->apens[i]);
		tb->apens[i] = NULL;
	}
	tb->cur_style = -1;
}

/* Give the terminal back. */
static void
tk_close(struct ui_backend *b)
{
	struct tk_backend	*tb = b->data;

	tk_pens_clear(tb);
	tickit_pen_unref(tb->plain);
	tickit_term_setctl_int(tb->tt, TICKIT_TERMCTL_MOUSE,
	    TICKIT_TERM_MOUSEMODE_OFF);
	tickit_term_setctl_int(tb->tt, TICKIT_TERMCTL_CURSORVIS, 1);
	tickit_term_flush(tb->tt);
	tickit_term_teardown(tb->tt);
	tickit_term_unref(tb->tt);
	free(tb->front);
	free(tb);
}

/* The input descriptor. */
static int
tk_input_fd(struct ui_backend *b)
{
	struct tk_backend	*tb = b->data;

	return tb->fd;
}

/* Hand out queued events. */
static int
tk_drain(struct tk_backend *tb, struct ui_input *ev, int n)
{
	int	i;

	for (i = 0; i < n && tb->qlen > 0; i++) {
		ev[i] = tb->queue[tb->qhead];
		tb->qhead = (tb->qhead + 1) % TK_MAX_QUEUE;
		tb->qlen--;
	}
	return i;
}

/* Read what is there (never blocking) and hand out events. */
static int
tk_read(struct ui_backend *b, struct ui_input *ev, int n)
{
	struct tk_backend	*tb = b->data;
	struct pollfd		 pfd;

	if (tb->qlen == 0) {
		pfd.fd = tb->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 0) == 1)
			tickit_term_input_readable(tb->tt);
	}
	return tk_drain(tb, ev, n);
}

/* Until libtermkey gives up waiting for the rest of a sequence. */
static int
tk_timeout(struct ui_backend *b)
{
	struct tk_backend	*tb = b->data;

	if (tb->qlen > 0)
		return 0;
	return tickit_term_input_check_timeout_msec(tb->tt);
}

/* Take the pending bytes as typed. */
static int
tk_expire(struct ui_backend *b, struct ui_input *ev, int n)
{
	struct tk_backend	*tb = b->data;

	(void)tickit_term_input_check_timeout_msec(tb->tt);
	return tk_drain(tb, ev, n);
}

/* The terminal was resized: query it, and forget what it shows. */
static void
tk_resize(struct ui_backend *b)
{
	struct tk_backend	*tb = b->data;

	tickit_term_refresh_size(tb->tt);
	tickit_term_get_size(tb->tt, &b->h, &b->w);
	tickit_term_clear(tb->tt);
	tk_front_reset(tb, b->w, b->h);
}

/* Set a pen colour from a theme colour. */
static void
tk_pen_color(struct tk_backend *tb, TickitPen *pen, TickitPenAttr attr,
    int32_t c, int *bright)
{
	TickitPenRGB8	rgb;
	int		idx;

	if (c == THEME_COLOR_DEFAULT)
		return;
	if ((c & THEME_COLOR_RGB) && tb->colors >= 256) {
		idx = theme_nearest256((uint32_t)c & 0xffffff);
		tickit_pen_set_colour_attr(pen, attr, idx);
		rgb.r = (uint8_t)(c >> 16);
		rgb.g = (uint8_t)(c >> 8);
		rgb.b = (uint8_t)c;
		tickit_pen_set_colour_attr_rgb8(pen, attr, rgb);
		return;
	}
	if ((idx = theme_color_index(c, tb->colors, bright)) >= 0)
		tickit_pen_set_colour_attr(pen, attr, idx);
}

/* Make the pen for a resolved style. */
static TickitPen *
tk_pen_make(struct tk_backend *tb, const struct theme *t, uint16_t style)
{
	struct theme_attr	 a;
	TickitPen		*pen;
	int			 bright = 0;

	theme_resolve(t, style, &a);
	pen = tickit_pen_new();
	tk_pen_color(tb, pen, TICKIT_PEN_FG, a.fg, &bright);
	tk_pen_color(tb, pen, TICKIT_PEN_BG, a.bg, NULL);
	tickit_pen_set_bool_attr(pen, TICKIT_PEN_BOLD,
	    (a.attrs & THEME_ATTR_BOLD) || bright);
	tickit_pen_set_bool_attr(pen, TICKIT_PEN_ITALIC,
	    (a.attrs & THEME_ATTR_ITALIC) != 0);
	tickit_pen_set_int_attr(pen, TICKIT_PEN_UNDER,
	    (a.attrs & THEME_ATTR_UNDERLINE) ? TICKIT_PEN_UNDER_SINGLE :
	    TICKIT_PEN_UNDER_NONE);
	tickit_pen_set_bool_attr(pen, TICKIT_PEN_REVERSE,
	    (a.attrs & THEME_ATTR_REVERSE) != 0);
	/* libtickit has no dim; leave it to the colour. */
	return pen;
}

/* The pen of a style, cached. */
static TickitPen *
tk_pen(struct tk_backend *tb, const struct theme *t, uint16_t style)
{
	int	slot;

	if (t != tb->theme) {
		tk_pens_clear(tb);
		tb->theme = t;
	}
	if (!(style & UI_STYLE_ANSI)) {
		if (style >= UI_STYLE__COUNT)
			style = UI_STYLE_NORMAL;
		if (tb->pens[style] == NULL)
			tb->pens[style] = tk_pen_make(tb, t, style);
		return tb->pens[style];
	}
	slot = style % TK_PEN_CACHE;
	if (tb->apens[slot] == NULL || tb->astyle[slot] != style) {
		if (tb->apens[slot] != NULL)
			tickit_pen_unref(tb->apens[slot]);
		tb->apens[slot] = tk_pen_make(tb, t, style);
		tb->astyle[slot] = style;
	}
	return tb->apens[slot];
}

/* Switch the terminal's pen if the style differs from the last one. */
static void
tk_use_style(struct tk_backend *tb, const struct theme *t, uint16_t style)
{
	if (tb->cur_style == style)
		return;
	tickit_term_setpen(tb->tt, tk_pen(tb, t, style));
	tb->cur_style = style;
}

/* Write the changed cells of row y. */
static void
tk_present_row(struct tk_backend *tb, struct canvas *c, const struct theme *t,
    int y, int w)
{
	const struct canvas_cell	*cell, *next;
	struct canvas_cell		*f;
	int				 x, at = -1, n;

	for (x = 0; x < w; x += cell->width ? cell->width : 1) {
		cell = canvas_cell(c, x, y);
		f = &tb->front[(size_t)y * (size_t)tb->w + (size_t)x];
		if (canvas_cell_equal(f, cell) && (cell->width != 2 ||
		    x + 1 >= w ||
		    canvas_cell_equal(f + 1, canvas_cell(c, x + 1, y))))
			continue;
		if (cell->width == 0) {
			/* An orphan half (only if the canvas is wrong). */
			continue;
		}
		/* A run of blanks in one style is erased in one go. */
		for (n = 0; x + n < w; n++) {
			next = canvas_cell(c, x + n, y);
			if (next->width != 1 || next->g[0] != ' ' ||
			    next->style != cell->style)
				break;
		}
		if (at != x)
			tickit_term_goto(tb->tt, y, x);
		tk_use_style(tb, t, cell->style);
		if (n >= TK_ERASE_MIN) {
			tickit_term_erasech(tb->tt, n, TICKIT_YES);
			for (int i = 0; i < n; i++)
				f[i] = *canvas_cell(c, x + i, y);
			at = x + n;
			x += n - 1;
			continue;
		}
		tickit_term_printn(tb->tt, cell->g, cell->len);
		*f = *cell;
		if (cell->width == 2 && x + 1 < w)
			f[1] = *canvas_cell(c, x + 1, y);
		/* After anything but ASCII, place the cursor ourselves. */
		at = (unsigned char)cell->g[0] < 0x80 ? x + cell->width : -1;
	}
}

/* Send what changed. */
static void
tk_present(struct ui_backend *b, struct canvas *c, const struct theme *t)
{
	struct tk_backend	*tb = b->data;
	int			 w, h, cx, cy;

	w = AD_MIN(canvas_width(c), tb->w);
	h = AD_MIN(canvas_height(c), tb->h);
	if (tb->cursor_on) {
		tickit_term_setctl_int(tb->tt, TICKIT_TERMCTL_CURSORVIS, 0);
		tb->cursor_on = 0;
	}
	for (int y = 0; y < h; y++)
		if (canvas_row_dirty(c, y))
			tk_present_row(tb, c, t, y, w);
	if (canvas_cursor(c, &cx, &cy)) {
		tickit_term_goto(tb->tt, cy, cx);
		tickit_term_setctl_int(tb->tt, TICKIT_TERMCTL_CURSORVIS, 1);
		tb->cursor_on = 1;
	}
	tickit_term_flush(tb->tt);
}

/* Clear the terminal and forget it; the next present sends all. */
static void
tk_repaint(struct ui_backend *b)
{
	struct tk_backend	*tb = b->data;

	tk_pens_clear(tb);
	tb->theme = NULL;
	tickit_term_setpen(tb->tt, tb->plain);
	tickit_term_clear(tb->tt);
	tk_front_reset(tb, tb->w, tb->h);
}

/* Write a sequence between frames. */
static void
tk_emit(struct ui_backend *b, const char *seq, size_t len)
{
	struct tk_backend	*tb = b->data;

	tickit_term_printn(tb->tt, seq, len);
	tickit_term_flush(tb->tt);
}

/* Mouse reporting on or off. */
static void
tk_set_mouse(struct ui_backend *b, int on)
{
	struct tk_backend	*tb = b->data;

	tickit_term_setctl_int(tb->tt, TICKIT_TERMCTL_MOUSE, on ?
	    TICKIT_TERM_MOUSEMODE_CLICK : TICKIT_TERM_MOUSEMODE_OFF);
	tickit_term_flush(tb->tt);
}

const struct ui_backend_ops ui_backend_tickit_ops = {
	.name = "tickit",
	.open = tk_open,
	.close = tk_close,
	.input_fd = tk_input_fd,
	.read = tk_read,
	.timeout = tk_timeout,
	.expire = tk_expire,
	.resize = tk_resize,
	.present = tk_present,
	.repaint = tk_repaint,
	.emit = tk_emit,
	.set_mouse = tk_set_mouse,
};
