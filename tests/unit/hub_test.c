/* ISC licence: see COPYING.  Tests for the stream fan-out's wake-ups. */

/*
 * The wake function resumes an HTTP connection whose server thread at
 * once reads from the hub, so it must run without the hub lock held; and
 * hub_close() must not return while another thread is still inside one.
 * The wake functions here take the lock from a second thread, or block,
 * to show both.  Threads signal each other through pipes, so every wait
 * is a poll() with a deadline.
 */

#include "config.h"

#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/hub.h"
#include "tap.h"

#define FRAME	"event: agent.message\ndata: {}\n\n"

struct probe {
	struct hub	*hub;
	int		 suspends;
	int		 wakes;
	int		 lock_free;	/* another thread took the hub lock
					   while the wake ran */
	pthread_t	 locker;	/* started by probe_wake */
	int		 started;
	int		 done[2];	/* a thread's "done" notes */
	int		 release[2];	/* probe_wake_block may return */
};

/* A fresh hub and pipes. */
static void
probe_init(struct probe *p)
{
	memset(p, 0, sizeof *p);
	if (pipe(p->done) != 0 || pipe(p->release) != 0) {
		printf("Bail out! pipe\n");
		exit(1);
	}
	p->hub = hub_create(1 << 20);
}

/* Release them. */
static void
probe_clear(struct probe *p)
{
	hub_free(p->hub);
	close(p->done[0]);
	close(p->done[1]);
	close(p->release[0]);
	close(p->release[1]);
}

/* Write one note to a pipe. */
static void
note(int fd)
{
	if (write(fd, "x", 1) != 1)
		abort();
}

/* Take one note from a pipe within ms milliseconds; 0 when none came. */
static int
noted(int fd, int ms)
{
	struct pollfd	pfd = { .fd = fd, .events = POLLIN };
	char		c;

	if (poll(&pfd, 1, ms) != 1)
		return 0;
	return read(fd, &c, 1) == 1;
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
	note(p->done[1]);
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
	p->lock_free = noted(p->done[0], 2000);
}

/* A wake function that says it started, then waits to be released. */
static void
probe_wake_block(void *arg)
{
	struct probe	*p = arg;

	p->wakes++;
	note(p->done[1]);
	if (!noted(p->release[0], 10000))
		abort();
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
	note(p->done[1]);
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

	probe_init(&p);
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
	probe_clear(&p);
}

/* hub_close waits for a wake another thread is still making. */
static void
test_close_waits(void)
{
	struct probe	 p;
	struct hub_sub	*s;
	pthread_t	 pub, closer;
	char		 buf[64];

	probe_init(&p);
	s = hub_subscribe(p.hub, 0, probe_suspend, probe_wake_block, &p);
	is_int(hub_sub_read(s, buf, sizeof buf), 0, "the subscriber parks");
	if (pthread_create(&pub, NULL, probe_publish, &p) != 0)
		abort();
	ok(noted(p.done[0], 5000), "a publisher is inside the wake function");
	if (pthread_create(&closer, NULL, probe_close, &p) != 0)
		abort();
	ok(!noted(p.done[0], 100), "hub_close does not return while that "
	    "wake runs");
	note(p.release[1]);
	ok(noted(p.done[0], 5000), "and returns once it is done");
	pthread_join(pub, NULL);
	pthread_join(closer, NULL);
	is_int(p.wakes, 1, "one wake for one park (the close found none "
	    "parked)");
	hub_unsubscribe(s);
	probe_clear(&p);
}

int
main(void)
{
	test_wake_unlocked();
	test_close_waits();
	return done_testing();
}
