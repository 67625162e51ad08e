/* ISC licence: see COPYING.  The stream manager: history, then live. */

#include "config.h"

#include <sys/queue.h>

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/loop.h"
#include "base/xmalloc.h"
#include "wire/api_page.h"
#include "wire/api_retry.h"
#include "wire/seen.h"
#include "wire/sse_parser.h"
#include "wire/stream.h"

#define STREAM_MANY		16	/* more streams than this are "many" */
#define STREAM_MAX_PAGING	16	/* history pages in flight, at most */
#define STREAM_HELD_TOTAL	(64u << 20)	/* held by all streams, about */
#define STREAM_HELD_MIN		(64u << 10)	/* held by one, at least */
#define STREAM_SMALL_BUFFER	4096	/* their receive buffers */

struct stream {
	struct stream_mgr	*mgr;
	LIST_ENTRY(stream)	 entry;		/* live or dead list */
	char			*id;		/* the session */
	void			*udata;
	enum stream_state	 state;
	int			 dead;		/* unfollowed; freed soon */

	struct api_request	*sreq;		/* the SSE request */
	struct api_request	*preq;		/* a history page request */
	struct stream		*wait_next;	/* in the queue for a page */
	int			 waiting;	/* queued for a page */
	struct sse_parser	*sse;		/* made at the first connect */
	struct loop_timer	*timer;		/* heartbeat or backoff */
	int64_t			 last_rx;	/* loop ms of the last byte */

	char			*max_at;	/* newest processed_at seen */
	int64_t			 max_us;	/* its time; 0 if unparsed */
	int64_t			 resume_us;	/* the from of stream_follow */
	struct seen		*seen;		/* ids in the reorder window */

	char			*cursor;	/* next history page */
	int			 limit;		/* history page size now */
	int			 stream_over;	/* SSE ended while syncing */
	int			 ending;	/* a terminal event was seen */
	int			 resync;	/* reconnect without backoff */
	int			 progress;	/* a live event came */
	int			 opened;	/* a stream ever opened */
	int			 paused;	/* reading stopped (sync) */
	unsigned		 attempt;	/* failures in a row */
	unsigned		 connects;
	int64_t			 retry_after;	/* server's wish, -1 if none */

	struct api_event	**held;		/* live events while syncing */
	size_t			 nheld;
	size_t			 heldsize;
	size_t			 heldbytes;
};

LIST_HEAD(streams, stream);

struct stream_mgr {
	struct api_client	*client;
	struct loop		*loop;
	struct stream_ops	 ops;
	struct stream_opts	 opts;
	char			**deltas;	/* copy of opts.deltas */
	struct streams		 live;
	struct streams		 dead;		/* unfollowed, to free */
	struct loop_timer	*reaper;
	size_t			 count;
	int			 paging;	/* history pages in flight */
	struct stream		*wait_head;	/* streams waiting to page */
	struct stream		*wait_tail;
};

static void	 stream_connect(struct stream *);
static void	 stream_set_state(struct stream *, enum stream_state,
		    const struct api_error *);
static void	 stream_drop(struct stream *);
static void	 stream_lost(struct stream *, const struct api_error *);
static void	 stream_fail(struct stream *, const struct api_error *);
static void	 stream_end(struct stream *);
static void	 stream_page(struct stream *);
static void	 stream_page_release(struct stream_mgr *);
static void	 stream_unwait(struct stream *);
static void	 stream_take(struct stream *, struct api_event *);
static void	 stream_timer_cb(struct loop_timer *, void *);
static void	 stream_reaper_cb(struct loop_timer *, void *);
static void	 stream_open_cb(void *);
static int	 stream_data_cb(const char *, size_t, void *);
static void	 stream_done_cb(const struct api_response *, void *);
static void	 stream_page_cb(const struct api_response *, void *);
static int	 stream_frame_cb(const struct sse_frame *, void *);
static void	 stream_sse_error_cb(enum sse_status, size_t, void *);

