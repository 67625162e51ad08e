/*
 * ui.h -- the console's screen: backend, canvas, theme, keymap, the pane
 * stack, and their place in the event loop.
 *
 * One event loop (base/loop.h) drives everything: terminal input, the
 * streams (watched by the cli layer), timers and SIGWINCH.  Anything
 * that changes what is shown calls ui_dirty(); frames are coalesced to at
 * most UI_MAX_FPS a second and drawn only when something is dirty, and
 * the backend writes only the cells that changed -- an idle console
 * writes nothing at all (no clock, no spinner).
 *
 * The ui owns: the header (drawn by the application's callback), the
 * status line (breadcrumbs of the pane stack, the top pane's status, or
 * a toast for 2 s, 4 s for errors), the key-hint row (from the keymap,
 * for the top pane's contexts), the help overlay, ":" command mode
 * (commands run by the application's callback, with completion), and
 * read-only mode, which refuses every steering action in one place.
 * It never touches the network or the database: the cli layer does.
 */
#ifndef PILOTHOUSE_UI_H
#define PILOTHOUSE_UI_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"
#include "base/loop.h"
#include "ui/backend.h"
#include "ui/keymap.h"
#include "ui/pane.h"
#include "ui/theme.h"

#define UI_MAX_FPS		30
#define UI_TOAST_MS		2000
#define UI_TOAST_ERROR_MS	4000

struct ui;

struct ui_options {
	const char	*backend;	/* "ncurses", "tickit", "text" */
	const char	*theme;		/* theme name ("default") */
	int		 depth;		/* colour depth, -1: detect */
	int		 ascii;		/* ASCII glyphs */
	int		 mouse;
	int		 readonly;	/* refuse steering */
	enum ui_notify	 notify;	/* approvals and errors */
	enum ui_clipboard clipboard;	/* y: OSC 52 or off */
	int		 no_header;
	int		 no_hints;
	int		 width, height;	/* text backend */
};

/* The application's hooks (the cli layer fills them). */
struct ui_hooks {
	void		*arg;
	/* Draw the header row. */
	void		(*header)(void *, struct ui *,
			    const struct canvas_region *);
	/* Run a ":" command line (without the colon); -1 with *cause. */
	int		(*command)(void *, struct ui *, const char *, char **);
	/* Completions of a partial ":" line: a NULL-ended array of full
	 * lines.  Caller frees with ui_strv_free. */
	char		**(*complete)(void *, struct ui *, const char *);
	/* The user asked to quit (q at the top, :q, C-c). */
	void		(*quit)(void *, struct ui *);
	/* An action no pane took, before the ui's own; 1 if done. */
	int		(*action)(void *, struct ui *, enum ui_action, int);
};

/*
 * Take over the terminal; NULL with *cause.  Takes ownership of the
 * keymap.  Watches the backend's input and SIGWINCH in loop.
 */
struct ui	*ui_create(struct loop *, const struct ui_options *,
		    struct keymap *, const struct ui_hooks *, char **);
/* Pop every pane, restore the terminal, free. */
void		 ui_free(struct ui *);
/* Push a pane on top (takes ownership). */
void		 ui_push(struct ui *, struct pane *);
/* Pop the top pane (freed once the current event is handled). */
void		 ui_pop(struct ui *);
/* Pop panes until p is on top (p itself stays). */
void		 ui_pop_to(struct ui *, struct pane *);
struct pane	*ui_top(struct ui *);
/* The pane under the top one, or NULL. */
struct pane	*ui_below(struct ui *, struct pane *);
int		 ui_depth(struct ui *);

/* Something changed on screen: a frame will be drawn soon. */
void		 ui_dirty(struct ui *);
/* Draw a frame now if anything is dirty (tests, snapshot). */
void		 ui_frame(struct ui *);
/* The terminal changed size (SIGWINCH; tests after a text resize). */
void		 ui_resized(struct ui *);
/* Handle whatever input the backend holds now (the headless backend's
 * typed keys; a terminal backend's buffered input). */
void		 ui_drain(struct ui *);
/* Feed one input event as if read from the terminal. */
void		 ui_input(struct ui *, const struct ui_input *);
/* A message on the status line for a moment. */
void		 ui_toast(struct ui *, int, const char *, ...)
		    AD_PRINTFLIKE(3, 4);
/* Bell or OSC 9, as configured (approvals and errors). */
void		 ui_notify(struct ui *, const char *);
/* Copy text (an id) to the clipboard as configured, with a toast. */
void		 ui_copy(struct ui *, const char *);
/* Load and use another theme; -1 with *cause (the old one stays). */
int		 ui_set_theme(struct ui *, const char *, char **)
		    AD_WARN_UNUSED;
/* Is this action a steering action (refused when read-only)? */
int		 ui_action_steers(enum ui_action);

struct loop	*ui_loop(struct ui *);
const struct theme *ui_theme(struct ui *);
const struct keymap *ui_keymap(struct ui *);
struct ui_backend *ui_backend(struct ui *);
int		 ui_readonly(struct ui *);
/* Monotonic milliseconds (the loop's clock). */
int64_t		 ui_now(struct ui *);
/* The size of the body region of the last layout. */
void		 ui_body_size(struct ui *, int *, int *);
/* Frames drawn so far (benchmarks, tests). */
uint64_t	 ui_frames(struct ui *);
void		 ui_strv_free(char **);
/* Prompt history, per prompt label, newest last (at most 64). */
void		 ui_history_add(struct ui *, const char *, const char *);
/* The n-th newest entry (0 is the newest) or NULL.  Borrowed. */
const char	*ui_history_get(struct ui *, const char *, int);

#endif
