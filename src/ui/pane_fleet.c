/* ISC licence: see COPYING.  The fleet: every session in one table. */

#include "config.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/compiler.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "ui/console_int.h"
#include "ui/draw.h"
#include "ui/pane_prompt.h"
#include "ui/width.h"

/*
 * Columns, each with a minimum width and a priority: on a narrow
 * terminal the least important go first (the title takes what is left).
 * Sorting works on any column; "<" and ">" move the sort along.
 */
enum fleet_col {
	FC_STATE,
	FC_TITLE,
	FC_AGENT,
	FC_MODEL,
	FC_AGE,
	FC_LAST,
	FC_TOOL,
	FC_TOKENS,
	FC_COST,
	FC_PENDING,
	FC__COUNT
};

static const struct {
	const char	*name;
	int		 width;		/* 0: flexible */
	int		 prio;		/* lower goes first when narrow */
	int		 right;		/* right-aligned */
} fleet_cols[FC__COUNT] = {
	[FC_STATE] = { "STATE", 17, 9, 0 },
	[FC_TITLE] = { "TITLE", 0, 9, 0 },
	[FC_AGENT] = { "AGENT", 12, 2, 0 },
	[FC_MODEL] = { "MODEL", 14, 1, 0 },
	[FC_AGE] = { "AGE", 5, 4, 1 },
	[FC_LAST] = { "LAST", 5, 7, 1 },
	[FC_TOOL] = { "TOOL", 14, 6, 0 },
	[FC_TOKENS] = { "IN/OUT", 13, 5, 1 },
	[FC_COST] = { "COST", 8, 3, 1 },
	[FC_PENDING] = { "PEND", 4, 8, 1 },
};

#define FLEET_MIN_TITLE	20
#define FLEET_PREVIEW_W	140	/* from this width, a live preview */
#define FLEET_TABLE_W	92	/* the table's width beside it */

struct fleet {
	struct console		*con;
	size_t			 sel;		/* in the shown list */
	size_t			 top;
	int			 sort;		/* enum fleet_col */
	int			 desc;
	char			*filter;
	regex_t			 re;
	int			 has_re;
	struct console_session	**shown;	/* filtered and sorted */
	size_t			 nshown;
	int			 h;
	struct pane		*preview;	/* session pane beside */
	struct console_session	*preview_cs;
	char			*sel_id;	/* keeps the selection put */
};

/* The state rank used to sort by state (needs attention first). */
static int
fleet_state_rank(enum console_status st)
{
	static const int	rank[CONSOLE__NSTATUS] = {
		[CONSOLE_WAITING] = 0, [CONSOLE_STALLED] = 1,
		[CONSOLE_ERROR] = 2, [CONSOLE_RUNNING] = 3,
		[CONSOLE_RESCHEDULED] = 4, [CONSOLE_IDLE] = 5,
		[CONSOLE_TERMINATED] = 6,
	};

	return rank[st];
}

