/* ISC licence: see COPYING.  The harness: objects, sessions, events. */

#include "config.h"

#include <ftw.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/paths.h"
#include "base/rand.h"
#include "base/xmalloc.h"
#include "harness/agent_loop.h"
#include "harness/brain.h"
#include "harness/harness.h"
#include "harness/hjson.h"
#include "harness/htimer.h"
#include "harness/policy.h"
#include "harness/scenario.h"
#include "harness/session.h"
#include "harness/workpool.h"
#include "wire/api_event.h"

#define HARNESS_BUCKETS		1024
#define HARNESS_MAX_META	16
#define HARNESS_MAX_EVENTS	100	/* per POST */
#define HARNESS_MAX_INITIAL	50

struct harness_entry {
	struct session		*s;
	struct harness_entry	*next;
};

struct harness {
	char			*data_dir;
	int			 unsafe;
	struct hstore		*store;
	struct workpool		*pool;
	struct htimer		*timer;
	struct scenario_set	*scenarios;
	struct brain_env	 env;
	pthread_mutex_t		 lock;		/* the table, the clock */
	struct harness_entry	*table[HARNESS_BUCKETS];
	int64_t			 last_us;
	int			 stopping;
	harness_observer	 observer;
	void			*observer_arg;
};

/* Accessors for the session modules. */
struct hstore *harness_store(struct harness *h) { return h->store; }
struct workpool *harness_pool(struct harness *h) { return h->pool; }
struct htimer *harness_timer(struct harness *h) { return h->timer; }
const struct brain_env *harness_brain_env(struct harness *h) { return &h->env; }
const char *harness_data_dir(struct harness *h) { return h->data_dir; }
int harness_unsafe(struct harness *h) { return h->unsafe; }
struct scenario_set *
harness_scenarios(struct harness *h) { return h->scenarios; }
int harness_fast(struct harness *h) { return h->env.scripted_fast; }

/* Is the harness shutting down? */
int
harness_stopping(struct harness *h)
{
	return __atomic_load_n(&h->stopping, __ATOMIC_SEQ_CST);
}

/* A wall clock that never repeats or goes back. */
int64_t
harness_now_us(struct harness *h)
{
	int64_t	now = clock_real_us();

	pthread_mutex_lock(&h->lock);
	if (now <= h->last_us)
		now = h->last_us + 1;
	h->last_us = now;
	pthread_mutex_unlock(&h->lock);
	return now;
}

/* Tell the observer about an event. */
void
harness_notify(struct harness *h, const char *sid, const char *type,
    json_t *ev)
{
	if (h->observer != NULL)
		h->observer(h->observer_arg, sid, type, ev);
}

/* Set the observer (before harness_start). */
void
harness_observe(struct harness *h, harness_observer fn, void *arg)
{
	h->observer = fn;
	h->observer_arg = arg;
}

/* The bucket of an id. */
static size_t
harness_bucket(const char *id)
{
	uint64_t	hash = 14695981039346656037ULL;

	for (; *id != '\0'; id++)
		hash = (hash ^ (unsigned char)*id) * 1099511628211ULL;
	return hash % HARNESS_BUCKETS;
}

/* Add a session to the table (the table takes the caller's reference). */
static void
harness_table_add(struct harness *h, struct session *s)
{
	struct harness_entry	*e;
	size_t			 b = harness_bucket(s->id);

	e = xcalloc(1, sizeof *e);
	e->s = s;
	pthread_mutex_lock(&h->lock);
	e->next = h->table[b];
	h->table[b] = e;
	pthread_mutex_unlock(&h->lock);
}

/* Remove a session from the table, dropping the table's reference. */
static void
harness_table_remove(struct harness *h, struct session *s)
{
	struct harness_entry	**pp, *e;

	pthread_mutex_lock(&h->lock);
	for (pp = &h->table[harness_bucket(s->id)]; (e = *pp) != NULL;
	    pp = &e->next)
		if (e->s == s) {
			*pp = e->next;
			free(e);
			pthread_mutex_unlock(&h->lock);
			session_unref(s);
			return;
		}
	pthread_mutex_unlock(&h->lock);
}

/* Replay one stored event into a loading session. */
static int
harness_replay(const struct hstore_event *e, void *arg)
{
	struct session	*s = arg;
	json_t		*ev, *priv = NULL;

	if ((ev = json_loads(e->body, 0, NULL)) == NULL)
		return 0;
	if (e->private != NULL)
		priv = json_loads(e->private, 0, NULL);
	session_apply(s, ev, priv, e->seq);
	if (e->seq > s->seq)
		s->seq = e->seq;
	json_decref(ev);
	json_decref(priv);
	return 0;
}

/* Fill a session's environment facts from its environment. */
static void
harness_session_env(struct harness *h, struct session *s)
{
	json_t	*env, *config;
	char	*body, *cause = NULL;

	body = hstore_env_get(h->store, hjson_str(s->obj, "environment_id"),
	    &cause);
	free(cause);
	if (body == NULL || (env = json_loads(body, 0, NULL)) == NULL) {
		free(body);
		return;
	}
	free(body);
	config = json_object_get(env, "config");
	s->self_hosted = hjson_str_is(config, "type", "self_hosted");
	json_decref(s->networking);
	s->networking = json_incref(json_object_get(config, "networking"));
	json_decref(env);
}

/* Load a stored session into memory (not yet in the table). */
static struct session *
harness_load(struct harness *h, const char *id, char **cause)
{
	struct session	*s;
	char		*body;
	json_t		*obj;
	int64_t		 us;

	if ((body = hstore_session_get(h->store, id, cause)) == NULL)
		return NULL;
	obj = json_loads(body, 0, NULL);
	free(body);
	if (obj == NULL) {
		xasprintf(cause, "session %s: the stored object is corrupt",
		    id);
		return NULL;
	}
	s = session_create(h, id);
	s->obj = obj;
	if (clock_parse(hjson_str(obj, "created_at") ? hjson_str(obj,
	    "created_at") : "", strlen(hjson_str(obj, "created_at") ?
	    hjson_str(obj, "created_at") : ""), &us) == 0)
		s->created_us = us;
	if (hjson_str(json_object_get(obj, "metadata"),
	    "pilothouse.scenario") != NULL)
		s->scenario = xstrdup(hjson_str(json_object_get(obj,
		    "metadata"), "pilothouse.scenario"));
	s->active_seconds = json_number_value(json_object_get(
	    json_object_get(obj, "stats"), "active_seconds"));
	harness_session_env(h, s);
	pthread_mutex_lock(&s->lock);
	s->loading = 1;
	if (hstore_events_foreach(h->store, id, harness_replay, s,
	    cause) != 0 || hstore_pending_foreach(h->store, id, harness_replay,
	    s, cause) != 0) {
		pthread_mutex_unlock(&s->lock);
		session_unref(s);
		return NULL;
	}
	s->loading = 0;
	if (s->status == SESSION_TERMINATED)
		hub_close(s->hub);
	pthread_mutex_unlock(&s->lock);
	return s;
}

/*
 * Find a session: in the table, else loaded from the store.  NULL (with
 * *cause NULL) when there is none.  Returns a new reference.
 */
static struct session *
harness_find(struct harness *h, const char *id, char **cause)
{
	struct harness_entry	*e;
	struct session		*s;

	*cause = NULL;
	pthread_mutex_lock(&h->lock);
	for (e = h->table[harness_bucket(id)]; e != NULL; e = e->next)
		if (strcmp(e->s->id, id) == 0) {
			session_ref(e->s);
			pthread_mutex_unlock(&h->lock);
			return e->s;
		}
	pthread_mutex_unlock(&h->lock);
	if ((s = harness_load(h, id, cause)) == NULL)
		return NULL;
	/* Another thread may have loaded it meanwhile. */
	pthread_mutex_lock(&h->lock);
	for (e = h->table[harness_bucket(id)]; e != NULL; e = e->next)
		if (strcmp(e->s->id, id) == 0) {
			session_ref(e->s);
			pthread_mutex_unlock(&h->lock);
			session_unref(s);
			return e->s;
		}
	pthread_mutex_unlock(&h->lock);
	session_ref(s);
	harness_table_add(h, s);
	return s;
}

