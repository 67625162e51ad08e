/* ISC licence: see COPYING.  harness.db: objects and event logs. */

#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "harness/hstore.h"
#include "store/db.h"

struct hstore {
	pthread_mutex_t	 lock;
	struct db	*db;
	sqlite3_stmt	*ev_insert;	/* the hot paths, prepared once */
	sqlite3_stmt	*sess_put;
	sqlite3_stmt	*pend_take;
};

/* Schema migrations: index i takes version i to i + 1. */
static const char *const hstore_migrations[] = {
	"CREATE TABLE agents ("
	"  id TEXT PRIMARY KEY,"
	"  version INTEGER NOT NULL,"
	"  created_us INTEGER NOT NULL,"
	"  archived INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX agents_created ON agents(created_us, id);"
	"CREATE TABLE agent_versions ("
	"  agent_id TEXT NOT NULL,"
	"  version INTEGER NOT NULL,"
	"  body TEXT NOT NULL,"
	"  PRIMARY KEY (agent_id, version));"
	"CREATE TABLE environments ("
	"  id TEXT PRIMARY KEY,"
	"  created_us INTEGER NOT NULL,"
	"  archived INTEGER NOT NULL DEFAULT 0,"
	"  body TEXT NOT NULL);"
	"CREATE INDEX environments_created ON environments(created_us, id);"
	"CREATE TABLE sessions ("
	"  id TEXT PRIMARY KEY,"
	"  created_us INTEGER NOT NULL,"
	"  status TEXT NOT NULL,"
	"  archived INTEGER NOT NULL DEFAULT 0,"
	"  agent_id TEXT,"
	"  agent_version INTEGER,"
	"  body TEXT NOT NULL);"
	"CREATE INDEX sessions_created ON sessions(created_us, id);"
	"CREATE TABLE events ("
	"  session_id TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  id TEXT NOT NULL UNIQUE,"
	"  type TEXT NOT NULL,"
	"  processed_at TEXT,"
	"  processed_us INTEGER,"
	"  body TEXT NOT NULL,"
	"  private TEXT,"
	"  PRIMARY KEY (session_id, seq)) WITHOUT ROWID;",
	/*
	 * 2: queued client events wait in pending and enter the log only
	 * when processed, so the log is in processed_at order.  Events a
	 * version 1 database still had queued move there.
	 */
	"CREATE TABLE pending ("
	"  n INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  session_id TEXT NOT NULL,"
	"  id TEXT NOT NULL UNIQUE,"
	"  type TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  private TEXT);"
	"CREATE INDEX pending_session ON pending(session_id, n);"
	"INSERT INTO pending (session_id, id, type, body, private) "
	"  SELECT session_id, id, type, body, private FROM events "
	"  WHERE processed_at IS NULL ORDER BY session_id, seq;"
	"DELETE FROM events WHERE processed_at IS NULL;"
};

/* Open (creating and migrating) the database. */
struct hstore *
hstore_open(const char *path, char **cause)
{
	struct hstore	*hs;
	struct db	*db;

	db = db_open(path, hstore_migrations, AD_NITEMS(hstore_migrations), 0,
	    cause);
	if (db == NULL)
		return NULL;
	hs = xcalloc(1, sizeof *hs);
	pthread_mutex_init(&hs->lock, NULL);
	hs->db = db;
	hs->ev_insert = db_prepare(db, "INSERT INTO events (session_id, seq, "
	    "id, type, processed_at, processed_us, body, private) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", cause);
	if (hs->ev_insert == NULL)
		goto fail;
	hs->sess_put = db_prepare(db, "INSERT OR REPLACE INTO sessions (id, "
	    "created_us, status, archived, agent_id, agent_version, body) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?)", cause);
	if (hs->sess_put == NULL)
		goto fail;
	hs->pend_take = db_prepare(db, "DELETE FROM pending WHERE id = ?",
	    cause);
	if (hs->pend_take == NULL)
		goto fail;
	return hs;
fail:
	hstore_close(hs);
	return NULL;
}

