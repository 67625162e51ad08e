/*
 * api_client.h -- the Managed Agents HTTP API (api.md section 4) over
 * libcurl, driven by the one event loop.
 *
 * libcurl's multi "socket" interface hands its descriptors and timeouts
 * to base/loop.h, so any number of requests and long-lived streams share
 * one thread with the terminal and the timers; over HTTPS several streams
 * share one HTTP/2 connection when the server offers it.  Nothing here
 * blocks except api_wait(), the wrapper the command line's one-shot
 * commands use: it runs the loop until its request has finished.
 *
 * Every request carries the SDK's headers: anthropic-version 2023-06-01,
 * anthropic-beta managed-agents-2026-04-01, x-api-key (when a key is
 * configured), accept, content-type (with a body) and user-agent
 * pilothouse/VERSION.  The key is registered with log_add_secret() and
 * scrubbed from every error text, so it never reaches a log or a screen.
 *
 * Retries follow the SDK (api_retry.h): 408/409/429/5xx and connection
 * failures, twice, honouring x-should-retry and retry-after(-ms).
 *
 * Budget.  The API allows an organisation 600 reads and 60 creates a
 * minute.  The client keeps a sliding window for each (api_budget.h):
 * every GET (lists, retrievals, stream opens, history pages) is a read;
 * every POST and DELETE (creations, updates, archives, deletions and
 * events sent) is counted as a create, because api.md leaves open which
 * writes the API counts and a queued steering action is better than a
 * refused one.  Requests over budget wait in a FIFO per class -- they are
 * never refused -- so 1,000 streams reconnecting at once are spread over
 * the following minutes.  Each attempt of a retried request counts.
 * Local endpoints -- unix: sockets and http:// on loopback, that is the
 * local harness and test servers, which have no such limits -- are
 * exempt; the real API is only reachable over https.
 *
 * Callbacks.  open and data run while libcurl is delivering (they may
 * call api_start and api_cancel, which are deferred safely); done runs
 * from the loop once the request is over, after which the request is
 * freed.  Strings passed in are copied; JSON bodies are serialised at
 * the call.
 */
#ifndef PILOTHOUSE_API_CLIENT_H
#define PILOTHOUSE_API_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/compiler.h"
#include "wire/api_error.h"

#define API_VERSION_HEADER	"2023-06-01"
#define API_BETA_HEADER		"managed-agents-2026-04-01"
#define API_MAX_BODY		(256u * 1024 * 1024)	/* default ceiling */
#define API_READS_PER_MIN	600
#define API_CREATES_PER_MIN	60

struct loop;
struct api_client;
struct api_request;

/* What a finished request gives its done callback (borrowed). */
struct api_response {
	enum api_status		 status;
	long			 http;		/* 0 when no answer came */
	const char		*body;		/* NUL-ended; "" for streams */
	size_t			 bodylen;
	const struct api_error	*error;		/* NULL when API_OK */
	int64_t			 retry_after;	/* ms the server asked to wait
						   (retry-after), or -1 */
};

typedef void	(*api_done_cb)(const struct api_response *, void *);
/* A stream's 2xx headers arrived: the server is now subscribed. */
typedef void	(*api_open_cb)(void *);
/*
 * Stream bytes as they arrive (2xx only); borrowed for the call.  Return
 * API_DATA_PAUSE, without having used the bytes, to stop reading: they
 * are offered again after api_resume(), and meanwhile TCP holds the
 * server back.
 */
typedef int	(*api_data_cb)(const char *, size_t, void *);
#define API_DATA_OK	0
#define API_DATA_PAUSE	1

/* A request for api_start(); only method, path and done are required. */
struct api_spec {
	const char	*method;	/* "GET", "POST" or "DELETE" */
	const char	*path;		/* "/v1/...?..." (encoded) */
	const char	*body;		/* JSON text or NULL (copied) */
	size_t		 max_body;	/* answer ceiling; 0: API_MAX_BODY */
	int		 retries;	/* -1: the SDK's 2; streams use 0 */
	api_open_cb	 open;		/* streams */
	api_data_cb	 data;		/* non-NULL makes this a stream */
	api_done_cb	 done;		/* NULL: collect with api_wait() */
	void		*arg;
};

/* List parameters; zero/NULL fields are not sent. */
struct api_list {
	int			 limit;
	const char		*page;		/* next_page or prev_page */
	const char		*order;		/* "asc" or "desc" */
	const char *const	*statuses;	/* sessions; NULL-terminated */
	const char *const	*types;		/* events; NULL-terminated */
	const char		*agent_id;	/* sessions */
	int			 include_archived;
	const char		*created_gt;	/* RFC 3339 bounds */
	const char		*created_gte;
	const char		*created_lt;
	const char		*created_lte;
};

/* Counters for tests and the status line. */
struct api_stats {
	uint64_t	reads;		/* attempts started, per class */
	uint64_t	creates;
	uint64_t	retries;	/* attempts that were retries */
	size_t		queued;		/* waiting for the budget */
	size_t		running;	/* handed to libcurl */
};

