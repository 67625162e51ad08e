/*
 * width.h -- display width of text, one grapheme cluster at a time.
 *
 * Terminals and ncurses place characters by wcwidth(), summed code point
 * by code point; newer terminals join grapheme clusters (emoji ZWJ
 * sequences, skin tones, keycaps) into one glyph of two columns.  Text
 * that the two models measure differently breaks columns on one of them.
 * So every cluster is given a display form on which both models agree:
 * the base character with its combining marks (capped), a flag as its two
 * regional indicators, and an emoji sequence reduced to its first
 * pictograph (a family shows as its first member, a thumbs-up loses its
 * skin tone, a keycap its frame).  Unassigned code points and
 * noncharacters show as U+FFFD; format characters (ZWSP, ZWJ...) are
 * invisible and take no column.  Widths come from a table generated from
 * the Unicode data (width_table.h) that matches glibc's wcwidth().
 *
 * The input is expected to be printable UTF-8 (sanitize.h removes
 * controls first); a stray invalid byte is shown as U+FFFD, never raw.
 */
#ifndef PILOTHOUSE_WIDTH_H
#define PILOTHOUSE_WIDTH_H

#include <stddef.h>
#include <stdint.h>

#define WIDTH_DISPLAY_MAX	15	/* bytes of a display form */
#define WIDTH_MAX_MARKS		4	/* combining marks kept per cluster */

struct width_cluster {
	size_t		len;		/* input bytes the cluster covers */
	int		width;		/* columns of the display form: 0-2 */
	int		subst;		/* display form replaces the input */
	size_t		displen;
	char		disp[WIDTH_DISPLAY_MAX + 1];	/* NUL-ended */
};

/* Columns of one code point as wcwidth() gives them: -1 when invalid. */
int	 width_cp(uint32_t);
/* Non-zero for a combining mark that rides on the previous character. */
int	 width_is_mark(uint32_t);
/* Cut the next cluster from s (len > 0) and fill c; returns c->len. */
size_t	 width_next(const char *, size_t, struct width_cluster *);
/* Columns of the display forms of s. */
int	 width_str(const char *, size_t);
/*
 * The longest prefix of s, in bytes, whose display takes at most maxcols
 * columns, never splitting a cluster; *cols (if not NULL) gets its width.
 */
size_t	 width_fit(const char *, size_t, int, int *);

#endif
