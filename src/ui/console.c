/* ISC licence: see COPYING.  The operator console over the ui core. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "base/clock.h"
#include "base/compiler.h"
#include "base/log.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "ui/console_int.h"
#include "ui/draw.h"
#include "ui/grid_state.h"
#include "ui/pane_help.h"
#include "ui/pane_prompt.h"
#include "ui/width.h"

static const struct {
	const char	*word;
	enum ui_glyph	 glyph;
	uint16_t	 style;
} console_statuses[CONSOLE__NSTATUS] = {
	[CONSOLE_RUNNING] = { "running", UI_GLYPH_RUNNING, UI_STYLE_RUNNING },
	[CONSOLE_IDLE] = { "idle", UI_GLYPH_IDLE, UI_STYLE_IDLE },
	[CONSOLE_WAITING] = { "needs approval", UI_GLYPH_WAITING,
	    UI_STYLE_WAITING },
	[CONSOLE_STALLED] = { "stalled?", UI_GLYPH_STALLED,
	    UI_STYLE_STALLED },
	[CONSOLE_ERROR] = { "error", UI_GLYPH_ERROR, UI_STYLE_ERROR },
	[CONSOLE_RESCHEDULED] = { "rescheduled", UI_GLYPH_RESCHEDULED,
	    UI_STYLE_RESCHEDULED },
	[CONSOLE_TERMINATED] = { "terminated", UI_GLYPH_TERMINATED,
	    UI_STYLE_TERMINATED },
};

/* The word for a status (never colour alone). */
const char *
console_status_word(enum console_status st)
{
	return console_statuses[st].word;
}

/* The glyph for a status. */
enum ui_glyph
console_status_glyph(enum console_status st)
{
	return console_statuses[st].glyph;
}

/* The style for a status. */
uint16_t
console_status_style(enum console_status st)
{
	return console_statuses[st].style;
}

/* Now, in microseconds. */
int64_t
console_now_us(struct console *con)
{
	return con->clock_us != 0 ? con->clock_us : clock_real_us();
}

/* Fix the clock (tests: ages on golden screens must not move). */
void
console_set_clock(struct console *con, int64_t us)
{
	con->clock_us = us;
	ui_dirty(con->ui);
}

/* The session called id, or NULL. */
struct console_session *
console_find(struct console *con, const char *id)
{
	for (size_t i = 0; i < con->nsessions; i++)
		if (strcmp(con->sessions[i]->id, id) == 0)
			return con->sessions[i];
	return NULL;
}

/* The status shown: "stalled?" when running and silent too long. */
enum console_status
console_status(struct console *con, const struct console_session *cs)
{
	int64_t	last;

	if (!cs->has_state)
		return CONSOLE_IDLE;
	if (cs->npending > 0)
		return CONSOLE_WAITING;
	if (cs->st.status != CONSOLE_RUNNING || con->cfg.stall_ms <= 0)
		return cs->st.status;
	last = cs->st.last_event_us;
	if (last > 0 && console_now_us(con) - last > con->cfg.stall_ms * 1000)
		return CONSOLE_STALLED;
	return CONSOLE_RUNNING;
}

/* What y copies for a session: its id. */
int
console_copy_id(const struct console_session *cs, char *buf, size_t size)
{
	if (cs == NULL)
		return 0;
	str_lcpy(buf, cs->id, size);
	return 1;
}

/* An event body from the cache. */
struct api_event *
console_body(struct console *con, struct console_session *cs, uint32_t idx)
{
	const struct tl_event	*e = timeline_event(cs->tl, idx);

	if (e == NULL)
		return NULL;
	return evcache_get(con->cache, cs, e->seq);
}

/* The evcache's loader: ask the host. */
static struct api_event *
console_load(void *arg, const void *owner, uint32_t seq)
{
	struct console			*con = arg;
	const struct console_session	*cs = owner;

	if (con->host.load == NULL)
		return NULL;
	return con->host.load(con->host.arg, cs->id, seq);
}

