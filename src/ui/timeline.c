/* ISC licence: see COPYING.  The timeline index of one session. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/compiler.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "ui/timeline.h"
#include "wire/json_scan.h"

struct tl_rows {
	uint32_t	*v;
	size_t		 n, cap;
};

struct timeline {
	struct tl_event		*ev;
	size_t			 n, cap;
	uint32_t		*table;		/* id hash -> index+1, 0 free */
	size_t			 tcap;		/* a power of two */
	struct tl_rows		 main;		/* rows without details */
	struct tl_rows		 all;		/* rows with details */
	uint32_t		 group;		/* open request, or TL_NONE */
	char			*lanes[TL_MAX_LANES];	/* thread ids */
	char			*agents[TL_MAX_LANES];
	int			 nlanes;
	struct tl_preview	*previews;
	size_t			 npreviews;
};

/* How an event shows. */
enum tl_show {
	TL_SHOW_ROW,		/* always a row */
	TL_SHOW_DETAIL,		/* a row in details mode */
	TL_SHOW_FOLD		/* folds into the event it refers to */
};

/* The 64-bit FNV-1a hash of an id (never 0). */
uint64_t
timeline_hash(const char *s, size_t len)
{
	uint64_t	h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h != 0 ? h : 1;
}

/* Create an empty timeline. */
struct timeline *
timeline_create(void)
{
	struct timeline	*tl;

	tl = xcalloc(1, sizeof *tl);
	tl->group = TL_NONE;
	tl->nlanes = 1;
	tl->lanes[0] = xstrdup("");
	tl->agents[0] = xstrdup("");
	return tl;
}

/* Free a timeline; NULL does nothing. */
void
timeline_free(struct timeline *tl)
{
	if (tl == NULL)
		return;
	for (int i = 0; i < tl->nlanes; i++) {
		free(tl->lanes[i]);
		free(tl->agents[i]);
	}
	for (size_t i = 0; i < tl->npreviews; i++)
		buf_clear(&tl->previews[i].text);
	free(tl->previews);
	free(tl->ev);
	free(tl->table);
	free(tl->main.v);
	free(tl->all.v);
	free(tl);
}

/* Copy a decoded string span into out (size bytes), "" if unsuitable. */
static void
tl_span_copy(const struct json_span *sp, char *out, size_t size)
{
	char	*s;

	out[0] = '\0';
	if ((s = json_scan_strdup(sp)) == NULL)
		return;
	str_lcpy(out, s, size);
	free(s);
}

/* The hash of a string span's decoded value; 0 if it is not a string. */
static uint64_t
tl_span_hash(const struct json_span *sp)
{
	char		*s;
	uint64_t	 h;

	if ((s = json_scan_strdup(sp)) == NULL)
		return 0;
	h = timeline_hash(s, strlen(s));
	free(s);
	return h;
}

/* Does the string span decode to want? */
static int
tl_span_is(const struct json_span *sp, const char *want)
{
	size_t	n = strlen(want);

	return sp->len == n + 2 && sp->p[0] == '"' &&
	    memcmp(sp->p + 1, want, n) == 0;
}

/* Does an error object say it is being retried?  retry_status is
 * {"type": "retrying"} (or, tolerated, the bare string). */
static int
tl_retrying(const struct json_span *err)
{
	struct json_span	rs, type;

	if (json_scan_member(err->p, err->len, "retry_status", &rs) != 1)
		return 0;
	if (tl_span_is(&rs, "retrying"))
		return 1;
	return json_scan_kind(&rs) == JSON_SCAN_OBJECT &&
	    json_scan_member(rs.p, rs.len, "type", &type) == 1 &&
	    tl_span_is(&type, "retrying");
}

