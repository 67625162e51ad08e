/*
 * api_event.h -- Managed Agents session events: the type table and one
 * event as received.
 *
 * An event keeps its JSON exactly as it arrived (raw) and, pulled out by a
 * cheap scan of the top-level object without building a tree, the fields
 * everything routes on: type, id and processed_at, and for a tool result
 * the use it answers and is_error (so the cache can keep them as columns
 * and a reader fold results without their bodies).  The full jansson tree
 * is built only on demand (api_event_json), because a full parse costs
 * ~18 us per event and most events are only stored, never looked at.
 * api_event_view() then gives typed access to the fields the reducer and
 * the console need, borrowed from that tree.
 *
 * Unknown types are kept (API_EV_UNKNOWN with the name as received) and
 * shown generically; they are never dropped.
 */
#ifndef PILOTHOUSE_API_EVENT_H
#define PILOTHOUSE_API_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/compiler.h"

/* Every type of api.md section 6.1, in catalogue order. */
enum api_event_type {
	API_EV_UNKNOWN = 0,
	/* client to server */
	API_EV_USER_MESSAGE,
	API_EV_USER_INTERRUPT,
	API_EV_USER_TOOL_CONFIRMATION,
	API_EV_USER_CUSTOM_TOOL_RESULT,
	API_EV_USER_TOOL_RESULT,
	API_EV_USER_DEFINE_OUTCOME,
	API_EV_SYSTEM_MESSAGE,
	/* agent */
	API_EV_AGENT_MESSAGE,
	API_EV_AGENT_THINKING,
	API_EV_AGENT_TOOL_USE,
	API_EV_AGENT_TOOL_RESULT,
	API_EV_AGENT_MCP_TOOL_USE,
	API_EV_AGENT_MCP_TOOL_RESULT,
	API_EV_AGENT_CUSTOM_TOOL_USE,
	API_EV_AGENT_THREAD_MESSAGE_SENT,
	API_EV_AGENT_THREAD_MESSAGE_RECEIVED,
	API_EV_AGENT_THREAD_CONTEXT_COMPACTED,
	/* session */
	API_EV_SESSION_STATUS_RUNNING,
	API_EV_SESSION_STATUS_IDLE,
	API_EV_SESSION_STATUS_RESCHEDULED,
	API_EV_SESSION_STATUS_TERMINATED,
	API_EV_SESSION_ERROR,
	API_EV_SESSION_DELETED,
	API_EV_SESSION_UPDATED,
	API_EV_SESSION_USAGE,
	API_EV_SESSION_THREAD_CREATED,
	API_EV_SESSION_THREAD_STATUS_RUNNING,
	API_EV_SESSION_THREAD_STATUS_IDLE,
	API_EV_SESSION_THREAD_STATUS_RESCHEDULED,
	API_EV_SESSION_THREAD_STATUS_TERMINATED,
	/* spans */
	API_EV_SPAN_MODEL_REQUEST_START,
	API_EV_SPAN_MODEL_REQUEST_END,
	API_EV_SPAN_OUTCOME_EVALUATION_START,
	API_EV_SPAN_OUTCOME_EVALUATION_ONGOING,
	API_EV_SPAN_OUTCOME_EVALUATION_END,
	/* workflow runs */
	API_EV_WORKFLOW_RUN_CREATED,
	API_EV_WORKFLOW_RUN_STATUS_RUNNING,
	API_EV_WORKFLOW_RUN_STATUS_IDLE,
	API_EV_WORKFLOW_RUN_PHASE_STARTED,
	API_EV_WORKFLOW_RUN_PHASE_ENDED,
	API_EV_WORKFLOW_RUN_ERROR,
	API_EV_WORKFLOW_RUN_STATUS_ENDED,
	/* stream-only previews (api.md section 7.4): never stored */
	API_EV_EVENT_START,
	API_EV_EVENT_DELTA,
	API_EV__COUNT
};

/* Flags describing a type (api_event_type_flags). */
#define API_EVF_CLIENT		0x01	/* sent by clients in POST .../events */
#define API_EVF_PREVIEW		0x02	/* stream-only; no id, never stored */
#define API_EVF_FILTERABLE	0x04	/* accepted in the types[] filter */
#define API_EVF_RESULT		0x08	/* a tool result: answers a use */

/* The canonical name ("agent.tool_use"); "" for API_EV_UNKNOWN. */
const char		*api_event_type_name(enum api_event_type);
/* The type for a name, including the legacy aliases of api.md 6.1. */
enum api_event_type	 api_event_type_lookup(const char *, size_t);
int			 api_event_type_flags(enum api_event_type);

