/* ISC licence: see COPYING.  Fuzz target for wire/api_event and the JSON
 * scanner under it.
 *
 * Every input goes through api_event_parse and, when it is an event,
 * api_event_json and api_event_view; valid text also goes through
 * json_scan_minify, which must keep it valid and equal.  jansson is the
 * oracle: what it accepts the scanner must accept, with the same type,
 * id and processed_at; what the scanner accepts and jansson refuses
 * must be one of the documented differences (integers past 64 bits,
 * escaped lone surrogates, reals that overflow, \u0000 in an object
 * key).  Text with a raw NUL byte, which jansson mis-reads, must be
 * refused.  On valid objects the trusted member walk must see exactly
 * what the validating one sees, and every event is folded by the
 * session reducer, which reads its members that way.  A tool result's
 * id and is_error must be jansson's, from both scans.
 */

#include "config.h"

#include <string.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "model/session.h"
#include "wire/api_event.h"
#include "wire/json_scan.h"
#include "fuzz.h"

/* The trusted walk of a valid object must match the validating one. */
static void
fuzz_same_members(const char *text, size_t size)
{
	struct json_scan_iter	a, b;
	struct json_span	ka, va, kb, vb;
	int			ea, eb, ra, rb;

	if (json_scan_object_init(&a, text, size) != 0)
		return;
	if (json_scan_object_init_trusted(&b, text, size) != 0)
		fuzz_fail("the trusted walk refuses an object");
	do {
		ra = json_scan_object_next(&a, &ka, &va, &ea);
		rb = json_scan_object_next(&b, &kb, &vb, &eb);
		if (ra != rb || (ra == 1 && (ka.p != kb.p ||
		    ka.len != kb.len || va.p != vb.p || va.len != vb.len ||
		    ea != eb)))
			fuzz_fail("the trusted walk differs");
	} while (ra == 1);
}

/*
 * A result's id and is_error as the scans keep them must be jansson's
 * (an id's NULs shown as U+2400, three bytes each), and the trusted scan
 * must find what the validating one found.
 */
static void
fuzz_same_result(const struct api_event *ev, json_t *j, const char *text,
    size_t size)
{
	struct api_event	*t;
	json_t			*v;
	const char		*key, *s;
	size_t			 len, nuls = 0;
	char			*cause = NULL;
	int			 want;

	if ((t = api_event_parse_trusted(text, size, &cause)) == NULL)
		fuzz_fail("the trusted scan refuses an event: %s", cause);
	if (t->is_error != ev->is_error || (t->tool_use_id == NULL) !=
	    (ev->tool_use_id == NULL) || (t->tool_use_id != NULL &&
	    strcmp(t->tool_use_id, ev->tool_use_id) != 0))
		fuzz_fail("the trusted scan's result fields differ");
	api_event_free(t);
	if (!(api_event_type_flags(ev->type) & API_EVF_RESULT)) {
		if (ev->tool_use_id != NULL || ev->is_error != -1)
			fuzz_fail("result fields on a %s", ev->type_name);
		return;
	}
	v = json_object_get(j, "is_error");
	want = json_is_boolean(v) ? json_is_true(v) : -1;
	if (ev->is_error != want)
		fuzz_fail("is_error differs from jansson");
	key = ev->type == API_EV_AGENT_MCP_TOOL_RESULT ? "mcp_tool_use_id" :
	    ev->type == API_EV_USER_CUSTOM_TOOL_RESULT ?
	    "custom_tool_use_id" : "tool_use_id";
	v = json_object_get(j, key);
	if ((s = json_string_value(v)) == NULL) {
		if (ev->tool_use_id != NULL)
			fuzz_fail("%s: %s where jansson has none", key,
			    ev->tool_use_id);
		return;
	}
	len = json_string_length(v);
	for (size_t i = 0; i < len; i++)
		nuls += s[i] == '\0';
	if (ev->tool_use_id == NULL ||
	    strlen(ev->tool_use_id) != len + 2 * nuls ||
	    (nuls == 0 && strcmp(ev->tool_use_id, s) != 0))
		fuzz_fail("%s differs from jansson", key);
}

/* Is jansson's refusal one the scanner is documented not to make? */
static int
fuzz_known_difference(const char *why)
{
	return strstr(why, "too big") != NULL ||
	    strstr(why, "Unicode") != NULL || strstr(why, "overflow") != NULL ||
	    strstr(why, "NUL byte in object key") != NULL;
}

