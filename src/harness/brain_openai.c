/* ISC licence: see COPYING.  The OpenAI-compatible (local model) brain. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/rand.h"
#include "base/xmalloc.h"
#include "harness/brain.h"
#include "harness/brain_config.h"
#include "harness/brain_http.h"
#include "harness/brain_key.h"
#include "harness/brain_openai.h"
#include "harness/brain_stream.h"
#include "wire/json_scan.h"
#include "wire/sse_parser.h"

#define BRAIN_OPENAI_MAX_ARGS		(16 * 1024 * 1024)
#define BRAIN_OPENAI_MAX_CALLS		256
#define BRAIN_OPENAI_TEMPERATURE	0.2

/* One brain: the [brain.ALIAS] settings read when it was made. */
struct brain_openai {
	char	*who;		/* "local:ALIAS", for messages */
	char	*url;		/* .../chat/completions */
	char	*model;		/* the server's model name */
	char	*key_file;	/* NULL: no Authorization header */
	int	 stream_tools;
	int	 max_tokens;
	long	 idle_timeout;
};

/* A tool call being assembled from its fragments. */
struct brain_openai_call {
	long		 index;	/* the server's index, or -1 */
	char		*id;		/* NULL until given */
	char		*name;		/* NULL until given */
	struct buf	 args;		/* arguments JSON text so far */
};

/* Where a leading <think>...</think> in the content stands. */
enum brain_openai_think {
	BRAIN_OPENAI_THINK_UNDECIDED,	/* content so far may open a tag */
	BRAIN_OPENAI_THINK_INSIDE,	/* inside the tag: it is reasoning */
	BRAIN_OPENAI_THINK_NONE		/* plain content from here on */
};

/*
 * The parser of one response.  Text and reasoning go to the sink as
 * they arrive (each a block of its own, closed when the other kind or a
 * tool call starts); tool calls are kept until the model finishes and
 * then handed on in the order they appeared, each one whole.
 */
struct brain_openai_stream {
	struct brain_stream		 base; /* first (brain_stream.c) */
	size_t				 in_bytes;	/* request */
	size_t				 out_bytes;	/* answer */
	int				 started;	/* START sent */
	int				 finishing;	/* finish seen */
	int				 done;		/* STOP sent */
	int				 open;	/* in a block */
	enum brain_block		 block;		/* its kind */
	int				 next;		/* its index */
	int				 reasoned; /* reasoning came */
	enum brain_openai_think		 think;
	int				 trim;	/* drop blanks */
	struct buf			 pending;	/* held back */
	struct brain_openai_call	*calls;
	size_t				 ncalls;
	enum brain_stop			 stop;
	int				 usage_known;
	struct brain_usage		 usage;
};

static void	brain_openai_next_turn(void *, const struct brain_request *,
		    brain_sink, void *, struct cancel *, struct brain_result *);
static void	brain_openai_free(void *);
static json_t	*brain_openai_messages(const struct brain_request *);
static char	*brain_openai_text_of(json_t *, int);
static int	brain_openai_frame(const struct sse_frame *, void *);
static int	brain_openai_fast_chunk(struct brain_openai_stream *,
		    const char *, size_t);
static const char *brain_openai_ws(const char *, const char *);
static int	brain_openai_fast_text(struct brain_openai_stream *,
		    const struct json_span *, int);
static int	brain_openai_start(struct brain_openai_stream *);
static int	brain_openai_chunk(struct brain_openai_stream *, json_t *,
		    const char *);
static int	brain_openai_choice(struct brain_openai_stream *, json_t *,
		    json_t *, int);
static int	brain_openai_put(struct brain_openai_stream *,
		    enum brain_block, const char *, size_t);
static int	brain_openai_close(struct brain_openai_stream *);
static int	brain_openai_content(struct brain_openai_stream *,
		    const char *, size_t);
static int	brain_openai_tool_delta(struct brain_openai_stream *,
		    json_t *, long);
static int	brain_openai_finish(struct brain_openai_stream *,
		    const char *);
static int	brain_openai_stop(struct brain_openai_stream *);
static void	brain_openai_settle(struct brain_openai_stream *);
static void	brain_openai_usage(struct brain_openai_stream *, json_t *);
static int	brain_openai_on_body(const char *, size_t, void *);
static int	brain_openai_on_whole(const char *, size_t, void *);

const struct brain_ops brain_openai_ops = {
	"openai",
	brain_openai_next_turn,
	brain_openai_free
};

/* Read [brain.ALIAS]; a missing or wrong section is reported now. */
void *
brain_openai_create(const char *alias, const struct brain_env *env,
    char **cause)
{
	struct brain_alias	 ba;
	struct brain_openai	*bo;

	if (brain_config_alias(env->config_path, alias, &ba, cause) != 0)
		return NULL;
	bo = xcalloc(1, sizeof *bo);
	xasprintf(&bo->who, "local:%s", alias);
	bo->url = brain_http_url(ba.base_url, "chat/completions");
	bo->model = xstrdup(ba.model);
	bo->key_file = ba.key_file != NULL ? xstrdup(ba.key_file) : NULL;
	bo->stream_tools = ba.stream_tools;
	bo->max_tokens = (int)ba.max_tokens;
	bo->idle_timeout = ba.idle_timeout;
	brain_alias_clear(&ba);
	return bo;
}

