/* ISC licence: see COPYING.  The HTTP server (libmicrohttpd). */

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <microhttpd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/rand.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "harness/harness.h"
#include "harness/hjson.h"
#include "harness/httpd.h"
#include "harness/hub.h"
#include "wire/api_event.h"

#define HTTPD_STREAM_BLOCK	8192	/* bytes per stream write */
#define HTTPD_MAX_LIST		1000
#define HTTPD_MAX_FILTERS	64

/*
 * One listener: the handler's closure says which daemon a request came
 * in on.
 */
struct httpd_listener {
	struct httpd		*d;
	int			 tcp;
};

struct httpd {
	struct httpd_config	 cfg;
	char			*key;
	struct MHD_Daemon	*unix_d;
	struct MHD_Daemon	*tcp_d;
	struct httpd_listener	 unix_l;
	struct httpd_listener	 tcp_l;
};

/* One request in progress (MHD's con_cls). */
struct httpd_req {
	struct httpd	*d;
	struct buf	 body;
	int		 too_big;
	char		 request_id[RAND_ID_LEN];
};

/* One stream response. */
struct httpd_stream {
	struct MHD_Connection	*conn;
	struct hub_sub		*sub;
};

/* A parsed query string. */
struct httpd_query {
	const char	*types[HTTPD_MAX_FILTERS];
	size_t		 ntypes;
	const char	*statuses[HTTPD_MAX_FILTERS];
	size_t		 nstatuses;
	int		 previews;
	int		 too_many;
	const char	*bad;		/* an invalid value, for the error */
	const char	*bad_key;
};

/* Queue a JSON response with the request id header. */
static enum MHD_Result
httpd_send_json(struct MHD_Connection *conn, struct httpd_req *r, int status,
    json_t *j)
{
	struct MHD_Response	*resp;
	enum MHD_Result		 rv;
	char			*s;

	s = hjson_dump(j);
	resp = MHD_create_response_from_buffer(strlen(s), s,
	    MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, "content-type", "application/json");
	MHD_add_response_header(resp, "request-id", r->request_id);
	if (status >= 400 && status < 500 && status != 408 && status != 429)
		MHD_add_response_header(resp, "x-should-retry", "false");
	rv = MHD_queue_response(conn, (unsigned int)status, resp);
	MHD_destroy_response(resp);
	return rv;
}

/* Queue the API's error envelope. */
static enum MHD_Result
httpd_send_error(struct MHD_Connection *conn, struct httpd_req *r,
    struct apierr *err)
{
	enum MHD_Result	 rv;
	json_t		*e, *j;

	e = json_pack("{ssss}", "type", err->type, "message", err->message);
	if (err->code != NULL)
		json_object_set_new(e, "details", json_pack("{ss}",
		    "error_code", err->code));
	j = json_pack("{sssoss}", "type", "error", "error", e, "request_id",
	    r->request_id);
	rv = httpd_send_json(conn, r, err->status, j);
	json_decref(j);
	apierr_clear(err);
	return rv;
}

/* Shortcut: queue an error with a formatted message. */
static AD_PRINTFLIKE(5, 6) enum MHD_Result
httpd_fail(struct MHD_Connection *conn, struct httpd_req *r, int status,
    const char *type, const char *fmt, ...)
{
	struct apierr	 err = { 0 };
	va_list		 ap;

	err.status = status;
	err.type = type;
	va_start(ap, fmt);
	xvasprintf(&err.message, fmt, ap);
	va_end(ap);
	return httpd_send_error(conn, r, &err);
}

/* Collect array-valued and flag arguments. */
static enum MHD_Result
httpd_query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct httpd_query	*q = cls;
	enum api_event_type	 t;

	if (value == NULL)
		return MHD_YES;
	if (strcmp(key, "types[]") == 0 || strcmp(key, "types") == 0) {
		t = api_event_type_lookup(value, strlen(value));
		if (t == API_EV_UNKNOWN ||
		    !(api_event_type_flags(t) & API_EVF_FILTERABLE)) {
			q->bad = value;
			q->bad_key = "types";
		} else if (q->ntypes == HTTPD_MAX_FILTERS)
			q->too_many = 1;
		else
			q->types[q->ntypes++] = api_event_type_name(t);
	} else if (strcmp(key, "statuses[]") == 0 ||
	    strcmp(key, "statuses") == 0) {
		if (strcmp(value, "idle") != 0 &&
		    strcmp(value, "running") != 0 &&
		    strcmp(value, "rescheduling") != 0 &&
		    strcmp(value, "terminated") != 0) {
			q->bad = value;
			q->bad_key = "statuses";
		} else if (q->nstatuses == HTTPD_MAX_FILTERS)
			q->too_many = 1;
		else
			q->statuses[q->nstatuses++] = value;
	} else if (strcmp(key, "event_deltas[]") == 0 ||
	    strcmp(key, "event_deltas") == 0) {
		if (strcmp(value, "agent.message") == 0)
			q->previews |= HUB_PREVIEW_MESSAGE;
		else if (strcmp(value, "agent.thinking") == 0)
			q->previews |= HUB_PREVIEW_THINKING;
		else {
			q->bad = value;
			q->bad_key = "event_deltas";
		}
	}
	return MHD_YES;
}

