/* ISC licence: see COPYING.  The store's events: writing and reading. */

#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "store/store_int.h"

/*
 * The writer keeps, per session it has written to, the session's integer
 * key (so an event costs no lookup of its session) and, for the open
 * transaction, how many events were added and the newest processed time
 * with the ids stored at it.  store_event_finish() folds those into the
 * sessions and sync rows once per session per transaction, not once per
 * event.
 */

struct store_iter {
	struct store	*st;
	sqlite3_stmt	*q;
	int		 raw;		/* the query has the raw column */
	sqlite3_stmt	*rawq;		/* store_iter_raw's lookup, or NULL */
};

#define STORE_WSESS_MIN	64	/* first hash table size (a power of 2) */

/* FNV-1a of a session id. */
static uint64_t
store_wsess_hash(const char *s)
{
	uint64_t	h = 14695981039346656037ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Put ws in the table (there is room). */
static void
store_wsess_insert(struct store *st, struct store_wsess *ws)
{
	size_t	i = store_wsess_hash(ws->id) & (st->sesssize - 1);

	while (st->sess[i] != NULL)
		i = (i + 1) & (st->sesssize - 1);
	st->sess[i] = ws;
	st->nsess++;
}

/* Double the table when it is half full. */
static void
store_wsess_grow(struct store *st)
{
	struct store_wsess	**old = st->sess;
	size_t			  oldsize = st->sesssize;

	if (st->nsess * 2 < st->sesssize)
		return;
	st->sesssize = oldsize ? oldsize * 2 : STORE_WSESS_MIN;
	st->sess = xcalloc(st->sesssize, sizeof *st->sess);
	st->nsess = 0;
	for (size_t i = 0; i < oldsize; i++)
		if (old[i] != NULL)
			store_wsess_insert(st, old[i]);
	free(old);
}

/* Forget the newest time seen in the open transaction and its ids. */
static void
store_wsess_clear_ids(struct store_wsess *ws)
{
	for (size_t i = 0; i < ws->nids; i++)
		free(ws->ids[i]);
	free(ws->ids);
	free(ws->last_at);
	ws->ids = NULL;
	ws->nids = 0;
	ws->last_at = NULL;
	ws->last_us = 0;
}

/* Forget the open transaction's per-session state. */
static void
store_wsess_reset_txn(struct store_wsess *ws)
{
	store_wsess_clear_ids(ws);
	ws->added = 0;
	ws->touched = 0;
}

/* Forget every cached session (after a rollback, or at close). */
void
store_wsess_free_all(struct store *st)
{
	for (size_t i = 0; i < st->sesssize; i++) {
		if (st->sess[i] == NULL)
			continue;
		store_wsess_reset_txn(st->sess[i]);
		free(st->sess[i]->id);
		free(st->sess[i]);
		st->sess[i] = NULL;
	}
	st->nsess = 0;
	st->ntouched = 0;
}

/* The writer's record of a session, creating its row if needed. */
struct store_wsess *
store_wsess_get(struct store *st, const char *id, char **cause)
{
	struct store_wsess	*ws;
	sqlite3_stmt		*q;
	size_t			 i;
	int64_t			 key;
	int			 r;

	if (st->sesssize > 0) {
		i = store_wsess_hash(id) & (st->sesssize - 1);
		for (; st->sess[i] != NULL; i = (i + 1) & (st->sesssize - 1))
			if (strcmp(st->sess[i]->id, id) == 0)
				return st->sess[i];
	}
	if (store_wstmt(st, WST_SESSION_KEY, &q, cause) != 0)
		return NULL;
	db_bind_text(q, 1, id);
	if ((r = db_step_row(st->wr, q, cause)) < 0)
		return NULL;
	if (r == 1) {
		key = sqlite3_column_int64(q, 0);
		sqlite3_reset(q);
	} else {
		if (store_wstmt(st, WST_SESSION_NEW, &q, cause) != 0)
			return NULL;
		db_bind_text(q, 1, id);
		if (db_step_done(st->wr, q, cause) != 0)
			return NULL;
		key = sqlite3_last_insert_rowid(db_handle(st->wr));
	}
	store_wsess_grow(st);
	ws = xcalloc(1, sizeof *ws);
	ws->id = xstrdup(id);
	ws->key = key;
	store_wsess_insert(st, ws);
	if (store_fit_cache(st, cause) != 0)
		return NULL;
	return ws;
}

/* Queue an event of a session; previews (no id) are refused. */
uint64_t
store_event_put(struct store *st, const char *session,
    const struct api_event *ev)
{
	const char	*s[SI_TOOL_USE_ID + 1];
	size_t		 l[SI_TOOL_USE_ID + 1];
	struct store_item *it;

	if (ev->id == NULL || session == NULL)
		return 0;
	s[SI_SESSION] = session;
	s[SI_EVENT_ID] = ev->id;
	s[SI_TYPE] = ev->type_name;
	s[SI_PROCESSED] = ev->processed_at;
	s[SI_RAW] = ev->raw;
	s[SI_CLIENT] = (api_event_type_flags(ev->type) & API_EVF_CLIENT) ?
	    "" : NULL;
	s[SI_TOOL_USE_ID] = ev->tool_use_id;
	for (int i = 0; i <= SI_TOOL_USE_ID; i++)
		l[i] = s[i] != NULL ? strlen(s[i]) : 0;
	l[SI_RAW] = ev->rawlen;
	it = store_item_new(STORE_OP_EVENT, s, l, SI_TOOL_USE_ID + 1);
	it->i1 = ev->processed_us;
	it->i2 = ev->is_error;
	return store_enqueue(st, it);
}

/*
 * The processed copy of a client event replaces its queued echo, which
 * is deleted (with its raw row) so the event is inserted again at the
 * end of the log.  Returns 1 if there was an echo to replace.
 */
static int
store_event_replace_queued(struct store *st, struct store_wsess *ws,
    struct store_item *it, char **cause)
{
	sqlite3_stmt	*q;
	int64_t		 seq;
	int		 r;

	if (store_wstmt(st, WST_EVENT_QUEUED, &q, cause) != 0)
		return -1;
	sqlite3_bind_int64(q, 1, ws->key);
	db_bind_textn(q, 2, it->s[SI_EVENT_ID], it->len[SI_EVENT_ID]);
	if ((r = db_step_row(st->wr, q, cause)) <= 0)
		return r;
	seq = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	if (store_wstmt(st, WST_EVENT_DELETE, &q, cause) != 0)
		return -1;
	sqlite3_bind_int64(q, 1, seq);
	if (db_step_done(st->wr, q, cause) != 0)
		return -1;
	ws->added--;
	return 1;
}

/* Note a stored event's time for the session's sync state. */
static void
store_event_note_time(struct store_wsess *ws, struct store_item *it)
{
	if (it->s[SI_PROCESSED] == NULL || it->i1 < ws->last_us)
		return;
	if (it->i1 > ws->last_us || ws->last_at == NULL) {
		store_wsess_clear_ids(ws);
		ws->last_us = it->i1;
		ws->last_at = xstrdup(it->s[SI_PROCESSED]);
	}
	ws->ids = xreallocarray(ws->ids, ws->nids + 1, sizeof *ws->ids);
	ws->ids[ws->nids++] = xstrdup(it->s[SI_EVENT_ID]);
}

/* Write one event (writer thread). */
int
store_event_apply(struct store *st, struct store_item *it, char **cause)
{
	struct store_wsess	*ws;
	sqlite3_stmt		*q;
	int			 tries = 0;

	if ((ws = store_wsess_get(st, it->s[SI_SESSION], cause)) == NULL)
		return -1;
	if (store_wstmt(st, WST_EVENT_INSERT, &q, cause) != 0)
		return -1;
again:
	sqlite3_bind_int64(q, 1, ws->key);
	db_bind_textn(q, 2, it->s[SI_EVENT_ID], it->len[SI_EVENT_ID]);
	db_bind_textn(q, 3, it->s[SI_TYPE], it->len[SI_TYPE]);
	if (it->s[SI_PROCESSED] != NULL)
		sqlite3_bind_int64(q, 4, it->i1);
	else
		sqlite3_bind_null(q, 4);
	db_bind_textn(q, 5, it->s[SI_TOOL_USE_ID], it->len[SI_TOOL_USE_ID]);
	if (it->i2 >= 0)
		sqlite3_bind_int64(q, 6, it->i2);
	else
		sqlite3_bind_null(q, 6);
	if (db_step_done(st->wr, q, cause) != 0)
		return -1;
	if (sqlite3_changes(db_handle(st->wr)) == 0) {
		/* Stored already: only a processed client event goes on. */
		if (tries++ > 0 || it->s[SI_CLIENT] == NULL ||
		    it->s[SI_PROCESSED] == NULL)
			return 0;
		switch (store_event_replace_queued(st, ws, it, cause)) {
		case -1:
			return -1;
		case 0:
			return 0;
		}
		goto again;
	}
	if (store_wstmt(st, WST_RAW_INSERT, &q, cause) != 0)
		return -1;
	sqlite3_bind_int64(q, 1, sqlite3_last_insert_rowid(db_handle(st->wr)));
	db_bind_textn(q, 2, it->s[SI_RAW], it->len[SI_RAW]);
	if (db_step_done(st->wr, q, cause) != 0)
		return -1;
	ws->added++;
	store_event_note_time(ws, it);
	if (!ws->touched) {
		ws->touched = 1;
		st->touched = xreallocarray(st->touched, st->ntouched + 1,
		    sizeof *st->touched);
		st->touched[st->ntouched++] = ws;
	}
	return 0;
}

/* The ids of a JSON array text, appended to *v (strings only). */
static void
store_ids_parse(const char *text, char ***v, size_t *n)
{
	json_t	*a, *x;
	size_t	 i;

	if (text == NULL || (a = json_loads(text, 0, NULL)) == NULL)
		return;
	json_array_foreach(a, i, x) {
		if (!json_is_string(x))
			continue;
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[(*n)++] = xstrdup(json_string_value(x));
	}
	json_decref(a);
}

/*
 * Merge a session's newest time and ids into its sync row: a newer time
 * replaces the row's, the same time adds its ids, an older one (an import
 * of old events) changes nothing.
 */
static int
store_event_sync(struct store *st, struct store_wsess *ws, char **cause)
{
	sqlite3_stmt	*q;
	char		**ids = NULL, *text;
	size_t		  nids = 0;
	json_t		 *a;
	int64_t		  row_us = 0;
	int		  r, rv = -1, have = 0;

	if (ws->last_at == NULL)
		return 0;
	if (store_wstmt(st, WST_SYNC_GET, &q, cause) != 0)
		return -1;
	sqlite3_bind_int64(q, 1, ws->key);
	if ((r = db_step_row(st->wr, q, cause)) < 0)
		return -1;
	if (r == 1 && sqlite3_column_type(q, 0) != SQLITE_NULL) {
		have = 1;
		row_us = sqlite3_column_int64(q, 0);
		if (row_us == ws->last_us)
			store_ids_parse((const char *)sqlite3_column_text(q, 1),
			    &ids, &nids);
	}
	sqlite3_reset(q);
	if (have && row_us > ws->last_us)
		return 0;
	a = json_array();
	for (size_t i = 0; i < nids; i++)
		json_array_append_new(a, json_string(ids[i]));
	for (size_t i = 0; i < ws->nids; i++) {
		size_t	k;

		for (k = 0; k < nids; k++)
			if (strcmp(ids[k], ws->ids[i]) == 0)
				break;
		if (k == nids)
			json_array_append_new(a, json_string(ws->ids[i]));
	}
	text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	if (store_wstmt(st, WST_SYNC_PUT, &q, cause) == 0) {
		sqlite3_bind_int64(q, 1, ws->key);
		sqlite3_bind_int64(q, 2, ws->last_us);
		db_bind_text(q, 3, ws->last_at);
		db_bind_text(q, 4, text);
		rv = db_step_done(st->wr, q, cause);
	}
	free(text);
	for (size_t i = 0; i < nids; i++)
		free(ids[i]);
	free(ids);
	return rv;
}

/* Before the commit: per-session counts, newest times and sync rows. */
int
store_event_finish(struct store *st, char **cause)
{
	struct store_wsess	*ws;
	sqlite3_stmt		*q;

	for (size_t i = 0; i < st->ntouched; i++) {
		ws = st->touched[i];
		if (store_wstmt(st, WST_SESSION_COUNT, &q, cause) != 0)
			return -1;
		sqlite3_bind_int64(q, 1, ws->key);
		sqlite3_bind_int64(q, 2, ws->added);
		sqlite3_bind_int64(q, 3, ws->last_us);
		if (db_step_done(st->wr, q, cause) != 0 ||
		    store_event_sync(st, ws, cause) != 0)
			return -1;
	}
	return 0;
}

/* After a commit or a rollback: start the next transaction afresh. */
void
store_event_reset(struct store *st)
{
	for (size_t i = 0; i < st->ntouched; i++)
		store_wsess_reset_txn(st->touched[i]);
	st->ntouched = 0;
}

/* Iterate a session's events in log order. */
struct store_iter *
store_iter_events(struct store *st, const char *session, int64_t after,
    const char *type, int flags, char **cause)
{
	struct store_iter	*it;
	sqlite3_stmt		*q;
	char			*sql;

	/* A reader of a file older than the result columns reads NULLs. */
	xasprintf(&sql, "SELECT e.seq, e.event_id, e.type, e.processed_us, %s"
	    "%s FROM events e %s WHERE e.sess = (SELECT key FROM sessions "
	    "WHERE id = ?1) AND e.seq > ?2 AND (?3 IS NULL OR e.type = ?3) "
	    "ORDER BY e.seq", db_version_opened(st->rd) >=
	    STORE_VERSION_RESULT_COLUMNS ? "e.tool_use_id, e.is_error" :
	    "NULL, NULL", (flags & STORE_ITER_RAW) ? ", r.raw" : "",
	    (flags & STORE_ITER_RAW) ? "JOIN event_raw r ON r.seq = e.seq" :
	    "");
	q = db_prepare(st->rd, sql, cause);
	free(sql);
	if (q == NULL)
		return NULL;
	db_bind_text(q, 1, session);
	sqlite3_bind_int64(q, 2, after);
	db_bind_text(q, 3, type);
	it = xcalloc(1, sizeof *it);
	it->st = st;
	it->q = q;
	it->raw = (flags & STORE_ITER_RAW) != 0;
	return it;
}

/* The next event of an iteration. */
int
store_iter_next(struct store_iter *it, struct store_event *e, char **cause)
{
	int	r;

	if ((r = db_step_row(it->st->rd, it->q, cause)) != 1)
		return r;
	e->seq = sqlite3_column_int64(it->q, 0);
	e->event_id = (const char *)sqlite3_column_text(it->q, 1);
	e->type = (const char *)sqlite3_column_text(it->q, 2);
	e->processed_us = sqlite3_column_type(it->q, 3) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(it->q, 3);
	e->tool_use_id = (const char *)sqlite3_column_text(it->q, 4);
	e->is_error = sqlite3_column_type(it->q, 5) == SQLITE_NULL ? -1 :
	    sqlite3_column_int(it->q, 5) != 0;
	if (it->raw) {
		e->raw = (const char *)sqlite3_column_text(it->q, 6);
		e->rawlen = (size_t)sqlite3_column_bytes(it->q, 6);
	} else {
		e->raw = NULL;
		e->rawlen = 0;
	}
	return 1;
}

/*
 * Read the raw JSON of the event the iteration is at, when it was opened
 * without STORE_ITER_RAW: a reader that needs the bodies of a few types
 * only reads those (one lookup by seq each).
 */
int
store_iter_raw(struct store_iter *it, struct store_event *e, char **cause)
{
	int	r;

	if (it->raw)
		return 1;
	if (it->rawq == NULL) {
		it->rawq = db_prepare(it->st->rd,
		    "SELECT raw FROM event_raw WHERE seq = ?1", cause);
		if (it->rawq == NULL)
			return -1;
	} else
		sqlite3_reset(it->rawq);
	sqlite3_bind_int64(it->rawq, 1, e->seq);
	if ((r = db_step_row(it->st->rd, it->rawq, cause)) != 1) {
		if (r == 0)
			xasprintf(cause, "%s: event %lld has no JSON",
			    db_path(it->st->rd), (long long)e->seq);
		return -1;
	}
	e->raw = (const char *)sqlite3_column_text(it->rawq, 0);
	e->rawlen = (size_t)sqlite3_column_bytes(it->rawq, 0);
	return 1;
}

/* Finish an iteration; NULL does nothing. */
void
store_iter_free(struct store_iter *it)
{
	if (it == NULL)
		return;
	sqlite3_finalize(it->q);
	if (it->rawq != NULL)
		sqlite3_finalize(it->rawq);
	free(it);
}

/* Count a session's events (of one type, or all). */
int64_t
store_events_count(struct store *st, const char *session, const char *type,
    char **cause)
{
	sqlite3_stmt	*q;
	int64_t		 n = -1;

	q = db_prepare(st->rd, "SELECT count(*) FROM events WHERE sess = "
	    "(SELECT key FROM sessions WHERE id = ?1) AND "
	    "(?2 IS NULL OR type = ?2)", cause);
	if (q == NULL)
		return -1;
	db_bind_text(q, 1, session);
	db_bind_text(q, 2, type);
	if (db_step_row(st->rd, q, cause) == 1)
		n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

/* Find an event of a session by its id. */
int
store_event_find(struct store *st, const char *session, const char *id,
    int64_t *seq, char **cause)
{
	sqlite3_stmt	*q;
	int		 r;

	q = db_prepare(st->rd, "SELECT seq FROM events WHERE sess = "
	    "(SELECT key FROM sessions WHERE id = ?1) AND event_id = ?2",
	    cause);
	if (q == NULL)
		return -1;
	db_bind_text(q, 1, session);
	db_bind_text(q, 2, id);
	if ((r = db_step_row(st->rd, q, cause)) == 1)
		*seq = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return r;
}

/* Append the raw JSON of the event at seq to b. */
int
store_event_raw(struct store *st, int64_t seq, struct buf *b, char **cause)
{
	sqlite3_stmt	*q;
	int		 r;

	q = db_prepare(st->rd, "SELECT raw FROM event_raw WHERE seq = ?1",
	    cause);
	if (q == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, seq);
	if ((r = db_step_row(st->rd, q, cause)) == 1 &&
	    buf_append(b, sqlite3_column_text(q, 0),
	    (size_t)sqlite3_column_bytes(q, 0)) != 0) {
		xasprintf(cause, "%s: event %lld is larger than the buffer "
		    "allows", db_path(st->rd), (long long)seq);
		r = -1;
	}
	sqlite3_finalize(q);
	return r;
}
