/* ISC licence: see COPYING.  A session's whole history into the cache. */

/*
 * The session object is fetched first (for the cache and for the span
 * the progress bar measures against); then the history comes through the
 * stream manager (wire/stream.h), which pages the whole log and delivers
 * each event once, in order, including what a live session emits while
 * the pages are read.  Events already cached are ignored by the store.
 * Once the history has been read to the end (the stream is live, or the
 * session is over) the cache is told it holds all of it.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "base/clock.h"
#include "base/compiler.h"
#include "base/log.h"
#include "base/loop.h"
#include "cli/connect.h"
#include "cli/fetch.h"
#include "store/store.h"
#include "wire/api_client.h"
#include "wire/api_event.h"
#include "wire/stream.h"

#define FETCH_BAR	30	/* cells of the progress bar */

/* One session being fetched. */
struct fetch {
	struct connect	*c;
	struct store	*st;
	const char	*who;		/* the command, for messages */
	int		 rv;
	size_t		 events;
	int		 bar;		/* draw the progress bar */
	int64_t		 from_us;	/* the session's span, for the bar */
	int64_t		 to_us;
	int64_t		 last_us;	/* the newest event's time */
	int64_t		 drawn_ms;	/* when the bar was last drawn */
};

/* The bar: how far the events fetched reach into the session's span. */
static void
fetch_bar(struct fetch *f, const char *session)
{
	char	cells[FETCH_BAR + 1];
	int	pct = 0, n;

	if (!f->bar)
		return;
	if (f->to_us > f->from_us && f->last_us > f->from_us)
		pct = (int)AD_MIN(100, (f->last_us - f->from_us) * 100 /
		    (f->to_us - f->from_us));
	n = pct * FETCH_BAR / 100;
	memset(cells, '#', (size_t)n);
	memset(cells + n, '.', (size_t)(FETCH_BAR - n));
	cells[FETCH_BAR] = '\0';
	fprintf(stderr, "\rfetching %s [%s] %3d%% %zu events", session,
	    cells, pct, f->events);
	fflush(stderr);
}

/* One event of the log: into the cache; the bar at most 10 times a second. */
static void
fetch_event(struct stream *s, struct api_event *ev, void *arg)
{
	struct fetch	*f = arg;
	int64_t		 now = loop_now(f->c->loop);

	store_event_put(f->st, stream_session(s), ev);
	f->events++;
	if (ev->processed_us > 0)
		f->last_us = ev->processed_us;
	api_event_free(ev);
	if (f->bar && now - f->drawn_ms >= 100) {
		f->drawn_ms = now;
		fetch_bar(f, stream_session(s));
	}
}

/* Something that was not an event: recorded and shown, not fatal. */
static void
fetch_decode_error(struct stream *s, const char *p, size_t len,
    const char *why, void *arg)
{
	struct fetch	*f = arg;

	if (f->bar)
		fputc('\n', stderr);
	connect_decode_error(f->st, f->who, stream_session(s), why, p, len);
}

/* The whole history read (live or over), or a failure: stop. */
static void
fetch_state(struct stream *s, enum stream_state st,
    const struct api_error *err, void *arg)
{
	struct fetch	*f = arg;

	switch (st) {
	case STREAM_LIVE:
	case STREAM_ENDED:
		store_sync_set_full(f->st, stream_session(s));
		loop_exit(f->c->loop, CMD_EXIT_OK);
		break;
	case STREAM_FAILED:
		f->rv = err != NULL ? connect_error(stream_session(s), err) :
		    CMD_EXIT_NETWORK;
		loop_exit(f->c->loop, f->rv);
		break;
	case STREAM_BACKOFF:
		if (err != NULL && err->message != NULL)
			log_info("%s: reconnecting: %s", stream_session(s),
			    err->message);
		break;
	default:
		break;
	}
}

/* The span of a session object (created_at to updated_at) into f. */
static void
fetch_span(struct fetch *f, const char *body, size_t len)
{
	json_t		*o = json_loadb(body, len, 0, NULL);
	const char	*a, *b;

	a = json_string_value(json_object_get(o, "created_at"));
	b = json_string_value(json_object_get(o, "updated_at"));
	if (a == NULL || b == NULL || clock_parse(a, strlen(a),
	    &f->from_us) != 0 || clock_parse(b, strlen(b), &f->to_us) != 0)
		f->from_us = f->to_us = 0;
	json_decref(o);
}

/* Fetch a session and its whole history into the cache. */
int
fetch_history(struct cmd_globals *g, struct store *st, const char *session,
    const char *who, int progress)
{
	static const struct stream_ops	 ops = {
		.event = fetch_event,
		.decode_error = fetch_decode_error,
		.state = fetch_state
	};
	struct fetch			 f;
	struct connect			 c;
	struct api_error		 err;
	struct stream_mgr		*mgr;
	char				*body, *cause = NULL;
	size_t				 len;
	int				 rv;

	if ((rv = connect_open(&c, g)) != CMD_EXIT_OK)
		return rv;
	memset(&f, 0, sizeof f);
	f.c = &c;
	f.st = st;
	f.who = who;
	f.rv = CMD_EXIT_OK;
	f.bar = progress && isatty(STDERR_FILENO);
	if (api_wait(api_session_get(c.client, session, NULL, NULL), &body,
	    &len, &err) != 0) {
		rv = connect_error(session, &err);
		api_error_clear(&err);
		connect_close(&c);
		return rv;
	}
	fetch_span(&f, body, len);
	if (store_session_put(st, body, len, &cause) == 0) {
		fprintf(stderr, "pilothouse: %s: %s\n", who, cause);
		free(cause);
		cause = NULL;
	}
	free(body);

	mgr = stream_mgr_create(c.client, &connect_stream_opts, &ops);
	stream_follow(mgr, session, NULL, &f);
	rv = loop_run(c.loop);
	stream_mgr_free(mgr);
	connect_close(&c);
	if (f.bar) {
		if (rv == CMD_EXIT_OK)
			f.last_us = f.to_us;
		fetch_bar(&f, session);
		fputc('\n', stderr);
	}
	if (store_flush(st, &cause) != 0) {
		fprintf(stderr, "pilothouse: %s: %s\n", who, cause);
		free(cause);
		if (rv == CMD_EXIT_OK)
			rv = CMD_EXIT_LOCAL;
	}
	return rv;
}
