/* ISC licence: see COPYING.  The help overlay, generated from the keymap. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/compiler.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "ui/draw.h"
#include "ui/pane_help.h"
#include "ui/pane_prompt.h"
#include "ui/ui.h"

#define HELP_MAX_CHAIN	8
#define HELP_KEYS_COL	22	/* width of the keys column */

/* One line of the overlay: a context heading or one action's keys. */
struct help_line {
	int	 heading;
	char	*keys;		/* "j, Down" */
	char	*text;		/* the title or the action's sentence */
};

struct help {
	struct help_line	*lines;
	size_t			 n;
	size_t			 top;		/* first line shown */
	char			*filter;	/* NULL: everything */
};

/* Add a line. */
static void
help_add(struct help *h, int heading, const char *keys, const char *text)
{
	h->lines = xreallocarray(h->lines, h->n + 1, sizeof *h->lines);
	h->lines[h->n].heading = heading;
	h->lines[h->n].keys = xstrdup(keys);
	h->lines[h->n].text = xstrdup(text);
	h->n++;
}

/* The lines for one context: each action once, with all its keys. */
static void
help_context(struct help *h, struct ui *ui, enum ui_context ctx)
{
	const struct keymap	*km = ui_keymap(ui);
	const struct keymap_entry *e, *f;
	char			 keys[128], name[UI_KEY_NAME_MAX];
	size_t			 len;
	int			 done[UI_ACT__COUNT], any = 0;

	memset(done, 0, sizeof done);
	for (size_t i = 0; (e = keymap_entry_at(km, i)) != NULL; i++) {
		if (e->ctx != ctx || done[e->action])
			continue;
		if (ui_readonly(ui) && ui_action_steers(e->action))
			continue;
		if (!any)
			help_add(h, 1, "", keymap_context_title(ctx));
		any = 1;
		done[e->action] = 1;
		keys[0] = '\0';
		len = 0;
		for (size_t j = i; (f = keymap_entry_at(km, j)) != NULL;
		    j++) {
			if (f->ctx != ctx || f->action != e->action ||
			    len >= sizeof keys)
				continue;
			len += (size_t)snprintf(keys + len, sizeof keys - len,
			    "%s%s", len > 0 ? " " : "", ui_key_name(f->key,
			    f->mods, name, sizeof name));
		}
		help_add(h, 0, keys, keymap_action_help(e->action));
	}
}

/* Free the pane. */
static void
help_free(struct pane *p)
{
	struct help	*h = p->data;

	for (size_t i = 0; i < h->n; i++) {
		free(h->lines[i].keys);
		free(h->lines[i].text);
	}
	free(h->lines);
	free(h->filter);
	free(h);
	free(p);
}

/* Help's own keys, then the global movement keys. */
static int
help_contexts(struct pane *p, enum ui_context *v, int n)
{
	v[0] = UI_CTX_HELP;
	v[1] = UI_CTX_GLOBAL;
	return 2;
}

/* Does line i pass the filter? */
static int
help_shown(const struct help *h, size_t i)
{
	if (h->filter == NULL)
		return 1;
	return strcasestr(h->lines[i].keys, h->filter) != NULL ||
	    strcasestr(h->lines[i].text, h->filter) != NULL;
}

/* Draw the visible lines in a frame over the body. */
static void
help_draw(struct pane *p, const struct pane_frame *f)
{
	struct help		*h = p->data;
	const struct theme	*t = ui_theme(p->ui);
	struct canvas_region	 in;
	char			 title[128];
	int			 w = canvas_region_width(&f->body);
	int			 hh = canvas_region_height(&f->body), y = 0;
	size_t			 skip = h->top;

	snprintf(title, sizeof title, "help%s%s", h->filter ? ": " : "",
	    h->filter ? h->filter : "");
	canvas_fill(&f->body, 0, 0, w, hh, UI_STYLE_NORMAL);
	draw_box(&f->body, UI_STYLE_BORDER, title, t);
	canvas_region_sub(&in, &f->body, 2, 1, w - 4, hh - 2);
	for (size_t i = 0; i < h->n && y < canvas_region_height(&in); i++) {
		if (!help_shown(h, i))
			continue;
		if (skip > 0) {
			skip--;
			continue;
		}
		if (h->lines[i].heading)
			draw_text_cut(&in, 0, y, w - 4, UI_STYLE_COLUMN,
			    h->lines[i].text, t);
		else {
			draw_text_cut(&in, 0, y, HELP_KEYS_COL - 1,
			    UI_STYLE_HINT_KEY, h->lines[i].keys, t);
			draw_text_cut(&in, HELP_KEYS_COL, y,
			    w - 4 - HELP_KEYS_COL, UI_STYLE_NORMAL,
			    h->lines[i].text, t);
		}
		y++;
	}
}

/* The number of lines passing the filter. */
static size_t
help_count(const struct help *h)
{
	size_t	n = 0;

	for (size_t i = 0; i < h->n; i++)
		n += help_shown(h, i);
	return n;
}

/* "/" entered a filter. */
static void
help_filter_cb(void *arg, const char *text)
{
	struct help	*h = arg;

	free(h->filter);
	h->filter = *text != '\0' ? xstrdup(text) : NULL;
	h->top = 0;
}

/* Scroll, filter, close. */
static int
help_action(struct pane *p, enum ui_action a, int arg)
{
	struct help	*h = p->data;
	size_t		 n = help_count(h);
	int		 bw, bh;

	ui_body_size(p->ui, &bw, &bh);
	bh = AD_MAX(bh - 2, 1);
	if (pane_list_move(a, n > (size_t)bh ? n - (size_t)bh + 1 : 1,
	    (size_t)bh, &h->top))
		return 1;
	switch (a) {
	case UI_ACT_FILTER:
		ui_push(p->ui, pane_prompt_create(p->ui, "/", h->filter ?
		    h->filter : "", 0, help_filter_cb, NULL, NULL, h));
		return 1;
	case UI_ACT_BACK:
		if (h->filter != NULL) {
			help_filter_cb(h, "");
			return 1;
		}
		ui_pop(p->ui);
		return 1;
	default:
		return 0;
	}
}

/* The breadcrumb. */
static void
help_crumb(struct pane *p, char *buf, size_t size)
{
	str_lcpy(buf, "help", size);
}

static const struct pane_ops help_ops = {
	.name = "help",
	.contexts = help_contexts,
	.draw = help_draw,
	.action = help_action,
	.crumb = help_crumb,
	.free = help_free,
};

/* The help overlay for the current top pane. */
struct pane *
pane_help_create(struct ui *ui)
{
	enum ui_context	 chain[HELP_MAX_CHAIN];
	struct pane	*p, *top = ui_top(ui);
	struct help	*h;
	int		 n = 0, seen[UI_CTX__COUNT];

	h = xcalloc(1, sizeof *h);
	memset(seen, 0, sizeof seen);
	if (top != NULL)
		n = top->ops->contexts(top, chain, HELP_MAX_CHAIN);
	for (int i = 0; i < n; i++) {
		help_context(h, ui, chain[i]);
		seen[chain[i]] = 1;
	}
	for (int c = 0; c < UI_CTX__COUNT; c++)
		if (!seen[c] && c != UI_CTX_HELP)
			help_context(h, ui, c);
	p = pane_create(ui, &help_ops, h, 1);
	return p;
}