/* One event; everything is owned by the event. */
struct api_event {
	enum api_event_type	 type;
	char			*type_name;	/* "type" as received */
	char			*id;		/* NULL for previews */
	char			*processed_at;	/* NULL when queued (null) */
	int64_t			 processed_us;	/* 0 if processed_at is NULL */
	/*
	 * Results (API_EVF_RESULT) only: the use answered (tool_use_id,
	 * mcp_tool_use_id or custom_tool_use_id by type; a NUL shown as
	 * U+2400, json_scan_text), NULL when absent or not a string; and
	 * is_error, 1 or 0, -1 when absent or not a boolean.  The last
	 * member wins when a key repeats, as in jansson.
	 */
	char			*tool_use_id;
	int			 is_error;
	char			*raw;		/* as received, NUL-ended */
	size_t			 rawlen;
	json_t			*json;		/* built by api_event_json() */
};

/*
 * Make an event from one JSON object without parsing it fully.  Fails
 * (NULL, *cause set) when the text is not a JSON object or has no string
 * "type"; the raw bytes are copied.  Caller frees with api_event_free.
 */
struct api_event	*api_event_parse(const char *, size_t, char **);
/*
 * The same for text that api_event_parse accepted before (an event read
 * back from the cache): the object is not validated again, only scanned
 * for its members.  Never for text from outside the process's own cache.
 */
struct api_event	*api_event_parse_trusted(const char *, size_t, char **);
/*
 * An event made from the cache's columns alone, without its body: type,
 * id and processed_us as stored (processed_us <= 0: NULL processed_at),
 * processed_at formatted again from processed_us, raw empty (so
 * api_event_json fails); for a result, tool_use_id and is_error (1, 0,
 * -1) as stored.  A result without a tool_use_id gives NULL: its row
 * predates those columns (or the body had no id), so read the body.
 * For folds that need no more of some types (model_needs_body).  Caller
 * frees with api_event_free.
 */
struct api_event	*api_event_head(const char *, const char *, int64_t,
			    const char *, int);
void			 api_event_free(struct api_event *);
/* The full tree, parsed on first use and cached.  Borrowed; NULL (with
 * *cause) if the text is not valid JSON after all. */
json_t			*api_event_json(struct api_event *, char **);

/* Token counts as span.model_request_end and session.usage carry them. */
struct api_usage {
	int64_t		input_tokens;
	int64_t		output_tokens;
	int64_t		cache_read_input_tokens;
	int64_t		cache_creation_input_tokens;	/* 5m + 1h, or flat */
	double		active_seconds;			/* session.usage only */
	int64_t		list_cost_cents;		/* -1 when absent */
};

/*
 * Typed view of the fields the reducer and console use.  Strings and
 * json_t pointers are borrowed from the event's tree: valid until the
 * event is freed.  Fields that do not apply are NULL, -1 or zero.
 */
struct api_event_view {
	const char	*session_thread_id;	/* cross-posted/thread events;
						   thread messages: the peer */
	const char	*agent_name;		/* thread events; thread
						   messages: the peer's name */
	/* session.status_idle, session.thread_status_idle */
	const char	*stop_reason;		/* "end_turn", ... */
	json_t		*stop_event_ids;	/* requires_action: the ids */
	json_t		*stop_details;
	/* tool uses: agent.tool_use, agent.mcp_tool_use,
	   agent.custom_tool_use */
	const char	*tool_name;
	const char	*mcp_server_name;
	json_t		*tool_input;
	const char	*evaluated_permission;	/* "allow" | "ask" | "deny" */
	/* results and confirmations */
	const char	*tool_use_id;	/* tool_use_id, mcp_tool_use_id or
					   custom_tool_use_id */
	int		 is_error;	/* -1 when absent or null */
	const char	*result;	/* user.tool_confirmation: allow/deny;
					   outcome verdict; workflow result */
	const char	*deny_message;
	json_t		*content;	/* messages and results */
	/* session.error, workflow_run.error */
	const char	*error_type;
	const char	*error_message;
	const char	*retry_status;	/* "retrying", "exhausted" or
					   "terminal" */
	/* spans */
	const char	*model_request_start_id;
	int		 has_usage;
	struct api_usage usage;		/* model_usage or session usage */
	/* previews */
	const char	*preview_type;		/* event_start: its type */
	const char	*preview_event_id;	/* event_start/event_delta: the
						   event previewed */
	const char	*preview_text;		/* event_delta text */
	int		 preview_index;
};

/* Fill v from the event (parses the tree if needed); -1 with *cause. */
int	 api_event_view(struct api_event *, struct api_event_view *, char **)
	    AD_WARN_UNUSED;

#endif
