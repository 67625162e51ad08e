/* ISC licence: see COPYING.  Tests for wire/api_url: base URL forms. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "wire/api_url.h"

/* Parse text and expect success with base, unix path, tls and local. */
static void
good(const char *text, const char *base, const char *path, int tls,
    int local)
{
	struct api_url	 u;
	char		*cause = NULL;

	if (!ok(api_url_parse(text, &u, &cause) == 0, "accepts %s", text)) {
		diag("  %s", cause);
		free(cause);
		return;
	}
	is_str(u.base, base, "  base of %s", text);
	is_str(u.unix_path, path, "  socket of %s", text);
	is_int(u.tls, tls, "  tls of %s", text);
	is_int(u.local, local, "  local of %s", text);
	api_url_clear(&u);
}

/* Expect a refusal whose message contains want. */
static void
bad(const char *text, const char *want)
{
	struct api_url	 u;
	char		*cause = NULL;

	ok(api_url_parse(text, &u, &cause) == -1 && cause != NULL &&
	    strstr(cause, want) != NULL, "refuses \"%s\" (%s)", text,
	    cause != NULL ? cause : "accepted");
	free(cause);
}

int
main(void)
{
	good("https://api.anthropic.com", "https://api.anthropic.com", NULL,
	    1, 0);
	good("https://api.anthropic.com/", "https://api.anthropic.com", NULL,
	    1, 0);
	good("https://proxy.example:8443/anthropic//",
	    "https://proxy.example:8443/anthropic", NULL, 1, 0);
	good("http://127.0.0.1:8080", "http://127.0.0.1:8080", NULL, 0, 1);
	good("http://127.1.2.3:1/v1x", "http://127.1.2.3:1/v1x", NULL, 0, 1);
	good("http://localhost:9", "http://localhost:9", NULL, 0, 1);
	good("http://[::1]:9", "http://[::1]:9", NULL, 0, 1);
	good("https://[2001:db8::1]:443", "https://[2001:db8::1]:443", NULL,
	    1, 0);
	good("unix:/run/user/1000/pilothouse/harness.sock", "http://localhost",
	    "/run/user/1000/pilothouse/harness.sock", 0, 1);

	bad("http://api.anthropic.com", "refusing plain http");
	bad("http://127.0.0.1.evil.com:80", "refusing plain http");
	bad("http://127.0.0:80", "refusing plain http");
	bad("http://1270.0.0.1", "refusing plain http");
	bad("ftp://example.com", "unsupported API URL");
	bad("api.anthropic.com", "unsupported API URL");
	bad("unix:relative.sock", "absolute path");
	bad("unix:/", "absolute path");
	bad("https://user:pw@host", "credentials");
	bad("https://host/?x=1", "query or fragment");
	bad("https://host#frag", "query or fragment");
	bad("https://:443", "no host");
	bad("https://host:0", "bad port");
	bad("https://host:65536", "bad port");
	bad("https://host:", "bad port");
	bad("https://host:12x", "bad port");
	bad("https://ho st", "space or control");
	bad("https://[::1", "unterminated");
	{
		char	 longp[200];

		memset(longp, 'a', sizeof longp);
		memcpy(longp, "unix:/", 6);
		longp[sizeof longp - 1] = '\0';
		bad(longp, "too long");
	}
	return done_testing();
}
