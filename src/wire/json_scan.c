/* ISC licence: see COPYING.  A validating JSON scanner that builds no tree. */

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "base/xmalloc.h"
#include "wire/json_scan.h"

/*
 * The scanner is iterative: nesting is tracked in a bit stack (1 for an
 * object, 0 for an array) of JSON_SCAN_MAX_DEPTH bits on the C stack, so
 * hostile nesting can neither overflow the stack nor allocate.  Inside
 * strings, which are most of the bytes of an event, a table sends the
 * common bytes (printable ASCII other than '"' and '\\') round a tight
 * loop; only quotes, escapes, control bytes and UTF-8 sequences leave it.
 */

/* Bytes that end the fast loop inside a string: controls, '"', '\\'
 * and every byte of a UTF-8 sequence. */
static const unsigned char json_scan_special[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

#define JSON_WS(c)	((c) == ' ' || (c) == '\t' || (c) == '\n' || \
			    (c) == '\r')
#define JSON_DIGIT(c)	((c) >= '0' && (c) <= '9')

/* Skip whitespace. */
static inline const char *
json_scan_ws(const char *p, const char *end)
{
	while (p < end && JSON_WS(*p))
		p++;
	return p;
}

/* The value of one hex digit, or -1. */
static inline int
json_scan_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Read four hex digits at p (bounds checked by the caller). */
static int
json_scan_hex4(const char *p)
{
	int	v = 0, d;

	for (int i = 0; i < 4; i++) {
		if ((d = json_scan_hex((unsigned char)p[i])) < 0)
			return -1;
		v = (v << 4) | d;
	}
	return v;
}

/* Skip a string whose opening quote is at p; NULL if invalid. */
static const char *
json_scan_skip_string(const char *p, const char *end, int *esc)
{
	const unsigned char	*s = (const unsigned char *)p + 1;
	const unsigned char	*e = (const unsigned char *)end;
	uint32_t		 cp;
	int			 n;

	for (;;) {
		while (s < e && !json_scan_special[*s])
			s++;
		if (s >= e)
			return NULL;
		if (*s == '"')
			return (const char *)s + 1;
		if (*s == '\\') {
			if (esc != NULL)
				*esc = 1;
			if (e - s < 2)
				return NULL;
			switch (s[1]) {
			case '"': case '\\': case '/': case 'b':
			case 'f': case 'n': case 'r': case 't':
				s += 2;
				continue;
			case 'u':
				if (e - s < 6 ||
				    json_scan_hex4((const char *)s + 2) < 0)
					return NULL;
				s += 6;
				continue;
			default:
				return NULL;
			}
		}
		if (*s < 0x20)
			return NULL;	/* raw control characters */
		n = utf8_decode((const char *)s, (size_t)(e - s), &cp);
		if (n < 0)
			return NULL;
		s += n;
	}
}

/* Skip a number at p; NULL if invalid. */
static const char *
json_scan_skip_number(const char *p, const char *end)
{
	if (p < end && *p == '-')
		p++;
	if (p >= end)
		return NULL;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9') {
		while (p < end && JSON_DIGIT(*p))
			p++;
	} else
		return NULL;
	if (p < end && *p == '.') {
		p++;
		if (p >= end || !JSON_DIGIT(*p))
			return NULL;
		while (p < end && JSON_DIGIT(*p))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || !JSON_DIGIT(*p))
			return NULL;
		while (p < end && JSON_DIGIT(*p))
			p++;
	}
	return p;
}

/* Skip the literal word at p; NULL if it is not there. */
static const char *
json_scan_skip_word(const char *p, const char *end, const char *word,
    size_t len)
{
	if ((size_t)(end - p) < len || memcmp(p, word, len) != 0)
		return NULL;
	return p + len;
}

