/*
 * console_int.h -- what the console's panes share (private to src/ui).
 *
 * struct console and struct console_session are defined here so that
 * the pane_*.c files of the console can read them; only console.c
 * changes them, except for per-session view state (drafts, tags).
 */
#ifndef PILOTHOUSE_CONSOLE_INT_H
#define PILOTHOUSE_CONSOLE_INT_H

#include <jansson.h>

#include "model/files.h"
#include "ui/console.h"
#include "ui/evcache.h"
#include "ui/pane.h"
#include "ui/timeline.h"

#define CONSOLE_CACHE_SLOTS	1024	/* bodies kept for drawing */
#define CONSOLE_MAX_SENDS	256	/* sends awaiting an answer */
#define CONSOLE_SUMMARY_MAX	256	/* bytes of a tool call summary */
#define CONSOLE_NOTIFY_GAP_US	(10 * 1000000) /* one bell per 10 s */

struct console_session {
	struct console		*con;
	char			*id;
	struct timeline		*tl;
	struct files		*files;
	uint32_t		 nevents;	/* next seq expected */
	/* The state as the host last gave it (strings owned). */
	struct console_state	 st;
	struct console_pending	*pending;
	size_t			 npending;
	int			 has_state;
	int64_t			 first_seen_us;
	/* View state kept across panes. */
	char			*draft;		/* unsent steer text */
	int			 tagged;
	int			 interrupted;	/* an interrupt was sent */
	/* Events that changed a file (write or edit), in log order. */
	uint32_t		*edits;
	size_t			 nedits, sedits;
};

/* A send waiting for its answer, for the toast it ends in. */
struct console_send {
	uint64_t	 token;
	char		*what;		/* "approve bash on sesn_..." */
	char		*hint;		/* said with the outcome, or NULL */
};

struct console {
	struct loop		*loop;
	struct ui		*ui;
	struct console_host	 host;
	struct console_config	 cfg;
	struct console_session	**sessions;	/* in arrival order */
	size_t			 nsessions;
	struct evcache		*cache;
	struct console_send	 sends[CONSOLE_MAX_SENDS];
	size_t			 nsends;
	uint64_t		 next_token;
	int64_t			 clock_us;	/* tests: fixed; 0: real */
	int64_t			 notified_us;	/* last bell or OSC 9 */
	int			 grid_n;	/* last grid size */
	int			 grid_zoom;	/* last grid zoomed */
	int			 grid_open;	/* a grid pane exists */
	char			*want_open;	/* open it once it appears */
	struct pane		*fleet;		/* the root pane */
	/* A replay open: the header counts its session as at the playhead
	 * (replay_at) in place of the live one (replay_of). */
	struct console_session	*replay_of;
	struct console_session	*replay_at;
};

/* y on a session (NULL: none): its id into buf; 1 if any. */
int		 console_copy_id(const struct console_session *, char *,
		    size_t);
/* Copy a state into a session; clear what it holds. */
void		 console_session_state(struct console_session *,
		    const struct console_state *);
void		 console_session_state_clear(struct console_session *);

/* Now in microseconds (real time, or the tests' clock). */
int64_t		 console_now_us(struct console *);
struct console_session *console_find(struct console *, const char *);
/* The session's status including "stalled?" (a label only). */
enum console_status console_status(struct console *,
		    const struct console_session *);
const char	*console_status_word(enum console_status);
enum ui_glyph	 console_status_glyph(enum console_status);
uint16_t	 console_status_style(enum console_status);
/* A timeline event's body, or NULL (not in the cache). */
struct api_event *console_body(struct console *, struct console_session *,
		    uint32_t);
/* "bash: make check" for a tool use event's input, into buf. */
void		 console_tool_summary(const char *, json_t *, char *, size_t);
/* The tool name and summary of a pending call, into the buffers. */
void		 console_pending_describe(struct console *,
		    struct console_session *, const struct console_pending *,
		    char *, size_t, char *, size_t);
/* "3s", "4m", "2h", "5d" for a duration in microseconds. */
void		 console_age(int64_t, char *, size_t);
/* "1.2k", "34M" for a count. */
void		 console_count(int64_t, char *, size_t);

/* Steering: each sends, audits and toasts the outcome. */
void		 console_steer(struct console *, struct console_session *,
		    const char *);
void		 console_interrupt(struct console *,
		    struct console_session *, const char *);
void		 console_confirm(struct console *, struct console_session *,
		    const char *, int, const char *);
void		 console_custom_result(struct console *,
		    struct console_session *, const char *, const char *);
/* Open the composer / deny-reason / custom-result prompts. */
void		 console_prompt_steer(struct console *,
		    struct console_session *);
void		 console_prompt_deny(struct console *,
		    struct console_session *, const char *);
void		 console_prompt_custom(struct console *,
		    struct console_session *, const char *);
/* Ask y/N before interrupting these sessions (NULL: the tagged). */
void		 console_ask_interrupt(struct console *,
		    struct console_session *);
/* A session action (steer, interrupt, approve, deny, deny with reason,
 * custom result, show, files) on cs about pd (NULL: its first pending
 * call); 0 if a is none of those. */
int		 console_act(struct console *, struct console_session *,
		    const struct console_pending *, enum ui_action);
/* The first pending call of a session, or NULL. */
const struct console_pending *console_first_pending(
		    const struct console_session *);
/* The next session needing attention after s (approval, then stalled,
 * then error, oldest first), or NULL. */
struct console_session *console_attention(struct console *);

/* Event idx expanded as text lines, diffs with +/- gutters.  Caller
 * frees. */
char		*console_payload(struct console *, struct console_session *,
		    uint32_t);

/* Panes of the console. */
struct pane	*pane_fleet_create(struct console *);
struct pane	*pane_session_create(struct console *,
		    struct console_session *, int);
void		 pane_session_show_event(struct pane *, uint32_t);
/* The session a pane shows, or NULL if it is not a session pane. */
struct console_session *pane_session_of(struct pane *);
/* Show the session as it was after its first n events (replay). */
void		 pane_session_set_limit(struct pane *, size_t);
struct pane	*pane_grid_create(struct console *, int);
/* A replay of cs positioned after its first pos events (the session
 * view under a limit, with a timeline strip and playback). */
struct pane	*pane_replay_create(struct console *, struct console_session *,
		    size_t, const struct console_replay *);
/* Expand the row of event idx in a session pane (a deep link). */
void		 pane_session_expand(struct pane *, uint32_t);
struct pane	*pane_approvals_create(struct console *);
struct pane	*pane_card_create(struct console *, struct console_session *,
		    const char *);
struct pane	*pane_files_create(struct console *,
		    struct console_session *);
struct pane	*pane_audit_create(struct console *);
/* A scrollable text: title, lines (taken), diff gutters if set. */
struct pane	*pane_text_create(struct ui *, const char *, char *, int);
/* A y/N question; yes(arg) runs on y; arg is freed with freearg. */
struct pane	*pane_confirm_create(struct ui *, const char *,
		    void (*)(void *), void *, void (*)(void *));

#endif