/* A duration as its largest unit. */
void
console_age(int64_t us, char *buf, size_t size)
{
	int64_t	s = us / 1000000;

	if (s < 0)
		s = 0;
	if (s < 60)
		snprintf(buf, size, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(buf, size, "%lldm", (long long)(s / 60));
	else if (s < 86400)
		snprintf(buf, size, "%lldh", (long long)(s / 3600));
	else
		snprintf(buf, size, "%lldd", (long long)(s / 86400));
}

/* A count with k/M suffixes. */
void
console_count(int64_t n, char *buf, size_t size)
{
	if (n < 0)
		snprintf(buf, size, "-");
	else if (n < 1000)
		snprintf(buf, size, "%lld", (long long)n);
	else if (n < 1000000)
		snprintf(buf, size, "%.1fk", (double)n / 1e3);
	else
		snprintf(buf, size, "%.1fM", (double)n / 1e6);
}

/* The most telling field of a tool's input, as one line. */
void
console_tool_summary(const char *name, json_t *in, char *buf, size_t size)
{
	static const char	*keys[] = { "command", "file_path", "pattern",
	    "url", "query", "path" };
	const char		*v = NULL;
	char			*dump;

	buf[0] = '\0';
	if (!json_is_object(in))
		return;
	for (size_t i = 0; i < AD_NITEMS(keys) && v == NULL; i++)
		v = json_string_value(json_object_get(in, keys[i]));
	if (v != NULL) {
		str_lcpy(buf, v, size);
		return;
	}
	if ((dump = json_dumps(in, JSON_COMPACT | JSON_PRESERVE_ORDER)) !=
	    NULL) {
		str_lcpy(buf, dump, size);
		free(dump);
	}
}

/* Name and summary of a pending call. */
void
console_pending_describe(struct console *con, struct console_session *cs,
    const struct console_pending *pd, char *tool, size_t tsize, char *sum,
    size_t ssize)
{
	struct api_event	*ev;
	struct api_event_view	 v;
	char			*cause = NULL;

	str_lcpy(tool, "?", tsize);
	sum[0] = '\0';
	ev = pd->seq < timeline_count(cs->tl) ? console_body(con, cs,
	    pd->seq) : NULL;
	if (ev == NULL || api_event_view(ev, &v, &cause) != 0) {
		free(cause);
		return;
	}
	if (v.tool_name != NULL)
		str_lcpy(tool, v.tool_name, tsize);
	console_tool_summary(v.tool_name, v.tool_input, sum, ssize);
}

/*
 * A session action on cs: pd is the pending call it is about (NULL: the
 * session's first).  Returns 1 if a was one (steer, interrupt, approve,
 * deny, deny with reason, custom result, show, files), else 0.
 */
int
console_act(struct console *con, struct console_session *cs,
    const struct console_pending *pd, enum ui_action a)
{
	if (pd == NULL)
		pd = console_first_pending(cs);
	switch (a) {
	case UI_ACT_STEER:
		console_prompt_steer(con, cs);
		return 1;
	case UI_ACT_INTERRUPT:
		console_ask_interrupt(con, cs);
		return 1;
	case UI_ACT_APPROVE:
	case UI_ACT_DENY:
	case UI_ACT_DENY_REASON:
		if (pd == NULL || pd->custom)
			ui_toast(con->ui, 0, "no call waiting for approval");
		else if (a == UI_ACT_DENY_REASON)
			console_prompt_deny(con, cs, pd->event_id);
		else
			console_confirm(con, cs, pd->event_id,
			    a == UI_ACT_APPROVE, NULL);
		return 1;
	case UI_ACT_CUSTOM_RESULT:
		if (pd == NULL || !pd->custom)
			ui_toast(con->ui, 0, "no custom tool call waiting");
		else
			console_prompt_custom(con, cs, pd->event_id);
		return 1;
	case UI_ACT_SHOW_DIFF:
		if (pd == NULL)
			ui_toast(con->ui, 0, "nothing pending to show");
		else
			ui_push(con->ui, pane_text_create(con->ui, "payload",
			    console_payload(con, cs, pd->seq), 1));
		return 1;
	case UI_ACT_FILES:
		ui_push(con->ui, pane_files_create(con, cs));
		return 1;
	default:
		return 0;
	}
}

/* The first pending call. */
const struct console_pending *
console_first_pending(const struct console_session *cs)
{
	return cs->npending > 0 ? &cs->pending[0] : NULL;
}

/* Free a session. */
static void
console_session_free(struct console *con, struct console_session *cs)
{
	evcache_forget(con->cache, cs);
	timeline_free(cs->tl);
	files_free(cs->files);
	console_session_state_clear(cs);
	free(cs->edits);
	free(cs->draft);
	free(cs->id);
	free(cs);
}

/* Free what a session's state holds and forget it. */
void
console_session_state_clear(struct console_session *cs)
{
	free((char *)cs->st.title);
	free((char *)cs->st.agent);
	free((char *)cs->st.model);
	free((char *)cs->st.stop_reason);
	free((char *)cs->st.tool);
	for (size_t i = 0; i < cs->npending; i++)
		free(cs->pending[i].event_id);
	free(cs->pending);
	memset(&cs->st, 0, sizeof cs->st);
	cs->pending = NULL;
	cs->npending = 0;
	cs->has_state = 0;
}

/* Writes and edits made so far to the session's files. */
static size_t
console_file_changes(const struct files *f)
{
	size_t	n = 0;

	for (size_t i = 0; i < files_count(f); i++)
		n += files_at(f, i)->writes + files_at(f, i)->edits;
	return n;
}

/* The session called id, added if new. */
struct console_session *
console_session(struct console *con, const char *id)
{
	struct console_session	*cs;

	if ((cs = console_find(con, id)) != NULL)
		return cs;
	cs = xcalloc(1, sizeof *cs);
	cs->con = con;
	cs->id = xstrdup(id);
	cs->tl = timeline_create();
	cs->files = files_create();
	cs->first_seen_us = console_now_us(con);
	con->sessions = xreallocarray(con->sessions, con->nsessions + 1,
	    sizeof *con->sessions);
	con->sessions[con->nsessions++] = cs;
	if (con->want_open != NULL && strcmp(con->want_open, id) == 0) {
		free(con->want_open);
		con->want_open = NULL;
		ui_pop_to(con->ui, con->fleet);
		ui_push(con->ui, pane_session_create(con, cs, 1));
	}
	ui_dirty(con->ui);
	return cs;
}

/* The next event of a session's log. */
void
console_event(struct console *con, const char *id, uint32_t seq,
    struct api_event *ev)
{
	struct console_session	*cs = console_session(con, id);
	struct tl_record	 r;
	size_t			 before;

	if (seq != cs->nevents || timeline_record(ev, seq, &r) != 0) {
		/* Out of order or not an object: the host's bug; the
		 * event stays in the cache and shows nowhere. */
		ui_toast(con->ui, 1, "event %u of %s out of order", seq, id);
		api_event_free(ev);
		return;
	}
	cs->nevents++;
	(void)timeline_append(cs->tl, &r);
	before = console_file_changes(cs->files);
	if (files_apply(cs->files, ev) == 1 &&
	    console_file_changes(cs->files) > before) {
		if (cs->nedits == cs->sedits) {
			cs->sedits = cs->sedits ? cs->sedits * 2 : 64;
			cs->edits = xreallocarray(cs->edits, cs->sedits,
			    sizeof *cs->edits);
		}
		cs->edits[cs->nedits++] = seq;
	}
	evcache_put(con->cache, cs, seq, ev);
	ui_dirty(con->ui);
}

/* A preview of a message being written. */
void
console_preview(struct console *con, const char *id, struct api_event *ev)
{
	timeline_preview(console_session(con, id)->tl, ev);
	ui_dirty(con->ui);
}

/* Replace an owned string. */
static void
console_set_str(const char **dst, const char *src)
{
	free((char *)*dst);
	*dst = src != NULL ? xstrdup(src) : NULL;
}

/* Are two strings that may be NULL equal? */
static int
console_str_eq(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL &&
	    strcmp(a, b) == 0);
}

