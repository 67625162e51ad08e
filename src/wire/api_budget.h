/*
 * api_budget.h -- a sliding-window request budget ("at most N request
 * starts in any window of W milliseconds").
 *
 * The API limits an organisation to 600 reads and 60 creates a minute;
 * the client keeps one budget per class and queues requests until their
 * budget allows them (api_client.c), so a burst such as 1,000 streams
 * reconnecting at once is spread out instead of failing with 429s.
 *
 * The window is exact, not a token bucket: the start times of the last N
 * requests are kept in a ring, and a new request may start once the
 * oldest of them is W ms old.  Memory is N timestamps.  Pure: the caller
 * passes the (monotonic) time.  Embedded in its owner (_init/_clear).
 */
#ifndef PILOTHOUSE_API_BUDGET_H
#define PILOTHOUSE_API_BUDGET_H

#include <stddef.h>
#include <stdint.h>

struct api_budget {
	int64_t		*ring;		/* start times, oldest at head */
	size_t		 limit;		/* N; 0 means unlimited */
	size_t		 head;		/* index of the oldest start */
	size_t		 count;		/* starts recorded, at most limit */
	int64_t		 window;	/* W in milliseconds */
};

/* limit 0 disables the budget. */
void	 api_budget_init(struct api_budget *, size_t, int64_t);
void	 api_budget_clear(struct api_budget *);
/*
 * Try to start a request at now: returns 0 and records the start when the
 * budget allows it, else the milliseconds until it will (at least 1).
 */
int64_t	 api_budget_take(struct api_budget *, int64_t);

#endif