/* Free a brain. */
static void
brain_openai_free(void *impl)
{
	struct brain_openai	*bo = impl;

	if (bo == NULL)
		return;
	free(bo->who);
	free(bo->url);
	free(bo->model);
	free(bo->key_file);
	free(bo);
}

/*
 * The text of a content value (a string or an array of blocks) for a
 * server that only takes strings: text blocks joined by newlines, a
 * placeholder for what it cannot see.  Caller frees.
 */
static char *
brain_openai_text_of(json_t *content, int results)
{
	struct buf	 b;
	json_t		*blk, *src;
	const char	*type, *s;
	size_t		 i;

	if (json_is_string(content))
		return xstrdup(json_string_value(content));
	buf_init(&b, BUF_UNBOUNDED);
	json_array_foreach(content, i, blk) {
		type = json_string_value(json_object_get(blk, "type"));
		s = NULL;
		if (type == NULL || (!results &&
		    strcmp(type, "tool_result") == 0))
			continue;
		if (strcmp(type, "text") == 0)
			s = json_string_value(json_object_get(blk, "text"));
		else if (strcmp(type, "image") == 0)
			s = "[image omitted: this model is sent text only]";
		else if (strcmp(type, "document") == 0) {
			src = json_object_get(blk, "source");
			s = json_string_value(json_object_get(src, "type"));
			if (s != NULL && strcmp(s, "text") == 0)
				s = json_string_value(json_object_get(src,
				    "data"));
			else
				s = "[document omitted: this model is sent "
				    "text only]";
		} else if (strcmp(type, "search_result") == 0)
			s = json_string_value(json_object_get(blk, "title"));
		if (s == NULL || *s == '\0')
			continue;
		if ((b.len > 0 && buf_putc(&b, '\n') != 0) ||
		    buf_puts(&b, s) != 0)
			fatalx("buffer");
	}
	return buf_steal(&b, NULL);
}

/*
 * The conversation as chat messages (harness.md 5.5): the system prompt
 * first; a user turn's tool results as "tool" messages in order, then
 * its text; an assistant turn's text and tool calls, without thinking.
 * Turns left empty are dropped and neighbouring user messages joined.
 */
static json_t *
brain_openai_messages(const struct brain_request *req)
{
	json_t		*out, *m, *content, *blk, *calls, *msg, *last, *v;
	const char	*role, *type;
	char		*text, *args, *joined;
	size_t		 i, j;

	out = json_array();
	if (req->system != NULL && *req->system != '\0')
		json_array_append_new(out, json_pack("{s:s, s:s}", "role",
		    "system", "content", req->system));
	json_array_foreach(req->messages, i, m) {
		role = json_string_value(json_object_get(m, "role"));
		content = json_object_get(m, "content");
		if (role == NULL)
			continue;
		if (strcmp(role, "assistant") == 0) {
			calls = json_array();
			json_array_foreach(content, j, blk) {
				type = json_string_value(json_object_get(blk,
				    "type"));
				if (type == NULL ||
				    strcmp(type, "tool_use") != 0)
					continue;
				v = json_object_get(blk, "input");
				args = json_is_object(v) ? json_dumps(v,
				    JSON_COMPACT) : xstrdup("{}");
				json_array_append_new(calls, json_pack(
				    "{s:O, s:s, s:{s:O, s:s}}", "id",
				    json_object_get(blk, "id"), "type",
				    "function", "function", "name",
				    json_object_get(blk, "name"), "arguments",
				    args));
				free(args);
			}
			text = brain_openai_text_of(content, 0);
			if (*text == '\0' && json_array_size(calls) == 0) {
				free(text);
				json_decref(calls);
				continue;
			}
			msg = json_pack("{s:s}", "role", "assistant");
			json_object_set_new(msg, "content", *text != '\0' ?
			    json_string(text) : json_null());
			if (json_array_size(calls) > 0)
				json_object_set_new(msg, "tool_calls", calls);
			else
				json_decref(calls);
			free(text);
			json_array_append_new(out, msg);
			continue;
		}
		if (strcmp(role, "user") != 0)
			continue;
		json_array_foreach(content, j, blk) {
			type = json_string_value(json_object_get(blk, "type"));
			if (type == NULL || strcmp(type, "tool_result") != 0)
				continue;
			text = brain_openai_text_of(json_object_get(blk,
			    "content"), 1);
			if (json_is_true(json_object_get(blk, "is_error")))
				xasprintf(&joined, "Error: %s", text);
			else
				joined = xstrdup(*text != '\0' ? text :
				    "(no output)");
			json_array_append_new(out, json_pack("{s:s, s:O, s:s}",
			    "role", "tool", "tool_call_id",
			    json_object_get(blk, "tool_use_id"), "content",
			    joined));
			free(joined);
			free(text);
		}
		text = brain_openai_text_of(content, 0);
		if (*text == '\0') {
			free(text);
			continue;
		}
		last = json_array_get(out, json_array_size(out) - 1);
		if (last != NULL && strcmp(json_string_value(json_object_get(
		    last, "role")), "user") == 0) {
			xasprintf(&joined, "%s\n\n%s", json_string_value(
			    json_object_get(last, "content")), text);
			json_object_set_new(last, "content",
			    json_string(joined));
			free(joined);
		} else
			json_array_append_new(out, json_pack("{s:s, s:s}",
			    "role", "user", "content", text));
		free(text);
	}
	return out;
}

