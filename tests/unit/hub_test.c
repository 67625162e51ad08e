/* ISC licence: see COPYING.  Tests for the stream fan-out's wake-ups. */

/*
 * The wake function resumes an HTTP connection whose server thread at
 * once reads from the hub, so it must run without the hub lock held; and
 * hub_close() must not return while another thread is still inside one.
 * The wake functions here take the lock from a second thread, or block,
 * to show both.
 */

#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "harness/hub.h"
#include "tap.h"

#define FRAME	"event: agent.message\ndata: {}\n\n"

struct probe {
	struct hub	*hub;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	int		 suspends;
	int		 wakes;
	int		 took_lock;	/* a thread got the hub lock */
	int		 lock_free;	/* ... while the wake ran */
	int		 in_wake;	/* blocking wake: entered */
	int		 release;	/* blocking wake: may return */
	int		 closed;	/* hub_close returned */
	pthread_t	 locker;	/* started by probe_wake */
	int		 started;
};

/* A deadline this many milliseconds from now. */
static struct timespec
deadline(long ms)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	return ts;
}

/* Wait (probe lock held) until *flag is set or ms pass; returns *flag. */
static int
wait_flag(struct probe *p, const int *flag, long ms)
{
	struct timespec	ts = deadline(ms);

	while (!*flag)
		if (pthread_cond_timedwait(&p->cond, &p->lock, &ts) ==
		    ETIMEDOUT)
			break;
	return *flag;
}

/* Set a flag and tell the waiters. */
static void
set_flag(struct probe *p, int *flag)
{
	pthread_mutex_lock(&p->lock);
	*flag = 1;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

/* The suspend function: count. */
static void
probe_suspend(void *arg)
{
	struct probe	*p = arg;

	p->suspends++;
}

/* A thread that needs the hub lock (hub_nsubs takes it). */
static void *
probe_locker(void *arg)
{
	struct probe	*p = arg;

	(void)hub_nsubs(p->hub);
	set_flag(p, &p->took_lock);
	return NULL;
}

/*
 * The wake function: another thread must get the hub lock meanwhile.  It
 * is joined after the publish, so a wake made under the lock fails the
 * test instead of hanging it.
 */
static void
probe_wake(void *arg)
{
	struct probe	*p = arg;

	p->wakes++;
	if (p->started ||
	    pthread_create(&p->locker, NULL, probe_locker, p) != 0)
		return;
	p->started = 1;
	pthread_mutex_lock(&p->lock);
	p->lock_free = wait_flag(p, &p->took_lock, 2000);
	pthread_mutex_unlock(&p->lock);
}

/* A wake function that blocks until released. */
static void
probe_wake_block(void *arg)
{
	struct probe	*p = arg;

	p->wakes++;
	pthread_mutex_lock(&p->lock);
	p->in_wake = 1;
	pthread_cond_broadcast(&p->cond);
	while (!p->release)
		pthread_cond_wait(&p->cond, &p->lock);
	pthread_mutex_unlock(&p->lock);
}

/* Publish one frame (from a thread). */
static void *
probe_publish(void *arg)
{
	struct probe	*p = arg;

	hub_publish(p->hub, 1, "agent.message", "{}", 2, 0, 0, 0);
	return NULL;
}

/* Close the hub (from a thread). */
static void *
probe_close(void *arg)
{
	struct probe	*p = arg;

	hub_close(p->hub);
	set_flag(p, &p->closed);
	return NULL;
}

/* Wake-ups happen after the lock is released, once per park. */
static void
test_wake_unlocked(void)
{
	struct probe	 p;
	struct hub_sub	*s;
	char		 buf[256];
	ssize_t		 n;

	memset(&p, 0, sizeof p);
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.cond, NULL);
	p.hub = hub_create(1 << 20);
	s = hub_subscribe(p.hub, 0, probe_suspend, probe_wake, &p);

	is_int(hub_sub_read(s, buf, sizeof buf), 0, "nothing yet: the read "
	    "parks");
	is_int(p.suspends, 1, "and calls the suspend function");
	hub_publish(p.hub, 1, "agent.message", "{}", 2, 0, 0, 0);
	if (p.started)
		pthread_join(p.locker, NULL);
	is_int(p.wakes, 1, "a publish wakes the parked subscriber");
	ok(p.lock_free, "with the hub lock released (another thread took "
	    "it during the wake)");
	hub_publish(p.hub, 2, "agent.message", "{}", 2, 0, 0, 0);
	is_int(p.wakes, 1, "a subscriber that is not parked is not woken "
	    "again");
	n = hub_sub_read(s, buf, sizeof buf);
	ok(n > 0 && (size_t)n == 2 * (sizeof FRAME - 1 + 6) &&
	    memcmp(buf, "id: 1\n" FRAME "id: 2\n" FRAME, (size_t)n) == 0,
	    "both frames are read, in order");

	hub_unsubscribe(s);
	hub_free(p.hub);
	pthread_cond_destroy(&p.cond);
	pthread_mutex_destroy(&p.lock);
}

/* hub_close waits for a wake another thread is still making. */
static void
test_close_waits(void)
{
	struct probe	 p;
	struct hub_sub	*s;
	pthread_t	 pub, closer;
	char		 buf[64];
	int		 early;

	memset(&p, 0, sizeof p);
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.cond, NULL);
	p.hub = hub_create(1 << 20);
	s = hub_subscribe(p.hub, 0, probe_suspend, probe_wake_block, &p);
	is_int(hub_sub_read(s, buf, sizeof buf), 0, "the subscriber parks");

	if (pthread_create(&pub, NULL, probe_publish, &p) != 0) {
		ok(0, "pthread_create");
		return;
	}
	pthread_mutex_lock(&p.lock);
	ok(wait_flag(&p, &p.in_wake, 5000), "a publisher is inside the wake "
	    "function");
	pthread_mutex_unlock(&p.lock);
	if (pthread_create(&closer, NULL, probe_close, &p) != 0) {
		ok(0, "pthread_create");
		return;
	}
	pthread_mutex_lock(&p.lock);
	early = wait_flag(&p, &p.closed, 100);
	pthread_mutex_unlock(&p.lock);
	ok(!early, "hub_close does not return while that wake runs");
	set_flag(&p, &p.release);
	pthread_mutex_lock(&p.lock);
	ok(wait_flag(&p, &p.closed, 5000), "and returns once it is done");
	pthread_mutex_unlock(&p.lock);
	pthread_join(pub, NULL);
	pthread_join(closer, NULL);
	is_int(p.wakes, 1, "one wake for one park (the close found none "
	    "parked)");

	hub_unsubscribe(s);
	hub_free(p.hub);
	pthread_cond_destroy(&p.cond);
	pthread_mutex_destroy(&p.lock);
}

int
main(void)
{
	test_wake_unlocked();
	test_close_waits();
	return done_testing();
}
