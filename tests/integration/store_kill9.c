/* ISC licence: see COPYING.  The store survives kill -9 at any moment:
 * a child writes events and reports every ack through a pipe; the parent
 * SIGKILLs it at a random time, many times over, and after each kill
 * checks that the file is intact and every acknowledged event is there
 * exactly once, in order. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/io.h"
#include "base/loop.h"
#include "base/rand.h"
#include "base/xmalloc.h"
#include "store/db.h"
#include "store/store.h"
#include "wire/api_event.h"
#include "tap.h"

#define ROUNDS		40
#define MAX_DELAY_MS	60
#define ACK_WAIT_MS	20000	/* longest wait for a round's kth ack */

struct child {
	struct loop		*loop;
	struct store		*st;
	struct loop_timer	*timer;
	int			 fd;
	int			 round;
	uint64_t		 n;		/* events queued */
};

/* Event n of a round. */
static void
event_text(char *buf, size_t size, int round, uint64_t n)
{
	snprintf(buf, size, "{\"type\":\"agent.message\",\"id\":"
	    "\"sevt_r%03d_%08llu\",\"processed_at\":\"2026-11-20T10:00:00."
	    "%06lluZ\",\"content\":[{\"type\":\"text\",\"text\":\"event "
	    "%llu of round %d, padded to look like real text\"}]}", round,
	    (unsigned long long)n, (unsigned long long)(n % 1000000),
	    (unsigned long long)n, round);
}

/* Child: an ack means every ticket up to upto is committed; tell. */
static void
child_ack(uint64_t upto, const char *error, void *arg)
{
	struct child	*c = arg;

	if (error != NULL)
		_exit(3);
	if (write(c->fd, &upto, sizeof upto) != (ssize_t)sizeof upto)
		_exit(4);
}

/* Child: queue a few more events, every millisecond. */
static void
child_tick(struct loop_timer *t, void *arg)
{
	struct child		*c = arg;
	struct api_event	*ev;
	char			 text[512], sess[64], *cause = NULL;
	uint64_t		 k = 1 + rand_below(40);

	snprintf(sess, sizeof sess, "sesn_kill%03d", c->round);
	for (uint64_t i = 0; i < k; i++) {
		event_text(text, sizeof text, c->round, c->n);
		if ((ev = api_event_parse(text, strlen(text), &cause)) == NULL)
			_exit(5);
		if (store_event_put(c->st, sess, ev) != c->n + 1)
			_exit(6);	/* event n has ticket n + 1 */
		api_event_free(ev);
		c->n++;
	}
	loop_timer_arm(t, 1);
}

/* Child: open the store and write until killed. */
static AD_NORETURN void
child_run(const char *path, int round, int fd)
{
	struct child	 c;
	char		*cause = NULL;

	memset(&c, 0, sizeof c);
	c.fd = fd;
	c.round = round;
	c.loop = loop_create();
	if ((c.st = store_open(path, 0, &cause)) == NULL)
		_exit(2);
	store_set_ack(c.st, c.loop, child_ack, &c);
	store_set_batch(c.st, 1 + rand_below(300), 1 + (int64_t)rand_below(8));
	c.timer = loop_timer_create(c.loop, child_tick, &c);
	loop_timer_arm(c.timer, 0);
	loop_run(c.loop);
	_exit(7);
}

/*
 * Parent: read acks until the deadline or the kth ack (0: no limit),
 * then kill at once; returns the last ack.  Killing right after an ack
 * catches a store that acknowledges before its commit is done.
 */
static uint64_t
parent_watch(pid_t pid, int fd, int64_t delay_ms, int kth, int *status)
{
	uint64_t	upto, best = 0;
	int64_t		deadline = clock_mono_us() + delay_ms * 1000;
	ssize_t		n;
	int		acks = 0;

	(void)io_set_nonblock(fd, 1);
	while (clock_mono_us() < deadline) {
		while ((n = read(fd, &upto, sizeof upto)) == sizeof upto) {
			if (upto > best)
				best = upto;
			if (++acks == kth)
				goto kill;
		}
		if (waitpid(pid, status, WNOHANG) == pid)
			goto reaped;
		usleep(kth != 0 ? 20 : 200);
	}
kill:
	kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) == -1 && errno == EINTR)
		continue;
reaped:
	/* Acks written before the kill are still in the pipe. */
	while ((n = read(fd, &upto, sizeof upto)) == sizeof upto)
		if (upto > best)
			best = upto;
	return best;
}

