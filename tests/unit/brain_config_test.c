/* ISC licence: see COPYING.  Tests for the brains' configuration, keys,
 * error mapping and compaction thresholds. */

#include "config.h"

#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/io.h"
#include "base/xmalloc.h"
#include "harness/brain.h"
#include "harness/brain_config.h"
#include "harness/brain_http.h"
#include "harness/brain_key.h"
#include "harness/compact.h"
#include "tap.h"

static char	*dir;

/* Write name under the test directory; returns its path (caller frees). */
static char *
put(const char *name, const char *text, mode_t mode)
{
	char	*path, *cause = NULL;

	xasprintf(&path, "%s/%s", dir, name);
	if (io_write_file(path, text, strlen(text), &cause) != 0) {
		printf("Bail out! %s\n", cause);
		exit(1);
	}
	chmod(path, mode);
	return path;
}

static void
test_alias(void)
{
	struct brain_alias	 ba;
	char			*cfg, *cause = NULL, *want;

	cfg = put("config",
	    "[brain.qwen]\n"
	    "base_url = http://127.0.0.1:8080/v1\n"
	    "model = qwen2.5-coder-7b\n"
	    "key_file = keys/qwen\n"
	    "context_window = 32768\n"
	    "stream_tools = false\n"
	    "max_tokens = 4096\n"
	    "[brain.bare]\n"
	    "base_url = http://127.0.0.1:11434/v1\n"
	    "model = qwen3:8b\n"
	    "[brain.typo]\n"
	    "base_url = http://x/v1\nmodel = m\nstream_tool = true\n"
	    "[brain.nourl]\nmodel = m\n"
	    "[brain.ftp]\nbase_url = ftp://x/\nmodel = m\n"
	    "[brain.window]\nbase_url = http://x/\nmodel = m\n"
	    "context_window = 12\n"
	    "[brain.flag]\nbase_url = http://x/\nmodel = m\n"
	    "stream_tools = maybe\n", 0600);

	ok(brain_config_alias(cfg, "qwen", &ba, &cause) == 0,
	    "a full [brain.qwen] section reads");
	is_str(ba.base_url, "http://127.0.0.1:8080/v1", "base_url");
	is_str(ba.model, "qwen2.5-coder-7b", "model");
	xasprintf(&want, "%s/keys/qwen", dir);
	is_str(ba.key_file, want, "a relative key_file is beside the config");
	free(want);
	ok(ba.context_window == 32768 && ba.stream_tools == 0 &&
	    ba.max_tokens == 4096, "numbers and stream_tools");
	brain_alias_clear(&ba);

	ok(brain_config_alias(cfg, "bare", &ba, &cause) == 0 &&
	    ba.key_file == NULL && ba.context_window == 0 &&
	    ba.stream_tools == 1, "defaults: no key, unknown window, streamed "
	    "tools");
	brain_alias_clear(&ba);

	ok(brain_config_alias(cfg, "typo", &ba, &cause) == -1 &&
	    strstr(cause, "unknown key \"stream_tool\"") != NULL,
	    "a misspelt key is an error naming it");
	free(cause);
	ok(brain_config_alias(cfg, "nourl", &ba, &cause) == -1 &&
	    strstr(cause, "needs base_url and model") != NULL,
	    "base_url is required");
	free(cause);
	ok(brain_config_alias(cfg, "ftp", &ba, &cause) == -1 &&
	    strstr(cause, "not an http:// or https:// URL") != NULL,
	    "only http and https");
	free(cause);
	ok(brain_config_alias(cfg, "window", &ba, &cause) == -1 &&
	    strstr(cause, "context_window") != NULL,
	    "a tiny window is refused");
	free(cause);
	ok(brain_config_alias(cfg, "flag", &ba, &cause) == -1 &&
	    strstr(cause, "not true or false") != NULL,
	    "stream_tools is a boolean");
	free(cause);
	ok(brain_config_alias(cfg, "nope", &ba, &cause) == -1 &&
	    strstr(cause, "no [brain.nope] section") != NULL &&
	    strstr(cause, "local:nope") != NULL,
	    "a missing alias names the model and the section");
	free(cause);

	ok(brain_config_known("brain.x", "stream_tools") == 1 &&
	    brain_config_known("brain.x", "thinking") == 0 &&
	    brain_config_known("anthropic", "thinking") == 1 &&
	    brain_config_known("anthropic", "model") == 0 &&
	    brain_config_known("api", "url") == -1 &&
	    brain_config_known("brain.", "model") == -1,
	    "brain_config_known answers for the client's config check");
	is_int(compact_window(cfg, "local:qwen"), 32768,
	    "compaction uses the alias's window");
	is_int(compact_window(cfg, "local:bare"), 0,
	    "an alias without a window: compaction only when told");
	is_int(compact_window(cfg, "scripted:echo"), -1,
	    "the scripted brain never compacts");
	is_int(compact_window(cfg, "claude-sonnet-4-5"),
	    BRAIN_ANTHROPIC_DEFAULT_WINDOW, "Claude's window by default");
	free(cfg);
}

