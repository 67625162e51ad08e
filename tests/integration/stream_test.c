/*
 * ISC licence: see COPYING.  The stream manager against the fault server:
 * every event exactly once, in log order, whatever the connection does --
 * cuts, split writes, malformed frames, huge events, stalls, error
 * frames, queued echoes -- checked against the server's own log.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/loop.h"
#include "base/xmalloc.h"
#include "fault.h"
#include "tap.h"
#include "wire/api_client.h"
#include "wire/stream.h"

struct sess {
	char		  id[64];
	struct stream	 *s;
	char		**raw;		/* delivered events */
	size_t		  n;
	int		  over;		/* ENDED or FAILED */
	enum stream_state last;
	long		  http;		/* of a failure */
	char		  etype[64];
};

struct run {
	struct loop	*loop;
	struct sess	*sess;
	size_t		 nsess;
	size_t		 over;
	unsigned	 queued;
	unsigned	 previews;
	unsigned	 decode_errors;
	unsigned	 backoffs;
	int		 timed_out;
};

/* An event: keep its raw bytes. */
static void
on_event(struct stream *s, struct api_event *ev, void *arg)
{
	struct sess	*se = arg;

	se->raw = xreallocarray(se->raw, se->n + 1, sizeof *se->raw);
	se->raw[se->n++] = xstrndup(ev->raw, ev->rawlen);
	api_event_free(ev);
}

static struct run	*cur;
static char		**known_ids;	/* what a cache would hold */
static size_t		  nknown;

/* The cache's answer for ops.known. */
static int
on_known(struct stream *s, const char *id, void *arg)
{
	for (size_t i = 0; i < nknown; i++)
		if (strcmp(known_ids[i], id) == 0)
			return 1;
	return 0;
}

/* A queued client event. */
static void
on_queued(struct stream *s, const struct api_event *ev, void *arg)
{
	cur->queued++;
}

/* A preview. */
static void
on_preview(struct stream *s, const struct api_event *ev, void *arg)
{
	cur->previews++;
}

/* Something that was not an event. */
static void
on_decode_error(struct stream *s, const char *p, size_t len, const char *why,
    void *arg)
{
	cur->decode_errors++;
}

/* State changes: count backoffs, finish when every session is over. */
static void
on_state(struct stream *s, enum stream_state st, const struct api_error *err,
    void *arg)
{
	struct sess	*se = arg;

	se->last = st;
	if (st == STREAM_BACKOFF)
		cur->backoffs++;
	if (st == STREAM_FAILED && err != NULL) {
		se->http = err->http;
		snprintf(se->etype, sizeof se->etype, "%s",
		    err->type != NULL ? err->type : "");
	}
	if ((st == STREAM_ENDED || st == STREAM_FAILED) && !se->over) {
		se->over = 1;
		if (++cur->over == cur->nsess)
			loop_exit(cur->loop, 0);
	}
}

/* The test took too long. */
static void
on_deadline(struct loop_timer *t, void *arg)
{
	cur->timed_out = 1;
	loop_exit(cur->loop, 1);
}

/*
 * Follow nsess sessions of server f with opts until each ends; returns
 * the run (caller frees with run_free).
 */
