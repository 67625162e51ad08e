/* ISC licence: see COPYING.  The runner: one session's agent loop. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/io.h"
#include "base/log.h"
#include "base/paths.h"
#include "base/rand.h"
#include "base/xmalloc.h"
#include "harness/agent_loop.h"
#include "harness/brain.h"
#include "harness/compact.h"
#include "harness/conversation.h"
#include "harness/hjson.h"
#include "harness/hstore.h"
#include "harness/htimer.h"
#include "harness/policy.h"
#include "harness/scenario.h"
#include "harness/session.h"
#include "harness/tool.h"
#include "harness/turn.h"
#include "harness/workpool.h"

#define AGENT_LOOP_MAX_ROUNDS	100	/* tool rounds per turn */
#define AGENT_LOOP_MAX_ATTEMPTS	4	/* per model request */
#define AGENT_LOOP_MAX_TOKENS	16000
#define AGENT_LOOP_WORKDIR	"/workspace"
#define AGENT_LOOP_SEED_MAX	(16u * 1024 * 1024)

/* An autopilot answer scheduled for one pending call. */
struct agent_autopilot {
	struct session	*s;
	char		 call[RAND_ID_LEN];
};

static void	agent_loop_job(void *);

/* Make sure a runner will look at s (lock held). */
void
agent_loop_kick(struct session *s)
{
	if (s->scheduled || s->deleted || harness_stopping(s->h))
		return;
	s->scheduled = 1;
	session_ref(s);
	workpool_submit(harness_pool(s->h), agent_loop_job, s);
}

/* The workspace as the model sees it. */
static const char *
agent_loop_workdir(struct session *s)
{
	return AGENT_LOOP_WORKDIR;
}

/* A text content array. */
static json_t *
agent_loop_text(const char *text)
{
	return json_pack("[{ssso}]", "type", "text", "text",
	    hjson_string_lossy(text, strlen(text)));
}

/* Log agent.tool_result for a call. */
static void
agent_loop_result(struct session *s, struct session_call *c, int is_error,
    const char *text, const char *marker)
{
	json_t	*priv = NULL;

	if (marker != NULL)
		priv = json_pack("{sb}", marker, 1);
	session_emit(s, "agent.tool_result", json_pack("{sssoso}",
	    "tool_use_id", c->id, "is_error", json_boolean(is_error),
	    "content", agent_loop_text(text)), priv, 0, NULL, NULL);
}

/* Add a model request's usage to the session's. */
static void
agent_loop_add_usage(struct session *s, const struct brain_usage *u)
{
	json_t	*usage = json_object_get(s->obj, "usage");
	json_t	*cc = json_object_get(usage, "cache_creation");

	json_object_set_new(usage, "input_tokens", json_integer(
	    json_integer_value(json_object_get(usage, "input_tokens")) +
	    u->input));
	json_object_set_new(usage, "output_tokens", json_integer(
	    json_integer_value(json_object_get(usage, "output_tokens")) +
	    u->output));
	json_object_set_new(usage, "cache_read_input_tokens", json_integer(
	    json_integer_value(json_object_get(usage,
	    "cache_read_input_tokens")) + u->cache_read));
	json_object_set_new(cc, "ephemeral_5m_input_tokens", json_integer(
	    json_integer_value(json_object_get(cc,
	    "ephemeral_5m_input_tokens")) + u->cache_write));
}

/* session.usage then the idle that ends the turn. */
static void
agent_loop_idle(struct session *s, const char *reason, json_t *details)
{
	json_t	*usage;

	usage = json_deep_copy(json_object_get(s->obj, "usage"));
	session_emit(s, "session.usage", json_pack("{so}", "usage", usage),
	    NULL, 0, NULL, NULL);
	session_emit(s, "session.status_idle", json_pack("{s{ss}sO}",
	    "stop_reason", "type", reason, "stop_details", details != NULL ?
	    details : json_null()), NULL, 0, NULL, NULL);
}

