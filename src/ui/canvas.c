/* ISC licence: see COPYING.  Cells, dirty rows and clipped drawing. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/compiler.h"
#include "base/xmalloc.h"
#include "ui/canvas.h"

struct canvas {
	int			 w, h;
	struct canvas_cell	*cells;		/* h rows of w cells */
	uint8_t			*dirty;		/* one flag per row */
	int			 ndirty;	/* rows flagged */
	int			 cx, cy;	/* cursor position */
	int			 cvisible;	/* show the cursor there */
};

/* Allocate blank cells for the current size, every row dirty. */
static void
canvas_alloc(struct canvas *c)
{
	size_t	n = (size_t)c->w * (size_t)c->h;

	c->cells = xreallocarray(NULL, n ? n : 1, sizeof *c->cells);
	for (size_t i = 0; i < n; i++) {
		memset(&c->cells[i], 0, sizeof c->cells[i]);
		c->cells[i].g[0] = ' ';
		c->cells[i].len = 1;
		c->cells[i].width = 1;
	}
	c->dirty = xcalloc(c->h ? (size_t)c->h : 1, 1);
	canvas_dirty_all(c);
}

/* Create a blank canvas of w x h cells (either may be 0). */
struct canvas *
canvas_create(int w, int h)
{
	struct canvas	*c;

	c = xcalloc(1, sizeof *c);
	c->w = AD_MAX(w, 0);
	c->h = AD_MAX(h, 0);
	canvas_alloc(c);
	return c;
}

/* Free a canvas; NULL does nothing. */
void
canvas_free(struct canvas *c)
{
	if (c == NULL)
		return;
	free(c->cells);
	free(c->dirty);
	free(c);
}

/* Change the size; everything is blank and dirty afterwards. */
void
canvas_resize(struct canvas *c, int w, int h)
{
	free(c->cells);
	free(c->dirty);
	c->w = AD_MAX(w, 0);
	c->h = AD_MAX(h, 0);
	c->cvisible = 0;
	canvas_alloc(c);
}

/* Width in cells. */
int
canvas_width(const struct canvas *c)
{
	return c->w;
}

/* Height in cells. */
int
canvas_height(const struct canvas *c)
{
	return c->h;
}

/* The cell at (x, y), or NULL outside the canvas. */
const struct canvas_cell *
canvas_cell(const struct canvas *c, int x, int y)
{
	if (x < 0 || y < 0 || x >= c->w || y >= c->h)
		return NULL;
	return &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
}

/* Whether two cells show the same thing. */
int
canvas_cell_equal(const struct canvas_cell *a, const struct canvas_cell *b)
{
	return a->style == b->style && a->width == b->width &&
	    a->len == b->len && memcmp(a->g, b->g, a->len) == 0;
}

/* Whether row y changed since the last canvas_clean(). */
int
canvas_row_dirty(const struct canvas *c, int y)
{
	return y >= 0 && y < c->h && c->dirty[y];
}

/* Whether any row changed. */
int
canvas_any_dirty(const struct canvas *c)
{
	return c->ndirty > 0;
}

/* Forget the changes (the backend has presented them). */
void
canvas_clean(struct canvas *c)
{
	memset(c->dirty, 0, (size_t)c->h);
	c->ndirty = 0;
}

/* Mark every row changed, so the next present sends everything. */
void
canvas_dirty_all(struct canvas *c)
{
	memset(c->dirty, 1, (size_t)c->h);
	c->ndirty = c->h;
}

/* Flag row y as changed. */
static void
canvas_touch(struct canvas *c, int y)
{
	if (!c->dirty[y]) {
		c->dirty[y] = 1;
		c->ndirty++;
	}
}

/* Place the cursor; visible 0 hides it. */
void
canvas_set_cursor(struct canvas *c, int x, int y, int visible)
{
	if (x != c->cx || y != c->cy || !!visible != c->cvisible) {
		c->cx = x;
		c->cy = y;
		c->cvisible = !!visible;
		/* The backend only looks at dirty frames. */
		if (c->h > 0)
			canvas_touch(c, AD_MIN(AD_MAX(y, 0), c->h - 1));
	}
}

/* The cursor position; returns whether it is visible. */
int
canvas_cursor(const struct canvas *c, int *x, int *y)
{
	*x = c->cx;
	*y = c->cy;
	return c->cvisible && c->cx >= 0 && c->cy >= 0 && c->cx < c->w &&
	    c->cy < c->h;
}

/* Store one cell at absolute (x, y) if it differs from what is there. */
static void
canvas_store(struct canvas *c, int x, int y, uint16_t style, int width,
    const char *g, size_t len)
{
	struct canvas_cell	*cell;

	cell = &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
	if (cell->style == style && cell->width == width && cell->len == len &&
	    memcmp(cell->g, g, len) == 0)
		return;
	cell->style = style;
	cell->width = (uint8_t)width;
	cell->len = (uint8_t)len;
	memcpy(cell->g, g, len);
	cell->g[len] = '\0';
	canvas_touch(c, y);
}

/* Blank the cell at absolute (x, y), keeping its style. */
static void
canvas_blank(struct canvas *c, int x, int y)
{
	const struct canvas_cell	*cell = canvas_cell(c, x, y);

	if (cell != NULL)
		canvas_store(c, x, y, cell->style, 1, " ", 1);
}

