/* ISC licence: see COPYING.  Themes: styles, colour depth and glyphs. */

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/compiler.h"
#include "base/ini.h"
#include "base/io.h"
#include "base/paths.h"
#include "base/str.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "ui/theme.h"
#include "ui/width.h"

#define THEME_MAX_FILE		(64 * 1024)
#define THEME_MAX_GLYPH		16	/* bytes of a glyph */
#define THEME_MAX_THEMES	64

struct theme {
	char			*name;
	enum theme_depth	 depth;
	int			 ascii;		/* ASCII glyphs */
	struct theme_attr	 styles[UI_STYLE__COUNT];	/* as written */
	char			 glyphs[UI_GLYPH__COUNT][THEME_MAX_GLYPH];
};

/* Names of the styles in theme files, indexed by enum ui_style. */
static const char *theme_style_names[UI_STYLE__COUNT] = {
	[UI_STYLE_NORMAL] = "normal",
	[UI_STYLE_DIM] = "dim",
	[UI_STYLE_BOLD] = "bold",
	[UI_STYLE_HEADER] = "header",
	[UI_STYLE_BADGE] = "badge",
	[UI_STYLE_TITLE] = "title",
	[UI_STYLE_BORDER] = "border",
	[UI_STYLE_COLUMN] = "column",
	[UI_STYLE_SELECTED] = "selected",
	[UI_STYLE_TAGGED] = "tagged",
	[UI_STYLE_STATUS] = "status",
	[UI_STYLE_TOAST] = "toast",
	[UI_STYLE_TOAST_ERROR] = "toast-error",
	[UI_STYLE_HINT_KEY] = "hint-key",
	[UI_STYLE_HINT] = "hint",
	[UI_STYLE_PROMPT] = "prompt",
	[UI_STYLE_INERT] = "inert",
	[UI_STYLE_MATCH] = "match",
	[UI_STYLE_RUNNING] = "running",
	[UI_STYLE_IDLE] = "idle",
	[UI_STYLE_WAITING] = "waiting",
	[UI_STYLE_STALLED] = "stalled",
	[UI_STYLE_ERROR] = "error",
	[UI_STYLE_RESCHEDULED] = "rescheduled",
	[UI_STYLE_TERMINATED] = "terminated",
	[UI_STYLE_USER] = "user",
	[UI_STYLE_AGENT] = "agent",
	[UI_STYLE_THINKING] = "thinking",
	[UI_STYLE_TOOL] = "tool",
	[UI_STYLE_TOOL_OK] = "tool-ok",
	[UI_STYLE_TOOL_ERROR] = "tool-error",
	[UI_STYLE_RETRY] = "retry",
	[UI_STYLE_PREVIEW] = "preview",
	[UI_STYLE_DIFF_ADD] = "diff-add",
	[UI_STYLE_DIFF_DEL] = "diff-del",
	[UI_STYLE_DIFF_HUNK] = "diff-hunk",
	[UI_STYLE_TIME] = "time",
	[UI_STYLE_BUTTON] = "button",
	[UI_STYLE_BUTTON_FOCUS] = "button-focus",
	[UI_STYLE_CARD] = "card",
};

/*
 * Glyphs: the name in theme files, the default and the ASCII form.
 * Every glyph is one column wide in both forms, so layouts do not move
 * when the set changes.
 */
