/* ISC licence: see COPYING.  Text, untrusted text and boxes on a canvas. */

#include "config.h"

#include <limits.h>
#include <string.h>
#include <strings.h>

#include "base/compiler.h"
#include "base/sanitize.h"
#include "ui/draw.h"
#include "ui/width.h"

/* SGR state while drawing tool output. */
struct draw_sgr {
	int	fg, bg;		/* 0-15, or -1 */
	int	attrs;		/* THEME_ATTR_* */
};

/* A glyph, or its ASCII stand-in when there is no theme. */
static const char *
draw_glyph(const struct theme *t, enum ui_glyph g, const char *ascii)
{
	return t != NULL ? theme_glyph(t, g) : ascii;
}

/* Trusted text. */
int
draw_text(const struct canvas_region *rg, int x, int y, int maxw,
    uint16_t style, const char *s)
{
	return canvas_put(rg, x, y, maxw, style, s, strlen(s));
}

/* Trusted text, cut with an ellipsis. */
int
draw_text_cut(const struct canvas_region *rg, int x, int y, int maxw,
    uint16_t style, const char *s, const struct theme *t)
{
	size_t	len = strlen(s), fit;
	int	cols;

	if (maxw <= 0)
		return 0;
	if (width_str(s, len) <= maxw)
		return canvas_put(rg, x, y, maxw, style, s, len);
	fit = width_fit(s, len, maxw - 1, &cols);
	canvas_put(rg, x, y, cols, style, s, fit);
	canvas_put(rg, x + cols, y, 1, style, draw_glyph(t, UI_GLYPH_ELLIPSIS,
	    "~"), strlen(draw_glyph(t, UI_GLYPH_ELLIPSIS, "~")));
	return cols + 1;
}

/* Trusted text ending at column x. */
int
draw_text_right(const struct canvas_region *rg, int x, int y, uint16_t style,
    const char *s)
{
	int	w = width_str(s, strlen(s));

	return draw_text(rg, x - w, y, w, style, s);
}

/* Apply SGR parameters to the state (colours map to the 16). */
static void
draw_sgr_apply(struct draw_sgr *st, const struct sanitize_piece *p)
{
	int	v, i;

	if (p->nparams == 0) {
		st->fg = st->bg = -1;
		st->attrs = 0;
		return;
	}
	for (i = 0; i < p->nparams; i++) {
		v = p->params[i];
		if (v == 0) {
			st->fg = st->bg = -1;
			st->attrs = 0;
		} else if (v == 1)
			st->attrs |= THEME_ATTR_BOLD;
		else if (v == 2)
			st->attrs |= THEME_ATTR_DIM;
		else if (v == 3)
			st->attrs |= THEME_ATTR_ITALIC;
		else if (v == 4)
			st->attrs |= THEME_ATTR_UNDERLINE;
		else if (v == 7)
			st->attrs |= THEME_ATTR_REVERSE;
		else if (v == 22)
			st->attrs &= ~(THEME_ATTR_BOLD | THEME_ATTR_DIM);
		else if (v == 23)
			st->attrs &= ~THEME_ATTR_ITALIC;
		else if (v == 24)
			st->attrs &= ~THEME_ATTR_UNDERLINE;
		else if (v == 27)
			st->attrs &= ~THEME_ATTR_REVERSE;
		else if (v >= 30 && v <= 37)
			st->fg = v - 30;
		else if (v == 39)
			st->fg = -1;
		else if (v >= 40 && v <= 47)
			st->bg = v - 40;
		else if (v == 49)
			st->bg = -1;
		else if (v >= 90 && v <= 97)
			st->fg = v - 90 + 8;
		else if (v >= 100 && v <= 107)
			st->bg = v - 100 + 8;
		else if ((v == 38 || v == 48) && i + 2 < p->nparams &&
		    p->params[i + 1] == 5) {
			int	c = p->params[i + 2] & 0xff;

			c = c < 16 ? c : theme_color_index(c, 16, NULL);
			if (v == 38)
				st->fg = c;
			else
				st->bg = c;
			i += 2;
		} else if ((v == 38 || v == 48) && i + 4 < p->nparams &&
		    p->params[i + 1] == 2) {
			uint32_t	rgb = (uint32_t)(p->params[i + 2] &
			    0xff) << 16 | (uint32_t)(p->params[i + 3] &
			    0xff) << 8 | (uint32_t)(p->params[i + 4] & 0xff);

			if (v == 38)
				st->fg = theme_nearest16(rgb);
			else
				st->bg = theme_nearest16(rgb);
			i += 4;
		}
	}
}

