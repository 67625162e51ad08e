/*
 * pane_prompt.h -- one line of text entry on the status line: the ":"
 * command line, "/" filters and searches, the steer composer, a deny
 * reason, a custom tool result.
 *
 * Enter submits, Esc cancels (the text is handed to the cancel callback
 * so a steer draft can be kept), Tab completes when a completion
 * callback is given, Up/Down walk the history of prompts with the same
 * label, and with PROMPT_MULTILINE C-j or M-Enter insert a line break
 * (shown as a glyph).  The pane pops itself before calling back, so the
 * callback may push another pane.
 */
#ifndef PILOTHOUSE_PANE_PROMPT_H
#define PILOTHOUSE_PANE_PROMPT_H

#include "ui/pane.h"

#define PROMPT_MULTILINE	0x1
#define PROMPT_MAX		(256 * 1024)	/* bytes of text */

typedef void	(*prompt_submit_cb)(void *, const char *);
typedef void	(*prompt_cancel_cb)(void *, const char *);
/* Full candidate lines for the text so far, NULL-ended; caller frees
 * with ui_strv_free. */
typedef char	**(*prompt_complete_cb)(void *, const char *);

/* A prompt pane; label is shown before the text ("steer> "). */
struct pane	*pane_prompt_create(struct ui *, const char *, const char *,
		    int, prompt_submit_cb, prompt_cancel_cb,
		    prompt_complete_cb, void *);
/* The text typed so far.  Borrowed; valid until the next key. */
const char	*pane_prompt_text(struct pane *);

#endif
