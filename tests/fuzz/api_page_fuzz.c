/* ISC licence: see COPYING.  Fuzz target for wire/api_page: list pages
 * cut into raw elements without a tree.
 *
 * jansson is the oracle.  When the scanner accepts a page, jansson must
 * read the same page (bar the scanner's documented differences) with a
 * "data" array of as many elements, each equal to what jansson makes of
 * the bytes handed over, and the same cursors.  When jansson reads an
 * object whose "data" is an array and whose cursors are strings or null,
 * the scanner must accept it.
 */

#include "config.h"

#include <string.h>

#include <jansson.h>

#include "base/xmalloc.h"
#include "fuzz.h"
#include "wire/api_page.h"

struct fuzz_page {
	json_t	*data;		/* jansson's data array, or NULL */
	size_t	 i;
};

/* Compare one element with jansson's. */
static void
fuzz_page_elem(const char *p, size_t len, void *arg)
{
	struct fuzz_page	*fp = arg;
	json_t			*e;

	if (fp->data == NULL)
		return;
	e = json_loadb(p, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	if (e == NULL || !json_equal(e, json_array_get(fp->data, fp->i)))
		fuzz_fail("element %zu differs from jansson's", fp->i);
	json_decref(e);
	fp->i++;
}

/* A cursor against jansson's: absent, null and "" all mean none. */
static void
fuzz_page_cursor(const char *mine, json_t *j, const char *key)
{
	json_t	*v = json_object_get(j, key);

	if (v == NULL || json_is_null(v) ||
	    (json_is_string(v) && json_string_length(v) == 0)) {
		if (mine != NULL)
			fuzz_fail("%s where jansson has none", key);
		return;
	}
	if (mine == NULL || strcmp(mine, json_string_value(v)) != 0)
		fuzz_fail("%s differs from jansson", key);
}

/* Is the cursor member of j acceptable (absent, null or a string)? */
static int
fuzz_page_cursor_ok(json_t *j, const char *key)
{
	json_t	*v = json_object_get(j, key);

	return v == NULL || json_is_null(v) || (json_is_string(v) &&
	    memchr(json_string_value(v), '\0', json_string_length(v)) == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_page	 fp = { NULL, 0 };
	struct api_page		 pg;
	json_error_t		 err;
	json_t			*j;
	char			*cause = NULL;
	int			 rv, usable;

	j = json_loadb((const char *)data, size, JSON_DECODE_ANY |
	    JSON_ALLOW_NUL, &err);
	if (j != NULL && memchr(data, '\0', size) != NULL) {
		json_decref(j);		/* jansson misreads raw NULs */
		j = NULL;
	}
	usable = json_is_object(j) && json_is_array(json_object_get(j,
	    "data")) && fuzz_page_cursor_ok(j, "next_page") &&
	    fuzz_page_cursor_ok(j, "prev_page");
	if (usable)
		fp.data = json_object_get(j, "data");
	rv = api_page_scan((const char *)data, size, fuzz_page_elem, &fp, &pg,
	    &cause);
	if (rv == 0) {
		if (j == NULL && (strstr(err.text, "too big") == NULL &&
		    strstr(err.text, "Unicode") == NULL &&
		    strstr(err.text, "overflow") == NULL &&
		    strstr(err.text, "NUL byte") == NULL))
			fuzz_fail("accepted what jansson refuses: %s", err.text);
		if (usable) {
			if (fp.i != json_array_size(fp.data) ||
			    pg.count != fp.i)
				fuzz_fail("element count differs");
			fuzz_page_cursor(pg.next_page, j, "next_page");
			fuzz_page_cursor(pg.prev_page, j, "prev_page");
		}
		api_page_clear(&pg);
	} else {
		if (cause == NULL)
			fuzz_fail("no cause for a refused page");
		if (usable)
			fuzz_fail("refused a page jansson reads: %s", cause);
		free(cause);
	}
	json_decref(j);
	return 0;
}
