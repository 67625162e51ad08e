/* ISC licence: see COPYING.  Fuzz target for ui/draw and ui/width:
 * untrusted text drawn into a canvas.
 *
 * Whatever the bytes, every cell must hold a valid UTF-8 display form
 * with no C0/C1 control, bidi control, tag character or DEL; a wide cell
 * must be followed by its right half and a right half must follow a wide
 * cell; wrapping with DRAW_STOP must make progress and end; and the
 * columns drawn must be what measuring says.
 */

#include "config.h"

#include <string.h>

#include "base/utf8.h"
#include "fuzz.h"
#include "ui/canvas.h"
#include "ui/draw.h"
#include "ui/theme.h"
#include "ui/width.h"

#define FUZZ_W	37
#define FUZZ_H	8

/* Check every cell of the canvas. */
static void
fuzz_check(struct canvas *c)
{
	const struct canvas_cell	*cell, *prev = NULL;
	uint32_t			 cp;
	size_t				 off;
	int				 k;

	for (int y = 0; y < FUZZ_H; y++, prev = NULL) {
		for (int x = 0; x < FUZZ_W; x++, prev = cell) {
			cell = canvas_cell(c, x, y);
			if (cell->width == 0 && (prev == NULL ||
			    prev->width != 2))
				fuzz_fail("orphan right half at %d,%d", x, y);
			if (prev != NULL && prev->width == 2 &&
			    cell->width != 0)
				fuzz_fail("wide cell without its half at %d,%d",
				    x, y);
			if (cell->width == 2 && x == FUZZ_W - 1)
				fuzz_fail("wide cell at the edge");
			if (!utf8_valid(cell->g, cell->len))
				fuzz_fail("invalid UTF-8 in a cell");
			for (off = 0; off < cell->len; off += (size_t)k) {
				k = utf8_decode(cell->g + off, cell->len - off,
				    &cp);
				if (cp < 0x20 || cp == 0x7f ||
				    (cp >= 0x80 && cp <= 0x9f) ||
				    (cp >= 0x202a && cp <= 0x202e) ||
				    (cp >= 0x2066 && cp <= 0x2069) ||
				    cp == 0x200e || cp == 0x200f ||
				    cp == 0x2028 || cp == 0x2029 ||
				    (cp >= 0xe0000 && cp <= 0xe007f))
					fuzz_fail("U+%04X in a cell", cp);
			}
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int	 flags[] = { 0, DRAW_SGR, DRAW_ONELINE |
	    DRAW_ELLIPSIS, DRAW_SGR | DRAW_ONELINE };
	const char		*s = (const char *)data;
	struct canvas		*c = canvas_create(FUZZ_W, FUZZ_H);
	struct canvas_region	 rg, sub;
	struct theme		*t = theme_builtin(THEME_DEPTH_16, 0);
	struct draw_opts	 o = { 0 };
	size_t			 used, left;
	int			 y, cols, w;

	o.theme = t;
	canvas_region_init(&rg, c);
	for (size_t f = 0; f < sizeof flags / sizeof flags[0]; f++) {
		o.flags = flags[f];
		o.match = f == 1 ? "a" : NULL;
		o.matchlen = f == 1 ? 1 : 0;
		cols = draw_untrusted(&rg, (int)f, (int)f, -1, 0, s, size, &o,
		    &used);
		if (used > size)
			fuzz_fail("consumed more than given");
		if (!(o.flags & DRAW_ONELINE) && cols > FUZZ_W)
			fuzz_fail("drew past the edge");
	}
	/* Wrapping: every row makes progress and all of it is consumed. */
	canvas_region_sub(&sub, &rg, 3, 4, 11, 4);
	o.flags = DRAW_STOP;
	o.match = NULL;
	left = size;
	for (y = 0; left > 0 && y < 10000; y++) {
		w = draw_untrusted(y < 4 ? &sub : NULL, 0, y % 4, 11, 0, s +
		    (size - left), left, &o, &used);
		if (w > 11)
			fuzz_fail("a wrapped row is %d columns", w);
		if (used == 0)
			used = 1;
		left -= used < left ? used : left;
	}
	if (left > 0)
		fuzz_fail("wrapping did not end");
	/* Trusted drawing of the same bytes cannot break the canvas. */
	canvas_put(&rg, 2, 7, -1, 0, s, size);
	(void)width_str(s, size);
	fuzz_check(c);
	canvas_free(c);
	theme_free(t);
	return 0;
}