/* A name for logs and messages. */
const char *
stream_state_name(enum stream_state st)
{
	static const char	*names[] = {
		"connecting", "syncing", "live", "backoff", "ended", "failed"
	};

	return (size_t)st < AD_NITEMS(names) ? names[st] : "?";
}

/* Free the watermark's strings. */
void
stream_sync_clear(struct stream_sync *sy)
{
	free(sy->processed_at);
	for (size_t i = 0; i < sy->nids; i++)
		free(sy->ids[i]);
	free(sy->ids);
	memset(sy, 0, sizeof *sy);
}

/* Create a manager. */
struct stream_mgr *
stream_mgr_create(struct api_client *c, const struct stream_opts *opts,
    const struct stream_ops *ops)
{
	struct stream_mgr	*m;
	size_t			 n = 0;

	m = xcalloc(1, sizeof *m);
	m->client = c;
	m->loop = api_client_loop(c);
	m->ops = *ops;
	if (opts != NULL)
		m->opts = *opts;
	if (m->opts.heartbeat_ms <= 0)
		m->opts.heartbeat_ms = STREAM_HEARTBEAT_MS;
	if (m->opts.backoff_base_ms <= 0)
		m->opts.backoff_base_ms = STREAM_BACKOFF_BASE_MS;
	if (m->opts.backoff_cap_ms <= 0)
		m->opts.backoff_cap_ms = STREAM_BACKOFF_CAP_MS;
	if (m->opts.page_limit <= 0)
		m->opts.page_limit = STREAM_PAGE_LIMIT;
	if (m->opts.max_frame == 0)
		m->opts.max_frame = SSE_DEFAULT_MAX_FRAME;
	if (m->opts.max_held == 0)
		m->opts.max_held = STREAM_MAX_HELD;
	if (m->opts.reorder_ms < 0)
		m->opts.reorder_ms = 0;
	else if (m->opts.reorder_ms == 0)
		m->opts.reorder_ms = STREAM_REORDER_MS;
	while (m->opts.deltas != NULL && m->opts.deltas[n] != NULL)
		n++;
	m->deltas = xcalloc(n + 1, sizeof *m->deltas);
	for (size_t i = 0; i < n; i++)
		m->deltas[i] = xstrdup(m->opts.deltas[i]);
	m->opts.deltas = (const char *const *)m->deltas;
	LIST_INIT(&m->live);
	LIST_INIT(&m->dead);
	m->reaper = loop_timer_create(m->loop, stream_reaper_cb, m);
	return m;
}

/* Free one stream's memory (it is in no list and owns no request). */
static void
stream_free(struct stream *s)
{
	loop_timer_free(s->timer);
	sse_parser_free(s->sse);
	free(s->max_at);
	seen_free(s->seen);
	free(s->cursor);
	for (size_t i = 0; i < s->nheld; i++)
		api_event_free(s->held[i]);
	free(s->held);
	free(s->id);
	free(s);
}

/* Free every unfollowed stream (from the loop, never in a callback). */
static void
stream_reaper_cb(struct loop_timer *t, void *arg)
{
	struct stream_mgr	*m = arg;
	struct stream		*s;

	while ((s = LIST_FIRST(&m->dead)) != NULL) {
		LIST_REMOVE(s, entry);
		stream_free(s);
	}
}

/* Stop everything and free the manager. */
void
stream_mgr_free(struct stream_mgr *m)
{
	struct stream	*s;

	if (m == NULL)
		return;
	while ((s = LIST_FIRST(&m->live)) != NULL)
		stream_unfollow(s);
	stream_reaper_cb(NULL, m);
	loop_timer_free(m->reaper);
	for (size_t i = 0; m->deltas[i] != NULL; i++)
		free(m->deltas[i]);
	free(m->deltas);
	free(m);
}

