/*
 * session.h -- the state of one session, folded from its events.
 *
 * model_apply() is a pure reducer: given the state and the next event in
 * log order it updates the state and returns what changed (MODEL_DIRTY_*
 * flags), so the caller redraws only that.  It does no I/O and reads no
 * clock: every time in the state comes from the events themselves, so
 * the same events always give the same state.  The live console, replay
 * and reports all fold events through this one function.
 *
 * Bulky events are not parsed into trees: tool results and tool uses are
 * read with the JSON scanner (routing fields only), messages need only
 * their routing fields; the small status, usage and error events use the
 * typed view.
 *
 * The state is plain data (fixed-size strings, arrays of fixed-size
 * records), so model_state_copy() is a handful of memcpy calls: replay
 * keeps snapshots every N events to seek quickly.
 */
#ifndef PILOTHOUSE_MODEL_SESSION_H
#define PILOTHOUSE_MODEL_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "wire/api_event.h"

#define MODEL_ID_LEN		64	/* ids are at most 64 bytes (api.md) */
#define MODEL_NAME_LEN		132	/* tool names: up to 128 characters */
#define MODEL_SUMMARY_LEN	160	/* a tool input, abridged */
#define MODEL_TEXT_LEN		256	/* error and deny messages, abridged */
#define MODEL_MAX_INFLIGHT	256	/* tool uses awaiting a result */

enum model_status {
	MODEL_STATUS_UNKNOWN = 0,	/* no status event seen yet */
	MODEL_STATUS_IDLE,
	MODEL_STATUS_RUNNING,
	MODEL_STATUS_RESCHEDULING,
	MODEL_STATUS_TERMINATED
};

/* What changed in model_apply (several may be set). */
#define MODEL_DIRTY_STATUS	0x001	/* status, stop reason, attention */
#define MODEL_DIRTY_PENDING	0x002	/* pending confirmations/custom tools */
#define MODEL_DIRTY_TOOL	0x004	/* the running tool */
#define MODEL_DIRTY_USAGE	0x008	/* tokens and cost */
#define MODEL_DIRTY_COUNTS	0x010	/* counters, denies */
#define MODEL_DIRTY_ERROR	0x020	/* the last error */
#define MODEL_DIRTY_THREADS	0x040
#define MODEL_DIRTY_QUEUE	0x080	/* queued client events */
#define MODEL_DIRTY_TIME	0x100	/* first/last event time, count */

/* Why the session needs an operator (model_attention). */
#define MODEL_ATTN_APPROVAL	0x1	/* tool confirmations pending */
#define MODEL_ATTN_ACTION	0x2	/* custom tool results pending */
#define MODEL_ATTN_ERROR	0x4	/* an error ended the turn or session */

/* A held tool call (confirmation) or a custom tool use awaiting a result. */
struct model_pending {
	char		event_id[MODEL_ID_LEN];	/* answer with this id */
	char		tool[MODEL_NAME_LEN];	/* "bash", "github/create_pr" */
	char		summary[MODEL_SUMMARY_LEN];	/* input, abridged */
	char		thread_id[MODEL_ID_LEN];	/* "" for the primary */
	int64_t		since_us;		/* when it was asked */
};

/* Uses and errors of one tool. */
struct model_tool_count {
	char		name[MODEL_NAME_LEN];
	int64_t		uses;
	int64_t		errors;
};

/* A denial and the message the operator gave the model. */
struct model_deny {
	char		tool_use_id[MODEL_ID_LEN];
	char		message[MODEL_TEXT_LEN];
};

struct model_thread {
	char			id[MODEL_ID_LEN];
	char			agent_name[MODEL_NAME_LEN];
	enum model_status	status;
};

/* A client event seen queued (processed_at null), not yet processed. */
struct model_queued {
	char		event_id[MODEL_ID_LEN];
	char		type[MODEL_NAME_LEN];
	int64_t		since_us;
};