/* Is st what cs already shows? */
static int
console_same_state(const struct console_session *cs,
    const struct console_state *st)
{
	if (!cs->has_state || cs->st.status != st->status ||
	    cs->st.created_us != st->created_us ||
	    cs->st.last_event_us != st->last_event_us ||
	    cs->st.tool_since_us != st->tool_since_us ||
	    cs->st.tokens_in != st->tokens_in ||
	    cs->st.tokens_out != st->tokens_out ||
	    cs->st.cost_cents != st->cost_cents ||
	    cs->st.errors != st->errors || cs->npending != st->npending ||
	    !console_str_eq(cs->st.title, st->title) ||
	    !console_str_eq(cs->st.agent, st->agent) ||
	    !console_str_eq(cs->st.model, st->model) ||
	    !console_str_eq(cs->st.stop_reason, st->stop_reason) ||
	    !console_str_eq(cs->st.tool, st->tool))
		return 0;
	for (size_t i = 0; i < st->npending; i++)
		if (strcmp(cs->pending[i].event_id, st->pending[i].event_id) !=
		    0 || (st->pending[i].seq != CONSOLE_SEQ_UNKNOWN &&
		    cs->pending[i].seq != st->pending[i].seq))
			return 0;
	return 1;
}

/* Copy a state into a session (strings and pending calls owned). */
void
console_session_state(struct console_session *cs,
    const struct console_state *st)
{
	cs->st.status = st->status;
	console_set_str(&cs->st.title, st->title);
	console_set_str(&cs->st.agent, st->agent);
	console_set_str(&cs->st.model, st->model);
	console_set_str(&cs->st.stop_reason, st->stop_reason);
	console_set_str(&cs->st.tool, st->tool);
	cs->st.created_us = st->created_us;
	cs->st.last_event_us = st->last_event_us;
	cs->st.tool_since_us = st->tool_since_us;
	cs->st.tokens_in = st->tokens_in;
	cs->st.tokens_out = st->tokens_out;
	cs->st.cost_cents = st->cost_cents;
	cs->st.errors = st->errors;
	for (size_t i = 0; i < cs->npending; i++)
		free(cs->pending[i].event_id);
	free(cs->pending);
	cs->pending = NULL;
	cs->npending = st->npending;
	if (st->npending > 0) {
		cs->pending = xreallocarray(NULL, st->npending,
		    sizeof *cs->pending);
		for (size_t i = 0; i < st->npending; i++) {
			cs->pending[i] = st->pending[i];
			cs->pending[i].event_id =
			    xstrdup(st->pending[i].event_id);
			if (cs->pending[i].seq == CONSOLE_SEQ_UNKNOWN)
				cs->pending[i].seq = timeline_find(cs->tl,
				    timeline_hash(cs->pending[i].event_id,
				    strlen(cs->pending[i].event_id)));
		}
	}
	cs->st.pending = cs->pending;
	cs->st.npending = cs->npending;
}

/* The session's state after the reducer ran (nothing if unchanged, so
 * an idle console draws nothing). */
void
console_set_state(struct console *con, const char *id,
    const struct console_state *st)
{
	struct console_session	*cs = console_session(con, id);
	struct console_state	 old = cs->st;
	size_t			 oldpending = cs->npending;
	char			 msg[160];

	if (console_same_state(cs, st))
		return;
	console_session_state(cs, st);
	if (st->status != CONSOLE_RUNNING)
		cs->interrupted = 0;
	/*
	 * Notify ([ui] notify) on a new approval or a new error, not for
	 * what a session's first state (its history) already holds, and
	 * at most once per CONSOLE_NOTIFY_GAP_US so a burst rings once.
	 */
	msg[0] = '\0';
	if (cs->has_state && cs->npending > oldpending)
		snprintf(msg, sizeof msg, "pilothouse: %s needs approval",
		    cs->st.title != NULL ? cs->st.title : cs->id);
	else if (cs->has_state && st->errors > old.errors)
		snprintf(msg, sizeof msg, "pilothouse: error in %s",
		    cs->st.title != NULL ? cs->st.title : cs->id);
	if (msg[0] != '\0' && (con->notified_us == 0 ||
	    console_now_us(con) - con->notified_us >= CONSOLE_NOTIFY_GAP_US)) {
		con->notified_us = console_now_us(con);
		ui_notify(con->ui, msg);
	}
	cs->has_state = 1;
	ui_dirty(con->ui);
}

