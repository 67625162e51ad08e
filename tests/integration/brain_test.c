/* ISC licence: see COPYING.  The brains against stand-in model servers. */

/*
 * Each brain makes real HTTP requests to the stand-in server
 * (brain_standin.c) replaying recorded streams: the events must be those
 * of the recording, the request bodies exactly what the builders make,
 * the headers right, and every failure mapped as harness.md 3.8 says.
 * An interrupt must abort the transfer at once, not wait for it.
 *
 * The program re-runs itself with ANTHROPIC_API_KEY in its initial
 * environment, so the scrubbing of /proc/self/environ can be checked.
 */

#include "config.h"

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "base/cancel.h"
#include "base/clock.h"
#include "base/io.h"
#include "base/xmalloc.h"
#include "harness/brain.h"
#include "harness/brain_anthropic.h"
#include "harness/brain_key.h"
#include "harness/brain_openai.h"
#include "brain_trace.h"
#include "standin.h"
#include "tap.h"

#define TEST_KEY	"sk-ant-api03-standin-TESTKEY-0123456789"
#define LOCAL_KEY	"local-key-for-llama-server-42"

static char	*config_path;
static char	*tmpdir;

/* A one-message conversation. */
static json_t *
conversation(const char *text)
{
	return json_pack("[{s:s, s:[{s:s, s:s}]}]", "role", "user", "content",
	    "type", "text", "text", text);
}

/* Write the config file the brains read. */
static void
write_config(const char *anthropic_url, const char *local_url,
    int stream_tools)
{
	char	*text, *cause = NULL;

	xasprintf(&text, "[anthropic]\nbase_url = %s\nmax_tokens = 1024\n\n"
	    "[brain.standin]\nbase_url = %s/v1\nmodel = qwen2.5-coder-7b\n"
	    "context_window = 32768\nstream_tools = %s\n\n"
	    "[brain.keyed]\nbase_url = %s/v1/\nmodel = m\nkey_file = key\n",
	    anthropic_url, local_url, stream_tools ? "true" : "false",
	    local_url);
	if (io_write_file(config_path, text, strlen(text), &cause) != 0) {
		printf("Bail out! %s\n", cause);
		exit(1);
	}
	free(text);
}

/* One model request through a brain; the trace is returned. */
static char *
turn(const struct brain_ops *ops, void *impl, json_t *messages, json_t *tools,
    struct brain_result *res, struct cancel *cancel, struct brain_trace *tp)
{
	struct brain_request	 req;
	struct brain_trace	 t, *tr = tp != NULL ? tp : &t;
	char			*out;

	memset(&req, 0, sizeof req);
	req.model = "claude-sonnet-4-5";
	req.system = "Be brief.";
	req.messages = messages;
	req.tools = tools;
	req.max_tokens = 2048;
	if (tp == NULL)
		brain_trace_init(&t);
	memset(res, 0, sizeof *res);
	res->retry_after_ms = -1;
	ops->next_turn(impl, &req, brain_trace_sink, tr, cancel, res);
	brain_trace_result(tr, res);
	out = xstrdup(buf_cstr(&tr->out));
	if (tp == NULL)
		brain_trace_clear(&t);
	return out;
}

/* The recorded trace file (minus nothing: the brains tell the same). */
static char *
trace_of(const char *name)
{
	struct buf	 b;
	char		*path, *cause = NULL;

	xasprintf(&path, STANDIN_DATA "/%s", name);
	buf_init(&b, 1 << 20);
	if (io_read_file(path, b.max, &b, &cause) != 0) {
		printf("Bail out! %s\n", cause);
		exit(1);
	}
	free(path);
	return buf_steal(&b, NULL);
}

/* Does request n's body equal the body the builder makes for req? */
static int
body_is(struct standin *s, int n, json_t *want)
{
	char	 name[32], *got;
	json_t	*j;
	int	 same;

	snprintf(name, sizeof name, "%d.body", n);
	if ((got = standin_wait(s, name, 5000)) == NULL)
		return 0;
	j = json_loads(got, 0, NULL);
	same = json_equal(j, want);
	if (!same)
		diag("request %d was %s", n, got);
	json_decref(j);
	free(got);
	return same;
}