/* Fill a record with one pass over the event's top-level members. */
int
timeline_record(const struct api_event *ev, uint32_t seq, struct tl_record *r)
{
	struct json_scan_iter	 it;
	struct json_span	 key, val;
	int			 esc, rv;

	memset(r, 0, sizeof *r);
	r->seq = seq;
	r->type = ev->type;
	r->time_us = ev->processed_us;
	if (ev->id != NULL)
		r->id = timeline_hash(ev->id, strlen(ev->id));
	/* api_event_parse validated the text (or the cache did, before it
	 * stored it): skip values by their ends, do not check them again. */
	if (json_scan_object_init_trusted(&it, ev->raw, ev->rawlen) != 0)
		return -1;
	while ((rv = json_scan_object_next(&it, &key, &val, &esc)) == 1) {
		if (json_scan_key_is(&key, esc, "tool_use_id") ||
		    json_scan_key_is(&key, esc, "mcp_tool_use_id") ||
		    json_scan_key_is(&key, esc, "custom_tool_use_id") ||
		    json_scan_key_is(&key, esc, "model_request_start_id"))
			r->ref = tl_span_hash(&val);
		else if (json_scan_key_is(&key, esc, "session_thread_id"))
			tl_span_copy(&val, r->thread, sizeof r->thread);
		else if (json_scan_key_is(&key, esc, "agent_name"))
			tl_span_copy(&val, r->agent, sizeof r->agent);
		else if (json_scan_key_is(&key, esc, "is_error") &&
		    json_scan_bool(&val) == 1)
			r->flags |= TL_ERROR;
		else if (json_scan_key_is(&key, esc, "evaluated_permission")) {
			if (tl_span_is(&val, "ask"))
				r->flags |= TL_ASK;
			else if (tl_span_is(&val, "deny"))
				r->flags |= TL_AUTODENY;
		} else if (json_scan_key_is(&key, esc, "result") &&
		    ev->type == API_EV_USER_TOOL_CONFIRMATION &&
		    tl_span_is(&val, "deny"))
			r->flags |= TL_DENY;
		else if (json_scan_key_is(&key, esc, "error") &&
		    tl_retrying(&val))
			r->flags |= TL_RETRY;
	}
	switch (ev->type) {
	case API_EV_SESSION_ERROR:
	case API_EV_WORKFLOW_RUN_ERROR:
		r->flags |= TL_ERROR;
		break;
	case API_EV_SESSION_STATUS_RESCHEDULED:
	case API_EV_SESSION_THREAD_STATUS_RESCHEDULED:
		r->flags |= TL_RETRY;
		break;
	default:
		break;
	}
	return rv < 0 ? -1 : 0;
}

/* Where an event of this type goes. */
static enum tl_show
tl_show(enum api_event_type type)
{
	switch (type) {
	case API_EV_AGENT_TOOL_RESULT:
	case API_EV_AGENT_MCP_TOOL_RESULT:
	case API_EV_USER_TOOL_CONFIRMATION:
	case API_EV_USER_CUSTOM_TOOL_RESULT:
	case API_EV_SPAN_MODEL_REQUEST_END:
		return TL_SHOW_FOLD;
	case API_EV_SESSION_STATUS_RUNNING:
	case API_EV_SESSION_USAGE:
	case API_EV_SESSION_UPDATED:
	case API_EV_SESSION_THREAD_STATUS_RUNNING:
	case API_EV_SESSION_THREAD_STATUS_IDLE:
	case API_EV_SESSION_THREAD_STATUS_RESCHEDULED:
	case API_EV_SESSION_THREAD_STATUS_TERMINATED:
	case API_EV_SPAN_OUTCOME_EVALUATION_ONGOING:
	case API_EV_WORKFLOW_RUN_STATUS_RUNNING:
	case API_EV_WORKFLOW_RUN_STATUS_IDLE:
	case API_EV_WORKFLOW_RUN_PHASE_STARTED:
	case API_EV_WORKFLOW_RUN_PHASE_ENDED:
	case API_EV_USER_TOOL_RESULT:
		return TL_SHOW_DETAIL;
	default:
		return TL_SHOW_ROW;
	}
}

/* Append to a row list. */
static void
tl_rows_add(struct tl_rows *r, uint32_t i)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 256;
		r->v = xreallocarray(r->v, r->cap, sizeof *r->v);
	}
	r->v[r->n++] = i;
}

/* Insert index i under hash h (open addressing, linear probing). */
static void
tl_table_put(struct timeline *tl, uint64_t h, uint32_t i)
{
	size_t	mask, at;

	if ((tl->n + 1) * 2 > tl->tcap) {
		size_t		 ocap = tl->tcap;
		uint32_t	*old = tl->table;

		tl->tcap = ocap ? ocap * 2 : 1024;
		tl->table = xcalloc(tl->tcap, sizeof *tl->table);
		mask = tl->tcap - 1;
		for (size_t k = 0; k < ocap; k++) {
			if (old[k] == 0)
				continue;
			at = tl->ev[old[k] - 1].idhash & mask;
			while (tl->table[at] != 0)
				at = (at + 1) & mask;
			tl->table[at] = old[k];
		}
		free(old);
	}
	mask = tl->tcap - 1;
	at = h & mask;
	while (tl->table[at] != 0)
		at = (at + 1) & mask;
	tl->table[at] = i + 1;
}

