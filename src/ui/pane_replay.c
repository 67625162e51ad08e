/* ISC licence: see COPYING.  A session's replay, in session time. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "ui/console_int.h"
#include "ui/draw.h"
#include "ui/pane_prompt.h"

/*
 * The replay is the session view itself (pane_session.c) under a limit:
 * at position pos only the first pos events count, so the screen is what
 * the live view showed after those events.  The header is drawn from a
 * copy of the session (same id, timeline and files, its own state) whose
 * state the host computes for exactly those events (host.state_at, from
 * periodic reducer snapshots).  Two rows below it: the timeline strip
 * (markers and playhead) and the position, speed and idle cap.
 *
 * Playback walks the log in session time (the events' processed_at):
 * the gap to the next event, capped by the idle cap, divided by the
 * speed.  Everything that moves the playhead goes through rp_seek.
 */

#define RP_ROWS		2		/* the strip and the position */
#define RP_SKIP_US	(10 * 1000000LL)	/* S-Left / S-Right */
#define RP_NSPEEDS	10		/* the last: as fast as possible */

static const double rp_speeds[RP_NSPEEDS - 1] = {
	0.25, 0.5, 1, 2, 4, 8, 16, 32, 64
};
static const int64_t rp_caps_ms[] = { 0, 2000, 5000 };

/* Marker types, as M shows them and the strip draws them. */
enum rp_marker {
	RP_M_TOOL,
	RP_M_APPROVAL,
	RP_M_DENIAL,
	RP_M_ERROR,
	RP_M_USER,
	RP_M_EDIT,
	RP_M_COMPACTION,
	RP_M_THREAD,
	RP_M__COUNT
};

static const struct {
	char		 letter;
	const char	*name;
} rp_markers[RP_M__COUNT] = {
	[RP_M_TOOL] = { 't', "tool call" },
	[RP_M_APPROVAL] = { 'a', "approval" },
	[RP_M_DENIAL] = { 'd', "denial" },
	[RP_M_ERROR] = { 'E', "error" },
	[RP_M_USER] = { 'u', "user message" },
	[RP_M_EDIT] = { 'f', "file edit" },
	[RP_M_COMPACTION] = { 'c', "compaction" },
	[RP_M_THREAD] = { 'p', "thread spawn" },
};

struct rp {
	struct console		*con;
	struct console_session	*live;		/* its timeline, its files */
	struct console_session	 at;		/* the state at pos */
	struct pane		*view;		/* the session view */
	size_t			 pos;		/* events shown */
	int			 playing;
	int			 alone;		/* q quits */
	int			 speed;		/* index; RP_NSPEEDS - 1: max */
	int64_t			 cap_us;	/* idle cap; 0: off */
	int64_t			 debt_us;	/* sub-ms time not yet waited */
	unsigned		 markers;	/* 1 << enum rp_marker */
	size_t			*marks;		/* bookmarks (positions) */
	size_t			 nmarks;
	struct loop_timer	*timer;
	/* The strip for a width and marker set, built when they change. */
	char			*strip;
	int			 strip_w;
	size_t			 strip_n;
	unsigned		 strip_markers;
};

static void	rp_schedule(struct rp *);

/* Events in the log. */
static size_t
rp_count(const struct rp *r)
{
	return timeline_count(r->live->tl);
}

/* The processed time of event i. */
static int64_t
rp_time(const struct rp *r, size_t i)
{
	return timeline_event(r->live->tl, (uint32_t)i)->time_us;
}