/* Does the stand-in's file contain text? */
static int
file_has(struct standin *s, const char *name, const char *text)
{
	char	*got;
	int	 has;

	if ((got = standin_wait(s, name, 5000)) == NULL)
		return 0;
	has = strstr(got, text) != NULL;
	free(got);
	return has;
}

/* Does request n's head contain line (case-sensitive, as sent)? */
static int
head_has(struct standin *s, int n, const char *line)
{
	char	 name[32];

	snprintf(name, sizeof name, "%d.head", n);
	return file_has(s, name, line);
}

/* Fires a cancel from another thread when told, and times it. */
struct canceller {
	struct cancel	*cancel;
	int		 pipe[2];
	int64_t		 fired_us;
	pthread_t	 thread;
};

/* The canceller's thread: fire when the sink says so. */
static void *
canceller_main(void *arg)
{
	struct canceller	*c = arg;
	char			 ch;

	if (read(c->pipe[0], &ch, 1) == 1) {
		c->fired_us = clock_mono_us();
		cancel_fire(c->cancel);
	}
	return NULL;
}

/* A sink that asks for the cancel at the first text delta. */
struct cancel_sink {
	struct brain_trace	 trace;
	struct canceller	*c;
	int			 asked;
};

/* Trace, and ask for the cancel at the first text delta. */
static int
cancel_sink(void *arg, const struct brain_ev *ev)
{
	struct cancel_sink	*cs = arg;

	if (ev->kind == BRAIN_EV_TEXT && !cs->asked) {
		cs->asked = 1;
		if (write(cs->c->pipe[1], "x", 1) != 1)
			abort();
	}
	return brain_trace_sink(&cs->trace, ev);
}

/* Interrupt a brain mid-stream: the transfer must end at once. */
static void
check_interrupt(const char *what, const struct brain_ops *ops, void *impl,
    struct standin *s, int n)
{
	struct cancel		 cancel;
	struct canceller	 c;
	struct cancel_sink	 cs;
	struct brain_request	 req;
	struct brain_result	 res;
	json_t			*conv = conversation("Count.");
	int64_t			 done_us;
	char			 name[32], *done;

	cancel_init(&cancel);
	memset(&c, 0, sizeof c);
	c.cancel = &cancel;
	if (pipe(c.pipe) != 0)
		abort();
	pthread_create(&c.thread, NULL, canceller_main, &c);
	memset(&cs, 0, sizeof cs);
	brain_trace_init(&cs.trace);
	cs.c = &c;
	memset(&req, 0, sizeof req);
	req.model = "claude-sonnet-4-5";
	req.messages = conv;
	memset(&res, 0, sizeof res);
	ops->next_turn(impl, &req, cancel_sink, &cs, &cancel, &res);
	done_us = clock_mono_us();
	close(c.pipe[1]);
	pthread_join(c.thread, NULL);
	is_int(res.status, BRAIN_CANCELLED, "%s: an interrupt cancels the "
	    "request", what);
	ok(c.fired_us > 0 && done_us - c.fired_us < 50000,
	    "%s: the call returns at once (%lld us after the cancel)", what,
	    (long long)(done_us - c.fired_us));
	ok(cs.trace.texts == 1 && !cs.trace.stopped,
	    "%s: the stream was not read to its end (%d text deltas)", what,
	    cs.trace.texts);
	snprintf(name, sizeof name, "%d.done", n);
	done = standin_wait(s, name, 5000);
	ok(done != NULL && strncmp(done, "client-closed ", 14) == 0 &&
	    atoi(done + 14) >= 0 && atoi(done + 14) < 1000,
	    "%s: the server saw the connection dropped (%s)", what,
	    done != NULL ? done : "nothing");
	free(done);
	brain_trace_clear(&cs.trace);
	close(c.pipe[0]);
	cancel_clear(&cancel);
	json_decref(conv);
}

/* A port with nobody listening. */
static int
dead_port(void)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof sin;
	int			fd, port;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) != 0)
		abort();
	port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

