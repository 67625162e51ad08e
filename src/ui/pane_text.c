/* ISC licence: see COPYING.  A scrollable text: payloads, diffs, logs. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/compiler.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "ui/console_int.h"
#include "ui/draw.h"
#include "ui/ui.h"

struct text {
	char		*title;
	char		*s;		/* the text (untrusted) */
	size_t		 len;
	size_t		*lines;		/* offsets of line starts */
	size_t		 nlines;
	size_t		 top;
	int		 diff;		/* colour +/-/@@ lines */
	int		 h;
};

/* Free the pane. */
static void
text_free(struct pane *p)
{
	struct text	*t = p->data;

	free(t->title);
	free(t->s);
	free(t->lines);
	free(t);
	free(p);
}

/* Global keys only. */
static int
text_contexts(struct pane *p, enum ui_context *v, int n)
{
	v[0] = UI_CTX_GLOBAL;
	return 1;
}

/* The style of a diff line. */
static uint16_t
text_style(const struct text *t, const char *s, size_t len)
{
	if (!t->diff || len == 0)
		return UI_STYLE_NORMAL;
	if (len >= 2 && s[0] == '@' && s[1] == '@')
		return UI_STYLE_DIFF_HUNK;
	if (s[0] == '+')
		return UI_STYLE_DIFF_ADD;
	if (s[0] == '-')
		return UI_STYLE_DIFF_DEL;
	return UI_STYLE_NORMAL;
}

/* Draw the visible lines under a title rule. */
static void
text_draw(struct pane *p, const struct pane_frame *f)
{
	struct text		*t = p->data;
	struct draw_opts	 o = { .flags = DRAW_ONELINE | DRAW_ELLIPSIS };
	int			 w = canvas_region_width(&f->body);
	int			 h = canvas_region_height(&f->body);
	size_t			 i, end, brk;
	int			 x;

	o.theme = ui_theme(p->ui);
	canvas_fill(&f->body, 0, 0, w, h, UI_STYLE_NORMAL);
	draw_hline(&f->body, 0, 0, w, UI_STYLE_BORDER, o.theme);
	draw_text(&f->body, 2, 0, 1, UI_STYLE_BORDER, " ");
	x = draw_text_cut(&f->body, 3, 0, w - 6, UI_STYLE_TITLE, t->title,
	    o.theme);
	draw_text(&f->body, 3 + x, 0, 1, UI_STYLE_BORDER, " ");
	t->h = h - 1;
	if (t->nlines == 0)
		draw_text(&f->body, 2, 1, -1, UI_STYLE_DIM, "(empty)");
	for (int y = 1; y < h && t->top + (size_t)(y - 1) < t->nlines; y++) {
		i = t->lines[t->top + (size_t)(y - 1)];
		end = draw_line_len(t->s + i, t->len - i, &brk);
		draw_untrusted(&f->body, 0, y, w, text_style(t, t->s + i, end),
		    t->s + i, end, &o, NULL);
	}
}

/* Scroll and leave. */
static int
text_action(struct pane *p, enum ui_action a, int arg)
{
	struct text	*t = p->data;
	size_t		 page = (size_t)AD_MAX(t->h, 1);
	size_t		 last = t->nlines > page ? t->nlines - page : 0;

	/* The top line moves; the last page ends at the last line. */
	if (pane_list_move(a, last + 1, page, &t->top))
		return 1;
	switch (a) {
	case UI_ACT_BACK:
	case UI_ACT_QUIT:
		ui_pop(p->ui);
		return 1;
	default:
		return 0;
	}
}

/* The breadcrumb. */
static void
text_crumb(struct pane *p, char *buf, size_t size)
{
	struct text	*t = p->data;

	str_lcpy(buf, t->title, size);
}

/* The position. */
static void
text_status(struct pane *p, char *buf, size_t size)
{
	struct text	*t = p->data;

	snprintf(buf, size, "line %zu/%zu", t->nlines ? t->top + 1 : 0,
	    t->nlines);
}

static const struct pane_ops text_ops = {
	.name = "text",
	.contexts = text_contexts,
	.draw = text_draw,
	.action = text_action,
	.crumb = text_crumb,
	.status = text_status,
	.free = text_free,
};

/* A text pane; takes ownership of s. */
struct pane *
pane_text_create(struct ui *ui, const char *title, char *s, int diff)
{
	struct pane	*p;
	struct text	*t;
	size_t		 cap = 64, brk, n;

	t = xcalloc(1, sizeof *t);
	t->title = xstrdup(title);
	t->s = s;
	t->len = strlen(s);
	t->diff = diff;
	t->lines = xreallocarray(NULL, cap, sizeof *t->lines);
	for (size_t off = 0; off < t->len; off += n + brk) {
		if (t->nlines == cap)
			t->lines = xreallocarray(t->lines, cap *= 2,
			    sizeof *t->lines);
		t->lines[t->nlines++] = off;
		n = draw_line_len(t->s + off, t->len - off, &brk);
		if (brk == 0)
			break;
	}
	p = pane_create(ui, &text_ops, t, 0);
	return p;
}