/* Parse the array arguments; 400 on a bad value. */
static int
httpd_query(struct MHD_Connection *conn, struct httpd_query *q,
    struct apierr *err)
{
	memset(q, 0, sizeof *q);
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, httpd_query_arg,
	    q);
	if (q->bad != NULL)
		return apierr_invalid(err, "%s: invalid value \"%s\"",
		    q->bad_key, q->bad);
	if (q->too_many)
		return apierr_invalid(err, "too many filter values (at most "
		    "%d)", HTTPD_MAX_FILTERS);
	return 0;
}

/* An integer argument in [min, max], or dflt when absent. */
static int
httpd_int_arg(struct MHD_Connection *conn, const char *key, long long min,
    long long max, long long dflt, long long *out, struct apierr *err)
{
	const char	*v;
	char		*cause = NULL;

	v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, key);
	if (v == NULL) {
		*out = dflt;
		return 0;
	}
	if (str_to_ll(v, min, max, out, &cause) != 0) {
		apierr_invalid(err, "%s: %s", key, cause);
		free(cause);
		return -1;
	}
	return 0;
}

/* A boolean argument ("true"/"false"/"1"/"0"). */
static int
httpd_bool_arg(struct MHD_Connection *conn, const char *key, int *out,
    struct apierr *err)
{
	const char	*v;

	*out = 0;
	if ((v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND,
	    key)) == NULL)
		return 0;
	if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
		*out = 1;
	else if (strcmp(v, "false") != 0 && strcmp(v, "0") != 0)
		return apierr_invalid(err, "%s must be true or false", key);
	return 0;
}

/* An RFC 3339 bound such as created_at[gte]. */
static int
httpd_time_arg(struct MHD_Connection *conn, const char *key, int64_t *out,
    struct apierr *err)
{
	const char	*v;

	*out = HSTORE_NONE;
	if ((v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND,
	    key)) == NULL)
		return 0;
	if (clock_parse(v, strlen(v), out) != 0)
		return apierr_invalid(err, "%s: \"%s\" is not an RFC 3339 "
		    "timestamp", key, v);
	return 0;
}

/* base64url without padding. */
static char *
httpd_b64(const char *in)
{
	static const char	 al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "abcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t			 len = strlen(in), o = 0;
	const unsigned char	*p = (const unsigned char *)in;
	char			*out = xmalloc(len * 4 / 3 + 4);

	for (size_t i = 0; i < len; i += 3) {
		uint32_t	v = (uint32_t)p[i] << 16;

		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		out[o++] = al[(v >> 18) & 63];
		out[o++] = al[(v >> 12) & 63];
		if (i + 1 < len)
			out[o++] = al[(v >> 6) & 63];
		if (i + 2 < len)
			out[o++] = al[v & 63];
	}
	out[o] = '\0';
	return out;
}

/* Decode base64url; NULL on junk.  Caller frees. */
static char *
httpd_unb64(const char *in)
{
	size_t		 len = strlen(in), o = 0;
	uint32_t	 v = 0;
	int		 bits = 0;
	char		*out = xmalloc(len + 1);

	for (size_t i = 0; i < len; i++) {
		char	c = in[i];
		int	d;

		if (c >= 'A' && c <= 'Z')
			d = c - 'A';
		else if (c >= 'a' && c <= 'z')
			d = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			d = c - '0' + 52;
		else if (c == '-')
			d = 62;
		else if (c == '_')
			d = 63;
		else {
			free(out);
			return NULL;
		}
		v = (v << 6) | (uint32_t)d;
		if ((bits += 6) >= 8) {
			bits -= 8;
			out[o++] = (char)((v >> bits) & 0xff);
		}
	}
	out[o] = '\0';
	return out;
}

