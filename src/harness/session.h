/*
 * session.h -- one session in memory: its state, derived from its event
 * log, and the one way events enter the log.
 *
 * session_emit() appends an event: it gives it an id, a seq and a
 * processed_at, writes it to harness.db (with the session row when that
 * changed, in one transaction), folds it into the in-memory state
 * (session_apply, the reducer) and publishes it on the session's hub.
 * Between session_begin() and session_commit() appends are collected and
 * written (then published) in one transaction.  A client event that waits
 * for the runner (SESSION_QUEUED) is kept pending instead, outside the
 * log, and echoed on the stream with processed_at null; session_process()
 * later appends it to the log, so the log is in processed_at order.  On
 * a restart every stored event is folded in again through the same
 * reducer, so what the runner sees after a crash is exactly what it saw
 * before.
 *
 * Locking: s->lock guards everything here and is held across
 * session_emit(); the store and the hub have their own locks, taken
 * inside it.  The runner (agent_loop.h) drops the lock for the slow parts
 * (brain calls, tool runs).  Sessions are reference counted: the
 * harness's table holds one reference, each runner job another.
 *
 * For the harness's own modules only (harness.c, agent_loop.c, turn.c,
 * conversation.c); front ends use harness.h.
 */
#ifndef PILOTHOUSE_SESSION_H
#define PILOTHOUSE_SESSION_H

#include <pthread.h>
#include <stdint.h>

#include <jansson.h>

#include "base/cancel.h"
#include "base/compiler.h"
#include "base/rand.h"
#include "harness/policy.h"

struct harness;
struct hub;
struct session_out;
struct toolbox;

enum session_status {
	SESSION_IDLE,
	SESSION_RUNNING,
	SESSION_RESCHEDULING,
	SESSION_TERMINATED
};

/* Where the current turn is (derived from the log). */
enum session_phase {
	SESSION_PHASE_NONE,	/* no turn */
	SESSION_PHASE_MODEL,	/* a model request is due */
	SESSION_PHASE_IN_MODEL,	/* a model request started, not ended */
	SESSION_PHASE_TOOLS,	/* the response's calls are being settled */
	SESSION_PHASE_FINISH	/* the response ended the turn */
};

enum session_confirm {
	SESSION_CONFIRM_NONE,
	SESSION_CONFIRM_ALLOW,
	SESSION_CONFIRM_DENY
};

/* One tool call of the current response. */
struct session_call {
	char			 id[RAND_ID_LEN];	/* its event id */
	char			*tool_id;	/* the provider's id */
	char			*name;
	int			 custom;	/* agent.custom_tool_use */
	enum policy_verdict	 verdict;	/* evaluated_permission */
	int			 refused;	/* denied before any policy */
	int			 invalid_input;	/* the JSON did not parse */
	char			*invalid_reason;
	enum session_confirm	 confirm;	/* processed confirmation */
	/* Logged, not processed yet. */
	enum session_confirm	 confirm_queued;
	char			*deny_message;
	int			 done;		/* a result is in the log */
	int			 stale;		/* in flight at a restart */
	json_t			*input;
	json_t			*hints;		/* scripted autopilot hints */
};

struct session {
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;		/* hands ready, interrupt */
	int			 refs;
	struct harness		*h;
	char			 id[RAND_ID_LEN];
	json_t			*obj;		/* the public session object */
	int64_t			 created_us;
	int64_t			 seq;		/* the last event's seq */
	int			 deleted;
	int			 loading;	/* replaying the log */

	/* environment */
	int			 self_hosted;
	json_t			*networking;
	char			*scenario;	/* pilothouse.scenario */

	/* state (the reducer's) */
	enum session_status	 status;
	int			 requires_action;	/* idle, waiting */
	enum session_phase	 phase;
	char			 span_start[RAND_ID_LEN];
	json_t			*queued;	/* queued user.message, as
						   [{"seq": n, "event": {}}] */
	json_t			*queued_confirms;	/* the same */
	struct session_call	*calls;
	size_t			 ncalls;
	char			*stop;		/* the last stop reason */
	json_t			*stop_details;
	int			 rounds;	/* tool rounds this turn */
	int			 interrupt;	/* pending user.interrupt */
	int			 mcp_reported;	/* this turn */

	/* runner */
	int			 scheduled;	/* a runner job is queued */
	int			 attempt;	/* retries of this request */
	int64_t			 last_input;	/* tokens last request read */
	int			 compactions;	/* in a row (compact.h) */
	int			 compact_now;	/* the window was exceeded */
	struct cancel		 cancel;	/* fired by user.interrupt */
	int64_t			 running_since;	/* mono us; 0: not running */
	double			 active_seconds;

	/* hands */
	struct toolbox		*toolbox;
	int			 provisioning;
	char			*provision_error;

	struct hub		*hub;

	/* the batch being emitted (session_begin/session_commit) */
	int			 batching;
	struct session_out	*batch;
	size_t			 nbatch;
	char			*row_body;	/* the session row to write */
};

/* Emit flags. */
#define SESSION_QUEUED		0x1	/* processed_at null (client events) */
#define SESSION_KEEP_ID		0x2	/* id_out holds a preset id */

/*
 * Append one event of type with the given fields (an object without
 * type/id/processed_at; stolen) and private data (stolen; may be NULL).
 * id_out (RAND_ID_LEN, may be NULL) receives the id and *out (may be
 * NULL) a new reference to the public event.  Lock held.  -1 when the
 * store failed: the session is then terminated in memory.
 */
int	 session_emit(struct session *, const char *, json_t *, json_t *, int,
	    char *, json_t **);
/* Collect the next appends into one transaction; session_commit writes
 * and publishes them (-1 when the store failed).  Lock held. */
void	 session_begin(struct session *);
int	 session_commit(struct session *);
/* Append a queued client event to the log, processed now (with private
 * data, stolen, may be NULL): the processed echo.  Lock held. */
int	 session_process(struct session *, const char *, json_t *);
/* Fold one event (its public JSON and private data) into the state, live
 * and on reload.  Lock held. */
void	 session_apply(struct session *, json_t *, json_t *, int64_t);
/* The call with this event id, or NULL. */
struct session_call *session_call_find(struct session *, const char *);
/* Does a call still wait for the client (confirmation or result)? */
int	 session_call_pending(struct session *, const struct session_call *);
/* The status as the API names it. */
const char *session_status_name(enum session_status);

struct session	*session_create(struct harness *, const char *);
void		 session_ref(struct session *);
void		 session_unref(struct session *);

/* Harness services the session modules use (harness.c). */
struct hstore		*harness_store(struct harness *);
struct workpool		*harness_pool(struct harness *);
const struct brain_env	*harness_brain_env(struct harness *);
const char		*harness_data_dir(struct harness *);
struct htimer		*harness_timer(struct harness *);
int			 harness_unsafe(struct harness *);
int			 harness_stopping(struct harness *);
/* A strictly increasing wall clock in us (ordering by processed_at). */
int64_t			 harness_now_us(struct harness *);
void			 harness_notify(struct harness *, const char *,
			    const char *, json_t *);

#endif