/* Answer a pending call on the client's behalf (timer thread). */
static void
agent_loop_autopilot_fire(void *arg)
{
	struct agent_autopilot	*ap = arg;
	struct session		*s = ap->s;
	struct session_call	*c;
	json_t			*confirm, *ev;

	pthread_mutex_lock(&s->lock);
	c = session_call_find(s, ap->call);
	if (c != NULL && !s->deleted && session_call_pending(s, c)) {
		confirm = json_object_get(c->hints, "confirm");
		if (c->custom)
			ev = json_pack("{sssssosb}", "type",
			    "user.custom_tool_result", "custom_tool_use_id",
			    c->id, "content", agent_loop_text(hjson_str(
			    c->hints, "auto_result")), "is_error", 0);
		else {
			ev = json_pack("{sssssO}", "type",
			    "user.tool_confirmation", "tool_use_id", c->id,
			    "result", json_object_get(confirm, "auto"));
			if (hjson_str_is(confirm, "auto", "deny") &&
			    hjson_str(confirm, "deny_message") != NULL)
				json_object_set(ev, "deny_message",
				    json_object_get(confirm, "deny_message"));
		}
		agent_loop_accept(s, ev, json_pack("{sb}", "x_autopilot", 1),
		    NULL);
		json_decref(ev);
	}
	pthread_mutex_unlock(&s->lock);
	session_unref(s);
	free(ap);
}

/* Drop an autopilot answer that never fired. */
static void
agent_loop_autopilot_drop(void *arg)
{
	struct agent_autopilot	*ap = arg;

	session_unref(ap->s);
	free(ap);
}

/* Arm the autopilot for pending calls whose scenario asks for it. */
static void
agent_loop_autopilot(struct session *s)
{
	const struct brain_env	*env = harness_brain_env(s->h);
	struct agent_autopilot	*ap;
	json_t			*confirm;
	int64_t			 ms;

	for (size_t i = 0; i < s->ncalls; i++) {
		struct session_call	*c = &s->calls[i];

		if (c->hints == NULL || !session_call_pending(s, c))
			continue;
		confirm = json_object_get(c->hints, "confirm");
		if (c->custom && hjson_str(c->hints, "auto_result") != NULL)
			ms = 1500;
		else if (!c->custom && hjson_str(confirm, "auto") != NULL) {
			ms = json_integer_value(json_object_get(confirm,
			    "after_ms"));
			if (json_object_get(confirm, "after_ms") == NULL)
				ms = 3000;
		} else
			continue;
		if (env->scripted_fast && ms > 100)
			ms = 100;
		ap = xcalloc(1, sizeof *ap);
		ap->s = s;
		session_ref(s);
		snprintf(ap->call, sizeof ap->call, "%s", c->id);
		htimer_add(harness_timer(s->h), ms, agent_loop_autopilot_fire,
		    agent_loop_autopilot_drop, ap);
	}
}

/* idle(requires_action) listing every pending call, in model order. */
static void
agent_loop_requires_action(struct session *s)
{
	json_t	*ids = json_array();

	for (size_t i = 0; i < s->ncalls; i++)
		if (session_call_pending(s, &s->calls[i]))
			json_array_append_new(ids, json_string(s->calls[i].id));
	session_emit(s, "session.status_idle", json_pack("{s{ssso}so}",
	    "stop_reason", "type", "requires_action", "event_ids", ids,
	    "stop_details", json_null()), NULL, 0, NULL, NULL);
	agent_loop_autopilot(s);
}

/* Does any call wait for the client? */
static int
agent_loop_any_pending(struct session *s)
{
	for (size_t i = 0; i < s->ncalls; i++)
		if (session_call_pending(s, &s->calls[i]))
			return 1;
	return 0;
}

/* Process every queued confirmation (their processed echoes). */
static void
agent_loop_take_confirms(struct session *s)
{
	json_t	*q;
	char	*id;

	while ((q = json_array_get(s->queued_confirms, 0)) != NULL) {
		id = xstrdup(hjson_str(json_object_get(q, "event"), "id"));
		session_process(s, id, NULL);
		free(id);
		if (s->status == SESSION_TERMINATED)
			break;
	}
}

/* Process every queued user.message (priv: marks, may be NULL). */
static void
agent_loop_take_messages(struct session *s, json_t *priv)
{
	json_t	*q;
	char	*id;

	while ((q = json_array_get(s->queued, 0)) != NULL) {
		id = xstrdup(hjson_str(json_object_get(q, "event"), "id"));
		session_process(s, id, json_incref(priv));
		free(id);
		if (s->status == SESSION_TERMINATED)
			break;
	}
	json_decref(priv);
}

/* Write one seed file through the toolbox's write tool, so it belongs to
 * the sandbox's user like anything the agent writes. */