/* The event with id hash h. */
uint32_t
timeline_find(const struct timeline *tl, uint64_t h)
{
	size_t	mask, at;

	if (tl->tcap == 0 || h == 0)
		return TL_NONE;
	mask = tl->tcap - 1;
	for (at = h & mask; tl->table[at] != 0; at = (at + 1) & mask)
		if (tl->ev[tl->table[at] - 1].idhash == h)
			return tl->table[at] - 1;
	return TL_NONE;
}

/* The lane of a thread id (added if new). */
static uint16_t
tl_lane(struct timeline *tl, const char *thread, const char *agent)
{
	int	i;

	if (*thread == '\0')
		return 0;
	for (i = 1; i < tl->nlanes; i++)
		if (strcmp(tl->lanes[i], thread) == 0)
			break;
	if (i == tl->nlanes) {
		if (tl->nlanes == TL_MAX_LANES)
			return TL_MAX_LANES - 1;
		tl->lanes[i] = xstrdup(thread);
		tl->agents[i] = xstrdup(agent);
		tl->nlanes++;
	} else if (*tl->agents[i] == '\0' && *agent != '\0') {
		free(tl->agents[i]);
		tl->agents[i] = xstrdup(agent);
	}
	return (uint16_t)i;
}

/* Drop preview k. */
static void
tl_preview_drop(struct timeline *tl, size_t k)
{
	buf_clear(&tl->previews[k].text);
	memmove(&tl->previews[k], &tl->previews[k + 1],
	    (tl->npreviews - k - 1) * sizeof *tl->previews);
	tl->npreviews--;
}

/* Append an event. */
uint32_t
timeline_append(struct timeline *tl, const struct tl_record *r)
{
	struct tl_event	*e;
	uint32_t	 i = (uint32_t)tl->n, target = TL_NONE;
	enum tl_show	 show = tl_show(r->type);

	if (tl->n == tl->cap) {
		tl->cap = tl->cap ? tl->cap * 2 : 1024;
		tl->ev = xreallocarray(tl->ev, tl->cap, sizeof *tl->ev);
	}
	e = &tl->ev[tl->n++];
	e->seq = r->seq;
	e->type = (uint8_t)r->type;
	e->flags = (uint8_t)r->flags;
	e->lane = tl_lane(tl, r->thread, r->agent);
	e->time_us = r->time_us;
	e->link = e->conf = TL_NONE;
	e->group = e->lane == 0 ? tl->group : TL_NONE;
	e->idhash = r->id;
	if (r->id != 0)
		tl_table_put(tl, r->id, i);

	if (show == TL_SHOW_FOLD && r->ref != 0)
		target = timeline_find(tl, r->ref);
	if (target != TL_NONE && target != i) {
		struct tl_event	*t = &tl->ev[target];

		e->flags |= TL_FOLDED;
		if (r->type == API_EV_USER_TOOL_CONFIRMATION)
			t->conf = i;
		else {
			t->link = i;
			e->link = target;
			if (r->flags & TL_ERROR)
				t->flags |= TL_ERROR;
		}
		if (r->type == API_EV_SPAN_MODEL_REQUEST_END) {
			e->group = target;
			if (tl->group == target)
				tl->group = TL_NONE;
			/* A request that ended takes its previews along. */
			for (size_t k = tl->npreviews; k > 0; k--)
				if (tl->previews[k - 1].group == target)
					tl_preview_drop(tl, k - 1);
		}
	} else {
		if (show != TL_SHOW_DETAIL)
			tl_rows_add(&tl->main, i);
		else
			e->flags |= TL_DETAIL;
		tl_rows_add(&tl->all, i);
	}
	if (r->type == API_EV_SPAN_MODEL_REQUEST_START && e->lane == 0) {
		tl->group = i;
		e->group = i;
	}
	/* The final event replaces its preview. */
	for (size_t k = 0; k < tl->npreviews; k++) {
		if (tl->previews[k].id == r->id) {
			tl_preview_drop(tl, k);
			break;
		}
	}
	return i;
}

