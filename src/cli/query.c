/* ISC licence: see COPYING.  query: read-only SQL over the cache. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/sanitize.h"
#include "base/xmalloc.h"
#include "cli/query.h"
#include "ui/width.h"

/*
 * Read-only is enforced three ways: the file is opened with
 * SQLITE_OPEN_READONLY, the statement must be sqlite3_stmt_readonly, and
 * the authorizer denies every action but SELECT, reading columns,
 * calling functions and recursive CTEs, so ATTACH, PRAGMA, temporary
 * objects and writes fail at prepare time with our message.
 */

/* Why a statement was refused (set by the authorizer). */
struct query_auth {
	int	 refused;
};

/* Allow reads only. */
static int
query_authorize(void *arg, int action, const char *a, const char *b,
    const char *c, const char *d)
{
	struct query_auth	*qa = arg;

	(void)a; (void)b; (void)c; (void)d;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_READ:
	case SQLITE_FUNCTION:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	default:
		qa->refused = 1;
		return SQLITE_DENY;
	}
}

/* Stop a query past its deadline. */
static int
query_progress(void *arg)
{
	return clock_mono_us() > *(int64_t *)arg;
}

/* Append a cell as one inert line, at most QUERY_MAX_CELL bytes. */
static void
query_cell(struct buf *out, const char *s, size_t len)
{
	struct buf	clean;
	size_t		i, n;

	buf_init(&clean, BUF_UNBOUNDED);
	if (sanitize_to_buf(s, len, &clean) != 0)
		fatalx("query: unbounded buffer refused");
	n = clean.len;
	if (n > QUERY_MAX_CELL) {
		n = QUERY_MAX_CELL;
		while (n > 0 && ((unsigned char)clean.data[n] & 0xc0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++) {
		if (clean.data[i] == '\n')
			buf_xprintf(out, "\\n");
		else if (clean.data[i] == '\t')
			buf_xprintf(out, "\\t");
		else if (clean.data[i] == '\r')
			buf_xprintf(out, "\\r");
		else if (buf_putc(out, clean.data[i]) != 0)
			fatalx("query: unbounded buffer refused");
	}
	if (n < clean.len)
		buf_xprintf(out, "…");
	buf_clear(&clean);
}

/* A column's value as JSON. */
static json_t *
query_json_value(sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER:
		return json_integer(sqlite3_column_int64(st, i));
	case SQLITE_FLOAT:
		return json_real(sqlite3_column_double(st, i));
	case SQLITE_NULL:
		return json_null();
	default:
		/* Text (or a blob, as text): jansson escapes controls. */
		return json_stringn_nocheck((const char *)
		    sqlite3_column_text(st, i), sqlite3_column_bytes(st, i));
	}
}

/* Write the rows as an aligned table. */
static void
query_table(struct buf *out, char **cells, size_t ncols, size_t nrows)
{
	int	*w = xcalloc(ncols, sizeof *w), cw;
	size_t	 r, c;

	for (r = 0; r <= nrows; r++) {
		for (c = 0; c < ncols; c++) {
			cw = width_str(cells[r * ncols + c],
			    strlen(cells[r * ncols + c]));
			if (cw > w[c])
				w[c] = cw;
		}
	}
	for (r = 0; r <= nrows; r++) {
		for (c = 0; c < ncols; c++) {
			const char	*s = cells[r * ncols + c];

			buf_xprintf(out, "%s%s", c > 0 ? "  " : "", s);
			if (c + 1 < ncols)
				buf_xprintf(out, "%*s", w[c] - width_str(s,
				    strlen(s)), "");
		}
		buf_xprintf(out, "\n");
		if (r == 0) {
			for (c = 0; c < ncols; c++) {
				buf_xprintf(out, "%s", c > 0 ? "  " : "");
				for (int k = 0; k < w[c]; k++)
					buf_xprintf(out, "-");
			}
			buf_xprintf(out, "\n");
		}
	}
	free(w);
}

/* Run one read-only statement. */
int
query_run(const char *path, const char *sql, size_t limit, int flags,
    struct buf *out, char **cause)
{
	struct query_auth	 qa = { 0 };
	sqlite3			*db = NULL;
	sqlite3_stmt		*st = NULL;
	const char		*tail;
	char			**cells = NULL;
	json_t			*arr = NULL, *obj;
	struct buf		 cell;
	size_t			 ncols = 0, nrows = 0, i;
	int64_t			 deadline;
	int			 r, rv = -1, more = 0;
	char			*js;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		xasprintf(cause, "cannot open %s: %s", path, db != NULL ?
		    sqlite3_errmsg(db) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(db, 5000);
	sqlite3_set_authorizer(db, query_authorize, &qa);
	deadline = clock_mono_us() + (int64_t)QUERY_TIMEOUT_MS * 1000;
	sqlite3_progress_handler(db, 10000, query_progress, &deadline);
	if (sqlite3_prepare_v2(db, sql, -1, &st, &tail) != SQLITE_OK) {
		if (qa.refused)
			xasprintf(cause, "the cache is read-only here: only "
			    "SELECT over the q_* views and tables is allowed "
			    "(%s)", sqlite3_errmsg(db));
		else
			xasprintf(cause, "%s", sqlite3_errmsg(db));
		goto out;
	}
	if (st == NULL) {
		*cause = xstrdup("empty query");
		goto out;
	}
	tail += strspn(tail, " \t\r\n;");
	if (*tail != '\0') {
		*cause = xstrdup("one statement at a time");
		goto out;
	}
	if (!sqlite3_stmt_readonly(st)) {
		*cause = xstrdup("the cache is read-only here: only SELECT "
		    "is allowed");
		goto out;
	}
	ncols = (size_t)sqlite3_column_count(st);
	if (flags & QUERY_JSON)
		arr = json_array();
	else {
		cells = xreallocarray(NULL, ncols, sizeof *cells);
		for (i = 0; i < ncols; i++) {
			buf_init(&cell, BUF_UNBOUNDED);
			query_cell(&cell, sqlite3_column_name(st, (int)i),
			    strlen(sqlite3_column_name(st, (int)i)));
			cells[i] = buf_steal(&cell, NULL);
		}
	}
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (nrows == limit) {
			more = 1;
			break;
		}
		if (arr != NULL) {
			obj = json_object();
			for (i = 0; i < ncols; i++)
				json_object_set_new_nocheck(obj,
				    sqlite3_column_name(st, (int)i),
				    query_json_value(st, (int)i));
			json_array_append_new(arr, obj);
		} else {
			cells = xreallocarray(cells, (nrows + 2) * ncols,
			    sizeof *cells);
			for (i = 0; i < ncols; i++) {
				buf_init(&cell, BUF_UNBOUNDED);
				if (sqlite3_column_type(st, (int)i) ==
				    SQLITE_NULL)
					buf_xprintf(&cell, "NULL");
				else
					query_cell(&cell, (const char *)
					    sqlite3_column_text(st, (int)i),
					    (size_t)sqlite3_column_bytes(st,
					    (int)i));
				cells[(nrows + 1) * ncols + i] =
				    buf_steal(&cell, NULL);
			}
		}
		nrows++;
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		if (r == SQLITE_INTERRUPT)
			xasprintf(cause, "the query ran longer than %d s",
			    QUERY_TIMEOUT_MS / 1000);
		else
			xasprintf(cause, "%s", sqlite3_errmsg(db));
		goto out;
	}
	if (arr != NULL) {
		js = json_dumps(arr, JSON_COMPACT | JSON_ENSURE_ASCII);
		buf_xprintf(out, "%s\n", js);
		free(js);
	} else
		query_table(out, cells, ncols, nrows);
	if (more && arr == NULL)
		buf_xprintf(out, "(first %zu rows; more not shown)\n", limit);
	rv = (int)nrows;
out:
	if (cells != NULL) {
		for (i = 0; i < (nrows + 1) * ncols; i++)
			free(cells[i]);
		free(cells);
	}
	json_decref(arr);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rv;
}
