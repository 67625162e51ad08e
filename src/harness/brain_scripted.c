/* ISC licence: see COPYING.  The scripted brain: replays a scenario. */

#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/cancel.h"
#include "base/xmalloc.h"
#include "harness/brain.h"
#include "harness/scenario.h"

struct scripted {
	struct scenario_set	*set;
	char			*name;
	int			 fast;
};

/* Where the scenario stands: what to stream next. */
struct scripted_pos {
	size_t		 turn;		/* index into turns, or nturns */
	int		 resp;		/* index, or past the end */
	char		*divergence;	/* strict mode: the message to send */
	char		*user_text;	/* the turn's user text */
};

/* One streaming call in progress. */
struct scripted_call {
	const struct brain_request	*req;
	struct scenario			*sc;
	brain_sink			 sink;
	void				*arg;
	struct cancel			*cancel;
	struct scenario_pace		 pace;
	uint64_t			 rng;
	size_t				 turn;
	char				*user_text;	/* ${USER_TEXT} */
	long				 out_chars;	/* streamed so far */
	long				 fail_at;	/* -1: no failure */
	int				 aborted;
};

/* Make the backend for scripted:NAME; the scenario must load. */
void *
brain_scripted_create(const char *name, const struct brain_env *env,
    char **cause)
{
	struct scripted	*s;
	struct scenario	*sc;

	if (env == NULL || env->scenarios == NULL) {
		xasprintf(cause, "scripted:%s: no scenario directories", name);
		return NULL;
	}
	if ((sc = scenario_set_get(env->scenarios, name, cause)) == NULL)
		return NULL;
	scenario_unref(sc);
	s = xcalloc(1, sizeof *s);
	s->set = env->scenarios;
	s->name = xstrdup(name);
	s->fast = env->scripted_fast;
	return s;
}

/* Free the backend. */
static void
scripted_free(void *impl)
{
	struct scripted	*s = impl;

	free(s->name);
	free(s);
}

