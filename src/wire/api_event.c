/* ISC licence: see COPYING.  One session event: scan, lazy tree, view. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/xmalloc.h"
#include "wire/api_event.h"
#include "wire/json_scan.h"

/*
 * An event is one allocation: the struct, then the raw text, then the
 * decoded type, id, processed_at and (results) tool_use_id strings (each
 * no longer than its quoted JSON form, so the sizes are known after the
 * scan).  Parsing an event therefore costs one validating pass over its
 * bytes and one malloc, and api_event_free() one free.
 */

#define API_EVENT_MAX_INDEX	65536	/* content blocks in a preview */

/* Copy the decoded string in span to *pos, advancing it; NULL if it
 * holds a NUL (which a C string cannot carry). */
static char *
api_event_put(char **pos, const struct json_span *v)
{
	char	*s = *pos;
	long	 n;

	n = json_scan_string(v, s);	/* the span was validated */
	if (n < 0 || memchr(s, '\0', (size_t)n) != NULL)
		return NULL;
	s[n] = '\0';
	*pos += n + 1;
	return s;
}

/*
 * Explain why text is not an event: jansson's message gives the line and
 * column, which the scanner does not track (this path is rare).
 */
static void
api_event_bad_json(const char *text, size_t len, char **cause)
{
	json_error_t	 err;
	json_t		*j;

	if ((j = json_loadb(text, len, JSON_ALLOW_NUL, &err)) != NULL) {
		json_decref(j);
		xasprintf(cause, "invalid JSON in event");
		return;
	}
	xasprintf(cause, "invalid JSON in event at line %d column %d: %s",
	    err.line, err.column, err.text);
}

/* A string member, or null (then p is set to NULL); -1 for other kinds. */
static int
api_event_str_or_null(struct json_span *v)
{
	switch (json_scan_kind(v)) {
	case JSON_SCAN_INVALID:		/* absent */
		v->p = NULL;
		return 0;
	case JSON_SCAN_NULL:
		v->p = NULL;
		return 0;
	case JSON_SCAN_STRING:
		return 0;
	default:
		return -1;
	}
}

/* The top-level members the scan keeps. */
enum api_event_key {
	API_KEY_TYPE,
	API_KEY_ID,
	API_KEY_PROCESSED_AT,
	API_KEY_TOOL_USE_ID,
	API_KEY_MCP_TOOL_USE_ID,
	API_KEY_CUSTOM_TOOL_USE_ID,
	API_KEY_IS_ERROR,
	API_KEY_OTHER
};

/* The kept member of each name length: the names' lengths all differ. */
static const struct {
	enum api_event_key	 key;
	const char		*name;		/* NULL: none this long */
} api_event_keys[] = {
	[2] = { API_KEY_ID, "id" },
	[4] = { API_KEY_TYPE, "type" },
	[8] = { API_KEY_IS_ERROR, "is_error" },
	[11] = { API_KEY_TOOL_USE_ID, "tool_use_id" },
	[12] = { API_KEY_PROCESSED_AT, "processed_at" },
	[15] = { API_KEY_MCP_TOOL_USE_ID, "mcp_tool_use_id" },
	[18] = { API_KEY_CUSTOM_TOOL_USE_ID, "custom_tool_use_id" },
};

/*
 * Which kept member a key names: its length picks the one candidate and
 * one memcmp settles it, so most keys cost a lookup.  An escaped key
 * (rare) is decoded first.
 */
static enum api_event_key
api_event_key(const struct json_span *k, int esc)
{
	const char	*p = k->p + 1;
	char		 tmp[64];
	long		 n = (long)k->len - 2;

	if (esc) {
		if (k->len > sizeof tmp)
			return API_KEY_OTHER;	/* longer than our names */
		n = json_scan_string(k, tmp);
		p = tmp;
	}
	if (n < 0 || (size_t)n >= AD_NITEMS(api_event_keys) ||
	    api_event_keys[n].name == NULL ||
	    memcmp(p, api_event_keys[n].name, (size_t)n) != 0)
		return API_KEY_OTHER;
	return api_event_keys[n].key;
}