/* Start following a session. */
struct stream *
stream_follow(struct stream_mgr *m, const char *id,
    const struct stream_sync *from, void *udata)
{
	struct stream	*s;

	s = xcalloc(1, sizeof *s);
	s->mgr = m;
	s->id = xstrdup(id);
	s->udata = udata;
	s->limit = m->opts.page_limit;
	s->retry_after = -1;
	s->seen = seen_create();
	if (from != NULL && from->processed_at != NULL) {
		s->max_at = xstrdup(from->processed_at);
		if (clock_parse(s->max_at, strlen(s->max_at), &s->max_us) != 0)
			s->max_us = 0;
		for (size_t i = 0; i < from->nids; i++)
			seen_add(s->seen, from->ids[i], s->max_us);
		s->resume_us = s->max_us;
	}
	s->timer = loop_timer_create(m->loop, stream_timer_cb, s);
	LIST_INSERT_HEAD(&m->live, s, entry);
	m->count++;
	stream_connect(s);
	return s;
}

/* Stop following; the memory goes at the next loop turn. */
void
stream_unfollow(struct stream *s)
{
	struct stream_mgr	*m;

	if (s == NULL || s->dead)
		return;
	m = s->mgr;
	stream_drop(s);
	loop_timer_disarm(s->timer);
	s->dead = 1;
	LIST_REMOVE(s, entry);
	LIST_INSERT_HEAD(&m->dead, s, entry);
	m->count--;
	loop_timer_arm(m->reaper, 0);
}

/* The session id. */
const char *
stream_session(const struct stream *s)
{
	return s->id;
}

/* Connections made. */
unsigned
stream_connects(const struct stream *s)
{
	return s->connects;
}

/* Change state and tell the owner. */
static void
stream_set_state(struct stream *s, enum stream_state st,
    const struct api_error *err)
{
	if (s->state == st && err == NULL)
		return;
	s->state = st;
	log_debug("stream %s: %s", s->id, stream_state_name(st));
	if (s->mgr->ops.state != NULL && !s->dead)
		s->mgr->ops.state(s, st, err, s->udata);
}

/* Cancel the requests and forget the connection's held events. */
static void
stream_drop(struct stream *s)
{
	api_cancel(s->sreq);
	s->sreq = NULL;
	if (s->preq != NULL) {
		api_cancel(s->preq);
		s->preq = NULL;
		stream_page_release(s->mgr);
	}
	if (s->waiting)
		stream_unwait(s);
	for (size_t i = 0; i < s->nheld; i++)
		api_event_free(s->held[i]);
	free(s->held);
	s->held = NULL;
	s->nheld = s->heldsize = s->heldbytes = 0;
	free(s->cursor);
	s->cursor = NULL;
	s->paused = 0;
}

/* Open the stream; the history follows once it is open. */
static void
stream_connect(struct stream *s)
{
	struct stream_mgr	*m = s->mgr;

	if (s->sse == NULL)
		s->sse = sse_parser_create(m->opts.max_frame, stream_frame_cb,
		    stream_sse_error_cb, s);
	else
		sse_parser_reset(s->sse);
	s->stream_over = s->ending = s->resync = s->progress = 0;
	s->retry_after = -1;
	s->connects++;
	/*
	 * libcurl gives each transfer a 16 KB receive buffer, which a large
	 * event fills: 16 MB for 1,000 streams.  Many streams get 4 KB
	 * (-11 MB at 1,000; the cost, more reads for one fast stream, does
	 * not apply when there are many).
	 */
	api_client_set_stream_buffer(m->client, m->count > STREAM_MANY ?
	    STREAM_SMALL_BUFFER : 0);
	stream_set_state(s, STREAM_CONNECTING, NULL);
	s->sreq = api_events_stream(m->client, s->id, m->opts.deltas,
	    stream_open_cb, stream_data_cb, stream_done_cb, s);
}

/*
 * The connection is gone (or useless): wait, then connect again.  A
 * resync (an event was too big for the stream) goes at once; otherwise
 * full jitter over an exponential ceiling, or the server's retry-after
 * when it asked for longer.
 */
