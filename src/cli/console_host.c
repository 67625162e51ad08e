/* ISC licence: see COPYING.  The console's host: cache, streams, client. */

#include "config.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/compiler.h"
#include "base/log.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "cli/conf.h"
#include "cli/connect.h"
#include "cli/console_host.h"
#include "cli/query.h"
#include "model/session.h"
#include "store/store.h"
#include "ui/keymap.h"
#include "ui/theme.h"
#include "wire/api_client.h"
#include "wire/json_scan.h"
#include "wire/stream.h"

#define CHOST_RELIST_MS		5000	/* sessions listed again */
#define CHOST_PAGE		100	/* sessions per list page */
#define CHOST_SEARCH_MS		2000	/* longest one search step runs */
#define CHOST_LOAD_BATCH	5000	/* cached events indexed per turn */
#define CHOST_SNAP_EVERY	256	/* replay: a reducer snapshot per */
#define CHOST_SNAP_BATCH	8192	/* replay: events folded per turn */

/*
 * Replay: the reducer's state after any prefix of the log.  A snapshot
 * (model_state_copy) is kept every CHOST_SNAP_EVERY events, built in the
 * background from the loop and by any fold that passes one; a position
 * is reached from the nearest snapshot at or before it, or from the
 * last position asked if that is nearer, never by refolding the log.
 * Once a session is replayed, the host's own fold of the events it
 * indexes (chost_event) keeps the snapshots it passes too, so a log
 * still being indexed has its snapshots as soon as its events.
 */
struct chost_replay {
	struct model_session	**snaps;	/* snaps[k]: k * EVERY events */
	size_t			  nsnaps;
	struct model_session	 *cur;		/* after cur_n events */
	size_t			  cur_n;
	struct model_session	 *bld;		/* the builder's, bld_n */
	size_t			  bld_n;
	struct loop_timer	 *timer;
};

struct chost_sess {
	struct chost		*h;
	char			*id;
	int64_t			*seqs;		/* store seq per event, -1 */
	char			**ids;		/* event id while seq is -1 */
	uint32_t		 n, cap;
	struct stream		*stream;
	int			 loading;	/* cached events still coming */
	int			 full;		/* history marked complete */
	/* The state, folded by the model's reducer from every event. */
	struct model_session	 ms;
	/* What the session object says (listing, cache). */
	enum console_status	 listed;	/* until a status event */
	char			*title;
	char			*agent;
	char			*model;
	int64_t			 created_us;
	struct chost_replay	*rp;		/* once replayed */
};

struct chost {
	struct loop		*loop;
	struct store		*store;
	struct api_client	*client;
	struct stream_mgr	*mgr;
	struct console		*con;
	char			*user;
	struct chost_sess	**sess;
	size_t			 nsess;
	struct loop_timer	*relist;
	struct api_request	*listing;
	struct chost_sess	**loadq;	/* sessions to load, in order */
	size_t			 nloadq;
	struct store_iter	*load_it;	/* the first one's events */
	struct loop_timer	*load_timer;
	size_t			 load_limit;	/* events per session */
	char			**agents;	/* names for :new */
	char			**envs;
};

static void	chost_session_object(struct chost_sess *, json_t *);
static void	chost_load_cb(struct loop_timer *, void *);
static void	chost_follow(struct chost *, struct chost_sess *);
static void	chost_push_state(struct chost_sess *);

/* The session called id, or NULL. */
static struct chost_sess *
chost_find(struct chost *h, const char *id)
{
	for (size_t i = 0; i < h->nsess; i++)
		if (strcmp(h->sess[i]->id, id) == 0)
			return h->sess[i];
	return NULL;
}

/* The session called id, added if new. */
static struct chost_sess *
chost_get(struct chost *h, const char *id)
{
	struct chost_sess	*s;

	if ((s = chost_find(h, id)) != NULL)
		return s;
	s = xcalloc(1, sizeof *s);
	s->h = h;
	s->id = xstrdup(id);
	s->listed = CONSOLE_IDLE;
	model_state_init(&s->ms);
	h->sess = xreallocarray(h->sess, h->nsess + 1, sizeof *h->sess);
	h->sess[h->nsess++] = s;
	(void)console_session(h->con, id);
	return s;
}

/* The console's status for the reducer's state ms of session s. */
static enum console_status
chost_status(const struct chost_sess *s, const struct model_session *ms)
{
	switch (ms->status) {
	case MODEL_STATUS_RUNNING:
		return CONSOLE_RUNNING;
	case MODEL_STATUS_RESCHEDULING:
		return CONSOLE_RESCHEDULED;
	case MODEL_STATUS_TERMINATED:
		return CONSOLE_TERMINATED;
	case MODEL_STATUS_IDLE:
		return (model_attention(ms) & MODEL_ATTN_ERROR) ?
		    CONSOLE_ERROR : CONSOLE_IDLE;
	default:
		return s->listed;	/* no status event yet */
	}
}

/*
 * The console's view of the reducer's state ms for session s; the
 * pending calls go in *pend (caller frees), the strings are borrowed.
 */
