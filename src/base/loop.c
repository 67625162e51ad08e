/* ISC licence: see COPYING.  The event loop: epoll, timer heap, signals. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "base/loop.h"
#include "base/xmalloc.h"

#define LOOP_MAX_EVENTS	256
#define LOOP_NSIG	65

struct loop_io {
	struct loop	*loop;
	int		 fd;
	int		 events;	/* LOOP_READ|LOOP_WRITE requested */
	int		 dead;		/* removed; freed after the batch */
	loop_io_cb	 cb;
	void		*arg;
	struct loop_io	*next_dead;	/* the batch's free list */
};

struct loop_timer {
	struct loop	*loop;
	int64_t		 deadline;	/* loop_now() milliseconds */
	size_t		 slot;		/* index in the heap, or SIZE_MAX */
	uint64_t	 order;		/* arming order: ties fire FIFO */
	loop_timer_cb	 cb;
	void		*arg;
};

struct loop_post_item {
	loop_post_cb		 cb;
	void			*arg;
	struct loop_post_item	*next;
};

struct loop {
	int			 epfd;
	int			 wakefd;	/* eventfd: posts and signals */
	int64_t			 now;
	int			 exiting;
	int			 code;
	struct loop_io		*dead;		/* removed watchers to free */
	int			 dispatching;

	/* Timers: a min-heap on (deadline, order). */
	struct loop_timer	**heap;
	size_t			 nheap;
	size_t			 heapsize;
	uint64_t		 order;

	pthread_mutex_t		 post_lock;
	struct loop_post_item	*post_head;	/* FIFO of posted work */
	struct loop_post_item	*post_tail;

	loop_signal_cb		 sig_cb[LOOP_NSIG];
	void			*sig_arg[LOOP_NSIG];
};

/* Signals are process-wide, so one loop owns them (loop_signal). */
static struct loop		*loop_signal_owner;
static volatile sig_atomic_t	 loop_sig_pending[LOOP_NSIG];

static void	loop_wake(struct loop *);

/* Refresh the cached clock. */
static void
loop_update_now(struct loop *l)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	l->now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Create a loop; failure to get kernel objects is fatal. */
struct loop *
loop_create(void)
{
	struct loop		*l;
	struct epoll_event	 ev;

	l = xcalloc(1, sizeof *l);
	if ((l->epfd = epoll_create1(EPOLL_CLOEXEC)) == -1)
		fatal("epoll_create1");
	if ((l->wakefd = eventfd(0, EFD_CLOEXEC|EFD_NONBLOCK)) == -1)
		fatal("eventfd");
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	ev.data.ptr = NULL;		/* NULL marks the wake descriptor */
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->wakefd, &ev) == -1)
		fatal("epoll_ctl");
	pthread_mutex_init(&l->post_lock, NULL);
	loop_update_now(l);
	return l;
}

/* Free the loop.  Watchers and timers must have been removed first. */
void
loop_free(struct loop *l)
{
	struct loop_post_item	*p, *next;
	struct loop_io		*io, *nio;

	if (l == NULL)
		return;
	if (loop_signal_owner == l) {
		for (int i = 1; i < LOOP_NSIG; i++)
			if (l->sig_cb[i] != NULL)
				signal(i, SIG_DFL);
		loop_signal_owner = NULL;
	}
	for (io = l->dead; io != NULL; io = nio) {
		nio = io->next_dead;
		free(io);
	}
	for (p = l->post_head; p != NULL; p = next) {
		next = p->next;
		free(p);
	}
	for (size_t i = 0; i < l->nheap; i++)
		l->heap[i]->slot = SIZE_MAX;
	free(l->heap);
	close(l->epfd);
	close(l->wakefd);
	pthread_mutex_destroy(&l->post_lock);
	free(l);
}

/* The cached monotonic time in milliseconds. */
int64_t
loop_now(struct loop *l)
{
	return l->now;
}

/* Ask loop_run() to return code after the current iteration. */
void
loop_exit(struct loop *l, int code)
{
	l->exiting = 1;
	l->code = code;
}

/* Translate LOOP_* into epoll bits. */
static uint32_t
loop_epoll_bits(int events)
{
	uint32_t	bits = 0;

	if (events & LOOP_READ)
		bits |= EPOLLIN | EPOLLRDHUP;
	if (events & LOOP_WRITE)
		bits |= EPOLLOUT;
	return bits;
}

/* Start watching fd. */
struct loop_io *
loop_io_add(struct loop *l, int fd, int events, loop_io_cb cb, void *arg)
{
	struct loop_io		*io;
	struct epoll_event	 ev;

	io = xcalloc(1, sizeof *io);
	io->loop = l;
	io->fd = fd;
	io->events = events;
	io->cb = cb;
	io->arg = arg;
	memset(&ev, 0, sizeof ev);
	ev.events = loop_epoll_bits(events);
	ev.data.ptr = io;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) == -1)
		fatal("epoll_ctl add fd %d", fd);
	return io;
}