/* Put a result's id (ev->type known) and is_error into ev. */
static void
api_event_put_result(struct api_event *ev, char **pos,
    const struct json_span *ids, const struct json_span *is_error)
{
	const struct json_span	*v;

	ev->tool_use_id = NULL;
	ev->is_error = -1;
	if (!(api_event_type_flags(ev->type) & API_EVF_RESULT))
		return;
	v = &ids[ev->type == API_EV_AGENT_MCP_TOOL_RESULT ? 1 :
	    ev->type == API_EV_USER_CUSTOM_TOOL_RESULT ? 2 : 0];
	if (json_scan_kind(v) == JSON_SCAN_STRING) {
		ev->tool_use_id = *pos;
		*pos += json_scan_text(v, *pos) + 1;
	}
	ev->is_error = json_scan_bool(is_error);
}

/*
 * Scan one event, find type, id and processed_at, and the members a
 * result's id and is_error may be in (which of the ids counts depends on
 * the type, which may come last).  Trusted text (read back from the
 * cache, which stored it only after api_event_parse accepted it) is not
 * validated again: its values are skipped by their ends
 * (json_scan_object_init_trusted), a fraction of the cost.
 */
static struct api_event *
api_event_scan(const char *text, size_t len, int trusted, char **cause)
{
	struct json_scan_iter	 it;
	struct json_span	 k, v, type = { NULL, 0 }, id = { NULL, 0 };
	struct json_span	 pat = { NULL, 0 }, iserr = { NULL, 0 };
	struct json_span	 ids[3];	/* [mcp_|custom_]tool_use_id */
	struct api_event	*ev;
	enum api_event_key	 key;
	const char		*end = text + len;
	char			*pos;
	size_t			 idslen = 0;
	int			 esc, r;

	memset(ids, 0, sizeof ids);
	if ((trusted ? json_scan_object_init_trusted(&it, text, len) :
	    json_scan_object_init(&it, text, len)) != 0) {
		if (json_scan_valid(text, len))
			xasprintf(cause, "event is not a JSON object");
		else
			api_event_bad_json(text, len, cause);
		return NULL;
	}
	while ((r = json_scan_object_next(&it, &k, &v, &esc)) == 1) {
		switch ((key = api_event_key(&k, esc))) {
		case API_KEY_TYPE:
			type = v;
			break;
		case API_KEY_ID:
			id = v;
			break;
		case API_KEY_PROCESSED_AT:
			pat = v;
			break;
		case API_KEY_TOOL_USE_ID:
		case API_KEY_MCP_TOOL_USE_ID:
		case API_KEY_CUSTOM_TOOL_USE_ID:
			ids[key - API_KEY_TOOL_USE_ID] = v;
			break;
		case API_KEY_IS_ERROR:
			iserr = v;
			break;
		case API_KEY_OTHER:
			break;
		}
	}
	while (r == 0 && it.p < end && (*it.p == ' ' || *it.p == '\t' ||
	    *it.p == '\n' || *it.p == '\r'))
		it.p++;
	if (r < 0 || it.p != end) {
		api_event_bad_json(text, len, cause);
		return NULL;
	}
	if (json_scan_kind(&type) != JSON_SCAN_STRING) {
		xasprintf(cause, "event has no string \"type\"");
		return NULL;
	}
	if (api_event_str_or_null(&id) != 0) {
		xasprintf(cause, "event \"id\" is not a string");
		return NULL;
	}
	if (api_event_str_or_null(&pat) != 0) {
		xasprintf(cause, "event \"processed_at\" is not a string");
		return NULL;
	}

	for (size_t i = 0; i < AD_NITEMS(ids); i++)
		idslen += ids[i].len;	/* one is used, at most */
	ev = xmalloc(sizeof *ev + len + 1 + type.len +
	    (id.p ? id.len : 0) + (pat.p ? pat.len : 0) + idslen);
	pos = (char *)(ev + 1);
	ev->raw = pos;
	ev->rawlen = len;
	memcpy(pos, text, len);
	pos[len] = '\0';
	pos += len + 1;
	ev->json = NULL;
	ev->id = ev->processed_at = NULL;
	if ((ev->type_name = api_event_put(&pos, &type)) == NULL ||
	    (id.p != NULL && (ev->id = api_event_put(&pos, &id)) == NULL) ||
	    (pat.p != NULL &&
	    (ev->processed_at = api_event_put(&pos, &pat)) == NULL)) {
		free(ev);
		xasprintf(cause, "event type, id or processed_at holds a NUL");
		return NULL;
	}
	ev->type = api_event_type_lookup(ev->type_name, strlen(ev->type_name));
	api_event_put_result(ev, &pos, ids, &iserr);
	/* An unreadable timestamp is kept as text and sorts as unknown. */
	if (ev->processed_at == NULL || clock_parse(ev->processed_at,
	    strlen(ev->processed_at), &ev->processed_us) != 0)
		ev->processed_us = 0;
	return ev;
}

