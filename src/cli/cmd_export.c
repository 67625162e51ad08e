/* ISC licence: see COPYING.  export: a cached session's events as JSONL. */

#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "cli/cmd.h"
#include "cli/connect.h"
#include "cli/report.h"
#include "store/store.h"
#include "wire/api_page.h"
#include "wire/json_scan.h"

/*
 * Each event is written as the API's events list would give it, one per
 * line, in log order: the raw JSON as received, with the whitespace
 * between tokens removed (history pages may come pretty-printed; events
 * off the stream are compact already and are written byte for byte).
 *
 * A session that is not cached is fetched from the API first: its object
 * and its whole history, page by page, stored as they come, then written
 * out of the cache like any other.
 */

#define EXPORT_PAGE	1000	/* events per history page */

/* Where a fetched page goes. */
struct cmd_export_fetch {
	struct store	*st;
	const char	*session;
	size_t		 events;
};

/* Store one event of a fetched page (a bad one is recorded and shown). */
static void
cmd_export_fetch_event(const char *p, size_t len, void *arg)
{
	struct cmd_export_fetch	*f = arg;
	struct api_event	*ev;
	char			*cause = NULL;

	if ((ev = api_event_parse(p, len, &cause)) == NULL ||
	    ev->id == NULL) {
		store_decode_error_put(f->st, f->session, cause != NULL ?
		    cause : "event without an id", p, len);
		fprintf(stderr, "pilothouse: export: %s: skipped a malformed "
		    "event: ", f->session);
		connect_print(stderr, cause != NULL ? cause :
		    "event without an id", "\n");
		free(cause);
		api_event_free(ev);
		return;
	}
	store_event_put(f->st, f->session, ev);
	f->events++;
	api_event_free(ev);
}

/*
 * Fetch a session and its whole history from the API into the cache;
 * returns an exit status.
 */
static int
cmd_export_fetch(struct cmd_globals *g, struct store *st, const char *session)
{
	struct cmd_export_fetch	 f = { st, session, 0 };
	struct connect		 c;
	struct api_list		 l;
	struct api_error	 err;
	struct api_page		 pg;
	char			*body, *page = NULL, *cause = NULL;
	size_t			 len;
	int			 rv;

	if ((rv = connect_open(&c, g)) != CMD_EXIT_OK)
		return rv;
	if (api_wait(api_session_get(c.client, session, NULL, NULL), &body,
	    &len, &err) != 0)
		goto api_fail;
	if (store_session_put(st, body, len, &cause) == 0) {
		fprintf(stderr, "pilothouse: export: %s\n", cause);
		free(cause);
		cause = NULL;
	}
	free(body);
	memset(&l, 0, sizeof l);
	l.limit = EXPORT_PAGE;
	l.order = "asc";
	do {
		l.page = page;
		if (api_wait(api_events_list(c.client, session, &l, NULL,
		    NULL), &body, &len, &err) != 0) {
			free(page);
			goto api_fail;
		}
		free(page);
		page = NULL;
		if (api_page_scan(body, len, cmd_export_fetch_event, &f, &pg,
		    &cause) != 0) {
			fprintf(stderr, "pilothouse: export: %s: %s\n",
			    session, cause);
			free(cause);
			free(body);
			connect_close(&c);
			return CMD_EXIT_API;
		}
		free(body);
		page = pg.next_page;
		pg.next_page = NULL;
		if (pg.count == 0) {
			free(page);	/* an empty page ends the list too */
			page = NULL;
		}
		api_page_clear(&pg);
	} while (page != NULL);
	store_sync_set_full(st, session);
	connect_close(&c);
	if (store_flush(st, &cause) != 0) {
		fprintf(stderr, "pilothouse: export: %s\n", cause);
		free(cause);
		return CMD_EXIT_LOCAL;
	}
	return CMD_EXIT_OK;

api_fail:
	rv = connect_error(session, &err);
	api_error_clear(&err);
	connect_close(&c);
	return rv;
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
	struct store_session		 s;
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
		r = store_session_get(st, argv[optind], &s, &cause);
	if (r < 0) {
		fprintf(stderr, "pilothouse: export: %s\n", cause);
		free(cause);
		store_close(st);
		return CMD_EXIT_LOCAL;
	}
	if (r == 0) {
		/* Not cached: fetch it from the API into the cache. */
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
		r = cmd_export_write(st, argv[optind], markdown);
		store_close(st);
		return r;
	}
	store_session_clear(&s);
	r = cmd_export_write(st, argv[optind], markdown);
	store_close(st);
	return r;
}
