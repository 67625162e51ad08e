/* ISC licence: see COPYING.  A session's whole history into the cache. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "base/clock.h"
#include "base/compiler.h"
#include "cli/connect.h"
#include "cli/fetch.h"
#include "store/store.h"
#include "wire/api_client.h"
#include "wire/api_event.h"
#include "wire/api_page.h"

#define FETCH_PAGE	1000	/* events per history page */
#define FETCH_BAR	30	/* cells of the progress bar */

/* Where a fetched page goes. */
struct fetch {
	struct store	*st;
	const char	*session;
	const char	*who;
	size_t		 events;
	int		 bar;		/* draw the progress bar */
	int64_t		 from_us;	/* the session's span, for the bar */
	int64_t		 to_us;
	int64_t		 last_us;	/* the newest event's time */
};

/* Store one event of a fetched page (a bad one is recorded and shown). */
static void
fetch_event(const char *p, size_t len, void *arg)
{
	struct fetch		*f = arg;
	struct api_event	*ev;
	char			*cause = NULL;

	if ((ev = api_event_parse(p, len, &cause)) == NULL ||
	    ev->id == NULL) {
		store_decode_error_put(f->st, f->session, cause != NULL ?
		    cause : "event without an id", p, len);
		fprintf(stderr, "%spilothouse: %s: %s: skipped a malformed "
		    "event: ", f->bar ? "\n" : "", f->who, f->session);
		connect_print(stderr, cause != NULL ? cause :
		    "event without an id", "\n");
		free(cause);
		api_event_free(ev);
		return;
	}
	store_event_put(f->st, f->session, ev);
	f->events++;
	if (ev->processed_us > 0)
		f->last_us = ev->processed_us;
	api_event_free(ev);
}

/* The bar: how far the events fetched reach into the session's span. */
static void
fetch_bar(const struct fetch *f)
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
	fprintf(stderr, "\rfetching %s [%s] %3d%% %zu events", f->session,
	    cells, pct, f->events);
	fflush(stderr);
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
	struct fetch		 f;
	struct connect		 c;
	struct api_list		 l;
	struct api_error	 err;
	struct api_page		 pg;
	char			*body, *page = NULL, *cause = NULL;
	size_t			 len;
	int			 rv;

	memset(&f, 0, sizeof f);
	f.st = st;
	f.session = session;
	f.who = who;
	f.bar = progress && isatty(STDERR_FILENO);
	if ((rv = connect_open(&c, g)) != CMD_EXIT_OK)
		return rv;
	if (api_wait(api_session_get(c.client, session, NULL, NULL), &body,
	    &len, &err) != 0)
		goto api_fail;
	fetch_span(&f, body, len);
	if (store_session_put(st, body, len, &cause) == 0) {
		fprintf(stderr, "pilothouse: %s: %s\n", who, cause);
		free(cause);
		cause = NULL;
	}
	free(body);
	memset(&l, 0, sizeof l);
	l.limit = FETCH_PAGE;
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
		if (api_page_scan(body, len, fetch_event, &f, &pg,
		    &cause) != 0) {
			fprintf(stderr, "%spilothouse: %s: %s: %s\n",
			    f.bar ? "\n" : "", who, session, cause);
			free(cause);
			free(body);
			connect_close(&c);
			return CMD_EXIT_API;
		}
		free(body);
		fetch_bar(&f);
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
	if (f.bar) {
		f.last_us = f.to_us;
		fetch_bar(&f);
		fputc('\n', stderr);
	}
	if (store_flush(st, &cause) != 0) {
		fprintf(stderr, "pilothouse: %s: %s\n", who, cause);
		free(cause);
		return CMD_EXIT_LOCAL;
	}
	return CMD_EXIT_OK;

api_fail:
	if (f.bar)
		fputc('\n', stderr);
	rv = connect_error(session, &err);
	api_error_clear(&err);
	connect_close(&c);
	return rv;
}