static struct run *
run_streams(struct fault *f, size_t nsess, const struct stream_opts *opts,
    int64_t deadline_ms, unsigned *connects, const struct stream_sync *from)
{
	struct stream_ops	 ops = {
		on_event, on_queued, on_preview, on_decode_error, on_state,
		known_ids != NULL ? on_known : NULL
	};
	struct run			*r;
	struct api_client		*c;
	struct stream_mgr		*m;
	struct loop_timer		*t;
	char				*cause = NULL;

	r = xcalloc(1, sizeof *r);
	cur = r;
	r->loop = loop_create();
	r->nsess = nsess;
	r->sess = xcalloc(nsess, sizeof *r->sess);
	c = api_client_create(r->loop, f->url, "sk-ant-test-key", &cause);
	if (c == NULL)
		fatalx("api_client_create: %s", cause);
	api_client_set_budget(c, 0, 0, 0);
	m = stream_mgr_create(c, opts, &ops);
	for (size_t i = 0; i < nsess; i++) {
		snprintf(r->sess[i].id, sizeof r->sess[i].id,
		    "sesn_011CFAULT%016zu", i);
		r->sess[i].s = stream_follow(m, r->sess[i].id, from,
		    &r->sess[i]);
	}
	t = loop_timer_create(r->loop, on_deadline, NULL);
	loop_timer_arm(t, deadline_ms);
	loop_run(r->loop);
	*connects = 0;
	for (size_t i = 0; i < nsess; i++)
		*connects += stream_connects(r->sess[i].s);
	loop_timer_free(t);
	stream_mgr_free(m);
	api_client_free(c);
	/* Let the reaper and libcurl's closing sockets go. */
	loop_once(r->loop, 0);
	loop_free(r->loop);
	return r;
}

/* Free a run. */
static void
run_free(struct run *r)
{
	for (size_t i = 0; i < r->nsess; i++) {
		for (size_t k = 0; k < r->sess[i].n; k++)
			free(r->sess[i].raw[k]);
		free(r->sess[i].raw);
	}
	free(r->sess);
	free(r);
}

/* Compare every session's delivered events with the server's log. */
static int
same_as_log(struct fault *f, struct run *r, const char *what)
{
	char	**log;
	size_t	  n, bad = 0;

	for (size_t i = 0; i < r->nsess; i++) {
		struct sess	*se = &r->sess[i];

		log = fault_log(f, se->id, &n);
		if (n != se->n) {
			diag("%s: %s: %zu events delivered, %zu in the log",
			    what, se->id, se->n, n);
			bad++;
		} else {
			for (size_t k = 0; k < n; k++) {
				if (strcmp(log[k], se->raw[k]) != 0) {
					diag("%s: %s: event %zu differs", what,
					    se->id, k);
					bad++;
					break;
				}
			}
		}
		for (size_t k = 0; k < n; k++)
			free(log[k]);
		free(log);
		if (se->last != STREAM_ENDED) {
			diag("%s: %s ended as %s", what, se->id,
			    stream_state_name(se->last));
			bad++;
		}
	}
	return bad == 0;
}

/* Start a server with args, follow nsess sessions, check the log. */
static struct run *
scenario(const char *what, const char *const *args, size_t nsess,
    const struct stream_opts *opts, unsigned *connects, struct fault *f)
{
	struct run	*r;

	if (fault_start(f, args) != 0) {
		ok(0, "%s: server started", what);
		return NULL;
	}
	r = run_streams(f, nsess, opts, 60000, connects, NULL);
	ok(!r->timed_out, "%s: finished in time", what);
	ok(same_as_log(f, r, what), "%s: every event exactly once, in order, "
	    "byte-identical to the server's log", what);
	return r;
}

/*
 * The watermark after log[k], as a cache would rebuild it: the newest
 * processed_at up to k and every id up to k within the reorder window.
 */
static void
mark_at(char **log, size_t k, struct stream_sync *from)
{
	struct api_event	*ev;
	char			*cause = NULL;
	int64_t			 max = 0;

	memset(from, 0, sizeof *from);
	for (size_t i = 0; i <= k; i++) {
		ev = api_event_parse(log[i], strlen(log[i]), &cause);
		if (ev->processed_us > max) {
			max = ev->processed_us;
			free(from->processed_at);
			from->processed_at = xstrdup(ev->processed_at);
		}
		api_event_free(ev);
	}
	from->ids = xcalloc(k + 1, sizeof *from->ids);
	for (size_t i = 0; i <= k; i++) {
		ev = api_event_parse(log[i], strlen(log[i]), &cause);
		if (ev->processed_us >= max - STREAM_REORDER_MS * 1000)
			from->ids[from->nids++] = xstrdup(ev->id);
		api_event_free(ev);
	}
}