static const struct {
	const char	*name;
	const char	*utf8;
	const char	*ascii;
} theme_glyph_defs[UI_GLYPH__COUNT] = {
	[UI_GLYPH_RUNNING] = { "running", "\xe2\x97\x8f", "*" },
	[UI_GLYPH_IDLE] = { "idle", "\xe2\x97\x8b", "-" },
	[UI_GLYPH_WAITING] = { "waiting", "\xe2\x97\x90", "?" },
	[UI_GLYPH_STALLED] = { "stalled", "\xe2\x9a\xa0", "!" },
	[UI_GLYPH_ERROR] = { "error", "\xe2\x9c\x95", "x" },
	[UI_GLYPH_RESCHEDULED] = { "rescheduled", "\xe2\x86\xbb", "~" },
	[UI_GLYPH_TERMINATED] = { "terminated", "\xe2\x96\xa0", "#" },
	[UI_GLYPH_COLLAPSED] = { "collapsed", "\xe2\x96\xb8", ">" },
	[UI_GLYPH_EXPANDED] = { "expanded", "\xe2\x96\xbe", "v" },
	[UI_GLYPH_ELLIPSIS] = { "ellipsis", "\xe2\x80\xa6", "~" },
	[UI_GLYPH_HLINE] = { "hline", "\xe2\x94\x80", "-" },
	[UI_GLYPH_VLINE] = { "vline", "\xe2\x94\x82", "|" },
	[UI_GLYPH_TOPLEFT] = { "top-left", "\xe2\x94\x8c", "+" },
	[UI_GLYPH_TOPRIGHT] = { "top-right", "\xe2\x94\x90", "+" },
	[UI_GLYPH_BOTTOMLEFT] = { "bottom-left", "\xe2\x94\x94", "+" },
	[UI_GLYPH_BOTTOMRIGHT] = { "bottom-right", "\xe2\x94\x98", "+" },
	[UI_GLYPH_TAG] = { "tag", "\xe2\x9c\x93", "+" },
	[UI_GLYPH_CURSOR] = { "cursor", "\xe2\x80\xba", ">" },
	[UI_GLYPH_USER] = { "user", "\xe2\x80\xba", ">" },
	[UI_GLYPH_AGENT] = { "agent", "\xe2\x80\xa2", "*" },
	[UI_GLYPH_THINKING] = { "thinking", "\xe2\x88\xb4", ":" },
	[UI_GLYPH_TOOL] = { "tool", "\xe2\x9a\x99", "%" },
	[UI_GLYPH_OK] = { "ok", "\xe2\x9c\x93", "+" },
	[UI_GLYPH_FAIL] = { "fail", "\xe2\x9c\x97", "x" },
	[UI_GLYPH_NEWLINE] = { "newline", "\xe2\x86\xb5", "$" },
	[UI_GLYPH_FOLLOW] = { "follow", "\xe2\x87\xa3", "v" },
	[UI_GLYPH_SEPARATOR] = { "separator", "\xe2\x80\xba", ">" },
};

/* The 16 ANSI colours as xterm draws them by default (for matching). */
static const uint32_t theme_ansi_rgb[16] = {
	0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd,
	0x00cdcd, 0xe5e5e5, 0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00,
	0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff
};

static const char *theme_color_names[16] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	"bright-black", "bright-red", "bright-green", "bright-yellow",
	"bright-blue", "bright-magenta", "bright-cyan", "bright-white"
};

static const struct {
	const char	*name;
	int		 attr;
} theme_attr_names[] = {
	{ "bold", THEME_ATTR_BOLD },
	{ "dim", THEME_ATTR_DIM },
	{ "italic", THEME_ATTR_ITALIC },
	{ "underline", THEME_ATTR_UNDERLINE },
	{ "reverse", THEME_ATTR_REVERSE },
};

/* Depth from NO_COLOR and COLORTERM (no-color.org; console.md 5.2). */
enum theme_depth
theme_depth_detect(void)
{
	const char	*v;

	v = getenv("NO_COLOR");
	if (v != NULL && *v != '\0')
		return THEME_DEPTH_NONE;
	v = getenv("COLORTERM");
	if (v != NULL && (strcasecmp(v, "truecolor") == 0 ||
	    strcasecmp(v, "24bit") == 0))
		return THEME_DEPTH_RGB;
	if (v != NULL && strstr(v, "256") != NULL)
		return THEME_DEPTH_256;
	return THEME_DEPTH_16;
}

/* A depth named in the config or on the command line. */
int
theme_depth_parse(const char *s)
{
	if (strcmp(s, "none") == 0 || strcmp(s, "mono") == 0)
		return THEME_DEPTH_NONE;
	if (strcmp(s, "16") == 0)
		return THEME_DEPTH_16;
	if (strcmp(s, "256") == 0)
		return THEME_DEPTH_256;
	if (strcmp(s, "truecolor") == 0 || strcmp(s, "24bit") == 0)
		return THEME_DEPTH_RGB;
	return -1;
}

/* Squared distance between two 0xRRGGBB colours. */
static long
theme_distance(uint32_t a, uint32_t b)
{
	long	dr = (long)((a >> 16) & 0xff) - (long)((b >> 16) & 0xff);
	long	dg = (long)((a >> 8) & 0xff) - (long)((b >> 8) & 0xff);
	long	db = (long)(a & 0xff) - (long)(b & 0xff);

	return dr * dr + dg * dg + db * db;
}

