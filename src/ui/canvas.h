/*
 * canvas.h -- the screen as cells, independent of any terminal library.
 *
 * Every view draws into a canvas; a backend (backend.h) presents it.  A
 * cell holds one grapheme cluster in its display form (width.h), its
 * width and a style id (theme.h resolves ids to colours).  A wide
 * cluster takes two cells: the second has width 0 and no text.  Text
 * can only enter a cell through width_next(), so a cell never holds a
 * control character or an invalid sequence whatever it is given.
 *
 * The canvas remembers which rows changed since the last present: a
 * write that leaves a cell as it was does not count, so a view may redraw
 * everything each frame and a backend still sends only what changed.
 *
 * Drawing goes through a region: a rectangle of the canvas with its own
 * origin.  Coordinates are relative to it and everything is clipped to it,
 * so a pane cannot draw outside its box.
 */
#ifndef PILOTHOUSE_CANVAS_H
#define PILOTHOUSE_CANVAS_H

#include <stddef.h>
#include <stdint.h>

#include "ui/width.h"

struct canvas;

struct canvas_cell {
	uint16_t	style;		/* theme style id */
	uint8_t		width;		/* 1, 2; 0: right half of a wide cell */
	uint8_t		len;		/* bytes in g */
	char		g[WIDTH_DISPLAY_MAX + 1];	/* display form */
};

struct canvas_rect {
	int	x, y;
	int	w, h;
};

/* A clipped window onto a canvas; cheap to copy, owns nothing. */
struct canvas_region {
	struct canvas		*c;
	struct canvas_rect	 r;	/* in canvas coordinates, clipped */
};

struct canvas	*canvas_create(int, int);
void		 canvas_free(struct canvas *);
/* New size; contents become blank and every row dirty. */
void		 canvas_resize(struct canvas *, int, int);
int		 canvas_width(const struct canvas *);
int		 canvas_height(const struct canvas *);
/* Borrowed; valid until the next resize.  NULL outside the canvas. */
const struct canvas_cell *canvas_cell(const struct canvas *, int, int);

/* Same text, width and style? */
int		 canvas_cell_equal(const struct canvas_cell *,
		    const struct canvas_cell *);
/* Did row y change since canvas_clean()? */
int		 canvas_row_dirty(const struct canvas *, int);
int		 canvas_any_dirty(const struct canvas *);
/* Mark every row clean (after a present) or dirty (full repaint). */
void		 canvas_clean(struct canvas *);
void		 canvas_dirty_all(struct canvas *);

/* Where the terminal cursor should be shown (composer), or hidden. */
void		 canvas_set_cursor(struct canvas *, int, int, int);
int		 canvas_cursor(const struct canvas *, int *, int *);

/* A region covering the whole canvas. */
void		 canvas_region_init(struct canvas_region *, struct canvas *);
/* A sub-region of parent, rect in parent coordinates, clipped. */
void		 canvas_region_sub(struct canvas_region *,
		    const struct canvas_region *, int, int, int, int);
int		 canvas_region_width(const struct canvas_region *);
int		 canvas_region_height(const struct canvas_region *);

/* Blank w x h cells at (x, y) in style. */
void		 canvas_fill(const struct canvas_region *, int, int, int, int,
		    uint16_t);
/*
 * Draw text at (x, y) in style, stopping at the region's right edge or
 * after maxw columns (maxw < 0: no limit).  Returns the columns used.
 */
int		 canvas_put(const struct canvas_region *, int, int, int,
		    uint16_t, const char *, size_t);
/* Draw one cluster at (x, y); returns the columns used (0 if clipped). */
int		 canvas_put_cluster(const struct canvas_region *, int, int,
		    uint16_t, const struct width_cluster *);
/* Change the style of w cells at (x, y), keeping their text. */
void		 canvas_restyle(const struct canvas_region *, int, int, int,
		    uint16_t);

#endif