/* Create the harness: store, workers, timer, scenario directories. */
struct harness *
harness_create(const struct harness_config *cfg, char **cause)
{
	struct harness	*h;
	char		*db, *shipped, *config, *dirs[3];

	xasprintf(&db, "%s/harness.db", cfg->data_dir);
	h = xcalloc(1, sizeof *h);
	pthread_mutex_init(&h->lock, NULL);
	h->data_dir = xstrdup(cfg->data_dir);
	h->unsafe = cfg->unsafe_no_sandbox;
	if ((h->store = hstore_open(db, cause)) == NULL) {
		free(db);
		pthread_mutex_destroy(&h->lock);
		free(h->data_dir);
		free(h);
		return NULL;
	}
	free(db);
	shipped = paths_shipped_dir();
	config = paths_config_dir();
	dirs[0] = cfg->scenarios_dir != NULL ? xstrdup(cfg->scenarios_dir) :
	    NULL;
	xasprintf(&dirs[1], "%s/scenarios", config);
	xasprintf(&dirs[2], "%s/scenarios", shipped);
	h->scenarios = scenario_set_create((const char *const *)dirs, 3);
	for (int i = 0; i < 3; i++)
		free(dirs[i]);
	free(shipped);
	free(config);
	h->env.scenarios = h->scenarios;
	h->env.scripted_fast = cfg->scripted_fast;
	h->env.config_path = cfg->config_path;
	h->pool = workpool_create();
	h->timer = htimer_create();
	return h;
}

/* Reload every live session; running ones resume as rescheduled. */
int
harness_start(struct harness *h, char **cause)
{
	struct session	*s;
	char		**ids;
	size_t		 n;

	if (hstore_session_ids(h->store, &ids, &n, cause) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if ((s = harness_find(h, ids[i], cause)) != NULL) {
			pthread_mutex_lock(&s->lock);
			agent_loop_resume(s);
			pthread_mutex_unlock(&s->lock);
			session_unref(s);
		} else {
			log_error("cannot reload session %s: %s", ids[i],
			    *cause);
			free(*cause);
			*cause = NULL;
		}
		free(ids[i]);
	}
	free(ids);
	return 0;
}

