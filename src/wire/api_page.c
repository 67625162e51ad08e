/* ISC licence: see COPYING.  Scanning list pages without a JSON tree. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/compiler.h"
#include "base/xmalloc.h"
#include "wire/api_page.h"

/* A cursor over the text being scanned. */
struct api_page_scan {
	const char	*p;
	const char	*end;
	int		 depth;
};

/* Where one element of "data" lies. */
struct api_page_span {
	size_t	off;
	size_t	len;
};

static void	api_page_ws(struct api_page_scan *);
static int	api_page_string(struct api_page_scan *);
static int	api_page_number(struct api_page_scan *);
static int	api_page_value(struct api_page_scan *);
static int	api_page_cursor(const char *, size_t, char **);

/* Skip JSON blanks. */
static void
api_page_ws(struct api_page_scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
	    *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/* Skip a string starting at its opening quote; -1 if malformed. */
static int
api_page_string(struct api_page_scan *s)
{
	unsigned char	c;

	s->p++;
	while (s->p < s->end) {
		c = (unsigned char)*s->p++;
		if (c == '"')
			return 0;
		if (c < 0x20)
			return -1;
		if (c != '\\')
			continue;
		if (s->p >= s->end)
			return -1;
		c = (unsigned char)*s->p++;
		if (c == 'u') {
			if (s->end - s->p < 4)
				return -1;
			for (int i = 0; i < 4; i++, s->p++)
				if (strchr("0123456789abcdefABCDEF", *s->p) ==
				    NULL || *s->p == '\0')
					return -1;
		} else if (strchr("\"\\/bfnrt", c) == NULL || c == '\0')
			return -1;
	}
	return -1;
}

/* Skip a number with the JSON grammar; -1 if malformed. */
static int
api_page_number(struct api_page_scan *s)
{
	const char	*start;

	if (s->p < s->end && *s->p == '-')
		s->p++;
	if (s->p >= s->end)
		return -1;
	if (*s->p == '0')
		s->p++;
	else if (*s->p >= '1' && *s->p <= '9') {
		while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
			s->p++;
	} else
		return -1;
	if (s->p < s->end && *s->p == '.') {
		start = ++s->p;
		while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
			s->p++;
		if (s->p == start)
			return -1;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		start = s->p;
		while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
			s->p++;
		if (s->p == start)
			return -1;
	}
	return 0;
}

/* Skip any value after blanks; -1 if malformed or nested too deep. */
static int
api_page_value(struct api_page_scan *s)
{
	static const char	*lits[] = { "true", "false", "null" };
	char			 close;
	size_t			 n;

	api_page_ws(s);
	if (s->p >= s->end)
		return -1;
	switch (*s->p) {
	case '"':
		return api_page_string(s);
	case '{':
	case '[':
		if (++s->depth > API_PAGE_MAX_DEPTH)
			return -1;
		close = *s->p == '{' ? '}' : ']';
		s->p++;
		api_page_ws(s);
		if (s->p < s->end && *s->p == close) {
			s->p++;
			s->depth--;
			return 0;
		}
		for (;;) {
			if (close == '}') {
				api_page_ws(s);
				if (s->p >= s->end || *s->p != '"' ||
				    api_page_string(s) != 0)
					return -1;
				api_page_ws(s);
				if (s->p >= s->end || *s->p++ != ':')
					return -1;
			}
			if (api_page_value(s) != 0)
				return -1;
			api_page_ws(s);
			if (s->p >= s->end)
				return -1;
			if (*s->p == ',') {
				s->p++;
				continue;
			}
			if (*s->p++ != close)
				return -1;
			s->depth--;
			return 0;
		}
	default:
		for (size_t i = 0; i < AD_NITEMS(lits); i++) {
			n = strlen(lits[i]);
			if ((size_t)(s->end - s->p) >= n &&
			    memcmp(s->p, lits[i], n) == 0) {
				s->p += n;
				return 0;
			}
		}
		return api_page_number(s);
	}
}

/* Decode a cursor value (a JSON string or null) of len bytes at v. */
static int
api_page_cursor(const char *v, size_t len, char **out)
{
	json_t	*j;

	*out = NULL;
	if (len == 4 && memcmp(v, "null", 4) == 0)
		return 0;
	j = json_loadb(v, len, JSON_DECODE_ANY, NULL);
	if (!json_is_string(j)) {
		json_decref(j);
		return -1;
	}
	if (json_string_length(j) != 0)
		*out = xstrndup(json_string_value(j), json_string_length(j));
	json_decref(j);
	return 0;
}

/* The length of the value at the start of text, blanks before it included. */
size_t
api_page_value_len(const char *text, size_t len)
{
	struct api_page_scan	s = { text, text + len, 0 };

	if (api_page_value(&s) != 0)
		return 0;
	return (size_t)(s.p - text);
}

/* Validate a page and hand over each element of data. */
int
api_page_scan(const char *text, size_t len, api_page_cb cb, void *arg,
    struct api_page *pg, char **cause)
{
	struct api_page_scan	 s = { text, text + len, 0 };
	struct api_page_span	*spans = NULL;
	size_t			 nspans = 0, size = 0;
	const char		*key, *v;
	size_t			 keylen;
	int			 have_data = 0;
	char			**cursor;

	memset(pg, 0, sizeof *pg);
	api_page_ws(&s);
	if (s.p >= s.end || *s.p++ != '{')
		goto bad;
	api_page_ws(&s);
	if (s.p < s.end && *s.p == '}') {
		s.p++;
		goto done;
	}
	for (;;) {
		api_page_ws(&s);
		if (s.p >= s.end || *s.p != '"')
			goto bad;
		key = s.p + 1;
		if (api_page_string(&s) != 0)
			goto bad;
		keylen = (size_t)(s.p - key) - 1;
		api_page_ws(&s);
		if (s.p >= s.end || *s.p++ != ':')
			goto bad;
		api_page_ws(&s);
		cursor = NULL;
		if (keylen == 4 && memcmp(key, "data", 4) == 0) {
			if (s.p >= s.end || *s.p != '[' || have_data)
				goto bad;
			have_data = 1;
			s.p++;
			api_page_ws(&s);
			if (s.p < s.end && *s.p == ']')
				s.p++;
			else for (;;) {
				api_page_ws(&s);
				v = s.p;
				if (api_page_value(&s) != 0)
					goto bad;
				if (nspans == size) {
					size = size ? size * 2 : 64;
					spans = xreallocarray(spans, size,
					    sizeof *spans);
				}
				spans[nspans].off = (size_t)(v - text);
				spans[nspans++].len = (size_t)(s.p - v);
				api_page_ws(&s);
				if (s.p >= s.end)
					goto bad;
				if (*s.p == ',') {
					s.p++;
					continue;
				}
				if (*s.p++ != ']')
					goto bad;
				break;
			}
		} else {
			if (keylen == 9 && memcmp(key, "next_page", 9) == 0)
				cursor = &pg->next_page;
			else if (keylen == 9 && memcmp(key, "prev_page", 9) == 0)
				cursor = &pg->prev_page;
			v = s.p;
			if (api_page_value(&s) != 0)
				goto bad;
			if (cursor != NULL) {
				free(*cursor);
				if (api_page_cursor(v, (size_t)(s.p - v),
				    cursor) != 0) {
					xasprintf(cause, "list page: %.*s is "
					    "not a string or null",
					    (int)keylen, key);
					goto fail;
				}
			}
		}
		api_page_ws(&s);
		if (s.p >= s.end)
			goto bad;
		if (*s.p == ',') {
			s.p++;
			continue;
		}
		if (*s.p++ != '}')
			goto bad;
		break;
	}
done:
	api_page_ws(&s);
	if (s.p != s.end)
		goto bad;
	if (!have_data) {
		xasprintf(cause, "list page has no \"data\" array");
		goto fail;
	}
	pg->count = nspans;
	for (size_t i = 0; i < nspans; i++)
		cb(text + spans[i].off, spans[i].len, arg);
	free(spans);
	return 0;

bad:
	xasprintf(cause, "list page is not valid JSON (at byte %zu of %zu)",
	    (size_t)(s.p - text), len);
fail:
	free(spans);
	api_page_clear(pg);
	return -1;
}

/* Free the cursors. */
void
api_page_clear(struct api_page *pg)
{
	free(pg->next_page);
	free(pg->prev_page);
	memset(pg, 0, sizeof *pg);
}