/*
 * Write a cell of width w at absolute (x, y), repairing any wide cell it
 * cuts in half: the other half of a broken wide cell becomes a blank.
 */
static void
canvas_write(struct canvas *c, int x, int y, uint16_t style, int w,
    const char *g, size_t len)
{
	const struct canvas_cell	*cell;

	cell = canvas_cell(c, x, y);
	if (cell->width == 0)
		canvas_blank(c, x - 1, y);
	else if (cell->width == 2 && w == 1)
		canvas_blank(c, x + 1, y);
	if (w == 2) {
		cell = canvas_cell(c, x + 1, y);
		if (cell->width == 2)
			canvas_blank(c, x + 2, y);
		canvas_store(c, x + 1, y, style, 0, "", 0);
	}
	canvas_store(c, x, y, style, w, g, len);
}

/* The region covering the whole canvas. */
void
canvas_region_init(struct canvas_region *rg, struct canvas *c)
{
	rg->c = c;
	rg->r.x = rg->r.y = 0;
	rg->r.w = c->w;
	rg->r.h = c->h;
}

/* A sub-region of parent at (x, y) of w x h, clipped to parent. */
void
canvas_region_sub(struct canvas_region *rg, const struct canvas_region *parent,
    int x, int y, int w, int h)
{
	int	x0, y0, x1, y1;

	x0 = AD_MAX(parent->r.x + x, parent->r.x);
	y0 = AD_MAX(parent->r.y + y, parent->r.y);
	x1 = AD_MIN(parent->r.x + x + AD_MAX(w, 0), parent->r.x + parent->r.w);
	y1 = AD_MIN(parent->r.y + y + AD_MAX(h, 0), parent->r.y + parent->r.h);
	rg->c = parent->c;
	rg->r.x = x0;
	rg->r.y = y0;
	rg->r.w = AD_MAX(x1 - x0, 0);
	rg->r.h = AD_MAX(y1 - y0, 0);
}

/* Width of a region. */
int
canvas_region_width(const struct canvas_region *rg)
{
	return rg->r.w;
}

/* Height of a region. */
int
canvas_region_height(const struct canvas_region *rg)
{
	return rg->r.h;
}

/* Blank a rectangle of the region. */
void
canvas_fill(const struct canvas_region *rg, int x, int y, int w, int h,
    uint16_t style)
{
	int	x0, y0, x1, y1;

	x0 = AD_MAX(x, 0);
	y0 = AD_MAX(y, 0);
	x1 = AD_MIN(x + w, rg->r.w);
	y1 = AD_MIN(y + h, rg->r.h);
	for (int yy = y0; yy < y1; yy++)
		for (int xx = x0; xx < x1; xx++)
			canvas_write(rg->c, rg->r.x + xx, rg->r.y + yy, style,
			    1, " ", 1);
}

/* Draw one cluster; a wide one that does not fit becomes a blank. */
int
canvas_put_cluster(const struct canvas_region *rg, int x, int y,
    uint16_t style, const struct width_cluster *wc)
{
	if (wc->width == 0 || x < 0 || y < 0 || x >= rg->r.w || y >= rg->r.h)
		return 0;
	if (x + wc->width > rg->r.w) {
		canvas_write(rg->c, rg->r.x + x, rg->r.y + y, style, 1, " ", 1);
		return 0;
	}
	canvas_write(rg->c, rg->r.x + x, rg->r.y + y, style, wc->width,
	    wc->disp, wc->displen);
	return wc->width;
}

/* Draw text; stops at the right edge or after maxw columns. */
int
canvas_put(const struct canvas_region *rg, int x, int y, int maxw,
    uint16_t style, const char *s, size_t len)
{
	struct width_cluster	wc;
	int			used = 0, limit, n;

	if (y < 0 || y >= rg->r.h)
		return 0;
	limit = rg->r.w - x;
	if (maxw >= 0)
		limit = AD_MIN(limit, maxw);
	while (len > 0 && used < limit) {
		(void)width_next(s, len, &wc);
		s += wc.len;
		len -= wc.len;
		if (wc.width == 0)
			continue;
		if (used + wc.width > limit) {
			/* Half a wide cluster: pad what is left. */
			if (x + used >= 0)
				canvas_fill(rg, x + used, y, limit - used, 1,
				    style);
			used = limit;
			break;
		}
		if (x + used >= 0) {
			n = canvas_put_cluster(rg, x + used, y, style, &wc);
			if (n == 0)
				break;
		} else if (x + used + wc.width > 0)
			canvas_fill(rg, 0, y, x + used + wc.width, 1, style);
		used += wc.width;
	}
	return used;
}

/* Restyle w cells at (x, y), text unchanged. */
void
canvas_restyle(const struct canvas_region *rg, int x, int y, int w,
    uint16_t style)
{
	const struct canvas_cell	*cell;
	int				 ax, ay;

	if (y < 0 || y >= rg->r.h)
		return;
	ay = rg->r.y + y;
	for (int xx = AD_MAX(x, 0); xx < AD_MIN(x + w, rg->r.w); xx++) {
		ax = rg->r.x + xx;
		cell = canvas_cell(rg->c, ax, ay);
		canvas_store(rg->c, ax, ay, style, cell->width, cell->g,
		    cell->len);
	}
}