/* An opaque cursor: where a page ends, and which way to go from it. */
static char *
httpd_cursor(int64_t key, const char *id, int prev)
{
	json_t	*j;
	char	*s, *out;

	j = json_pack("{sIsssb}", "k", (json_int_t)key, "i", id, "p", prev);
	s = hjson_dump(j);
	out = httpd_b64(s);
	free(s);
	json_decref(j);
	return out;
}

/* Apply ?page= to a query; 400 on a cursor we did not make. */
static int
httpd_page(struct MHD_Connection *conn, struct hstore_query *q, char **idbuf,
    struct apierr *err)
{
	const char	*v;
	char		*dec;
	json_t		*j;

	*idbuf = NULL;
	v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "page");
	if (v == NULL || *v == '\0')
		return 0;
	if ((dec = httpd_unb64(v)) == NULL ||
	    (j = json_loads(dec, 0, NULL)) == NULL ||
	    !json_is_integer(json_object_get(j, "k")) ||
	    hjson_str(j, "i") == NULL) {
		free(dec);
		return apierr_invalid(err, "page: not a cursor this server "
		    "returned (pass next_page or prev_page unchanged)");
	}
	free(dec);
	q->has_after = 1;
	q->after_key = json_integer_value(json_object_get(j, "k"));
	*idbuf = xstrdup(hjson_str(j, "i"));
	q->after_id = *idbuf;
	q->before = json_is_true(json_object_get(j, "p"));
	json_decref(j);
	return 0;
}

/* Run a list and answer with a page of JSON objects. */
static enum MHD_Result
httpd_list(struct httpd_req *r, struct MHD_Connection *conn,
    struct hstore_query *q, int bidirectional)
{
	struct hstore_rows	 rows;
	struct apierr		 err = { 0 };
	struct buf		 b;
	struct MHD_Response	*resp;
	char			*next = NULL, *prev = NULL, *idbuf = NULL;
	enum MHD_Result		 rv;
	size_t			 len;
	char			*body;

	if (httpd_page(conn, q, &idbuf, &err) != 0 ||
	    harness_list(r->d->cfg.harness, q, &rows, &err) != 0) {
		free(idbuf);
		return httpd_send_error(conn, r, &err);
	}
	if (rows.n > 0) {
		struct hstore_row	*first = &rows.rows[0];
		struct hstore_row	*last = &rows.rows[rows.n - 1];

		if (q->before) {
			if (rows.more && bidirectional)
				prev = httpd_cursor(first->key, first->id, 1);
			next = httpd_cursor(last->key, last->id, 0);
		} else {
			if (rows.more)
				next = httpd_cursor(last->key, last->id, 0);
			if (q->has_after && bidirectional)
				prev = httpd_cursor(first->key, first->id, 1);
		}
	}
	free(idbuf);
	buf_init(&b, BUF_UNBOUNDED);
	if (buf_puts(&b, "{\"data\":[") != 0)
		fatalx("list too long");
	for (size_t i = 0; i < rows.n; i++)
		if ((i > 0 && buf_putc(&b, ',') != 0) ||
		    buf_puts(&b, rows.rows[i].body) != 0)
			fatalx("list too long");
	if (buf_printf(&b, "],\"next_page\":%s%s%s", next ? "\"" : "",
	    next ? next : "null", next ? "\"" : "") != 0 || (bidirectional &&
	    buf_printf(&b, ",\"prev_page\":%s%s%s", prev ? "\"" : "",
	    prev ? prev : "null", prev ? "\"" : "") != 0) ||
	    buf_putc(&b, '}') != 0)
		fatalx("list too long");
	hstore_rows_clear(&rows);
	free(next);
	free(prev);
	body = buf_steal(&b, &len);
	resp = MHD_create_response_from_buffer(len, body,
	    MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, "content-type", "application/json");
	MHD_add_response_header(resp, "request-id", r->request_id);
	rv = MHD_queue_response(conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return rv;
}

/* Fill the common list arguments. */
static int
httpd_list_args(struct MHD_Connection *conn, struct hstore_query *q,
    enum hstore_kind kind, int dflt_limit, struct apierr *err)
{
	long long	limit;

