/*
 * pricing.h -- list prices of Claude models by family, for the cost
 * estimate shown when the API has not (yet) reported a session's
 * list_cost.  Reported costs always win over this table.
 */
#ifndef PILOTHOUSE_MODEL_PRICING_H
#define PILOTHOUSE_MODEL_PRICING_H

#include <stdint.h>

/* US dollars per million tokens. */
struct pricing {
	const char	*family;	/* what matched, for display */
	double		 input;
	double		 output;
	double		 cache_write;	/* 5-minute cache writes */
	double		 cache_read;
};

/* The prices for a model id ("claude-opus-4-8"), or NULL if unknown. */
const struct pricing *pricing_lookup(const char *);
/* Micro-dollars for the given token counts. */
int64_t	 pricing_cost_microusd(const struct pricing *, int64_t, int64_t,
	    int64_t, int64_t);

#endif
