/* ISC licence: see COPYING.  Scanning list pages without a JSON tree. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "wire/api_page.h"
#include "wire/json_scan.h"

static int	api_page_cursor(const struct json_span *, char **);

/* Decode a cursor (a string or null); "" counts as no cursor. */
static int
api_page_cursor(const struct json_span *v, char **out)
{
	free(*out);
	*out = NULL;
	switch (json_scan_kind(v)) {
	case JSON_SCAN_NULL:
		return 0;
	case JSON_SCAN_STRING:
		if ((*out = json_scan_strdup(v)) == NULL)
			return -1;
		if (**out == '\0') {
			free(*out);
			*out = NULL;
		}
		return 0;
	default:
		return -1;
	}
}

/* Skip blanks. */
static const char *
api_page_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* Validate a page and hand over each element of data. */
int
api_page_scan(const char *text, size_t len, api_page_cb cb, void *arg,
    struct api_page *pg, char **cause)
{
	struct json_scan_iter	 it;
	struct json_span	 key, value, data = { NULL, 0 };
	const char		*p, *end, *q;
	int			 keyesc, rv;

	memset(pg, 0, sizeof *pg);
	if (json_scan_object_init(&it, text, len) != 0)
		goto bad;
	while ((rv = json_scan_object_next(&it, &key, &value, &keyesc)) == 1) {
		if (json_scan_key_is(&key, keyesc, "data"))
			data = value;
		else if (json_scan_key_is(&key, keyesc, "next_page") &&
		    api_page_cursor(&value, &pg->next_page) != 0) {
			xasprintf(cause, "list page: next_page is not a "
			    "string or null");
			goto fail;
		} else if (json_scan_key_is(&key, keyesc, "prev_page") &&
		    api_page_cursor(&value, &pg->prev_page) != 0) {
			xasprintf(cause, "list page: prev_page is not a "
			    "string or null");
			goto fail;
		}
	}
	if (rv != 0 || api_page_ws(it.p, text + len) != text + len)
		goto bad;
	if (data.p == NULL || json_scan_kind(&data) != JSON_SCAN_ARRAY) {
		xasprintf(cause, "list page has no \"data\" array");
		goto fail;
	}
	/* The array was validated with the object: just walk it. */
	end = data.p + data.len - 1;
	p = api_page_ws(data.p + 1, end);
	while (p < end) {
		q = json_scan_skip(p, end, NULL);
		cb(p, (size_t)(q - p), arg);
		pg->count++;
		p = api_page_ws(q, end);
		if (p < end && *p == ',')
			p = api_page_ws(p + 1, end);
	}
	return 0;

bad:
	xasprintf(cause, "list page is not valid JSON");
fail:
	api_page_clear(pg);
	return -1;
}

/* Free the cursors. */
void
api_page_clear(struct api_page *pg)
{
	free(pg->next_page);
	free(pg->prev_page);
	memset(pg, 0, sizeof *pg);
}
