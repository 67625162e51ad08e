/* ISC licence: see COPYING.  Tests for the headless backend: it shows
 * only what was presented, and only dirty rows are copied. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "ui/backend.h"
#include "ui/canvas.h"
#include "ui/theme.h"
#include "tap.h"

/* The screen as text. */
static char *
dump(struct ui_backend *b, int styles)
{
	struct buf	out;

	buf_init(&out, 1 << 20);
	if (ui_backend_text_dump(b, styles, &out) != 0)
		return NULL;
	return buf_steal(&out, NULL);
}

int
main(void)
{
	struct ui_backend_options	 opt = { .width = 12, .height = 3 };
	struct ui_backend		*b;
	struct canvas			*c;
	struct canvas_region		 rg;
	struct theme			*t;
	struct ui_input			 ev[8];
	char				*s, *cause = NULL;
	uint64_t			 before;
	int				 n;

	b = ui_backend_create("text", &opt, &cause);
	ok(b != NULL, "the text backend opens");
	ok(ui_backend_create("nosuch", &opt, &cause) == NULL &&
	    strstr(cause, "nosuch") != NULL, "unknown backends are named");
	free(cause);
	cause = NULL;
	is_int(b->w, 12, "its size comes from the options");
	t = theme_builtin(THEME_DEPTH_16, 0);
	c = canvas_create(b->w, b->h);
	canvas_region_init(&rg, c);
	canvas_put(&rg, 0, 0, -1, UI_STYLE_BOLD, "hello", 5);
	canvas_put(&rg, 0, 2, -1, UI_STYLE_NORMAL, "\xe4\xb8\xad!", 4);
	ui_backend_present(b, c, t);
	s = dump(b, 0);
	is_str(s, "hello\n\n\xe4\xb8\xad!\n", "the screen shows the canvas");
	free(s);
	s = dump(b, 1);
	is_str(s, "hello\nbbbbb\n\n\n\xe4\xb8\xad!\n\n",
	    "style letters follow styled rows");
	free(s);
	ok(!canvas_any_dirty(c), "present cleans the canvas");

	before = ui_backend_text_cells(b);
	canvas_put(&rg, 0, 0, -1, UI_STYLE_BOLD, "hello", 5);
	ui_backend_present(b, c, t);
	is_int(ui_backend_text_cells(b), before, "nothing changed: nothing "
	    "written");
	canvas_put(&rg, 0, 0, -1, UI_STYLE_BOLD, "jello", 5);
	ui_backend_present(b, c, t);
	is_int(ui_backend_text_cells(b) - before, 1, "one changed cell: one "
	    "cell written");

	ok(ui_backend_text_type(b, "j C-o Enter S-Tab", 0, &cause) == 0,
	    "key names are typed");
	ok(ui_backend_text_type(b, "a\r", 1, &cause) == 0, "text is typed");
	n = ui_backend_read(b, ev, 8);
	is_int(n, 6, "six events");
	ok(ev[0].key == 'j' && ev[1].key == 'o' && ev[1].mods == UI_MOD_CTRL &&
	    ev[2].key == UI_KEY_ENTER && ev[3].key == UI_KEY_TAB &&
	    ev[3].mods == UI_MOD_SHIFT && ev[4].key == 'a' &&
	    ev[5].key == UI_KEY_ENTER, "in order, normalised");
	is_int(ui_backend_read(b, ev, 8), 0, "then none");
	ok(ui_backend_text_type(b, "Hyper-j", 0, &cause) != 0, "bad names "
	    "are refused");
	free(cause);

	b->opt.width = 20;
	ui_backend_resize(b);
	is_int(b->w, 20, "resize takes the new size");
	canvas_resize(c, 20, 3);
	canvas_region_init(&rg, c);
	canvas_put(&rg, 0, 1, -1, 0, "resized", 7);
	ui_backend_present(b, c, t);
	s = dump(b, 0);
	is_str(s, "\nresized\n\n", "a resize repaints everything");
	free(s);
	ui_backend_free(b);
	canvas_free(c);
	theme_free(t);
	return done_testing();
}
