/* ISC licence: see COPYING.  SQLite open, pragmas, migrations, helpers. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/paths.h"
#include "base/xmalloc.h"
#include "store/db.h"

struct db {
	sqlite3		*h;		/* the connection */
	char		*path;		/* the file, for messages */
	int		 version;	/* user_version found at open */
};

static int	db_prepare_file(const char *, int, char **);
static int	db_pragmas(struct db *, int, char **);
static int	db_migrate(struct db *, const char *const *, size_t, char **);
static int	db_get_version(struct db *, int *, char **);

/* Set *cause from the connection's last error, naming the file. */
int
db_error(struct db *db, char **cause, const char *fmt, ...)
{
	va_list	 ap;
	char	*what;

	if (cause == NULL)
		return -1;
	va_start(ap, fmt);
	xvasprintf(&what, fmt, ap);
	va_end(ap);
	xasprintf(cause, "%s: %s: %s", db->path, what,
	    db->h != NULL ? sqlite3_errmsg(db->h) : "no connection");
	free(what);
	return -1;
}

/*
 * Make the directory holding path private and the file itself 0600,
 * creating it empty if it does not exist (unless read-only): SQLite would
 * otherwise create it with the umask's mode, and it copies the file's mode
 * to the -wal and -shm files.
 */
static int
db_prepare_file(const char *path, int flags, char **cause)
{
	char		*dir, *slash;
	struct stat	 sb;
	int		 fd, rv = -1;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (paths_private_dir(dir, cause) != 0)
			goto out;
	}
	if (flags & DB_READONLY) {
		if (stat(path, &sb) != 0) {
			xasprintf(cause, "%s: %s", path, strerror(errno));
			goto out;
		}
		rv = 0;
		goto out;
	}
	fd = open(path, O_RDWR|O_CREAT|O_NOFOLLOW|O_CLOEXEC, 0600);
	if (fd == -1) {
		xasprintf(cause, "cannot open %s: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		xasprintf(cause, "%s is not a regular file", path);
		close(fd);
		goto out;
	}
	if ((sb.st_mode & 077) != 0 && fchmod(fd, 0600) != 0) {
		xasprintf(cause, "%s has unsafe permissions %03o and cannot be "
		    "made 0600: %s", path, (unsigned)(sb.st_mode & 0777),
		    strerror(errno));
		close(fd);
		goto out;
	}
	close(fd);
	rv = 0;
out:
	free(dir);
	return rv;
}

/* Apply the connection settings every database of ours uses. */
static int
db_pragmas(struct db *db, int flags, char **cause)
{
	sqlite3_stmt	*st;
	const char	*mode;
	int		 wal;

	sqlite3_busy_timeout(db->h, DB_BUSY_MS);
	if (db_exec(db, "PRAGMA foreign_keys = ON", cause) != 0)
		return -1;
	if (flags & DB_READONLY)
		return 0;
	if ((st = db_prepare(db, "PRAGMA journal_mode = WAL", cause)) == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		db_error(db, cause, "cannot switch to WAL");
		sqlite3_finalize(st);
		return -1;
	}
	mode = (const char *)sqlite3_column_text(st, 0);
	wal = mode != NULL && strcmp(mode, "wal") == 0;
	sqlite3_finalize(st);
	if (!wal) {
		xasprintf(cause, "%s: the file system does not support WAL "
		    "(journal mode stayed %s)", db->path, mode ? mode : "?");
		return -1;
	}
	return db_exec(db, "PRAGMA synchronous = NORMAL", cause);
}

