/*
 * stream.h -- follow any number of sessions at once: history, then live
 * events, each exactly once and in log order, across reconnections.
 *
 * The SSE stream carries only what is emitted after it opens, has no ids
 * to resume from, and drops silently.  So on every (re)connect a stream
 * is opened FIRST; once its headers arrive (the server is subscribed),
 * the history is paged (GET .../events, ascending) while live frames are
 * held; then they are drained and live events flow.  Past max_held bytes
 * the stream is paused instead of held (TCP then holds the server back),
 * so a fast stream cannot fill memory while the history is read.
 *
 * Duplicates are recognised with a watermark (struct stream_sync): the
 * newest processed_at delivered, and every id delivered within a reorder
 * window (reorder_ms) behind it.  The log is ordered by processed_at only
 * roughly -- a client event keeps its queued place but takes the time it
 * was processed, so a neighbour may be slightly older -- so an event is
 * new when its id is not in the window, and old when it is before the
 * window.  A reconnect asks only for created_at[gte]=newest - window.
 * Memory is the ids of the window: a handful for a live session.
 * Callers that persist events resume from what they stored: the newest
 * processed_at and the ids stored at that instant (store_sync_get gives
 * both), or every id within reorder_ms of it.  An
 * event older than that point and not listed is asked about through
 * ops->known when there is one (the store can answer exactly), and is
 * otherwise taken as already delivered.
 *
 * Client events appear twice on the stream: queued (processed_at null),
 * then processed.  The queued copy is reported to ops->queued; only the
 * processed one is an event.  event_start/event_delta previews go to
 * ops->preview and are never events.  Frames with no event: line and
 * "ping" frames are dropped; an "event: error" frame fails the connection
 * (reconnect policy); a frame that is not a usable event (bad JSON, no
 * id) goes to ops->decode_error and the stream goes on.  A frame larger
 * than the SSE ceiling is reported the same way and forces a resync, so
 * the event is fetched from the history instead of being lost.
 *
 * Reconnection: exponential backoff with full jitter (api_retry.h),
 * honouring retry-after; the attempt count resets once a connection has
 * delivered a live event.  A connection silent for longer than the
 * heartbeat timeout is dead.  A stream that has never opened can be told
 * to give up after a few tries (first_tries), as a command line wants
 * for a wrong URL; once it has opened, it reconnects for ever.
 * Following stops after session.deleted or session.status_terminated
 * (STREAM_ENDED), or on a permanent error such as 404 (STREAM_FAILED).
 * Requests go through the client's budget.
 *
 * Everything runs on the client's loop.  Callbacks may call any function
 * here, including stream_unfollow() on their own stream.
 */
#ifndef PILOTHOUSE_STREAM_H
#define PILOTHOUSE_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "wire/api_client.h"
#include "wire/api_event.h"

struct stream_mgr;
struct stream;

enum stream_state {
	STREAM_CONNECTING,	/* waiting for the stream to open */
	STREAM_SYNCING,		/* open; reading the history */
	STREAM_LIVE,		/* caught up; events as they happen */
	STREAM_BACKOFF,		/* connection lost; reconnecting soon */
	STREAM_ENDED,		/* the session was deleted or terminated */
	STREAM_FAILED		/* a permanent error; not retried */
};

/* How far the log has been delivered (see above). */
struct stream_sync {
	char		*processed_at;	/* the newest delivered; NULL: none */
	char		**ids;		/* ids delivered within the window */
	size_t		 nids;
};

struct stream_ops {
	/* The next event of the log.  Takes ownership of ev. */
	void	(*event)(struct stream *, struct api_event *, void *);
	/* A client event was queued (processed_at null).  Borrowed. */
	void	(*queued)(struct stream *, const struct api_event *, void *);
	/* An event_start/event_delta preview.  Borrowed. */
	void	(*preview)(struct stream *, const struct api_event *, void *);
	/* Bytes that were not a usable event, and why.  Borrowed. */
	void	(*decode_error)(struct stream *, const char *, size_t,
		    const char *, void *);
	/* The state changed; err says why for BACKOFF and FAILED (borrowed,
	 * may be NULL). */
	void	(*state)(struct stream *, enum stream_state,
		    const struct api_error *, void *);
	/* Optional: non-zero if the caller already has the event with
	 * this id (see resuming, above).  NULL: trust the watermark. */
	int	(*known)(struct stream *, const char *, void *);
};

/* Tuning; zero fields take the defaults. */
struct stream_opts {
	int64_t			 heartbeat_ms;	/* default 60 s */
	int64_t			 backoff_base_ms; /* default 500 ms */
	int64_t			 backoff_cap_ms;  /* default 30 s */
	int			 page_limit;	/* history page size; 1000 */
	size_t			 max_frame;	/* SSE ceiling; 64 MiB */
	size_t			 max_held;	/* live bytes held while
						   syncing before the stream
						   is paused; 1 MiB */
	const char *const	*deltas;	/* event_deltas[]; NULL-ended */
	int			 first_tries;	/* give up (FAILED) when the
						   first connection fails this
						   often; 0: never */
	int64_t			 reorder_ms;	/* the reorder window; 2 s;
						   -1: none (exact order) */
};

#define STREAM_HEARTBEAT_MS	60000
#define STREAM_BACKOFF_BASE_MS	500
#define STREAM_BACKOFF_CAP_MS	30000
#define STREAM_PAGE_LIMIT	1000
#define STREAM_MAX_HELD		(1024u * 1024)
#define STREAM_REORDER_MS	2000

/* A manager on client c; ops and opts are copied.  Caller frees. */
struct stream_mgr	*stream_mgr_create(struct api_client *,
			    const struct stream_opts *,
			    const struct stream_ops *);
/* Stop every stream (no callbacks) and free. */
void			 stream_mgr_free(struct stream_mgr *);

/*
 * Follow session id from the watermark from (NULL: the whole history);
 * udata is handed to every callback.  Never NULL.
 */
struct stream		*stream_follow(struct stream_mgr *, const char *,
			    const struct stream_sync *, void *);
/* Stop following; no callback runs for s afterwards. */
void			 stream_unfollow(struct stream *);
/* The session id.  Borrowed; valid until unfollowed. */
const char		*stream_session(const struct stream *);
/* Connections made so far (1 + reconnections). */
unsigned		 stream_connects(const struct stream *);
const char		*stream_state_name(enum stream_state);

void			 stream_sync_clear(struct stream_sync *);

#endif
