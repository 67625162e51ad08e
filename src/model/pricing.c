/* ISC licence: see COPYING.  List prices of Claude models by family. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "base/compiler.h"
#include "model/pricing.h"

/*
 * Anthropic's public list prices in US dollars per million tokens (late
 * 2025), matched by the first pattern found in the model id, so the
 * specific older models come before their family.  Cache writes are
 * priced as 5-minute writes (1.25x input; 1-hour writes cost 2x, and the
 * events do not say which), cache reads at 0.1x input.  Runtime
 * (active_seconds) is not priced.  This is an estimate for display:
 * a list_cost reported by the API replaces it.
 */
static const struct pricing	pricing_table[] = {
	{ "claude-opus-4-0",	15.00, 75.00, 18.75, 1.50 },
	{ "claude-opus-4-1",	15.00, 75.00, 18.75, 1.50 },
	{ "claude-opus-4-2025",	15.00, 75.00, 18.75, 1.50 },
	{ "claude-3-opus",	15.00, 75.00, 18.75, 1.50 },
	{ "opus",		 5.00, 25.00,  6.25, 0.50 },
	{ "sonnet",		 3.00, 15.00,  3.75, 0.30 },
	{ "claude-3-5-haiku",	 0.80,  4.00,  1.00, 0.08 },
	{ "claude-3-haiku",	 0.25,  1.25,  0.30, 0.03 },
	{ "haiku",		 1.00,  5.00,  1.25, 0.10 },
};

/* The first row whose pattern occurs in the model id. */
const struct pricing *
pricing_lookup(const char *model)
{
	if (model == NULL || *model == '\0')
		return NULL;
	for (size_t i = 0; i < AD_NITEMS(pricing_table); i++)
		if (strstr(model, pricing_table[i].family) != NULL)
			return &pricing_table[i];
	return NULL;
}

/* Price per million tokens times tokens is micro-dollars. */
int64_t
pricing_cost_microusd(const struct pricing *p, int64_t in, int64_t out,
    int64_t cache_write, int64_t cache_read)
{
	double	c;

	c = (double)in * p->input + (double)out * p->output +
	    (double)cache_write * p->cache_write +
	    (double)cache_read * p->cache_read;
	return (int64_t)llround(c);
}
