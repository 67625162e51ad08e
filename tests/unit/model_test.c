/* ISC licence: see COPYING.  Tests for model/session: the reducer folded
 * over the fixtures, and over hand-made turns for each rule. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/xmalloc.h"
#include "model/pricing.h"
#include "model/session.h"
#include "wire/api_event.h"
#include "wire/sse_parser.h"
#include "fixture_events.h"
#include "tap.h"

static int
fold(struct model_session *s, struct fixture_events *e, size_t from, size_t to)
{
	int	dirty = 0;

	for (size_t i = from; i < to && i < e->n; i++)
		dirty |= model_apply(s, e->v[i]);
	return dirty;
}

/* Field by field equality, arrays included (for copies and replays). */
static int
same_state(const struct model_session *a, const struct model_session *b)
{
#define SAME_ARRAY(f, n) ((a->n == b->n) && (a->n == 0 ||		\
	memcmp(a->f, b->f, a->n * sizeof *a->f) == 0))
	return a->status == b->status &&
	    strcmp(a->stop_reason, b->stop_reason) == 0 &&
	    a->interrupted == b->interrupted &&
	    a->error_attention == b->error_attention &&
	    strcmp(a->tool, b->tool) == 0 &&
	    a->tool_since_us == b->tool_since_us &&
	    memcmp(&a->spans, &b->spans, sizeof a->spans) == 0 &&
	    memcmp(&a->reported, &b->reported, sizeof a->reported) == 0 &&
	    a->list_cost_cents == b->list_cost_cents &&
	    a->nevents == b->nevents && a->tool_uses == b->tool_uses &&
	    a->tool_errors == b->tool_errors && a->allowed == b->allowed &&
	    a->denied == b->denied && a->errors == b->errors &&
	    a->retries == b->retries && a->first_us == b->first_us &&
	    a->last_us == b->last_us &&
	    SAME_ARRAY(confirm, nconfirm) && SAME_ARRAY(custom, ncustom) &&
	    SAME_ARRAY(tools, ntools) && SAME_ARRAY(denies, ndenies) &&
	    SAME_ARRAY(threads, nthreads) && SAME_ARRAY(queued, nqueued);
#undef SAME_ARRAY
}

static int64_t
ts(const char *s)
{
	int64_t	us = 0;

	if (clock_parse(s, strlen(s), &us) != 0)
		abort();
	return us;
}

