/* ISC licence: see COPYING.  Tests for ui/draw: untrusted text is inert. */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/canvas.h"
#include "ui/draw.h"
#include "ui/theme.h"
#include "tap.h"

/* Row y as text. */
static char *
row(struct canvas *c, int y)
{
	static char	buf[4096];
	size_t		n = 0;

	for (int x = 0; x < canvas_width(c); x++) {
		const struct canvas_cell	*cell = canvas_cell(c, x, y);

		if (cell->width != 0) {
			memcpy(buf + n, cell->g, cell->len);
			n += cell->len;
		}
	}
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
	return buf;
}

/* Non-zero if any cell of c holds a byte a terminal would act on, or a
 * bidi control or C1 control as UTF-8. */
static int
unsafe(struct canvas *c)
{
	for (int y = 0; y < canvas_height(c); y++)
		for (int x = 0; x < canvas_width(c); x++) {
			const unsigned char	*p;

			p = (const unsigned char *)canvas_cell(c, x, y)->g;
			for (; *p; p++) {
				if (*p < 0x20 || *p == 0x7f)
					return 1;
				if (p[0] == 0xc2 && p[1] >= 0x80 &&
				    p[1] <= 0x9f)
					return 1;
				if (p[0] == 0xe2 && p[1] == 0x80 &&
				    p[2] >= 0xaa && p[2] <= 0xae)
					return 1;
				if (p[0] == 0xe2 && p[1] == 0x81 &&
				    p[2] >= 0xa6 && p[2] <= 0xa9)
					return 1;
			}
		}
	return 0;
}