/* Remember a send to toast its outcome; returns its token. */
static uint64_t
console_track(struct console *con, const char *what, const char *hint)
{
	struct console_send	*s;

	if (con->nsends == CONSOLE_MAX_SENDS) {
		free(con->sends[0].what);
		free(con->sends[0].hint);
		memmove(&con->sends[0], &con->sends[1],
		    (CONSOLE_MAX_SENDS - 1) * sizeof con->sends[0]);
		con->nsends--;
	}
	s = &con->sends[con->nsends++];
	s->token = ++con->next_token;
	s->what = xstrdup(what);
	s->hint = hint != NULL ? xstrdup(hint) : NULL;
	return s->token;
}

/* A send finished. */
void
console_sent(struct console *con, uint64_t token, const char *error)
{
	for (size_t i = 0; i < con->nsends; i++) {
		if (con->sends[i].token != token)
			continue;
		if (error != NULL)
			ui_toast(con->ui, 1, "%s failed: %s",
			    con->sends[i].what, error);
		else
			ui_toast(con->ui, 0, "%s: done%s%s",
			    con->sends[i].what, con->sends[i].hint != NULL ?
			    " -- " : "", con->sends[i].hint != NULL ?
			    con->sends[i].hint : "");
		free(con->sends[i].what);
		free(con->sends[i].hint);
		memmove(&con->sends[i], &con->sends[i + 1],
		    (con->nsends - i - 1) * sizeof con->sends[0]);
		con->nsends--;
		return;
	}
}

/* Send events (a JSON array; taken) and audit the action; the hint
 * (or NULL) is said with the outcome. */
static void
console_send(struct console *con, struct console_session *cs, json_t *events,
    const char *action, const char *ids, const char *detail, const char *hint)
{
	char		*body, what[160];
	uint64_t	 token;

	if (ui_readonly(con->ui)) {
		ui_toast(con->ui, 1, "read-only: steering is disabled");
		json_decref(events);
		return;
	}
	snprintf(what, sizeof what, "%s on %.60s", action,
	    cs->st.title != NULL && *cs->st.title ? cs->st.title : cs->id);
	body = json_dumps(events, JSON_COMPACT);
	json_decref(events);
	if (body == NULL) {
		ui_toast(con->ui, 1, "%s: cannot encode the request", what);
		return;
	}
	if (con->host.audit != NULL)
		con->host.audit(con->host.arg, cs->id, action, ids, detail);
	token = console_track(con, what, hint);
	ui_toast(con->ui, 0, "%s: sending%s%s", what, hint != NULL ? " -- " :
	    "", hint != NULL ? hint : "");
	if (con->host.send != NULL)
		con->host.send(con->host.arg, cs->id, body, token);
	free(body);
}

/* A user.message. */
void
console_steer(struct console *con, struct console_session *cs,
    const char *text)
{
	json_t	*ev;

	ev = json_pack("[{s:s, s:[{s:s, s:s}]}]", "type", "user.message",
	    "content", "type", "text", "text", text);
	free(cs->draft);
	cs->draft = NULL;
	console_send(con, cs, ev, "steer", "", text, NULL);
}

/* A user.interrupt (hint: said with the outcome, or NULL). */
void
console_interrupt(struct console *con, struct console_session *cs,
    const char *hint)
{
	cs->interrupted = 1;
	console_send(con, cs, json_pack("[{s:s}]", "type", "user.interrupt"),
	    "interrupt", "", "", hint);
}

/* A user.tool_confirmation. */
void
console_confirm(struct console *con, struct console_session *cs,
    const char *use_id, int allow, const char *reason)
{
	json_t	*ev;

	ev = json_pack("{s:s, s:s, s:s}", "type", "user.tool_confirmation",
	    "tool_use_id", use_id, "result", allow ? "allow" : "deny");
	if (!allow && reason != NULL && *reason != '\0')
		json_object_set_new(ev, "deny_message", json_string(reason));
	console_send(con, cs, json_pack("[o]", ev), allow ? "approve" : "deny",
	    use_id, reason != NULL ? reason : "", NULL);
}

/* A user.custom_tool_result. */
void
console_custom_result(struct console *con, struct console_session *cs,
    const char *use_id, const char *text)
{
	json_t	*ev;

	ev = json_pack("[{s:s, s:s, s:[{s:s, s:s}], s:b}]", "type",
	    "user.custom_tool_result", "custom_tool_use_id", use_id,
	    "content", "type", "text", "text", text, "is_error", 0);
	console_send(con, cs, ev, "custom tool result", use_id, text, NULL);
}

/* What a prompt acts on: the session and maybe a tool use. */
struct console_target {
	struct console	*con;
	char		*session;
	char		*use_id;
};

/* A target for a prompt (freed by the prompt's callbacks). */
static struct console_target *
console_target(struct console *con, struct console_session *cs,
    const char *use_id)
{
	struct console_target	*t;

	t = xcalloc(1, sizeof *t);
	t->con = con;
	t->session = xstrdup(cs->id);
	t->use_id = use_id != NULL ? xstrdup(use_id) : NULL;
	return t;
}

/* Free a target. */
static void
console_target_free(void *arg)
{
	struct console_target	*t = arg;

	free(t->session);
	free(t->use_id);
	free(t);
}

/* Steer composer: Enter sends. */
static void
console_steer_cb(void *arg, const char *text)
{
	struct console_target	*t = arg;
	struct console_session	*cs = console_find(t->con, t->session);

	if (cs != NULL && *text != '\0')
		console_steer(t->con, cs, text);
	console_target_free(t);
}

