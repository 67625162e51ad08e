/* ISC licence: see COPYING.  Tests for base/loop: fds, timers, posts. */

#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include "base/loop.h"
#include "tap.h"

static int	fired[4];
static int	order[8];
static int	norder;

static void
timer_cb(struct loop_timer *t, void *arg)
{
	int	i = (int)(long)arg;

	fired[i]++;
	order[norder++] = i;
}

static void
self_free_cb(struct loop_timer *t, void *arg)
{
	fired[3]++;
	loop_timer_free(t);
}

struct pipe_ctx {
	struct loop_io	*io;
	struct loop_io	*other;
	int		 reads;
};

static void
read_cb(struct loop_io *io, int fd, int events, void *arg)
{
	struct pipe_ctx	*pc = arg;
	char		 c;

	pc->reads++;
	if (read(fd, &c, 1) != 1)
		return;
	/* Remove the other watcher whose event is pending in this batch. */
	loop_io_remove(pc->other);
	pc->other = NULL;
}

static void
post_cb(void *arg)
{
	struct loop	*l = arg;

	loop_exit(l, 7);
}

static void *
poster(void *arg)
{
	loop_post(arg, post_cb, arg);
	return NULL;
}

static void
sig_cb(int signo, void *arg)
{
	*(int *)arg = signo;
}

int
main(void)
{
	struct loop		*l;
	struct loop_timer	*a, *b, *c, *d;
	struct pipe_ctx		 p1 = { 0 }, p2 = { 0 };
	int			 fds1[2], fds2[2], got = 0;
	pthread_t		 th;
	int64_t			 start;

	l = loop_create();
	a = loop_timer_create(l, timer_cb, (void *)0L);
	b = loop_timer_create(l, timer_cb, (void *)1L);
	c = loop_timer_create(l, timer_cb, (void *)2L);
	d = loop_timer_create(l, self_free_cb, NULL);
	loop_timer_arm(a, 30);
	loop_timer_arm(b, 10);
	loop_timer_arm(c, 20);
	loop_timer_arm(d, 5);
	loop_timer_disarm(c);
	ok(!loop_timer_armed(c) && loop_timer_armed(a), "disarm");
	start = loop_now(l);
	while (fired[0] == 0)
		loop_once(l, -1);
	ok(loop_now(l) - start >= 30, "a timer waits its delay");
	ok(norder == 2 && order[0] == 1 && order[1] == 0,
	    "timers fire in deadline order");
	is_int(fired[2], 0, "a disarmed timer never fires");
	is_int(fired[3], 1, "a timer may free itself in its callback");
	loop_timer_arm(b, 0);
	loop_timer_arm(b, 50);
	loop_once(l, 0);
	is_int(fired[1], 1, "re-arming moves the deadline");

	/* Two readable pipes; the first callback removes the other watcher. */
	ok(pipe(fds1) == 0 && pipe(fds2) == 0, "pipes");
	p1.io = loop_io_add(l, fds1[0], LOOP_READ, read_cb, &p1);
	p2.io = loop_io_add(l, fds2[0], LOOP_READ, read_cb, &p2);
	p1.other = p2.io;
	p2.other = p1.io;
	ok(write(fds1[1], "x", 1) == 1 && write(fds2[1], "y", 1) == 1, "writes");
	loop_once(l, 1000);
	is_int(p1.reads + p2.reads, 1,
	    "a watcher removed during a batch gets no event");
	loop_io_remove(p1.other == NULL ? p1.io : p2.io);

	ok(loop_signal(l, SIGUSR1, sig_cb, &got) == 0, "signal handler");
	kill(getpid(), SIGUSR1);
	for (int i = 0; i < 100 && got == 0; i++)
		loop_once(l, 100);
	is_int(got, SIGUSR1, "a signal arrives on the loop thread");

	pthread_create(&th, NULL, poster, l);
	is_int(loop_run(l), 7, "work posted from a thread runs; exit code");
	pthread_join(th, NULL);

	loop_timer_free(a);
	loop_timer_free(b);
	loop_timer_free(c);
	for (int i = 0; i < 2; i++) {
		close(fds1[i]);
		close(fds2[i]);
	}
	loop_free(l);
	return done_testing();
}