static void
stream_lost(struct stream *s, const struct api_error *err)
{
	struct stream_mgr	*m = s->mgr;
	int64_t			 delay;

	stream_drop(s);
	if (s->progress)
		s->attempt = 0;
	if (!s->opened && m->opts.first_tries > 0 &&
	    s->attempt + 1 >= (unsigned)m->opts.first_tries) {
		stream_fail(s, err);
		return;
	}
	if (s->resync)
		delay = 0;
	else {
		delay = api_retry_full_jitter((int)AD_MIN(s->attempt, 30),
		    m->opts.backoff_base_ms, m->opts.backoff_cap_ms,
		    api_retry_uniform());
		if (s->retry_after > delay)
			delay = s->retry_after;
		s->attempt++;
	}
	log_info("stream %s: reconnecting in %lld ms%s%s", s->id,
	    (long long)delay, err != NULL ? ": " : "",
	    err != NULL && err->message != NULL ? err->message : "");
	stream_set_state(s, STREAM_BACKOFF, err);
	if (!s->dead)
		loop_timer_arm(s->timer, delay);
}

/* A permanent error: stop trying. */
static void
stream_fail(struct stream *s, const struct api_error *err)
{
	stream_drop(s);
	loop_timer_disarm(s->timer);
	log_warn("stream %s: failed: %s", s->id,
	    err != NULL && err->message != NULL ? err->message : "?");
	stream_set_state(s, STREAM_FAILED, err);
}

/* The session is over: stop following. */
static void
stream_end(struct stream *s)
{
	stream_drop(s);
	loop_timer_disarm(s->timer);
	stream_set_state(s, STREAM_ENDED, NULL);
}

/* Heartbeat while connected; reconnect after a backoff. */
static void
stream_timer_cb(struct loop_timer *t, void *arg)
{
	struct stream		*s = arg;
	struct api_error	 err;
	int64_t			 idle;

	if (s->state == STREAM_BACKOFF) {
		stream_connect(s);
		return;
	}
	idle = loop_now(s->mgr->loop) - s->last_rx;
	if (idle < s->mgr->opts.heartbeat_ms || s->stream_over || s->paused) {
		/* (A stream that ended, or that we paused, is not silent.) */
		if (s->stream_over || s->paused)
			idle = 0;
		loop_timer_arm(s->timer, s->mgr->opts.heartbeat_ms - idle);
		return;
	}
	memset(&err, 0, sizeof err);
	api_error_set(&err, API_ERR_NETWORK, NULL, "no data for %lld ms "
	    "(heartbeat timeout)", (long long)idle);
	stream_lost(s, &err);
	api_error_clear(&err);
}

/* The stream is open: the server is subscribed, so read the history. */
static void
stream_open_cb(void *arg)
{
	struct stream	*s = arg;

	s->opened = 1;
	s->last_rx = loop_now(s->mgr->loop);
	loop_timer_arm(s->timer, s->mgr->opts.heartbeat_ms);
	stream_set_state(s, STREAM_SYNCING, NULL);
	stream_page(s);
}

/*
 * How much one syncing stream may hold before it is paused: max_held,
 * but less when many streams share STREAM_HELD_TOTAL (a reconnection
 * storm under heavy traffic must not hold a megabyte per stream).
 */
static size_t
stream_hold_max(const struct stream *s)
{
	const struct stream_mgr	*m = s->mgr;
	size_t			 share;

	share = m->count > 0 ? STREAM_HELD_TOTAL / m->count : m->opts.max_held;
	return AD_MIN(m->opts.max_held, AD_MAX(share, STREAM_HELD_MIN));
}

/* Bytes of the stream; paused while too much is held for the sync. */
static int
stream_data_cb(const char *p, size_t len, void *arg)
{
	struct stream	*s = arg;

	s->last_rx = loop_now(s->mgr->loop);
	if (s->dead || s->sreq == NULL)
		return API_DATA_OK;
	if (s->state == STREAM_SYNCING && s->heldbytes >= stream_hold_max(s)) {
		s->paused = 1;
		return API_DATA_PAUSE;
	}
	/*
	 * Oversized frames were reported through stream_sse_error_cb and an
	 * abort means the frame callback dropped this connection: either
	 * way there is nothing more to do with these bytes.
	 */
	if (sse_parser_feed(s->sse, p, len) == SSE_ERR_ABORTED)
		log_debug("stream %s: connection dropped mid-chunk", s->id);
	return API_DATA_OK;
}

