/*
 * compact.h -- context compaction (harness.md 3.9).
 *
 * When the previous model request used more than 80 % of the model's
 * context window, or the model said the window was exceeded, the agent
 * loop asks the same brain for a summary of the conversation so far and
 * logs it in the private column of an agent.thread_context_compacted
 * event; from then on the conversation (conversation.c) is the summary
 * as one user message followed by whatever came after the marker.  Three
 * compactions in a row without a model request succeeding in between
 * end the turn with compaction_limit_reached_error.
 *
 * The window of a model comes from the configuration: [brain.ALIAS]
 * context_window for local:ALIAS (unset: compacted only when the server
 * says the prompt is too long), [anthropic] context_window or 200,000
 * tokens for claude-... models; scripted: models never compact.
 */
#ifndef PILOTHOUSE_COMPACT_H
#define PILOTHOUSE_COMPACT_H

#include <stdint.h>

#include "base/cancel.h"
#include "harness/brain.h"

#define COMPACT_THRESHOLD_PCT	80	/* of the window, to compact */
#define COMPACT_MAX_IN_A_ROW	3
#define COMPACT_MAX_TOKENS	8192	/* for the summary */
#define COMPACT_MAX_SUMMARY	(1024 * 1024)	/* bytes kept */

/*
 * The context window of model in tokens; 0 when it is not known (then
 * the conversation is compacted only when the model says it is too
 * long); -1 for models that never compact (scripted).
 */
int64_t	 compact_window(const char *, const char *);
/* Non-zero when a request that read input_total tokens (uncached, cache
 * reads and cache writes together) leaves too little of window. */
int	 compact_due(int64_t, int64_t);
/*
 * One summarising request through brain: req's conversation and tools
 * with the instruction to summarise appended as user text.  Returns the
 * summary (caller frees) or NULL with res saying why; *usage gets the
 * request's token counts either way.
 */
char	*compact_summarise(struct brain *, const struct brain_request *,
	    struct cancel *, struct brain_result *, struct brain_usage *);

#endif