static void
test_anthropic(void)
{
	struct brain_anthropic_config	 ac;
	char				*cfg, *cause = NULL;

	cfg = put("config", "[anthropic]\nthinking = 8000\n"
	    "context_window = 1000000\nkey_file = /etc/k\n", 0600);
	unsetenv(BRAIN_ANTHROPIC_URL_ENV);
	ok(brain_config_anthropic(cfg, &ac, &cause) == 0, "[anthropic] reads");
	is_str(ac.base_url, BRAIN_ANTHROPIC_DEFAULT_URL,
	    "the API by default");
	ok(ac.thinking == 8000 && ac.context_window == 1000000,
	    "a thinking budget and a window");
	is_str(ac.key_file, "/etc/k", "an absolute key file");
	brain_anthropic_config_clear(&ac);
	is_int(compact_window(cfg, "claude-opus-4-6"), 1000000,
	    "the configured window is used for compaction");

	setenv(BRAIN_ANTHROPIC_URL_ENV, "http://127.0.0.1:9/", 1);
	ok(brain_config_anthropic(cfg, &ac, &cause) == 0 &&
	    strcmp(ac.base_url, "http://127.0.0.1:9/") == 0,
	    BRAIN_ANTHROPIC_URL_ENV " overrides the base URL");
	brain_anthropic_config_clear(&ac);
	unsetenv(BRAIN_ANTHROPIC_URL_ENV);
	free(cfg);

	cfg = put("config", "[anthropic]\nthinking = off\n", 0600);
	ok(brain_config_anthropic(cfg, &ac, &cause) == 0 &&
	    ac.thinking == BRAIN_THINKING_OFF, "thinking = off");
	brain_anthropic_config_clear(&ac);
	free(cfg);
	cfg = put("config", "[anthropic]\nthinking = lots\n", 0600);
	ok(brain_config_anthropic(cfg, &ac, &cause) == -1 &&
	    strstr(cause, "thinking") != NULL, "a bad thinking value");
	free(cause);
	free(cfg);
	cfg = put("config", "# nothing\n", 0600);
	ok(brain_config_anthropic(cfg, &ac, &cause) == 0 &&
	    ac.thinking == BRAIN_THINKING_ADAPTIVE && ac.max_tokens == 0,
	    "no section: adaptive thinking, default limits");
	brain_anthropic_config_clear(&ac);
	free(cfg);
	xasprintf(&cfg, "%s/absent", dir);
	ok(brain_config_anthropic(cfg, &ac, &cause) == 0,
	    "no config file at all is fine");
	brain_anthropic_config_clear(&ac);
	free(cfg);
}

static void
test_keys(void)
{
	char	*path, *key, *cause = NULL, text[64];

	path = put("k1", "\n  sk-ant-api03-abc  \nsecond line\n", 0600);
	key = brain_key_read(path, &cause);
	is_str(key, "sk-ant-api03-abc", "a key file's first line, trimmed");
	brain_key_free(key);
	free(path);
	path = put("k2", "sk-x\n", 0640);
	ok(brain_key_read(path, &cause) == NULL &&
	    strstr(cause, "chmod 600") != NULL,
	    "a key file the group can read is refused");
	free(cause);
	free(path);
	path = put("k3", " \n", 0600);
	ok(brain_key_read(path, &cause) == NULL &&
	    strstr(cause, "empty") != NULL, "an empty key file");
	free(cause);
	free(path);
	ok(brain_key_read("/nonexistent/key", &cause) == NULL &&
	    strstr(cause, "/nonexistent/key") != NULL, "a missing key file");
	free(cause);

	snprintf(text, sizeof text, "bad key sk-ant-1 and sk-ant-1 again");
	brain_key_redact(text, "sk-ant-1");
	is_str(text, "bad key ******** and ******** again",
	    "every copy of a key is masked");
}

