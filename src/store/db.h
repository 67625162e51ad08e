/*
 * db.h -- generic SQLite helpers shared by every database pilothouse
 * keeps (the event cache, the harness's own store).
 *
 * db_open() makes the file's directory private (0700, ours), creates the
 * file 0600 (SQLite gives the -wal and -shm files the same mode), and
 * sets the connection up the one way we use SQLite: WAL, synchronous=
 * NORMAL (a committed transaction survives the process being killed; a
 * power cut may lose the last few), a busy timeout and foreign keys.  The
 * schema is versioned with PRAGMA user_version: migration i (0-based)
 * brings version i to i+1 and runs in its own transaction together with
 * the version bump, so a crash mid-migration leaves the old version.  A
 * file whose version is newer than the program knows is refused.
 *
 * Every failure is -1 (or NULL) plus a *cause that names the file.  A
 * struct db is used by one thread at a time; open one per thread.
 */
#ifndef PILOTHOUSE_DB_H
#define PILOTHOUSE_DB_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "base/compiler.h"

struct db;

#define DB_READONLY	0x1	/* open an existing file, never write */
#define DB_BUSY_MS	5000	/* how long a statement waits for a lock */

/*
 * Open (creating if needed, unless DB_READONLY) the database at path and
 * migrate it to version nmigrations.  With migrations NULL the schema
 * is left alone and not checked (a tool or test poking at a file).  NULL
 * with *cause on failure.  Caller frees with db_close.
 */
struct db	*db_open(const char *, const char *const *, size_t, int,
		    char **);
void		 db_close(struct db *);
/* The connection, for statements the helpers do not cover. Borrowed. */
sqlite3		*db_handle(struct db *);
const char	*db_path(struct db *);
/* The schema version found at open (before migrating). */
int		 db_version_opened(struct db *);

/* Run one or more statements with no results; -1 with *cause. */
int		 db_exec(struct db *, const char *, char **) AD_WARN_UNUSED;
/* BEGIN IMMEDIATE / COMMIT / ROLLBACK; -1 with *cause. */
int		 db_begin(struct db *, char **) AD_WARN_UNUSED;
int		 db_commit(struct db *, char **) AD_WARN_UNUSED;
void		 db_rollback(struct db *);

/* Prepare one statement; NULL with *cause.  Caller frees with
 * sqlite3_finalize. */
sqlite3_stmt	*db_prepare(struct db *, const char *, char **);
/* Step a statement that returns no rows and reset it; -1 with *cause. */
int		 db_step_done(struct db *, sqlite3_stmt *, char **)
		    AD_WARN_UNUSED;
/*
 * Step a query: 1 for a row, 0 when done (the statement is then reset),
 * -1 with *cause (also reset).
 */
int		 db_step_row(struct db *, sqlite3_stmt *, char **)
		    AD_WARN_UNUSED;
/* Bind text (SQLITE_STATIC: it must outlive the step); NULL binds NULL. */
void		 db_bind_text(sqlite3_stmt *, int, const char *);
void		 db_bind_textn(sqlite3_stmt *, int, const char *, size_t);
/* Bind an integer, or NULL when it equals the given "absent" value. */
void		 db_bind_int64_or_null(sqlite3_stmt *, int, int64_t, int64_t);
/* A copy of a text column, or NULL if it is NULL.  Caller frees. */
char		*db_column_strdup(sqlite3_stmt *, int);
/* Set *cause to "<path>: <what>: <sqlite message>" and return -1. */
int		 db_error(struct db *, char **, const char *, ...)
		    AD_PRINTFLIKE(3, 4);

#endif
