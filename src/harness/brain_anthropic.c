/* ISC licence: see COPYING.  The Anthropic Messages API brain. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/clock.h"
#include "base/xmalloc.h"
#include "harness/brain.h"
#include "harness/brain_anthropic.h"
#include "harness/brain_config.h"
#include "harness/brain_http.h"
#include "harness/brain_key.h"
#include "harness/brain_stream.h"
#include "wire/json_scan.h"
#include "wire/sse_parser.h"


/* One brain: the settings read from the configuration when it was made. */
struct brain_anthropic {
	char	*url;		/* .../v1/messages */
	char	*key_file;	/* NULL: the environment's key only */
	int	 max_tokens;	/* 0: the request's */
	json_t	*thinking;	/* when the request has none; or NULL */
	long	 idle_timeout;
};

/*
 * The parser of one response.  Provider block indexes are checked
 * (deltas must belong to the open block) and renumbered densely, since
 * blocks of kinds the harness does not know are skipped whole.
 */
struct brain_anthropic_stream {
	struct brain_stream	 base;	/* first: see brain_stream.c */
	int			 started;	/* message_start seen */
	int			 finished;	/* message_stop seen */
	int			 open;	/* provider index, or -1 */
	int			 skipping; /* the open block is not ours */
	int			 next;	/* next index for the sink */
	enum brain_block	 block;	/* kind of the open block */
	enum brain_stop		 stop;
	json_t			*stop_details;	/* owned */
	struct brain_usage	 usage;
};

static void	brain_anthropic_next_turn(void *,
		    const struct brain_request *, brain_sink, void *,
		    struct cancel *, struct brain_result *);
static void	brain_anthropic_free(void *);
static int	brain_anthropic_frame(const struct sse_frame *, void *);
static int	brain_anthropic_event(struct brain_anthropic_stream *,
		    json_t *);
static int	brain_anthropic_block_start(struct brain_anthropic_stream *,
		    json_t *);
static int	brain_anthropic_delta(struct brain_anthropic_stream *,
		    json_t *);
static int	brain_anthropic_fast_delta(struct brain_anthropic_stream *,
		    const char *, size_t);
static void	brain_anthropic_usage(struct brain_usage *, json_t *);
static int	brain_anthropic_on_body(const char *, size_t, void *);
static json_t	*brain_anthropic_messages(json_t *, int);
static json_t	*brain_anthropic_block(json_t *, int);
static void	brain_anthropic_cache_last(json_t *);
static enum brain_stop brain_anthropic_stop(const char *);

const struct brain_ops brain_anthropic_ops = {
	"anthropic",
	brain_anthropic_next_turn,
	brain_anthropic_free
};

/* Read the [anthropic] settings; the key is looked up per request. */
void *
brain_anthropic_create(const char *model, const struct brain_env *env,
    char **cause)
{
	struct brain_anthropic_config	 ac;
	struct brain_anthropic		*ba;

	if (brain_config_anthropic(env->config_path, &ac, cause) != 0)
		return NULL;
	ba = xcalloc(1, sizeof *ba);
	ba->url = brain_http_url(ac.base_url, "v1/messages");
	ba->key_file = ac.key_file != NULL ? xstrdup(ac.key_file) : NULL;
	ba->max_tokens = (int)ac.max_tokens;
	ba->idle_timeout = ac.idle_timeout;
	if (ac.thinking == BRAIN_THINKING_ADAPTIVE)
		ba->thinking = json_pack("{s:s}", "type", "adaptive");
	else if (ac.thinking > 0)
		ba->thinking = json_pack("{s:s, s:I}", "type", "enabled",
		    "budget_tokens", (json_int_t)ac.thinking);
	brain_anthropic_config_clear(&ac);
	return ba;
}

/* Free a brain. */
static void
brain_anthropic_free(void *impl)
{
	struct brain_anthropic	*ba = impl;

	if (ba == NULL)
		return;
	free(ba->url);
	free(ba->key_file);
	json_decref(ba->thinking);
	free(ba);
}