	memset(q, 0, sizeof *q);
	q->kind = kind;
	q->gt = q->gte = q->lt = q->lte = HSTORE_NONE;
	q->agent_version = HSTORE_NONE;
	if (httpd_int_arg(conn, "limit", 1, HTTPD_MAX_LIST, dflt_limit, &limit,
	    err) != 0 || httpd_bool_arg(conn, "include_archived",
	    &q->include_archived, err) != 0 || httpd_time_arg(conn,
	    "created_at[gt]", &q->gt, err) != 0 || httpd_time_arg(conn,
	    "created_at[gte]", &q->gte, err) != 0 || httpd_time_arg(conn,
	    "created_at[lt]", &q->lt, err) != 0 || httpd_time_arg(conn,
	    "created_at[lte]", &q->lte, err) != 0)
		return -1;
	q->limit = (int)limit;
	return 0;
}

/* Parse order=asc|desc. */
static int
httpd_order(struct MHD_Connection *conn, int dflt_desc, int *desc,
    struct apierr *err)
{
	const char	*v;

	v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "order");
	*desc = dflt_desc;
	if (v == NULL)
		return 0;
	if (strcmp(v, "asc") == 0)
		*desc = 0;
	else if (strcmp(v, "desc") == 0)
		*desc = 1;
	else
		return apierr_invalid(err, "order must be asc or desc");
	return 0;
}

/* Called under the hub lock: park the stream's connection. */
static void
httpd_stream_suspend(void *arg)
{
	struct httpd_stream	*st = arg;

	MHD_suspend_connection(st->conn);
}

/* Called after the hub lock is released: a frame (or the end) is ready. */
static void
httpd_stream_wake(void *arg)
{
	struct httpd_stream	*st = arg;

	MHD_resume_connection(st->conn);
}

/* The stream's content reader. */
static ssize_t
httpd_stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct httpd_stream	*st = cls;
	ssize_t			 n;

	n = hub_sub_read(st->sub, buf, max);
	if (n == HUB_READ_END)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (n == HUB_READ_CUT)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	return n;
}

/* The stream's response is gone: leave the hub. */
static void
httpd_stream_free(void *cls)
{
	struct httpd_stream	*st = cls;

	hub_unsubscribe(st->sub);
	free(st);
}

/* GET .../events/stream (and the /stream alias). */
static enum MHD_Result
httpd_stream(struct httpd_req *r, struct MHD_Connection *conn,
    const char *sid)
{
	struct httpd_query	 q;
	struct apierr		 err = { 0 };
	struct httpd_stream	*st;
	struct MHD_Response	*resp;
	const char		*v;
	long long		 after = -1;
	char			*cause = NULL;
	enum MHD_Result		 rv;

	if (httpd_query(conn, &q, &err) != 0)
		return httpd_send_error(conn, r, &err);
	/* Local extension: resume after a seq (Last-Event-ID). */
	v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND,
	    "after_seq");
	if (v == NULL)
		v = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    "Last-Event-ID");
	if (v != NULL && str_to_ll(v, 0, INT64_MAX, &after, &cause) != 0) {
		apierr_invalid(&err, "after_seq: %s", cause);
		free(cause);
		return httpd_send_error(conn, r, &err);
	}
	st = xcalloc(1, sizeof *st);
	st->conn = conn;
	if (harness_stream_open(r->d->cfg.harness, sid, q.previews, after,
	    httpd_stream_suspend, httpd_stream_wake, st, &st->sub,
	    &err) != 0) {
		free(st);
		return httpd_send_error(conn, r, &err);
	}
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN,
	    HTTPD_STREAM_BLOCK, httpd_stream_read, st, httpd_stream_free);
	MHD_add_response_header(resp, "content-type", "text/event-stream");
	MHD_add_response_header(resp, "cache-control", "no-cache");
	MHD_add_response_header(resp, "request-id", r->request_id);
	rv = MHD_queue_response(conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return rv;
}

/* Split "/v1/a/b/c" into at most n segments; returns the count. */
static size_t
httpd_split(const char *url, char seg[][RAND_ID_LEN + 16], size_t n)
{
	size_t		 k = 0, len;
	const char	*p = url, *e;

	while (*p == '/')
		p++;
	while (*p != '\0') {
		if ((e = strchr(p, '/')) == NULL)
			e = p + strlen(p);
		len = (size_t)(e - p);
		if (k == n || len >= RAND_ID_LEN + 16)
			return n + 1;	/* too long: no route */
		memcpy(seg[k], p, len);
		seg[k++][len] = '\0';
		p = e;
		while (*p == '/')
			p++;
	}
	return k;
}

