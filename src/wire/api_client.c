/* ISC licence: see COPYING.  The API client: libcurl multi on the loop. */

#include "config.h"

#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/loop.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "wire/api_budget.h"
#include "wire/api_client.h"
#include "wire/api_retry.h"
#include "wire/api_url.h"

#define API_CLASS_READ		0
#define API_CLASS_CREATE	1
#define API_MAX_ERROR_BODY	(1024 * 1024)	/* error answers kept */
#define API_MAX_HEADER		512		/* header values kept */
#define API_CONNECT_TIMEOUT	10000		/* ms */
#define API_REQUEST_TIMEOUT	600000		/* ms, the SDK's 10 minutes */
#define API_HEADER_TIMEOUT	30000		/* ms for a stream to answer */
#define API_WINDOW		60000		/* ms: budgets are per minute */
#define API_PATH_MAX		(64 * 1024)

enum api_req_state {
	API_REQ_QUEUED,		/* waiting for the budget */
	API_REQ_RUNNING,	/* an easy handle in the multi */
	API_REQ_BACKOFF,	/* waiting to retry */
	API_REQ_DONE		/* finished: in done_cb, or for api_wait */
};

struct api_request {
	struct api_client	*c;
	TAILQ_ENTRY(api_request) entry;		/* in one client list */
	enum api_req_state	 state;
	int			 cls;		/* API_CLASS_* */
	int			 post;		/* POST (else GET or DELETE) */
	int			 del;		/* DELETE */
	char			*path;		/* path and query */
	char			*body;		/* owned; NULL for none */
	size_t			 bodylen;
	size_t			 max_body;
	int			 retries;	/* retries left */
	int			 attempt;	/* attempts made */
	api_open_cb		 open_cb;
	api_data_cb		 data_cb;
	api_done_cb		 done_cb;
	void			*arg;

	CURL			*easy;		/* while running */
	struct loop_timer	*timer;		/* backoff, or a stream's wait
						   for its headers; lazy */
	int64_t			 started;	/* loop ms of this attempt */
	long			 http;		/* status of the final answer */
	int			 opened;	/* stream: open_cb called */
	int			 too_big;	/* body passed max_body */
	int			 cancelled;	/* api_cancel inside libcurl */
	int			 paused;	/* a stream that stopped */
	int			 in_done;	/* done_cb is running */
	struct buf		 resp;		/* body, or an error body */
	char			*request_id;	/* headers of the last answer */
	char			*retry_after;
	char			*retry_after_ms;
	char			*should_retry;
	struct api_error	 err;
	char			 errbuf[CURL_ERROR_SIZE];
};

TAILQ_HEAD(api_requests, api_request);

struct api_client {
	struct loop		*loop;
	struct api_url		 url;
	char			*url_text;	/* as configured */
	char			*key;		/* NULL: none */
	CURLM			*multi;
	struct loop_timer	*curl_timer;	/* CURLMOPT_TIMERFUNCTION */
	struct loop_timer	*kick;		/* dispatch the queues */
	int			 in_curl;	/* inside socket_action */
	long			 stream_buffer;	/* CURLOPT_BUFFERSIZE or 0 */
	char			*ca_file;	/* CURLOPT_CAINFO or NULL */

	struct curl_slist	*hdr_get;	/* accept JSON */
	struct curl_slist	*hdr_json;	/* POST with a JSON body */
	struct curl_slist	*hdr_empty;	/* POST without a body */
	struct curl_slist	*hdr_sse;	/* the event stream */

	struct api_budget	 budget[2];	/* per class */
	struct api_requests	 queue[2];	/* waiting for the budget */
	struct api_requests	 running;	/* in libcurl */
	struct api_requests	 backoff;	/* waiting to retry */
	struct api_requests	 reap;		/* cancelled in libcurl */
	struct api_stats	 stats;
};

static int	 api_socket_cb(CURL *, curl_socket_t, int, void *, void *);
static int	 api_timer_cb(CURLM *, long, void *);
static void	 api_io_cb(struct loop_io *, int, int, void *);
static void	 api_curl_timer_cb(struct loop_timer *, void *);
static void	 api_kick_cb(struct loop_timer *, void *);
static void	 api_request_timer_cb(struct loop_timer *, void *);
static void	 api_action(struct api_client *, curl_socket_t, int);
static void	 api_dispatch(struct api_client *);
static void	 api_launch(struct api_request *);
static void	 api_finish(struct api_request *, CURLcode);
static void	 api_complete(struct api_request *);
static void	 api_request_free(struct api_request *);
static void	 api_kick(struct api_client *);
static size_t	 api_header_cb(char *, size_t, size_t, void *);
static size_t	 api_write_cb(char *, size_t, size_t, void *);
static struct curl_slist *api_headers(const struct api_client *,
		    const char *, const char *);

/* libcurl's global state, set up once for the process. */
static int	api_curl_ready;

