/*
 * ISC licence: see COPYING.  Every typed endpoint of wire/api_client.h
 * against the real local harness (pilothouse serve on a private unix
 * socket): agents, environments, sessions, events -- method, path, body
 * and answer -- and a stream that sees a sent message come back.
 */

#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/loop.h"
#include "base/xmalloc.h"
#include "tap.h"
#include "wire/api_client.h"
#include "wire/stream.h"

static struct api_client	*c;
static struct loop		*loop;

/* Wait for a request and return its JSON (NULL after a diagnostic). */
static json_t *
call(struct api_request *r, const char *what)
{
	struct api_error	 err;
	json_t			*j;
	char			*s;

	if (api_wait_json(r, &j, &err) != 0) {
		s = api_error_format(&err);
		ok(0, "%s: %s", what, s);
		free(s);
		api_error_clear(&err);
		return NULL;
	}
	ok(1, "%s", what);
	return j;
}

/* A string member, or "". */
static const char *
str(json_t *j, const char *key)
{
	const char	*s = json_string_value(json_object_get(j, key));

	return s != NULL ? s : "";
}

/* The number of elements of a list page. */
static size_t
count(json_t *j)
{
	return json_array_size(json_object_get(j, "data"));
}

static int	saw_echo;

/* The stream's events: stop when the echo agent answered. */
static void
on_event(struct stream *s, struct api_event *ev, void *arg)
{
	if (strstr(ev->raw, "ping pong") != NULL &&
	    ev->type == API_EV_AGENT_MESSAGE) {
		saw_echo = 1;
		loop_exit(loop, 0);
	}
	api_event_free(ev);
}

/* Give up after a while. */
static void
on_deadline(struct loop_timer *t, void *arg)
{
	loop_exit(loop, 1);
}

