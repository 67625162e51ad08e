/*
 * htimer.h -- a timer thread for the harness: callbacks at a monotonic
 * deadline (autopilot confirmations, heartbeats, the demo driver's
 * timed steps), independent of any front end's event loop.
 *
 * Callbacks run one at a time on the timer's own thread and may add
 * timers.  Whatever is still pending at htimer_free() is dropped through
 * its free function, so arguments holding references are released.
 */
#ifndef PILOTHOUSE_HTIMER_H
#define PILOTHOUSE_HTIMER_H

#include <stdint.h>

struct htimer;

typedef void	(*htimer_fn)(void *);

struct htimer	*htimer_create(void);
void		 htimer_free(struct htimer *);
/* Run fn(arg) after ms milliseconds; drop(arg) if it never runs (drop
 * may be NULL). */
void		 htimer_add(struct htimer *, int64_t, htimer_fn, htimer_fn,
		    void *);

#endif
