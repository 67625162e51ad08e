/* ISC licence: see COPYING.  The session reducer: events in, state out. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "model/pricing.h"
#include "model/session.h"
#include "wire/json_scan.h"

/*
 * How the events map onto the state (api.md sections 6 to 8):
 *
 * - status_running/idle/rescheduled/terminated set the status; an idle
 *   ends the running tool.  An idle with requires_action lists the calls
 *   still waiting, and the pending lists are cut down to those (a partial
 *   answer re-emits the idle with the rest); ids we never saw a tool use
 *   for (a replay that starts late) get a placeholder entry.  Any other
 *   stop reason clears them.  An end_turn idle after a user.interrupt is
 *   an interruption: the API has no stop reason of its own for it.
 * - agent.tool_use and agent.mcp_tool_use count a use; "ask" holds the
 *   call as a pending confirmation, "deny" never runs, anything else is
 *   the running tool until its result.  agent.custom_tool_use waits for
 *   the client's result.  Results count errors per tool.
 * - user.tool_confirmation answers a pending call (allow/deny counted,
 *   deny messages kept); custom and self-hosted results answer theirs.
 * - Client events seen with processed_at null are queued until their
 *   processed copy arrives.
 * - span.model_request_end adds its token usage; session.usage replaces
 *   the totals with the server's cumulative figures and its list_cost.
 * - session.error keeps the last error; exhausted or terminal errors
 *   (and terminal stop reasons) raise the error attention flag, which the
 *   next turn (status_running) clears, unless the session terminated.
 */

#define MODEL_GROW(arr, n, size) do {					\
	if ((n) == (size)) {						\
		(size) = (size) ? (size) * 2 : 4;			\
		(arr) = xreallocarray((arr), (size), sizeof *(arr));	\
	}								\
} while (0)

/* Copy a string, cut at a UTF-8 boundary to fit size (with the NUL). */
static void
model_copy(char *dst, size_t size, const char *src)
{
	size_t	n;

	if (src == NULL) {
		dst[0] = '\0';
		return;
	}
	n = strlen(src);
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Copy a decoded JSON string span (or "" if it is not a string). */
static void
model_copy_span(char *dst, size_t size, const struct json_span *v)
{
	char	*s;

	if ((s = json_scan_strdup(v)) == NULL) {
		dst[0] = '\0';
		return;
	}
	model_copy(dst, size, s);
	free(s);
}

/* A top-level string member of the raw event, scanned, into dst. */
static void
model_member(struct api_event *ev, const char *key, char *dst, size_t size)
{
	struct json_span	v;

	if (json_scan_member(ev->raw, ev->rawlen, key, &v) == 1)
		model_copy_span(dst, size, &v);
	else
		dst[0] = '\0';
}

/* A top-level boolean member: 1, 0, or -1 when absent or not boolean. */
static int
model_member_bool(struct api_event *ev, const char *key)
{
	struct json_span	v;

	if (json_scan_member(ev->raw, ev->rawlen, key, &v) != 1)
		return -1;
	return json_scan_bool(&v);
}

/* Prepare an empty state. */
void
model_state_init(struct model_session *s)
{
	memset(s, 0, sizeof *s);
	s->list_cost_cents = -1;
}

/* Free the arrays of a state (it may be initialised again). */
void
model_state_clear(struct model_session *s)
{
	free(s->confirm);
	free(s->custom);
	free(s->tools);
	free(s->denies);
	free(s->threads);
	free(s->queued);
	free(s->inflight);
	model_state_init(s);
}

/* Copy one array of a state (n used elements; the copy is exact-size). */
static void *
model_dup(const void *p, size_t n, size_t elem, size_t *sizep)
{
	*sizep = n;
	if (n == 0)
		return NULL;
	return xmemdup(p, n * elem);
}

/* Deep-copy a state. */
struct model_session *
model_state_copy(const struct model_session *s)
{
	struct model_session	*c;

	c = xmalloc(sizeof *c);
	*c = *s;
	c->confirm = model_dup(s->confirm, s->nconfirm, sizeof *s->confirm,
	    &c->sconfirm);
	c->custom = model_dup(s->custom, s->ncustom, sizeof *s->custom,
	    &c->scustom);
	c->tools = model_dup(s->tools, s->ntools, sizeof *s->tools,
	    &c->stools);
	c->denies = model_dup(s->denies, s->ndenies, sizeof *s->denies,
	    &c->sdenies);
	c->threads = model_dup(s->threads, s->nthreads, sizeof *s->threads,
	    &c->sthreads);
	c->queued = model_dup(s->queued, s->nqueued, sizeof *s->queued,
	    &c->squeued);
	c->inflight = model_dup(s->inflight, s->ninflight,
	    sizeof *s->inflight, &c->sinflight);
	return c;
}

/* Free a copy; NULL does nothing. */
void
model_state_free(struct model_session *s)
{
	if (s == NULL)
		return;
	model_state_clear(s);
	free(s);
}

/* Remember the model the session runs, for pricing. */
void
model_state_set_model(struct model_session *s, const char *model)
{
	model_copy(s->model, sizeof s->model, model);
}

/* A status name for display ("unknown" before any status event). */
const char *
model_status_name(enum model_status st)
{
	switch (st) {
	case MODEL_STATUS_IDLE:
		return "idle";
	case MODEL_STATUS_RUNNING:
		return "running";
	case MODEL_STATUS_RESCHEDULING:
		return "rescheduling";
	case MODEL_STATUS_TERMINATED:
		return "terminated";
	default:
		return "unknown";
	}
}

/* Remove entry i of a pending list. */
static void
model_pending_remove(struct model_pending *v, size_t *n, size_t i)
{
	memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof *v);
	(*n)--;
}