/* Build the request body. */
json_t *
brain_openai_body(const struct brain_request *req, const char *model,
    int max_tokens, int stream)
{
	json_t	*body, *tools, *t;
	size_t	 i;
	int	 max;

	max = max_tokens > 0 ? max_tokens : req->max_tokens > 0 ?
	    AD_MIN(req->max_tokens, BRAIN_OPENAI_MAX_TOKENS) :
	    BRAIN_OPENAI_MAX_TOKENS;
	body = json_object();
	json_object_set_new(body, "model", json_string(model));
	json_object_set_new(body, "messages", brain_openai_messages(req));
	json_object_set_new(body, "stream", json_boolean(stream));
	if (stream)
		json_object_set_new(body, "stream_options",
		    json_pack("{s:b}", "include_usage", 1));
	json_object_set_new(body, "max_tokens", json_integer(max));
	json_object_set_new(body, "temperature",
	    json_real(BRAIN_OPENAI_TEMPERATURE));
	tools = json_array();
	json_array_foreach(req->tools, i, t) {
		json_t	*fn, *v;

		if (!json_is_string(v = json_object_get(t, "name")))
			continue;
		fn = json_pack("{s:O}", "name", v);
		if (json_is_string(v = json_object_get(t, "description")))
			json_object_set(fn, "description", v);
		v = json_object_get(t, "input_schema");
		json_object_set_new(fn, "parameters", json_is_object(v) ?
		    json_deep_copy(v) : json_pack("{s:s}", "type", "object"));
		json_array_append_new(tools, json_pack("{s:s, s:o}", "type",
		    "function", "function", fn));
	}
	if (json_array_size(tools) > 0) {
		json_object_set_new(body, "tools", tools);
		json_object_set_new(body, "tool_choice", json_string("auto"));
	} else
		json_decref(tools);
	return body;
}

/* Create a parser. */
struct brain_openai_stream *
brain_openai_stream_create(brain_sink sink, void *arg, size_t in_bytes)
{
	struct brain_openai_stream	*st;

	st = xcalloc(1, sizeof *st);
	brain_stream_init(&st->base, sink, arg, brain_openai_frame, st);
	st->in_bytes = in_bytes;
	st->stop = BRAIN_STOP_END_TURN;
	buf_init(&st->pending, BRAIN_OPENAI_MAX_ARGS);
	return st;
}

/* Free a parser and the calls it was assembling. */
void
brain_openai_stream_free(struct brain_openai_stream *st)
{
	if (st == NULL)
		return;
	for (size_t i = 0; i < st->ncalls; i++) {
		free(st->calls[i].id);
		free(st->calls[i].name);
		buf_clear(&st->calls[i].args);
	}
	free(st->calls);
	buf_clear(&st->pending);
	brain_stream_clear(&st->base);
	free(st);
}

/* Send START once, before anything else. */
static int
brain_openai_start(struct brain_openai_stream *st)
{
	struct brain_ev	ev;

	if (st->started)
		return 0;
	st->started = 1;
	memset(&ev, 0, sizeof ev);
	ev.kind = BRAIN_EV_START;
	return brain_stream_emit(&st->base, &ev);
}

/* Close the open text or reasoning block. */
static int
brain_openai_close(struct brain_openai_stream *st)
{
	struct brain_ev	ev;

	if (!st->open)
		return 0;
	st->open = 0;
	memset(&ev, 0, sizeof ev);
	ev.kind = BRAIN_EV_BLOCK_STOP;
	ev.index = st->next++;
	ev.block = st->block;
	return brain_stream_emit(&st->base, &ev);
}

/* Send text or reasoning, opening (and switching) blocks as needed. */
static int
brain_openai_put(struct brain_openai_stream *st, enum brain_block block,
    const char *p, size_t len)
{
	struct brain_ev	ev;

	if (len == 0)
		return 0;
	if (st->open && st->block != block && brain_openai_close(st) != 0)
		return -1;
	memset(&ev, 0, sizeof ev);
	ev.index = st->next;
	ev.block = block;
	if (!st->open) {
		st->open = 1;
		st->block = block;
		ev.kind = BRAIN_EV_BLOCK_START;
		if (brain_stream_emit(&st->base, &ev) != 0)
			return -1;
	}
	ev.kind = block == BRAIN_BLOCK_TEXT ? BRAIN_EV_TEXT :
	    BRAIN_EV_THINKING;
	ev.data = p;
	ev.len = len;
	st->out_bytes += len;
	return brain_stream_emit(&st->base, &ev);
}