/* Steer composer: Esc keeps the draft for next time. */
static void
console_steer_cancel(void *arg, const char *text)
{
	struct console_target	*t = arg;
	struct console_session	*cs = console_find(t->con, t->session);

	if (cs != NULL) {
		free(cs->draft);
		cs->draft = *text != '\0' ? xstrdup(text) : NULL;
		if (cs->draft != NULL)
			ui_toast(t->con->ui, 0, "draft kept (s opens it "
			    "again)");
	}
	console_target_free(t);
}

/* Open the steer composer. */
void
console_prompt_steer(struct console *con, struct console_session *cs)
{
	ui_push(con->ui, pane_prompt_create(con->ui, "steer> ", cs->draft,
	    PROMPT_MULTILINE, console_steer_cb, console_steer_cancel, NULL,
	    console_target(con, cs, NULL)));
}

/* Deny reason entered. */
static void
console_deny_cb(void *arg, const char *text)
{
	struct console_target	*t = arg;
	struct console_session	*cs = console_find(t->con, t->session);

	if (cs != NULL)
		console_confirm(t->con, cs, t->use_id, 0, text);
	console_target_free(t);
}

/* A prompt that was cancelled: nothing is sent. */
static void
console_target_cancel(void *arg, const char *text)
{
	struct console_target	*t = arg;

	ui_toast(t->con->ui, 0, "nothing sent");
	console_target_free(t);
}

/* Ask why, then deny. */
void
console_prompt_deny(struct console *con, struct console_session *cs,
    const char *use_id)
{
	ui_push(con->ui, pane_prompt_create(con->ui, "deny, telling the "
	    "agent why> ", "", 0, console_deny_cb, console_target_cancel, NULL,
	    console_target(con, cs, use_id)));
}

/* Custom tool result entered. */
static void
console_custom_cb(void *arg, const char *text)
{
	struct console_target	*t = arg;
	struct console_session	*cs = console_find(t->con, t->session);

	if (cs != NULL)
		console_custom_result(t->con, cs, t->use_id, text);
	console_target_free(t);
}

/* Compose the result of a custom tool call. */
void
console_prompt_custom(struct console *con, struct console_session *cs,
    const char *use_id)
{
	ui_push(con->ui, pane_prompt_create(con->ui, "tool result> ", "",
	    PROMPT_MULTILINE, console_custom_cb, console_target_cancel, NULL,
	    console_target(con, cs, use_id)));
}

/* y to the interrupt question: interrupt the target, or the tagged. */
static void
console_interrupt_yes(void *arg)
{
	struct console_target	*t = arg;
	struct console_session	*cs;

	if (t->session != NULL) {
		if ((cs = console_find(t->con, t->session)) != NULL)
			console_interrupt(t->con, cs, NULL);
		return;
	}
	for (size_t i = 0; i < t->con->nsessions; i++)
		if (t->con->sessions[i]->tagged)
			console_interrupt(t->con, t->con->sessions[i], NULL);
}

/* Ask y/N before interrupting cs, or every tagged session if any. */
void
console_ask_interrupt(struct console *con, struct console_session *cs)
{
	struct console_target	*t;
	char			 q[160];
	size_t			 ntagged = 0;

	for (size_t i = 0; i < con->nsessions; i++)
		ntagged += con->sessions[i]->tagged != 0;
	t = xcalloc(1, sizeof *t);
	t->con = con;
	if (ntagged > 0)
		snprintf(q, sizeof q, "Interrupt %zu tagged session%s?",
		    ntagged, ntagged == 1 ? "" : "s");
	else {
		t->session = xstrdup(cs->id);
		snprintf(q, sizeof q, "Interrupt %.80s?",
		    cs->st.title != NULL && *cs->st.title ?
		    cs->st.title : cs->id);
	}
	ui_push(con->ui, pane_confirm_create(con->ui, q,
	    console_interrupt_yes, t, console_target_free));
}

/* Rank for "needs attention": 0 approval, 1 stalled, 2 error, else -1. */
static int
console_rank(struct console *con, const struct console_session *cs,
    int64_t *since)
{
	switch (console_status(con, cs)) {
	case CONSOLE_WAITING:
		*since = cs->npending > 0 ? cs->pending[0].since_us :
		    cs->st.last_event_us;
		return 0;
	case CONSOLE_STALLED:
		*since = cs->st.last_event_us;
		return 1;
	case CONSOLE_ERROR:
		*since = cs->st.last_event_us;
		return 2;
	default:
		return -1;
	}
}

/*
 * The next session needing attention: approvals, then stalled, then
 * errors, oldest first; after the one shown now, so "!" again moves on.
 */
struct console_session *
console_attention(struct console *con)
{
	struct console_session	**v, *cur = NULL, *pick;
	struct pane		 *top = ui_top(con->ui);
	int64_t			  si = 0, sj = 0;
	size_t			  n = 0, i, j;
	int			  ri, rj;

	if (top != NULL)
		cur = pane_session_of(top);
	v = xreallocarray(NULL, con->nsessions + 1, sizeof *v);
	for (i = 0; i < con->nsessions; i++)
		if (console_rank(con, con->sessions[i], &si) >= 0)
			v[n++] = con->sessions[i];
	/* Insertion sort: a handful at most. */
	for (i = 1; i < n; i++) {
		for (j = i; j > 0; j--) {
			ri = console_rank(con, v[j - 1], &si);
			rj = console_rank(con, v[j], &sj);
			if (ri < rj || (ri == rj && si <= sj))
				break;
			pick = v[j];
			v[j] = v[j - 1];
			v[j - 1] = pick;
		}
	}
	pick = n > 0 ? v[0] : NULL;
	for (i = 0; cur != NULL && i < n; i++)
		if (v[i] == cur)
			pick = v[(i + 1) % n];
	free(v);
	return pick;
}