/* Check a scanned string against jansson's value of the same member. */
static void
fuzz_same_string(const char *mine, json_t *j, const char *key)
{
	json_t		*v = json_object_get(j, key);
	const char	*s;

	if (json_is_null(v) || v == NULL) {
		if (mine != NULL)
			fuzz_fail("%s: %s where jansson has none", key, mine);
		return;
	}
	s = json_string_value(v);
	if (mine == NULL || s == NULL || strcmp(mine, s) != 0 ||
	    json_string_length(v) != strlen(mine))
		fuzz_fail("%s differs from jansson", key);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*text = (const char *)data;
	struct api_event	*ev;
	struct api_event_view	 v;
	struct model_session	 st;
	json_error_t		 err;
	json_t			*j;
	char			*cause = NULL;
	int			 valid;

	valid = json_scan_valid(text, size);
	j = json_loadb(text, size, JSON_ALLOW_NUL | JSON_DECODE_ANY, &err);
	/* jansson's reading goes wrong at a raw NUL byte (it may accept the
	 * text), which the scanner always refuses: no oracle then. */
	if (j != NULL && memchr(text, '\0', size) != NULL) {
		if (valid)
			fuzz_fail("the scanner accepts a raw NUL");
		json_decref(j);
		j = NULL;
	}
	if (j != NULL && !valid)
		fuzz_fail("jansson accepts what the scanner refuses");
	if (j == NULL && valid && !fuzz_known_difference(err.text))
		fuzz_fail("scanner accepts what jansson refuses: %s", err.text);

	/* Minified valid text stays valid and means the same. */
	if (valid) {
		struct buf	 b;
		json_t		*m;

		buf_init(&b, BUF_UNBOUNDED);
		if (json_scan_minify(text, size, &b) != 0 ||
		    !json_scan_valid(b.data, b.len))
			fuzz_fail("minify broke valid JSON");
		if (j != NULL && ((m = json_loadb(b.data, b.len,
		    JSON_ALLOW_NUL | JSON_DECODE_ANY, NULL)) == NULL ||
		    !json_equal(m, j)))
			fuzz_fail("minify changed the value");
		if (j != NULL)
			json_decref(m);
		buf_clear(&b);
		fuzz_same_members(text, size);
	}

	ev = api_event_parse(text, size, &cause);
	if (ev == NULL) {
		if (cause == NULL || *cause == '\0')
			fuzz_fail("no cause for a refused event");
		/* jansson may hold an event whose strings contain NUL. */
		if (j != NULL && json_is_object(j) &&
		    json_is_string(json_object_get(j, "type")) &&
		    strstr(cause, "NUL") == NULL &&
		    strstr(cause, "not a string") == NULL)
			fuzz_fail("refused a valid event: %s", cause);
		free(cause);
		json_decref(j);
		return 0;
	}
	if (!valid || ev->rawlen != size || memcmp(ev->raw, text, size) != 0)
		fuzz_fail("an event from invalid text, or raw not verbatim");
	if (ev->type_name == NULL || (ev->type == API_EV_UNKNOWN) !=
	    (api_event_type_lookup(ev->type_name, strlen(ev->type_name)) ==
	    API_EV_UNKNOWN))
		fuzz_fail("type lookup");
	if (j != NULL) {
		fuzz_same_string(ev->type_name, j, "type");
		fuzz_same_string(ev->id, j, "id");
		fuzz_same_string(ev->processed_at, j, "processed_at");
		fuzz_same_result(ev, j, text, size);
	}
	if (api_event_json(ev, &cause) == NULL) {
		if (j != NULL)
			fuzz_fail("api_event_json fails where jansson works");
		free(cause);
		cause = NULL;
	} else if (j == NULL || !json_equal(j, ev->json))
		fuzz_fail("api_event_json differs from jansson");
	if (api_event_view(ev, &v, &cause) == 0) {
		if (v.tool_name != NULL && strlen(v.tool_name) > size)
			fuzz_fail("view string longer than the input");
		if (v.has_usage && (v.usage.input_tokens < 0 ||
		    v.usage.output_tokens < 0 ||
		    v.usage.cache_read_input_tokens < 0 ||
		    v.usage.cache_creation_input_tokens < 0))
			fuzz_fail("negative token counts");
	} else
		free(cause);
	model_state_init(&st);
	model_apply(&st, ev);
	model_apply(&st, ev);		/* a repeat folds as well */
	model_state_clear(&st);
	api_event_free(ev);
	json_decref(j);
	return 0;
}
