/* ISC licence: see COPYING.  The session reducer: events in, state out. */

#include "config.h"

#include <stddef.h>
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

/*
 * Reading an event: the reducer never builds a jansson tree (~18 us an
 * event) nor looks a key up by rescanning the raw text from the start
 * (one pass per key).  model_fields_scan() walks the top-level object
 * once and keeps the span of every member any rule reads (the last one
 * when a key repeats, as jansson keeps); nested values (stop_reason,
 * error, usage, a tool's input) are then read inside their own span
 * only.  Strings read as C strings do: up to a \u0000, if any.
 */

/* The top-level members the rules read; absent ones are empty spans. */
struct model_fields {
	struct json_span	name;		/* tool uses */
	struct json_span	perm;		/* evaluated_permission */
	struct json_span	server;		/* mcp_server_name */
	struct json_span	input;		/* tool uses */
	struct json_span	thread;		/* session_thread_id */
	struct json_span	agent;		/* agent_name */
	struct json_span	tool_use_id;	/* user.tool_confirmation */
	struct json_span	is_error;	/* span.model_request_end */
	struct json_span	result;		/* user.tool_confirmation */
	struct json_span	deny_message;
	struct json_span	stop_reason;	/* idles */
	struct json_span	error;		/* session.error */
	struct json_span	usage;		/* session.usage */
	struct json_span	model_usage;	/* span.model_request_end */
};

/* Which key fills which member of struct model_fields. */
static const struct {
	const char	*key;
	size_t		 len;
	size_t		 off;
} model_keys[] = {
#define MODEL_KEY(k, f) { k, sizeof k - 1, offsetof(struct model_fields, f) }
	MODEL_KEY("name", name),
	MODEL_KEY("evaluated_permission", perm),
	MODEL_KEY("mcp_server_name", server),
	MODEL_KEY("input", input),
	MODEL_KEY("session_thread_id", thread),
	MODEL_KEY("agent_name", agent),
	MODEL_KEY("tool_use_id", tool_use_id),
	MODEL_KEY("is_error", is_error),
	MODEL_KEY("result", result),
	MODEL_KEY("deny_message", deny_message),
	MODEL_KEY("stop_reason", stop_reason),
	MODEL_KEY("error", error),
	MODEL_KEY("usage", usage),
	MODEL_KEY("model_usage", model_usage),
#undef MODEL_KEY
};

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

/*
 * Copy a JSON string span, decoded, into dst; a NUL inside the text
 * becomes U+2400 (json_scan_text) so the rest of the text is kept and
 * nothing is silently cut short.  "" and 0 when the span is absent or
 * not a string, else 1.
 */
static int
model_copy_span(char *dst, size_t size, const struct json_span *v)
{
	char	tmp[512], *s;

	if (json_scan_kind(v) != JSON_SCAN_STRING) {
		dst[0] = '\0';
		return 0;
	}
	s = v->len <= sizeof tmp ? tmp : xmalloc(v->len);
	if (json_scan_text(v, s) < 0)
		s[0] = '\0';
	model_copy(dst, size, s);
	if (s != tmp)
		free(s);
	return 1;
}

/*
 * Find, in one pass over the event's top-level object, every member the
 * rules read.  api_event_parse() validated the text, so values are
 * skipped without checking them again (the long message and result
 * strings are most of the bytes); nested values are read with the
 * validating scan.
 */
