/* ISC licence: see COPYING.  What every pane may use. */

#include "config.h"

#include "base/compiler.h"
#include "base/xmalloc.h"
#include "ui/pane.h"

/* Make a pane; modal ones draw over the pane beneath. */
struct pane *
pane_create(struct ui *ui, const struct pane_ops *ops, void *data, int modal)
{
	struct pane	*p;

	p = xcalloc(1, sizeof *p);
	p->ops = ops;
	p->ui = ui;
	p->data = data;
	p->modal = modal;
	return p;
}

/* Move a list selection. */
int
pane_list_move(enum ui_action a, size_t n, size_t page, size_t *sel)
{
	size_t	last = n > 0 ? n - 1 : 0, half = page / 2 + 1;

	page = AD_MAX(page, 1);
	switch (a) {
	case UI_ACT_DOWN:
		*sel = AD_MIN(*sel + 1, last);
		return 1;
	case UI_ACT_UP:
		*sel -= *sel > 0;
		return 1;
	case UI_ACT_PAGE_DOWN:
	case UI_ACT_HALF_DOWN:
		*sel = AD_MIN(*sel + (a == UI_ACT_PAGE_DOWN ? page : half),
		    last);
		return 1;
	case UI_ACT_PAGE_UP:
	case UI_ACT_HALF_UP:
		*sel -= AD_MIN(*sel, a == UI_ACT_PAGE_UP ? page : half);
		return 1;
	case UI_ACT_TOP:
		*sel = 0;
		return 1;
	case UI_ACT_BOTTOM:
		*sel = last;
		return 1;
	default:
		return 0;
	}
}
