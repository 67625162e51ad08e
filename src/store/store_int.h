/*
 * store_int.h -- what the store's files share: the queue item, the
 * store itself, and the writer-side and reader-side entry points of each
 * table's file.  Not for use outside src/store.
 */
#ifndef PILOTHOUSE_STORE_INT_H
#define PILOTHOUSE_STORE_INT_H

#include <pthread.h>
#include <stdint.h>

#include "store/db.h"
#include "store/store.h"

enum store_op {
	STORE_OP_EVENT,
	STORE_OP_SESSION,
	STORE_OP_AGENT,
	STORE_OP_SYNC_FULL,
	STORE_OP_AUDIT,
	STORE_OP_DECODE_ERROR
};

#define STORE_ITEM_SLOTS	12

/*
 * One queued write, in one allocation with its strings.  The meaning of
 * the string slots depends on op (see each *_put).
 */
struct store_item {
	enum store_op		 op;
	uint64_t		 ticket;
	struct store_item	*next;		/* queue order */
	size_t			 size;		/* bytes, for the queue bound */
	int64_t			 i1;	/* processed_us, version or time */
	int64_t			 i2;
	const char		*s[STORE_ITEM_SLOTS];	/* NULL when absent */
	size_t			 len[STORE_ITEM_SLOTS];
};

/* Slots of an event item. */
#define SI_SESSION	0
#define SI_EVENT_ID	1
#define SI_TYPE		2
#define SI_PROCESSED	3	/* processed_at text */
#define SI_RAW		4
#define SI_CLIENT	5	/* non-NULL for client event types */
#define SI_TOOL_USE_ID	6	/* results: the use answered (i2: is_error) */

/* The writer's per-session state for the open transaction. */
struct store_wsess {
	char		*id;
	int64_t		 key;		/* sessions.key */
	/* Newest processed time in this transaction, and its ids. */
	int64_t		 last_us;
	char		*last_at;
	char		**ids;
	size_t		 nids;
	int64_t		 added;		/* events added in it */
	int		 touched;	/* on the touched list */
};

/* Prepared statements of the writer connection. */
enum store_wst {
	WST_SESSION_KEY,
	WST_SESSION_NEW,
	WST_EVENT_INSERT,
	WST_RAW_INSERT,
	WST_EVENT_QUEUED,
	WST_EVENT_DELETE,
	WST_SESSION_COUNT,
	WST_SYNC_GET,
	WST_SYNC_PUT,
	WST_SYNC_FULL,
	WST_SESSION_PUT,
	WST_AGENT_PUT,
	WST_AUDIT_PUT,
	WST_DECODE_PUT,
	WST__COUNT
};

struct store {
	char			*path;
	int			 flags;
	struct db		*rd;		/* the caller's connection */

	/* The queue (lock protects everything down to the writer part). */
	pthread_mutex_t		 lock;
	pthread_cond_t		 more;		/* items or a request came */
	pthread_cond_t		 room;		/* the queue has room */
	pthread_cond_t		 done;		/* a commit happened */
	struct store_item	*head;
	struct store_item	*tail;
	size_t			 nitems;
	size_t			 nbytes;
	uint64_t		 next_ticket;	/* last ticket handed out */
	uint64_t		 committed;	/* last ticket handled */
	char			*error;		/* last failure, for flush */
	size_t			 wake_at;	/* wake the writer at this many
						   queued items (0: never) */
	int			 flushing;	/* waiters want a commit now */
	int			 stopping;
	size_t			 batch;		/* items per transaction */
	int64_t			 batch_ms;

	struct loop		*ack_loop;
	store_ack_cb		 ack_cb;
	void			*ack_arg;

	/* The writer thread and what only it touches. */
	pthread_t		 thread;
	int			 running;
	struct db		*wr;
	sqlite3_stmt		*wst[WST__COUNT];
	struct store_wsess	**sess;		/* hash table by id */
	size_t			 nsess;
	size_t			 sesssize;
	struct store_wsess	**touched;	/* sessions written to */
	size_t			 ntouched;
};

/* store.c */
int	 store_fit_cache(struct store *, char **) AD_WARN_UNUSED;
int	 store_wstmt(struct store *, enum store_wst, sqlite3_stmt **, char **)
	    AD_WARN_UNUSED;
struct store_item *store_item_new(enum store_op, const char **,
	    const size_t *, size_t);
uint64_t store_enqueue(struct store *, struct store_item *);

/* store_event.c: the writer side */
int	 store_event_apply(struct store *, struct store_item *, char **)
	    AD_WARN_UNUSED;
int	 store_event_finish(struct store *, char **) AD_WARN_UNUSED;
void	 store_event_reset(struct store *);
struct store_wsess *store_wsess_get(struct store *, const char *, char **);
void	 store_wsess_free_all(struct store *);

/* store_session.c: the writer side */
int	 store_session_apply(struct store *, struct store_item *, char **)
	    AD_WARN_UNUSED;
int	 store_agent_apply(struct store *, struct store_item *, char **)
	    AD_WARN_UNUSED;
int	 store_sync_full_apply(struct store *, struct store_item *, char **)
	    AD_WARN_UNUSED;

/* store_log.c: the writer side */
int	 store_audit_apply(struct store *, struct store_item *, char **)
	    AD_WARN_UNUSED;
int	 store_decode_error_apply(struct store *, struct store_item *,
	    char **) AD_WARN_UNUSED;

/* The schema's migrations (store_schema.c). */
extern const char *const store_migrations[];
extern const size_t	 store_nmigrations;
/*
 * The oldest schema a read-only open accepts (a reader cannot migrate),
 * and the version that added the result columns, which readers of older
 * files select as NULL (then read the bodies).
 */
#define STORE_VERSION_READ_MIN		2
#define STORE_VERSION_RESULT_COLUMNS	3

#endif
