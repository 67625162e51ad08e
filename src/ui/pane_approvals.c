/* ISC licence: see COPYING.  Every pending tool call, oldest first. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/compiler.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "ui/console_int.h"
#include "ui/draw.h"

/* One row: a pending call of a session. */
struct appr_item {
	struct console_session		*cs;
	const struct console_pending	*pd;
};

struct approvals {
	struct console		*con;
	struct appr_item	*items;
	size_t			 n;
	size_t			 sel;
	size_t			 top;
	char			**tags;		/* tagged event ids */
	size_t			 ntags;
	char			*sel_id;
	int			 h;
};

/* Oldest first. */
static int
appr_cmp(const void *a, const void *b)
{
	const struct appr_item	*x = a, *y = b;

	if (x->pd->since_us != y->pd->since_us)
		return x->pd->since_us < y->pd->since_us ? -1 : 1;
	return strcmp(x->pd->event_id, y->pd->event_id);
}

/* Is an event id tagged? */
static int
appr_tagged(const struct approvals *ap, const char *id)
{
	for (size_t i = 0; i < ap->ntags; i++)
		if (strcmp(ap->tags[i], id) == 0)
			return 1;
	return 0;
}

/* Rebuild the queue from every session's pending calls. */
static void
appr_refresh(struct approvals *ap)
{
	struct console	*con = ap->con;
	size_t		 n = 0, k;

	for (size_t i = 0; i < con->nsessions; i++)
		n += con->sessions[i]->npending;
	ap->items = xreallocarray(ap->items, n + 1, sizeof *ap->items);
	ap->n = 0;
	for (size_t i = 0; i < con->nsessions; i++)
		for (size_t j = 0; j < con->sessions[i]->npending; j++) {
			ap->items[ap->n].cs = con->sessions[i];
			ap->items[ap->n].pd = &con->sessions[i]->pending[j];
			ap->n++;
		}
	qsort(ap->items, ap->n, sizeof *ap->items, appr_cmp);
	/* Tags of calls no longer pending go away. */
	for (k = 0; k < ap->ntags; ) {
		size_t	i;

		for (i = 0; i < ap->n; i++)
			if (strcmp(ap->items[i].pd->event_id, ap->tags[k]) == 0)
				break;
		if (i < ap->n) {
			k++;
			continue;
		}
		free(ap->tags[k]);
		ap->tags[k] = ap->tags[--ap->ntags];
	}
	for (size_t i = 0; ap->sel_id != NULL && i < ap->n; i++)
		if (strcmp(ap->items[i].pd->event_id, ap->sel_id) == 0)
			ap->sel = i;
	if (ap->sel >= ap->n)
		ap->sel = ap->n > 0 ? ap->n - 1 : 0;
}

/* Select row i. */
static void
appr_select(struct approvals *ap, size_t i)
{
	ap->sel = i;
	free(ap->sel_id);
	ap->sel_id = i < ap->n ? xstrdup(ap->items[i].pd->event_id) : NULL;
}