/* Open a session's attach view on top of the fleet. */
void
console_open(struct console *con, const char *id)
{
	struct console_session	*cs = console_find(con, id);

	if (cs == NULL) {
		/* Not listed yet: open it when it shows up. */
		free(con->want_open);
		con->want_open = xstrdup(id);
		ui_toast(con->ui, 0, "waiting for session %s", id);
		return;
	}
	ui_pop_to(con->ui, con->fleet);
	ui_push(con->ui, pane_session_create(con, cs, 1));
}

/* "!": the next session needing attention, its pending call focused. */
static void
console_jump_attention(struct console *con)
{
	struct console_session		*cs = console_attention(con);
	const struct console_pending	*pd;
	struct pane			*p;

	if (cs == NULL) {
		ui_toast(con->ui, 0, "nothing needs attention");
		return;
	}
	ui_pop_to(con->ui, con->fleet);
	p = pane_session_create(con, cs, 0);
	ui_push(con->ui, p);
	if ((pd = console_first_pending(cs)) != NULL)
		pane_session_show_event(p, pd->seq);
	else
		pane_session_show_event(p, cs->nevents > 0 ? cs->nevents - 1 :
		    0);
}

/* The header: endpoint, counts by state, pending badge, cost. */
static void
console_header(void *arg, struct ui *ui, const struct canvas_region *rg)
{
	struct console		*con = arg;
	const struct theme	*t = ui_theme(ui);
	struct draw_opts	 o = { .flags = DRAW_ONELINE | DRAW_ELLIPSIS };
	size_t			 count[CONSOLE__NSTATUS] = { 0 }, pending = 0;
	int64_t			 cost = 0;
	int			 x = 0, w = canvas_region_width(rg), known = 0;
	char			 buf[64];

	o.theme = t;
	for (size_t i = 0; i < con->nsessions; i++) {
		struct console_session	*cs = con->sessions[i];

		if (cs == con->replay_of && con->replay_at != NULL)
			cs = con->replay_at;
		count[console_status(con, cs)]++;
		pending += cs->npending;
		if (cs->has_state && cs->st.cost_cents >= 0) {
			cost += cs->st.cost_cents;
			known = 1;
		}
	}
	x += draw_text(rg, x, 0, -1, UI_STYLE_HEADER, "pilothouse ");
	if (con->cfg.endpoint != NULL)
		x += draw_untrusted(rg, x, 0, 32, UI_STYLE_HEADER,
		    con->cfg.endpoint, strlen(con->cfg.endpoint), &o, NULL);
	for (int s = 0; s < CONSOLE__NSTATUS; s++) {
		if (count[s] == 0)
			continue;
		snprintf(buf, sizeof buf, " %zu ", count[s]);
		x += draw_text(rg, x, 0, -1, UI_STYLE_HEADER, " ");
		x += draw_text(rg, x, 0, -1, console_status_style(s),
		    theme_glyph(t, console_status_glyph(s)));
		x += draw_text(rg, x, 0, -1, UI_STYLE_HEADER, buf);
		x += draw_text(rg, x, 0, -1, UI_STYLE_HEADER,
		    console_status_word(s));
	}
	if (pending > 0) {
		snprintf(buf, sizeof buf, " %zu pending ", pending);
		x += draw_text(rg, x, 0, -1, UI_STYLE_HEADER, "  ");
		x += draw_text(rg, x, 0, -1, UI_STYLE_BADGE, buf);
	}
	if (known) {
		snprintf(buf, sizeof buf, "$%lld.%02lld", (long long)cost / 100,
		    (long long)cost % 100);
		if (x + 2 + (int)strlen(buf) <= w)
			draw_text_right(rg, w, 0, UI_STYLE_HEADER, buf);
	}
	if (ui_readonly(ui) && x + 12 < w)
		draw_text(rg, x + 2, 0, -1, UI_STYLE_BADGE, " read-only ");
}

/* The ":" commands the console knows. */
static int	console_action_hook(void *, struct ui *, enum ui_action, int);

static const char *console_commands[] = {
	"sessions", "approvals", "grid ", "open ", "replay ", "new ", "audit",
	"help", "theme ", "sql ", "quit",
};

/* Open the replay of a session from its events in the console. */
int
console_replay(struct console *con, const char *id,
    const struct console_replay *o, char **cause)
{
	struct console_session	*cs = console_find(con, id);
	size_t			 pos;
	uint32_t		 idx;

	if (cs == NULL || cs->nevents == 0) {
		xasprintf(cause, "replay: no events of %s in the cache (run "
		    "pilothouse replay %s to fetch them)", id, id);
		return -1;
	}
	if (con->host.state_at == NULL) {
		xasprintf(cause, "replay: not available here");
		return -1;
	}
	pos = o->speed != 0 ? 0 : 1;
	if (o->event_id != NULL) {
		idx = timeline_find(cs->tl, timeline_hash(o->event_id,
		    strlen(o->event_id)));
		if (idx == TL_NONE) {
			xasprintf(cause, "replay: no event %s in %s",
			    o->event_id, id);
			return -1;
		}
		pos = (size_t)idx + 1;
	}
	ui_pop_to(con->ui, con->fleet);
	ui_push(con->ui, pane_replay_create(con, cs, pos, o));
	return 0;
}