/* Change what fd is watched for. */
void
loop_io_set(struct loop_io *io, int events)
{
	struct epoll_event	ev;

	if (io->dead || io->events == events)
		return;
	io->events = events;
	memset(&ev, 0, sizeof ev);
	ev.events = loop_epoll_bits(events);
	ev.data.ptr = io;
	if (epoll_ctl(io->loop->epfd, EPOLL_CTL_MOD, io->fd, &ev) == -1)
		fatal("epoll_ctl mod fd %d", io->fd);
}

/*
 * Stop watching.  The caller may close the fd straight after; the watcher
 * itself is freed after the current batch so pending events are skipped.
 */
void
loop_io_remove(struct loop_io *io)
{
	struct loop	*l;

	if (io == NULL || io->dead)
		return;
	l = io->loop;
	/* ENOENT/EBADF: the fd was already closed; nothing to undo. */
	(void)epoll_ctl(l->epfd, EPOLL_CTL_DEL, io->fd, NULL);
	io->dead = 1;
	if (l->dispatching) {
		io->next_dead = l->dead;
		l->dead = io;
	} else
		free(io);
}

/* Heap order: earlier deadline first, then earlier arming. */
static int
loop_timer_less(const struct loop_timer *a, const struct loop_timer *b)
{
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline;
	return a->order < b->order;
}

/* Put heap[i] in place and record its slot. */
static void
loop_heap_set(struct loop *l, size_t i, struct loop_timer *t)
{
	l->heap[i] = t;
	t->slot = i;
}

/* Move the timer at slot i up or down until the heap is valid again. */
static void
loop_heap_fix(struct loop *l, size_t i)
{
	struct loop_timer	*t = l->heap[i];
	size_t			 parent, child;

	while (i > 0) {
		parent = (i - 1) / 2;
		if (!loop_timer_less(t, l->heap[parent]))
			break;
		loop_heap_set(l, i, l->heap[parent]);
		i = parent;
	}
	for (;;) {
		child = 2 * i + 1;
		if (child >= l->nheap)
			break;
		if (child + 1 < l->nheap &&
		    loop_timer_less(l->heap[child + 1], l->heap[child]))
			child++;
		if (!loop_timer_less(l->heap[child], t))
			break;
		loop_heap_set(l, i, l->heap[child]);
		i = child;
	}
	loop_heap_set(l, i, t);
}

/* Take the timer at slot i out of the heap. */
static void
loop_heap_remove(struct loop *l, size_t i)
{
	struct loop_timer	*last;

	l->heap[i]->slot = SIZE_MAX;
	last = l->heap[--l->nheap];
	if (i < l->nheap) {
		loop_heap_set(l, i, last);
		loop_heap_fix(l, i);
	}
}

/* Make a disarmed timer. */
struct loop_timer *
loop_timer_create(struct loop *l, loop_timer_cb cb, void *arg)
{
	struct loop_timer	*t;

	t = xcalloc(1, sizeof *t);
	t->loop = l;
	t->slot = SIZE_MAX;
	t->cb = cb;
	t->arg = arg;
	return t;
}

/* Fire after ms milliseconds (re-arming moves an armed timer). */
void
loop_timer_arm(struct loop_timer *t, int64_t ms)
{
	struct loop	*l = t->loop;

	if (ms < 0)
		ms = 0;
	t->deadline = l->now + ms;
	t->order = l->order++;
	if (t->slot != SIZE_MAX) {
		loop_heap_fix(l, t->slot);
		return;
	}
	if (l->nheap == l->heapsize) {
		l->heapsize = l->heapsize ? l->heapsize * 2 : 64;
		l->heap = xreallocarray(l->heap, l->heapsize, sizeof *l->heap);
	}
	loop_heap_set(l, l->nheap++, t);
	loop_heap_fix(l, t->slot);
}

/* Cancel a pending firing. */
void
loop_timer_disarm(struct loop_timer *t)
{
	if (t->slot != SIZE_MAX)
		loop_heap_remove(t->loop, t->slot);
}

/* Non-zero while the timer is waiting to fire. */
int
loop_timer_armed(const struct loop_timer *t)
{
	return t->slot != SIZE_MAX;
}

/* Disarm and free a timer (may be called from its own callback). */
void
loop_timer_free(struct loop_timer *t)
{
	if (t == NULL)
		return;
	loop_timer_disarm(t);
	free(t);
}

