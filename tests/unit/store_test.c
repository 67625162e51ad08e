/* ISC licence: see COPYING.  Tests for store/store on a real SQLite file:
 * ordering, dedup, queued echoes, sync state, sessions, audit, acks. */

#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/loop.h"
#include "base/xmalloc.h"
#include "store/db.h"
#include "store/store.h"
#include "wire/api_event.h"
#include "wire/sse_parser.h"
#include "fixture_events.h"
#include "tap.h"

#define SESSION	"sesn_011COLEAvwOaviIZHOskma0n"

/* Flush, reporting a failure. */
static void
flush(struct store *st)
{
	char	*cause = NULL;

	if (store_flush(st, &cause) != 0) {
		ok(0, "flush: %s", cause);
		free(cause);
	}
}

static void
test_stream_order(struct store *st)
{
	struct fixture_events	 stream = { NULL, 0 }, hist = { NULL, 0 };
	struct store_iter	*it;
	struct store_event	 e;
	struct store_sync	 sy;
	struct api_event	*last = NULL;
	uint64_t		 t, prev = 0;
	char			*cause = NULL;
	size_t			 n = 0, same = 0, rawsame = 0;
	int			 mono = 1;

	fixture_events_sse(&stream, "stream.sse");
	is_int(stream.n, 18, "stream.sse has 18 events");
	for (size_t i = 0; i < stream.n; i++) {
		t = store_event_put(st, SESSION, stream.v[i]);
		if (t <= prev)
			mono = 0;
		prev = t;
	}
	ok(mono, "tickets increase");
	flush(st);
	ok(store_committed(st) >= prev, "flush commits every ticket");
	is_int(store_events_count(st, SESSION, NULL, &cause), 16,
	    "16 events: the queued echoes were replaced");

	fixture_events_page(&hist, "events-page.json");
	fixture_events_page(&hist, "events-page-2.json");
	it = store_iter_events(st, SESSION, 0, NULL, STORE_ITER_RAW, &cause);
	while (store_iter_next(it, &e, &cause) == 1) {
		if (n < hist.n && strcmp(e.event_id, hist.v[n]->id) == 0)
			same++;
		for (size_t i = 0; i < stream.n; i++) {
			if (strcmp(stream.v[i]->id, e.event_id) != 0 ||
			    stream.v[i]->processed_at == NULL)
				continue;
			if (e.rawlen == stream.v[i]->rawlen && memcmp(e.raw,
			    stream.v[i]->raw, e.rawlen) == 0)
				rawsame++;
		}
		n++;
	}
	store_iter_free(it);
	is_int(n, 16, "iteration sees 16 events");
	is_int(same, hist.n, "the stored order is the history's order");
	is_int(rawsame, 16, "every raw body is the processed copy, verbatim");

	/* Everything again: nothing changes. */
	for (size_t i = 0; i < stream.n; i++)
		(void)store_event_put(st, SESSION, stream.v[i]);
	flush(st);
	is_int(store_events_count(st, SESSION, NULL, &cause), 16,
	    "repeats are ignored");
	/* A queued echo after its processed copy is ignored too. */
	(void)store_event_put(st, SESSION, stream.v[0]);
	flush(st);
	it = store_iter_events(st, SESSION, 0, "user.message", 0, &cause);
	ok(store_iter_next(it, &e, &cause) == 1 && e.processed_us > 0,
	    "the processed user.message stays");
	ok(store_iter_next(it, &e, &cause) == 0, "and is the only one");
	store_iter_free(it);

	for (size_t i = 0; i < stream.n; i++)
		if (stream.v[i]->processed_at != NULL)
			last = stream.v[i];
	ok(store_sync_get(st, SESSION, &sy, &cause) == 1, "sync state");
	is_str(sy.last_processed_at, last->processed_at,
	    "sync: the newest processed_at");
	ok(sy.nseen == 1 && strcmp(sy.seen_ids[0], last->id) == 0,
	    "sync: the id seen at that time");
	is_int(sy.full_history, 0, "sync: history not marked full");
	store_sync_clear(&sy);
	(void)store_sync_set_full(st, SESSION);
	flush(st);
	ok(store_sync_get(st, SESSION, &sy, &cause) == 1 &&
	    sy.full_history == 1, "sync: marked full");
	store_sync_clear(&sy);
	fixture_events_free(&hist);
	fixture_events_free(&stream);
}

