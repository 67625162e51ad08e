/* ISC licence: see COPYING.  The store's sessions, agents and sync state. */

#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "store/store_int.h"

/* Slots of a session item. */
enum {
	SS_ID, SS_TITLE, SS_STATUS, SS_AGENT_ID, SS_AGENT_NAME, SS_MODEL,
	SS_ENV, SS_CREATED, SS_UPDATED, SS_RAW, SS__COUNT
};

/* Slots of an agent item. */
enum {
	SA_ID, SA_NAME, SA_MODEL, SA_UPDATED, SA_RAW, SA__COUNT
};

/*
 * Remove every authorization_token member, at any depth (a repository
 * resource's credential); returns how many went.
 */
static int
store_strip_tokens(json_t *j)
{
	const char	*k;
	json_t		*v;
	void		*tmp;
	size_t		 i;
	int		 n = 0;

	if (json_is_object(j)) {
		json_object_foreach_safe(j, tmp, k, v) {
			if (strcmp(k, "authorization_token") == 0) {
				json_object_del(j, k);
				n++;
			} else
				n += store_strip_tokens(v);
		}
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			n += store_strip_tokens(v);
	}
	return n;
}

/* The model id of an agent snapshot: a string, or {"id": ...}. */
static const char *
store_model_id(json_t *agent)
{
	json_t	*m = json_object_get(agent, "model");

	if (json_is_string(m))
		return json_string_value(m);
	return json_string_value(json_object_get(m, "id"));
}

/* Set slot i to a string member of obj (or leave it NULL). */
static void
store_slot(const char **s, size_t *len, int i, const char *v)
{
	s[i] = v;
	len[i] = v != NULL ? strlen(v) : 0;
}

/* Parse an object for a put: NULL with *cause unless it is one with an
 * "id".  The caller decrefs. */
static json_t *
store_parse_object(const char *raw, size_t len, const char *what,
    char **cause)
{
	json_t		*j;
	json_error_t	 err;

	if ((j = json_loadb(raw, len, 0, &err)) == NULL) {
		xasprintf(cause, "%s is not valid JSON: %s", what, err.text);
		return NULL;
	}
	if (!json_is_object(j) || !json_is_string(json_object_get(j, "id"))) {
		xasprintf(cause, "%s has no string \"id\"", what);
		json_decref(j);
		return NULL;
	}
	return j;
}

/* Queue a Session object (as received from the API). */
uint64_t
store_session_put(struct store *st, const char *raw, size_t len,
    char **cause)
{
	const char		*s[SS__COUNT] = { NULL };
	size_t			 l[SS__COUNT] = { 0 };
	json_t			*j, *agent;
	char			*clean = NULL;
	struct store_item	*it;
	json_int_t		 version;

	if ((j = store_parse_object(raw, len, "session", cause)) == NULL)
		return 0;
	agent = json_object_get(j, "agent");
	store_slot(s, l, SS_ID, json_string_value(json_object_get(j, "id")));
	store_slot(s, l, SS_TITLE, json_string_value(json_object_get(j,
	    "title")));
	store_slot(s, l, SS_STATUS, json_string_value(json_object_get(j,
	    "status")));
	store_slot(s, l, SS_AGENT_ID, json_string_value(json_object_get(agent,
	    "id")));
	store_slot(s, l, SS_AGENT_NAME, json_string_value(json_object_get(
	    agent, "name")));
	store_slot(s, l, SS_MODEL, store_model_id(agent));
	store_slot(s, l, SS_ENV, json_string_value(json_object_get(j,
	    "environment_id")));
	store_slot(s, l, SS_CREATED, json_string_value(json_object_get(j,
	    "created_at")));
	store_slot(s, l, SS_UPDATED, json_string_value(json_object_get(j,
	    "updated_at")));
	version = json_integer_value(json_object_get(agent, "version"));
	/* Keep the bytes as received unless a credential must go. */
	if (store_strip_tokens(j) > 0) {
		clean = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
		s[SS_RAW] = clean;
		l[SS_RAW] = strlen(clean);
	} else {
		s[SS_RAW] = raw;
		l[SS_RAW] = len;
	}
	it = store_item_new(STORE_OP_SESSION, s, l, SS__COUNT);
	it->i1 = version;
	free(clean);
	json_decref(j);
	return store_enqueue(st, it);
}

