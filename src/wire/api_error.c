/* ISC licence: see COPYING.  API error envelopes and their messages. */

#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/sanitize.h"
#include "base/xmalloc.h"
#include "wire/api_error.h"

#define API_ERROR_MAX_TEXT	2048	/* longest message shown */

static char	*api_error_string(json_t *, const char *);
static void	 api_error_redact_one(char **, const char *);

/* Free the strings and reset e to "no error". */
void
api_error_clear(struct api_error *e)
{
	free(e->type);
	free(e->message);
	free(e->request_id);
	free(e->hint);
	memset(e, 0, sizeof *e);
}

/* Duplicate src into dst. */
void
api_error_copy(struct api_error *dst, const struct api_error *src)
{
	api_error_clear(dst);
	dst->status = src->status;
	dst->http = src->http;
	dst->type = src->type != NULL ? xstrdup(src->type) : NULL;
	dst->message = src->message != NULL ? xstrdup(src->message) : NULL;
	dst->request_id = src->request_id != NULL ?
	    xstrdup(src->request_id) : NULL;
	dst->hint = src->hint != NULL ? xstrdup(src->hint) : NULL;
}

/* A copy of the string member key of o, or NULL. */
static char *
api_error_string(json_t *o, const char *key)
{
	json_t	*v;

	v = json_object_get(o, key);
	if (!json_is_string(v))
		return NULL;
	return xstrndup(json_string_value(v), json_string_length(v));
}

/* Fill e from an error answer, envelope or not. */
void
api_error_set_http(struct api_error *e, long http, const char *body,
    size_t len, const char *request_id)
{
	json_t	*root, *err;

	api_error_clear(e);
	e->status = API_ERR_HTTP;
	e->http = http;
	root = json_loadb(body, len, 0, NULL);
	err = json_object_get(root, "error");
	if (json_is_object(err)) {
		e->type = api_error_string(err, "type");
		e->message = api_error_string(err, "message");
		if (request_id == NULL)
			e->request_id = api_error_string(root, "request_id");
	}
	if (e->request_id == NULL && request_id != NULL)
		e->request_id = xstrdup(request_id);
	if (e->message == NULL) {
		if (len == 0)
			e->message = xstrdup("empty response");
		else
			xasprintf(&e->message, "unexpected response (%zu "
			    "bytes, not an API error envelope)", len);
	}
	json_decref(root);
}

/* Set a failure without an envelope. */
void
api_error_set(struct api_error *e, enum api_status status, const char *hint,
    const char *fmt, ...)
{
	va_list	ap;

	api_error_clear(e);
	e->status = status;
	va_start(ap, fmt);
	xvasprintf(&e->message, fmt, ap);
	va_end(ap);
	if (hint != NULL)
		e->hint = xstrdup(hint);
}

/* Replace secret in *s. */
static void
api_error_redact_one(char **s, const char *secret)
{
	struct buf	 b;
	const char	*p, *hit;
	size_t		 n = strlen(secret);

	if (*s == NULL || n == 0 || strstr(*s, secret) == NULL)
		return;
	buf_init(&b, BUF_UNBOUNDED);
	for (p = *s; (hit = strstr(p, secret)) != NULL; p = hit + n) {
		if (buf_append(&b, p, (size_t)(hit - p)) != 0 ||
		    buf_puts(&b, "[redacted]") != 0)
			break;
	}
	if (buf_puts(&b, p) != 0)
		buf_reset(&b);
	free(*s);
	*s = buf_steal(&b, NULL);
}

/* Scrub a secret from every string of e. */
void
api_error_redact(struct api_error *e, const char *secret)
{
	if (secret == NULL)
		return;
	api_error_redact_one(&e->type, secret);
	api_error_redact_one(&e->message, secret);
	api_error_redact_one(&e->request_id, secret);
	api_error_redact_one(&e->hint, secret);
}

/* The user-facing line; sanitised.  Caller frees. */
char *
api_error_format(const struct api_error *e)
{
	struct buf	 raw, out;
	const char	*msg;
	int		 rv;

	buf_init(&raw, BUF_UNBOUNDED);
	msg = e->message != NULL ? e->message : "unknown error";
	if (e->http != 0 && e->type != NULL)
		rv = buf_printf(&raw, "%ld %s: ", e->http, e->type);
	else if (e->http != 0)
		rv = buf_printf(&raw, "%ld: ", e->http);
	else if (e->type != NULL)
		rv = buf_printf(&raw, "%s: ", e->type);
	else
		rv = 0;
	if (rv != 0)
		fatalx("api_error_format");
	if (buf_append(&raw, msg, strnlen(msg, API_ERROR_MAX_TEXT)) != 0)
		fatalx("api_error_format");
	if (e->hint != NULL && buf_printf(&raw, "; %s", e->hint) != 0)
		fatalx("api_error_format");
	buf_init(&out, BUF_UNBOUNDED);
	/* Messages are one line: line ends become spaces. */
	for (size_t i = 0; i < raw.len; i++)
		if (raw.data[i] == '\n' || raw.data[i] == '\r')
			raw.data[i] = ' ';
	if (sanitize_to_buf(raw.data, raw.len, &out) != 0)
		fatalx("api_error_format");
	buf_clear(&raw);
	return buf_steal(&out, NULL);
}