static void
agent_loop_seed_file(struct session *s, struct toolbox *tb,
    struct cancel *cancel, const char *rel, const char *text, size_t len)
{
	struct tool_result	 res;
	json_t			*in;
	char			*cause = NULL;

	in = json_pack("{ssso}", "file_path", rel, "content",
	    hjson_string_lossy(text, len));
	if (toolbox_run(tb, "write", in, cancel, &res, &cause) != 0) {
		log_warn("session %s: seeding %s: %s", s->id, rel, cause);
		free(cause);
	} else {
		if (res.is_error)
			log_warn("session %s: seeding %s: %s", s->id, rel,
			    res.text);
		tool_result_clear(&res);
	}
	json_decref(in);
}

/* Copy the scenario's seed directory (text files) into the workspace. */
static void
agent_loop_seed_tree(struct session *s, struct toolbox *tb,
    struct cancel *cancel, const char *from, const char *rel)
{
	struct dirent	*de;
	struct stat	 sb;
	struct buf	 b;
	DIR		*d;
	char		*src, *sub, *cause = NULL;

	if ((d = opendir(from)) == NULL) {
		log_warn("session %s: seed %s: %s", s->id, from,
		    strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && (de->d_name[1] == '\0' ||
		    (de->d_name[1] == '.' && de->d_name[2] == '\0')))
			continue;
		xasprintf(&src, "%s/%s", from, de->d_name);
		if (*rel != '\0')
			xasprintf(&sub, "%s/%s", rel, de->d_name);
		else
			sub = xstrdup(de->d_name);
		if (lstat(src, &sb) == 0 && S_ISDIR(sb.st_mode))
			agent_loop_seed_tree(s, tb, cancel, src, sub);
		else if (S_ISREG(sb.st_mode)) {
			buf_init(&b, AGENT_LOOP_SEED_MAX);
			if (io_read_file(src, AGENT_LOOP_SEED_MAX, &b,
			    &cause) == 0)
				agent_loop_seed_file(s, tb, cancel, sub,
				    b.data != NULL ? b.data : "", b.len);
			else {
				log_warn("session %s: %s", s->id, cause);
				free(cause);
				cause = NULL;
			}
			buf_clear(&b);
		}
		free(src);
		free(sub);
	}
	closedir(d);
}

/* Seed the workspace from the session's scenario (harness.md 4.2). */
static void
agent_loop_seed(struct session *s, struct toolbox *tb, const char *name)
{
	struct scenario		*sc;
	struct tool_result	 res;
	struct cancel		 cancel;
	const char		*key;
	json_t			*v, *in;
	char			*cause = NULL;
	size_t			 i;

	sc = scenario_set_get(harness_brain_env(s->h)->scenarios, name, &cause);
	if (sc == NULL) {
		log_warn("session %s: no seed: %s", s->id, cause);
		free(cause);
		return;
	}
	cancel_init(&cancel);
	if (sc->copy != NULL)
		agent_loop_seed_tree(s, tb, &cancel, sc->copy, "");
	json_object_foreach(sc->files, key, v)
		agent_loop_seed_file(s, tb, &cancel, key, json_string_value(v),
		    json_string_length(v));
	json_array_foreach(sc->setup, i, v) {
		in = json_pack("{sOsi}", "command", v, "timeout_ms", 120000);
		if (toolbox_run(tb, "bash", in, &cancel, &res, &cause) != 0) {
			log_warn("session %s: setup: %s", s->id, cause);
			free(cause);
			cause = NULL;
		} else {
			if (res.is_error)
				log_warn("session %s: setup \"%s\" failed: %s",
				    s->id, json_string_value(v), res.text);
			tool_result_clear(&res);
		}
		json_decref(in);
	}
	cancel_clear(&cancel);
	scenario_unref(sc);
}