/* The stream request is over. */
static void
stream_done_cb(const struct api_response *resp, void *arg)
{
	struct stream		*s = arg;
	const struct api_error	*err = resp->error;
	struct api_error	 eof;

	s->sreq = NULL;
	if (err != NULL && err->status == API_ERR_HTTP &&
	    !api_retry_status(err->http, NULL)) {
		/* 400, 401, 403, 404...: trying again will not help. */
		stream_fail(s, err);
		return;
	}
	if (s->state == STREAM_SYNCING) {
		/* Let the history finish: it holds what the stream missed. */
		s->stream_over = 1;
		return;
	}
	s->retry_after = resp->retry_after;
	memset(&eof, 0, sizeof eof);
	if (err == NULL)
		api_error_set(&eof, API_ERR_NETWORK, NULL,
		    "the server closed the stream");
	stream_lost(s, err != NULL ? err : &eof);
	api_error_clear(&eof);
}

/* Take s out of the queue for a page. */
static void
stream_unwait(struct stream *s)
{
	struct stream_mgr	*m = s->mgr;
	struct stream		**pp, *prev = NULL;

	for (pp = &m->wait_head; *pp != NULL; prev = *pp,
	    pp = &(*pp)->wait_next) {
		if (*pp == s) {
			*pp = s->wait_next;
			if (m->wait_tail == s)
				m->wait_tail = prev;
			break;
		}
	}
	s->wait_next = NULL;
	s->waiting = 0;
}

/* A page is done: let the first waiting stream ask for its page. */
static void
stream_page_release(struct stream_mgr *m)
{
	struct stream	*next;

	m->paging--;
	if ((next = m->wait_head) != NULL) {
		stream_unwait(next);
		stream_page(next);
	}
}

/*
 * Ask for the next page of history.  At most STREAM_MAX_PAGING pages are
 * in flight across all streams (the rest wait their turn), so 1,000
 * streams reconnecting at once neither hold 1,000 transfers' buffers nor
 * flood the server; their live events wait, paused if need be.
 */
static void
stream_page(struct stream *s)
{
	struct stream_mgr	*m = s->mgr;
	struct api_list		 l;
	char			 from[CLOCK_RFC3339_LEN];

	if (m->paging >= STREAM_MAX_PAGING) {
		s->waiting = 1;
		if (m->wait_tail != NULL)
			m->wait_tail->wait_next = s;
		else
			m->wait_head = s;
		m->wait_tail = s;
		return;
	}
	m->paging++;
	memset(&l, 0, sizeof l);
	l.limit = s->limit;
	l.order = "asc";
	l.page = s->cursor;
	/* From the start of the reorder window (or the exact text). */
	if (s->max_us != 0) {
		clock_format(s->max_us - s->mgr->opts.reorder_ms * 1000, 6,
		    from, sizeof from);
		l.created_gte = from;
	} else
		l.created_gte = s->max_at;
	s->preq = api_events_list(s->mgr->client, s->id, &l, stream_page_cb,
	    s);
}

/* Was this event delivered already (or is it older than the window)? */
static int
stream_dup(struct stream *s, const struct api_event *ev)
{
	struct stream_mgr	*m = s->mgr;
	int64_t			 window = m->opts.reorder_ms * 1000;

	if (s->max_at == NULL)
		return 0;
	if (ev->processed_us != 0 && s->max_us != 0 &&
	    ev->processed_us < s->max_us - window)
		return 1;
	if (seen_has(s->seen, ev->id))
		return 1;
	/*
	 * Before the point the caller resumed from, an id it did not list
	 * may still be one it has: ask, or trust the watermark.
	 */
	if (s->resume_us != 0 && ev->processed_us != 0 &&
	    ev->processed_us < s->resume_us)
		return m->ops.known == NULL ||
		    m->ops.known(s, ev->id, s->udata);
	return 0;
}

/*
 * One event from the history or the stream: report a queued copy, drop
 * what was delivered already, else remember it and deliver it.
 */
