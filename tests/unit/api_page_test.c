/* ISC licence: see COPYING.  Tests for wire/api_page: raw elements. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/io.h"
#include "tap.h"
#include "wire/api_page.h"

/* Collect elements joined by '|'. */
static void
collect(const char *p, size_t len, void *arg)
{
	struct buf	*b = arg;

	if ((b->len > 0 && buf_putc(b, '|') != 0) ||
	    buf_append(b, p, len) != 0)
		abort();
}

/* Scan text; return 0/-1 and fill out with the joined elements. */
static int
scan(const char *text, struct buf *out, struct api_page *pg, char **cause)
{
	buf_reset(out);
	return api_page_scan(text, strlen(text), collect, out, pg, cause);
}

int
main(void)
{
	struct api_page	 pg;
	struct buf	 out, file;
	char		*cause = NULL, path[4096];
	const char	*top = getenv("top_srcdir");

	buf_init(&out, BUF_UNBOUNDED);
	ok(scan("{\"data\":[{\"a\":1}, {\"b\" : [2,3]},\n\t{}],"
	    "\"next_page\":\"cur\\/1\"}", &out, &pg, &cause) == 0, "a page");
	is_str(buf_cstr(&out), "{\"a\":1}|{\"b\" : [2,3]}|{}",
	    "elements are the exact bytes, blanks around them dropped");
	is_str(pg.next_page, "cur/1", "the cursor is decoded");
	ok(pg.prev_page == NULL, "no prev_page");
	is_int(pg.count, 3, "three elements");
	api_page_clear(&pg);

	ok(scan(" {\"next_page\":null,\"prev_page\":\"p\",\"data\":[]} ",
	    &out, &pg, &cause) == 0, "an empty page");
	ok(pg.next_page == NULL && strcmp(pg.prev_page, "p") == 0 &&
	    pg.count == 0 && out.len == 0, "null ends the list");
	api_page_clear(&pg);
	ok(scan("{\"data\":[1],\"next_page\":\"\"}", &out, &pg, &cause) == 0 &&
	    pg.next_page == NULL, "\"\" ends the list too");
	api_page_clear(&pg);
	ok(scan("{\"d\\u0061ta\":[7]}", &out, &pg, &cause) == 0 &&
	    strcmp(buf_cstr(&out), "7") == 0, "an escaped key still matches");
	api_page_clear(&pg);

	/* Refusals: nothing is handed over. */
	ok(scan("{\"data\":[{\"a\":1},{\"b\":}]}", &out, &pg, &cause) == -1 &&
	    out.len == 0, "invalid JSON: refused before any element");
	free(cause);
	ok(scan("{\"data\":{}}", &out, &pg, &cause) == -1 &&
	    strstr(cause, "no \"data\" array") != NULL, "data not an array");
	free(cause);
	ok(scan("{\"next_page\":null}", &out, &pg, &cause) == -1,
	    "no data at all");
	free(cause);
	ok(scan("{\"data\":[],\"next_page\":5}", &out, &pg, &cause) == -1 &&
	    strstr(cause, "next_page") != NULL, "a cursor that is a number");
	free(cause);
	ok(scan("[]", &out, &pg, &cause) == -1, "not an object");
	free(cause);
	ok(scan("{\"data\":[]} x", &out, &pg, &cause) == -1, "trailing junk");
	free(cause);
	ok(scan("{\"data\":[\"\xff\"]}", &out, &pg, &cause) == -1,
	    "invalid UTF-8");
	free(cause);

	/* The reference page: every event, byte-exact. */
	snprintf(path, sizeof path, "%s/tests/data/fixtures/events-page.json",
	    top != NULL ? top : ".");
	buf_init(&file, 1 << 24);
	if (io_read_file(path, 1 << 24, &file, &cause) == 0) {
		ok(scan(buf_cstr(&file), &out, &pg, &cause) == 0,
		    "fixtures/events-page.json scans");
		ok(pg.count > 0 && pg.next_page != NULL,
		    "with %zu events and a next_page", pg.count);
		api_page_clear(&pg);
	} else {
		ok(0, "read %s: %s", path, cause);
		free(cause);
	}
	buf_clear(&file);
	buf_clear(&out);
	return done_testing();
}