/*
 * Build the request body.  The system prompt and the last tool carry
 * cache_control breakpoints, and so does the last cacheable block of
 * the conversation, so each request of a tool loop reads the previous
 * one's prefix from the cache (three of the four breakpoints allowed).
 */
json_t *
brain_anthropic_body(const struct brain_request *req, int max_tokens)
{
	json_t	*body, *tools, *t, *messages, *sys, *budget;
	size_t	 i;
	int	 max;

	max = max_tokens > 0 ? max_tokens : req->max_tokens > 0 ?
	    req->max_tokens : BRAIN_ANTHROPIC_MAX_TOKENS;
	if (json_is_object(req->thinking) && json_is_integer(budget =
	    json_object_get(req->thinking, "budget_tokens")) &&
	    json_integer_value(budget) >= max)
		max = (int)json_integer_value(budget) + 4096;

	body = json_object();
	json_object_set_new(body, "model", json_string(req->model));
	json_object_set_new(body, "max_tokens", json_integer(max));
	json_object_set_new(body, "stream", json_true());
	if (req->system != NULL && *req->system != '\0') {
		t = json_pack("{s:s, s:s, s:{s:s}}", "type", "text", "text",
		    req->system, "cache_control", "type", "ephemeral");
		sys = json_array();
		json_array_append_new(sys, t);
		json_object_set_new(body, "system", sys);
	}
	tools = json_array();
	json_array_foreach(req->tools, i, t) {
		json_t	*name = json_object_get(t, "name");
		json_t	*desc = json_object_get(t, "description");
		json_t	*schema = json_object_get(t, "input_schema");
		json_t	*tool;

		if (!json_is_string(name))
			continue;
		tool = json_object();
		json_object_set(tool, "name", name);
		if (json_is_string(desc))
			json_object_set(tool, "description", desc);
		if (json_is_object(schema))
			json_object_set_new(tool, "input_schema",
			    json_deep_copy(schema));
		else
			json_object_set_new(tool, "input_schema",
			    json_pack("{s:s}", "type", "object"));
		json_array_append_new(tools, tool);
	}
	if (json_array_size(tools) > 0) {
		json_object_set_new(json_array_get(tools,
		    json_array_size(tools) - 1), "cache_control",
		    json_pack("{s:s}", "type", "ephemeral"));
		json_object_set_new(body, "tools", tools);
		json_object_set_new(body, "tool_choice",
		    json_pack("{s:s}", "type", "auto"));
	} else
		json_decref(tools);
	if (json_is_object(req->thinking))
		json_object_set(body, "thinking", req->thinking);
	messages = brain_anthropic_messages(req->messages,
	    json_is_object(req->thinking));
	brain_anthropic_cache_last(messages);
	json_object_set_new(body, "messages", messages);
	return body;
}

/* Create a parser. */
struct brain_anthropic_stream *
brain_anthropic_stream_create(brain_sink sink, void *arg)
{
	struct brain_anthropic_stream	*st;

	st = xcalloc(1, sizeof *st);
	brain_stream_init(&st->base, sink, arg, brain_anthropic_frame, st);
	st->open = -1;
	st->stop = BRAIN_STOP_END_TURN;
	return st;
}

/* Free a parser. */
void
brain_anthropic_stream_free(struct brain_anthropic_stream *st)
{
	if (st == NULL)
		return;
	json_decref(st->stop_details);
	brain_stream_clear(&st->base);
	free(st);
}

/* Feed body bytes. */
int
brain_anthropic_stream_feed(struct brain_anthropic_stream *st,
    const char *p, size_t len)
{
	return brain_stream_feed(&st->base, p, len);
}

/* Say how the stream ended. */
int
brain_anthropic_stream_end(struct brain_anthropic_stream *st,
    const char *who, struct brain_result *res)
{
	return brain_stream_end(&st->base, st->finished, who, res);
}

/*
 * One SSE frame.  As in the SDK, frames without an event: line and ping
 * frames are skipped, an error frame fails the request, and everything
 * else is JSON dispatched on its "type".
 */
