/* ISC licence: see COPYING.  The harness's timer thread. */

#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "base/clock.h"
#include "base/xmalloc.h"
#include "harness/htimer.h"

struct htimer_entry {
	int64_t			 deadline;	/* mono us */
	htimer_fn		 fn;
	htimer_fn		 drop;
	void			*arg;
	struct htimer_entry	*next;		/* sorted by deadline */
};

struct htimer {
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	pthread_t		 thread;
	struct htimer_entry	*head;
	int			 stopping;
};

/* The thread: sleep until the earliest deadline, run what is due. */
static void *
htimer_main(void *arg)
{
	struct htimer		*ht = arg;
	struct htimer_entry	*e;
	struct timespec		 ts;
	int64_t			 now, wait;

	pthread_setname_np(pthread_self(), "ph-timer");
	pthread_mutex_lock(&ht->lock);
	while (!ht->stopping) {
		now = clock_mono_us();
		if ((e = ht->head) != NULL && e->deadline <= now) {
			ht->head = e->next;
			pthread_mutex_unlock(&ht->lock);
			e->fn(e->arg);
			free(e);
			pthread_mutex_lock(&ht->lock);
			continue;
		}
		if (e == NULL) {
			pthread_cond_wait(&ht->cond, &ht->lock);
			continue;
		}
		wait = e->deadline - now;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += wait / 1000000;
		ts.tv_nsec += (wait % 1000000) * 1000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&ht->cond, &ht->lock, &ts);
	}
	pthread_mutex_unlock(&ht->lock);
	return NULL;
}

/* Start the timer thread. */
struct htimer *
htimer_create(void)
{
	struct htimer		*ht;
	pthread_condattr_t	 ca;

	ht = xcalloc(1, sizeof *ht);
	pthread_mutex_init(&ht->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&ht->cond, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&ht->thread, NULL, htimer_main, ht) != 0)
		fatal("pthread_create");
	return ht;
}

/* Stop the thread and drop what is pending. */
void
htimer_free(struct htimer *ht)
{
	struct htimer_entry	*e;

	if (ht == NULL)
		return;
	pthread_mutex_lock(&ht->lock);
	ht->stopping = 1;
	pthread_cond_signal(&ht->cond);
	pthread_mutex_unlock(&ht->lock);
	pthread_join(ht->thread, NULL);
	while ((e = ht->head) != NULL) {
		ht->head = e->next;
		if (e->drop != NULL)
			e->drop(e->arg);
		free(e);
	}
	pthread_cond_destroy(&ht->cond);
	pthread_mutex_destroy(&ht->lock);
	free(ht);
}

/* Insert in deadline order. */
void
htimer_add(struct htimer *ht, int64_t ms, htimer_fn fn, htimer_fn drop,
    void *arg)
{
	struct htimer_entry	*e, **pp;

	e = xcalloc(1, sizeof *e);
	e->deadline = clock_mono_us() + (ms > 0 ? ms : 0) * 1000;
	e->fn = fn;
	e->drop = drop;
	e->arg = arg;
	pthread_mutex_lock(&ht->lock);
	if (ht->stopping) {
		pthread_mutex_unlock(&ht->lock);
		if (drop != NULL)
			drop(arg);
		free(e);
		return;
	}
	for (pp = &ht->head; *pp != NULL && (*pp)->deadline <= e->deadline;
	    pp = &(*pp)->next)
		continue;
	e->next = *pp;
	*pp = e;
	pthread_cond_signal(&ht->cond);
	pthread_mutex_unlock(&ht->lock);
}
