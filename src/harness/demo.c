/* ISC licence: see COPYING.  The demo driver. */

#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xmalloc.h"
#include "harness/brain.h"
#include "harness/demo.h"
#include "harness/harness.h"
#include "harness/hjson.h"
#include "harness/htimer.h"
#include "harness/scenario.h"

#define DEMO_TURN_PAUSE_MS	1500	/* between a turn's end and the next */

/* One driven session. */
struct demo_session {
	struct demo		*demo;
	char			*id;
	struct scenario		*sc;
	size_t			 next;		/* the next turn to send */
	struct demo_session	*link;
};

/* A timed step: a turn's user text, or a script entry. */
struct demo_step {
	struct demo	*demo;
	char		*sid;
	json_t		*event;		/* the event to send */
	int		 turn_of;	/* advance the turn counter */
};

struct demo {
	struct harness		*h;
	struct htimer		*timer;
	pthread_mutex_t		 lock;
	struct demo_session	*sessions;
	int			 fast;
};

/* Send a step's event (timer thread). */
static void
demo_step_run(void *arg)
{
	struct demo_step	*st = arg;
	struct apierr		 err = { 0 };
	json_t			*body, *out = NULL;

	body = json_pack("{s[O]}", "events", st->event);
	if (harness_events_send(st->demo->h, st->sid, body, &out, &err) != 0) {
		log_warn("demo: session %s: %s", st->sid, err.message);
		apierr_clear(&err);
	}
	json_decref(out);
	json_decref(body);
	json_decref(st->event);
	free(st->sid);
	free(st);
}

/* Drop a step that never ran. */
static void
demo_step_drop(void *arg)
{
	struct demo_step	*st = arg;

	json_decref(st->event);
	free(st->sid);
	free(st);
}

/* Schedule an event for a session. */
static void
demo_schedule(struct demo *d, const char *sid, int64_t ms, json_t *event)
{
	struct demo_step	*st;

	st = xcalloc(1, sizeof *st);
	st->demo = d;
	st->sid = xstrdup(sid);
	st->event = event;
	htimer_add(d->timer, d->fast ? 0 : ms, demo_step_run, demo_step_drop,
	    st);
}

/* Schedule the next turn's user text, if the scenario has one. */
static void
demo_next_turn(struct demo *d, struct demo_session *ds, int64_t ms)
{
	const struct scenario_turn	*t;

	while (ds->next < ds->sc->nturns) {
		t = &ds->sc->turns[ds->next++];
		if (t->user == NULL)
			continue;
		demo_schedule(d, ds->id, ms, json_pack("{sss[{ssss}]}", "type",
		    "user.message", "content", "type", "text", "text",
		    t->user));
		return;
	}
}

/* Observer: a turn ended with end_turn; send the next (under the
 * session's lock: only schedules). */
static void
demo_observe(void *arg, const char *sid, const char *type, json_t *ev)
{
	struct demo		*d = arg;
	struct demo_session	*ds;

	if (strcmp(type, "session.status_idle") != 0 || !hjson_str_is(
	    json_object_get(ev, "stop_reason"), "type", "end_turn"))
		return;
	pthread_mutex_lock(&d->lock);
	for (ds = d->sessions; ds != NULL; ds = ds->link)
		if (strcmp(ds->id, sid) == 0) {
			demo_next_turn(d, ds, DEMO_TURN_PAUSE_MS);
			break;
		}
	pthread_mutex_unlock(&d->lock);
}

/* The driver for a harness. */
struct demo *
demo_create(struct harness *h)
{
	struct demo	*d;

	d = xcalloc(1, sizeof *d);
	d->h = h;
	d->timer = htimer_create();
	pthread_mutex_init(&d->lock, NULL);
	d->fast = harness_fast(h);
	harness_observe(h, demo_observe, d);
	return d;
}

/* Stop driving. */
void
demo_free(struct demo *d)
{
	struct demo_session	*ds;

	if (d == NULL)
		return;
	htimer_free(d->timer);
	while ((ds = d->sessions) != NULL) {
		d->sessions = ds->link;
		scenario_unref(ds->sc);
		free(ds->id);
		free(ds);
	}
	pthread_mutex_destroy(&d->lock);
	free(d);
}

/* Create one manifest session. */
static int
demo_session(struct demo *d, json_t *entry, const char *demo_name,
    const char *env_id, const char *agent_id, json_t *list,
    struct apierr *err)
{
	struct demo_session	*ds;
	struct scenario		*sc;
	json_t			*body, *over, *out = NULL;
	char			*name, *model, *cause = NULL;
	const char		*ref = hjson_str(entry, "scenario");
	int64_t			 start;

