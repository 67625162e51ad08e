/* ISC licence: see COPYING.  Stream fan-out: shared frames, cursors. */

#include "config.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "harness/hub.h"

static const char hub_ping_frame[] =
    "event: ping\ndata: {\"type\":\"ping\"}\n\n";

struct hub_frame {
	struct hub_frame	*next;
	int64_t			 seq;		/* -1 for previews */
	int			 preview;	/* HUB_PREVIEW_*, or 0 */
	int			 update;	/* queued echo (not logged) */
	size_t			 readers;	/* subscribers at this frame */
	size_t			 len;
	char			 data[];
};

struct hub_sub {
	struct hub		*hub;
	struct hub_sub		*prev, *next;
	struct hub_frame	*cur;		/* next frame to send, or NULL
						   when caught up */
	size_t			 off;		/* bytes of cur already sent */
	int			 previews;	/* HUB_PREVIEW_* wanted */
	int			 suspended;
	struct hub_sub		*wake_next;	/* on the hub's wake list */
	int			 cut;
	int			 ping_due;
	size_t			 ping_off;	/* bytes of the ping sent */
	int			 pinging;
	char			*backlog;	/* replayed history */
	size_t			 backlog_len;
	size_t			 backlog_off;
	int64_t			 replay_seq;	/* skip live frames <= this */
	hub_wake_cb		 suspend;
	hub_wake_cb		 wake;
	void			*arg;
};

struct hub {
	pthread_mutex_t		 lock;
	int			 refs;		/* owner + subscribers */
	struct hub_frame	*head;		/* oldest retained */
	struct hub_frame	*tail;
	size_t			 bytes;		/* retained */
	size_t			 max_bytes;
	struct hub_sub		*subs;
	size_t			 nsubs;
	int			 closed;
	struct hub_sub		*wakes;		/* to wake once unlocked */
	unsigned int		 waking;	/* threads calling wake */
	pthread_cond_t		 woken;		/* waking dropped to 0 */
};

/* A hub with its owner's reference. */
struct hub *
hub_create(size_t max_bytes)
{
	struct hub	*h;

	h = xcalloc(1, sizeof *h);
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->woken, NULL);
	h->refs = 1;
	h->max_bytes = max_bytes;
	return h;
}

/* Drop a reference (lock held); returns non-zero if the hub must go. */
static int
hub_unref_locked(struct hub *h)
{
	return --h->refs == 0;
}

/* Free the hub itself (no references left). */
static void
hub_destroy(struct hub *h)
{
	struct hub_frame	*f, *next;

	for (f = h->head; f != NULL; f = next) {
		next = f->next;
		free(f);
	}
	pthread_mutex_unlock(&h->lock);
	pthread_mutex_destroy(&h->lock);
	pthread_cond_destroy(&h->woken);
	free(h);
}

/*
 * Mark a parked subscriber for waking (lock held); hub_unlock calls its
 * wake function once the lock is released.
 */
static void
hub_wake(struct hub_sub *s)
{
	struct hub	*h = s->hub;

	if (s->suspended) {
		s->suspended = 0;
		s->wake_next = h->wakes;
		h->wakes = s;
	}
}

/*
 * Release the lock, then wake the subscribers marked while it was held.
 *
 * The wake function resumes an HTTP connection, which makes a server
 * thread runnable that at once asks for this lock (hub_sub_read).  Called
 * under the lock, the waker is often preempted by that thread on the
 * same CPU before it can unlock: the reader then sleeps on the lock, and
 * the frame waits for the waker to be scheduled again, behind whatever
 * else is runnable (a millisecond or more on a busy machine).  So the
 * wakes happen after the unlock.  A marked subscriber cannot go away
 * meanwhile: its connection stays suspended until this wake resumes it,
 * and hub_close waits for wakes in flight, so a server shutting down
 * after it finds no resume still to come.  Each entry is read before its
 * wake, as a resumed subscriber may park (and be marked) again at once.
 */
static void
hub_unlock(struct hub *h)
{
	struct hub_sub	*s, *next;
	hub_wake_cb	 wake;
	void		*arg;

	if ((s = h->wakes) == NULL) {
		pthread_mutex_unlock(&h->lock);
		return;
	}
	h->wakes = NULL;
	h->waking++;
	pthread_mutex_unlock(&h->lock);
	for (; s != NULL; s = next) {
		next = s->wake_next;
		wake = s->wake;
		arg = s->arg;
		wake(arg);
	}
	pthread_mutex_lock(&h->lock);
	if (--h->waking == 0)
		pthread_cond_broadcast(&h->woken);
	pthread_mutex_unlock(&h->lock);
}