static void
stream_take(struct stream *s, struct api_event *ev)
{
	struct stream_mgr	*m = s->mgr;
	int			 terminal;
	int64_t			 us;

	terminal = ev->type == API_EV_SESSION_DELETED ||
	    ev->type == API_EV_SESSION_STATUS_TERMINATED;
	if (ev->processed_at == NULL) {
		if (m->ops.queued != NULL)
			m->ops.queued(s, ev, s->udata);
		api_event_free(ev);
		return;
	}
	if (stream_dup(s, ev)) {
		/* Resuming at the terminal event: the session is over. */
		if (terminal) {
			s->ending = 1;
			if (s->state == STREAM_LIVE && !s->dead)
				stream_end(s);
		}
		api_event_free(ev);
		return;
	}
	us = ev->processed_us != 0 ? ev->processed_us : s->max_us;
	seen_add(s->seen, ev->id, us);
	if (s->max_at == NULL || (ev->processed_us != 0 &&
	    ev->processed_us > s->max_us)) {
		free(s->max_at);
		s->max_at = xstrdup(ev->processed_at);
		s->max_us = ev->processed_us;
		if (s->max_us != 0)
			seen_prune(s->seen, s->max_us -
			    m->opts.reorder_ms * 1000);
	}
	if (terminal)
		s->ending = 1;
	if (s->state == STREAM_LIVE)
		s->progress = 1;
	if (m->ops.event != NULL)
		m->ops.event(s, ev, s->udata);
	else
		api_event_free(ev);
	if (terminal && s->state == STREAM_LIVE && !s->dead)
		stream_end(s);
}

/* One element of a history page. */
static void
stream_page_elem(const char *p, size_t len, void *arg)
{
	struct stream		*s = arg;
	struct api_event	*ev;
	char			*cause = NULL;

	if (s->dead)
		return;
	if ((ev = api_event_parse(p, len, &cause)) == NULL ||
	    ev->id == NULL) {
		if (s->mgr->ops.decode_error != NULL)
			s->mgr->ops.decode_error(s, p, len, cause != NULL ?
			    cause : "history event without an id", s->udata);
		free(cause);
		api_event_free(ev);
		return;
	}
	stream_take(s, ev);
}

/* Caught up with the history: drain what the stream held, go live. */
static void
stream_synced(struct stream *s)
{
	struct api_event	**held = s->held;
	size_t			  n = s->nheld;
	struct api_error	  err;

	s->held = NULL;
	s->nheld = s->heldsize = s->heldbytes = 0;
	for (size_t i = 0; i < n; i++) {
		if (!s->dead)
			stream_take(s, held[i]);
		else
			api_event_free(held[i]);
	}
	free(held);
	if (s->dead)
		return;
	if (s->ending) {
		stream_end(s);
		return;
	}
	if (s->stream_over || s->resync) {
		memset(&err, 0, sizeof err);
		api_error_set(&err, API_ERR_NETWORK, NULL, s->resync ?
		    "resynchronising after an oversized frame" :
		    "the stream ended while reading the history");
		stream_lost(s, &err);
		api_error_clear(&err);
		return;
	}
	stream_set_state(s, STREAM_LIVE, NULL);
	if (s->paused && !s->dead) {
		s->paused = 0;
		s->last_rx = loop_now(s->mgr->loop);
		api_resume(s->sreq);
	}
}

