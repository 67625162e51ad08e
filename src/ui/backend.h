/*
 * backend.h -- presenting a canvas on a terminal, and reading its input.
 *
 * A backend fills struct ui_backend_ops (curl's vtls, redis's ae_*.c):
 * ncurses (the default), libtickit (built when configure finds it) and a
 * headless text backend that keeps the screen in memory, used by the
 * tests and by "pilothouse snapshot".  Views never see any of them: they
 * draw into a canvas and receive struct ui_input events.
 *
 * Contract, in call order: ui_backend_create() sets up the terminal and
 * returns its size; the owner watches ui_backend_input_fd() in its event
 * loop and calls ui_backend_read() when it is readable, and
 * ui_backend_expire() once ui_backend_timeout() milliseconds have passed
 * (a lone Esc is only known to be one after a short delay); on SIGWINCH
 * it calls ui_backend_resize() and resizes the canvas; it calls
 * ui_backend_present() when the canvas has dirty rows, which writes the
 * changed cells only and then cleans the canvas.  ui_backend_free()
 * restores the terminal.  Nothing is written to the terminal except by
 * present, repaint, set_mouse, emit (a bell, OSC 9, OSC 52: built here,
 * from sanitized text only) and free.
 */
#ifndef PILOTHOUSE_BACKEND_H
#define PILOTHOUSE_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/compiler.h"
#include "ui/canvas.h"
#include "ui/key.h"
#include "ui/theme.h"

struct ui_backend;

struct ui_backend_options {
	int	mouse;		/* report mouse events (opt-in) */
	int	escdelay;	/* ms to tell Esc from a sequence */
	int	width, height;	/* headless backend: the screen size */
};

enum ui_notify {
	UI_NOTIFY_OFF,
	UI_NOTIFY_BEL,		/* the terminal bell (tmux flags the window) */
	UI_NOTIFY_OSC9		/* a desktop notification, OSC 9 */
};

enum ui_clipboard {
	UI_CLIPBOARD_OFF,	/* y shows what it would copy */
	UI_CLIPBOARD_OSC52	/* y sets the clipboard with OSC 52 */
};

struct ui_backend_ops {
	const char	*name;
	/* Take over the terminal; set b->w and b->h.  -1 with *cause. */
	int		(*open)(struct ui_backend *, char **);
	/* Give the terminal back as it was. */
	void		(*close)(struct ui_backend *);
	int		(*input_fd)(struct ui_backend *);
	/* Decode available input into at most n events; the count. */
	int		(*read)(struct ui_backend *, struct ui_input *, int);
	/* ms until pending partial input must be expired, or -1. */
	int		(*timeout)(struct ui_backend *);
	/* Take pending partial input as typed (a lone Esc); the count. */
	int		(*expire)(struct ui_backend *, struct ui_input *, int);
	/* The terminal changed size: update b->w and b->h. */
	void		(*resize)(struct ui_backend *);
	/* Write the canvas's dirty rows (changed cells only). */
	void		(*present)(struct ui_backend *, struct canvas *,
			    const struct theme *);
	/* Forget what the terminal shows; the next present sends all. */
	void		(*repaint)(struct ui_backend *);
	/* Write bytes between frames (a sequence backend.c built). */
	void		(*emit)(struct ui_backend *, const char *, size_t);
	void		(*set_mouse)(struct ui_backend *, int);
};

struct ui_backend {
	const struct ui_backend_ops	*ops;
	void				*data;		/* the backend's own */
	struct ui_backend_options	 opt;
	int				 w, h;		/* terminal size */
};

#define UI_INPUT_BATCH	64	/* events read per call */
#define UI_NOTIFY_MAX	200	/* bytes of notification text */
#define UI_COPY_MAX	1024	/* bytes of text y copies */

/* The names of the backends built in, for messages ("ncurses, ..."). */
const char	*ui_backend_names(void);
/* Open backend name ("ncurses", "tickit", "text").  NULL with *cause. */
struct ui_backend *ui_backend_create(const char *,
		    const struct ui_backend_options *, char **);
/* Restore the terminal and free; NULL does nothing. */
void		 ui_backend_free(struct ui_backend *);
int		 ui_backend_input_fd(struct ui_backend *);
int		 ui_backend_read(struct ui_backend *, struct ui_input *, int);
int		 ui_backend_timeout(struct ui_backend *);
int		 ui_backend_expire(struct ui_backend *, struct ui_input *, int);
void		 ui_backend_resize(struct ui_backend *);
/* Present the dirty rows of c (nothing at all if none) and clean it. */
void		 ui_backend_present(struct ui_backend *, struct canvas *,
		    const struct theme *);
void		 ui_backend_repaint(struct ui_backend *);
/* Ring the bell or send OSC 9 (text cut to printable ASCII). */
void		 ui_backend_notify(struct ui_backend *, enum ui_notify,
		    const char *);
/* Set the clipboard with OSC 52 (if how says so); -1 with *cause if the
 * text is not printable ASCII of 1 to UI_COPY_MAX bytes (nothing sent). */
int		 ui_backend_copy(struct ui_backend *, enum ui_clipboard,
		    const char *, char **);
void		 ui_backend_set_mouse(struct ui_backend *, int);

/* The backends' ops tables (backend.c lists them). */
extern const struct ui_backend_ops ui_backend_ncurses_ops;
extern const struct ui_backend_ops ui_backend_text_ops;
extern const struct ui_backend_ops ui_backend_tickit_ops;

/*
 * Headless backend only.  Queue input as if typed: a string of key names
 * separated by spaces ("j j Enter C-o"), or literal text with text set.
 * -1 with *cause for an unknown key name.
 */
int		 ui_backend_text_type(struct ui_backend *, const char *, int,
		    char **) AD_WARN_UNUSED;
void		 ui_backend_text_push(struct ui_backend *,
		    const struct ui_input *);
/* The screen as presented: one line per row, trailing blanks cut.
 * With styles, each line is followed by a line of style letters. */
int		 ui_backend_text_dump(struct ui_backend *, int, struct buf *)
		    AD_WARN_UNUSED;
/* Number of cells the backend was asked to write so far. */
uint64_t	 ui_backend_text_cells(struct ui_backend *);
/* Move the bytes emitted between frames so far (bells, OSC 9, OSC 52)
 * into a buffer (appended); -1 if it is full. */
int		 ui_backend_text_emitted(struct ui_backend *, struct buf *)
		    AD_WARN_UNUSED;

#endif
