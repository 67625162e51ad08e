/*
 * console_host.h -- the console's host: what glues the cache, the
 * streams and the API client to the ui layer's console (ui/console.h).
 *
 * At start the cached sessions and their events are shown at once from
 * the store; then, when a client is given, the sessions are listed from
 * the API, every one is followed (history then live, each event exactly
 * once, wire/stream.h) and every event is stored and shown.  Bodies of
 * the rows on screen are read back from the store on demand.  Steering
 * actions the operator takes are sent with the client and recorded in
 * the store's audit log with the operator's user name.
 *
 * The configuration ([ui] and [keys]) is read here too:
 *
 *	[ui]	theme = NAME		themes/NAME.theme (default)
 *		backend = ncurses|tickit
 *		colors = auto|none|16|256|truecolor
 *		ascii = yes|no		ASCII glyphs
 *		mouse = yes|no		mouse reporting (off by default)
 *		notify = bel|osc9|off	approvals and errors (bel; at
					most one per 10 s)
 *		clipboard = osc52|off	y copies ids with OSC 52 (osc52)
 *		stall = SECONDS		"stalled?" after this silence (120)
 *		header = yes|no		hints = yes|no
 *	[keys]	ACTION = KEY[,KEY...]	or CONTEXT.ACTION = ... (KEYS.md)
 */
#ifndef PILOTHOUSE_CONSOLE_HOST_H
#define PILOTHOUSE_CONSOLE_HOST_H

#include "base/compiler.h"
#include "cli/cmd.h"
#include "ui/console.h"

struct chost;
struct conf;
struct store;
struct api_client;

/*
 * Read [ui] and [keys] (and the --ui/--readonly globals) into the ui
 * options, the console settings and the keymap.  -1 with *cause naming
 * the bad setting.
 */
int	 chost_config(const struct conf *, const struct cmd_globals *,
	    struct ui_options *, struct console_config *, struct keymap *,
	    char **) AD_WARN_UNUSED;

/* A host on loop over the store; client may be NULL (offline). */
struct chost	*chost_create(struct loop *, struct store *,
		    struct api_client *);
/* Open the console (takes the keymap).  -1 with *cause. */
int		 chost_open(struct chost *, const struct ui_options *,
		    struct keymap *, const struct console_config *, char **)
		    AD_WARN_UNUSED;
/*
 * Show what the cache holds: every session, or the one named.  The
 * sessions show at once; with sync their events are indexed before this
 * returns, else in batches from the loop (a session is followed live
 * once its cached events are in).  -1 with *cause if the store cannot
 * be read.
 */
int		 chost_load_cache(struct chost *, const char *, int, char **)
		    AD_WARN_UNUSED;
/*
 * After chost_load_cache without sync: index session id's cached events
 * at once up to event_id (NULL: up to the first n), the rest in the
 * background.  -1 with *cause (also if event_id is not in the session).
 */
int		 chost_load_until(struct chost *, const char *, const char *,
		    size_t, char **) AD_WARN_UNUSED;
/* Replay: how many events of session id its reducer snapshots cover
 * (every position up to there is reached from one). */
size_t		 chost_replay_ready(struct chost *, const char *);
/* Load only the first n events of each session (as the live view was
 * after them); call before chost_load_cache. */
void		 chost_set_limit(struct chost *, size_t);
/* List the sessions from the API and follow them all, and keep the list
 * fresh.  Needs a client. */
void		 chost_go_live(struct chost *);
struct console	*chost_console(struct chost *);
/* Stop following, close the console (the terminal is restored). */
void		 chost_free(struct chost *);

#endif
