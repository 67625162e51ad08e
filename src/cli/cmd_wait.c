/*
 * ISC licence: see COPYING.  wait SESSION --until idle|terminated: block
 * until the session's log says it is idle (or terminated).
 *
 * The latest status event is asked for first (one page of one event,
 * newest first, filtered by type); if it already matches, wait returns at
 * once.  Otherwise the session is followed (wire/stream.h) from that
 * event on, so no old history is read, until a matching status arrives.
 * A session that terminates while awaited idle is a failure (exit 1); a
 * deleted one counts as terminated.
 */

#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/loop.h"
#include "base/xmalloc.h"
#include "cli/cmd.h"
#include "cli/connect.h"
#include "wire/api_page.h"
#include "wire/stream.h"

struct wait {
	struct connect	 c;
	int		 want;		/* the awaited status type */
	int		 rv;
	int		 over;
	const char	*session;
	struct api_event *latest;	/* the latest status event, or NULL */
};

/* The status types, for the filter. */
static const char *const	wait_types[] = {
	"session.status_idle", "session.status_running",
	"session.status_rescheduled", "session.status_terminated", NULL
};

/* Decide on a status event: 0 keep waiting, else stop with t->rv set. */
static int
wait_decide(struct wait *w, const struct api_event *ev)
{
	int	ended = ev->type == API_EV_SESSION_STATUS_TERMINATED ||
	    ev->type == API_EV_SESSION_DELETED;

	if ((int)ev->type == w->want ||
	    (ended && w->want == API_EV_SESSION_STATUS_TERMINATED)) {
		w->rv = CMD_EXIT_OK;
		return 1;
	}
	if (ended) {
		fprintf(stderr, "pilothouse: %s: the session %s\n", w->session,
		    ev->type == API_EV_SESSION_DELETED ? "was deleted" :
		    "terminated");
		w->rv = CMD_EXIT_FAIL;
		return 1;
	}
	return 0;
}

/* The newest status event of the page (one element at most). */
static void
wait_latest(const char *p, size_t len, void *arg)
{
	struct wait	*w = arg;
	char		*cause = NULL;

	api_event_free(w->latest);
	if ((w->latest = api_event_parse(p, len, &cause)) == NULL)
		free(cause);
}

/*
 * An event after the latest status: is it the one?  Events from the
 * reorder window before the latest status (stream.h) come again and are
 * not news.
 */
static void
wait_event(struct stream *s, struct api_event *ev, void *arg)
{
	struct wait	*w = arg;

	if (w->latest != NULL && ev->processed_us != 0 &&
	    ev->processed_us < w->latest->processed_us) {
		api_event_free(ev);
		return;
	}
	if (!w->over && wait_decide(w, ev)) {
		w->over = 1;
		loop_exit(w->c.loop, w->rv);
	}
	api_event_free(ev);
}

/* Failures end the wait. */
static void
wait_state(struct stream *s, enum stream_state st,
    const struct api_error *err, void *arg)
{
	struct wait	*w = arg;

	if (w->over || (st != STREAM_FAILED && st != STREAM_ENDED))
		return;
	w->over = 1;
	if (st == STREAM_FAILED && err != NULL) {
		w->rv = connect_error(w->session, err);
	}
	loop_exit(w->c.loop, w->rv);
}

/* SIGINT or SIGTERM. */
static void
wait_signal(int sig, void *arg)
{
	struct wait	*w = arg;

	loop_exit(w->c.loop, CMD_EXIT_INTERRUPTED);
}

/* Wait until SESSION is idle or terminated. */
int
cmd_wait_exec(struct cmd_globals *g, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "until", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	static const struct stream_ops	 ops = {
		.event = wait_event,
		.state = wait_state
	};
	const struct cmd_entry		*ce = cmd_find("wait");
	struct wait			 w;
	struct api_list			 l;
	struct api_error		 err;
	struct api_page			 pg;
	struct stream_sync		 from;
	struct stream_mgr		*m;
	char				*body, *cause = NULL;
	size_t				 len;
	int				 ch, rv;

	memset(&w, 0, sizeof w);
	while ((ch = getopt_long(argc, argv, "u:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'u':
			if (strcmp(optarg, "idle") == 0)
				w.want = API_EV_SESSION_STATUS_IDLE;
			else if (strcmp(optarg, "terminated") == 0)
				w.want = API_EV_SESSION_STATUS_TERMINATED;
			else
				return cmd_usage_error(ce, "--until takes idle "
				    "or terminated");
			break;
		default:
			return cmd_usage_error(ce, "unknown option");
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error(ce, "wait takes one session");
	if (w.want == 0)
		return cmd_usage_error(ce, "--until idle|terminated is "
		    "required");
	w.session = argv[optind];
	if ((rv = connect_open(&w.c, g)) != CMD_EXIT_OK)
		return rv;

	memset(&l, 0, sizeof l);
	l.limit = 1;
	l.order = "desc";
	l.types = wait_types;
	if (api_wait(api_events_list(w.c.client, w.session, &l, NULL, NULL),
	    &body, &len, &err) != 0) {
		rv = connect_error(NULL, &err);
		api_error_clear(&err);
		goto out;
	}
	ch = api_page_scan(body, len, wait_latest, &w, &pg, &cause);
	free(body);
	api_page_clear(&pg);
	if (ch != 0) {
		fprintf(stderr, "pilothouse: %s: %s\n", w.session, cause);
		free(cause);
		rv = CMD_EXIT_API;
		goto out;
	}
	if (w.latest != NULL && w.latest->processed_at != NULL &&
	    wait_decide(&w, w.latest)) {
		rv = w.rv;
		goto out;
	}

	/* Follow from the latest status event on. */
	memset(&from, 0, sizeof from);
	if (w.latest != NULL && w.latest->processed_at != NULL &&
	    w.latest->id != NULL) {
		from.processed_at = w.latest->processed_at;
		from.ids = &w.latest->id;
		from.nids = 1;
	}
	if (loop_signal(w.c.loop, SIGINT, wait_signal, &w) != 0 ||
	    loop_signal(w.c.loop, SIGTERM, wait_signal, &w) != 0)
		fatal("loop_signal");
	m = stream_mgr_create(w.c.client, &connect_stream_opts, &ops);
	stream_follow(m, w.session, from.processed_at != NULL ? &from : NULL,
	    &w);
	rv = loop_run(w.c.loop);
	stream_mgr_free(m);
out:
	api_event_free(w.latest);
	connect_close(&w.c);
	return rv;
}