static int
brain_anthropic_frame(const struct sse_frame *f, void *arg)
{
	struct brain_anthropic_stream	*st = arg;
	json_error_t			 jerr;
	json_t				*root;
	int				 rc;

	if (st->base.failed || st->base.aborted)
		return -1;
	if (f->event == NULL || (f->eventlen == 4 &&
	    memcmp(f->event, "ping", 4) == 0) || f->datalen == 0)
		return 0;
	if (f->eventlen == 19 && memcmp(f->event, "content_block_delta",
	    19) == 0 && (rc = brain_anthropic_fast_delta(st, f->data,
	    f->datalen)) != 0)
		return rc < 0 ? -1 : 0;
	root = json_loadb(f->data, f->datalen, 0, &jerr);
	if (root == NULL || !json_is_object(root)) {
		json_decref(root);
		return brain_stream_fail(&st->base, BRAIN_E_PROTOCOL, 1,
		    "malformed event in the model's stream (%.*s): %s",
		    (int)AD_MIN(f->eventlen, 40), f->event, jerr.text);
	}
	if (f->eventlen == 5 && memcmp(f->event, "error", 5) == 0) {
		json_t		*err = json_object_get(root, "error");
		const char	*type, *msg;
		enum brain_status s;
		int		 retry;

		type = json_string_value(json_object_get(err, "type"));
		msg = json_string_value(json_object_get(err, "message"));
		s = brain_http_error_status(type, msg, &retry);
		rc = brain_stream_fail(&st->base, s, retry, "%s: %s (in the "
		    "stream)", type != NULL ? type : "error",
		    msg != NULL ? msg : "no message");
	} else
		rc = brain_anthropic_event(st, root);
	json_decref(root);
	return rc;
}

/* Copy the token counts present in a usage object. */
static void
brain_anthropic_usage(struct brain_usage *u, json_t *usage)
{
	json_t	*v;

	if (json_is_integer(v = json_object_get(usage, "input_tokens")))
		u->input = json_integer_value(v);
	if (json_is_integer(v = json_object_get(usage, "output_tokens")))
		u->output = json_integer_value(v);
	if (json_is_integer(v = json_object_get(usage,
	    "cache_read_input_tokens")))
		u->cache_read = json_integer_value(v);
	if (json_is_integer(v = json_object_get(usage,
	    "cache_creation_input_tokens")))
		u->cache_write = json_integer_value(v);
}

/* Dispatch one decoded event. */
static int
brain_anthropic_event(struct brain_anthropic_stream *st, json_t *root)
{
	struct brain_ev	 ev;
	const char	*type, *reason;
	json_t		*delta, *v;

	type = json_string_value(json_object_get(root, "type"));
	if (type == NULL)
		return brain_stream_fail(&st->base, BRAIN_E_PROTOCOL, 1,
		    "an event in the model's stream has no type");
	if (strcmp(type, "content_block_delta") == 0)
		return brain_anthropic_delta(st, root);
	memset(&ev, 0, sizeof ev);
	if (strcmp(type, "message_start") == 0) {
		if (st->started)
			return brain_stream_fail(&st->base, BRAIN_E_PROTOCOL, 1,
			    "the model's stream started twice");
		st->started = 1;
		brain_anthropic_usage(&st->usage, json_object_get(
		    json_object_get(root, "message"), "usage"));
		ev.kind = BRAIN_EV_START;
		ev.usage = st->usage;
		return brain_stream_emit(&st->base, &ev);
	}
	if (!st->started || st->finished)
		return brain_stream_fail(&st->base, BRAIN_E_PROTOCOL, 1,
		    "%s outside a message in the model's stream", type);
	if (strcmp(type, "content_block_start") == 0)
		return brain_anthropic_block_start(st, root);
	if (strcmp(type, "content_block_stop") == 0) {
		v = json_object_get(root, "index");
		if (st->open < 0 || !json_is_integer(v) ||
		    json_integer_value(v) != st->open)
			return brain_stream_fail(&st->base, BRAIN_E_PROTOCOL, 1,
			    "content_block_stop for a block that is not open");
		st->open = -1;
		if (st->skipping) {
			st->skipping = 0;
			return 0;
		}
		ev.kind = BRAIN_EV_BLOCK_STOP;
		ev.index = st->next++;
		ev.block = st->block;
		return brain_stream_emit(&st->base, &ev);
	}
	if (strcmp(type, "message_delta") == 0) {
		delta = json_object_get(root, "delta");
		if ((reason = json_string_value(json_object_get(delta,
		    "stop_reason"))) != NULL)
			st->stop = brain_anthropic_stop(reason);
		v = json_object_get(delta, "stop_details");
		if (json_is_object(v)) {
			json_decref(st->stop_details);
			st->stop_details = json_incref(v);
		}
		brain_anthropic_usage(&st->usage, json_object_get(root,
		    "usage"));
		return 0;
	}
	if (strcmp(type, "message_stop") == 0) {
		if (st->open >= 0)
			return brain_stream_fail(&st->base, BRAIN_E_PROTOCOL, 1,
			    "message_stop with a block still open");
		st->finished = 1;
		ev.kind = BRAIN_EV_STOP;
		ev.stop = st->stop;
		ev.stop_details = st->stop_details;
		ev.usage = st->usage;
		return brain_stream_emit(&st->base, &ev);
	}
	return 0;	/* an event type from the future: ignore it */
}

