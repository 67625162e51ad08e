/* ISC licence: see COPYING.  Tests for the brains' request bodies. */

/*
 * A canonical conversation with every kind of block the harness builds
 * (tests/data/brains/requests/conversation.json) becomes the exact
 * request bodies in anthropic.json and openai.json next to it.  Set
 * BRAIN_TRACE_WRITE=1 to write them afresh (then read the diff).
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/xmalloc.h"
#include "harness/brain.h"
#include "harness/brain_anthropic.h"
#include "harness/brain_openai.h"
#include "harness/tool.h"
#include "tap.h"

#define DATA	PH_SRCDIR "/tests/data/brains/requests/"

static json_t *
load(const char *name)
{
	json_error_t	 err;
	json_t		*j;
	char		*path;

	xasprintf(&path, DATA "%s", name);
	if ((j = json_load_file(path, 0, &err)) == NULL) {
		printf("Bail out! %s: %s\n", path, err.text);
		exit(1);
	}
	free(path);
	return j;
}

/* Compare with the expected body (or write it when asked to). */
static void
expect(json_t *got, const char *name, const char *what)
{
	json_t	*want;
	char	*path, *g;

	if (getenv("BRAIN_TRACE_WRITE") != NULL) {
		xasprintf(&path, DATA "%s", name);
		json_dump_file(got, path, JSON_INDENT(2) | JSON_SORT_KEYS);
		free(path);
	}
	want = load(name);
	if (!ok(json_equal(got, want), "%s", what)) {
		g = json_dumps(got, JSON_INDENT(2) | JSON_SORT_KEYS);
		diag("got:\n%s", g);
		free(g);
	}
	json_decref(want);
}

/* Non-zero when an "x_" key appears outside tool inputs. */
static int
has_private(json_t *j)
{
	const char	*k;
	json_t		*v;
	size_t		 i;

	if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if (has_private(v))
				return 1;
	} else if (json_is_object(j)) {
		json_object_foreach(j, k, v) {
			if (strncmp(k, "x_", 2) == 0)
				return 1;
			if (strcmp(k, "input") != 0 && has_private(v))
				return 1;
		}
	}
	return 0;
}

/* Count the cache_control breakpoints anywhere in a body. */
static int
breakpoints(json_t *j)
{
	const char	*k;
	json_t		*v;
	size_t		 i;
	int		 n = 0;

	if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			n += breakpoints(v);
	} else if (json_is_object(j)) {
		json_object_foreach(j, k, v)
			n += strcmp(k, "cache_control") == 0 ? 1 :
			    breakpoints(v);
	}
	return n;
}

int
main(void)
{
	struct brain_request	 req;
	json_t			*conv, *body, *m;
	const char		*s;

	conv = load("conversation.json");
	memset(&req, 0, sizeof req);
	req.model = json_string_value(json_object_get(conv, "model"));
	req.system = json_string_value(json_object_get(conv, "system"));
	req.messages = json_object_get(conv, "messages");
	req.tools = json_object_get(conv, "tools");
	req.max_tokens = (int)json_integer_value(json_object_get(conv,
	    "max_tokens"));
	req.thinking = json_object_get(conv, "thinking");

	body = brain_anthropic_body(&req, 0);
	expect(body, "anthropic.json", "anthropic: the exact request body");
	ok(!has_private(body), "anthropic: no x_ key is sent");
	is_int(breakpoints(body), 3,
	    "anthropic: three cache breakpoints (tools, system, last block)");
	ok(json_object_get(json_array_get(json_object_get(body, "tools"), 1),
	    "cache_control") != NULL, "anthropic: the last tool is cached");
	m = json_array_get(json_object_get(body, "messages"), 1);
	s = json_string_value(json_object_get(json_array_get(
	    json_object_get(m, "content"), 0), "signature"));
	ok(s != NULL && strncmp(s, "EqQBCgIYAhIM", 12) == 0,
	    "anthropic: a thinking block goes back with its signature");
	is_int(json_integer_value(json_object_get(body, "max_tokens")), 8096,
	    "anthropic: max_tokens is raised above the thinking budget");
	json_decref(body);

	req.thinking = NULL;
	body = brain_anthropic_body(&req, 1234);
	m = json_array_get(json_object_get(body, "messages"), 1);
	s = json_string_value(json_object_get(json_array_get(
	    json_object_get(m, "content"), 0), "type"));
	is_str(s, "text", "anthropic: without thinking, thinking blocks stay "
	    "home");
	ok(json_object_get(body, "thinking") == NULL &&
	    json_integer_value(json_object_get(body, "max_tokens")) == 1234,
	    "anthropic: the configured max_tokens wins");
	json_decref(body);

	req.tools = NULL;
	req.system = NULL;
	body = brain_anthropic_body(&req, 0);
	ok(json_object_get(body, "tools") == NULL &&
	    json_object_get(body, "tool_choice") == NULL &&
	    json_object_get(body, "system") == NULL,
	    "anthropic: no tools and no system prompt, no keys for them");
	is_int(breakpoints(body), 1, "anthropic: then only the conversation "
	    "is cached");
	json_decref(body);

	req.tools = json_object_get(conv, "tools");
	req.system = json_string_value(json_object_get(conv, "system"));
	req.thinking = json_object_get(conv, "thinking");
	body = brain_openai_body(&req, "qwen2.5-coder-7b", 0, 1);
	expect(body, "openai.json", "openai: the exact request body");
	ok(!has_private(body), "openai: no x_ key is sent");
	json_decref(body);

	body = brain_openai_body(&req, "qwen2.5-coder-7b", 512, 0);
	ok(json_is_false(json_object_get(body, "stream")) &&
	    json_object_get(body, "stream_options") == NULL &&
	    json_integer_value(json_object_get(body, "max_tokens")) == 512,
	    "openai: a whole answer is asked for without stream options");
	json_decref(body);

	/* The built-in tools go out with toolset_schema()'s schemas. */
	req.tools = json_array();
	json_array_append_new(req.tools, toolset_schema("bash"));
	json_array_append_new(req.tools, toolset_schema("edit"));
	body = brain_anthropic_body(&req, 0);
	ok(json_equal(json_object_get(json_array_get(json_object_get(body,
	    "tools"), 0), "input_schema"), json_object_get(json_array_get(
	    req.tools, 0), "input_schema")) && json_equal(json_object_get(
	    json_array_get(json_object_get(body, "tools"), 1), "input_schema"),
	    json_object_get(json_array_get(req.tools, 1), "input_schema")),
	    "anthropic: the built-in tools' schemas exactly as the toolset has "
	    "them");
	json_decref(body);
	body = brain_openai_body(&req, "m", 0, 1);
	ok(json_equal(json_object_get(json_object_get(json_array_get(
	    json_object_get(body, "tools"), 1), "function"), "parameters"),
	    json_object_get(json_array_get(req.tools, 1), "input_schema")),
	    "openai: and as function parameters");
	json_decref(body);
	json_decref(req.tools);

	json_decref(conv);
	return done_testing();
}
