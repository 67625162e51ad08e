/* ISC licence: see COPYING.  The HTTP transport shared by the model brains. */

#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "harness/brain_http.h"

/*
 * One transfer in flight.  The easy handle lives in a private multi
 * handle only so that the wait can include the cancel descriptor
 * (curl_multi_poll's extra fds); connections come from the shared pool.
 */
struct brain_http_xfer {
	const struct brain_http_request	*req;
	struct brain_http_response	*resp;
	CURL				*easy;
	int				 status_known; /* resp->status set */
	int				 stopped; /* on_body said stop */
};

static pthread_once_t	 brain_http_once = PTHREAD_ONCE_INIT;
static CURLSH		*brain_http_share;
static pthread_mutex_t	 brain_http_locks[CURL_LOCK_DATA_LAST];

static void	brain_http_init(void);
static void	brain_http_lock(CURL *, curl_lock_data, curl_lock_access,
		    void *);
static void	brain_http_unlock(CURL *, curl_lock_data, void *);
static size_t	brain_http_header(char *, size_t, size_t, void *);
static size_t	brain_http_write(char *, size_t, size_t, void *);
static int	brain_http_progress(void *, curl_off_t, curl_off_t,
		    curl_off_t, curl_off_t);
static long	brain_http_retry_after(const char *, size_t, int);
static void	brain_http_finish(struct brain_http_xfer *, CURLcode);
static int	brain_http_says(const char *, const char *const *);

/* Initialise libcurl and the shared DNS, TLS session and connection pool. */
static void
brain_http_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatalx("curl_global_init failed");
	for (size_t i = 0; i < AD_NITEMS(brain_http_locks); i++)
		pthread_mutex_init(&brain_http_locks[i], NULL);
	if ((brain_http_share = curl_share_init()) == NULL)
		fatalx("curl_share_init failed");
	curl_share_setopt(brain_http_share, CURLSHOPT_LOCKFUNC,
	    brain_http_lock);
	curl_share_setopt(brain_http_share, CURLSHOPT_UNLOCKFUNC,
	    brain_http_unlock);
	curl_share_setopt(brain_http_share, CURLSHOPT_SHARE,
	    CURL_LOCK_DATA_DNS);
	curl_share_setopt(brain_http_share, CURLSHOPT_SHARE,
	    CURL_LOCK_DATA_SSL_SESSION);
	curl_share_setopt(brain_http_share, CURLSHOPT_SHARE,
	    CURL_LOCK_DATA_CONNECT);
}

/* Take the lock guarding one kind of shared data. */
static void
brain_http_lock(CURL *easy, curl_lock_data data, curl_lock_access access,
    void *arg)
{
	pthread_mutex_lock(&brain_http_locks[data]);
}

/* Release it. */
static void
brain_http_unlock(CURL *easy, curl_lock_data data, void *arg)
{
	pthread_mutex_unlock(&brain_http_locks[data]);
}

/* Start with nothing known. */
void
brain_http_response_init(struct brain_http_response *resp)
{
	memset(resp, 0, sizeof *resp);
	resp->retry_after_ms = -1;
	buf_init(&resp->error_body, BRAIN_HTTP_MAX_ERROR_BODY);
}

/* Release the kept error body. */
void
brain_http_response_clear(struct brain_http_response *resp)
{
	buf_clear(&resp->error_body);
}

/*
 * Parse a retry-after value: seconds (fractions allowed), an HTTP date,
 * or with ms set a retry-after-ms count.  -1 when it makes no sense.
 */
static long
brain_http_retry_after(const char *v, size_t len, int ms)
{
	char		 text[64], *end;
	double		 d;
	struct tm	 tm;
	time_t		 when, now;

	if (len == 0 || len >= sizeof text)
		return -1;
	memcpy(text, v, len);
	text[len] = '\0';
	d = strtod(text, &end);
	if (end != text && *end == '\0') {
		if (!(d >= 0) || d > 86400.0 * (ms ? 1000 : 1))
			return -1;
		return (long)(ms ? d : d * 1000);
	}
	if (ms)
		return -1;
	memset(&tm, 0, sizeof tm);
	end = strptime(text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	when = timegm(&tm);
	now = time(NULL);
	return when > now ? (long)(when - now) * 1000 : 0;
}

/* Header lines: a new status line starts over; keep the retry hints. */
static size_t
brain_http_header(char *p, size_t size, size_t n, void *arg)
{
	struct brain_http_xfer	*x = arg;
	size_t			 len = size * n, klen;
	const char		*colon, *v, *e;
	long			 ms;

	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		x->resp->retry_after_ms = -1;
		x->status_known = 0;
		return len;
	}
	if ((colon = memchr(p, ':', len)) == NULL)
		return len;
	klen = (size_t)(colon - p);
	v = colon + 1;
	e = p + len;
	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	while (e > v && isspace((unsigned char)e[-1]))
		e--;
	if (klen == 14 && strncasecmp(p, "retry-after-ms", klen) == 0) {
		if ((ms = brain_http_retry_after(v, (size_t)(e - v), 1)) >= 0)
			x->resp->retry_after_ms = ms;
	} else if (klen == 11 && strncasecmp(p, "retry-after", klen) == 0 &&
	    x->resp->retry_after_ms < 0)
		x->resp->retry_after_ms =
		    brain_http_retry_after(v, (size_t)(e - v), 0);
	return len;
}

