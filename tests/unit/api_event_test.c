/* ISC licence: see COPYING.  Tests for wire/api_event: the scan, the lazy
 * tree and the typed view, over every fixture line and malformed input. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/xmalloc.h"
#include "wire/api_event.h"
#include "fixture.h"
#include "tap.h"

/* jansson's idea of a string member, or NULL. */
static const char *
jstr(json_t *j, const char *key)
{
	return json_string_value(json_object_get(j, key));
}

/* Compare the scan with a full jansson parse; returns non-zero if equal. */
static int
check_against_jansson(const char *line, struct api_event *ev)
{
	json_t		*j;
	json_error_t	 err;
	int64_t		 us;
	const char	*pat;
	int		 good = 1;

	j = json_loads(line, JSON_ALLOW_NUL, &err);
	if (j == NULL)
		return 0;
	if (strcmp(ev->type_name, jstr(j, "type")) != 0)
		good = 0;
	if ((ev->id == NULL) != (jstr(j, "id") == NULL) ||
	    (ev->id != NULL && strcmp(ev->id, jstr(j, "id")) != 0))
		good = 0;
	pat = jstr(j, "processed_at");
	if ((ev->processed_at == NULL) != (pat == NULL) ||
	    (pat != NULL && strcmp(ev->processed_at, pat) != 0))
		good = 0;
	if (pat != NULL && (clock_parse(pat, strlen(pat), &us) != 0 ||
	    us != ev->processed_us))
		good = 0;
	if (ev->rawlen != strlen(line) || memcmp(ev->raw, line, ev->rawlen))
		good = 0;
	if (!json_equal(j, api_event_json(ev, NULL)))
		good = 0;
	json_decref(j);
	return good;
}

/* Parse and view every line of a fixture; returns the events. */
static struct api_event **
load_fixture(const char *name, size_t *np, int want_known)
{
	char			*text, **lines, *cause = NULL;
	size_t			 n;
	struct api_event	**evs;
	struct api_event_view	 v;
	int			 parsed = 0, same = 0, viewed = 0, known = 0;

	text = fixture_read(name, NULL);
	lines = fixture_lines(text, &n);
	evs = xcalloc(n, sizeof *evs);
	for (size_t i = 0; i < n; i++) {
		evs[i] = api_event_parse(lines[i], strlen(lines[i]), &cause);
		if (evs[i] == NULL) {
			diag("%s:%zu: %s", name, i + 1, cause);
			free(cause);
			cause = NULL;
			continue;
		}
		parsed++;
		if (check_against_jansson(lines[i], evs[i]))
			same++;
		else
			diag("%s:%zu differs from jansson", name, i + 1);
		if (api_event_view(evs[i], &v, &cause) == 0)
			viewed++;
		if (evs[i]->type != API_EV_UNKNOWN)
			known++;
	}
	is_int(parsed, n, "%s: all %zu lines parse", name, n);
	is_int(same, n, "%s: type, id, processed_at and raw match jansson",
	    name);
	is_int(viewed, n, "%s: every line has a view", name);
	if (want_known)
		is_int(known, n, "%s: every type is known", name);
	free(lines);
	free(text);
	*np = n;
	return evs;
}

static void
free_events(struct api_event **evs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		api_event_free(evs[i]);
	free(evs);
}

/* The first event of type t in evs, or NULL. */
static struct api_event *
find(struct api_event **evs, size_t n, enum api_event_type t, int nth)
{
	for (size_t i = 0; i < n; i++)
		if (evs[i] != NULL && evs[i]->type == t && nth-- == 0)
			return evs[i];
	return NULL;
}

/* The view of an event (failing the test if there is none). */
static struct api_event_view
view(struct api_event *ev)
{
	struct api_event_view	 v;
	char			*cause = NULL;

	memset(&v, 0, sizeof v);
	if (ev == NULL || api_event_view(ev, &v, &cause) != 0) {
		ok(0, "view: %s", cause ? cause : "no such event");
		free(cause);
	}
	return v;
}

