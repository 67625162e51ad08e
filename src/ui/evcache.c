/* ISC licence: see COPYING.  A small cache of event bodies. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "ui/evcache.h"

struct evcache_entry {
	const void		*owner;		/* NULL: empty */
	uint32_t		 seq;
	struct api_event	*ev;
	uint64_t		 used;		/* last use, for the LRU pick */
};

struct evcache {
	struct evcache_entry	*v;
	size_t			 n;		/* even */
	evcache_load_cb		 load;
	void			*arg;
	uint64_t		 clock;
	uint64_t		 loads;
};

/* Create a cache. */
struct evcache *
evcache_create(size_t n, evcache_load_cb load, void *arg)
{
	struct evcache	*c;

	c = xcalloc(1, sizeof *c);
	c->n = n < 2 ? 2 : (n + 1) & ~(size_t)1;
	c->v = xcalloc(c->n, sizeof *c->v);
	c->load = load;
	c->arg = arg;
	return c;
}

/* Empty one entry. */
static void
evcache_clear(struct evcache_entry *e)
{
	api_event_free(e->ev);
	memset(e, 0, sizeof *e);
}

/* Free the cache and every event in it. */
void
evcache_free(struct evcache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++)
		evcache_clear(&c->v[i]);
	free(c->v);
	free(c);
}

/* The first slot of the pair (owner, seq) maps to. */
static size_t
evcache_set(const struct evcache *c, const void *owner, uint32_t seq)
{
	uint64_t	h = (uint64_t)(uintptr_t)owner * 0x9e3779b97f4a7c15ULL;

	h ^= (uint64_t)seq * 0xc2b2ae3d27d4eb4fULL;
	h ^= h >> 29;
	return (size_t)(h % (c->n / 2)) * 2;
}

/* The entry holding (owner, seq), or NULL. */
static struct evcache_entry *
evcache_lookup(struct evcache *c, const void *owner, uint32_t seq)
{
	size_t	s = evcache_set(c, owner, seq);

	for (size_t i = s; i < s + 2; i++)
		if (c->v[i].owner == owner && c->v[i].seq == seq &&
		    c->v[i].ev != NULL) {
			c->v[i].used = ++c->clock;
			return &c->v[i];
		}
	return NULL;
}

/* Store ev for (owner, seq) in the least recently used way. */
static struct evcache_entry *
evcache_store(struct evcache *c, const void *owner, uint32_t seq,
    struct api_event *ev)
{
	struct evcache_entry	*e;
	size_t			 s = evcache_set(c, owner, seq);

	if ((e = evcache_lookup(c, owner, seq)) == NULL)
		e = c->v[s].used <= c->v[s + 1].used ? &c->v[s] :
		    &c->v[s + 1];
	evcache_clear(e);
	e->owner = owner;
	e->seq = seq;
	e->ev = ev;
	e->used = ++c->clock;
	return e;
}

/* The event, loaded if needed. */
struct api_event *
evcache_get(struct evcache *c, const void *owner, uint32_t seq)
{
	struct evcache_entry	*e;
	struct api_event	*ev;

	if ((e = evcache_lookup(c, owner, seq)) != NULL)
		return e->ev;
	c->loads++;
	if ((ev = c->load(c->arg, owner, seq)) == NULL)
		return NULL;
	return evcache_store(c, owner, seq, ev)->ev;
}

/* Put an event in. */
void
evcache_put(struct evcache *c, const void *owner, uint32_t seq,
    struct api_event *ev)
{
	(void)evcache_store(c, owner, seq, ev);
}

/* Drop an owner's entries. */
void
evcache_forget(struct evcache *c, const void *owner)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].owner == owner)
			evcache_clear(&c->v[i]);
}

/* Loads so far. */
uint64_t
evcache_loads(const struct evcache *c)
{
	return c->loads;
}