/* The nearest of the 16 ANSI colours. */
int
theme_nearest16(uint32_t rgb)
{
	int	best = 0;
	long	d, bestd = -1;

	for (int i = 0; i < 16; i++) {
		d = theme_distance(rgb, theme_ansi_rgb[i]);
		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return best;
}

/* The RGB value of a 256-colour index (xterm's palette). */
static uint32_t
theme_rgb256(int idx)
{
	static const int	steps[6] = { 0, 95, 135, 175, 215, 255 };
	int			r, g, b, v;

	if (idx < 16)
		return theme_ansi_rgb[idx];
	if (idx >= 232) {
		v = 8 + (idx - 232) * 10;
		return (uint32_t)(v << 16 | v << 8 | v);
	}
	idx -= 16;
	r = steps[idx / 36];
	g = steps[(idx / 6) % 6];
	b = steps[idx % 6];
	return (uint32_t)(r << 16 | g << 8 | b);
}

/* The nearest 256-colour index (cube or grey ramp; not the 16). */
int
theme_nearest256(uint32_t rgb)
{
	int	best = 16;
	long	d, bestd = -1;

	for (int i = 16; i < 256; i++) {
		d = theme_distance(rgb, theme_rgb256(i));
		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return best;
}

/* A colour as a number the terminal has. */
int
theme_color_index(int32_t c, int ncolors, int *bright)
{
	if (c == THEME_COLOR_DEFAULT || ncolors <= 0)
		return -1;
	if (c & THEME_COLOR_RGB) {
		if (ncolors >= 0x1000000)
			return c & 0xffffff;
		c = ncolors >= 256 ? theme_nearest256((uint32_t)c & 0xffffff) :
		    theme_nearest16((uint32_t)c & 0xffffff);
	}
	if (c >= 16 && ncolors < 256)
		c = theme_nearest16(theme_rgb256(c));
	if (c >= 8 && c < 16 && ncolors < 16) {
		if (bright != NULL)
			*bright = 1;
		c -= 8;
	}
	return c < ncolors ? c : -1;
}

/* A colour downsampled to what the depth allows. */
static int32_t
theme_downsample(int32_t c, enum theme_depth depth)
{
	if (c == THEME_COLOR_DEFAULT)
		return c;
	switch (depth) {
	case THEME_DEPTH_NONE:
		return THEME_COLOR_DEFAULT;
	case THEME_DEPTH_16:
		if (c & THEME_COLOR_RGB)
			return theme_nearest16((uint32_t)c & 0xffffff);
		if (c >= 16)
			return theme_nearest16(theme_rgb256(c));
		return c;
	case THEME_DEPTH_256:
		if (c & THEME_COLOR_RGB)
			return theme_nearest256((uint32_t)c & 0xffffff);
		return c;
	case THEME_DEPTH_RGB:
		break;
	}
	return c;
}

/* Parse one colour word; -2 when it is not a colour. */
static int32_t
theme_parse_color(const char *w)
{
	long long	v;
	char		*cause = NULL;
	unsigned	 rgb;
	char		 tail;

	if (strcmp(w, "default") == 0)
		return THEME_COLOR_DEFAULT;
	for (int i = 0; i < 16; i++)
		if (strcmp(w, theme_color_names[i]) == 0)
			return i;
	if (w[0] == '#' && strlen(w) == 7 &&
	    sscanf(w + 1, "%6x%c", &rgb, &tail) == 1)
		return THEME_COLOR_RGB | (int32_t)rgb;
	if (strncmp(w, "colour", 6) == 0 || strncmp(w, "color", 5) == 0) {
		w += w[4] == 'u' ? 6 : 5;
		if (str_to_ll(w, 0, 255, &v, &cause) == 0)
			return (int32_t)v;
		free(cause);
	}
	return -2;
}

/*
 * Parse a style: "[FG] [on BG] [bold] [dim] [italic] [underline]
 * [reverse]", words in any order.
 */
static int
theme_parse_style(const char *spec, struct theme_attr *a, char **cause)
{
	char	*copy, *w, *last = NULL;
	int32_t	 c;
	int	 on = 0, found;

	a->fg = a->bg = THEME_COLOR_DEFAULT;
	a->attrs = 0;
	copy = xstrdup(spec);
	for (w = strtok_r(copy, " \t", &last); w != NULL;
	    w = strtok_r(NULL, " \t", &last)) {
		if (strcmp(w, "on") == 0) {
			on = 1;
			continue;
		}
		found = 0;
		for (size_t i = 0; i < AD_NITEMS(theme_attr_names); i++) {
			if (strcmp(w, theme_attr_names[i].name) == 0) {
				a->attrs |= theme_attr_names[i].attr;
				found = 1;
			}
		}
		if (found)
			continue;
		if ((c = theme_parse_color(w)) == -2) {
			xasprintf(cause, "unknown colour or attribute \"%s\"",
			    w);
			free(copy);
			return -1;
		}
		if (on)
			a->bg = c;
		else
			a->fg = c;
		on = 0;
	}
	free(copy);
	return 0;
}

/* The plain built-in theme: attributes only, usable on any terminal. */
struct theme *
theme_builtin(enum theme_depth depth, int ascii)
{
	struct theme	*t;

	t = xcalloc(1, sizeof *t);
	t->name = xstrdup("builtin");
	t->depth = depth;
	t->ascii = ascii;
	for (int i = 0; i < UI_STYLE__COUNT; i++)
		t->styles[i].fg = t->styles[i].bg = THEME_COLOR_DEFAULT;
	t->styles[UI_STYLE_DIM].attrs = THEME_ATTR_DIM;
	t->styles[UI_STYLE_BOLD].attrs = THEME_ATTR_BOLD;
	t->styles[UI_STYLE_HEADER].attrs = THEME_ATTR_BOLD;
	t->styles[UI_STYLE_BADGE].attrs = THEME_ATTR_REVERSE;
	t->styles[UI_STYLE_SELECTED].attrs = THEME_ATTR_REVERSE;
	t->styles[UI_STYLE_INERT].attrs = THEME_ATTR_REVERSE;
	t->styles[UI_STYLE_MATCH].attrs = THEME_ATTR_UNDERLINE;
	t->styles[UI_STYLE_BUTTON_FOCUS].attrs = THEME_ATTR_REVERSE;
	for (int i = 0; i < UI_GLYPH__COUNT; i++)
		str_lcpy(t->glyphs[i], ascii ? theme_glyph_defs[i].ascii :
		    theme_glyph_defs[i].utf8, THEME_MAX_GLYPH);
	return t;
}

/* A glyph from a theme file: one cluster of exactly one column. */
static int
theme_check_glyph(const char *v, char **cause)
{
	size_t	len = strlen(v);

	if (len == 0 || len >= THEME_MAX_GLYPH || !utf8_valid(v, len) ||
	    width_str(v, len) != 1) {
		xasprintf(cause, "glyph \"%s\" must be one column of UTF-8", v);
		return -1;
	}
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) {
			xasprintf(cause, "glyph has a control character");
			return -1;
		}
	return 0;
}

/* Parse theme text; name labels the theme and error messages. */
struct theme *
theme_parse(const char *name, const char *text, size_t len,
    enum theme_depth depth, int ascii, char **cause)
{
	struct theme	*t;
	struct ini	*ini;
	const char	*key, *value;
	char		*why = NULL;
	size_t		 i;
	int		 s, g;

	if ((ini = ini_parse(text, len, name, cause)) == NULL)
		return NULL;
	t = theme_builtin(depth, ascii);
	free(t->name);
	t->name = xstrdup(name);
	for (i = 0; (key = ini_key_at(ini, "style", i, &value)) != NULL; i++) {
		for (s = 0; s < UI_STYLE__COUNT; s++)
			if (strcmp(theme_style_names[s], key) == 0)
				break;
		if (s == UI_STYLE__COUNT) {
			xasprintf(cause, "theme %s: unknown style \"%s\"",
			    name, key);
			goto fail;
		}
		if (theme_parse_style(value, &t->styles[s], &why) != 0) {
			xasprintf(cause, "theme %s: style %s: %s", name, key,
			    why);
			goto fail;
		}
	}
	for (i = 0; (key = ini_key_at(ini, "glyph", i, &value)) != NULL; i++) {
		for (g = 0; g < UI_GLYPH__COUNT; g++)
			if (strcmp(theme_glyph_defs[g].name, key) == 0)
				break;
		if (g == UI_GLYPH__COUNT) {
			xasprintf(cause, "theme %s: unknown glyph \"%s\"",
			    name, key);
			goto fail;
		}
		if (theme_check_glyph(value, &why) != 0) {
			xasprintf(cause, "theme %s: %s", name, why);
			goto fail;
		}
		if (!ascii)
			str_lcpy(t->glyphs[g], value, THEME_MAX_GLYPH);
	}
	ini_free(ini);
	return t;

fail:
	free(why);
	ini_free(ini);
	theme_free(t);
	return NULL;
}

/* Is name a plain theme name (no path tricks)? */
static int
theme_name_ok(const char *name)
{
	if (*name == '\0' || strlen(name) > 64)
		return 0;
	for (const char *p = name; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return 0;
	return 1;
}

/* Load a theme by name from the config directory or the shipped data. */
struct theme *
theme_load(const char *name, enum theme_depth depth, int ascii, char **cause)
{
	struct theme	*t;
	struct buf	 b;
	char		*dirs[2], *path = NULL, *why = NULL;
	int		 rv = -1;

	if (!theme_name_ok(name)) {
		xasprintf(cause, "bad theme name \"%s\" (letters, digits, - "
		    "and _ only)", name);
		return NULL;
	}
	dirs[0] = paths_config_dir();
	dirs[1] = paths_shipped_dir();
	buf_init(&b, THEME_MAX_FILE);
	for (int i = 0; i < 2 && rv != 0; i++) {
		free(path);
		xasprintf(&path, "%s/themes/%s.theme", dirs[i], name);
		buf_reset(&b);
		free(why);
		why = NULL;
		rv = io_read_file(path, THEME_MAX_FILE, &b, &why);
		if (rv != 0 && errno != ENOENT)
			break;
	}
	if (rv != 0) {
		if (errno == ENOENT)
			xasprintf(cause, "no theme \"%s\" (try :theme and Tab "
			    "for the list)", name);
		else
			*cause = xstrdup(why);
		t = NULL;
	} else
		t = theme_parse(name, buf_cstr(&b), b.len, depth, ascii, cause);
	free(why);
	free(path);
	free(dirs[0]);
	free(dirs[1]);
	buf_clear(&b);
	return t;
}

/* Free a theme; NULL does nothing. */
void
theme_free(struct theme *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t);
}

/* The theme's name. */
const char *
theme_name(const struct theme *t)
{
	return t->name;
}

/* The colour depth the theme resolves to. */
enum theme_depth
theme_depth(const struct theme *t)
{
	return t->depth;
}

/* Resolve a style id to what the backend draws. */
void
theme_resolve(const struct theme *t, uint16_t style, struct theme_attr *a)
{
	int	fg, bg;

	if (style & UI_STYLE_ANSI) {
		fg = (style >> 5) & 0x1f;
		bg = style & 0x1f;
		a->fg = fg >= 16 ? THEME_COLOR_DEFAULT : fg;
		a->bg = bg >= 16 ? THEME_COLOR_DEFAULT : bg;
		a->attrs = (style >> 10) & 0x1f;
	} else if (style < UI_STYLE__COUNT)
		*a = t->styles[style];
	else
		*a = t->styles[UI_STYLE_NORMAL];
	a->fg = theme_downsample(a->fg, t->depth);
	a->bg = theme_downsample(a->bg, t->depth);
}

/* A glyph's text. */
const char *
theme_glyph(const struct theme *t, enum ui_glyph g)
{
	if ((int)g < 0 || g >= UI_GLYPH__COUNT)
		return "?";
	return t->glyphs[g];
}

/* Pack an ANSI style id. */
uint16_t
theme_style_ansi(int fg, int bg, int attrs)
{
	if (fg < 0 || fg > 15)
		fg = UI_STYLE_ANSI_DEFAULT;
	if (bg < 0 || bg > 15)
		bg = UI_STYLE_ANSI_DEFAULT;
	return (uint16_t)(UI_STYLE_ANSI | (attrs & 0x1f) << 10 | fg << 5 | bg);
}

/* The name of a style in theme files. */
const char *
theme_style_name(enum ui_style s)
{
	if ((int)s < 0 || s >= UI_STYLE__COUNT)
		return NULL;
	return theme_style_names[s];
}

/* Compare two strings for qsort. */
static int
theme_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add the themes in dir to v (deduplicated); returns the new count. */
static size_t
theme_scan(const char *dir, char **v, size_t n)
{
	DIR		*d;
	struct dirent	*de;
	char		*path, *name;
	size_t		 len, i;

	xasprintf(&path, "%s/themes", dir);
	d = opendir(path);
	free(path);
	if (d == NULL)
		return n;
	while ((de = readdir(d)) != NULL && n < THEME_MAX_THEMES) {
		len = strlen(de->d_name);
		if (len <= 6 || strcmp(de->d_name + len - 6, ".theme") != 0)
			continue;
		name = xstrndup(de->d_name, len - 6);
		for (i = 0; i < n; i++)
			if (strcmp(v[i], name) == 0)
				break;
		if (i < n || !theme_name_ok(name)) {
			free(name);
			continue;
		}
		v[n++] = name;
	}
	closedir(d);
	return n;
}

/* Every theme available, sorted. */
char **
theme_list(void)
{
	char	**v, *dir;
	size_t	  n = 0;

	v = xcalloc(THEME_MAX_THEMES + 1, sizeof *v);
	dir = paths_config_dir();
	n = theme_scan(dir, v, n);
	free(dir);
	dir = paths_shipped_dir();
	n = theme_scan(dir, v, n);
	free(dir);
	qsort(v, n, sizeof *v, theme_cmp);
	return v;
}

/* Free a theme_list() result. */
void
theme_list_free(char **v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}