/* Send *out (or the error) for a harness call. */
static enum MHD_Result
httpd_reply(struct httpd_req *r, struct MHD_Connection *conn, int rv,
    json_t **out, struct apierr *err, int status)
{
	enum MHD_Result	res;

	if (rv != 0)
		return httpd_send_error(conn, r, err);
	res = httpd_send_json(conn, r, status, *out);
	json_decref(*out);
	return res;
}

/* Route /v1/agents... */
static enum MHD_Result
httpd_agents(struct httpd_req *r, struct MHD_Connection *conn,
    const char *m, char seg[][RAND_ID_LEN + 16], size_t n, json_t *body)
{
	struct harness		*h = r->d->cfg.harness;
	struct hstore_query	 q;
	struct apierr		 err = { 0 };
	json_t			*out = NULL;
	long long		 version;
	int			 get = strcmp(m, "GET") == 0;
	int			 post = strcmp(m, "POST") == 0;

	if (n == 2 && post)
		return httpd_reply(r, conn, harness_agent_create(h, body, &out,
		    &err), &out, &err, 200);
	if (n == 2 && get) {
		if (httpd_list_args(conn, &q, HSTORE_AGENTS, 20, &err) != 0)
			return httpd_send_error(conn, r, &err);
		q.desc = 1;
		return httpd_list(r, conn, &q, 0);
	}
	if (n == 3 && get) {
		if (httpd_int_arg(conn, "version", 1, INT32_MAX, 0, &version,
		    &err) != 0)
			return httpd_send_error(conn, r, &err);
		return httpd_reply(r, conn, harness_agent_get(h, seg[2],
		    version, &out, &err), &out, &err, 200);
	}
	if (n == 3 && post)
		return httpd_reply(r, conn, harness_agent_update(h, seg[2],
		    body, &out, &err), &out, &err, 200);
	if (n == 4 && post && strcmp(seg[3], "archive") == 0)
		return httpd_reply(r, conn, harness_agent_archive(h, seg[2],
		    &out, &err), &out, &err, 200);
	if (n == 4 && get && strcmp(seg[3], "versions") == 0) {
		if (httpd_list_args(conn, &q, HSTORE_AGENT_VERSIONS, 20,
		    &err) != 0)
			return httpd_send_error(conn, r, &err);
		q.desc = 1;
		q.parent_id = seg[2];
		return httpd_list(r, conn, &q, 0);
	}
	return httpd_fail(conn, r, 404, "not_found_error", "no route for %s "
	    "on this path", m);
}

/* Route /v1/environments... */
static enum MHD_Result
httpd_envs(struct httpd_req *r, struct MHD_Connection *conn, const char *m,
    char seg[][RAND_ID_LEN + 16], size_t n, json_t *body)
{
	struct harness		*h = r->d->cfg.harness;
	struct hstore_query	 q;
	struct apierr		 err = { 0 };
	json_t			*out = NULL;
	int			 get = strcmp(m, "GET") == 0;
	int			 post = strcmp(m, "POST") == 0;

	if (n == 2 && post)
		return httpd_reply(r, conn, harness_env_create(h, body, &out,
		    &err), &out, &err, 200);
	if (n == 2 && get) {
		if (httpd_list_args(conn, &q, HSTORE_ENVIRONMENTS, 20,
		    &err) != 0)
			return httpd_send_error(conn, r, &err);
		q.desc = 1;
		return httpd_list(r, conn, &q, 0);
	}
	if (n == 3 && get)
		return httpd_reply(r, conn, harness_env_get(h, seg[2], &out,
		    &err), &out, &err, 200);
	if (n == 3 && post)
		return httpd_reply(r, conn, harness_env_update(h, seg[2], body,
		    &out, &err), &out, &err, 200);
	if (n == 3 && strcmp(m, "DELETE") == 0)
		return httpd_reply(r, conn, harness_env_delete(h, seg[2], &out,
		    &err), &out, &err, 200);
	if (n == 4 && post && strcmp(seg[3], "archive") == 0)
		return httpd_reply(r, conn, harness_env_archive(h, seg[2], &out,
		    &err), &out, &err, 200);
	return httpd_fail(conn, r, 404, "not_found_error", "no route for %s "
	    "on this path", m);
}

