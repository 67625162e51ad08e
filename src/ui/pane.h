/*
 * pane.h -- what every pane provides (tmux's window-*.c modes).
 *
 * A pane is a pane_*.c file filling struct pane_ops, with its own state
 * in pane->data.  The ui (ui.h) keeps a stack of panes: the top one gets
 * the keys; a modal pane (prompt, y/N question, approval card, help) is
 * drawn over the panes beneath it, which keep their place.  Panes draw
 * the whole of their region every frame; the canvas works out what
 * actually changed, so drawing is simple and output stays minimal.
 *
 * Order of calls: create (the pane's own constructor), ui_push(); then
 * any number of draw, contexts, action, key; finally free (from ui_pop()
 * or ui_free()), never from inside one of the pane's own callbacks --
 * ui_pop() called from a callback defers the free to the end of the
 * input event.
 */
#ifndef PILOTHOUSE_PANE_H
#define PILOTHOUSE_PANE_H

#include "ui/canvas.h"
#include "ui/key.h"
#include "ui/keymap.h"

struct ui;
struct pane;

struct pane_frame {
	struct canvas_region	screen;		/* the whole screen */
	struct canvas_region	body;		/* between header and status */
	struct canvas_region	status;		/* the status line */
};

struct pane_ops {
	const char	*name;
	/* Key contexts to search, most specific first; returns the count. */
	int		(*contexts)(struct pane *, enum ui_context *, int);
	/* Draw into the frame (normal panes: the body; modal: anywhere). */
	void		(*draw)(struct pane *, const struct pane_frame *);
	/* Do an action; 1 if done, 0 to let the ui handle it. */
	int		(*action)(struct pane *, enum ui_action, int);
	/* A key bound to nothing (text entry); 1 if used.  May be NULL. */
	int		(*key)(struct pane *, const struct ui_input *);
	/* A mouse event in the body; may be NULL. */
	void		(*mouse)(struct pane *, const struct ui_input *);
	/* The breadcrumb for this pane ("fleet"), into buf. */
	void		(*crumb)(struct pane *, char *, size_t);
	/* What y copies (the selection's id), into buf; 1 if any.  The
	 * ui sends printable ASCII only.  May be NULL. */
	int		(*copy)(struct pane *, char *, size_t);
	/* Text on the right of the status line, into buf; may be NULL. */
	void		(*status)(struct pane *, char *, size_t);
	void		(*free)(struct pane *);
};

struct pane {
	const struct pane_ops	*ops;
	struct ui		*ui;
	void			*data;
	int			 modal;
};

/* A pane with these ops and data (its own; freed by ops->free). */
struct pane	*pane_create(struct ui *, const struct pane_ops *, void *,
		    int);
/*
 * The movement keys of a list of n rows, page rows to a page: the new
 * index into *sel.  Returns 1 if a was a movement (down, up, page and
 * half page, top, bottom), else 0 and *sel is untouched.
 */
int	 pane_list_move(enum ui_action, size_t, size_t, size_t *);

#endif
