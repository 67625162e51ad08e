/* ISC licence: see COPYING.  The event cache: open, queue, writer thread. */

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/loop.h"
#include "base/paths.h"
#include "base/xmalloc.h"
#include "store/store_int.h"

/*
 * The queue is a FIFO list under one mutex, bounded in items and bytes
 * so that a burst costs at most a few megabytes: when it is full the
 * producer waits, and the network backs up instead of memory.
 * Producers append and get a ticket; the writer takes what is there (up
 * to the batch size), applies it inside an open transaction without
 * holding the lock, and commits when the batch is full, when batch_ms
 * have passed since the batch began, or at once when someone flushes or
 * closes.  So a burst is written in large transactions (the cost of a
 * commit is spread over thousands of rows) and a trickle is committed
 * within batch_ms.
 *
 * A failed batch is rolled back and tried again (a lock held by another
 * process, say); if it still fails, its items are committed one by one,
 * so only an item that cannot be written is lost, and the failure is
 * reported.  The batch's items are kept until then.  Rolling back
 * forgets the writer's cached session keys, since the rows they name
 * may be gone with the transaction.
 */

#define STORE_QUEUE_ITEMS	8192		/* items waiting, at most */
#define STORE_QUEUE_BYTES	(256u << 10)	/* bytes waiting, at most */
#define STORE_RETRIES		2		/* attempts after a failure */
#define STORE_RETRY_MS		100		/* first wait; doubles */
#define STORE_PER_SESSION	4		/* events a touched session */
#define STORE_SPREAD_MS		1000		/* longest open transaction */
#define STORE_TXN_BYTES		(8u << 20)	/* items a transaction holds */
#define STORE_CACHE_KB		256		/* writer's page cache, least */
#define STORE_CACHE_KB_SESSION	8		/* and for each session */
#define STORE_CACHE_KB_MAX	(16u << 10)	/* at most */
#define STORE_CACHE_STEP	64		/* sessions between resizes */

/* What an ack posted to the caller's loop carries. */
struct store_ack {
	store_ack_cb	 cb;
	void		*arg;
	uint64_t	 upto;
	char		*error;
};

static void	*store_writer(void *);

/* Run a posted ack on the caller's loop. */
static void
store_ack_run(void *arg)
{
	struct store_ack	*a = arg;

	a->cb(a->upto, a->error, a->arg);
	free(a->error);
	free(a);
}

/* The default file: $XDG_CACHE_HOME/pilothouse/cache.db. */
char *
store_default_path(void)
{
	char	*dir, *path;

	dir = paths_cache_dir();
	xasprintf(&path, "%s/cache.db", dir);
	free(dir);
	return path;
}

/* Open the cache and start its writer. */
struct store *
store_open(const char *path, int flags, char **cause)
{
	struct store		*st;
	pthread_condattr_t	 ca;

	st = xcalloc(1, sizeof *st);
	st->path = path != NULL ? xstrdup(path) : store_default_path();
	st->flags = flags;
	st->batch = STORE_DEFAULT_BATCH;
	st->batch_ms = STORE_DEFAULT_BATCH_MS;
	if (flags & STORE_READONLY) {
		st->rd = db_open(st->path, store_migrations,
		    store_nmigrations, DB_READONLY, cause);
		if (st->rd == NULL)
			goto fail;
		/* A reader cannot migrate; a file too old to read (or
		 * unfinished) is for a writer to bring up to date first. */
		if (db_version_opened(st->rd) < STORE_VERSION_READ_MIN) {
			xasprintf(cause, "%s: the cache has schema version %d, "
			    "older than %d; a command that writes it (import, "
			    "tail) will upgrade it", st->path,
			    db_version_opened(st->rd), STORE_VERSION_READ_MIN);
			goto fail;
		}
		return st;
	}
	/* The writer's connection migrates; the reader's finds it done. */
	st->wr = db_open(st->path, store_migrations, store_nmigrations, 0,
	    cause);
	if (st->wr == NULL)
		goto fail;
	/*
	 * Checkpoint every 10,000 pages rather than 1,000: fewer syncs
	 * under a burst.
	 */
	if (db_exec(st->wr, "PRAGMA wal_autocheckpoint = 10000", cause) != 0 ||
	    store_fit_cache(st, cause) != 0)
		goto fail;
	st->rd = db_open(st->path, store_migrations, store_nmigrations, 0,
	    cause);
	if (st->rd == NULL)
		goto fail;
	pthread_mutex_init(&st->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&st->more, &ca);
	pthread_cond_init(&st->room, &ca);
	pthread_cond_init(&st->done, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&st->thread, NULL, store_writer, st) != 0)
		fatalx("cannot start the store writer thread");
	st->running = 1;
	return st;