static void
model_fields_scan(struct api_event *ev, struct model_fields *f)
{
	struct json_scan_iter	it;
	struct json_span	k, v;
	size_t			klen;
	int			esc;

	memset(f, 0, sizeof *f);
	if (json_scan_object_init_trusted(&it, ev->raw, ev->rawlen) != 0)
		return;
	while (json_scan_object_next(&it, &k, &v, &esc) == 1) {
		klen = k.len - 2;	/* without the quotes */
		for (size_t i = 0; i < AD_NITEMS(model_keys); i++) {
			if (esc ? !json_scan_key_is(&k, esc,
			    model_keys[i].key) : (klen != model_keys[i].len ||
			    memcmp(k.p + 1, model_keys[i].key, klen) != 0))
				continue;
			*(struct json_span *)((char *)f + model_keys[i].off) =
			    v;
			break;
		}
	}
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
	struct json_span	 last[AD_NITEMS(keys)], k, v;
	struct json_scan_iter	 it;
	size_t			 n;
	int			 esc;

	dst[0] = '\0';
	if (json_scan_kind(input) != JSON_SCAN_OBJECT ||
	    json_scan_object_init(&it, input->p, input->len) != 0)
		return;
	/* One pass: the last member of each name, as jansson keeps. */
	memset(last, 0, sizeof last);
	while (json_scan_object_next(&it, &k, &v, &esc) == 1) {
		for (size_t i = 0; i < AD_NITEMS(keys); i++) {
			if (json_scan_key_is(&k, esc, keys[i])) {
				last[i] = v;
				break;
			}
		}
	}
	for (size_t i = 0; i < AD_NITEMS(keys); i++) {
		if (json_scan_kind(&last[i]) == JSON_SCAN_STRING) {
			model_copy_span(dst, size, &last[i]);
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
    const struct model_fields *f, const char *tool)
{
	memset(p, 0, sizeof *p);
	model_copy(p->event_id, sizeof p->event_id, ev->id);
	model_copy(p->tool, sizeof p->tool, tool);
	model_copy_span(p->thread_id, sizeof p->thread_id, &f->thread);
	model_summary(&f->input, p->summary, sizeof p->summary);
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
	struct model_fields	 f;
	struct model_pending	*p;
	char			 name[MODEL_NAME_LEN], server[MODEL_NAME_LEN];
	char			 tool[2 * MODEL_NAME_LEN], perm[16];
	int			 dirty = MODEL_DIRTY_COUNTS;

	if (ev->id == NULL)
		return 0;
	model_fields_scan(ev, &f);
	model_copy_span(name, sizeof name, &f.name);
	model_copy_span(perm, sizeof perm, &f.perm);
	if (ev->type == API_EV_AGENT_MCP_TOOL_USE) {
		model_copy_span(server, sizeof server, &f.server);
		snprintf(tool, sizeof tool, "%s/%s", server, name);
	} else
		model_copy(tool, sizeof tool, name);
	s->tool_uses++;
	model_tool(s, tool)->uses++;

	if (ev->type == API_EV_AGENT_CUSTOM_TOOL_USE) {
		model_pending_drop(s->custom, &s->ncustom, ev->id);
		MODEL_GROW(s->custom, s->ncustom, s->scustom);
		p = &s->custom[s->ncustom++];
		model_pending_fill(p, ev, &f, tool);
		return dirty | MODEL_DIRTY_PENDING;
	}
	if (strcmp(perm, "deny") == 0)
		return dirty;		/* refused: it never runs */
	model_inflight_add(s, ev->id, tool);
	if (strcmp(perm, "ask") == 0) {
		model_pending_drop(s->confirm, &s->nconfirm, ev->id);
		MODEL_GROW(s->confirm, s->nconfirm, s->sconfirm);
		p = &s->confirm[s->nconfirm++];
		model_pending_fill(p, ev, &f, tool);
		return dirty | MODEL_DIRTY_PENDING;
	}
	model_copy(s->tool, sizeof s->tool, tool);
	model_copy(s->tool_use_id, sizeof s->tool_use_id, ev->id);
	s->tool_since_us = ev->processed_us;
	return dirty | MODEL_DIRTY_TOOL;
}

/*
 * agent.tool_result, agent.mcp_tool_result, user.tool_result: the id and
 * is_error come with the event (api_event_parse, or the cache's columns
 * through api_event_head), so the body is not read.
 */
static int
model_tool_result(struct model_session *s, struct api_event *ev)
{
	char	id[MODEL_ID_LEN];
	int	dirty = 0, is_error = ev->is_error;

	model_copy(id, sizeof id, ev->tool_use_id);
	/* Newest first: a result mostly answers a recent use. */
	for (size_t i = s->ninflight; i-- > 0; ) {
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
	struct model_fields	 f;
	struct model_deny	*d;
	char			 id[MODEL_ID_LEN], result[16];
	char			 msg[MODEL_TEXT_LEN];

	model_fields_scan(ev, &f);
	model_copy_span(id, sizeof id, &f.tool_use_id);
	model_copy_span(result, sizeof result, &f.result);
	if (strcmp(result, "deny") == 0) {
		s->denied++;
		model_copy_span(msg, sizeof msg, &f.deny_message);
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
    char **ids, size_t nids, const char *thread, int add_missing)
{
	struct model_pending	*p;
	size_t			 i, k;

	for (i = 0; i < *n; ) {
		if (strcmp((*v)[i].thread_id, thread) != 0) {
			i++;
			continue;
		}
		for (k = 0; k < nids; k++)
			if (strcmp(ids[k], (*v)[i].event_id) == 0)
				break;
		if (k == nids)
			model_pending_remove(*v, n, i);
		else
			i++;
	}
	if (!add_missing)
		return;
	for (k = 0; k < nids; k++) {
		for (i = 0; i < *n; i++)
			if (strcmp((*v)[i].event_id, ids[k]) == 0)
				break;
		if (i < *n)
			continue;
		MODEL_GROW(*v, *n, *size);
		p = &(*v)[(*n)++];
		memset(p, 0, sizeof *p);
		model_copy(p->event_id, sizeof p->event_id, ids[k]);
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

/*
 * The string elements of a JSON array, decoded (up to any \u0000) into
 * one block: *textp holds the text, the returned array points into it.
 * Caller frees both.
 */
static char **
model_strings(const struct json_span *arr, size_t *np, char **textp)
{
	struct json_scan_iter	 it;
	struct json_span	 x;
	char			**v = NULL, *pos;
	size_t			 n = 0, size = 0;
	long			 len;

	*np = 0;
	*textp = pos = xmalloc(arr->len + 1);
	if (json_scan_array_init(&it, arr->p, arr->len) != 0)
		return NULL;
	while (json_scan_array_next(&it, &x) == 1) {
		if (json_scan_kind(&x) != JSON_SCAN_STRING)
			continue;
		/* Each decodes shorter than its quoted text. */
		len = json_scan_string(&x, pos);
		pos[len < 0 ? 0 : len] = '\0';
		MODEL_GROW(v, n, size);
		v[n++] = pos;
		pos += strlen(pos) + 1;
	}
	*np = n;
	return v;
}

/*
 * The stop reason of an idle: its type (end_turn when absent) and, if
 * it is an object with an event_ids array, that array's span.
 */
static void
model_stop_reason(const struct json_span *sr, char *reason, size_t size,
    struct json_span *ids)
{
	struct json_scan_iter	it;
	struct json_span	k, v, type = { NULL, 0 };
	int			esc;

	memset(ids, 0, sizeof *ids);
	if (json_scan_kind(sr) == JSON_SCAN_OBJECT &&
	    json_scan_object_init(&it, sr->p, sr->len) == 0) {
		while (json_scan_object_next(&it, &k, &v, &esc) == 1) {
			if (json_scan_key_is(&k, esc, "type"))
				type = v;
			else if (json_scan_key_is(&k, esc, "event_ids"))
				*ids = v;
		}
	}
	if (json_scan_kind(ids) != JSON_SCAN_ARRAY)
		memset(ids, 0, sizeof *ids);
	if (!model_copy_span(reason, size, &type))
		model_copy(reason, size, "end_turn");
}

/* session.status_idle and session.thread_status_idle. */
static int
model_idle(struct model_session *s, struct api_event *ev)
{
	struct model_fields	 f;
	struct json_span	 idspan;
	char			 thread[MODEL_ID_LEN], reason[MODEL_NAME_LEN];
	char			**ids, **confirm_ids, *text;
	size_t			 nids, nconfirm_ids = 0;
	int			 dirty = MODEL_DIRTY_PENDING;

	model_fields_scan(ev, &f);
	model_stop_reason(&f.stop_reason, reason, sizeof reason, &idspan);
	thread[0] = '\0';
	if (ev->type == API_EV_SESSION_THREAD_STATUS_IDLE) {
		model_copy_span(thread, sizeof thread, &f.thread);
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
	if (strcmp(reason, "requires_action") != 0 || idspan.len == 0) {
		if (*thread == '\0') {
			/* The turn is over: nothing waits any more. */
			s->nconfirm = s->ncustom = 0;
		}
		return dirty;
	}
	/* Ids of custom tool uses wait for results, the rest for answers. */
	ids = model_strings(&idspan, &nids, &text);
	confirm_ids = xreallocarray(NULL, nids + 1, sizeof *confirm_ids);
	for (size_t k = 0; k < nids; k++)
		if (!model_is_custom(s, ids[k]))
			confirm_ids[nconfirm_ids++] = ids[k];
	model_pending_reconcile(&s->confirm, &s->nconfirm, &s->sconfirm,
	    confirm_ids, nconfirm_ids, thread, 1);
	model_pending_reconcile(&s->custom, &s->ncustom, &s->scustom, ids,
	    nids, thread, 0);
	free(confirm_ids);
	free(ids);
	free(text);
	return dirty;
}

/*
 * The members of a nested object (one pass over its span) whose keys are
 * in keys; out[i] gets the last member named keys[i], or stays empty.
 */
static void
model_object(const struct json_span *obj, const char *const *keys,
    size_t nkeys, struct json_span *out)
{
	struct json_scan_iter	it;
	struct json_span	k, v;
	int			esc;

	memset(out, 0, nkeys * sizeof *out);
	if (json_scan_kind(obj) != JSON_SCAN_OBJECT ||
	    json_scan_object_init(&it, obj->p, obj->len) != 0)
		return;
	while (json_scan_object_next(&it, &k, &v, &esc) == 1) {
		for (size_t i = 0; i < nkeys; i++) {
			if (json_scan_key_is(&k, esc, keys[i])) {
				out[i] = v;
				break;
			}
		}
	}
}

/* session.error: the last error and its retry status. */
static int
model_error(struct model_session *s, struct api_event *ev)
{
	static const char *const	 keys[] = { "type", "message",
	    "retry_status" };
	static const char *const	 rkeys[] = { "type" };
	struct model_fields		 f;
	struct json_span		 m[AD_NITEMS(keys)], r;

	model_fields_scan(ev, &f);
	model_object(&f.error, keys, AD_NITEMS(keys), m);
	model_object(&m[2], rkeys, 1, &r);
	s->errors++;
	model_copy_span(s->error_type, sizeof s->error_type, &m[0]);
	model_copy_span(s->error_message, sizeof s->error_message, &m[1]);
	model_copy_span(s->retry_status, sizeof s->retry_status, &r);
	if (strcmp(s->retry_status, "retrying") == 0)
		s->retries++;
	else
		s->error_attention = 1;	/* exhausted, terminal, or unknown */
	return MODEL_DIRTY_ERROR | MODEL_DIRTY_COUNTS | MODEL_DIRTY_STATUS;
}

/* Thread lifecycle events. */
static int
model_thread_event(struct model_session *s, struct api_event *ev)
{
	struct model_fields	 f;
	struct model_thread	*t;
	char			 id[MODEL_ID_LEN], agent[MODEL_NAME_LEN];

	model_fields_scan(ev, &f);
	if (!model_copy_span(id, sizeof id, &f.thread))
		return 0;
	t = model_thread(s, id);
	if (model_copy_span(agent, sizeof agent, &f.agent))
		model_copy(t->agent_name, sizeof t->agent_name, agent);
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

/* A token count: a non-negative number (reals truncated), else 0. */
static int64_t
model_count(const struct json_span *v)
{
	int64_t	i;
	double	d;

	if (json_scan_kind(v) != JSON_SCAN_NUMBER)
		return 0;
	if (json_scan_int64(v, &i) == 0)
		return i >= 0 ? i : 0;
	if (json_scan_double(v, &d) == 0 && d >= 0 && d < 9e18)
		return (int64_t)d;
	return 0;
}

/*
 * A Money amount ({"amount":"1234","currency":"USD"}: integer cents in a
 * string) in cents, or -1.
 */
static int64_t
model_cents(const struct json_span *money)
{
	static const char *const	 keys[] = { "amount" };
	struct json_span		 a;
	char				 s[64];
	int64_t				 v = 0;

	model_object(money, keys, 1, &a);
	/* Longer amounts overflow below whether cut short or not. */
	if (!model_copy_span(s, sizeof s, &a) || s[0] == '\0')
		return -1;
	for (const char *p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v;
}

/*
 * Token counts as span.model_request_end (model_usage) and session.usage
 * carry them; 0 if u is not an object.  The cache writes are either
 * cache_creation{ephemeral_5m,ephemeral_1h} (the SDK) or a flat
 * cache_creation_input_tokens (older docs); both are summed.  active and
 * cents may be NULL.
 */
static int
model_usage_scan(const struct json_span *u, struct model_usage *out,
    double *active, int64_t *cents)
{
	static const char *const	 keys[] = { "input_tokens",
	    "output_tokens", "cache_read_input_tokens",
	    "cache_creation_input_tokens", "cache_creation", "active_seconds",
	    "list_cost" };
	static const char *const	 ckeys[] = {
	    "ephemeral_5m_input_tokens", "ephemeral_1h_input_tokens" };
	struct json_span		 m[AD_NITEMS(keys)];
	struct json_span		 c[AD_NITEMS(ckeys)];
	double				 d;

	memset(out, 0, sizeof *out);
	if (json_scan_kind(u) != JSON_SCAN_OBJECT)
		return 0;
	model_object(u, keys, AD_NITEMS(keys), m);
	out->input_tokens = model_count(&m[0]);
	out->output_tokens = model_count(&m[1]);
	out->cache_read_tokens = model_count(&m[2]);
	out->cache_creation_tokens = model_count(&m[3]);
	if (json_scan_kind(&m[4]) == JSON_SCAN_OBJECT) {
		model_object(&m[4], ckeys, AD_NITEMS(ckeys), c);
		out->cache_creation_tokens += model_count(&c[0]) +
		    model_count(&c[1]);
	}
	if (active != NULL)
		*active = json_scan_double(&m[5], &d) == 0 ? d : 0;
	if (cents != NULL)
		*cents = json_scan_kind(&m[6]) == JSON_SCAN_OBJECT ?
		    model_cents(&m[6]) : -1;
	return 1;
}

/* session.usage: the server's cumulative figures replace ours. */
static int
model_session_usage(struct model_session *s, struct api_event *ev)
{
	struct model_fields	f;
	struct model_usage	u;
	double			active;
	int64_t			cents;

	model_fields_scan(ev, &f);
	if (!model_usage_scan(&f.usage, &u, &active, &cents))
		return 0;
	s->reported = u;
	s->has_reported = 1;
	s->active_seconds = active;
	if (cents >= 0)
		s->list_cost_cents = cents;
	return MODEL_DIRTY_USAGE;
}

/* span.model_request_end: add the request's tokens. */
static int
model_request_end(struct model_session *s, struct api_event *ev)
{
	struct model_fields	f;
	struct model_usage	u;
	int			has_usage;

	model_fields_scan(ev, &f);
	has_usage = model_usage_scan(&f.model_usage, &u, NULL, NULL);
	if (json_scan_bool(&f.is_error) == 1) {
		s->model_request_errors++;
		return MODEL_DIRTY_COUNTS | (has_usage ? MODEL_DIRTY_USAGE : 0);
	}
	if (!has_usage)
		return 0;
	s->spans.input_tokens += u.input_tokens;
	s->spans.output_tokens += u.output_tokens;
	s->spans.cache_read_tokens += u.cache_read_tokens;
	s->spans.cache_creation_tokens += u.cache_creation_tokens;
	return MODEL_DIRTY_USAGE;
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

		model_copy(id, sizeof id, ev->tool_use_id);
		if (model_pending_drop(s->custom, &s->ncustom, id))
			dirty |= MODEL_DIRTY_PENDING;
		return dirty;
	}
	case API_EV_USER_TOOL_RESULT:
		return dirty | model_tool_result(s, ev);
	case API_EV_AGENT_TOOL_USE:
	case API_EV_AGENT_MCP_TOOL_USE:
	case API_EV_AGENT_CUSTOM_TOOL_USE:
		return dirty | model_tool_use(s, ev);
	case API_EV_AGENT_TOOL_RESULT:
		return dirty | model_tool_result(s, ev);
	case API_EV_AGENT_MCP_TOOL_RESULT:
		return dirty | model_tool_result(s, ev);
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
		return dirty | model_idle(s, ev);
	case API_EV_SESSION_ERROR:
		return dirty | model_error(s, ev);
	case API_EV_SESSION_USAGE:
		return dirty | model_session_usage(s, ev);
	case API_EV_SPAN_MODEL_REQUEST_END:
		return dirty | model_request_end(s, ev);
	case API_EV_SESSION_THREAD_CREATED:
	case API_EV_SESSION_THREAD_STATUS_RUNNING:
	case API_EV_SESSION_THREAD_STATUS_RESCHEDULED:
	case API_EV_SESSION_THREAD_STATUS_TERMINATED:
		return dirty | model_thread_event(s, ev);
	default:
		/* Messages, thinking, spans of outcomes, workflows, unknown
		 * types: their time and count are all the state keeps. */
		return dirty;
	}
}

/*
 * Does model_apply look into events of this type?  Keep with its switch.
 * Results are read from their head (tool_use_id, is_error), client
 * results included: a queued echo is told by its NULL processed_at.
 */
int
model_needs_body(enum api_event_type type)
{
	int	flags = api_event_type_flags(type);

	if (flags & API_EVF_RESULT)
		return 0;
	if (flags & API_EVF_CLIENT)
		return 1;
	switch (type) {
	case API_EV_AGENT_TOOL_USE:
	case API_EV_AGENT_MCP_TOOL_USE:
	case API_EV_AGENT_CUSTOM_TOOL_USE:
	case API_EV_SESSION_STATUS_IDLE:
	case API_EV_SESSION_THREAD_STATUS_IDLE:
	case API_EV_SESSION_ERROR:
	case API_EV_SESSION_USAGE:
	case API_EV_SPAN_MODEL_REQUEST_END:
	case API_EV_SESSION_THREAD_CREATED:
	case API_EV_SESSION_THREAD_STATUS_RUNNING:
	case API_EV_SESSION_THREAD_STATUS_RESCHEDULED:
	case API_EV_SESSION_THREAD_STATUS_TERMINATED:
		return 1;
	default:
		return 0;
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
