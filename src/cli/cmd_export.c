/* ISC licence: see COPYING.  export: a cached session's events as JSONL. */

#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/loop.h"
#include "base/xmalloc.h"
#include "cli/cmd.h"
#include "cli/connect.h"
#include "cli/report.h"
#include "store/store.h"
#include "wire/json_scan.h"
#include "wire/stream.h"

/*
 * Each event is written as the API's events list would give it, one per
 * line, in log order: the raw JSON as received, with the whitespace
 * between tokens removed (history pages may come pretty-printed; events
 * off the stream are compact already and are written byte for byte).
 *
 * A session whose whole history is not in the cache (not there at all,
 * or only part of it: a tail stopped while paging, say) is fetched from
 * the API first: its object, then its history through the stream
 * manager (wire/stream.h), which pages the whole log and delivers each
 * event once, in order; events already cached are ignored by the store.
 * Once the history has been read to the end (the stream is live, or the
 * session is over) the cache is told it holds all of it and the events
 * are written out of the cache like any other.
 */

/* Following one session until its history is cached. */
struct cmd_export_fetch {
	struct connect	*c;
	struct store	*st;
	int		 rv;
};

/* One event of the log: into the cache. */
static void
cmd_export_event(struct stream *s, struct api_event *ev, void *arg)
{
	struct cmd_export_fetch	*f = arg;

	store_event_put(f->st, stream_session(s), ev);
	api_event_free(ev);
}

/* Something that was not an event: recorded and shown, not fatal. */
static void
cmd_export_decode_error(struct stream *s, const char *p, size_t len,
    const char *why, void *arg)
{
	struct cmd_export_fetch	*f = arg;

	connect_decode_error(f->st, "export", stream_session(s), why, p, len);
}

/* The whole history read (live or over), or a failure: stop. */
static void
cmd_export_state(struct stream *s, enum stream_state st,
    const struct api_error *err, void *arg)
{
	struct cmd_export_fetch	*f = arg;

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

/*
 * Fetch a session and its whole history from the API into the cache;
 * returns an exit status.
 */
static int
cmd_export_fetch(struct cmd_globals *g, struct store *st, const char *session)
{
	static const struct stream_ops	 ops = {
		.event = cmd_export_event,
		.decode_error = cmd_export_decode_error,
		.state = cmd_export_state
	};
	struct cmd_export_fetch		 f;
	struct connect			 c;
	struct api_error		 err;
	struct stream_mgr		*mgr;
	char				*body, *cause = NULL;
	size_t				 len;
	int				 rv;

	if ((rv = connect_open(&c, g)) != CMD_EXIT_OK)
		return rv;
	if (api_wait(api_session_get(c.client, session, NULL, NULL), &body,
	    &len, &err) != 0) {
		rv = connect_error(session, &err);
		api_error_clear(&err);
		connect_close(&c);
		return rv;
	}
	if (store_session_put(st, body, len, &cause) == 0) {
		fprintf(stderr, "pilothouse: export: %s\n", cause);
		free(cause);
		cause = NULL;
	}
	free(body);

	f.c = &c;
	f.st = st;
	f.rv = CMD_EXIT_OK;
	mgr = stream_mgr_create(c.client, &connect_stream_opts, &ops);
	stream_follow(mgr, session, NULL, &f);
	rv = loop_run(c.loop);
	stream_mgr_free(mgr);
	connect_close(&c);
	if (store_flush(st, &cause) != 0) {
		fprintf(stderr, "pilothouse: export: %s\n", cause);
		free(cause);
		if (rv == CMD_EXIT_OK)
			rv = CMD_EXIT_LOCAL;
	}
	return rv;
}

/* Does the cache hold the whole history of session?  -1 with *cause. */
static int
cmd_export_cached(struct store *st, const char *session, char **cause)
{
	struct store_sync	sy;
	int			r, full;

	if ((r = store_sync_get(st, session, &sy, cause)) != 1)
		return r;
	full = sy.full_history;
	store_sync_clear(&sy);
	return full;
}

/* Print every event of a session; returns an exit status. */
static int
cmd_export_events(struct store *st, const char *session)
{
	struct store_iter	*it;
	struct store_event	 e;
	struct buf		 line;
	char			*cause = NULL;
	int			 r;

	it = store_iter_events(st, session, 0, NULL, STORE_ITER_RAW, &cause);
	if (it == NULL)
		goto fail;
	buf_init(&line, BUF_UNBOUNDED);
	while ((r = store_iter_next(it, &e, &cause)) == 1) {
		buf_reset(&line);
		if (json_scan_minify(e.raw, e.rawlen, &line) != 0 ||
		    buf_putc(&line, '\n') != 0)
			fatalx("export: unbounded buffer refused");
		if (fwrite(line.data, 1, line.len, stdout) != line.len)
			break;
	}
	buf_clear(&line);
	store_iter_free(it);
	if (r < 0)
		goto fail;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "pilothouse: export: cannot write: %s\n",
		    strerror(errno));
		return CMD_EXIT_LOCAL;
	}
	return CMD_EXIT_OK;
fail:
	fprintf(stderr, "pilothouse: export: %s\n", cause);
	free(cause);
	return CMD_EXIT_LOCAL;
}

/* Write the Markdown report; returns an exit status. */
static int
cmd_export_markdown(struct store *st, const char *session)
{
	char	*cause = NULL;

	if (report_markdown(st, session, stdout, &cause) != 0 ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "pilothouse: export: %s\n", cause != NULL ?
		    cause : strerror(errno));
		free(cause);
		return CMD_EXIT_LOCAL;
	}
	return CMD_EXIT_OK;
}

/* The chosen format of a cached session; returns an exit status. */
static int
cmd_export_write(struct store *st, const char *session, int markdown)
{
	if (markdown)
		return cmd_export_markdown(st, session);
	return cmd_export_events(st, session);
}

/* export [--format jsonl|markdown] SESSION */
int
cmd_export_exec(struct cmd_globals *g, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "format",	required_argument,	NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry		*ce = cmd_find("export");
	struct store			*st;
	char				*cause = NULL, *path;
	int				 ch, r, markdown = 0;

	while ((ch = getopt_long(argc, argv, "+f:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "markdown") == 0)
				markdown = 1;
			else if (strcmp(optarg, "jsonl") == 0)
				markdown = 0;
			else
				return cmd_usage_error(ce, "unknown format "
				    "\"%s\" (jsonl or markdown)", optarg);
			break;
		default:
			return cmd_usage_error(ce, "unknown option");
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error(ce, "export takes one SESSION");

	if ((st = store_open(NULL, STORE_READONLY, &cause)) == NULL) {
		/* No cache at all is "not cached", not a failure. */
		path = store_default_path();
		r = access(path, F_OK) == 0 ? -1 : 0;
		free(path);
	} else
		r = cmd_export_cached(st, argv[optind], &cause);
	if (r < 0) {
		fprintf(stderr, "pilothouse: export: %s\n", cause);
		free(cause);
		store_close(st);
		return CMD_EXIT_LOCAL;
	}
	if (r == 0) {
		/* Not cached, or not all of it: fetch it into the cache. */
		free(cause);
		cause = NULL;
		store_close(st);
		if ((st = store_open(NULL, 0, &cause)) == NULL) {
			fprintf(stderr, "pilothouse: export: %s\n", cause);
			free(cause);
			return CMD_EXIT_LOCAL;
		}
		if ((r = cmd_export_fetch(g, st, argv[optind])) != 0) {
			store_close(st);
			return r;
		}
	}
	r = cmd_export_write(st, argv[optind], markdown);
	store_close(st);
	return r;
}
