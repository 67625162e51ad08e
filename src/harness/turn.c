/* ISC licence: see COPYING.  Brain deltas to session events. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xmalloc.h"
#include "harness/hjson.h"
#include "harness/hub.h"
#include "harness/policy.h"
#include "harness/session.h"
#include "harness/turn.h"

#define TURN_MAX_BLOCK	(64u * 1024 * 1024)

/* Ready for one model request. */
void
turn_init(struct turn *t, struct session *s, json_t *tools,
    const char *workdir)
{
	memset(t, 0, sizeof *t);
	t->s = s;
	t->tools = tools;
	t->workdir = workdir;
	buf_init(&t->text, TURN_MAX_BLOCK);
	buf_init(&t->signature, TURN_MAX_BLOCK);
}

/* Forget the open block. */
static void
turn_block_clear(struct turn *t)
{
	buf_reset(&t->text);
	buf_reset(&t->signature);
	free(t->tool_id);
	free(t->tool_name);
	json_decref(t->hints);
	t->tool_id = t->tool_name = NULL;
	t->hints = NULL;
	t->open = 0;
}

/* Release everything. */
void
turn_clear(struct turn *t)
{
	t->held = 0;
	turn_block_clear(t);
	buf_clear(&t->text);
	buf_clear(&t->signature);
	json_decref(t->stop_details);
}

/* Send a preview frame to the subscribers that asked for it. */
static void
turn_preview(struct turn *t, json_t *frame, int kind)
{
	char	*s = hjson_dump(frame);

	hub_publish(t->s->hub, -1, hjson_str(frame, "type"), s, strlen(s),
	    kind, 0, 0);
	free(s);
	json_decref(frame);
}

/* Whether the tool_use block's JSON is whole ("" stands for {}). */
static int
turn_tool_whole(struct turn *t)
{
	json_t	*input;

	if (t->text.len == 0)
		return 1;
	if ((input = json_loads(buf_cstr(&t->text), 0, NULL)) == NULL)
		return 0;
	json_decref(input);
	return 1;
}

/* A complete tool_use block: evaluate and log it. */
static void
turn_tool(struct turn *t)
{
	struct policy_decision	 d;
	json_error_t		 jerr;
	json_t			*input, *fields, *priv;
	const char		*raw = buf_cstr(&t->text);

	priv = json_pack("{ss}", "tool_id", t->tool_id != NULL ? t->tool_id :
	    "");
	if (t->hints != NULL)
		json_object_set(priv, "hints", t->hints);
	input = *raw == '\0' ? json_object() : json_loads(raw, 0, &jerr);
	if (input == NULL || !json_is_object(input)) {
		json_object_set_new(priv, "invalid_input", json_string(
		    input == NULL ? jerr.text : "the input is not an object"));
		json_object_set_new(priv, "raw_input", hjson_string_lossy(raw,
		    t->text.len));
		json_decref(input);
		input = json_object();
	}
	policy_evaluate(t->tools, t->tool_name, input, t->workdir, &d);
	fields = json_pack("{sssO}", "name", t->tool_name, "input", input);
	json_decref(input);
	pthread_mutex_lock(&t->s->lock);
	if (d.kind == POLICY_CUSTOM)
		session_emit(t->s, "agent.custom_tool_use", fields, priv, 0,
		    NULL, NULL);
	else {
		json_object_set_new(fields, "evaluated_permission",
		    json_string(policy_verdict_name(d.verdict)));
		if (d.evaluation != NULL)
			json_object_set(fields, "evaluation", d.evaluation);
		session_emit(t->s, "agent.tool_use", fields, priv, 0, NULL,
		    NULL);
	}
	pthread_mutex_unlock(&t->s->lock);
	json_decref(d.evaluation);
}

