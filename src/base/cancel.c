/* ISC licence: see COPYING.  A cross-thread cancellation signal. */

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "base/cancel.h"
#include "base/clock.h"
#include "base/xmalloc.h"

/* Prepare an unfired signal. */
void
cancel_init(struct cancel *c)
{
	atomic_init(&c->fired, 0);
	if ((c->fd = eventfd(0, EFD_CLOEXEC|EFD_NONBLOCK)) == -1)
		fatal("eventfd");
}

/* Release the descriptor. */
void
cancel_clear(struct cancel *c)
{
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
}

/* Fire: pollers see it at once, waiters on the fd wake up. */
void
cancel_fire(struct cancel *c)
{
	uint64_t	one = 1;

	if (atomic_exchange(&c->fired, 1) == 0 &&
	    write(c->fd, &one, sizeof one) < 0 && errno != EAGAIN)
		fatal("cancel eventfd write");
}

/* Non-zero once fired. */
int
cancel_fired(const struct cancel *c)
{
	return atomic_load(&c->fired);
}

/* A descriptor that is readable while the signal is fired. */
int
cancel_fd(const struct cancel *c)
{
	return c->fd;
}

/* Unfire, draining the descriptor. */
void
cancel_reset(struct cancel *c)
{
	uint64_t	v;

	while (read(c->fd, &v, sizeof v) > 0)
		continue;
	atomic_store(&c->fired, 0);
}

/* Wait ms milliseconds or until fired; non-zero means cancelled. */
int
cancel_sleep(struct cancel *c, int64_t ms)
{
	struct pollfd	pfd;
	int64_t		deadline, left;

	deadline = clock_mono_us() / 1000 + ms;
	while (!cancel_fired(c)) {
		left = deadline - clock_mono_us() / 1000;
		if (left <= 0)
			return 0;
		pfd.fd = c->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)(left > 60000 ? 60000 : left)) < 0 &&
		    errno != EINTR)
			fatal("poll");
	}
	return 1;
}