static void
test_catalog(void)
{
	struct api_event	**evs, *ev;
	struct api_event_view	 v;
	size_t			 n;
	int			 seen[API_EV__COUNT] = { 0 }, missing = 0;

	evs = load_fixture("events-catalog.jsonl", &n, 1);
	for (size_t i = 0; i < n; i++)
		if (evs[i] != NULL)
			seen[evs[i]->type] = 1;
	for (int t = 1; t < API_EV__COUNT; t++)
		if (!seen[t] && !(api_event_type_flags(t) & API_EVF_CLIENT))
			missing++;
	is_int(missing, 0, "the catalogue covers every server-side type");

	v = view(find(evs, n, API_EV_AGENT_TOOL_USE, 0));
	is_str(v.tool_name, "edit", "tool_use name");
	is_str(v.evaluated_permission, "allow", "tool_use permission");
	is_str(json_string_value(json_object_get(v.tool_input, "file_path")),
	    "src/billing/invoice-date.ts", "tool_use input");
	v = view(find(evs, n, API_EV_AGENT_TOOL_RESULT, 0));
	is_str(v.tool_use_id, "sevt_011CcUoQHyAgYS8SRn7FpUWm",
	    "tool_result tool_use_id");
	is_int(v.is_error, 0, "tool_result is_error false");
	ok(json_is_array(v.content), "tool_result content");
	v = view(find(evs, n, API_EV_AGENT_MCP_TOOL_USE, 0));
	is_str(v.mcp_server_name, "github", "mcp server");
	is_str(v.tool_name, "create_pull_request", "mcp tool name");
	is_str(v.evaluated_permission, "ask", "mcp permission");
	v = view(find(evs, n, API_EV_AGENT_MCP_TOOL_RESULT, 0));
	is_str(v.tool_use_id, "sevt_011CLzqPFjQvTIHP2RmrlJCv",
	    "mcp_tool_use_id");
	v = view(find(evs, n, API_EV_AGENT_CUSTOM_TOOL_USE, 0));
	is_str(v.tool_name, "request_human_review", "custom tool name");
	ok(v.evaluated_permission == NULL, "custom tools have no permission");
	v = view(find(evs, n, API_EV_AGENT_THREAD_MESSAGE_SENT, 0));
	is_str(v.session_thread_id, "sthr_011C6g5Q1ggVtPE1584TykPR",
	    "thread message: the peer thread");
	is_str(v.agent_name, "test-runner", "thread message: the peer name");
	v = view(find(evs, n, API_EV_SESSION_THREAD_CREATED, 0));
	ok(v.session_thread_id != NULL && v.agent_name != NULL,
	    "thread_created: thread and agent");
	v = view(find(evs, n, API_EV_SESSION_USAGE, 0));
	ok(v.has_usage, "session.usage has usage");
	is_int(v.usage.input_tokens, 3023, "usage input");
	is_int(v.usage.output_tokens, 351, "usage output");
	is_int(v.usage.cache_read_input_tokens, 7532, "usage cache read");
	is_int(v.usage.cache_creation_input_tokens, 5962,
	    "usage cache creation 5m + 1h");
	ok(v.usage.active_seconds > 41.69 && v.usage.active_seconds < 41.71,
	    "usage active seconds");
	is_int(v.usage.list_cost_cents, 12, "list_cost in cents");
	v = view(find(evs, n, API_EV_SPAN_MODEL_REQUEST_END, 0));
	ok(v.has_usage && v.model_request_start_id != NULL,
	    "model_request_end usage and start id");
	is_int(v.usage.list_cost_cents, -1, "no list cost on a span");
	v = view(find(evs, n, API_EV_SESSION_ERROR, 0));
	ok(v.error_type != NULL && v.error_message != NULL &&
	    v.retry_status != NULL, "session.error type, message, retry");
	v = view(find(evs, n, API_EV_SPAN_OUTCOME_EVALUATION_END, 0));
	ok(v.result != NULL && v.has_usage, "outcome verdict and usage");
	v = view(find(evs, n, API_EV_EVENT_START, 0));
	is_str(v.preview_type, "agent.message", "event_start type");
	is_str(v.preview_event_id, "sevt_011C6Aoxy8KZJwXBOElIUvUI",
	    "event_start id");
	ev = find(evs, n, API_EV_EVENT_START, 0);
	ok(ev->id == NULL && ev->processed_at == NULL,
	    "previews have no id or processed_at");
	v = view(find(evs, n, API_EV_WORKFLOW_RUN_STATUS_ENDED, 0));
	is_str(v.result, "error", "workflow ended in error");
	is_str(v.error_type, "timeout_error", "with its error");
	v = view(find(evs, n, API_EV_EVENT_DELTA, 0));
	is_str(v.preview_text, "All 612 tests pa", "event_delta text");
	is_int(v.preview_index, 0, "event_delta index");
	free_events(evs, n);
}

