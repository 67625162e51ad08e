/*
 * tool.h -- the built-in toolset (agent_toolset_20260401) as the local
 * harness runs it: bash in the bubblewrap sandbox, read/write/edit/glob/
 * grep in the harness confined beneath the workspace directory fd.
 *
 * A toolbox belongs to one session and holds its workspace and sandbox
 * settings.  toolbox_run() executes one call and blocks until it is done,
 * timed out or cancelled; a cancelled or timed-out call has its whole
 * process tree killed within 100 ms and nothing outlives it.  The result
 * texts, limits and error wordings follow Anthropic's reference
 * implementation (harness.md section 1, sandbox.md).
 *
 * Calls on one toolbox must not overlap (the agent loop runs a session's
 * calls one at a time); different toolboxes may run in parallel.
 */
#ifndef PILOTHOUSE_TOOL_H
#define PILOTHOUSE_TOOL_H

#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

#include "base/cancel.h"
#include "base/compiler.h"

struct toolbox;

struct toolbox_config {
	const char	*workspace;	/* host directory, created if missing */
	/* bash without bwrap (opt-in) */
	int		 unsafe_no_sandbox;
	uid_t		 sandbox_uid;	/* root harness only; 0 picks default */
	gid_t		 sandbox_gid;
	json_t		*networking;	/* environment config.networking, or
					   NULL for none; borrowed */
};

struct tool_result {
	int	 is_error;
	char	*text;		/* never empty ("(no output)"); owned */
	size_t	 len;
};

/* NULL with *cause (e.g. the sandbox cannot start: says why and how to
 * fix it).  Caller frees with toolbox_free. */
struct toolbox	*toolbox_create(const struct toolbox_config *, char **);
void		 toolbox_free(struct toolbox *);
/* The workspace's host path.  Borrowed. */
const char	*toolbox_workspace(const struct toolbox *);
/*
 * Run tool name with input (a JSON object; borrowed).  Tool failures are
 * results with is_error set; -1 (with *cause) only for internal errors.
 */
int		 toolbox_run(struct toolbox *, const char *, json_t *,
		    struct cancel *, struct tool_result *, char **)
		    AD_WARN_UNUSED;
void		 tool_result_clear(struct tool_result *);

/* Non-zero for the eight toolset names (bash ... web_search). */
int		 toolset_is_builtin(const char *);
/* Non-zero for the six that can run offline. */
int		 toolset_runs_offline(const char *);
/* {name, description, input_schema} for a built-in tool.  Returns a new
 * reference. */
json_t		*toolset_schema(const char *);

#endif