/* The style for the current SGR state over the base style. */
static uint16_t
draw_sgr_style(const struct draw_sgr *st, uint16_t base)
{
	if (st->fg < 0 && st->bg < 0 && st->attrs == 0)
		return base;
	return theme_style_ansi(st->fg, st->bg, st->attrs);
}

/*
 * Draw s (display text) cluster by cluster; 0 when the limit was
 * reached, with *done (if not NULL) the bytes drawn.  A stand-in (whole)
 * is drawn only if all of it fits.
 */
static int
draw_clusters(const struct canvas_region *rg, int x, int y, int *col,
    int limit, uint16_t style, const char *s, size_t len,
    const struct draw_opts *o, const char *line, size_t linelen,
    size_t base, size_t *hl, size_t *done)
{
	struct width_cluster	wc;
	size_t			off = 0;
	uint16_t		st;

	if (line == NULL && *col + width_str(s, len) > limit)
		return 0;	/* a stand-in or glyph: all or nothing */
	if (done != NULL)
		*done = 0;

	while (off < len) {
		(void)width_next(s + off, len - off, &wc);
		if (o != NULL && o->match != NULL && o->matchlen > 0 &&
		    line != NULL && base + off >= *hl &&
		    base + off + o->matchlen <= linelen &&
		    strncasecmp(line + base + off, o->match, o->matchlen) == 0)
			*hl = base + off + o->matchlen;
		if (*col + wc.width > limit)
			return 0;
		st = line != NULL && base + off < *hl ? UI_STYLE_MATCH : style;
		if (rg != NULL && wc.width > 0)
			canvas_put_cluster(rg, x + *col, y, st, &wc);
		*col += wc.width;
		off += wc.len;
		if (done != NULL)
			*done = off;
	}
	return 1;
}

/* Untrusted text, sanitised on the way. */
int
draw_untrusted(const struct canvas_region *rg, int x, int y, int maxw,
    uint16_t style, const char *s, size_t len, const struct draw_opts *o,
    size_t *used)
{
	struct sanitize_piece	 p;
	struct draw_sgr		 sgr = { -1, -1, 0 };
	const char		*nl, *glyph;
	size_t			 off = 0, n, hl = 0, done;
	const struct theme	*t = o != NULL ? o->theme : NULL;
	int			 flags = o != NULL ? o->flags : 0, col = 0;
	int			 limit, cut = 0, spaces;
	uint16_t		 cur = style;

	limit = maxw < 0 ? INT_MAX : maxw;
	if (rg != NULL)
		limit = AD_MIN(limit, rg->r.w - x);
	if (limit <= 0)
		limit = 0;
	while (off < len && !cut) {
		n = sanitize_next(s + off, len - off,
		    (flags & DRAW_SGR) ? SANITIZE_SGR_FLAG : 0, &p);
		switch (p.kind) {
		case SANITIZE_NEWLINE:
			if (!(flags & DRAW_ONELINE)) {
				off += n;
				goto done;
			}
			glyph = draw_glyph(t, UI_GLYPH_NEWLINE, "$");
			cut = !draw_clusters(rg, x, y, &col, limit,
			    UI_STYLE_INERT, glyph, strlen(glyph), NULL, NULL,
			    0, 0, &hl, NULL);
			break;
		case SANITIZE_TAB:
			spaces = DRAW_TABSTOP - col % DRAW_TABSTOP;
			if (col + spaces > limit) {
				spaces = limit - col;
				cut = 1;
			}
			if (rg != NULL)
				canvas_fill(rg, x + col, y, spaces, 1, cur);
			col += spaces;
			break;
		case SANITIZE_SGR:
			draw_sgr_apply(&sgr, &p);
			cur = draw_sgr_style(&sgr, style);
			break;
		case SANITIZE_INERT:
			cut = !draw_clusters(rg, x, y, &col, limit,
			    UI_STYLE_INERT, p.text, p.len, NULL, NULL, 0, 0,
			    &hl, NULL);
			break;
		case SANITIZE_TEXT:
			cut = !draw_clusters(rg, x, y, &col, limit, cur,
			    p.text, p.len, o, s, len, off, &hl, &done);
			if (cut)
				off += done;	/* DRAW_STOP resumes there */
			break;
		}
		if (!cut)
			off += n;
	}
	if (cut && (flags & DRAW_STOP)) {
		/* off is where the next row of a wrapped line starts. */
	} else if (cut) {
		/* Skip the rest of the line without looking at it. */
		if (flags & DRAW_ONELINE)
			off = len;
		else if ((nl = memchr(s + off, '\n', len - off)) != NULL)
			off = (size_t)(nl - s) + 1;
		else
			off = len;
		if ((flags & DRAW_ELLIPSIS) && rg != NULL && col > 0) {
			glyph = draw_glyph(t, UI_GLYPH_ELLIPSIS, "~");
			canvas_put(rg, x + AD_MIN(col, limit) - 1, y, 1,
			    UI_STYLE_DIM, glyph, strlen(glyph));
		}
	}
done:
	if (used != NULL)
		*used = off;
	return col;
}

