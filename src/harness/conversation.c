/* ISC licence: see COPYING.  The canonical conversation from the log. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "harness/conversation.h"
#include "harness/hjson.h"
#include "harness/hstore.h"

/* One processed event, kept for sorting. */
struct conv_event {
	int64_t		 seq;
	int64_t		 us;
	json_t		*ev;
	json_t		*priv;
};

struct conv_load {
	struct conv_event	*v;
	size_t			 n;
};

/* Building state. */
struct conv {
	json_t		*messages;
	json_t		*assistant;	/* the open model request's blocks */
	json_t		*tool_ids;	/* event id -> provider id */
	json_t		*order;		/* provider ids in tool_use order */
	struct buf	 system;
	int		 turn_open;
	int		 turn_start;	/* the next user text starts a turn */
};

/* Collect processed events. */
static int
conversation_collect(const struct hstore_event *e, void *arg)
{
	struct conv_load	*l = arg;
	struct conv_event	*c;

	if (e->processed_at == NULL)
		return 0;
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	c = &l->v[l->n++];
	c->seq = e->seq;
	c->us = e->processed_us;
	c->ev = json_loads(e->body, 0, NULL);
	c->priv = e->private != NULL ? json_loads(e->private, 0, NULL) : NULL;
	if (c->ev == NULL)
		c->ev = json_object();
	return 0;
}