/* Provision the hands on a worker: the toolbox, then the seed. */
static void
agent_loop_provision_job(void *arg)
{
	struct session		*s = arg;
	struct toolbox_config	 cfg;
	struct toolbox		*tb;
	char			*dir, *ws, *marker, *cause = NULL, *scenario;
	json_t			*net;
	struct stat		 sb;

	pthread_mutex_lock(&s->lock);
	net = json_incref(s->networking);
	scenario = s->scenario != NULL ? xstrdup(s->scenario) : NULL;
	pthread_mutex_unlock(&s->lock);
	xasprintf(&dir, "%s/sandboxes/%s", harness_data_dir(s->h), s->id);
	xasprintf(&ws, "%s/workspace", dir);
	xasprintf(&marker, "%s/seeded", dir);
	memset(&cfg, 0, sizeof cfg);
	cfg.workspace = ws;
	cfg.unsafe_no_sandbox = harness_unsafe(s->h);
	cfg.networking = net;
	tb = NULL;
	/* The toolbox creates the workspace itself, for the sandbox's user. */
	if (paths_private_dir(dir, &cause) == 0)
		tb = toolbox_create(&cfg, &cause);
	if (tb != NULL && scenario != NULL && stat(marker, &sb) != 0) {
		agent_loop_seed(s, tb, scenario);
		if (io_write_file(marker, "", 0, &cause) != 0) {
			log_warn("session %s: %s", s->id, cause);
			free(cause);
			cause = NULL;
		}
	}
	pthread_mutex_lock(&s->lock);
	s->provisioning = 0;
	if (tb != NULL) {
		toolbox_free(s->toolbox);
		s->toolbox = tb;
		free(s->provision_error);
		s->provision_error = NULL;
	} else {
		free(s->provision_error);
		s->provision_error = cause;
		log_warn("session %s: no sandbox: %s", s->id, cause);
	}
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	json_decref(net);
	free(scenario);
	free(dir);
	free(ws);
	free(marker);
	session_unref(s);
}

/* Start provisioning unless the hands exist or are coming (lock held). */
static void
agent_loop_provision(struct session *s)
{
	if (s->toolbox != NULL || s->provisioning || s->self_hosted)
		return;
	s->provisioning = 1;
	session_ref(s);
	workpool_submit(harness_pool(s->h), agent_loop_provision_job, s);
}

/* A turn starts: running, take the messages, hands in parallel. */
static void
agent_loop_turn_start(struct session *s)
{
	json_t		*servers, *name;
	size_t		 i;

	/* The turn's start and the messages it answers: logged together. */
	session_begin(s);
	session_emit(s, "session.status_running", json_object(), NULL, 0,
	    NULL, NULL);
	agent_loop_take_messages(s, NULL);
	if (session_commit(s) != 0)
		return;
	agent_loop_provision(s);
	if (s->mcp_reported)
		return;
	s->mcp_reported = 1;
	servers = policy_mcp_servers(json_object_get(json_object_get(s->obj,
	    "agent"), "tools"));
	json_array_foreach(servers, i, name)
		session_emit(s, "session.error", json_pack("{s{sssOsss{ss}}}",
		    "error", "type", "mcp_connection_failed_error",
		    "mcp_server_name", name, "message", "MCP servers cannot be "
		    "reached from the local harness (no network); continuing "
		    "without this server's tools", "retry_status", "type",
		    "retrying"), NULL, 0, NULL, NULL);
	json_decref(servers);
}

/* Run one allowed call in the sandbox (lock held; dropped meanwhile). */
static void
agent_loop_run_tool(struct session *s, struct session_call *c)
{
	struct tool_result	 res;
	struct toolbox		*tb;
	char			*cause = NULL, *name, id[RAND_ID_LEN];
	json_t			*input;
	int			 rv;

	agent_loop_provision(s);
	while (s->toolbox == NULL && s->provisioning && !s->interrupt &&
	    !harness_stopping(s->h))
		pthread_cond_wait(&s->cond, &s->lock);
	if (s->interrupt || harness_stopping(s->h))
		return;
	if ((tb = s->toolbox) == NULL) {
		agent_loop_result(s, c, 1, s->provision_error != NULL ?
		    s->provision_error : "the sandbox could not be created",
		    NULL);
		/* Try again at the next call. */
		free(s->provision_error);
		s->provision_error = NULL;
		return;
	}
	snprintf(id, sizeof id, "%s", c->id);
	name = xstrdup(c->name);
	input = json_incref(c->input);
	pthread_mutex_unlock(&s->lock);
	rv = toolbox_run(tb, name, input, &s->cancel, &res, &cause);
	pthread_mutex_lock(&s->lock);
	json_decref(input);
	free(name);
	if ((c = session_call_find(s, id)) == NULL || c->done) {
		if (rv == 0)
			tool_result_clear(&res);
		free(cause);
		return;
	}
	if (s->interrupt)
		agent_loop_result(s, c, 1, "interrupted by user",
		    "x_interrupted");
	else if (rv != 0) {
		char	*msg;

		xasprintf(&msg, "Error: %s", cause);
		agent_loop_result(s, c, 1, msg, NULL);
		free(msg);
	} else
		agent_loop_result(s, c, res.is_error, res.text, NULL);
	if (rv == 0)
		tool_result_clear(&res);
	free(cause);
}