static void
chost_fill_state(const struct chost_sess *s, const struct model_session *ms,
    struct console_state *st, struct console_pending **pend)
{
	struct model_usage	 u;
	int64_t			 micro;
	size_t			 n = 0;

	memset(st, 0, sizeof *st);
	st->status = chost_status(s, ms);
	st->title = s->title;
	st->agent = s->agent;
	st->model = ms->model[0] != '\0' ? ms->model : s->model;
	st->stop_reason = ms->stop_reason[0] != '\0' ? ms->stop_reason :
	    NULL;
	st->created_us = s->created_us;
	st->last_event_us = ms->last_us;
	st->tool = ms->tool[0] != '\0' ? ms->tool : NULL;
	st->tool_since_us = ms->tool_since_us;
	model_usage_total(ms, &u);
	st->tokens_in = u.input_tokens + u.cache_read_tokens +
	    u.cache_creation_tokens;
	st->tokens_out = u.output_tokens;
	micro = model_cost_microusd(ms);
	st->cost_cents = micro < 0 ? -1 : (micro + 5000) / 10000;
	st->errors = (int)ms->errors;
	/* Confirmations, then custom tool calls; the console finds each
	 * one's place in the log by its id. */
	*pend = xcalloc(ms->nconfirm + ms->ncustom + 1, sizeof **pend);
	for (size_t i = 0; i < ms->nconfirm; i++, n++) {
		(*pend)[n].event_id = ms->confirm[i].event_id;
		(*pend)[n].seq = CONSOLE_SEQ_UNKNOWN;
		(*pend)[n].since_us = ms->confirm[i].since_us;
	}
	for (size_t i = 0; i < ms->ncustom; i++, n++) {
		(*pend)[n].event_id = ms->custom[i].event_id;
		(*pend)[n].seq = CONSOLE_SEQ_UNKNOWN;
		(*pend)[n].custom = 1;
		(*pend)[n].since_us = ms->custom[i].since_us;
	}
	st->pending = *pend;
	st->npending = n;
}

/* Give the console the reducer's state. */
static void
chost_push_state(struct chost_sess *s)
{
	struct console_state	 st;
	struct console_pending	*pend;

	chost_fill_state(s, &s->ms, &st, &pend);
	console_set_state(s->h->con, s->id, &st);
	free(pend);
}

/* Keep ms, the state after n events of s, if it is the next snapshot. */
static void
chost_replay_keep(struct chost_sess *s, const struct model_session *ms,
    size_t n)
{
	struct chost_replay	*rp = s->rp;

	if (rp == NULL || n % CHOST_SNAP_EVERY != 0 ||
	    n / CHOST_SNAP_EVERY != rp->nsnaps)
		return;
	rp->snaps = xreallocarray(rp->snaps, rp->nsnaps + 1,
	    sizeof *rp->snaps);
	rp->snaps[rp->nsnaps++] = model_state_copy(ms);
}

/* Add an event to a session: index it, summarise it, show it. */
static void
chost_event(struct chost_sess *s, struct api_event *ev, int64_t seq)
{
	uint32_t	idx = s->n;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->seqs = xreallocarray(s->seqs, s->cap, sizeof *s->seqs);
		s->ids = xreallocarray(s->ids, s->cap, sizeof *s->ids);
	}
	s->seqs[idx] = seq;
	s->ids[idx] = seq < 0 && ev->id != NULL ? xstrdup(ev->id) : NULL;
	s->n++;
	(void)model_apply(&s->ms, ev);
	/* Replayed: the live fold passes the next snapshot, keep it. */
	chost_replay_keep(s, &s->ms, s->n);
	console_event(s->h->con, s->id, idx, ev);
}

/* The console's load: read event idx of a session from the store. */
static struct api_event *
chost_load(void *arg, const char *id, uint32_t idx)
{
	struct chost		*h = arg;
	struct chost_sess	*s = chost_find(h, id);
	struct api_event	*ev = NULL;
	struct buf		 b;
	char			*cause = NULL;
	int64_t			 seq;

	if (s == NULL || idx >= s->n)
		return NULL;
	if (s->seqs[idx] < 0) {
		/* A live event: its place in the store is known once the
		 * writer has committed it. */
		if (store_event_find(h->store, s->id, s->ids[idx], &seq,
		    &cause) != 1) {
			free(cause);
			return NULL;
		}
		s->seqs[idx] = seq;
		free(s->ids[idx]);
		s->ids[idx] = NULL;
	}
	buf_init(&b, BUF_UNBOUNDED);
	if (store_event_raw(h->store, s->seqs[idx], &b, &cause) == 1)
		ev = api_event_parse_trusted(buf_cstr(&b), b.len, &cause);
	if (ev == NULL)
		log_warn("%s: event %u: %s", id, idx, cause != NULL ? cause :
		    "not in the cache");
	free(cause);
	buf_clear(&b);
	return ev;
}

/* The replay of session s, created with the state before any event. */
static struct chost_replay *
chost_replay_get(struct chost_sess *s)
{
	struct chost_replay	*rp;
	struct model_session	 ms;

	if (s->rp != NULL)
		return s->rp;
	rp = s->rp = xcalloc(1, sizeof *rp);
	model_state_init(&ms);
	if (s->model != NULL)
		model_state_set_model(&ms, s->model);
	rp->snaps = xcalloc(1, sizeof *rp->snaps);
	rp->snaps[rp->nsnaps++] = model_state_copy(&ms);
	model_state_clear(&ms);
	return rp;
}