fail:
	db_close(st->wr);
	db_close(st->rd);
	free(st->path);
	free(st);
	return NULL;
}

/* Commit what is queued, stop the writer and close the files. */
void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	if (st->running) {
		pthread_mutex_lock(&st->lock);
		st->stopping = 1;
		pthread_cond_signal(&st->more);
		pthread_mutex_unlock(&st->lock);
		pthread_join(st->thread, NULL);
		for (int i = 0; i < WST__COUNT; i++)
			sqlite3_finalize(st->wst[i]);
		store_wsess_free_all(st);
		free(st->sess);
		free(st->touched);
		pthread_mutex_destroy(&st->lock);
		pthread_cond_destroy(&st->more);
		pthread_cond_destroy(&st->room);
		pthread_cond_destroy(&st->done);
	}
	db_close(st->wr);
	db_close(st->rd);
	free(st->error);
	free(st->path);
	free(st);
}

/* The file in use. */
const char *
store_path(const struct store *st)
{
	return st->path;
}

/* Ask for commits to be reported on a loop. */
void
store_set_ack(struct store *st, struct loop *l, store_ack_cb cb, void *arg)
{
	if (!st->running)
		return;
	pthread_mutex_lock(&st->lock);
	st->ack_loop = l;
	st->ack_cb = cb;
	st->ack_arg = arg;
	pthread_mutex_unlock(&st->lock);
}

/* Tune the transaction size and the longest wait before a commit. */
void
store_set_batch(struct store *st, size_t items, int64_t ms)
{
	if (!st->running)
		return;
	pthread_mutex_lock(&st->lock);
	st->batch = items > 0 ? items : 1;
	st->batch_ms = ms > 0 ? ms : 1;
	pthread_mutex_unlock(&st->lock);
}

/*
 * Size the writer's page cache for the sessions it writes to: 256 KB
 * (one stream's id index is written in random order, so a larger cache
 * hits little and costs memory: bench/README.md) and 8 KB more for each
 * session, whose index leaves being written stay hot, up to 16 MB.
 * Called at open and for each new session; resizes every
 * STORE_CACHE_STEP sessions.
 */
int
store_fit_cache(struct store *st, char **cause)
{
	char	sql[64];
	size_t	kb = STORE_CACHE_KB + st->nsess * STORE_CACHE_KB_SESSION;

	if (st->nsess % STORE_CACHE_STEP != 0)
		return 0;
	if (kb > STORE_CACHE_KB_MAX)
		kb = STORE_CACHE_KB_MAX;
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%zu", kb);
	return db_exec(st->wr, sql, cause);
}

