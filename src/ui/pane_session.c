/* ISC licence: see COPYING.  One session's timeline (the attach view). */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "base/compiler.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "model/diff.h"
#include "ui/console_int.h"
#include "ui/draw.h"
#include "ui/pane_prompt.h"
#include "ui/width.h"

/*
 * Rows are laid out into lines only when they come on screen: a layout
 * is a list of slices of the event's own strings (borrowed from its JSON
 * tree, so it lives in the event cache next to the event) plus a few
 * strings it made itself.  Scrolling keeps a top row and a line offset
 * in it; following pins the last line to the bottom.  Nothing here is
 * proportional to the length of the log: the rows on screen, and the
 * lines of those rows, are all that is ever looked at.
 */

#define SESS_INDENT	4	/* text under a row's header */
#define SESS_TIME_W	9	/* "14:02:16 " */
#define SESS_MAX_LANE	4	/* lanes indented at most this deep */
#define SESS_MSG_LINES	12	/* lines of a message before C-o */

enum sl_kind {
	SL_HEAD,	/* the row's header, drawn from the event */
	SL_TEXT,	/* message text (untrusted) */
	SL_OUT,		/* tool output (untrusted, SGR as colour) */
	SL_DIFF,	/* a diff line; op says which gutter */
	SL_LABEL	/* our own words ("input", "result") */
};

struct sl_line {
	const char	*s;
	uint32_t	 len;
	uint8_t		 kind;
	uint8_t		 op;		/* SL_DIFF: enum diff_op */
	uint16_t	 style;
};

struct sl_layout {
	struct sl_line	*v;
	size_t		 n, cap;
	char		**owned;	/* strings made for this layout */
	size_t		 nowned;
	struct diff	*diff;		/* lines point into it */
};

/* A layout cached by the pane: the event, the parameters, the lines. */
#define SESS_LAYOUTS	128

struct sess_lc {
	uint32_t		 idx;
	uint32_t		 key;
	uint64_t		 used;
	struct sl_layout	*l;
};

struct sess {
	struct console		*con;
	struct console_session	*cs;
	struct tl_view		 view;
	size_t			 sel;		/* selected row */
	size_t			 top;		/* first row shown */
	int			 top_off;	/* its first line shown */
	int			 follow;
	int			 wrap;
	int			 times;
	int			 raw;		/* raw JSON pane */
	int			 expand_all;
	uint32_t		*expanded;	/* sorted event indexes */
	size_t			 nexpanded;
	char			*search;
	int			 h;		/* timeline height last drawn */
	int			 w;
	uint32_t		 raw_idx;	/* event of raw_text */
	char			*raw_text;
	struct sess_lc		*lc;		/* SESS_LAYOUTS layouts */
	uint64_t		 lclock;
};

static void	sess_ensure_visible(struct sess *);
static int	sess_is_use(int);

/* Free a layout. */
static void
sl_free(void *arg)
{
	struct sl_layout	*l = arg;

	for (size_t i = 0; i < l->nowned; i++)
		free(l->owned[i]);
	free(l->owned);
	free(l->v);
	diff_free(l->diff);
	free(l);
}

/* Add a line. */
static void
sl_add(struct sl_layout *l, enum sl_kind kind, uint16_t style,
    const char *s, size_t len, int op)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n].s = s;
	l->v[l->n].len = (uint32_t)AD_MIN(len, UINT32_MAX);
	l->v[l->n].kind = (uint8_t)kind;
	l->v[l->n].op = (uint8_t)op;
	l->v[l->n].style = style;
	l->n++;
}

/* Keep a string for the layout's lifetime; returns it. */
static char *
sl_own(struct sl_layout *l, char *s)
{
	l->owned = xreallocarray(l->owned, l->nowned + 1, sizeof *l->owned);
	l->owned[l->nowned++] = s;
	return s;
}

/*
 * Add text as lines of at most w columns (wrap) or one line per line
 * (cut at draw time).  The text is untrusted; widths are measured the
 * way draw_untrusted() draws it, stand-ins included.
 */
static void
sl_text(struct sl_layout *l, enum sl_kind kind, uint16_t style,
    const char *s, size_t len, int w, int wrap)
{
	struct draw_opts	o = { .flags = DRAW_STOP };
	size_t			brk, n, used;

	if (kind == SL_OUT)
		o.flags |= DRAW_SGR;
	if (len == 0)
		return;
	while (len > 0) {
		n = draw_line_len(s, len, &brk);
		if (!wrap || w <= 0) {
			sl_add(l, kind, style, s, n, 0);
		} else {
			const char	*p = s;
			size_t		 left = n;

			do {
				(void)draw_untrusted(NULL, 0, 0, w, style, p,
				    left, &o, &used);
				if (used == 0)
					used = 1;	/* always progress */
				used = AD_MIN(used, left);
				sl_add(l, kind, style, p, used, 0);
				p += used;
				left -= used;
			} while (left > 0);
		}
		s += n + brk;
		len -= n + brk;
		if (brk > 0 && len == 0)
			break;
	}
}

/* The text blocks of content joined; other blocks named. */
static char *
sl_content_text(json_t *content)
{
	json_t		*b, *t;
	struct buf	 out;
	const char	*type;
	size_t		 i;

	buf_init(&out, BUF_UNBOUNDED);
	if (json_is_string(content)) {
		if (buf_append(&out, json_string_value(content),
		    json_string_length(content)) != 0)
			return NULL;
		return buf_steal(&out, NULL);
	}
	json_array_foreach(content, i, b) {
		type = json_string_value(json_object_get(b, "type"));
		if (out.len > 0 && buf_putc(&out, '\n') != 0)
			break;
		if (type != NULL && strcmp(type, "text") == 0 &&
		    (t = json_object_get(b, "text")) != NULL) {
			if (buf_append(&out, json_string_value(t),
			    json_string_length(t)) != 0)
				break;
		} else if (type != NULL && strcmp(type, "search_result") == 0) {
			const char	*ti, *src;

			ti = json_string_value(json_object_get(b, "title"));
			src = json_string_value(json_object_get(b, "source"));
			if (buf_printf(&out, "[result] %s <%s>", ti != NULL ?
			    ti : "", src != NULL ? src : "") != 0)
				break;
		} else if (buf_printf(&out, "[%s]", type != NULL ? type :
		    "block") != 0)
			break;
	}
	if (out.data == NULL)
		return xstrdup("");
	return buf_steal(&out, NULL);
}

/*
 * A copy of a string member, owned by the layout, so that no line points
 * into an event's tree (the event may leave the cache before the
 * layout).  NULL if the member is not a string.
 */
static const char *
sl_copy(struct sl_layout *l, json_t *obj, const char *key, size_t *len)
{
	json_t	*v = json_object_get(obj, key);
	char	*s;

	if (!json_is_string(v))
		return NULL;
	*len = json_string_length(v);
	s = xmemdup(json_string_value(v), *len + 1);
	s[*len] = '\0';
	return sl_own(l, s);
}

/* Add the diff lines of a against b. */
static void
sl_diff(struct sl_layout *l, const char *a, size_t alen, const char *b,
    size_t blen)
{
	const struct diff_line	*dl;
	char			*h;

	l->diff = diff_create(a, alen, b, blen, DIFF_CONTEXT);
	for (size_t i = 0; i < l->diff->nhunks; i++) {
		const struct diff_hunk	*hk = &l->diff->hunks[i];

		xasprintf(&h, "@@ -%zu,%zu +%zu,%zu @@", hk->astart, hk->alen,
		    hk->bstart, hk->blen);
		sl_add(l, SL_LABEL, UI_STYLE_DIFF_HUNK, sl_own(l, h),
		    strlen(h), 0);
		for (size_t j = hk->first; j < hk->first + hk->count; j++) {
			dl = &l->diff->lines[j];
			sl_add(l, SL_DIFF, dl->op == DIFF_ADD ?
			    UI_STYLE_DIFF_ADD : dl->op == DIFF_DEL ?
			    UI_STYLE_DIFF_DEL : UI_STYLE_NORMAL, dl->s, dl->len,
			    dl->op);
		}
	}
	if (l->diff->approximate)
		sl_add(l, SL_LABEL, UI_STYLE_DIM, "(too many changes to match "
		    "line by line: shown whole)", 45, 0);
}

