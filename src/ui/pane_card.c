/* ISC licence: see COPYING.  The approval card (a modal). */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/compiler.h"
#include "base/loop.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "model/diff.h"
#include "ui/console_int.h"
#include "ui/draw.h"

/*
 * The payload scrolls inside the card; the row of buttons is always the
 * card's last row, however large the payload (console.md 4.2).  Esc
 * closes the card and leaves the call pending.  No button is focused at
 * first, so Enter does nothing until one is chosen; and for CARD_GUARD_MS
 * after the card appears the approval keys are ignored, so keys typed
 * for something else cannot approve what just popped up.
 */

#define CARD_GUARD_MS	300

enum card_button {
	CARD_NONE = -1,
	CARD_ALLOW,
	CARD_DENY,
	CARD_DENY_REASON,
	CARD__COUNT
};

struct card {
	struct console		*con;
	char			*session;
	char			*use_id;
	char			*payload;	/* lines (diff gutters) */
	size_t			*lines;
	size_t			 nlines;
	size_t			 top;
	int			 focus;		/* enum card_button */
	int64_t			 shown_ms;	/* when it appeared */
	struct loop_timer	*guard;		/* redraws when armed */
	int			 h;
};

static const char *card_labels[CARD__COUNT] = {
	"y Allow", "n Deny", "N Deny, and tell the agent why"
};

/* The session and pending call, or NULL if it is no longer pending. */
static const struct console_pending *
card_pending(struct card *c, struct console_session **csp)
{
	struct console_session	*cs = console_find(c->con, c->session);

	*csp = cs;
	for (size_t i = 0; cs != NULL && i < cs->npending; i++)
		if (strcmp(cs->pending[i].event_id, c->use_id) == 0)
			return &cs->pending[i];
	return NULL;
}

/* Are the approval keys armed yet? */
static int
card_armed(struct pane *p)
{
	struct card	*c = p->data;

	return ui_now(p->ui) - c->shown_ms >= CARD_GUARD_MS;
}

/* The guard ran out: redraw with the buttons live. */
static void
card_guard_cb(struct loop_timer *t, void *arg)
{
	struct pane	*p = arg;

	ui_dirty(p->ui);
}

/* The style of a payload line. */
static uint16_t
card_style(const char *s, size_t len)
{
	if (len >= 2 && s[0] == '@' && s[1] == '@')
		return UI_STYLE_DIFF_HUNK;
	if (len > 0 && s[0] == '+')
		return UI_STYLE_DIFF_ADD;
	if (len > 0 && s[0] == '-')
		return UI_STYLE_DIFF_DEL;
	return UI_STYLE_NORMAL;
}

/* Draw the card over most of the body. */
static void
card_draw(struct pane *p, const struct pane_frame *f)
{
	struct card			*c = p->data;
	struct draw_opts		 o = { .flags = DRAW_ONELINE |
	    DRAW_ELLIPSIS };
	const struct theme		*t = ui_theme(p->ui);
	const struct console_pending	*pd;
	struct console_session		*cs;
	struct canvas_region		 box, in;
	char				 title[128], tool[64];
	char				 sum[CONSOLE_SUMMARY_MAX];
	const char			*name;
	size_t				 brk, len;
	int				 w = canvas_region_width(&f->body);
	int				 h = canvas_region_height(&f->body);
	int				 bw, bh, x, y, armed = card_armed(p);
	uint16_t			 st;

	o.theme = t;
	bw = AD_MIN(w - 2, 100);
	bh = AD_MAX(h - 2, 8);
	canvas_region_sub(&box, &f->body, (w - bw) / 2, 1, bw, bh);
	canvas_fill(&box, 0, 0, bw, bh, UI_STYLE_NORMAL);
	pd = card_pending(c, &cs);
	name = cs != NULL && cs->st.title != NULL && *cs->st.title ?
	    cs->st.title : c->session;
	snprintf(title, sizeof title, "approve? %.60s", name);
	draw_box(&box, UI_STYLE_CARD, title, t);
	canvas_region_sub(&in, &box, 2, 1, bw - 4, bh - 2);
	if (pd == NULL) {
		draw_text(&in, 0, 0, -1, UI_STYLE_DIM, "this call is no longer "
		    "pending (Esc closes)");
		c->h = 0;
		return;
	}
	console_pending_describe(c->con, cs, pd, tool, sizeof tool, sum,
	    sizeof sum);
	x = draw_untrusted(&in, 0, 0, 30, UI_STYLE_TOOL, tool, strlen(tool),
	    &o, NULL);
	draw_untrusted(&in, x + 2, 0, bw - 6 - x, UI_STYLE_BOLD, sum,
	    strlen(sum), &o, NULL);
	/* Payload rows: everything between the summary and the buttons. */
	c->h = AD_MAX(canvas_region_height(&in) - 3, 0);
	for (y = 0; y < c->h && c->top + (size_t)y < c->nlines; y++) {
		size_t	off = c->lines[c->top + (size_t)y];

		len = draw_line_len(c->payload + off, strlen(c->payload + off),
		    &brk);
		draw_untrusted(&in, 0, 1 + y, bw - 4, card_style(c->payload +
		    off, len), c->payload + off, len, &o, NULL);
	}
	if (c->nlines > (size_t)c->h) {
		snprintf(title, sizeof title, "%zu-%zu of %zu lines (j/k)",
		    c->top + 1, AD_MIN(c->top + (size_t)c->h, c->nlines),
		    c->nlines);
		draw_text(&in, 0, 1 + c->h, -1, UI_STYLE_DIM, title);
	}
	/* The pinned buttons. */
	y = canvas_region_height(&in) - 1;
	x = 0;
	for (int b = 0; b < CARD__COUNT; b++) {
		st = !armed ? UI_STYLE_DIM : b == c->focus ?
		    UI_STYLE_BUTTON_FOCUS : UI_STYLE_BUTTON;
		x += draw_text(&in, x, y, -1, st, "[ ");
		x += draw_text(&in, x, y, -1, st, card_labels[b]);
		x += draw_text(&in, x, y, -1, st, " ]");
		x += draw_text(&in, x, y, -1, UI_STYLE_NORMAL, "  ");
	}
	draw_text(&in, x, y, -1, UI_STYLE_HINT, "Esc: later (stays pending)");
}