/* Close the database. */
void
hstore_close(struct hstore *hs)
{
	if (hs == NULL)
		return;
	sqlite3_finalize(hs->ev_insert);
	sqlite3_finalize(hs->sess_put);
	sqlite3_finalize(hs->pend_take);
	db_close(hs->db);
	pthread_mutex_destroy(&hs->lock);
	free(hs);
}

/* Run one statement with text/int arguments described by fmt ('s', 'i'). */
static int
hstore_run(struct hstore *hs, const char *sql, char **cause,
    const char *fmt, ...)
{
	sqlite3_stmt	*st;
	va_list		 ap;
	int		 rv;

	if ((st = db_prepare(hs->db, sql, cause)) == NULL)
		return -1;
	va_start(ap, fmt);
	for (int i = 0; fmt[i] != '\0'; i++) {
		if (fmt[i] == 's')
			db_bind_text(st, i + 1, va_arg(ap, const char *));
		else
			sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
	}
	va_end(ap);
	rv = db_step_done(hs->db, st, cause);
	sqlite3_finalize(st);
	return rv;
}

/* One text column of the first row of a query, or NULL. */
static char *
hstore_get_text(struct hstore *hs, const char *sql, const char *id,
    int64_t n, int use_n, char **cause)
{
	sqlite3_stmt	*st;
	char		*out = NULL;

	*cause = NULL;
	pthread_mutex_lock(&hs->lock);
	if ((st = db_prepare(hs->db, sql, cause)) != NULL) {
		db_bind_text(st, 1, id);
		if (use_n)
			sqlite3_bind_int64(st, 2, n);
		if (db_step_row(hs->db, st, cause) == 1)
			out = db_column_strdup(st, 0);
		sqlite3_finalize(st);
	}
	pthread_mutex_unlock(&hs->lock);
	return out;
}

/* Store a new agent version and make it the latest. */
int
hstore_agent_put(struct hstore *hs, const char *id, int64_t version,
    int64_t created_us, const char *body, char **cause)
{
	int	rv = -1;

	pthread_mutex_lock(&hs->lock);
	if (db_begin(hs->db, cause) != 0)
		goto out;
	if (hstore_run(hs, "INSERT INTO agent_versions (agent_id, version, "
	    "body) VALUES (?, ?, ?)", cause, "sis", id, version, body) != 0 ||
	    hstore_run(hs, "INSERT INTO agents (id, version, created_us) "
	    "VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
	    "version = excluded.version", cause, "sii", id, version,
	    created_us) != 0) {
		db_rollback(hs->db);
		goto out;
	}
	rv = db_commit(hs->db, cause);
out:
	pthread_mutex_unlock(&hs->lock);
	return rv;
}

/* Mark an agent archived; body is the latest version with archived_at. */
int
hstore_agent_archive(struct hstore *hs, const char *id, const char *body,
    char **cause)
{
	int	rv = -1;

	pthread_mutex_lock(&hs->lock);
	if (db_begin(hs->db, cause) != 0)
		goto out;
	if (hstore_run(hs, "UPDATE agents SET archived = 1 WHERE id = ?",
	    cause, "s", id) != 0 || hstore_run(hs, "UPDATE agent_versions "
	    "SET body = ? WHERE agent_id = ? AND version = (SELECT version "
	    "FROM agents WHERE id = ?)", cause, "sss", body, id, id) != 0) {
		db_rollback(hs->db);
		goto out;
	}
	rv = db_commit(hs->db, cause);
out:
	pthread_mutex_unlock(&hs->lock);
	return rv;
}

/* An agent's body at a version (0: the latest). */
char *
hstore_agent_get(struct hstore *hs, const char *id, int64_t version,
    char **cause)
{
	if (version == 0)
		return hstore_get_text(hs, "SELECT v.body FROM agents a JOIN "
		    "agent_versions v ON v.agent_id = a.id AND v.version = "
		    "a.version WHERE a.id = ?", id, 0, 0, cause);
	return hstore_get_text(hs, "SELECT body FROM agent_versions WHERE "
	    "agent_id = ? AND version = ?", id, version, 1, cause);
}

