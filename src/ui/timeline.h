/*
 * timeline.h -- the index behind a session's timeline view.
 *
 * One small entry per event of the session's log (40 bytes, plus 16 for
 * the id hash table and the row lists), holding what the view needs to
 * lay out rows without the event's body: type, time, thread lane, the
 * model request it belongs to, and links between a tool use, its
 * confirmation and its result, a request's start and end.  Bodies stay
 * in the cache and are loaded for the rows on screen only.
 *
 * Rows: the events that show as a line of their own.  A result folds
 * into its tool use, a confirmation into the use it answers, a request's
 * end into its start; status and usage events show only in details mode.
 * Rows are kept in log order, so the view at any position of the log
 * (replay) is a prefix: a tl_view's limit makes only the first N events
 * count, in O(log n), and links to events past the limit read as "not
 * yet".  Several panes can look at one timeline with different views.
 * Delta previews of messages being written (api.md 7.4) are kept beside
 * the log and dropped when their final event or the end of their model
 * request arrives.
 *
 * Pure: fed records in log order by the cli glue (live) or a replayer.
 */
#ifndef PILOTHOUSE_TIMELINE_H
#define PILOTHOUSE_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "wire/api_event.h"

#define TL_NONE		UINT32_MAX
#define TL_MAX_LANES	256
#define TL_MAX_PREVIEW	(1024 * 1024)	/* bytes of preview text */

/* Flags of an entry. */
#define TL_ERROR	0x01	/* is_error, session.error, failed request */
#define TL_RETRY	0x02	/* session.error retrying, rescheduled */
#define TL_ASK		0x04	/* a tool use held for confirmation */
#define TL_DENY		0x08	/* a confirmation that denied */
#define TL_FOLDED	0x10	/* shown inside another row */
#define TL_DETAIL	0x20	/* a row in details mode only */
#define TL_AUTODENY	0x40	/* evaluated_permission deny */

/* What the timeline needs of one event, cheap to get (timeline_record). */
struct tl_record {
	uint32_t		 seq;		/* position in the log */
	enum api_event_type	 type;
	int64_t			 time_us;
	uint64_t		 id;		/* hash of the event id */
	uint64_t		 ref;		/* hash of the id referred to */
	char			 thread[72];	/* session_thread_id, or "" */
	char			 agent[72];	/* agent_name / peer, or "" */
	int			 flags;		/* TL_ERROR, TL_RETRY, TL_ASK,
						   TL_DENY, TL_AUTODENY */
};

/* One event of the log (40 bytes). */
struct tl_event {
	uint32_t	seq;
	uint8_t		type;		/* enum api_event_type */
	uint8_t		flags;
	uint16_t	lane;		/* 0: the primary thread */
	int64_t		time_us;
	uint32_t	link;		/* use/result, start/end; TL_NONE */
	uint32_t	conf;		/* use: its confirmation; TL_NONE */
	uint32_t	group;		/* its request's start, or TL_NONE */
	uint64_t	idhash;		/* timeline_hash() of the id */
};

struct tl_preview {
	uint64_t	id;
	int		thinking;
	uint32_t	group;		/* the request it belongs to */
	int		truncated;	/* hit TL_MAX_PREVIEW */
	struct buf	text;
};

struct timeline;

struct timeline	*timeline_create(void);
void		 timeline_free(struct timeline *);
/*
 * Fill r from an event without building its JSON tree (one scan of the
 * top-level members).  -1 when the event's text is not an object.
 */
int		 timeline_record(const struct api_event *, uint32_t,
		    struct tl_record *);
/* The 64-bit hash timelines use for ids. */
uint64_t	 timeline_hash(const char *, size_t);
/* Append the next event of the log; returns its index. */
uint32_t	 timeline_append(struct timeline *, const struct tl_record *);
/* A stream preview (event_start / event_delta). */
void		 timeline_preview(struct timeline *, struct api_event *);

size_t		 timeline_count(const struct timeline *);
const struct tl_event *timeline_event(const struct timeline *, uint32_t);
/* The event with this id hash, or TL_NONE. */
uint32_t	 timeline_find(const struct timeline *, uint64_t);
/*
 * How a pane looks at the timeline: with or without details, and
 * counting only the first limit events (SIZE_MAX: all; replay sets it).
 */
struct tl_view {
	int	details;
	size_t	limit;
};

/* Is index i (a link) an event within the view's limit? */
int		 timeline_visible(const struct timeline *,
		    const struct tl_view *, uint32_t);
/* Rows within the view. */
size_t		 timeline_rows(const struct timeline *, const struct tl_view *);
uint32_t	 timeline_row_event(const struct timeline *,
		    const struct tl_view *, size_t);
/* The row showing event i (its own, or the one it folds into, or the
 * last row before it). */
size_t		 timeline_row_of(const struct timeline *,
		    const struct tl_view *, uint32_t);

/* The thread lane's id and agent name ("" for lane 0). */
const char	*timeline_lane_thread(const struct timeline *, uint16_t);
const char	*timeline_lane_agent(const struct timeline *, uint16_t);

/* Open previews (none under a limit: previews are not in the log). */
size_t		 timeline_previews(const struct timeline *,
		    const struct tl_view *);
const struct tl_preview *timeline_preview_at(const struct timeline *,
		    size_t);

/* Bytes held by the index (benchmarks: bytes per event). */
size_t		 timeline_memory(const struct timeline *);

#endif