/* A writer-side prepared statement, made on first use. */
int
store_wstmt(struct store *st, enum store_wst which, sqlite3_stmt **out,
    char **cause)
{
	static const char *const sql[WST__COUNT] = {
		[WST_SESSION_KEY] = "SELECT key FROM sessions WHERE id = ?1",
		[WST_SESSION_NEW] = "INSERT INTO sessions (id) VALUES (?1)",
		[WST_EVENT_INSERT] = "INSERT OR IGNORE INTO events (sess, "
		    "event_id, type, processed_us, tool_use_id, is_error) "
		    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		[WST_RAW_INSERT] = "INSERT INTO event_raw (seq, raw) "
		    "VALUES (?1, ?2)",
		[WST_EVENT_QUEUED] = "SELECT seq FROM events WHERE sess = ?1 "
		    "AND event_id = ?2 AND processed_us IS NULL",
		[WST_EVENT_DELETE] = "DELETE FROM events WHERE seq = ?1",
		[WST_SESSION_COUNT] = "UPDATE sessions SET nevents = nevents + "
		    "?2, last_event_us = max(coalesce(last_event_us, 0), ?3) "
		    "WHERE key = ?1",
		[WST_SYNC_GET] = "SELECT last_us, seen_ids FROM sync "
		    "WHERE sess = ?1",
		[WST_SYNC_PUT] = "INSERT INTO sync (sess, last_us, "
		    "last_processed_at, seen_ids) VALUES (?1, ?2, ?3, ?4) "
		    "ON CONFLICT (sess) DO UPDATE SET last_us = ?2, "
		    "last_processed_at = ?3, seen_ids = ?4",
		[WST_SYNC_FULL] = "INSERT INTO sync (sess, full_history) "
		    "VALUES (?1, 1) ON CONFLICT (sess) DO UPDATE SET "
		    "full_history = 1",
		[WST_SESSION_PUT] = "INSERT INTO sessions (id, title, status, "
		    "agent_id, agent_name, agent_version, model, "
		    "environment_id, created_at, updated_at, raw) VALUES "
		    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
		    "ON CONFLICT (id) DO UPDATE SET title = ?2, status = ?3, "
		    "agent_id = ?4, agent_name = ?5, agent_version = ?6, "
		    "model = ?7, environment_id = ?8, created_at = ?9, "
		    "updated_at = ?10, raw = ?11",
		[WST_AGENT_PUT] = "INSERT INTO agents (id, version, name, "
		    "model, updated_at, raw) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
		    "ON CONFLICT (id) DO UPDATE SET version = ?2, name = ?3, "
		    "model = ?4, updated_at = ?5, raw = ?6 "
		    "WHERE excluded.version >= agents.version",
		[WST_AUDIT_PUT] = "INSERT INTO audit (time_us, user, "
		    "session_id, action, event_ids, detail) VALUES "
		    "(?1, ?2, ?3, ?4, ?5, ?6)",
		[WST_DECODE_PUT] = "INSERT INTO decode_errors (time_us, "
		    "session_id, cause, head) VALUES (?1, ?2, ?3, ?4)",
	};

	if (st->wst[which] == NULL &&
	    (st->wst[which] = db_prepare(st->wr, sql[which], cause)) == NULL)
		return -1;
	*out = st->wst[which];
	return 0;
}

/* Make a queue item holding copies of n strings (NULL stays NULL). */
struct store_item *
store_item_new(enum store_op op, const char **s, const size_t *len,
    size_t n)
{
	struct store_item	*it;
	size_t			 total = sizeof *it;
	char			*p;

	for (size_t i = 0; i < n; i++)
		if (s[i] != NULL)
			total += len[i] + 1;
	it = xcalloc(1, total);
	it->op = op;
	it->size = total;
	p = (char *)(it + 1);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == NULL)
			continue;
		memcpy(p, s[i], len[i]);
		p[len[i]] = '\0';
		it->s[i] = p;
		it->len[i] = len[i];
		p += len[i] + 1;
	}
	return it;
}

/* Append an item to the queue, waiting for room; returns its ticket. */
uint64_t
store_enqueue(struct store *st, struct store_item *it)
{
	uint64_t	ticket;

	if (!st->running) {
		free(it);
		return 0;
	}
	pthread_mutex_lock(&st->lock);
	while (st->nitems >= STORE_QUEUE_ITEMS || (st->nitems > 0 &&
	    st->nbytes + it->size > STORE_QUEUE_BYTES)) {
		/* Full before the batch is: the writer must not sleep on. */
		pthread_cond_signal(&st->more);
		pthread_cond_wait(&st->room, &st->lock);
	}
	ticket = it->ticket = ++st->next_ticket;
	if (st->tail != NULL)
		st->tail->next = it;
	else
		st->head = it;
	st->tail = it;
	st->nitems++;
	st->nbytes += it->size;
	if (st->wake_at != 0 && (st->nitems >= st->wake_at ||
	    st->nbytes >= STORE_QUEUE_BYTES / 2))
		pthread_cond_signal(&st->more);
	pthread_mutex_unlock(&st->lock);
	return ticket;
}

/* Apply one item inside the open transaction. */
static int
store_apply(struct store *st, struct store_item *it, char **cause)
{
	switch (it->op) {
	case STORE_OP_EVENT:
		return store_event_apply(st, it, cause);
	case STORE_OP_SESSION:
		return store_session_apply(st, it, cause);
	case STORE_OP_AGENT:
		return store_agent_apply(st, it, cause);
	case STORE_OP_SYNC_FULL:
		return store_sync_full_apply(st, it, cause);
	case STORE_OP_AUDIT:
		return store_audit_apply(st, it, cause);
	case STORE_OP_DECODE_ERROR:
		return store_decode_error_apply(st, it, cause);
	}
	return 0;
}