/* Stop: cancel every runner and end every stream. */
void
harness_stop(struct harness *h)
{
	struct harness_entry	*e;

	__atomic_store_n(&h->stopping, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_lock(&h->lock);
	for (size_t b = 0; b < HARNESS_BUCKETS; b++)
		for (e = h->table[b]; e != NULL; e = e->next) {
			cancel_fire(&e->s->cancel);
			pthread_mutex_lock(&e->s->lock);
			pthread_cond_broadcast(&e->s->cond);
			pthread_mutex_unlock(&e->s->lock);
			hub_close(e->s->hub);
		}
	pthread_mutex_unlock(&h->lock);
}

/* Free everything (after harness_stop and the server). */
void
harness_free(struct harness *h)
{
	struct harness_entry	*e;

	if (h == NULL)
		return;
	__atomic_store_n(&h->stopping, 1, __ATOMIC_SEQ_CST);
	htimer_free(h->timer);
	workpool_free(h->pool);
	for (size_t b = 0; b < HARNESS_BUCKETS; b++)
		while ((e = h->table[b]) != NULL) {
			h->table[b] = e->next;
			session_unref(e->s);
			free(e);
		}
	scenario_set_free(h->scenarios);
	hstore_close(h->store);
	pthread_mutex_destroy(&h->lock);
	free(h->data_dir);
	free(h);
}

/* Ping every stream. */
void
harness_heartbeat(struct harness *h)
{
	struct harness_entry	*e;

	pthread_mutex_lock(&h->lock);
	for (size_t b = 0; b < HARNESS_BUCKETS; b++)
		for (e = h->table[b]; e != NULL; e = e->next)
			hub_ping(e->s->hub);
	pthread_mutex_unlock(&h->lock);
}

/* "now" as the API writes timestamps. */
static void
harness_timestamp(struct harness *h, char *buf, int64_t *us)
{
	*us = harness_now_us(h);
	clock_format(*us, 6, buf, CLOCK_RFC3339_LEN);
}

/* Check body is an object; the API's error otherwise. */
static int
harness_body(json_t *body, struct apierr *err)
{
	if (!json_is_object(body))
		return apierr_invalid(err, "the request body must be a JSON "
		    "object");
	return 0;
}

/*
 * Metadata: at most 16 pairs, keys up to 64 and values up to 512
 * characters.  With base (an update), null deletes a key and the result
 * is the merged map.  *out is a new reference.
 */
static int
harness_metadata(json_t *in, json_t *base, json_t **out, struct apierr *err)
{
	const char	*key;
	json_t		*v, *m;

	m = base != NULL ? json_deep_copy(base) : json_object();
	if (in != NULL && !json_is_null(in) && !json_is_object(in)) {
		json_decref(m);
		err->code = "invalid_metadata";
		return apierr_invalid(err, "metadata must be an object of "
		    "strings");
	}
	json_object_foreach(in, key, v) {
		if (json_is_null(v) && base != NULL) {
			json_object_del(m, key);
			continue;
		}
		if (!json_is_string(v) || strlen(key) > 64 ||
		    json_string_length(v) > 512 || *key == '\0') {
			json_decref(m);
			err->code = "invalid_metadata";
			return apierr_invalid(err, "metadata.%s: keys are 1-64 "
			    "characters and values strings of at most 512",
			    key);
		}
		json_object_set(m, key, v);
	}
	if (json_object_size(m) > HARNESS_MAX_META) {
		json_decref(m);
		err->code = "invalid_metadata";
		return apierr_invalid(err, "metadata: at most %d pairs",
		    HARNESS_MAX_META);
	}
	*out = m;
	return 0;
}

/* An optional string-or-null member; -1 with the error otherwise. */
static int
harness_opt_string(json_t *body, const char *key, struct apierr *err)
{
	json_t	*v = json_object_get(body, key);

	if (v != NULL && !json_is_null(v) && !json_is_string(v))
		return apierr_invalid(err, "%s must be a string or null", key);
	return 0;
}

/* The model member: "id" or {"id", effort?, speed?, inference_geo?}. */
static json_t *
harness_model(json_t *v, struct apierr *err)
{
	json_t	*m;

	if (json_is_string(v) && json_string_length(v) > 0)
		return json_pack("{sO}", "id", v);
	if (!json_is_object(v) || hjson_str(v, "id") == NULL) {
		apierr_invalid(err, "model must be a model id string or an "
		    "object with an \"id\"");
		return NULL;
	}
	m = json_pack("{sO}", "id", json_object_get(v, "id"));
	if (json_is_object(json_object_get(v, "effort")))
		json_object_set(m, "effort", json_object_get(v, "effort"));
	if (json_is_string(json_object_get(v, "speed")))
		json_object_set(m, "speed", json_object_get(v, "speed"));
	if (json_is_string(json_object_get(v, "inference_geo")))
		json_object_set(m, "inference_geo", json_object_get(v,
		    "inference_geo"));
	return m;
}

/* mcp_servers: [{type:"url", name, url}], at most 20, unique names. */
static json_t *
harness_mcp_servers(json_t *v, struct apierr *err)
{
	json_t	*out, *srv;
	size_t	 i, j;

	if (v == NULL || json_is_null(v))
		return json_array();
	if (!json_is_array(v) || json_array_size(v) > 20) {
		apierr_invalid(err, "mcp_servers must be an array of at most "
		    "20 servers");
		return NULL;
	}
	out = json_array();
	json_array_foreach(v, i, srv) {
		if (!hjson_str_is(srv, "type", "url") ||
		    hjson_str(srv, "name") == NULL ||
		    hjson_str(srv, "url") == NULL) {
			json_decref(out);
			apierr_invalid(err, "mcp_servers[%zu] must be "
			    "{\"type\": \"url\", \"name\", \"url\"}", i);
			return NULL;
		}
		for (j = 0; j < i; j++)
			if (hjson_str_is(json_array_get(v, j), "name",
			    hjson_str(srv, "name"))) {
				json_decref(out);
				apierr_invalid(err, "mcp_servers[%zu]: name "
				    "\"%s\" is used twice", i, hjson_str(srv,
				    "name"));
				return NULL;
			}
		json_array_append_new(out, json_pack("{sssOsO}", "type", "url",
		    "name", json_object_get(srv, "name"), "url",
		    json_object_get(srv, "url")));
	}
	return out;
}

/* skills: [{type: anthropic|custom, skill_id, version?}]. */
static json_t *
harness_skills(json_t *v, struct apierr *err)
{
	json_t	*out, *sk;
	size_t	 i;

	if (v == NULL || json_is_null(v))
		return json_array();
	if (!json_is_array(v)) {
		apierr_invalid(err, "skills must be an array");
		return NULL;
	}
	out = json_array();
	json_array_foreach(v, i, sk) {
		if ((!hjson_str_is(sk, "type", "anthropic") &&
		    !hjson_str_is(sk, "type", "custom")) ||
		    hjson_str(sk, "skill_id") == NULL) {
			json_decref(out);
			apierr_invalid(err, "skills[%zu] must be {\"type\": "
			    "\"anthropic\"|\"custom\", \"skill_id\"}", i);
			return NULL;
		}
		json_array_append_new(out, json_pack("{sOsOss}", "type",
		    json_object_get(sk, "type"), "skill_id", json_object_get(sk,
		    "skill_id"), "version", hjson_str(sk, "version") ?
		    hjson_str(sk, "version") : "latest"));
	}
	return out;
}

/*
 * Apply the agent fields of a create or update request onto a (the
 * resolved agent).  On update only the given fields change.
 */
static int
harness_agent_fields(json_t *a, json_t *body, int create, struct apierr *err)
{
	json_t		*v, *r, *servers;
	char		*cause = NULL;

	if ((v = json_object_get(body, "name")) != NULL || create) {
		if (!json_is_string(v) || json_string_length(v) == 0)
			return apierr_invalid(err, "name is required and must "
			    "be a non-empty string");
		json_object_set(a, "name", v);
	}
	if ((v = json_object_get(body, "model")) != NULL || create) {
		if ((r = harness_model(v, err)) == NULL)
			return -1;
		json_object_set_new(a, "model", r);
	}
	if (harness_opt_string(body, "description", err) != 0 ||
	    harness_opt_string(body, "system", err) != 0)
		return -1;
	if ((v = json_object_get(body, "description")) != NULL || create)
		json_object_set_new(a, "description", v != NULL ?
		    json_incref(v) : json_null());
	if ((v = json_object_get(body, "system")) != NULL || create)
		json_object_set_new(a, "system", v != NULL ? json_incref(v) :
		    json_null());
	if ((v = json_object_get(body, "mcp_servers")) != NULL || create) {
		if ((r = harness_mcp_servers(v, err)) == NULL)
			return -1;
		json_object_set_new(a, "mcp_servers", r);
	}
	servers = json_object_get(a, "mcp_servers");
	if ((v = json_object_get(body, "tools")) != NULL || create) {
		if (policy_resolve_tools(v, servers, &r, &cause) != 0) {
			apierr_invalid(err, "%s", cause);
			free(cause);
			return -1;
		}
		json_object_set_new(a, "tools", r);
	}
	if ((v = json_object_get(body, "skills")) != NULL || create) {
		if ((r = harness_skills(v, err)) == NULL)
			return -1;
		json_object_set_new(a, "skills", r);
	}
	if ((v = json_object_get(body, "multiagent")) != NULL || create) {
		if (v != NULL && !json_is_null(v) && !json_is_object(v))
			return apierr_invalid(err, "multiagent must be an "
			    "object or null");
		json_object_set_new(a, "multiagent", v != NULL ?
		    json_incref(v) : json_null());
	}
	if ((v = json_object_get(body, "execution_identity")) != NULL ||
	    create) {
		if (v != NULL && !json_is_null(v) && hjson_str(v, "type") ==
		    NULL)
			return apierr_invalid(err, "execution_identity needs a "
			    "\"type\"");
		json_object_set_new(a, "execution_identity", v != NULL &&
		    !json_is_null(v) ? json_incref(v) :
		    json_pack("{ss}", "type", "service_account"));
	}
	if ((v = json_object_get(body, "metadata")) != NULL || create) {
		if (harness_metadata(v, create ? NULL : json_object_get(a,
		    "metadata"), &r, err) != 0)
			return -1;
		json_object_set_new(a, "metadata", r);
	}
	/* Toolsets must keep pointing at declared servers. */
	if (!create && json_object_get(body, "tools") == NULL &&
	    json_object_get(body, "mcp_servers") != NULL) {
		if (policy_resolve_tools(json_object_get(a, "tools"), servers,
		    &r, &cause) != 0) {
			apierr_invalid(err, "%s", cause);
			free(cause);
			return -1;
		}
		json_decref(r);
	}
	return 0;
}

/* Store an agent version. */
static int
harness_agent_save(struct harness *h, json_t *a, int64_t created_us,
    struct apierr *err)
{
	char	*body, *cause = NULL;
	int	 rv;

	body = hjson_dump(a);
	rv = hstore_agent_put(h->store, hjson_str(a, "id"),
	    json_integer_value(json_object_get(a, "version")), created_us,
	    body, &cause);
	free(body);
	if (rv != 0) {
		apierr_set(err, 500, "api_error", "cannot store the agent: %s",
		    cause);
		free(cause);
	}
	return rv;
}

/* POST /v1/agents */
int
harness_agent_create(struct harness *h, json_t *body, json_t **out,
    struct apierr *err)
{
	char	 id[RAND_ID_LEN], now[CLOCK_RFC3339_LEN];
	int64_t	 us;
	json_t	*a;

	if (harness_body(body, err) != 0)
		return -1;
	rand_id("agent", id, sizeof id);
	harness_timestamp(h, now, &us);
	a = json_pack("{sssssi}", "type", "agent", "id", id, "version", 1);
	if (harness_agent_fields(a, body, 1, err) != 0) {
		json_decref(a);
		return -1;
	}
	json_object_set_new(a, "archived_at", json_null());
	json_object_set_new(a, "created_at", json_string(now));
	json_object_set_new(a, "updated_at", json_string(now));
	if (harness_agent_save(h, a, us, err) != 0) {
		json_decref(a);
		return -1;
	}
	*out = a;
	return 0;
}

/* Load an agent (version 0: latest); 404 when unknown. */
static json_t *
harness_agent_load(struct harness *h, const char *id, int64_t version,
    struct apierr *err)
{
	char	*body, *cause = NULL;
	json_t	*a;

	if ((body = hstore_agent_get(h->store, id, version, &cause)) == NULL) {
		if (cause != NULL) {
			apierr_set(err, 500, "api_error", "%s", cause);
			free(cause);
		} else if (version != 0)
			apierr_not_found(err, "agent %s has no version %lld",
			    id, (long long)version);
		else
			apierr_not_found(err, "agent %s not found", id);
		return NULL;
	}
	a = json_loads(body, 0, NULL);
	free(body);
	if (a == NULL)
		apierr_set(err, 500, "api_error", "agent %s is corrupt", id);
	return a;
}

/* GET /v1/agents/{id} */
int
harness_agent_get(struct harness *h, const char *id, int64_t version,
    json_t **out, struct apierr *err)
{
	return (*out = harness_agent_load(h, id, version, err)) ? 0 : -1;
}

/* POST /v1/agents/{id}: a new version when something changed. */
int
harness_agent_update(struct harness *h, const char *id, json_t *body,
    json_t **out, struct apierr *err)
{
	json_t	*cur, *a, *v;
	char	 now[CLOCK_RFC3339_LEN];
	int64_t	 us, created;

	if (harness_body(body, err) != 0)
		return -1;
	if ((cur = harness_agent_load(h, id, 0, err)) == NULL)
		return -1;
	if ((v = json_object_get(body, "version")) != NULL &&
	    (!json_is_integer(v) || json_integer_value(v) !=
	    json_integer_value(json_object_get(cur, "version")))) {
		apierr_set(err, 409, "conflict_error", "agent version %s does "
		    "not match the current version %lld; fetch the agent and "
		    "retry", json_is_integer(v) ? "given" : "(not a number)",
		    (long long)json_integer_value(json_object_get(cur,
		    "version")));
		json_decref(cur);
		return -1;
	}
	if (!json_is_null(json_object_get(cur, "archived_at"))) {
		json_decref(cur);
		return apierr_invalid(err, "agent %s is archived", id);
	}
	a = json_deep_copy(cur);
	if (harness_agent_fields(a, body, 0, err) != 0) {
		json_decref(a);
		json_decref(cur);
		return -1;
	}
	if (json_equal(a, cur)) {
		json_decref(a);
		*out = cur;
		return 0;
	}
	json_decref(cur);
	json_object_set_new(a, "version", json_integer(json_integer_value(
	    json_object_get(a, "version")) + 1));
	harness_timestamp(h, now, &us);
	json_object_set_new(a, "updated_at", json_string(now));
	created = us;
	if (clock_parse(hjson_str(a, "created_at"), strlen(hjson_str(a,
	    "created_at")), &created) != 0)
		created = us;
	if (harness_agent_save(h, a, created, err) != 0) {
		json_decref(a);
		return -1;
	}
	*out = a;
	return 0;
}

/* POST /v1/agents/{id}/archive */
int
harness_agent_archive(struct harness *h, const char *id, json_t **out,
    struct apierr *err)
{
	json_t	*a;
	char	 now[CLOCK_RFC3339_LEN], *body, *cause = NULL;
	int64_t	 us;

	if ((a = harness_agent_load(h, id, 0, err)) == NULL)
		return -1;
	if (json_is_null(json_object_get(a, "archived_at"))) {
		harness_timestamp(h, now, &us);
		json_object_set_new(a, "archived_at", json_string(now));
		json_object_set_new(a, "updated_at", json_string(now));
		body = hjson_dump(a);
		if (hstore_agent_archive(h->store, id, body, &cause) != 0) {
			apierr_set(err, 500, "api_error", "%s", cause);
			free(cause);
			free(body);
			json_decref(a);
			return -1;
		}
		free(body);
	}
	*out = a;
	return 0;
}

/* The resolved environment config. */
static json_t *
harness_env_config(json_t *v, struct apierr *err)
{
	static const char *const pkgs[] = { "apt", "cargo", "gem", "go",
	    "npm", "pip" };
	json_t	*net, *out, *p, *list;
	size_t	 i;

	if (v == NULL || json_is_null(v))
		v = NULL;
	else if (hjson_str_is(v, "type", "self_hosted"))
		return json_pack("{ss}", "type", "self_hosted");
	else if (!hjson_str_is(v, "type", "cloud")) {
		apierr_invalid(err, "config.type must be \"cloud\" or "
		    "\"self_hosted\"");
		return NULL;
	}
	net = json_object_get(v, "networking");
	if (net == NULL || json_is_null(net) || hjson_str_is(net, "type",
	    "limited")) {
		list = json_object_get(net, "allowed_hosts");
		if (list != NULL && !json_is_null(list) &&
		    !json_is_array(list)) {
			apierr_invalid(err, "config.networking.allowed_hosts "
			    "must be an array");
			return NULL;
		}
		net = json_pack("{sssOsbsb}", "type", "limited",
		    "allowed_hosts", list != NULL && !json_is_null(list) ?
		    list : json_array(), "allow_mcp_servers", json_is_true(
		    json_object_get(net, "allow_mcp_servers")),
		    "allow_package_managers", json_is_true(json_object_get(net,
		    "allow_package_managers")));
		if (list == NULL || json_is_null(list))
			json_decref(json_object_get(net, "allowed_hosts"));
	} else if (hjson_str_is(net, "type", "unrestricted"))
		net = json_pack("{ss}", "type", "unrestricted");
	else {
		apierr_invalid(err, "config.networking.type must be "
		    "\"limited\" or \"unrestricted\"");
		return NULL;
	}
	p = json_pack("{ss}", "type", "packages");
	for (i = 0; i < AD_NITEMS(pkgs); i++) {
		list = json_object_get(json_object_get(v, "packages"), pkgs[i]);
		json_object_set_new(p, pkgs[i], json_is_array(list) ?
		    json_incref(list) : json_array());
	}
	out = json_pack("{ssso}", "type", "cloud", "networking", net);
	json_object_set_new(out, "packages", p);
	return out;
}

/* Apply environment fields (create or update). */
static int
harness_env_fields(json_t *e, json_t *body, int create, struct apierr *err)
{
	json_t	*v, *r;

	if ((v = json_object_get(body, "name")) != NULL || create) {
		if (!json_is_string(v) || json_string_length(v) == 0)
			return apierr_invalid(err, "name is required and must "
			    "be a non-empty string");
		json_object_set(e, "name", v);
	}
	if (harness_opt_string(body, "description", err) != 0)
		return -1;
	if ((v = json_object_get(body, "description")) != NULL || create)
		json_object_set_new(e, "description", v != NULL ?
		    json_incref(v) : json_null());
	if ((v = json_object_get(body, "config")) != NULL || create) {
		if ((r = harness_env_config(v, err)) == NULL)
			return -1;
		if (!create && !hjson_str_is(r, "type", hjson_str(
		    json_object_get(e, "config"), "type"))) {
			json_decref(r);
			err->code = "invalid_config_type_change";
			return apierr_invalid(err, "an environment's config "
			    "type cannot change");
		}
		json_object_set_new(e, "config", r);
	}
	if ((v = json_object_get(body, "metadata")) != NULL || create) {
		if (harness_metadata(v, create ? NULL : json_object_get(e,
		    "metadata"), &r, err) != 0)
			return -1;
		json_object_set_new(e, "metadata", r);
	}
	if ((v = json_object_get(body, "scope")) != NULL && !json_is_null(v)) {
		if (!hjson_str_is(body, "scope", "organization") &&
		    !hjson_str_is(body, "scope", "account"))
			return apierr_invalid(err, "scope must be "
			    "\"organization\" or \"account\"");
		json_object_set(e, "scope", v);
	}
	return 0;
}

/* Store an environment. */
static int
harness_env_save(struct harness *h, json_t *e, struct apierr *err)
{
	char	*body, *cause = NULL;
	int64_t	 created = 0;
	int	 rv;

	if (clock_parse(hjson_str(e, "created_at"), strlen(hjson_str(e,
	    "created_at")), &created) != 0)
		created = 0;
	body = hjson_dump(e);
	rv = hstore_env_put(h->store, hjson_str(e, "id"), created,
	    !json_is_null(json_object_get(e, "archived_at")), body, &cause);
	free(body);
	if (rv != 0) {
		apierr_set(err, 500, "api_error", "%s", cause);
		free(cause);
	}
	return rv;
}

/* POST /v1/environments */
int
harness_env_create(struct harness *h, json_t *body, json_t **out,
    struct apierr *err)
{
	char	 id[RAND_ID_LEN], now[CLOCK_RFC3339_LEN];
	int64_t	 us;
	json_t	*e;

	if (harness_body(body, err) != 0)
		return -1;
	rand_id("env", id, sizeof id);
	harness_timestamp(h, now, &us);
	e = json_pack("{ssss}", "type", "environment", "id", id);
	if (harness_env_fields(e, body, 1, err) != 0) {
		json_decref(e);
		return -1;
	}
	json_object_set_new(e, "archived_at", json_null());
	json_object_set_new(e, "created_at", json_string(now));
	json_object_set_new(e, "updated_at", json_string(now));
	if (harness_env_save(h, e, err) != 0) {
		json_decref(e);
		return -1;
	}
	*out = e;
	return 0;
}

/* Load an environment; 404 (environment_not_found) when unknown. */
static json_t *
harness_env_load(struct harness *h, const char *id, struct apierr *err)
{
	char	*body, *cause = NULL;
	json_t	*e;

	if ((body = hstore_env_get(h->store, id, &cause)) == NULL) {
		if (cause != NULL) {
			apierr_set(err, 500, "api_error", "%s", cause);
			free(cause);
		} else {
			err->code = "environment_not_found";
			apierr_not_found(err, "environment %s not found", id);
		}
		return NULL;
	}
	e = json_loads(body, 0, NULL);
	free(body);
	if (e == NULL)
		apierr_set(err, 500, "api_error", "environment %s is corrupt",
		    id);
	return e;
}

/* GET /v1/environments/{id} */
int
harness_env_get(struct harness *h, const char *id, json_t **out,
    struct apierr *err)
{
	return (*out = harness_env_load(h, id, err)) ? 0 : -1;
}

/* POST /v1/environments/{id} */
int
harness_env_update(struct harness *h, const char *id, json_t *body,
    json_t **out, struct apierr *err)
{
	json_t	*e;
	char	 now[CLOCK_RFC3339_LEN];
	int64_t	 us;

	if (harness_body(body, err) != 0 ||
	    (e = harness_env_load(h, id, err)) == NULL)
		return -1;
	if (harness_env_fields(e, body, 0, err) != 0) {
		json_decref(e);
		return -1;
	}
	harness_timestamp(h, now, &us);
	json_object_set_new(e, "updated_at", json_string(now));
	if (harness_env_save(h, e, err) != 0) {
		json_decref(e);
		return -1;
	}
	*out = e;
	return 0;
}

/* POST /v1/environments/{id}/archive */
int
harness_env_archive(struct harness *h, const char *id, json_t **out,
    struct apierr *err)
{
	json_t	*e;
	char	 now[CLOCK_RFC3339_LEN];
	int64_t	 us;

	if ((e = harness_env_load(h, id, err)) == NULL)
		return -1;
	if (json_is_null(json_object_get(e, "archived_at"))) {
		harness_timestamp(h, now, &us);
		json_object_set_new(e, "archived_at", json_string(now));
		json_object_set_new(e, "updated_at", json_string(now));
		if (harness_env_save(h, e, err) != 0) {
			json_decref(e);
			return -1;
		}
	}
	*out = e;
	return 0;
}

/* DELETE /v1/environments/{id} */
int
harness_env_delete(struct harness *h, const char *id, json_t **out,
    struct apierr *err)
{
	json_t	*e;
	char	*cause = NULL;

	if ((e = harness_env_load(h, id, err)) == NULL)
		return -1;
	json_decref(e);
	if (hstore_env_delete(h->store, id, &cause) != 0) {
		apierr_set(err, 500, "api_error", "%s", cause);
		free(cause);
		return -1;
	}
	*out = json_pack("{ssss}", "id", id, "type", "environment_deleted");
	return 0;
}

/* The agent snapshot a session keeps. */
static json_t *
harness_agent_snapshot(json_t *a)
{
	static const char *const keys[] = { "id", "version", "name",
	    "description", "model", "system", "tools", "mcp_servers", "skills",
	    "multiagent", "execution_identity" };
	json_t	*snap;

	snap = json_pack("{ss}", "type", "agent");
	for (size_t i = 0; i < AD_NITEMS(keys); i++)
		json_object_set(snap, keys[i], json_object_get(a, keys[i]) ?
		    json_object_get(a, keys[i]) : json_null());
	return snap;
}

/* Resolve SessionCreate.agent into a snapshot. */
static json_t *
harness_session_agent(struct harness *h, json_t *v, struct apierr *err)
{
	json_t		*a, *snap, *r;
	const char	*id;
	int64_t		 version = 0;
	char		*cause = NULL;

	if (json_is_string(v))
		id = json_string_value(v);
	else if (hjson_str_is(v, "type", "agent") ||
	    hjson_str_is(v, "type", "agent_with_overrides")) {
		id = hjson_str(v, "id");
		if (json_object_get(v, "version") != NULL) {
			if (!json_is_integer(json_object_get(v, "version")) ||
			    json_integer_value(json_object_get(v,
			    "version")) < 1) {
				apierr_invalid(err, "agent.version must be an "
				    "integer >= 1");
				return NULL;
			}
			version = json_integer_value(json_object_get(v,
			    "version"));
		}
	} else
		id = NULL;
	if (id == NULL) {
		apierr_invalid(err, "agent must be an agent id or {\"type\": "
		    "\"agent\" | \"agent_with_overrides\", \"id\"}");
		return NULL;
	}
	if ((a = harness_agent_load(h, id, version, err)) == NULL)
		return NULL;
	if (!json_is_null(json_object_get(a, "archived_at"))) {
		json_decref(a);
		apierr_invalid(err, "agent %s is archived", id);
		return NULL;
	}
	snap = harness_agent_snapshot(a);
	json_decref(a);
	if (!hjson_str_is(v, "type", "agent_with_overrides"))
		return snap;
	if (json_object_get(v, "model") != NULL) {
		if ((r = harness_model(json_object_get(v, "model"), err)) ==
		    NULL)
			goto fail;
		json_object_set_new(snap, "model", r);
	}
	if (json_object_get(v, "system") != NULL) {
		if (harness_opt_string(v, "system", err) != 0)
			goto fail;
		json_object_set(snap, "system", json_object_get(v, "system"));
	}
	if (json_object_get(v, "mcp_servers") != NULL) {
		if ((r = harness_mcp_servers(json_object_get(v, "mcp_servers"),
		    err)) == NULL)
			goto fail;
		json_object_set_new(snap, "mcp_servers", r);
	}
	if (json_object_get(v, "skills") != NULL) {
		if ((r = harness_skills(json_object_get(v, "skills"),
		    err)) == NULL)
			goto fail;
		json_object_set_new(snap, "skills", r);
	}
	if (json_object_get(v, "tools") != NULL) {
		if (policy_resolve_tools(json_object_get(v, "tools"),
		    json_object_get(snap, "mcp_servers"), &r, &cause) != 0) {
			apierr_invalid(err, "agent.%s", cause);
			free(cause);
			goto fail;
		}
		json_object_set_new(snap, "tools", r);
	}
	return snap;
fail:
	json_decref(snap);
	return NULL;
}

/* SessionCreate.resources, with ids and timestamps. */
static json_t *
harness_resources(struct harness *h, json_t *v, struct apierr *err)
{
	char	 id[RAND_ID_LEN], now[CLOCK_RFC3339_LEN];
	int64_t	 us;
	json_t	*out, *r, *o;
	size_t	 i;

	if (v == NULL || json_is_null(v))
		return json_array();
	if (!json_is_array(v)) {
		apierr_invalid(err, "resources must be an array");
		return NULL;
	}
	harness_timestamp(h, now, &us);
	out = json_array();
	json_array_foreach(v, i, r) {
		if (hjson_str_is(r, "type", "github_repository") &&
		    hjson_str(r, "url") != NULL) {
			rand_id("sesrsc", id, sizeof id);
			o = json_pack("{sssssOss}", "type", "github_repository",
			    "id", id, "url", json_object_get(r, "url"),
			    "mount_path", hjson_str(r, "mount_path") ?
			    hjson_str(r, "mount_path") : "/workspace");
			if (json_object_get(r, "checkout") != NULL)
				json_object_set(o, "checkout",
				    json_object_get(r, "checkout"));
		} else if (hjson_str_is(r, "type", "file") &&
		    hjson_str(r, "file_id") != NULL) {
			rand_id("sesrsc", id, sizeof id);
			o = json_pack("{sssssOss}", "type", "file", "id", id,
			    "file_id", json_object_get(r, "file_id"),
			    "mount_path", hjson_str(r, "mount_path") ?
			    hjson_str(r, "mount_path") : "/workspace");
		} else if (hjson_str_is(r, "type", "memory_store") &&
		    hjson_str(r, "memory_store_id") != NULL) {
			o = json_deep_copy(r);
			json_array_append_new(out, o);
			continue;
		} else {
			json_decref(out);
			apierr_invalid(err, "resources[%zu]: expected a "
			    "github_repository {url}, file {file_id} or "
			    "memory_store {memory_store_id}", i);
			return NULL;
		}
		json_object_set_new(o, "created_at", json_string(now));
		json_object_set_new(o, "updated_at", json_string(now));
		json_array_append_new(out, o);
	}
	return out;
}

/* A budget: {"type":"limit","max_list_cost":{"amount","currency"}}. */
static int
harness_budget_ok(json_t *v)
{
	json_t	*m = json_object_get(v, "max_list_cost");

	return hjson_str_is(v, "type", "limit") && hjson_str(m, "amount") &&
	    hjson_str(m, "currency") != NULL;
}

/* Validate a user.message's content blocks. */
static int
harness_content_ok(json_t *content, int text_only)
{
	json_t	*b;
	size_t	 i;

	if (!json_is_array(content) || json_array_size(content) == 0)
		return 0;
	json_array_foreach(content, i, b) {
		if (hjson_str_is(b, "type", "text")) {
			if (hjson_str(b, "text") == NULL)
				return 0;
		} else if (text_only)
			return 0;
		else if (!hjson_str_is(b, "type", "image") &&
		    !hjson_str_is(b, "type", "document") &&
		    !hjson_str_is(b, "type", "redacted") &&
		    !hjson_str_is(b, "type", "search_result"))
			return 0;
	}
	return 1;
}

/* Write a new session's row. */
static int
harness_session_save(struct harness *h, struct session *s, struct apierr *err)
{
	struct hstore_session_row	 row;
	json_t				*agent;
	char				*body, *cause = NULL;
	int				 rv;

	agent = json_object_get(s->obj, "agent");
	memset(&row, 0, sizeof row);
	row.id = s->id;
	row.created_us = s->created_us;
	row.status = hjson_str(s->obj, "status");
	row.archived = !json_is_null(json_object_get(s->obj, "archived_at"));
	row.agent_id = hjson_str(agent, "id");
	row.agent_version = json_integer_value(json_object_get(agent,
	    "version"));
	body = hjson_dump(s->obj);
	row.body = body;
	rv = hstore_session_put(h->store, &row, &cause);
	free(body);
	if (rv != 0) {
		apierr_set(err, 500, "api_error", "%s", cause);
		free(cause);
	}
	return rv;
}

/* POST /v1/sessions */
int
harness_session_create(struct harness *h, json_t *body, json_t **out,
    struct apierr *err)
{
	struct session	*s;
	json_t		*env, *agent, *meta, *res, *init, *ev, *o;
	char		 id[RAND_ID_LEN], now[CLOCK_RFC3339_LEN];
	int64_t		 us;
	size_t		 i;

	if (harness_body(body, err) != 0)
		return -1;
	if (hjson_str(body, "environment_id") == NULL)
		return apierr_invalid(err, "environment_id is required");
	if (harness_opt_string(body, "title", err) != 0)
		return -1;
	init = json_object_get(body, "initial_events");
	if (init != NULL && (!json_is_array(init) ||
	    json_array_size(init) > HARNESS_MAX_INITIAL))
		return apierr_invalid(err, "initial_events must be an array of "
		    "at most %d events", HARNESS_MAX_INITIAL);
	json_array_foreach(init, i, ev) {
		if (hjson_str_is(ev, "type", "user.define_outcome"))
			return apierr_invalid(err, "initial_events[%zu]: "
			    "user.define_outcome is not supported by the local "
			    "harness (no grader)", i);
		if (!hjson_str_is(ev, "type", "user.message") ||
		    !harness_content_ok(json_object_get(ev, "content"), 0))
			return apierr_invalid(err, "initial_events[%zu] must "
			    "be a user.message with content blocks", i);
	}
	if (json_object_get(body, "budget") != NULL &&
	    !harness_budget_ok(json_object_get(body, "budget")))
		return apierr_invalid(err, "budget must be {\"type\": "
		    "\"limit\", \"max_list_cost\": {\"amount\", "
		    "\"currency\"}}");
	o = json_object_get(body, "vault_ids");
	if (o != NULL && !json_is_array(o))
		return apierr_invalid(err, "vault_ids must be an array");
	if ((env = harness_env_load(h, hjson_str(body, "environment_id"),
	    err)) == NULL)
		return -1;
	if (!json_is_null(json_object_get(env, "archived_at"))) {
		json_decref(env);
		err->code = "environment_archived";
		return apierr_invalid(err, "environment %s is archived",
		    hjson_str(body, "environment_id"));
	}
	json_decref(env);
	if ((agent = harness_session_agent(h, json_object_get(body, "agent"),
	    err)) == NULL)
		return -1;
	if (harness_metadata(json_object_get(body, "metadata"), NULL, &meta,
	    err) != 0) {
		json_decref(agent);
		return -1;
	}
	if ((res = harness_resources(h, json_object_get(body, "resources"),
	    err)) == NULL) {
		json_decref(agent);
		json_decref(meta);
		return -1;
	}
	rand_id("sesn", id, sizeof id);
	harness_timestamp(h, now, &us);
	o = json_pack("{sssssOss}", "type", "session", "id", id, "title",
	    json_object_get(body, "title") ? json_object_get(body, "title") :
	    json_null(), "status", "idle");
	json_object_set_new(o, "agent", agent);
	json_object_set(o, "environment_id", json_object_get(body,
	    "environment_id"));
	json_object_set_new(o, "metadata", meta);
	json_object_set_new(o, "resources", res);
	json_object_set(o, "vault_ids", json_object_get(body, "vault_ids") ?
	    json_object_get(body, "vault_ids") : json_array());
	if (json_object_get(body, "vault_ids") == NULL)
		json_decref(json_object_get(o, "vault_ids"));
	json_object_set(o, "budget", json_object_get(body, "budget") ?
	    json_object_get(body, "budget") : json_null());
	json_object_set_new(o, "outcome_evaluations", json_array());
	json_object_set_new(o, "stats", json_pack("{sfsf}", "active_seconds",
	    0.0, "duration_seconds", 0.0));
	json_object_set_new(o, "usage", json_pack("{sisisis{sisi}sfs{ssss}"
	    "s{sisi}}", "input_tokens", 0, "output_tokens", 0,
	    "cache_read_input_tokens", 0, "cache_creation",
	    "ephemeral_5m_input_tokens", 0, "ephemeral_1h_input_tokens", 0,
	    "active_seconds", 0.0, "list_cost", "amount", "0", "currency",
	    "USD",
	    "server_tool_use", "web_fetch_requests", 0, "web_search_requests",
	    0));
	json_object_set_new(o, "deployment_id", json_null());
	json_object_set_new(o, "archived_at", json_null());
	json_object_set_new(o, "created_at", json_string(now));
	json_object_set_new(o, "updated_at", json_string(now));

	s = session_create(h, id);
	s->obj = o;
	s->created_us = us;
	if (hjson_str(meta, "pilothouse.scenario") != NULL)
		s->scenario = xstrdup(hjson_str(meta, "pilothouse.scenario"));
	harness_session_env(h, s);
	if (harness_session_save(h, s, err) != 0) {
		session_unref(s);
		return -1;
	}
	session_ref(s);
	harness_table_add(h, s);
	pthread_mutex_lock(&s->lock);
	json_array_foreach(init, i, ev)
		agent_loop_accept(s, ev, NULL, NULL);
	*out = json_deep_copy(s->obj);
	pthread_mutex_unlock(&s->lock);
	session_unref(s);
	return 0;
}

/* Look a session up for an API call: 404 when unknown. */
static struct session *
harness_session_find(struct harness *h, const char *id, struct apierr *err)
{
	struct session	*s;
	char		*cause = NULL;

	if ((s = harness_find(h, id, &cause)) == NULL) {
		if (cause != NULL) {
			apierr_set(err, 500, "api_error", "%s", cause);
			free(cause);
		} else
			apierr_not_found(err, "session %s not found", id);
		return NULL;
	}
	pthread_mutex_lock(&s->lock);
	if (s->deleted) {
		pthread_mutex_unlock(&s->lock);
		session_unref(s);
		apierr_not_found(err, "session %s not found", id);
		return NULL;
	}
	pthread_mutex_unlock(&s->lock);
	return s;
}

/* The session object as of now (lock held). */
static json_t *
harness_session_view(struct session *s)
{
	json_t	*o = json_deep_copy(s->obj);
	json_t	*stats = json_object_get(o, "stats");
	double	 active = s->active_seconds;

	if (s->running_since != 0)
		active += (double)(clock_mono_us() - s->running_since) / 1e6;
	json_object_set_new(o, "status", json_string(
	    session_status_name(s->status)));
	json_object_set_new(stats, "active_seconds", json_real(active));
	if (s->status != SESSION_TERMINATED)
		json_object_set_new(stats, "duration_seconds", json_real(
		    (double)(clock_real_us() - s->created_us) / 1e6));
	return o;
}

/* GET /v1/sessions/{id} */
int
harness_session_get(struct harness *h, const char *id, json_t **out,
    struct apierr *err)
{
	struct session	*s;

	if ((s = harness_session_find(h, id, err)) == NULL)
		return -1;
	pthread_mutex_lock(&s->lock);
	*out = harness_session_view(s);
	pthread_mutex_unlock(&s->lock);
	session_unref(s);
	return 0;
}

/* Is the session doing something (running or retrying)? */
static int
harness_session_busy(struct session *s)
{
	return s->status == SESSION_RUNNING ||
	    s->status == SESSION_RESCHEDULING;
}

/* POST /v1/sessions/{id} */
int
harness_session_update(struct harness *h, const char *id, json_t *body,
    json_t **out, struct apierr *err)
{
	struct session	*s;
	json_t		*changed, *v, *r, *agent;
	char		*cause = NULL;
	int		 rv = -1;

	if (harness_body(body, err) != 0 ||
	    (s = harness_session_find(h, id, err)) == NULL)
		return -1;
	pthread_mutex_lock(&s->lock);
	changed = json_object();
	if (json_object_get(body, "vault_ids") != NULL) {
		apierr_invalid(err, "vault_ids cannot be updated");
		goto out;
	}
	if (s->status == SESSION_TERMINATED) {
		apierr_invalid(err, "session %s is terminated", id);
		goto out;
	}
	if ((v = json_object_get(body, "title")) != NULL) {
		if (harness_opt_string(body, "title", err) != 0)
			goto out;
		json_object_set(changed, "title", v);
	}
	if ((v = json_object_get(body, "metadata")) != NULL) {
		if (harness_metadata(v, json_object_get(s->obj, "metadata"),
		    &r, err) != 0)
			goto out;
		json_object_set_new(changed, "metadata", r);
	}
	if ((v = json_object_get(body, "budget")) != NULL) {
		if (!json_is_null(v) && !harness_budget_ok(v)) {
			apierr_invalid(err, "budget must be {\"type\": "
			    "\"limit\", \"max_list_cost\": {...}} or null");
			goto out;
		}
		if (json_is_null(json_object_get(s->obj, "budget")) &&
		    !json_is_null(v)) {
			apierr_invalid(err, "budget_create_only: a budget can "
			    "only be set when the session is created");
			goto out;
		}
		json_object_set(changed, "budget", v);
	}
	if ((v = json_object_get(body, "agent")) != NULL) {
		if (harness_session_busy(s)) {
			apierr_invalid(err, "the agent's tools can only change "
			    "while the session is not running");
			goto out;
		}
		agent = json_deep_copy(json_object_get(s->obj, "agent"));
		if (json_object_get(v, "mcp_servers") != NULL) {
			if ((r = harness_mcp_servers(json_object_get(v,
			    "mcp_servers"), err)) == NULL) {
				json_decref(agent);
				goto out;
			}
			json_object_set_new(agent, "mcp_servers", r);
		}
		if (json_object_get(v, "tools") != NULL) {
			if (policy_resolve_tools(json_object_get(v, "tools"),
			    json_object_get(agent, "mcp_servers"), &r,
			    &cause) != 0) {
				apierr_invalid(err, "agent.%s", cause);
				free(cause);
				json_decref(agent);
				goto out;
			}
			json_object_set_new(agent, "tools", r);
		}
		json_object_set_new(changed, "agent", agent);
	}
	json_object_update(s->obj, changed);
	if (json_object_size(changed) > 0)
		session_emit(s, "session.updated", json_incref(changed), NULL,
		    0, NULL, NULL);
	*out = harness_session_view(s);
	rv = 0;
out:
	json_decref(changed);
	pthread_mutex_unlock(&s->lock);
	session_unref(s);
	return rv;
}

/* POST /v1/sessions/{id}/archive: the session ends (terminated). */
int
harness_session_archive(struct harness *h, const char *id, json_t **out,
    struct apierr *err)
{
	struct session	*s;
	char		 now[CLOCK_RFC3339_LEN];
	int64_t		 us;

	if ((s = harness_session_find(h, id, err)) == NULL)
		return -1;
	pthread_mutex_lock(&s->lock);
	if (harness_session_busy(s)) {
		pthread_mutex_unlock(&s->lock);
		session_unref(s);
		return apierr_invalid(err, "Cannot archive a session while it "
		    "is running; interrupt it and wait for "
		    "session.status_idle");
	}
	if (json_is_null(json_object_get(s->obj, "archived_at"))) {
		harness_timestamp(h, now, &us);
		json_object_set_new(s->obj, "archived_at", json_string(now));
		if (s->status != SESSION_TERMINATED)
			session_emit(s, "session.status_terminated",
			    json_object(), NULL, 0, NULL, NULL);
		else
			harness_session_save(h, s, err);
	}
	*out = harness_session_view(s);
	pthread_mutex_unlock(&s->lock);
	session_unref(s);
	return 0;
}

/* nftw callback: remove one entry. */
static int
harness_rm(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	remove(path);
	return 0;
}

/* DELETE /v1/sessions/{id} */
int
harness_session_delete(struct harness *h, const char *id, json_t **out,
    struct apierr *err)
{
	struct session	*s;
	char		*cause = NULL, *dir;

	if ((s = harness_session_find(h, id, err)) == NULL)
		return -1;
	pthread_mutex_lock(&s->lock);
	if (harness_session_busy(s)) {
		pthread_mutex_unlock(&s->lock);
		session_unref(s);
		return apierr_invalid(err, "Cannot delete a session while it "
		    "is running; interrupt it and wait for "
		    "session.status_idle");
	}
	session_emit(s, "session.deleted", json_object(), NULL, 0, NULL, NULL);
	if (hstore_session_delete(h->store, id, &cause) != 0) {
		pthread_mutex_unlock(&s->lock);
		session_unref(s);
		apierr_set(err, 500, "api_error", "%s", cause);
		free(cause);
		return -1;
	}
	s->deleted = 1;
	cancel_fire(&s->cancel);
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	harness_table_remove(h, s);
	xasprintf(&dir, "%s/sandboxes/%s", h->data_dir, id);
	nftw(dir, harness_rm, 16, FTW_DEPTH|FTW_PHYS);
	free(dir);
	session_unref(s);
	*out = json_pack("{ssss}", "id", id, "type", "session_deleted");
	return 0;
}

/* GET /v1/sessions/{id}/resources */
int
harness_session_resources(struct harness *h, const char *id, json_t **out,
    struct apierr *err)
{
	struct session	*s;

	if ((s = harness_session_find(h, id, err)) == NULL)
		return -1;
	pthread_mutex_lock(&s->lock);
	*out = json_pack("{sOsn}", "data", json_object_get(s->obj,
	    "resources"), "next_page");
	pthread_mutex_unlock(&s->lock);
	session_unref(s);
	return 0;
}

/* Is tool use id awaiting a confirmation (and not answered in this
 * request already)? */
static struct session_call *
harness_confirmable(struct session *s, const char *id, json_t *answered)
{
	struct session_call	*c = session_call_find(s, id);

	if (c == NULL || c->custom || c->done || c->verdict != POLICY_ASK ||
	    c->confirm != SESSION_CONFIRM_NONE ||
	    c->confirm_queued != SESSION_CONFIRM_NONE ||
	    json_object_get(answered, id) != NULL)
		return NULL;
	return c;
}

/* Validate one client event of a POST (lock held). */
static int
harness_event_check(struct session *s, json_t *events, size_t i,
    json_t *answered, struct apierr *err)
{
	json_t			*ev = json_array_get(events, i), *prev;
	const char		*type = hjson_str(ev, "type"), *id;
	enum api_event_type	 t;
	struct session_call	*c;

	if (!json_is_object(ev) || type == NULL)
		return apierr_invalid(err, "events.%zu: each event must be an "
		    "object with a \"type\"", i);
	t = api_event_type_lookup(type, strlen(type));
	if (t == API_EV_UNKNOWN)
		return apierr_invalid(err, "events.%zu.type: unknown event "
		    "type \"%s\"", i, type);
	if (!(api_event_type_flags(t) & API_EVF_CLIENT))
		return apierr_invalid(err, "events.%zu.type: \"%s\" cannot be "
		    "sent by a client", i, type);
	switch (t) {
	case API_EV_USER_MESSAGE:
		if (!harness_content_ok(json_object_get(ev, "content"), 0))
			return apierr_invalid(err, "events.%zu.content: a "
			    "non-empty array of text, image, document or "
			    "redacted blocks is required", i);
		break;
	case API_EV_USER_INTERRUPT:
		if (harness_opt_string(ev, "session_thread_id", err) != 0)
			return -1;
		break;
	case API_EV_USER_TOOL_CONFIRMATION:
		id = hjson_str(ev, "tool_use_id");
		if (id == NULL)
			return apierr_invalid(err, "events.%zu.tool_use_id is "
			    "required", i);
		if (!hjson_str_is(ev, "result", "allow") &&
		    !hjson_str_is(ev, "result", "deny"))
			return apierr_invalid(err, "events.%zu.result must be "
			    "\"allow\" or \"deny\"", i);
		if (json_object_get(ev, "deny_message") != NULL &&
		    !json_is_null(json_object_get(ev, "deny_message")) &&
		    (!hjson_str_is(ev, "result", "deny") ||
		    !json_is_string(json_object_get(ev, "deny_message"))))
			return apierr_invalid(err, "events.%zu.deny_message is "
			    "only allowed (as a string) with result \"deny\"",
			    i);
		if (harness_confirmable(s, id, answered) == NULL)
			return apierr_invalid(err, "events.%zu.tool_use_id: no "
			    "pending tool use with this id (unknown, not "
			    "waiting for confirmation, or already answered)",
			    i);
		json_object_set_new(answered, id, json_true());
		break;
	case API_EV_USER_CUSTOM_TOOL_RESULT:
	case API_EV_USER_TOOL_RESULT:
		id = hjson_str(ev, t == API_EV_USER_TOOL_RESULT ?
		    "tool_use_id" : "custom_tool_use_id");
		c = session_call_find(s, id);
		if (t == API_EV_USER_TOOL_RESULT && !s->self_hosted)
			return apierr_invalid(err, "events.%zu: "
			    "user.tool_result is only accepted on "
			    "self_hosted environments", i);
		if (id == NULL || c == NULL || c->done || c->custom !=
		    (t == API_EV_USER_CUSTOM_TOOL_RESULT) ||
		    json_object_get(answered, id) != NULL ||
		    (!c->custom && !session_call_pending(s, c)))
			return apierr_invalid(err, "events.%zu: no pending %s "
			    "with id \"%s\"", i, t == API_EV_USER_TOOL_RESULT ?
			    "tool use" : "custom tool use", id ? id : "");
		if (json_object_get(ev, "content") != NULL &&
		    !json_is_array(json_object_get(ev, "content")))
			return apierr_invalid(err, "events.%zu.content must be "
			    "an array", i);
		json_object_set_new(answered, id, json_true());
		break;
	case API_EV_USER_DEFINE_OUTCOME:
		return apierr_invalid(err, "events.%zu: user.define_outcome is "
		    "not supported by the local harness (no grader)", i);
	case API_EV_SYSTEM_MESSAGE:
		prev = json_array_get(events, i - 1);
		if (i + 1 != json_array_size(events) || i == 0 ||
		    (!hjson_str_is(prev, "type", "user.message") &&
		    !hjson_str_is(prev, "type", "user.tool_result") &&
		    !hjson_str_is(prev, "type", "user.custom_tool_result")))
			return apierr_invalid(err, "events.%zu: system.message "
			    "must be the last event and directly follow a "
			    "user.message, user.tool_result or "
			    "user.custom_tool_result", i);
		if (!harness_content_ok(json_object_get(ev, "content"), 1))
			return apierr_invalid(err, "events.%zu.content must be "
			    "text blocks", i);
		break;
	default:
		break;
	}
	return 0;
}

/* POST /v1/sessions/{id}/events */
int
harness_events_send(struct harness *h, const char *id, json_t *body,
    json_t **out, struct apierr *err)
{
	struct session	*s;
	json_t		*events, *answered, *data, *echo;
	size_t		 i;
	int		 rv = -1;

	if (harness_body(body, err) != 0)
		return -1;
	events = json_object_get(body, "events");
	if (!json_is_array(events) || json_array_size(events) == 0 ||
	    json_array_size(events) > HARNESS_MAX_EVENTS)
		return apierr_invalid(err, "events must be an array of 1 to %d "
		    "events", HARNESS_MAX_EVENTS);
	if ((s = harness_session_find(h, id, err)) == NULL)
		return -1;
	pthread_mutex_lock(&s->lock);
	answered = json_object();
	if (s->status == SESSION_TERMINATED ||
	    !json_is_null(json_object_get(s->obj, "archived_at"))) {
		apierr_invalid(err, "session %s is terminated and accepts no "
		    "more events", id);
		goto out;
	}
	for (i = 0; i < json_array_size(events); i++)
		if (harness_event_check(s, events, i, answered, err) != 0)
			goto out;
	data = json_array();
	json_array_foreach(events, i, body) {
		if (agent_loop_accept(s, body, NULL, &echo) != 0) {
			json_decref(data);
			apierr_set(err, 500, "api_error", "the event log of "
			    "session %s cannot be written", id);
			goto out;
		}
		json_array_append_new(data, echo);
	}
	*out = json_pack("{so}", "data", data);
	rv = 0;
out:
	json_decref(answered);
	pthread_mutex_unlock(&s->lock);
	session_unref(s);
	return rv;
}

/* A page of a list; unknown parents are 404. */
int
harness_list(struct harness *h, const struct hstore_query *q,
    struct hstore_rows *rows, struct apierr *err)
{
	struct session	*s;
	json_t		*a;
	char		*cause = NULL;

	if (q->kind == HSTORE_AGENT_VERSIONS) {
		if ((a = harness_agent_load(h, q->parent_id, 0, err)) == NULL)
			return -1;
		json_decref(a);
	}
	if (q->kind == HSTORE_EVENTS) {
		if ((s = harness_session_find(h, q->parent_id, err)) == NULL)
			return -1;
		session_unref(s);
	}
	if (hstore_list(h->store, q, rows, &cause) != 0) {
		apierr_set(err, 500, "api_error", "%s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

/* Collect stored frames after a seq for a replaying stream. */
struct harness_replay_buf {
	struct buf	 b;
	int64_t		 after;
	int64_t		 last;
};

/* Append one stored event as an SSE frame. */
static int
harness_replay_frame(const struct hstore_event *e, void *arg)
{
	struct harness_replay_buf	*r = arg;

	if (e->seq <= r->after)
		return 0;
	if (buf_printf(&r->b, "id: %lld\nevent: %s\ndata: %s\n\n",
	    (long long)e->seq, e->type, e->body) != 0)
		return 1;	/* too much history: send what fits */
	r->last = e->seq;
	return 0;
}

/* Subscribe to a session's stream (see harness.h). */
int
harness_stream_open(struct harness *h, const char *id, int previews,
    int64_t after_seq, hub_wake_cb suspend, hub_wake_cb wake, void *arg,
    struct hub_sub **out, struct apierr *err)
{
	struct harness_replay_buf	 r;
	struct session			*s;
	char				*cause = NULL;

	if ((s = harness_session_find(h, id, err)) == NULL)
		return -1;
	pthread_mutex_lock(&s->lock);
	*out = hub_subscribe(s->hub, previews, suspend, wake, arg);
	if (after_seq >= 0) {
		buf_init(&r.b, 64u * 1024 * 1024);
		r.after = after_seq;
		r.last = after_seq;
		if (hstore_events_foreach(h->store, id, harness_replay_frame,
		    &r, &cause) != 0) {
			log_warn("stream replay of %s: %s", id, cause);
			free(cause);
		}
		{
			size_t	 len;
			char	*data = buf_steal(&r.b, &len);

			hub_sub_backlog(*out, data, data != NULL ? len : 0,
			    s->seq);
		}
		buf_clear(&r.b);
	}
	pthread_mutex_unlock(&s->lock);
	session_unref(s);
	return 0;
}