/* A history page arrived. */
static void
stream_page_cb(const struct api_response *resp, void *arg)
{
	struct stream		*s = arg;
	struct api_page		 pg;
	struct api_error	 err;
	char			*cause = NULL;
	size_t			 count;

	s->preq = NULL;
	stream_page_release(s->mgr);
	if (resp->error != NULL) {
		if (resp->error->status == API_ERR_PROTOCOL && s->limit > 1) {
			/* A page too large for memory: ask for fewer. */
			s->limit = s->limit / 2;
			log_info("stream %s: history page too large; limit %d",
			    s->id, s->limit);
			stream_page(s);
			return;
		}
		if (resp->error->status == API_ERR_PROTOCOL ||
		    (resp->error->status == API_ERR_HTTP &&
		    !api_retry_status(resp->error->http, NULL)))
			stream_fail(s, resp->error);
		else
			stream_lost(s, resp->error);
		return;
	}
	s->limit = s->mgr->opts.page_limit;
	if (api_page_scan(resp->body, resp->bodylen, stream_page_elem, s, &pg,
	    &cause) != 0) {
		memset(&err, 0, sizeof err);
		api_error_set(&err, API_ERR_PROTOCOL, NULL, "history: %s",
		    cause);
		free(cause);
		stream_lost(s, &err);
		api_error_clear(&err);
		return;
	}
	if (s->dead || s->state != STREAM_SYNCING) {
		api_page_clear(&pg);
		return;
	}
	free(s->cursor);
	s->cursor = pg.next_page;
	pg.next_page = NULL;
	count = pg.count;
	api_page_clear(&pg);
	if (s->cursor != NULL && count > 0)
		stream_page(s);
	else
		stream_synced(s);
}

/* Hold a live event until the history is read. */
static void
stream_hold(struct stream *s, struct api_event *ev)
{
	if (s->nheld == s->heldsize) {
		s->heldsize = s->heldsize ? s->heldsize * 2 : 16;
		s->held = xreallocarray(s->held, s->heldsize,
		    sizeof *s->held);
	}
	s->held[s->nheld++] = ev;
	s->heldbytes += ev->rawlen;
}

/* One SSE frame of the live stream. */
static int
stream_frame_cb(const struct sse_frame *f, void *arg)
{
	struct stream		*s = arg;
	struct stream_mgr	*m = s->mgr;
	struct api_event	*ev;
	struct api_error	 err;
	char			*cause = NULL;

	if (s->dead || s->sreq == NULL)
		return 1;		/* this connection was dropped */
	if (f->event == NULL)
		return 0;		/* the SDK drops these */
	if (f->eventlen == 4 && memcmp(f->event, "ping", 4) == 0)
		return 0;
	if (f->eventlen == 5 && memcmp(f->event, "error", 5) == 0) {
		memset(&err, 0, sizeof err);
		api_error_set_http(&err, 0, f->data, f->datalen, NULL);
		err.status = API_ERR_NETWORK;	/* a failed stream: reconnect */
		stream_lost(s, &err);
		api_error_clear(&err);
		return 1;
	}
	if ((ev = api_event_parse(f->data, f->datalen, &cause)) == NULL) {
		if (m->ops.decode_error != NULL)
			m->ops.decode_error(s, f->data, f->datalen, cause,
			    s->udata);
		free(cause);
		return s->dead || s->sreq == NULL;
	}
	if (api_event_type_flags(ev->type) & API_EVF_PREVIEW) {
		if (m->ops.preview != NULL)
			m->ops.preview(s, ev, s->udata);
		api_event_free(ev);
		return s->dead || s->sreq == NULL;
	}
	if (ev->id == NULL) {
		if (m->ops.decode_error != NULL)
			m->ops.decode_error(s, f->data, f->datalen,
			    "event without an id", s->udata);
		api_event_free(ev);
		return s->dead || s->sreq == NULL;
	}
	if (s->state == STREAM_SYNCING) {
		stream_hold(s, ev);
		return 0;
	}
	stream_take(s, ev);
	return s->dead || s->sreq == NULL;
}

/* A frame passed the ceiling and was skipped: fetch it from the history. */
static void
stream_sse_error_cb(enum sse_status st, size_t size, void *arg)
{
	struct stream	*s = arg;
	char		*why;

	xasprintf(&why, "a stream frame larger than %zu bytes was skipped",
	    size);
	if (s->mgr->ops.decode_error != NULL)
		s->mgr->ops.decode_error(s, "", 0, why, s->udata);
	free(why);
	s->resync = 1;
	if (s->state == STREAM_LIVE && !s->dead) {
		/* Reconnect now; the history has the skipped event. */
		stream_lost(s, NULL);
	}
}
