/* ISC licence: see COPYING.  The ncursesw backend (the default). */

#include "config.h"

#define NCURSES_WIDECHAR 1

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include "base/compiler.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "ui/backend.h"

/*
 * How ncurses is driven (console.md 5.1): the canvas's dirty rows are
 * copied into stdscr and doupdate() runs once per frame, so ncurses
 * compares with what the terminal shows and sends only what changed (and
 * nothing when nothing did).  Input is read without blocking whenever the
 * descriptor is readable; set_escdelay() keeps a lone Esc quick.
 */

struct nc_backend {
	SCREEN		*screen;
	FILE		*in, *out;	/* /dev/tty when stdio is not one */
	int		 own_files;	/* we opened in/out */
	int		 colors;	/* COLORS, 0 without colour */
	int		 pending;	/* a key read after Esc, or -1 */
	int		 pending_code;	/* it was a KEY_* code */
	/* Resolved semantic styles: attributes and colour pair. */
	int		 cached[UI_STYLE__COUNT];
	attr_t		 attr[UI_STYLE__COUNT];
	int		 pair[UI_STYLE__COUNT];
};

/* Restore the terminal before a fatal message is printed. */
static void
nc_fatal_hook(void)
{
	endwin();
}

/* Set up ncurses on the terminal. */
static int
nc_open(struct ui_backend *b, char **cause)
{
	struct nc_backend	*nb;
	int			 fd;

	nb = xcalloc(1, sizeof *nb);
	nb->pending = -1;
	if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		nb->in = stdin;
		nb->out = stdout;
	} else {
		if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) == -1) {
			xasprintf(cause, "no terminal: %s (the console needs "
			    "one; try \"pilothouse snapshot\")",
			    strerror(errno));
			free(nb);
			return -1;
		}
		nb->in = fdopen(fd, "r");
		nb->out = fdopen(dup(fd), "w");
		nb->own_files = 1;
		if (nb->in == NULL || nb->out == NULL)
			fatal("fdopen");
	}
	if ((nb->screen = newterm(NULL, nb->out, nb->in)) == NULL) {
		xasprintf(cause, "cannot use terminal type \"%s\" (set TERM, "
		    "e.g. TERM=xterm-256color)", getenv("TERM") ?
		    getenv("TERM") : "");
		if (nb->own_files) {
			fclose(nb->in);
			fclose(nb->out);
		}
		free(nb);
		return -1;
	}
	fatal_set_hook(nc_fatal_hook);
	raw();			/* C-c, C-z and C-s are keys, not signals */
	noecho();
	nonl();			/* Enter is CR, C-j is LF */
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	meta(stdscr, TRUE);
	idlok(stdscr, TRUE);	/* scroll with insert/delete line */
	leaveok(stdscr, FALSE);
	set_escdelay(b->opt.escdelay > 0 ? b->opt.escdelay : 25);
	curs_set(0);
	if (has_colors()) {
		start_color();
		use_default_colors();	/* -1: the terminal's own colours */
		nb->colors = COLORS;
	}
	mouseinterval(0);
	b->data = nb;
	b->w = COLS;
	b->h = LINES;
	if (b->opt.mouse)
		mousemask(BUTTON1_PRESSED | BUTTON1_RELEASED |
		    BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	return 0;
}

/* Give the terminal back. */
static void
nc_close(struct ui_backend *b)
{
	struct nc_backend	*nb = b->data;

	if (b->opt.mouse)
		mousemask(0, NULL);
	curs_set(1);
	endwin();
	delscreen(nb->screen);
	fatal_set_hook(NULL);
	if (nb->own_files) {
		fclose(nb->in);
		fclose(nb->out);
	}
	free(nb);
}

/* The terminal's input descriptor. */
static int
nc_input_fd(struct ui_backend *b)
{
	struct nc_backend	*nb = b->data;

	return fileno(nb->in);
}

/* Map a KEY_* code; 0 for codes the console does not use. */
static int
nc_map_code(int code, struct ui_input *in)
{
	static const struct {
		int	code, key, mods;
	} map[] = {
		{ KEY_UP, UI_KEY_UP, 0 }, { KEY_DOWN, UI_KEY_DOWN, 0 },
		{ KEY_LEFT, UI_KEY_LEFT, 0 }, { KEY_RIGHT, UI_KEY_RIGHT, 0 },
		{ KEY_SR, UI_KEY_UP, UI_MOD_SHIFT },
		{ KEY_SF, UI_KEY_DOWN, UI_MOD_SHIFT },
		{ KEY_SLEFT, UI_KEY_LEFT, UI_MOD_SHIFT },
		{ KEY_SRIGHT, UI_KEY_RIGHT, UI_MOD_SHIFT },
		{ KEY_HOME, UI_KEY_HOME, 0 }, { KEY_END, UI_KEY_END, 0 },
		{ KEY_SHOME, UI_KEY_HOME, UI_MOD_SHIFT },
		{ KEY_SEND, UI_KEY_END, UI_MOD_SHIFT },
		{ KEY_PPAGE, UI_KEY_PGUP, 0 }, { KEY_NPAGE, UI_KEY_PGDN, 0 },
		{ KEY_ENTER, UI_KEY_ENTER, 0 }, { KEY_BTAB, UI_KEY_TAB,
		  UI_MOD_SHIFT }, { KEY_BACKSPACE, UI_KEY_BACKSPACE, 0 },
		{ KEY_DC, UI_KEY_DELETE, 0 }, { KEY_IC, UI_KEY_INSERT, 0 },
	};

	for (size_t i = 0; i < AD_NITEMS(map); i++) {
		if (map[i].code == code) {
			ui_input_key(in, map[i].key, map[i].mods);
			return 1;
		}
	}
	if (code >= KEY_F(1) && code <= KEY_F(12)) {
		ui_input_key(in, UI_KEY_F1 + code - KEY_F(1), 0);
		return 1;
	}
	return 0;
}