/*
 * Content text.  Servers without a reasoning parser (llama-server with
 * --reasoning-format none, older Ollama) send a reasoning model's
 * thoughts as a leading "<think>...</think>": that part becomes a
 * thinking block.  Tags split across chunks are held back until they
 * can be told apart from text.
 */
static int
brain_openai_content(struct brain_openai_stream *st, const char *p,
    size_t len)
{
	static const char	 open_tag[] = "<think>";
	static const char	 close_tag[] = "</think>";
	const char		*s, *e, *hit;
	char			*rest;
	size_t			 n, keep;
	int			 rc;

	if (st->reasoned && st->think != BRAIN_OPENAI_THINK_NONE) {
		/* The server parses reasoning itself: no tags to look for. */
		st->think = BRAIN_OPENAI_THINK_NONE;
		if (st->pending.len > 0) {
			rest = buf_steal(&st->pending, &n);
			rc = brain_openai_put(st, BRAIN_BLOCK_TEXT, rest, n);
			free(rest);
			if (rc != 0)
				return -1;
		}
	}
	switch (st->think) {
	case BRAIN_OPENAI_THINK_UNDECIDED:
		if (buf_append(&st->pending, p, len) != 0)
			return brain_stream_fail(&st->base, BRAIN_E_PROTOCOL, 1,
			    "content too large");
		s = st->pending.data;
		e = s + st->pending.len;
		while (s < e && (*s == ' ' || *s == '\n' || *s == '\r' ||
		    *s == '\t'))
			s++;
		n = (size_t)(e - s);
		if (n < sizeof open_tag - 1 && memcmp(s, open_tag, n) == 0 &&
		    st->pending.len < 256)
			return 0;	/* may still become "<think>" */
		if (n >= sizeof open_tag - 1 &&
		    memcmp(s, open_tag, sizeof open_tag - 1) == 0) {
			st->think = BRAIN_OPENAI_THINK_INSIDE;
			s += sizeof open_tag - 1;
			n = (size_t)(e - s);
			memmove(st->pending.data, s, n);
			buf_truncate(&st->pending, n);
			return brain_openai_content(st, "", 0);
		}
		st->think = BRAIN_OPENAI_THINK_NONE;
		if (brain_openai_put(st, BRAIN_BLOCK_TEXT, st->pending.data,
		    st->pending.len) != 0)
			return -1;
		buf_reset(&st->pending);
		return 0;
	case BRAIN_OPENAI_THINK_INSIDE:
		if (buf_append(&st->pending, p, len) != 0)
			return brain_stream_fail(&st->base, BRAIN_E_PROTOCOL, 1,
			    "reasoning too large");
		s = st->pending.data;
		n = st->pending.len;
		hit = memmem(s, n, close_tag, sizeof close_tag - 1);
		if (hit == NULL) {
			/* Keep a tail that may be the start of the tag. */
			keep = AD_MIN(n, sizeof close_tag - 2);
			while (keep > 0 && memcmp(s + n - keep, close_tag,
			    keep) != 0)
				keep--;
			if (brain_openai_put(st, BRAIN_BLOCK_THINKING, s,
			    n - keep) != 0)
				return -1;
			buf_consume(&st->pending, n - keep);
			return 0;
		}
		if (brain_openai_put(st, BRAIN_BLOCK_THINKING, s,
		    (size_t)(hit - s)) != 0)
			return -1;
		buf_consume(&st->pending, (size_t)(hit - s) +
		    sizeof close_tag - 1);
		st->think = BRAIN_OPENAI_THINK_NONE;
		st->trim = 1;
		if (st->pending.len == 0)
			return 0;
		rest = buf_steal(&st->pending, &n);
		rc = brain_openai_content(st, rest, n);
		free(rest);
		return rc;
	case BRAIN_OPENAI_THINK_NONE:
		break;
	}
	if (st->trim) {
		while (len > 0 && (*p == ' ' || *p == '\n' || *p == '\r' ||
		    *p == '\t')) {
			p++;
			len--;
		}
		if (len == 0)
			return 0;
		st->trim = 0;
	}
	return brain_openai_put(st, BRAIN_BLOCK_TEXT, p, len);
}