/* Settle the first call without a result, in model order. */
static void
agent_loop_settle(struct session *s)
{
	struct session_call	*c = NULL;
	char			*msg;

	for (size_t i = 0; i < s->ncalls; i++)
		if (!s->calls[i].done) {
			c = &s->calls[i];
			break;
		}
	if (c == NULL)
		return;
	if (c->stale)
		agent_loop_result(s, c, 1, "the harness restarted while this "
		    "call was running, so its outcome is unknown; run it again "
		    "if it is still needed", "x_interrupted");
	else if (c->refused) {
		xasprintf(&msg, "%s: this tool is not available to the agent "
		    "(unknown or disabled)", c->name);
		agent_loop_result(s, c, 1, msg, NULL);
		free(msg);
	} else if (c->invalid_input) {
		xasprintf(&msg, "invalid JSON arguments: %s",
		    c->invalid_reason);
		agent_loop_result(s, c, 1, msg, NULL);
		free(msg);
	} else if (c->verdict == POLICY_DENY)
		agent_loop_result(s, c, 1, "This tool call was denied by the "
		    "auto permission policy (high_risk).", "x_denied");
	else if (c->confirm == SESSION_CONFIRM_DENY) {
		if (c->deny_message != NULL && *c->deny_message != '\0')
			xasprintf(&msg, "The user denied this tool call: %s",
			    c->deny_message);
		else
			msg = xstrdup("The user denied this tool call.");
		agent_loop_result(s, c, 1, msg, "x_denied");
		free(msg);
	} else
		agent_loop_run_tool(s, c);
}

/* The harness's backoff before retry n (1 s, 2 s, 4 s... 30 s, jitter). */
static int64_t
agent_loop_backoff(int attempt)
{
	int64_t	ms = 1000;

	for (int i = 1; i < attempt && ms < 30000; i++)
		ms *= 2;
	if (ms > 30000)
		ms = 30000;
	return ms * 3 / 4 + (int64_t)rand_below((uint64_t)ms / 2);
}

/* A failed model request (or compaction): back off and retry, or give
 * the turn up (lock held; dropped while waiting). */
static void
agent_loop_error(struct session *s, const struct brain_result *res)
{
	int	retry;

	retry = res->retryable && s->attempt + 1 < AGENT_LOOP_MAX_ATTEMPTS;
	session_emit(s, "session.error", json_pack("{s{ssss s{ss}}}",
	    "error", "type", brain_error_type(res->status), "message",
	    res->message, "retry_status", "type", retry ? "retrying" :
	    "exhausted"), NULL, 0, NULL, NULL);
	if (retry) {
		int64_t	ms = res->retry_after_ms >= 0 ?
		    res->retry_after_ms : agent_loop_backoff(s->attempt + 1);

		session_emit(s, "session.status_rescheduled", json_object(),
		    NULL, 0, NULL, NULL);
		s->attempt++;
		pthread_mutex_unlock(&s->lock);
		cancel_sleep(&s->cancel, ms);
		pthread_mutex_lock(&s->lock);
	} else {
		s->attempt = 0;
		s->compact_now = 0;
		agent_loop_take_messages(s, json_pack("{sb}", "x_flushed", 1));
		agent_loop_idle(s, "retries_exhausted", NULL);
	}
}

/*
 * Replace the conversation by its summary (compact.h): the marker event
 * keeps the summary private, and the next request starts from it.  Lock
 * held; dropped while the brain works.
 */
