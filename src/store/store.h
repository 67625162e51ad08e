/*
 * store.h -- the event cache: every session, agent and event pilothouse
 * has seen, in SQLite at $XDG_CACHE_HOME/pilothouse/cache.db, for
 * offline replay, export and reports.
 *
 * Writes never block the caller on the disk.  Each *_put call copies its
 * arguments into a bounded queue and returns a ticket (1, 2, 3... in call
 * order); a writer thread applies the queue in transactions of up to
 * max_events items or max_ms milliseconds, whichever comes first.  A
 * ticket is durable once a commit covers it: the ack callback (run on the
 * caller's loop through loop_post) is told the highest ticket committed,
 * and store_flush() blocks until everything queued so far is.  Committed
 * data survives the process being killed at any moment (WAL); only a
 * power cut can lose the last commits (synchronous=NORMAL).  When the
 * queue is full, *_put blocks until the writer catches up.
 *
 * Events are kept exactly as received (raw JSON), in arrival order, and
 * unique per (session, event id): a repeat is ignored, except that the
 * processed copy of a client event replaces its queued echo (processed_at
 * null) and takes its place at the end of the log.  Events without an id
 * (stream-only previews) are not stored.
 *
 * Readers use the caller's own connection and see what is committed.
 * Use one struct store per thread.  The store never holds an API key:
 * there is no column for one, and authorization_token members are removed
 * from session objects before they are written.
 */
#ifndef PILOTHOUSE_STORE_H
#define PILOTHOUSE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/compiler.h"
#include "wire/api_event.h"

struct loop;
struct store;
struct store_iter;

#define STORE_READONLY		0x1	/* no writer: readers only */

#define STORE_DEFAULT_BATCH	2000	/* items per transaction */
#define STORE_DEFAULT_BATCH_MS	50	/* longest wait before a commit */

/*
 * Told that every write with a ticket up to the first argument has been
 * handled; error is NULL when all were committed, else the reason some
 * in the last range were not (borrowed; valid during the call).
 */
typedef void	(*store_ack_cb)(uint64_t, const char *, void *);

/* Open (creating and migrating) the cache at path, or at the default
 * place when path is NULL.  NULL with *cause.  Caller frees with
 * store_close, which commits everything queued first. */
struct store	*store_open(const char *, int, char **);
/* $XDG_CACHE_HOME/pilothouse/cache.db.  Caller frees. */
char		*store_default_path(void);
void		 store_close(struct store *);
const char	*store_path(const struct store *);
/* Run cb on loop after each commit.  Call before the first put. */
void		 store_set_ack(struct store *, struct loop *, store_ack_cb,
		    void *);
/* Change the batch limits (items, milliseconds); both at least 1. */
void		 store_set_batch(struct store *, size_t, int64_t);

/*
 * Queue writes; each returns its ticket, or 0 when nothing was queued
 * (an event without an id; a session or agent that is not valid JSON,
 * with *cause set).
 */
uint64_t	 store_event_put(struct store *, const char *,
		    const struct api_event *);
uint64_t	 store_session_put(struct store *, const char *, size_t,
		    char **);
uint64_t	 store_agent_put(struct store *, const char *, size_t,
		    char **);
/* Mark a session's whole history as fetched. */
uint64_t	 store_sync_set_full(struct store *, const char *);
/* Record an operator action (the console's audit log). */
uint64_t	 store_audit_put(struct store *, const char *, const char *,
		    const char *, const char *, const char *);
/* Record an undecodable frame: session, cause, and its first bytes. */
uint64_t	 store_decode_error_put(struct store *, const char *,
		    const char *, const void *, size_t);
/* Wait until every write queued so far is committed; -1 with *cause if
 * any of them could not be. */
int		 store_flush(struct store *, char **) AD_WARN_UNUSED;
/* The highest ticket committed so far. */
uint64_t	 store_committed(struct store *);

/* A cached session, as listed. */
struct store_session {
	char		*id;
	char		*title;		/* NULL when untitled */
	char		*status;	/* idle, running... or NULL */
	char		*agent_id;
	char		*agent_name;
	int64_t		 agent_version;	/* 0 when unknown */
	char		*model;
	char		*environment_id;
	char		*created_at;
	char		*updated_at;
	int64_t		 last_event_us;	/* newest processed_at, 0 if none */
	int64_t		 nevents;
};

/* All sessions, newest first.  -1 with *cause.  Caller frees with
 * store_sessions_free. */