/* GET /v1/sessions with its filters. */
static enum MHD_Result
httpd_sessions_list(struct httpd_req *r, struct MHD_Connection *conn)
{
	struct httpd_query	 f;
	struct hstore_query	 q;
	struct apierr		 err = { 0 };
	long long		 v;

	if (httpd_list_args(conn, &q, HSTORE_SESSIONS, 20, &err) != 0 ||
	    httpd_order(conn, 1, &q.desc, &err) != 0 ||
	    httpd_query(conn, &f, &err) != 0 ||
	    httpd_int_arg(conn, "agent_version", 1, INT32_MAX, -1, &v,
	    &err) != 0)
		return httpd_send_error(conn, r, &err);
	if (v != -1)
		q.agent_version = v;
	q.agent_id = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND,
	    "agent_id");
	q.statuses = f.statuses;
	q.nstatuses = f.nstatuses;
	/* Nothing here has a deployment or a memory store. */
	if (MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND,
	    "deployment_id") != NULL || MHD_lookup_connection_value(conn,
	    MHD_GET_ARGUMENT_KIND, "memory_store_id") != NULL) {
		static const char *const none[] = { "none" };

		q.statuses = none;
		q.nstatuses = 1;
	}
	return httpd_list(r, conn, &q, 1);
}

/* Route /v1/sessions... */
static enum MHD_Result
httpd_sessions(struct httpd_req *r, struct MHD_Connection *conn,
    const char *m, char seg[][RAND_ID_LEN + 16], size_t n, json_t *body)
{
	struct harness		*h = r->d->cfg.harness;
	struct httpd_query	 f;
	struct hstore_query	 q;
	struct apierr		 err = { 0 };
	json_t			*out = NULL;
	int			 get = strcmp(m, "GET") == 0;
	int			 post = strcmp(m, "POST") == 0;

	if (n == 2 && post)
		return httpd_reply(r, conn, harness_session_create(h, body,
		    &out, &err), &out, &err, 200);
	if (n == 2 && get)
		return httpd_sessions_list(r, conn);
	if (n == 3 && get)
		return httpd_reply(r, conn, harness_session_get(h, seg[2], &out,
		    &err), &out, &err, 200);
	if (n == 3 && post)
		return httpd_reply(r, conn, harness_session_update(h, seg[2],
		    body, &out, &err), &out, &err, 200);
	if (n == 3 && strcmp(m, "DELETE") == 0)
		return httpd_reply(r, conn, harness_session_delete(h, seg[2],
		    &out, &err), &out, &err, 200);
	if (n == 4 && post && strcmp(seg[3], "archive") == 0)
		return httpd_reply(r, conn, harness_session_archive(h, seg[2],
		    &out, &err), &out, &err, 200);
	if (n == 4 && post && strcmp(seg[3], "events") == 0)
		return httpd_reply(r, conn, harness_events_send(h, seg[2], body,
		    &out, &err), &out, &err, 200);
	if (n == 4 && get && strcmp(seg[3], "events") == 0) {
		if (httpd_list_args(conn, &q, HSTORE_EVENTS, 1000, &err) != 0 ||
		    httpd_order(conn, 0, &q.desc, &err) != 0 ||
		    httpd_query(conn, &f, &err) != 0)
			return httpd_send_error(conn, r, &err);
		q.parent_id = seg[2];
		q.types = f.types;
		q.ntypes = f.ntypes;
		return httpd_list(r, conn, &q, 0);
	}
	if (get && ((n == 5 && strcmp(seg[3], "events") == 0 &&
	    strcmp(seg[4], "stream") == 0) || (n == 4 &&
	    strcmp(seg[3], "stream") == 0)))
		return httpd_stream(r, conn, seg[2]);
	if (n == 4 && get && strcmp(seg[3], "threads") == 0) {
		if (harness_session_get(h, seg[2], &out, &err) != 0)
			return httpd_send_error(conn, r, &err);
		json_decref(out);
		out = json_pack("{s[]sn}", "data", "next_page");
		return httpd_reply(r, conn, 0, &out, &err, 200);
	}
	if (n == 4 && get && strcmp(seg[3], "resources") == 0)
		return httpd_reply(r, conn, harness_session_resources(h, seg[2],
		    &out, &err), &out, &err, 200);
	return httpd_fail(conn, r, 404, "not_found_error", "no route for %s "
	    "on this path", m);
}

/* The TCP listener needs the key. */
static int
httpd_authorised(struct httpd *d, struct MHD_Connection *conn)
{
	const char	*k, *auth;

	if ((k = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    "x-api-key")) != NULL && str_secure_eq(k, d->key))
		return 1;
	auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    "Authorization");
	if (auth != NULL && strncasecmp(auth, "Bearer ", 7) == 0 &&
	    str_secure_eq(auth + 7, d->key))
		return 1;
	return 0;
}