/* Compare two strings that may be NULL. */
static int
fleet_strcmp(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

/* Compare two int64 values. */
static int
fleet_cmp64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

/* qsort_r comparator over the sort column, then arrival order. */
static int
fleet_cmp(const void *pa, const void *pb, void *arg)
{
	struct fleet			*f = arg;
	const struct console_session	*a, *b;
	int				 c = 0;

	a = *(struct console_session *const *)pa;
	b = *(struct console_session *const *)pb;

	switch (f->sort) {
	case FC_STATE:
		c = fleet_state_rank(console_status(f->con, a)) -
		    fleet_state_rank(console_status(f->con, b));
		break;
	case FC_TITLE:
		c = fleet_strcmp(a->st.title, b->st.title);
		break;
	case FC_AGENT:
		c = fleet_strcmp(a->st.agent, b->st.agent);
		break;
	case FC_MODEL:
		c = fleet_strcmp(a->st.model, b->st.model);
		break;
	case FC_AGE:
		c = fleet_cmp64(b->st.created_us, a->st.created_us);
		break;
	case FC_LAST:
		c = fleet_cmp64(b->st.last_event_us, a->st.last_event_us);
		break;
	case FC_TOOL:
		c = fleet_strcmp(a->st.tool, b->st.tool);
		break;
	case FC_TOKENS:
		c = fleet_cmp64(a->st.tokens_in + a->st.tokens_out,
		    b->st.tokens_in + b->st.tokens_out);
		break;
	case FC_COST:
		c = fleet_cmp64(a->st.cost_cents, b->st.cost_cents);
		break;
	case FC_PENDING:
		c = fleet_cmp64((int64_t)b->npending, (int64_t)a->npending);
		break;
	}
	if (f->desc)
		c = -c;
	if (c == 0)
		c = fleet_cmp64(a->first_seen_us, b->first_seen_us);
	return c;
}

/* Does s pass the filter?  @waiting #idle %stalled ^error pick states;
 * ! inverts; anything else is a regex (or text) on title, id, agent,
 * model. */
static int
fleet_match(struct fleet *f, struct console_session *cs)
{
	const char	*q = f->filter;
	int		 invert = 0, m;

	if (q == NULL)
		return 1;
	if (*q == '!') {
		invert = 1;
		q++;
	}
	if (*q == '@' || *q == '#' || *q == '%' || *q == '^') {
		enum console_status	st = console_status(f->con, cs);

		m = (*q == '@' && st == CONSOLE_WAITING) ||
		    (*q == '#' && st == CONSOLE_IDLE) ||
		    (*q == '%' && st == CONSOLE_STALLED) ||
		    (*q == '^' && (st == CONSOLE_ERROR || cs->st.errors > 0));
	} else if (f->has_re) {
		m = regexec(&f->re, cs->id, 0, NULL, 0) == 0 ||
		    (cs->st.title != NULL && regexec(&f->re, cs->st.title, 0,
		    NULL, 0) == 0) || (cs->st.agent != NULL &&
		    regexec(&f->re, cs->st.agent, 0, NULL, 0) == 0) ||
		    (cs->st.model != NULL && regexec(&f->re, cs->st.model, 0,
		    NULL, 0) == 0);
	} else
		m = strcasestr(cs->id, q) != NULL || (cs->st.title != NULL &&
		    strcasestr(cs->st.title, q) != NULL);
	return invert ? !m : m;
}

/* Rebuild the shown list, keeping the selected session selected. */
static void
fleet_refresh(struct fleet *f)
{
	struct console	*con = f->con;

	f->shown = xreallocarray(f->shown, con->nsessions + 1,
	    sizeof *f->shown);
	f->nshown = 0;
	for (size_t i = 0; i < con->nsessions; i++)
		if (fleet_match(f, con->sessions[i]))
			f->shown[f->nshown++] = con->sessions[i];
	qsort_r(f->shown, f->nshown, sizeof *f->shown, fleet_cmp, f);
	if (f->sel_id != NULL) {
		for (size_t i = 0; i < f->nshown; i++)
			if (strcmp(f->shown[i]->id, f->sel_id) == 0)
				f->sel = i;
	}
	if (f->sel >= f->nshown)
		f->sel = f->nshown > 0 ? f->nshown - 1 : 0;
}

/* The selected session, or NULL. */
static struct console_session *
fleet_selected(struct fleet *f)
{
	return f->sel < f->nshown ? f->shown[f->sel] : NULL;
}

/* Remember the selection by id. */
static void
fleet_select(struct fleet *f, size_t i)
{
	struct console_session	*cs;

	f->sel = i;
	if ((cs = fleet_selected(f)) != NULL) {
		free(f->sel_id);
		f->sel_id = xstrdup(cs->id);
	}
}

/* Which columns fit in w, and their widths (title takes the rest). */
static void
fleet_columns(int w, int *width)
{
	int	used = 2, removed = 1;

	for (int c = 0; c < FC__COUNT; c++) {
		width[c] = fleet_cols[c].width;
		used += width[c] + 1;
	}
	while (used + FLEET_MIN_TITLE > w && removed) {
		int	victim = -1;

		removed = 0;
		for (int c = 0; c < FC__COUNT; c++)
			if (width[c] > 0 && fleet_cols[c].prio < 9 &&
			    (victim < 0 || fleet_cols[c].prio <
			    fleet_cols[victim].prio))
				victim = c;
		if (victim >= 0) {
			used -= width[victim] + 1;
			width[victim] = 0;
			removed = 1;
		}
	}
	width[FC_TITLE] = AD_MAX(w - used, 0);
}

/* A cell's text for a column, into buf; its style. */
static uint16_t
fleet_cell(struct fleet *f, struct console_session *cs, int c, char *buf,
    size_t size)
{
	struct console	*con = f->con;
	int64_t		 now = console_now_us(con);
	char		 a[16], b[16];
	enum console_status st;

	buf[0] = '\0';
	switch (c) {
	case FC_STATE:
		st = console_status(con, cs);
		snprintf(buf, size, "%s %s", theme_glyph(ui_theme(con->ui),
		    console_status_glyph(st)), console_status_word(st));
		return console_status_style(st);
	case FC_TITLE:
		str_lcpy(buf, cs->st.title != NULL && *cs->st.title ?
		    cs->st.title : cs->id, size);
		return UI_STYLE_NORMAL;
	case FC_AGENT:
		str_lcpy(buf, cs->st.agent != NULL ? cs->st.agent : "", size);
		return UI_STYLE_DIM;
	case FC_MODEL:
		str_lcpy(buf, cs->st.model != NULL ? cs->st.model : "", size);
		return UI_STYLE_DIM;
	case FC_AGE:
		if (cs->st.created_us > 0)
			console_age(now - cs->st.created_us, buf, size);
		return UI_STYLE_TIME;
	case FC_LAST:
		if (cs->st.last_event_us > 0)
			console_age(now - cs->st.last_event_us, buf, size);
		return UI_STYLE_TIME;
	case FC_TOOL:
		if (cs->st.tool != NULL) {
			console_age(now - cs->st.tool_since_us, a, sizeof a);
			snprintf(buf, size, "%.10s %s", cs->st.tool, a);
		}
		return UI_STYLE_TOOL;
	case FC_TOKENS:
		if (cs->has_state) {
			console_count(cs->st.tokens_in, a, sizeof a);
			console_count(cs->st.tokens_out, b, sizeof b);
			snprintf(buf, size, "%s/%s", a, b);
		}
		return UI_STYLE_DIM;
	case FC_COST:
		if (cs->has_state && cs->st.cost_cents >= 0)
			snprintf(buf, size, "$%lld.%02lld", (long long)
			    cs->st.cost_cents / 100, (long long)
			    cs->st.cost_cents % 100);
		return UI_STYLE_NORMAL;
	case FC_PENDING:
		if (cs->npending > 0)
			snprintf(buf, size, "%zu", cs->npending);
		return UI_STYLE_BADGE;
	}
	return UI_STYLE_NORMAL;
}

/* Draw the table into rg. */
static void
fleet_table(struct fleet *f, const struct canvas_region *rg)
{
	struct draw_opts	 o = { .flags = DRAW_ONELINE | DRAW_ELLIPSIS };
	const struct theme	*t = ui_theme(f->con->ui);
	struct console_session	*cs;
	char			 buf[CONSOLE_SUMMARY_MAX];
	int			 width[FC__COUNT], w = canvas_region_width(rg);
	int			 h = canvas_region_height(rg), x, y, cw;
	uint16_t		 st;

	o.theme = t;
	fleet_columns(w, width);
	canvas_fill(rg, 0, 0, w, 1, UI_STYLE_COLUMN);
	x = 2;
	for (int c = 0; c < FC__COUNT; c++) {
		if (width[c] == 0)
			continue;
		snprintf(buf, sizeof buf, "%s%s", fleet_cols[c].name,
		    f->sort == c ? (f->desc ? "v" : "^") : "");
		if (fleet_cols[c].right)
			draw_text_right(rg, x + width[c], 0, UI_STYLE_COLUMN,
			    buf);
		else
			draw_text(rg, x, 0, width[c], UI_STYLE_COLUMN, buf);
		x += width[c] + 1;
	}
	f->h = h - 1;
	if (f->nshown == 0) {
		draw_text(rg, 2, 1, -1, UI_STYLE_DIM, f->filter != NULL ?
		    "no session matches the filter (Esc clears it)" :
		    "no sessions yet");
		return;
	}
	if (f->sel < f->top)
		f->top = f->sel;
	if (f->sel >= f->top + (size_t)f->h)
		f->top = f->sel - (size_t)f->h + 1;
	for (y = 1; y < h && f->top + (size_t)(y - 1) < f->nshown; y++) {
		size_t	i = f->top + (size_t)(y - 1);
		int	sel = i == f->sel;

		cs = f->shown[i];
		canvas_fill(rg, 0, y, w, 1, sel ? UI_STYLE_SELECTED :
		    UI_STYLE_NORMAL);
		draw_text(rg, 0, y, 1,
		    sel ? UI_STYLE_SELECTED : UI_STYLE_NORMAL,
		    sel ? theme_glyph(t, UI_GLYPH_CURSOR) : " ");
		if (cs->tagged)
			draw_text(rg, 1, y, 1, UI_STYLE_TAGGED, theme_glyph(t,
			    UI_GLYPH_TAG));
		x = 2;
		for (int c = 0; c < FC__COUNT; c++) {
			if ((cw = width[c]) == 0)
				continue;
			st = fleet_cell(f, cs, c, buf, sizeof buf);
			if (sel)
				st = UI_STYLE_SELECTED;
			if (fleet_cols[c].right) {
				int	tw = draw_untrusted_width(buf,
				    strlen(buf), DRAW_ONELINE);

				draw_untrusted(rg, x + AD_MAX(cw - tw, 0), y,
				    cw, st, buf, strlen(buf), &o, NULL);
			} else
				draw_untrusted(rg, x, y, cw, st, buf,
				    strlen(buf), &o, NULL);
			x += cw + 1;
		}
	}
}

/* Draw: the table, and a live preview beside it on wide screens. */
static void
fleet_draw(struct pane *p, const struct pane_frame *fr)
{
	struct fleet		*f = p->data;
	struct canvas_region	 table, right;
	struct pane_frame	 sub;
	struct console_session	*cs;
	int			 w = canvas_region_width(&fr->body);
	int			 h = canvas_region_height(&fr->body);

	fleet_refresh(f);
	canvas_fill(&fr->body, 0, 0, w, h, UI_STYLE_NORMAL);
	if (w < FLEET_PREVIEW_W || (cs = fleet_selected(f)) == NULL) {
		fleet_table(f, &fr->body);
		return;
	}
	canvas_region_sub(&table, &fr->body, 0, 0, FLEET_TABLE_W, h);
	canvas_region_sub(&right, &fr->body, FLEET_TABLE_W + 1, 0,
	    w - FLEET_TABLE_W - 1, h);
	fleet_table(f, &table);
	for (int y = 0; y < h; y++)
		draw_text(&fr->body, FLEET_TABLE_W, y, 1, UI_STYLE_BORDER,
		    theme_glyph(ui_theme(p->ui), UI_GLYPH_VLINE));
	if (f->preview == NULL || f->preview_cs != cs) {
		if (f->preview != NULL)
			f->preview->ops->free(f->preview);
		f->preview = pane_session_create(f->con, cs, 1);
		f->preview_cs = cs;
	}
	sub = *fr;
	sub.body = right;
	f->preview->ops->draw(f->preview, &sub);
}

/* "/" entered a filter. */
static void
fleet_filter_cb(void *arg, const char *text)
{
	struct fleet	*f = arg;
	const char	*q = text;

	free(f->filter);
	if (f->has_re)
		regfree(&f->re);
	f->has_re = 0;
	f->filter = *text != '\0' ? xstrdup(text) : NULL;
	if (*q == '!')
		q++;
	if (f->filter != NULL && *q != '@' && *q != '#' && *q != '%' &&
	    *q != '^' && regcomp(&f->re, q, REG_EXTENDED | REG_ICASE |
	    REG_NOSUB) == 0)
		f->has_re = 1;
	f->sel = 0;
	f->top = 0;
}

/* y to "quit with drafts?". */
static void
fleet_quit_yes(void *arg)
{
	struct console	*con = arg;

	if (con->host.quit != NULL)
		con->host.quit(con->host.arg);
}

/* q at the top: ask first if a draft or tags would be lost. */
static void
fleet_quit(struct fleet *f)
{
	struct console	*con = f->con;
	size_t		 drafts = 0, tags = 0;
	char		 q[128];

	for (size_t i = 0; i < con->nsessions; i++) {
		drafts += con->sessions[i]->draft != NULL;
		tags += con->sessions[i]->tagged != 0;
	}
	if (drafts == 0 && tags == 0) {
		fleet_quit_yes(con);
		return;
	}
	snprintf(q, sizeof q, "Quit, dropping %zu steer draft%s and %zu "
	    "tag%s?", drafts, drafts == 1 ? "" : "s", tags,
	    tags == 1 ? "" : "s");
	ui_push(con->ui, pane_confirm_create(con->ui, q, fleet_quit_yes, con,
	    NULL));
}

/* Keys. */
static int
fleet_action(struct pane *p, enum ui_action a, int arg)
{
	struct fleet			*f = p->data;
	struct console_session		*cs;
	size_t				 page = (size_t)AD_MAX(f->h, 1), sel;

	fleet_refresh(f);
	cs = fleet_selected(f);
	sel = f->sel;
	if (pane_list_move(a, f->nshown, page, &sel)) {
		fleet_select(f, sel);
		return 1;
	}
	switch (a) {
	case UI_ACT_JUMP:
		if ((size_t)arg <= f->nshown && arg > 0)
			fleet_select(f, (size_t)arg - 1);
		return 1;
	case UI_ACT_SORT_NEXT:
	case UI_ACT_SORT_PREV:
		f->sort = (f->sort + (a == UI_ACT_SORT_NEXT ? 1 : FC__COUNT -
		    1)) % FC__COUNT;
		return 1;
	case UI_ACT_FILTER:
		ui_push(p->ui, pane_prompt_create(p->ui, "filter /",
		    f->filter, 0, fleet_filter_cb, NULL, NULL, f));
		return 1;
	case UI_ACT_BACK:
		if (f->filter != NULL)
			fleet_filter_cb(f, "");
		return 1;
	case UI_ACT_QUIT:
		fleet_quit(f);
		return 1;
	default:
		break;
	}
	if (cs == NULL) {
		if (a == UI_ACT_OPEN || ui_action_steers(a) ||
		    a == UI_ACT_TAG || a == UI_ACT_SHOW_DIFF ||
		    a == UI_ACT_FILES) {
			ui_toast(p->ui, 0, "no session selected");
			return 1;
		}
		return 0;
	}
	switch (a) {
	case UI_ACT_OPEN:
		console_open(f->con, cs->id);
		return 1;
	case UI_ACT_TAG:
		cs->tagged = !cs->tagged;
		if (f->sel + 1 < f->nshown)
			fleet_select(f, f->sel + 1);
		return 1;
	default:
		return console_act(f->con, cs, NULL, a);
	}
}

/* A click selects a row; the wheel scrolls. */
static void
fleet_mouse(struct pane *p, const struct ui_input *in)
{
	struct fleet	*f = p->data;
	int		 bw, bh;

	ui_body_size(p->ui, &bw, &bh);
	if (in->action == UI_MOUSE_WHEEL_DOWN)
		(void)fleet_action(p, UI_ACT_DOWN, 0);
	else if (in->action == UI_MOUSE_WHEEL_UP)
		(void)fleet_action(p, UI_ACT_UP, 0);
	else if (in->action == UI_MOUSE_PRESS && in->y >= 2 &&
	    f->top + (size_t)(in->y - 2) < f->nshown)
		fleet_select(f, f->top + (size_t)(in->y - 2));
}

/* Lists, the fleet's own keys, and the global ones. */
static int
fleet_contexts(struct pane *p, enum ui_context *v, int n)
{
	v[0] = UI_CTX_FLEET;
	v[1] = UI_CTX_LIST;
	v[2] = UI_CTX_GLOBAL;
	return 3;
}

/* The breadcrumb. */
static void
fleet_crumb(struct pane *p, char *buf, size_t size)
{
	str_lcpy(buf, "fleet", size);
}

/* The status: counts and sorting. */
static void
fleet_status(struct pane *p, char *buf, size_t size)
{
	struct fleet	*f = p->data;

	snprintf(buf, size, "%zu/%zu sessions  sort %s%s%s", f->nshown,
	    f->con->nsessions, fleet_cols[f->sort].name, f->filter ?
	    "  filter " : "", f->filter ? f->filter : "");
}

/* Free the pane. */
static void
fleet_free(struct pane *p)
{
	struct fleet	*f = p->data;

	if (f->preview != NULL)
		f->preview->ops->free(f->preview);
	if (f->has_re)
		regfree(&f->re);
	free(f->filter);
	free(f->shown);
	free(f->sel_id);
	free(f);
	free(p);
}

/* y: the selected session's id. */
static int
fleet_copy(struct pane *p, char *buf, size_t size)
{
	return console_copy_id(fleet_selected(p->data), buf, size);
}

static const struct pane_ops fleet_ops = {
	.name = "fleet",
	.contexts = fleet_contexts,
	.draw = fleet_draw,
	.action = fleet_action,
	.mouse = fleet_mouse,
	.copy = fleet_copy,
	.crumb = fleet_crumb,
	.status = fleet_status,
	.free = fleet_free,
};

/* The fleet pane (the console's root). */
struct pane *
pane_fleet_create(struct console *con)
{
	struct pane	*p;
	struct fleet	*f;

	f = xcalloc(1, sizeof *f);
	f->con = con;
	f->sort = FC_STATE;
	p = pane_create(con->ui, &fleet_ops, f, 0);
	return p;
}