/*
 * Fold events *n up to to of session s into ms, keeping a snapshot at
 * every multiple of CHOST_SNAP_EVERY not kept yet; -1 if an event
 * cannot be read from the cache.
 */
static int
chost_replay_fold(struct chost_sess *s, struct model_session *ms, size_t *n,
    size_t to)
{
	struct api_event	*ev;

	while (*n < to) {
		if ((ev = chost_load(s->h, s->id, (uint32_t)*n)) == NULL)
			return -1;
		(void)model_apply(ms, ev);
		api_event_free(ev);
		(*n)++;
		chost_replay_keep(s, ms, *n);
	}
	return 0;
}

/* The snapshot builder's turn: another batch from the last snapshot. */
static void
chost_replay_build(struct loop_timer *t, void *arg)
{
	struct chost_sess	*s = arg;
	struct chost_replay	*rp = s->rp;
	size_t			 last = (rp->nsnaps - 1) * CHOST_SNAP_EVERY;

	if (rp->bld == NULL || rp->bld_n < last) {
		model_state_free(rp->bld);
		rp->bld = model_state_copy(rp->snaps[rp->nsnaps - 1]);
		rp->bld_n = last;
	}
	if (chost_replay_fold(s, rp->bld, &rp->bld_n, AD_MIN(rp->bld_n +
	    CHOST_SNAP_BATCH, s->n)) != 0) {
		log_warn("%s: replay snapshots stop at event %zu", s->id,
		    rp->bld_n);
		return;
	}
	/* While the log is still being indexed, look again later. */
	if (s->n / CHOST_SNAP_EVERY >= rp->nsnaps)
		loop_timer_arm(t, 1);
	else if (s->loading)
		loop_timer_arm(t, 50);
}

/* The console's state_at: the state after the first n events. */
static int
chost_state_at(void *arg, const char *id, size_t n,
    void (*set)(void *, const struct console_state *), void *setarg)
{
	struct chost		*h = arg;
	struct chost_sess	*s = chost_find(h, id);
	struct chost_replay	*rp;
	struct console_state	 st;
	struct console_pending	*pend;
	size_t			 k, base;

	if (s == NULL || n > s->n)
		return -1;
	rp = chost_replay_get(s);
	if (rp->timer == NULL) {
		rp->timer = loop_timer_create(h->loop, chost_replay_build, s);
		loop_timer_arm(rp->timer, 1);
	}
	k = AD_MIN(n / CHOST_SNAP_EVERY, rp->nsnaps - 1);
	base = k * CHOST_SNAP_EVERY;
	if (rp->cur == NULL || rp->cur_n > n || rp->cur_n < base) {
		model_state_free(rp->cur);
		rp->cur = model_state_copy(rp->snaps[k]);
		rp->cur_n = base;
	}
	if (chost_replay_fold(s, rp->cur, &rp->cur_n, n) != 0) {
		model_state_free(rp->cur);
		rp->cur = NULL;
		return -1;
	}
	chost_fill_state(s, rp->cur, &st, &pend);
	set(setarg, &st);
	free(pend);
	return 0;
}

/* How many events of session id the replay's snapshots cover. */
size_t
chost_replay_ready(struct chost *h, const char *id)
{
	struct chost_sess	*s = chost_find(h, id);

	if (s == NULL || s->rp == NULL)
		return 0;
	return AD_MIN((s->rp->nsnaps - 1) * CHOST_SNAP_EVERY +
	    CHOST_SNAP_EVERY - 1, s->n);
}

/* Free a session's replay. */
static void
chost_replay_free(struct chost_replay *rp)
{
	if (rp == NULL)
		return;
	loop_timer_free(rp->timer);
	for (size_t i = 0; i < rp->nsnaps; i++)
		model_state_free(rp->snaps[i]);
	free(rp->snaps);
	model_state_free(rp->cur);
	model_state_free(rp->bld);
	free(rp);
}

/* A send finished. */
static void
chost_sent(const struct api_response *r, void *arg)
{
	struct chost	*h = ((void **)arg)[0];
	uint64_t	 token = (uint64_t)(uintptr_t)((void **)arg)[1];

	console_sent(h->con, token, r->status == API_OK ? NULL :
	    r->error != NULL && r->error->message != NULL ? r->error->message :
	    "no answer");
	free(arg);
}

/* The console's send: POST the events. */
static void
chost_send(void *arg, const char *id, const char *body, uint64_t token)
{
	struct chost	*h = arg;
	json_t		*events;
	void		**cb;

	if (h->client == NULL) {
		console_sent(h->con, token, "offline: nothing can be sent");
		return;
	}
	if ((events = json_loads(body, 0, NULL)) == NULL) {
		console_sent(h->con, token, "could not encode the request");
		return;
	}
	cb = xcalloc(2, sizeof *cb);
	cb[0] = h;
	cb[1] = (void *)(uintptr_t)token;
	(void)api_events_send(h->client, id, events, chost_sent, cb);
	json_decref(events);
}

