/*
 * fetch.h -- fetch a session's whole history from the API into the
 * cache (export and replay of a session that is not, or only partly,
 * cached).
 */
#ifndef PILOTHOUSE_FETCH_H
#define PILOTHOUSE_FETCH_H

#include "base/compiler.h"
#include "cli/cmd.h"

struct store;

/*
 * Fetch session's object and its whole history, page by page, into st,
 * store them as they come (events already cached are kept once) and
 * mark the history full; who names the command in messages.  With
 * progress, a bar on standard error (when it is a terminal) follows the
 * events' times through the session's span.  Returns an exit status.
 */
int	 fetch_history(struct cmd_globals *, struct store *, const char *,
	    const char *, int) AD_WARN_UNUSED;

#endif
