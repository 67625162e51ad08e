/*
 * query.h -- read-only SQL over the cache, through its documented views.
 *
 * "pilothouse query" and the console's ":sql" run one SELECT on a
 * read-only connection to the cache, under an authorizer that allows
 * only reading (no writes, PRAGMA, ATTACH or schema changes) and a time
 * limit, and format at most a given number of rows as an aligned text
 * table (every cell sanitized, on one line) or as JSON.
 */
#ifndef PILOTHOUSE_QUERY_H
#define PILOTHOUSE_QUERY_H

#include <stddef.h>

#include "base/buf.h"

#define QUERY_DEFAULT_LIMIT	1000	/* rows shown */
#define QUERY_MAX_CELL		200	/* bytes of a cell in a table */
#define QUERY_TIMEOUT_MS	10000	/* a query runs at most this long */

#define QUERY_JSON		0x1	/* a JSON array of objects */

/* Run sql on the cache at path; append the result to out.  Returns the
 * rows shown, or -1 with *cause (a refused write says so). */
int	 query_run(const char *, const char *, size_t, int, struct buf *,
	     char **);

#endif