/* Insert or replace an environment. */
int
hstore_env_put(struct hstore *hs, const char *id, int64_t created_us,
    int archived, const char *body, char **cause)
{
	int	rv;

	pthread_mutex_lock(&hs->lock);
	rv = hstore_run(hs, "INSERT OR REPLACE INTO environments (id, "
	    "created_us, archived, body) VALUES (?, ?, ?, ?)", cause, "siis",
	    id, created_us, (int64_t)archived, body);
	pthread_mutex_unlock(&hs->lock);
	return rv;
}

/* An environment's body. */
char *
hstore_env_get(struct hstore *hs, const char *id, char **cause)
{
	return hstore_get_text(hs, "SELECT body FROM environments WHERE "
	    "id = ?", id, 0, 0, cause);
}

/* Delete an environment. */
int
hstore_env_delete(struct hstore *hs, const char *id, char **cause)
{
	int	rv;

	pthread_mutex_lock(&hs->lock);
	rv = hstore_run(hs, "DELETE FROM environments WHERE id = ?", cause,
	    "s", id);
	pthread_mutex_unlock(&hs->lock);
	return rv;
}

/* Bind and run the prepared session upsert (lock held). */
static int
hstore_session_write(struct hstore *hs, const struct hstore_session_row *r,
    char **cause)
{
	sqlite3_stmt	*st = hs->sess_put;

	db_bind_text(st, 1, r->id);
	sqlite3_bind_int64(st, 2, r->created_us);
	db_bind_text(st, 3, r->status);
	sqlite3_bind_int(st, 4, r->archived);
	db_bind_text(st, 5, r->agent_id);
	sqlite3_bind_int64(st, 6, r->agent_version);
	db_bind_text(st, 7, r->body);
	return db_step_done(hs->db, st, cause);
}

/* Insert or replace a session row. */
int
hstore_session_put(struct hstore *hs, const struct hstore_session_row *r,
    char **cause)
{
	int	rv;

	pthread_mutex_lock(&hs->lock);
	rv = hstore_session_write(hs, r, cause);
	pthread_mutex_unlock(&hs->lock);
	return rv;
}

/* A session's body. */
char *
hstore_session_get(struct hstore *hs, const char *id, char **cause)
{
	return hstore_get_text(hs, "SELECT body FROM sessions WHERE id = ?",
	    id, 0, 0, cause);
}

/* Every session that can still do something (not archived or ended). */
int
hstore_session_ids(struct hstore *hs, char ***ids, size_t *n, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	*ids = NULL;
	*n = 0;
	pthread_mutex_lock(&hs->lock);
	st = db_prepare(hs->db, "SELECT id FROM sessions WHERE archived = 0 "
	    "AND status != 'terminated' ORDER BY created_us", cause);
	if (st == NULL) {
		pthread_mutex_unlock(&hs->lock);
		return -1;
	}
	while ((rc = db_step_row(hs->db, st, cause)) == 1) {
		*ids = xreallocarray(*ids, *n + 1, sizeof **ids);
		(*ids)[(*n)++] = db_column_strdup(st, 0);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&hs->lock);
	return rc == 0 ? 0 : -1;
}

/* Delete a session and its log in one transaction. */
int
hstore_session_delete(struct hstore *hs, const char *id, char **cause)
{
	int	rv = -1;

	pthread_mutex_lock(&hs->lock);
	if (db_begin(hs->db, cause) != 0)
		goto out;
	if (hstore_run(hs, "DELETE FROM events WHERE session_id = ?", cause,
	    "s", id) != 0 || hstore_run(hs, "DELETE FROM pending WHERE "
	    "session_id = ?", cause, "s", id) != 0 || hstore_run(hs, "DELETE FROM sessions WHERE "
	    "id = ?", cause, "s", id) != 0) {
		db_rollback(hs->db);
		goto out;
	}
	rv = db_commit(hs->db, cause);
out:
	pthread_mutex_unlock(&hs->lock);
	return rv;
}

