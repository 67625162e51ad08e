/* ISC licence: see COPYING.  A session in memory: state and event log. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/rand.h"
#include "base/xmalloc.h"
#include "harness/harness.h"
#include "harness/hjson.h"
#include "harness/hstore.h"
#include "harness/hub.h"
#include "harness/session.h"
#include "harness/tool.h"

#define SESSION_HUB_BUDGET	(8u * 1024 * 1024)

/* A new session in memory (state empty; the caller loads or fills it). */
struct session *
session_create(struct harness *h, const char *id)
{
	struct session	*s;

	s = xcalloc(1, sizeof *s);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	s->refs = 1;
	s->h = h;
	snprintf(s->id, sizeof s->id, "%s", id);
	s->queued = json_array();
	s->queued_confirms = json_array();
	cancel_init(&s->cancel);
	s->hub = hub_create(SESSION_HUB_BUDGET);
	return s;
}

/* Take a reference. */
void
session_ref(struct session *s)
{
	__atomic_add_fetch(&s->refs, 1, __ATOMIC_SEQ_CST);
}

/* Forget the current response's calls. */
static void
session_calls_clear(struct session *s)
{
	for (size_t i = 0; i < s->ncalls; i++) {
		struct session_call	*c = &s->calls[i];

		free(c->tool_id);
		free(c->name);
		free(c->deny_message);
		free(c->invalid_reason);
		json_decref(c->input);
		json_decref(c->hints);
	}
	free(s->calls);
	s->calls = NULL;
	s->ncalls = 0;
}