/* Build one header list: the common headers plus accept and extra. */
static struct curl_slist *
api_headers(const struct api_client *c, const char *accept, const char *extra)
{
	struct curl_slist	*l = NULL;
	char			*h;

	xasprintf(&h, "accept: %s", accept);
	l = curl_slist_append(l, h);
	free(h);
	l = curl_slist_append(l, "anthropic-version: " API_VERSION_HEADER);
	l = curl_slist_append(l, "anthropic-beta: " API_BETA_HEADER);
	if (c->key != NULL) {
		xasprintf(&h, "x-api-key: %s", c->key);
		l = curl_slist_append(l, h);
		explicit_bzero(h, strlen(h));
		free(h);
	}
	l = curl_slist_append(l, "user-agent: pilothouse/" PACKAGE_VERSION);
	/* No "Expect: 100-continue" round trip for large bodies. */
	l = curl_slist_append(l, "Expect:");
	if (extra != NULL)
		l = curl_slist_append(l, extra);
	if (l == NULL)
		fatalx("curl_slist_append failed");
	return l;
}

/* Create a client on loop for url with key (NULL: none). */
struct api_client *
api_client_create(struct loop *loop, const char *url, const char *key,
    char **cause)
{
	struct api_client	*c;

	if (!api_curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
			fatalx("curl_global_init failed");
		api_curl_ready = 1;
	}
	c = xcalloc(1, sizeof *c);
	if (api_url_parse(url, &c->url, cause) != 0) {
		free(c);
		return NULL;
	}
	c->loop = loop;
	c->url_text = xstrdup(url);
	if (key != NULL && *key != '\0') {
		c->key = xstrdup(key);
		log_add_secret(key);
	}
	c->hdr_get = api_headers(c, "application/json", NULL);
	c->hdr_json = api_headers(c, "application/json",
	    "content-type: application/json");
	/* libcurl would label an empty POST form-urlencoded: send none. */
	c->hdr_empty = api_headers(c, "application/json", "Content-Type:");
	c->hdr_sse = api_headers(c, "text/event-stream", NULL);

	if ((c->multi = curl_multi_init()) == NULL)
		fatalx("curl_multi_init failed");
	curl_multi_setopt(c->multi, CURLMOPT_SOCKETFUNCTION, api_socket_cb);
	curl_multi_setopt(c->multi, CURLMOPT_SOCKETDATA, c);
	curl_multi_setopt(c->multi, CURLMOPT_TIMERFUNCTION, api_timer_cb);
	curl_multi_setopt(c->multi, CURLMOPT_TIMERDATA, c);
	curl_multi_setopt(c->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	c->curl_timer = loop_timer_create(loop, api_curl_timer_cb, c);
	c->kick = loop_timer_create(loop, api_kick_cb, c);

	for (int i = 0; i < 2; i++)
		TAILQ_INIT(&c->queue[i]);
	TAILQ_INIT(&c->running);
	TAILQ_INIT(&c->backoff);
	TAILQ_INIT(&c->reap);
	/* Local servers (the harness, test servers) have no limits. */
	if (c->url.local) {
		api_budget_init(&c->budget[API_CLASS_READ], 0, API_WINDOW);
		api_budget_init(&c->budget[API_CLASS_CREATE], 0, API_WINDOW);
	} else {
		api_budget_init(&c->budget[API_CLASS_READ],
		    API_READS_PER_MIN, API_WINDOW);
		api_budget_init(&c->budget[API_CLASS_CREATE],
		    API_CREATES_PER_MIN, API_WINDOW);
	}
	return c;
}

/* Free a request that is in no list and owns no easy handle. */
static void
api_request_free(struct api_request *r)
{
	loop_timer_free(r->timer);
	free(r->path);
	free(r->body);
	buf_clear(&r->resp);
	free(r->request_id);
	free(r->retry_after);
	free(r->retry_after_ms);
	free(r->should_retry);
	api_error_clear(&r->err);
	free(r);
}

/* Take r out of libcurl (never while inside libcurl). */
static void
api_detach(struct api_request *r)
{
	if (r->easy == NULL)
		return;
	curl_multi_remove_handle(r->c->multi, r->easy);
	curl_easy_cleanup(r->easy);
	r->easy = NULL;
}

/* Cancel everything and free the client. */
void
api_client_free(struct api_client *c)
{
	struct api_request	*r;
	struct api_requests	*lists[5];

	if (c == NULL)
		return;
	lists[0] = &c->queue[0];
	lists[1] = &c->queue[1];
	lists[2] = &c->running;
	lists[3] = &c->backoff;
	lists[4] = &c->reap;
	for (size_t i = 0; i < AD_NITEMS(lists); i++) {
		while ((r = TAILQ_FIRST(lists[i])) != NULL) {
			TAILQ_REMOVE(lists[i], r, entry);
			api_detach(r);
			api_request_free(r);
		}
	}
	curl_multi_cleanup(c->multi);
	loop_timer_free(c->curl_timer);
	loop_timer_free(c->kick);
	curl_slist_free_all(c->hdr_get);
	curl_slist_free_all(c->hdr_json);
	curl_slist_free_all(c->hdr_empty);
	curl_slist_free_all(c->hdr_sse);
	for (int i = 0; i < 2; i++)
		api_budget_clear(&c->budget[i]);
	api_url_clear(&c->url);
	free(c->url_text);
	free(c->ca_file);
	if (c->key != NULL) {
		explicit_bzero(c->key, strlen(c->key));
		free(c->key);
	}
	free(c);
}

/* Replace both budgets. */
void
api_client_set_budget(struct api_client *c, size_t reads, size_t creates,
    int64_t window)
{
	api_budget_clear(&c->budget[API_CLASS_READ]);
	api_budget_clear(&c->budget[API_CLASS_CREATE]);
	api_budget_init(&c->budget[API_CLASS_READ], reads, window);
	api_budget_init(&c->budget[API_CLASS_CREATE], creates, window);
}

/* Choose the receive buffer size of stream transfers. */
void
api_client_set_stream_buffer(struct api_client *c, long size)
{
	c->stream_buffer = size;
}

/* Trust the CAs of a PEM file (SSL_CERT_FILE) instead of the system's. */
void
api_client_set_ca_file(struct api_client *c, const char *path)
{
	free(c->ca_file);
	c->ca_file = xstrdup(path);
}

/* The URL as configured. */
const char *
api_client_url(const struct api_client *c)
{
	return c->url_text;
}

/* The loop the client runs on. */
struct loop *
api_client_loop(const struct api_client *c)
{
	return c->loop;
}

/* Copy the counters. */
void
api_client_stats(const struct api_client *c, struct api_stats *st)
{
	*st = c->stats;
}

/* libcurl wants fd s watched for what (or no longer watched). */
static int
api_socket_cb(CURL *easy, curl_socket_t s, int what, void *userp,
    void *socketp)
{
	struct api_client	*c = userp;
	struct loop_io		*io = socketp;
	int			 events = 0;

	if (what == CURL_POLL_REMOVE) {
		loop_io_remove(io);
		curl_multi_assign(c->multi, s, NULL);
		return 0;
	}
	if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
		events |= LOOP_READ;
	if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
		events |= LOOP_WRITE;
	if (io == NULL) {
		io = loop_io_add(c->loop, s, events, api_io_cb, c);
		curl_multi_assign(c->multi, s, io);
	} else
		loop_io_set(io, events);
	return 0;
}

/* libcurl wants to be called back after ms (-1: not at all). */
static int
api_timer_cb(CURLM *multi, long ms, void *userp)
{
	struct api_client	*c = userp;

	if (ms < 0)
		loop_timer_disarm(c->curl_timer);
	else
		loop_timer_arm(c->curl_timer, ms);
	return 0;
}

/* A watched socket is ready. */
static void
api_io_cb(struct loop_io *io, int fd, int events, void *arg)
{
	int	flags = 0;

	if (events & LOOP_READ)
		flags |= CURL_CSELECT_IN;
	if (events & LOOP_WRITE)
		flags |= CURL_CSELECT_OUT;
	if (events & LOOP_ERROR)
		flags |= CURL_CSELECT_ERR;
	api_action(arg, fd, flags);
}

/* libcurl's timeout expired. */
static void
api_curl_timer_cb(struct loop_timer *t, void *arg)
{
	api_action(arg, CURL_SOCKET_TIMEOUT, 0);
}

/* Let libcurl work, then reap cancelled and finished transfers. */
static void
api_action(struct api_client *c, curl_socket_t s, int flags)
{
	struct api_request	*r;
	CURLMsg			*msg;
	CURLcode		 result;
	int			 running, left;

	c->in_curl++;
	curl_multi_socket_action(c->multi, s, flags, &running);
	c->in_curl--;
	while ((r = TAILQ_FIRST(&c->reap)) != NULL) {
		TAILQ_REMOVE(&c->reap, r, entry);
		api_detach(r);
		api_request_free(r);
	}
	while ((msg = curl_multi_info_read(c->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		result = msg->data.result;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &r);
		TAILQ_REMOVE(&c->running, r, entry);
		c->stats.running--;
		api_detach(r);
		api_finish(r, result);
	}
}

/* Arm the dispatcher to run from the loop soon. */
static void
api_kick(struct api_client *c)
{
	if (!loop_timer_armed(c->kick))
		loop_timer_arm(c->kick, 0);
}

/* The dispatcher's timer. */
static void
api_kick_cb(struct loop_timer *t, void *arg)
{
	api_dispatch(arg);
}

/* Start every queued request its budget allows; re-arm for the rest. */
static void
api_dispatch(struct api_client *c)
{
	struct api_request	*r;
	int64_t			 wait, next = -1;

	for (int cls = 0; cls < 2; cls++) {
		while ((r = TAILQ_FIRST(&c->queue[cls])) != NULL) {
			wait = api_budget_take(&c->budget[cls],
			    loop_now(c->loop));
			if (wait != 0) {
				if (next < 0 || wait < next)
					next = wait;
				break;
			}
			TAILQ_REMOVE(&c->queue[cls], r, entry);
			c->stats.queued--;
			api_launch(r);
		}
	}
	if (next >= 0)
		loop_timer_arm(c->kick, next);
}

/* Queue a request. */
struct api_request *
api_start(struct api_client *c, const struct api_spec *sp)
{
	struct api_request	*r;

	r = xcalloc(1, sizeof *r);
	r->c = c;
	r->post = strcmp(sp->method, "POST") == 0;
	r->del = strcmp(sp->method, "DELETE") == 0;
	if (!r->post && !r->del && strcmp(sp->method, "GET") != 0)
		fatalx("api_start: unsupported method %s", sp->method);
	r->cls = r->post || r->del ? API_CLASS_CREATE : API_CLASS_READ;
	r->path = xstrdup(sp->path);
	if (sp->body != NULL) {
		r->bodylen = strlen(sp->body);
		r->body = xstrdup(sp->body);
	}
	r->max_body = sp->max_body != 0 ? sp->max_body : API_MAX_BODY;
	r->retries = sp->retries >= 0 ? sp->retries : API_RETRY_DEFAULT;
	r->open_cb = sp->open;
	r->data_cb = sp->data;
	r->done_cb = sp->done;
	r->arg = sp->arg;
	buf_init(&r->resp, r->max_body);
	r->state = API_REQ_QUEUED;
	TAILQ_INSERT_TAIL(&c->queue[r->cls], r, entry);
	c->stats.queued++;
	api_kick(c);
	return r;
}

/* Hand the request to libcurl. */
static void
api_launch(struct api_request *r)
{
	struct api_client	*c = r->c;
	CURL			*e;
	char			*url;

	if ((e = curl_easy_init()) == NULL)
		fatalx("curl_easy_init failed");
	r->easy = e;
	r->attempt++;
	r->started = loop_now(c->loop);
	r->http = 0;
	r->opened = 0;
	r->too_big = 0;
	r->errbuf[0] = '\0';
	buf_release(&r->resp, 64 * 1024);
	if (r->cls == API_CLASS_READ)
		c->stats.reads++;
	else
		c->stats.creates++;
	if (r->attempt > 1)
		c->stats.retries++;

	xasprintf(&url, "%s%s", c->url.base, r->path);
	curl_easy_setopt(e, CURLOPT_URL, url);
	free(url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, api_header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, api_write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)API_CONNECT_TIMEOUT);
	curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	if (c->ca_file != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, c->ca_file);
	if (c->url.unix_path != NULL)
		curl_easy_setopt(e, CURLOPT_UNIX_SOCKET_PATH, c->url.unix_path);
	if (c->url.tls)
		curl_easy_setopt(e, CURLOPT_HTTP_VERSION,
		    (long)CURL_HTTP_VERSION_2TLS);
	else
		curl_easy_setopt(e, CURLOPT_HTTP_VERSION,
		    (long)CURL_HTTP_VERSION_1_1);
	if (r->data_cb != NULL) {
		/* A stream has no overall timeout, but must answer. */
		if (r->timer == NULL)
			r->timer = loop_timer_create(c->loop,
			    api_request_timer_cb, r);
		loop_timer_arm(r->timer, API_HEADER_TIMEOUT);
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, c->hdr_sse);
		curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
		if (c->stream_buffer > 0)
			curl_easy_setopt(e, CURLOPT_BUFFERSIZE,
			    c->stream_buffer);
	} else {
		curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
		    (long)API_REQUEST_TIMEOUT);
		if (r->post && r->body != NULL)
			curl_easy_setopt(e, CURLOPT_HTTPHEADER, c->hdr_json);
		else if (r->post)
			curl_easy_setopt(e, CURLOPT_HTTPHEADER, c->hdr_empty);
		else
			curl_easy_setopt(e, CURLOPT_HTTPHEADER, c->hdr_get);
	}
	if (r->post) {
		curl_easy_setopt(e, CURLOPT_POST, 1L);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)r->bodylen);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS,
		    r->body != NULL ? r->body : "");
	} else if (r->del)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "DELETE");

	r->state = API_REQ_RUNNING;
	TAILQ_INSERT_TAIL(&c->running, r, entry);
	c->stats.running++;
	if (curl_multi_add_handle(c->multi, e) != CURLM_OK)
		fatalx("curl_multi_add_handle failed");
	log_debug("api: %s %s (attempt %d)", r->post ? "POST" :
	    r->del ? "DELETE" : "GET", r->path, r->attempt);
}