/* One tool_calls[] item: find or make its call and add what it carries. */
static int
brain_openai_tool_delta(struct brain_openai_stream *st, json_t *tc,
    long position)
{
	struct brain_openai_call	*c = NULL;
	json_t				*fn, *v;
	const char			*id, *s;
	char				*dump;
	long				 index = -1;

	if (json_is_integer(v = json_object_get(tc, "index")))
		index = (long)json_integer_value(v);
	else if (position >= 0)
		index = position;	/* a whole message: array order */
	id = json_string_value(json_object_get(tc, "id"));
	if (id != NULL && *id == '\0')
		id = NULL;
	if (index >= 0) {
		for (size_t i = 0; i < st->ncalls; i++)
			if (st->calls[i].index == index)
				c = &st->calls[i];
	} else if (st->ncalls > 0) {
		/*
		 * No index (older Ollama): a new id, or a name when the last
		 * call has one and neither has an id, starts a new call.
		 */
		c = &st->calls[st->ncalls - 1];
		s = json_string_value(json_object_get(json_object_get(tc,
		    "function"), "name"));
		if ((id != NULL && (c->id == NULL || strcmp(id, c->id) != 0)) ||
		    (id == NULL && c->id == NULL && c->name != NULL &&
		    s != NULL && *s != '\0'))
			c = NULL;
	}
	if (c == NULL) {
		if (st->ncalls == BRAIN_OPENAI_MAX_CALLS)
			return brain_stream_fail(&st->base, BRAIN_E_PROTOCOL, 1,
			    "more than %d tool calls in one answer",
			    BRAIN_OPENAI_MAX_CALLS);
		st->calls = xreallocarray(st->calls, st->ncalls + 1,
		    sizeof *st->calls);
		c = &st->calls[st->ncalls++];
		memset(c, 0, sizeof *c);
		c->index = index;
		buf_init(&c->args, BRAIN_OPENAI_MAX_ARGS);
	}
	if (id != NULL && c->id == NULL)
		c->id = xstrdup(id);
	fn = json_object_get(tc, "function");
	s = json_string_value(json_object_get(fn, "name"));
	if (s != NULL && *s != '\0' && c->name == NULL)
		c->name = xstrdup(s);
	v = json_object_get(fn, "arguments");
	if (json_is_string(v)) {
		if (buf_append(&c->args, json_string_value(v),
		    json_string_length(v)) != 0)
			return brain_stream_fail(&st->base, BRAIN_E_PROTOCOL, 1,
			    "tool call arguments over %d bytes",
			    BRAIN_OPENAI_MAX_ARGS);
	} else if (json_is_object(v)) {
		dump = json_dumps(v, JSON_COMPACT);
		buf_reset(&c->args);
		if (buf_puts(&c->args, dump) != 0) {
			free(dump);
			return brain_stream_fail(&st->base, BRAIN_E_PROTOCOL, 1,
			    "tool call arguments over %d bytes",
			    BRAIN_OPENAI_MAX_ARGS);
		}
		free(dump);
	}
	return 0;
}

/*
 * The model finished: let held-back content out, close the open block,
 * hand on the tool calls (an id made up where the server gave none) and
 * decide the stop reason.
 */
static int
brain_openai_finish(struct brain_openai_stream *st, const char *reason)
{
	struct brain_ev	 ev;
	char		 id[5 + 24 + 1];
	size_t		 n;

	if (st->finishing)
		return 0;
	st->finishing = 1;
	if (brain_openai_start(st) != 0)
		return -1;
	if (st->pending.len > 0) {
		n = st->pending.len;
		if (brain_openai_put(st, st->think ==
		    BRAIN_OPENAI_THINK_INSIDE ? BRAIN_BLOCK_THINKING :
		    BRAIN_BLOCK_TEXT, st->pending.data, n) != 0)
			return -1;
		buf_reset(&st->pending);
	}
	if (brain_openai_close(st) != 0)
		return -1;
	for (size_t i = 0; i < st->ncalls; i++) {
		struct brain_openai_call	*c = &st->calls[i];

		if (c->id == NULL) {
			memcpy(id, "call_", 5);
			rand_base62(id + 5, 24);
			c->id = xstrdup(id);
		}
		memset(&ev, 0, sizeof ev);
		ev.kind = BRAIN_EV_BLOCK_START;
		ev.index = st->next;
		ev.block = BRAIN_BLOCK_TOOL_USE;
		ev.tool_id = c->id;
		ev.tool_name = c->name != NULL ? c->name : "";
		if (brain_stream_emit(&st->base, &ev) != 0)
			return -1;
		if (c->args.len > 0) {
			ev.kind = BRAIN_EV_TOOL_JSON;
			ev.data = c->args.data;
			ev.len = c->args.len;
			st->out_bytes += c->args.len;
			if (brain_stream_emit(&st->base, &ev) != 0)
				return -1;
		}
		ev.kind = BRAIN_EV_BLOCK_STOP;
		ev.data = NULL;
		ev.len = 0;
		ev.index = st->next++;
		if (brain_stream_emit(&st->base, &ev) != 0)
			return -1;
	}
	if (reason == NULL || strcmp(reason, "stop") == 0)
		st->stop = BRAIN_STOP_END_TURN;
	else if (strcmp(reason, "tool_calls") == 0 ||
	    strcmp(reason, "tool") == 0 || strcmp(reason, "function_call") == 0)
		st->stop = BRAIN_STOP_TOOL_USE;
	else if (strcmp(reason, "length") == 0)
		st->stop = BRAIN_STOP_MAX_TOKENS;
	else if (strcmp(reason, "content_filter") == 0)
		st->stop = BRAIN_STOP_REFUSAL;
	else
		st->stop = BRAIN_STOP_END_TURN;
	if (st->ncalls > 0 && st->stop == BRAIN_STOP_END_TURN)
		st->stop = BRAIN_STOP_TOOL_USE;
	return 0;
}