/* Body bytes: 2xx goes to the caller, anything else is kept (bounded). */
static size_t
brain_http_write(char *p, size_t size, size_t n, void *arg)
{
	struct brain_http_xfer	*x = arg;
	size_t			 len = size * n, room;

	if (!x->status_known) {
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE,
		    &x->resp->status);
		x->status_known = 1;
	}
	if (x->resp->status < 200 || x->resp->status > 299) {
		room = x->resp->error_body.max - x->resp->error_body.len;
		if (buf_append(&x->resp->error_body, p, AD_MIN(len, room)) != 0)
			return 0;
		return len;
	}
	if (x->req->on_body(p, len, x->req->arg) != 0) {
		x->stopped = 1;
		return 0;
	}
	return len;
}

/* Abort the transfer as soon as the cancel has fired. */
static int
brain_http_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	struct brain_http_xfer	*x = arg;

	return x->req->cancel != NULL && cancel_fired(x->req->cancel);
}

/* Decide the outcome from curl's result code. */
static void
brain_http_finish(struct brain_http_xfer *x, CURLcode rc)
{
	struct brain_http_response	*resp = x->resp;
	const struct brain_http_request	*req = x->req;

	if (!x->status_known)
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE,
		    &resp->status);
	if (req->cancel != NULL && cancel_fired(req->cancel)) {
		resp->outcome = BRAIN_HTTP_CANCELLED;
		return;
	}
	if (x->stopped) {
		resp->outcome = BRAIN_HTTP_STOPPED;
		return;
	}
	switch (rc) {
	case CURLE_OK:
		resp->outcome = BRAIN_HTTP_DONE;
		return;
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
		resp->outcome = BRAIN_HTTP_NO_HOST;
		break;
	case CURLE_COULDNT_CONNECT:
		resp->outcome = BRAIN_HTTP_UNREACHABLE;
		break;
	case CURLE_OPERATION_TIMEDOUT:
		resp->outcome = resp->status == 0 ?
		    BRAIN_HTTP_UNREACHABLE : BRAIN_HTTP_BROKEN;
		break;
	default:
		resp->outcome = BRAIN_HTTP_BROKEN;
		break;
	}
	if (resp->error[0] == '\0')
		str_lcpy(resp->error, curl_easy_strerror(rc),
		    sizeof resp->error);
}

/*
 * Run the request.  The loop drives the private multi handle and sleeps
 * in curl_multi_poll with the cancel descriptor as an extra fd: a fired
 * cancel wakes it at once and the handle is torn down without waiting
 * for the server, which is what "abort, not await" means.
 */
void
brain_http_perform(const struct brain_http_request *req,
    struct brain_http_response *resp)
{
	struct brain_http_xfer	 x;
	struct curl_slist	*hl = NULL;
	struct curl_waitfd	 extra;
	CURLM			*multi;
	CURLMsg			*msg;
	CURLcode		 rc = CURLE_OK;
	const char		*ca;
	int			 running = 1, left;

	pthread_once(&brain_http_once, brain_http_init);
	memset(&x, 0, sizeof x);
	x.req = req;
	x.resp = resp;
	if ((x.easy = curl_easy_init()) == NULL)
		fatalx("curl_easy_init failed");
	if ((multi = curl_multi_init()) == NULL)
		fatalx("curl_multi_init failed");

	for (size_t i = 0; req->headers != NULL && req->headers[i] != NULL;
	    i++)
		hl = curl_slist_append(hl, req->headers[i]);
	hl = curl_slist_append(hl, "Content-Type: application/json");
	hl = curl_slist_append(hl, "Expect:");