/* Turn a mouse report into an event; 0 if it is not one we use. */
static int
nc_map_mouse(struct ui_input *in)
{
	MEVENT	me;

	if (getmouse(&me) != OK)
		return 0;
	memset(in, 0, sizeof *in);
	in->type = UI_INPUT_MOUSE;
	in->x = me.x;
	in->y = me.y;
	in->button = 1;
	if (me.bstate & BUTTON1_PRESSED)
		in->action = UI_MOUSE_PRESS;
	else if (me.bstate & BUTTON1_RELEASED)
		in->action = UI_MOUSE_RELEASE;
	else if (me.bstate & BUTTON4_PRESSED)
		in->action = UI_MOUSE_WHEEL_UP;
	else if (me.bstate & BUTTON5_PRESSED)
		in->action = UI_MOUSE_WHEEL_DOWN;
	else
		return 0;
	return 1;
}

/* A character (not a KEY_* code) as a key event. */
static void
nc_map_char(wint_t wc, struct ui_input *in)
{
	int	key, mods;

	if (wc < 0x20 || wc == 0x7f) {
		ui_key_from_byte((int)wc, &key, &mods);
		ui_input_key(in, key, mods);
	} else
		ui_input_key(in, (int)wc, 0);
}

/* Read one ncurses key; ERR when none is waiting. */
static int
nc_get(struct nc_backend *nb, wint_t *wc)
{
	int	r;

	if (nb->pending != -1) {
		*wc = (wint_t)nb->pending;
		r = nb->pending_code ? KEY_CODE_YES : OK;
		nb->pending = -1;
		return r;
	}
	return get_wch(wc);
}

/* Decode what the terminal sent. */
static int
nc_read(struct ui_backend *b, struct ui_input *ev, int n)
{
	struct nc_backend	*nb = b->data;
	wint_t			 wc, next;
	int			 i = 0, r, r2;

	while (i < n && (r = nc_get(nb, &wc)) != ERR) {
		if (r == KEY_CODE_YES) {
			if (wc == KEY_MOUSE) {
				if (nc_map_mouse(&ev[i]))
					i++;
			} else if (nc_map_code((int)wc, &ev[i]))
				i++;
			continue;
		}
		if (wc != 0x1b) {
			nc_map_char(wc, &ev[i++]);
			continue;
		}
		/* Esc: ncurses waited ESCDELAY; what follows is Alt+key. */
		r2 = get_wch(&next);
		if (r2 == OK && next >= 0x20 && next != 0x7f) {
			ui_input_key(&ev[i++], (int)next, UI_MOD_ALT);
			continue;
		}
		ui_input_key(&ev[i++], UI_KEY_ESCAPE, 0);
		if (r2 != ERR) {
			nb->pending = (int)next;
			nb->pending_code = r2 == KEY_CODE_YES;
		}
	}
	return i;
}

/* ncurses resolves Esc itself (within ESCDELAY). */
static int
nc_timeout(struct ui_backend *b)
{
	return -1;
}

/* Nothing is held back. */
static int
nc_expire(struct ui_backend *b, struct ui_input *ev, int n)
{
	return 0;
}

