/*
 * evcache.h -- event bodies for the rows on screen.
 *
 * Bodies stay in the cache database; panes ask for the events they draw
 * and this keeps the last few hundred, two-way set associative by
 * (owner, seq), loading misses through the callback the cli layer gives
 * (the ui never opens the database itself).  Live events are put in
 * directly, so the newest rows never need a load.  Whatever a pane
 * derives from an event and keeps is a copy: any get may evict.
 */
#ifndef PILOTHOUSE_EVCACHE_H
#define PILOTHOUSE_EVCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "wire/api_event.h"

/* Load event seq of owner's log: a new event, or NULL. */
typedef struct api_event *(*evcache_load_cb)(void *, const void *,
		    uint32_t);

struct evcache;

/* A cache of nslots (rounded to even) entries. */
struct evcache	*evcache_create(size_t, evcache_load_cb, void *);
void		 evcache_free(struct evcache *);
/* The event (loaded on a miss), or NULL.  Borrowed; valid until the
 * next evcache_get/evcache_put. */
struct api_event *evcache_get(struct evcache *, const void *, uint32_t);
/* Put an event in (takes ownership), e.g. one that just arrived. */
void		 evcache_put(struct evcache *, const void *, uint32_t,
		    struct api_event *);
/* Drop everything of owner (a session closed). */
void		 evcache_forget(struct evcache *, const void *);
/* Loads so far (misses), for tests and benchmarks. */
uint64_t	 evcache_loads(const struct evcache *);

#endif