/* The console's audit: into the store. */
static void
chost_audit(void *arg, const char *id, const char *action, const char *ids,
    const char *detail)
{
	struct chost	*h = arg;

	(void)store_audit_put(h->store, h->user, id, action, ids, detail);
}

/* The audit log as lines, newest first. */
static char **
chost_audit_list(void *arg, size_t max)
{
	struct chost		*h = arg;
	struct store_record	*r = NULL;
	size_t			 n = 0, k = 0;
	char			**v, *cause = NULL, when[CLOCK_RFC3339_LEN];

	if (store_flush(h->store, &cause) != 0 ||
	    store_audit_list(h->store, NULL, &r, &n, &cause) != 0) {
		v = xcalloc(2, sizeof *v);
		xasprintf(&v[0], "the audit log cannot be read: %s", cause);
		free(cause);
		return v;
	}
	v = xcalloc(AD_MIN(n, max) + 1, sizeof *v);
	for (size_t i = n; i > 0 && k < max; i--) {
		const struct store_record	*rr = &r[i - 1];

		clock_format(rr->time_us, 0, when, sizeof when);
		xasprintf(&v[k++], "%s  %s  %s  %s  %s  %s", when,
		    rr->user ? rr->user : "",
		    rr->session_id ? rr->session_id : "",
		    rr->action ? rr->action : "",
		    rr->event_ids ? rr->event_ids : "",
		    rr->detail ? rr->detail : "");
	}
	store_records_free(r, n);
	return v;
}

/* :sql: a read-only query over the cache, as an aligned table. */
static char *
chost_sql(void *arg, const char *sql, char **cause)
{
	struct chost	*h = arg;
	struct buf	 out;

	if (h->store == NULL) {
		*cause = xstrdup("no cache to query");
		return NULL;
	}
	buf_init(&out, BUF_UNBOUNDED);
	if (query_run(store_path(h->store), sql, QUERY_DEFAULT_LIMIT, 0, &out,
	    cause) < 0) {
		buf_clear(&out);
		return NULL;
	}
	if (buf_putc(&out, '\0') != 0)
		fatalx("sql: unbounded buffer refused");
	return buf_steal(&out, NULL);
}

/* The console's search: the next event whose JSON holds the text. */
static int64_t
chost_search(void *arg, const char *id, const char *needle, int64_t from,
    int dir)
{
	struct chost		*h = arg;
	struct chost_sess	*s = chost_find(h, id);
	struct api_event	*ev;
	int64_t			 start = clock_mono_us(), found = -1;
	size_t			 nlen = strlen(needle);

	if (s == NULL || nlen == 0)
		return -1;
	for (int64_t i = from; i >= 0 && i < (int64_t)s->n; i += dir) {
		if ((ev = chost_load(h, id, (uint32_t)i)) == NULL)
			continue;
		if (strcasestr(ev->raw, needle) != NULL)
			found = i;
		api_event_free(ev);
		if (found >= 0)
			return found;
		if (clock_mono_us() - start > CHOST_SEARCH_MS * 1000) {
			/* Long logs: stop here; n goes on from this row. */
			ui_toast(console_ui(h->con), 0, "no match yet after "
			    "%lld events; n searches on",
			    (long long)(i - from) * dir + 1);
			return i;
		}
	}
	return -1;
}

/* A session was created. */
static void
chost_created(const struct api_response *r, void *arg)
{
	struct chost	*h = arg;
	json_t		*s;
	const char	*id;

	if (r->status != API_OK) {
		ui_toast(console_ui(h->con), 1, "new session: %s",
		    r->error != NULL && r->error->message != NULL ?
		    r->error->message : "failed");
		return;
	}
	if ((s = json_loads(r->body, 0, NULL)) == NULL)
		return;
	if ((id = json_string_value(json_object_get(s, "id"))) != NULL) {
		struct chost_sess	*cs = chost_get(h, id);

		chost_session_object(cs, s);
		chost_push_state(cs);
		chost_follow(h, cs);
		ui_toast(console_ui(h->con), 0, "created %s", id);
	}
	json_decref(s);
}

/* The console's :new AGENT ENV [TITLE]. */
static int
chost_create_session(void *arg, const char *agent, const char *env,
    const char *title, char **cause)
{
	struct chost	*h = arg;
	json_t		*body;

	if (h->client == NULL) {
		xasprintf(cause, "offline: cannot create sessions");
		return -1;
	}
	body = json_pack("{s:s, s:s}", "agent", agent, "environment_id", env);
	if (title != NULL)
		json_object_set_new(body, "title", json_string(title));
	(void)api_session_create(h->client, body, chost_created, h);
	json_decref(body);
	return 0;
}