/* Run a ":" line. */
int
console_command(struct console *con, const char *line, char **cause)
{
	char	**w;
	size_t	  n;
	int	  rv = 0, g;

	w = str_split(line, ' ', &n);
	if (n == 0)
		goto out;
	if (strcmp(w[0], "sessions") == 0 || strcmp(w[0], "s") == 0)
		ui_pop_to(con->ui, con->fleet);
	else if (strcmp(w[0], "approvals") == 0 || strcmp(w[0], "ap") == 0) {
		ui_pop_to(con->ui, con->fleet);
		ui_push(con->ui, pane_approvals_create(con));
	} else if (strcmp(w[0], "grid") == 0 || strcmp(w[0], "g") == 0) {
		long long	ll = con->grid_n;
		char		*why = NULL;

		if (n > 1 && str_to_ll(w[1], 2, 9, &ll, &why) != 0)
			free(why);
		g = (int)ll;
		if (g != 2 && g != 4 && g != 6 && g != 9) {
			xasprintf(cause, "grid: 2, 4, 6 or 9 panes");
			rv = -1;
			goto out;
		}
		ui_pop_to(con->ui, con->fleet);
		ui_push(con->ui, pane_grid_create(con, g));
	} else if (strcmp(w[0], "open") == 0 && n == 2)
		console_open(con, w[1]);
	else if (strcmp(w[0], "replay") == 0 || strcmp(w[0], "r") == 0) {
		struct console_replay	o = { NULL, 0, 0, 0 };

		if (n < 2 || n > 3) {
			xasprintf(cause, "usage: :replay SESSION [EVENT]");
			rv = -1;
			goto out;
		}
		o.event_id = n == 3 ? w[2] : NULL;
		rv = console_replay(con, w[1], &o, cause);
	}
	else if (strcmp(w[0], "audit") == 0)
		ui_push(con->ui, pane_audit_create(con));
	else if (strcmp(w[0], "help") == 0)
		ui_push(con->ui, pane_help_create(con->ui));
	else if (strcmp(w[0], "sql") == 0) {
		const char	*sql = strchr(line, ' ');
		char		*text;

		/* The statement is the rest of the line. */
		if (sql == NULL || sql[strspn(sql, " ")] == '\0') {
			xasprintf(cause, "usage: :sql SELECT ...");
			rv = -1;
		} else if (con->host.sql == NULL) {
			xasprintf(cause, "no cache to query here");
			rv = -1;
		} else if ((text = con->host.sql(con->host.arg, sql + 1,
		    cause)) == NULL)
			rv = -1;
		else
			ui_push(con->ui, pane_text_create(con->ui, "sql", text,
			    0));
	}
	else if (strcmp(w[0], "new") == 0) {
		if (n < 3) {
			xasprintf(cause,
			    "usage: :new AGENT ENVIRONMENT [TITLE]");
			rv = -1;
		} else if (ui_readonly(con->ui)) {
			xasprintf(cause, "read-only: cannot create sessions");
			rv = -1;
		} else if (con->host.create == NULL) {
			xasprintf(cause, "cannot create sessions here");
			rv = -1;
		} else {
			const char	*title = strchr(line, ' ');

			/* The title is the rest of the line. */
			for (int k = 0; k < 2 && title != NULL; k++)
				title = strchr(title + 1, ' ');
			rv = con->host.create(con->host.arg, w[1], w[2],
			    title != NULL ? title + 1 : NULL, cause);
			if (rv == 0)
				ui_toast(con->ui, 0, "creating a session from "
				    "%s", w[1]);
		}
	} else {
		xasprintf(cause, "unknown command \"%s\" (Tab completes)",
		    w[0]);
		rv = -1;
	}
out:
	for (size_t i = 0; i < n; i++)
		free(w[i]);
	free(w);
	return rv;
}

/* The ui's hook for ":" lines. */
static int
console_command_hook(void *arg, struct ui *ui, const char *line,
    char **cause)
{
	return console_command(arg, line, cause);
}

/* Add candidate "prefix word" lines to v if they extend line. */
static size_t
console_add_words(char ***v, size_t n, const char *prefix, char **words,
    const char *line)
{
	char	*cand;

	for (size_t i = 0; words != NULL && words[i] != NULL; i++) {
		xasprintf(&cand, "%s%s", prefix, words[i]);
		if (!str_has_prefix(cand, line)) {
			free(cand);
			continue;
		}
		*v = xreallocarray(*v, n + 2, sizeof **v);
		(*v)[n++] = cand;
	}
	return n;
}

/* Completions of a ":" line. */
static char **
console_complete_hook(void *arg, struct ui *ui, const char *line)
{
	struct console	*con = arg;
	static char	*grids[] = { "2", "4", "6", "9", NULL };
	char		**v = xcalloc(1, sizeof *v), **words, *prefix;
	const char	*sp;
	size_t		 n = 0;

	if ((sp = strrchr(line, ' ')) == NULL) {
		for (size_t i = 0; i < AD_NITEMS(console_commands); i++) {
			if (!str_has_prefix(console_commands[i], line) ||
			    strcmp(console_commands[i], "theme ") == 0 ||
			    strcmp(console_commands[i], "quit") == 0)
				continue;
			v = xreallocarray(v, n + 2, sizeof *v);
			v[n++] = xstrdup(console_commands[i]);
		}
		v[n] = NULL;
		return v;
	}
	prefix = xstrndup(line, (size_t)(sp - line) + 1);
	if (strcmp(prefix, "grid ") == 0)
		n = console_add_words(&v, n, prefix, grids, line);
	else if (strcmp(prefix, "open ") == 0 ||
	    strcmp(prefix, "replay ") == 0) {
		words = xcalloc(con->nsessions + 1, sizeof *words);
		for (size_t i = 0; i < con->nsessions; i++)
			words[i] = con->sessions[i]->id;
		n = console_add_words(&v, n, prefix, words, line);
		free(words);
	} else if (str_has_prefix(prefix, "new ") && con->host.words != NULL) {
		words = con->host.words(con->host.arg, strcmp(prefix, "new ") ==
		    0 ? "agent" : "environment");
		n = console_add_words(&v, n, prefix, words, line);
		ui_strv_free(words);
	}
	free(prefix);
	v[n] = NULL;
	return v;
}

