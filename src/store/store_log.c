/* ISC licence: see COPYING.  The store's audit log and decode errors. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/xmalloc.h"
#include "store/store_int.h"

#define STORE_HEAD_MAX	256	/* bytes kept of an undecodable frame */

/* Slots of an audit item and of a decode error item. */
enum { SL_SESSION, SL_USER, SL_ACTION, SL_EVENT_IDS, SL_DETAIL, SL__COUNT };
enum { SD_SESSION, SD_CAUSE, SD_HEAD, SD__COUNT };

/* Length of s, or 0 for NULL. */
static size_t
store_len(const char *s)
{
	return s != NULL ? strlen(s) : 0;
}

/* Queue an audit record: who did what to which events of a session. */
uint64_t
store_audit_put(struct store *st, const char *user, const char *session,
    const char *action, const char *event_ids, const char *detail)
{
	const char		*s[SL__COUNT];
	size_t			 l[SL__COUNT];
	struct store_item	*it;

	s[SL_SESSION] = session;
	s[SL_USER] = user;
	s[SL_ACTION] = action != NULL ? action : "";
	s[SL_EVENT_IDS] = event_ids;
	s[SL_DETAIL] = detail;
	for (int i = 0; i < SL__COUNT; i++)
		l[i] = store_len(s[i]);
	it = store_item_new(STORE_OP_AUDIT, s, l, SL__COUNT);
	it->i1 = clock_real_us();
	return store_enqueue(st, it);
}

/* Write an audit record (writer thread). */
int
store_audit_apply(struct store *st, struct store_item *it, char **cause)
{
	sqlite3_stmt	*q;

	if (store_wstmt(st, WST_AUDIT_PUT, &q, cause) != 0)
		return -1;
	sqlite3_bind_int64(q, 1, it->i1);
	db_bind_text(q, 2, it->s[SL_USER]);
	db_bind_text(q, 3, it->s[SL_SESSION]);
	db_bind_text(q, 4, it->s[SL_ACTION]);
	db_bind_text(q, 5, it->s[SL_EVENT_IDS]);
	db_bind_text(q, 6, it->s[SL_DETAIL]);
	return db_step_done(st->wr, q, cause);
}

/* Queue a record of a frame that could not be decoded. */
uint64_t
store_decode_error_put(struct store *st, const char *session,
    const char *why, const void *bytes, size_t len)
{
	const char		*s[SD__COUNT];
	size_t			 l[SD__COUNT];
	struct store_item	*it;

	s[SD_SESSION] = session;
	s[SD_CAUSE] = why != NULL ? why : "";
	s[SD_HEAD] = bytes != NULL ? bytes : "";
	l[SD_SESSION] = store_len(session);
	l[SD_CAUSE] = strlen(s[SD_CAUSE]);
	l[SD_HEAD] = bytes != NULL ? AD_MIN(len, STORE_HEAD_MAX) : 0;
	it = store_item_new(STORE_OP_DECODE_ERROR, s, l, SD__COUNT);
	it->i1 = clock_real_us();
	return store_enqueue(st, it);
}

/* Write a decode error (writer thread); the bytes go in as a blob. */
int
store_decode_error_apply(struct store *st, struct store_item *it,
    char **cause)
{
	sqlite3_stmt	*q;

	if (store_wstmt(st, WST_DECODE_PUT, &q, cause) != 0)
		return -1;
	sqlite3_bind_int64(q, 1, it->i1);
	db_bind_text(q, 2, it->s[SD_SESSION]);
	db_bind_text(q, 3, it->s[SD_CAUSE]);
	sqlite3_bind_blob(q, 4, it->s[SD_HEAD], (int)it->len[SD_HEAD],
	    SQLITE_STATIC);
	return db_step_done(st->wr, q, cause);
}

/* Run a query of records: columns seq, time, session, then the rest. */
static int
store_records(struct store *st, const char *sql, const char *session,
    int audit, struct store_record **out, size_t *np, char **cause)
{
	sqlite3_stmt		*q;
	struct store_record	*v = NULL, *r;
	size_t			 n = 0;
	int			 rc;

	if ((q = db_prepare(st->rd, sql, cause)) == NULL)
		return -1;
	db_bind_text(q, 1, session);
	while ((rc = db_step_row(st->rd, q, cause)) == 1) {
		v = xreallocarray(v, n + 1, sizeof *v);
		r = &v[n++];
		memset(r, 0, sizeof *r);
		r->seq = sqlite3_column_int64(q, 0);
		r->time_us = sqlite3_column_int64(q, 1);
		r->session_id = db_column_strdup(q, 2);
		if (audit) {
			r->user = db_column_strdup(q, 3);
			r->action = db_column_strdup(q, 4);
			r->event_ids = db_column_strdup(q, 5);
			r->detail = db_column_strdup(q, 6);
		} else {
			r->detail = db_column_strdup(q, 3);
			r->headlen = (size_t)sqlite3_column_bytes(q, 4);
			r->head = xmalloc(r->headlen + 1);
			if (r->headlen > 0)
				memcpy(r->head, sqlite3_column_blob(q, 4),
				    r->headlen);
			r->head[r->headlen] = '\0';
		}
	}
	sqlite3_finalize(q);
	if (rc < 0) {
		store_records_free(v, n);
		return -1;
	}
	*out = v;
	*np = n;
	return 0;
}

/* The audit log, oldest first. */
int
store_audit_list(struct store *st, const char *session,
    struct store_record **out, size_t *np, char **cause)
{
	return store_records(st, "SELECT seq, time_us, session_id, user, "
	    "action, event_ids, detail FROM audit WHERE ?1 IS NULL OR "
	    "session_id = ?1 ORDER BY seq", session, 1, out, np, cause);
}

/* The decode errors, oldest first. */
int
store_decode_errors_list(struct store *st, const char *session,
    struct store_record **out, size_t *np, char **cause)
{
	return store_records(st, "SELECT seq, time_us, session_id, cause, "
	    "head FROM decode_errors WHERE ?1 IS NULL OR session_id = ?1 "
	    "ORDER BY seq", session, 0, out, np, cause);
}

/* Free a list of records. */
void
store_records_free(struct store_record *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].session_id);
		free(v[i].user);
		free(v[i].action);
		free(v[i].event_ids);
		free(v[i].detail);
		free(v[i].head);
	}
	free(v);
}