/* Write a session row (writer thread). */
int
store_session_apply(struct store *st, struct store_item *it, char **cause)
{
	sqlite3_stmt	*q;
	static const int cols[] = { SS_ID, SS_TITLE, SS_STATUS, SS_AGENT_ID,
	    SS_AGENT_NAME, -1, SS_MODEL, SS_ENV, SS_CREATED, SS_UPDATED,
	    SS_RAW };

	if (store_wstmt(st, WST_SESSION_PUT, &q, cause) != 0)
		return -1;
	for (size_t i = 0; i < AD_NITEMS(cols); i++) {
		if (cols[i] == -1)
			db_bind_int64_or_null(q, (int)i + 1, it->i1, 0);
		else
			db_bind_textn(q, (int)i + 1, it->s[cols[i]],
			    it->len[cols[i]]);
	}
	return db_step_done(st->wr, q, cause);
}

/* Queue an Agent object. */
uint64_t
store_agent_put(struct store *st, const char *raw, size_t len, char **cause)
{
	const char		*s[SA__COUNT] = { NULL };
	size_t			 l[SA__COUNT] = { 0 };
	json_t			*j;
	struct store_item	*it;

	if ((j = store_parse_object(raw, len, "agent", cause)) == NULL)
		return 0;
	store_slot(s, l, SA_ID, json_string_value(json_object_get(j, "id")));
	store_slot(s, l, SA_NAME, json_string_value(json_object_get(j,
	    "name")));
	store_slot(s, l, SA_MODEL, store_model_id(j));
	store_slot(s, l, SA_UPDATED, json_string_value(json_object_get(j,
	    "updated_at")));
	s[SA_RAW] = raw;
	l[SA_RAW] = len;
	it = store_item_new(STORE_OP_AGENT, s, l, SA__COUNT);
	it->i1 = json_integer_value(json_object_get(j, "version"));
	json_decref(j);
	return store_enqueue(st, it);
}

/* Write an agent row, unless a newer version is already there. */
int
store_agent_apply(struct store *st, struct store_item *it, char **cause)
{
	sqlite3_stmt	*q;

	if (store_wstmt(st, WST_AGENT_PUT, &q, cause) != 0)
		return -1;
	db_bind_textn(q, 1, it->s[SA_ID], it->len[SA_ID]);
	sqlite3_bind_int64(q, 2, it->i1);
	db_bind_textn(q, 3, it->s[SA_NAME], it->len[SA_NAME]);
	db_bind_textn(q, 4, it->s[SA_MODEL], it->len[SA_MODEL]);
	db_bind_textn(q, 5, it->s[SA_UPDATED], it->len[SA_UPDATED]);
	db_bind_textn(q, 6, it->s[SA_RAW], it->len[SA_RAW]);
	return db_step_done(st->wr, q, cause);
}

/* Queue "the whole history of this session has been fetched". */
uint64_t
store_sync_set_full(struct store *st, const char *session)
{
	const char	*s[1] = { session };
	size_t		 l[1] = { strlen(session) };

	return store_enqueue(st, store_item_new(STORE_OP_SYNC_FULL, s, l, 1));
}

/* Set the full-history flag (writer thread). */
int
store_sync_full_apply(struct store *st, struct store_item *it, char **cause)
{
	struct store_wsess	*ws;
	sqlite3_stmt		*q;

	if ((ws = store_wsess_get(st, it->s[0], cause)) == NULL ||
	    store_wstmt(st, WST_SYNC_FULL, &q, cause) != 0)
		return -1;
	sqlite3_bind_int64(q, 1, ws->key);
	return db_step_done(st->wr, q, cause);
}

/* The columns store_session_row reads, in its order. */
#define STORE_SESSION_COLS "s.id, s.title, s.status, s.agent_id, " \
	"s.agent_name, s.agent_version, s.model, s.environment_id, " \
	"s.created_at, s.updated_at, s.last_event_us, s.nevents"

/* Fill a session from a row of STORE_SESSION_COLS. */
static void
store_session_row(sqlite3_stmt *q, struct store_session *s)
{
	s->id = db_column_strdup(q, 0);
	s->title = db_column_strdup(q, 1);
	s->status = db_column_strdup(q, 2);
	s->agent_id = db_column_strdup(q, 3);
	s->agent_name = db_column_strdup(q, 4);
	s->agent_version = sqlite3_column_int64(q, 5);
	s->model = db_column_strdup(q, 6);
	s->environment_id = db_column_strdup(q, 7);
	s->created_at = db_column_strdup(q, 8);
	s->updated_at = db_column_strdup(q, 9);
	s->last_event_us = sqlite3_column_int64(q, 10);
	s->nevents = sqlite3_column_int64(q, 11);
}

/* Free the strings of one session. */
void
store_session_clear(struct store_session *s)
{
	free(s->id);
	free(s->title);
	free(s->status);
	free(s->agent_id);
	free(s->agent_name);
	free(s->model);
	free(s->environment_id);
	free(s->created_at);
	free(s->updated_at);
	memset(s, 0, sizeof *s);
}