/* Draw the queue. */
static void
appr_draw(struct pane *p, const struct pane_frame *f)
{
	struct approvals	*ap = p->data;
	struct draw_opts	 o = { .flags = DRAW_ONELINE | DRAW_ELLIPSIS };
	const struct theme	*t = ui_theme(p->ui);
	struct appr_item	*it;
	char			 age[16], tool[64], sum[CONSOLE_SUMMARY_MAX];
	const char		*title;
	int			 w = canvas_region_width(&f->body);
	int			 h = canvas_region_height(&f->body), y, x;
	uint16_t		 st;

	o.theme = t;
	appr_refresh(ap);
	canvas_fill(&f->body, 0, 0, w, h, UI_STYLE_NORMAL);
	canvas_fill(&f->body, 0, 0, w, 1, UI_STYLE_COLUMN);
	draw_text(&f->body, 2, 0, -1, UI_STYLE_COLUMN, "WAITED");
	draw_text(&f->body, 10, 0, -1, UI_STYLE_COLUMN, "SESSION");
	draw_text(&f->body, 36, 0, -1, UI_STYLE_COLUMN, "TOOL");
	draw_text(&f->body, 50, 0, -1, UI_STYLE_COLUMN, "SUMMARY");
	ap->h = h - 1;
	if (ap->n == 0) {
		draw_text(&f->body, 2, 1, -1, UI_STYLE_DIM,
		    "nothing is waiting for approval");
		return;
	}
	if (ap->sel < ap->top)
		ap->top = ap->sel;
	if (ap->sel >= ap->top + (size_t)ap->h)
		ap->top = ap->sel - (size_t)ap->h + 1;
	for (y = 1; y < h && ap->top + (size_t)(y - 1) < ap->n; y++) {
		size_t	i = ap->top + (size_t)(y - 1);

		it = &ap->items[i];
		st = i == ap->sel ? UI_STYLE_SELECTED : UI_STYLE_NORMAL;
		canvas_fill(&f->body, 0, y, w, 1, st);
		draw_text(&f->body, 0, y, 1, st, i == ap->sel ?
		    theme_glyph(t, UI_GLYPH_CURSOR) : " ");
		if (appr_tagged(ap, it->pd->event_id))
			draw_text(&f->body, 1, y, 1, UI_STYLE_TAGGED,
			    theme_glyph(t, UI_GLYPH_TAG));
		console_age(console_now_us(ap->con) - it->pd->since_us, age,
		    sizeof age);
		draw_text(&f->body, 2, y, 7, i == ap->sel ? st : UI_STYLE_TIME,
		    age);
		title = it->cs->st.title != NULL && *it->cs->st.title ?
		    it->cs->st.title : it->cs->id;
		draw_untrusted(&f->body, 10, y, 25, st, title, strlen(title),
		    &o, NULL);
		console_pending_describe(ap->con, it->cs, it->pd, tool,
		    sizeof tool, sum, sizeof sum);
		if (it->pd->custom)
			str_lcpy(tool, "custom", sizeof tool);
		draw_untrusted(&f->body, 36, y, 13, i == ap->sel ? st :
		    UI_STYLE_TOOL, tool, strlen(tool), &o, NULL);
		x = 50;
		draw_untrusted(&f->body, x, y, w - x, st, sum, strlen(sum), &o,
		    NULL);
	}
}

/* What a batch approval acts on. */
struct appr_batch {
	struct console	*con;
	char		**sessions;
	char		**ids;
	size_t		  n;
};

/* Free a batch. */
static void
appr_batch_free(void *arg)
{
	struct appr_batch	*b = arg;

	for (size_t i = 0; i < b->n; i++) {
		free(b->sessions[i]);
		free(b->ids[i]);
	}
	free(b->sessions);
	free(b->ids);
	free(b);
}

/* y: approve every call of the batch. */
static void
appr_batch_yes(void *arg)
{
	struct appr_batch	*b = arg;
	struct console_session	*cs;

	for (size_t i = 0; i < b->n; i++)
		if ((cs = console_find(b->con, b->sessions[i])) != NULL)
			console_confirm(b->con, cs, b->ids[i], 1, NULL);
}

/* A: show the count and the tools, then approve the tagged calls. */
static void
appr_batch(struct pane *p, struct approvals *ap)
{
	struct appr_batch	*b;
	char			 q[256], tool[64], sum[8];
	size_t			 len;

	if (ap->ntags == 0) {
		ui_toast(p->ui, 0, "tag calls with Space first");
		return;
	}
	b = xcalloc(1, sizeof *b);
	b->con = ap->con;
	b->sessions = xcalloc(ap->ntags, sizeof *b->sessions);
	b->ids = xcalloc(ap->ntags, sizeof *b->ids);
	len = (size_t)snprintf(q, sizeof q, "Approve %zu call%s:",
	    ap->ntags, ap->ntags == 1 ? "" : "s");
	for (size_t i = 0; i < ap->n; i++) {
		if (!appr_tagged(ap, ap->items[i].pd->event_id))
			continue;
		b->sessions[b->n] = xstrdup(ap->items[i].cs->id);
		b->ids[b->n] = xstrdup(ap->items[i].pd->event_id);
		b->n++;
		console_pending_describe(ap->con, ap->items[i].cs,
		    ap->items[i].pd, tool, sizeof tool, sum, sizeof sum);
		if (len < sizeof q)
			len += (size_t)snprintf(q + len, sizeof q - len,
			    " %s", tool);
	}
	if (len < sizeof q)
		snprintf(q + len, sizeof q - len, "?");
	ui_push(p->ui, pane_confirm_create(p->ui, q, appr_batch_yes, b,
	    appr_batch_free));
}

