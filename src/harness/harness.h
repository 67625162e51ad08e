/*
 * harness.h -- the local harness: the Managed Agents API offline.
 *
 * The object every front end drives: the HTTP server (httpd.h) maps each
 * endpoint onto one of the functions below, and the demo driver
 * (demo.h) calls the same functions directly.  Requests and responses
 * are the API's JSON (api.md 4-6); failures fill a struct apierr with
 * the status, error type and message the HTTP layer sends back.
 *
 * Underneath: harness.db (hstore.h) keeps the objects and each session's
 * append-only event log; each session in memory (session.h) has its
 * state, its stream hub and its runner (agent_loop.h), which runs on the
 * worker pool.  harness_start() reloads the sessions after a restart and
 * resumes those that were running, as rescheduled.
 */
#ifndef PILOTHOUSE_HARNESS_H
#define PILOTHOUSE_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/compiler.h"
#include "harness/apierr.h"
#include "harness/hstore.h"
#include "harness/hub.h"

struct harness;
struct loop;

struct harness_config {
	const char	*data_dir;	/* harness.db and sandboxes/ */
	const char	*scenarios_dir;	/* --scenarios DIR, or NULL */
	int		 scripted_fast;	/* --scripted-fast */
	const char	*config_path;	/* --config FILE or NULL; borrowed
					   for the harness's life */
	int		 unsafe_no_sandbox;
	size_t		 stream_budget;	/* bytes a stream may lag; 0: default */
	struct loop	*loop;		/* timers run here; borrowed */
};

/* Called for every event appended to any session, under that session's
 * lock: copy what is needed and return quickly (post to a loop). */
typedef void	(*harness_observer)(void *, const char *, const char *,
		    json_t *);

struct harness	*harness_create(const struct harness_config *, char **);
/* Reload sessions; running ones are rescheduled and resumed. */
int		 harness_start(struct harness *, char **) AD_WARN_UNUSED;
/* Cancel every runner and end every stream (before the server stops). */
void		 harness_stop(struct harness *);
void		 harness_free(struct harness *);
/* Send every stream a heartbeat. */
void		 harness_heartbeat(struct harness *);
void		 harness_observe(struct harness *, harness_observer, void *);
struct hstore	*harness_store(struct harness *);
/* The scenario files (scripted brain, demo). */
struct scenario_set *harness_scenarios(struct harness *);
/* Non-zero with --scripted-fast. */
int		 harness_fast(struct harness *);

/* Objects: *out is a new reference on success. */
int	 harness_agent_create(struct harness *, json_t *, json_t **,
	    struct apierr *);
int	 harness_agent_get(struct harness *, const char *, int64_t, json_t **,
	    struct apierr *);
int	 harness_agent_update(struct harness *, const char *, json_t *,
	    json_t **, struct apierr *);
int	 harness_agent_archive(struct harness *, const char *, json_t **,
	    struct apierr *);
int	 harness_env_create(struct harness *, json_t *, json_t **,
	    struct apierr *);
int	 harness_env_get(struct harness *, const char *, json_t **,
	    struct apierr *);
int	 harness_env_update(struct harness *, const char *, json_t *,
	    json_t **, struct apierr *);
int	 harness_env_archive(struct harness *, const char *, json_t **,
	    struct apierr *);
int	 harness_env_delete(struct harness *, const char *, json_t **,
	    struct apierr *);
int	 harness_session_create(struct harness *, json_t *, json_t **,
	    struct apierr *);
int	 harness_session_get(struct harness *, const char *, json_t **,
	    struct apierr *);
int	 harness_session_update(struct harness *, const char *, json_t *,
	    json_t **, struct apierr *);
int	 harness_session_archive(struct harness *, const char *, json_t **,
	    struct apierr *);
int	 harness_session_delete(struct harness *, const char *, json_t **,
	    struct apierr *);
/* The session's resources, as a page. */
int	 harness_session_resources(struct harness *, const char *, json_t **,
	    struct apierr *);
/* POST .../events: validate all, then log all; *out is {"data":[...]}. */
int	 harness_events_send(struct harness *, const char *, json_t *,
	    json_t **, struct apierr *);
/* A page of a list; the 404 for an unknown parent is checked here. */
int	 harness_list(struct harness *, const struct hstore_query *,
	    struct hstore_rows *, struct apierr *);

/*
 * Open a stream: a subscriber at the live end of the session's hub, with
 * the history after after_seq (>= 0; -1: none) queued first.  previews is
 * HUB_PREVIEW_*.  The hub calls suspend/wake with arg.  Caller frees with
 * hub_unsubscribe.
 */
int	 harness_stream_open(struct harness *, const char *, int, int64_t,
	    hub_wake_cb, hub_wake_cb, void *, struct hub_sub **,
	    struct apierr *);

#endif