/* Did event i change a file (binary search of the session's edits)? */
static int
rp_is_edit(const struct rp *r, uint32_t i)
{
	size_t	lo = 0, hi = r->live->nedits, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (r->live->edits[mid] == i)
			return 1;
		if (r->live->edits[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* The marker types of event i (1 << enum rp_marker). */
static unsigned
rp_marker_of(const struct rp *r, size_t i)
{
	const struct tl_event	*e = timeline_event(r->live->tl, (uint32_t)i);
	unsigned		 m = 0;

	switch (e->type) {
	case API_EV_AGENT_TOOL_USE:
	case API_EV_AGENT_MCP_TOOL_USE:
	case API_EV_AGENT_CUSTOM_TOOL_USE:
		m |= 1U << RP_M_TOOL;
		break;
	case API_EV_USER_TOOL_CONFIRMATION:
		m |= 1U << ((e->flags & TL_DENY) ? RP_M_DENIAL : RP_M_APPROVAL);
		break;
	case API_EV_USER_MESSAGE:
		m |= 1U << RP_M_USER;
		break;
	case API_EV_AGENT_THREAD_CONTEXT_COMPACTED:
		m |= 1U << RP_M_COMPACTION;
		break;
	case API_EV_SESSION_THREAD_CREATED:
		m |= 1U << RP_M_THREAD;
		break;
	default:
		break;
	}
	if (e->flags & TL_AUTODENY)
		m |= 1U << RP_M_DENIAL;
	if (e->flags & TL_ERROR)
		m |= 1U << RP_M_ERROR;
	if ((e->type == API_EV_AGENT_TOOL_RESULT ||
	    e->type == API_EV_USER_TOOL_RESULT) && rp_is_edit(r, (uint32_t)i))
		m |= 1U << RP_M_EDIT;
	return m;
}

/* The host's answer: the state after exactly pos events. */
static void
rp_set_state(void *arg, const struct console_state *st)
{
	struct rp	*r = arg;

	console_session_state(&r->at, st);
	r->at.has_state = 1;
}

/* Move the playhead: the view under the limit, the state from the host. */
static void
rp_seek(struct rp *r, size_t pos)
{
	struct console	*con = r->con;
	size_t		 n = rp_count(r);

	if (pos > n)
		pos = n;
	r->pos = pos;
	pane_session_set_limit(r->view, pos);
	if (con->host.state_at == NULL || con->host.state_at(con->host.arg,
	    r->live->id, pos, rp_set_state, r) != 0) {
		console_session_state_clear(&r->at);
		ui_toast(con->ui, 1, "replay: cannot read the session's state "
		    "from the cache");
	}
	ui_dirty(con->ui);
}

/* Stop playing. */
static void
rp_pause(struct rp *r)
{
	r->playing = 0;
	r->debt_us = 0;
	loop_timer_disarm(r->timer);
	ui_dirty(r->con->ui);
}

/* Playback: show the next event and wait for the one after. */
static void
rp_tick(struct loop_timer *t, void *arg)
{
	struct rp	*r = arg;

	if (r->pos >= rp_count(r)) {
		rp_pause(r);
		return;
	}
	rp_seek(r, r->pos + 1);
	rp_schedule(r);
}

/* Arm the timer for the next event (or stop at the end). */
static void
rp_schedule(struct rp *r)
{
	int64_t	gap = 0, ms;

	if (!r->playing)
		return;
	if (r->pos >= rp_count(r)) {
		rp_pause(r);
		ui_toast(r->con->ui, 0, "end of the session");
		return;
	}
	if (r->speed < RP_NSPEEDS - 1 && r->pos > 0) {
		gap = rp_time(r, r->pos) - rp_time(r, r->pos - 1);
		if (gap < 0)
			gap = 0;
		if (r->cap_us > 0 && gap > r->cap_us)
			gap = r->cap_us;
		gap = (int64_t)((double)gap / rp_speeds[r->speed]);
	}
	gap += r->debt_us;
	ms = gap / 1000;
	r->debt_us = gap % 1000;
	loop_timer_arm(r->timer, ms);
}

/* The first position at or after from whose event matches (dir > 0), or
 * the last one before from (dir < 0); pos is event index + 1.  Returns 0
 * if there is none. */
static size_t
rp_find(struct rp *r, int dir, int (*match)(struct rp *, size_t, void *),
    void *arg)
{
	size_t	n = rp_count(r), i;

	if (dir > 0) {
		for (i = r->pos; i < n; i++)
			if (match(r, i, arg))
				return i + 1;
		return 0;
	}
	for (i = r->pos > 1 ? r->pos - 1 : 0; i-- > 0;)
		if (match(r, i, arg))
			return i + 1;
	return 0;
}

/* Is event i a marker of the chosen types? */
static int
rp_match_marker(struct rp *r, size_t i, void *arg)
{
	return (rp_marker_of(r, i) & r->markers) != 0;
}

/* Is event i a user turn? */
static int
rp_match_turn(struct rp *r, size_t i, void *arg)
{
	return timeline_event(r->live->tl, (uint32_t)i)->type ==
	    API_EV_USER_MESSAGE;
}

/* Does event i come after a stall (a gap longer than the threshold)? */
static int
rp_match_stall(struct rp *r, size_t i, void *arg)
{
	int64_t	limit = r->con->cfg.stall_ms * 1000;

	return i > 0 && limit > 0 && rp_time(r, i) - rp_time(r, i - 1) >
	    limit;
}

/* Jump to the next match, or say there is none. */
static void
rp_jump(struct rp *r, int dir, int (*match)(struct rp *, size_t, void *),
    const char *what)
{
	size_t	pos = rp_find(r, dir, match, NULL);

	if (pos == 0) {
		ui_toast(r->con->ui, 0, "no %s %s", dir > 0 ? "next" :
		    "previous", what);
		return;
	}
	rp_seek(r, pos);
}

/* The first position whose event is at or after time t. */
static size_t
rp_pos_at(struct rp *r, int64_t t)
{
	size_t	lo = 0, hi = rp_count(r), mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (rp_time(r, mid) < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < rp_count(r) ? lo + 1 : rp_count(r);
}

/* Seek to a time typed at the "@" prompt: RFC 3339, or HH:MM[:SS] on
 * the day of the playhead, local time as the timeline shows it. */
static void
rp_seek_time_cb(void *arg, const char *text)
{
	struct rp	*r = arg;
	struct tm	 tm;
	time_t		 day;
	int64_t		 t;
	int		 hh, mm, ss = 0;
	char		 junk;

	if (*text == '\0' || rp_count(r) == 0)
		return;
	if (clock_parse(text, strlen(text), &t) != 0) {
		if (sscanf(text, "%d:%d:%d%c", &hh, &mm, &ss, &junk) < 2 ||
		    sscanf(text, "%d:%d:%d%c", &hh, &mm, &ss, &junk) == 4 ||
		    hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 ||
		    ss > 60) {
			ui_toast(r->con->ui, 1, "seek: \"%s\" is not a time "
			    "(HH:MM:SS or RFC 3339)", text);
			return;
		}
		day = (time_t)(rp_time(r, r->pos > 0 ? r->pos - 1 : 0) /
		    1000000);
		if (localtime_r(&day, &tm) == NULL)
			return;
		tm.tm_hour = hh;
		tm.tm_min = mm;
		tm.tm_sec = ss;
		tm.tm_isdst = -1;
		t = (int64_t)mktime(&tm) * 1000000;
	}
	rp_seek(r, rp_pos_at(r, t));
}

/* The marker types typed at the "M" prompt (letters). */
static void
rp_markers_cb(void *arg, const char *text)
{
	struct rp	*r = arg;
	unsigned	 m = 0;
	int		 found;

	for (const char *p = text; *p != '\0'; p++) {
		if (*p == ' ')
			continue;
		found = 0;
		for (int k = 0; k < RP_M__COUNT; k++)
			if (rp_markers[k].letter == *p) {
				m |= 1U << k;
				found = 1;
			}
		if (!found) {
			ui_toast(r->con->ui, 1, "markers: unknown letter "
			    "'%c' (t a d E u f c p)", *p);
			return;
		}
	}
	r->markers = m;
	ui_dirty(r->con->ui);
}

/* The marker letters chosen, into buf. */
static void
rp_marker_letters(unsigned m, char *buf, size_t size)
{
	size_t	n = 0;

	for (int k = 0; k < RP_M__COUNT && n + 1 < size; k++)
		if (m & (1U << k))
			buf[n++] = rp_markers[k].letter;
	buf[n] = '\0';
}

/* Add or remove a bookmark at the playhead. */
static void
rp_mark(struct rp *r)
{
	size_t	i;

	for (i = 0; i < r->nmarks && r->marks[i] < r->pos; i++)
		;
	if (i < r->nmarks && r->marks[i] == r->pos) {
		memmove(&r->marks[i], &r->marks[i + 1],
		    (r->nmarks - i - 1) * sizeof *r->marks);
		r->nmarks--;
		ui_toast(r->con->ui, 0, "bookmark removed");
		return;
	}
	r->marks = xreallocarray(r->marks, r->nmarks + 1, sizeof *r->marks);
	memmove(&r->marks[i + 1], &r->marks[i],
	    (r->nmarks - i) * sizeof *r->marks);
	r->marks[i] = r->pos;
	r->nmarks++;
	ui_toast(r->con->ui, 0, "bookmark %zu set at event %zu", i + 1,
	    r->pos);
}

/* Go to the next (dir > 0) or previous bookmark. */
static void
rp_mark_step(struct rp *r, int dir)
{
	if (dir > 0) {
		for (size_t i = 0; i < r->nmarks; i++)
			if (r->marks[i] > r->pos) {
				rp_seek(r, r->marks[i]);
				return;
			}
	} else {
		for (size_t i = r->nmarks; i-- > 0;)
			if (r->marks[i] < r->pos) {
				rp_seek(r, r->marks[i]);
				return;
			}
	}
	ui_toast(r->con->ui, 0, r->nmarks == 0 ? "no bookmarks (m sets one)" :
	    "no %s bookmark", dir > 0 ? "next" : "previous");
}

/* Session time from the last bookmark at or before the playhead. */
static void
rp_elapsed(struct rp *r)
{
	size_t	mark = 0;
	int	found = 0;
	char	age[32];
	int64_t	d;

	for (size_t i = 0; i < r->nmarks; i++)
		if (r->marks[i] <= r->pos && r->marks[i] > 0) {
			mark = r->marks[i];
			found = 1;
		}
	if (!found || r->pos == 0) {
		ui_toast(r->con->ui, 0, "no bookmark before the playhead "
		    "(m sets one)");
		return;
	}
	d = rp_time(r, r->pos - 1) - rp_time(r, mark - 1);
	console_age(d < 0 ? 0 : d, age, sizeof age);
	ui_toast(r->con->ui, 0, "%s (%.3f s) from the bookmark at event %zu "
	    "to event %zu", age, (double)d / 1e6, mark, r->pos);
}

/* The strip: one cell per slice of the log, its strongest marker. */
static void
rp_build_strip(struct rp *r, int w)
{
	static const enum rp_marker order[] = { RP_M_ERROR, RP_M_DENIAL,
	    RP_M_APPROVAL, RP_M_USER, RP_M_EDIT, RP_M_COMPACTION,
	    RP_M_THREAD, RP_M_TOOL };
	size_t		n = rp_count(r), lo, hi;
	unsigned	m;

	if (r->strip != NULL && r->strip_w == w && r->strip_n == n &&
	    r->strip_markers == r->markers)
		return;
	free(r->strip);
	r->strip = xcalloc((size_t)w + 1, 1);
	for (int x = 0; x < w; x++) {
		lo = n * (size_t)x / (size_t)w;
		hi = n * (size_t)(x + 1) / (size_t)w;
		m = 0;
		for (size_t i = lo; i < hi; i++)
			m |= rp_marker_of(r, i) & r->markers;
		r->strip[x] = ' ';
		for (size_t k = 0; k < AD_NITEMS(order); k++)
			if (m & (1U << order[k])) {
				r->strip[x] = rp_markers[order[k]].letter;
				break;
			}
	}
	r->strip_w = w;
	r->strip_n = n;
	r->strip_markers = r->markers;
}

/* The speed as text. */
static void
rp_speed_text(const struct rp *r, char *buf, size_t size)
{
	if (r->speed == RP_NSPEEDS - 1)
		str_lcpy(buf, "max", size);
	else
		snprintf(buf, size, "%gx", rp_speeds[r->speed]);
}

/* The strip and the position line. */
static void
rp_draw_bar(struct rp *r, const struct canvas_region *rg)
{
	const struct theme	*t = ui_theme(r->con->ui);
	size_t			 n = rp_count(r);
	char			 buf[256], sp[16], when[16], age[16];
	char			 letters[RP_M__COUNT + 1], cap[24];
	int			 w = canvas_region_width(rg), x, head;
	int64_t			 off;
	struct tm		 tm;
	time_t			 tt;

	canvas_fill(rg, 0, 0, w, RP_ROWS, UI_STYLE_NORMAL);
	rp_build_strip(r, w);
	for (x = 0; x < w; x++) {
		char	c[2] = { r->strip[x], '\0' };

		if (c[0] == ' ')
			draw_text(rg, x, 0, 1, UI_STYLE_BORDER,
			    theme_glyph(t, UI_GLYPH_HLINE));
		else
			draw_text(rg, x, 0, 1, c[0] == 'E' ? UI_STYLE_ERROR :
			    UI_STYLE_BOLD, c);
	}
	head = n == 0 || r->pos == 0 ? 0 : (int)((r->pos - 1) * (size_t)w /
	    n);
	if (head >= w)
		head = w - 1;
	canvas_restyle(rg, head, 0, 1, UI_STYLE_SELECTED);
	when[0] = '\0';
	age[0] = '\0';
	if (r->pos > 0) {
		tt = (time_t)(rp_time(r, r->pos - 1) / 1000000);
		if (localtime_r(&tt, &tm) != NULL)
			strftime(when, sizeof when, "%H:%M:%S", &tm);
		off = rp_time(r, r->pos - 1) - rp_time(r, 0);
		console_age(off < 0 ? 0 : off, age, sizeof age);
	}
	rp_speed_text(r, sp, sizeof sp);
	rp_marker_letters(r->markers, letters, sizeof letters);
	if (r->cap_us == 0)
		str_lcpy(cap, "off", sizeof cap);
	else
		snprintf(cap, sizeof cap, "<=%llds",
		    (long long)(r->cap_us / 1000000));
	snprintf(buf, sizeof buf, "%s %s  event %zu/%zu  %s  +%s  idle %s  "
	    "markers %s  bookmarks %zu", r->playing ? "playing" : "paused",
	    sp, r->pos, n, when, age[0] != '\0' ? age : "0s", cap, letters,
	    r->nmarks);
	draw_text(rg, 0, 1, w, UI_STYLE_DIM, buf);
}

/* Draw: the session view above, the bar below. */
static void
rp_draw(struct pane *p, const struct pane_frame *f)
{
	struct rp		*r = p->data;
	struct pane_frame	 inner = *f;
	struct canvas_region	 bar;
	int			 w = canvas_region_width(&f->body);
	int			 h = canvas_region_height(&f->body);

	if (h <= RP_ROWS) {
		r->view->ops->draw(r->view, f);
		return;
	}
	canvas_region_sub(&inner.body, &f->body, 0, 0, w, h - RP_ROWS);
	canvas_region_sub(&bar, &f->body, 0, h - RP_ROWS, w, RP_ROWS);
	r->view->ops->draw(r->view, &inner);
	rp_draw_bar(r, &bar);
}

/* Contexts: replay keys, then the transcript's and the global ones. */
static int
rp_contexts(struct pane *p, enum ui_context *v, int n)
{
	v[0] = UI_CTX_REPLAY;
	v[1] = UI_CTX_TRANSCRIPT;
	v[2] = UI_CTX_GLOBAL;
	return 3;
}

/* Actions the session view may take in a replay (nothing that steers). */
static int
rp_view_action(enum ui_action a)
{
	switch (a) {
	case UI_ACT_DOWN:
	case UI_ACT_UP:
	case UI_ACT_PAGE_DOWN:
	case UI_ACT_PAGE_UP:
	case UI_ACT_HALF_DOWN:
	case UI_ACT_HALF_UP:
	case UI_ACT_TOP:
	case UI_ACT_BOTTOM:
	case UI_ACT_FOLLOW:
	case UI_ACT_WRAP:
	case UI_ACT_TIMESTAMPS:
	case UI_ACT_DETAILS:
	case UI_ACT_EXPAND:
	case UI_ACT_RAW:
	case UI_ACT_NEXT_ERROR:
	case UI_ACT_PREV_ERROR:
	case UI_ACT_SEARCH:
	case UI_ACT_SEARCH_NEXT:
	case UI_ACT_SEARCH_PREV:
	case UI_ACT_SHOW_DIFF:
	case UI_ACT_BACK:
		return 1;
	default:
		return 0;
	}
}

/* Keys. */
static int
rp_action(struct pane *p, enum ui_action a, int arg)
{
	struct rp	*r = p->data;
	size_t		 n = rp_count(r);
	char		 letters[RP_M__COUNT + 1];
	int64_t		 t;

	switch (a) {
	case UI_ACT_PLAY:
		if (r->playing) {
			rp_pause(r);
			return 1;
		}
		if (r->pos >= n)
			rp_seek(r, 0);
		r->playing = 1;
		rp_schedule(r);
		ui_dirty(r->con->ui);
		return 1;
	case UI_ACT_STEP_NEXT:
		rp_pause(r);
		rp_seek(r, r->pos + 1);
		return 1;
	case UI_ACT_STEP_PREV:
		rp_pause(r);
		rp_seek(r, r->pos > 0 ? r->pos - 1 : 0);
		return 1;
	case UI_ACT_SLOWER:
	case UI_ACT_FASTER:
	case UI_ACT_SPEED_RESET:
		if (a == UI_ACT_SPEED_RESET)
			r->speed = 2;
		else if (a == UI_ACT_SLOWER && r->speed > 0)
			r->speed--;
		else if (a == UI_ACT_FASTER && r->speed < RP_NSPEEDS - 1)
			r->speed++;
		ui_dirty(r->con->ui);
		return 1;
	case UI_ACT_SEEK_PERCENT:
		rp_seek(r, n * (size_t)arg / 10);
		return 1;
	case UI_ACT_SEEK_TIME:
		ui_push(r->con->ui, pane_prompt_create(r->con->ui,
		    "seek to (HH:MM:SS or RFC 3339)> ", NULL, 0,
		    rp_seek_time_cb, NULL, NULL, r));
		return 1;
	case UI_ACT_SKIP_NEXT:
	case UI_ACT_SKIP_PREV:
		if (n == 0)
			return 1;
		t = rp_time(r, r->pos > 0 ? r->pos - 1 : 0) +
		    (a == UI_ACT_SKIP_NEXT ? RP_SKIP_US : -RP_SKIP_US);
		rp_seek(r, rp_pos_at(r, t));
		return 1;
	case UI_ACT_MARKER_NEXT:
	case UI_ACT_MARKER_PREV:
		rp_jump(r, a == UI_ACT_MARKER_NEXT ? 1 : -1, rp_match_marker,
		    "marker");
		return 1;
	case UI_ACT_MARKER_TYPES:
		rp_marker_letters(r->markers, letters, sizeof letters);
		ui_toast(r->con->ui, 0, "t tool call, a approval, d denial, "
		    "E error, u user message, f file edit, c compaction, "
		    "p thread spawn");
		ui_push(r->con->ui, pane_prompt_create(r->con->ui,
		    "markers> ", letters, 0, rp_markers_cb, NULL, NULL, r));
		return 1;
	case UI_ACT_TURN_NEXT:
	case UI_ACT_TURN_PREV:
		rp_jump(r, a == UI_ACT_TURN_NEXT ? 1 : -1, rp_match_turn,
		    "user turn");
		return 1;
	case UI_ACT_STALL_NEXT:
	case UI_ACT_STALL_PREV:
		rp_jump(r, a == UI_ACT_STALL_NEXT ? 1 : -1, rp_match_stall,
		    "stall");
		return 1;
	case UI_ACT_MARK:
		rp_mark(r);
		return 1;
	case UI_ACT_MARK_NEXT:
	case UI_ACT_MARK_PREV:
		rp_mark_step(r, a == UI_ACT_MARK_NEXT ? 1 : -1);
		return 1;
	case UI_ACT_ELAPSED:
		rp_elapsed(r);
		return 1;
	case UI_ACT_QUIT:
		if (!r->alone || r->con->host.quit == NULL)
			return 0;
		r->con->host.quit(r->con->host.arg);
		return 1;
	case UI_ACT_IDLE_CAP:
		for (size_t i = 0; i < AD_NITEMS(rp_caps_ms); i++)
			if (rp_caps_ms[i] * 1000 == r->cap_us) {
				r->cap_us = rp_caps_ms[(i + 1) %
				    AD_NITEMS(rp_caps_ms)] * 1000;
				ui_dirty(r->con->ui);
				return 1;
			}
		r->cap_us = 0;
		ui_dirty(r->con->ui);
		return 1;
	default:
		if (!rp_view_action(a))
			return 0;
		return r->view->ops->action(r->view, a, arg);
	}
}

/* The breadcrumb. */
static void
rp_crumb(struct pane *p, char *buf, size_t size)
{
	struct rp	*r = p->data;

	snprintf(buf, size, "replay %s", r->at.st.title != NULL &&
	    *r->at.st.title != '\0' ? r->at.st.title : r->live->id);
}

/* The status: the session view's. */
static void
rp_status(struct pane *p, char *buf, size_t size)
{
	struct rp	*r = p->data;

	r->view->ops->status(r->view, buf, size);
}

/* Free. */
static void
rp_free(struct pane *p)
{
	struct rp	*r = p->data;

	loop_timer_free(r->timer);
	if (r->con->replay_at == &r->at) {
		r->con->replay_of = NULL;
		r->con->replay_at = NULL;
	}
	r->view->ops->free(r->view);
	evcache_forget(r->con->cache, &r->at);
	console_session_state_clear(&r->at);
	free(r->strip);
	free(r->marks);
	free(r);
	free(p);
}

/* y: what the session view under the limit copies, its selected event. */
static int
rp_copy(struct pane *p, char *buf, size_t size)
{
	struct rp	*r = p->data;

	return r->view->ops->copy(r->view, buf, size);
}

static const struct pane_ops rp_ops = {
	.name = "replay",
	.contexts = rp_contexts,
	.draw = rp_draw,
	.action = rp_action,
	.copy = rp_copy,
	.crumb = rp_crumb,
	.status = rp_status,
	.free = rp_free,
};

/* A replay of cs after its first pos events. */
struct pane *
pane_replay_create(struct console *con, struct console_session *cs,
    size_t pos, const struct console_replay *o)
{
	struct rp	*r;
	double		 best;

	r = xcalloc(1, sizeof *r);
	r->con = con;
	r->live = cs;
	r->at.con = con;
	r->at.id = cs->id;
	r->at.tl = cs->tl;
	r->at.files = cs->files;
	r->at.nevents = cs->nevents;
	r->view = pane_session_create(con, &r->at, 1);
	r->markers = (1U << RP_M__COUNT) - 1;
	r->speed = 2;
	if (o->speed < 0)
		r->speed = RP_NSPEEDS - 1;
	else if (o->speed > 0) {
		/* The nearest speed offered. */
		best = -1;
		for (int i = 0; i < RP_NSPEEDS - 1; i++)
			if (best < 0 || (rp_speeds[i] > o->speed ?
			    rp_speeds[i] - o->speed : o->speed -
			    rp_speeds[i]) < best) {
				best = rp_speeds[i] > o->speed ?
				    rp_speeds[i] - o->speed : o->speed -
				    rp_speeds[i];
				r->speed = i;
			}
	}
	r->cap_us = o->idle_cap_ms * 1000;
	r->alone = o->alone;
	r->timer = loop_timer_create(ui_loop(con->ui), rp_tick, r);
	con->replay_of = cs;
	con->replay_at = &r->at;
	rp_seek(r, pos);
	if (o->event_id != NULL && pos > 0)
		pane_session_expand(r->view, (uint32_t)(pos - 1));
	if (o->speed != 0) {
		r->playing = 1;
		rp_schedule(r);
	}
	return pane_create(con->ui, &rp_ops, r, 0);
}