/* The end: STOP with the usage, estimated if the server gave none. */
static int
brain_openai_stop(struct brain_openai_stream *st)
{
	struct brain_ev	ev;

	if (st->done)
		return 0;
	if (brain_openai_finish(st, NULL) != 0)
		return -1;
	st->done = 1;
	if (!st->usage_known) {
		st->usage.input = (int64_t)(st->in_bytes / 4);
		st->usage.output = (int64_t)(st->out_bytes / 4) + 1;
	}
	memset(&ev, 0, sizeof ev);
	ev.kind = BRAIN_EV_STOP;
	ev.stop = st->stop;
	ev.usage = st->usage;
	return brain_stream_emit(&st->base, &ev);
}

/* Usage: prompt tokens include the cached ones, the brain's do not. */
static void
brain_openai_usage(struct brain_openai_stream *st, json_t *u)
{
	json_t	*v;
	int64_t	 prompt = 0, cached = 0;

	if (!json_is_object(u))
		return;
	if (json_is_integer(v = json_object_get(u, "prompt_tokens")))
		prompt = json_integer_value(v);
	if (json_is_integer(v = json_object_get(json_object_get(u,
	    "prompt_tokens_details"), "cached_tokens")))
		cached = json_integer_value(v);
	st->usage.input = prompt > cached ? prompt - cached : 0;
	st->usage.cache_read = cached;
	if (json_is_integer(v = json_object_get(u, "completion_tokens")))
		st->usage.output = json_integer_value(v);
	st->usage_known = 1;
}

/* One choice's delta, or with whole set a whole message. */
static int
brain_openai_choice(struct brain_openai_stream *st, json_t *delta,
    json_t *finish, int whole)
{
	json_t		*v, *tc;
	size_t		 i;

	if (st->finishing)
		return 0;	/* the model finished: nothing more counts */
	if (json_is_object(delta)) {
		v = json_object_get(delta, "reasoning_content");
		if (!json_is_string(v))
			v = json_object_get(delta, "reasoning");
		if (json_is_string(v) && json_string_length(v) > 0) {
			st->reasoned = 1;
			if (brain_openai_put(st, BRAIN_BLOCK_THINKING,
			    json_string_value(v), json_string_length(v)) != 0)
				return -1;
		}
		v = json_object_get(delta, "content");
		if (json_is_string(v) && json_string_length(v) > 0 &&
		    brain_openai_content(st, json_string_value(v),
		    json_string_length(v)) != 0)
			return -1;
		v = json_object_get(delta, "tool_calls");
		if (json_is_array(v) && json_array_size(v) > 0) {
			if (st->pending.len > 0 &&
			    brain_openai_content(st, "", 0) != 0)
				return -1;
			if (brain_openai_close(st) != 0)
				return -1;
			json_array_foreach(v, i, tc) {
				if (brain_openai_tool_delta(st, tc,
				    whole ? (long)i : -1) != 0)
					return -1;
			}
		}
	}
	if (json_is_string(finish))
		return brain_openai_finish(st, json_string_value(finish));
	return 0;
}

/* One decoded chunk; field is "delta", or "message" for a whole answer. */
static int
brain_openai_chunk(struct brain_openai_stream *st, json_t *root,
    const char *field)
{
	json_t		*err, *choices, *c;
	const char	*type, *msg;
	enum brain_status s;
	int		 retry;
	size_t		 i;

	if ((err = json_object_get(root, "error")) != NULL &&
	    !json_is_null(err)) {
		type = json_string_value(json_object_get(err, "type"));
		msg = json_is_string(err) ? json_string_value(err) :
		    json_string_value(json_object_get(err, "message"));
		s = brain_http_error_status(type, msg, &retry);
		return brain_stream_fail(&st->base, s,
		    s == BRAIN_E_REQUEST ? 1 : retry,
		    "%s%s%s (in the stream)", type != NULL ? type : "",
		    type != NULL ? ": " : "", msg != NULL ? msg : "error");
	}
	if (brain_openai_start(st) != 0)
		return -1;
	choices = json_object_get(root, "choices");
	json_array_foreach(choices, i, c) {
		json_t	*idx = json_object_get(c, "index");

		if (json_is_integer(idx) && json_integer_value(idx) != 0)
			continue;	/* we ask for one choice */
		if (brain_openai_choice(st, json_object_get(c, field),
		    json_object_get(c, "finish_reason"),
		    strcmp(field, "message") == 0) != 0)
			return -1;
		break;
	}
	if (json_is_object(json_object_get(root, "usage")))
		brain_openai_usage(st, json_object_get(root, "usage"));
	return 0;
}

/* Skip JSON whitespace. */
static const char *
brain_openai_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
	    *p == '\n'))
		p++;
	return p;
}

/* Decode a string span and hand it on as reasoning or content. */
static int
brain_openai_fast_text(struct brain_openai_stream *st,
    const struct json_span *v, int reasoning)
{
	long	n;

	if ((n = brain_stream_decode(&st->base, v)) <= 0)
		return n == 0 ? 0 : -1;
	if (reasoning) {
		st->reasoned = 1;
		return brain_openai_put(st, BRAIN_BLOCK_THINKING,
		    st->base.scratch, (size_t)n);
	}
	return brain_openai_content(st, st->base.scratch, (size_t)n);
}

