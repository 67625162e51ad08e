/* ISC licence: see COPYING.  Tests for store/db: files, pragmas, migrations. */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/xmalloc.h"
#include "store/db.h"
#include "tap.h"

static const char *const migrations[] = {
	"CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT NOT NULL);",
	"ALTER TABLE t ADD c INTEGER; CREATE TABLE u (x REFERENCES t(a));",
	"CREATE TABLE broken (; -- a syntax error",
};

/* One integer from a query. */
static long long
query_int(struct db *db, const char *sql)
{
	sqlite3_stmt	*st;
	long long	 v = -1;
	char		*cause = NULL;

	st = db_prepare(db, sql, &cause);
	if (st == NULL) {
		diag("%s", cause);
		free(cause);
		return -1;
	}
	if (db_step_row(db, st, &cause) == 1)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	free(cause);
	return v;
}

int
main(void)
{
	char		*tmpl, *dir, *path, *cause = NULL, *s;
	struct db	*db;
	struct stat	 sb;
	sqlite3_stmt	*st;

	xasprintf(&tmpl, "%s/ph-db-test.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmpl) == NULL)
		tap_skip_all("mkdtemp failed");
	xasprintf(&dir, "%s/sub/dir", tmpl);
	xasprintf(&path, "%s/test.db", dir);

	db = db_open(path, migrations, 1, 0, &cause);
	ok(db != NULL, "open creates the file and its directories");
	is_int(db_version_opened(db), 0, "a new file starts at version 0");
	is_int(query_int(db, "PRAGMA user_version"), 1, "migrated to 1");
	ok(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600,
	    "the file is 0600");
	ok(stat(dir, &sb) == 0 && (sb.st_mode & 0777) == 0700,
	    "its directory is 0700");
	st = db_prepare(db, "PRAGMA journal_mode", &cause);
	ok(st != NULL && db_step_row(db, st, &cause) == 1 &&
	    strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0,
	    "journal mode is WAL");
	sqlite3_finalize(st);
	is_int(query_int(db, "PRAGMA synchronous"), 1, "synchronous=NORMAL");
	xasprintf(&s, "%s-wal", path);
	ok(stat(s, &sb) == 0 && (sb.st_mode & 0777) == 0600,
	    "the WAL file is 0600 too");
	free(s);
	is_int(query_int(db, "PRAGMA foreign_keys"), 1, "foreign keys on");

	st = db_prepare(db, "INSERT INTO t (a, b) VALUES (?, ?)", &cause);
	sqlite3_bind_int(st, 1, 7);
	db_bind_textn(st, 2, "hello world", 5);
	ok(db_step_done(db, st, &cause) == 0, "insert with bound text");
	sqlite3_bind_int(st, 1, 7);
	ok(db_step_done(db, st, &cause) == -1 && cause != NULL &&
	    strstr(cause, path) != NULL, "a failed step names the file");
	diag("%s", cause ? cause : "(no cause)");
	free(cause);
	cause = NULL;
	sqlite3_finalize(st);
	st = db_prepare(db, "SELECT b FROM t WHERE a = 7", &cause);
	ok(db_step_row(db, st, &cause) == 1, "a row");
	s = db_column_strdup(st, 0);
	is_str(s, "hello", "text column copied");
	free(s);
	is_int(db_step_row(db, st, &cause), 0, "then done");
	sqlite3_finalize(st);
	ok(db_prepare(db, "SELEC nonsense", &cause) == NULL && cause != NULL &&
	    strstr(cause, path) != NULL, "a bad statement names the file");
	free(cause);
	cause = NULL;
	db_close(db);

	db = db_open(path, migrations, 2, 0, &cause);
	ok(db != NULL, "reopen with one more migration");
	is_int(db_version_opened(db), 1, "found version 1");
	is_int(query_int(db, "PRAGMA user_version"), 2, "migrated to 2");
	is_int(query_int(db, "SELECT count(*) FROM t"), 1, "data kept");
	ok(db_exec(db, "INSERT INTO u VALUES (99)", &cause) == -1,
	    "foreign keys are enforced");
	free(cause);
	cause = NULL;
	db_close(db);

	db = db_open(path, migrations, 3, 0, &cause);
	ok(db == NULL && cause != NULL && strstr(cause, path) != NULL,
	    "a failing migration fails the open, naming the file");
	free(cause);
	cause = NULL;
	db = db_open(path, migrations, 2, 0, &cause);
	ok(db != NULL && query_int(db, "PRAGMA user_version") == 2,
	    "a failed migration left the version alone");
	db_close(db);

	db = db_open(path, migrations, 1, 0, &cause);
	ok(db == NULL && cause != NULL && strstr(cause, "newer") != NULL,
	    "a newer schema is refused: %s", cause ? cause : "");
	free(cause);
	cause = NULL;

	db = db_open(path, migrations, 2, DB_READONLY, &cause);
	ok(db != NULL, "read-only open");
	ok(db_exec(db, "INSERT INTO t (a, b) VALUES (8, 'x')", &cause) == -1,
	    "read-only refuses writes");
	free(cause);
	cause = NULL;
	db_close(db);
	free(path);
	xasprintf(&path, "%s/missing.db", dir);
	db = db_open(path, NULL, 0, DB_READONLY, &cause);
	ok(db == NULL && cause != NULL && strstr(cause, path) != NULL,
	    "read-only open of a missing file fails, naming it");
	ok(access(path, F_OK) != 0, "and does not create it");
	free(cause);
	cause = NULL;
	free(path);

	chmod(dir, 0755);
	xasprintf(&path, "%s/loose.db", dir);
	close(open(path, O_CREAT|O_WRONLY, 0644));
	chmod(path, 0644);
	db = db_open(path, migrations, 1, 0, &cause);
	ok(db != NULL && stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600,
	    "an existing loose file is tightened to 0600");
	ok(stat(dir, &sb) == 0 && (sb.st_mode & 0777) == 0700,
	    "and its directory to 0700");
	db_close(db);
	free(path);

	xasprintf(&path, "rm -rf %s", tmpl);
	if (system(path) != 0)
		diag("cleanup failed");
	free(path);
	free(dir);
	free(tmpl);
	return done_testing();
}