/* Read PRAGMA user_version. */
static int
db_get_version(struct db *db, int *version, char **cause)
{
	sqlite3_stmt	*st;

	if ((st = db_prepare(db, "PRAGMA user_version", cause)) == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		db_error(db, cause, "cannot read the schema version");
		sqlite3_finalize(st);
		return -1;
	}
	*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/*
 * Run the migrations the file has not seen yet, each in its own
 * transaction with its version bump.  BEGIN IMMEDIATE takes the write
 * lock before re-reading the version, so two processes opening a new file
 * at once do not both run the same migration.
 */
static int
db_migrate(struct db *db, const char *const *migrations, size_t n,
    char **cause)
{
	int	 v;
	char	*sql;

	for (;;) {
		if (db_begin(db, cause) != 0)
			return -1;
		if (db_get_version(db, &v, cause) != 0)
			goto fail;
		if (v < 0 || (size_t)v >= n)
			break;
		if (db_exec(db, migrations[v], cause) != 0)
			goto fail;
		xasprintf(&sql, "PRAGMA user_version = %d", v + 1);
		if (db_exec(db, sql, cause) != 0) {
			free(sql);
			goto fail;
		}
		free(sql);
		if (db_commit(db, cause) != 0)
			goto fail;
	}
	db_rollback(db);
	if ((size_t)v > n) {
		xasprintf(cause, "%s: schema version %d is newer than this "
		    "version of pilothouse understands (%zu); upgrade "
		    "pilothouse or move the file away", db->path, v, n);
		return -1;
	}
	return 0;
fail:
	db_rollback(db);
	return -1;
}

/* Open and migrate a database file. */
struct db *
db_open(const char *path, const char *const *migrations, size_t n,
    int flags, char **cause)
{
	struct db	*db;
	int		 oflags;

	if (db_prepare_file(path, flags, cause) != 0)
		return NULL;
	db = xcalloc(1, sizeof *db);
	db->path = xstrdup(path);
	oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW |
	    ((flags & DB_READONLY) ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	if (sqlite3_open_v2(path, &db->h, oflags, NULL) != SQLITE_OK) {
		db_error(db, cause, "cannot open");
		goto fail;
	}
	sqlite3_extended_result_codes(db->h, 1);
	if (db_pragmas(db, flags, cause) != 0)
		goto fail;
	if (db_get_version(db, &db->version, cause) != 0)
		goto fail;
	if (migrations == NULL)
		return db;	/* the caller does not manage the schema */
	if (flags & DB_READONLY) {
		if ((size_t)db->version > n) {
			xasprintf(cause, "%s: schema version %d is newer than "
			    "this version of pilothouse understands (%zu)",
			    path, db->version, n);
			goto fail;
		}
	} else if (db_migrate(db, migrations, n, cause) != 0)
		goto fail;
	return db;
fail:
	db_close(db);
	return NULL;
}

/* Close the connection; NULL does nothing. */
void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	if (db->h != NULL)
		sqlite3_close_v2(db->h);
	free(db->path);
	free(db);
}

/* The connection. */
sqlite3 *
db_handle(struct db *db)
{
	return db->h;
}

/* The file name given to db_open. */
const char *
db_path(struct db *db)
{
	return db->path;
}

/* The schema version the file had when it was opened. */
int
db_version_opened(struct db *db)
{
	return db->version;
}

/* Run statements that return nothing. */
int
db_exec(struct db *db, const char *sql, char **cause)
{
	char	*msg = NULL;

	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	if (cause != NULL)
		xasprintf(cause, "%s: %s", db->path,
		    msg != NULL ? msg : sqlite3_errmsg(db->h));
	sqlite3_free(msg);
	return -1;
}

/* Start a write transaction now rather than at the first write. */
int
db_begin(struct db *db, char **cause)
{
	return db_exec(db, "BEGIN IMMEDIATE", cause);
}

/* Commit the open transaction. */
int
db_commit(struct db *db, char **cause)
{
	return db_exec(db, "COMMIT", cause);
}

/* Abandon the open transaction, if any. */
void
db_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->h))
		(void)sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

/* Prepare a statement for repeated use. */
sqlite3_stmt *
db_prepare(struct db *db, const char *sql, char **cause)
{
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
	    NULL) != SQLITE_OK) {
		db_error(db, cause, "cannot prepare \"%.40s\"", sql);
		return NULL;
	}
	return st;
}

/* Run a statement that returns no rows. */
int
db_step_done(struct db *db, sqlite3_stmt *st, char **cause)
{
	int	rc;

	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
		sqlite3_reset(st);
		return 0;
	}
	db_error(db, cause, "cannot run \"%.40s\"", sqlite3_sql(st));
	sqlite3_reset(st);
	return -1;
}

/* Fetch the next row of a query. */
int
db_step_row(struct db *db, sqlite3_stmt *st, char **cause)
{
	int	rc;

	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	db_error(db, cause, "cannot run \"%.40s\"", sqlite3_sql(st));
	sqlite3_reset(st);
	return -1;
}

/* Bind a C string, or NULL. */
void
db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

/* Bind len bytes of text, or NULL. */
void
db_bind_textn(sqlite3_stmt *st, int i, const char *s, size_t len)
{
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text64(st, i, s, len, SQLITE_STATIC, SQLITE_UTF8);
}

/* Bind v, or NULL when v is the caller's "absent" value. */
void
db_bind_int64_or_null(sqlite3_stmt *st, int i, int64_t v, int64_t absent)
{
	if (v == absent)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

/* Copy a text column. */
char *
db_column_strdup(sqlite3_stmt *st, int i)
{
	const unsigned char	*s;

	if ((s = sqlite3_column_text(st, i)) == NULL)
		return NULL;
	return xmemdup(s, (size_t)sqlite3_column_bytes(st, i) + 1);
}