/* A tool use awaiting its result: for the result's tool name. */
struct model_inflight {
	char		event_id[MODEL_ID_LEN];
	char		tool[MODEL_NAME_LEN];
};

struct model_usage {
	int64_t		input_tokens;
	int64_t		output_tokens;
	int64_t		cache_read_tokens;
	int64_t		cache_creation_tokens;
};

struct model_session {
	enum model_status	 status;
	char			 stop_reason[32];	/* of the last idle */
	int			 interrupted;	/* it followed an interrupt */
	int			 interrupt_pending;	/* no idle since one */
	int			 error_attention;	/* MODEL_ATTN_ERROR */
	int			 deleted;	/* session.deleted seen */
	char			 model[MODEL_NAME_LEN];	/* "" if unknown */

	/* The running tool, if any ("" when none). */
	char			 tool[MODEL_NAME_LEN];
	char			 tool_use_id[MODEL_ID_LEN];
	int64_t			 tool_since_us;

	/* Usage: the sum of model requests, and session.usage snapshots,
	 * which win when present (model_usage_total). */
	struct model_usage	 spans;
	struct model_usage	 reported;
	int			 has_reported;
	double			 active_seconds;
	int64_t			 list_cost_cents;	/* -1 unless reported */

	/* Counters. */
	int64_t			 nevents;
	int64_t			 model_requests;
	int64_t			 model_request_errors;
	int64_t			 tool_uses;
	int64_t			 tool_errors;
	int64_t			 allowed;
	int64_t			 denied;
	int64_t			 interrupts;
	int64_t			 errors;
	int64_t			 retries;
	char			 error_type[MODEL_NAME_LEN];	/* last error */
	char			 error_message[MODEL_TEXT_LEN];
	char			 retry_status[16];

	int64_t			 first_us;	/* processed times seen */
	int64_t			 last_us;

	/* Arrays: n used, size allocated. */
	struct model_pending	*confirm;
	size_t			 nconfirm, sconfirm;
	struct model_pending	*custom;
	size_t			 ncustom, scustom;
	struct model_tool_count	*tools;
	size_t			 ntools, stools;
	struct model_deny	*denies;
	size_t			 ndenies, sdenies;
	struct model_thread	*threads;
	size_t			 nthreads, sthreads;
	struct model_queued	*queued;
	size_t			 nqueued, squeued;
	struct model_inflight	*inflight;
	size_t			 ninflight, sinflight;
};

/* An empty state; model_state_clear frees its arrays. */
void	 model_state_init(struct model_session *);
void	 model_state_clear(struct model_session *);
/* A deep copy for a replay snapshot.  Caller frees with model_state_free. */
struct model_session *model_state_copy(const struct model_session *);
void	 model_state_free(struct model_session *);
/* Set the model id ("claude-opus-4-8"), for the cost estimate. */
void	 model_state_set_model(struct model_session *, const char *);

/*
 * Fold the next event in; returns MODEL_DIRTY_* flags (0: nothing the
 * state shows changed).  ev is not kept; its tree may be built.  Events
 * the state cannot use (malformed ones included) only count.
 */
int	 model_apply(struct model_session *, struct api_event *);
/*
 * Non-zero when model_apply reads more of an event of this type than its
 * type, id and time, and for a result its tool_use_id and is_error
 * (api_event_head is enough otherwise): a reader of the cache skips the
 * bodies of the others.  Other client events always need it.
 */
int	 model_needs_body(enum api_event_type);

/* MODEL_ATTN_* flags for the state. */
int	 model_attention(const struct model_session *);
/* The usage to show: the last session.usage snapshot if there was one,
 * else the sum over model requests. */
void	 model_usage_total(const struct model_session *, struct model_usage *);
/* Cost in micro-dollars: the reported list_cost if any, else an estimate
 * from the pricing table; -1 when the model is unknown and nothing was
 * reported. */
int64_t	 model_cost_microusd(const struct model_session *);
const char *model_status_name(enum model_status);

#endif