/* Scan one event from outside: validate it all. */
struct api_event *
api_event_parse(const char *text, size_t len, char **cause)
{
	return api_event_scan(text, len, 0, cause);
}

/* Scan one event the cache stored (validated then): no validation. */
struct api_event *
api_event_parse_trusted(const char *text, size_t len, char **cause)
{
	return api_event_scan(text, len, 1, cause);
}

/* An event from its stored columns, without a body; NULL if they are
 * not enough (a result without its tool_use_id). */
struct api_event *
api_event_head(const char *type, const char *id, int64_t processed_us,
    const char *tool_use_id, int is_error)
{
	struct api_event	*ev;
	enum api_event_type	 t;
	char			 at[CLOCK_RFC3339_LEN], *pos;
	size_t			 tlen = strlen(type), ilen = strlen(id);
	size_t			 alen = 0, ulen = 0;

	t = api_event_type_lookup(type, tlen);
	if (api_event_type_flags(t) & API_EVF_RESULT) {
		if (tool_use_id == NULL)
			return NULL;
		ulen = strlen(tool_use_id) + 1;
	}
	if (processed_us > 0) {
		clock_format(processed_us, 6, at, sizeof at);
		alen = strlen(at) + 1;
	}
	ev = xmalloc(sizeof *ev + 1 + tlen + 1 + ilen + 1 + alen + ulen);
	pos = (char *)(ev + 1);
	ev->raw = pos;
	ev->rawlen = 0;
	*pos++ = '\0';
	ev->type_name = memcpy(pos, type, tlen + 1);
	pos += tlen + 1;
	ev->id = memcpy(pos, id, ilen + 1);
	pos += ilen + 1;
	ev->processed_at = alen ? memcpy(pos, at, alen) : NULL;
	pos += alen;
	ev->processed_us = processed_us > 0 ? processed_us : 0;
	ev->tool_use_id = ulen ? memcpy(pos, tool_use_id, ulen) : NULL;
	ev->is_error = ulen && (is_error == 0 || is_error == 1) ? is_error :
	    -1;
	ev->json = NULL;
	ev->type = t;
	return ev;
}

/* Free an event and its tree; NULL does nothing. */
void
api_event_free(struct api_event *ev)
{
	if (ev == NULL)
		return;
	if (ev->json != NULL)
		json_decref(ev->json);
	free(ev);
}

/* Parse the whole event with jansson, once. */
json_t *
api_event_json(struct api_event *ev, char **cause)
{
	json_error_t	err;

	if (ev->json != NULL)
		return ev->json;
	ev->json = json_loadb(ev->raw, ev->rawlen, JSON_ALLOW_NUL, &err);
	if (ev->json == NULL) {
		xasprintf(cause, "event %s: jansson cannot parse it at column "
		    "%d: %s", ev->id != NULL ? ev->id : ev->type_name,
		    err.column, err.text);
		return NULL;
	}
	if (!json_is_object(ev->json)) {
		/* The scan saw an object, so this cannot happen. */
		json_decref(ev->json);
		ev->json = NULL;
		xasprintf(cause, "event is not a JSON object");
		return NULL;
	}
	return ev->json;
}