/* A complete block. */
static void
turn_block_stop(struct turn *t)
{
	json_t	*fields, *priv;

	switch (t->block) {
	case BRAIN_BLOCK_TEXT:
		fields = json_pack("{s[{ssso}]}", "content", "type", "text",
		    "text", hjson_string_lossy(buf_cstr(&t->text),
		    t->text.len));
		pthread_mutex_lock(&t->s->lock);
		session_emit(t->s, "agent.message", fields, NULL,
		    SESSION_KEEP_ID, t->event_id, NULL);
		pthread_mutex_unlock(&t->s->lock);
		break;
	case BRAIN_BLOCK_THINKING:
	case BRAIN_BLOCK_REDACTED_THINKING:
		priv = json_pack("{soso}", "thinking", hjson_string_lossy(
		    buf_cstr(&t->text), t->text.len), "signature",
		    hjson_string_lossy(buf_cstr(&t->signature),
		    t->signature.len));
		if (t->block == BRAIN_BLOCK_REDACTED_THINKING)
			json_object_set_new(priv, "redacted", json_true());
		pthread_mutex_lock(&t->s->lock);
		session_emit(t->s, "agent.thinking", json_object(), priv,
		    SESSION_KEEP_ID, t->event_id, NULL);
		pthread_mutex_unlock(&t->s->lock);
		break;
	case BRAIN_BLOCK_TOOL_USE:
		if (!turn_tool_whole(t)) {
			/* Held until the stop reason says whether the model
			 * was cut off in the middle of it. */
			t->open = 0;
			t->held = 1;
			return;
		}
		turn_tool(t);
		break;
	}
	turn_block_clear(t);
}

/*
 * Settle a held tool_use block whose JSON does not parse: a call cut off
 * by max_tokens is dropped (harness.md 3.8); any other is logged with its
 * invalid input, to get an error result.
 */
static void
turn_held(struct turn *t, int drop)
{
	if (!t->held)
		return;
	t->held = 0;
	if (drop)
		log_info("session %s: max_tokens cut off the %s call %s; "
		    "dropped", t->s->id, t->tool_name, t->tool_id);
	else
		turn_tool(t);
	turn_block_clear(t);
}

/* The sink. */
int
turn_sink(void *arg, const struct brain_ev *ev)
{
	struct turn	*t = arg;
	struct buf	*b;

	switch (ev->kind) {
	case BRAIN_EV_START:
		t->started = 1;
		t->usage = ev->usage;
		break;
	case BRAIN_EV_BLOCK_START:
		turn_held(t, 0);
		turn_block_clear(t);
		t->open = 1;
		t->block = ev->block;
		rand_id("sevt", t->event_id, sizeof t->event_id);
		if (ev->block == BRAIN_BLOCK_TOOL_USE) {
			t->tool_id = xstrdup(ev->tool_id != NULL ? ev->tool_id :
			    t->event_id);
			t->tool_name = xstrdup(ev->tool_name != NULL ?
			    ev->tool_name : "");
			t->hints = json_incref(ev->hints);
		} else
			turn_preview(t, json_pack("{sss{ssss}}", "type",
			    "event_start", "event", "type",
			    ev->block == BRAIN_BLOCK_TEXT ? "agent.message" :
			    "agent.thinking", "id", t->event_id),
			    ev->block == BRAIN_BLOCK_TEXT ?
			    HUB_PREVIEW_MESSAGE : HUB_PREVIEW_THINKING);
		break;
	case BRAIN_EV_TEXT:
	case BRAIN_EV_THINKING:
	case BRAIN_EV_TOOL_JSON:
	case BRAIN_EV_SIGNATURE:
		if (!t->open)
			return 1;
		b = ev->kind == BRAIN_EV_SIGNATURE ? &t->signature : &t->text;
		if (buf_append(b, ev->data, ev->len) != 0)
			return 1;	/* larger than any model makes */
		if (ev->kind == BRAIN_EV_TEXT)
			turn_preview(t, json_pack("{sssss{sssis{ssso}}}",
			    "type", "event_delta", "event_id", t->event_id,
			    "delta", "type", "content_delta", "index", 0,
			    "content", "type", "text", "text",
			    hjson_string_lossy(ev->data, ev->len)),
			    HUB_PREVIEW_MESSAGE);
		break;
	case BRAIN_EV_BLOCK_STOP:
		if (t->open)
			turn_block_stop(t);
		break;
	case BRAIN_EV_STOP:
		turn_held(t, ev->stop == BRAIN_STOP_MAX_TOKENS);
		t->stopped = 1;
		t->stop = ev->stop;
		if (ev->usage.input != 0 || ev->usage.output != 0)
			t->usage = ev->usage;
		json_decref(t->stop_details);
		t->stop_details = json_incref(ev->stop_details);
		break;
	}
	return 0;
}