/* Remove the pending entry for event id from a list; 1 if found. */
static int
model_pending_drop(struct model_pending *v, size_t *n, const char *id)
{
	for (size_t i = 0; i < *n; i++) {
		if (strcmp(v[i].event_id, id) == 0) {
			model_pending_remove(v, n, i);
			return 1;
		}
	}
	return 0;
}

/* The count record of a tool, created on first use. */
static struct model_tool_count *
model_tool(struct model_session *s, const char *name)
{
	struct model_tool_count	*t;

	for (size_t i = 0; i < s->ntools; i++)
		if (strcmp(s->tools[i].name, name) == 0)
			return &s->tools[i];
	MODEL_GROW(s->tools, s->ntools, s->stools);
	t = &s->tools[s->ntools++];
	memset(t, 0, sizeof *t);
	model_copy(t->name, sizeof t->name, name);
	return t;
}

/* The thread with id, created on first mention. */
static struct model_thread *
model_thread(struct model_session *s, const char *id)
{
	struct model_thread	*t;

	for (size_t i = 0; i < s->nthreads; i++)
		if (strcmp(s->threads[i].id, id) == 0)
			return &s->threads[i];
	MODEL_GROW(s->threads, s->nthreads, s->sthreads);
	t = &s->threads[s->nthreads++];
	memset(t, 0, sizeof *t);
	model_copy(t->id, sizeof t->id, id);
	return t;
}

/*
 * Summarise a tool input for the approvals queue: the argument that
 * matters for the built-in tools (bash's command, a file path, a pattern,
 * a URL or query), else the input's JSON text, abridged.
 */
static void
model_summary(const struct json_span *input, char *dst, size_t size)
{
	static const char	*keys[] = { "command", "file_path", "pattern",
	    "url", "query", "path" };
	struct json_span	 v;
	size_t			 n;

	dst[0] = '\0';
	if (input == NULL || json_scan_kind(input) != JSON_SCAN_OBJECT)
		return;
	for (size_t i = 0; i < AD_NITEMS(keys); i++) {
		if (json_scan_member(input->p, input->len, keys[i], &v) == 1 &&
		    json_scan_kind(&v) == JSON_SCAN_STRING) {
			model_copy_span(dst, size, &v);
			return;
		}
	}
	n = AD_MIN(input->len, size - 1);
	while (n > 0 && n < input->len &&
	    ((unsigned char)input->p[n] & 0xc0) == 0x80)
		n--;
	memcpy(dst, input->p, n);
	dst[n] = '\0';
}