static void
test_readers(struct store *st)
{
	struct store_iter	*it;
	struct store_event	 e;
	struct buf		 b;
	int64_t			 seq = 0, first = 0;
	char			*cause = NULL;
	int			 n = 0;

	is_int(store_events_count(st, SESSION, "span.model_request_end",
	    &cause), 2, "count by type");
	is_int(store_events_count(st, "sesn_none", NULL, &cause), 0,
	    "an unknown session has no events");
	ok(store_event_find(st, SESSION, "sevt_011C1fbXO1EqsHd1ZnXkFOkB",
	    &seq, &cause) == 1 && seq > 0, "find by event id");
	ok(store_event_find(st, SESSION, "sevt_nope", &seq, &cause) == 0,
	    "a missing id");
	buf_init(&b, BUF_UNBOUNDED);
	ok(store_event_raw(st, seq, &b, &cause) == 1 &&
	    strstr(b.data, "\"name\":\"bash\"") != NULL, "raw by seq");
	buf_clear(&b);
	ok(store_event_raw(st, 1 << 30, &b, &cause) == 0, "raw of no event");
	it = store_iter_events(st, SESSION, 0, NULL, 0, &cause);
	if (store_iter_next(it, &e, &cause) == 1)
		first = e.seq;
	ok(e.raw == NULL && e.event_id != NULL && e.type != NULL,
	    "an index-only iteration has no raw");
	store_iter_free(it);
	it = store_iter_events(st, SESSION, first, NULL, 0, &cause);
	while (store_iter_next(it, &e, &cause) == 1)
		n++;
	store_iter_free(it);
	is_int(n, 15, "iteration from a position");

	/* Bodies on demand: equal to a raw iteration's, event by event. */
	{
		struct store_iter	*all, *lazy;
		struct store_event	 ea, el;
		int			 same = 1, k = 0;

		all = store_iter_events(st, SESSION, 0, NULL, STORE_ITER_RAW,
		    &cause);
		lazy = store_iter_events(st, SESSION, 0, NULL, 0, &cause);
		while (store_iter_next(all, &ea, &cause) == 1) {
			if (store_iter_next(lazy, &el, &cause) != 1 ||
			    (k++ % 2 == 0 &&
			    (store_iter_raw(lazy, &el, &cause) != 1 ||
			    el.rawlen != ea.rawlen ||
			    memcmp(el.raw, ea.raw, ea.rawlen) != 0)))
				same = 0;
		}
		ok(same && k == 16, "store_iter_raw reads the same bodies "
		    "on demand (%d events)", k);
		store_iter_free(all);
		store_iter_free(lazy);
	}
}

static void
test_sessions(struct store *st)
{
	struct store_session	*v, s;
	struct buf		 b;
	char			*text, *cause = NULL;
	const char		*tok;
	size_t			 len, n = 0;

	text = fixture_read("session.json", &len);
	ok(store_session_put(st, text, len, &cause) > 0, "put session.json");
	free(text);
	ok(store_session_put(st, "{\"title\":1}", 11, &cause) == 0 &&
	    cause != NULL, "a session without an id is refused");
	diag("%s", cause ? cause : "(no cause)");
	free(cause);
	cause = NULL;
	ok(store_session_put(st, "{nope", 5, &cause) == 0 && cause != NULL,
	    "invalid JSON is refused");
	free(cause);
	cause = NULL;
	tok = "{\"id\":\"sesn_tok\",\"type\":\"session\","
	    "\"resources\":[{\"type\":"
	    "\"github_repository\",\"url\":\"u\",\"authorization_token\":"
	    "\"ghp_secret\"}],\"created_at\":\"2026-11-01T00:00:00Z\"}";
	ok(store_session_put(st, tok, strlen(tok), &cause) > 0,
	    "a session with a token");
	text = fixture_read("agent.json", &len);
	ok(store_agent_put(st, text, len, &cause) > 0, "put agent.json");
	free(text);
	flush(st);

	ok(store_sessions_list(st, &v, &n, &cause) == 0, "list sessions");
	is_int(n, 2, "two sessions");
	ok(n == 2 && strcmp(v[0].id, SESSION) == 0, "newest first");
	if (n == 2) {
		is_str(v[0].status, "idle", "status");
		ok(v[0].title != NULL, "title");
		ok(v[0].agent_name != NULL && v[0].agent_version > 0,
		    "agent name and version");
		ok(v[0].model != NULL, "model");
		is_int(v[0].nevents, 16, "event count");
		ok(v[0].last_event_us > 0, "last event time");
	}
	store_sessions_free(v, n);
	ok(store_session_get(st, "sesn_tok", &s, &cause) == 1 &&
	    s.nevents == 0, "get one session");
	store_session_clear(&s);
	ok(store_session_get(st, "sesn_none", &s, &cause) == 0, "get none");
	buf_init(&b, BUF_UNBOUNDED);
	ok(store_session_raw(st, "sesn_tok", &b, &cause) == 1 &&
	    strstr(b.data, "ghp_secret") == NULL &&
	    strstr(b.data, "authorization_token") == NULL &&
	    strstr(b.data, "\"url\":\"u\"") != NULL,
	    "authorization tokens are not stored");
	buf_reset(&b);
	ok(store_session_raw(st, SESSION, &b, &cause) == 1 &&
	    b.len > 1000, "the session JSON is kept");
	buf_reset(&b);
	text = fixture_read("agent.json", &len);
	ok(store_agent_raw(st, "nope", &b, &cause) == 0, "no such agent");
	{
		json_t	*j = json_loads(text, 0, NULL);

		ok(store_agent_raw(st, json_string_value(json_object_get(j,
		    "id")), &b, &cause) == 1 && b.len == len &&
		    memcmp(b.data, text, len) == 0, "agent JSON verbatim");
		json_decref(j);
	}
	free(text);
	buf_clear(&b);
}