/* Processing order: processed_at, then seq. */
static int
conversation_cmp(const void *a, const void *b)
{
	const struct conv_event	*x = a, *y = b;

	if (x->us != y->us)
		return x->us < y->us ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The last message if it has this role, else a new one. */
static json_t *
conversation_tail(struct conv *cv, const char *role)
{
	json_t	*last;

	last = json_array_get(cv->messages,
	    json_array_size(cv->messages) - 1);
	if (last != NULL && hjson_str_is(last, "role", role))
		return last;
	last = json_pack("{sss[]}", "role", role, "content");
	json_array_append_new(cv->messages, last);
	return last;
}

/* A tool result block for the user message after the assistant's. */
static void
conversation_result(struct conv *cv, json_t *ev, json_t *priv,
    const char *key)
{
	const char	*tid;
	json_t		*blk, *content;

	tid = hjson_str(cv->tool_ids, hjson_str(ev, key) ? hjson_str(ev, key) :
	    "");
	if (tid == NULL)
		return;		/* answers a dropped request */
	content = json_object_get(ev, "content");
	blk = json_pack("{ssss}", "type", "tool_result", "tool_use_id", tid);
	json_object_set_new(blk, "content", content != NULL ?
	    json_incref(content) : json_array());
	json_object_set_new(blk, "is_error", json_boolean(json_is_true(
	    json_object_get(ev, "is_error"))));
	if (json_is_true(json_object_get(priv, "x_denied")))
		json_object_set_new(blk, "x_denied", json_true());
	if (json_is_true(json_object_get(priv, "x_interrupted")))
		json_object_set_new(blk, "x_interrupted", json_true());
	json_array_append_new(json_object_get(conversation_tail(cv, "user"),
	    "content"), blk);
}

/* Put each user message's tool_result blocks in tool_use order. */
static void
conversation_sort_results(struct conv *cv)
{
	json_t	*msg, *content, *sorted, *id, *blk;
	size_t	 i, j, k;

	json_array_foreach(cv->messages, i, msg) {
		if (!hjson_str_is(msg, "role", "user"))
			continue;
		content = json_object_get(msg, "content");
		sorted = json_array();
		json_array_foreach(cv->order, j, id)
			json_array_foreach(content, k, blk)
				if (hjson_str_is(blk, "type", "tool_result") &&
				    hjson_str_is(blk, "tool_use_id",
				    json_string_value(id)))
					json_array_append(sorted, blk);
		json_array_foreach(content, k, blk)
			if (!hjson_str_is(blk, "type", "tool_result"))
				json_array_append(sorted, blk);
		json_object_set_new(msg, "content", sorted);
	}
}

/* One event into the conversation. */
static void
conversation_add(struct conv *cv, json_t *ev, json_t *priv)
{
	const char	*type = hjson_str(ev, "type");
	json_t		*msg, *blk, *content, *last;
	size_t		 i;

	if (type == NULL)
		return;
	if (strcmp(type, "user.message") == 0) {
		if (json_is_true(json_object_get(priv, "x_flushed")))
			return;
		msg = conversation_tail(cv, "user");
		if (cv->turn_start) {
			json_object_set_new(msg, "x_turn_start", json_true());
			cv->turn_start = 0;
		}
		json_array_foreach(json_object_get(ev, "content"), i, blk)
			json_array_append(json_object_get(msg, "content"), blk);
	} else if (strcmp(type, "system.message") == 0) {
		json_array_foreach(json_object_get(ev, "content"), i, blk)
			if (hjson_str(blk, "text") != NULL &&
			    ((cv->system.len > 0 && buf_puts(&cv->system,
			    "\n\n") != 0) || buf_puts(&cv->system,
			    hjson_str(blk, "text")) != 0))
				fatalx("system text too long");
	} else if (strcmp(type, "session.status_running") == 0) {
		if (!cv->turn_open)
			cv->turn_start = 1;
		cv->turn_open = 1;
	} else if (strcmp(type, "session.status_idle") == 0) {
		if (!hjson_str_is(json_object_get(ev, "stop_reason"), "type",
		    "requires_action"))
			cv->turn_open = 0;
	} else if (strcmp(type, "session.status_terminated") == 0)
		cv->turn_open = 0;
	else if (strcmp(type, "span.model_request_start") == 0) {
		json_decref(cv->assistant);
		cv->assistant = json_array();
	} else if (strcmp(type, "span.model_request_end") == 0) {
		if (cv->assistant != NULL && json_array_size(cv->assistant) >
		    0 && !json_is_true(json_object_get(priv, "discard"))) {
			json_array_foreach(cv->assistant, i, blk)
				if (hjson_str_is(blk, "type", "tool_use"))
					json_array_append(cv->order,
					    json_object_get(blk, "id"));
			last = json_array_get(cv->messages,
			    json_array_size(cv->messages) - 1);
			/* After pause_turn the response continues the last. */
			if (hjson_str_is(last, "role", "assistant")) {
				json_array_extend(json_object_get(last,
				    "content"), cv->assistant);
				json_decref(cv->assistant);
			} else
				json_array_append_new(cv->messages,
				    json_pack("{ssso}", "role", "assistant",
				    "content", cv->assistant));
		} else {
			/* Dropped: forget its tool ids. */
			json_array_foreach(cv->assistant, i, blk)
				if (hjson_str_is(blk, "type", "tool_use"))
					json_object_del(cv->tool_ids,
					    hjson_str(blk, "x_event"));
			json_decref(cv->assistant);
		}
		cv->assistant = NULL;
	} else if (cv->assistant != NULL && strcmp(type, "agent.thinking") ==
	    0 && json_is_true(json_object_get(priv, "redacted")))
		/* The opaque data was kept where the signature goes. */
		json_array_append_new(cv->assistant, json_pack("{ssss}",
		    "type", "redacted_thinking", "data", hjson_str(priv,
		    "signature") ? hjson_str(priv, "signature") : ""));
	else if (cv->assistant != NULL && strcmp(type, "agent.thinking") == 0)
		json_array_append_new(cv->assistant, json_pack("{ssssss}",
		    "type", "thinking", "thinking",
		    hjson_str(priv, "thinking") ?
		    hjson_str(priv, "thinking") : "", "signature",
		    hjson_str(priv, "signature") ? hjson_str(priv,
		    "signature") : ""));
	else if (strcmp(type, "agent.thread_context_compacted") == 0 &&
	    hjson_str(priv, "summary") != NULL) {
		/* Everything before the marker becomes its summary. */
		json_array_clear(cv->messages);
		json_array_append_new(cv->messages, json_pack(
		    "{sss[{ssss}{ssss}]}", "role", "user", "content", "type",
		    "text", "text", "The conversation so far was compacted; "
		    "this is its summary.", "type", "text", "text",
		    hjson_str(priv, "summary")));
	}
	else if (cv->assistant != NULL && strcmp(type, "agent.message") == 0) {
		content = json_object_get(ev, "content");
		json_array_foreach(content, i, blk)
			json_array_append(cv->assistant, blk);
	} else if (cv->assistant != NULL &&
	    (strcmp(type, "agent.tool_use") == 0 ||
	    strcmp(type, "agent.custom_tool_use") == 0)) {
		const char	*tid = hjson_str(priv, "tool_id");

		if (tid == NULL)
			tid = hjson_str(ev, "id");
		json_object_set_new(cv->tool_ids, hjson_str(ev, "id"),
		    json_string(tid));
		json_array_append_new(cv->assistant, json_pack("{sssssssOss}",
		    "type", "tool_use", "id", tid, "name", hjson_str(ev,
		    "name"), "input", json_object_get(ev, "input"), "x_event",
		    hjson_str(ev, "id")));
	} else if (strcmp(type, "agent.tool_result") == 0 ||
	    strcmp(type, "user.tool_result") == 0)
		conversation_result(cv, ev, priv, "tool_use_id");
	else if (strcmp(type, "user.custom_tool_result") == 0)
		conversation_result(cv, ev, priv, "custom_tool_use_id");
}

/* Drop the helper key x_event from tool_use blocks. */
static void
conversation_strip(json_t *messages)
{
	json_t	*msg, *blk;
	size_t	 i, j;

	json_array_foreach(messages, i, msg)
		json_array_foreach(json_object_get(msg, "content"), j, blk)
			json_object_del(blk, "x_event");
}

/* Rebuild the conversation of session sid. */
int
conversation_build(struct hstore *hs, const char *sid, json_t **messages,
    char **system_extra, char **cause)
{
	struct conv_load	 l = { NULL, 0 };
	struct conv		 cv;
	int			 rv;

	rv = hstore_events_foreach(hs, sid, conversation_collect, &l, cause);
	if (rv == 0) {
		qsort(l.v, l.n, sizeof *l.v, conversation_cmp);
		memset(&cv, 0, sizeof cv);
		cv.messages = json_array();
		cv.tool_ids = json_object();
		cv.order = json_array();
		buf_init(&cv.system, BUF_UNBOUNDED);
		for (size_t i = 0; i < l.n; i++)
			conversation_add(&cv, l.v[i].ev, l.v[i].priv);
		json_decref(cv.assistant);
		conversation_sort_results(&cv);
		conversation_strip(cv.messages);
		*messages = cv.messages;
		*system_extra = cv.system.len > 0 ? buf_steal(&cv.system,
		    NULL) : NULL;
		buf_clear(&cv.system);
		json_decref(cv.tool_ids);
		json_decref(cv.order);
	}
	for (size_t i = 0; i < l.n; i++) {
		json_decref(l.v[i].ev);
		json_decref(l.v[i].priv);
	}
	free(l.v);
	return rv;
}
