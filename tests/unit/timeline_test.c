/* ISC licence: see COPYING.  Tests for ui/timeline: rows, folding,
 * links, lanes, previews and views at any position of the log. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ui/timeline.h"
#include "tap.h"

static struct timeline	*tl;
static uint32_t		 seq;

/* Append one event given as JSON text; returns its index. */
static uint32_t
feed(const char *text, size_t len)
{
	struct api_event	*ev;
	struct tl_record	 r;
	char			*cause = NULL;
	uint32_t		 i;

	if ((ev = api_event_parse(text, len, &cause)) == NULL) {
		diag("bad event: %s", cause);
		exit(1);
	}
	if (ev->type == API_EV_EVENT_START || ev->type == API_EV_EVENT_DELTA) {
		timeline_preview(tl, ev);
		api_event_free(ev);
		return TL_NONE;
	}
	if (timeline_record(ev, seq++, &r) != 0) {
		diag("record failed");
		exit(1);
	}
	i = timeline_append(tl, &r);
	api_event_free(ev);
	return i;
}

/* Feed the "data" array of a page file. */
static void
feed_page(const char *name)
{
	json_error_t	 err;
	json_t		*page, *e;
	char		*path, *s;
	size_t		 i;

	if (asprintf(&path, "%s/tests/data/fixtures/%s", getenv("top_srcdir") ?
	    getenv("top_srcdir") : ".", name) < 0)
		exit(1);
	if ((page = json_load_file(path, 0, &err)) == NULL) {
		diag("%s: %s", path, err.text);
		exit(1);
	}
	json_array_foreach(json_object_get(page, "data"), i, e) {
		s = json_dumps(e, JSON_COMPACT);
		feed(s, strlen(s));
		free(s);
	}
	json_decref(page);
	free(path);
}

/* The type name of row k. */
static const char *
row_type(const struct tl_view *v, size_t k)
{
	return api_event_type_name(timeline_event(tl, timeline_row_event(tl,
	    v, k))->type);
}