static void
agent_loop_compact(struct session *s, struct brain_request *req)
{
	struct brain_result	 res;
	struct brain_usage	 usage;
	struct brain		*brain;
	char			*summary, *msg;

	if (s->compactions >= COMPACT_MAX_IN_A_ROW) {
		s->compactions = 0;
		s->compact_now = 0;
		session_emit(s, "session.error", json_pack("{s{ssss s{ss}}}",
		    "error", "type", "compaction_limit_reached_error",
		    "message", "the conversation was compacted 3 times in a "
		    "row and still does not fit the model's context window",
		    "retry_status", "type", "exhausted"), NULL, 0, NULL, NULL);
		agent_loop_take_messages(s, json_pack("{sb}", "x_flushed", 1));
		agent_loop_idle(s, "retries_exhausted", NULL);
		return;
	}
	pthread_mutex_unlock(&s->lock);
	brain = brain_create(req->model, harness_brain_env(s->h));
	req->model = brain->model;
	summary = compact_summarise(brain, req, &s->cancel, &res, &usage);
	brain_free(brain);
	pthread_mutex_lock(&s->lock);
	agent_loop_add_usage(s, &usage);
	if (res.status == BRAIN_CANCELLED || s->interrupt ||
	    harness_stopping(s->h)) {
		free(summary);
		return;		/* the interrupt (or the restart) takes over */
	}
	if (summary == NULL) {
		xasprintf(&msg, "compacting the conversation: %s",
		    res.message);
		snprintf(res.message, sizeof res.message, "%s", msg);
		free(msg);
		agent_loop_error(s, &res);
		return;
	}
	s->compactions++;
	s->compact_now = 0;
	s->last_input = 0;
	s->attempt = 0;
	session_emit(s, "agent.thread_context_compacted", json_object(),
	    json_pack("{ss}", "summary", summary), 0, NULL, NULL);
	free(summary);
}