/* Ask the terminal its size and tell ncurses. */
static void
nc_resize(struct ui_backend *b)
{
	struct nc_backend	*nb = b->data;
	struct winsize		 ws;

	if (ioctl(fileno(nb->out), TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	b->w = COLS;
	b->h = LINES;
}

/* The attributes and pair of a style. */
static void
nc_style(struct nc_backend *nb, const struct theme *t, uint16_t style,
    attr_t *attr, int *pair)
{
	struct theme_attr	a;
	int			fg, bg, bold = 0;

	if (style < UI_STYLE__COUNT && nb->cached[style]) {
		*attr = nb->attr[style];
		*pair = nb->pair[style];
		return;
	}
	theme_resolve(t, style, &a);
	*attr = A_NORMAL;
	*pair = 0;
	if (nb->colors > 0 && (a.fg != THEME_COLOR_DEFAULT ||
	    a.bg != THEME_COLOR_DEFAULT)) {
		fg = theme_color_index(a.fg, nb->colors, &bold);
		bg = theme_color_index(a.bg, nb->colors, NULL);
		if ((*pair = alloc_pair(fg, bg)) < 0)
			*pair = 0;	/* out of pairs: no colour */
	}
	if ((a.attrs & THEME_ATTR_BOLD) || bold)
		*attr |= A_BOLD;
	if (a.attrs & THEME_ATTR_DIM)
		*attr |= A_DIM;
	if (a.attrs & THEME_ATTR_ITALIC)
		*attr |= A_ITALIC;
	if (a.attrs & THEME_ATTR_UNDERLINE)
		*attr |= A_UNDERLINE;
	if (a.attrs & THEME_ATTR_REVERSE)
		*attr |= A_REVERSE;
	if (style < UI_STYLE__COUNT) {
		nb->cached[style] = 1;
		nb->attr[style] = *attr;
		nb->pair[style] = *pair;
	}
}

/* Put w question marks where a cell cannot be shown as ncurses counts. */
static void
nc_put_placeholder(int y, int x, int w, attr_t attr, int pair)
{
	cchar_t		cc;
	wchar_t		q[2] = { L'?', 0 };

	setcchar(&cc, q, attr, 0, &pair);
	for (int i = 0; i < w; i++)
		mvadd_wch(y, x + i, &cc);
}

/*
 * Put one cell.  The display form is a spacing character with its marks,
 * or (a flag) two spacing characters of one column each; each spacing
 * character must measure for the C library as it did for the canvas, or
 * ncurses would place the rest of the row elsewhere than we think.
 */
static void
nc_put_cell(int y, int x, const struct canvas_cell *cell, attr_t attr,
    int pair)
{
	cchar_t		cc;
	wchar_t		wch[CCHARW_MAX + 1];
	uint32_t	cp;
	size_t		off = 0;
	int		k, n = 0, col = x, w;

	while (off < cell->len) {
		if ((k = utf8_decode(cell->g + off, cell->len - off, &cp)) < 0)
			break;
		off += (size_t)k;
		w = wcwidth((wchar_t)cp);
		if (n > 0 && w == 0 && n < CCHARW_MAX) {
			wch[n++] = (wchar_t)cp;
			continue;
		}
		if (n > 0) {
			wch[n] = 0;
			setcchar(&cc, wch, attr, 0, &pair);
			mvadd_wch(y, col, &cc);
			col += wcwidth(wch[0]);
			n = 0;
		}
		if (w <= 0)
			continue;	/* a mark beyond the cap */
		wch[n++] = (wchar_t)cp;
	}
	if (n > 0) {
		wch[n] = 0;
		setcchar(&cc, wch, attr, 0, &pair);
		mvadd_wch(y, col, &cc);
		col += wcwidth(wch[0]);
	}
	if (col - x != cell->width)
		nc_put_placeholder(y, x, cell->width, attr, pair);
}

/* Copy the dirty rows into stdscr and update the terminal once. */
static void
nc_present(struct ui_backend *b, struct canvas *c, const struct theme *t)
{
	struct nc_backend		*nb = b->data;
	const struct canvas_cell	*cell;
	attr_t				 attr;
	int				 pair, w, h, cx, cy;

	w = AD_MIN(canvas_width(c), COLS);
	h = AD_MIN(canvas_height(c), LINES);
	for (int y = 0; y < h; y++) {
		if (!canvas_row_dirty(c, y))
			continue;
		for (int x = 0; x < w; x++) {
			cell = canvas_cell(c, x, y);
			if (cell->width == 0)
				continue;
			nc_style(nb, t, cell->style, &attr, &pair);
			if (x + cell->width > w)
				nc_put_placeholder(y, x, 1, attr, pair);
			else
				nc_put_cell(y, x, cell, attr, pair);
		}
	}
	if (canvas_cursor(c, &cx, &cy)) {
		move(cy, cx);
		curs_set(1);
	} else
		curs_set(0);
	wnoutrefresh(stdscr);
	doupdate();
}

/* Forget the screen (Ctrl-L, a new theme): redraw it all next time. */
static void
nc_repaint(struct ui_backend *b)
{
	struct nc_backend	*nb = b->data;

	memset(nb->cached, 0, sizeof nb->cached);
	clearok(curscr, TRUE);
}

/* Write a sequence between frames, past curses (which has flushed). */
static void
nc_emit(struct ui_backend *b, const char *seq, size_t len)
{
	struct nc_backend	*nb = b->data;

	fflush(nb->out);
	fwrite(seq, 1, len, nb->out);
	fflush(nb->out);
}

/* Mouse reporting on or off. */
static void
nc_set_mouse(struct ui_backend *b, int on)
{
	mousemask(on ? BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON4_PRESSED |
	    BUTTON5_PRESSED : 0, NULL);
}

const struct ui_backend_ops ui_backend_ncurses_ops = {
	.name = "ncurses",
	.open = nc_open,
	.close = nc_close,
	.input_fd = nc_input_fd,
	.read = nc_read,
	.timeout = nc_timeout,
	.expire = nc_expire,
	.resize = nc_resize,
	.present = nc_present,
	.repaint = nc_repaint,
	.emit = nc_emit,
	.set_mouse = nc_set_mouse,
};