/* Apply a whole batch in one transaction and commit it. */
static int
store_commit_batch(struct store *st, struct store_item *batch, char **cause)
{
	if (db_begin(st->wr, cause) != 0)
		return -1;
	for (struct store_item *it = batch; it != NULL; it = it->next)
		if (store_apply(st, it, cause) != 0)
			goto fail;
	if (store_event_finish(st, cause) != 0 || db_commit(st->wr, cause) != 0)
		goto fail;
	store_event_reset(st);
	return 0;
fail:
	db_rollback(st->wr);
	store_event_reset(st);
	store_wsess_free_all(st);
	return -1;
}

/*
 * A batch keeps failing: commit its items one by one, so that only those
 * that fail themselves are lost.  *cause keeps the first failure (or is
 * freed and NULL when, in the end, everything went in).
 */
static void
store_salvage(struct store *st, struct store_item *batch, char **cause)
{
	struct store_item	*it, *next;
	char			*why = NULL;
	int			 failed = 0;

	for (it = batch; it != NULL; it = next) {
		next = it->next;
		it->next = NULL;
		if (store_commit_batch(st, it, &why) != 0) {
			failed++;
			free(why);
			why = NULL;
		}
		it->next = next;
	}
	if (failed == 0) {
		free(*cause);
		*cause = NULL;
	}
}

/*
 * A batch failed: try it again a few times (another process may have
 * held the lock), then commit its items one by one.  *cause is freed and
 * set to NULL if everything went in in the end.
 */
static void
store_retry(struct store *st, struct store_item *batch, char **cause)
{
	for (int i = 0; i < STORE_RETRIES; i++) {
		struct timespec	ts = { 0, 0 };
		int64_t		ms = (int64_t)STORE_RETRY_MS << i;
		char		*why = NULL;

		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (ms % 1000) * 1000000;
		nanosleep(&ts, NULL);
		if (store_commit_batch(st, batch, &why) == 0) {
			free(*cause);
			*cause = NULL;
			return;
		}
		free(why);
	}
	store_salvage(st, batch, cause);
}

/* Absolute monotonic time ms from now, for pthread_cond_timedwait. */
static struct timespec
store_deadline(int64_t ms)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	return ts;
}

/* Pop up to max items off the queue (lock held), setting *last. */
static struct store_item *
store_take(struct store *st, size_t max, size_t *np, uint64_t *last)
{
	struct store_item	*head = st->head, *it = NULL;
	size_t			 n = 0;

	if (head == NULL || max == 0) {
		*np = 0;
		return NULL;
	}
	for (it = head; n < max - 1 && it->next != NULL; it = it->next) {
		st->nbytes -= it->size;
		n++;
	}
	st->nbytes -= it->size;
	n++;
	st->head = it->next;
	if (st->head == NULL)
		st->tail = NULL;
	it->next = NULL;
	st->nitems -= n;
	*last = it->ticket;
	*np = n;
	pthread_cond_broadcast(&st->room);
	return head;
}

/* Has the monotonic deadline passed? */
static int
store_past(const struct timespec *deadline)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > deadline->tv_sec || (now.tv_sec ==
	    deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec);
}

/* Report a handled batch to flushers and to the ack callback. */
static void
store_report(struct store *st, uint64_t last, const char *error)
{
	struct store_ack	*a;

	pthread_mutex_lock(&st->lock);
	st->committed = last;
	if (error != NULL) {
		free(st->error);
		st->error = xstrdup(error);
	}
	pthread_cond_broadcast(&st->done);
	if (st->ack_cb != NULL) {
		a = xmalloc(sizeof *a);
		a->cb = st->ack_cb;
		a->arg = st->ack_arg;
		a->upto = last;
		a->error = error != NULL ? xstrdup(error) : NULL;
		loop_post(st->ack_loop, store_ack_run, a);
	}
	pthread_mutex_unlock(&st->lock);
}

/*
 * How many items the open transaction may take.  A commit writes every
 * page the transaction dirtied, and each session it touched dirties an
 * index leaf or two of its own however few of its events it holds; so
 * a transaction over many sessions may grow past the batch size to a
 * few events a session (bounded like the queue, and to STORE_TXN_BYTES
 * of items in store_gather), which keeps the pages written per event
 * low when following many quiet sessions.
 */
static size_t
store_txn_items(const struct store *st)
{
	size_t	want = st->ntouched * STORE_PER_SESSION;

	if (want > STORE_QUEUE_ITEMS)
		want = STORE_QUEUE_ITEMS;
	return want > st->batch ? want : st->batch;
}