/* List every cached session, newest first. */
int
store_sessions_list(struct store *st, struct store_session **out,
    size_t *np, char **cause)
{
	sqlite3_stmt		*q;
	struct store_session	*v = NULL;
	size_t			 n = 0;
	int			 r;

	q = db_prepare(st->rd, "SELECT " STORE_SESSION_COLS " FROM sessions s "
	    "ORDER BY s.created_at IS NULL, s.created_at DESC, s.key DESC",
	    cause);
	if (q == NULL)
		return -1;
	while ((r = db_step_row(st->rd, q, cause)) == 1) {
		v = xreallocarray(v, n + 1, sizeof *v);
		store_session_row(q, &v[n++]);
	}
	sqlite3_finalize(q);
	if (r < 0) {
		store_sessions_free(v, n);
		return -1;
	}
	*out = v;
	*np = n;
	return 0;
}

/* Free a list of sessions. */
void
store_sessions_free(struct store_session *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_session_clear(&v[i]);
	free(v);
}

/* Look one session up. */
int
store_session_get(struct store *st, const char *id, struct store_session *s,
    char **cause)
{
	sqlite3_stmt	*q;
	int		 r;

	q = db_prepare(st->rd, "SELECT " STORE_SESSION_COLS " FROM sessions s "
	    "WHERE s.id = ?1", cause);
	if (q == NULL)
		return -1;
	db_bind_text(q, 1, id);
	if ((r = db_step_row(st->rd, q, cause)) == 1)
		store_session_row(q, s);
	sqlite3_finalize(q);
	return r;
}

/* Append one text column of a one-row query to b: 1, 0 (no row or NULL),
 * or -1. */
static int
store_raw_query(struct store *st, const char *sql, const char *id,
    struct buf *b, char **cause)
{
	sqlite3_stmt	*q;
	const void	*p;
	int		 r;

	if ((q = db_prepare(st->rd, sql, cause)) == NULL)
		return -1;
	db_bind_text(q, 1, id);
	if ((r = db_step_row(st->rd, q, cause)) == 1) {
		if ((p = sqlite3_column_text(q, 0)) == NULL)
			r = 0;
		else if (buf_append(b, p, (size_t)sqlite3_column_bytes(q, 0))
		    != 0) {
			xasprintf(cause, "%s: a stored object is larger than "
			    "the buffer allows", db_path(st->rd));
			r = -1;
		}
	}
	sqlite3_finalize(q);
	return r;
}

/* The Session JSON as last received. */
int
store_session_raw(struct store *st, const char *id, struct buf *b,
    char **cause)
{
	return store_raw_query(st, "SELECT raw FROM sessions WHERE id = ?1",
	    id, b, cause);
}

/* The Agent JSON as last received. */
int
store_agent_raw(struct store *st, const char *id, struct buf *b,
    char **cause)
{
	return store_raw_query(st, "SELECT raw FROM agents WHERE id = ?1", id,
	    b, cause);
}

/* Read the sync state of a session. */
int
store_sync_get(struct store *st, const char *session, struct store_sync *sy,
    char **cause)
{
	sqlite3_stmt	*q;
	json_t		*ids, *v;
	const char	*text;
	size_t		 i;
	int		 r;

	memset(sy, 0, sizeof *sy);
	q = db_prepare(st->rd, "SELECT y.last_processed_at, y.last_us, "
	    "y.seen_ids, y.full_history FROM sync y JOIN sessions s ON "
	    "s.key = y.sess WHERE s.id = ?1", cause);
	if (q == NULL)
		return -1;
	db_bind_text(q, 1, session);
	if ((r = db_step_row(st->rd, q, cause)) == 1) {
		sy->last_processed_at = db_column_strdup(q, 0);
		sy->last_us = sqlite3_column_int64(q, 1);
		sy->full_history = sqlite3_column_int(q, 3);
		text = (const char *)sqlite3_column_text(q, 2);
		ids = text != NULL ? json_loads(text, 0, NULL) : NULL;
		if (json_is_array(ids) && json_array_size(ids) > 0) {
			sy->seen_ids = xcalloc(json_array_size(ids),
			    sizeof *sy->seen_ids);
			json_array_foreach(ids, i, v)
				if (json_is_string(v))
					sy->seen_ids[sy->nseen++] =
					    xstrdup(json_string_value(v));
		}
		json_decref(ids);
	}
	sqlite3_finalize(q);
	return r;
}

/* Free a sync state. */
void
store_sync_clear(struct store_sync *sy)
{
	free(sy->last_processed_at);
	for (size_t i = 0; i < sy->nseen; i++)
		free(sy->seen_ids[i]);
	free(sy->seen_ids);
	memset(sy, 0, sizeof *sy);
}
