/*
 * api_page.h -- cut a list page into its elements without building a tree.
 *
 * A list answer is {"data":[...],"next_page":"<cursor>"|null} (sessions
 * add "prev_page").  History is paged through this on every (re)connect,
 * and a full jansson parse costs ~18 us an event (performance.md), so the
 * page is only scanned (wire/json_scan.h, which validates the whole
 * grammar): each element of "data" is handed over as the exact bytes the
 * server sent (what --json prints and the cache keeps), and the cursors
 * are decoded.  A malformed page is refused as a whole, before any
 * element is handed over.
 */
#ifndef PILOTHOUSE_API_PAGE_H
#define PILOTHOUSE_API_PAGE_H

#include <stddef.h>

#include "base/compiler.h"

struct api_page {
	char	*next_page;	/* NULL when absent, null or "" */
	char	*prev_page;	/* likewise */
	size_t	 count;		/* elements in data */
};

/* One element: borrowed bytes, valid until the callback returns. */
typedef void	(*api_page_cb)(const char *, size_t, void *);

/*
 * Validate the page (len bytes), then call cb for each element of data in
 * order.  -1 with *cause (and no callback made) when the text is not a
 * JSON object with a "data" array and string-or-null cursors.  Clear p
 * with api_page_clear.
 */
int	 api_page_scan(const char *, size_t, api_page_cb, void *,
	    struct api_page *, char **) AD_WARN_UNUSED;
void	 api_page_clear(struct api_page *);

#endif
