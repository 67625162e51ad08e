/*
 * pane_help.h -- the "?" overlay: every binding from the keymap table,
 * grouped by context, the contexts of the pane underneath first; "/"
 * filters it.
 */
#ifndef PILOTHOUSE_PANE_HELP_H
#define PILOTHOUSE_PANE_HELP_H

#include "ui/pane.h"

struct pane	*pane_help_create(struct ui *);

#endif
