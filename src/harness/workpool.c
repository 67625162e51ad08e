/* ISC licence: see COPYING.  Long-lived worker threads. */

#include "config.h"

#include <pthread.h>
#include <stdlib.h>

#include "base/xmalloc.h"
#include "harness/workpool.h"

struct workpool_job {
	workpool_fn		 fn;
	void			*arg;
	struct workpool_job	*next;
};

struct workpool {
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	struct workpool_job	*head, *tail;
	pthread_t		*threads;
	size_t			 nthreads;
	size_t			 idle;
	int			 stopping;
};

/* A worker: take jobs until the pool stops. */
static void *
workpool_main(void *arg)
{
	struct workpool		*wp = arg;
	struct workpool_job	*job;

	/* Named for top -H and the benchmarks (bench/brain.sh). */
	pthread_setname_np(pthread_self(), "ph-worker");
	pthread_mutex_lock(&wp->lock);
	for (;;) {
		while (wp->head == NULL && !wp->stopping) {
			wp->idle++;
			pthread_cond_wait(&wp->cond, &wp->lock);
			wp->idle--;
		}
		if (wp->head == NULL)
			break;		/* stopping, and nothing left */
		job = wp->head;
		if ((wp->head = job->next) == NULL)
			wp->tail = NULL;
		pthread_mutex_unlock(&wp->lock);
		job->fn(job->arg);
		free(job);
		pthread_mutex_lock(&wp->lock);
	}
	pthread_mutex_unlock(&wp->lock);
	return NULL;
}

/* An empty pool; workers start with the first jobs. */
struct workpool *
workpool_create(void)
{
	struct workpool	*wp;

	wp = xcalloc(1, sizeof *wp);
	pthread_mutex_init(&wp->lock, NULL);
	pthread_cond_init(&wp->cond, NULL);
	return wp;
}

/* Queue a job, starting a worker if none is idle. */
void
workpool_submit(struct workpool *wp, workpool_fn fn, void *arg)
{
	struct workpool_job	*job;
	pthread_t		 t;

	job = xcalloc(1, sizeof *job);
	job->fn = fn;
	job->arg = arg;
	pthread_mutex_lock(&wp->lock);
	if (wp->tail != NULL)
		wp->tail->next = job;
	else
		wp->head = job;
	wp->tail = job;
	if (wp->idle == 0) {
		if (pthread_create(&t, NULL, workpool_main, wp) != 0)
			fatal("pthread_create");
		wp->threads = xreallocarray(wp->threads, wp->nthreads + 1,
		    sizeof *wp->threads);
		wp->threads[wp->nthreads++] = t;
	} else
		pthread_cond_signal(&wp->cond);
	pthread_mutex_unlock(&wp->lock);
}

/* Number of workers. */
size_t
workpool_size(struct workpool *wp)
{
	size_t	n;

	pthread_mutex_lock(&wp->lock);
	n = wp->nthreads;
	pthread_mutex_unlock(&wp->lock);
	return n;
}

/* Stop: running and queued jobs finish (callers make them quick). */
void
workpool_free(struct workpool *wp)
{
	if (wp == NULL)
		return;
	pthread_mutex_lock(&wp->lock);
	wp->stopping = 1;
	pthread_cond_broadcast(&wp->cond);
	pthread_mutex_unlock(&wp->lock);
	for (size_t i = 0; i < wp->nthreads; i++)
		pthread_join(wp->threads[i], NULL);
	free(wp->threads);
	pthread_cond_destroy(&wp->cond);
	pthread_mutex_destroy(&wp->lock);
	free(wp);
}
