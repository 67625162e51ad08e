/* ISC licence: see COPYING.  Parsing and checking API base URLs. */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "base/str.h"
#include "base/xmalloc.h"
#include "wire/api_url.h"

#define API_URL_FORMS	"use https://HOST, http://127.0.0.1:PORT or " \
	"unix:/path/to.sock"
#define API_URL_SUN_PATH	sizeof ((struct sockaddr_un *)0)->sun_path

static int	api_url_loopback(const char *, size_t);

/* Non-zero when host (len bytes, brackets kept for IPv6) is loopback. */
static int
api_url_loopback(const char *host, size_t len)
{
	if (len == 9 && strncmp(host, "localhost", 9) == 0)
		return 1;
	if (len == 5 && strncmp(host, "[::1]", 5) == 0)
		return 1;
	if (len < 4 || strncmp(host, "127.", 4) != 0)
		return 0;
	/* 127.a.b.c: three more dotted numbers. */
	for (size_t i = 4, parts = 1, digits = 0; i <= len; i++) {
		if (i == len || host[i] == '.') {
			if (digits == 0 || digits > 3)
				return 0;
			if (i == len)
				return parts == 3;
			parts++;
			digits = 0;
		} else if (host[i] >= '0' && host[i] <= '9')
			digits++;
		else
			return 0;
	}
	return 0;
}

/* Parse text into u; on failure u is left empty and *cause set. */
int
api_url_parse(const char *text, struct api_url *u, char **cause)
{
	const char	*rest, *host, *end, *p;
	size_t		 hostlen, len;
	long long	 port;
	char		*tmp, *why = NULL;

	memset(u, 0, sizeof *u);
	for (p = text; *p != '\0'; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f) {
			xasprintf(cause, "API URL contains a space or control "
			    "character; %s", API_URL_FORMS);
			return -1;
		}
	}
	if (str_has_prefix(text, "unix:")) {
		rest = text + 5;
		if (*rest != '/' || rest[1] == '\0') {
			xasprintf(cause, "unix socket URL \"%s\" needs an "
			    "absolute path (unix:/path/to.sock)", text);
			return -1;
		}
		if (strlen(rest) >= API_URL_SUN_PATH) {
			xasprintf(cause, "unix socket path too long (at most "
			    "%zu bytes): %s", API_URL_SUN_PATH - 1, rest);
			return -1;
		}
		u->unix_path = xstrdup(rest);
		u->base = xstrdup("http://localhost");
		u->local = 1;
		return 0;
	}
	if (str_has_prefix(text, "https://")) {
		u->tls = 1;
		rest = text + 8;
	} else if (str_has_prefix(text, "http://"))
		rest = text + 7;
	else {
		xasprintf(cause, "unsupported API URL \"%s\"; %s", text,
		    API_URL_FORMS);
		return -1;
	}
	if (strpbrk(rest, "?#") != NULL) {
		xasprintf(cause, "API URL \"%s\" must not have a query or "
		    "fragment", text);
		return -1;
	}
	end = rest + strcspn(rest, "/");
	if (memchr(rest, '@', (size_t)(end - rest)) != NULL) {
		xasprintf(cause, "API URL must not carry credentials; put the "
		    "key in ANTHROPIC_API_KEY or a key_file");
		return -1;
	}
	host = rest;
	if (*host == '[') {
		p = memchr(host, ']', (size_t)(end - host));
		if (p == NULL) {
			xasprintf(cause, "API URL \"%s\": unterminated [ in "
			    "the host", text);
			return -1;
		}
		hostlen = (size_t)(p - host) + 1;
	} else
		hostlen = strcspn(host, ":/");
	if (hostlen == 0) {
		xasprintf(cause, "API URL \"%s\" has no host", text);
		return -1;
	}
	p = host + hostlen;
	if (*p == ':') {
		len = (size_t)(end - p) - 1;
		tmp = xstrndup(p + 1, len);
		if (str_to_ll(tmp, 1, 65535, &port, &why) != 0) {
			xasprintf(cause, "API URL \"%s\": bad port: %s", text,
			    why);
			free(why);
			free(tmp);
			return -1;
		}
		free(tmp);
	} else if (p != end) {
		xasprintf(cause, "API URL \"%s\": bad host", text);
		return -1;
	}
	if (!u->tls) {
		if (!api_url_loopback(host, hostlen)) {
			xasprintf(cause, "refusing plain http to %.*s: the key "
			    "would travel unencrypted; use https:// (http:// "
			    "is for loopback servers)", (int)hostlen, host);
			return -1;
		}
		u->local = 1;
	}
	len = strlen(text);
	while (len > 0 && text[len - 1] == '/')
		len--;
	u->base = xstrndup(text, len);
	return 0;
}

/* Free the strings; u can be parsed into again. */
void
api_url_clear(struct api_url *u)
{
	free(u->base);
	free(u->unix_path);
	memset(u, 0, sizeof *u);
}