int
main(void)
{
	struct stream_opts	 o;
	struct fault		 f;
	struct run		*r;
	unsigned		 connects;

	memset(&o, 0, sizeof o);
	o.backoff_base_ms = 5;
	o.backoff_cap_ms = 50;
	o.heartbeat_ms = 2000;

	/* Small pages, shared timestamps, events during and after sync. */
	{
		const char *args[] = { "--events", "300", "--history", "120",
		    "--interval", "1", "--page-max", "7", "--same-ts", "3",
		    NULL };

		if ((r = scenario("plain", args, 1, &o, &connects, &f))) {
			is_int(connects, 1, "plain: one connection");
			is_int(r->decode_errors, 0, "plain: no decode errors");
			run_free(r);
		}
		fault_stop(&f);
	}

	/* Cut every 5 frames, split writes, queued echoes of user events. */
	{
		const char *args[] = { "--events", "400", "--history", "30",
		    "--interval", "1", "--cut-every", "5", "--split",
		    "--same-ts", "2", "--page-max", "11", "--client-every",
		    "6", NULL };

		if ((r = scenario("cuts", args, 1, &o, &connects, &f))) {
			/*
			 * How many cuts happen depends on timing: events
			 * emitted during a backoff arrive by history paging,
			 * not on the stream.  Several reconnects prove the
			 * cut path ran; exactly-once is checked above.
			 */
			ok(connects >= 5, "cuts: reconnected (%u connections)",
			    connects);
			ok(r->queued > 0, "cuts: queued echoes were reported "
			    "(%u)", r->queued);
			run_free(r);
		}
		fault_stop(&f);
	}

	/* Timestamps out of log order, with cuts: the reorder window. */
	{
		const char *args[] = { "--events", "300", "--history", "60",
		    "--interval", "1", "--skew-every", "3", "--cut-every",
		    "11", "--page-max", "13", NULL };

		if ((r = scenario("out of order", args, 1, &o, &connects,
		    &f)))
			run_free(r);
		fault_stop(&f);
	}

	/* A slow history while the stream bursts: held, then paused. */
	{
		const char *args[] = { "--events", "400", "--history", "50",
		    "--interval", "1", "--history-delay", "300", "--same-ts",
		    "2", NULL };
		struct stream_opts	small = o;

		small.max_held = 4096;
		small.heartbeat_ms = 200;	/* a pause is not silence */
		if ((r = scenario("paused", args, 1, &small, &connects,
		    &f))) {
			is_int(connects, 1, "paused: one connection, not "
			    "taken for dead while paused");
			run_free(r);
		}
		fault_stop(&f);
	}

	/* Every byte in its own chunk. */
	{
		const char *args[] = { "--events", "60", "--history", "5",
		    "--interval", "2", "--bytewise", "--client-every", "4",
		    NULL };

		if ((r = scenario("bytewise", args, 1, &o, &connects, &f)))
			run_free(r);
		fault_stop(&f);
	}

	/* Junk between frames, and line ends that rotate LF, CRLF, CR. */
	{
		const char *args[] = { "--events", "150", "--history", "10",
		    "--interval", "1", "--malformed", "--cut-every", "17",
		    "--split", NULL };

		if ((r = scenario("malformed", args, 1, &o, &connects, &f))) {
			ok(r->decode_errors > 0, "malformed: bad frames were "
			    "reported (%u)", r->decode_errors);
			run_free(r);
		}
		fault_stop(&f);
	}

	/* A 10 MB event on the stream and in the history. */
	{
		const char *args[] = { "--events", "40", "--history", "3",
		    "--interval", "2", "--huge-at", "20", "--huge-size",
		    "10485760", "--cut-every", "9", NULL };

		if ((r = scenario("huge", args, 1, &o, &connects, &f))) {
			size_t	big = 0;

			for (size_t i = 0; i < r->sess[0].n; i++)
				if (strlen(r->sess[0].raw[i]) > big)
					big = strlen(r->sess[0].raw[i]);
			ok(big > 10485760, "huge: the 10 MB event arrived "
			    "(%zu bytes)", big);
			run_free(r);
		}
		fault_stop(&f);
	}

	/* An event larger than the SSE ceiling comes from the history. */
	{
		const char *args[] = { "--events", "40", "--history", "3",
		    "--interval", "2", "--huge-at", "25", "--huge-size",
		    "2097152", NULL };
		struct stream_opts	small = o;

		small.max_frame = 1024 * 1024;
		if ((r = scenario("over the ceiling", args, 1, &small,
		    &connects, &f))) {
			ok(r->decode_errors >= 1, "over the ceiling: the "
			    "skipped frame was reported");
			ok(connects >= 2, "over the ceiling: resynchronised "
			    "(%u connections)", connects);
			run_free(r);
		}
		fault_stop(&f);
	}

	/* A stall longer than the heartbeat timeout. */
	{
		const char *args[] = { "--events", "80", "--history", "5",
		    "--interval", "3", "--stall-after", "10", NULL };
		struct stream_opts	hb = o;

		hb.heartbeat_ms = 300;
		if ((r = scenario("stall", args, 1, &hb, &connects, &f))) {
			ok(connects >= 2, "stall: the silent connection was "
			    "dropped (%u connections)", connects);
			run_free(r);
		}
		fault_stop(&f);
	}

	/* "event: error" on the second connection. */
	{
		const char *args[] = { "--events", "80", "--history", "5",
		    "--interval", "2", "--cut-every", "10", "--error-after",
		    "4", NULL };

		if ((r = scenario("error frame", args, 1, &o, &connects,
		    &f))) {
			ok(connects >= 3, "error frame: reconnected after it "
			    "(%u connections)", connects);
			run_free(r);
		}
		fault_stop(&f);
	}

	/* History pages that fail twice with 503 (retried by the client). */
	{
		const char *args[] = { "--events", "50", "--history", "20",
		    "--interval", "2", "--fail", "2:503:20", NULL };

		if ((r = scenario("retried pages", args, 1, &o, &connects,
		    &f))) {
			is_int(fault_requests(&f, "/events?"), 3,
			    "retried pages: the page was asked for 3 times");
			run_free(r);
		}
		fault_stop(&f);
	}

	/* Many sessions at once, with cuts, over one unix socket. */
	{
		const char *args[] = { "unix", "--sessions", "40", "--events",
		    "40", "--history", "10", "--interval", "3", "--cut-every",
		    "13", "--client-every", "9", NULL };

		if ((r = scenario("40 sessions", args, 40, &o, &connects,
		    &f)))
			run_free(r);
		fault_stop(&f);
	}

	/* Resume from a watermark in the middle of a shared timestamp. */
	{
		const char *args[] = { "--events", "90", "--history", "90",
		    "--same-ts", "4", "--page-max", "5", NULL };
		struct stream_sync	 from;
		char			**log;
		size_t			 n, k = 41;

		if (fault_start(&f, args) == 0) {
			log = fault_log(&f, "sesn_011CFAULT0000000000000000",
			    &n);
			mark_at(log, k, &from);
			ok(from.nids > 1, "resume: %zu ids in the window",
			    from.nids);
			r = run_streams(&f, 1, &o, 20000, &connects, &from);
			is_int(r->sess[0].n, n - k - 1, "resume: only what "
			    "follows the mark is delivered");
			ok(r->sess[0].n > 0 && strcmp(r->sess[0].raw[0],
			    log[k + 1]) == 0, "resume: right after the mark");
			is_int(r->sess[0].last, STREAM_ENDED, "resume: ended");
			run_free(r);
			stream_sync_clear(&from);

			/* From the terminal event: nothing more, and ended. */
			mark_at(log, n - 1, &from);
			r = run_streams(&f, 1, &o, 20000, &connects, &from);
			is_int(r->sess[0].n, 0, "resume at the end: nothing "
			    "delivered");
			is_int(r->sess[0].last, STREAM_ENDED,
			    "resume at the end: ended, not waiting for ever");
			run_free(r);
			stream_sync_clear(&from);
			for (size_t i = 0; i < n; i++)
				free(log[i]);
			free(log);
		}
		fault_stop(&f);
	}

	/*
	 * Resume as the store does -- the newest time and only the ids at
	 * it -- just before an event stamped earlier than that time: found
	 * through ops.known; without it, trusted as delivered.
	 */
	{
		const char *args[] = { "--events", "90", "--history", "90",
		    "--skew-every", "4", NULL };
		struct stream_sync	 from;
		struct api_event	*a, *b;
		char			**log, *cause = NULL;
		size_t			 n, k = 0, older;
		int64_t			 max = 0;

		if (fault_start(&f, args) == 0) {
			log = fault_log(&f, "sesn_011CFAULT0000000000000000",
			    &n);
			/* The first event stamped before its predecessor. */
			for (size_t i = 10; i + 1 < n && k == 0; i++) {
				a = api_event_parse(log[i], strlen(log[i]),
				    &cause);
				b = api_event_parse(log[i + 1],
				    strlen(log[i + 1]), &cause);
				if (b->processed_us < a->processed_us)
					k = i;
				api_event_free(a);
				api_event_free(b);
			}
			ok(k != 0, "skewed: an event older than the one "
			    "before it (after %zu)", k);
			memset(&from, 0, sizeof from);
			known_ids = xcalloc(k + 1, sizeof *known_ids);
			for (size_t i = 0; i <= k; i++) {
				a = api_event_parse(log[i], strlen(log[i]),
				    &cause);
				known_ids[nknown++] = xstrdup(a->id);
				if (a->processed_us > max) {
					max = a->processed_us;
					free(from.processed_at);
					from.processed_at =
					    xstrdup(a->processed_at);
					if (from.ids != NULL)
						free(from.ids[0]);
					free(from.ids);
					from.ids = xcalloc(1, sizeof *from.ids);
					from.ids[0] = xstrdup(a->id);
					from.nids = 1;
				}
				api_event_free(a);
			}
			r = run_streams(&f, 1, &o, 20000, &connects, &from);
			is_int(r->sess[0].n, n - k - 1, "skewed resume with "
			    "ops.known: everything after the mark");
			ok(r->sess[0].n > 0 && strcmp(r->sess[0].raw[0],
			    log[k + 1]) == 0, "skewed resume: the older-"
			    "stamped event first");
			run_free(r);
			for (size_t i = 0; i < nknown; i++)
				free(known_ids[i]);
			free(known_ids);
			known_ids = NULL;
			nknown = 0;
			/* Events after the mark stamped before it. */
			older = 0;
			for (size_t i = k + 1; i < n; i++) {
				a = api_event_parse(log[i], strlen(log[i]),
				    &cause);
				if (a->processed_us < max)
					older++;
				api_event_free(a);
			}
			r = run_streams(&f, 1, &o, 20000, &connects, &from);
			ok(older > 0, "skewed: %zu events after the mark are "
			    "stamped before it", older);
			is_int(r->sess[0].n, n - k - 1 - older, "without "
			    "ops.known the watermark is trusted (those are "
			    "taken as delivered)");
			run_free(r);
			stream_sync_clear(&from);
			for (size_t i = 0; i < n; i++)
				free(log[i]);
			free(log);
		}
		fault_stop(&f);
	}

	/* An unknown session fails for good with the API's 404. */
	{
		const char *args[] = { "--events", "5", NULL };

		if (fault_start(&f, args) == 0) {
			struct stream_opts	 x = o;

			/* Session 1 does not exist on a one-session server. */
			r = run_streams(&f, 2, &x, 20000, &connects, NULL);
			is_int(r->sess[1].last, STREAM_FAILED,
			    "404: the unknown session failed");
			is_int(r->sess[1].http, 404, "404: with the status");
			is_str(r->sess[1].etype, "not_found_error",
			    "404: and the error type");
			is_int(r->sess[0].last, STREAM_ENDED,
			    "404: the other session was not disturbed");
			run_free(r);
		}
		fault_stop(&f);
	}
	return done_testing();
}
