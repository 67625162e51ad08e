/*
 * console.h -- the operator console: fleet, sessions, approvals, grid,
 * files and audit panes over the ui core, and the steering actions.
 *
 * The console holds, per session, the timeline index, the files rebuilt
 * from its events and a summary of its state; event bodies are loaded
 * for the rows on screen through the host.  It does no I/O: the cli
 * layer (the host) reads the cache, follows the streams, runs the
 * reducer and sends what the operator decides, and tells the console
 * what happened:
 *
 *	console_event()		the next event of a session's log, in order
 *	console_preview()	an event_start / event_delta preview
 *	console_set_state()	the session's state after the reducer ran
 *	console_sent()		the answer to a send the console asked for
 *
 * Every steering action (steer, interrupt, approve, deny, custom tool
 * result) goes to the host's send and audit callbacks; with read-only
 * set none can be taken.
 */
#ifndef PILOTHOUSE_CONSOLE_H
#define PILOTHOUSE_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"
#include "base/loop.h"
#include "ui/timeline.h"
#include "ui/ui.h"
#include "wire/api_event.h"

enum console_status {
	CONSOLE_RUNNING,
	CONSOLE_IDLE,
	CONSOLE_WAITING,	/* needs approval or a custom tool result */
	CONSOLE_STALLED,	/* running, silent past the threshold */
	CONSOLE_ERROR,		/* the last turn ended in an error */
	CONSOLE_RESCHEDULED,
	CONSOLE_TERMINATED,
	CONSOLE__NSTATUS
};

/* A call waiting for the operator. */
#define CONSOLE_SEQ_UNKNOWN	UINT32_MAX	/* find the place by the id */

struct console_pending {
	char		*event_id;	/* the agent.*tool_use event id */
	uint32_t	 seq;		/* its place in the log, or unknown */
	int		 custom;	/* needs user.custom_tool_result */
	int64_t		 since_us;	/* when it was asked */
};

/* What the fleet shows of a session (the host maps the reducer's state). */
struct console_state {
	enum console_status	 status;	/* never STALLED: computed */
	const char		*title;
	const char		*agent;
	const char		*model;
	const char		*stop_reason;
	int64_t			 created_us;
	int64_t			 last_event_us;
	const char		*tool;		/* current tool call, or NULL */
	int64_t			 tool_since_us;
	int64_t			 tokens_in;	/* uncached + cache reads */
	int64_t			 tokens_out;
	int64_t			 cost_cents;	/* -1 when unknown */
	int			 errors;
	const struct console_pending *pending;
	size_t			 npending;
};

/* What the console asks of the cli layer. */
struct console_host {
	void		*arg;
	/* Event seq of a session's log, from the cache: a new event. */
	struct api_event *(*load)(void *, const char *, uint32_t);
	/* POST these events (a JSON array) to the session; answer with
	 * console_sent(token, error). */
	void		 (*send)(void *, const char *, const char *, uint64_t);
	/* Append an operator action to the audit log. */
	void		 (*audit)(void *, const char *, const char *,
			    const char *, const char *);
	/* The audit log, newest first, as display lines.  Caller frees
	 * with ui_strv_free. */
	char		**(*audit_list)(void *, size_t);
	/* The next event at or after from (dir > 0) or at or before it
	 * (dir < 0) whose text contains needle: its seq, or -1. */
	int64_t		 (*search)(void *, const char *, const char *,
			    int64_t, int);
	/* :new AGENT ENVIRONMENT [TITLE]; -1 with *cause. */
	int		 (*create)(void *, const char *, const char *,
			    const char *, char **);
	/* Completion words for "agent", "environment" or "session".
	 * Caller frees with ui_strv_free. */
	char		**(*words)(void *, const char *);
	/* :sql SQL: the rows of a read-only query over the cache, as
	 * text (caller frees), or NULL with *cause. */
	char		*(*sql)(void *, const char *, char **);
	/* Replay: compute the session's state after its first n events
	 * and hand it to set(setarg, state) before returning; -1 (with
	 * nothing set) if the cache cannot be read.  NULL: no replay. */
	int		 (*state_at)(void *, const char *, size_t,
			    void (*)(void *, const struct console_state *),
			    void *);
	/* R: fetch again. */
	void		 (*refresh)(void *);
	/* The operator quit (q, :q, C-c): stop the loop. */
	void		 (*quit)(void *);
};

struct console_config {
	const char	*endpoint;	/* shown in the header */
	int64_t		 stall_ms;	/* "stalled?" after this silence */
	/* The grid layout is kept per workspace in layout_path (see
	 * grid_state.h), read at start and written at exit; NULL: not. */
	const char	*layout_path;
	const char	*workspace;	/* the context, else the endpoint */
};

struct console;
struct console_session;

/* Take over the terminal; NULL with *cause.  Takes the keymap. */
struct console	*console_create(struct loop *, const struct ui_options *,
		    struct keymap *, const struct console_config *,
		    const struct console_host *, char **);
void		 console_free(struct console *);
struct ui	*console_ui(struct console *);

/* The session (created if new, shown in the fleet). */
struct console_session *console_session(struct console *, const char *);
/* The next event of a session's log (seq in order).  Takes ownership. */
void		 console_event(struct console *, const char *, uint32_t,
		    struct api_event *);
/* A stream preview for a session.  Borrowed. */
void		 console_preview(struct console *, const char *,
		    struct api_event *);
/* The session's state; copied. */
void		 console_set_state(struct console *, const char *,
		    const struct console_state *);
/* A send finished: error is NULL on success. */
void		 console_sent(struct console *, uint64_t, const char *);
/* The time now, as the session clock sees it (tests set it). */
void		 console_set_clock(struct console *, int64_t);

/* Open a session's timeline (the attach view), as Enter does. */
void		 console_open(struct console *, const char *);
/* How a replay starts (console_replay). */
struct console_replay {
	const char	*event_id;	/* open here, expanded; NULL: start */
	double		 speed;		/* 0: paused at the start; < 0: as
					   fast as possible */
	int64_t		 idle_cap_ms;	/* gaps capped at this; 0: off */
	int		 alone;		/* q quits (pilothouse replay) */
};

/*
 * Open the replay of a session (its events must be in the console);
 * -1 with *cause if the session or the event is unknown.
 */
int		 console_replay(struct console *, const char *,
		    const struct console_replay *, char **) AD_WARN_UNUSED;
/* Run a ":" command line; -1 with *cause. */
int		 console_command(struct console *, const char *, char **)
		    AD_WARN_UNUSED;

#endif