/* Keep a copy of a header value, trimmed and bounded. */
static void
api_header_keep(char **slot, const char *v, size_t len)
{
	while (len > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	while (len > 0 && (v[len - 1] == '\r' || v[len - 1] == '\n' ||
	    v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	free(*slot);
	*slot = xstrndup(v, AD_MIN(len, API_MAX_HEADER));
}

/* One header line of an answer. */
static size_t
api_header_cb(char *p, size_t size, size_t n, void *arg)
{
	struct api_request	*r = arg;
	size_t			 len = size * n;
	struct {
		const char	*name;
		char		**slot;
	} keep[] = {
		{ "request-id", &r->request_id },
		{ "retry-after", &r->retry_after },
		{ "retry-after-ms", &r->retry_after_ms },
		{ "x-should-retry", &r->should_retry },
	};
	const char		*colon;
	size_t			 namelen;
	long			 code = 0;

	if (r->cancelled)
		return 0;
	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		/* A new answer (after a 1xx, say): forget the last one's. */
		for (size_t i = 0; i < AD_NITEMS(keep); i++) {
			free(*keep[i].slot);
			*keep[i].slot = NULL;
		}
		return len;
	}
	if (len <= 2 && (len == 0 || p[0] == '\r' || p[0] == '\n')) {
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &code);
		if (code >= 200)
			r->http = code;
		if (code >= 200 && r->timer != NULL)
			loop_timer_disarm(r->timer);
		if (code >= 200 && code < 300 && r->data_cb != NULL &&
		    !r->opened) {
			r->opened = 1;
			if (r->open_cb != NULL)
				r->open_cb(r->arg);
		}
		return r->cancelled ? 0 : len;
	}
	if ((colon = memchr(p, ':', len)) == NULL)
		return len;
	namelen = (size_t)(colon - p);
	for (size_t i = 0; i < AD_NITEMS(keep); i++) {
		if (strlen(keep[i].name) == namelen &&
		    strncasecmp(p, keep[i].name, namelen) == 0)
			api_header_keep(keep[i].slot, colon + 1,
			    len - namelen - 1);
	}
	return len;
}

/* Body bytes: to the stream callback, or into the bounded buffer. */
static size_t
api_write_cb(char *p, size_t size, size_t n, void *arg)
{
	struct api_request	*r = arg;
	size_t			 len = size * n;

	if (r->cancelled)
		return 0;
	if (r->http == 0)
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &r->http);
	if (r->data_cb != NULL && r->http >= 200 && r->http < 300) {
		if (r->data_cb(p, len, r->arg) == API_DATA_PAUSE &&
		    !r->cancelled) {
			r->paused = 1;
			return CURL_WRITEFUNC_PAUSE;
		}
		return r->cancelled ? 0 : len;
	}
	if (r->http >= 300) {
		/* Keep the start of an error answer; drop the rest. */
		if (r->resp.len < API_MAX_ERROR_BODY &&
		    buf_append(&r->resp, p, AD_MIN(len,
		    API_MAX_ERROR_BODY - r->resp.len)) != 0)
			return 0;
		return len;
	}
	if (buf_append(&r->resp, p, len) != 0) {
		r->too_big = 1;
		return 0;
	}
	return len;
}