/* The access handler: collect the body, then route. */
static enum MHD_Result
httpd_handler(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct httpd_listener	*l = cls;
	struct httpd		*d = l->d;
	struct httpd_req	*r = *con_cls;
	char			 seg[8][RAND_ID_LEN + 16];
	const char		*cl;
	json_t			*body = NULL, *out = NULL;
	json_error_t		 jerr;
	struct apierr		 err = { 0 };
	enum MHD_Result		 rv;
	size_t			 n;
	long long		 len;
	char			*cause = NULL;

	if (r == NULL) {
		r = xcalloc(1, sizeof *r);
		r->d = d;
		buf_init(&r->body, d->cfg.max_body);
		rand_id("req", r->request_id, sizeof r->request_id);
		*con_cls = r;
		/*
		 * The TCP listener needs the key, checked before any body is
		 * read.  (MHD_CONNECTION_INFO_DAEMON names the pool worker,
		 * not the daemon we started, so the closure tells.)
		 */
		if (l->tcp && !httpd_authorised(d, conn))
			return httpd_fail(conn, r, 401, "authentication_error",
			    "missing or invalid API key: send the key from "
			    "the harness's --key-file as x-api-key or "
			    "Authorization: Bearer");
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    "Content-Length");
		if (cl != NULL && str_to_ll(cl, 0, INT64_MAX, &len,
		    &cause) == 0 && (unsigned long long)len > d->cfg.max_body)
			r->too_big = 1;
		free(cause);
		if (r->too_big)
			return httpd_fail(conn, r, 413, "request_too_large",
			    "the request body is larger than %zu bytes",
			    d->cfg.max_body);
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (!r->too_big && buf_append(&r->body, upload_data,
		    *upload_data_size) != 0)
			r->too_big = 1;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->too_big)
		return httpd_fail(conn, r, 413, "request_too_large",
		    "the request body is larger than %zu bytes",
		    d->cfg.max_body);
	if (strcmp(method, "POST") == 0 && r->body.len > 0) {
		body = json_loadb(r->body.data, r->body.len,
		    JSON_REJECT_DUPLICATES, &jerr);
		if (body == NULL)
			return httpd_fail(conn, r, 400, "invalid_request_error",
			    "the body is not valid JSON: line %d column %d: %s",
			    jerr.line, jerr.column, jerr.text);
	} else if (strcmp(method, "POST") == 0)
		body = json_object();
	n = httpd_split(url, seg, AD_NITEMS(seg));
	if (n > 0 && strcmp(seg[0], "pilothouse") == 0 && d->cfg.ext != NULL) {
		rv = httpd_reply(r, conn, d->cfg.ext(d->cfg.ext_arg, method,
		    url, body, &out, &err), &out, &err, 200);
	} else if (n >= 2 && n <= AD_NITEMS(seg) && strcmp(seg[0], "v1") == 0) {
		if (strcmp(seg[1], "agents") == 0)
			rv = httpd_agents(r, conn, method, seg, n, body);
		else if (strcmp(seg[1], "environments") == 0)
			rv = httpd_envs(r, conn, method, seg, n, body);
		else if (strcmp(seg[1], "sessions") == 0)
			rv = httpd_sessions(r, conn, method, seg, n, body);
		else
			rv = httpd_fail(conn, r, 404, "not_found_error",
			    "no such endpoint: %s", url);
	} else
		rv = httpd_fail(conn, r, 404, "not_found_error",
		    "no such endpoint (the API lives under /v1)");
	json_decref(body);
	return rv;
}

/* Free a request's state. */
static void
httpd_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct httpd_req	*r = *con_cls;

	if (r == NULL)
		return;
	buf_clear(&r->body);
	free(r);
	*con_cls = NULL;
}

/* libmicrohttpd's own messages go to our log. */
static void
httpd_log(void *arg, const char *fmt, va_list ap)
{
	char	*msg;

	if (!log_enabled(LOG_LEVEL_INFO))
		return;
	xvasprintf(&msg, fmt, ap);
	log_info("httpd: %s", msg);
	free(msg);
}

/* One daemon on a listening descriptor. */
static struct MHD_Daemon *
httpd_daemon(struct httpd_listener *l, int fd, char **cause)
{
	struct httpd		*d = l->d;
	struct MHD_Daemon	*md;

	md = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD |
	    MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG, 0, NULL, NULL,
	    httpd_handler, l,
	    MHD_OPTION_LISTEN_SOCKET, fd,
	    MHD_OPTION_NOTIFY_COMPLETED, httpd_completed, d,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)65536,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)120,
	    MHD_OPTION_THREAD_POOL_SIZE, d->cfg.threads,
	    MHD_OPTION_EXTERNAL_LOGGER, httpd_log, d,
	    MHD_OPTION_END);
	if (md == NULL)
		xasprintf(cause, "libmicrohttpd could not start on the "
		    "listening socket");
	return md;
}

