/*
 * seen.h -- the ids of recently delivered events: the stream manager's
 * reorder window.
 *
 * A session's log is ordered by processed_at only approximately: a
 * client event keeps its place in the log from when it was queued but
 * takes its processed_at when processed, so a neighbour can carry an
 * earlier time (the local harness does this).  The stream manager
 * therefore remembers every id delivered within a window behind the
 * newest processed_at, and only treats as old what lies before it.
 *
 * Ids are kept in delivery order (a ring, for pruning) and in an open
 * hash table (for lookups), so a burst of thousands of events within the
 * window costs O(1) per event.  Ids are copied.  Caller frees.
 */
#ifndef PILOTHOUSE_SEEN_H
#define PILOTHOUSE_SEEN_H

#include <stddef.h>
#include <stdint.h>

struct seen;

struct seen	*seen_create(void);
void		 seen_free(struct seen *);
/* Non-zero if id was added and has not been pruned. */
int		 seen_has(const struct seen *, const char *);
/* Remember id, delivered with time us (microseconds). */
void		 seen_add(struct seen *, const char *, int64_t);
/* Forget, oldest first, the ids whose time is before us. */
void		 seen_prune(struct seen *, int64_t);
size_t		 seen_count(const struct seen *);
/* The idx-th id remembered, oldest first.  Borrowed; valid until the
 * next add or prune. */
const char	*seen_at(const struct seen *, size_t);

#endif