static void
test_logs(struct store *st)
{
	struct store_record	*r;
	char			 big[1000];
	char			*cause = NULL;
	size_t			 n;

	(void)store_audit_put(st, "alice", SESSION, "approve",
	    "sevt_011C1fbXO1EqsHd1ZnXkFOkB", "looks fine");
	(void)store_audit_put(st, "bob", "sesn_other", "interrupt", NULL,
	    NULL);
	memset(big, 'x', sizeof big);
	(void)store_decode_error_put(st, SESSION, "invalid JSON in event",
	    big, sizeof big);
	flush(st);
	ok(store_audit_list(st, NULL, &r, &n, &cause) == 0 && n == 2,
	    "two audit records");
	ok(n == 2 && strcmp(r[0].user, "alice") == 0 &&
	    strcmp(r[0].action, "approve") == 0 && r[0].time_us > 0 &&
	    strcmp(r[0].detail, "looks fine") == 0, "audit fields");
	store_records_free(r, n);
	ok(store_audit_list(st, "sesn_other", &r, &n, &cause) == 0 &&
	    n == 1 && r[0].event_ids == NULL, "audit of one session");
	store_records_free(r, n);
	ok(store_decode_errors_list(st, SESSION, &r, &n, &cause) == 0 &&
	    n == 1 && r[0].headlen == 256 && r[0].head[0] == 'x' &&
	    strcmp(r[0].detail, "invalid JSON in event") == 0,
	    "a decode error keeps its cause and first 256 bytes");
	store_records_free(r, n);
}

struct ack_state {
	struct loop	*loop;
	uint64_t	 want;
	uint64_t	 got;
	uint64_t	 widest;	/* most tickets one ack covered */
	int		 calls;
	int		 errors;
};

static void
ack_cb(uint64_t upto, const char *error, void *arg)
{
	struct ack_state	*a = arg;

	a->calls++;
	if (error != NULL)
		a->errors++;
	if (upto - a->got > a->widest)
		a->widest = upto - a->got;
	if (upto > a->got)
		a->got = upto;
	if (a->got >= a->want)
		loop_exit(a->loop, 0);
}

static void
deadline_cb(struct loop_timer *t, void *arg)
{
	loop_exit(arg, 1);
}

/* A store whose commits are acked on a's loop, in batches of 7 / 5 ms. */
static struct store *
ack_open(struct ack_state *a, const char *path)
{
	struct store	*st;
	char		*cause = NULL;

	memset(a, 0, sizeof *a);
	a->loop = loop_create();
	st = store_open(path, 0, &cause);
	store_set_ack(st, a->loop, ack_cb, a);
	store_set_batch(st, 7, 5);
	return st;
}

/* Queue a thinking event; its ticket becomes the one to wait for. */
static void
ack_put(struct store *st, struct ack_state *a, const char *session,
    const char *id, int second)
{
	struct api_event	*ev;
	char			 text[256], *cause = NULL;

	snprintf(text, sizeof text, "{\"type\":\"agent.thinking\","
	    "\"id\":\"%s\",\"processed_at\":"
	    "\"2026-11-20T00:00:%02d.000000Z\"}", id, second);
	ev = api_event_parse(text, strlen(text), &cause);
	a->want = store_event_put(st, session, ev);
	api_event_free(ev);
}

/* Run a's loop until the last ticket is acked or 10 s pass; 0 if acked. */
static int
ack_wait(struct ack_state *a)
{
	struct loop_timer	*t;
	int			 rc;

	t = loop_timer_create(a->loop, deadline_cb, a->loop);
	loop_timer_arm(t, 10000);
	rc = loop_run(a->loop);
	loop_timer_free(t);
	return rc;
}