/* A transport failure's hint: what the user can do. */
static const char *
api_network_hint(const struct api_client *c, CURLcode result)
{
	if (result == CURLE_COULDNT_CONNECT && c->url.unix_path != NULL)
		return "is the harness running? try pilothouse serve";
	if (result == CURLE_COULDNT_CONNECT && c->url.local)
		return "is the server running?";
	if (result == CURLE_COULDNT_RESOLVE_HOST ||
	    result == CURLE_COULDNT_CONNECT ||
	    result == CURLE_OPERATION_TIMEDOUT)
		return "check the network, --api-url and ANTHROPIC_BASE_URL";
	if (result == CURLE_PEER_FAILED_VERIFICATION ||
	    result == CURLE_SSL_CONNECT_ERROR)
		return c->ca_file != NULL ? "the server's TLS certificate "
		    "was not accepted (checked against SSL_CERT_FILE)" :
		    "the server's TLS certificate was not accepted (set "
		    "SSL_CERT_FILE to trust another authority)";
	return NULL;
}

/* An attempt is over: retry it, or report the result. */
static void
api_finish(struct api_request *r, CURLcode result)
{
	struct api_client	*c = r->c;
	int64_t			 delay;
	int			 retry = 0;
	const char		*what;

	if (result == CURLE_OK && r->http >= 200 && r->http < 300) {
		api_error_clear(&r->err);
		api_complete(r);
		return;
	}
	if (result == CURLE_WRITE_ERROR && r->too_big) {
		api_error_set(&r->err, API_ERR_PROTOCOL, NULL,
		    "the answer to %s is larger than %zu bytes", r->path,
		    r->max_body);
	} else if (result == CURLE_OK) {
		api_error_set_http(&r->err, r->http, r->resp.data ?
		    r->resp.data : "", r->resp.len, r->request_id);
		retry = api_retry_status(r->http, r->should_retry);
	} else {
		what = r->errbuf[0] != '\0' ? r->errbuf :
		    curl_easy_strerror(result);
		api_error_set(&r->err, API_ERR_NETWORK,
		    api_network_hint(c, result), "cannot reach %s: %s",
		    c->url_text, what);
		retry = 1;
	}
	api_error_redact(&r->err, c->key);
	if (r->err.request_id != NULL)
		log_info("api: %s: %ld %s (request-id %s)", r->path, r->http,
		    r->err.type != NULL ? r->err.type : "error",
		    r->err.request_id);
	if (retry && r->retries > 0) {
		r->retries--;
		delay = api_retry_after(r->retry_after_ms, r->retry_after,
		    clock_real_us());
		if (delay < 0)
			delay = api_retry_backoff(r->attempt - 1,
			    api_retry_uniform());
		log_info("api: %s failed (%s); retry in %lld ms", r->path,
		    r->err.message, (long long)delay);
		r->state = API_REQ_BACKOFF;
		TAILQ_INSERT_TAIL(&c->backoff, r, entry);
		if (r->timer == NULL)
			r->timer = loop_timer_create(c->loop,
			    api_request_timer_cb, r);
		loop_timer_arm(r->timer, delay);
		return;
	}
	api_complete(r);
}

