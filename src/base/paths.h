/*
 * paths.h -- where pilothouse keeps things, in the XDG conventions:
 *
 *   config   $XDG_CONFIG_HOME/pilothouse   (hand-edited, never rewritten)
 *   cache    $XDG_CACHE_HOME/pilothouse    (cache.db: the event cache)
 *   data     $XDG_DATA_HOME/pilothouse     (harness.db, workspaces)
 *   state    $XDG_STATE_HOME/pilothouse    (the console's grid layout)
 *   runtime  $XDG_RUNTIME_DIR/pilothouse, else /tmp/pilothouse-UID
 *            (the harness socket; 0700 and owned by us, as tmux checks)
 *   shipped  $PILOTHOUSE_DATADIR, else the installed pkgdatadir, else the
 *            source tree (running uninstalled): themes/, scenarios/
 *
 * Every function returns a new string.  Caller frees.
 */
#ifndef PILOTHOUSE_PATHS_H
#define PILOTHOUSE_PATHS_H

#include "base/compiler.h"

char	*paths_config_dir(void);
char	*paths_cache_dir(void);
char	*paths_data_dir(void);
char	*paths_state_dir(void);
char	*paths_runtime_dir(void);
char	*paths_shipped_dir(void);
/* mkdir -p; new directories get 0700.  -1 with *cause. */
int	 paths_mkdir(const char *, char **) AD_WARN_UNUSED;
/* Create (if needed) and verify a private directory: a real directory,
 * owned by us, with no group or other access.  -1 with *cause. */
int	 paths_private_dir(const char *, char **) AD_WARN_UNUSED;

#endif
