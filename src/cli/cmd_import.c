/* ISC licence: see COPYING.  import: events from a file into the cache. */

#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/io.h"
#include "base/rand.h"
#include "base/xmalloc.h"
#include "cli/cmd.h"
#include "store/store.h"
#include "wire/api_event.h"
#include "wire/json_scan.h"

/*
 * A file is either one events-list page ({"data":[...],...}, as GET
 * .../events returns it) or JSON lines, one event per line (what export
 * writes).  Every event is checked before anything is written, so a bad
 * file imports nothing; events already cached are left as they are, so
 * importing twice is harmless.  Each event's JSON is stored exactly as it
 * appears in the file, and export writes it back in the same order.  The
 * session is marked as holding its whole history, so export prints it
 * from the cache instead of asking the API for the rest.
 */

#define IMPORT_MAX_FILE	(1024u << 20)	/* 1 GiB */

struct import {
	struct api_event	**v;
	size_t			  n;
};

/* Parse one event (from file at where) and keep it; -1 after a message. */
static int
cmd_import_add(struct import *im, const char *text, size_t len,
    const char *file, const char *where, size_t at)
{
	struct api_event	*ev;
	char			*cause = NULL;

	if ((ev = api_event_parse(text, len, &cause)) == NULL) {
		fprintf(stderr, "pilothouse: import: %s: %s %zu: %s\n", file,
		    where, at, cause);
		free(cause);
		return -1;
	}
	if (ev->id == NULL) {
		fprintf(stderr, "pilothouse: import: %s: %s %zu: a %s event "
		    "has no id (a stream preview?) and cannot be stored\n",
		    file, where, at, ev->type_name);
		api_event_free(ev);
		return -1;
	}
	im->v = xreallocarray(im->v, im->n + 1, sizeof *im->v);
	im->v[im->n++] = ev;
	return 0;
}

/* The events of a page object's data array; -1 after a message. */
static int
cmd_import_page(struct import *im, const struct json_span *data,
    const char *file)
{
	struct json_scan_iter	it;
	struct json_span	v;
	size_t			i = 0;
	int			r;

	if (json_scan_array_init(&it, data->p, data->len) != 0) {
		fprintf(stderr, "pilothouse: import: %s: \"data\" is not an "
		    "array\n", file);
		return -1;
	}
	while ((r = json_scan_array_next(&it, &v)) == 1)
		if (cmd_import_add(im, v.p, v.len, file, "data element",
		    i++) != 0)
			return -1;
	return r;
}

/* The events of a JSON-lines text; -1 after a message. */
static int
cmd_import_lines(struct import *im, char *text, size_t len, const char *file)
{
	char	*p = text, *end = text + len, *nl;
	size_t	 line = 0, n;

	for (; p < end; p = nl + 1) {
		line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n == 0 || strspn(p, " \t") >= n)
			continue;	/* blank lines are allowed */
		if (cmd_import_add(im, p, n, file, "line", line) != 0)
			return -1;
	}
	return 0;
}

/* Read and check one file. */
static int
cmd_import_file(struct import *im, const char *file)
{
	struct buf		 b;
	struct json_span	 data;
	char			*cause = NULL;
	int			 rv;

	buf_init(&b, IMPORT_MAX_FILE);
	if (io_read_file(file, IMPORT_MAX_FILE, &b, &cause) != 0) {
		fprintf(stderr, "pilothouse: import: %s\n", cause);
		free(cause);
		return -1;
	}
	if (b.data == NULL) {
		fprintf(stderr, "pilothouse: import: %s is empty\n", file);
		return -1;
	}
	/* One object with a "data" member is a page; anything else, lines. */
	if (json_scan_valid(b.data, b.len) &&
	    json_scan_member(b.data, b.len, "data", &data) == 1)
		rv = cmd_import_page(im, &data, file);
	else
		rv = cmd_import_lines(im, b.data, b.len, file);
	buf_clear(&b);
	return rv;
}

/*
 * The session to import into: --session, else a file named after a
 * session (sesn_....jsonl, as export's output is often saved), else a
 * new local id.
 */
static char *
cmd_import_session(const char *given, const char *file)
{
	const char	*base;
	char		 id[RAND_ID_LEN];
	size_t		 n;

	if (given != NULL)
		return xstrdup(given);
	base = strrchr(file, '/') != NULL ? strrchr(file, '/') + 1 : file;
	n = strcspn(base, ".");
	if (strncmp(base, "sesn_", 5) == 0 && n > 5 && n < RAND_ID_LEN)
		return xstrndup(base, n);
	rand_id("sesn", id, sizeof id);
	return xstrdup(id);
}

/* import [--session ID] FILE... */
int
cmd_import_exec(struct cmd_globals *g, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "session",	required_argument,	NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry		*ce = cmd_find("import");
	struct import			 im = { NULL, 0 };
	struct store			*st;
	const char			*given = NULL;
	char				*session = NULL, *cause = NULL;
	int64_t				 before, after;
	int				 ch, rv = CMD_EXIT_LOCAL;

	while ((ch = getopt_long(argc, argv, "+s:", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (*optarg == '\0')
				return cmd_usage_error(ce, "empty session id");
			given = optarg;
			break;
		default:
			return cmd_usage_error(ce, "unknown option");
		}
	}
	if (optind >= argc)
		return cmd_usage_error(ce, "import needs a FILE");
	for (int i = optind; i < argc; i++)
		if (cmd_import_file(&im, argv[i]) != 0)
			goto out;

	session = cmd_import_session(given, argv[optind]);
	if ((st = store_open(NULL, 0, &cause)) == NULL)
		goto fail;
	if ((before = store_events_count(st, session, NULL, &cause)) < 0) {
		store_close(st);
		goto fail;
	}
	for (size_t i = 0; i < im.n; i++)
		(void)store_event_put(st, session, im.v[i]);
	/* The file is the session's log: export prints it as it is. */
	(void)store_sync_set_full(st, session);
	if (store_flush(st, &cause) != 0 ||
	    (after = store_events_count(st, session, NULL, &cause)) < 0) {
		store_close(st);
		goto fail;
	}
	store_close(st);
	printf("imported %zu events into %s (%lld new)\n", im.n, session,
	    (long long)(after - before));
	rv = CMD_EXIT_OK;
	goto out;
fail:
	fprintf(stderr, "pilothouse: import: %s\n", cause);
	free(cause);
out:
	for (size_t i = 0; i < im.n; i++)
		api_event_free(im.v[i]);
	free(im.v);
	free(session);
	return rv;
}