/* Check one round: integrity, and events 0..P-1 in order, P >= acked. */
static int
check_round(const char *path, int round, uint64_t acked, char **why)
{
	struct store		*st;
	struct store_iter	*it;
	struct store_event	 e;
	struct store_session	 s;
	struct db		*db;
	sqlite3_stmt		*q;
	char			 sess[64], want[512], *cause = NULL;
	uint64_t		 n = 0;
	int			 r, good = 0;

	if ((db = db_open(path, NULL, 0, DB_READONLY, &cause)) == NULL) {
		*why = cause;
		return acked == 0;	/* killed before the file existed */
	}
	q = db_prepare(db, "PRAGMA integrity_check", &cause);
	if (q != NULL && db_step_row(db, q, &cause) == 1 &&
	    strcmp((const char *)sqlite3_column_text(q, 0), "ok") == 0)
		good = 1;
	sqlite3_finalize(q);
	q = db_prepare(db, "PRAGMA foreign_key_check", &cause);
	if (q == NULL || db_step_row(db, q, &cause) != 0)
		good = 0;
	sqlite3_finalize(q);
	db_close(db);
	if (!good) {
		xasprintf(why, "integrity check failed");
		return 0;
	}
	if ((st = store_open(path, STORE_READONLY, &cause)) == NULL) {
		/* Killed during the first migration: nothing was acked. */
		*why = cause;
		return acked == 0;
	}
	snprintf(sess, sizeof sess, "sesn_kill%03d", round);
	if ((it = store_iter_events(st, sess, 0, NULL, STORE_ITER_RAW,
	    &cause)) == NULL) {
		*why = cause;
		store_close(st);
		return 0;
	}
	while ((r = store_iter_next(it, &e, &cause)) == 1) {
		event_text(want, sizeof want, round, n);
		if (e.rawlen != strlen(want) || memcmp(e.raw, want,
		    e.rawlen) != 0) {
			xasprintf(why, "event %llu is not where it should be",
			    (unsigned long long)n);
			store_iter_free(it);
			store_close(st);
			return 0;
		}
		n++;
	}
	store_iter_free(it);
	if (r < 0) {
		*why = cause;
		store_close(st);
		return 0;
	}
	good = n >= acked;
	if (!good)
		xasprintf(why, "%llu events acked, %llu stored",
		    (unsigned long long)acked, (unsigned long long)n);
	/* The per-session count is committed with the events. */
	if (good && n > 0 && (store_session_get(st, sess, &s, &cause) != 1 ||
	    s.nevents != (int64_t)n)) {
		xasprintf(why, "the session's count disagrees");
		good = 0;
	}
	if (n > 0)
		store_session_clear(&s);
	store_close(st);
	return good;
}

int
main(void)
{
	char		*tmp, *path, *why;
	int		 fds[2], status, killed = 0, all_acked = 0;
	int		 kth, waited = 0, waited_acked = 0;
	int64_t		 delay;
	uint64_t	 acked, total = 0;
	pid_t		 pid;

	xasprintf(&tmp, "%s/ph-kill9.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmp) == NULL)
		tap_skip_all("mkdtemp failed");
	xasprintf(&path, "%s/cache.db", tmp);
	for (int round = 0; round < ROUNDS; round++) {
		if (pipe(fds) != 0)
			tap_skip_all("pipe failed");
		if ((pid = fork()) == 0) {
			close(fds[0]);
			child_run(path, round, fds[1]);
		}
		close(fds[1]);
		/*
		 * Early rounds die young, to hit the first open too; even
		 * rounds die at a random time; odd rounds die just after
		 * their kth ack, however long a loaded machine takes to
		 * get there, so that they always have acked events.
		 */
		kth = round % 2 ? 1 + (int)rand_below(6) : 0;
		if (round < 4)
			delay = round * 2;
		else if (kth != 0)
			delay = ACK_WAIT_MS;
		else
			delay = 1 + (int64_t)rand_below(MAX_DELAY_MS);
		acked = parent_watch(pid, fds[0], delay, kth, &status);
		close(fds[0]);
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			killed++;
		else
			diag("round %d: the child exited by itself (%d)", round,
			    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		why = NULL;
		if (!ok(check_round(path, round, acked, &why),
		    "round %d: intact, %llu acked events there once, in order",
		    round, (unsigned long long)acked))
			diag("%s", why ? why : "");
		free(why);
		total += acked;
		if (acked > 0)
			all_acked++;
		if (round >= 4 && kth != 0) {
			waited++;
			if (acked > 0)
				waited_acked++;
		}
	}
	is_int(killed, ROUNDS, "every child was killed by SIGKILL");
	is_int(waited_acked, waited, "every round killed after an ack had "
	    "acked events (%d rounds of %d had some, %llu in all)", all_acked,
	    ROUNDS, (unsigned long long)total);
	xasprintf(&why, "rm -rf '%s'", tmp);
	if (system(why) != 0)
		diag("cleanup failed");
	free(why);
	free(path);
	free(tmp);
	return done_testing();
}