static void
test_stream(void)
{
	struct fixture_events		 e = { NULL, 0 }, h = { NULL, 0 };
	struct model_session	 s, hs, *snap;
	struct model_usage	 u;
	int			 d;

	fixture_events_sse(&e, "stream.sse");
	model_state_init(&s);
	d = model_apply(&s, e.v[0]);
	ok(d & MODEL_DIRTY_QUEUE, "a queued user.message dirties the queue");
	is_int(s.nqueued, 1, "one queued message");
	is_str(s.queued[0].type, "user.message", "its type");
	fold(&s, &e, 1, 3);
	is_int(s.nqueued, 0, "the processed copy takes it off the queue");
	is_int(s.status, MODEL_STATUS_RUNNING, "running");

	fold(&s, &e, 3, 9);		/* up to the requires_action idle */
	is_int(s.status, MODEL_STATUS_IDLE, "idle");
	is_str(s.stop_reason, "requires_action", "requires_action");
	is_int(s.nconfirm, 1, "one confirmation pending");
	is_str(s.confirm[0].event_id, "sevt_011C1fbXO1EqsHd1ZnXkFOkB",
	    "for the bash call");
	is_str(s.confirm[0].tool, "bash", "tool name");
	is_str(s.confirm[0].summary, "cd /workspace/acme-api && pnpm test "
	    "--reporter=dot 2>&1 | tail -n 30", "input summary: the command");
	is_int(s.confirm[0].since_us, ts("2026-11-19T14:02:16.458913Z"),
	    "since the tool use");
	is_int(model_attention(&s), MODEL_ATTN_APPROVAL, "needs approval");
	ok(s.tool[0] == '\0', "a held call is not running");

	snap = model_state_copy(&s);
	fold(&s, &e, 9, 12);		/* confirmation queued, running, ack */
	is_int(s.allowed, 1, "one allowed");
	is_int(s.nconfirm, 0, "nothing pending");
	is_str(s.tool, "bash", "the allowed call runs");
	is_int(s.tool_since_us, ts("2026-11-19T14:02:30.683913Z"),
	    "since its confirmation");
	d = model_apply(&s, e.v[12]);	/* agent.tool_result */
	ok(d & MODEL_DIRTY_TOOL, "the result ends the running tool");
	ok(s.tool[0] == '\0', "no tool running");
	fold(&s, &e, 13, e.n);
	ok(e.v[5]->json == NULL && e.v[6]->json == NULL &&
	    e.v[12]->json == NULL && e.v[14]->json == NULL,
	    "messages, tool uses and results are never parsed into trees");
	ok(e.v[8]->json == NULL && e.v[16]->json == NULL,
	    "nor are the idle and usage events (scanned, no tree)");

	is_int(s.status, MODEL_STATUS_IDLE, "ends idle");
	is_str(s.stop_reason, "end_turn", "end_turn");
	is_int(s.interrupted, 0, "not interrupted");
	is_int(model_attention(&s), 0, "needs nothing");
	is_int(s.nevents, 18, "18 events");
	is_int(s.model_requests, 2, "two model requests");
	is_int(s.tool_uses, 1, "one tool use");
	is_int(s.tool_errors, 0, "no tool errors");
	ok(s.ntools == 1 && s.tools[0].uses == 1, "bash used once");
	is_int(s.spans.input_tokens, 3023, "span input tokens");
	is_int(s.spans.output_tokens, 351, "span output tokens");
	is_int(s.spans.cache_read_tokens, 7532, "span cache reads");
	is_int(s.spans.cache_creation_tokens, 5962, "span cache writes");
	model_usage_total(&s, &u);
	ok(s.has_reported && memcmp(&u, &s.spans, sizeof u) == 0,
	    "session.usage agrees with the spans");
	is_int(s.list_cost_cents, 12, "list_cost reported");
	is_int(model_cost_microusd(&s), 120000, "the reported cost wins");
	is_int(s.first_us, ts("2026-11-19T14:02:11.694913Z"), "first time");
	is_int(s.last_us, ts("2026-11-19T14:02:50.151913Z"), "last time");

	/* The snapshot goes on to the same state. */
	fold(snap, &e, 9, e.n);
	ok(same_state(snap, &s), "a copy folded on reaches the same state");
	model_state_free(snap);

	/* History pages: the same session without the queued echoes. */
	fixture_events_page(&h, "events-page.json");
	fixture_events_page(&h, "events-page-2.json");
	model_state_init(&hs);
	fold(&hs, &h, 0, h.n);
	is_int(hs.nevents, 16, "history has 16 events");
	hs.nevents = s.nevents;		/* the only expected difference */
	ok(same_state(&hs, &s), "history folds to the stream's state");
	model_state_clear(&hs);
	model_state_clear(&s);
	fixture_events_free(&h);
	fixture_events_free(&e);
}

/* A state folded from JSON lines given inline. */
static void
fold_lines(struct model_session *s, const char *const *lines, size_t n)
{
	struct fixture_events	e = { NULL, 0 };

	for (size_t i = 0; i < n; i++)
		fixture_events_add(&e, lines[i], strlen(lines[i]));
	fold(s, &e, 0, e.n);
	fixture_events_free(&e);
}

static void
test_interrupt(void)
{
	static const char *const turn[] = {
		"{\"type\":\"session.status_running\",\"id\":\"sevt_1\","
		"\"processed_at\":\"2026-11-19T10:00:00Z\"}",
		"{\"type\":\"agent.tool_use\",\"id\":\"sevt_2\","
		"\"processed_at\":\"2026-11-19T10:00:01Z\",\"name\":\"bash\","
		"\"input\":{"
		"\"command\":\"sleep 100\"},"
		"\"evaluated_permission\":\"allow\"}",
		"{\"type\":\"user.interrupt\",\"id\":\"sevt_3\","
		"\"processed_at\":null}",
		"{\"type\":\"user.interrupt\",\"id\":\"sevt_3\","
		"\"processed_at\":\"2026-11-19T10:00:02Z\"}",
		"{\"type\":\"session.status_idle\",\"id\":\"sevt_4\","
		"\"processed_at\":\"2026-11-19T10:00:03Z\",\"stop_reason\":"
		"{\"type\":\"end_turn\"}}",
		"{\"type\":\"session.status_running\",\"id\":\"sevt_5\","
		"\"processed_at\":\"2026-11-19T10:00:04Z\"}",
		"{\"type\":\"session.status_idle\",\"id\":\"sevt_6\","
		"\"processed_at\":\"2026-11-19T10:00:05Z\",\"stop_reason\":"
		"{\"type\":\"end_turn\"}}",
	};
	struct model_session	s;

	model_state_init(&s);
	fold_lines(&s, turn, 2);
	is_str(s.tool, "bash", "an allowed call runs at once");
	fold_lines(&s, turn + 2, 1);
	is_int(s.interrupts, 0, "a queued interrupt is not counted yet");
	fold_lines(&s, turn + 3, 2);
	is_int(s.interrupts, 1, "the processed interrupt is");
	is_int(s.interrupted, 1, "end_turn after an interrupt: interrupted");
	ok(s.tool[0] == '\0', "the idle ends the running tool");
	fold_lines(&s, turn + 5, 2);
	is_int(s.interrupted, 0, "the next end_turn is a plain one");
	model_state_clear(&s);
}