/* One model request (lock held; dropped while the brain streams). */
static void
agent_loop_model(struct session *s)
{
	struct brain_request	 req;
	struct brain_result	 res;
	struct brain		*brain;
	struct turn		 t;
	json_t			*agent, *messages, *tools, *priv, *usage;
	char			*sys_extra = NULL, *system = NULL;
	char			*cause = NULL;
	char			*model, span[RAND_ID_LEN];
	const char		*agent_sys;
	int64_t			 window;

	if (s->rounds >= AGENT_LOOP_MAX_ROUNDS) {
		session_emit(s, "session.error", json_pack("{s{ssss s{ss}}}",
		    "error", "type", "tool_use_limit_reached_error", "message",
		    "the turn used the maximum of 100 tool rounds",
		    "retry_status", "type", "exhausted"), NULL, 0, NULL, NULL);
		agent_loop_idle(s, "retries_exhausted", NULL);
		return;
	}
	/* Messages that arrived meanwhile join this request. */
	agent_loop_take_messages(s, NULL);
	if (conversation_build(harness_store(s->h), s->id, &messages,
	    &sys_extra, &cause) != 0) {
		session_emit(s, "session.error", json_pack("{s{ssss s{ss}}}",
		    "error", "type", "unknown_error", "message", cause,
		    "retry_status", "type", "terminal"), NULL, 0, NULL, NULL);
		session_emit(s, "session.status_terminated", json_object(),
		    NULL, 0, NULL, NULL);
		free(cause);
		return;
	}
	agent = json_deep_copy(json_object_get(s->obj, "agent"));
	agent_sys = hjson_str(agent, "system");
	if (agent_sys != NULL && sys_extra != NULL)
		xasprintf(&system, "%s\n\n%s", agent_sys, sys_extra);
	else if (agent_sys != NULL || sys_extra != NULL)
		system = xstrdup(agent_sys != NULL ? agent_sys : sys_extra);
	free(sys_extra);
	tools = policy_brain_tools(json_object_get(agent, "tools"));
	model = xstrdup(hjson_str(json_object_get(agent, "model"), "id") ?
	    hjson_str(json_object_get(agent, "model"), "id") : "");
	memset(&req, 0, sizeof req);
	req.model = model;
	req.system = system;
	req.messages = messages;
	req.tools = tools;
	req.max_tokens = AGENT_LOOP_MAX_TOKENS;
	req.attempt = s->attempt;
	req.session_id = s->id;
	req.workdir = agent_loop_workdir(s);
	window = compact_window(harness_brain_env(s->h)->config_path, model);
	if ((window >= 0 && s->compact_now) ||
	    compact_due(s->last_input, window)) {
		agent_loop_compact(s, &req);
		goto out;
	}
	session_emit(s, "span.model_request_start", json_object(), NULL, 0,
	    span, NULL);
	turn_init(&t, s, json_object_get(agent, "tools"), req.workdir);
	pthread_mutex_unlock(&s->lock);

	brain = brain_create(model, harness_brain_env(s->h));
	req.model = brain->model;
	brain_next_turn(brain, &req, turn_sink, &t, &s->cancel, &res);
	brain_free(brain);

	pthread_mutex_lock(&s->lock);
	usage = json_pack("{sIsIsIsI}", "input_tokens", (json_int_t)
	    t.usage.input, "output_tokens", (json_int_t)t.usage.output,
	    "cache_creation_input_tokens", (json_int_t)t.usage.cache_write,
	    "cache_read_input_tokens", (json_int_t)t.usage.cache_read);
	agent_loop_add_usage(s, &t.usage);
	if (res.status == BRAIN_OK && t.stopped && !s->interrupt &&
	    (t.stop != BRAIN_STOP_CONTEXT || window < 0)) {
		static const char *const stops[] = { "end_turn", "tool_use",
		    "max_tokens", "refusal", "pause_turn", "context" };

		s->attempt = 0;
		s->compactions = 0;
		s->last_input = t.usage.input + t.usage.cache_read +
		    t.usage.cache_write;
		priv = json_pack("{ss}", "stop", stops[t.stop]);
		if (t.stop_details != NULL)
			json_object_set(priv, "stop_details", t.stop_details);
		session_emit(s, "span.model_request_end", json_pack("{sssbso}",
		    "model_request_start_id", span, "is_error", 0,
		    "model_usage", usage), priv, 0, NULL, NULL);
	} else if (!s->interrupt && harness_stopping(s->h)) {
		/* Shutting down: redo this request after the restart. */
		session_emit(s, "span.model_request_end", json_pack("{sssbso}",
		    "model_request_start_id", span, "is_error", 1,
		    "model_usage", usage), json_pack("{sb}", "discard", 1), 0,
		    NULL, NULL);
	} else if (res.status == BRAIN_CANCELLED || s->interrupt) {
		/* Interrupted: complete blocks stay; the interrupt step
		 * settles their calls. */
		session_emit(s, "span.model_request_end", json_pack("{sssbso}",
		    "model_request_start_id", span, "is_error", 1,
		    "model_usage", usage), json_pack("{ss}", "stop",
		    "interrupted"), 0, NULL, NULL);
		s->interrupt = 1;
	} else if (window >= 0 && (res.status == BRAIN_E_CONTEXT ||
	    (res.status == BRAIN_OK && t.stop == BRAIN_STOP_CONTEXT))) {
		/* Over the window: compact, then ask again (harness.md 3.8). */
		session_emit(s, "span.model_request_end", json_pack("{sssbso}",
		    "model_request_start_id", span, "is_error", 1,
		    "model_usage", usage), json_pack("{sb}", "discard", 1), 0,
		    NULL, NULL);
		s->compact_now = 1;
	} else {
		if (res.status == BRAIN_OK)
			brain_result_fail(&res, BRAIN_E_PROTOCOL, 1,
			    "the model stream ended without a stop");
		session_emit(s, "span.model_request_end", json_pack("{sssbso}",
		    "model_request_start_id", span, "is_error", 1,
		    "model_usage", usage), json_pack("{sb}", "discard", 1), 0,
		    NULL, NULL);
		agent_loop_error(s, &res);
	}
	turn_clear(&t);
out:
	json_decref(messages);
	json_decref(tools);
	json_decref(agent);
	free(system);
	free(model);
}

/* Interrupt: settle every open call, then idle(end_turn). */
static void
agent_loop_interrupt(struct session *s)
{
	cancel_reset(&s->cancel);
	if (s->status == SESSION_IDLE && !s->requires_action) {
		s->interrupt = 0;
		return;
	}
	agent_loop_take_confirms(s);
	for (size_t i = 0; i < s->ncalls; i++)
		if (!s->calls[i].done)
			agent_loop_result(s, &s->calls[i], 1,
			    "interrupted by user", "x_interrupted");
	s->attempt = 0;
	agent_loop_idle(s, "end_turn", NULL);
}

/*
 * Do the next thing; returns 0 when the session waits for the client (or
 * nothing is left to do).  Lock held.
 */