/* Parse an error body given as a C string. */
static void
parse(const char *body, char **type, char **msg)
{
	brain_http_error_parse(body, strlen(body), type, msg);
}

static void
test_http(void)
{
	struct brain_http_response	 resp;
	struct brain_result		 res;
	char				*type, *msg, *url;
	int				 retry;

	url = brain_http_url("http://h:1/v1/", "/chat/completions");
	is_str(url, "http://h:1/v1/chat/completions", "URLs join with one "
	    "slash");
	free(url);

	parse("{\"type\":\"error\",\"error\":{\"type\":"
	    "\"overloaded_error\",\"message\":\"Overloaded\"}}", &type, &msg);
	ok(type != NULL && strcmp(type, "overloaded_error") == 0 &&
	    msg != NULL && strcmp(msg, "Overloaded") == 0,
	    "Anthropic's error envelope");
	free(type);
	free(msg);
	parse("{\"error\":\"model not loaded\"}", &type, &msg);
	ok(type == NULL && msg != NULL && strcmp(msg, "model not loaded") == 0,
	    "an error that is just a string (Ollama)");
	free(type);
	free(msg);
	parse("<html>\n<h1>502 Bad Gateway</h1>", &type, &msg);
	ok(type == NULL && msg != NULL && strcmp(msg, "<html>") == 0,
	    "a body that is not JSON gives its first line");
	free(type);
	free(msg);

	ok(brain_http_error_status("invalid_request_error", "prompt is too "
	    "long: 208456 tokens > 200000 maximum", &retry) ==
	    BRAIN_E_CONTEXT && !retry, "prompt too long is the context");
	ok(brain_http_error_status(NULL, "This model's maximum context "
	    "length is 8192 tokens", &retry) == BRAIN_E_CONTEXT,
	    "vLLM's context message too");
	ok(brain_http_error_status("rate_limit_error", "x", &retry) ==
	    BRAIN_E_RATE_LIMITED && retry, "rate_limit_error");
	ok(brain_http_error_status("api_error", "boom", &retry) ==
	    BRAIN_E_REQUEST && retry, "api_error is worth a retry");
	ok(brain_http_error_status("permission_error", "no", &retry) ==
	    BRAIN_E_AUTH && !retry, "permission_error is final");

	brain_http_response_init(&resp);
	resp.outcome = BRAIN_HTTP_NO_HOST;
	snprintf(resp.error, sizeof resp.error, "Could not resolve host");
	brain_http_result(&resp, "anthropic", "https://api.anthropic.com/v1/"
	    "messages", "use local:", &res);
	ok(res.status == BRAIN_E_REQUEST && !res.retryable &&
	    strstr(res.message, "https://api.anthropic.com/v1/messages") !=
	    NULL && strstr(res.message, "use local:") != NULL,
	    "no DNS (offline) fails at once, naming the URL and the way out");
	resp.outcome = BRAIN_HTTP_DONE;
	resp.status = 403;
	if (buf_puts(&resp.error_body, "{\"type\":\"error\",\"error\":{\"type\":"
	    "\"billing_error\",\"message\":\"Your credit balance is too "
	    "low\"}}") != 0)
		abort();
	brain_http_result(&resp, "anthropic", "u", "", &res);
	ok(res.status == BRAIN_E_BILLING && !res.retryable,
	    "403 with a billing error is billing");
	brain_http_response_clear(&resp);

	ok(!compact_due(159999, 200000) && compact_due(160001, 200000) &&
	    !compact_due(1000000, 0),
	    "compaction past 80 %% of a known window");
}

int
main(void)
{
	char	 tmpl[] = "/tmp/ph-brainconf.XXXXXX", *cmd;

	if ((dir = mkdtemp(tmpl)) == NULL)
		return 1;
	test_alias();
	test_anthropic();
	test_keys();
	test_http();
	xasprintf(&cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	free(cmd);
	return done_testing();
}
