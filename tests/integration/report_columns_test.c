/* ISC licence: see COPYING.  A tool result's tool_use_id and is_error as
 * events columns, on real SQLite files: written at ingest for every
 * result type, NULL in a cache made by schema 2 (migrated or read as it
 * is), and the Markdown report the same either way. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/xmalloc.h"
#include "cli/report.h"
#include "store/db.h"
#include "store/store.h"
#include "store/store_int.h"
#include "wire/api_event.h"
#include "tap.h"

#define SESSION	"sesn_011CreportColumns0000001"
#define AT(s)	"\"processed_at\":\"2026-11-20T10:00:" s "Z\""

/*
 * One turn touching every result type: is_error true, false, absent and
 * null; a result whose content holds the text "is_error":false; a write
 * (whose result the file model reads) and a held bash call.
 */
static const struct {
	const char	*json;
	const char	*tool_use_id;	/* the column: NULL for none */
	int		 is_error;	/* the column: -1 for NULL */
} events[] = {
	{ "{\"type\":\"session.status_running\",\"id\":\"sevt_01\","
	  AT("01") "}", NULL, -1 },
	{ "{\"type\":\"user.message\",\"id\":\"sevt_02\",\"content\":[{"
	  "\"type\":\"text\",\"text\":\"fix the build\"}]," AT("02") "}",
	  NULL, -1 },
	{ "{\"type\":\"span.model_request_start\",\"id\":\"sevt_03\","
	  AT("03") "}", NULL, -1 },
	{ "{\"type\":\"agent.tool_use\",\"id\":\"sevt_u1\",\"name\":\"bash\","
	  "\"input\":{\"command\":\"make\"},\"evaluated_permission\":"
	  "\"allow\"," AT("04") "}", NULL, -1 },
	{ "{\"type\":\"agent.tool_result\",\"id\":\"sevt_05\",\"tool_use_id\":"
	  "\"sevt_u1\",\"content\":[{\"type\":\"text\",\"text\":\"{\\\""
	  "is_error\\\":false} make: *** Error 2\"}],\"is_error\":true,"
	  AT("05") "}", "sevt_u1", 1 },
	{ "{\"type\":\"agent.tool_use\",\"id\":\"sevt_u2\",\"name\":\"write\","
	  "\"input\":{\"file_path\":\"/w/a.txt\",\"content\":\"hello\\n\"},"
	  "\"evaluated_permission\":\"allow\"," AT("06") "}", NULL, -1 },
	{ "{\"type\":\"agent.tool_result\",\"id\":\"sevt_07\",\"tool_use_id\":"
	  "\"sevt_u2\",\"content\":[],\"is_error\":false," AT("07") "}",
	  "sevt_u2", 0 },
	{ "{\"type\":\"agent.mcp_tool_use\",\"id\":\"sevt_u3\",\"name\":"
	  "\"search\",\"mcp_server_name\":\"docs\",\"input\":{},"
	  "\"evaluated_permission\":\"allow\"," AT("08") "}", NULL, -1 },
	{ "{\"type\":\"agent.mcp_tool_result\",\"id\":\"sevt_09\","
	  "\"mcp_tool_use_id\":\"sevt_u3\",\"content\":[],\"is_error\":true,"
	  AT("09") "}", "sevt_u3", 1 },
	{ "{\"type\":\"agent.custom_tool_use\",\"id\":\"sevt_u4\",\"name\":"
	  "\"lookup\",\"input\":{}," AT("10") "}", NULL, -1 },
	{ "{\"type\":\"user.custom_tool_result\",\"id\":\"sevt_11\","
	  "\"custom_tool_use_id\":\"sevt_u4\",\"content\":[]," AT("11") "}",
	  "sevt_u4", -1 },
	{ "{\"type\":\"agent.tool_use\",\"id\":\"sevt_u5\",\"name\":\"bash\","
	  "\"input\":{\"command\":\"rm -rf build\"},\"evaluated_permission\":"
	  "\"ask\"," AT("12") "}", NULL, -1 },
	{ "{\"type\":\"user.tool_confirmation\",\"id\":\"sevt_13\","
	  "\"tool_use_id\":\"sevt_u5\",\"result\":\"allow\"," AT("13") "}",
	  NULL, -1 },
	{ "{\"type\":\"agent.tool_result\",\"id\":\"sevt_14\",\"tool_use_id\":"
	  "\"sevt_u5\",\"content\":[],\"is_error\":null," AT("14") "}",
	  "sevt_u5", -1 },
	{ "{\"type\":\"agent.tool_use\",\"id\":\"sevt_u6\",\"name\":\"bash\","
	  "\"input\":{\"command\":\"make\"},\"evaluated_permission\":"
	  "\"allow\"," AT("15") "}", NULL, -1 },
	{ "{\"type\":\"user.tool_result\",\"id\":\"sevt_16\",\"tool_use_id\":"
	  "\"sevt_u6\",\"is_error\":true,\"content\":[]," AT("16") "}",
	  "sevt_u6", 1 },
	{ "{\"type\":\"span.model_request_end\",\"id\":\"sevt_17\","
	  "\"model_request_start_id\":\"sevt_03\",\"is_error\":false,"
	  "\"model_usage\":{\"input_tokens\":10,\"output_tokens\":5}," AT("17")
	  "}", NULL, -1 },
	{ "{\"type\":\"session.status_idle\",\"id\":\"sevt_18\","
	  "\"stop_reason\":{\"type\":\"end_turn\"}," AT("18") "}", NULL, -1 },
};

