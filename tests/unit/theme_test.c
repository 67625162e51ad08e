/* ISC licence: see COPYING.  Tests for ui/theme: files, depth, glyphs. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui/theme.h"
#include "ui/width.h"
#include "tap.h"

/* Every shipped theme loads at every depth, glyphs one column wide. */
static void
test_shipped(void)
{
	static const char	*names[] = { "default", "light",
	    "solarized-dark", "high-contrast", "mono" };
	struct theme		*t;
	struct theme_attr	 a;
	char			*cause = NULL, **list;
	int			 found;

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		for (int d = THEME_DEPTH_NONE; d <= THEME_DEPTH_RGB; d++) {
			t = theme_load(names[i], d, 0, &cause);
			ok(t != NULL, "theme %s loads at depth %d%s%s",
			    names[i], d, cause ? ": " : "", cause ? cause : "");
			free(cause);
			cause = NULL;
			if (t == NULL)
				continue;
			for (int s = 0; s < UI_STYLE__COUNT; s++) {
				theme_resolve(t, s, &a);
				if (d == THEME_DEPTH_NONE &&
				    (a.fg != -1 || a.bg != -1))
					ok(0, "%s: colour without colour",
					    names[i]);
				if (d == THEME_DEPTH_16 && (a.fg > 15 ||
				    a.bg > 15))
					ok(0, "%s: beyond 16 colours",
					    names[i]);
			}
			theme_free(t);
		}
	}
	list = theme_list();
	found = 0;
	for (size_t i = 0; list[i] != NULL; i++)
		found++;
	ok(found >= 5, "theme_list finds the shipped themes (%d)", found);
	is_str(list[0], "default", "sorted");
	theme_list_free(list);
}

int
main(void)
{
	struct theme		*t;
	struct theme_attr	 a;
	char			*cause = NULL;
	const char		*g;
	static const char	 good[] =
	    "[style]\nrunning = #ff0000 on colour21 bold underline\n"
	    "idle = bright-blue\n[glyph]\nrunning = R\n";

	setenv("NO_COLOR", "1", 1);
	is_int(theme_depth_detect(), THEME_DEPTH_NONE, "NO_COLOR wins");
	setenv("NO_COLOR", "", 1);
	setenv("COLORTERM", "truecolor", 1);
	is_int(theme_depth_detect(), THEME_DEPTH_RGB, "COLORTERM=truecolor");
	setenv("COLORTERM", "yes", 1);
	is_int(theme_depth_detect(), THEME_DEPTH_16, "16 by default");
	unsetenv("COLORTERM");
	is_int(theme_depth_detect(), THEME_DEPTH_16, "16 without COLORTERM");
	is_int(theme_depth_parse("256"), THEME_DEPTH_256, "depth names");
	is_int(theme_depth_parse("lots"), -1, "bad depth names");

	t = theme_parse("t", good, strlen(good), THEME_DEPTH_RGB, 0, &cause);
	ok(t != NULL, "a theme parses");
	theme_resolve(t, UI_STYLE_RUNNING, &a);
	is_int(a.fg, THEME_COLOR_RGB | 0xff0000, "truecolor kept at RGB");
	is_int(a.bg, 21, "256 colour kept");
	is_int(a.attrs, THEME_ATTR_BOLD | THEME_ATTR_UNDERLINE, "attributes");
	is_str(theme_glyph(t, UI_GLYPH_RUNNING), "R", "glyph override");
	theme_free(t);

	t = theme_parse("t", good, strlen(good), THEME_DEPTH_16, 0, &cause);
	theme_resolve(t, UI_STYLE_RUNNING, &a);
	is_int(a.fg, 9, "#ff0000 downsamples to bright red");
	is_int(a.bg, 4, "colour21 downsamples to blue");
	theme_resolve(t, UI_STYLE_IDLE, &a);
	is_int(a.fg, 12, "16 colours kept at 16");
	theme_free(t);

	t = theme_parse("t", good, strlen(good), THEME_DEPTH_NONE, 1, &cause);
	theme_resolve(t, UI_STYLE_RUNNING, &a);
	ok(a.fg == -1 && a.bg == -1, "no colour under NO_COLOR");
	is_int(a.attrs, THEME_ATTR_BOLD | THEME_ATTR_UNDERLINE,
	    "attributes survive NO_COLOR");
	is_str(theme_glyph(t, UI_GLYPH_RUNNING), "*", "ascii glyphs win");
	theme_free(t);

	t = theme_parse("t", "[style]\nrunning = grene\n", 23,
	    THEME_DEPTH_16, 0, &cause);
	ok(t == NULL && cause != NULL && strstr(cause, "grene") != NULL,
	    "a bad colour is named: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	t = theme_parse("t", "[style]\nrunnin = red\n", 21, THEME_DEPTH_16,
	    0, &cause);
	ok(t == NULL && strstr(cause, "runnin") != NULL,
	    "an unknown style is named");
	free(cause);
	cause = NULL;
	t = theme_parse("t", "[glyph]\nrunning = \xe4\xb8\xad\n", 20,
	    THEME_DEPTH_16, 0, &cause);
	ok(t == NULL, "a two-column glyph is refused");
	free(cause);
	cause = NULL;
	t = theme_load("../etc/passwd", THEME_DEPTH_16, 0, &cause);
	ok(t == NULL, "theme names cannot be paths");
	free(cause);
	cause = NULL;
	t = theme_load("nosuch", THEME_DEPTH_16, 0, &cause);
	ok(t == NULL && strstr(cause, "nosuch") != NULL, "missing theme");
	free(cause);

	t = theme_builtin(THEME_DEPTH_16, 0);
	for (int i = 0; i < UI_GLYPH__COUNT; i++) {
		g = theme_glyph(t, i);
		if (width_str(g, strlen(g)) != 1)
			ok(0, "glyph %d is not one column", i);
	}
	ok(1, "every default glyph is one column");
	theme_resolve(t, theme_style_ansi(1, 4, THEME_ATTR_BOLD), &a);
	ok(a.fg == 1 && a.bg == 4 && a.attrs == THEME_ATTR_BOLD,
	    "ANSI styles round-trip");
	theme_resolve(t, theme_style_ansi(-1, -1, 0), &a);
	ok(a.fg == -1 && a.bg == -1, "ANSI default colours");
	theme_free(t);
	is_int(theme_color_index(THEME_COLOR_RGB | 0x00ff00, 256, NULL), 46,
	    "RGB to 256");
	is_int(theme_color_index(12, 8, NULL), 4, "bright to base on 8");
	is_int(theme_color_index(THEME_COLOR_RGB | 0x123456, 0x1000000, NULL),
	    0x123456, "direct colour passes RGB");

	test_shipped();
	return done_testing();
}
