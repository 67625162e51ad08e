/* ISC licence: see COPYING.  Tests for wire/seen: the reorder window. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "wire/seen.h"

int
main(void)
{
	struct seen	*sn;
	char		 id[64];
	int		 all;

	sn = seen_create();
	ok(!seen_has(sn, "sevt_a"), "empty");
	seen_add(sn, "sevt_a", 100);
	seen_add(sn, "sevt_b", 90);	/* out of order */
	seen_add(sn, "sevt_c", 200);
	ok(seen_has(sn, "sevt_a") && seen_has(sn, "sevt_b") &&
	    seen_has(sn, "sevt_c"), "added ids are found");
	ok(!seen_has(sn, "sevt_d") && !seen_has(sn, "sevt_"), "others are not");
	seen_prune(sn, 150);
	ok(!seen_has(sn, "sevt_a") && !seen_has(sn, "sevt_b") &&
	    seen_has(sn, "sevt_c"), "pruning drops the old ones");
	is_int(seen_count(sn), 1, "one left");
	is_str(seen_at(sn, 0), "sevt_c", "oldest first");
	ok(seen_at(sn, 1) == NULL, "past the end");

	/* A burst: many ids, all found, then pruned in order. */
	for (int i = 0; i < 50000; i++) {
		snprintf(id, sizeof id, "sevt_011C%020d", i);
		seen_add(sn, id, 1000 + i);
	}
	all = 1;
	for (int i = 0; i < 50000 && all; i++) {
		snprintf(id, sizeof id, "sevt_011C%020d", i);
		all = seen_has(sn, id);
	}
	ok(all, "50,000 ids are all found");
	seen_prune(sn, 1000 + 25000);
	is_int(seen_count(sn), 25000, "half pruned");
	snprintf(id, sizeof id, "sevt_011C%020d", 24999);
	ok(!seen_has(sn, id), "the last pruned is gone");
	snprintf(id, sizeof id, "sevt_011C%020d", 25000);
	ok(seen_has(sn, id), "the first kept is there");
	is_str(seen_at(sn, 0), id, "and is the oldest");
	/* Interleave adds and prunes (stale table slots get reused). */
	for (int i = 50000; i < 150000; i++) {
		snprintf(id, sizeof id, "sevt_011C%020d", i);
		seen_add(sn, id, 1000 + i);
		seen_prune(sn, 1000 + i - 100);
	}
	is_int(seen_count(sn), 101, "a sliding window of 101");
	all = 1;
	for (int i = 149900; i < 150000 && all; i++) {
		snprintf(id, sizeof id, "sevt_011C%020d", i);
		all = seen_has(sn, id);
	}
	ok(all, "holds exactly the window");
	snprintf(id, sizeof id, "sevt_011C%020d", 149898);
	ok(!seen_has(sn, id), "and nothing older");
	seen_prune(sn, 1 << 30);
	is_int(seen_count(sn), 0, "all pruned");
	seen_add(sn, "sevt_again", 5);
	ok(seen_has(sn, "sevt_again"), "usable after emptying");
	seen_free(sn);
	return done_testing();
}