/* Fill a pending entry from a tool use event (scanned, no tree). */
static void
model_pending_fill(struct model_pending *p, struct api_event *ev,
    const char *tool)
{
	struct json_span	input;

	memset(p, 0, sizeof *p);
	model_copy(p->event_id, sizeof p->event_id, ev->id);
	model_copy(p->tool, sizeof p->tool, tool);
	model_member(ev, "session_thread_id", p->thread_id,
	    sizeof p->thread_id);
	if (json_scan_member(ev->raw, ev->rawlen, "input", &input) == 1)
		model_summary(&input, p->summary, sizeof p->summary);
	p->since_us = ev->processed_us;
}

/* Remember a tool use until its result, dropping the oldest if full. */
static void
model_inflight_add(struct model_session *s, const char *id, const char *tool)
{
	struct model_inflight	*f;

	if (s->ninflight == MODEL_MAX_INFLIGHT) {
		memmove(&s->inflight[0], &s->inflight[1],
		    (s->ninflight - 1) * sizeof *s->inflight);
		s->ninflight--;
	}
	MODEL_GROW(s->inflight, s->ninflight, s->sinflight);
	f = &s->inflight[s->ninflight++];
	memset(f, 0, sizeof *f);
	model_copy(f->event_id, sizeof f->event_id, id);
	model_copy(f->tool, sizeof f->tool, tool);
}

/* agent.tool_use, agent.mcp_tool_use, agent.custom_tool_use. */
static int
model_tool_use(struct model_session *s, struct api_event *ev)
{
	struct model_pending	*p;
	char			 name[MODEL_NAME_LEN], server[MODEL_NAME_LEN];
	char			 tool[2 * MODEL_NAME_LEN], perm[16];
	int			 dirty = MODEL_DIRTY_COUNTS;

	if (ev->id == NULL)
		return 0;
	model_member(ev, "name", name, sizeof name);
	model_member(ev, "evaluated_permission", perm, sizeof perm);
	if (ev->type == API_EV_AGENT_MCP_TOOL_USE) {
		model_member(ev, "mcp_server_name", server, sizeof server);
		snprintf(tool, sizeof tool, "%s/%s", server, name);
	} else
		model_copy(tool, sizeof tool, name);
	s->tool_uses++;
	model_tool(s, tool)->uses++;

	if (ev->type == API_EV_AGENT_CUSTOM_TOOL_USE) {
		model_pending_drop(s->custom, &s->ncustom, ev->id);
		MODEL_GROW(s->custom, s->ncustom, s->scustom);
		p = &s->custom[s->ncustom++];
		model_pending_fill(p, ev, tool);
		return dirty | MODEL_DIRTY_PENDING;
	}
	if (strcmp(perm, "deny") == 0)
		return dirty;		/* refused: it never runs */
	model_inflight_add(s, ev->id, tool);
	if (strcmp(perm, "ask") == 0) {
		model_pending_drop(s->confirm, &s->nconfirm, ev->id);
		MODEL_GROW(s->confirm, s->nconfirm, s->sconfirm);
		p = &s->confirm[s->nconfirm++];
		model_pending_fill(p, ev, tool);
		return dirty | MODEL_DIRTY_PENDING;
	}
	model_copy(s->tool, sizeof s->tool, tool);
	model_copy(s->tool_use_id, sizeof s->tool_use_id, ev->id);
	s->tool_since_us = ev->processed_us;
	return dirty | MODEL_DIRTY_TOOL;
}