/* A backoff is over (queue the request again), or a stream never answered. */
static void
api_request_timer_cb(struct loop_timer *t, void *arg)
{
	struct api_request	*r = arg;
	struct api_client	*c = r->c;

	if (r->state == API_REQ_RUNNING) {
		TAILQ_REMOVE(&c->running, r, entry);
		c->stats.running--;
		api_detach(r);
		snprintf(r->errbuf, sizeof r->errbuf, "no answer within %d s",
		    API_HEADER_TIMEOUT / 1000);
		api_finish(r, CURLE_OPERATION_TIMEDOUT);
		return;
	}
	TAILQ_REMOVE(&c->backoff, r, entry);
	r->state = API_REQ_QUEUED;
	TAILQ_INSERT_TAIL(&c->queue[r->cls], r, entry);
	c->stats.queued++;
	api_kick(c);
}

/* The request is over: tell its owner, then free it (unless waited for). */
static void
api_complete(struct api_request *r)
{
	struct api_response	resp;

	r->state = API_REQ_DONE;
	log_debug("api: %s -> %ld (%lld ms)", r->path, r->http,
	    (long long)(loop_now(r->c->loop) - r->started));
	if (r->done_cb == NULL)
		return;			/* api_wait() collects it */
	memset(&resp, 0, sizeof resp);
	resp.status = r->err.status;
	resp.http = r->http;
	resp.body = buf_cstr(&r->resp);
	resp.bodylen = r->resp.len;
	resp.error = r->err.status != API_OK ? &r->err : NULL;
	resp.retry_after = api_retry_after(r->retry_after_ms, r->retry_after,
	    clock_real_us());
	r->in_done = 1;
	r->done_cb(&resp, r->arg);
	api_request_free(r);
}