/* content_block_start: open a block of a kind we know, or skip it. */
static int
brain_anthropic_block_start(struct brain_anthropic_stream *st, json_t *root)
{
	struct brain_ev	 ev;
	json_t		*cb, *v;
	const char	*kind, *s;
	char		*dump;
	int		 rc;

	v = json_object_get(root, "index");
	cb = json_object_get(root, "content_block");
	kind = json_string_value(json_object_get(cb, "type"));
	if (st->open >= 0 || !json_is_integer(v) ||
	    json_integer_value(v) < 0 || json_integer_value(v) > INT32_MAX ||
	    kind == NULL)
		return brain_stream_fail(&st->base, BRAIN_E_PROTOCOL, 1,
		    "bad content_block_start in the model's stream");
	st->open = (int)json_integer_value(v);
	memset(&ev, 0, sizeof ev);
	ev.kind = BRAIN_EV_BLOCK_START;
	ev.index = st->next;
	if (strcmp(kind, "text") == 0)
		ev.block = BRAIN_BLOCK_TEXT;
	else if (strcmp(kind, "thinking") == 0)
		ev.block = BRAIN_BLOCK_THINKING;
	else if (strcmp(kind, "redacted_thinking") == 0)
		ev.block = BRAIN_BLOCK_REDACTED_THINKING;
	else if (strcmp(kind, "tool_use") == 0) {
		ev.block = BRAIN_BLOCK_TOOL_USE;
		ev.tool_id = json_string_value(json_object_get(cb, "id"));
		ev.tool_name = json_string_value(json_object_get(cb, "name"));
		if (ev.tool_id == NULL || ev.tool_name == NULL)
			return brain_stream_fail(&st->base, BRAIN_E_PROTOCOL, 1,
			    "tool_use block without an id or a name");
	} else {
		st->skipping = 1;	/* server tools and the like */
		return 0;
	}
	st->block = ev.block;
	if (brain_stream_emit(&st->base, &ev) != 0)
		return -1;

	/* Content that came with the start (empty in practice). */
	ev.kind = BRAIN_EV_TEXT;
	s = NULL;
	switch (ev.block) {
	case BRAIN_BLOCK_TEXT:
		s = json_string_value(json_object_get(cb, "text"));
		break;
	case BRAIN_BLOCK_THINKING:
		ev.kind = BRAIN_EV_THINKING;
		s = json_string_value(json_object_get(cb, "thinking"));
		if (s != NULL && *s != '\0') {
			ev.data = s;
			ev.len = strlen(s);
			if (brain_stream_emit(&st->base, &ev) != 0)
				return -1;
		}
		ev.kind = BRAIN_EV_SIGNATURE;
		s = json_string_value(json_object_get(cb, "signature"));
		break;
	case BRAIN_BLOCK_REDACTED_THINKING:
		ev.kind = BRAIN_EV_SIGNATURE;
		s = json_string_value(json_object_get(cb, "data"));
		break;
	case BRAIN_BLOCK_TOOL_USE:
		v = json_object_get(cb, "input");
		if (json_is_object(v) && json_object_size(v) > 0) {
			dump = json_dumps(v, JSON_COMPACT);
			ev.kind = BRAIN_EV_TOOL_JSON;
			ev.data = dump;
			ev.len = strlen(dump);
			rc = brain_stream_emit(&st->base, &ev);
			free(dump);
			return rc;
		}
		break;
	}
	if (s == NULL || *s == '\0')
		return 0;
	ev.data = s;
	ev.len = strlen(s);
	return brain_stream_emit(&st->base, &ev);
}