/*
 * Gather one transaction (lock held on entry and exit): apply what is
 * queued, in chunks taken without holding the lock while applying, until
 * the batch is full, someone flushes or closes, or its time is up:
 * batch_ms once it holds STORE_PER_SESSION events for each session it
 * touched, else at most STORE_SPREAD_MS (see store_txn_items).  The
 * writer sleeps between chunks and is woken only when enough items for
 * the rest of the batch have arrived (wake_at), not for every item.
 * Returns the batch; *failed is set (with *cause) if applying failed,
 * after which items are still gathered but no longer applied.
 */
static struct store_item *
store_gather(struct store *st, uint64_t *last, int *failed, char **cause)
{
	struct store_item	*batch = NULL, *tail = NULL, *chunk, *it;
	struct timespec		 deadline, longest;
	size_t			 n = 0, k, want, bytes = 0;
	int			 begun = 0, spread;

	deadline = store_deadline(st->batch_ms);
	longest = store_deadline(st->batch_ms > STORE_SPREAD_MS ?
	    st->batch_ms : STORE_SPREAD_MS);
	want = store_txn_items(st);
	for (;;) {
		chunk = store_take(st, want > n ? want - n : 0, &k, last);
		pthread_mutex_unlock(&st->lock);
		if (!*failed && !begun) {
			begun = 1;
			if (db_begin(st->wr, cause) != 0)
				*failed = 1;
		}
		for (it = chunk; it != NULL && !*failed; it = it->next)
			if (store_apply(st, it, cause) != 0)
				*failed = 1;
		if (chunk != NULL) {
			if (tail != NULL)
				tail->next = chunk;
			else
				batch = chunk;
			for (it = chunk; it != NULL; it = it->next) {
				bytes += it->size;
				tail = it;
			}
		}
		n += k;
		pthread_mutex_lock(&st->lock);
		want = store_txn_items(st);
		spread = n >= st->ntouched * STORE_PER_SESSION;
		if (n >= want || bytes >= STORE_TXN_BYTES || st->stopping ||
		    st->flushing || store_past(&longest) ||
		    (spread && store_past(&deadline)))
			break;
		if (st->head != NULL)
			continue;
		st->wake_at = want - n;
		pthread_cond_timedwait(&st->more, &st->lock,
		    spread ? &deadline : &longest);
		st->wake_at = 0;
	}
	return batch;
}

/* The writer thread: one transaction after another until closed. */
static void *
store_writer(void *arg)
{
	struct store		*st = arg;
	struct store_item	*batch, *next;
	uint64_t		 last = 0;
	char			*cause;
	int			 failed;

	pthread_setname_np(pthread_self(), "ph-store");
	for (;;) {
		pthread_mutex_lock(&st->lock);
		while (st->head == NULL && !st->stopping) {
			st->wake_at = 1;
			pthread_cond_wait(&st->more, &st->lock);
			st->wake_at = 0;
		}
		if (st->head == NULL) {
			pthread_mutex_unlock(&st->lock);
			break;		/* closing, and nothing left */
		}
		cause = NULL;
		failed = 0;
		batch = store_gather(st, &last, &failed, &cause);
		pthread_mutex_unlock(&st->lock);
		if (!failed && (store_event_finish(st, &cause) != 0 ||
		    db_commit(st->wr, &cause) != 0))
			failed = 1;
		if (failed) {
			db_rollback(st->wr);
			store_event_reset(st);
			store_wsess_free_all(st);
			store_retry(st, batch, &cause);
		} else
			store_event_reset(st);
		store_report(st, last, cause);
		free(cause);
		for (; batch != NULL; batch = next) {
			next = batch->next;
			free(batch);
		}
	}
	return NULL;
}

/* Wait for everything queued so far to be committed. */
int
store_flush(struct store *st, char **cause)
{
	uint64_t	target;
	int		rv = 0;

	if (!st->running)
		return 0;
	pthread_mutex_lock(&st->lock);
	target = st->next_ticket;
	st->flushing++;
	pthread_cond_signal(&st->more);
	while (st->committed < target)
		pthread_cond_wait(&st->done, &st->lock);
	st->flushing--;
	if (st->error != NULL) {
		if (cause != NULL)
			*cause = xstrdup(st->error);
		free(st->error);
		st->error = NULL;
		rv = -1;
	}
	pthread_mutex_unlock(&st->lock);
	return rv;
}

/* The highest ticket handled so far. */
uint64_t
store_committed(struct store *st)
{
	uint64_t	c;

	if (!st->running)
		return 0;
	pthread_mutex_lock(&st->lock);
	c = st->committed;
	pthread_mutex_unlock(&st->lock);
	return c;
}