static void
test_variants(void)
{
	struct api_event	**evs;
	struct api_event_view	 v;
	size_t			 n;
	int			 stops = 0, errors = 0, retry[3] = { 0 };

	evs = load_fixture("events-variants.jsonl", &n, 1);
	for (size_t i = 0; i < n; i++) {
		if (evs[i] == NULL)
			continue;
		v = view(evs[i]);
		if (evs[i]->type == API_EV_SESSION_STATUS_IDLE &&
		    v.stop_reason != NULL)
			stops++;
		if (evs[i]->type == API_EV_SESSION_ERROR) {
			errors += v.error_type != NULL;
			if (v.retry_status == NULL)
				continue;
			retry[0] += strcmp(v.retry_status, "retrying") == 0;
			retry[1] += strcmp(v.retry_status, "exhausted") == 0;
			retry[2] += strcmp(v.retry_status, "terminal") == 0;
		}
	}
	ok(stops >= 5, "every idle variant has a stop reason (%d)", stops);
	is_int(errors, 15, "15 session.error variants with a type");
	ok(retry[0] && retry[1] && retry[2], "every retry status appears");

	v = view(find(evs, n, API_EV_SESSION_STATUS_IDLE, 0));
	is_str(v.stop_reason, "requires_action", "requires_action");
	is_int(json_array_size(v.stop_event_ids), 2, "two pending ids");
	ok(v.stop_details == NULL, "stop_details null is NULL");
	v = view(find(evs, n, API_EV_SESSION_STATUS_IDLE, 4));
	is_str(v.stop_reason, "refusal", "refusal");
	is_str(jstr(v.stop_details, "category"), "cyber", "refusal details");
	v = view(find(evs, n, API_EV_SESSION_THREAD_STATUS_IDLE, 0));
	is_str(v.session_thread_id, "sthr_011C6g5Q1ggVtPE1584TykPR",
	    "thread idle thread id");
	is_str(v.agent_name, "test-runner", "thread idle agent");
	is_int(json_array_size(v.stop_event_ids), 1, "thread idle ids");
	v = view(find(evs, n, API_EV_EVENT_DELTA, 0));
	is_int(v.preview_index, 0, "a delta without index is block 0");
	is_str(v.preview_text, "sses locally.", "its text");
	v = view(find(evs, n, API_EV_EVENT_START, 0));
	is_str(v.preview_type, "agent.thinking", "a thinking preview");
	v = view(find(evs, n, API_EV_WORKFLOW_RUN_STATUS_ENDED, 1));
	is_str(v.result, "stopped", "workflow stopped");
	ok(v.error_type == NULL, "without an error");
	v = view(find(evs, n, API_EV_WORKFLOW_RUN_ERROR, 3));
	is_str(v.error_type, "max_workflow_runs_error", "workflow error");
	ok(v.retry_status == NULL, "workflow errors have no retry status");
	v = view(find(evs, n, API_EV_SESSION_USAGE, 0));
	ok(v.has_usage && v.usage.input_tokens == 0 &&
	    v.usage.list_cost_cents == -1, "a sparse usage snapshot");
	for (size_t i = 0; i < n; i++) {
		if (evs[i] == NULL || evs[i]->type != API_EV_AGENT_TOOL_RESULT)
			continue;
		v = view(evs[i]);
		if (json_object_get(api_event_json(evs[i], NULL),
		    "is_error") == NULL) {
			is_int(v.is_error, -1, "absent is_error is -1");
			ok(v.content == NULL, "absent content is NULL");
			break;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (evs[i] == NULL || evs[i]->type != API_EV_AGENT_TOOL_USE)
			continue;
		v = view(evs[i]);
		if (v.session_thread_id != NULL) {
			is_str(v.session_thread_id,
			    "sthr_011C6g5Q1ggVtPE1584TykPR",
			    "a cross-posted subagent tool use");
			break;
		}
	}
	free_events(evs, n);
}

static void
test_user_events(void)
{
	struct api_event	**evs;
	struct api_event_view	 v;
	size_t			 n;

	evs = load_fixture("user-events-echo.jsonl", &n, 1);
	v = view(find(evs, n, API_EV_USER_TOOL_CONFIRMATION, 0));
	is_str(v.result, "deny", "confirmation result");
	ok(v.deny_message != NULL && v.tool_use_id != NULL,
	    "deny message and tool_use_id");
	v = view(find(evs, n, API_EV_USER_CUSTOM_TOOL_RESULT, 0));
	ok(v.tool_use_id != NULL && v.is_error == 0,
	    "custom_tool_use_id and is_error");
	v = view(find(evs, n, API_EV_USER_TOOL_RESULT, 0));
	ok(v.tool_use_id != NULL, "user.tool_result tool_use_id");
	ok(find(evs, n, API_EV_USER_MESSAGE, 0)->processed_at != NULL,
	    "echoes are processed");
	free_events(evs, n);

	evs = load_fixture("user-events.jsonl", &n, 1);
	ok(find(evs, n, API_EV_USER_INTERRUPT, 0)->id == NULL,
	    "sent params have no id");
	free_events(evs, n);
}

/* Parse text; returns the cause (caller frees) or NULL on success. */
static char *
parse_fail(const char *text, size_t len)
{
	struct api_event	*ev;
	char			*cause = NULL;

	ev = api_event_parse(text, len, &cause);
	if (ev != NULL) {
		api_event_free(ev);
		return NULL;
	}
	return cause != NULL ? cause : xstrdup("(no cause)");
}

static void
test_malformed(void)
{
	static const char	*bad[] = {
		"", "   ", "[]", "\"x\"", "42", "{}", "{\"id\":\"a\"}",
		"{\"type\":1}", "{\"type\":null}", "{\"type\":\"a\"} x",
		"{\"type\":\"a\"}{}", "{\"type\":\"a\"", "{\"type\":\"a\",}",
		"{\"type\":\"a\",\"id\":5}", "{\"type\":\"a\",\"id\":{}}",
		"{\"type\":\"a\",\"processed_at\":1}",
		"{\"type\":\"a\\u0000b\"}",
		"{\"type\":\"a\",\"id\":\"\\u0000\"}",
		"{\"type\":\"a\",\"x\":\"\x01\"}",
		"{\"type\":\"a\",\"x\":\"\xff\"}",
		"{\"type\":\"a\",\"x\":[1,2}", "{\"type\":\"a\",\"x\":01}",
		"{\"type\":\"a\",\"x\":\"\\q\"}", "{'type':'a'}",
	};
	struct api_event	*ev;
	struct api_event_view	 v;
	char			*cause = NULL, *deep;
	const char		*s;
	size_t			 k;

	for (size_t i = 0; i < AD_NITEMS(bad); i++) {
		cause = parse_fail(bad[i], strlen(bad[i]));
		ok(cause != NULL, "refused: %s (%s)", bad[i],
		    cause ? cause : "accepted");
		free(cause);
	}
	cause = parse_fail("{\"type\":\"a\",\n \"x\": tru}", 23);
	ok(cause != NULL && strstr(cause, "line 2") != NULL,
	    "invalid JSON says where");
	diag("%s", cause ? cause : "(no cause)");
	free(cause);
	cause = NULL;

	s = "{\"type\":\"x\",\"type\":\"agent.message\",\"id\":null,"
	    "\"processed_at\":null}";
	ev = api_event_parse(s, strlen(s), &cause);
	ok(ev != NULL && ev->type == API_EV_AGENT_MESSAGE,
	    "a repeated key: the last wins, as in jansson");
	ok(ev != NULL && ev->id == NULL && ev->processed_at == NULL &&
	    ev->processed_us == 0, "null id and processed_at");
	api_event_free(ev);

	s = " {\"\\u0074ype\" : \"some.\\u00e9vent\", \"id\":\"sevt_\\ud83d"
	    "\\ude80\", \"processed_at\":\"not a time\", \"content\":"
	    "[{\"text\":\"nul \\u0000 inside\"}]} \n";
	ev = api_event_parse(s, strlen(s), &cause);
	ok(ev != NULL, "escaped key, surrounding whitespace");
	is_str(ev ? ev->type_name : NULL, "some.\xc3\xa9vent",
	    "an unknown type keeps its (decoded) name");
	ok(ev != NULL && ev->type == API_EV_UNKNOWN, "and is UNKNOWN");
	is_str(ev ? ev->id : NULL, "sevt_\xf0\x9f\x9a\x80",
	    "a surrogate pair decodes");
	ok(ev != NULL && ev->processed_at != NULL && ev->processed_us == 0,
	    "an unreadable time is kept as text");
	ok(ev != NULL && ev->rawlen == strlen(s) &&
	    memcmp(ev->raw, s, ev->rawlen) == 0, "raw is verbatim");
	ok(ev != NULL && api_event_view(ev, &v, &cause) == 0,
	    "\\u0000 inside content still gives a view (JSON_ALLOW_NUL)");
	api_event_free(ev);

	s = "{\"type\":\"agent.message\",\"n\":123456789012345678901234567890}";
	ev = api_event_parse(s, strlen(s), &cause);
	ok(ev != NULL, "an integer past 64 bits passes the scan");
	ok(ev != NULL && api_event_json(ev, &cause) == NULL && cause != NULL,
	    "but the tree says why it cannot be built");
	diag("%s", cause ? cause : "(no cause)");
	free(cause);
	cause = NULL;
	ok(ev != NULL && api_event_view(ev, &v, &cause) == -1,
	    "and the view fails with it");
	free(cause);
	cause = NULL;
	api_event_free(ev);

	/* Flat cache_creation_input_tokens (the older docs' shape). */
	s = "{\"type\":\"session.usage\",\"id\":\"sevt_1\",\"processed_at\":"
	    "\"2026-11-19T14:02:50Z\",\"usage\":{\"input_tokens\":10,"
	    "\"cache_creation_input_tokens\":7,\"list_cost\":{\"amount\":"
	    "\"1.5\",\"currency\":\"USD\"}}}";
	ev = api_event_parse(s, strlen(s), &cause);
	v = view(ev);
	is_int(v.usage.cache_creation_input_tokens, 7, "flat cache creation");
	is_int(v.usage.list_cost_cents, -1, "a non-integer amount is absent");
	ok(ev->processed_us == 1795096970000000LL, "processed_us");
	api_event_free(ev);

	/* Deep nesting inside an event. */
	deep = xmalloc(20 + 2 * 3000 + 2);
	k = (size_t)snprintf(deep, 20, "{\"type\":\"a\",\"x\":");
	memset(deep + k, '[', 3000);
	memset(deep + k + 3000, ']', 3000);
	deep[k + 6000] = '}';
	cause = parse_fail(deep, k + 6001);
	ok(cause != NULL, "nesting past the limit is refused");
	free(cause);
	free(deep);

	/* Every prefix of a real event fails. */
	s = "{\"type\":\"agent.tool_use\",\"id\":\"sevt_1\",\"name\":\"bash\","
	    "\"input\":{\"command\":\"echo \\\"hi\\\"\"}}";
	k = 0;
	for (size_t i = 0; i < strlen(s); i++) {
		if ((cause = parse_fail(s, i)) == NULL)
			k++;
		free(cause);
	}
	is_int(k, 0, "no prefix of an event parses");
}

/* The cache's read paths: trusted scan and column-only heads. */
static void
test_cache_paths(void)
{
	static const char	 ev[] = "{\"type\":\"agent.tool_result\","
	    "\"id\":\"sevt_1\",\"processed_at\":\"2026-11-19T14:02:11.694913Z\","
	    "\"content\":[{\"type\":\"text\",\"text\":\"a \\\"q\\\" }\"}],"
	    "\"is_error\":true,\"tool_use_id\":\"sevt_0\"}";
	struct api_event	*a, *t, *h;
	char			*cause = NULL;

	a = api_event_parse(ev, sizeof ev - 1, &cause);
	t = api_event_parse_trusted(ev, sizeof ev - 1, &cause);
	ok(a != NULL && t != NULL && t->type == a->type &&
	    strcmp(t->id, a->id) == 0 && t->processed_us == a->processed_us &&
	    t->rawlen == a->rawlen && memcmp(t->raw, a->raw, a->rawlen) == 0,
	    "a trusted parse gives what a validating parse gives");
	ok(a != NULL && t != NULL && a->is_error == 1 && t->is_error == 1 &&
	    strcmp(a->tool_use_id, "sevt_0") == 0 &&
	    strcmp(t->tool_use_id, "sevt_0") == 0,
	    "both scans find a result's tool_use_id and is_error after its "
	    "content");
	h = api_event_head("agent.tool_result", "sevt_1", a->processed_us,
	    "sevt_0", 1);
	ok(h != NULL && h->type == API_EV_AGENT_TOOL_RESULT &&
	    strcmp(h->id, "sevt_1") == 0 && h->processed_us == a->processed_us &&
	    strcmp(h->processed_at, "2026-11-19T14:02:11.694913Z") == 0 &&
	    strcmp(h->tool_use_id, "sevt_0") == 0 && h->is_error == 1 &&
	    h->rawlen == 0, "a head carries the columns and no body");
	ok(api_event_json(h, &cause) == NULL, "a head has no tree");
	free(cause);
	cause = NULL;
	api_event_free(h);
	ok(api_event_head("agent.tool_result", "sevt_1", a->processed_us,
	    NULL, -1) == NULL, "a result head without its id is refused "
	    "(a row stored before the columns: read the body)");
	h = api_event_head("user.tool_result", "sevt_4", 1, "sevt_0", -1);
	ok(h != NULL && h->is_error == -1 &&
	    strcmp(h->tool_use_id, "sevt_0") == 0,
	    "a result head without is_error says so");
	api_event_free(h);
	h = api_event_head("user.message", "sevt_2", -1, "sevt_0", 1);
	ok(h != NULL && h->processed_at == NULL && h->processed_us == 0 &&
	    h->tool_use_id == NULL && h->is_error == -1,
	    "a queued head has no processed_at; a non-result no result "
	    "fields");
	api_event_free(h);
	h = api_event_head("some.future_event", "sevt_3", 1, NULL, -1);
	ok(h != NULL && h->type == API_EV_UNKNOWN &&
	    strcmp(h->type_name, "some.future_event") == 0,
	    "an unknown type keeps its name");
	api_event_free(h);
	api_event_free(a);
	api_event_free(t);
}

/* A result's id (by type) and is_error, found by both scans. */
static void
test_result_fields(void)
{
	static const struct {
		const char	*json;
		const char	*tool_use_id;	/* NULL: none */
		int		 is_error;
		const char	*what;
	} cases[] = {
		{ "{\"type\":\"agent.tool_result\",\"id\":\"sevt_1\","
		  "\"tool_use_id\":\"sevt_u\",\"content\":[],"
		  "\"is_error\":false}", "sevt_u", 0, "agent.tool_result" },
		{ "{\"type\":\"agent.mcp_tool_result\",\"id\":\"sevt_1\","
		  "\"tool_use_id\":\"no\",\"mcp_tool_use_id\":\"sevt_m\","
		  "\"is_error\":true}", "sevt_m", 1,
		  "agent.mcp_tool_result reads mcp_tool_use_id" },
		{ "{\"is_error\":null,\"custom_tool_use_id\":\"sevt_c\","
		  "\"type\":\"user.custom_tool_result\",\"id\":\"sevt_1\"}",
		  "sevt_c", -1, "user.custom_tool_result, type last, null "
		  "is_error" },
		{ "{\"type\":\"user.tool_result\",\"id\":\"sevt_1\","
		  "\"tool_use_id\":\"sevt_a\",\"tool_use_id\":\"sevt_b\"}",
		  "sevt_b", -1, "user.tool_result, no is_error, the last id "
		  "wins" },
		{ "{\"type\":\"agent.tool_result\",\"id\":\"sevt_1\","
		  "\"tool_\\u0075se_id\":\"a\\u0000b\",\"is_error\":1}",
		  "a\xe2\x90\x80" "b", -1, "escaped key, a NUL in the id, "
		  "is_error not a boolean" },
		{ "{\"type\":\"agent.tool_result\",\"id\":\"sevt_1\","
		  "\"tool_use_id\":7}", NULL, -1, "an id that is no string" },
		{ "{\"type\":\"user.tool_confirmation\",\"id\":\"sevt_1\","
		  "\"tool_use_id\":\"sevt_u\",\"is_error\":true}", NULL, -1,
		  "not a result: nothing kept" },
	};
	struct api_event	*ev;
	char			*cause = NULL;

	for (size_t i = 0; i < AD_NITEMS(cases); i++) {
		for (int trusted = 0; trusted < 2; trusted++) {
			ev = (trusted ? api_event_parse_trusted :
			    api_event_parse)(cases[i].json,
			    strlen(cases[i].json), &cause);
			ok(ev != NULL && ev->is_error == cases[i].is_error &&
			    (cases[i].tool_use_id == NULL ?
			    ev->tool_use_id == NULL : ev->tool_use_id != NULL &&
			    strcmp(ev->tool_use_id, cases[i].tool_use_id) ==
			    0), "%s scan: %s", trusted ? "trusted" :
			    "validating", cases[i].what);
			api_event_free(ev);
		}
	}
	free(cause);
}

int
main(void)
{
	test_cache_paths();
	test_result_fields();
	test_catalog();
	test_variants();
	test_user_events();
	test_malformed();
	return done_testing();
}