/* A string member of obj, or NULL. */
static const char *
api_event_str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* A member of obj that is not JSON null, or NULL. */
static json_t *
api_event_get(json_t *obj, const char *key)
{
	json_t	*v = json_object_get(obj, key);

	return json_is_null(v) ? NULL : v;
}

/* A non-negative count, or 0. */
static int64_t
api_event_count(json_t *obj, const char *key)
{
	json_t	*v = json_object_get(obj, key);

	if (json_is_integer(v) && json_integer_value(v) >= 0)
		return json_integer_value(v);
	if (json_is_real(v) && json_real_value(v) >= 0 &&
	    json_real_value(v) < 9e18)
		return (int64_t)json_real_value(v);
	return 0;
}

/*
 * A Money amount ({"amount":"1234","currency":"USD"}: integer cents in a
 * string) in cents, or -1.
 */
static int64_t
api_event_cents(json_t *money)
{
	const char	*s = api_event_str(money, "amount");
	int64_t		 v = 0;

	if (s == NULL || *s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/*
 * Token counts as span.model_request_end (model_usage), the outcome
 * grader (usage) and session.usage (SessionUsage) carry them.  The cache
 * writes are either cache_creation{ephemeral_5m,ephemeral_1h} (the SDK)
 * or a flat cache_creation_input_tokens (older docs); both are summed.
 */
static int
api_event_usage(json_t *u, struct api_usage *out)
{
	json_t	*cc, *v;

	memset(out, 0, sizeof *out);
	out->list_cost_cents = -1;
	if (!json_is_object(u))
		return 0;
	out->input_tokens = api_event_count(u, "input_tokens");
	out->output_tokens = api_event_count(u, "output_tokens");
	out->cache_read_input_tokens = api_event_count(u,
	    "cache_read_input_tokens");
	out->cache_creation_input_tokens = api_event_count(u,
	    "cache_creation_input_tokens");
	if (json_is_object(cc = json_object_get(u, "cache_creation")))
		out->cache_creation_input_tokens +=
		    api_event_count(cc, "ephemeral_5m_input_tokens") +
		    api_event_count(cc, "ephemeral_1h_input_tokens");
	if (json_is_number(v = json_object_get(u, "active_seconds")))
		out->active_seconds = json_number_value(v);
	if (json_is_object(v = json_object_get(u, "list_cost")))
		out->list_cost_cents = api_event_cents(v);
	return 1;
}

/* Fill the fields of stop_reason and stop_details. */
static void
api_event_view_stop(json_t *j, struct api_event_view *v)
{
	json_t	*sr = json_object_get(j, "stop_reason");

	v->stop_reason = api_event_str(sr, "type");
	if (json_is_array(json_object_get(sr, "event_ids")))
		v->stop_event_ids = json_object_get(sr, "event_ids");
	v->stop_details = api_event_get(j, "stop_details");
}

/* Fill an error object's type, message and retry status. */
static void
api_event_view_error(json_t *err, struct api_event_view *v)
{
	v->error_type = api_event_str(err, "type");
	v->error_message = api_event_str(err, "message");
	v->retry_status = api_event_str(json_object_get(err, "retry_status"),
	    "type");
}

/* The typed view: the fields of api.md section 6.1 the console uses. */
int
api_event_view(struct api_event *ev, struct api_event_view *v, char **cause)
{
	json_t	*j, *x;

	memset(v, 0, sizeof *v);
	v->is_error = -1;
	v->usage.list_cost_cents = -1;
	if ((j = api_event_json(ev, cause)) == NULL)
		return -1;
	/* Present on thread events and on cross-posted subagent events. */
	v->session_thread_id = api_event_str(j, "session_thread_id");
	v->agent_name = api_event_str(j, "agent_name");
	if (json_is_boolean(x = json_object_get(j, "is_error")))
		v->is_error = json_is_true(x);

	switch (ev->type) {
	case API_EV_USER_MESSAGE:
	case API_EV_SYSTEM_MESSAGE:
	case API_EV_AGENT_MESSAGE:
		v->content = api_event_get(j, "content");
		break;
	case API_EV_USER_TOOL_CONFIRMATION:
		v->tool_use_id = api_event_str(j, "tool_use_id");
		v->result = api_event_str(j, "result");
		v->deny_message = api_event_str(j, "deny_message");
		break;
	case API_EV_USER_CUSTOM_TOOL_RESULT:
		v->tool_use_id = api_event_str(j, "custom_tool_use_id");
		v->content = api_event_get(j, "content");
		break;
	case API_EV_USER_TOOL_RESULT:
	case API_EV_AGENT_TOOL_RESULT:
		v->tool_use_id = api_event_str(j, "tool_use_id");
		v->content = api_event_get(j, "content");
		break;
	case API_EV_AGENT_MCP_TOOL_RESULT:
		v->tool_use_id = api_event_str(j, "mcp_tool_use_id");
		v->content = api_event_get(j, "content");
		break;
	case API_EV_AGENT_MCP_TOOL_USE:
		v->mcp_server_name = api_event_str(j, "mcp_server_name");
		/* FALLTHROUGH */
	case API_EV_AGENT_TOOL_USE:
	case API_EV_AGENT_CUSTOM_TOOL_USE:
		v->tool_name = api_event_str(j, "name");
		v->tool_input = api_event_get(j, "input");
		v->evaluated_permission = api_event_str(j,
		    "evaluated_permission");
		break;
	case API_EV_AGENT_THREAD_MESSAGE_SENT:
		v->session_thread_id = api_event_str(j, "to_session_thread_id");
		v->agent_name = api_event_str(j, "to_agent_name");
		v->content = api_event_get(j, "content");
		break;
	case API_EV_AGENT_THREAD_MESSAGE_RECEIVED:
		v->session_thread_id = api_event_str(j,
		    "from_session_thread_id");
		v->agent_name = api_event_str(j, "from_agent_name");
		v->content = api_event_get(j, "content");
		break;
	case API_EV_SESSION_STATUS_IDLE:
	case API_EV_SESSION_THREAD_STATUS_IDLE:
		api_event_view_stop(j, v);
		break;
	case API_EV_SESSION_ERROR:
	case API_EV_WORKFLOW_RUN_ERROR:
		api_event_view_error(json_object_get(j, "error"), v);
		break;
	case API_EV_SESSION_USAGE:
		v->has_usage = api_event_usage(json_object_get(j, "usage"),
		    &v->usage);
		break;
	case API_EV_SPAN_MODEL_REQUEST_END:
		v->model_request_start_id = api_event_str(j,
		    "model_request_start_id");
		v->has_usage = api_event_usage(json_object_get(j,
		    "model_usage"), &v->usage);
		break;
	case API_EV_SPAN_OUTCOME_EVALUATION_END:
		v->result = api_event_str(j, "result");
		v->has_usage = api_event_usage(json_object_get(j, "usage"),
		    &v->usage);
		break;
	case API_EV_WORKFLOW_RUN_STATUS_ENDED:
		x = json_object_get(j, "result");
		v->result = api_event_str(x, "type");
		api_event_view_error(json_object_get(x, "error"), v);
		break;
	case API_EV_EVENT_START:
		x = json_object_get(j, "event");
		v->preview_type = api_event_str(x, "type");
		v->preview_event_id = api_event_str(x, "id");
		break;
	case API_EV_EVENT_DELTA:
		v->preview_event_id = api_event_str(j, "event_id");
		x = json_object_get(j, "delta");
		v->preview_text = api_event_str(json_object_get(x, "content"),
		    "text");
		/* The block index defaults to 0; absurd values are ignored. */
		x = json_object_get(x, "index");
		if (json_is_integer(x) && json_integer_value(x) >= 0 &&
		    json_integer_value(x) < API_EVENT_MAX_INDEX)
			v->preview_index = (int)json_integer_value(x);
		break;
	default:
		/* Types with nothing beyond the common fields. */
		break;
	}
	return 0;
}
