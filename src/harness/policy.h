/*
 * policy.h -- an agent's tools and their permission policies.
 *
 * Two jobs (harness.md 1.1 and 2.1): turn the tools array of an agent
 * create/update request into the resolved form the API returns (every
 * built-in tool listed with concrete enabled and permission_policy), and
 * decide, for one tool call the model makes, whether it runs, waits for
 * the user or is refused.
 *
 * The "auto" policy is judged by a model on the hosted service; here it
 * is a fixed rule table: read, glob and grep are allowed; write and edit
 * inside the workspace are allowed; bash is allowed when the first word
 * of every pipeline segment is on an allow-list, denied (high_risk) when
 * the command matches a deny-list (sudo, rm -rf outside the workspace,
 * mkfs, dd to a device, curl piped to a shell, git push --force, fork
 * bombs, writes to /etc), and everything else asks (indeterminate).
 */
#ifndef PILOTHOUSE_POLICY_H
#define PILOTHOUSE_POLICY_H

#include <jansson.h>

#include "base/compiler.h"

enum policy_kind {
	POLICY_BUILTIN,		/* a built-in tool the hands run */
	POLICY_CUSTOM,		/* a custom tool the client runs */
	POLICY_REFUSED		/* unknown or disabled: refused */
};

enum policy_verdict {
	POLICY_ALLOW,
	POLICY_ASK,
	POLICY_DENY
};

struct policy_decision {
	enum policy_kind	 kind;
	enum policy_verdict	 verdict;
	json_t			*evaluation;	/* new reference, or NULL when
						   refused before any policy */
};

/*
 * Resolve a request's tools array (mcp_servers: the agent's servers, for
 * mcp_toolset references).  -1 with *cause naming the offending path
 * ("tools[0].configs[1].name: ...").  *out is a new reference.
 */
int	 policy_resolve_tools(json_t *, json_t *, json_t **, char **)
	    AD_WARN_UNUSED;
/* Evaluate one call of tool name with input against resolved tools;
 * workdir is the workspace as the model sees it.  Caller drops
 * d->evaluation. */
void	 policy_evaluate(json_t *, const char *, json_t *, const char *,
	    struct policy_decision *);
/* The auto rule for a bash command: allow, ask or deny. */
enum policy_verdict policy_auto_bash(const char *, const char *);
/* "allow", "ask" or "deny". */
const char *policy_verdict_name(enum policy_verdict);
/*
 * The tools a brain is offered: enabled built-ins that run offline, with
 * their schemas, then the custom tools, as [{name, description,
 * input_schema}].  Returns a new reference.
 */
json_t	*policy_brain_tools(json_t *);
/* Names of the MCP servers the toolsets use (offline: unreachable).
 * Returns a new reference to an array of strings. */
json_t	*policy_mcp_servers(json_t *);

#endif
