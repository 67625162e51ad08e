/* ISC licence: see COPYING.  JavaScript regular expressions on PCRE2. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "harness/jsregex.h"

/* PCRE2's errors for common mistakes, in V8's words. */
static const struct {
	int		 code;
	const char	*v8;
} jsregex_messages[] = {
	{ PCRE2_ERROR_MISSING_CLOSING_PARENTHESIS, "Unterminated group" },
	{ PCRE2_ERROR_MISSING_SQUARE_BRACKET, "Unterminated character class" },
	{ PCRE2_ERROR_QUANTIFIER_INVALID, "Nothing to repeat" },
	{ PCRE2_ERROR_UNMATCHED_CLOSING_PARENTHESIS, "Unmatched ')'" },
	{ PCRE2_ERROR_QUANTIFIER_OUT_OF_ORDER,
	  "numbers out of order in {} quantifier" },
	{ PCRE2_ERROR_END_BACKSLASH, "\\ at end of pattern" },
	{ PCRE2_ERROR_CLASS_RANGE_ORDER,
	  "Range out of order in character class" },
};

/* Whether p[0..n) are hex digits. */
static int
jsregex_hex(const char *p, size_t avail, size_t n)
{
	if (avail < n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strchr("0123456789abcdefABCDEF", p[i]) == NULL ||
		    p[i] == '\0')
			return 0;
	return 1;
}

/*
 * Translate the escape at p[0] == '\\' (len bytes left); returns how many
 * bytes it used.  in_class: inside [...], where \b is the backspace.
 */
static size_t
jsregex_escape(const char *p, size_t len, int in_class, struct buf *out)
{
	char	c;

	if (len < 2) {
		buf_xprintf(out, "\\");	/* PCRE2 reports the error */
		return 1;
	}
	c = p[1];
	switch (c) {
	case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
	case 't': case 'n': case 'f': case 'r':
		buf_xprintf(out, "\\%c", c);
		return 2;
	case 'b':
		buf_xprintf(out, "%s", in_class ? "\\x08" : "\\b");
		return 2;
	case 'B':
		buf_xprintf(out, "%s", in_class ? "B" : "\\B");
		return 2;
	case 'v':
		buf_xprintf(out, "\\x0b");
		return 2;
	case '0':
		if (len > 2 && p[2] >= '0' && p[2] <= '9')
			break;
		buf_xprintf(out, "\\x00");
		return 2;
	case 'c':
		if (len > 2 && ((p[2] >= 'a' && p[2] <= 'z') ||
		    (p[2] >= 'A' && p[2] <= 'Z'))) {
			buf_xprintf(out, "\\c%c", p[2]);
			return 3;
		}
		buf_xprintf(out, "\\\\c");	/* Annex B: a backslash, c */
		return 2;
	case 'x':
		if (jsregex_hex(p + 2, len - 2, 2)) {
			buf_xprintf(out, "\\x%.2s", p + 2);
			return 4;
		}
		buf_xprintf(out, "x");
		return 2;
	case 'u':
		if (jsregex_hex(p + 2, len - 2, 4)) {
			buf_xprintf(out, "\\x{%.4s}", p + 2);
			return 6;
		}
		buf_xprintf(out, "u");
		return 2;
	case 'k':
		if (!in_class && len > 2 && p[2] == '<' &&
		    memchr(p + 3, '>', len - 3) != NULL) {
			buf_xprintf(out, "\\k");
			return 2;
		}
		buf_xprintf(out, "k");
		return 2;
	default:
		break;
	}
	if (c >= '0' && c <= '9') {
		/* Back references (or Annex B octal): PCRE2 agrees mostly. */
		buf_xprintf(out, "\\%c", c);
		return 2;
	}
	/* Everything else stands for the character itself. */
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (unsigned char)c >= 0x80)
		buf_xprintf(out, "%c", c);
	else
		buf_xprintf(out, "\\%c", c);
	return 2;
}

