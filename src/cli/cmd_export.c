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
#include "cli/fetch.h"
#include "cli/report.h"
#include "store/store.h"
#include "wire/json_scan.h"

/*
 * Each event is written as the API's events list would give it, one per
 * line, in log order: the raw JSON as received, with the whitespace
 * between tokens removed (history pages may come pretty-printed; events
 * off the stream are compact already and are written byte for byte).
 *
 * A session whose whole history is not in the cache (not there at all,
 * or only part of it: a tail stopped while paging, say) is fetched into
 * the cache first (cli/fetch.h) and then written out of it like any
 * other.
 */

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
		r = fetch_history(g, st, argv[optind], "export", 0);
		if (r != 0) {
			store_close(st);
			return r;
		}
	}
	r = cmd_export_write(st, argv[optind], markdown);
	store_close(st);
	return r;
}
