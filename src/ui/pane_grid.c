/* ISC licence: see COPYING.  2, 4, 6 or 9 live sessions side by side. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/compiler.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "ui/console_int.h"
#include "ui/draw.h"
#include "ui/layout.h"

/*
 * Each tile is a session pane of its own (following, drawn into the
 * tile), so a tile looks exactly like the attach view, only smaller.
 * Tagged sessions fill the grid first, then the ones needing attention,
 * then the running ones.
 */

struct grid {
	struct console		*con;
	int			 n;		/* 2, 4, 6, 9 */
	int			 focus;
	int			 zoom;
	struct pane		*tiles[LAYOUT_MAX_TILES];
	struct console_session	*who[LAYOUT_MAX_TILES];
	int			 shown;
};

/* How interesting a session is for a tile (lower first). */
static int
grid_rank(struct console *con, const struct console_session *cs)
{
	if (cs->tagged)
		return 0;
	switch (console_status(con, cs)) {
	case CONSOLE_WAITING:
	case CONSOLE_STALLED:
	case CONSOLE_ERROR:
		return 1;
	case CONSOLE_RUNNING:
	case CONSOLE_RESCHEDULED:
		return 2;
	default:
		return 3;
	}
}

/* Pick the sessions for the tiles, keeping tiles whose session stays. */
static void
grid_pick(struct grid *g)
{
	struct console		*con = g->con;
	struct console_session	*pick[LAYOUT_MAX_TILES];
	int			 np = 0;

	for (int rank = 0; rank <= 3 && np < g->n; rank++)
		for (size_t i = 0; i < con->nsessions && np < g->n; i++)
			if (grid_rank(con, con->sessions[i]) == rank)
				pick[np++] = con->sessions[i];
	for (int t = 0; t < LAYOUT_MAX_TILES; t++) {
		struct console_session	*want = t < np ? pick[t] : NULL;

		if (g->who[t] == want)
			continue;
		if (g->tiles[t] != NULL)
			g->tiles[t]->ops->free(g->tiles[t]);
		g->tiles[t] = want != NULL ? pane_session_create(con, want,
		    1) : NULL;
		g->who[t] = want;
	}
	g->shown = np;
	if (g->focus >= AD_MAX(np, 1))
		g->focus = AD_MAX(np - 1, 0);
}

/* Draw the tiles. */
static void
grid_draw(struct pane *p, const struct pane_frame *f)
{
	struct grid		*g = p->data;
	struct canvas_rect	 tiles[LAYOUT_MAX_TILES];
	struct pane_frame	 sub;
	int			 w = canvas_region_width(&f->body);
	int			 h = canvas_region_height(&f->body), n;

	grid_pick(g);
	canvas_fill(&f->body, 0, 0, w, h, UI_STYLE_NORMAL);
	if (g->shown == 0) {
		draw_text(&f->body, 2, 1, -1, UI_STYLE_DIM, "no sessions yet");
		return;
	}
	sub = *f;
	if (g->zoom) {
		g->tiles[g->focus]->ops->draw(g->tiles[g->focus], &sub);
		return;
	}
	n = layout_grid(&f->body.r, g->n, tiles);
	for (int t = 0; t < n; t++) {
		canvas_region_sub(&sub.body, &f->screen, tiles[t].x,
		    tiles[t].y, tiles[t].w, tiles[t].h);
		if (t > 0 && tiles[t].x > f->body.r.x)
			for (int y = 0; y < tiles[t].h; y++)
				draw_text(&f->screen, tiles[t].x - 1,
				    tiles[t].y + y, 1, UI_STYLE_BORDER,
				    theme_glyph(ui_theme(p->ui),
				    UI_GLYPH_VLINE));
		if (g->tiles[t] == NULL)
			continue;
		g->tiles[t]->ops->draw(g->tiles[t], &sub);
		/* The focused tile's title row stands out. */
		if (t == g->focus)
			canvas_restyle(&sub.body, 0, 0, tiles[t].w,
			    UI_STYLE_SELECTED);
	}
}

/* The focused tile's session, or NULL. */
static struct console_session *
grid_focused(struct grid *g)
{
	return g->focus < g->shown ? g->who[g->focus] : NULL;
}

/* Keys. */
static int
grid_action(struct pane *p, enum ui_action a, int arg)
{
	struct grid			*g = p->data;
	struct console_session		*cs = grid_focused(g);

	switch (a) {
	case UI_ACT_NEXT_PANE:
		g->focus = g->shown > 0 ? (g->focus + 1) % g->shown : 0;
		return 1;
	case UI_ACT_PREV_PANE:
		g->focus = g->shown > 0 ? (g->focus + g->shown - 1) %
		    g->shown : 0;
		return 1;
	case UI_ACT_JUMP:
		if (arg >= 1 && arg <= g->shown)
			g->focus = arg - 1;
		return 1;
	case UI_ACT_ZOOM:
		g->zoom = g->con->grid_zoom = !g->zoom;
		return 1;
	case UI_ACT_LAYOUT_NEXT:
	case UI_ACT_LAYOUT_PREV:
		g->n = layout_grid_step(g->n, a == UI_ACT_LAYOUT_NEXT ? 1 : -1);
		g->con->grid_n = g->n;
		g->zoom = g->con->grid_zoom = 0;
		return 1;
	case UI_ACT_BACK:
		if (g->zoom) {
			g->zoom = g->con->grid_zoom = 0;
			return 1;
		}
		return 0;
	default:
		break;
	}
	if (cs == NULL)
		return 0;
	switch (a) {
	case UI_ACT_OPEN:
		console_open(g->con, cs->id);
		return 1;
	default:
		/* Session actions, else scrolling for the focused tile. */
		if (console_act(g->con, cs, NULL, a))
			return 1;
		return g->tiles[g->focus]->ops->action(g->tiles[g->focus], a,
		    arg);
	}
}

/* The grid's keys, the transcript's (for the focused tile), global. */
static int
grid_contexts(struct pane *p, enum ui_context *v, int n)
{
	v[0] = UI_CTX_GRID;
	v[1] = UI_CTX_TRANSCRIPT;
	v[2] = UI_CTX_GLOBAL;
	return 3;
}

/* The breadcrumb. */
static void
grid_crumb(struct pane *p, char *buf, size_t size)
{
	struct grid	*g = p->data;

	snprintf(buf, size, "grid %d%s", g->n, g->zoom ? " (zoomed)" : "");
}

/* Free the pane and its tiles. */
static void
grid_free(struct pane *p)
{
	struct grid	*g = p->data;

	g->con->grid_open = 0;
	for (int t = 0; t < LAYOUT_MAX_TILES; t++)
		if (g->tiles[t] != NULL)
			g->tiles[t]->ops->free(g->tiles[t]);
	free(g);
	free(p);
}

/* y: the focused tile's session id. */
static int
grid_copy(struct pane *p, char *buf, size_t size)
{
	return console_copy_id(grid_focused(p->data), buf, size);
}

static const struct pane_ops grid_ops = {
	.name = "grid",
	.contexts = grid_contexts,
	.draw = grid_draw,
	.action = grid_action,
	.copy = grid_copy,
	.crumb = grid_crumb,
	.free = grid_free,
};

/* A grid of n tiles. */
struct pane *
pane_grid_create(struct console *con, int n)
{
	struct pane	*p;
	struct grid	*g;

	g = xcalloc(1, sizeof *g);
	g->con = con;
	g->n = n;
	g->zoom = con->grid_zoom;
	con->grid_n = n;
	con->grid_open = 1;
	p = pane_create(con->ui, &grid_ops, g, 0);
	return p;
}