/* FNV-1a, to seed the jitter generator from the scenario and session. */
static uint64_t
scripted_hash(uint64_t h, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* xorshift64*: deterministic jitter. */
static double
scripted_rand(uint64_t *state)
{
	uint64_t	x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return (double)((x * 2685821657736338717ULL) >> 11) /
	    9007199254740992.0;
}

/* Sleep ms with jitter; non-zero when cancelled. */
static int
scripted_sleep(struct scripted_call *c, double ms)
{
	if (c->pace.fast || ms <= 0)
		return cancel_fired(c->cancel);
	ms *= 1.0 + c->pace.jitter * (2.0 * scripted_rand(&c->rng) - 1.0);
	return cancel_sleep(c->cancel, (int64_t)(ms + 0.5));
}

/* Expand ${WORKDIR} ${SESSION_ID} ${SCENARIO} ${TURN} ${DATE} and
 * ${USER_TEXT} (the text that began this turn).  Caller frees. */
static char *
scripted_expand(struct scripted_call *c, const char *in)
{
	struct buf	 b;
	const char	*p, *end, *val;
	char		 turn[16], date[16];
	time_t		 now;
	struct tm	 tm;
	char		*out;

	snprintf(turn, sizeof turn, "%zu", c->turn + 1);
	if (c->pace.fast)
		snprintf(date, sizeof date, "2026-01-01");
	else {
		now = time(NULL);
		gmtime_r(&now, &tm);
		strftime(date, sizeof date, "%Y-%m-%d", &tm);
	}
	buf_init(&b, BUF_UNBOUNDED);
	for (p = in; *p != '\0'; p++) {
		val = NULL;
		if (p[0] == '$' && p[1] == '{' &&
		    (end = strchr(p + 2, '}')) != NULL) {
			size_t	n = (size_t)(end - p - 2);

			if (n == 7 && strncmp(p + 2, "WORKDIR", n) == 0)
				val = c->req->workdir;
			else if (n == 10 &&
			    strncmp(p + 2, "SESSION_ID", n) == 0)
				val = c->req->session_id;
			else if (n == 8 && strncmp(p + 2, "SCENARIO", n) == 0)
				val = c->sc->name;
			else if (n == 4 && strncmp(p + 2, "TURN", n) == 0)
				val = turn;
			else if (n == 4 && strncmp(p + 2, "DATE", n) == 0)
				val = date;
			else if (n == 9 && strncmp(p + 2, "USER_TEXT", n) == 0)
				val = c->user_text != NULL ? c->user_text : "";
			if (val != NULL) {
				if (buf_puts(&b, val) != 0)
					fatalx("scenario text too long");
				p = end;
				continue;
			}
		}
		if (buf_putc(&b, *p) != 0)
			fatalx("scenario text too long");
	}
	out = buf_steal(&b, NULL);
	return out != NULL ? out : xstrdup("");
}

/* A deep copy of j with every string expanded.  Returns a new reference. */
static json_t *
scripted_expand_json(struct scripted_call *c, json_t *j)
{
	const char	*key;
	json_t		*v, *out;
	char		*s;
	size_t		 i;

	if (json_is_string(j)) {
		s = scripted_expand(c, json_string_value(j));
		out = json_string(s);
		free(s);
		return out != NULL ? out : json_string("");
	}
	if (json_is_object(j)) {
		out = json_object();
		json_object_foreach(j, key, v)
			json_object_set_new(out, key,
			    scripted_expand_json(c, v));
		return out;
	}
	if (json_is_array(j)) {
		out = json_array();
		json_array_foreach(j, i, v)
			json_array_append_new(out, scripted_expand_json(c, v));
		return out;
	}
	return json_deep_copy(j);
}

/* The text blocks of a content array, joined with newlines.  Caller
 * frees. */
static char *
scripted_blocks_text(json_t *content)
{
	struct buf	 b;
	json_t		*blk;
	size_t		 i;
	char		*out;

	buf_init(&b, BUF_UNBOUNDED);
	json_array_foreach(content, i, blk) {
		const char	*type, *t;

		type = json_string_value(json_object_get(blk, "type"));
		t = json_string_value(json_object_get(blk, "text"));
		if (type == NULL || strcmp(type, "text") != 0 || t == NULL)
			continue;
		if ((b.len > 0 && buf_putc(&b, '\n') != 0) ||
		    buf_puts(&b, t) != 0)
			fatalx("message too long");
	}
	out = buf_steal(&b, NULL);
	return out != NULL ? out : xstrdup("");
}

/* The text of a tool_result block's content.  Caller frees. */
static char *
scripted_result_text(json_t *res)
{
	json_t	*content = json_object_get(res, "content");

	if (json_is_string(content))
		return xstrdup(json_string_value(content));
	return scripted_blocks_text(content);
}

/* The tool_result block answering id in msg, or NULL. */
static json_t *
scripted_find_result(json_t *msg, const char *id)
{
	json_t	*blk;
	size_t	 i;

	if (msg == NULL || id == NULL)
		return NULL;
	json_array_foreach(json_object_get(msg, "content"), i, blk) {
		const char	*t = json_string_value(json_object_get(blk,
				    "tool_use_id"));

		if (t != NULL && strcmp(t, id) == 0)
			return blk;
	}
	return NULL;
}

/* Does the result satisfy the block's expect?  On failure *why says how. */
static int
scripted_expect_ok(const struct scenario_block *b, json_t *res, char **why)
{
	char	*text;
	int	 is_error, ok = 1;

	if (!b->has_expect)
		return 1;
	is_error = json_is_true(json_object_get(res, "is_error"));
	text = scripted_result_text(res);
	if (b->expect_is_error != -1 && b->expect_is_error != is_error) {
		xasprintf(why, "expected is_error %s, got %s",
		    b->expect_is_error ? "true" : "false",
		    is_error ? "true" : "false");
		ok = 0;
	} else if (b->expect_contains != NULL &&
	    strstr(text, b->expect_contains) == NULL) {
		xasprintf(why, "expected output containing \"%s\", "
		    "got \"%.80s\"", b->expect_contains, text);
		ok = 0;
	} else if (b->has_expect_matches &&
	    regexec(&b->expect_matches, text, 0, NULL, 0) != 0) {
		xasprintf(why, "expected output matching the pattern, got "
		    "\"%.80s\"", text);
		ok = 0;
	}
	free(text);
	return ok;
}

/* Did this user message begin a user turn? */
static int
scripted_is_turn_start(json_t *msg)
{
	return json_is_true(json_object_get(msg, "x_turn_start"));
}

/*
 * Find the place in the scenario (harness.md 4.3): the turn from the user
 * turns so far (or a "match"), then follow the assistant messages of this
 * turn through the responses, taking branches on denials, errors and
 * expectation mismatches.
 */
static void
scripted_locate(const struct scenario *sc, json_t *messages,
    struct scripted_pos *pos)
{
	const struct scenario_turn	*t;
	json_t				*msg, *start = NULL;
	size_t				 i, nturn = 0, starti = 0;
	char				*text;

	memset(pos, 0, sizeof *pos);
	json_array_foreach(messages, i, msg) {
		if (scripted_is_turn_start(msg)) {
			nturn++;
			start = msg;
			starti = i;
		}
	}
	if (nturn == 0) {
		pos->turn = sc->nturns;
		return;
	}
	pos->turn = nturn - 1;
	text = scripted_blocks_text(json_object_get(start, "content"));
	pos->user_text = xstrdup(text);
	for (i = 0; i < sc->nturns; i++)
		if (sc->turns[i].has_match &&
		    regexec(&sc->turns[i].match, text, 0, NULL, 0) == 0) {
			pos->turn = i;
			break;
		}
	free(text);
	if (pos->turn >= sc->nturns)
		return;
	t = &sc->turns[pos->turn];
	pos->resp = 0;
	for (i = starti + 1; i < json_array_size(messages); i++) {
		const struct scenario_response	*r;
		json_t				*blk, *next;
		size_t				 k, nb = 0;
		int				 nxt;

		msg = json_array_get(messages, i);
		if (strcmp(json_string_value(json_object_get(msg, "role")) ?
		    json_string_value(json_object_get(msg, "role")) : "",
		    "assistant") != 0)
			continue;
		if (pos->resp < 0 || (size_t)pos->resp >= t->nresponses) {
			pos->resp = (int)t->nresponses;
			return;
		}
		r = &t->responses[pos->resp];
		nxt = r->next >= 0 ? r->next : pos->resp + 1;
		next = json_array_get(messages, i + 1);
		json_array_foreach(json_object_get(msg, "content"), k, blk) {
			const struct scenario_block	*b = NULL;
			json_t				*res;
			char				*why = NULL;

			if (strcmp(json_string_value(json_object_get(blk,
			    "type")) ? json_string_value(json_object_get(blk,
			    "type")) : "", "tool_use") != 0)
				continue;
			/* The nb-th tool block of the response. */
			for (size_t j = 0, seen = 0; j < r->nblocks; j++) {
				if (r->blocks[j].kind != SCENARIO_TOOL &&
				    r->blocks[j].kind != SCENARIO_CUSTOM_TOOL)
					continue;
				if (seen++ == nb) {
					b = &r->blocks[j];
					break;
				}
			}
			nb++;
			if (b == NULL)
				continue;
			res = scripted_find_result(next, json_string_value(
			    json_object_get(blk, "id")));
			if (res == NULL)
				continue;
			if (json_is_true(json_object_get(res, "x_denied")) &&
			    b->on_deny >= 0)
				nxt = b->on_deny;
			else if (json_is_true(json_object_get(res,
			    "is_error")) && b->on_error >= 0)
				nxt = b->on_error;
			else if (!json_is_true(json_object_get(res,
			    "x_denied")) && !scripted_expect_ok(b, res, &why)) {
				if (b->on_mismatch >= 0)
					nxt = b->on_mismatch;
				else if (sc->strict && pos->divergence == NULL)
					xasprintf(&pos->divergence, "[scenario "
					    "%s diverged at turn %zu response "
					    "%d: %s]", sc->name, pos->turn + 1,
					    pos->resp + 1, why);
			}
			free(why);
		}
		pos->resp = nxt;
	}
}

/* Send one event to the sink; remember an abort. */
static int
scripted_emit(struct scripted_call *c, struct brain_ev *ev)
{
	if (c->aborted || cancel_fired(c->cancel))
		return (c->aborted = 1);
	if (c->sink(c->arg, ev) != 0)
		c->aborted = 1;
	return c->aborted;
}

/*
 * Stream text in chunks at the pace; returns 1 when the call must stop
 * (cancelled, or the injected failure point was reached: c->fail_at).
 */
static int
scripted_stream(struct scripted_call *c, enum brain_ev_kind kind,
    const char *text)
{
	struct brain_ev	ev;
	size_t		len = strlen(text), off = 0, n;

	while (off < len || len == 0) {
		n = AD_MIN((size_t)c->pace.chunk, len - off);
		if (c->fail_at >= 0 && c->out_chars + (long)n >= c->fail_at)
			n = (size_t)(c->fail_at - c->out_chars);
		/* Never split a UTF-8 sequence. */
		while (off + n < len && n > 0 &&
		    ((unsigned char)text[off + n] & 0xc0) == 0x80)
			n--;
		if (n == 0 && off < len && (c->fail_at < 0 ||
		    c->out_chars < c->fail_at))
			n = 1;
		if (n > 0) {
			memset(&ev, 0, sizeof ev);
			ev.kind = kind;
			ev.data = text + off;
			ev.len = n;
			if (scripted_emit(c, &ev))
				return 1;
			off += n;
			c->out_chars += (long)n;
		}
		if (c->fail_at >= 0 && c->out_chars >= c->fail_at)
			return 1;
		if (len == 0)
			break;
		if (off < len && scripted_sleep(c,
		    1000.0 * (double)n / c->pace.cps))
			return (c->aborted = 1);
	}
	return 0;
}

/* Estimate tokens as characters / 4. */
static int64_t
scripted_tokens(size_t chars)
{
	return (int64_t)(chars / 4) + 1;
}

/* The usage for a response: given in the scenario, or estimated. */
static void
scripted_usage(struct scripted_call *c, const struct scenario_response *r,
    struct brain_usage *u)
{
	char	*conv;

	memset(u, 0, sizeof *u);
	if (r != NULL && r->usage != NULL) {
		u->input = json_integer_value(json_object_get(r->usage,
		    "input_tokens"));
		u->output = json_integer_value(json_object_get(r->usage,
		    "output_tokens"));
		u->cache_read = json_integer_value(json_object_get(r->usage,
		    "cache_read_input_tokens"));
		u->cache_write = json_integer_value(json_object_get(r->usage,
		    "cache_creation_input_tokens"));
		return;
	}
	conv = json_dumps(c->req->messages, JSON_COMPACT);
	u->input = scripted_tokens(conv != NULL ? strlen(conv) : 0) +
	    (c->req->system != NULL ? scripted_tokens(strlen(c->req->system)) :
	    0);
	free(conv);
	u->output = scripted_tokens((size_t)c->out_chars);
}

/* Stream a single text block and stop with end_turn. */
static void
scripted_say(struct scripted_call *c, const char *text)
{
	struct brain_ev	ev;

	memset(&ev, 0, sizeof ev);
	ev.kind = BRAIN_EV_START;
	scripted_usage(c, NULL, &ev.usage);
	if (scripted_emit(c, &ev))
		return;
	ev.kind = BRAIN_EV_BLOCK_START;
	ev.block = BRAIN_BLOCK_TEXT;
	if (scripted_emit(c, &ev) || scripted_stream(c, BRAIN_EV_TEXT, text))
		return;
	ev.kind = BRAIN_EV_BLOCK_STOP;
	if (scripted_emit(c, &ev))
		return;
	memset(&ev, 0, sizeof ev);
	ev.kind = BRAIN_EV_STOP;
	ev.stop = BRAIN_STOP_END_TURN;
	scripted_usage(c, NULL, &ev.usage);
	scripted_emit(c, &ev);
}

/* The hints handed to the runner with a tool block.  New reference. */
static json_t *
scripted_hints(struct scripted_call *c, const struct scenario_block *b)
{
	json_t	*h;
	char	*t;

	if (b->confirm == NULL && b->text == NULL)
		return NULL;
	h = json_object();
	if (b->confirm != NULL)
		json_object_set_new(h, "confirm",
		    scripted_expand_json(c, b->confirm));
	if (b->kind == SCENARIO_CUSTOM_TOOL && b->text != NULL) {
		t = scripted_expand(c, b->text);
		json_object_set_new(h, "auto_result", json_string(t));
		free(t);
	}
	return h;
}

/* Stream one block; non-zero when the call must stop. */
static int
scripted_block(struct scripted_call *c, const struct scenario_block *b,
    int index, size_t ri, int k)
{
	struct brain_ev	 ev;
	json_t		*input, *hints;
	char		*text, *json, id[64];
	int		 stop;

	memset(&ev, 0, sizeof ev);
	ev.index = index;
	switch (b->kind) {
	case SCENARIO_PAUSE:
		return scripted_sleep(c, b->pause_ms) ? (c->aborted = 1) : 0;
	case SCENARIO_TEXT:
	case SCENARIO_THINKING:
		ev.kind = BRAIN_EV_BLOCK_START;
		ev.block = b->kind == SCENARIO_TEXT ? BRAIN_BLOCK_TEXT :
		    BRAIN_BLOCK_THINKING;
		if (scripted_emit(c, &ev))
			return 1;
		text = scripted_expand(c, b->text);
		stop = scripted_stream(c, b->kind == SCENARIO_TEXT ?
		    BRAIN_EV_TEXT : BRAIN_EV_THINKING, text);
		free(text);
		if (stop)
			return 1;
		break;
	case SCENARIO_TOOL:
	case SCENARIO_CUSTOM_TOOL:
		if (b->id != NULL)
			snprintf(id, sizeof id, "%s", b->id);
		else
			snprintf(id, sizeof id, "toolu_scr_%zu_%zu_%d",
			    c->turn + 1, ri + 1, k + 1);
		hints = scripted_hints(c, b);
		ev.kind = BRAIN_EV_BLOCK_START;
		ev.block = BRAIN_BLOCK_TOOL_USE;
		ev.tool_id = id;
		ev.tool_name = b->name;
		ev.hints = hints;
		stop = scripted_emit(c, &ev);
		json_decref(hints);
		if (stop)
			return 1;
		input = scripted_expand_json(c, b->input);
		json = json_dumps(input, JSON_COMPACT);
		json_decref(input);
		stop = scripted_stream(c, BRAIN_EV_TOOL_JSON,
		    json != NULL ? json : "{}");
		free(json);
		if (stop)
			return 1;
		break;
	}
	memset(&ev, 0, sizeof ev);
	ev.kind = BRAIN_EV_BLOCK_STOP;
	ev.index = index;
	return scripted_emit(c, &ev);
}

/* The stop reason a scenario names. */
static enum brain_stop
scripted_stop(const char *stop)
{
	if (strcmp(stop, "tool_use") == 0)
		return BRAIN_STOP_TOOL_USE;
	if (strcmp(stop, "max_tokens") == 0)
		return BRAIN_STOP_MAX_TOKENS;
	if (strcmp(stop, "refusal") == 0)
		return BRAIN_STOP_REFUSAL;
	return BRAIN_STOP_END_TURN;
}

/* The brain status for an injected failure type. */
static enum brain_status
scripted_fail_status(const char *type)
{
	if (strcmp(type, "model_overloaded_error") == 0)
		return BRAIN_E_OVERLOADED;
	if (strcmp(type, "model_rate_limited_error") == 0)
		return BRAIN_E_RATE_LIMITED;
	if (strcmp(type, "billing_error") == 0)
		return BRAIN_E_BILLING;
	return BRAIN_E_REQUEST;
}

/* Stream response r of the current turn. */
static void
scripted_respond(struct scripted_call *c, const struct scenario_response *r,
    size_t ri, struct brain_result *res)
{
	const struct scenario_fail	*f = r->fail;
	struct brain_ev			 ev;
	json_t				*details = NULL;
	int				 index = 0, k = 0;

	if (f != NULL && c->req->attempt < f->times)
		c->fail_at = f->after_chars;
	if (scripted_sleep(c, r->pace.latency_ms))
		goto cancelled;
	if (c->fail_at == 0)
		goto failed;
	memset(&ev, 0, sizeof ev);
	ev.kind = BRAIN_EV_START;
	scripted_usage(c, r, &ev.usage);
	ev.usage.output = 0;
	if (scripted_emit(c, &ev))
		goto cancelled;
	for (size_t i = 0; i < r->nblocks; i++) {
		const struct scenario_block	*b = &r->blocks[i];

		if (scripted_block(c, b, index, ri, k) != 0) {
			if (c->aborted)
				goto cancelled;
			goto failed;
		}
		if (b->kind == SCENARIO_TOOL || b->kind == SCENARIO_CUSTOM_TOOL)
			k++;
		if (b->kind != SCENARIO_PAUSE)
			index++;
	}
	if (c->fail_at >= 0)
		goto failed;
	memset(&ev, 0, sizeof ev);
	ev.kind = BRAIN_EV_STOP;
	ev.stop = scripted_stop(r->stop);
	if (ev.stop == BRAIN_STOP_REFUSAL) {
		details = json_pack("{ss}", "type", "refusal");
		json_object_set(details, "category", r->refusal != NULL &&
		    json_object_get(r->refusal, "category") != NULL ?
		    json_object_get(r->refusal, "category") : json_null());
		json_object_set(details, "explanation", r->refusal != NULL &&
		    json_object_get(r->refusal, "explanation") != NULL ?
		    json_object_get(r->refusal, "explanation") : json_null());
		ev.stop_details = details;
	}
	scripted_usage(c, r, &ev.usage);
	if (scripted_emit(c, &ev)) {
		json_decref(details);
		goto cancelled;
	}
	json_decref(details);
	return;
failed:
	brain_result_fail(res, scripted_fail_status(f->type),
	    strcmp(f->type, "billing_error") != 0, "%s (attempt %d of %d "
	    "failing by design)", f->message, c->req->attempt + 1, f->times);
	res->retry_after_ms = f->retry_after_ms >= 0 ? f->retry_after_ms :
	    c->pace.fast ? 0 : -1;
	return;
cancelled:
	res->status = BRAIN_CANCELLED;
}

/* One model request: locate, then stream. */
static void
scripted_next_turn(void *impl, const struct brain_request *req,
    brain_sink sink, void *arg, struct cancel *cancel,
    struct brain_result *res)
{
	struct scripted		*s = impl;
	struct scripted_call	 c;
	struct scripted_pos	 pos;
	char			*cause = NULL, *msg;

	memset(&c, 0, sizeof c);
	if ((c.sc = scenario_set_get(s->set, s->name, &cause)) == NULL) {
		brain_result_fail(res, BRAIN_E_REQUEST, 0, "scripted:%s: %s",
		    s->name, cause);
		free(cause);
		return;
	}
	c.req = req;
	c.sink = sink;
	c.arg = arg;
	c.cancel = cancel;
	c.fail_at = -1;
	c.rng = scripted_hash(scripted_hash(14695981039346656037ULL,
	    c.sc->name), req->session_id) | 1;
	scripted_locate(c.sc, req->messages, &pos);
	c.turn = pos.turn;
	c.user_text = pos.user_text;
	c.pace = (struct scenario_pace){ 0, 1000, 64, 0, 1 };
	if (pos.turn < c.sc->nturns && pos.divergence == NULL &&
	    (size_t)pos.resp < c.sc->turns[pos.turn].nresponses) {
		const struct scenario_response	*r;

		r = &c.sc->turns[pos.turn].responses[pos.resp];
		c.pace = r->pace;
		if (s->fast)
			c.pace.fast = 1;
		c.rng ^= (uint64_t)(pos.turn * 1000 + (size_t)pos.resp) << 20;
		scripted_respond(&c, r, (size_t)pos.resp, res);
	} else {
		msg = pos.divergence;
		if (msg == NULL)
			xasprintf(&msg, "[scenario %s finished]", c.sc->name);
		scripted_say(&c, msg);
		if (c.aborted)
			res->status = BRAIN_CANCELLED;
		free(msg);
		pos.divergence = NULL;
	}
	free(pos.divergence);
	free(pos.user_text);
	scenario_unref(c.sc);
}

const struct brain_ops brain_scripted_ops = {
	"scripted", scripted_next_turn, scripted_free
};
