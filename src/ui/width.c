/* ISC licence: see COPYING.  Display width of grapheme clusters. */

#include "config.h"

#include <string.h>

#include "base/compiler.h"
#include "base/utf8.h"
#include "ui/width.h"
#include "ui/width_table.h"

#define WIDTH_CLASS_MARK	0	/* Mn, Me, Hangul V/T: no column */
#define WIDTH_CLASS_NARROW	1
#define WIDTH_CLASS_WIDE	2
#define WIDTH_CLASS_INVALID	3	/* unassigned, noncharacter, control */
#define WIDTH_CLASS_FORMAT	4	/* Cf: invisible, no column */
#define WIDTH_CLASS_MASK	7
#define WIDTH_EXTPICT		8	/* Extended_Pictographic */

#define WIDTH_ZWJ		0x200d
#define WIDTH_KEYCAP		0x20e3
/* U+25CC, the base drawn under a lone mark. */
#define WIDTH_DOTTED_CIRCLE	"\xe2\x97\x8c"
#define WIDTH_REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */

static int	width_prop(uint32_t);

/* The property byte of cp: a binary search of the range table. */
static int
width_prop(uint32_t cp)
{
	size_t	lo = 0, hi = AD_NITEMS(width_ranges), mid;

	if (cp >= 0x20 && cp < 0x7f)
		return WIDTH_CLASS_NARROW;
	if (cp > 0x10ffff)
		return WIDTH_CLASS_INVALID;
	/* The last entry whose start is <= cp. */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (width_ranges[mid].lo <= cp)
			lo = mid;
		else
			hi = mid;
	}
	return width_ranges[lo].prop;
}

/* Columns of cp as wcwidth() counts them. */
int
width_cp(uint32_t cp)
{
	switch (width_prop(cp) & WIDTH_CLASS_MASK) {
	case WIDTH_CLASS_MARK:
	case WIDTH_CLASS_FORMAT:
		return 0;
	case WIDTH_CLASS_NARROW:
		return 1;
	case WIDTH_CLASS_WIDE:
		return 2;
	default:
		return -1;
	}
}

/* A combining mark (it takes no column and attaches to its base). */
int
width_is_mark(uint32_t cp)
{
	return (width_prop(cp) & WIDTH_CLASS_MASK) == WIDTH_CLASS_MARK;
}

/* Non-zero for a regional indicator (half of a flag). */
static int
width_is_ri(uint32_t cp)
{
	return cp >= 0x1f1e6 && cp <= 0x1f1ff;
}

/* Non-zero for an emoji skin-tone modifier. */
static int
width_is_emod(uint32_t cp)
{
	return cp >= 0x1f3fb && cp <= 0x1f3ff;
}

/* Append n bytes to the display form if they fit; 0 if they did. */
static int
width_disp_add(struct width_cluster *c, const char *s, size_t n)
{
	if (c->displen + n > WIDTH_DISPLAY_MAX)
		return -1;
	memcpy(c->disp + c->displen, s, n);
	c->displen += n;
	c->disp[c->displen] = '\0';
	return 0;
}

/* Make c a one-column U+FFFD standing in for len input bytes. */
static size_t
width_substitute(struct width_cluster *c, size_t len)
{
	c->len = len;
	c->width = 1;
	c->subst = 1;
	c->displen = 0;
	(void)width_disp_add(c, WIDTH_REPLACEMENT, 3);
	return len;
}

/*
 * The next extended grapheme cluster (UAX #29 rules GB9, GB11, GB12/13
 * for what terminals actually join: marks, ZWJ emoji sequences, skin
 * tones, variation selectors, keycaps and flags), with its display form.
 * A base followed by thousands of marks is one cluster: all are consumed,
 * WIDTH_MAX_MARKS are shown.
 */
size_t
width_next(const char *s, size_t len, struct width_cluster *c)
{
	uint32_t	cp, next;
	size_t		i, baselen;
	int		k, prop, nprop, cls, nmarks = 0, nri, zwj = 0;
	int		emoji = 0;

	memset(c, 0, sizeof *c);
	if ((k = utf8_decode(s, len, &cp)) < 0)
		return width_substitute(c, 1);
	/* Plain ASCII not followed by a possible mark: the common case. */
	if (cp >= 0x20 && cp < 0x7f &&
	    (len == 1 || (unsigned char)s[1] < 0x80)) {
		c->len = 1;
		c->width = 1;
		c->disp[0] = s[0];
		c->displen = 1;
		return 1;
	}
	prop = width_prop(cp);
	cls = prop & WIDTH_CLASS_MASK;
	baselen = (size_t)k;
	switch (cls) {
	case WIDTH_CLASS_INVALID:
		return width_substitute(c, baselen);
	case WIDTH_CLASS_FORMAT:
		c->len = baselen;	/* invisible: no column, no display */
		return c->len;
	case WIDTH_CLASS_MARK:
		/* A mark with nothing to ride on gets a dotted circle. */
		(void)width_disp_add(c, WIDTH_DOTTED_CIRCLE, 3);
		if (cp != 0xfe0e && cp != 0xfe0f && cp != WIDTH_KEYCAP)
			(void)width_disp_add(c, s, baselen);
		c->width = 1;
		break;
	default:
		(void)width_disp_add(c, s, baselen);
		c->width = cls == WIDTH_CLASS_WIDE ? 2 : 1;
		break;
	}
	nri = width_is_ri(cp);
	for (i = baselen; i < len; i += (size_t)k) {
		if ((k = utf8_decode(s + i, len - i, &next)) < 0)
			break;
		nprop = width_prop(next);
		switch (nprop & WIDTH_CLASS_MASK) {
		case WIDTH_CLASS_FORMAT:
			/* Invisible; ZWJ may join the next pictograph. */
			zwj = next == WIDTH_ZWJ;
			continue;
		case WIDTH_CLASS_MARK:
			zwj = 0;
			if (next == 0xfe0e || next == 0xfe0f ||
			    next == WIDTH_KEYCAP)
				emoji = 1;	/* presentation differs */
			else if (nmarks < WIDTH_MAX_MARKS &&
			    width_disp_add(c, s + i, (size_t)k) == 0)
				nmarks++;
			continue;
		}
		if ((prop & WIDTH_EXTPICT) &&
		    ((zwj && (nprop & WIDTH_EXTPICT)) || width_is_emod(next))) {
			emoji = 1;
			zwj = 0;
			continue;
		}
		if (nri == 1 && width_is_ri(next) && nmarks == 0) {
			(void)width_disp_add(c, s + i, (size_t)k);
			c->width = 2;
			nri = 2;
			zwj = 0;
			continue;
		}
		break;
	}
	c->len = i;
	if (emoji && cls != WIDTH_CLASS_MARK) {
		/* Only the first pictograph, measured as wcwidth() does. */
		c->displen = 0;
		(void)width_disp_add(c, s, baselen);
	}
	return c->len;
}

/* Columns of s. */
int
width_str(const char *s, size_t len)
{
	struct width_cluster	c;
	int			w = 0;

	while (len > 0) {
		(void)width_next(s, len, &c);
		w += c.width;
		s += c.len;
		len -= c.len;
	}
	return w;
}

/* The longest prefix of s fitting in maxcols columns. */
size_t
width_fit(const char *s, size_t len, int maxcols, int *cols)
{
	struct width_cluster	c;
	size_t			off = 0;
	int			w = 0;

	while (off < len) {
		(void)width_next(s + off, len - off, &c);
		if (w + c.width > maxcols)
			break;
		w += c.width;
		off += c.len;
	}
	if (cols != NULL)
		*cols = w;
	return off;
}
