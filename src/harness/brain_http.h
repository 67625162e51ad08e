/*
 * brain_http.h -- the HTTP transport the model brains share.
 *
 * One POST on the caller's thread (a session's runner thread: blocking
 * is the point), with the response body handed to a callback as the
 * network delivers it.  The transfer is aborted the moment the request's
 * cancel fires: the wait sleeps on the cancel descriptor alongside the
 * socket, and the progress callback checks the flag too, so an interrupt
 * never waits for the next progress tick or the next byte.
 *
 * The body of a non-2xx response is not streamed: the first 64 KiB are
 * kept for the error mapping (brain_http_error_parse).  Connections are
 * reused across requests and threads through one shared pool.
 *
 * This module knows nothing of any model protocol; brain_anthropic.c and
 * brain_openai.c build the bodies and parse the streams.
 */
#ifndef PILOTHOUSE_BRAIN_HTTP_H
#define PILOTHOUSE_BRAIN_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/cancel.h"
#include "base/compiler.h"
#include "harness/brain.h"

#define BRAIN_HTTP_MAX_ERROR_BODY	(64 * 1024)
#define BRAIN_HTTP_CONNECT_TIMEOUT_MS	10000
#define BRAIN_HTTP_IDLE_TIMEOUT_S	600

/*
 * Called with each piece of a 2xx body; return non-zero to stop the
 * transfer (the outcome is then BRAIN_HTTP_STOPPED).  Borrowed bytes.
 */
typedef int	(*brain_http_body_cb)(const char *, size_t, void *);

struct brain_http_request {
	const char		 *url;
	const char *const	 *headers; /* "Name: value", NULL-ended */
	const char		 *body;		/* JSON, sent as is */
	size_t			  bodylen;
	brain_http_body_cb	  on_body;
	void			 *arg;	/* handed back to on_body */
	struct cancel		 *cancel;	/* may be NULL */
	long			  idle_timeout_s; /* 0: the default */
};

enum brain_http_outcome {
	BRAIN_HTTP_DONE = 0,	/* a whole response arrived, any status */
	BRAIN_HTTP_CANCELLED,	/* the cancel fired; transfer aborted */
	BRAIN_HTTP_STOPPED,	/* on_body asked to stop */
	BRAIN_HTTP_UNREACHABLE,	/* no connection: refused, timeout */
	BRAIN_HTTP_NO_HOST,	/* the host name did not resolve */
	BRAIN_HTTP_BROKEN	/* failed after connecting: reset, cut
				   short, stalled past the idle timeout */
};

struct brain_http_response {
	enum brain_http_outcome	 outcome;
	long			 status;	/* 0 when none arrived */
	long			 retry_after_ms;	/* -1 when absent */
	struct buf		 error_body; /* non-2xx body, truncated */
	char			 error[256]; /* transport failure text */
};

void	 brain_http_response_init(struct brain_http_response *);
void	 brain_http_response_clear(struct brain_http_response *);
/* Run one request to completion, cancellation or failure. */
void	 brain_http_perform(const struct brain_http_request *,
	    struct brain_http_response *);

/*
 * Fill res for a request whose response was not a usable 2xx stream:
 * cancelled, unreachable, broken, or an HTTP error status (mapped as
 * harness.md 3.8 says: 429 rate limited with retry-after, 529 and
 * overloaded_error overloaded, 5xx and 408 retryable failures, 401/403
 * authentication, billing, prompt too long, other 4xx final).  who names
 * the brain ("anthropic", "local:qwen"); hint ends the message of an
 * unreachable server (what to do instead).
 */
void	 brain_http_result(const struct brain_http_response *, const char *,
	    const char *, const char *, struct brain_result *);
/*
 * The status of an error the server names by type (Anthropic's
 * "overloaded_error", OpenAI's "rate_limit_exceeded"...) and message;
 * *retryable says whether trying again may help.
 */
enum brain_status brain_http_error_status(const char *, const char *,
	    int *);

/*
 * Log how one model request went: failures as warnings, the rest at
 * debug level with the time taken.  Headers are never logged (the key
 * is in them).
 */
void	 brain_http_log(const char *, const char *, size_t, int64_t,
	    const struct brain_result *);

/*
 * Join a base URL ("http://127.0.0.1:8080/v1", with or without a
 * trailing slash) and a path ("chat/completions").  Caller frees.
 */
char	*brain_http_url(const char *, const char *);

/*
 * Pull the type and message out of an error body in any of the shapes
 * model servers use: Anthropic's {"type":"error","error":{type,message}},
 * OpenAI's {"error":{message,type,code}}, llama-server's and Ollama's
 * variants, or {"error":"text"}.  Either may come back NULL (a body that
 * is not JSON gives its first line as the message).  Caller frees both.
 */
void	 brain_http_error_parse(const char *, size_t, char **, char **);

#endif