	curl_easy_setopt(x.easy, CURLOPT_SHARE, brain_http_share);
	curl_easy_setopt(x.easy, CURLOPT_URL, req->url);
	curl_easy_setopt(x.easy, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(x.easy, CURLOPT_POSTFIELDS, req->body);
	curl_easy_setopt(x.easy, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)req->bodylen);
	curl_easy_setopt(x.easy, CURLOPT_HEADERFUNCTION, brain_http_header);
	curl_easy_setopt(x.easy, CURLOPT_HEADERDATA, &x);
	curl_easy_setopt(x.easy, CURLOPT_WRITEFUNCTION, brain_http_write);
	curl_easy_setopt(x.easy, CURLOPT_WRITEDATA, &x);
	curl_easy_setopt(x.easy, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(x.easy, CURLOPT_XFERINFOFUNCTION,
	    brain_http_progress);
	curl_easy_setopt(x.easy, CURLOPT_XFERINFODATA, &x);
	curl_easy_setopt(x.easy, CURLOPT_ERRORBUFFER, resp->error);
	curl_easy_setopt(x.easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x.easy, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)BRAIN_HTTP_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(x.easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(x.easy, CURLOPT_LOW_SPEED_TIME,
	    req->idle_timeout_s > 0 ? req->idle_timeout_s :
	    (long)BRAIN_HTTP_IDLE_TIMEOUT_S);
	curl_easy_setopt(x.easy, CURLOPT_TCP_NODELAY, 1L);
	/* The same trust as the client's (pilothouse(1), SSL_CERT_FILE). */
	if ((ca = getenv("SSL_CERT_FILE")) != NULL && *ca != '\0')
		curl_easy_setopt(x.easy, CURLOPT_CAINFO, ca);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(x.easy, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(x.easy, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_HTTP|CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(x.easy, CURLOPT_USERAGENT, PACKAGE_NAME "/"
	    PACKAGE_VERSION);
	curl_multi_add_handle(multi, x.easy);

	while (running) {
		if (curl_multi_perform(multi, &running) != CURLM_OK)
			break;
		if (!running)
			break;
		if (req->cancel != NULL && cancel_fired(req->cancel))
			break;
		memset(&extra, 0, sizeof extra);
		extra.fd = req->cancel != NULL ? cancel_fd(req->cancel) : -1;
		extra.events = CURL_WAIT_POLLIN;
		if (curl_multi_poll(multi, &extra, req->cancel != NULL ? 1 : 0,
		    1000, NULL) != CURLM_OK)
			break;
	}
	while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
		if (msg->msg == CURLMSG_DONE && msg->easy_handle == x.easy)
			rc = msg->data.result;
	}
	if (running && rc == CURLE_OK)
		rc = CURLE_ABORTED_BY_CALLBACK;
	brain_http_finish(&x, rc);

	curl_multi_remove_handle(multi, x.easy);
	curl_easy_cleanup(x.easy);
	curl_multi_cleanup(multi);
	curl_slist_free_all(hl);
}

/* Join a base URL and a path with exactly one slash. */
char *
brain_http_url(const char *base, const char *path)
{
	char	*url;
	size_t	 blen = strlen(base);

	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	while (*path == '/')
		path++;
	xasprintf(&url, "%.*s/%s", (int)blen, base, path);
	return url;
}

/* Take the type and message out of any of the known error shapes. */
void
brain_http_error_parse(const char *body, size_t len, char **type,
    char **message)
{
	json_t		*root, *err, *v;
	const char	*nl;

	*type = *message = NULL;
	root = json_loadb(body, len, 0, NULL);
	if (root == NULL) {
		while (len > 0 && isspace((unsigned char)*body)) {
			body++;
			len--;
		}
		if ((nl = memchr(body, '\n', len)) != NULL)
			len = (size_t)(nl - body);
		if (len > 0)
			*message = xstrndup(body, AD_MIN(len, 300));
		return;
	}
	err = json_object_get(root, "error");
	if (json_is_string(err))
		*message = xstrdup(json_string_value(err));
	else if (json_is_object(err)) {
		if (json_is_string(v = json_object_get(err, "message")))
			*message = xstrdup(json_string_value(v));
		if (json_is_string(v = json_object_get(err, "type")))
			*type = xstrdup(json_string_value(v));
		else if (json_is_string(v = json_object_get(err, "code")))
			*type = xstrdup(json_string_value(v));
	} else if (json_is_string(v = json_object_get(root, "message")))
		*message = xstrdup(json_string_value(v));
	json_decref(root);
}

/* Non-zero when text contains one of the phrases (case-insensitive). */
static int
brain_http_says(const char *text, const char *const *phrases)
{
	if (text == NULL)
		return 0;
	for (size_t i = 0; phrases[i] != NULL; i++)
		if (strcasestr(text, phrases[i]) != NULL)
			return 1;
	return 0;
}

/* Classify an error by the type the server gave it and its message. */
enum brain_status
brain_http_error_status(const char *type, const char *message,
    int *retryable)
{
	static const char *const context[] = { "prompt is too long",
	    "context length", "context window", "context_length",
	    "maximum context", "exceeds the available context",
	    "exceed_context", "too many tokens", "request_too_large", NULL };
	static const char *const billing[] = { "billing", "credit balance",
	    "insufficient_quota", "quota exceeded", NULL };
	static const char *const auth[] = { "authentication_error",
	    "permission_error", "invalid_api_key", "invalid x-api-key",
	    "unauthorized", NULL };
	static const char *const overloaded[] = { "overloaded", NULL };
	static const char *const rate[] = { "rate_limit", NULL };
	static const char *const final[] = { "invalid_request_error",
	    "not_found_error", "not_found", "invalid_request", NULL };

	*retryable = 0;
	if (brain_http_says(type, context) ||
	    brain_http_says(message, context))
		return BRAIN_E_CONTEXT;
	if (brain_http_says(type, billing) ||
	    brain_http_says(message, billing))
		return BRAIN_E_BILLING;
	if (brain_http_says(type, auth))
		return BRAIN_E_AUTH;
	*retryable = 1;
	if (brain_http_says(type, overloaded))
		return BRAIN_E_OVERLOADED;
	if (brain_http_says(type, rate))
		return BRAIN_E_RATE_LIMITED;
	if (brain_http_says(type, final))
		*retryable = 0;
	return BRAIN_E_REQUEST;
}

/* Map a failed or refused request onto the brain's result. */
void
brain_http_result(const struct brain_http_response *resp, const char *who,
    const char *url, const char *hint, struct brain_result *res)
{
	enum brain_status	 st;
	char			*type, *message;
	const char		*what;
	int			 retry;

	memset(res, 0, sizeof *res);
	res->retry_after_ms = -1;
	res->http_status = (int)resp->status;
	switch (resp->outcome) {
	case BRAIN_HTTP_CANCELLED:
	case BRAIN_HTTP_STOPPED:
		res->status = BRAIN_CANCELLED;
		str_lcpy(res->message, "interrupted", sizeof res->message);
		return;
	case BRAIN_HTTP_NO_HOST:
	case BRAIN_HTTP_UNREACHABLE:
		res->status = BRAIN_E_REQUEST;
		res->retryable = resp->outcome == BRAIN_HTTP_UNREACHABLE;
		snprintf(res->message, sizeof res->message,
		    "%s: cannot reach %s (%s); %s", who, url, resp->error,
		    hint);
		return;
	case BRAIN_HTTP_BROKEN:
		res->status = BRAIN_E_REQUEST;
		res->retryable = 1;
		snprintf(res->message, sizeof res->message,
		    "%s: the connection to %s failed mid-response (%s)", who,
		    url, resp->error);
		return;
	case BRAIN_HTTP_DONE:
		break;
	}

	brain_http_error_parse(resp->error_body.data != NULL ?
	    resp->error_body.data : "", resp->error_body.len, &type, &message);
	st = brain_http_error_status(type, message, &retry);
	switch (resp->status) {
	case 429:
		st = BRAIN_E_RATE_LIMITED;
		retry = 1;
		res->retry_after_ms = resp->retry_after_ms > INT32_MAX ?
		    INT32_MAX : (int)resp->retry_after_ms;
		break;
	case 529:
		st = BRAIN_E_OVERLOADED;
		retry = 1;
		break;
	case 401:
	case 403:
		if (st != BRAIN_E_BILLING)
			st = BRAIN_E_AUTH;
		retry = 0;
		break;
	case 402:
		st = BRAIN_E_BILLING;
		retry = 0;
		break;
	case 413:
		st = BRAIN_E_CONTEXT;
		retry = 0;
		break;
	default:
		if (resp->status == 408 || resp->status >= 500) {
			if (st != BRAIN_E_OVERLOADED)
				st = BRAIN_E_REQUEST;
			retry = 1;
		} else if (st == BRAIN_E_REQUEST ||
		    st == BRAIN_E_RATE_LIMITED || st == BRAIN_E_OVERLOADED) {
			st = BRAIN_E_REQUEST;
			retry = 0;
		}
		break;
	}
	res->status = st;
	res->retryable = retry;
	what = message != NULL ? message : "(no error message)";
	snprintf(res->message, sizeof res->message, "%s: HTTP %ld%s%s: %s%s",
	    who, resp->status, type != NULL ? " " : "",
	    type != NULL ? type : "", what, resp->status == 404 ?
	    " (check base_url and the model name)" : "");
	free(type);
	free(message);
}

/* Log the outcome of a request that started at start_us (monotonic). */
void
brain_http_log(const char *who, const char *url, size_t bodylen,
    int64_t start_us, const struct brain_result *res)
{
	int64_t	ms = (clock_mono_us() - start_us) / 1000;

	if (res->status == BRAIN_OK)
		log_debug("%s: POST %s (%zu bytes): done in %lld ms", who, url,
		    bodylen, (long long)ms);
	else if (res->status == BRAIN_CANCELLED)
		log_info("%s: POST %s: interrupted after %lld ms", who, url,
		    (long long)ms);
	else
		log_warn("%s (after %lld ms, %s)", res->message, (long long)ms,
		    res->retryable ? "will retry" : "final");
}