/* Skip one value starting at p (after whitespace); NULL if invalid. */
const char *
json_scan_skip(const char *p, const char *end, int *esc)
{
	unsigned char	stack[JSON_SCAN_MAX_DEPTH / 8];
	size_t		depth = 0;
	int		inobj;

	if (esc != NULL)
		*esc = 0;
value:
	p = json_scan_ws(p, end);
	if (p >= end)
		return NULL;
	switch (*p) {
	case '{':
	case '[':
		if (depth == JSON_SCAN_MAX_DEPTH)
			return NULL;
		inobj = *p == '{';
		if (inobj)
			stack[depth / 8] |= (unsigned char)(1u << (depth % 8));
		else
			stack[depth / 8] &= (unsigned char)~(1u << (depth % 8));
		depth++;
		p = json_scan_ws(p + 1, end);
		if (p < end && *p == (inobj ? '}' : ']')) {
			depth--;
			p++;
			goto after;
		}
		if (!inobj)
			goto value;
		goto key;
	case '"':
		p = json_scan_skip_string(p, end, depth == 0 ? esc : NULL);
		break;
	case 't':
		p = json_scan_skip_word(p, end, "true", 4);
		break;
	case 'f':
		p = json_scan_skip_word(p, end, "false", 5);
		break;
	case 'n':
		p = json_scan_skip_word(p, end, "null", 4);
		break;
	default:
		p = json_scan_skip_number(p, end);
		break;
	}
	if (p == NULL)
		return NULL;
after:
	if (depth == 0)
		return p;
	p = json_scan_ws(p, end);
	if (p >= end)
		return NULL;
	inobj = (stack[(depth - 1) / 8] >> ((depth - 1) % 8)) & 1;
	if (*p == ',') {
		p = json_scan_ws(p + 1, end);
		if (!inobj)
			goto value;
		goto key;
	}
	if (*p != (inobj ? '}' : ']'))
		return NULL;
	depth--;
	p++;
	goto after;
key:
	if (p >= end || *p != '"')
		return NULL;
	if ((p = json_scan_skip_string(p, end, NULL)) == NULL)
		return NULL;
	p = json_scan_ws(p, end);
	if (p >= end || *p != ':')
		return NULL;
	p++;
	goto value;
}

/* Skip a string of valid text: up to the first quote not escaped. */
static const char *
json_scan_skip_trusted_string(const char *p, const char *end)
{
	const char	*s = p + 1, *q;
	size_t		 n;

	while ((q = memchr(s, '"', (size_t)(end - s))) != NULL) {
		/* An even run of backslashes before it escapes nothing. */
		for (n = 0; q - n > p + 1 && q[-1 - (ptrdiff_t)n] == '\\'; n++)
			continue;
		if (n % 2 == 0)
			return q + 1;
		s = q + 1;
	}
	return NULL;
}

/*
 * Skip one value at p of text already validated: containers by counting
 * brackets outside strings, scalars up to the next delimiter.  NULL if
 * the text ends first.
 */
static const char *
json_scan_skip_trusted(const char *p, const char *end)
{
	size_t	depth = 0;

	if (p < end && *p != '"' && *p != '{' && *p != '[') {
		while (p < end && !JSON_WS(*p) && *p != ',' && *p != '}' &&
		    *p != ']')
			p++;
		return p;
	}
	while (p < end) {
		switch (*p) {
		case '"':
			if ((p = json_scan_skip_trusted_string(p, end)) == NULL)
				return NULL;
			if (depth == 0)
				return p;
			continue;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			if (depth == 0)
				return NULL;
			if (--depth == 0)
				return p + 1;
			break;
		default:
			break;
		}
		p++;
	}
	return NULL;
}

/* Check that text is one JSON value and nothing else. */
int
json_scan_valid(const char *text, size_t len)
{
	const char	*end = text + len, *p;

	if ((p = json_scan_skip(text, end, NULL)) == NULL)
		return 0;
	return json_scan_ws(p, end) == end;
}

/* The kind of the value in span, from its first byte. */
enum json_scan_kind
json_scan_kind(const struct json_span *v)
{
	if (v->len == 0)
		return JSON_SCAN_INVALID;
	switch (v->p[0]) {
	case '{':
		return JSON_SCAN_OBJECT;
	case '[':
		return JSON_SCAN_ARRAY;
	case '"':
		return JSON_SCAN_STRING;
	case 't':
		return JSON_SCAN_TRUE;
	case 'f':
		return JSON_SCAN_FALSE;
	case 'n':
		return JSON_SCAN_NULL;
	default:
		return JSON_SCAN_NUMBER;
	}
}

/* Start iterating the container that text is, if it opens with open. */
static int
json_scan_iter_init(struct json_scan_iter *it, const char *text, size_t len,
    char open)
{
	const char	*end = text + len, *p;

	p = json_scan_ws(text, end);
	if (p >= end || *p != open)
		return -1;
	it->p = p + 1;
	it->end = end;
	it->state = 0;
	it->trusted = 0;
	return 0;
}

/* Start iterating an object's members. */
int
json_scan_object_init(struct json_scan_iter *it, const char *text,
    size_t len)
{
	return json_scan_iter_init(it, text, len, '{');
}

/* Start iterating the members of an object already validated. */
int
json_scan_object_init_trusted(struct json_scan_iter *it, const char *text,
    size_t len)
{
	if (json_scan_iter_init(it, text, len, '{') != 0)
		return -1;
	it->trusted = 1;
	return 0;
}

/*
 * Move past the comma before the next entry of the container closed by
 * close: 1 with *pp at the entry, 0 after the closing byte, -1 if the
 * text is invalid.
 */