int
main(void)
{
	struct tl_view		 main_v = { 0, SIZE_MAX };
	struct tl_view		 all_v = { 1, SIZE_MAX };
	struct tl_view		 at;
	const struct tl_event	*use, *e;
	uint32_t		 i, r;
	char			 buf[512];

	tl = timeline_create();
	feed_page("events-page.json");
	feed_page("events-page-2.json");
	is_int(timeline_count(tl), 16, "16 events indexed");
	is_int(timeline_rows(tl, &main_v), 9, "9 rows without details");
	is_str(row_type(&main_v, 0), "user.message", "the prompt first");
	is_str(row_type(&main_v, 1), "span.model_request_start",
	    "then the model request");
	is_str(row_type(&main_v, 4), "agent.tool_use", "the tool call");
	is_str(row_type(&main_v, 5), "session.status_idle", "the pause");
	ok(timeline_rows(tl, &all_v) > 9, "details add status and usage rows");

	use = timeline_event(tl, timeline_row_event(tl, &main_v, 4));
	ok(use->flags & TL_ASK, "the bash call was held for confirmation");
	ok(use->conf != TL_NONE && timeline_event(tl, use->conf)->type ==
	    API_EV_USER_TOOL_CONFIRMATION, "its confirmation folds into it");
	ok(use->link != TL_NONE && timeline_event(tl, use->link)->type ==
	    API_EV_AGENT_TOOL_RESULT, "so does its result");
	is_int(timeline_row_of(tl, &main_v, use->link), 4,
	    "the result's row is the use's");
	ok(use->group != TL_NONE && timeline_event(tl, use->group)->type ==
	    API_EV_SPAN_MODEL_REQUEST_START, "the use is in its request");
	e = timeline_event(tl, use->group);
	ok(e->link != TL_NONE && timeline_event(tl, e->link)->type ==
	    API_EV_SPAN_MODEL_REQUEST_END, "the request links to its end");

	/* A view at an earlier position of the log. */
	at.details = 0;
	at.limit = use->link;	/* just before the result */
	ok(!timeline_visible(tl, &at, use->link), "the result is not yet "
	    "there");
	ok(timeline_visible(tl, &at, use->conf), "the confirmation is");
	is_int(timeline_rows(tl, &at), 6, "six rows then");
	at.limit = 0;
	is_int(timeline_rows(tl, &at), 0, "none at the start");
	timeline_free(tl);

	/* Lanes, errors, retries, previews. */
	tl = timeline_create();
	seq = 0;
	snprintf(buf, sizeof buf, "{\"type\":\"span.model_request_start\","
	    "\"id\":\"sevt_s\",\"processed_at\":\"2026-11-19T14:00:00Z\"}");
	i = feed(buf, strlen(buf));
	snprintf(buf, sizeof buf, "{\"type\":\"event_start\",\"event\":"
	    "{\"type\":\"agent.message\",\"id\":\"sevt_m\"}}");
	feed(buf, strlen(buf));
	snprintf(buf, sizeof buf, "{\"type\":\"event_delta\",\"event_id\":"
	    "\"sevt_m\",\"delta\":{\"type\":\"content_delta\",\"content\":"
	    "{\"type\":\"text\",\"text\":\"Hel\"}}}");
	feed(buf, strlen(buf));
	snprintf(buf, sizeof buf, "{\"type\":\"event_delta\",\"event_id\":"
	    "\"sevt_m\",\"delta\":{\"type\":\"content_delta\",\"content\":"
	    "{\"type\":\"text\",\"text\":\"lo\"}}}");
	feed(buf, strlen(buf));
	is_int(timeline_previews(tl, &main_v), 1, "a preview is open");
	is_str(timeline_preview_at(tl, 0)->text.data, "Hello",
	    "deltas append");
	at.limit = 1;
	is_int(timeline_previews(tl, &at), 0, "previews only show live");
	snprintf(buf, sizeof buf, "{\"type\":\"agent.message\",\"id\":"
	    "\"sevt_m\",\"processed_at\":\"2026-11-19T14:00:01Z\","
	    "\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}]}");
	feed(buf, strlen(buf));
	is_int(timeline_previews(tl, &main_v), 0, "the final event replaces "
	    "its preview");
	snprintf(buf, sizeof buf, "{\"type\":\"event_start\",\"event\":"
	    "{\"type\":\"agent.message\",\"id\":\"sevt_m2\"}}");
	feed(buf, strlen(buf));
	snprintf(buf, sizeof buf, "{\"type\":\"span.model_request_end\","
	    "\"id\":\"sevt_e\",\"processed_at\":\"2026-11-19T14:00:02Z\","
	    "\"model_request_start_id\":\"sevt_s\",\"is_error\":true,"
	    "\"model_usage\":{\"input_tokens\":1,\"output_tokens\":1,"
	    "\"cache_creation_input_tokens\":0,"
	    "\"cache_read_input_tokens\":0}}");
	feed(buf, strlen(buf));
	is_int(timeline_previews(tl, &main_v), 0, "an interrupted request "
	    "closes its previews");
	ok(timeline_event(tl, i)->flags & TL_ERROR, "a failed request is "
	    "marked on its start");
	snprintf(buf, sizeof buf, "{\"type\":\"session.error\",\"id\":"
	    "\"sevt_x\",\"processed_at\":\"2026-11-19T14:00:03Z\",\"error\":"
	    "{\"type\":\"model_overloaded_error\",\"message\":\"busy\","
	    "\"retry_status\":{\"type\":\"retrying\"}}}");
	r = feed(buf, strlen(buf));
	ok((timeline_event(tl, r)->flags & (TL_ERROR | TL_RETRY)) ==
	    (TL_ERROR | TL_RETRY), "a retrying error is both");
	snprintf(buf, sizeof buf, "{\"type\":\"agent.tool_use\",\"id\":"
	    "\"sevt_t\",\"processed_at\":\"2026-11-19T14:00:04Z\",\"name\":"
	    "\"bash\",\"input\":{},\"session_thread_id\":\"sthr_1\"}");
	r = feed(buf, strlen(buf));
	is_int(timeline_event(tl, r)->lane, 1, "a cross-posted call gets a "
	    "lane");
	is_str(timeline_lane_thread(tl, 1), "sthr_1", "named by its thread");
	snprintf(buf, sizeof buf, "{\"type\":\"agent.tool_result\",\"id\":"
	    "\"sevt_r\",\"processed_at\":\"2026-11-19T14:00:05Z\","
	    "\"tool_use_id\":\"sevt_nosuch\"}");
	r = feed(buf, strlen(buf));
	ok(!(timeline_event(tl, r)->flags & TL_FOLDED), "an orphan result "
	    "is a row of its own");
	snprintf(buf, sizeof buf, "{\"type\":\"some.future_event\",\"id\":"
	    "\"sevt_f\",\"processed_at\":\"2026-11-19T14:00:06Z\"}");
	r = feed(buf, strlen(buf));
	is_int(timeline_row_event(tl, &main_v, timeline_rows(tl, &main_v) - 1),
	    r, "an unknown type is a row, never dropped");
	ok(timeline_memory(tl) > 0, "memory is accounted");
	timeline_free(tl);
	return done_testing();
}