/* Names for completion. */
static char **
chost_words(void *arg, const char *what)
{
	struct chost	*h = arg;
	char		**src, **v;
	size_t		  n = 0;

	src = strcmp(what, "agent") == 0 ? h->agents : h->envs;

	while (src != NULL && src[n] != NULL)
		n++;
	v = xcalloc(n + 1, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = xstrdup(src[i]);
	return v;
}

/* The console's quit: stop the loop (agents keep running). */
static void
chost_quit(void *arg)
{
	struct chost	*h = arg;

	loop_exit(h->loop, CMD_EXIT_OK);
}

/* Take a session object's title, agent and model. */
static void
chost_session_object(struct chost_sess *s, json_t *o)
{
	json_t		*agent = json_object_get(o, "agent"), *model;
	const char	*title, *ts, *st;
	int64_t		 us;

	title = json_string_value(json_object_get(o, "title"));
	free(s->title);
	s->title = title != NULL ? xstrdup(title) : NULL;
	free(s->agent);
	s->agent = json_string_value(json_object_get(agent, "name")) ?
	    xstrdup(json_string_value(json_object_get(agent, "name"))) : NULL;
	model = json_object_get(agent, "model");
	if (json_is_object(model))
		model = json_object_get(model, "id");
	free(s->model);
	s->model = json_string_value(model) != NULL ?
	    xstrdup(json_string_value(model)) : NULL;
	if (s->model != NULL && s->ms.model[0] == '\0')
		model_state_set_model(&s->ms, s->model);
	ts = json_string_value(json_object_get(o, "created_at"));
	if (ts != NULL && clock_parse(ts, strlen(ts), &us) == 0)
		s->created_us = us;
	/* Until a status event, the listed status is all there is. */
	st = json_string_value(json_object_get(o, "status"));
	if (st != NULL)
		s->listed = strcmp(st, "running") == 0 ? CONSOLE_RUNNING :
		    strcmp(st, "rescheduling") == 0 ? CONSOLE_RESCHEDULED :
		    strcmp(st, "terminated") == 0 ? CONSOLE_TERMINATED :
		    CONSOLE_IDLE;
}

/* Stream callbacks: the next event of the log. */
static void
chost_stream_event(struct stream *st, struct api_event *ev, void *arg)
{
	struct chost_sess	*s = arg;

	(void)store_event_put(s->h->store, s->id, ev);
	chost_event(s, ev, -1);
	chost_push_state(s);
}

/* A preview of a message being written. */
static void
chost_stream_preview(struct stream *st, const struct api_event *ev,
    void *arg)
{
	struct chost_sess	*s = arg;

	console_preview(s->h->con, s->id, (struct api_event *)ev);
}

/* A frame that was not an event: keep it for the record. */
static void
chost_stream_decode(struct stream *st, const char *p, size_t len,
    const char *why, void *arg)
{
	struct chost_sess	*s = arg;

	(void)store_decode_error_put(s->h->store, s->id, why, p, len);
	log_warn("%s: skipped a malformed event: %s", s->id, why);
}

/* A stream failed for good: say so. */
static void
chost_stream_state(struct stream *st, enum stream_state state,
    const struct api_error *err, void *arg)
{
	struct chost_sess	*s = arg;

	if (state == STREAM_FAILED)
		ui_toast(console_ui(s->h->con), 1, "%s: %s", s->id,
		    err != NULL && err->message != NULL ? err->message :
		    "the stream failed");
	else if (state == STREAM_BACKOFF && err != NULL)
		log_info("%s: reconnecting: %s", s->id, err->message ?
		    err->message : "");
	/* Live: the history is all in the cache (export need not fetch). */
	if (state == STREAM_LIVE && !s->full) {
		(void)store_sync_set_full(s->h->store, s->id);
		s->full = 1;
	}
}

/* Is the event in the cache already?  (Resuming: see stream.h.) */
static int
chost_stream_known(struct stream *st, const char *id, void *arg)
{
	struct chost_sess	*s = arg;

	return connect_known(s->h->store, s->id, id);
}

/* Follow a session from where the store left off. */
static void
chost_follow(struct chost *h, struct chost_sess *s)
{
	struct store_sync	 ss;
	struct stream_sync	 from;
	char			*cause = NULL;
	int			 r;

	if (h->mgr == NULL || s->stream != NULL || s->loading)
		return;
	memset(&from, 0, sizeof from);
	r = store_sync_get(h->store, s->id, &ss, &cause);
	if (r == 1 && ss.last_processed_at != NULL) {
		from.processed_at = ss.last_processed_at;
		from.ids = ss.seen_ids;
		from.nids = ss.nseen;
	}
	free(cause);
	s->stream = stream_follow(h->mgr, s->id, r == 1 &&
	    ss.last_processed_at != NULL ? &from : NULL, s);
	if (r == 1)
		store_sync_clear(&ss);
}

/* A page of sessions arrived: note them, follow them, ask for more. */
static void
chost_listed(const struct api_response *r, void *arg)
{
	struct chost		*h = arg;
	struct chost_sess	*s;
	struct api_list		 l;
	json_t			*page, *o;
	const char		*id, *next;
	char			*text, *cause = NULL;
	size_t			 i;

	h->listing = NULL;
	if (r->status != API_OK) {
		ui_toast(console_ui(h->con), 1, "listing sessions: %s",
		    r->error != NULL && r->error->message != NULL ?
		    r->error->message : "failed");
		goto again;
	}
	if ((page = json_loadb(r->body, r->bodylen, 0, NULL)) == NULL)
		goto again;
	json_array_foreach(json_object_get(page, "data"), i, o) {
		if ((id = json_string_value(json_object_get(o, "id"))) ==
		    NULL)
			continue;
		text = json_dumps(o, JSON_COMPACT);
		if (text != NULL) {
			(void)store_session_put(h->store, text, strlen(text),
			    &cause);
			free(cause);
			cause = NULL;
			free(text);
		}
		s = chost_get(h, id);
		chost_session_object(s, o);
		chost_push_state(s);
		chost_follow(h, s);
	}
	next = json_string_value(json_object_get(page, "next_page"));
	if (next != NULL && *next != '\0') {
		memset(&l, 0, sizeof l);
		l.limit = CHOST_PAGE;
		l.page = next;
		h->listing = api_sessions_list(h->client, &l, chost_listed, h);
	}
	json_decref(page);
again:
	if (h->listing == NULL)
		loop_timer_arm(h->relist, CHOST_RELIST_MS);
}

/* Names of agents or environments from a list answer. */
static void
chost_names(const struct api_response *r, char ***dst)
{
	json_t	*page, *o;
	size_t	 i, n = 0;

	if (r->status != API_OK ||
	    (page = json_loadb(r->body, r->bodylen, 0, NULL)) == NULL)
		return;
	ui_strv_free(*dst);
	*dst = xcalloc(json_array_size(json_object_get(page, "data")) + 1,
	    sizeof **dst);
	json_array_foreach(json_object_get(page, "data"), i, o)
		if (json_string_value(json_object_get(o, "id")) != NULL)
			(*dst)[n++] = xstrdup(json_string_value(
			    json_object_get(o, "id")));
	json_decref(page);
}

/* The agents list arrived. */
static void
chost_agents(const struct api_response *r, void *arg)
{
	chost_names(r, &((struct chost *)arg)->agents);
}

/* The environments list arrived. */
static void
chost_envs(const struct api_response *r, void *arg)
{
	chost_names(r, &((struct chost *)arg)->envs);
}

/* Time to list the sessions again (new ones appear). */
static void
chost_relist_cb(struct loop_timer *t, void *arg)
{
	struct chost	*h = arg;
	struct api_list	 l;

	if (h->listing != NULL)
		return;
	memset(&l, 0, sizeof l);
	l.limit = CHOST_PAGE;
	h->listing = api_sessions_list(h->client, &l, chost_listed, h);
}

/* R: list again now. */
static void
chost_refresh(void *arg)
{
	chost_relist_cb(NULL, arg);
}

/* Create a host. */
struct chost *
chost_create(struct loop *loop, struct store *store, struct api_client *c)
{
	struct chost	*h;
	struct passwd	*pw;
	const char	*u = getenv("USER");

	h = xcalloc(1, sizeof *h);
	h->loop = loop;
	h->store = store;
	h->client = c;
	if (u == NULL || *u == '\0')
		u = (pw = getpwuid(getuid())) != NULL ? pw->pw_name : "unknown";
	h->user = xstrdup(u);
	h->load_limit = SIZE_MAX;
	h->relist = loop_timer_create(loop, chost_relist_cb, h);
	h->load_timer = loop_timer_create(loop, chost_load_cb, h);
	return h;
}

/* Open the console over this host. */
int
chost_open(struct chost *h, const struct ui_options *uo, struct keymap *km,
    const struct console_config *cfg, char **cause)
{
	struct console_host	ch;

	memset(&ch, 0, sizeof ch);
	ch.arg = h;
	ch.load = chost_load;
	ch.send = chost_send;
	ch.audit = chost_audit;
	ch.audit_list = chost_audit_list;
	ch.search = chost_search;
	ch.sql = chost_sql;
	ch.create = chost_create_session;
	ch.words = chost_words;
	ch.state_at = chost_state_at;
	ch.refresh = chost_refresh;
	ch.quit = chost_quit;
	if ((h->con = console_create(h->loop, uo, km, cfg, &ch, cause)) ==
	    NULL)
		return -1;
	return 0;
}

/*
 * Index up to budget cached events of the sessions waiting to be loaded,
 * in order; a session whose events are all in is shown whole and, when
 * live, followed from there.  -1 with *cause if the store fails.
 */
static int
chost_load_step(struct chost *h, size_t budget, char **cause)
{
	struct store_event	 e;
	struct api_event	*ev;
	struct chost_sess	*s;
	char			*why = NULL;
	int			 r = 0;

	while (budget > 0 && h->nloadq > 0) {
		s = h->loadq[0];
		if (h->load_it == NULL && (h->load_it = store_iter_events(
		    h->store, s->id, 0, NULL, STORE_ITER_RAW, cause)) == NULL)
			return -1;
		while (budget > 0 && s->n < h->load_limit &&
		    (r = store_iter_next(h->load_it, &e, &why)) == 1) {
			budget--;
			if (e.processed_us < 0)
				continue;	/* a queued echo */
			if ((ev = api_event_parse_trusted(e.raw, e.rawlen,
			    &why)) == NULL) {
				log_warn("%s: cached event %lld: %s", s->id,
				    (long long)e.seq, why);
				free(why);
				why = NULL;
				continue;
			}
			chost_event(s, ev, e.seq);
		}
		if (r < 0) {
			*cause = why;
			return -1;
		}
		if (r == 1 && s->n < h->load_limit)
			break;		/* out of budget, more to come */
		store_iter_free(h->load_it);
		h->load_it = NULL;
		memmove(&h->loadq[0], &h->loadq[1], (h->nloadq - 1) *
		    sizeof *h->loadq);
		h->nloadq--;
		s->loading = 0;
		chost_push_state(s);
		chost_follow(h, s);
	}
	return 0;
}

/* The loader's turn: another batch, then let the loop breathe. */
static void
chost_load_cb(struct loop_timer *t, void *arg)
{
	struct chost	*h = arg;
	char		*cause = NULL;

	if (chost_load_step(h, CHOST_LOAD_BATCH, &cause) != 0) {
		ui_toast(console_ui(h->con), 1, "the cache: %s", cause);
		free(cause);
		return;
	}
	/* 1 ms, not 0: a timer due now runs again in the same turn of the
	 * loop, and the terminal would wait for the whole load. */
	if (h->nloadq > 0)
		loop_timer_arm(h->load_timer, 1);
}

/* Show the cached sessions, then their events (in batches unless sync). */
int
chost_load_cache(struct chost *h, const char *only, int sync, char **cause)
{
	struct store_session	*list = NULL;
	struct chost_sess	*s;
	struct buf		 b;
	size_t			 n = 0;
	char			*why = NULL;

	if (store_sessions_list(h->store, &list, &n, cause) != 0)
		return -1;
	for (size_t i = n; i > 0; i--) {
		if (only != NULL && strcmp(list[i - 1].id, only) != 0)
			continue;
		s = chost_get(h, list[i - 1].id);
		buf_init(&b, BUF_UNBOUNDED);
		if (store_session_raw(h->store, s->id, &b, &why) == 1) {
			json_t	*o = json_loadb(b.data, b.len, 0, NULL);

			if (o != NULL)
				chost_session_object(s, o);
			json_decref(o);
		}
		free(why);
		why = NULL;
		buf_clear(&b);
		if (s->title == NULL && list[i - 1].title != NULL)
			s->title = xstrdup(list[i - 1].title);
		chost_push_state(s);
		if (s->loading || s->n > 0)
			continue;
		s->loading = 1;
		h->loadq = xreallocarray(h->loadq, h->nloadq + 1,
		    sizeof *h->loadq);
		h->loadq[h->nloadq++] = s;
	}
	store_sessions_free(list, n);
	if (sync)
		return chost_load_step(h, SIZE_MAX, cause);
	loop_timer_arm(h->load_timer, 0);
	return 0;
}

/*
 * Index the cached events of session id now, up to event_id (NULL: up to
 * n events), leaving the rest to the loader's batches.  -1 with *cause
 * if the store fails, or if event_id is not an event of the session.
 */
int
chost_load_until(struct chost *h, const char *id, const char *event_id,
    size_t n, char **cause)
{
	struct chost_sess	*s = chost_find(h, id);
	int64_t			 seq = -1;

	if (s == NULL)
		return 0;
	/* Indexed for a replay: the fold of the events indexed keeps the
	 * replay's snapshots as it passes them (chost_replay_keep), so the
	 * position opened is reached from the nearest one, not by reading
	 * and folding every event before it a second time. */
	(void)chost_replay_get(s);
	if (event_id != NULL) {
		if (store_event_find(h->store, id, event_id, &seq,
		    cause) != 1) {
			if (*cause == NULL)
				xasprintf(cause, "replay: no event %s in %s",
				    event_id, id);
			return -1;
		}
	}
	while (s->loading && h->nloadq > 0) {
		if (event_id == NULL ? s->n >= n : s->n > 0 &&
		    s->seqs[s->n - 1] >= seq)
			break;
		if (chost_load_step(h, event_id == NULL ? AD_MIN(n - s->n,
		    CHOST_LOAD_BATCH) : CHOST_LOAD_BATCH, cause) != 0)
			return -1;
	}
	return 0;
}

/* Load only the first n events of each session (a log prefix). */
void
chost_set_limit(struct chost *h, size_t n)
{
	h->load_limit = n;
}

/* Go live: list sessions, follow them, keep listing. */
void
chost_go_live(struct chost *h)
{
	static const char *const	 deltas[] = { "agent.message", NULL };
	static const struct stream_ops	 ops = {
		.event = chost_stream_event,
		.preview = chost_stream_preview,
		.decode_error = chost_stream_decode,
		.state = chost_stream_state,
		.known = chost_stream_known,
	};
	struct stream_opts		 so;
	struct api_list			 l;

	if (h->client == NULL)
		return;
	memset(&so, 0, sizeof so);
	so.deltas = deltas;
	h->mgr = stream_mgr_create(h->client, &so, &ops);
	memset(&l, 0, sizeof l);
	l.limit = CHOST_PAGE;
	(void)api_agents_list(h->client, &l, chost_agents, h);
	(void)api_environments_list(h->client, &l, chost_envs, h);
	chost_relist_cb(NULL, h);
}

/* The console. */
struct console *
chost_console(struct chost *h)
{
	return h->con;
}

/* Free a session's record. */
static void
chost_sess_free(struct chost_sess *s)
{
	for (uint32_t i = 0; i < s->n; i++)
		free(s->ids[i]);
	model_state_clear(&s->ms);
	chost_replay_free(s->rp);
	free(s->seqs);
	free(s->ids);
	free(s->title);
	free(s->agent);
	free(s->model);
	free(s->id);
	free(s);
}

/* Stop everything. */
void
chost_free(struct chost *h)
{
	if (h == NULL)
		return;
	if (h->mgr != NULL)
		stream_mgr_free(h->mgr);
	loop_timer_free(h->relist);
	loop_timer_free(h->load_timer);
	if (h->load_it != NULL)
		store_iter_free(h->load_it);
	free(h->loadq);
	console_free(h->con);
	for (size_t i = 0; i < h->nsess; i++)
		chost_sess_free(h->sess[i]);
	free(h->sess);
	ui_strv_free(h->agents);
	ui_strv_free(h->envs);
	free(h->user);
	free(h);
}

/* A yes/no setting. */
static int
chost_bool(const char *v, int *out)
{
	if (strcasecmp(v, "yes") == 0 || strcasecmp(v, "on") == 0 ||
	    strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0)
		*out = 1;
	else if (strcasecmp(v, "no") == 0 || strcasecmp(v, "off") == 0 ||
	    strcmp(v, "0") == 0 || strcasecmp(v, "false") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

/* Read [ui] and [keys]. */
int
chost_config(const struct conf *cf, const struct cmd_globals *g,
    struct ui_options *uo, struct console_config *cc, struct keymap *km,
    char **cause)
{
	static const char	*bools[] = { "ascii", "mouse", "header",
	    "hints" };
	const char		*v, *key;
	double			 secs;
	int			 b, d;
	char			*why = NULL;

	memset(uo, 0, sizeof *uo);
	memset(cc, 0, sizeof *cc);
	uo->backend = "ncurses";
	uo->theme = "default";
	uo->depth = -1;
	uo->readonly = g->readonly;
	cc->stall_ms = 120000;
	uo->notify = UI_NOTIFY_BEL;
	uo->clipboard = UI_CLIPBOARD_OSC52;
	if ((v = conf_get(cf, "ui", "theme")) != NULL)
		uo->theme = v;
	if ((v = conf_get(cf, "ui", "backend")) != NULL)
		uo->backend = v;
	if (g->ui != NULL)
		uo->backend = g->ui;
	if ((v = conf_get(cf, "ui", "colors")) != NULL &&
	    strcmp(v, "auto") != 0) {
		if ((d = theme_depth_parse(v)) < 0) {
			xasprintf(cause, "%s: [ui] colors: \"%s\" is not auto, "
			    "none, 16, 256 or truecolor", conf_path(cf), v);
			return -1;
		}
		uo->depth = d;
	}
	for (size_t i = 0; i < AD_NITEMS(bools); i++) {
		if ((v = conf_get(cf, "ui", bools[i])) == NULL)
			continue;
		if (chost_bool(v, &b) != 0) {
			xasprintf(cause, "%s: [ui] %s: say yes or no",
			    conf_path(cf), bools[i]);
			return -1;
		}
		if (i == 0)
			uo->ascii = b;
		else if (i == 1)
			uo->mouse = b;
		else if (i == 2)
			uo->no_header = !b;
		else
			uo->no_hints = !b;
	}
	if ((v = conf_get(cf, "ui", "notify")) != NULL) {
		if (strcmp(v, "bel") == 0)
			uo->notify = UI_NOTIFY_BEL;
		else if (strcmp(v, "osc9") == 0)
			uo->notify = UI_NOTIFY_OSC9;
		else if (strcmp(v, "off") == 0)
			uo->notify = UI_NOTIFY_OFF;
		else {
			xasprintf(cause, "%s: [ui] notify: \"%s\" is not bel, "
			    "osc9 or off", conf_path(cf), v);
			return -1;
		}
	}
	if ((v = conf_get(cf, "ui", "clipboard")) != NULL) {
		if (strcmp(v, "osc52") == 0)
			uo->clipboard = UI_CLIPBOARD_OSC52;
		else if (strcmp(v, "off") == 0)
			uo->clipboard = UI_CLIPBOARD_OFF;
		else {
			xasprintf(cause, "%s: [ui] clipboard: \"%s\" is not "
			    "osc52 or off", conf_path(cf), v);
			return -1;
		}
	}
	if ((v = conf_get(cf, "ui", "stall")) != NULL) {
		if (str_to_seconds(v, 7 * 86400, &secs, &why) != 0) {
			xasprintf(cause, "%s: [ui] stall: %s", conf_path(cf),
			    why);
			free(why);
			return -1;
		}
		cc->stall_ms = (int64_t)(secs * 1000);
	}
	for (size_t i = 0; (key = conf_key_at(cf, "keys", i, &v)) != NULL;
	    i++) {
		if (keymap_bind(km, key, v, &why) != 0) {
			xasprintf(cause, "%s: [keys] %s", conf_path(cf), why);
			free(why);
			return -1;
		}
	}
	return 0;
}