/*
 * The frame nearly every token comes in, without building a tree: the
 * text is checked to be valid JSON in the same pass that finds the
 * members (wire/json_scan.h), and the fragment decoded into a reused
 * buffer.  Returns 1 when handled, -1 to stop, and 0 for anything
 * unusual (other shapes, escaped names, bad JSON), which the full parse
 * then handles and words the errors of.
 */
static int
brain_anthropic_fast_delta(struct brain_anthropic_stream *st,
    const char *text, size_t len)
{
	static const struct {
		const char		*type;
		const char		*name;
		enum brain_ev_kind	 kind;
	} fields[] = {
		{ "text_delta", "text", BRAIN_EV_TEXT },
		{ "thinking_delta", "thinking", BRAIN_EV_THINKING },
		{ "signature_delta", "signature", BRAIN_EV_SIGNATURE },
		{ "input_json_delta", "partial_json", BRAIN_EV_TOOL_JSON }
	};
	struct json_scan_iter	 it;
	struct json_span	 k, v, type = { NULL, 0 }, index = { NULL, 0 };
	struct json_span	 delta = { NULL, 0 }, dtype = { NULL, 0 };
	struct json_span	 frag = { NULL, 0 }, frags[4];
	struct brain_ev		 ev;
	int64_t			 i;
	long			 n;
	int			 esc, r;

	memset(frags, 0, sizeof frags);
	if (json_scan_object_init(&it, text, len) != 0)
		return 0;
	while ((r = json_scan_object_next(&it, &k, &v, &esc)) == 1) {
		if (json_scan_key_is(&k, esc, "type"))
			type = v;
		else if (json_scan_key_is(&k, esc, "index"))
			index = v;
		else if (json_scan_key_is(&k, esc, "delta"))
			delta = v;
	}
	while (r == 0 && it.p < it.end && (*it.p == ' ' || *it.p == '\t' ||
	    *it.p == '\r' || *it.p == '\n'))
		it.p++;
	if (r != 0 || it.p != it.end ||
	    !json_scan_key_is(&type, 0, "content_block_delta") ||
	    delta.p == NULL || index.p == NULL ||
	    json_scan_int64(&index, &i) != 0)
		return 0;
	if (!st->started || st->open < 0 || i != st->open)
		return 0;	/* the full parse reports it */
	if (st->skipping)
		return 1;
	if (json_scan_object_init(&it, delta.p, delta.len) != 0)
		return 0;
	while ((r = json_scan_object_next(&it, &k, &v, &esc)) == 1) {
		if (esc)
			return 0;	/* escaped names: the full parse */
		if (json_scan_key_is(&k, 0, "type"))
			dtype = v;
		else
			for (size_t j = 0; j < AD_NITEMS(fields); j++)
				if (json_scan_key_is(&k, 0, fields[j].name))
					frags[j] = v;
	}
	if (r != 0)
		return 0;
	memset(&ev, 0, sizeof ev);
	for (size_t j = 0; j < AD_NITEMS(fields); j++) {
		if (json_scan_key_is(&dtype, 0, fields[j].type)) {
			ev.kind = fields[j].kind;
			frag = frags[j];
		}
	}
	if (frag.p == NULL || json_scan_kind(&frag) != JSON_SCAN_STRING)
		return 0;	/* unknown delta, or a missing field */
	if ((n = brain_stream_decode(&st->base, &frag)) <= 0)
		return n == 0 ? 1 : 0;
	ev.index = st->next;
	ev.block = st->block;
	ev.data = st->base.scratch;
	ev.len = (size_t)n;
	return brain_stream_emit(&st->base, &ev) != 0 ? -1 : 1;
}