/*
 * The chunk nearly every token comes in, without building a tree: one
 * choice whose delta holds only text or reasoning, no finish reason, no
 * usage, no error.  The text is checked to be valid JSON in the same
 * pass (wire/json_scan.h).  Returns 1 when handled, -1 to stop, and 0
 * for any other chunk (tool calls, the finish, usage, errors, escaped
 * names, bad JSON), which the full parse handles.
 */
static int
brain_openai_fast_chunk(struct brain_openai_stream *st, const char *text,
    size_t len)
{
	struct json_scan_iter	 it;
	struct json_span	 k, v, choices = { NULL, 0 }, choice;
	struct json_span	 delta = { NULL, 0 }, content = { NULL, 0 };
	struct json_span	 reasoning = { NULL, 0 };
	const char		*p, *end;
	int			 esc, r;

	if (st->finishing || json_scan_object_init(&it, text, len) != 0)
		return 0;
	while ((r = json_scan_object_next(&it, &k, &v, &esc)) == 1) {
		if (esc)
			return 0;
		if (json_scan_key_is(&k, 0, "choices"))
			choices = v;
		else if ((json_scan_key_is(&k, 0, "error") ||
		    json_scan_key_is(&k, 0, "usage")) &&
		    json_scan_kind(&v) != JSON_SCAN_NULL)
			return 0;
	}
	if (r != 0 || brain_openai_ws(it.p, it.end) != it.end ||
	    json_scan_kind(&choices) != JSON_SCAN_ARRAY)
		return 0;

	/* Exactly one choice. */
	end = choices.p + choices.len;
	p = brain_openai_ws(choices.p + 1, end);
	choice.p = p;
	if ((p = json_scan_skip(p, end, NULL)) == NULL)
		return 0;
	choice.len = (size_t)(p - choice.p);
	if (*brain_openai_ws(p, end) != ']' ||
	    json_scan_object_init(&it, choice.p, choice.len) != 0)
		return 0;
	while ((r = json_scan_object_next(&it, &k, &v, &esc)) == 1) {
		if (esc)
			return 0;
		if (json_scan_key_is(&k, 0, "delta"))
			delta = v;
		else if (json_scan_key_is(&k, 0, "finish_reason") &&
		    json_scan_kind(&v) != JSON_SCAN_NULL)
			return 0;
		else if (json_scan_key_is(&k, 0, "index") &&
		    (v.len != 1 || *v.p != '0'))
			return 0;
	}
	if (r != 0 || delta.p == NULL ||
	    json_scan_object_init(&it, delta.p, delta.len) != 0)
		return 0;
	while ((r = json_scan_object_next(&it, &k, &v, &esc)) == 1) {
		if (esc)
			return 0;
		if (json_scan_key_is(&k, 0, "content"))
			content = v;
		else if (json_scan_key_is(&k, 0, "reasoning_content") ||
		    json_scan_key_is(&k, 0, "reasoning"))
			reasoning = v;
		else if (!json_scan_key_is(&k, 0, "role") &&
		    json_scan_kind(&v) != JSON_SCAN_NULL)
			return 0;	/* tool_calls and the unknown */
	}
	if (r != 0 || (content.p != NULL && json_scan_kind(&content) !=
	    JSON_SCAN_STRING && json_scan_kind(&content) != JSON_SCAN_NULL) ||
	    (reasoning.p != NULL && json_scan_kind(&reasoning) !=
	    JSON_SCAN_STRING && json_scan_kind(&reasoning) != JSON_SCAN_NULL))
		return 0;
	if (brain_openai_start(st) != 0)
		return -1;
	if (json_scan_kind(&reasoning) == JSON_SCAN_STRING &&
	    brain_openai_fast_text(st, &reasoning, 1) != 0)
		return -1;
	if (json_scan_kind(&content) == JSON_SCAN_STRING &&
	    brain_openai_fast_text(st, &content, 0) != 0)
		return -1;
	return 1;
}

/* One SSE frame: "data: {json}" or "data: [DONE]", no event names. */
static int
brain_openai_frame(const struct sse_frame *f, void *arg)
{
	struct brain_openai_stream	*st = arg;
	json_error_t			 jerr;
	json_t				*root;
	int				 rc;

	if (st->base.failed || st->base.aborted)
		return -1;
	if (f->datalen == 0)
		return 0;
	if (f->datalen == 6 && memcmp(f->data, "[DONE]", 6) == 0)
		return brain_openai_stop(st);
	if (st->done)
		return 0;	/* chunks after the end carry nothing */
	if ((rc = brain_openai_fast_chunk(st, f->data, f->datalen)) != 0)
		return rc < 0 ? -1 : 0;
	root = json_loadb(f->data, f->datalen, 0, &jerr);
	if (!json_is_object(root)) {
		json_decref(root);
		return brain_stream_fail(&st->base, BRAIN_E_PROTOCOL, 1,
		    "malformed chunk from the model server (%s): %.60s",
		    jerr.text, f->data);
	}
	rc = brain_openai_chunk(st, root, "delta");
	json_decref(root);
	return rc;
}