static void
test_acks(const char *path)
{
	struct store		*st;
	struct ack_state	 a;
	char			 id[32], *cause = NULL;

	st = ack_open(&a, path);
	for (int i = 0; i < 50; i++) {
		snprintf(id, sizeof id, "sevt_ack%03d", i);
		ack_put(st, &a, "sesn_acks", id, i);
	}
	is_int(ack_wait(&a), 0, "acks arrive on the loop before the deadline");
	is_int(a.got, a.want, "the last ack covers the last ticket");
	ok(a.calls >= 50 / 7, "one ack per commit of at most 7 (%d)",
	    a.calls);
	is_int(a.errors, 0, "no errors");
	is_int(store_events_count(st, "sesn_acks", NULL, &cause), 50,
	    "acked events are readable");
	store_close(st);
	loop_free(a.loop);
}

/*
 * Events of many sessions at once: a transaction grows past the batch
 * size until it holds a few events of each session it touched.
 */
static void
test_spread(const char *path)
{
	struct store		*st;
	struct ack_state	 a;
	char			 id[32], session[64], *cause = NULL;

	st = ack_open(&a, path);
	for (int round = 0; round < 4; round++) {
		snprintf(id, sizeof id, "sevt_spread%d", round);
		for (int i = 0; i < 40; i++) {
			snprintf(session, sizeof session, "sesn_spread%02d", i);
			ack_put(st, &a, session, id, round);
		}
	}
	is_int(ack_wait(&a), 0, "spread acks arrive before the deadline");
	is_int(a.got, a.want, "the last ack covers all 160 events");
	ok(a.widest > 7, "a commit over 40 sessions took more than the "
	    "batch of 7 (%llu)", (unsigned long long)a.widest);
	is_int(a.errors, 0, "no errors");
	is_int(store_events_count(st, "sesn_spread39", NULL, &cause), 4,
	    "every session has its events");
	store_close(st);
	loop_free(a.loop);
}

static void
test_failure(const char *path)
{
	struct store		*st;
	struct db		*db;
	char			*cause = NULL;
	struct store_record	*r;
	size_t			 n;

	st = store_open(path, 0, &cause);
	db = db_open(path, NULL, 0, 0, &cause);
	ok(db != NULL && db_exec(db, "CREATE TRIGGER t_fail BEFORE INSERT "
	    "ON audit WHEN NEW.action = 'poison' BEGIN SELECT RAISE(FAIL, "
	    "'poisoned row'); END", &cause) == 0, "a trigger that fails");
	(void)store_audit_put(st, "u", "s", "good1", NULL, NULL);
	(void)store_audit_put(st, "u", "s", "poison", NULL, NULL);
	(void)store_audit_put(st, "u", "s", "good2", NULL, NULL);
	ok(store_flush(st, &cause) == -1 && cause != NULL &&
	    strstr(cause, "poisoned row") != NULL,
	    "a write that cannot be committed is reported");
	diag("%s", cause ? cause : "(no cause)");
	free(cause);
	cause = NULL;
	ok(store_audit_list(st, "s", &r, &n, &cause) == 0 && n == 2 &&
	    strcmp(r[0].action, "good1") == 0 &&
	    strcmp(r[1].action, "good2") == 0,
	    "the rest of its batch is still committed");
	store_records_free(r, n);
	ok(store_flush(st, &cause) == 0, "the error is reported once");
	ok(db_exec(db, "DROP TRIGGER t_fail", &cause) == 0, "drop it");
	db_close(db);
	store_close(st);
}

int
main(void)
{
	char		*tmp, *path, *cause = NULL;
	struct store	*st;
	struct stat	 sb;

	xasprintf(&tmp, "%s/ph-store-test.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmp) == NULL)
		tap_skip_all("mkdtemp failed");
	setenv("XDG_CACHE_HOME", tmp, 1);
	st = store_open(NULL, 0, &cause);
	ok(st != NULL, "open the default cache");
	if (st == NULL)
		tap_skip_all(cause);
	xasprintf(&path, "%s/pilothouse/cache.db", tmp);
	is_str(store_path(st), path, "at $XDG_CACHE_HOME/pilothouse/cache.db");
	ok(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600, "0600");

	test_stream_order(st);
	test_readers(st);
	test_sessions(st);
	test_logs(st);
	store_close(st);

	st = store_open(path, STORE_READONLY, &cause);
	ok(st != NULL, "read-only open");
	is_int(store_events_count(st, SESSION, NULL, &cause), 16,
	    "everything survived the close");
	ok(store_audit_put(st, "u", NULL, "x", NULL, NULL) == 0,
	    "a read-only store queues nothing");
	store_close(st);

	test_acks(path);
	test_spread(path);
	test_failure(path);

	free(path);
	xasprintf(&path, "rm -rf '%s'", tmp);
	if (system(path) != 0)
		diag("cleanup failed");
	free(path);
	free(tmp);
	return done_testing();
}
