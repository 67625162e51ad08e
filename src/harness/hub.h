/*
 * hub.h -- fan-out of one session's SSE stream to its subscribers.
 *
 * Each event is encoded once into a frame ("id: SEQ\nevent: TYPE\ndata:
 * JSON\n\n") kept in a per-session list; each subscriber (one stream
 * connection) has only a cursor into that list, so a thousand
 * subscribers cost a thousand cursors, not a thousand copies.  Frames are
 * freed as soon as every subscriber has sent them, and a subscriber that
 * falls more than the hub's byte budget behind is cut (its reads fail)
 * instead of holding memory or slowing anyone else down: publishing never
 * waits for a reader.
 *
 * Readers are driven by the HTTP server: hub_sub_read() copies what is
 * ready into the server's buffer, or, when nothing is, calls the
 * subscriber's suspend function (under the hub lock) and returns 0; the
 * next publish, ping or close calls its wake function once, just after
 * releasing the lock, so the woken reader does not find it taken.  That
 * is libmicrohttpd's suspend/resume: no polling, no busy callbacks, and
 * an idle stream holds no buffer of its own.  A subscriber whose wake is
 * due cannot be unsubscribed before it runs (its connection is parked),
 * and hub_close() returns only once every wake in flight has run.
 *
 * Preview frames (event_start, event_delta) are only sent to subscribers
 * that asked for that preview kind.  Thread safe.
 */
#ifndef PILOTHOUSE_HUB_H
#define PILOTHOUSE_HUB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define HUB_PREVIEW_MESSAGE	0x1	/* event_deltas[]=agent.message */
#define HUB_PREVIEW_THINKING	0x2	/* event_deltas[]=agent.thinking */

#define HUB_READ_END		(-1)	/* closed and everything was sent */
#define HUB_READ_CUT		(-2)	/* too slow, or the hub is gone */

struct hub;
struct hub_sub;

/* Park (called under the hub lock) or unpark (called just after it) the
 * subscriber's connection. */
typedef void	(*hub_wake_cb)(void *);

/* max_bytes: how far (in bytes) the slowest subscriber may lag. */
struct hub	*hub_create(size_t);
/* Close (subscribers see the end) and drop the hub's own reference. */
void		 hub_free(struct hub *);

/*
 * Publish one frame.  seq < 0 means a frame with no id: line: a preview
 * of the given preview kind, or (preview 0) an echo outside the log.
 * update means a frame a replaying subscriber must get even though it
 * is not after the replayed seq (a queued echo).  final closes the
 * stream after it.
 */
void		 hub_publish(struct hub *, int64_t, const char *, const char *,
		    size_t, int, int, int);
/* Every subscriber owes its client a heartbeat. */
void		 hub_ping(struct hub *);
/* End every subscriber's stream after what was already published; waits
 * for wakes other threads are still making. */
void		 hub_close(struct hub *);
size_t		 hub_nsubs(struct hub *);

/* A subscriber at the live end of the stream.  Caller frees with
 * hub_unsubscribe (the hub outlives it through a reference). */
struct hub_sub	*hub_subscribe(struct hub *, int, hub_wake_cb, hub_wake_cb,
		    void *);
/*
 * Frames to send before the live ones (the Last-Event-ID replay), and the
 * highest stored seq they cover: live frames up to it are skipped unless
 * they are updates.  Takes ownership of data (from malloc).
 */
void		 hub_sub_backlog(struct hub_sub *, char *, size_t, int64_t);
/* Copy up to max bytes; 0 after suspending, or HUB_READ_END/CUT. */
ssize_t		 hub_sub_read(struct hub_sub *, char *, size_t);
void		 hub_unsubscribe(struct hub_sub *);

#endif