static int
agent_loop_step(struct session *s)
{
	static const char *const ends[] = { "end_turn", "refusal" };

	if (s->deleted || s->status == SESSION_TERMINATED ||
	    harness_stopping(s->h))
		return 0;
	if (s->interrupt) {
		agent_loop_interrupt(s);
		return 1;
	}
	if (s->status == SESSION_IDLE && s->requires_action) {
		if (json_array_size(s->queued_confirms) > 0) {
			/* Count queued answers as given, then echo them. */
			int	open = 0;

			for (size_t i = 0; i < s->ncalls; i++)
				if (session_call_pending(s, &s->calls[i]))
					open = 1;
			if (!open) {
				session_begin(s);
				session_emit(s, "session.status_running",
				    json_object(), NULL, 0, NULL, NULL);
				agent_loop_take_confirms(s);
				session_commit(s);
				return 1;
			}
			agent_loop_take_confirms(s);
			agent_loop_requires_action(s);
			return 0;
		}
		if (agent_loop_any_pending(s))
			return 0;
		session_emit(s, "session.status_running", json_object(), NULL,
		    0, NULL, NULL);
		return 1;
	}
	if (s->status == SESSION_IDLE) {
		if (json_array_size(s->queued) == 0)
			return 0;
		agent_loop_turn_start(s);
		return 1;
	}
	if (s->status == SESSION_RESCHEDULING) {
		session_emit(s, "session.status_running", json_object(), NULL,
		    0, NULL, NULL);
		agent_loop_provision(s);
		return 1;
	}
	switch (s->phase) {
	case SESSION_PHASE_IN_MODEL:
		/* Only after a restart: that request is lost; redo it. */
		session_emit(s, "span.model_request_end",
		    json_pack("{sssbs{sisisisi}}",
		    "model_request_start_id", s->span_start, "is_error", 1,
		    "model_usage", "input_tokens", 0, "output_tokens", 0,
		    "cache_creation_input_tokens", 0, "cache_read_input_tokens",
		    0), json_pack("{sb}", "discard", 1), 0, NULL, NULL);
		return 1;
	case SESSION_PHASE_TOOLS:
		if (agent_loop_any_pending(s)) {
			agent_loop_requires_action(s);
			return 0;
		}
		agent_loop_settle(s);
		return 1;
	case SESSION_PHASE_FINISH:
		agent_loop_idle(s, ends[s->stop != NULL &&
		    strcmp(s->stop, "refusal") == 0], s->stop != NULL &&
		    strcmp(s->stop, "refusal") == 0 ? s->stop_details : NULL);
		return 1;
	case SESSION_PHASE_NONE:
		/* Running with nothing logged since the turn began. */
		s->phase = SESSION_PHASE_MODEL;
		return 1;
	case SESSION_PHASE_MODEL:
		agent_loop_model(s);
		return 1;
	}
	return 0;
}

/* The runner job. */
static void
agent_loop_job(void *arg)
{
	struct session	*s = arg;

	pthread_mutex_lock(&s->lock);
	while (agent_loop_step(s))
		continue;
	s->scheduled = 0;
	pthread_mutex_unlock(&s->lock);
	session_unref(s);
}

/* Log a client event with its semantics (see agent_loop.h). */
int
agent_loop_accept(struct session *s, json_t *params, json_t *priv,
    json_t **echo)
{
	const char	*type = hjson_str(params, "type");
	json_t		*fields;
	int		 queued, rv;

	fields = json_deep_copy(params);
	json_object_del(fields, "type");
	queued = strcmp(type, "user.message") == 0 ||
	    strcmp(type, "user.tool_confirmation") == 0;
	rv = session_emit(s, type, fields, priv, queued ? SESSION_QUEUED : 0,
	    NULL, echo);
	if (strcmp(type, "user.interrupt") == 0 && s->interrupt) {
		cancel_fire(&s->cancel);
		pthread_cond_broadcast(&s->cond);
	}
	agent_loop_kick(s);
	return rv;
}

/* After a reload (see agent_loop.h). */
void
agent_loop_resume(struct session *s)
{
	for (size_t i = 0; i < s->ncalls; i++) {
		struct session_call	*c = &s->calls[i];

		if (!c->done && !c->custom && !session_call_pending(s, c) &&
		    (c->verdict == POLICY_ALLOW || c->confirm ==
		    SESSION_CONFIRM_ALLOW) && !c->refused && !c->invalid_input)
			c->stale = 1;
	}
	if (s->status == SESSION_RUNNING)
		session_emit(s, "session.status_rescheduled", json_object(),
		    NULL, 0, NULL, NULL);
	if (s->status == SESSION_IDLE && s->requires_action)
		agent_loop_autopilot(s);
	agent_loop_kick(s);
}