/* Abandon a request without calling its done callback. */
void
api_cancel(struct api_request *r)
{
	struct api_client	*c;

	if (r == NULL || r->in_done || r->cancelled)
		return;
	c = r->c;
	switch (r->state) {
	case API_REQ_QUEUED:
		TAILQ_REMOVE(&c->queue[r->cls], r, entry);
		c->stats.queued--;
		break;
	case API_REQ_RUNNING:
		TAILQ_REMOVE(&c->running, r, entry);
		c->stats.running--;
		if (c->in_curl) {
			/* Removing a handle inside libcurl is not allowed. */
			r->cancelled = 1;
			TAILQ_INSERT_TAIL(&c->reap, r, entry);
			return;
		}
		api_detach(r);
		break;
	case API_REQ_BACKOFF:
		TAILQ_REMOVE(&c->backoff, r, entry);
		break;
	case API_REQ_DONE:
		break;
	}
	api_request_free(r);
}

/* Read a paused stream again; libcurl offers the held bytes first. */
void
api_resume(struct api_request *r)
{
	if (r == NULL || !r->paused || r->easy == NULL)
		return;
	r->paused = 0;
	curl_easy_pause(r->easy, CURLPAUSE_CONT);
}

/* Run the loop until r is over; hand back its body or its error. */
int
api_wait(struct api_request *r, char **body, size_t *len,
    struct api_error *err)
{
	struct loop	*loop = r->c->loop;
	int		 rv;

	if (r->done_cb != NULL)
		fatalx("api_wait on a request with a done callback");
	memset(err, 0, sizeof *err);
	while (r->state != API_REQ_DONE)
		loop_once(loop, -1);
	if (r->err.status == API_OK) {
		if (len != NULL)
			*len = r->resp.len;
		if (body != NULL)
			*body = buf_steal(&r->resp, NULL);
		rv = 0;
	} else {
		api_error_copy(err, &r->err);
		rv = -1;
	}
	api_request_free(r);
	return rv;
}

/* Run the loop until r is over and parse its JSON answer. */
int
api_wait_json(struct api_request *r, json_t **out, struct api_error *err)
{
	json_error_t	 jerr;
	char		*body;
	size_t		 len;

	*out = NULL;
	if (api_wait(r, &body, &len, err) != 0)
		return -1;
	*out = json_loadb(body, len, 0, &jerr);
	free(body);
	if (*out == NULL) {
		api_error_set(err, API_ERR_PROTOCOL, NULL,
		    "the server's answer is not JSON: %s", jerr.text);
		return -1;
	}
	return 0;
}

/* Append one escaped query parameter. */
int
api_query_add(struct buf *b, const char *key, const char *value)
{
	char	*k, *v;
	int	 rv;

	k = curl_easy_escape(NULL, key, 0);
	v = curl_easy_escape(NULL, value, 0);
	if (k == NULL || v == NULL)
		fatalx("curl_easy_escape failed");
	rv = buf_printf(b, "%c%s=%s", strchr(buf_cstr(b), '?') != NULL ?
	    '&' : '?', k, v);
	curl_free(k);
	curl_free(v);
	return rv;
}

/*
 * Build "/v1/<collection>[/<id>][/<suffix>]" with the id escaped.  Ids
 * are opaque, so whatever they hold must not change the path.
 */
