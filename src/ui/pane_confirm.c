/* ISC licence: see COPYING.  A y/N question. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/compiler.h"
#include "base/xmalloc.h"
#include "ui/console_int.h"
#include "ui/draw.h"
#include "ui/ui.h"

struct confirm {
	char	*question;
	void	(*yes)(void *);
	void	*arg;
	void	(*freearg)(void *);
};

/* Free the pane (and the argument if no answer took it). */
static void
confirm_free(struct pane *p)
{
	struct confirm	*c = p->data;

	if (c->freearg != NULL)
		c->freearg(c->arg);
	free(c->question);
	free(c);
	free(p);
}

/* Only y, n, Enter, Esc (and C-c). */
static int
confirm_contexts(struct pane *p, enum ui_context *v, int n)
{
	v[0] = UI_CTX_CONFIRM;
	return 1;
}

/* A small box in the middle of the body. */
static void
confirm_draw(struct pane *p, const struct pane_frame *f)
{
	struct confirm		*c = p->data;
	struct draw_opts	 o = { .flags = DRAW_ONELINE | DRAW_ELLIPSIS };
	struct canvas_region	 box;
	int			 w = canvas_region_width(&f->body);
	int			 h = canvas_region_height(&f->body);
	int			 bw = AD_MIN(w - 4, 72), x, y;

	o.theme = ui_theme(p->ui);
	x = (w - bw) / 2;
	y = AD_MAX((h - 5) / 2, 0);
	canvas_region_sub(&box, &f->body, x, y, bw, 5);
	canvas_fill(&box, 0, 0, bw, 5, UI_STYLE_NORMAL);
	draw_box(&box, UI_STYLE_CARD, "confirm", o.theme);
	draw_untrusted(&box, 2, 1, bw - 4, UI_STYLE_BOLD, c->question,
	    strlen(c->question), &o, NULL);
	draw_text(&box, 2, 3, bw - 4, UI_STYLE_HINT, "y yes    n or Enter: no");
}

/* Answer. */
static int
confirm_action(struct pane *p, enum ui_action a, int arg)
{
	struct confirm	*c = p->data;
	void		*carg = c->arg;

	switch (a) {
	case UI_ACT_YES:
		ui_pop(p->ui);
		if (c->yes != NULL)
			c->yes(carg);
		return 1;
	case UI_ACT_NO:
		ui_pop(p->ui);
		ui_toast(p->ui, 0, "cancelled");
		return 1;
	default:
		return 0;
	}
}

static const struct pane_ops confirm_ops = {
	.name = "confirm",
	.contexts = confirm_contexts,
	.draw = confirm_draw,
	.action = confirm_action,
	.free = confirm_free,
};

/* A question; yes(arg) on y; freearg(arg) when the pane goes. */
struct pane *
pane_confirm_create(struct ui *ui, const char *question, void (*yes)(void *),
    void *arg, void (*freearg)(void *))
{
	struct pane	*p;
	struct confirm	*c;

	c = xcalloc(1, sizeof *c);
	c->question = xstrdup(question);
	c->yes = yes;
	c->arg = arg;
	c->freearg = freearg;
	p = pane_create(ui, &confirm_ops, c, 1);
	return p;
}