/* content_block_delta: one fragment of the open block. */
static int
brain_anthropic_delta(struct brain_anthropic_stream *st, json_t *root)
{
	struct brain_ev	 ev;
	json_t		*delta, *v;
	const char	*type, *field;

	v = json_object_get(root, "index");
	if (!st->started || st->open < 0 || !json_is_integer(v) ||
	    json_integer_value(v) != st->open)
		return brain_stream_fail(&st->base, BRAIN_E_PROTOCOL, 1,
		    "content_block_delta for a block that is not open");
	if (st->skipping)
		return 0;
	delta = json_object_get(root, "delta");
	if ((type = json_string_value(json_object_get(delta, "type"))) ==
	    NULL)
		return brain_stream_fail(&st->base, BRAIN_E_PROTOCOL, 1,
		    "content_block_delta without a delta type");
	memset(&ev, 0, sizeof ev);
	ev.index = st->next;
	ev.block = st->block;
	if (strcmp(type, "text_delta") == 0) {
		ev.kind = BRAIN_EV_TEXT;
		field = "text";
	} else if (strcmp(type, "thinking_delta") == 0) {
		ev.kind = BRAIN_EV_THINKING;
		field = "thinking";
	} else if (strcmp(type, "signature_delta") == 0) {
		ev.kind = BRAIN_EV_SIGNATURE;
		field = "signature";
	} else if (strcmp(type, "input_json_delta") == 0) {
		ev.kind = BRAIN_EV_TOOL_JSON;
		field = "partial_json";
	} else
		return 0;	/* citations_delta, or one from the future */
	v = json_object_get(delta, field);
	if (!json_is_string(v))
		return brain_stream_fail(&st->base, BRAIN_E_PROTOCOL, 1,
		    "%s without its %s", type, field);
	if (json_string_length(v) == 0)
		return 0;
	ev.data = json_string_value(v);
	ev.len = json_string_length(v);
	return brain_stream_emit(&st->base, &ev);
}

/* The HTTP body callback: feed the parser. */
static int
brain_anthropic_on_body(const char *p, size_t len, void *arg)
{
	return brain_anthropic_stream_feed(arg, p, len);
}

/* One model request: build, send, stream, map the ending. */
static void
brain_anthropic_next_turn(void *impl, const struct brain_request *req,
    brain_sink sink, void *arg, struct cancel *cancel,
    struct brain_result *res)
{
	struct brain_anthropic		*ba = impl;
	struct brain_anthropic_stream	*st;
	struct brain_http_request	 hr;
	struct brain_http_response	 resp;
	struct brain_request		 r = *req;
	int64_t				 start;
	json_t				*body;
	char				*text, *key, *cause = NULL, *auth;
	const char			*headers[3];

	if ((key = brain_key_anthropic(ba->key_file, &cause)) == NULL) {
		brain_result_fail(res, BRAIN_E_AUTH, 0, "anthropic: %s", cause);
		free(cause);
		return;
	}
	xasprintf(&auth, "x-api-key: %s", key);
	headers[0] = auth;
	headers[1] = "anthropic-version: " BRAIN_ANTHROPIC_VERSION;
	headers[2] = NULL;

	if (r.thinking == NULL)
		r.thinking = ba->thinking;
	body = brain_anthropic_body(&r, ba->max_tokens);
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	st = brain_anthropic_stream_create(sink, arg);