int		 store_sessions_list(struct store *, struct store_session **,
		    size_t *, char **) AD_WARN_UNUSED;
void		 store_sessions_free(struct store_session *, size_t);
/* One session: 1 found (fills *s; clear with store_session_clear), 0 not
 * cached, -1 with *cause. */
int		 store_session_get(struct store *, const char *,
		    struct store_session *, char **) AD_WARN_UNUSED;
void		 store_session_clear(struct store_session *);
/* The session's or agent's JSON as last received (into b, appended):
 * 1 found, 0 absent, -1 with *cause. */
int		 store_session_raw(struct store *, const char *, struct buf *,
		    char **) AD_WARN_UNUSED;
int		 store_agent_raw(struct store *, const char *, struct buf *,
		    char **) AD_WARN_UNUSED;

/* One stored event.  Strings are borrowed until the next call on the
 * iterator; raw is NULL unless STORE_ITER_RAW was asked for. */
struct store_event {
	int64_t		 seq;		/* arrival order, unique in the file */
	const char	*event_id;
	const char	*type;		/* as received */
	int64_t		 processed_us;	/* -1 for a queued echo */
	/* Results: the use answered and is_error (1, 0, -1) as struct
	 * api_event has them; tool_use_id NULL for a row stored before
	 * the columns were (read the body).  Other types: NULL, -1. */
	const char	*tool_use_id;
	int		 is_error;
	size_t		 rawlen;
	const char	*raw;
};

#define STORE_ITER_RAW	0x1	/* also read the raw JSON */

/*
 * Iterate a session's events in log order, starting after seq (0: from
 * the start), optionally only those of one type (NULL: all).  NULL with
 * *cause.  Caller frees with store_iter_free.
 */
struct store_iter *store_iter_events(struct store *, const char *, int64_t,
		    const char *, int, char **);
/* 1 with *e filled, 0 at the end, -1 with *cause. */
int		 store_iter_next(struct store_iter *, struct store_event *,
		    char **) AD_WARN_UNUSED;
/* Read the raw JSON of the current event of an iteration opened without
 * STORE_ITER_RAW into e (borrowed likewise): 1, or -1 with *cause. */
int		 store_iter_raw(struct store_iter *, struct store_event *,
		    char **) AD_WARN_UNUSED;
void		 store_iter_free(struct store_iter *);
/* Events of a session (of one type, or all); -1 with *cause. */
int64_t		 store_events_count(struct store *, const char *,
		    const char *, char **);
/* The seq of an event by id: 1 found, 0 absent, -1 with *cause. */
int		 store_event_find(struct store *, const char *, const char *,
		    int64_t *, char **) AD_WARN_UNUSED;
/* The raw JSON of the event at seq, appended to b: 1, 0 absent, -1. */
int		 store_event_raw(struct store *, int64_t, struct buf *,
		    char **) AD_WARN_UNUSED;

/*
 * Where history paging can resume: the newest processed_at stored for
 * the session, the ids stored with exactly that time, and whether the
 * whole history has been fetched (store_sync_set_full).
 */
struct store_sync {
	char		*last_processed_at;	/* NULL when nothing stored */
	int64_t		 last_us;
	char		**seen_ids;
	size_t		 nseen;
	int		 full_history;
};

/* 1 found (clear with store_sync_clear), 0 nothing known, -1 *cause. */
int		 store_sync_get(struct store *, const char *,
		    struct store_sync *, char **) AD_WARN_UNUSED;
void		 store_sync_clear(struct store_sync *);

/* One audit log or decode error record. */
struct store_record {
	int64_t		 seq;
	int64_t		 time_us;
	char		*session_id;
	char		*user;		/* audit: who */
	char		*action;	/* audit: what ("approve", ...) */
	char		*event_ids;	/* audit: the events acted on */
	char		*detail;	/* audit detail, or decode cause */
	char		*head;		/* decode errors: first bytes */
	size_t		 headlen;
};

/* The audit log or the decode errors, oldest first, of one session or
 * all (NULL).  -1 with *cause.  Free with store_records_free. */
int		 store_audit_list(struct store *, const char *,
		    struct store_record **, size_t *, char **) AD_WARN_UNUSED;
int		 store_decode_errors_list(struct store *, const char *,
		    struct store_record **, size_t *, char **) AD_WARN_UNUSED;
void		 store_records_free(struct store_record *, size_t);

#endif
