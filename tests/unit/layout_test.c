/* ISC licence: see COPYING.  Tests for ui/layout. */

#include "config.h"

#include "ui/layout.h"
#include "tap.h"

int
main(void)
{
	struct layout		l;
	struct canvas_rect	r = { 0, 1, 100, 30 }, a, b, t[9];
	int			n, area;

	layout_screen(&l, 80, 24, 1, 1);
	ok(!l.too_small, "80x24 is enough");
	is_int(l.header.h, 1, "one header row");
	is_int(l.body.y, 1, "body below it");
	is_int(l.status.y, 22, "status above the hints");
	is_int(l.hints.y, 23, "hints on the last row");
	is_int(l.body.h, 21, "body takes the rest");
	layout_screen(&l, 80, 24, 0, 0);
	is_int(l.body.h, 23, "hidden header and hints give rows back");
	layout_screen(&l, 79, 24, 1, 1);
	ok(l.too_small, "79 columns are too few");

	layout_split(&r, 40, 30, &a, &b);
	ok(a.w == 40 && b.x == 41 && b.w == 59, "split with a gap");
	layout_split(&r, 90, 30, &a, &b);
	is_int(b.w, 30, "the right side keeps its minimum");

	for (int k = 0; k < 4; k++) {
		static const int	sizes[] = { 2, 4, 6, 9 };

		n = layout_grid(&r, sizes[k], t);
		is_int(n, sizes[k], "grid of %d", sizes[k]);
		area = 0;
		for (int i = 0; i < n; i++) {
			area += t[i].w * t[i].h;
			if (t[i].x < r.x || t[i].y < r.y || t[i].x + t[i].w >
			    r.x + r.w || t[i].y + t[i].h > r.y + r.h)
				ok(0, "tile %d outside", i);
		}
		ok(area <= r.w * r.h && area >= (r.w - 2) * r.h,
		    "grid of %d covers the body (%d cells)", n, area);
	}
	is_int(layout_grid_step(2, 1), 4, "2 -> 4");
	is_int(layout_grid_step(9, 1), 9, "9 stays");
	is_int(layout_grid_step(6, -1), 4, "6 -> 4");
	is_int(layout_grid_step(2, -1), 2, "2 stays");
	return done_testing();
}