/* Start the daemons. */
struct httpd *
httpd_start(const struct httpd_config *cfg, char **cause)
{
	struct httpd	*d;

	d = xcalloc(1, sizeof *d);
	d->cfg = *cfg;
	if (d->cfg.threads == 0)
		d->cfg.threads = 2;
	d->key = cfg->key != NULL ? xstrdup(cfg->key) : NULL;
	d->unix_l.d = d->tcp_l.d = d;
	d->tcp_l.tcp = 1;
	if (cfg->unix_fd != -1 && (d->unix_d = httpd_daemon(&d->unix_l,
	    cfg->unix_fd, cause)) == NULL)
		goto fail;
	if (cfg->tcp_fd != -1) {
		if (d->key == NULL) {
			xasprintf(cause, "TCP needs a key (--key-file)");
			goto fail;
		}
		d->tcp_d = httpd_daemon(&d->tcp_l, cfg->tcp_fd, cause);
		if (d->tcp_d == NULL)
			goto fail;
	}
	return d;
fail:
	httpd_stop(d);
	return NULL;
}

/* Stop both daemons. */
void
httpd_stop(struct httpd *d)
{
	if (d == NULL)
		return;
	if (d->tcp_d != NULL)
		MHD_stop_daemon(d->tcp_d);
	if (d->unix_d != NULL)
		MHD_stop_daemon(d->unix_d);
	if (d->key != NULL) {
		explicit_bzero(d->key, strlen(d->key));
		free(d->key);
	}
	free(d);
}

/* A unix socket at path, owner-only. */
int
httpd_listen_unix(const char *path, char **cause)
{
	struct sockaddr_un	 sun;
	mode_t			 old;
	int			 fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path) {
		xasprintf(cause, "socket path too long: %s", path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0)) == -1) {
		xasprintf(cause, "socket: %s", strerror(errno));
		return -1;
	}
	unlink(path);
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof sun) != 0 ||
	    listen(fd, 1024) != 0) {
		umask(old);
		xasprintf(cause, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	umask(old);
	return fd;
}

/* A loopback TCP listener. */
int
httpd_listen_tcp(const char *addr, int *port, char **cause)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t		 sl;
	char			 host[64];
	const char		*colon;
	long long		 p;
	int			 fd, one = 1;
	size_t			 hl;

	memset(&ss, 0, sizeof ss);
	if (addr[0] == '[') {
		colon = strstr(addr, "]:");
		if (colon == NULL || (hl = (size_t)(colon - addr - 1)) >=
		    sizeof host)
			goto bad;
		memcpy(host, addr + 1, hl);
		host[hl] = '\0';
		colon++;
	} else {
		colon = strrchr(addr, ':');
		if (colon == NULL ||
		    (hl = (size_t)(colon - addr)) >= sizeof host)
			goto bad;
		memcpy(host, addr, hl);
		host[hl] = '\0';
	}
	if (str_to_ll(colon + 1, 0, 65535, &p, cause) != 0) {
		free(*cause);
		goto bad;
	}
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		if ((ntohl(sin->sin_addr.s_addr) >> 24) != 127) {
			xasprintf(cause, "%s is not a loopback address; the "
			    "harness only listens on 127.0.0.0/8 or ::1", host);
			return -1;
		}
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)p);
		sl = sizeof *sin;
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		if (!IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr)) {
			xasprintf(cause, "%s is not a loopback address; the "
			    "harness only listens on 127.0.0.0/8 or ::1", host);
			return -1;
		}
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)p);
		sl = sizeof *sin6;
	} else
		goto bad;
	if ((fd = socket(ss.ss_family, SOCK_STREAM|SOCK_CLOEXEC, 0)) == -1) {
		xasprintf(cause, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0 ||
	    listen(fd, 1024) != 0) {
		xasprintf(cause, "%s: %s", addr, strerror(errno));
		close(fd);
		return -1;
	}
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
		*port = ntohs(ss.ss_family == AF_INET ? sin->sin_port :
		    sin6->sin6_port);
	return fd;
bad:
	xasprintf(cause, "\"%s\" is not 127.0.0.1:PORT or [::1]:PORT", addr);
	return -1;
}
