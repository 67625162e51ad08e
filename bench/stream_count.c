/*
 * ISC licence: see COPYING.  stream_count -- the stream manager alone,
 * for comparison with the SDK on equal terms: follow sessions (history,
 * then live, exactly once) and count their events, storing nothing.
 * Usage: stream_count URL SESSION...; prints the count when every
 * session has ended.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/loop.h"
#include "wire/api_client.h"
#include "wire/stream.h"

static struct loop	*loop;
static unsigned long	 events;
static int		 open_streams;

/* Count an event. */
static void
sc_event(struct stream *s, struct api_event *ev, void *arg)
{
	events++;
	api_event_free(ev);
}

/* Stop when every session has ended (or failed). */
static void
sc_state(struct stream *s, enum stream_state st, const struct api_error *err,
    void *arg)
{
	if ((st == STREAM_ENDED || st == STREAM_FAILED) &&
	    --open_streams == 0)
		loop_exit(loop, st == STREAM_ENDED ? 0 : 1);
}

int
main(int argc, char **argv)
{
	static const struct stream_ops	 ops = {
		.event = sc_event, .state = sc_state
	};
	struct api_client		*c;
	struct stream_mgr		*m;
	char				*cause = NULL;
	int				 rv;

	if (argc < 3) {
		fprintf(stderr, "usage: stream_count URL SESSION...\n");
		return 2;
	}
	loop = loop_create();
	if ((c = api_client_create(loop, argv[1], NULL, &cause)) == NULL) {
		fprintf(stderr, "stream_count: %s\n", cause);
		return 2;
	}
	m = stream_mgr_create(c, NULL, &ops);
	for (int i = 2; i < argc; i++, open_streams++)
		stream_follow(m, argv[i], NULL, NULL);
	rv = loop_run(loop);
	printf("%lu\n", events);
	stream_mgr_free(m);
	api_client_free(c);
	loop_free(loop);
	return rv;
}