static void
api_path(struct buf *b, const char *collection, const char *id,
    const char *suffix)
{
	char	*e;
	int	 rv;

	buf_init(b, API_PATH_MAX);
	rv = buf_printf(b, "/v1/%s", collection);
	if (rv == 0 && id != NULL) {
		if ((e = curl_easy_escape(NULL, id, 0)) == NULL)
			fatalx("curl_easy_escape failed");
		rv = buf_printf(b, "/%s", e);
		curl_free(e);
	}
	if (rv == 0 && suffix != NULL)
		rv = buf_printf(b, "/%s", suffix);
	if (rv != 0)
		fatalx("api_path: path too long");
}

/* Add the list parameters that are set. */
static void
api_list_query(struct buf *b, const struct api_list *l)
{
	char	 n[32];
	int	 rv = 0;

	if (l == NULL)
		return;
	if (l->limit > 0) {
		snprintf(n, sizeof n, "%d", l->limit);
		rv |= api_query_add(b, "limit", n);
	}
	if (l->page != NULL)
		rv |= api_query_add(b, "page", l->page);
	if (l->order != NULL)
		rv |= api_query_add(b, "order", l->order);
	for (size_t i = 0; l->statuses != NULL && l->statuses[i] != NULL; i++)
		rv |= api_query_add(b, "statuses[]", l->statuses[i]);
	for (size_t i = 0; l->types != NULL && l->types[i] != NULL; i++)
		rv |= api_query_add(b, "types[]", l->types[i]);
	if (l->agent_id != NULL)
		rv |= api_query_add(b, "agent_id", l->agent_id);
	if (l->include_archived)
		rv |= api_query_add(b, "include_archived", "true");
	if (l->created_gt != NULL)
		rv |= api_query_add(b, "created_at[gt]", l->created_gt);
	if (l->created_gte != NULL)
		rv |= api_query_add(b, "created_at[gte]", l->created_gte);
	if (l->created_lt != NULL)
		rv |= api_query_add(b, "created_at[lt]", l->created_lt);
	if (l->created_lte != NULL)
		rv |= api_query_add(b, "created_at[lte]", l->created_lte);
	if (rv != 0)
		fatalx("api_list_query: query too long");
}

/* Queue method on the built path with an optional JSON body. */
static struct api_request *
api_call(struct api_client *c, const char *method, struct buf *path,
    const json_t *body, api_done_cb done, void *arg)
{
	struct api_spec		 sp;
	struct api_request	*r;
	char			*text = NULL;

	memset(&sp, 0, sizeof sp);
	sp.method = method;
	sp.path = buf_cstr(path);
	if (body != NULL &&
	    (text = json_dumps(body, JSON_COMPACT|JSON_ENCODE_ANY)) == NULL)
		fatalx("json_dumps failed");
	sp.body = text;
	sp.retries = -1;
	sp.done = done;
	sp.arg = arg;
	r = api_start(c, &sp);
	free(text);
	buf_clear(path);
	return r;
}

/* Queue method on /v1/collection[/id][/suffix] with list parameters and
 * a JSON body (either may be NULL). */
static struct api_request *
api_object(struct api_client *c, const char *method, const char *collection,
    const char *id, const char *suffix, const struct api_list *l,
    const json_t *body, api_done_cb done, void *arg)
{
	struct buf	p;

	api_path(&p, collection, id, suffix);
	api_list_query(&p, l);
	return api_call(c, method, &p, body, done, arg);
}

/* POST /v1/agents */
struct api_request *
api_agent_create(struct api_client *c, const json_t *body, api_done_cb done,
    void *arg)
{
	return api_object(c, "POST", "agents", NULL, NULL, NULL,
	    body, done, arg);
}

/* GET /v1/agents */
struct api_request *
api_agents_list(struct api_client *c, const struct api_list *l,
    api_done_cb done, void *arg)
{
	return api_object(c, "GET", "agents", NULL, NULL, l,
	    NULL, done, arg);
}

/* GET /v1/agents/{id}[?version=N] */
struct api_request *
api_agent_get(struct api_client *c, const char *id, int version,
    api_done_cb done, void *arg)
{
	struct buf	p;
	char		n[32];

	api_path(&p, "agents", id, NULL);
	if (version > 0) {
		snprintf(n, sizeof n, "%d", version);
		if (api_query_add(&p, "version", n) != 0)
			fatalx("api_agent_get: path too long");
	}
	return api_call(c, "GET", &p, NULL, done, arg);
}

/* POST /v1/agents/{id} */
struct api_request *
api_agent_update(struct api_client *c, const char *id, const json_t *body,
    api_done_cb done, void *arg)
{
	return api_object(c, "POST", "agents", id, NULL, NULL,
	    body, done, arg);
}

/* POST /v1/agents/{id}/archive */
struct api_request *
api_agent_archive(struct api_client *c, const char *id, api_done_cb done,
    void *arg)
{
	return api_object(c, "POST", "agents", id, "archive", NULL,
	    NULL, done, arg);
}