/* A preview: event_start opens one, event_delta appends text. */
void
timeline_preview(struct timeline *tl, struct api_event *ev)
{
	struct api_event_view	 v;
	struct tl_preview	*p = NULL;
	char			*cause = NULL;
	uint64_t		 h;

	if (api_event_view(ev, &v, &cause) != 0) {
		free(cause);
		return;
	}
	if (v.preview_event_id == NULL)
		return;
	h = timeline_hash(v.preview_event_id, strlen(v.preview_event_id));
	if (timeline_find(tl, h) != TL_NONE)
		return;		/* already final */
	for (size_t k = 0; k < tl->npreviews; k++)
		if (tl->previews[k].id == h)
			p = &tl->previews[k];
	if (p == NULL) {
		tl->previews = xreallocarray(tl->previews, tl->npreviews + 1,
		    sizeof *tl->previews);
		p = &tl->previews[tl->npreviews++];
		memset(p, 0, sizeof *p);
		p->id = h;
		p->group = tl->group;
		p->thinking = v.preview_type != NULL &&
		    strcmp(v.preview_type, "agent.thinking") == 0;
		buf_init(&p->text, TL_MAX_PREVIEW);
	}
	/* Past the ceiling the preview stops growing and says so. */
	if (ev->type == API_EV_EVENT_DELTA && v.preview_text != NULL &&
	    buf_puts(&p->text, v.preview_text) != 0)
		p->truncated = 1;
}

/* Number of events. */
size_t
timeline_count(const struct timeline *tl)
{
	return tl->n;
}

/* Event i. */
const struct tl_event *
timeline_event(const struct timeline *tl, uint32_t i)
{
	return i < tl->n ? &tl->ev[i] : NULL;
}

/* Is index i an event within the view's limit? */
int
timeline_visible(const struct timeline *tl, const struct tl_view *v,
    uint32_t i)
{
	return i != TL_NONE && i < tl->n && i < v->limit;
}

/* The first row index whose event is at or past the limit. */
static size_t
tl_bound(const struct tl_rows *r, size_t limit)
{
	size_t	lo = 0, hi = r->n, mid;

	if (limit >= r->n && (r->n == 0 || r->v[r->n - 1] < limit))
		return r->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (r->v[mid] < limit)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The row list a view uses. */
static const struct tl_rows *
tl_rows_of(const struct timeline *tl, const struct tl_view *v)
{
	return v->details ? &tl->all : &tl->main;
}

/* Rows within the view. */
size_t
timeline_rows(const struct timeline *tl, const struct tl_view *v)
{
	return tl_bound(tl_rows_of(tl, v), v->limit);
}

/* The event of row k. */
uint32_t
timeline_row_event(const struct timeline *tl, const struct tl_view *v,
    size_t k)
{
	const struct tl_rows	*r = tl_rows_of(tl, v);

	return k < r->n ? r->v[k] : TL_NONE;
}

/* The row for event i. */
size_t
timeline_row_of(const struct timeline *tl, const struct tl_view *v,
    uint32_t i)
{
	size_t	k;

	if (i < tl->n && (tl->ev[i].flags & TL_FOLDED) &&
	    tl->ev[i].link != TL_NONE)
		i = tl->ev[i].link;
	k = tl_bound(tl_rows_of(tl, v), (size_t)i + 1);
	return k > 0 ? k - 1 : 0;
}

/* A lane's thread id. */
const char *
timeline_lane_thread(const struct timeline *tl, uint16_t lane)
{
	return lane < tl->nlanes ? tl->lanes[lane] : "";
}

/* A lane's agent name. */
const char *
timeline_lane_agent(const struct timeline *tl, uint16_t lane)
{
	return lane < tl->nlanes ? tl->agents[lane] : "";
}

/* Previews shown (none under a limit: they are not in the log). */
size_t
timeline_previews(const struct timeline *tl, const struct tl_view *v)
{
	return v->limit == SIZE_MAX ? tl->npreviews : 0;
}

/* Preview k. */
const struct tl_preview *
timeline_preview_at(const struct timeline *tl, size_t k)
{
	return k < tl->npreviews ? &tl->previews[k] : NULL;
}

/* Memory held by the index. */
size_t
timeline_memory(const struct timeline *tl)
{
	size_t	n = sizeof *tl;

	n += tl->cap * sizeof *tl->ev;
	n += tl->tcap * sizeof *tl->table;
	n += (tl->main.cap + tl->all.cap) * sizeof(uint32_t);
	n += tl->npreviews * sizeof *tl->previews;
	for (size_t k = 0; k < tl->npreviews; k++)
		n += tl->previews[k].text.size;
	return n;
}
