/*
 * cancel.h -- a one-shot cancellation signal that crosses threads.
 *
 * The agent loop fires it on user.interrupt; whoever is doing the slow
 * work (a tool's child process, a model request, a scripted delay)
 * either polls cancel_fired() or waits on cancel_fd() becoming readable
 * alongside its own descriptors, so cancellation takes effect at once
 * rather than at the next timeout.  Embedded in its owner (_init/_clear).
 */
#ifndef PILOTHOUSE_CANCEL_H
#define PILOTHOUSE_CANCEL_H

#include <stdatomic.h>
#include <stdint.h>

struct cancel {
	atomic_int	fired;
	int		fd;		/* eventfd: readable once fired */
};

void	 cancel_init(struct cancel *);
void	 cancel_clear(struct cancel *);
/* Thread safe and idempotent. */
void	 cancel_fire(struct cancel *);
int	 cancel_fired(const struct cancel *);
int	 cancel_fd(const struct cancel *);
/* Re-arm after a fired cancel was handled. */
void	 cancel_reset(struct cancel *);
/* Sleep up to ms milliseconds; returns non-zero if cancelled. */
int	 cancel_sleep(struct cancel *, int64_t);

#endif