/* Keys. */
static int
appr_action(struct pane *p, enum ui_action a, int arg)
{
	struct approvals	*ap = p->data;
	struct appr_item	*it;
	size_t			 page = (size_t)AD_MAX(ap->h, 1), sel;

	appr_refresh(ap);
	it = ap->sel < ap->n ? &ap->items[ap->sel] : NULL;
	sel = ap->sel;
	if (pane_list_move(a, ap->n, page, &sel)) {
		appr_select(ap, sel);
		return 1;
	}
	switch (a) {
	case UI_ACT_APPROVE_BATCH:
		appr_batch(p, ap);
		return 1;
	default:
		break;
	}
	if (it == NULL) {
		if (a == UI_ACT_OPEN || a == UI_ACT_TAG ||
		    ui_action_steers(a) || a == UI_ACT_SHOW_DIFF) {
			ui_toast(p->ui, 0, "nothing is waiting");
			return 1;
		}
		return 0;
	}
	switch (a) {
	case UI_ACT_TAG:
		if (appr_tagged(ap, it->pd->event_id)) {
			for (size_t i = 0; i < ap->ntags; i++)
				if (strcmp(ap->tags[i], it->pd->event_id) ==
				    0) {
					free(ap->tags[i]);
					ap->tags[i] = ap->tags[--ap->ntags];
					break;
				}
		} else {
			ap->tags = xreallocarray(ap->tags, ap->ntags + 1,
			    sizeof *ap->tags);
			ap->tags[ap->ntags++] = xstrdup(it->pd->event_id);
		}
		if (ap->sel + 1 < ap->n)
			appr_select(ap, ap->sel + 1);
		return 1;
	case UI_ACT_OPEN:
		if (it->pd->custom)
			console_prompt_custom(ap->con, it->cs,
			    it->pd->event_id);
		else if (ui_readonly(p->ui))
			ui_toast(p->ui, 1, "read-only: steering is disabled");
		else
			ui_push(p->ui, pane_card_create(ap->con, it->cs,
			    it->pd->event_id));
		return 1;
	case UI_ACT_APPROVE:
	case UI_ACT_DENY:
		if (it->pd->custom) {
			ui_toast(p->ui, 0, "a custom tool call needs a result "
			    "(Enter)");
			return 1;
		}
		console_confirm(ap->con, it->cs, it->pd->event_id,
		    a == UI_ACT_APPROVE, NULL);
		return 1;
	case UI_ACT_DENY_REASON:
		console_prompt_deny(ap->con, it->cs, it->pd->event_id);
		return 1;
	case UI_ACT_SHOW_DIFF:
		ui_push(p->ui, pane_text_create(p->ui, "payload",
		    console_payload(ap->con, it->cs, it->pd->seq), 1));
		return 1;
	default:
		return 0;
	}
}

/* The queue's keys, list keys, global keys. */
static int
appr_contexts(struct pane *p, enum ui_context *v, int n)
{
	v[0] = UI_CTX_APPROVALS;
	v[1] = UI_CTX_LIST;
	v[2] = UI_CTX_GLOBAL;
	return 3;
}

/* The breadcrumb. */
static void
appr_crumb(struct pane *p, char *buf, size_t size)
{
	str_lcpy(buf, "approvals", size);
}

/* The status. */
static void
appr_status(struct pane *p, char *buf, size_t size)
{
	struct approvals	*ap = p->data;

	snprintf(buf, size, "%zu waiting  %zu tagged", ap->n, ap->ntags);
}

/* Free the pane. */
static void
appr_free(struct pane *p)
{
	struct approvals	*ap = p->data;

	for (size_t i = 0; i < ap->ntags; i++)
		free(ap->tags[i]);
	free(ap->tags);
	free(ap->items);
	free(ap->sel_id);
	free(ap);
	free(p);
}

/* y: the selected pending call's event id. */
static int
appr_copy(struct pane *p, char *buf, size_t size)
{
	struct approvals	*ap = p->data;

	if (ap->sel >= ap->n)
		return 0;
	str_lcpy(buf, ap->items[ap->sel].pd->event_id, size);
	return 1;
}

static const struct pane_ops appr_ops = {
	.name = "approvals",
	.contexts = appr_contexts,
	.draw = appr_draw,
	.action = appr_action,
	.copy = appr_copy,
	.crumb = appr_crumb,
	.status = appr_status,
	.free = appr_free,
};

/* The approvals queue. */
struct pane *
pane_approvals_create(struct console *con)
{
	struct pane		*p;
	struct approvals	*ap;

	ap = xcalloc(1, sizeof *ap);
	ap->con = con;
	p = pane_create(con->ui, &appr_ops, ap, 0);
	return p;
}