/* Feed streamed bytes. */
int
brain_openai_stream_feed(struct brain_openai_stream *st, const char *p,
    size_t len)
{
	return brain_stream_feed(&st->base, p, len);
}

/* Replay a whole chat.completion answer. */
int
brain_openai_stream_message(struct brain_openai_stream *st, const char *p,
    size_t len)
{
	json_error_t	 jerr;
	json_t		*root;
	int		 rc;

	root = json_loadb(p, len, 0, &jerr);
	if (!json_is_object(root)) {
		json_decref(root);
		return brain_stream_fail(&st->base, BRAIN_E_PROTOCOL, 1,
		    "malformed answer from the model server (%s)", jerr.text);
	}
	rc = brain_openai_chunk(st, root, "message");
	json_decref(root);
	if (rc == 0 && !st->finishing)
		rc = brain_stream_fail(&st->base, BRAIN_E_PROTOCOL, 1,
		    "the model server's answer has no finish_reason");
	if (rc == 0)
		rc = brain_openai_stop(st);
	return rc;
}

/* A finish reason without the [DONE] after it is accepted as the end. */
static void
brain_openai_settle(struct brain_openai_stream *st)
{
	if (!st->base.failed && !st->base.aborted && !st->done &&
	    st->finishing)
		(void)brain_openai_stop(st);
}

/* Say how the response ended. */
int
brain_openai_stream_end(struct brain_openai_stream *st, const char *who,
    struct brain_result *res)
{
	brain_openai_settle(st);
	return brain_stream_end(&st->base, st->done, who, res);
}

/* HTTP body callback for a streamed answer. */
static int
brain_openai_on_body(const char *p, size_t len, void *arg)
{
	return brain_openai_stream_feed(arg, p, len);
}

/* HTTP body callback for a whole answer: collect it (bounded). */
static int
brain_openai_on_whole(const char *p, size_t len, void *arg)
{
	return buf_append(arg, p, len) != 0 ? -1 : 0;
}

/* One model request. */
static void
brain_openai_next_turn(void *impl, const struct brain_request *req,
    brain_sink sink, void *arg, struct cancel *cancel,
    struct brain_result *res)
{
	struct brain_openai		*bo = impl;
	struct brain_openai_stream	*st;
	struct brain_http_request	 hr;
	struct brain_http_response	 resp;
	struct buf			 whole;
	json_t				*body;
	char				*text, *key = NULL, *cause = NULL;
	char				*auth = NULL, *hint;
	const char			*headers[2] = { NULL, NULL };
	int64_t				 start;
	int				 stream;

	if (bo->key_file != NULL) {
		if ((key = brain_key_read(bo->key_file, &cause)) == NULL) {
			brain_result_fail(res, BRAIN_E_AUTH, 0, "%s: %s",
			    bo->who, cause);
			free(cause);
			return;
		}
		xasprintf(&auth, "Authorization: Bearer %s", key);
		headers[0] = auth;
	}
	stream = bo->stream_tools || json_array_size(req->tools) == 0;
	body = brain_openai_body(req, bo->model, bo->max_tokens, stream);
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	st = brain_openai_stream_create(sink, arg, strlen(text));
	buf_init(&whole, BRAIN_OPENAI_MAX_RESPONSE);

	memset(&hr, 0, sizeof hr);
	hr.url = bo->url;
	hr.headers = headers;
	hr.body = text;
	hr.bodylen = strlen(text);
	hr.on_body = stream ? brain_openai_on_body : brain_openai_on_whole;
	hr.arg = stream ? (void *)st : (void *)&whole;
	hr.cancel = cancel;
	hr.idle_timeout_s = bo->idle_timeout;
	brain_http_response_init(&resp);
	start = clock_mono_us();
	brain_http_perform(&hr, &resp);

	if (!stream && resp.outcome == BRAIN_HTTP_DONE && resp.status >= 200 &&
	    resp.status <= 299)
		(void)brain_openai_stream_message(st, whole.data != NULL ?
		    whole.data : "", whole.len);
	if (resp.outcome != BRAIN_HTTP_CANCELLED)
		brain_openai_settle(st);
	xasprintf(&hint, "is the model server running? (check base_url in "
	    "[brain.%s], or use scripted:NAME)", bo->who + 6);
	brain_stream_result(&st->base, st->done, &resp, bo->who, bo->url,
	    "the model finished", hint, res);
	free(hint);
	brain_key_redact(res->message, key);
	brain_http_log(bo->who, bo->url, hr.bodylen, start, res);

	brain_http_response_clear(&resp);
	brain_openai_stream_free(st);
	buf_clear(&whole);
	free(text);
	if (auth != NULL) {
		explicit_bzero(auth, strlen(auth));
		free(auth);
	}
	brain_key_free(key);
}
