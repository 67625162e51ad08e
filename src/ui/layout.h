/*
 * layout.h -- where things go on the screen (console.md 4.3).
 *
 * The screen is a header (one row, hideable), the body, the status line
 * (toasts replace it for a moment; the ":" and "/" prompts take it over)
 * and the key-hint row (hideable).  80x24 is the smallest screen laid
 * out; below that a single message asks for more room.  The body is
 * split by the views: a table beside the focused session, or a grid of
 * 2, 4, 6 or 9 tiles.  Pure arithmetic: nothing here draws.
 */
#ifndef PILOTHOUSE_LAYOUT_H
#define PILOTHOUSE_LAYOUT_H

#include "ui/canvas.h"

#define LAYOUT_MIN_WIDTH	80
#define LAYOUT_MIN_HEIGHT	24
#define LAYOUT_MAX_TILES	9

struct layout {
	int			too_small;	/* below 80x24 */
	struct canvas_rect	header;		/* h = 0 when hidden */
	struct canvas_rect	body;
	struct canvas_rect	status;
	struct canvas_rect	hints;		/* h = 0 when hidden */
};

/* Lay out a w x h screen. */
void	 layout_screen(struct layout *, int, int, int, int);
/*
 * Split r into a left part of lw columns (clamped to leave the right
 * part at least minr columns), a one-column gap, and the right part.
 */
void	 layout_split(const struct canvas_rect *, int, int,
	    struct canvas_rect *, struct canvas_rect *);
/* The next grid size after n (2, 4, 6, 9), or before it with dir < 0. */
int	 layout_grid_step(int, int);
/* Tile r into n panes (2, 4, 6 or 9), row by row; returns the count. */
int	 layout_grid(const struct canvas_rect *, int, struct canvas_rect *);

#endif