/* Append events (taking them out of pending, and updating their session)
 * in one transaction. */
int
hstore_event_append(struct hstore *hs, const char *sid,
    const struct hstore_event *evs, size_t n,
    const struct hstore_session_row *sess, char **cause)
{
	sqlite3_stmt	*st = hs->ev_insert;
	int		 rv = -1;

	pthread_mutex_lock(&hs->lock);
	if (db_begin(hs->db, cause) != 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct hstore_event	*ev = &evs[i];

		db_bind_text(st, 1, sid);
		sqlite3_bind_int64(st, 2, ev->seq);
		db_bind_text(st, 3, ev->id);
		db_bind_text(st, 4, ev->type);
		db_bind_text(st, 5, ev->processed_at);
		db_bind_int64_or_null(st, 6, ev->processed_us, 0);
		db_bind_text(st, 7, ev->body);
		db_bind_text(st, 8, ev->private);
		if (db_step_done(hs->db, st, cause) != 0)
			goto fail;
		db_bind_text(hs->pend_take, 1, ev->id);
		if (db_step_done(hs->db, hs->pend_take, cause) != 0)
			goto fail;
	}
	if (sess != NULL && hstore_session_write(hs, sess, cause) != 0)
		goto fail;
	rv = db_commit(hs->db, cause);
	goto out;
fail:
	db_rollback(hs->db);
out:
	pthread_mutex_unlock(&hs->lock);
	return rv;
}

/* Queue a client event until it is processed. */
int
hstore_pending_add(struct hstore *hs, const char *sid,
    const struct hstore_event *ev, char **cause)
{
	int	rv;

	pthread_mutex_lock(&hs->lock);
	rv = hstore_run(hs, "INSERT INTO pending (session_id, id, type, body, "
	    "private) VALUES (?, ?, ?, ?, ?)", cause, "sssss", sid, ev->id,
	    ev->type, ev->body, ev->private);
	pthread_mutex_unlock(&hs->lock);
	return rv;
}

/* Run a query of (seq, id, type, processed_at, body, private,
 * processed_us) rows for one session, calling cb on each. */