/* The key leaves the environment, /proc/self/environ and core dumps. */
static void
check_key_scrub(void)
{
	struct buf	 b;
	char		*cause = NULL;
	int		 leaked = 0;

	ok(brain_key_take_env(), "the key is taken from ANTHROPIC_API_KEY");
	ok(getenv("ANTHROPIC_API_KEY") == NULL, "and unset");
	buf_init(&b, 1 << 20);
	if (io_read_file("/proc/self/environ", b.max, &b, &cause) == 0) {
		for (size_t i = 0; i + 10 <= b.len; i++)
			if (memcmp(b.data + i, "standin-TE", 10) == 0)
				leaked = 1;
		ok(!leaked, "its bytes are gone from /proc/self/environ");
	} else {
		ok(1, "/proc/self/environ is unreadable (%s)", cause);
		free(cause);
	}
	buf_clear(&b);
	is_int(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0,
	    "the harness is no longer dumpable or traceable");
}

/* The Anthropic brain against one stand-in, failure after failure. */
static void
test_anthropic(void)
{
	struct standin		 s;
	struct brain_env	 env;
	struct brain_result	 res;
	struct brain_request	 req;
	void			*impl;
	char			*got, *want, *cause = NULL, *msg;
	json_t			*conv, *tools, *body;

	standin_start(&s,
	    "200 @/anthropic-tool-use/1.sse\n"
	    "200 @/anthropic-tool-use/2.sse\n"
	    "429 @/anthropic-429/429.json retry-after=1\n"
	    "200 @/anthropic-429/2.sse\n"
	    "200 @/anthropic-overloaded/1.sse\n"
	    "529 @/anthropic-overloaded/529.json\n"
	    "200 @/anthropic-overloaded/3.sse\n"
	    "200 @/anthropic-long/1.sse cut=3000\n"
	    "200 @/anthropic-long/1.sse close cut=3000\n"
	    "200 @/anthropic-long/2.sse\n"
	    "401 @/anthropic-errors/401.json\n"
	    "400 @/anthropic-errors/400-long.json\n"
	    "400 @/anthropic-errors/400-billing.json\n"
	    "500 @/anthropic-errors/500.json\n"
	    "200 @/anthropic-malformed/1.sse\n"
	    "200 @/anthropic-long/1.sse hang=3\n");
	write_config(s.url, s.url, 1);
	memset(&env, 0, sizeof env);
	env.config_path = config_path;
	impl = brain_anthropic_create("claude-sonnet-4-5", &env, &cause);
	ok(impl != NULL, "anthropic: the brain is made from [anthropic]");

	/* 1, 2: a tool-use turn of two requests, thinking continued. */
	conv = conversation("Fix the failing test.");
	tools = json_pack("[{s:s, s:s, s:{s:s}}]", "name", "bash",
	    "description", "Run a command.", "input_schema", "type", "object");
	got = turn(&brain_anthropic_ops, impl, conv, tools, &res, NULL, NULL);
	want = trace_of("anthropic-tool-use/1.trace");
	is_str(got, want, "anthropic: request 1 streams the recorded events");
	free(got);
	free(want);
	memset(&req, 0, sizeof req);
	req.model = "claude-sonnet-4-5";
	req.system = "Be brief.";
	req.messages = conv;
	req.tools = tools;
	req.max_tokens = 2048;
	req.thinking = json_pack("{s:s}", "type", "adaptive");
	body = brain_anthropic_body(&req, 1024);
	ok(body_is(&s, 1, body), "anthropic: request 1 body is exactly the "
	    "builder's, with [anthropic]'s default adaptive thinking");
	json_decref(body);
	ok(head_has(&s, 1, "POST /v1/messages HTTP/1.1\r\n") &&
	    head_has(&s, 1, "x-api-key: " TEST_KEY "\r\n") &&
	    head_has(&s, 1, "anthropic-version: 2026-10-21\r\n") &&
	    head_has(&s, 1, "Content-Type: application/json\r\n"),
	    "anthropic: path, key and version headers as the SDK sends them");

	/* The harness answers the tool call; thinking goes back as is. */
	json_array_append_new(conv, json_loads("{\"role\":\"assistant\","
	    "\"content\":[{\"type\":\"thinking\",\"thinking\":\"The user "
	    "wants the failing test fixed. First I should run it to see the "
	    "failure.\",\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrk"
	    "zLoky3dl1pkiMOYds7hSr3gUl8Q2bB6cEqeUwLjzCr3OlK1axi7G6CUJLHp3YeMS"
	    "pUdz0+ZIKqYVi0d4hH/dw0vLFk7SUS6gXMkv7XKGZVIHMxfXX8rYhf3qXoiFm6rN"
	    "MFFeMihR3dt+OKHSCJtVDpm8pXGVVZMrmEAjsr/xeN25F6ipAa6q5rRjgWMHtUqf"
	    "9tQRPA==\"},{\"type\":\"text\",\"text\":\"Let me run the tests."
	    "\"},{\"type\":\"tool_use\",\"id\":\"toolu_01A09q90qw90lq917835lq"
	    "9X\",\"name\":\"bash\",\"input\":{\"command\":\"make test\"}}]}",
	    0, NULL));
	json_array_append_new(conv, json_loads("{\"role\":\"user\",\"content"
	    "\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01A09q90qw"
	    "90lq917835lq9X\",\"content\":[{\"type\":\"text\",\"text\":\"FAIL "
	    "mean\"}],\"is_error\":true,\"x_denied\":false}]}", 0, NULL));
	got = turn(&brain_anthropic_ops, impl, conv, tools, &res, NULL, NULL);
	want = trace_of("anthropic-tool-use/2.trace");
	is_str(got, want, "anthropic: request 2 streams the recorded events");
	free(got);
	free(want);
	body = brain_anthropic_body(&req, 1024);
	ok(body_is(&s, 2, body), "anthropic: request 2 carries the thinking "
	    "block, its signature and the tool result");
	ok(json_object_get(json_array_get(json_object_get(json_array_get(
	    json_object_get(body, "messages"), 2), "content"), 0),
	    "cache_control") != NULL, "anthropic: the tool result is the "
	    "conversation's cache breakpoint");
	json_decref(body);
	json_decref(req.thinking);
	got = standin_read(&s, "connections");
	is_str(got, "1\n", "anthropic: both requests used one connection");
	free(got);

	/* 3, 4: rate limited, then fine. */
	free(turn(&brain_anthropic_ops, impl, conv, NULL, &res, NULL, NULL));
	ok(res.status == BRAIN_E_RATE_LIMITED && res.retryable &&
	    res.retry_after_ms == 1000 && res.http_status == 429 &&
	    strstr(res.message, "rate_limit_error") != NULL,
	    "anthropic: 429 is rate limited, retry-after honoured (%s)",
	    res.message);
	free(turn(&brain_anthropic_ops, impl, conv, NULL, &res, NULL, NULL));
	is_int(res.status, BRAIN_OK, "anthropic: the retry succeeds");

	/* 5-7: overloaded in the stream, then 529, then fine. */
	free(turn(&brain_anthropic_ops, impl, conv, NULL, &res, NULL, NULL));
	ok(res.status == BRAIN_E_OVERLOADED && res.retryable &&
	    strstr(res.message, "Overloaded") != NULL,
	    "anthropic: an overloaded_error event is overloaded (%s)",
	    res.message);
	free(turn(&brain_anthropic_ops, impl, conv, NULL, &res, NULL, NULL));
	ok(res.status == BRAIN_E_OVERLOADED && res.retryable &&
	    res.http_status == 529, "anthropic: 529 is overloaded");
	free(turn(&brain_anthropic_ops, impl, conv, NULL, &res, NULL, NULL));
	is_int(res.status, BRAIN_OK, "anthropic: then it works");

	/* 8-10: the connection drops mid-stream, chunked or not. */
	got = turn(&brain_anthropic_ops, impl, conv, NULL, &res, NULL, NULL);
	ok(res.status == BRAIN_E_REQUEST && res.retryable &&
	    strstr(res.message, "mid-response") != NULL &&
	    strstr(got, "end 0") == NULL,
	    "anthropic: a dropped connection is a retryable failure, the "
	    "open block unfinished (%s)", res.message);
	free(got);
	free(turn(&brain_anthropic_ops, impl, conv, NULL, &res, NULL, NULL));
	ok(res.status == BRAIN_E_REQUEST && res.retryable &&
	    strstr(res.message, "before message_stop") != NULL,
	    "anthropic: a body that just stops is not taken for an answer "
	    "(%s)", res.message);
	free(turn(&brain_anthropic_ops, impl, conv, NULL, &res, NULL, NULL));
	is_int(res.status, BRAIN_OK, "anthropic: and the retry works");

	/* 11-14: errors that retrying will not fix, and one it may. */
	free(turn(&brain_anthropic_ops, impl, conv, NULL, &res, NULL, NULL));
	ok(res.status == BRAIN_E_AUTH && !res.retryable &&
	    strstr(res.message, "invalid x-api-key") != NULL,
	    "anthropic: 401 is an authentication failure, final");
	free(turn(&brain_anthropic_ops, impl, conv, NULL, &res, NULL, NULL));
	ok(res.status == BRAIN_E_CONTEXT && !res.retryable,
	    "anthropic: prompt too long is a context failure");
	free(turn(&brain_anthropic_ops, impl, conv, NULL, &res, NULL, NULL));
	ok(res.status == BRAIN_E_BILLING && !res.retryable,
	    "anthropic: no credit is a billing error");
	free(turn(&brain_anthropic_ops, impl, conv, NULL, &res, NULL, NULL));
	ok(res.status == BRAIN_E_REQUEST && res.retryable &&
	    res.http_status == 500, "anthropic: 500 is retryable");

	/* 15: a malformed event. */
	free(turn(&brain_anthropic_ops, impl, conv, NULL, &res, NULL, NULL));
	ok(res.status == BRAIN_E_PROTOCOL && res.retryable &&
	    strncmp(res.message, "anthropic: malformed event", 26) == 0,
	    "anthropic: a malformed event fails the request, retryable (%s)",
	    res.message);

	/* 16: interrupted mid-stream. */
	check_interrupt("anthropic", &brain_anthropic_ops, impl, &s, 16);

	brain_anthropic_ops.free(impl);
	json_decref(tools);

	/* Nobody listening: the message says who, where, and what else. */
	xasprintf(&msg, "http://127.0.0.1:%d", dead_port());
	write_config(msg, msg, 1);
	impl = brain_anthropic_create("claude-sonnet-4-5", &env, &cause);
	free(turn(&brain_anthropic_ops, impl, conv, NULL, &res, NULL, NULL));
	ok(res.status == BRAIN_E_REQUEST && res.retryable &&
	    strstr(res.message, msg) != NULL &&
	    strstr(res.message, "/v1/messages") != NULL &&
	    strstr(res.message, "local:") != NULL &&
	    strstr(res.message, "scripted:") != NULL,
	    "anthropic: an unreachable server names the URL and suggests "
	    "local: or scripted: (%s)", res.message);
	brain_anthropic_ops.free(impl);
	free(msg);
	json_decref(conv);
	standin_stop(&s);
}