/* agent.tool_result, agent.mcp_tool_result, user.tool_result. */
static int
model_tool_result(struct model_session *s, struct api_event *ev,
    const char *idkey)
{
	char	id[MODEL_ID_LEN];
	int	dirty = 0, is_error;

	model_member(ev, idkey, id, sizeof id);
	is_error = model_member_bool(ev, "is_error");
	for (size_t i = 0; i < s->ninflight; i++) {
		if (strcmp(s->inflight[i].event_id, id) != 0)
			continue;
		if (is_error == 1)
			model_tool(s, s->inflight[i].tool)->errors++;
		memmove(&s->inflight[i], &s->inflight[i + 1],
		    (s->ninflight - i - 1) * sizeof *s->inflight);
		s->ninflight--;
		break;
	}
	if (is_error == 1) {
		s->tool_errors++;
		dirty |= MODEL_DIRTY_COUNTS;
	}
	if (*id != '\0' && strcmp(s->tool_use_id, id) == 0) {
		s->tool[0] = s->tool_use_id[0] = '\0';
		s->tool_since_us = 0;
		dirty |= MODEL_DIRTY_TOOL;
	}
	/* A self-hosted result also answers a held call. */
	if (model_pending_drop(s->confirm, &s->nconfirm, id))
		dirty |= MODEL_DIRTY_PENDING;
	return dirty;
}

/* user.tool_confirmation (processed). */
static int
model_confirmation(struct model_session *s, struct api_event *ev)
{
	struct model_deny	*d;
	char			 id[MODEL_ID_LEN], result[16];
	char			 msg[MODEL_TEXT_LEN];

	model_member(ev, "tool_use_id", id, sizeof id);
	model_member(ev, "result", result, sizeof result);
	if (strcmp(result, "deny") == 0) {
		s->denied++;
		model_member(ev, "deny_message", msg, sizeof msg);
		MODEL_GROW(s->denies, s->ndenies, s->sdenies);
		d = &s->denies[s->ndenies++];
		memset(d, 0, sizeof *d);
		model_copy(d->tool_use_id, sizeof d->tool_use_id, id);
		model_copy(d->message, sizeof d->message, msg);
		model_pending_drop(s->confirm, &s->nconfirm, id);
		return MODEL_DIRTY_COUNTS | MODEL_DIRTY_PENDING;
	}
	if (strcmp(result, "allow") != 0)
		return 0;
	s->allowed++;
	/* The held call runs now. */
	for (size_t i = 0; i < s->nconfirm; i++) {
		if (strcmp(s->confirm[i].event_id, id) != 0)
			continue;
		model_copy(s->tool, sizeof s->tool, s->confirm[i].tool);
		model_copy(s->tool_use_id, sizeof s->tool_use_id, id);
		s->tool_since_us = ev->processed_us;
		model_pending_remove(s->confirm, &s->nconfirm, i);
		return MODEL_DIRTY_COUNTS | MODEL_DIRTY_PENDING |
		    MODEL_DIRTY_TOOL;
	}
	return MODEL_DIRTY_COUNTS;
}

/*
 * Cut a pending list down to the ids an idle still waits on (for one
 * thread: "" is the primary), adding placeholders for ids never seen.
 */
static void
model_pending_reconcile(struct model_pending **v, size_t *n, size_t *size,
    json_t *ids, const char *thread, int add_missing)
{
	struct model_pending	*p;
	size_t			 i, k;
	json_t			*x;

	for (i = 0; i < *n; ) {
		if (strcmp((*v)[i].thread_id, thread) != 0) {
			i++;
			continue;
		}
		json_array_foreach(ids, k, x)
			if (json_is_string(x) &&
			    strcmp(json_string_value(x), (*v)[i].event_id) == 0)
				break;
		if (k == json_array_size(ids))
			model_pending_remove(*v, n, i);
		else
			i++;
	}
	if (!add_missing)
		return;
	json_array_foreach(ids, k, x) {
		if (!json_is_string(x))
			continue;
		for (i = 0; i < *n; i++)
			if (strcmp((*v)[i].event_id, json_string_value(x)) == 0)
				break;
		if (i < *n)
			continue;
		MODEL_GROW(*v, *n, *size);
		p = &(*v)[(*n)++];
		memset(p, 0, sizeof *p);
		model_copy(p->event_id, sizeof p->event_id,
		    json_string_value(x));
		model_copy(p->tool, sizeof p->tool, "?");
		model_copy(p->thread_id, sizeof p->thread_id, thread);
	}
}

/* Is an id among the custom tool uses pending? */
static int
model_is_custom(const struct model_session *s, const char *id)
{
	for (size_t i = 0; i < s->ncustom; i++)
		if (strcmp(s->custom[i].event_id, id) == 0)
			return 1;
	return 0;
}

