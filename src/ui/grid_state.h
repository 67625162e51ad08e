/*
 * grid_state.h -- the grid layout, remembered per workspace.
 *
 * The console's layout is program state, not configuration: it lives in
 * $XDG_STATE_HOME/pilothouse/layout (mode 0600), never in the hand-edited
 * config file.  One line per workspace (the --context name, else the
 * endpoint), tab-separated:
 *
 *	grid	N	ZOOM	OPEN	WORKSPACE
 *
 * N is 2, 4, 6 or 9; ZOOM and OPEN are 0 or 1 (the grid was zoomed, the
 * grid was the view at exit).  Lines that do not parse are dropped, so a
 * damaged file costs the layout, never the start.
 */
#ifndef PILOTHOUSE_GRID_STATE_H
#define PILOTHOUSE_GRID_STATE_H

#include "base/compiler.h"

struct grid_state {
	int	n;		/* tiles: 2, 4, 6 or 9 */
	int	zoom;		/* the focused tile fills the grid */
	int	open;		/* the grid was showing */
};

#define GRID_STATE_MAX	(64 * 1024)	/* bytes of the state file */

/* The layout saved for workspace into *gs: 1, 0 if none (gs kept). */
int	grid_state_load(const char *, const char *, struct grid_state *);
/* Save the layout of workspace, keeping the others'; -1 with *cause. */
int	grid_state_save(const char *, const char *, const struct grid_state *,
	    char **) AD_WARN_UNUSED;

#endif