/* Point s at frame f (or NULL: caught up), keeping the reader counts. */
static void
hub_move(struct hub_sub *s, struct hub_frame *f)
{
	if (s->cur != NULL)
		s->cur->readers--;
	s->cur = f;
	if (f != NULL)
		f->readers++;
}

/*
 * Free frames nobody still has to send (the head, while no cursor is on
 * it); when over budget, cut the subscribers holding the head instead of
 * keeping it.
 */
static void
hub_trim(struct hub *h)
{
	struct hub_frame	*f;
	struct hub_sub		*s;

	while ((f = h->head) != NULL) {
		if (f->readers > 0 && h->bytes <= h->max_bytes)
			break;
		if (f->readers > 0) {
			for (s = h->subs; s != NULL; s = s->next)
				if (s->cur == f) {
					s->cut = 1;
					hub_move(s, NULL);
					hub_wake(s);
				}
		}
		h->head = f->next;
		if (h->head == NULL)
			h->tail = NULL;
		h->bytes -= f->len;
		free(f);
	}
}

/* Publish one frame to every subscriber. */
void
hub_publish(struct hub *h, int64_t seq, const char *type, const char *json,
    size_t len, int preview, int update, int final)
{
	struct hub_frame	*f;
	struct hub_sub		*s;
	char			 head[128];
	int			 n;

	if (seq >= 0)
		n = snprintf(head, sizeof head, "id: %" PRId64 "\nevent: %s\n"
		    "data: ", seq, type);
	else
		n = snprintf(head, sizeof head, "event: %s\ndata: ", type);
	if (n < 0 || (size_t)n >= sizeof head)
		fatalx("event type too long");
	pthread_mutex_lock(&h->lock);
	if (h->closed || h->nsubs == 0) {
		if (final)
			h->closed = 1;
		pthread_mutex_unlock(&h->lock);
		return;
	}
	f = xmalloc(sizeof *f + (size_t)n + len + 2);
	f->next = NULL;
	f->readers = 0;
	f->seq = seq;
	f->preview = preview;
	f->update = update;
	f->len = (size_t)n + len + 2;
	memcpy(f->data, head, (size_t)n);
	memcpy(f->data + n, json, len);
	memcpy(f->data + n + len, "\n\n", 2);
	if (h->tail != NULL)
		h->tail->next = f;
	else
		h->head = f;
	h->tail = f;
	h->bytes += f->len;
	for (s = h->subs; s != NULL; s = s->next) {
		if (s->cut)
			continue;
		if (s->cur == NULL)
			hub_move(s, f);
		hub_wake(s);
	}
	if (final)
		h->closed = 1;
	hub_trim(h);
	hub_unlock(h);
}

/* Heartbeat: every subscriber sends a ping when it is caught up. */
void
hub_ping(struct hub *h)
{
	struct hub_sub	*s;

	pthread_mutex_lock(&h->lock);
	for (s = h->subs; s != NULL; s = s->next) {
		s->ping_due = 1;
		hub_wake(s);
	}
	hub_unlock(h);
}

/*
 * No more frames: streams end once drained.  Returns only when no other
 * thread is still calling a wake function, so the server may then close
 * its connections.
 */
void
hub_close(struct hub *h)
{
	struct hub_sub	*s;

	pthread_mutex_lock(&h->lock);
	h->closed = 1;
	for (s = h->subs; s != NULL; s = s->next)
		hub_wake(s);
	hub_unlock(h);
	pthread_mutex_lock(&h->lock);
	while (h->waking != 0)
		pthread_cond_wait(&h->woken, &h->lock);
	pthread_mutex_unlock(&h->lock);
}

/* Close and drop the owner's reference. */
void
hub_free(struct hub *h)
{
	if (h == NULL)
		return;
	hub_close(h);
	pthread_mutex_lock(&h->lock);
	if (hub_unref_locked(h))
		hub_destroy(h);
	else
		pthread_mutex_unlock(&h->lock);
}

