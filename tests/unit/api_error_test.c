/* ISC licence: see COPYING.  Tests for wire/api_error: envelopes. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "wire/api_error.h"

/* Format e and compare with want. */
static void
formats(const struct api_error *e, const char *want, const char *what)
{
	char	*s = api_error_format(e);

	is_str(s, want, "%s", what);
	free(s);
}

int
main(void)
{
	struct api_error	e, copy;
	const char		*env = "{\"type\":\"error\",\"error\":{\"type\":"
	    "\"not_found_error\",\"message\":\"session sesn_1 not found\","
	    "\"details\":{\"error_code\":\"session_not_found\"}},"
	    "\"request_id\":\"req_body\"}";

	memset(&e, 0, sizeof e);
	memset(&copy, 0, sizeof copy);
	api_error_set_http(&e, 404, env, strlen(env), NULL);
	is_int(e.status, API_ERR_HTTP, "an HTTP error");
	is_str(e.type, "not_found_error", "type from the envelope");
	is_str(e.request_id, "req_body", "request id from the body");
	formats(&e, "404 not_found_error: session sesn_1 not found",
	    "the command line's line");

	api_error_set_http(&e, 404, env, strlen(env), "req_header");
	is_str(e.request_id, "req_header", "the header's request id wins");

	api_error_set_http(&e, 502, "<html>bad gateway</html>", 24, NULL);
	ok(e.type == NULL, "no envelope, no type");
	formats(&e, "502: unexpected response (24 bytes, not an API error "
	    "envelope)", "a body that is not an envelope");

	api_error_set_http(&e, 500, "", 0, NULL);
	formats(&e, "500: empty response", "an empty body");

	/* An "event: error" frame: no status. */
	{
		const char	*frame = "{\"type\":\"error\",\"error\":{"
		    "\"type\":\"overloaded_error\",\"message\":"
		    "\"Overloaded\"}}";

		api_error_set_http(&e, 0, frame, strlen(frame), NULL);
	}
	formats(&e, "overloaded_error: Overloaded", "a stream error frame");

	/* Server text is untrusted: no control sequence survives. */
	{
		const char	*evil = "{\"error\":{\"type\":\"x\\u001b[2J\","
		    "\"message\":\"a\\u001b]52;c;Zm9v\\u0007b\\nline\"}}";
		char		*s;

		api_error_set_http(&e, 400, evil, strlen(evil), NULL);
		s = api_error_format(&e);
		ok(strchr(s, '\033') == NULL && strchr(s, '\a') == NULL &&
		    strchr(s, '\n') == NULL, "escapes and line ends are made "
		    "inert: %s", s);
		free(s);
	}

	api_error_set(&e, API_ERR_NETWORK, "is the server running?",
	    "cannot reach %s: %s", "http://127.0.0.1:1", "refused");
	formats(&e, "cannot reach http://127.0.0.1:1: refused; is the server "
	    "running?", "a transport error with its hint");

	/* The key never survives in a message. */
	api_error_set(&e, API_ERR_HTTP, NULL, "bad key sk-ant-SECRET (and "
	    "sk-ant-SECRET again)");
	api_error_redact(&e, "sk-ant-SECRET");
	is_str(e.message, "bad key [redacted] (and [redacted] again)",
	    "redacted everywhere");
	api_error_copy(&copy, &e);
	is_str(copy.message, e.message, "copies are deep");
	api_error_clear(&copy);
	api_error_clear(&e);
	ok(e.message == NULL && e.status == API_OK, "clear resets");
	return done_testing();
}
