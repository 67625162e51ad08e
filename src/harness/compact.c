/* ISC licence: see COPYING.  Context compaction. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "harness/brain.h"
#include "harness/brain_config.h"
#include "harness/compact.h"
#include "harness/hjson.h"

#define COMPACT_INSTRUCTION						\
	"Summarise this conversation so far so that the work can carry on "\
	"from your summary alone: the user's goal and constraints, what "\
	"has been done (files read and changed, commands run and what "	\
	"they showed), what is known now, and what remains to be done "	\
	"next.  Keep file paths, names, numbers and error messages "	\
	"exact.  Reply with the summary only and do not call any tool."

/* What the summarising request's sink collects. */
struct compact_sink {
	struct buf		 text;
	struct brain_usage	 usage;
	int			 stopped;
};

static int	compact_sink(void *, const struct brain_ev *);

/* The window from the configuration; see the header for the rules. */
int64_t
compact_window(const char *config_path, const char *model)
{
	struct brain_anthropic_config	 ac;
	struct brain_alias		 ba;
	char				*cause = NULL;
	int64_t				 window = 0;

	if (str_has_prefix(model, "scripted:"))
		return -1;
	if (str_has_prefix(model, "local:")) {
		if (brain_config_alias(config_path, model + 6, &ba,
		    &cause) == 0) {
			window = ba.context_window;
			brain_alias_clear(&ba);
		}
		free(cause);
		return window;
	}
	if (brain_config_anthropic(config_path, &ac, &cause) == 0) {
		window = ac.context_window > 0 ? ac.context_window :
		    BRAIN_ANTHROPIC_DEFAULT_WINDOW;
		brain_anthropic_config_clear(&ac);
	}
	free(cause);
	return window;
}

/* Is the window nearly full? */
int
compact_due(int64_t input_total, int64_t window)
{
	return window > 0 &&
	    input_total > window / 100 * COMPACT_THRESHOLD_PCT;
}

/* Collect the text of the summary and the usage. */
static int
compact_sink(void *arg, const struct brain_ev *ev)
{
	struct compact_sink	*cs = arg;

	switch (ev->kind) {
	case BRAIN_EV_START:
		cs->usage = ev->usage;
		break;
	case BRAIN_EV_TEXT:
		/* Past the ceiling the summary is cut, never grown. */
		if (buf_append(&cs->text, ev->data, AD_MIN(ev->len,
		    cs->text.max - cs->text.len)) != 0)
			return 1;
		break;
	case BRAIN_EV_STOP:
		cs->stopped = 1;
		if (ev->usage.input != 0 || ev->usage.output != 0)
			cs->usage = ev->usage;
		break;
	default:
		break;
	}
	return 0;
}

/* Ask the brain for the summary. */
char *
compact_summarise(struct brain *b, const struct brain_request *base,
    struct cancel *cancel, struct brain_result *res,
    struct brain_usage *usage)
{
	struct brain_request	 req;
	struct compact_sink	 cs;
	json_t			*messages, *last, *text;
	char			*summary = NULL;

	messages = json_deep_copy(base->messages);
	text = json_pack("{s:s, s:s}", "type", "text", "text",
	    COMPACT_INSTRUCTION);
	last = json_array_get(messages, json_array_size(messages) - 1);
	if (hjson_str_is(last, "role", "user") &&
	    json_is_array(json_object_get(last, "content")))
		json_array_append_new(json_object_get(last, "content"), text);
	else
		json_array_append_new(messages, json_pack("{s:s, s:[o]}",
		    "role", "user", "content", text));
	req = *base;
	req.messages = messages;
	req.thinking = NULL;
	req.max_tokens = COMPACT_MAX_TOKENS;

	memset(&cs, 0, sizeof cs);
	buf_init(&cs.text, COMPACT_MAX_SUMMARY);
	brain_next_turn(b, &req, compact_sink, &cs, cancel, res);
	*usage = cs.usage;
	if (res->status == BRAIN_OK && cs.text.len == 0)
		brain_result_fail(res, BRAIN_E_PROTOCOL, 1, "the model gave "
		    "no summary when asked to compact the conversation");
	if (res->status == BRAIN_OK)
		summary = buf_steal(&cs.text, NULL);
	buf_clear(&cs.text);
	json_decref(messages);
	return summary;
}