	if (ref == NULL)
		return apierr_invalid(err, "manifest: every session needs a "
		    "\"scenario\"");
	name = scenario_name_from_ref(ref);
	if ((sc = scenario_set_get(harness_scenarios(d->h), name,
	    &cause)) == NULL) {
		apierr_invalid(err, "manifest: %s", cause);
		free(cause);
		free(name);
		return -1;
	}
	xasprintf(&model, "scripted:%s", name);
	over = json_pack("{ssssss}", "type", "agent_with_overrides", "id",
	    agent_id, "model", model);
	if (hjson_str(sc->agent, "system") != NULL)
		json_object_set(over, "system", json_object_get(sc->agent,
		    "system"));
	if (json_object_get(sc->agent, "tools") != NULL)
		json_object_set(over, "tools", json_object_get(sc->agent,
		    "tools"));
	body = json_pack("{sosssOs{ssss}}", "agent", over, "environment_id",
	    env_id, "title", json_object_get(entry, "title") ?
	    json_object_get(entry, "title") : json_string(sc->description),
	    "metadata", "pilothouse.scenario", name, "pilothouse.demo",
	    demo_name);
	if (json_object_get(entry, "title") == NULL)
		json_decref(json_object_get(body, "title"));
	free(model);
	if (harness_session_create(d->h, body, &out, err) != 0) {
		json_decref(body);
		scenario_unref(sc);
		free(name);
		return -1;
	}
	json_decref(body);
	ds = xcalloc(1, sizeof *ds);
	ds->demo = d;
	ds->id = xstrdup(hjson_str(out, "id"));
	ds->sc = sc;
	json_array_append_new(list, json_pack("{sOsssssI}", "key",
	    json_object_get(entry, "key") ? json_object_get(entry, "key") :
	    json_null(), "session_id", ds->id, "scenario", name, "start_ms",
	    (json_int_t)json_integer_value(json_object_get(entry,
	    "start_ms"))));
	start = json_integer_value(json_object_get(entry, "start_ms"));
	pthread_mutex_lock(&d->lock);
	ds->link = d->sessions;
	d->sessions = ds;
	demo_next_turn(d, ds, start);
	pthread_mutex_unlock(&d->lock);
	json_decref(out);
	free(name);
	return 0;
}

/* Start a manifest. */
int
demo_start(struct demo *d, json_t *body, json_t **out, struct apierr *err)
{
	json_t		*m = json_object_get(body, "manifest"), *env = NULL;
	json_t		*agent = NULL, *sessions, *list, *entry, *script;
	json_t		*ab, *eb;
	const char	*name;
	size_t		 i, j;

	if (!json_is_object(m) || (name = hjson_str(m, "demo")) == NULL ||
	    !json_is_array(sessions = json_object_get(m, "sessions")) ||
	    json_array_size(sessions) == 0)
		return apierr_invalid(err, "manifest must be {\"demo\": NAME, "
		    "\"sessions\": [...]} (harness.md 4.5)");
	eb = json_is_object(json_object_get(m, "environment")) ?
	    json_incref(json_object_get(m, "environment")) :
	    json_pack("{ss}", "name", "local-sandbox");
	if (harness_env_create(d->h, eb, &env, err) != 0) {
		json_decref(eb);
		return -1;
	}
	json_decref(eb);
	/* The whole toolset, always_allow: scenarios narrow it in "agent". */
	ab = json_pack("{sssssss[{ss}]s{ss}}", "name", "pilothouse-demo",
	    "model", "scripted:echo", "description",
	    "created by pilothouse demo", "tools", "type",
	    "agent_toolset_20260401", "metadata", "pilothouse.demo", name);
	if (harness_agent_create(d->h, ab, &agent, err) != 0) {
		json_decref(ab);
		json_decref(env);
		return -1;
	}
	json_decref(ab);
	list = json_array();
	json_array_foreach(sessions, i, entry)
		if (demo_session(d, entry, name, hjson_str(env, "id"),
		    hjson_str(agent, "id"), list, err) != 0) {
			json_decref(list);
			json_decref(env);
			json_decref(agent);
			return -1;
		}
	json_array_foreach(json_object_get(m, "script"), i, script) {
		json_array_foreach(json_object_get(m, "sessions"), j, entry)
			if (hjson_str(entry, "key") != NULL &&
			    hjson_str_is(script, "session", hjson_str(entry,
			    "key")) && json_is_object(json_object_get(script,
			    "send")))
				demo_schedule(d, hjson_str(json_array_get(list,
				    j), "session_id"), json_integer_value(
				    json_object_get(script, "at_ms")),
				    json_deep_copy(json_object_get(script,
				    "send")));
	}
	*out = json_pack("{sssOsOso}", "demo", name, "environment_id",
	    json_object_get(env, "id"), "agent_id", json_object_get(agent,
	    "id"), "sessions", list);
	json_decref(env);
	json_decref(agent);
	return 0;
}