/* Async-signal-safe handler: note the signal and wake the loop. */
static void
loop_sighandler(int signo)
{
	int	saved = errno;

	if (signo > 0 && signo < LOOP_NSIG)
		loop_sig_pending[signo] = 1;
	if (loop_signal_owner != NULL)
		loop_wake(loop_signal_owner);
	errno = saved;
}

/* Route signo to cb on this loop's thread. */
int
loop_signal(struct loop *l, int signo, loop_signal_cb cb, void *arg)
{
	struct sigaction	sa;

	if (signo <= 0 || signo >= LOOP_NSIG ||
	    (loop_signal_owner != NULL && loop_signal_owner != l))
		return -1;
	loop_signal_owner = l;
	l->sig_cb[signo] = cb;
	l->sig_arg[signo] = arg;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = loop_sighandler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	return sigaction(signo, &sa, NULL);
}

/* Wake the loop from any thread or a signal handler. */
static void
loop_wake(struct loop *l)
{
	uint64_t	one = 1;

	/* EAGAIN means the counter is already non-zero: awake anyway. */
	if (write(l->wakefd, &one, sizeof one) < 0 && errno != EAGAIN)
		return;
}

/* Queue cb(arg) to run on the loop thread; callable from any thread. */
void
loop_post(struct loop *l, loop_post_cb cb, void *arg)
{
	struct loop_post_item	*p;

	p = xmalloc(sizeof *p);
	p->cb = cb;
	p->arg = arg;
	p->next = NULL;
	pthread_mutex_lock(&l->post_lock);
	if (l->post_tail != NULL)
		l->post_tail->next = p;
	else
		l->post_head = p;
	l->post_tail = p;
	pthread_mutex_unlock(&l->post_lock);
	loop_wake(l);
}

/* Drain the wake counter, then run signals and posted work. */
static void
loop_run_wakeups(struct loop *l)
{
	struct loop_post_item	*p, *next;
	uint64_t		 v;

	while (read(l->wakefd, &v, sizeof v) > 0)
		continue;
	if (loop_signal_owner == l) {
		for (int i = 1; i < LOOP_NSIG; i++) {
			if (!loop_sig_pending[i])
				continue;
			loop_sig_pending[i] = 0;
			if (l->sig_cb[i] != NULL)
				l->sig_cb[i](i, l->sig_arg[i]);
		}
	}
	pthread_mutex_lock(&l->post_lock);
	p = l->post_head;
	l->post_head = l->post_tail = NULL;
	pthread_mutex_unlock(&l->post_lock);
	for (; p != NULL; p = next) {
		next = p->next;
		p->cb(p->arg);
		free(p);
	}
}

/* Fire every timer whose deadline has passed (in deadline order). */
static void
loop_run_timers(struct loop *l)
{
	struct loop_timer	*t;

	while (l->nheap > 0 && l->heap[0]->deadline <= l->now) {
		t = l->heap[0];
		loop_heap_remove(l, 0);
		t->cb(t, t->arg);
	}
}

/* One iteration: wait, then dispatch descriptors, wake-ups and timers. */
void
loop_once(struct loop *l, int timeout)
{
	struct epoll_event	 evs[LOOP_MAX_EVENTS];
	struct loop_io		*io, *next;
	int			 n, events;
	int64_t			 wait;

	if (l->nheap > 0) {
		wait = l->heap[0]->deadline - l->now;
		if (wait < 0)
			wait = 0;
		if (timeout < 0 || wait < timeout)
			timeout = (int)AD_MIN(wait, 86400000);
	}
	n = epoll_wait(l->epfd, evs, LOOP_MAX_EVENTS, timeout);
	if (n < 0 && errno != EINTR)
		fatal("epoll_wait");
	loop_update_now(l);
	l->dispatching = 1;
	for (int i = 0; i < n; i++) {
		io = evs[i].data.ptr;
		if (io == NULL) {
			loop_run_wakeups(l);
			continue;
		}
		if (io->dead)
			continue;
		events = 0;
		if (evs[i].events & (EPOLLIN|EPOLLRDHUP))
			events |= LOOP_READ;
		if (evs[i].events & EPOLLOUT)
			events |= LOOP_WRITE;
		if (evs[i].events & (EPOLLERR|EPOLLHUP))
			events |= LOOP_ERROR;
		io->cb(io, io->fd, events, io->arg);
	}
	l->dispatching = 0;
	for (io = l->dead; io != NULL; io = next) {
		next = io->next_dead;
		free(io);
	}
	l->dead = NULL;
	loop_run_timers(l);
}

/* Dispatch until loop_exit(). */
int
loop_run(struct loop *l)
{
	l->exiting = 0;
	while (!l->exiting)
		loop_once(l, -1);
	return l->code;
}