/* The Markdown report of the file at path, as a new string. */
static char *
report(const char *path, int flags)
{
	struct store	*st;
	char		*cause = NULL, *out = NULL;
	size_t		 len = 0;
	FILE		*f;

	if ((st = store_open(path, flags, &cause)) == NULL) {
		diag("store_open: %s", cause);
		free(cause);
		return NULL;
	}
	f = open_memstream(&out, &len);
	if (report_markdown(st, SESSION, f, &cause) != 0) {
		diag("report: %s", cause);
		free(cause);
	}
	fclose(f);
	store_close(st);
	return out;
}

/* Event i, parsed as from the network.  Caller frees. */
static struct api_event *
event_at(size_t i)
{
	struct api_event	*ev;
	char			*cause = NULL;

	ev = api_event_parse(events[i].json, strlen(events[i].json), &cause);
	if (ev == NULL)
		fatalx("event %zu: %s", i, cause);
	return ev;
}

/* Store every event through the store's writer. */
static void
fill_new(const char *path)
{
	struct store		*st;
	struct api_event	*ev;
	char			*cause = NULL;

	if ((st = store_open(path, 0, &cause)) == NULL)
		fatalx("store_open: %s", cause);
	for (size_t i = 0; i < AD_NITEMS(events); i++) {
		ev = event_at(i);
		store_event_put(st, SESSION, ev);
		api_event_free(ev);
	}
	if (store_flush(st, &cause) != 0)
		fatalx("flush: %s", cause);
	store_close(st);
}

/* Make a cache as schema 2 made it: no result columns. */
static void
fill_old(const char *path)
{
	struct api_event	*ev;
	struct db		*db;
	sqlite3_stmt		*q;
	char			*cause = NULL;

	db = db_open(path, store_migrations, STORE_VERSION_RESULT_COLUMNS - 1,
	    0, &cause);
	if (db == NULL ||
	    db_exec(db, "INSERT INTO sessions (id) VALUES ('" SESSION "')",
	    &cause) != 0)
		fatalx("%s", cause);
	for (size_t i = 0; i < AD_NITEMS(events); i++) {
		ev = event_at(i);
		if ((q = db_prepare(db, "INSERT INTO events (sess, event_id, "
		    "type, processed_us) VALUES (1, ?1, ?2, ?3)", &cause)) ==
		    NULL)
			fatalx("%s", cause);
		db_bind_text(q, 1, ev->id);
		db_bind_text(q, 2, ev->type_name);
		sqlite3_bind_int64(q, 3, ev->processed_us);
		if (db_step_done(db, q, &cause) != 0)
			fatalx("%s", cause);
		sqlite3_finalize(q);
		if ((q = db_prepare(db, "INSERT INTO event_raw (seq, raw) "
		    "VALUES (last_insert_rowid(), ?1)", &cause)) == NULL)
			fatalx("%s", cause);
		db_bind_text(q, 1, ev->raw);
		if (db_step_done(db, q, &cause) != 0)
			fatalx("%s", cause);
		sqlite3_finalize(q);
		api_event_free(ev);
	}
	db_close(db);
}

/* Compare the result columns with what the events say; 1 if all match.
 * old: every row should be NULL (a cache made before the columns). */
