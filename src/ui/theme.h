/*
 * theme.h -- what styles and glyphs look like.
 *
 * Views draw with style ids: a semantic id (UI_STYLE_*) or, for colour
 * carried by SGR sequences in tool output, an ANSI id packing a 16-colour
 * foreground, background and attributes (theme_style_ansi).  A theme
 * maps semantic ids to colours and attributes and names the glyphs
 * (state markers, borders).  Themes are files in themes/ (ini format,
 * doc/pilothouse.1 THEMES): the shipped ones and any in the user's
 * config directory.
 *
 * Colour depth: 16 colours by default (they follow the terminal's
 * palette), 256 or truecolor only when the terminal declares them
 * (COLORTERM), none when NO_COLOR is set; a theme's colours are
 * downsampled to the depth in use, never sent beyond it.  Every style
 * still carries its attributes without colour, and every state has a
 * glyph and a word, so monochrome stays usable.
 */
#ifndef PILOTHOUSE_THEME_H
#define PILOTHOUSE_THEME_H

#include <stdint.h>

#include "base/compiler.h"

enum ui_style {
	UI_STYLE_NORMAL = 0,
	UI_STYLE_DIM,
	UI_STYLE_BOLD,
	UI_STYLE_HEADER,
	UI_STYLE_BADGE,		/* pending-approvals badge */
	UI_STYLE_TITLE,		/* pane titles, breadcrumbs */
	UI_STYLE_BORDER,
	UI_STYLE_COLUMN,	/* table column headings */
	UI_STYLE_SELECTED,	/* the row under the cursor */
	UI_STYLE_TAGGED,
	UI_STYLE_STATUS,	/* the status line */
	UI_STYLE_TOAST,
	UI_STYLE_TOAST_ERROR,
	UI_STYLE_HINT_KEY,
	UI_STYLE_HINT,
	UI_STYLE_PROMPT,
	UI_STYLE_INERT,		/* stand-ins for unsafe text */
	UI_STYLE_MATCH,		/* search hits */
	UI_STYLE_RUNNING,
	UI_STYLE_IDLE,
	UI_STYLE_WAITING,	/* needs approval or input */
	UI_STYLE_STALLED,
	UI_STYLE_ERROR,
	UI_STYLE_RESCHEDULED,
	UI_STYLE_TERMINATED,
	UI_STYLE_USER,		/* user messages */
	UI_STYLE_AGENT,		/* agent messages */
	UI_STYLE_THINKING,
	UI_STYLE_TOOL,
	UI_STYLE_TOOL_OK,
	UI_STYLE_TOOL_ERROR,
	UI_STYLE_RETRY,
	UI_STYLE_PREVIEW,	/* a message still being written */
	UI_STYLE_DIFF_ADD,
	UI_STYLE_DIFF_DEL,
	UI_STYLE_DIFF_HUNK,
	UI_STYLE_TIME,
	UI_STYLE_BUTTON,
	UI_STYLE_BUTTON_FOCUS,
	UI_STYLE_CARD,		/* approval card frame */
	UI_STYLE__COUNT
};

/* ANSI-derived styles: 0x8000 | attrs << 10 | fg << 5 | bg. */
#define UI_STYLE_ANSI		0x8000
#define UI_STYLE_ANSI_DEFAULT	16	/* "no colour" in fg/bg */

#define THEME_COLOR_DEFAULT	(-1)
#define THEME_COLOR_RGB		0x1000000	/* | 0xRRGGBB */

#define THEME_ATTR_BOLD		0x01
#define THEME_ATTR_DIM		0x02
#define THEME_ATTR_ITALIC	0x04
#define THEME_ATTR_UNDERLINE	0x08
#define THEME_ATTR_REVERSE	0x10

struct theme_attr {
	int32_t	fg, bg;		/* DEFAULT, 0-255, or RGB | 0xRRGGBB */
	int	attrs;		/* THEME_ATTR_* */
};