	memset(&hr, 0, sizeof hr);
	hr.url = ba->url;
	hr.headers = headers;
	hr.body = text;
	hr.bodylen = strlen(text);
	hr.on_body = brain_anthropic_on_body;
	hr.arg = st;
	hr.cancel = cancel;
	hr.idle_timeout_s = ba->idle_timeout;
	brain_http_response_init(&resp);
	start = clock_mono_us();
	brain_http_perform(&hr, &resp);

	brain_stream_result(&st->base, st->finished, &resp, "anthropic",
	    ba->url, "message_stop", "offline? use a local:ALIAS model (a "
	    "[brain.ALIAS] section in the config) or scripted:NAME", res);
	brain_key_redact(res->message, key);
	brain_http_log("anthropic", ba->url, hr.bodylen, start, res);

	brain_http_response_clear(&resp);
	brain_anthropic_stream_free(st);
	free(text);
	explicit_bzero(auth, strlen(auth));
	free(auth);
	brain_key_free(key);
}

/*
 * One canonical content block as the Messages API takes it, copying only
 * the keys the API knows (the harness's x_ markers stay behind), or NULL
 * for a block that cannot be sent: an empty text, a thinking block
 * without its signature or while thinking is off, a "redacted"
 * placeholder.  Returns a new reference.
 */
static json_t *
brain_anthropic_block(json_t *b, int thinking)
{
	static const char *const keep_image[] = { "source", NULL };
	static const char *const keep_document[] = { "source", "title",
	    "context", "citations", NULL };
	static const char *const keep_search[] = { "source", "title",
	    "content", "citations", NULL };
	const char *const	*keep = NULL;
	const char		*type, *s;
	json_t			*out, *v, *c, *blk;
	size_t			 i;

	if (json_is_string(b))	/* a bare string in a content array */
		b = json_pack("{s:s, s:O}", "type", "text", "text", b);
	else
		json_incref(b);
	type = json_string_value(json_object_get(b, "type"));
	out = NULL;
	if (type == NULL)
		goto done;
	if (strcmp(type, "text") == 0) {
		s = json_string_value(json_object_get(b, "text"));
		if (s != NULL && *s != '\0')
			out = json_pack("{s:s, s:s}", "type", "text", "text",
			    s);
	} else if (strcmp(type, "thinking") == 0) {
		s = json_string_value(json_object_get(b, "signature"));
		if (thinking && s != NULL && *s != '\0' && json_is_string(
		    v = json_object_get(b, "thinking")))
			out = json_pack("{s:s, s:O, s:s}", "type", "thinking",
			    "thinking", v, "signature", s);
	} else if (strcmp(type, "redacted_thinking") == 0) {
		if (thinking && json_is_string(v = json_object_get(b, "data")))
			out = json_pack("{s:s, s:O}", "type",
			    "redacted_thinking", "data", v);
	} else if (strcmp(type, "tool_use") == 0) {
		v = json_object_get(b, "input");
		if (json_is_string(json_object_get(b, "id")) &&
		    json_is_string(json_object_get(b, "name")))
			out = json_pack("{s:s, s:O, s:O, s:o}", "type",
			    "tool_use", "id", json_object_get(b, "id"), "name",
			    json_object_get(b, "name"), "input",
			    json_is_object(v) ? json_deep_copy(v) :
			    json_object());
	} else if (strcmp(type, "tool_result") == 0) {
		if (!json_is_string(v = json_object_get(b, "tool_use_id")))
			goto done;
		out = json_pack("{s:s, s:O}", "type", "tool_result",
		    "tool_use_id", v);
		c = json_object_get(b, "content");
		if (json_is_string(c) && json_string_length(c) > 0)
			json_object_set(out, "content", c);
		else if (json_is_array(c)) {
			json_t	*arr = json_array();

			json_array_foreach(c, i, v) {
				if ((blk = brain_anthropic_block(v, 0)) != NULL)
					json_array_append_new(arr, blk);
			}
			if (json_array_size(arr) > 0)
				json_object_set_new(out, "content", arr);
			else
				json_decref(arr);
		}
		if (json_is_true(json_object_get(b, "is_error")))
			json_object_set_new(out, "is_error", json_true());
	} else if (strcmp(type, "image") == 0)
		keep = keep_image;
	else if (strcmp(type, "document") == 0)
		keep = keep_document;
	else if (strcmp(type, "search_result") == 0)
		keep = keep_search;
	if (keep != NULL) {
		out = json_pack("{s:s}", "type", type);
		for (i = 0; keep[i] != NULL; i++) {
			v = json_object_get(b, keep[i]);
			if (v != NULL && !json_is_null(v))
				json_object_set_new(out, keep[i],
				    json_deep_copy(v));
		}
	}
done:
	json_decref(b);
	return out;
}