/* Act on the call: allow, deny, or ask why. */
static void
card_decide(struct pane *p, int button)
{
	struct card			*c = p->data;
	struct console_session		*cs;
	const struct console_pending	*pd = card_pending(c, &cs);
	char				*id;

	if (pd == NULL) {
		ui_toast(p->ui, 0, "no longer pending");
		return;
	}
	id = xstrdup(c->use_id);
	ui_pop(p->ui);
	if (button == CARD_DENY_REASON)
		console_prompt_deny(c->con, cs, id);
	else
		console_confirm(c->con, cs, id, button == CARD_ALLOW, NULL);
	free(id);
}

/* Keys. */
static int
card_action(struct pane *p, enum ui_action a, int arg)
{
	struct card			*c = p->data;
	struct console_session		*cs;
	const struct console_pending	*pd;

	switch (a) {
	case UI_ACT_CARD_DISMISS:
		ui_pop(p->ui);
		ui_toast(p->ui, 0, "left pending");
		return 1;
	case UI_ACT_DOWN:
		if (c->top + (size_t)c->h < c->nlines)
			c->top++;
		return 1;
	case UI_ACT_UP:
		c->top -= c->top > 0;
		return 1;
	case UI_ACT_CARD_LEFT:
		c->focus = c->focus <= 0 ? CARD__COUNT - 1 : c->focus - 1;
		return 1;
	case UI_ACT_CARD_RIGHT:
		c->focus = (c->focus + 1) % CARD__COUNT;
		return 1;
	case UI_ACT_CARD_DIFF:
		if ((pd = card_pending(c, &cs)) != NULL)
			ui_push(p->ui, pane_text_create(p->ui, "payload",
			    xstrdup(c->payload), 1));
		return 1;
	case UI_ACT_CARD_ALLOW:
	case UI_ACT_CARD_DENY:
	case UI_ACT_CARD_DENY_REASON:
	case UI_ACT_CARD_PRESS:
		/* Ignored until the guard runs out, and Enter with nothing
		 * focused does nothing. */
		if (!card_armed(p))
			return 1;
		if (a == UI_ACT_CARD_PRESS) {
			if (c->focus != CARD_NONE)
				card_decide(p, c->focus);
			return 1;
		}
		card_decide(p, a == UI_ACT_CARD_ALLOW ? CARD_ALLOW :
		    a == UI_ACT_CARD_DENY ? CARD_DENY : CARD_DENY_REASON);
		return 1;
	default:
		return 0;
	}
}

/* Only the card's keys (and C-c). */
static int
card_contexts(struct pane *p, enum ui_context *v, int n)
{
	v[0] = UI_CTX_CARD;
	return 1;
}

/* Free the pane. */
static void
card_free(struct pane *p)
{
	struct card	*c = p->data;

	loop_timer_free(c->guard);
	free(c->session);
	free(c->use_id);
	free(c->payload);
	free(c->lines);
	free(c);
	free(p);
}

static const struct pane_ops card_ops = {
	.name = "card",
	.contexts = card_contexts,
	.draw = card_draw,
	.action = card_action,
	.free = card_free,
};

/* A card for a pending call (use_id) of cs. */
struct pane *
pane_card_create(struct console *con, struct console_session *cs,
    const char *use_id)
{
	struct pane	*p;
	struct card	*c;
	size_t		 cap = 64, off, n, brk, len;
	uint32_t	 idx = TL_NONE;

	c = xcalloc(1, sizeof *c);
	c->con = con;
	c->session = xstrdup(cs->id);
	c->use_id = xstrdup(use_id);
	c->focus = CARD_NONE;
	for (size_t i = 0; i < cs->npending; i++)
		if (strcmp(cs->pending[i].event_id, use_id) == 0)
			idx = cs->pending[i].seq;
	c->payload = idx != TL_NONE ? console_payload(con, cs, idx) :
	    xstrdup("");
	c->lines = xreallocarray(NULL, cap, sizeof *c->lines);
	len = strlen(c->payload);
	for (off = 0; off < len; off += n + brk) {
		if (c->nlines == cap)
			c->lines = xreallocarray(c->lines, cap *= 2,
			    sizeof *c->lines);
		c->lines[c->nlines++] = off;
		n = draw_line_len(c->payload + off, len - off, &brk);
		if (brk == 0)
			break;
	}
	p = pane_create(con->ui, &card_ops, c, 1);
	c->shown_ms = ui_now(con->ui);
	c->guard = loop_timer_create(ui_loop(con->ui), card_guard_cb, p);
	loop_timer_arm(c->guard, CARD_GUARD_MS);
	return p;
}
