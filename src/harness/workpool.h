/*
 * workpool.h -- long-lived worker threads for the harness's slow work:
 * session runners (brain calls, tool runs) and sandbox provisioning.
 *
 * A job runs on an idle worker, or on a new one when all are busy, so a
 * runner waiting for its sandbox can never starve the job provisioning
 * it.  Workers never exit before workpool_free(): the sandbox spawns its
 * processes from them, and a child's parent-death signal fires when the
 * spawning thread exits (sandbox.md 5, item 5), so they must live as long
 * as the harness.
 */
#ifndef PILOTHOUSE_WORKPOOL_H
#define PILOTHOUSE_WORKPOOL_H

#include <stddef.h>

struct workpool;

typedef void	(*workpool_fn)(void *);

struct workpool	*workpool_create(void);
/* Run what is queued, then join every worker. */
void		 workpool_free(struct workpool *);
/* Run fn(arg) on a worker soon. */
void		 workpool_submit(struct workpool *, workpool_fn, void *);
/* Workers started so far (for tests and the log). */
size_t		 workpool_size(struct workpool *);

#endif
