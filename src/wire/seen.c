/* ISC licence: see COPYING.  Recently delivered ids: a ring and a hash. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "wire/seen.h"

/*
 * The ring holds entries in delivery order; entry number n (counting
 * from the first ever added) is at ring[n % size] while base <= n <
 * base + count.  The table maps a hash to n + 1 (0 is an empty slot).
 * Pruning only advances base: table slots of pruned entries go stale,
 * are skipped by lookups, reused by inserts, and dropped when the table
 * is rebuilt, which happens when live plus stale slots pass half of it.
 */
struct seen_ent {
	char		*id;
	int64_t		 us;
	uint64_t	 h;
};

struct seen {
	struct seen_ent	*ring;
	size_t		 size;		/* ring slots, a power of two */
	uint64_t	 base;		/* number of the oldest entry */
	size_t		 count;		/* live entries */
	uint64_t	*tab;		/* entry number + 1, or 0 */
	size_t		 tabsize;	/* a power of two */
	size_t		 tabused;	/* non-zero slots, stale included */
};

/* FNV-1a. */
static uint64_t
seen_hash(const char *s)
{
	uint64_t	h = 14695981039346656037ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Make an empty set. */
struct seen *
seen_create(void)
{
	return xcalloc(1, sizeof (struct seen));
}

/* Free the set and its ids. */
void
seen_free(struct seen *sn)
{
	if (sn == NULL)
		return;
	for (size_t i = 0; i < sn->count; i++)
		free(sn->ring[(sn->base + i) & (sn->size - 1)].id);
	free(sn->ring);
	free(sn->tab);
	free(sn);
}

/* Is slot value v a live entry? */
static int
seen_live(const struct seen *sn, uint64_t v)
{
	return v != 0 && v - 1 >= sn->base && v - 1 < sn->base + sn->count;
}

/* Is id in the set? */
int
seen_has(const struct seen *sn, const char *id)
{
	const struct seen_ent	*e;
	uint64_t		 h, v;
	size_t			 i;

	if (sn->tabsize == 0)
		return 0;
	h = seen_hash(id);
	for (i = h & (sn->tabsize - 1); (v = sn->tab[i]) != 0;
	    i = (i + 1) & (sn->tabsize - 1)) {
		if (!seen_live(sn, v))
			continue;
		e = &sn->ring[(v - 1) & (sn->size - 1)];
		if (e->h == h && strcmp(e->id, id) == 0)
			return 1;
	}
	return 0;
}

/* Put entry number n in the table (it has room). */
static void
seen_index(struct seen *sn, uint64_t n)
{
	size_t	i;

	for (i = sn->ring[n & (sn->size - 1)].h & (sn->tabsize - 1);
	    sn->tab[i] != 0 && seen_live(sn, sn->tab[i]);
	    i = (i + 1) & (sn->tabsize - 1))
		continue;
	if (sn->tab[i] == 0)
		sn->tabused++;
	sn->tab[i] = n + 1;
}

/* Rebuild the table for the live entries, with room to grow. */
static void
seen_rehash(struct seen *sn)
{
	free(sn->tab);
	sn->tabsize = 16;
	while (sn->tabsize < (sn->count + 1) * 4)
		sn->tabsize *= 2;
	sn->tab = xcalloc(sn->tabsize, sizeof *sn->tab);
	sn->tabused = 0;
	for (size_t i = 0; i < sn->count; i++)
		seen_index(sn, sn->base + i);
}

/* Remember an id. */
void
seen_add(struct seen *sn, const char *id, int64_t us)
{
	struct seen_ent	*ring;
	size_t		 size;

	if (sn->count == sn->size) {
		size = sn->size ? sn->size * 2 : 8;
		ring = xcalloc(size, sizeof *ring);
		for (size_t i = 0; i < sn->count; i++)
			ring[(sn->base + i) & (size - 1)] =
			    sn->ring[(sn->base + i) & (sn->size - 1)];
		free(sn->ring);
		sn->ring = ring;
		sn->size = size;
	}
	ring = &sn->ring[(sn->base + sn->count) & (sn->size - 1)];
	ring->id = xstrdup(id);
	ring->us = us;
	ring->h = seen_hash(id);
	sn->count++;
	if ((sn->tabused + 1) * 2 > sn->tabsize)
		seen_rehash(sn);
	else
		seen_index(sn, sn->base + sn->count - 1);
}

/* Forget the oldest ids while they are older than us. */
void
seen_prune(struct seen *sn, int64_t us)
{
	struct seen_ent	*e;

	while (sn->count > 0) {
		e = &sn->ring[sn->base & (sn->size - 1)];
		if (e->us >= us)
			break;
		free(e->id);
		e->id = NULL;
		sn->base++;
		sn->count--;
	}
	/* Give the memory back once a burst is over. */
	if (sn->count == 0 && sn->size > 64) {
		free(sn->ring);
		free(sn->tab);
		sn->ring = NULL;
		sn->tab = NULL;
		sn->size = sn->tabsize = sn->tabused = 0;
	}
}

/* How many ids are remembered. */
size_t
seen_count(const struct seen *sn)
{
	return sn->count;
}

/* The idx-th id, oldest first. */
const char *
seen_at(const struct seen *sn, size_t idx)
{
	if (idx >= sn->count)
		return NULL;
	return sn->ring[(sn->base + idx) & (sn->size - 1)].id;
}
