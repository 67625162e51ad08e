/* ISC licence: see COPYING.  Sliding-window request budgets. */

#include "config.h"

#include <stdlib.h>

#include "base/xmalloc.h"
#include "wire/api_budget.h"

/* Allow limit starts per window ms (limit 0: no budget). */
void
api_budget_init(struct api_budget *b, size_t limit, int64_t window)
{
	b->ring = limit != 0 ? xcalloc(limit, sizeof *b->ring) : NULL;
	b->limit = limit;
	b->head = 0;
	b->count = 0;
	b->window = window;
}

/* Free the ring. */
void
api_budget_clear(struct api_budget *b)
{
	free(b->ring);
	b->ring = NULL;
	b->limit = b->count = b->head = 0;
}

/* Record a start at now if the window has room; else how long to wait. */
int64_t
api_budget_take(struct api_budget *b, int64_t now)
{
	int64_t	wait;

	if (b->limit == 0)
		return 0;
	if (b->count < b->limit) {
		b->ring[(b->head + b->count) % b->limit] = now;
		b->count++;
		return 0;
	}
	/* Full: the oldest start must have left the window. */
	wait = b->ring[b->head] + b->window - now;
	if (wait > 0)
		return wait;
	b->ring[b->head] = now;
	b->head = (b->head + 1) % b->limit;
	return 0;
}