static void
test_errors_and_custom(void)
{
	static const char *const lines[] = {
		"{\"type\":\"session.error\",\"id\":\"sevt_e1\","
		"\"processed_at\":\"2026-11-19T10:00:00Z\",\"error\":{\"type\":"
		"\"model_overloaded_error\",\"message\":\"busy\","
		"\"retry_status\":{\"type\":\"retrying\"}}}",
		"{\"type\":\"session.status_rescheduled\",\"id\":\"sevt_e2\","
		"\"processed_at\":\"2026-11-19T10:00:01Z\"}",
		"{\"type\":\"session.error\",\"id\":\"sevt_e3\","
		"\"processed_at\":\"2026-11-19T10:00:02Z\",\"error\":{\"type\":"
		"\"model_overloaded_error\",\"message\":\"still busy\","
		"\"retry_status\":{\"type\":\"exhausted\"}}}",
		"{\"type\":\"session.status_idle\",\"id\":\"sevt_e4\","
		"\"processed_at\":\"2026-11-19T10:00:03Z\",\"stop_reason\":"
		"{\"type\":\"retries_exhausted\"}}",
		"{\"type\":\"session.status_running\",\"id\":\"sevt_e5\","
		"\"processed_at\":\"2026-11-19T10:00:04Z\"}",
		"{\"type\":\"agent.custom_tool_use\",\"id\":\"sevt_c1\","
		"\"processed_at\":\"2026-11-19T10:00:05Z\",\"name\":"
		"\"request_human_review\",\"input\":{\"summary\":\"x\"}}",
		"{\"type\":\"agent.tool_use\",\"id\":\"sevt_c2\","
		"\"processed_at\":\"2026-11-19T10:00:05Z\",\"name\":\"write\","
		"\"input\":{"
		"\"file_path\":\"/a\",\"content\":\"...\"},"
		"\"evaluated_permission\":\"ask\",\"session_thread_id\":"
		"\"sthr_x\"}",
		"{\"type\":\"session.status_idle\",\"id\":\"sevt_c3\","
		"\"processed_at\":\"2026-11-19T10:00:06Z\",\"stop_reason\":"
		"{\"type\":\"requires_action\",\"event_ids\":[\"sevt_c1\","
		"\"sevt_zz\"]}}",
		"{\"type\":\"user.custom_tool_result\",\"id\":\"sevt_c4\","
		"\"processed_at\":\"2026-11-19T10:00:07Z\","
		"\"custom_tool_use_id\":\"sevt_c1\",\"content\":[]}",
		"{\"type\":\"agent.tool_result\",\"id\":\"sevt_c5\","
		"\"processed_at\":\"2026-11-19T10:00:08Z\",\"tool_use_id\":"
		"\"sevt_c2\",\"is_error\":true,\"content\":[{\"type\":\"text\","
		"\"text\":\"denied by policy\"}]}",
		"{\"type\":\"user.tool_confirmation\",\"id\":\"sevt_c6\","
		"\"processed_at\":\"2026-11-19T10:00:09Z\",\"tool_use_id\":"
		"\"sevt_zz\",\"result\":\"deny\",\"deny_message\":\"no\"}",
		"{\"type\":\"session.status_terminated\",\"id\":\"sevt_t\","
		"\"processed_at\":\"2026-11-19T10:00:10Z\"}",
	};
	struct model_session	s;

	model_state_init(&s);
	fold_lines(&s, lines, 2);
	is_int(s.status, MODEL_STATUS_RESCHEDULING, "rescheduling");
	is_int(s.retries, 1, "a retrying error is a retry");
	is_int(model_attention(&s), 0, "a retry needs no operator");
	fold_lines(&s, lines + 2, 2);
	is_int(s.errors, 2, "two errors");
	is_str(s.retry_status, "exhausted", "last retry status");
	is_str(s.error_message, "still busy", "last message");
	is_int(model_attention(&s), MODEL_ATTN_ERROR, "error attention");
	fold_lines(&s, lines + 4, 1);
	is_int(model_attention(&s), 0, "the next turn clears it");
	fold_lines(&s, lines + 5, 3);
	is_int(s.ncustom, 1, "a custom tool waits");
	is_int(s.nconfirm, 2, "two confirmations pending");
	ok(s.nconfirm == 2 && strcmp(s.confirm[0].event_id, "sevt_c2") == 0 &&
	    strcmp(s.confirm[0].thread_id, "sthr_x") == 0 &&
	    strcmp(s.confirm[0].summary, "/a") == 0,
	    "the subagent's held write stays: the primary's idle does not "
	    "speak for other threads");
	ok(s.nconfirm == 2 && strcmp(s.confirm[1].event_id, "sevt_zz") == 0 &&
	    strcmp(s.confirm[1].tool, "?") == 0 &&
	    s.confirm[1].thread_id[0] == '\0',
	    "an id never seen gets a placeholder on the primary thread");
	ok(s.ncustom == 1 && strcmp(s.custom[0].tool,
	    "request_human_review") == 0, "the custom tool's name");
	is_int(model_attention(&s), MODEL_ATTN_APPROVAL | MODEL_ATTN_ACTION,
	    "approval and action needed");
	fold_lines(&s, lines + 8, 1);
	is_int(s.ncustom, 0, "the custom result answers it");
	fold_lines(&s, lines + 9, 1);
	is_int(s.tool_errors, 1, "an error result counts");
	ok(s.ntools == 2 && s.tools[1].errors == 1, "against its tool");
	ok(s.nconfirm == 1 && strcmp(s.confirm[0].event_id, "sevt_zz") == 0,
	    "a result settles the held call");
	fold_lines(&s, lines + 10, 1);
	ok(s.denied == 1 && s.ndenies == 1 &&
	    strcmp(s.denies[0].message, "no") == 0, "a denial and its message");
	is_int(s.nconfirm, 0, "nothing left to confirm");
	fold_lines(&s, lines + 11, 1);
	is_int(s.status, MODEL_STATUS_TERMINATED, "terminated");
	model_state_clear(&s);
}