/* Current number of subscribers. */
size_t
hub_nsubs(struct hub *h)
{
	size_t	n;

	pthread_mutex_lock(&h->lock);
	n = h->nsubs;
	pthread_mutex_unlock(&h->lock);
	return n;
}

/* Join at the live end. */
struct hub_sub *
hub_subscribe(struct hub *h, int previews, hub_wake_cb suspend,
    hub_wake_cb wake, void *arg)
{
	struct hub_sub	*s;

	s = xcalloc(1, sizeof *s);
	s->hub = h;
	s->previews = previews;
	s->suspend = suspend;
	s->wake = wake;
	s->arg = arg;
	s->replay_seq = -1;
	pthread_mutex_lock(&h->lock);
	h->refs++;
	s->next = h->subs;
	if (h->subs != NULL)
		h->subs->prev = s;
	h->subs = s;
	h->nsubs++;
	pthread_mutex_unlock(&h->lock);
	return s;
}

/* Set the replayed history to send first. */
void
hub_sub_backlog(struct hub_sub *s, char *data, size_t len, int64_t seq)
{
	pthread_mutex_lock(&s->hub->lock);
	free(s->backlog);
	s->backlog = data;
	s->backlog_len = len;
	s->backlog_off = 0;
	s->replay_seq = seq;
	pthread_mutex_unlock(&s->hub->lock);
}

/* Does s send frame f? */
static int
hub_wants(const struct hub_sub *s, const struct hub_frame *f)
{
	if (f->preview != 0)
		return (s->previews & f->preview) != 0;
	return f->seq > s->replay_seq || f->update;
}

/* Copy what is ready; park when there is nothing. */
ssize_t
hub_sub_read(struct hub_sub *s, char *buf, size_t max)
{
	struct hub	*h = s->hub;
	size_t		 n = 0, k;

	pthread_mutex_lock(&h->lock);
	if (s->cut) {
		pthread_mutex_unlock(&h->lock);
		return HUB_READ_CUT;
	}
	while (n < max && s->backlog_off < s->backlog_len) {
		k = AD_MIN(max - n, s->backlog_len - s->backlog_off);
		memcpy(buf + n, s->backlog + s->backlog_off, k);
		n += k;
		s->backlog_off += k;
	}
	if (s->backlog != NULL && s->backlog_off == s->backlog_len) {
		free(s->backlog);
		s->backlog = NULL;
		s->backlog_len = s->backlog_off = 0;
	}
	while (n < max && s->cur != NULL) {
		struct hub_frame	*f = s->cur;

		if (s->off == 0 && !hub_wants(s, f)) {
			hub_move(s, f->next);
			continue;
		}
		k = AD_MIN(max - n, f->len - s->off);
		memcpy(buf + n, f->data + s->off, k);
		n += k;
		s->off += k;
		if (s->off == f->len) {
			s->off = 0;
			hub_move(s, f->next);
		}
	}
	if (n > 0)
		s->ping_due = 0;
	/* A heartbeat goes out only when nothing else is waiting. */
	if ((s->ping_due || s->pinging) && s->cur == NULL && n < max &&
	    s->backlog == NULL) {
		s->pinging = 1;
		s->ping_due = 0;
		k = AD_MIN(max - n, sizeof hub_ping_frame - 1 - s->ping_off);
		memcpy(buf + n, hub_ping_frame + s->ping_off, k);
		n += k;
		s->ping_off += k;
		if (s->ping_off == sizeof hub_ping_frame - 1) {
			s->ping_off = 0;
			s->pinging = 0;
		}
	}
	hub_trim(h);
	if (n == 0) {
		if (h->closed && s->cur == NULL) {
			hub_unlock(h);
			return HUB_READ_END;
		}
		s->suspended = 1;
		s->suspend(s->arg);
	}
	hub_unlock(h);
	return (ssize_t)n;
}

/* Leave the hub; the last reference frees it. */
void
hub_unsubscribe(struct hub_sub *s)
{
	struct hub	*h;

	if (s == NULL)
		return;
	h = s->hub;
	pthread_mutex_lock(&h->lock);
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		h->subs = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	h->nsubs--;
	hub_move(s, NULL);
	free(s->backlog);
	free(s);
	hub_trim(h);
	if (hub_unref_locked(h))
		hub_destroy(h);	/* no subscriber left to wake */
	else
		hub_unlock(h);
}