/* The ui's quit hook. */
static void
console_quit_hook(void *arg, struct ui *ui)
{
	struct console	*con = arg;

	if (con->host.quit != NULL)
		con->host.quit(con->host.arg);
}

/* Create the console. */
struct console *
console_create(struct loop *loop, const struct ui_options *uo,
    struct keymap *km, const struct console_config *cfg,
    const struct console_host *host, char **cause)
{
	struct console		*con;
	struct ui_hooks		 hooks;
	struct grid_state	 gs;

	con = xcalloc(1, sizeof *con);
	con->loop = loop;
	con->host = *host;
	con->cfg = *cfg;
	con->cfg.endpoint = cfg->endpoint != NULL ? xstrdup(cfg->endpoint) :
	    NULL;
	con->cfg.layout_path = NULL;
	con->cfg.workspace = NULL;
	if (cfg->layout_path != NULL && cfg->workspace != NULL) {
		con->cfg.layout_path = xstrdup(cfg->layout_path);
		con->cfg.workspace = xstrdup(cfg->workspace);
	}
	gs.n = 4;
	gs.zoom = gs.open = 0;
	if (con->cfg.layout_path != NULL)
		(void)grid_state_load(con->cfg.layout_path,
		    con->cfg.workspace, &gs);
	con->grid_n = gs.n;
	con->grid_zoom = gs.zoom;
	memset(&hooks, 0, sizeof hooks);
	hooks.arg = con;
	hooks.header = console_header;
	hooks.command = console_command_hook;
	hooks.complete = console_complete_hook;
	hooks.quit = console_quit_hook;
	hooks.action = console_action_hook;
	con->cache = evcache_create(CONSOLE_CACHE_SLOTS, console_load, con);
	if ((con->ui = ui_create(loop, uo, km, &hooks, cause)) == NULL) {
		evcache_free(con->cache);
		free((char *)con->cfg.endpoint);
		free((char *)con->cfg.layout_path);
		free((char *)con->cfg.workspace);
		free(con);
		return NULL;
	}
	con->fleet = pane_fleet_create(con);
	ui_push(con->ui, con->fleet);
	if (gs.open)
		ui_push(con->ui, pane_grid_create(con, con->grid_n));
	return con;
}

/* Tear the console down (the terminal is given back). */
void
console_free(struct console *con)
{
	struct grid_state	 gs;
	char			*cause = NULL;

	if (con == NULL)
		return;
	/* Remember the grid layout for the next start in this workspace. */
	if (con->cfg.layout_path != NULL) {
		gs.n = con->grid_n;
		gs.zoom = con->grid_zoom;
		gs.open = con->grid_open;
		if (grid_state_save(con->cfg.layout_path, con->cfg.workspace,
		    &gs, &cause) != 0) {
			log_warn("the layout: %s", cause);
			free(cause);
		}
	}
	ui_free(con->ui);
	for (size_t i = 0; i < con->nsessions; i++)
		console_session_free(con, con->sessions[i]);
	free(con->sessions);
	for (size_t i = 0; i < con->nsends; i++) {
		free(con->sends[i].what);
		free(con->sends[i].hint);
	}
	evcache_free(con->cache);
	free((char *)con->cfg.endpoint);
	free((char *)con->cfg.layout_path);
	free((char *)con->cfg.workspace);
	free(con->want_open);
	free(con);
}

/* The ui under the console. */
struct ui *
console_ui(struct console *con)
{
	return con->ui;
}

/* Global actions the panes leave to the console. */
static int
console_action_hook(void *arg, struct ui *ui, enum ui_action a, int n)
{
	struct console	*con = arg;

	switch (a) {
	case UI_ACT_ATTENTION:
		console_jump_attention(con);
		return 1;
	case UI_ACT_REFRESH:
		if (con->host.refresh != NULL) {
			con->host.refresh(con->host.arg);
			ui_toast(ui, 0, "refreshing");
		}
		return 1;
	default:
		return 0;
	}
}

/* ":audit": the operator audit log, newest first. */
struct pane *
pane_audit_create(struct console *con)
{
	struct buf	  out;
	char		**lines = NULL;

	buf_init(&out, BUF_UNBOUNDED);
	if (con->host.audit_list != NULL)
		lines = con->host.audit_list(con->host.arg, 10000);
	for (size_t i = 0; lines != NULL && lines[i] != NULL; i++)
		if (buf_puts(&out, lines[i]) != 0 || buf_putc(&out, '\n') != 0)
			break;
	ui_strv_free(lines);
	if (out.len == 0 && buf_puts(&out, "no operator actions recorded "
	    "yet\n") != 0)
		buf_reset(&out);
	return pane_text_create(con->ui, "audit log", out.data != NULL ?
	    buf_steal(&out, NULL) : xstrdup(""), 0);
}