/* session.status_idle and session.thread_status_idle. */
static int
model_idle(struct model_session *s, struct api_event *ev,
    const struct api_event_view *v)
{
	const char	*thread = "";
	const char	*reason = v->stop_reason != NULL ? v->stop_reason :
	    "end_turn";
	json_t		*ids = v->stop_event_ids, *confirm_ids, *x;
	size_t		 k;
	int		 dirty = MODEL_DIRTY_PENDING;

	if (ev->type == API_EV_SESSION_THREAD_STATUS_IDLE) {
		thread = v->session_thread_id != NULL ?
		    v->session_thread_id : "";
		model_thread(s, thread)->status = MODEL_STATUS_IDLE;
		dirty |= MODEL_DIRTY_THREADS;
	} else {
		s->status = MODEL_STATUS_IDLE;
		model_copy(s->stop_reason, sizeof s->stop_reason, reason);
		s->interrupted = s->interrupt_pending &&
		    strcmp(reason, "end_turn") == 0;
		s->interrupt_pending = 0;
		s->tool[0] = s->tool_use_id[0] = '\0';
		s->tool_since_us = 0;
		if (strcmp(reason, "retries_exhausted") == 0 ||
		    strcmp(reason, "budget_reached") == 0 ||
		    strcmp(reason, "refusal") == 0)
			s->error_attention = 1;
		dirty |= MODEL_DIRTY_STATUS | MODEL_DIRTY_TOOL;
	}
	if (strcmp(reason, "requires_action") != 0 || !json_is_array(ids)) {
		if (*thread == '\0') {
			/* The turn is over: nothing waits any more. */
			s->nconfirm = s->ncustom = 0;
		}
		return dirty;
	}
	/* Ids of custom tool uses wait for results, the rest for answers. */
	confirm_ids = json_array();
	json_array_foreach(ids, k, x)
		if (json_is_string(x) &&
		    !model_is_custom(s, json_string_value(x)))
			json_array_append(confirm_ids, x);
	model_pending_reconcile(&s->confirm, &s->nconfirm, &s->sconfirm,
	    confirm_ids, thread, 1);
	model_pending_reconcile(&s->custom, &s->ncustom, &s->scustom, ids,
	    thread, 0);
	json_decref(confirm_ids);
	return dirty;
}

/* session.error: the last error and its retry status. */
static int
model_error(struct model_session *s, const struct api_event_view *v)
{
	s->errors++;
	model_copy(s->error_type, sizeof s->error_type, v->error_type);
	model_copy(s->error_message, sizeof s->error_message,
	    v->error_message);
	model_copy(s->retry_status, sizeof s->retry_status, v->retry_status);
	if (v->retry_status != NULL && strcmp(v->retry_status, "retrying") == 0)
		s->retries++;
	else
		s->error_attention = 1;	/* exhausted, terminal, or unknown */
	return MODEL_DIRTY_ERROR | MODEL_DIRTY_COUNTS | MODEL_DIRTY_STATUS;
}

/* Thread lifecycle events. */
static int
model_thread_event(struct model_session *s, struct api_event *ev,
    const struct api_event_view *v)
{
	struct model_thread	*t;

	if (v->session_thread_id == NULL)
		return 0;
	t = model_thread(s, v->session_thread_id);
	if (v->agent_name != NULL)
		model_copy(t->agent_name, sizeof t->agent_name, v->agent_name);
	switch (ev->type) {
	case API_EV_SESSION_THREAD_CREATED:
	case API_EV_SESSION_THREAD_STATUS_RUNNING:
		t->status = ev->type == API_EV_SESSION_THREAD_CREATED ?
		    MODEL_STATUS_IDLE : MODEL_STATUS_RUNNING;
		break;
	case API_EV_SESSION_THREAD_STATUS_RESCHEDULED:
		t->status = MODEL_STATUS_RESCHEDULING;
		break;
	case API_EV_SESSION_THREAD_STATUS_TERMINATED:
		t->status = MODEL_STATUS_TERMINATED;
		break;
	default:
		break;
	}
	return MODEL_DIRTY_THREADS;
}