/*
 * A client for base URL url (api_url.h forms) with API key key (NULL:
 * send none).  NULL with *cause for a bad URL.  Caller frees.
 */
struct api_client	*api_client_create(struct loop *, const char *,
			    const char *, char **);
/* Cancel every request (no callbacks) and free. */
void			 api_client_free(struct api_client *);
/* Replace the budgets: reads and creates per window ms (0: unlimited). */
void			 api_client_set_budget(struct api_client *, size_t,
			    size_t, int64_t);
/* Set the libcurl receive buffer for streams (bytes; 0: libcurl's). */
void			 api_client_set_stream_buffer(struct api_client *,
			    long);
/* Trust the certificate authorities in this PEM file, not the system's. */
void			 api_client_set_ca_file(struct api_client *,
			    const char *);
/* The base URL as configured.  Borrowed; valid until the client is freed. */
const char		*api_client_url(const struct api_client *);
struct loop		*api_client_loop(const struct api_client *);
void			 api_client_stats(const struct api_client *,
			    struct api_stats *);

/* Queue a request (it starts when its budget allows).  Never NULL. */
struct api_request	*api_start(struct api_client *,
			    const struct api_spec *);
/* Abandon a request; its done callback will not run.  NULL is ignored;
 * ignored from inside the request's own done callback. */
void			 api_cancel(struct api_request *);
/* Read a paused stream again (from the loop, not from its callbacks). */
void			 api_resume(struct api_request *);
/*
 * Run the loop until req (started with done == NULL) is over, then free
 * it.  0 with *body (NUL-terminated, caller frees) and *len on success;
 * -1 with err filled (clear it with api_error_clear).  body and len may
 * be NULL.
 */
int			 api_wait(struct api_request *, char **, size_t *,
			    struct api_error *) AD_WARN_UNUSED;
/* api_wait, then parse the body.  0 with *out (caller decrefs). */
int			 api_wait_json(struct api_request *, json_t **,
			    struct api_error *) AD_WARN_UNUSED;

/*
 * Typed endpoints.  Each queues one request and returns it; done and arg
 * are as in struct api_spec (done NULL: collect with api_wait).  Ids are
 * escaped into the path; JSON bodies are borrowed for the call only.
 */
struct api_request *api_agent_create(struct api_client *, const json_t *,
	    api_done_cb, void *);
struct api_request *api_agents_list(struct api_client *,
	    const struct api_list *, api_done_cb, void *);
/* version 0: the latest. */
struct api_request *api_agent_get(struct api_client *, const char *, int,
	    api_done_cb, void *);
struct api_request *api_agent_update(struct api_client *, const char *,
	    const json_t *, api_done_cb, void *);
struct api_request *api_agent_archive(struct api_client *, const char *,
	    api_done_cb, void *);
struct api_request *api_agent_versions(struct api_client *, const char *,
	    const struct api_list *, api_done_cb, void *);

struct api_request *api_environment_create(struct api_client *,
	    const json_t *, api_done_cb, void *);
struct api_request *api_environments_list(struct api_client *,
	    const struct api_list *, api_done_cb, void *);
struct api_request *api_environment_get(struct api_client *, const char *,
	    api_done_cb, void *);
struct api_request *api_environment_update(struct api_client *,
	    const char *, const json_t *, api_done_cb, void *);
struct api_request *api_environment_archive(struct api_client *,
	    const char *, api_done_cb, void *);
struct api_request *api_environment_delete(struct api_client *,
	    const char *, api_done_cb, void *);

struct api_request *api_session_create(struct api_client *, const json_t *,
	    api_done_cb, void *);
struct api_request *api_sessions_list(struct api_client *,
	    const struct api_list *, api_done_cb, void *);
struct api_request *api_session_get(struct api_client *, const char *,
	    api_done_cb, void *);
struct api_request *api_session_update(struct api_client *, const char *,
	    const json_t *, api_done_cb, void *);
struct api_request *api_session_archive(struct api_client *, const char *,
	    api_done_cb, void *);
struct api_request *api_session_delete(struct api_client *, const char *,
	    api_done_cb, void *);

/* GET .../events: history, ascending by processed_at unless ordered. */
struct api_request *api_events_list(struct api_client *, const char *,
	    const struct api_list *, api_done_cb, void *);
/* POST .../events with {"events": events} (a JSON array). */
struct api_request *api_events_send(struct api_client *, const char *,
	    const json_t *, api_done_cb, void *);
/*
 * GET .../events/stream (SSE) with event_deltas[] for each of deltas
 * (NULL-terminated, or NULL).  No retries: streams reconnect by policy
 * (stream.h).  max_body bounds an error answer only.
 */
struct api_request *api_events_stream(struct api_client *, const char *,
	    const char *const *, api_open_cb, api_data_cb, api_done_cb,
	    void *);

/* Append "?k=v" or "&k=v" to a path, both escaped; -1 past the ceiling. */
int	 api_query_add(struct buf *, const char *, const char *)
	    AD_WARN_UNUSED;

#endif
