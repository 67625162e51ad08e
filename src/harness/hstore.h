/*
 * hstore.h -- the local harness's database (harness.db).
 *
 * Agents (every version kept), environments, sessions and each session's
 * event log, in SQLite through store/db.h (0600 file in a 0700 directory,
 * WAL, versioned migrations).  Objects are stored as their public JSON
 * (body) plus the few columns lists filter and sort on.
 *
 * The event log is append-only and in processed_at order: a row is
 * written once, with a per-session seq, and never changed.  A client
 * event the runner has not processed yet (user.message,
 * user.tool_confirmation) waits in a separate pending table and enters
 * the log, with its processed_at, only when processed -- in the same
 * transaction as the events that go with it (the status_running that
 * starts a turn), and taken out of pending by that same transaction.
 * Each event also has a private JSON column for what the public event
 * must not show (thinking text, provider tool ids, autopilot, denial and
 * interrupt markers).  Every append is one transaction together with
 * the session row it changes, so a process killed at any point leaves a
 * consistent log: an event is pending or logged, never both or neither.
 *
 * One connection serialised by a mutex: every function is thread safe.
 * Bodies handed in are copied; strings handed out are owned by the
 * caller unless said otherwise.
 */
#ifndef PILOTHOUSE_HSTORE_H
#define PILOTHOUSE_HSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"

struct hstore;

enum hstore_kind {
	HSTORE_AGENTS,		/* latest version of each agent */
	HSTORE_AGENT_VERSIONS,	/* every version of one agent */
	HSTORE_ENVIRONMENTS,
	HSTORE_SESSIONS,
	HSTORE_EVENTS		/* one session's log */
};

#define HSTORE_NONE	INT64_MIN	/* an absent bound */

/* What a list returns and how it is cut (keyset pagination). */
struct hstore_query {
	enum hstore_kind	 kind;
	int			 limit;		/* rows to return */
	int			 desc;		/* newest (highest key) first */
	/* the keyset cursor: rows strictly after (key, id) in list order */
	int			 has_after;
	int64_t			 after_key;
	const char		*after_id;
	/* Walk backwards from the cursor (sessions' prev_page). */
	int			 before;
	int			 include_archived;
	/* created_at for agents/sessions, processed_at for events (us) */
	int64_t			 gt, gte, lt, lte;
	const char		*parent_id;	/* agent (versions), session
						   (events) */
	const char		*agent_id;	/* sessions */
	int64_t			 agent_version;	/* sessions; HSTORE_NONE */
	const char *const	*statuses;	/* sessions */
	size_t			 nstatuses;
	const char *const	*types;		/* events */
	size_t			 ntypes;
};

/* One listed row. */
struct hstore_row {
	char		*body;		/* public JSON */
	int64_t		 key;		/* created_us, version or seq */
	char		*id;
};

struct hstore_rows {
	struct hstore_row	*rows;
	size_t			 n;
	int			 more;		/* rows past the last one */
};

/* One event of a log, as loaded. */
struct hstore_event {
	int64_t		 seq;
	const char	*id;
	const char	*type;
	const char	*processed_at;	/* NULL when queued */
	int64_t		 processed_us;	/* 0 when queued */
	const char	*body;
	const char	*private;	/* NULL when none */
};

/* Called per event in seq order; non-zero stops.  Fields borrowed. */
typedef int	(*hstore_event_cb)(const struct hstore_event *, void *);

struct hstore	*hstore_open(const char *, char **);
void		 hstore_close(struct hstore *);

/* Agents: put a new version (the first creates the agent). */
int	 hstore_agent_put(struct hstore *, const char *, int64_t, int64_t,
	    const char *, char **) AD_WARN_UNUSED;
/* Archive flag on the agents row (the latest body is rewritten too). */
int	 hstore_agent_archive(struct hstore *, const char *, const char *,
	    char **) AD_WARN_UNUSED;
/* Version 0 is the latest.  NULL with *cause NULL when not found. */
char	*hstore_agent_get(struct hstore *, const char *, int64_t, char **);

/* Environments and sessions: one body per id (insert or replace). */
int	 hstore_env_put(struct hstore *, const char *, int64_t, int,
	    const char *, char **) AD_WARN_UNUSED;
char	*hstore_env_get(struct hstore *, const char *, char **);
int	 hstore_env_delete(struct hstore *, const char *, char **)
	    AD_WARN_UNUSED;

struct hstore_session_row {
	const char	*id;
	int64_t		 created_us;
	const char	*status;
	int		 archived;
	const char	*agent_id;
	int64_t		 agent_version;
	const char	*body;
};
int	 hstore_session_put(struct hstore *, const struct hstore_session_row *,
	    char **) AD_WARN_UNUSED;
char	*hstore_session_get(struct hstore *, const char *, char **);
/* Ids of every session that is neither archived nor terminated, oldest
 * first (loaded at start).  Caller frees each and the array. */
int	 hstore_session_ids(struct hstore *, char ***, size_t *, char **)
	    AD_WARN_UNUSED;
/* The session and its whole log. */
int	 hstore_session_delete(struct hstore *, const char *, char **)
	    AD_WARN_UNUSED;

/*
 * Append n events (removing any of their ids from pending); when session
 * is not NULL the session row is updated in the same transaction.
 */
int	 hstore_event_append(struct hstore *, const char *,
	    const struct hstore_event *, size_t,
	    const struct hstore_session_row *, char **) AD_WARN_UNUSED;
/* Queue a client event (id, type, body, private) until processed. */
int	 hstore_pending_add(struct hstore *, const char *,
	    const struct hstore_event *, char **) AD_WARN_UNUSED;
/* Every pending event of a session in arrival order (seq and
 * processed_at unset).  Fields borrowed. */
int	 hstore_pending_foreach(struct hstore *, const char *,
	    hstore_event_cb, void *, char **) AD_WARN_UNUSED;
/* Every event of a session in seq order. */
int	 hstore_events_foreach(struct hstore *, const char *, hstore_event_cb,
	    void *, char **) AD_WARN_UNUSED;
/* The highest seq of a session, 0 when empty. */
int64_t	 hstore_events_last_seq(struct hstore *, const char *);

/* A page of a list. */
int	 hstore_list(struct hstore *, const struct hstore_query *,
	    struct hstore_rows *, char **) AD_WARN_UNUSED;
void	 hstore_rows_clear(struct hstore_rows *);

#endif