/* Without any key, a final error that says where to put one. */
static void
test_anthropic_nokey(void)
{
	struct brain_env	 env;
	struct brain_result	 res;
	void			*impl;
	char			*cause = NULL;
	json_t			*conv = conversation("hi");

	write_config("http://127.0.0.1:9", "http://127.0.0.1:9", 1);
	memset(&env, 0, sizeof env);
	env.config_path = config_path;
	impl = brain_anthropic_create("claude-sonnet-4-5", &env, &cause);
	free(turn(&brain_anthropic_ops, impl, conv, NULL, &res, NULL, NULL));
	ok(res.status == BRAIN_E_AUTH && !res.retryable &&
	    strstr(res.message, "ANTHROPIC_API_KEY") != NULL &&
	    strstr(res.message, "local:") != NULL,
	    "anthropic: without a key, a final error says where to put one");
	brain_anthropic_ops.free(impl);
	json_decref(conv);
}

/* The OpenAI-compatible brain: three servers' shapes, errors, keys. */
static void
test_openai(void)
{
	struct standin		 s;
	struct brain_env	 env;
	struct brain_result	 res;
	struct brain_request	 req;
	void			*impl;
	char			*got, *want, *cause = NULL, *keyfile, *msg;
	json_t			*conv, *tools, *body;

	standin_start(&s,
	    "200 @/openai-tool-use/1.sse\n"
	    "200 @/openai-parallel/1.sse\n"
	    "200 @/openai-ollama/1.sse\n"
	    "200 @/openai-malformed/1.sse\n"
	    "200 @/openai-malformed/2.sse\n"
	    "200 @/openai-midstream-error/1.sse\n"
	    "429 @/openai-errors/429.json retry-after-ms=1500\n"
	    "400 @/openai-errors/400-context.json\n"
	    "404 @/openai-errors/404.json\n"
	    "503 @/openai-errors/503.json\n"
	    "200 @/openai-long/1.sse cut=4000\n"
	    "200 @/openai-long/1.sse hang=2\n"
	    "200 @/openai-whole/1.json\n"
	    "200 @/openai-tool-use/2.sse\n");
	write_config(s.url, s.url, 1);
	memset(&env, 0, sizeof env);
	env.config_path = config_path;
	impl = brain_openai_create("standin", &env, &cause);
	ok(impl != NULL, "openai: the brain is made from [brain.standin]");

	conv = conversation("Fix the failing test.");
	tools = json_pack("[{s:s, s:s, s:{s:s}}]", "name", "bash",
	    "description", "Run a command.", "input_schema", "type", "object");
	got = turn(&brain_openai_ops, impl, conv, tools, &res, NULL, NULL);
	want = trace_of("openai-tool-use/1.trace");
	is_str(got, want, "openai: llama-server's tool call, streamed");
	free(got);
	free(want);
	memset(&req, 0, sizeof req);
	req.model = "claude-sonnet-4-5";
	req.system = "Be brief.";
	req.messages = conv;
	req.tools = tools;
	req.max_tokens = 2048;
	body = brain_openai_body(&req, "qwen2.5-coder-7b", 0, 1);
	ok(body_is(&s, 1, body), "openai: the request body is exactly the "
	    "builder's");
	json_decref(body);
	ok(head_has(&s, 1, "POST /v1/chat/completions HTTP/1.1\r\n") &&
	    !head_has(&s, 1, "Authorization:"),
	    "openai: /v1/chat/completions, no key when none is configured");

	got = turn(&brain_openai_ops, impl, conv, tools, &res, NULL, NULL);
	want = trace_of("openai-parallel/1.trace");
	is_str(got, want, "openai: vLLM's interleaved parallel calls, "
	    "re-sequenced");
	free(got);
	free(want);
	got = turn(&brain_openai_ops, impl, conv, tools, &res, NULL, NULL);
	want = trace_of("openai-ollama/1.trace");
	is_str(got, want, "openai: Ollama's reasoning and one-piece call");
	free(got);
	free(want);

	free(turn(&brain_openai_ops, impl, conv, tools, &res, NULL, NULL));
	ok(res.status == BRAIN_E_PROTOCOL && res.retryable &&
	    strncmp(res.message, "local:standin: malformed chunk", 30) == 0,
	    "openai: a malformed chunk fails the request, retryable (%s)",
	    res.message);
	free(turn(&brain_openai_ops, impl, conv, tools, &res, NULL, NULL));
	is_int(res.status, BRAIN_OK, "openai: the retry works");
	free(turn(&brain_openai_ops, impl, conv, tools, &res, NULL, NULL));
	ok(res.status == BRAIN_E_REQUEST && res.retryable &&
	    strstr(res.message, "llama_decode") != NULL,
	    "openai: an error object mid-stream is a retryable failure");

	free(turn(&brain_openai_ops, impl, conv, tools, &res, NULL, NULL));
	ok(res.status == BRAIN_E_RATE_LIMITED && res.retryable &&
	    res.retry_after_ms == 1500, "openai: 429 with retry-after-ms");
	free(turn(&brain_openai_ops, impl, conv, tools, &res, NULL, NULL));
	ok(res.status == BRAIN_E_CONTEXT && !res.retryable,
	    "openai: llama-server's exceed_context_size_error is a context "
	    "failure");
	free(turn(&brain_openai_ops, impl, conv, tools, &res, NULL, NULL));
	ok(res.status == BRAIN_E_REQUEST && !res.retryable &&
	    strstr(res.message, "not found") != NULL &&
	    strstr(res.message, "check base_url and the model name") != NULL,
	    "openai: 404 names the fix (%s)", res.message);
	free(turn(&brain_openai_ops, impl, conv, tools, &res, NULL, NULL));
	ok(res.status == BRAIN_E_REQUEST && res.retryable,
	    "openai: 503 while the model loads is retryable");

	got = turn(&brain_openai_ops, impl, conv, tools, &res, NULL, NULL);
	ok(res.status == BRAIN_E_REQUEST && res.retryable &&
	    strstr(res.message, "mid-response") != NULL,
	    "openai: a dropped connection is a retryable failure (%s)",
	    res.message);
	free(got);
	check_interrupt("openai", &brain_openai_ops, impl, &s, 12);
	brain_openai_ops.free(impl);

	/* stream_tools = false: one whole answer, replayed as events. */
	write_config(s.url, s.url, 0);
	impl = brain_openai_create("standin", &env, &cause);
	got = turn(&brain_openai_ops, impl, conv, tools, &res, NULL, NULL);
	want = trace_of("openai-whole/1.trace");
	is_str(got, want, "openai: stream_tools=false replays a whole answer");
	free(got);
	free(want);
	body = brain_openai_body(&req, "qwen2.5-coder-7b", 0, 0);
	ok(body_is(&s, 13, body), "openai: and asks for it unstreamed");
	json_decref(body);
	got = turn(&brain_openai_ops, impl, conv, NULL, &res, NULL, NULL);
	ok(res.status == BRAIN_OK && file_has(&s, "14.body", "\"stream\":true"),
	    "openai: without tools it still streams");
	free(got);
	brain_openai_ops.free(impl);
	standin_stop(&s);

	/* A key file becomes a bearer token; a server echo is masked. */
	standin_start(&s, "401 @/openai-errors/401-echo.json\n");
	write_config(s.url, s.url, 1);
	xasprintf(&keyfile, "%s/key", tmpdir);
	if (io_write_file(keyfile, LOCAL_KEY "\n", strlen(LOCAL_KEY) + 1,
	    &cause) != 0)
		abort();
	impl = brain_openai_create("keyed", &env, &cause);
	free(turn(&brain_openai_ops, impl, conv, NULL, &res, NULL, NULL));
	ok(head_has(&s, 1, "Authorization: Bearer " LOCAL_KEY "\r\n"),
	    "openai: key_file is sent as a bearer token");
	ok(res.status == BRAIN_E_AUTH && !res.retryable,
	    "openai: 401 is final");
	ok(strstr(res.message, LOCAL_KEY) == NULL &&
	    strstr(res.message, "Invalid API key: *****") != NULL,
	    "openai: a key the server echoes is masked (%s)", res.message);
	brain_openai_ops.free(impl);
	chmod(keyfile, 0644);
	impl = brain_openai_create("keyed", &env, &cause);
	free(turn(&brain_openai_ops, impl, conv, NULL, &res, NULL, NULL));
	ok(res.status == BRAIN_E_AUTH && strstr(res.message, "chmod 600") !=
	    NULL, "openai: a key file others can read is refused (%s)",
	    res.message);
	brain_openai_ops.free(impl);
	free(keyfile);
	standin_stop(&s);

	/* Nobody listening. */
	xasprintf(&msg, "http://127.0.0.1:%d", dead_port());
	write_config(msg, msg, 1);
	impl = brain_openai_create("standin", &env, &cause);
	free(turn(&brain_openai_ops, impl, conv, NULL, &res, NULL, NULL));
	ok(res.status == BRAIN_E_REQUEST && res.retryable &&
	    strstr(res.message, "local:standin") != NULL &&
	    strstr(res.message, msg) != NULL &&
	    strstr(res.message, "scripted:") != NULL,
	    "openai: an unreachable server names brain and URL (%s)",
	    res.message);
	brain_openai_ops.free(impl);
	free(msg);

	/* Configuration mistakes are reported when the brain is made. */
	impl = brain_openai_create("missing", &env, &cause);
	ok(impl == NULL && cause != NULL && strstr(cause, "[brain.missing]")
	    != NULL, "openai: an unknown alias names the section to add");
	free(cause);
	json_decref(tools);
	json_decref(conv);
}

int
main(int argc, char **argv)
{
	char	 tmpl[] = "/tmp/ph-brain.XXXXXX", *cmd;

	if (getenv("BRAIN_TEST_CHILD") == NULL) {
		/* Again, with the key in the initial environment. */
		setenv("BRAIN_TEST_CHILD", "1", 1);
		setenv("ANTHROPIC_API_KEY", TEST_KEY, 1);
		execv("/proc/self/exe", argv);
		printf("Bail out! re-exec: %s\n", strerror(errno));
		return 1;
	}
	if ((tmpdir = mkdtemp(tmpl)) == NULL)
		abort();
	xasprintf(&config_path, "%s/config", tmpdir);

	test_anthropic_nokey();
	check_key_scrub();
	test_anthropic();
	test_openai();

	xasprintf(&cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		diag("could not remove %s", tmpdir);
	free(cmd);
	free(config_path);
	return done_testing();
}