enum theme_depth {
	THEME_DEPTH_NONE,	/* NO_COLOR, or a monochrome terminal */
	THEME_DEPTH_16,
	THEME_DEPTH_256,
	THEME_DEPTH_RGB
};

enum ui_glyph {
	UI_GLYPH_RUNNING,
	UI_GLYPH_IDLE,
	UI_GLYPH_WAITING,
	UI_GLYPH_STALLED,
	UI_GLYPH_ERROR,
	UI_GLYPH_RESCHEDULED,
	UI_GLYPH_TERMINATED,
	UI_GLYPH_COLLAPSED,
	UI_GLYPH_EXPANDED,
	UI_GLYPH_ELLIPSIS,
	UI_GLYPH_HLINE,
	UI_GLYPH_VLINE,
	UI_GLYPH_TOPLEFT,
	UI_GLYPH_TOPRIGHT,
	UI_GLYPH_BOTTOMLEFT,
	UI_GLYPH_BOTTOMRIGHT,
	UI_GLYPH_TAG,
	UI_GLYPH_CURSOR,
	UI_GLYPH_USER,
	UI_GLYPH_AGENT,
	UI_GLYPH_THINKING,
	UI_GLYPH_TOOL,
	UI_GLYPH_OK,
	UI_GLYPH_FAIL,
	UI_GLYPH_NEWLINE,
	UI_GLYPH_FOLLOW,
	UI_GLYPH_SEPARATOR,
	UI_GLYPH__COUNT
};

struct theme;

/* Colour depth from the environment (NO_COLOR, COLORTERM). */
enum theme_depth	 theme_depth_detect(void);
/* "none", "16", "256", "truecolor" to a depth; -1 if not one. */
int			 theme_depth_parse(const char *);
/*
 * Load themes/NAME.theme from the user's config directory, else the
 * shipped data directory.  ascii selects ASCII glyphs.  NULL with *cause
 * (naming the file and line) when it is missing or malformed.  Caller
 * frees with theme_free.
 */
struct theme		*theme_load(const char *, enum theme_depth, int,
			    char **);
/* Parse a theme from text (name, text, length). */
struct theme		*theme_parse(const char *, const char *, size_t,
			    enum theme_depth, int, char **);
/* The plain built-in theme used when no file can be read. */
struct theme		*theme_builtin(enum theme_depth, int);
void			 theme_free(struct theme *);
/* Borrowed; valid until theme_free. */
const char		*theme_name(const struct theme *);
enum theme_depth	 theme_depth(const struct theme *);
/* A style as the backend should draw it, at the theme's depth. */
void			 theme_resolve(const struct theme *, uint16_t,
			    struct theme_attr *);
/* Borrowed glyph text (valid UTF-8, or ASCII in ascii mode). */
const char		*theme_glyph(const struct theme *, enum ui_glyph);
/* An ANSI style id: fg/bg 0-15 or UI_STYLE_ANSI_DEFAULT, THEME_ATTR_*. */
uint16_t		 theme_style_ansi(int, int, int);
/* A style's name in theme files ("running"), or NULL. */
const char		*theme_style_name(enum ui_style);
/* Names of the installed themes, sorted, NULL-ended.  Caller frees
 * with theme_list_free. */
char			**theme_list(void);
void			 theme_list_free(char **);
/*
 * A resolved colour as a colour number of a terminal with ncolors
 * colours (8, 16, 256, or 0x1000000 for direct colour, where the number
 * is 0xRRGGBB): -1 for the default colour.  On an 8-colour terminal a
 * bright colour becomes its base colour and *bright (if not NULL) is set,
 * to be shown as bold.
 */
int			 theme_color_index(int32_t, int, int *);
/* The 16-colour index nearest to 0xRRGGBB. */
int			 theme_nearest16(uint32_t);
/* The 256-colour index nearest to 0xRRGGBB. */
int			 theme_nearest256(uint32_t);

#endif