/* Whether "(?" at p[0] opens one of JavaScript's groups; *n its length. */
static int
jsregex_group(const char *p, size_t len, size_t *n)
{
	size_t	i;

	if (len >= 3 && (p[2] == ':' || p[2] == '=' || p[2] == '!')) {
		*n = 3;
		return 1;
	}
	if (len >= 4 && p[2] == '<' && (p[3] == '=' || p[3] == '!')) {
		*n = 4;
		return 1;
	}
	if (len >= 4 && p[2] == '<') {
		for (i = 3; i < len && p[i] != '>'; i++) {
			char c = p[i];

			if (!((c >= 'a' && c <= 'z') ||
			    (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
			    (i > 3 && c >= '0' && c <= '9') ||
			    (unsigned char)c >= 0x80))
				return 0;
		}
		if (i < len && i > 3) {
			*n = i + 1;
			return 1;
		}
	}
	return 0;
}

/* Rewrite a JavaScript pattern for PCRE2; -1 with *cause. */
static int
jsregex_translate(const char *p, size_t len, struct buf *out, char **cause)
{
	size_t	i = 0, n;
	int	in_class = 0;

	while (i < len) {
		char c = p[i];

		if (c == '\\') {
			i += jsregex_escape(p + i, len - i, in_class, out);
			continue;
		}
		if (in_class) {
			if (c == '[')
				buf_xprintf(out, "\\[");
			else if (c == '\0')
				buf_xprintf(out, "\\x00");
			else {
				if (c == ']')
					in_class = 0;
				buf_xprintf(out, "%c", c);
			}
			i++;
			continue;
		}
		if (c == '[') {
			in_class = 1;
			buf_xprintf(out, "[");
			i++;
			if (i < len && p[i] == '^') {
				buf_xprintf(out, "^");
				i++;
			}
			/* "[]" and "[^]" are complete classes in JavaScript. */
			if (i < len && p[i] == ']') {
				buf_xprintf(out, "]");
				in_class = 0;
				i++;
			}
			continue;
		}
		if (c == '(' && i + 1 < len && p[i + 1] == '?') {
			if (!jsregex_group(p + i, len - i, &n)) {
				*cause = xstrdup("Invalid group");
				return -1;
			}
			buf_xprintf(out, "%.*s", (int)n, p + i);
			i += n;
			continue;
		}
		if (c == '\0')
			buf_xprintf(out, "\\x00");
		else
			buf_xprintf(out, "%c", c);
		i++;
	}
	return 0;
}

/* Compile a JavaScript pattern with PCRE2. */
pcre2_code *
jsregex_compile(const char *pattern, size_t len, char **cause)
{
	struct buf	 re;
	pcre2_code	*code;
	PCRE2_UCHAR	 msg[256];
	PCRE2_SIZE	 off;
	int		 err;

	buf_init(&re, BUF_UNBOUNDED);
	buf_xprintf(&re, "%s", "");
	if (jsregex_translate(pattern, len, &re, cause) != 0) {
		buf_clear(&re);
		return NULL;
	}
	code = pcre2_compile((PCRE2_SPTR)re.data, re.len, PCRE2_UTF|
	    PCRE2_MATCH_INVALID_UTF|PCRE2_ALLOW_EMPTY_CLASS|
	    PCRE2_MATCH_UNSET_BACKREF|PCRE2_DOLLAR_ENDONLY|
	    PCRE2_NEVER_BACKSLASH_C, &err, &off, NULL);
	buf_clear(&re);
	if (code != NULL) {
		(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
		return code;
	}
	for (size_t i = 0; i < AD_NITEMS(jsregex_messages); i++) {
		if (jsregex_messages[i].code == err) {
			*cause = xstrdup(jsregex_messages[i].v8);
			return NULL;
		}
	}
	pcre2_get_error_message(err, msg, sizeof msg);
	*cause = xstrdup((char *)msg);
	return NULL;
}