static int
hstore_walk(struct hstore *hs, const char *sql, const char *sid,
    hstore_event_cb cb, void *arg, char **cause)
{
	struct hstore_event	 ev;
	sqlite3_stmt		*st;
	int			 rc;

	pthread_mutex_lock(&hs->lock);
	if ((st = db_prepare(hs->db, sql, cause)) == NULL) {
		pthread_mutex_unlock(&hs->lock);
		return -1;
	}
	db_bind_text(st, 1, sid);
	while ((rc = db_step_row(hs->db, st, cause)) == 1) {
		ev.seq = sqlite3_column_int64(st, 0);
		ev.id = (const char *)sqlite3_column_text(st, 1);
		ev.type = (const char *)sqlite3_column_text(st, 2);
		ev.processed_at = (const char *)sqlite3_column_text(st, 3);
		ev.body = (const char *)sqlite3_column_text(st, 4);
		ev.private = (const char *)sqlite3_column_text(st, 5);
		ev.processed_us = sqlite3_column_int64(st, 6);
		if (cb(&ev, arg) != 0) {
			sqlite3_reset(st);
			rc = 0;
			break;
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&hs->lock);
	return rc == 0 ? 0 : -1;
}

/* Walk a session's pending events in arrival order. */
int
hstore_pending_foreach(struct hstore *hs, const char *sid,
    hstore_event_cb cb, void *arg, char **cause)
{
	return hstore_walk(hs, "SELECT 0, id, type, NULL, body, private, 0 "
	    "FROM pending WHERE session_id = ? ORDER BY n", sid, cb, arg,
	    cause);
}

/* Walk a session's log in order. */
int
hstore_events_foreach(struct hstore *hs, const char *sid, hstore_event_cb cb,
    void *arg, char **cause)
{
	return hstore_walk(hs, "SELECT seq, id, type, processed_at, body, "
	    "private, processed_us FROM events WHERE session_id = ? "
	    "ORDER BY seq", sid, cb, arg, cause);
}

/* The last seq of a session's log. */
int64_t
hstore_events_last_seq(struct hstore *hs, const char *sid)
{
	sqlite3_stmt	*st;
	char		*cause = NULL;
	int64_t		 seq = 0;

	pthread_mutex_lock(&hs->lock);
	st = db_prepare(hs->db, "SELECT MAX(seq) FROM events WHERE "
	    "session_id = ?", &cause);
	if (st != NULL) {
		db_bind_text(st, 1, sid);
		if (db_step_row(hs->db, st, &cause) == 1)
			seq = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	free(cause);
	pthread_mutex_unlock(&hs->lock);
	return seq;
}

/* Append " AND <col> <op> ?" for a present bound. */
static void
hstore_bound(struct buf *sql, const char *col, const char *op, int64_t v)
{
	if (v != HSTORE_NONE && buf_printf(sql, " AND %s %s ?", col, op) != 0)
		fatalx("query too long");
}

/* Build the SQL of a list; arguments are bound in the same order. */
static void
hstore_list_sql(const struct hstore_query *q, struct buf *sql)
{
	const char	*key, *id, *from, *range;
	int		 backwards = q->desc != q->before;

	switch (q->kind) {
	case HSTORE_AGENTS:
		from = "SELECT v.body, a.created_us, a.id FROM agents a JOIN "
		    "agent_versions v ON v.agent_id = a.id AND "
		    "v.version = a.version WHERE 1";
		key = "a.created_us";
		id = "a.id";
		range = "a.created_us";
		break;
	case HSTORE_AGENT_VERSIONS:
		from = "SELECT body, version, agent_id FROM agent_versions "
		    "WHERE agent_id = ?";
		key = "version";
		id = "agent_id";
		range = NULL;
		break;
	case HSTORE_ENVIRONMENTS:
		from = "SELECT body, created_us, id FROM environments WHERE 1";
		key = "created_us";
		id = "id";
		range = NULL;
		break;
	case HSTORE_SESSIONS:
		from = "SELECT body, created_us, id FROM sessions WHERE 1";
		key = "created_us";
		id = "id";
		range = "created_us";
		break;
	default:
		from = "SELECT body, seq, id FROM events WHERE session_id = ?";
		key = "seq";
		id = "id";
		range = "processed_us";
		break;
	}
	if (buf_puts(sql, from) != 0)
		fatalx("query too long");
	if (!q->include_archived && (q->kind == HSTORE_AGENTS ||
	    q->kind == HSTORE_ENVIRONMENTS || q->kind == HSTORE_SESSIONS) &&
	    buf_printf(sql, " AND %sarchived = 0",
	    q->kind == HSTORE_AGENTS ? "a." : "") != 0)
		fatalx("query too long");
	if (range != NULL) {
		hstore_bound(sql, range, ">", q->gt);
		hstore_bound(sql, range, ">=", q->gte);
		hstore_bound(sql, range, "<", q->lt);
		hstore_bound(sql, range, "<=", q->lte);
	}
	if (q->kind == HSTORE_SESSIONS) {
		if (q->agent_id != NULL && buf_puts(sql, " AND agent_id = ?"))
			fatalx("query too long");
		hstore_bound(sql, "agent_version", "=", q->agent_version);
		for (size_t i = 0; i < q->nstatuses; i++)
			if (buf_puts(sql, i == 0 ? " AND status IN (?" :
			    ", ?") != 0 || (i + 1 == q->nstatuses &&
			    buf_putc(sql, ')') != 0))
				fatalx("query too long");
	}
	if (q->kind == HSTORE_EVENTS)
		for (size_t i = 0; i < q->ntypes; i++)
			if (buf_puts(sql, i == 0 ? " AND type IN (?" : ", ?") ||
			    (i + 1 == q->ntypes && buf_putc(sql, ')') != 0))
				fatalx("query too long");
	if (q->has_after && buf_printf(sql, " AND (%s, %s) %s (?, ?)", key, id,
	    backwards ? "<" : ">") != 0)
		fatalx("query too long");
	if (buf_printf(sql, " ORDER BY %s %s, %s %s LIMIT ?", key,
	    backwards ? "DESC" : "ASC", id, backwards ? "DESC" : "ASC") != 0)
		fatalx("query too long");
}

/* Bind a list's arguments in the order hstore_list_sql used. */
static void
hstore_list_bind(const struct hstore_query *q, sqlite3_stmt *st)
{
	int	n = 1;

	if (q->kind == HSTORE_AGENT_VERSIONS || q->kind == HSTORE_EVENTS)
		db_bind_text(st, n++, q->parent_id);
	if (q->kind == HSTORE_AGENTS || q->kind == HSTORE_SESSIONS ||
	    q->kind == HSTORE_EVENTS) {
		int64_t	b[4] = { q->gt, q->gte, q->lt, q->lte };

		for (int i = 0; i < 4; i++)
			if (b[i] != HSTORE_NONE)
				sqlite3_bind_int64(st, n++, b[i]);
	}
	if (q->kind == HSTORE_SESSIONS) {
		if (q->agent_id != NULL)
			db_bind_text(st, n++, q->agent_id);
		if (q->agent_version != HSTORE_NONE)
			sqlite3_bind_int64(st, n++, q->agent_version);
		for (size_t i = 0; i < q->nstatuses; i++)
			db_bind_text(st, n++, q->statuses[i]);
	}
	if (q->kind == HSTORE_EVENTS)
		for (size_t i = 0; i < q->ntypes; i++)
			db_bind_text(st, n++, q->types[i]);
	if (q->has_after) {
		sqlite3_bind_int64(st, n++, q->after_key);
		db_bind_text(st, n++, q->after_id);
	}
	sqlite3_bind_int(st, n, q->limit + 1);
}

/* One page: up to limit rows, and whether more follow. */
int
hstore_list(struct hstore *hs, const struct hstore_query *q,
    struct hstore_rows *out, char **cause)
{
	struct buf	 sql;
	sqlite3_stmt	*st;
	int		 rc;

	memset(out, 0, sizeof *out);
	buf_init(&sql, 8192);
	hstore_list_sql(q, &sql);
	pthread_mutex_lock(&hs->lock);
	st = db_prepare(hs->db, buf_cstr(&sql), cause);
	buf_clear(&sql);
	if (st == NULL) {
		pthread_mutex_unlock(&hs->lock);
		return -1;
	}
	hstore_list_bind(q, st);
	while ((rc = db_step_row(hs->db, st, cause)) == 1) {
		struct hstore_row	*r;

		if (out->n == (size_t)q->limit) {
			out->more = 1;
			sqlite3_reset(st);
			rc = 0;
			break;
		}
		out->rows = xreallocarray(out->rows, out->n + 1,
		    sizeof *out->rows);
		r = &out->rows[out->n++];
		r->body = db_column_strdup(st, 0);
		r->key = sqlite3_column_int64(st, 1);
		r->id = db_column_strdup(st, 2);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&hs->lock);
	if (rc != 0) {
		hstore_rows_clear(out);
		return -1;
	}
	/* A backwards walk is reported in list order. */
	if (q->before)
		for (size_t i = 0; i < out->n / 2; i++) {
			struct hstore_row	t = out->rows[i];

			out->rows[i] = out->rows[out->n - 1 - i];
			out->rows[out->n - 1 - i] = t;
		}
	return 0;
}

/* Free a page. */
void
hstore_rows_clear(struct hstore_rows *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->rows[i].body);
		free(r->rows[i].id);
	}
	free(r->rows);
	memset(r, 0, sizeof *r);
}
