/*
 * draw.h -- drawing text into a canvas region: trusted labels, untrusted
 * event text, boxes.
 *
 * Untrusted text (anything an agent, a tool or a server wrote) is only
 * ever drawn with draw_untrusted(): sanitize.h cuts it into printable
 * runs and inert stand-ins ("\xe2\x90\x9b[2J" for ESC[2J, "<U+202E>"), the
 * stand-ins are drawn in UI_STYLE_INERT, and SGR colour (DRAW_SGR) only
 * ever becomes one of the canvas's ANSI styles.  Line breaks end the
 * draw (callers lay lines out) or, with DRAW_ONELINE, show as a glyph.
 *
 * All functions clip to the region and return the columns they used;
 * with a NULL region they only measure.
 */
#ifndef PILOTHOUSE_DRAW_H
#define PILOTHOUSE_DRAW_H

#include <stddef.h>
#include <stdint.h>

#include "ui/canvas.h"
#include "ui/theme.h"

#define DRAW_SGR	0x01	/* map SGR colour to ANSI styles */
#define DRAW_ONELINE	0x02	/* show line breaks as a glyph, go on */
#define DRAW_ELLIPSIS	0x04	/* end with an ellipsis when cut */
#define DRAW_STOP	0x08	/* when cut, *used is where (for wrapping) */
#define DRAW_TABSTOP	8

struct draw_opts {
	int			 flags;
	const struct theme	*theme;		/* glyphs; NULL: ASCII */
	const char		*match;		/* text to highlight, or NULL */
	size_t			 matchlen;	/* (ASCII case-insensitive) */
};

/* Trusted text (our own labels); returns the columns used. */
int	 draw_text(const struct canvas_region *, int, int, int, uint16_t,
	    const char *);
/* Trusted text with an ellipsis when it does not fit in maxw. */
int	 draw_text_cut(const struct canvas_region *, int, int, int,
	    uint16_t, const char *, const struct theme *);
/* Trusted text right-aligned to end at column x (exclusive). */
int	 draw_text_right(const struct canvas_region *, int, int, uint16_t,
	    const char *);
/*
 * Untrusted text at (x, y), at most maxw columns (< 0: to the edge).
 * Stops at the first line break unless DRAW_ONELINE; *used (if not
 * NULL) gets the input bytes consumed, including the break.  With rg
 * NULL nothing is drawn: the result measures the text.
 */
int	 draw_untrusted(const struct canvas_region *, int, int, int,
	    uint16_t, const char *, size_t, const struct draw_opts *,
	    size_t *);
/* Columns of untrusted text up to its first line break. */
int	 draw_untrusted_width(const char *, size_t, int);
/* A frame around the region's edge with a title in it. */
void	 draw_box(const struct canvas_region *, uint16_t, const char *,
	    const struct theme *);
/* A horizontal rule of w columns at (x, y). */
void	 draw_hline(const struct canvas_region *, int, int, int, uint16_t,
	    const struct theme *);
/* Bytes of the next line of s (without its break) and of the break. */
size_t	 draw_line_len(const char *, size_t, size_t *);

#endif