/*
 * The reducer reads members in one trusted pass over the raw text:
 * escaped quotes and backslashes in long strings before a member, a
 * repeated key (the last wins, as in jansson), an escaped key name, and
 * the nested usage, error and stop_reason objects.
 */
static void
test_scanned_members(void)
{
	static const char *const lines[] = {
		"{\"type\":\"agent.tool_use\",\"id\":\"sevt_s1\","
		"\"processed_at\":\"2026-11-19T10:00:00Z\",\"input\":{"
		"\"command\":1,\"command\":\"echo \\\"}\\\\\",\"path\":\"/p\"},"
		"\"name\":\"grep\",\"name\":\"bash\","
		"\"evaluated_\\u0070ermission\":\"ask\"}",
		"{\"type\":\"agent.tool_result\",\"id\":\"sevt_s2\","
		"\"processed_at\":\"2026-11-19T10:00:01Z\",\"content\":[{"
		"\"type\":\"text\",\"text\":\"a \\\"is_error\\\":false, \\\\\"},"
		"{\"x\":[\"]}\",{\"y\":\"}\"}]}],\"tool_use_id\":\"sevt_s1\","
		"\"is_error\":true}",
		"{\"type\":\"span.model_request_end\",\"id\":\"sevt_s3\","
		"\"processed_at\":\"2026-11-19T10:00:02Z\",\"is_error\":false,"
		"\"model_usage\":{\"input_tokens\":10,\"output_tokens\":2.9,"
		"\"cache_read_input_tokens\":-4,\"cache_creation\":{"
		"\"ephemeral_5m_input_tokens\":3,\"ephemeral_1h_input_tokens\":"
		"4},\"cache_creation_input_tokens\":5}}",
		"{\"type\":\"session.usage\",\"id\":\"sevt_s4\","
		"\"processed_at\":\"2026-11-19T10:00:03Z\",\"usage\":{"
		"\"input_tokens\":100,\"active_seconds\":1.5,\"list_cost\":{"
		"\"amount\":\"1\\u00323\",\"currency\":\"USD\"}}}",
		"{\"type\":\"session.error\",\"id\":\"sevt_s5\","
		"\"processed_at\":\"2026-11-19T10:00:04Z\",\"error\":{\"type\":"
		"\"x_error\",\"message\":\"cut\\u0000here\",\"retry_status\":"
		"{\"type\":\"terminal\"}}}",
	};
	struct model_session	s;

	model_state_init(&s);
	fold_lines(&s, lines, 1);
	ok(s.nconfirm == 1 && strcmp(s.confirm[0].tool, "bash") == 0,
	    "a repeated key: the last wins; an escaped key is read");
	ok(s.nconfirm == 1 && strcmp(s.confirm[0].summary,
	    "echo \"}\\") == 0, "the command, escapes decoded (the last, "
	    "the string one)");
	fold_lines(&s, lines + 1, 1);
	is_int(s.tool_errors, 1, "is_error after a string full of escaped "
	    "quotes and brackets is still found");
	is_int(s.nconfirm, 0, "and the id before it");
	fold_lines(&s, lines + 2, 1);
	is_int(s.spans.input_tokens, 10, "input tokens");
	is_int(s.spans.output_tokens, 2, "a real count is truncated");
	is_int(s.spans.cache_read_tokens, 0, "a negative count reads 0");
	is_int(s.spans.cache_creation_tokens, 12,
	    "flat and per-TTL cache writes are summed");
	fold_lines(&s, lines + 3, 1);
	ok(s.has_reported && s.reported.input_tokens == 100 &&
	    s.active_seconds == 1.5, "session.usage replaces the totals");
	is_int(s.list_cost_cents, 123, "list_cost amount, escapes decoded");
	fold_lines(&s, lines + 4, 1);
	is_str(s.error_message, "cut\xe2\x90\x80here",
	    "a \\u0000 in a string is kept as its control picture");
	is_str(s.retry_status, "terminal", "the nested retry status");
	is_int(model_attention(&s), MODEL_ATTN_ERROR, "a terminal error");
	model_state_clear(&s);
}