static int
json_scan_iter_step(struct json_scan_iter *it, char close, const char **pp)
{
	const char	*p = json_scan_ws(it->p, it->end), *end = it->end;

	if (it->state == 2)
		return 0;
	if (p >= end)
		return -1;
	if (*p == close) {
		it->state = 2;
		it->p = p + 1;
		return 0;
	}
	if (it->state == 1) {
		if (*p != ',')
			return -1;
		p = json_scan_ws(p + 1, end);
	}
	*pp = p;
	return 1;
}

/* Read the next member of the object. */
int
json_scan_object_next(struct json_scan_iter *it, struct json_span *key,
    struct json_span *val, int *keyesc)
{
	const char	*p = NULL, *end = it->end, *q;
	int		 r;

	if ((r = json_scan_iter_step(it, '}', &p)) <= 0)
		return r;
	if (p >= end || *p != '"')
		return -1;
	*keyesc = 0;
	if ((q = json_scan_skip_string(p, end, keyesc)) == NULL)
		return -1;
	key->p = p;
	key->len = (size_t)(q - p);
	p = json_scan_ws(q, end);
	if (p >= end || *p != ':')
		return -1;
	p = json_scan_ws(p + 1, end);
	q = it->trusted ? json_scan_skip_trusted(p, end) :
	    json_scan_skip(p, end, NULL);
	if (q == NULL || q == p)
		return -1;
	val->p = p;
	val->len = (size_t)(q - p);
	it->p = q;
	it->state = 1;
	return 1;
}

/* Start iterating an array's elements. */
int
json_scan_array_init(struct json_scan_iter *it, const char *text, size_t len)
{
	return json_scan_iter_init(it, text, len, '[');
}

/* Read the next element of the array. */
int
json_scan_array_next(struct json_scan_iter *it, struct json_span *val)
{
	const char	*p = NULL, *end = it->end, *q;
	int		 r;

	if ((r = json_scan_iter_step(it, ']', &p)) <= 0)
		return r;
	if ((q = json_scan_skip(p, end, NULL)) == NULL)
		return -1;
	val->p = p;
	val->len = (size_t)(q - p);
	it->p = q;
	it->state = 1;
	return 1;
}

/* Copy JSON text without the whitespace between its tokens. */
int
json_scan_minify(const char *text, size_t len, struct buf *b)
{
	const char	*p = text, *end = text + len, *run = text;
	int		 instr = 0;

	for (; p < end; p++) {
		if (instr) {
			/*
			 * Jump to the next quote (memchr is fast on long
			 * strings); it ends the string unless an odd run of
			 * backslashes escapes it.  The opening quote bounds
			 * the run.
			 */
			const char	*q, *bs;

			if ((q = memchr(p, '"', (size_t)(end - p))) == NULL)
				break;
			for (bs = q; bs > text && bs[-1] == '\\'; bs--)
				/* nothing */;
			if ((q - bs) % 2 == 0)
				instr = 0;
			p = q;
			continue;
		}
		if (*p == '"')
			instr = 1;
		else if (JSON_WS(*p)) {
			if (buf_append(b, run, (size_t)(p - run)) != 0)
				return -1;
			run = p + 1;
		}
	}
	return buf_append(b, run, (size_t)(end - run));
}

/* Compare a key with a name, decoding escapes if it has any. */
int
json_scan_key_is(const struct json_span *key, int keyesc, const char *name)
{
	size_t	 n = strlen(name);
	char	 tmp[64];
	long	 dl;

	if (!keyesc)
		return key->len == n + 2 && memcmp(key->p + 1, name, n) == 0;
	if (key->len > sizeof tmp)
		return 0;	/* decodes to more than our names can be */
	dl = json_scan_string(key, tmp);
	return dl == (long)n && memcmp(tmp, name, n) == 0;
}

/* Find the last member called name. */
int
json_scan_member(const char *text, size_t len, const char *name,
    struct json_span *out)
{
	struct json_scan_iter	 it;
	struct json_span	 k, v;
	int			 esc, r, found = 0;

	if (json_scan_object_init(&it, text, len) != 0)
		return -1;
	while ((r = json_scan_object_next(&it, &k, &v, &esc)) == 1) {
		if (json_scan_key_is(&k, esc, name)) {
			*out = v;
			found = 1;
		}
	}
	return r < 0 ? -1 : found;
}