/* The input of a tool use: a diff for write and edit, else its text. */
static void
sl_tool_input(struct sess *s, struct sl_layout *l, struct api_event *ev,
    json_t *in, const char *name, int w)
{
	const struct files_op	*op;
	const char		*str, *a, *b;
	char			*dump;
	size_t			 alen, blen;

	if (name != NULL && strcmp(name, "bash") == 0 &&
	    (str = sl_copy(l, in, "command", &alen)) != NULL) {
		sl_text(l, SL_TEXT, UI_STYLE_NORMAL, str, alen, w, s->wrap);
		return;
	}
	if (name != NULL && strcmp(name, "edit") == 0 &&
	    (a = sl_copy(l, in, "old_string", &alen)) != NULL &&
	    (b = sl_copy(l, in, "new_string", &blen)) != NULL) {
		sl_diff(l, a, alen, b, blen);
		return;
	}
	if (name != NULL && strcmp(name, "write") == 0 &&
	    (b = sl_copy(l, in, "content", &blen)) != NULL) {
		op = ev->id != NULL ? files_op(s->cs->files, ev->id) : NULL;
		if (op != NULL && op->before_known) {
			sl_add(l, SL_LABEL, UI_STYLE_DIM, "against the last "
			    "known content", 31, 0);
			/* The files module keeps op->before as long as the
			 * session lives; the layout is freed before it. */
			sl_diff(l, op->before, op->beforelen, b, blen);
		} else {
			sl_add(l, SL_LABEL, UI_STYLE_DIM,
			    "new file (no earlier content known)", 36, 0);
			sl_diff(l, "", 0, b, blen);
		}
		return;
	}
	dump = json_dumps(in, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (dump != NULL)
		sl_text(l, SL_TEXT, UI_STYLE_NORMAL, sl_own(l, dump),
		    strlen(dump), w, s->wrap);
}

/* Was event idx expanded by itself (C-o or Enter on its row)? */
static int
sess_is_toggled(const struct sess *s, uint32_t idx)
{
	size_t	lo = 0, hi = s->nexpanded, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->expanded[mid] == idx)
			return 1;
		if (s->expanded[mid] < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Is event idx expanded: toggled, or a tool call or message while "o"
 * expands them all (other events open only one by one). */
static int
sess_is_expanded(const struct sess *s, uint32_t idx)
{
	int	type = timeline_event(s->cs->tl, idx)->type;

	if (sess_is_toggled(s, idx))
		return 1;
	return s->expand_all && (sess_is_use(type) ||
	    type == API_EV_USER_MESSAGE || type == API_EV_AGENT_MESSAGE ||
	    type == API_EV_SYSTEM_MESSAGE ||
	    type == API_EV_AGENT_THREAD_MESSAGE_SENT ||
	    type == API_EV_AGENT_THREAD_MESSAGE_RECEIVED);
}

/* Toggle the expansion of event idx. */
static void
sess_toggle(struct sess *s, uint32_t idx)
{
	size_t	i;

	for (i = 0; i < s->nexpanded && s->expanded[i] < idx; i++)
		;
	if (i < s->nexpanded && s->expanded[i] == idx) {
		memmove(&s->expanded[i], &s->expanded[i + 1],
		    (s->nexpanded - i - 1) * sizeof *s->expanded);
		s->nexpanded--;
		return;
	}
	s->expanded = xreallocarray(s->expanded, s->nexpanded + 1,
	    sizeof *s->expanded);
	memmove(&s->expanded[i + 1], &s->expanded[i],
	    (s->nexpanded - i) * sizeof *s->expanded);
	s->expanded[i] = idx;
	s->nexpanded++;
}

/* The text width under a row's header. */
static int
sess_text_width(const struct sess *s, uint16_t lane)
{
	return s->w - SESS_INDENT - (s->times ? SESS_TIME_W : 0) -
	    2 * AD_MIN(lane, SESS_MAX_LANE);
}

/* Is this a tool use? */
static int
sess_is_use(int type)
{
	return type == API_EV_AGENT_TOOL_USE ||
	    type == API_EV_AGENT_MCP_TOOL_USE ||
	    type == API_EV_AGENT_CUSTOM_TOOL_USE;
}

/* Build the layout of event idx. */
static struct sl_layout *
sess_build(struct sess *s, uint32_t idx, struct api_event *ev)
{
	const struct tl_event	*e = timeline_event(s->cs->tl, idx);
	struct sl_layout	*l;
	struct api_event_view	 v;
	struct api_event	*res;
	const char		*str;
	char			*text, *cause = NULL;
	size_t			 len;
	int			 w = sess_text_width(s, e->lane);
	int			 expanded = sess_is_expanded(s, idx);

	l = xcalloc(1, sizeof *l);
	sl_add(l, SL_HEAD, UI_STYLE_NORMAL, NULL, 0, 0);
	if (ev == NULL || api_event_view(ev, &v, &cause) != 0) {
		free(cause);
		return l;
	}
	switch (e->type) {
	case API_EV_USER_MESSAGE:
	case API_EV_AGENT_MESSAGE:
	case API_EV_SYSTEM_MESSAGE:
	case API_EV_AGENT_THREAD_MESSAGE_SENT:
	case API_EV_AGENT_THREAD_MESSAGE_RECEIVED:
		if ((text = sl_content_text(v.content)) != NULL)
			sl_text(l, SL_TEXT, e->type == API_EV_USER_MESSAGE ?
			    UI_STYLE_USER : UI_STYLE_AGENT, sl_own(l, text),
			    strlen(text), w, 1);
		/* A long message shows its start until expanded, so one new
		 * event never repaints a whole screen of text. */
		if (!expanded && l->n > SESS_MSG_LINES + 2) {
			char	*more;

			xasprintf(&more, "%zu more lines (C-o shows them)",
			    l->n - 1 - SESS_MSG_LINES);
			l->n = 1 + SESS_MSG_LINES;
			sl_add(l, SL_LABEL, UI_STYLE_DIM, sl_own(l, more),
			    strlen(more), 0);
		}
		break;
	case API_EV_SESSION_ERROR:
	case API_EV_WORKFLOW_RUN_ERROR:
		if (v.error_message != NULL) {
			text = sl_own(l, xstrdup(v.error_message));
			sl_text(l, SL_TEXT, UI_STYLE_ERROR, text, strlen(text),
			    w, 1);
		}
		break;
	case API_EV_SPAN_OUTCOME_EVALUATION_END:
		if ((str = sl_copy(l, api_event_json(ev, &cause),
		    "explanation", &len)) != NULL)
			sl_text(l, SL_TEXT, UI_STYLE_NORMAL, str, len, w, 1);
		free(cause);
		break;
	case API_EV_AGENT_TOOL_USE:
	case API_EV_AGENT_MCP_TOOL_USE:
	case API_EV_AGENT_CUSTOM_TOOL_USE:
		if (!expanded)
			break;
		sl_add(l, SL_LABEL, UI_STYLE_DIM, "input", 5, 0);
		sl_tool_input(s, l, ev, v.tool_input, v.tool_name, w);
		if (!timeline_visible(s->cs->tl, &s->view, e->link))
			break;
		/* The result's body must stay while the layout points
		 * into it: copy its text. */
		res = console_body(s->con, s->cs, e->link);
		/* ev and v may be stale from here (the load can evict the
		 * use): everything kept above is a copy. */
		if (res == NULL || api_event_view(res, &v, &cause) != 0) {
			free(cause);
			sl_add(l, SL_LABEL, UI_STYLE_DIM, "result not in the "
			    "cache", 23, 0);
			break;
		}
		sl_add(l, SL_LABEL, v.is_error == 1 ? UI_STYLE_TOOL_ERROR :
		    UI_STYLE_DIM, v.is_error == 1 ? "result (error)" :
		    "result", v.is_error == 1 ? 14 : 6, 0);
		if ((text = sl_content_text(v.content)) != NULL)
			sl_text(l, SL_OUT, UI_STYLE_NORMAL, sl_own(l, text),
			    strlen(text), w, s->wrap);
		break;
	default:
		if (expanded) {
			text = json_dumps(api_event_json(ev, &cause),
			    JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			free(cause);
			if (text != NULL)
				sl_text(l, SL_TEXT, UI_STYLE_DIM,
				    sl_own(l, text), strlen(text), w, s->wrap);
		}
		break;
	}
	return l;
}

static struct sess_lc	*sess_lcache_of(struct sess *);

/* The cache key of a row's layout: what its lines depend on. */
static uint32_t
sess_key(const struct sess *s, uint32_t idx)
{
	const struct tl_event	*e = timeline_event(s->cs->tl, idx);
	uint32_t		 has = timeline_visible(s->cs->tl, &s->view,
	    e->link);

	return (uint32_t)s->w << 3 | (uint32_t)s->wrap << 2 |
	    (uint32_t)sess_is_expanded(s, idx) << 1 | has;
}

/* The layout of event idx (built on a miss). */
static struct sl_layout *
sess_layout(struct sess *s, uint32_t idx)
{
	struct sess_lc		*lc = sess_lcache_of(s), *victim = &lc[0];
	uint32_t		 key = sess_key(s, idx);

	for (int i = 0; i < SESS_LAYOUTS; i++) {
		if (lc[i].l != NULL && lc[i].idx == idx && lc[i].key == key) {
			lc[i].used = ++s->lclock;
			return lc[i].l;
		}
		if (lc[i].used < victim->used)
			victim = &lc[i];
	}
	if (victim->l != NULL)
		sl_free(victim->l);
	victim->l = sess_build(s, idx, console_body(s->con, s->cs, idx));
	victim->idx = idx;
	victim->key = key;
	victim->used = ++s->lclock;
	return victim->l;
}

/* Forget every cached layout (a setting changed for all rows). */
static void
sess_lcache_clear(struct sess *s)
{
	struct sess_lc	*lc = sess_lcache_of(s);

	for (int i = 0; i < SESS_LAYOUTS; i++) {
		if (lc[i].l != NULL)
			sl_free(lc[i].l);
		memset(&lc[i], 0, sizeof lc[i]);
	}
}

/* Rows: the log's rows, then the open previews. */
static size_t
sess_nrows(const struct sess *s)
{
	return timeline_rows(s->cs->tl, &s->view) +
	    timeline_previews(s->cs->tl, &s->view);
}

/* Build the layout of a preview (not cached: it grows). */
static struct sl_layout *
sess_preview_layout(struct sess *s, size_t k)
{
	const struct tl_preview	*p = timeline_preview_at(s->cs->tl, k);
	struct sl_layout	*l;

	l = xcalloc(1, sizeof *l);
	sl_add(l, SL_HEAD, UI_STYLE_PREVIEW, NULL, 0, 0);
	if (!p->thinking && p->text.len > 0)
		sl_text(l, SL_TEXT, UI_STYLE_PREVIEW, p->text.data,
		    p->text.len, sess_text_width(s, 0), 1);
	return l;
}

/* Lines of row r. */
static int
sess_height(struct sess *s, size_t r)
{
	size_t			 n = timeline_rows(s->cs->tl, &s->view);
	struct sl_layout	*l;
	int			 h;

	if (r < n)
		return (int)AD_MIN(sess_layout(s, timeline_row_event(s->cs->tl,
		    &s->view, r))->n, (size_t)INT32_MAX);
	l = sess_preview_layout(s, r - n);
	h = (int)l->n;
	sl_free(l);
	return h;
}

/* Pin the last line of the last row to the bottom. */
static void
sess_follow(struct sess *s)
{
	size_t	n = sess_nrows(s), r;
	int	acc = 0, h;

	s->top = 0;
	s->top_off = 0;
	if (n == 0)
		return;
	s->sel = n - 1;
	for (r = n; r > 0; r--) {
		h = sess_height(s, r - 1);
		if (acc + h >= s->h) {
			s->top = r - 1;
			s->top_off = acc + h - s->h;
			return;
		}
		acc += h;
	}
}

/* Scroll so that the selected row is on screen. */
static void
sess_ensure_visible(struct sess *s)
{
	int	acc, h;

	if (s->h <= 0)
		return;
	if (s->sel < s->top || (s->sel == s->top && s->top_off > 0)) {
		s->top = s->sel;
		s->top_off = 0;
		return;
	}
	acc = -s->top_off;
	for (size_t r = s->top; r < s->sel; r++) {
		acc += sess_height(s, r);
		if (acc >= s->h)
			break;
	}
	h = sess_height(s, s->sel);
	if (acc + h <= s->h)
		return;
	if (h >= s->h) {
		s->top = s->sel;
		s->top_off = 0;
		return;
	}
	/* Walk back from the selected row until it ends at the bottom. */
	acc = h;
	s->top = s->sel;
	s->top_off = 0;
	while (s->top > 0) {
		h = sess_height(s, s->top - 1);
		if (acc + h > s->h) {
			s->top--;
			s->top_off = acc + h - s->h;
			return;
		}
		acc += h;
		s->top--;
	}
}

/* Where a header is being composed. */
struct sess_hx {
	const struct canvas_region	*rg;
	int				 y;
	int				 x;
	int				 end;	/* first column not to use */
	int				 sel;	/* selected: one style */
	const struct theme		*t;
};

/* Put our own words in style. */
static void
hx_put(struct sess_hx *hx, uint16_t style, const char *text)
{
	if (hx->x >= hx->end)
		return;
	hx->x += draw_text(hx->rg, hx->x, hx->y, hx->end - hx->x,
	    hx->sel ? UI_STYLE_SELECTED : style, text);
}

/* Put untrusted text, on one line, cut to at most max columns. */
static void
hx_untrusted(struct sess_hx *hx, uint16_t style, const char *text,
    size_t len, int max)
{
	struct draw_opts	o = { .flags = DRAW_ONELINE | DRAW_ELLIPSIS };
	int			room = AD_MIN(hx->end - hx->x, max);

	if (room <= 0)
		return;
	o.theme = hx->t;
	hx->x += draw_untrusted(hx->rg, hx->x, hx->y, room,
	    hx->sel ? UI_STYLE_SELECTED : style, text, len, &o, NULL);
}

/* Put a glyph and a space. */
static void
hx_glyph(struct sess_hx *hx, uint16_t style, enum ui_glyph g)
{
	hx_put(hx, style, theme_glyph(hx->t, g));
	hx_put(hx, style, " ");
}

/* "0.8s", "2m03s" for a span of microseconds. */
static void
sess_duration(int64_t us, char *buf, size_t size)
{
	if (us < 0)
		us = 0;
	if (us < 10 * 1000000LL)
		snprintf(buf, size, "%.1fs", (double)us / 1e6);
	else if (us < 3600 * 1000000LL)
		snprintf(buf, size, "%dm%02ds", (int)(us / 60000000LL),
		    (int)(us / 1000000LL % 60));
	else
		console_age(us, buf, size);
}

/* The state words of a tool use, into buf; its style. */
static uint16_t
sess_use_state(struct sess *s, const struct tl_event *e, char *buf,
    size_t size)
{
	const struct tl_event	*res, *conf = NULL;
	char			 d[32];

	if (timeline_visible(s->cs->tl, &s->view, e->conf))
		conf = timeline_event(s->cs->tl, e->conf);
	if (timeline_visible(s->cs->tl, &s->view, e->link)) {
		res = timeline_event(s->cs->tl, e->link);
		sess_duration(res->time_us - e->time_us, d, sizeof d);
		snprintf(buf, size, "%s %s%s", theme_glyph(ui_theme(
		    s->con->ui), (res->flags & TL_ERROR) ? UI_GLYPH_FAIL :
		    UI_GLYPH_OK), d, conf != NULL && !(conf->flags &
		    TL_DENY) ? " approved" : "");
		return (res->flags & TL_ERROR) ? UI_STYLE_TOOL_ERROR :
		    UI_STYLE_TOOL_OK;
	}
	if (conf != NULL && (conf->flags & TL_DENY)) {
		snprintf(buf, size, "%s denied", theme_glyph(ui_theme(
		    s->con->ui), UI_GLYPH_FAIL));
		return UI_STYLE_TOOL_ERROR;
	}
	if (e->flags & TL_AUTODENY) {
		snprintf(buf, size, "%s auto-denied", theme_glyph(ui_theme(
		    s->con->ui), UI_GLYPH_FAIL));
		return UI_STYLE_TOOL_ERROR;
	}
	if ((e->flags & TL_ASK) && conf == NULL) {
		snprintf(buf, size, "%s needs approval", theme_glyph(ui_theme(
		    s->con->ui), UI_GLYPH_WAITING));
		return UI_STYLE_WAITING;
	}
	if (e->type == API_EV_AGENT_CUSTOM_TOOL_USE) {
		snprintf(buf, size, "%s needs a result", theme_glyph(ui_theme(
		    s->con->ui), UI_GLYPH_WAITING));
		return UI_STYLE_WAITING;
	}
	snprintf(buf, size, "%s running", theme_glyph(ui_theme(s->con->ui),
	    UI_GLYPH_RUNNING));
	return UI_STYLE_RUNNING;
}

/* The header of a model request: duration and tokens from its end. */
static void
sess_head_request(struct sess *s, struct sess_hx *hx,
    const struct tl_event *e)
{
	const struct tl_event	*end;
	struct api_event	*ev;
	struct api_event_view	 v;
	char			 buf[96], in[16], out[16], d[32], *cause = NULL;

	hx_put(hx, UI_STYLE_DIM, "model request");
	if (!timeline_visible(s->cs->tl, &s->view, e->link)) {
		hx_put(hx, UI_STYLE_RUNNING, "  ");
		hx_put(hx, UI_STYLE_RUNNING, theme_glyph(hx->t,
		    UI_GLYPH_RUNNING));
		hx_put(hx, UI_STYLE_RUNNING, " in progress");
		return;
	}
	end = timeline_event(s->cs->tl, e->link);
	sess_duration(end->time_us - e->time_us, d, sizeof d);
	snprintf(buf, sizeof buf, "  %s", d);
	hx_put(hx, UI_STYLE_TIME, buf);
	ev = console_body(s->con, s->cs, e->link);
	if (ev != NULL && api_event_view(ev, &v, &cause) == 0 &&
	    v.has_usage) {
		console_count(v.usage.input_tokens +
		    v.usage.cache_read_input_tokens +
		    v.usage.cache_creation_input_tokens, in, sizeof in);
		console_count(v.usage.output_tokens, out, sizeof out);
		snprintf(buf, sizeof buf, "  %s in / %s out", in, out);
		hx_put(hx, UI_STYLE_DIM, buf);
	}
	free(cause);
	if (end->flags & TL_ERROR) {
		hx_put(hx, UI_STYLE_ERROR, "  ");
		hx_glyph(hx, UI_STYLE_ERROR, UI_GLYPH_ERROR);
		hx_put(hx, UI_STYLE_ERROR, "failed");
	}
}

/* The header of a tool use: name, summary, state. */
static void
sess_head_use(struct sess *s, struct sess_hx *hx, uint32_t idx,
    const struct tl_event *e, struct api_event *ev)
{
	struct api_event_view	 v;
	char			 state[64], sum[CONSOLE_SUMMARY_MAX];
	char			*cause = NULL;
	uint16_t		 st;
	int			 sw;

	hx_glyph(hx, UI_STYLE_TOOL, sess_is_expanded(s, idx) ?
	    UI_GLYPH_EXPANDED : UI_GLYPH_COLLAPSED);
	st = sess_use_state(s, e, state, sizeof state);
	sw = width_str(state, strlen(state));
	if (ev == NULL || api_event_view(ev, &v, &cause) != 0) {
		free(cause);
		hx_put(hx, UI_STYLE_TOOL, "tool call (not in the cache)");
	} else {
		if (e->type == API_EV_AGENT_MCP_TOOL_USE &&
		    v.mcp_server_name != NULL) {
			hx_untrusted(hx, UI_STYLE_TOOL, v.mcp_server_name,
			    strlen(v.mcp_server_name), 24);
			hx_put(hx, UI_STYLE_TOOL, "/");
		} else if (e->type == API_EV_AGENT_CUSTOM_TOOL_USE)
			hx_put(hx, UI_STYLE_TOOL, "custom ");
		if (v.tool_name != NULL)
			hx_untrusted(hx, UI_STYLE_TOOL, v.tool_name,
			    strlen(v.tool_name), 32);
		hx_put(hx, UI_STYLE_NORMAL, "  ");
		console_tool_summary(v.tool_name, v.tool_input, sum,
		    sizeof sum);
		hx_untrusted(hx, UI_STYLE_NORMAL, sum, strlen(sum),
		    hx->end - hx->x - sw - 2);
	}
	hx->x = AD_MAX(hx->x + 2, hx->end - sw);
	hx_put(hx, st, state);
}

/* The words for a status or other short event. */
static void
sess_head_other(struct sess *s, struct sess_hx *hx, const struct tl_event *e,
    struct api_event *ev)
{
	struct api_event_view	 v;
	const char		*name;
	char			*cause = NULL, buf[128];
	int			 ok;

	ok = ev != NULL && api_event_view(ev, &v, &cause) == 0;
	free(cause);
	switch (e->type) {
	case API_EV_SESSION_STATUS_IDLE:
		ok = ok && v.stop_reason != NULL &&
		    strcmp(v.stop_reason, "requires_action") == 0;
		hx_glyph(hx, ok ? UI_STYLE_WAITING : UI_STYLE_IDLE, ok ?
		    UI_GLYPH_WAITING : UI_GLYPH_IDLE);
		hx_put(hx, ok ? UI_STYLE_WAITING : UI_STYLE_IDLE, ok ?
		    "waiting for the operator" : "idle");
		if (!ok && ev != NULL && api_event_view(ev, &v, &cause) == 0 &&
		    v.stop_reason != NULL) {
			hx_put(hx, UI_STYLE_DIM, "  ");
			hx_untrusted(hx, UI_STYLE_DIM, v.stop_reason,
			    strlen(v.stop_reason), 40);
		}
		free(cause);
		return;
	case API_EV_SESSION_STATUS_RUNNING:
		hx_glyph(hx, UI_STYLE_RUNNING, UI_GLYPH_RUNNING);
		hx_put(hx, UI_STYLE_RUNNING, "running");
		return;
	case API_EV_SESSION_STATUS_RESCHEDULED:
		hx_glyph(hx, UI_STYLE_RETRY, UI_GLYPH_RESCHEDULED);
		hx_put(hx, UI_STYLE_RETRY, "rescheduled: retrying");
		return;
	case API_EV_SESSION_STATUS_TERMINATED:
		hx_glyph(hx, UI_STYLE_TERMINATED, UI_GLYPH_TERMINATED);
		hx_put(hx, UI_STYLE_TERMINATED, "terminated");
		return;
	case API_EV_SESSION_ERROR:
	case API_EV_WORKFLOW_RUN_ERROR:
		hx_glyph(hx, UI_STYLE_ERROR, UI_GLYPH_ERROR);
		hx_put(hx, UI_STYLE_ERROR, "error ");
		if (ok && v.error_type != NULL)
			hx_untrusted(hx, UI_STYLE_ERROR, v.error_type,
			    strlen(v.error_type), 48);
		if (ok && v.retry_status != NULL) {
			hx_put(hx, UI_STYLE_RETRY, "  ");
			hx_untrusted(hx, (e->flags & TL_RETRY) ?
			    UI_STYLE_RETRY : UI_STYLE_ERROR, v.retry_status,
			    strlen(v.retry_status), 24);
		}
		return;
	case API_EV_USER_INTERRUPT:
		hx_glyph(hx, UI_STYLE_ERROR, UI_GLYPH_FAIL);
		hx_put(hx, UI_STYLE_ERROR, "interrupt");
		return;
	case API_EV_AGENT_THINKING:
		hx_glyph(hx, UI_STYLE_THINKING, UI_GLYPH_THINKING);
		hx_put(hx, UI_STYLE_THINKING, "thinking");
		return;
	case API_EV_AGENT_THREAD_CONTEXT_COMPACTED:
		hx_put(hx, UI_STYLE_DIM, "context compacted");
		return;
	case API_EV_SESSION_THREAD_CREATED:
		hx_put(hx, UI_STYLE_TITLE, "thread started ");
		if (ok && v.agent_name != NULL)
			hx_untrusted(hx, UI_STYLE_TITLE, v.agent_name,
			    strlen(v.agent_name), 40);
		return;
	case API_EV_SESSION_USAGE:
		if (ok && v.has_usage) {
			char	in[16], out[16];

			console_count(v.usage.input_tokens +
			    v.usage.cache_read_input_tokens, in, sizeof in);
			console_count(v.usage.output_tokens, out, sizeof out);
			if (v.usage.list_cost_cents >= 0)
				snprintf(buf, sizeof buf, "usage %s in / %s "
				    "out  $%lld.%02lld", in, out, (long long)
				    v.usage.list_cost_cents / 100, (long long)
				    v.usage.list_cost_cents % 100);
			else
				snprintf(buf, sizeof buf, "usage %s in / %s "
				    "out", in, out);
			hx_put(hx, UI_STYLE_DIM, buf);
			return;
		}
		break;
	default:
		break;
	}
	/* Everything else by its type name (unknown ones as received). */
	name = api_event_type_name(e->type);
	if (*name == '\0' && ev != NULL && ev->type_name != NULL) {
		hx_untrusted(hx, UI_STYLE_DIM, ev->type_name,
		    strlen(ev->type_name), 48);
		hx_put(hx, UI_STYLE_DIM, " (unknown type)");
	} else
		hx_put(hx, (e->flags & TL_ERROR) ? UI_STYLE_ERROR :
		    UI_STYLE_DIM, *name ? name : "event");
}

/* Draw the header line of event idx at row y of rg. */
static void
sess_draw_head(struct sess *s, const struct canvas_region *rg, int y,
    uint32_t idx, int selected)
{
	const struct tl_event	*e = timeline_event(s->cs->tl, idx);
	struct api_event	*ev;
	struct sess_hx		 hx;
	struct tm		 tm;
	time_t			 t;
	char			 ts[16];
	const char		*agent;
	int			 lane = AD_MIN(e->lane, SESS_MAX_LANE);

	hx.rg = rg;
	hx.y = y;
	hx.x = 0;
	hx.end = canvas_region_width(rg);
	hx.sel = 0;
	hx.t = ui_theme(s->con->ui);
	if (selected)
		canvas_fill(rg, 0, y, hx.end, 1, UI_STYLE_SELECTED);
	hx.sel = selected;
	if (s->times) {
		t = (time_t)(e->time_us / 1000000);
		if (e->time_us > 0 && localtime_r(&t, &tm) != NULL)
			strftime(ts, sizeof ts, "%H:%M:%S ", &tm);
		else
			snprintf(ts, sizeof ts, "%-*s", SESS_TIME_W, "");
		hx_put(&hx, UI_STYLE_TIME, ts);
	}
	hx_put(&hx, UI_STYLE_NORMAL, selected ? theme_glyph(hx.t,
	    UI_GLYPH_CURSOR) : " ");
	hx_put(&hx, UI_STYLE_BORDER, e->group != TL_NONE && e->group != idx ?
	    theme_glyph(hx.t, UI_GLYPH_VLINE) : " ");
	for (int i = 0; i < lane; i++)
		hx_put(&hx, UI_STYLE_BORDER, "  ");
	if (e->lane > 0) {
		agent = timeline_lane_agent(s->cs->tl, e->lane);
		hx_put(&hx, UI_STYLE_TITLE, "[");
		hx_untrusted(&hx, UI_STYLE_TITLE, *agent ? agent :
		    timeline_lane_thread(s->cs->tl, e->lane), strlen(*agent ?
		    agent : timeline_lane_thread(s->cs->tl, e->lane)), 24);
		hx_put(&hx, UI_STYLE_TITLE, "] ");
	}
	ev = console_body(s->con, s->cs, idx);
	switch (e->type) {
	case API_EV_USER_MESSAGE:
		hx_glyph(&hx, UI_STYLE_USER, UI_GLYPH_USER);
		hx_put(&hx, UI_STYLE_USER, "user");
		break;
	case API_EV_AGENT_MESSAGE:
		hx_glyph(&hx, UI_STYLE_AGENT, UI_GLYPH_AGENT);
		hx_put(&hx, UI_STYLE_AGENT, "agent");
		break;
	case API_EV_SYSTEM_MESSAGE:
		hx_put(&hx, UI_STYLE_DIM, "system");
		break;
	case API_EV_AGENT_THREAD_MESSAGE_SENT:
		hx_put(&hx, UI_STYLE_AGENT, "message to another thread");
		break;
	case API_EV_AGENT_THREAD_MESSAGE_RECEIVED:
		hx_put(&hx, UI_STYLE_AGENT, "message from another thread");
		break;
	case API_EV_SPAN_MODEL_REQUEST_START:
		sess_head_request(s, &hx, e);
		break;
	case API_EV_AGENT_TOOL_USE:
	case API_EV_AGENT_MCP_TOOL_USE:
	case API_EV_AGENT_CUSTOM_TOOL_USE:
		sess_head_use(s, &hx, idx, e, ev);
		break;
	default:
		sess_head_other(s, &hx, e, ev);
		break;
	}
}

/* Draw line k of a layout at row y (the header via sess_draw_head). */
static void
sess_draw_line(struct sess *s, const struct canvas_region *rg, int y,
    uint32_t idx, const struct sl_layout *l, int k, int selected,
    int preview)
{
	const struct sl_line	*ln = &l->v[k];
	struct draw_opts	 o = { 0 };
	uint16_t		 lane = idx != TL_NONE ?
	    timeline_event(s->cs->tl, idx)->lane : 0;
	int			 x;
	static const char	*gutter[] = { "  ", "- ", "+ " };

	o.theme = ui_theme(s->con->ui);
	if (s->search != NULL) {
		o.match = s->search;
		o.matchlen = strlen(s->search);
	}
	if (ln->kind == SL_HEAD) {
		if (!preview) {
			sess_draw_head(s, rg, y, idx, selected);
			return;
		}
		x = s->times ? SESS_TIME_W : 0;
		draw_text(rg, x, y, -1, UI_STYLE_PREVIEW, "  ");
		draw_text(rg, x + 2, y, -1, UI_STYLE_PREVIEW, theme_glyph(
		    o.theme, UI_GLYPH_AGENT));
		draw_text(rg, x + 3, y, -1, UI_STYLE_PREVIEW,
		    " agent (writing");
		draw_text(rg, x + 18, y, -1, UI_STYLE_PREVIEW, theme_glyph(
		    o.theme, UI_GLYPH_ELLIPSIS));
		draw_text(rg, x + 19, y, -1, UI_STYLE_PREVIEW, ")");
		return;
	}
	x = (s->times ? SESS_TIME_W : 0) + SESS_INDENT +
	    2 * AD_MIN(lane, SESS_MAX_LANE);
	if (idx != TL_NONE && timeline_event(s->cs->tl, idx)->group !=
	    TL_NONE)
		draw_text(rg, (s->times ? SESS_TIME_W : 0) + 1, y, 1,
		    UI_STYLE_BORDER, theme_glyph(o.theme, UI_GLYPH_VLINE));
	switch (ln->kind) {
	case SL_LABEL:
		draw_text(rg, x, y, -1, ln->style, ln->s);
		break;
	case SL_DIFF:
		draw_text(rg, x - 2, y, 2, ln->style, gutter[ln->op]);
		o.flags = DRAW_ONELINE | DRAW_ELLIPSIS;
		draw_untrusted(rg, x, y, -1, ln->style, ln->s, ln->len, &o,
		    NULL);
		break;
	default:
		o.flags = DRAW_ONELINE | (s->wrap ? 0 : DRAW_ELLIPSIS) |
		    (ln->kind == SL_OUT ? DRAW_SGR : 0);
		draw_untrusted(rg, x, y, -1, ln->style, ln->s, ln->len, &o,
		    NULL);
		break;
	}
}

/* The one-line summary of the session above its timeline. */
static void
sess_draw_title(struct sess *s, const struct canvas_region *rg)
{
	struct console_session	*cs = s->cs;
	const struct theme	*t = ui_theme(s->con->ui);
	enum console_status	 st = console_status(s->con, cs);
	struct draw_opts	 o = { .flags = DRAW_ONELINE | DRAW_ELLIPSIS };
	char			 buf[160], in[16], out[16];
	int			 x = 0, w = canvas_region_width(rg);

	o.theme = t;
	canvas_fill(rg, 0, 0, w, 1, UI_STYLE_TITLE);
	x += draw_text(rg, x, 0, -1, console_status_style(st),
	    theme_glyph(t, console_status_glyph(st)));
	x += draw_text(rg, x, 0, -1, console_status_style(st), " ");
	x += draw_text(rg, x, 0, -1, console_status_style(st),
	    console_status_word(st));
	x += draw_text(rg, x, 0, -1, UI_STYLE_TITLE, "  ");
	if (cs->st.title != NULL && *cs->st.title != '\0') {
		x += draw_untrusted(rg, x, 0, w / 2 - x, UI_STYLE_TITLE,
		    cs->st.title, strlen(cs->st.title), &o, NULL);
		x += draw_text(rg, x, 0, -1, UI_STYLE_TITLE, "  ");
	}
	x += draw_untrusted(rg, x, 0, w - x, UI_STYLE_DIM, cs->id,
	    strlen(cs->id), &o, NULL);
	if (!cs->has_state)
		return;
	console_count(cs->st.tokens_in, in, sizeof in);
	console_count(cs->st.tokens_out, out, sizeof out);
	snprintf(buf, sizeof buf, "  %s in / %s out", in, out);
	x += draw_text(rg, x, 0, w - x, UI_STYLE_DIM, buf);
	if (cs->st.cost_cents >= 0) {
		snprintf(buf, sizeof buf, "  $%lld.%02lld",
		    (long long)cs->st.cost_cents / 100,
		    (long long)cs->st.cost_cents % 100);
		x += draw_text(rg, x, 0, w - x, UI_STYLE_DIM, buf);
	}
	if (cs->npending > 0) {
		snprintf(buf, sizeof buf, "  %zu pending", cs->npending);
		draw_text(rg, x, 0, w - x, UI_STYLE_BADGE, buf);
	}
}

/* The raw JSON of the selected event, in the lower part. */
static void
sess_draw_raw(struct sess *s, const struct canvas_region *rg)
{
	struct draw_opts	 o = { .flags = DRAW_ONELINE | DRAW_ELLIPSIS };
	struct api_event	*ev;
	char			*cause = NULL;
	const char		*p;
	size_t			 left, used;
	uint32_t		 idx;
	int			 w = canvas_region_width(rg);
	int			 h = canvas_region_height(rg);

	o.theme = ui_theme(s->con->ui);
	canvas_fill(rg, 0, 0, w, h, UI_STYLE_NORMAL);
	draw_hline(rg, 0, 0, w, UI_STYLE_BORDER, o.theme);
	draw_text(rg, 2, 0, -1, UI_STYLE_TITLE, " raw event (J closes) ");
	if (s->sel >= timeline_rows(s->cs->tl, &s->view))
		return;
	idx = timeline_row_event(s->cs->tl, &s->view, s->sel);
	if (s->raw_text == NULL || s->raw_idx != idx) {
		free(s->raw_text);
		s->raw_text = NULL;
		ev = console_body(s->con, s->cs, idx);
		if (ev != NULL && api_event_json(ev, &cause) != NULL)
			s->raw_text = json_dumps(api_event_json(ev, &cause),
			    JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		free(cause);
		s->raw_idx = idx;
	}
	if (s->raw_text == NULL) {
		draw_text(rg, 0, 1, -1, UI_STYLE_DIM, "not in the cache");
		return;
	}
	p = s->raw_text;
	left = strlen(p);
	o.flags = DRAW_ELLIPSIS;
	for (int y = 1; y < h && left > 0; y++) {
		draw_untrusted(rg, 0, y, w, UI_STYLE_NORMAL, p, left, &o,
		    &used);
		p += used;
		left -= used;
	}
}

/* Draw the pane. */
static void
sess_draw(struct pane *p, const struct pane_frame *f)
{
	struct sess		*s = p->data;
	struct canvas_region	 title, tlr, raw;
	struct sl_layout	*l;
	size_t			 nrows, nlog, r;
	uint32_t		 idx;
	int			 w = canvas_region_width(&f->body);
	int			 h = canvas_region_height(&f->body), y, k, th;

	canvas_fill(&f->body, 0, 0, w, h, UI_STYLE_NORMAL);
	canvas_region_sub(&title, &f->body, 0, 0, w, 1);
	sess_draw_title(s, &title);
	th = h - 1;
	if (s->raw)
		th = AD_MAX(th / 2, 1);
	canvas_region_sub(&tlr, &f->body, 0, 1, w, th);
	if (s->raw) {
		canvas_region_sub(&raw, &f->body, 0, 1 + th, w, h - 1 - th);
		sess_draw_raw(s, &raw);
	}
	if (w != s->w)
		sess_lcache_clear(s);
	s->w = w;
	s->h = th;
	nlog = timeline_rows(s->cs->tl, &s->view);
	nrows = sess_nrows(s);
	if (nrows == 0) {
		draw_text(&tlr, 2, 0, -1, UI_STYLE_DIM, "no events yet");
		return;
	}
	/*
	 * Following, nothing is highlighted: the newest row is the one
	 * that matters, and a highlight moving down with every event would
	 * keep terminals from scrolling (the highlighted line changes, so
	 * curses cannot reuse it): only new lines are sent this way.
	 */
	if (s->follow)
		sess_follow(s);
	if (s->sel >= nrows)
		s->sel = nrows - 1;
	y = 0;
	for (r = s->top; r < nrows && y < th; r++) {
		if (r < nlog) {
			idx = timeline_row_event(s->cs->tl, &s->view, r);
			l = sess_layout(s, idx);
		} else {
			idx = TL_NONE;
			l = sess_preview_layout(s, r - nlog);
		}
		for (k = r == s->top ? s->top_off : 0; k < (int)l->n &&
		    y < th; k++)
			sess_draw_line(s, &tlr, y++, idx, l, k,
			    r == s->sel && !s->follow,
			    r >= nlog);
		if (r >= nlog)
			sl_free(l);
	}
}

/* The event of the selected row, or TL_NONE (a preview, or nothing). */
static uint32_t
sess_sel_event(const struct sess *s)
{
	if (s->sel >= timeline_rows(s->cs->tl, &s->view))
		return TL_NONE;
	return timeline_row_event(s->cs->tl, &s->view, s->sel);
}

/* The pending call the keys act on: the selected one, else the first. */
static const struct console_pending *
sess_pending(const struct sess *s)
{
	uint32_t	idx = sess_sel_event(s);

	for (size_t i = 0; idx != TL_NONE && i < s->cs->npending; i++)
		if (s->cs->pending[i].seq == timeline_event(s->cs->tl,
		    idx)->seq)
			return &s->cs->pending[i];
	return console_first_pending(s->cs);
}

/* Move the selection by n rows (negative: up). */
static void
sess_move(struct sess *s, long n)
{
	size_t	nrows = sess_nrows(s);

	if (nrows == 0)
		return;
	if (n < 0 && (size_t)-n > s->sel)
		s->sel = 0;
	else
		s->sel = AD_MIN(s->sel + (size_t)n, nrows - 1);
	s->follow = 0;
	sess_ensure_visible(s);
}

/* Move the selection by about n lines. */
static void
sess_move_lines(struct sess *s, int n)
{
	size_t	nrows = sess_nrows(s);
	int	acc = 0;

	if (nrows == 0)
		return;
	s->follow = 0;
	if (n > 0) {
		while (s->sel + 1 < nrows && acc < n)
			acc += sess_height(s, s->sel++);
	} else {
		while (s->sel > 0 && acc < -n)
			acc += sess_height(s, --s->sel);
	}
	sess_ensure_visible(s);
}

/* The next (dir > 0) or previous row with an error. */
static void
sess_next_error(struct sess *s, int dir)
{
	size_t			 nrows = timeline_rows(s->cs->tl, &s->view);
	const struct tl_event	*e;
	size_t			 r = s->sel;

	while (dir > 0 ? r + 1 < nrows : r > 0) {
		r = dir > 0 ? r + 1 : r - 1;
		e = timeline_event(s->cs->tl, timeline_row_event(s->cs->tl,
		    &s->view, r));
		if (e->flags & (TL_ERROR | TL_RETRY) ||
		    (timeline_visible(s->cs->tl, &s->view, e->link) &&
		    sess_is_use(e->type) && (timeline_event(s->cs->tl,
		    e->link)->flags & TL_ERROR))) {
			s->sel = r;
			s->follow = 0;
			sess_ensure_visible(s);
			return;
		}
	}
	ui_toast(s->con->ui, 0, "no %s error", dir > 0 ? "later" : "earlier");
}

/* Search for the needle from the selection on. */
static void
sess_search_step(struct sess *s, int dir)
{
	uint32_t	idx = sess_sel_event(s);
	int64_t		from, seq;

	if (s->search == NULL || s->con->host.search == NULL)
		return;
	from = idx == TL_NONE ? 0 : (int64_t)timeline_event(s->cs->tl,
	    idx)->seq + dir;
	seq = s->con->host.search(s->con->host.arg, s->cs->id, s->search,
	    from, dir);
	if (seq < 0 || (uint64_t)seq >= timeline_count(s->cs->tl) ||
	    !timeline_visible(s->cs->tl, &s->view, (uint32_t)seq)) {
		ui_toast(s->con->ui, 0, "\"%s\": no more matches", s->search);
		return;
	}
	s->sel = timeline_row_of(s->cs->tl, &s->view, (uint32_t)seq);
	s->follow = 0;
	sess_ensure_visible(s);
}

/* "/" entered a search. */
static void
sess_search_cb(void *arg, const char *text)
{
	struct sess	*s = arg;

	free(s->search);
	s->search = *text != '\0' ? xstrdup(text) : NULL;
	sess_lcache_clear(s);
	if (s->search != NULL)
		sess_search_step(s, 1);
}

/* Contexts: session actions, transcript keys, then global. */
static int
sess_contexts(struct pane *p, enum ui_context *v, int n)
{
	v[0] = UI_CTX_SESSION;
	v[1] = UI_CTX_TRANSCRIPT;
	v[2] = UI_CTX_GLOBAL;
	return 3;
}

/* An event expanded, unwrapped, as plain lines (diffs with gutters). */
static char *
sess_payload(struct sess *s, uint32_t idx)
{
	struct sl_layout	*l;
	struct buf		 out;
	int			 saved = s->expand_all, wrap = s->wrap;

	s->expand_all = 1;
	s->wrap = 0;
	l = sess_build(s, idx, console_body(s->con, s->cs, idx));
	s->expand_all = saved;
	s->wrap = wrap;
	buf_init(&out, BUF_UNBOUNDED);
	for (size_t k = 1; k < l->n; k++) {
		const char	*g = l->v[k].kind == SL_DIFF ?
		    (l->v[k].op == DIFF_ADD ? "+" : l->v[k].op == DIFF_DEL ?
		    "-" : " ") : "";

		if (buf_puts(&out, g) != 0 ||
		    buf_append(&out, l->v[k].s, l->v[k].len) != 0 ||
		    buf_putc(&out, '\n') != 0)
			break;
	}
	sl_free(l);
	return out.data != NULL ? buf_steal(&out, NULL) : xstrdup("");
}

/* Show the full payload of the selected (or pending) call. */
static void
sess_show(struct sess *s)
{
	const struct console_pending	*pd;
	uint32_t			 idx = sess_sel_event(s);

	if ((idx == TL_NONE || !sess_is_use(timeline_event(s->cs->tl,
	    idx)->type)) && (pd = sess_pending(s)) != NULL)
		idx = pd->seq;
	if (idx == TL_NONE) {
		ui_toast(s->con->ui, 0, "nothing selected");
		return;
	}
	ui_push(s->con->ui, pane_text_create(s->con->ui, "payload",
	    sess_payload(s, idx), 1));
}

/* Keys. */
static int
sess_action(struct pane *p, enum ui_action a, int arg)
{
	struct sess			*s = p->data;
	const struct console_pending	*pd;
	uint32_t			 idx;

	switch (a) {
	case UI_ACT_DOWN:
		sess_move(s, 1);
		return 1;
	case UI_ACT_UP:
		sess_move(s, -1);
		return 1;
	case UI_ACT_PAGE_DOWN:
		sess_move_lines(s, s->h);
		return 1;
	case UI_ACT_PAGE_UP:
		sess_move_lines(s, -s->h);
		return 1;
	case UI_ACT_HALF_DOWN:
		sess_move_lines(s, s->h / 2);
		return 1;
	case UI_ACT_HALF_UP:
		sess_move_lines(s, -s->h / 2);
		return 1;
	case UI_ACT_TOP:
		s->sel = s->top = 0;
		s->top_off = 0;
		s->follow = 0;
		return 1;
	case UI_ACT_BOTTOM:
		s->follow = 1;
		return 1;
	case UI_ACT_FOLLOW:
		s->follow = !s->follow;
		return 1;
	case UI_ACT_WRAP:
		s->wrap = !s->wrap;
		sess_lcache_clear(s);
		return 1;
	case UI_ACT_TIMESTAMPS:
		s->times = !s->times;
		sess_lcache_clear(s);
		return 1;
	case UI_ACT_RAW:
		s->raw = !s->raw;
		return 1;
	case UI_ACT_EXPAND:
		s->expand_all = !s->expand_all;
		s->view.details = s->expand_all;
		idx = sess_sel_event(s);
		sess_lcache_clear(s);
		if (idx != TL_NONE)
			s->sel = timeline_row_of(s->cs->tl, &s->view, idx);
		sess_ensure_visible(s);
		return 1;
	case UI_ACT_DETAILS:
		if ((idx = sess_sel_event(s)) == TL_NONE)
			return 1;
		/* Enter on a call waiting for approval opens its card. */
		pd = sess_pending(s);
		if (pd != NULL && pd->seq == timeline_event(s->cs->tl,
		    idx)->seq && !pd->custom && !ui_readonly(s->con->ui) &&
		    s->view.limit == SIZE_MAX) {
			ui_push(s->con->ui, pane_card_create(s->con, s->cs,
			    pd->event_id));
			return 1;
		}
		sess_toggle(s, idx);
		s->follow = 0;
		sess_ensure_visible(s);
		return 1;
	case UI_ACT_NEXT_ERROR:
	case UI_ACT_PREV_ERROR:
		sess_next_error(s, a == UI_ACT_NEXT_ERROR ? 1 : -1);
		return 1;
	case UI_ACT_SEARCH:
		ui_push(s->con->ui, pane_prompt_create(s->con->ui, "/",
		    s->search, 0, sess_search_cb, NULL, NULL, s));
		return 1;
	case UI_ACT_SEARCH_NEXT:
	case UI_ACT_SEARCH_PREV:
		sess_search_step(s, a == UI_ACT_SEARCH_NEXT ? 1 : -1);
		return 1;
	case UI_ACT_ESC_INTERRUPT:
		if (console_status(s->con, s->cs) == CONSOLE_RUNNING ||
		    console_status(s->con, s->cs) == CONSOLE_STALLED) {
			console_interrupt(s->con, s->cs, "Esc interrupts a "
			    "running turn in this view; q goes back");
			return 1;
		}
		if (s->search != NULL) {
			sess_search_cb(s, "");
			return 1;
		}
		return 0;	/* idle: back */
	case UI_ACT_BACK:
		if (s->search != NULL) {
			sess_search_cb(s, "");
			return 1;
		}
		return 0;
	case UI_ACT_SHOW_DIFF:
		sess_show(s);
		return 1;
	default:
		return console_act(s->con, s->cs, sess_pending(s), a);
	}
}

/* The breadcrumb: the session's title or id. */
static void
sess_crumb(struct pane *p, char *buf, size_t size)
{
	struct sess	*s = p->data;

	str_lcpy(buf, s->cs->st.title != NULL && *s->cs->st.title != '\0' ?
	    s->cs->st.title : s->cs->id, size);
}

/* The status: position and follow. */
static void
sess_status(struct pane *p, char *buf, size_t size)
{
	struct sess	*s = p->data;
	size_t		 n = sess_nrows(s);

	snprintf(buf, size, "%zu/%zu %s%s", n > 0 ? s->sel + 1 : 0, n,
	    s->follow ? "following" : "paused (End follows)",
	    s->view.limit != SIZE_MAX ? " replay" : "");
}

/* Free the pane. */
static void
sess_free(struct pane *p)
{
	struct sess	*s = p->data;

	sess_lcache_clear(s);
	free(s->lc);
	free(s->expanded);
	free(s->search);
	free(s->raw_text);
	free(s);
	free(p);
}

/* y: the selected event's id, else the session's. */
static int
sess_copy(struct pane *p, char *buf, size_t size)
{
	struct sess		*s = p->data;
	struct api_event	*ev = NULL;

	if (s->sel < timeline_rows(s->cs->tl, &s->view))
		ev = console_body(s->con, s->cs, timeline_row_event(s->cs->tl,
		    &s->view, s->sel));
	str_lcpy(buf, ev != NULL && ev->id != NULL ? ev->id : s->cs->id, size);
	return 1;
}

static const struct pane_ops sess_ops = {
	.name = "session",
	.contexts = sess_contexts,
	.draw = sess_draw,
	.action = sess_action,
	.copy = sess_copy,
	.crumb = sess_crumb,
	.status = sess_status,
	.free = sess_free,
};

/* The layout cache of a pane. */
static struct sess_lc *
sess_lcache_of(struct sess *s)
{
	return s->lc;
}

/* A session pane; follow starts on (a live view follows). */
struct pane *
pane_session_create(struct console *con, struct console_session *cs,
    int follow)
{
	struct pane	*p;
	struct sess	*s;

	s = xcalloc(1, sizeof *s);
	s->con = con;
	s->cs = cs;
	s->view.limit = SIZE_MAX;
	s->follow = follow;
	s->wrap = 1;
	s->raw_idx = TL_NONE;
	s->lc = xcalloc(SESS_LAYOUTS, sizeof *s->lc);
	p = pane_create(con->ui, &sess_ops, s, 0);
	return p;
}

/* Select the row of event idx (and stop following). */
void
pane_session_show_event(struct pane *p, uint32_t idx)
{
	struct sess	*s = p->data;

	if (idx >= timeline_count(s->cs->tl))
		return;
	s->sel = timeline_row_of(s->cs->tl, &s->view, idx);
	s->follow = 0;
	sess_ensure_visible(s);
}

/* Select the row of event idx and expand it (a deep link). */
void
pane_session_expand(struct pane *p, uint32_t idx)
{
	struct sess	*s = p->data;

	pane_session_show_event(p, idx);
	if ((idx = sess_sel_event(s)) != TL_NONE &&
	    !sess_is_expanded(s, idx))
		sess_toggle(s, idx);
	sess_ensure_visible(s);
}

/* Show the session as it was after its first n events (replay). */
void
pane_session_set_limit(struct pane *p, size_t n)
{
	struct sess	*s = p->data;

	s->view.limit = n;
	sess_lcache_clear(s);
	if (s->sel >= sess_nrows(s))
		s->sel = sess_nrows(s) > 0 ? sess_nrows(s) - 1 : 0;
	sess_ensure_visible(s);
}

/* The session of a session pane, or NULL for any other pane. */
struct console_session *
pane_session_of(struct pane *p)
{
	struct sess	*s = p->data;

	return p->ops == &sess_ops ? s->cs : NULL;
}

/* The payload of event idx as text lines (cards, "d"). */
char *
console_payload(struct console *con, struct console_session *cs,
    uint32_t idx)
{
	struct sess	 s;
	char		*text;

	if (idx >= timeline_count(cs->tl))
		return xstrdup("(not in the log yet)");
	memset(&s, 0, sizeof s);
	s.con = con;
	s.cs = cs;
	s.view.limit = SIZE_MAX;
	s.w = 4096;
	text = sess_payload(&s, idx);
	return text;
}