static void
test_fixtures(void)
{
	struct fixture_events		 e = { NULL, 0 };
	struct model_session	 a, b, *snap = NULL;
	size_t			 half, previews = 0;

	fixture_events_lines(&e, "events-catalog.jsonl");
	fixture_events_lines(&e, "events-variants.jsonl");
	fixture_events_lines(&e, "user-events-echo.jsonl");
	model_state_init(&a);
	model_state_init(&b);
	half = e.n / 2;
	for (size_t i = 0; i < e.n; i++) {
		(void)model_apply(&a, e.v[i]);
		if (i + 1 == half)
			snap = model_state_copy(&a);
	}
	fold(&b, &e, 0, e.n);
	ok(same_state(&a, &b), "folding is deterministic");
	fold(snap, &e, half, e.n);
	ok(same_state(snap, &a), "a mid-way snapshot folds to the same end");
	ok(a.errors >= 15, "every session.error counted (%lld)",
	    (long long)a.errors);
	ok(a.nthreads >= 1, "threads seen (%zu)", a.nthreads);
	ok(a.tool_errors >= 1, "error results counted");
	ok(a.ntools >= 3, "tools by name (%zu)", a.ntools);
	for (size_t i = 0; i < e.n; i++)
		if (api_event_type_flags(e.v[i]->type) & API_EVF_PREVIEW)
			previews++;
	is_int(a.nevents, (int64_t)(e.n - previews),
	    "every line but the %zu previews counts", previews);
	model_state_free(snap);
	model_state_clear(&a);
	model_state_clear(&b);
	fixture_events_free(&e);
}

static void
test_pricing(void)
{
	struct model_session	s;

	ok(pricing_lookup("claude-opus-4-8") != NULL &&
	    pricing_lookup("claude-opus-4-8")->input == 5.0, "opus 4.5+");
	ok(pricing_lookup("claude-opus-4-1-20250805")->input == 15.0,
	    "opus 4.1 is priced as such");
	ok(pricing_lookup("claude-sonnet-4-5")->output == 15.0, "sonnet");
	ok(pricing_lookup("claude-haiku-4-5")->input == 1.0, "haiku");
	ok(pricing_lookup("gpt-4") == NULL, "unknown model");
	model_state_init(&s);
	is_int(model_cost_microusd(&s), -1, "no model, no report: unknown");
	model_state_set_model(&s, "claude-sonnet-4-5");
	s.spans.input_tokens = 1000000;
	s.spans.output_tokens = 100000;
	s.spans.cache_read_tokens = 1000000;
	s.spans.cache_creation_tokens = 0;
	is_int(model_cost_microusd(&s), 3000000 + 1500000 + 300000,
	    "estimate: $3 + $1.50 + $0.30");
	s.list_cost_cents = 250;
	is_int(model_cost_microusd(&s), 2500000, "a reported cost wins");
	model_state_clear(&s);
}

int
main(void)
{
	test_stream();
	test_interrupt();
	test_errors_and_custom();
	test_scanned_members();
	test_fixtures();
	test_pricing();
	return done_testing();
}
