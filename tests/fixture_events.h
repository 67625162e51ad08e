/*
 * fixture_events.h -- the wire fixtures as parsed events, for the C tests
 * of the layers above the wire (store, model): the events of an SSE
 * fixture as a client keeps them (pings and frames without an event name
 * dropped), JSON lines, and the data array of an events-list page.  A
 * fixture that does not parse ends the test program with a failure.
 */
#ifndef PILOTHOUSE_FIXTURE_EVENTS_H
#define PILOTHOUSE_FIXTURE_EVENTS_H

#include "wire/api_event.h"
#include "wire/json_scan.h"
#include "wire/sse_parser.h"
#include "fixture.h"

struct fixture_events {
	struct api_event	**v;
	size_t			  n;
};

/* Parse one event and append it. */
static __attribute__((unused)) void
fixture_events_add(struct fixture_events *e, const char *text, size_t len)
{
	char	*cause = NULL;

	e->v = xreallocarray(e->v, e->n + 1, sizeof *e->v);
	if ((e->v[e->n] = api_event_parse(text, len, &cause)) == NULL) {
		printf("Bail out! %s: %.*s\n", cause, (int)len, text);
		exit(1);
	}
	e->n++;
}

/* SSE frame callback: keep event frames, drop pings and nameless ones. */
static __attribute__((unused)) int
fixture_events_frame(const struct sse_frame *f, void *arg)
{
	if (f->event != NULL && strcmp(f->event, "ping") != 0)
		fixture_events_add(arg, f->data, f->datalen);
	return 0;
}

/* Append the events of an SSE fixture, in stream order. */
static __attribute__((unused)) void
fixture_events_sse(struct fixture_events *e, const char *name)
{
	struct sse_parser	*sp;
	char			*text;
	size_t			 len;

	text = fixture_read(name, &len);
	sp = sse_parser_create(SSE_DEFAULT_MAX_FRAME, fixture_events_frame,
	    NULL, e);
	if (sse_parser_feed(sp, text, len) != SSE_OK)
		exit(1);
	sse_parser_free(sp);
	free(text);
}

/* Append every line of a JSON-lines fixture. */
static __attribute__((unused)) void
fixture_events_lines(struct fixture_events *e, const char *name)
{
	char	*text, **lines;
	size_t	 n;

	text = fixture_read(name, NULL);
	lines = fixture_lines(text, &n);
	for (size_t i = 0; i < n; i++)
		fixture_events_add(e, lines[i], strlen(lines[i]));
	free(lines);
	free(text);
}

/* Append the elements of a page fixture's data array, each as its text
 * appears in the file. */
static __attribute__((unused)) void
fixture_events_page(struct fixture_events *e, const char *name)
{
	struct json_scan_iter	 it;
	struct json_span	 data, v;
	char			*text;
	size_t			 len;

	text = fixture_read(name, &len);
	if (json_scan_member(text, len, "data", &data) != 1 ||
	    json_scan_array_init(&it, data.p, data.len) != 0)
		exit(1);
	while (json_scan_array_next(&it, &v) == 1)
		fixture_events_add(e, v.p, v.len);
	free(text);
}

/* Free the events and empty the list. */
static __attribute__((unused)) void
fixture_events_free(struct fixture_events *e)
{
	for (size_t i = 0; i < e->n; i++)
		api_event_free(e->v[i]);
	free(e->v);
	e->v = NULL;
	e->n = 0;
}

#endif
