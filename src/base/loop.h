/*
 * loop.h -- the one event loop: descriptors (epoll), timers (a binary
 * heap), signals (a self-pipe) and work posted from other threads.
 *
 * Everything except loop_post() and loop_wake() must be called from the
 * loop's own thread.  Callbacks may add or remove any watcher or timer,
 * including their own: removed descriptor watchers are freed after the
 * current batch of readiness events, so a pending event for a removed
 * watcher is never delivered.  Times are monotonic milliseconds.
 */
#ifndef PILOTHOUSE_LOOP_H
#define PILOTHOUSE_LOOP_H

#include <stdint.h>

#include "base/compiler.h"

struct loop;
struct loop_io;
struct loop_timer;

#define LOOP_READ	0x1
#define LOOP_WRITE	0x2
/* Hang-up or error: always reported, never requested. */
#define LOOP_ERROR	0x4

typedef void	(*loop_io_cb)(struct loop_io *, int, int, void *);
typedef void	(*loop_timer_cb)(struct loop_timer *, void *);
typedef void	(*loop_signal_cb)(int, void *);
typedef void	(*loop_post_cb)(void *);

struct loop	*loop_create(void);
void		 loop_free(struct loop *);
/* Run until loop_exit(); returns the code given to it. */
int		 loop_run(struct loop *);
/* Wait at most timeout_ms (-1: forever) and dispatch once. */
void		 loop_once(struct loop *, int);
void		 loop_exit(struct loop *, int);
/* Monotonic milliseconds, refreshed at each wake-up. */
int64_t		 loop_now(struct loop *);

/* Watch fd for LOOP_READ and/or LOOP_WRITE. */
struct loop_io	*loop_io_add(struct loop *, int, int, loop_io_cb, void *);
void		 loop_io_set(struct loop_io *, int);
void		 loop_io_remove(struct loop_io *);

/* A timer, created disarmed; arm it with a delay from now. */
struct loop_timer *loop_timer_create(struct loop *, loop_timer_cb, void *);
void		 loop_timer_arm(struct loop_timer *, int64_t);
void		 loop_timer_disarm(struct loop_timer *);
int		 loop_timer_armed(const struct loop_timer *);
void		 loop_timer_free(struct loop_timer *);

/* Deliver signo to cb on the loop thread (one loop per process). */
int		 loop_signal(struct loop *, int, loop_signal_cb, void *)
		    AD_WARN_UNUSED;
/* Thread safe: run cb(arg) on the loop thread soon. */
void		 loop_post(struct loop *, loop_post_cb, void *);

#endif