/* Copy view usage into the state's shape. */
static void
model_usage_from(struct model_usage *u, const struct api_usage *a)
{
	u->input_tokens = a->input_tokens;
	u->output_tokens = a->output_tokens;
	u->cache_read_tokens = a->cache_read_input_tokens;
	u->cache_creation_tokens = a->cache_creation_input_tokens;
}

/* Events that need the typed view (all small). */
static int
model_apply_view(struct model_session *s, struct api_event *ev)
{
	struct api_event_view	v;
	struct model_usage	u;
	char			*cause = NULL;

	if (api_event_view(ev, &v, &cause) != 0) {
		free(cause);
		return 0;	/* malformed: counted, nothing else */
	}
	switch (ev->type) {
	case API_EV_SESSION_STATUS_IDLE:
	case API_EV_SESSION_THREAD_STATUS_IDLE:
		return model_idle(s, ev, &v);
	case API_EV_SESSION_ERROR:
		return model_error(s, &v);
	case API_EV_SESSION_USAGE:
		if (!v.has_usage)
			return 0;
		model_usage_from(&s->reported, &v.usage);
		s->has_reported = 1;
		s->active_seconds = v.usage.active_seconds;
		if (v.usage.list_cost_cents >= 0)
			s->list_cost_cents = v.usage.list_cost_cents;
		return MODEL_DIRTY_USAGE;
	case API_EV_SPAN_MODEL_REQUEST_END:
		if (v.is_error == 1) {
			s->model_request_errors++;
			return MODEL_DIRTY_COUNTS | (v.has_usage ?
			    MODEL_DIRTY_USAGE : 0);
		}
		if (!v.has_usage)
			return 0;
		model_usage_from(&u, &v.usage);
		s->spans.input_tokens += u.input_tokens;
		s->spans.output_tokens += u.output_tokens;
		s->spans.cache_read_tokens += u.cache_read_tokens;
		s->spans.cache_creation_tokens += u.cache_creation_tokens;
		return MODEL_DIRTY_USAGE;
	default:
		return model_thread_event(s, ev, &v);
	}
}

/* Track a client event's queued echo until its processed copy. */
static int
model_queue(struct model_session *s, struct api_event *ev)
{
	struct model_queued	*q;

	for (size_t i = 0; i < s->nqueued; i++) {
		if (strcmp(s->queued[i].event_id, ev->id) != 0)
			continue;
		if (ev->processed_at == NULL)
			return 0;	/* the same echo again */
		memmove(&s->queued[i], &s->queued[i + 1],
		    (s->nqueued - i - 1) * sizeof *s->queued);
		s->nqueued--;
		return MODEL_DIRTY_QUEUE;
	}
	if (ev->processed_at != NULL)
		return 0;
	MODEL_GROW(s->queued, s->nqueued, s->squeued);
	q = &s->queued[s->nqueued++];
	memset(q, 0, sizeof *q);
	model_copy(q->event_id, sizeof q->event_id, ev->id);
	model_copy(q->type, sizeof q->type, ev->type_name);
	q->since_us = s->last_us;
	return MODEL_DIRTY_QUEUE;
}