static int
columns_match(const char *path, int old)
{
	struct db	*db;
	sqlite3_stmt	*q;
	const char	*id;
	char		*cause = NULL;
	size_t		 i = 0;
	int		 same = 1, want_err;

	if ((db = db_open(path, NULL, 0, DB_READONLY, &cause)) == NULL ||
	    (q = db_prepare(db, "SELECT tool_use_id, is_error FROM events "
	    "ORDER BY seq", &cause)) == NULL)
		fatalx("%s", cause);
	while (db_step_row(db, q, &cause) == 1) {
		if (i >= AD_NITEMS(events)) {
			same = 0;
			break;
		}
		id = (const char *)sqlite3_column_text(q, 0);
		want_err = old ? -1 : events[i].is_error;
		if (old || events[i].tool_use_id == NULL)
			same &= id == NULL;
		else
			same &= id != NULL &&
			    strcmp(id, events[i].tool_use_id) == 0;
		if (want_err < 0)
			same &= sqlite3_column_type(q, 1) == SQLITE_NULL;
		else
			same &= sqlite3_column_type(q, 1) == SQLITE_INTEGER &&
			    sqlite3_column_int(q, 1) == want_err;
		if (!same) {
			diag("row %zu: tool_use_id %s, is_error %s", i,
			    id != NULL ? id : "NULL",
			    (const char *)sqlite3_column_text(q, 1));
			break;
		}
		i++;
	}
	sqlite3_finalize(q);
	free(cause);
	db_close(db);
	return same && i == AD_NITEMS(events);
}

/* Does the report have this line? */
static int
has_line(const char *md, const char *line)
{
	const char	*p = md;
	size_t		 n = strlen(line);

	while (p != NULL && (p = strstr(p, line)) != NULL) {
		if ((p == md || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

int
main(void)
{
	struct db	*db;
	char		*tmp, *newp, *oldp, *cause = NULL;
	char		*want, *got_ro, *got_mig, *got_forged;

	xasprintf(&tmp, "%s/ph-repcols.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmp) == NULL)
		tap_skip_all("mkdtemp failed");
	xasprintf(&newp, "%s/new.db", tmp);
	xasprintf(&oldp, "%s/old.db", tmp);

	fill_new(newp);
	ok(columns_match(newp, 0), "ingest writes tool_use_id and is_error "
	    "for each result type (true, false, absent, null), NULL for the "
	    "rest");
	want = report(newp, STORE_READONLY);
	ok(want != NULL && has_line(want, "| Tool errors | 3 |") &&
	    has_line(want, "| bash | 3 | 2 |") &&
	    has_line(want, "| docs/search | 1 | 1 |") &&
	    has_line(want, "| Confirmations allowed | 1 |") &&
	    has_line(want, "### /w/a\\.txt"),
	    "the report from the columns counts the errors per tool and "
	    "still reads the write's result for the file");
	if (want != NULL && !has_line(want, "| Tool errors | 3 |"))
		diag("%s", want);

	fill_old(oldp);
	got_ro = report(oldp, STORE_READONLY);
	ok(got_ro != NULL && want != NULL && strcmp(got_ro, want) == 0,
	    "a schema-2 cache, read as it is, gives the same report (the "
	    "bodies are read)");
	got_mig = report(oldp, 0);
	ok(got_mig != NULL && want != NULL && strcmp(got_mig, want) == 0,
	    "migrated to schema 3, its old rows (NULL columns) give the "
	    "same report");
	if ((db = db_open(oldp, NULL, 0, DB_READONLY, &cause)) == NULL)
		fatalx("%s", cause);
	is_int(db_version_opened(db), (int)store_nmigrations,
	    "the writer's open migrated it");
	db_close(db);
	ok(columns_match(oldp, 1), "the migration leaves old rows NULL");

	/*
	 * The report must take is_error from the columns, not the bodies:
	 * flip every error result's body to is_error false and see the
	 * report unchanged.
	 */
	if ((db = db_open(newp, NULL, 0, 0, &cause)) == NULL ||
	    db_exec(db, "UPDATE event_raw SET raw = json_set(raw, "
	    "'$.is_error', json('false')) WHERE seq IN (SELECT seq FROM "
	    "events WHERE is_error = 1)", &cause) != 0)
		fatalx("%s", cause);
	db_close(db);
	got_forged = report(newp, STORE_READONLY);
	ok(got_forged != NULL && want != NULL &&
	    strcmp(got_forged, want) == 0,
	    "tool results are folded from their columns, not their bodies");

	free(want);
	free(got_ro);
	free(got_mig);
	free(got_forged);
	for (size_t i = 0; i < 2; i++) {
		for (size_t k = 0; k < 3; k++) {
			xasprintf(&cause, "%s%s", i ? oldp : newp,
			    (const char *[]){ "", "-wal", "-shm" }[k]);
			unlink(cause);
			free(cause);
		}
	}
	rmdir(tmp);
	free(newp);
	free(oldp);
	free(tmp);
	return done_testing();
}
