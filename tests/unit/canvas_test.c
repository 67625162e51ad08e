/* ISC licence: see COPYING.  Tests for ui/canvas: cells, clipping, dirt. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui/canvas.h"
#include "tap.h"

/* Row y of c as text (wide cells once). */
static char *
row(struct canvas *c, int y)
{
	static char	buf[1024];
	size_t		n = 0;

	for (int x = 0; x < canvas_width(c); x++) {
		const struct canvas_cell	*cell = canvas_cell(c, x, y);

		if (cell->width == 0)
			continue;
		memcpy(buf + n, cell->g, cell->len);
		n += cell->len;
	}
	buf[n] = '\0';
	return buf;
}

int
main(void)
{
	struct canvas		*c;
	struct canvas_region	 all, sub;
	int			 used, x, y, bad;

	c = canvas_create(10, 3);
	canvas_region_init(&all, c);
	ok(canvas_any_dirty(c), "a new canvas is dirty");
	canvas_clean(c);
	ok(!canvas_any_dirty(c), "clean after canvas_clean");

	used = canvas_put(&all, 0, 0, -1, 1, "hello", 5);
	is_int(used, 5, "put returns the columns");
	is_str(row(c, 0), "hello     ", "text lands in cells");
	ok(canvas_row_dirty(c, 0) && !canvas_row_dirty(c, 1),
	    "only the touched row is dirty");
	canvas_clean(c);
	canvas_put(&all, 0, 0, -1, 1, "hello", 5);
	ok(!canvas_any_dirty(c), "rewriting the same cells is not a change");
	canvas_put(&all, 0, 0, -1, 2, "h", 1);
	ok(canvas_row_dirty(c, 0), "a style change is a change");

	/* Wide characters at the edge and overwritten halves. */
	used = canvas_put(&all, 8, 1, -1, 0, "\xe4\xb8\xad\xe6\x96\x87", 6);
	is_int(used, 2, "a second wide character does not fit");
	is_str(row(c, 1), "        \xe4\xb8\xad", "the first one does");
	canvas_put(&all, 9, 1, -1, 0, "x", 1);
	is_str(row(c, 1), "         x",
	    "writing the right half blanks the left half");
	canvas_put(&all, 0, 2, -1, 0, "\xe4\xb8\xad", 3);
	canvas_put(&all, 0, 2, -1, 0, "y", 1);
	is_str(row(c, 2), "y         ", "writing the left half blanks the "
	    "right half");
	is_int(canvas_cell(c, 1, 2)->width, 1, "the orphan is a blank cell");
	used = canvas_put(&all, 9, 2, -1, 0, "\xe4\xb8\xad", 3);
	is_int(used, 1, "a wide character cut at the edge pads a blank");
	is_int(canvas_cell(c, 9, 2)->width, 1, "no half character is stored");

	/* Regions clip. */
	canvas_resize(c, 10, 3);
	canvas_region_init(&all, c);
	canvas_region_sub(&sub, &all, 2, 1, 4, 1);
	used = canvas_put(&sub, 0, 0, -1, 0, "abcdefgh", 8);
	is_int(used, 4, "a region clips on the right");
	is_str(row(c, 1), "  abcd    ", "at its own origin");
	canvas_put(&sub, 0, 1, -1, 0, "zz", 2);
	is_str(row(c, 2), "          ", "and below");
	canvas_put(&sub, -2, 0, -1, 0, "12345", 5);
	is_str(row(c, 1), "  345d    ", "and on the left");
	canvas_region_sub(&sub, &all, 8, 0, 10, 10);
	is_int(canvas_region_width(&sub), 2, "a sub-region is clipped to "
	    "its parent");
	canvas_fill(&all, 0, 0, 100, 100, 3);
	is_int(canvas_cell(c, 9, 2)->style, 3, "fill clips too");
	used = canvas_put(&all, 0, 0, 3, 0, "abcdef", 6);
	is_int(used, 3, "maxw limits the columns");

	/* Untrusted bytes cannot get into a cell. */
	canvas_put(&all, 0, 0, -1, 0, "\x1b]52;c;AAAA\x07", 12);
	bad = 0;
	for (x = 0; x < canvas_width(c); x++)
		for (y = 0; y < canvas_height(c); y++) {
			const struct canvas_cell	*cell;

			cell = canvas_cell(c, x, y);
			for (int i = 0; i < cell->len; i++)
				if ((unsigned char)cell->g[i] < 0x20)
					bad++;
		}
	is_int(bad, 0, "no control byte in any cell");
	ok(strncmp(canvas_cell(c, 0, 0)->g, "\xef\xbf\xbd", 3) == 0,
	    "ESC becomes U+FFFD even through canvas_put");

	canvas_set_cursor(c, 3, 1, 1);
	ok(canvas_cursor(c, &x, &y) && x == 3 && y == 1, "cursor is kept");
	canvas_restyle(&all, 0, 0, 2, 7);
	is_int(canvas_cell(c, 1, 0)->style, 7, "restyle changes the style");
	ok(canvas_cell(c, 5, 7) == NULL, "outside cells are NULL");
	canvas_free(c);
	canvas_free(NULL);
	return done_testing();
}