/* Drop a reference; the last frees the session. */
void
session_unref(struct session *s)
{
	if (s == NULL || __atomic_sub_fetch(&s->refs, 1, __ATOMIC_SEQ_CST) != 0)
		return;
	session_calls_clear(s);
	toolbox_free(s->toolbox);
	hub_free(s->hub);
	json_decref(s->obj);
	json_decref(s->networking);
	json_decref(s->queued);
	json_decref(s->queued_confirms);
	json_decref(s->stop_details);
	free(s->stop);
	free(s->scenario);
	free(s->provision_error);
	cancel_clear(&s->cancel);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/* The API's name for a status. */
const char *
session_status_name(enum session_status st)
{
	switch (st) {
	case SESSION_RUNNING:
		return "running";
	case SESSION_RESCHEDULING:
		return "rescheduling";
	case SESSION_TERMINATED:
		return "terminated";
	case SESSION_IDLE:
		break;
	}
	return "idle";
}

/* The call with event id, or NULL. */
struct session_call *
session_call_find(struct session *s, const char *id)
{
	for (size_t i = 0; id != NULL && i < s->ncalls; i++)
		if (strcmp(s->calls[i].id, id) == 0)
			return &s->calls[i];
	return NULL;
}

/* Is this call waiting for the client? */
int
session_call_pending(struct session *s, const struct session_call *c)
{
	if (c->done)
		return 0;
	if (c->custom)
		return 1;
	if (c->refused || c->invalid_input || c->verdict == POLICY_DENY)
		return 0;
	if (c->verdict == POLICY_ASK && c->confirm == SESSION_CONFIRM_NONE)
		return c->confirm_queued == SESSION_CONFIRM_NONE;
	if (c->confirm == SESSION_CONFIRM_DENY)
		return 0;
	/* Allowed: on a self-hosted environment the client runs it. */
	return s->self_hosted;
}

/* Remove the event with id from a queue of {"seq", "event"}. */
static void
session_dequeue(json_t *queue, const char *id)
{
	json_t	*q;
	size_t	 i;

	json_array_foreach(queue, i, q)
		if (hjson_str_is(json_object_get(q, "event"), "id", id)) {
			json_array_remove(queue, i);
			return;
		}
}

/* A new call from an agent.tool_use / agent.custom_tool_use event. */
static void
session_call_add(struct session *s, json_t *ev, json_t *priv, int custom)
{
	struct session_call	*c;
	const char		*perm = hjson_str(ev, "evaluated_permission");

	s->calls = xreallocarray(s->calls, s->ncalls + 1, sizeof *s->calls);
	c = &s->calls[s->ncalls++];
	memset(c, 0, sizeof *c);
	snprintf(c->id, sizeof c->id, "%s", hjson_str(ev, "id"));
	c->name = xstrdup(hjson_str(ev, "name") ? hjson_str(ev, "name") : "");
	c->custom = custom;
	c->input = json_incref(json_object_get(ev, "input"));
	if (hjson_str(priv, "tool_id") != NULL)
		c->tool_id = xstrdup(hjson_str(priv, "tool_id"));
	c->hints = json_incref(json_object_get(priv, "hints"));
	if (hjson_str(priv, "invalid_input") != NULL) {
		c->invalid_input = 1;
		c->invalid_reason = xstrdup(hjson_str(priv, "invalid_input"));
	}
	if (custom || perm == NULL || strcmp(perm, "allow") == 0)
		c->verdict = POLICY_ALLOW;
	else if (strcmp(perm, "ask") == 0)
		c->verdict = POLICY_ASK;
	else {
		c->verdict = POLICY_DENY;
		c->refused = json_object_get(ev, "evaluation") == NULL;
	}
}

/* If every call has its result, the next model request is due. */
static void
session_calls_settled(struct session *s)
{
	for (size_t i = 0; i < s->ncalls; i++)
		if (!s->calls[i].done)
			return;
	if (s->phase == SESSION_PHASE_TOOLS)
		s->phase = SESSION_PHASE_MODEL;
}

/* The reducer: one event into the state. */
void
session_apply(struct session *s, json_t *ev, json_t *priv, int64_t seq)
{
	const char		*type = hjson_str(ev, "type");
	const char		*id = hjson_str(ev, "id");
	int			 processed;
	struct session_call	*c;
	json_t			*reason;

	processed = !json_is_null(json_object_get(ev, "processed_at"));
	if (type == NULL)
		return;
	if (strcmp(type, "user.message") == 0) {
		if (!processed) {
			json_array_append_new(s->queued, json_pack("{sIsO}",
			    "seq", (json_int_t)seq, "event", ev));
			return;
		}
		session_dequeue(s->queued, id);
		if (s->status == SESSION_RUNNING &&
		    s->phase == SESSION_PHASE_NONE)
			s->phase = SESSION_PHASE_MODEL;
	} else if (strcmp(type, "user.tool_confirmation") == 0) {
		enum session_confirm	 v;

		c = session_call_find(s, hjson_str(ev, "tool_use_id"));
		v = hjson_str_is(ev, "result", "allow") ?
		    SESSION_CONFIRM_ALLOW : SESSION_CONFIRM_DENY;
		if (!processed)
			json_array_append_new(s->queued_confirms,
			    json_pack("{sIsO}", "seq", (json_int_t)seq,
			    "event", ev));
		else
			session_dequeue(s->queued_confirms, id);
		if (c == NULL)
			return;
		if (!processed)
			c->confirm_queued = v;
		else {
			c->confirm = v;
			free(c->deny_message);
			c->deny_message = hjson_str(ev, "deny_message") ?
			    xstrdup(hjson_str(ev, "deny_message")) : NULL;
		}
	} else if (strcmp(type, "user.custom_tool_result") == 0 ||
	    strcmp(type, "user.tool_result") == 0 ||
	    strcmp(type, "agent.tool_result") == 0) {
		c = session_call_find(s, hjson_str(ev,
		    strcmp(type, "user.custom_tool_result") == 0 ?
		    "custom_tool_use_id" : "tool_use_id"));
		if (c != NULL) {
			c->done = 1;
			session_calls_settled(s);
		}
	} else if (strcmp(type, "user.interrupt") == 0) {
		if (s->status != SESSION_IDLE || s->requires_action)
			s->interrupt = 1;
	} else if (strcmp(type, "session.status_running") == 0) {
		if (s->status == SESSION_IDLE && !s->requires_action) {
			s->rounds = 0;
			s->mcp_reported = 0;
		}
		s->status = SESSION_RUNNING;
		s->requires_action = 0;
	} else if (strcmp(type, "session.status_idle") == 0) {
		s->status = SESSION_IDLE;
		reason = json_object_get(ev, "stop_reason");
		s->requires_action = hjson_str_is(reason, "type",
		    "requires_action");
		if (!s->requires_action) {
			s->phase = SESSION_PHASE_NONE;
			s->interrupt = 0;
			session_calls_clear(s);
		}
	} else if (strcmp(type, "session.status_rescheduled") == 0)
		s->status = SESSION_RESCHEDULING;
	else if (strcmp(type, "session.status_terminated") == 0 ||
	    strcmp(type, "session.deleted") == 0) {
		s->status = SESSION_TERMINATED;
		s->phase = SESSION_PHASE_NONE;
		s->interrupt = 0;
	} else if (strcmp(type, "span.model_request_start") == 0) {
		s->phase = SESSION_PHASE_IN_MODEL;
		snprintf(s->span_start, sizeof s->span_start, "%s", id);
		session_calls_clear(s);
	} else if (strcmp(type, "agent.tool_use") == 0)
		session_call_add(s, ev, priv, 0);
	else if (strcmp(type, "agent.custom_tool_use") == 0)
		session_call_add(s, ev, priv, 1);
	else if (strcmp(type, "span.model_request_end") == 0) {
		free(s->stop);
		s->stop = hjson_str(priv, "stop") != NULL ?
		    xstrdup(hjson_str(priv, "stop")) : NULL;
		json_decref(s->stop_details);
		s->stop_details = json_incref(json_object_get(priv,
		    "stop_details"));
		if (json_is_true(json_object_get(priv, "discard"))) {
			session_calls_clear(s);
			s->phase = SESSION_PHASE_MODEL;
		} else if (s->ncalls == 0 && s->stop != NULL &&
		    strcmp(s->stop, "pause_turn") == 0) {
			/* Paused: ask again, the paused blocks included. */
			s->phase = SESSION_PHASE_MODEL;
			s->rounds++;
		} else if (s->ncalls > 0) {
			s->phase = SESSION_PHASE_TOOLS;
			s->rounds++;
			/* Results that came in while the response streamed. */
			session_calls_settled(s);
		} else
			s->phase = SESSION_PHASE_FINISH;
	}
}

/* Update the session object for an event of type; returns non-zero when
 * the session row must be written with it. */
static int
session_touch(struct session *s, const char *type, const char *now,
    int64_t us)
{
	int64_t	mono = clock_mono_us();
	json_t	*stats, *usage;

	if (strncmp(type, "session.status_", 15) != 0 &&
	    strcmp(type, "session.usage") != 0 &&
	    strcmp(type, "session.updated") != 0 &&
	    strcmp(type, "span.model_request_end") != 0)
		return 0;
	if (s->status == SESSION_RUNNING && s->running_since == 0)
		s->running_since = mono;
	else if (s->status != SESSION_RUNNING && s->running_since != 0) {
		s->active_seconds += (double)(mono - s->running_since) / 1e6;
		s->running_since = 0;
	}
	stats = json_object_get(s->obj, "stats");
	usage = json_object_get(s->obj, "usage");
	json_object_set_new(stats, "active_seconds",
	    json_real(s->active_seconds));
	json_object_set_new(stats, "duration_seconds",
	    json_real((double)(us - s->created_us) / 1e6));
	json_object_set_new(usage, "active_seconds",
	    json_real(s->active_seconds));
	json_object_set_new(s->obj, "status", json_string(
	    session_status_name(s->status)));
	json_object_set_new(s->obj, "updated_at", json_string(now));
	return 1;
}

/* Write the session row (lock held). */
static int
session_row(struct session *s, struct hstore_session_row *r)
{
	json_t	*agent = json_object_get(s->obj, "agent");

	memset(r, 0, sizeof *r);
	r->id = s->id;
	r->created_us = s->created_us;
	r->status = hjson_str(s->obj, "status");
	r->archived = !json_is_null(json_object_get(s->obj, "archived_at"));
	r->agent_id = hjson_str(agent, "id");
	r->agent_version = json_integer_value(json_object_get(agent,
	    "version"));
	return 0;
}

/* An appended event waiting for its batch's commit. */
struct session_out {
	struct hstore_event	 ev;	/* strings owned */
	json_t			*e;
};

/* Publish a logged event and tell the harness. */
static void
session_publish(struct session *s, const struct hstore_event *ev, json_t *e)
{
	int	final;

	final = strcmp(ev->type, "session.status_terminated") == 0 ||
	    strcmp(ev->type, "session.deleted") == 0;
	hub_publish(s->hub, ev->seq, ev->type, ev->body, strlen(ev->body), 0,
	    0, final);
	harness_notify(s->h, s->id, ev->type, e);
}

/* Queue a client event: pending in the store, echoed with processed_at
 * null on the stream (outside the log: no seq). */
static int
session_queue(struct session *s, json_t *e, json_t *priv)
{
	struct hstore_event	 ev;
	char			*cause = NULL;
	int			 rv = 0;

	session_apply(s, e, priv, 0);
	memset(&ev, 0, sizeof ev);
	ev.id = hjson_str(e, "id");
	ev.type = hjson_str(e, "type");
	ev.body = hjson_dump(e);
	ev.private = priv != NULL ? hjson_dump(priv) : NULL;
	if (hstore_pending_add(harness_store(s->h), s->id, &ev, &cause) != 0) {
		log_error("session %s: cannot queue %s: %s", s->id, ev.type,
		    cause);
		free(cause);
		s->status = SESSION_TERMINATED;
		rv = -1;
	} else {
		hub_publish(s->hub, -1, ev.type, ev.body, strlen(ev.body), 0,
		    1, 0);
		harness_notify(s->h, s->id, ev.type, e);
	}
	free((char *)ev.body);
	free((char *)ev.private);
	return rv;
}

/* Append one event (see session.h). */
int
session_emit(struct session *s, const char *type, json_t *fields,
    json_t *priv, int flags, char *id_out, json_t **out)
{
	struct hstore_event		 ev;
	struct session_out		*o;
	char				 id[RAND_ID_LEN];
	char				 now[CLOCK_RFC3339_LEN];
	json_t				*e, *v;
	const char			*key;
	int64_t				 us;
	int				 rv = 0;

	if (fields == NULL)
		fatalx("session %s: malformed fields for a %s event", s->id,
		    type);
	if (flags & SESSION_KEEP_ID)
		snprintf(id, sizeof id, "%s", id_out);
	else
		rand_id("sevt", id, sizeof id);
	us = harness_now_us(s->h);
	clock_format(us, 6, now, sizeof now);
	e = json_pack("{ssss}", "type", type, "id", id);
	json_object_foreach(fields, key, v)
		json_object_set(e, key, v);
	json_decref(fields);
	json_object_set_new(e, "processed_at", (flags & SESSION_QUEUED) ?
	    json_null() : json_string(now));
	if (id_out != NULL)
		snprintf(id_out, RAND_ID_LEN, "%s", id);
	if (out != NULL)
		*out = json_incref(e);
	if (flags & SESSION_QUEUED) {
		rv = session_queue(s, e, priv);
		json_decref(e);
		json_decref(priv);
		return rv;
	}
	session_apply(s, e, priv, s->seq + 1);
	memset(&ev, 0, sizeof ev);
	ev.seq = ++s->seq;
	ev.id = xstrdup(id);
	ev.type = xstrdup(type);
	ev.processed_at = xstrdup(now);
	ev.processed_us = us;
	ev.body = hjson_dump(e);
	ev.private = priv != NULL ? hjson_dump(priv) : NULL;
	json_decref(priv);
	if (session_touch(s, type, now, us)) {
		free(s->row_body);
		s->row_body = hjson_dump(s->obj);
	}
	s->batch = xreallocarray(s->batch, s->nbatch + 1, sizeof *s->batch);
	o = &s->batch[s->nbatch++];
	o->ev = ev;
	o->e = e;
	if (s->batching)
		return 0;
	return session_commit(s);
}

/* Start a batch: emitted events are logged together by session_commit. */
void
session_begin(struct session *s)
{
	s->batching = 1;
}

/* Log the batch in one transaction, then publish it (see session.h). */
int
session_commit(struct session *s)
{
	struct hstore_session_row	 row, *rowp = NULL;
	struct hstore_event		*evs;
	char				*cause = NULL;
	size_t				 n = s->nbatch;
	int				 rv = 0;

	s->batching = 0;
	if (n == 0)
		return 0;
	if (s->row_body != NULL) {
		session_row(s, &row);
		row.body = s->row_body;
		rowp = &row;
	}
	evs = xreallocarray(NULL, n, sizeof *evs);
	for (size_t i = 0; i < n; i++)
		evs[i] = s->batch[i].ev;
	if (hstore_event_append(harness_store(s->h), s->id, evs, n, rowp,
	    &cause) != 0) {
		log_error("session %s: cannot log %s: %s", s->id, evs[0].type,
		    cause);
		free(cause);
		s->status = SESSION_TERMINATED;
		rv = -1;
	} else
		for (size_t i = 0; i < n; i++)
			session_publish(s, &evs[i], s->batch[i].e);
	for (size_t i = 0; i < n; i++) {
		free((char *)evs[i].id);
		free((char *)evs[i].type);
		free((char *)evs[i].processed_at);
		free((char *)evs[i].body);
		free((char *)evs[i].private);
		json_decref(s->batch[i].e);
	}
	free(evs);
	free(s->batch);
	s->batch = NULL;
	s->nbatch = 0;
	free(s->row_body);
	s->row_body = NULL;
	return rv;
}

/* Log a queued client event as processed (see session.h). */
int
session_process(struct session *s, const char *id, json_t *priv)
{
	json_t		*queues[2] = { s->queued, s->queued_confirms }, *q;
	json_t		*ev = NULL, *fields;
	char		 keep[RAND_ID_LEN], *type;
	size_t		 i;
	int		 rv;

	for (int k = 0; k < 2 && ev == NULL; k++)
		json_array_foreach(queues[k], i, q)
			if (hjson_str_is(json_object_get(q, "event"), "id",
			    id)) {
				ev = json_object_get(q, "event");
				break;
			}
	if (ev == NULL) {
		json_decref(priv);
		return 0;
	}
	fields = json_deep_copy(ev);
	type = xstrdup(hjson_str(ev, "type"));
	json_object_del(fields, "type");
	json_object_del(fields, "id");
	json_object_del(fields, "processed_at");
	snprintf(keep, sizeof keep, "%s", id);
	rv = session_emit(s, type, fields, priv, SESSION_KEEP_ID, keep, NULL);
	free(type);
	return rv;
}
