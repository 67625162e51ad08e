/* ISC licence: see COPYING.  Screen layout arithmetic. */

#include "config.h"

#include "base/compiler.h"
#include "ui/layout.h"

/* Lay out the screen: header, body, status line, key hints. */
void
layout_screen(struct layout *l, int w, int h, int header, int hints)
{
	int	y = 0;

	l->too_small = w < LAYOUT_MIN_WIDTH || h < LAYOUT_MIN_HEIGHT;
	l->header = (struct canvas_rect){ 0, 0, w, header ? 1 : 0 };
	y += l->header.h;
	l->hints = (struct canvas_rect){ 0, h - (hints ? 1 : 0), w,
	    hints ? 1 : 0 };
	l->status = (struct canvas_rect){ 0, l->hints.y - 1, w, 1 };
	l->body = (struct canvas_rect){ 0, y, w, AD_MAX(l->status.y - y, 0) };
}

/* Split r into left | gap | right. */
void
layout_split(const struct canvas_rect *r, int lw, int minr,
    struct canvas_rect *left, struct canvas_rect *right)
{
	lw = AD_MIN(lw, r->w - minr - 1);
	lw = AD_MAX(lw, 0);
	*left = (struct canvas_rect){ r->x, r->y, lw, r->h };
	*right = (struct canvas_rect){ r->x + lw + 1, r->y,
	    AD_MAX(r->w - lw - 1, 0), r->h };
}

/* Grid sizes in order. */
static const int layout_sizes[] = { 2, 4, 6, 9 };

/* The next or previous grid size. */
int
layout_grid_step(int n, int dir)
{
	int	i;

	for (i = 0; i < (int)AD_NITEMS(layout_sizes); i++)
		if (layout_sizes[i] >= n)
			break;
	i += dir > 0 ? 1 : -1;
	i = AD_MAX(0, AD_MIN(i, (int)AD_NITEMS(layout_sizes) - 1));
	return layout_sizes[i];
}

/*
 * Tile r: 2 side by side, 4 as 2x2, 6 as 3 columns of 2 rows, 9 as 3x3.
 * Columns are separated by a one-column gap; leftover cells go to the
 * last row and column, so tiles differ by at most one.
 */
int
layout_grid(const struct canvas_rect *r, int n, struct canvas_rect *tiles)
{
	int	cols, rows, cw, rh, x, y, i = 0;

	switch (n) {
	case 2:
		cols = 2;
		rows = 1;
		break;
	case 4:
		cols = rows = 2;
		break;
	case 6:
		cols = 3;
		rows = 2;
		break;
	default:
		cols = rows = 3;
		n = 9;
		break;
	}
	cw = (r->w - (cols - 1)) / cols;
	rh = r->h / rows;
	for (int row = 0; row < rows; row++) {
		y = r->y + row * rh;
		for (int col = 0; col < cols; col++) {
			x = r->x + col * (cw + 1);
			tiles[i].x = x;
			tiles[i].y = y;
			tiles[i].w = col == cols - 1 ? r->x + r->w - x : cw;
			tiles[i].h = row == rows - 1 ? r->y + r->h - y : rh;
			i++;
		}
	}
	return n;
}