/*
 * The conversation as the Messages API takes it.  Blocks that cannot be
 * sent are dropped, messages left empty go, and neighbours with the same
 * role are joined, so the roles still alternate.  Returns a new
 * reference.
 */
static json_t *
brain_anthropic_messages(json_t *canonical, int thinking)
{
	json_t		*out, *m, *content, *blocks, *b, *last;
	const char	*role, *lastrole;
	size_t		 i, j;

	out = json_array();
	json_array_foreach(canonical, i, m) {
		role = json_string_value(json_object_get(m, "role"));
		if (role == NULL || (strcmp(role, "user") != 0 &&
		    strcmp(role, "assistant") != 0))
			continue;
		content = json_object_get(m, "content");
		blocks = json_array();
		if (json_is_string(content)) {
			if ((b = brain_anthropic_block(content, thinking)) !=
			    NULL)
				json_array_append_new(blocks, b);
		} else {
			json_array_foreach(content, j, b) {
				json_t	*nb;

				if ((nb = brain_anthropic_block(b, thinking)) !=
				    NULL)
					json_array_append_new(blocks, nb);
			}
		}
		if (json_array_size(blocks) == 0) {
			json_decref(blocks);
			continue;
		}
		last = json_array_get(out, json_array_size(out) - 1);
		lastrole = json_string_value(json_object_get(last, "role"));
		if (lastrole != NULL && strcmp(lastrole, role) == 0) {
			json_array_extend(json_object_get(last, "content"),
			    blocks);
			json_decref(blocks);
			continue;
		}
		json_array_append_new(out, json_pack("{s:s, s:o}", "role",
		    role, "content", blocks));
	}
	return out;
}

/* Put a cache breakpoint on the last block that may carry one. */
static void
brain_anthropic_cache_last(json_t *messages)
{
	json_t		*content, *b;
	const char	*type;
	size_t		 i;

	if (json_array_size(messages) == 0)
		return;
	content = json_object_get(json_array_get(messages,
	    json_array_size(messages) - 1), "content");
	for (i = json_array_size(content); i > 0; i--) {
		b = json_array_get(content, i - 1);
		type = json_string_value(json_object_get(b, "type"));
		if (type == NULL || strcmp(type, "thinking") == 0 ||
		    strcmp(type, "redacted_thinking") == 0)
			continue;
		json_object_set_new(b, "cache_control",
		    json_pack("{s:s}", "type", "ephemeral"));
		return;
	}
}

/* The brain's stop for a Messages API stop_reason. */
static enum brain_stop
brain_anthropic_stop(const char *reason)
{
	if (strcmp(reason, "tool_use") == 0)
		return BRAIN_STOP_TOOL_USE;
	if (strcmp(reason, "max_tokens") == 0)
		return BRAIN_STOP_MAX_TOKENS;
	if (strcmp(reason, "refusal") == 0)
		return BRAIN_STOP_REFUSAL;
	if (strcmp(reason, "pause_turn") == 0)
		return BRAIN_STOP_PAUSE;
	if (strcmp(reason, "model_context_window_exceeded") == 0)
		return BRAIN_STOP_CONTEXT;
	return BRAIN_STOP_END_TURN; /* end_turn, stop_sequence, new ones */
}