/* Decode a string value; out needs v->len bytes. */
long
json_scan_string(const struct json_span *v, char *out)
{
	const char	*p, *end;
	char		*o = out;
	int		 hi, lo;
	uint32_t	 cp;

	if (v->len < 2 || v->p[0] != '"' || v->p[v->len - 1] != '"')
		return -1;
	p = v->p + 1;
	end = v->p + v->len - 1;
	while (p < end) {
		if (*p != '\\') {
			*o++ = *p++;
			continue;
		}
		if (end - p < 2)
			return -1;
		switch (p[1]) {
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'u':
			if (end - p < 6 || (hi = json_scan_hex4(p + 2)) < 0)
				return -1;
			p += 6;
			cp = (uint32_t)hi;
			if (hi >= 0xd800 && hi <= 0xdbff && end - p >= 6 &&
			    p[0] == '\\' && p[1] == 'u' &&
			    (lo = json_scan_hex4(p + 2)) >= 0xdc00 &&
			    lo <= 0xdfff) {
				cp = 0x10000 + (((uint32_t)hi - 0xd800) << 10) +
				    ((uint32_t)lo - 0xdc00);
				p += 6;
			} else if (hi >= 0xd800 && hi <= 0xdfff)
				cp = 0xfffd;	/* a lone surrogate */
			/* \uXXXX is 6 bytes and its UTF-8 at most 3; a
			 * pair is 12 bytes and 4: the output never outgrows
			 * the input. */
			o += utf8_encode(cp, o);
			continue;
		default:
			*o++ = p[1];	/* '"', '\\' and '/' */
			break;
		}
		p += 2;
	}
	return (long)(o - out);
}

/* Decode a string value as C text, NULs shown as U+2400. */
long
json_scan_text(const struct json_span *v, char *out)
{
	static const char	 picture[] = "\xe2\x90\x80";
	long			 n, i, j, len, nuls = 0;

	if ((n = json_scan_string(v, out)) < 0)
		return -1;
	for (i = 0; i < n; i++)
		nuls += out[i] == '\0';
	/* Widen from the end, so every byte moves once. */
	len = j = n + 2 * nuls;
	out[len] = '\0';
	for (i = n; nuls > 0 && i-- > 0; ) {
		if (out[i] != '\0') {
			out[--j] = out[i];
			continue;
		}
		j -= sizeof picture - 1;
		memcpy(out + j, picture, sizeof picture - 1);
		nuls--;
	}
	return len;
}

/* Decode a string value into a new C string. */
char *
json_scan_strdup(const struct json_span *v)
{
	char	*s;
	long	 n;

	if (json_scan_kind(v) != JSON_SCAN_STRING)
		return NULL;
	s = xmalloc(v->len + 1);
	if ((n = json_scan_string(v, s)) < 0 ||
	    memchr(s, '\0', (size_t)n) != NULL) {
		free(s);
		return NULL;
	}
	s[n] = '\0';
	return s;
}

/* Read an integer value. */
int
json_scan_int64(const struct json_span *v, int64_t *out)
{
	int64_t		 r = 0;
	size_t		 i = 0;
	int		 neg = 0, d;

	if (v->len == 0)
		return -1;
	if (v->p[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i >= v->len)
		return -1;
	for (; i < v->len; i++) {
		if (!JSON_DIGIT(v->p[i]))
			return -1;
		d = v->p[i] - '0';
		/* Accumulate negatively so INT64_MIN fits. */
		if (r < (INT64_MIN + d) / 10)
			return -1;
		r = r * 10 - d;
	}
	if (!neg) {
		if (r == INT64_MIN)
			return -1;
		r = -r;
	}
	*out = r;
	return 0;
}

/* JSON numbers use '.', whatever LC_NUMERIC the program runs under. */
static locale_t		json_scan_c_locale;
static pthread_once_t	json_scan_c_once = PTHREAD_ONCE_INIT;

/* Make the "C" locale object strtod_l needs (once per process). */
static void
json_scan_make_locale(void)
{
	json_scan_c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	if (json_scan_c_locale == (locale_t)0)
		fatal("newlocale");
}

/* Read any number value as a double. */
int
json_scan_double(const struct json_span *v, double *out)
{
	char	 tmp[64], *ep;

	if (json_scan_kind(v) != JSON_SCAN_NUMBER || v->len >= sizeof tmp)
		return -1;
	memcpy(tmp, v->p, v->len);
	tmp[v->len] = '\0';
	pthread_once(&json_scan_c_once, json_scan_make_locale);
	errno = 0;
	*out = strtod_l(tmp, &ep, json_scan_c_locale);
	if (ep != tmp + v->len)
		return -1;
	return 0;
}

/* Read a boolean. */
int
json_scan_bool(const struct json_span *v)
{
	switch (json_scan_kind(v)) {
	case JSON_SCAN_TRUE:
		return 1;
	case JSON_SCAN_FALSE:
		return 0;
	default:
		return -1;
	}
}