/* Columns of untrusted text up to its first line break. */
int
draw_untrusted_width(const char *s, size_t len, int flags)
{
	struct draw_opts	o = { .flags = flags };

	return draw_untrusted(NULL, 0, 0, -1, UI_STYLE_NORMAL, s, len, &o,
	    NULL);
}

/* A horizontal rule. */
void
draw_hline(const struct canvas_region *rg, int x, int y, int w,
    uint16_t style, const struct theme *t)
{
	const char	*g = draw_glyph(t, UI_GLYPH_HLINE, "-");
	size_t		 len = strlen(g);

	for (int i = 0; i < w; i++)
		canvas_put(rg, x + i, y, 1, style, g, len);
}

/* A frame around the region with a title. */
void
draw_box(const struct canvas_region *rg, uint16_t style, const char *title,
    const struct theme *t)
{
	int		w = canvas_region_width(rg);
	int		h = canvas_region_height(rg);
	const char	*v = draw_glyph(t, UI_GLYPH_VLINE, "|");

	if (w < 2 || h < 2)
		return;
	draw_text(rg, 0, 0, 1, style, draw_glyph(t, UI_GLYPH_TOPLEFT, "+"));
	draw_hline(rg, 1, 0, w - 2, style, t);
	draw_text(rg, w - 1, 0, 1, style, draw_glyph(t, UI_GLYPH_TOPRIGHT,
	    "+"));
	for (int y = 1; y < h - 1; y++) {
		draw_text(rg, 0, y, 1, style, v);
		draw_text(rg, w - 1, y, 1, style, v);
	}
	draw_text(rg, 0, h - 1, 1, style, draw_glyph(t, UI_GLYPH_BOTTOMLEFT,
	    "+"));
	draw_hline(rg, 1, h - 1, w - 2, style, t);
	draw_text(rg, w - 1, h - 1, 1, style, draw_glyph(t,
	    UI_GLYPH_BOTTOMRIGHT, "+"));
	if (title != NULL && *title != '\0' && w > 6) {
		draw_text(rg, 2, 0, 1, style, " ");
		draw_text_cut(rg, 3, 0, w - 6, UI_STYLE_TITLE, title, t);
		draw_text(rg, 3 + AD_MIN(width_str(title, strlen(title)),
		    w - 6), 0, 1, style, " ");
	}
}

/* The next line of s: its length, and in *brk the break's length. */
size_t
draw_line_len(const char *s, size_t len, size_t *brk)
{
	const char	*nl = memchr(s, '\n', len);
	size_t		 n;

	if (nl == NULL) {
		*brk = 0;
		return len;
	}
	n = (size_t)(nl - s);
	*brk = 1;
	if (n > 0 && s[n - 1] == '\r') {
		n--;
		*brk = 2;
	}
	return n;
}