int
main(void)
{
	static const struct stream_ops	 ops = { .event = on_event };
	const char			*ph = getenv("PILOTHOUSE");
	const char			*tmp = getenv("TMPDIR");
	char				 dir[PATH_MAX], url[PATH_MAX + 64];
	char				 run[PATH_MAX + 16], *cause = NULL;
	char				*agent = NULL, *env = NULL, *sess = NULL;
	json_t				*j, *body;
	struct stream_mgr		*m;
	struct loop_timer		*t;
	struct stat			 sb;
	pid_t				 pid;
	int				 status;

	if (ph == NULL || access(ph, X_OK) != 0)
		tap_skip_all("PILOTHOUSE is not set");
	snprintf(dir, sizeof dir, "%s/ph-endpoints.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		tap_skip_all("mkdtemp failed");
	snprintf(run, sizeof run, "%s/run", dir);
	mkdir(run, 0700);
	setenv("XDG_RUNTIME_DIR", run, 1);
	setenv("XDG_CONFIG_HOME", dir, 1);
	setenv("XDG_DATA_HOME", dir, 1);
	setenv("XDG_STATE_HOME", dir, 1);
	setenv("XDG_CACHE_HOME", dir, 1);
	if ((pid = fork()) == 0) {
		execl(ph, "pilothouse", "serve", "--scripted-fast",
		    "--background", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		tap_skip_all("pilothouse serve --background failed");
	snprintf(url, sizeof url, "unix:%s/pilothouse/harness.sock", run);
	ok(stat(url + 5, &sb) == 0 && S_ISSOCK(sb.st_mode), "harness socket");

	loop = loop_create();
	c = api_client_create(loop, url, NULL, &cause);

	/* Agents. */
	body = json_pack("{s:s, s:s}", "name", "endpoints", "model",
	    "scripted:echo");
	if ((j = call(api_agent_create(c, body, NULL, NULL), "agent create"))) {
		agent = xstrdup(str(j, "id"));
		is_int(json_integer_value(json_object_get(j, "version")), 1,
		    "  version 1");
		json_decref(j);
	}
	json_decref(body);
	if ((j = call(api_agents_list(c, &(struct api_list){ .limit = 10 },
	    NULL, NULL), "agents list"))) {
		is_int(count(j), 1, "  one agent");
		json_decref(j);
	}
	body = json_pack("{s:i, s:s}", "version", 1, "description", "d");
	if ((j = call(api_agent_update(c, agent, body, NULL, NULL),
	    "agent update"))) {
		is_int(json_integer_value(json_object_get(j, "version")), 2,
		    "  version 2");
		json_decref(j);
	}
	json_decref(body);
	if ((j = call(api_agent_get(c, agent, 1, NULL, NULL),
	    "agent get version 1"))) {
		is_int(json_integer_value(json_object_get(j, "version")), 1,
		    "  the old version");
		json_decref(j);
	}
	if ((j = call(api_agent_versions(c, agent, NULL, NULL, NULL),
	    "agent versions"))) {
		is_int(count(j), 2, "  two versions");
		json_decref(j);
	}

	/* Environments. */
	body = json_pack("{s:s}", "name", "env");
	if ((j = call(api_environment_create(c, body, NULL, NULL),
	    "environment create"))) {
		env = xstrdup(str(j, "id"));
		json_decref(j);
	}
	json_decref(body);
	body = json_pack("{s:s}", "description", "changed");
	if ((j = call(api_environment_update(c, env, body, NULL, NULL),
	    "environment update"))) {
		is_str(str(j, "description"), "changed", "  updated");
		json_decref(j);
	}
	json_decref(body);
	if ((j = call(api_environment_get(c, env, NULL, NULL),
	    "environment get"))) {
		is_str(str(j, "id"), env, "  the same id");
		json_decref(j);
	}
	if ((j = call(api_environments_list(c, NULL, NULL, NULL),
	    "environments list"))) {
		is_int(count(j), 1, "  one environment");
		json_decref(j);
	}

	/* Sessions and events. */
	body = json_pack("{s:s, s:s, s:s}", "agent", agent, "environment_id",
	    env, "title", "endpoint test");
	if ((j = call(api_session_create(c, body, NULL, NULL),
	    "session create"))) {
		sess = xstrdup(str(j, "id"));
		is_str(str(j, "status"), "idle", "  idle");
		json_decref(j);
	}
	json_decref(body);
	if ((j = call(api_sessions_list(c, &(struct api_list){
	    .statuses = (const char *const[]){ "idle", NULL },
	    .order = "asc" }, NULL, NULL), "sessions list, statuses[]"))) {
		is_int(count(j), 1, "  one idle session");
		json_decref(j);
	}
	body = json_pack("{s:s}", "title", "renamed");
	if ((j = call(api_session_update(c, sess, body, NULL, NULL),
	    "session update"))) {
		is_str(str(j, "title"), "renamed", "  renamed");
		json_decref(j);
	}
	json_decref(body);
	if ((j = call(api_session_get(c, sess, NULL, NULL), "session get"))) {
		is_str(str(j, "title"), "renamed", "  as updated");
		json_decref(j);
	}

	/* Follow the session, send a message, see the answer. */
	m = stream_mgr_create(c, NULL, &ops);
	stream_follow(m, sess, NULL, NULL);
	body = json_pack("[{s:s, s:[{s:s, s:s}]}]", "type", "user.message",
	    "content", "type", "text", "text", "ping pong");
	if ((j = call(api_events_send(c, sess, body, NULL, NULL),
	    "events send"))) {
		ok(json_is_null(json_object_get(json_array_get(
		    json_object_get(j, "data"), 0), "processed_at")),
		    "  echoed queued");
		json_decref(j);
	}
	json_decref(body);
	t = loop_timer_create(loop, on_deadline, NULL);
	loop_timer_arm(t, 20000);
	loop_run(loop);
	ok(saw_echo, "the stream delivered the agent's answer");
	loop_timer_free(t);
	stream_mgr_free(m);
	if ((j = call(api_events_list(c, sess, &(struct api_list){
	    .types = (const char *const[]){ "agent.message", NULL } }, NULL,
	    NULL), "events list, types[]"))) {
		is_int(count(j), 1, "  one agent.message");
		json_decref(j);
	}

	/* Archive and delete. */
	j = NULL;
	for (int i = 0; i < 50 && j == NULL; i++) {
		/* Right after idle a session may still read as running. */
		struct api_error	err;

		if (api_wait_json(api_session_archive(c, sess, NULL, NULL), &j,
		    &err) != 0) {
			api_error_clear(&err);
			usleep(100000);
		}
	}
	ok(j != NULL && json_string_value(json_object_get(j,
	    "archived_at")) != NULL, "session archive");
	json_decref(j);
	if ((j = call(api_session_delete(c, sess, NULL, NULL),
	    "session delete"))) {
		is_str(str(j, "type"), "session_deleted", "  session_deleted");
		json_decref(j);
	}
	if ((j = call(api_environment_archive(c, env, NULL, NULL),
	    "environment archive")))
		json_decref(j);
	if ((j = call(api_environment_delete(c, env, NULL, NULL),
	    "environment delete"))) {
		is_str(str(j, "type"), "environment_deleted",
		    "  environment_deleted");
		json_decref(j);
	}
	if ((j = call(api_agent_archive(c, agent, NULL, NULL),
	    "agent archive"))) {
		ok(json_string_value(json_object_get(j, "archived_at")) !=
		    NULL, "  archived_at set");
		json_decref(j);
	}

	api_client_free(c);
	loop_free(loop);
	if ((pid = fork()) == 0) {
		/* It says what it stopped: keep that out of the TAP. */
		if (freopen("/dev/null", "w", stdout) == NULL)
			_exit(127);
		execl(ph, "pilothouse", "serve", "--stop", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	free(agent);
	free(env);
	free(sess);
	snprintf(url, sizeof url, "rm -rf '%s'", dir);
	if (system(url) != 0)
		diag("could not remove %s", dir);
	return done_testing();
}
