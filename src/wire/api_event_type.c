/* ISC licence: see COPYING.  The table of session event types. */

#include "config.h"

#include <string.h>

#include "base/compiler.h"
#include "wire/api_event.h"

#define C	API_EVF_CLIENT
#define P	API_EVF_PREVIEW
#define F	API_EVF_FILTERABLE
#define R	API_EVF_RESULT

static const struct {
	const char	*name;
	int		 flags;
} api_event_types[API_EV__COUNT] = {
	[API_EV_UNKNOWN] = { "", 0 },
	[API_EV_USER_MESSAGE] = { "user.message", C|F },
	[API_EV_USER_INTERRUPT] = { "user.interrupt", C|F },
	[API_EV_USER_TOOL_CONFIRMATION] = { "user.tool_confirmation", C|F },
	[API_EV_USER_CUSTOM_TOOL_RESULT] = { "user.custom_tool_result", C|F|R },
	[API_EV_USER_TOOL_RESULT] = { "user.tool_result", C|F|R },
	[API_EV_USER_DEFINE_OUTCOME] = { "user.define_outcome", C|F },
	[API_EV_SYSTEM_MESSAGE] = { "system.message", C|F },
	[API_EV_AGENT_MESSAGE] = { "agent.message", F },
	[API_EV_AGENT_THINKING] = { "agent.thinking", F },
	[API_EV_AGENT_TOOL_USE] = { "agent.tool_use", F },
	[API_EV_AGENT_TOOL_RESULT] = { "agent.tool_result", F|R },
	[API_EV_AGENT_MCP_TOOL_USE] = { "agent.mcp_tool_use", F },
	[API_EV_AGENT_MCP_TOOL_RESULT] = { "agent.mcp_tool_result", F|R },
	[API_EV_AGENT_CUSTOM_TOOL_USE] = { "agent.custom_tool_use", F },
	[API_EV_AGENT_THREAD_MESSAGE_SENT] =
	    { "agent.thread_message_sent", F },
	[API_EV_AGENT_THREAD_MESSAGE_RECEIVED] =
	    { "agent.thread_message_received", F },
	[API_EV_AGENT_THREAD_CONTEXT_COMPACTED] =
	    { "agent.thread_context_compacted", F },
	[API_EV_SESSION_STATUS_RUNNING] = { "session.status_running", F },
	[API_EV_SESSION_STATUS_IDLE] = { "session.status_idle", F },
	[API_EV_SESSION_STATUS_RESCHEDULED] =
	    { "session.status_rescheduled", F },
	[API_EV_SESSION_STATUS_TERMINATED] =
	    { "session.status_terminated", F },
	[API_EV_SESSION_ERROR] = { "session.error", F },
	[API_EV_SESSION_DELETED] = { "session.deleted", 0 },
	[API_EV_SESSION_UPDATED] = { "session.updated", F },
	[API_EV_SESSION_USAGE] = { "session.usage", F },
	[API_EV_SESSION_THREAD_CREATED] = { "session.thread_created", F },
	[API_EV_SESSION_THREAD_STATUS_RUNNING] =
	    { "session.thread_status_running", F },
	[API_EV_SESSION_THREAD_STATUS_IDLE] =
	    { "session.thread_status_idle", F },
	[API_EV_SESSION_THREAD_STATUS_RESCHEDULED] =
	    { "session.thread_status_rescheduled", F },
	[API_EV_SESSION_THREAD_STATUS_TERMINATED] =
	    { "session.thread_status_terminated", F },
	[API_EV_SPAN_MODEL_REQUEST_START] = { "span.model_request_start", F },
	[API_EV_SPAN_MODEL_REQUEST_END] = { "span.model_request_end", F },
	[API_EV_SPAN_OUTCOME_EVALUATION_START] =
	    { "span.outcome_evaluation_start", F },
	[API_EV_SPAN_OUTCOME_EVALUATION_ONGOING] =
	    { "span.outcome_evaluation_ongoing", F },
	[API_EV_SPAN_OUTCOME_EVALUATION_END] =
	    { "span.outcome_evaluation_end", F },
	[API_EV_WORKFLOW_RUN_CREATED] = { "workflow_run.created", F },
	[API_EV_WORKFLOW_RUN_STATUS_RUNNING] =
	    { "workflow_run.status_running", F },
	[API_EV_WORKFLOW_RUN_STATUS_IDLE] = { "workflow_run.status_idle", F },
	[API_EV_WORKFLOW_RUN_PHASE_STARTED] =
	    { "workflow_run.phase_started", F },
	[API_EV_WORKFLOW_RUN_PHASE_ENDED] = { "workflow_run.phase_ended", F },
	[API_EV_WORKFLOW_RUN_ERROR] = { "workflow_run.error", F },
	[API_EV_WORKFLOW_RUN_STATUS_ENDED] =
	    { "workflow_run.status_ended", F },
	[API_EV_EVENT_START] = { "event_start", P },
	[API_EV_EVENT_DELTA] = { "event_delta", P },
};

/* Pre-release names the SDKs still accept (api.md 6.1, "Legacy names"). */
static const struct {
	const char		*name;
	enum api_event_type	 type;
} api_event_aliases[] = {
	{ "agent.session_thread_message_sent",
	    API_EV_AGENT_THREAD_MESSAGE_SENT },
	{ "agent.session_thread_message_received",
	    API_EV_AGENT_THREAD_MESSAGE_RECEIVED },
	{ "session.thread_status_created", API_EV_SESSION_THREAD_CREATED },
};

/* The canonical name of a type. */
const char *
api_event_type_name(enum api_event_type t)
{
	if ((unsigned)t >= API_EV__COUNT)
		return "";
	return api_event_types[t].name;
}

/* The flags of a type (API_EVF_*). */
int
api_event_type_flags(enum api_event_type t)
{
	if ((unsigned)t >= API_EV__COUNT)
		return 0;
	return api_event_types[t].flags;
}

/*
 * The type called name (len bytes, not NUL-terminated), or
 * API_EV_UNKNOWN.  A linear scan over 46 names costs less than hashing
 * the name at these lengths; the first byte rejects most candidates.
 */
enum api_event_type
api_event_type_lookup(const char *name, size_t len)
{
	for (int t = 1; t < API_EV__COUNT; t++) {
		const char	*n = api_event_types[t].name;

		if (n[0] == name[0] && strlen(n) == len &&
		    memcmp(n, name, len) == 0)
			return (enum api_event_type)t;
	}
	for (size_t i = 0; i < AD_NITEMS(api_event_aliases); i++) {
		const char	*n = api_event_aliases[i].name;

		if (strlen(n) == len && memcmp(n, name, len) == 0)
			return api_event_aliases[i].type;
	}
	return API_EV_UNKNOWN;
}