int
main(void)
{
	static const char	 hostile[] = "ok\x1b[2J\x1b]52;c;cHduZWQ=\x07"
	    "\xe2\x80\xae" "evil\x00" "\x9b" "31m\xc2\x9b" "end";
	struct canvas		*c;
	struct canvas_region	 rg;
	struct theme		*t;
	struct draw_opts	 o = { 0 };
	char			*big;
	size_t			 used, n;
	int			 cols, inert = 0;
	clock_t			 t0;

	t = theme_builtin(THEME_DEPTH_16, 0);
	o.theme = t;
	c = canvas_create(200, 6);
	canvas_region_init(&rg, c);

	cols = draw_untrusted(&rg, 0, 0, -1, UI_STYLE_NORMAL, hostile,
	    sizeof hostile - 1, &o, &used);
	ok(!unsafe(c), "no control, C1 or bidi byte reaches a cell");
	is_int(used, sizeof hostile - 1, "the whole line is consumed");
	ok(strstr(row(c, 0), "\xe2\x90\x9b[2J") != NULL,
	    "ESC shows as a control picture: %s", row(c, 0));
	ok(strstr(row(c, 0), "<U+202E>evil") != NULL,
	    "a bidi override shows as <U+202E>");
	ok(strstr(row(c, 0), "\xe2\x90\x80") != NULL, "NUL shows as a "
	    "picture");
	for (int x = 0; x < cols; x++)
		if (canvas_cell(c, x, 0)->style == UI_STYLE_INERT)
			inert++;
	ok(inert > 10, "stand-ins are drawn in the inert style");
	is_int(canvas_cell(c, 0, 0)->style, UI_STYLE_NORMAL, "text is not");

	/* SGR becomes an ANSI style, never bytes. */
	o.flags = DRAW_SGR;
	draw_untrusted(&rg, 0, 1, -1, UI_STYLE_NORMAL,
	    "a\x1b[1;31mred\x1b[0mb", 16, &o, NULL);
	is_str(row(c, 1), "aredb", "SGR sequences are not drawn");
	is_int(canvas_cell(c, 1, 1)->style, theme_style_ansi(1, -1,
	    THEME_ATTR_BOLD), "SGR red bold maps to an ANSI style");
	is_int(canvas_cell(c, 4, 1)->style, UI_STYLE_NORMAL, "reset maps back");
	draw_untrusted(&rg, 0, 1, -1, UI_STYLE_NORMAL,
	    "\x1b[38;2;0;0;255mX\x1b[38;5;196mY", 28, &o, NULL);
	is_int(canvas_cell(c, 0, 1)->style, theme_style_ansi(4, -1, 0),
	    "truecolor SGR downsamples to 16");
	is_int(canvas_cell(c, 1, 1)->style, theme_style_ansi(9, -1, 0),
	    "256-colour SGR downsamples to 16");
	o.flags = 0;
	draw_untrusted(&rg, 0, 2, -1, UI_STYLE_NORMAL, "a\x1b[31mb", 7, &o,
	    NULL);
	ok(strstr(row(c, 2), "\xe2\x90\x9b[31m") != NULL, "without DRAW_SGR "
	    "SGR is shown inert");

	/* Line breaks, tabs, cutting. */
	cols = draw_untrusted(&rg, 0, 3, -1, UI_STYLE_NORMAL, "one\ntwo", 7,
	    &o, &used);
	ok(cols == 3 && used == 4, "a line break ends the draw");
	canvas_fill(&rg, 0, 3, 200, 1, 0);
	draw_untrusted(&rg, 0, 3, -1, UI_STYLE_NORMAL, "a\tb", 3, &o, NULL);
	is_str(row(c, 3), "a       b", "tabs expand to 8");
	o.flags = DRAW_ONELINE | DRAW_ELLIPSIS;
	canvas_fill(&rg, 0, 3, 200, 1, 0);
	cols = draw_untrusted(&rg, 0, 3, 6, UI_STYLE_NORMAL, "ab\ncdefgh", 9,
	    &o, &used);
	is_str(row(c, 3), "ab\xe2\x86\xb5" "cd\xe2\x80\xa6",
	    "one-line mode shows the break; the cut gets an ellipsis");
	is_int(used, 9, "a cut one-line draw consumes everything");

	/* A 200 KB line is cut without being walked. */
	n = 200 * 1024;
	big = malloc(n + 3);
	memset(big, 'x', n);
	memcpy(big + n, "\ny", 3);
	o.flags = 0;
	t0 = clock();
	for (int i = 0; i < 100; i++)
		cols = draw_untrusted(&rg, 0, 4, 80, UI_STYLE_NORMAL, big,
		    n + 2, &o, &used);
	ok(cols == 80 && used == n + 1, "a 200 KB line draws 80 columns and "
	    "skips to its end");
	ok((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0,
	    "100 draws of a 200 KB line take well under a second");
	is_int(draw_untrusted_width("a\x1b" "b", 3, 0), 3,
	    "measuring counts the stand-in");
	free(big);

	/* Search hits are highlighted. */
	o.flags = 0;
	o.match = "LO";
	o.matchlen = 2;
	canvas_fill(&rg, 0, 5, 200, 1, 0);
	draw_untrusted(&rg, 0, 5, -1, UI_STYLE_NORMAL, "hello lo", 8, &o,
	    NULL);
	ok(canvas_cell(c, 3, 5)->style == UI_STYLE_MATCH &&
	    canvas_cell(c, 4, 5)->style == UI_STYLE_MATCH &&
	    canvas_cell(c, 5, 5)->style == UI_STYLE_NORMAL &&
	    canvas_cell(c, 6, 5)->style == UI_STYLE_MATCH,
	    "matches are highlighted, case-insensitively");

	canvas_fill(&rg, 0, 0, 200, 6, 0);
	draw_box(&rg, UI_STYLE_BORDER, "title", t);
	ok(strncmp(row(c, 0), "\xe2\x94\x8c \xe2\x94\x80", 3) == 0 ||
	    strstr(row(c, 0), "title") != NULL, "a box has its title");
	is_int(draw_text_cut(&rg, 0, 1, 4, 0, "abcdefgh", t), 4,
	    "draw_text_cut keeps to its width");
	ok(strncmp(row(c, 1), "abc\xe2\x80\xa6", 6) == 0, "with an ellipsis");
	canvas_free(c);
	theme_free(t);
	return done_testing();
}