/* Fold one event into the state. */
int
model_apply(struct model_session *s, struct api_event *ev)
{
	int	dirty = MODEL_DIRTY_TIME;

	if (api_event_type_flags(ev->type) & API_EVF_PREVIEW)
		return 0;	/* stream-only previews are not the log */
	s->nevents++;
	if (ev->processed_us > 0) {
		if (s->first_us == 0 || ev->processed_us < s->first_us)
			s->first_us = ev->processed_us;
		if (ev->processed_us > s->last_us)
			s->last_us = ev->processed_us;
	}
	if ((api_event_type_flags(ev->type) & API_EVF_CLIENT) &&
	    ev->id != NULL) {
		dirty |= model_queue(s, ev);
		if (ev->processed_at == NULL)
			return dirty;	/* not acted on until processed */
	}

	switch (ev->type) {
	case API_EV_USER_INTERRUPT:
		s->interrupts++;
		s->interrupt_pending = 1;
		return dirty | MODEL_DIRTY_COUNTS;
	case API_EV_USER_TOOL_CONFIRMATION:
		return dirty | model_confirmation(s, ev);
	case API_EV_USER_CUSTOM_TOOL_RESULT: {
		char	id[MODEL_ID_LEN];

		model_member(ev, "custom_tool_use_id", id, sizeof id);
		if (model_pending_drop(s->custom, &s->ncustom, id))
			dirty |= MODEL_DIRTY_PENDING;
		return dirty;
	}
	case API_EV_USER_TOOL_RESULT:
		return dirty | model_tool_result(s, ev, "tool_use_id");
	case API_EV_AGENT_TOOL_USE:
	case API_EV_AGENT_MCP_TOOL_USE:
	case API_EV_AGENT_CUSTOM_TOOL_USE:
		return dirty | model_tool_use(s, ev);
	case API_EV_AGENT_TOOL_RESULT:
		return dirty | model_tool_result(s, ev, "tool_use_id");
	case API_EV_AGENT_MCP_TOOL_RESULT:
		return dirty | model_tool_result(s, ev, "mcp_tool_use_id");
	case API_EV_SESSION_STATUS_RUNNING:
		s->status = MODEL_STATUS_RUNNING;
		s->stop_reason[0] = '\0';
		s->interrupted = 0;
		s->error_attention = 0;
		return dirty | MODEL_DIRTY_STATUS;
	case API_EV_SESSION_STATUS_RESCHEDULED:
		s->status = MODEL_STATUS_RESCHEDULING;
		return dirty | MODEL_DIRTY_STATUS;
	case API_EV_SESSION_STATUS_TERMINATED:
	case API_EV_SESSION_DELETED:
		s->status = MODEL_STATUS_TERMINATED;
		if (ev->type == API_EV_SESSION_DELETED)
			s->deleted = 1;
		s->tool[0] = s->tool_use_id[0] = '\0';
		s->nconfirm = s->ncustom = 0;
		return dirty | MODEL_DIRTY_STATUS | MODEL_DIRTY_TOOL |
		    MODEL_DIRTY_PENDING;
	case API_EV_SPAN_MODEL_REQUEST_START:
		s->model_requests++;
		return dirty | MODEL_DIRTY_COUNTS;
	case API_EV_SESSION_STATUS_IDLE:
	case API_EV_SESSION_THREAD_STATUS_IDLE:
	case API_EV_SESSION_ERROR:
	case API_EV_SESSION_USAGE:
	case API_EV_SPAN_MODEL_REQUEST_END:
	case API_EV_SESSION_THREAD_CREATED:
	case API_EV_SESSION_THREAD_STATUS_RUNNING:
	case API_EV_SESSION_THREAD_STATUS_RESCHEDULED:
	case API_EV_SESSION_THREAD_STATUS_TERMINATED:
		return dirty | model_apply_view(s, ev);
	default:
		/* Messages, thinking, spans of outcomes, workflows, unknown
		 * types: their time and count are all the state keeps. */
		return dirty;
	}
}

/* Why the session needs an operator. */
int
model_attention(const struct model_session *s)
{
	int	a = 0;

	if (s->nconfirm > 0)
		a |= MODEL_ATTN_APPROVAL;
	if (s->ncustom > 0)
		a |= MODEL_ATTN_ACTION;
	if (s->error_attention)
		a |= MODEL_ATTN_ERROR;
	return a;
}

/* The usage to show. */
void
model_usage_total(const struct model_session *s, struct model_usage *u)
{
	*u = s->has_reported ? s->reported : s->spans;
}

/* Reported cost if any, else the estimate. */
int64_t
model_cost_microusd(const struct model_session *s)
{
	const struct pricing	*p;
	struct model_usage	 u;

	if (s->list_cost_cents >= 0)
		return s->list_cost_cents * 10000;
	if ((p = pricing_lookup(s->model)) == NULL)
		return -1;
	model_usage_total(s, &u);
	return pricing_cost_microusd(p, u.input_tokens, u.output_tokens,
	    u.cache_creation_tokens, u.cache_read_tokens);
}