/* GET /v1/agents/{id}/versions */
struct api_request *
api_agent_versions(struct api_client *c, const char *id,
    const struct api_list *l, api_done_cb done, void *arg)
{
	return api_object(c, "GET", "agents", id, "versions", l,
	    NULL, done, arg);
}

/* POST /v1/environments */
struct api_request *
api_environment_create(struct api_client *c, const json_t *body,
    api_done_cb done, void *arg)
{
	return api_object(c, "POST", "environments", NULL, NULL, NULL,
	    body, done, arg);
}

/* GET /v1/environments */
struct api_request *
api_environments_list(struct api_client *c, const struct api_list *l,
    api_done_cb done, void *arg)
{
	return api_object(c, "GET", "environments", NULL, NULL, l,
	    NULL, done, arg);
}

/* GET /v1/environments/{id} */
struct api_request *
api_environment_get(struct api_client *c, const char *id, api_done_cb done,
    void *arg)
{
	return api_object(c, "GET", "environments", id, NULL, NULL,
	    NULL, done, arg);
}

/* POST /v1/environments/{id} */
struct api_request *
api_environment_update(struct api_client *c, const char *id,
    const json_t *body, api_done_cb done, void *arg)
{
	return api_object(c, "POST", "environments", id, NULL, NULL,
	    body, done, arg);
}

/* POST /v1/environments/{id}/archive */
struct api_request *
api_environment_archive(struct api_client *c, const char *id,
    api_done_cb done, void *arg)
{
	return api_object(c, "POST", "environments", id, "archive", NULL,
	    NULL, done, arg);
}

/* DELETE /v1/environments/{id} */
struct api_request *
api_environment_delete(struct api_client *c, const char *id,
    api_done_cb done, void *arg)
{
	return api_object(c, "DELETE", "environments", id, NULL, NULL,
	    NULL, done, arg);
}

/* POST /v1/sessions */
struct api_request *
api_session_create(struct api_client *c, const json_t *body,
    api_done_cb done, void *arg)
{
	return api_object(c, "POST", "sessions", NULL, NULL, NULL,
	    body, done, arg);
}

/* GET /v1/sessions */
struct api_request *
api_sessions_list(struct api_client *c, const struct api_list *l,
    api_done_cb done, void *arg)
{
	return api_object(c, "GET", "sessions", NULL, NULL, l,
	    NULL, done, arg);
}

/* GET /v1/sessions/{id} */
struct api_request *
api_session_get(struct api_client *c, const char *id, api_done_cb done,
    void *arg)
{
	return api_object(c, "GET", "sessions", id, NULL, NULL,
	    NULL, done, arg);
}

/* POST /v1/sessions/{id} */
struct api_request *
api_session_update(struct api_client *c, const char *id, const json_t *body,
    api_done_cb done, void *arg)
{
	return api_object(c, "POST", "sessions", id, NULL, NULL,
	    body, done, arg);
}

/* POST /v1/sessions/{id}/archive */
struct api_request *
api_session_archive(struct api_client *c, const char *id, api_done_cb done,
    void *arg)
{
	return api_object(c, "POST", "sessions", id, "archive", NULL,
	    NULL, done, arg);
}

/* DELETE /v1/sessions/{id} */
struct api_request *
api_session_delete(struct api_client *c, const char *id, api_done_cb done,
    void *arg)
{
	return api_object(c, "DELETE", "sessions", id, NULL, NULL,
	    NULL, done, arg);
}

/* GET /v1/sessions/{id}/events */
struct api_request *
api_events_list(struct api_client *c, const char *id,
    const struct api_list *l, api_done_cb done, void *arg)
{
	return api_object(c, "GET", "sessions", id, "events", l,
	    NULL, done, arg);
}

/* POST /v1/sessions/{id}/events with {"events": events}. */
struct api_request *
api_events_send(struct api_client *c, const char *id, const json_t *events,
    api_done_cb done, void *arg)
{
	struct api_request	*r;
	struct buf		 p;
	json_t			*body;

	api_path(&p, "sessions", id, "events");
	body = json_pack("{sO}", "events", (json_t *)events);
	if (body == NULL)
		fatalx("api_events_send: json_pack failed");
	r = api_call(c, "POST", &p, body, done, arg);
	json_decref(body);
	return r;
}

/* GET /v1/sessions/{id}/events/stream */
struct api_request *
api_events_stream(struct api_client *c, const char *id,
    const char *const *deltas, api_open_cb open, api_data_cb data,
    api_done_cb done, void *arg)
{
	struct api_spec		 sp;
	struct api_request	*r;
	struct buf		 p;

	api_path(&p, "sessions", id, "events/stream");
	for (size_t i = 0; deltas != NULL && deltas[i] != NULL; i++)
		if (api_query_add(&p, "event_deltas[]", deltas[i]) != 0)
			fatalx("api_events_stream: path too long");
	memset(&sp, 0, sizeof sp);
	sp.method = "GET";
	sp.path = buf_cstr(&p);
	sp.max_body = API_MAX_ERROR_BODY;
	sp.retries = 0;
	sp.open = open;
	sp.data = data;
	sp.done = done;
	sp.arg = arg;
	r = api_start(c, &sp);
	buf_clear(&p);
	return r;
}
