/* ISC licence: see COPYING.  Tests for wire/json_scan, checked against
 * jansson wherever the two must agree. */

#include "config.h"

#include <jansson.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "wire/json_scan.h"
#include "fixture.h"
#include "tap.h"

/* Does jansson accept text (with the flags api_event_json uses)? */
static int
jansson_ok(const char *text, size_t len)
{
	json_t		*j;
	json_error_t	 err;

	if ((j = json_loadb(text, len, JSON_ALLOW_NUL | JSON_DECODE_ANY,
	    &err)) == NULL)
		return 0;
	json_decref(j);
	return 1;
}

static void
test_grammar(void)
{
	static const struct {
		const char	*text;
		int		 valid;
	} cases[] = {
		{ "{}", 1 }, { "[]", 1 }, { " \t\r\n{ } \n", 1 },
		{ "\"\"", 1 }, { "0", 1 }, { "-0", 1 }, { "1.5e-3", 1 },
		{ "1E+2", 1 }, { "true", 1 }, { "false", 1 }, { "null", 1 },
		{ "{\"a\":[1,{\"b\":null},\"x\\\"y\"]}", 1 },
		{ "\"\\u00e9\\ud83d\\ude80\\/\\b\\f\\n\\r\\t\"", 1 },
		{ "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x9a\x80\x7f\"", 1 },
		{ "", 0 }, { " ", 0 }, { "{", 0 }, { "}", 0 }, { "[1,]", 0 },
		{ "{\"a\":1,}", 0 }, { "{\"a\"1}", 0 }, { "{a:1}", 0 },
		{ "{\"a\":}", 0 }, { "[1 2]", 0 }, { "01", 0 }, { "1.", 0 },
		{ "-", 0 }, { "1e", 0 }, { ".5", 0 }, { "+1", 0 },
		{ "tru", 0 }, { "nul", 0 }, { "True", 0 }, { "\"abc", 0 },
		{ "\"\\x\"", 0 }, { "\"\\u12\"", 0 }, { "\"\\u12g4\"", 0 },
		{ "\"a\tb\"", 0 }, { "\"a\nb\"", 0 }, { "\"\xc3\"", 0 },
		{ "\"\xc0\xaf\"", 0 }, { "\"\xed\xa0\x80\"", 0 },
		{ "\"\xf4\x90\x80\x80\"", 0 }, { "\"\xff\"", 0 },
		{ "[1]]", 0 }, { "{} {}", 0 }, { "[}", 0 }, { "{]", 0 },
	};

	for (size_t i = 0; i < AD_NITEMS(cases); i++) {
		size_t	len = strlen(cases[i].text);

		is_int(json_scan_valid(cases[i].text, len), cases[i].valid,
		    "valid(%s) = %d", cases[i].text, cases[i].valid);
		is_int(jansson_ok(cases[i].text, len), cases[i].valid,
		    "jansson agrees on %s", cases[i].text);
	}
	ok(!json_scan_valid("\"a\0b\"", 5), "a raw NUL in a string");
	ok(json_scan_valid("\"a\\u0000b\"", 10), "an escaped NUL is fine");
}

static void
test_depth(void)
{
	char	*s;
	size_t	 n;

	for (n = JSON_SCAN_MAX_DEPTH - 1; n <= JSON_SCAN_MAX_DEPTH + 1; n++) {
		s = xmalloc(2 * n + 1);
		memset(s, '[', n);
		memset(s + n, ']', n);
		is_int(json_scan_valid(s, 2 * n), n <= JSON_SCAN_MAX_DEPTH,
		    "nesting %zu deep", n);
		is_int(jansson_ok(s, 2 * n), n <= JSON_SCAN_MAX_DEPTH,
		    "jansson agrees at %zu deep", n);
		free(s);
	}
	s = xmalloc(1000001);
	memset(s, '[', 1000000);
	ok(!json_scan_valid(s, 1000000), "a million open brackets fail "
	    "without recursion");
	for (size_t i = 0; i < 1000000; i += 2)
		s[i] = '{', s[i + 1] = '[';
	ok(!json_scan_valid(s, 1000000), "so do mixed ones");
	free(s);
}

/* Every prefix of a valid line is invalid; single-byte changes agree with
 * jansson. */
static void
test_mutations(void)
{
	static const char	 subs[] = { '"', '\\', '{', '}', '[', ']', ',',
	    ':', '0', 'x', ' ', '\n', '\x01', '\x80', '\xc3' };
	char			*text, **lines;
	size_t			 len, n, disagree = 0, prefixes = 0, tried = 0;

	text = fixture_read("events-catalog.jsonl", &len);
	lines = fixture_lines(text, &n);
	for (size_t i = 0; i < n; i++) {
		size_t	 l = strlen(lines[i]);
		char	*m = xstrdup(lines[i]);

		for (size_t k = 0; k < l; k++)
			if (json_scan_valid(lines[i], k))
				prefixes++;
		for (size_t k = 0; k < l; k++) {
			for (size_t s = 0; s < sizeof subs; s++) {
				m[k] = subs[s];
				tried++;
				if (json_scan_valid(m, l) != jansson_ok(m, l)) {
					if (disagree++ < 5)
						diag("disagree: %s", m);
				}
			}
			m[k] = lines[i][k];
		}
		free(m);
	}
	is_int(prefixes, 0, "no proper prefix of an event is valid");
	is_int(disagree, 0, "scanner and jansson agree on %zu one-byte "
	    "mutations", tried);
	free(lines);
	free(text);
}

static void
test_members(void)
{
	const char		*obj = " {\"a\" : 1, \"b\":{\"a\":2},"
	    "\"\\u0061\":\"three\", \"c\":[true,false,null], \"d\":-12, "
	    "\"e\":2.5e1}";
	struct json_span	 v;
	struct json_scan_iter	 it;
	struct json_span	 k;
	int64_t			 i64;
	double			 d;
	char			*s, text[64];
	int			 esc, n = 0;

	ok(json_scan_member(obj, strlen(obj), "a", &v) == 1 &&
	    v.len == 7 && memcmp(v.p, "\"three\"", 7) == 0,
	    "the last \"a\" wins, escaped key or not");
	ok(json_scan_member(obj, strlen(obj), "b", &v) == 1 &&
	    json_scan_kind(&v) == JSON_SCAN_OBJECT && v.len == 7,
	    "a nested object's span");
	is_int(json_scan_member(obj, strlen(obj), "zz", &v), 0, "absent");
	is_int(json_scan_member("[1]", 3, "a", &v), -1, "not an object");
	is_int(json_scan_member("{\"a\":1,", 7, "a", &v), -1,
	    "a truncated object is invalid");
	ok(json_scan_member(obj, strlen(obj), "d", &v) == 1 &&
	    json_scan_int64(&v, &i64) == 0 && i64 == -12, "an integer");
	ok(json_scan_member(obj, strlen(obj), "e", &v) == 1 &&
	    json_scan_int64(&v, &i64) == -1, "a real is not an integer");
	setlocale(LC_NUMERIC, "de_DE.UTF-8");	/* ',' decimals, if present */
	ok(json_scan_double(&v, &d) == 0 && d == 25.0,
	    "a real, whatever the locale");
	setlocale(LC_NUMERIC, "C");
	ok(json_scan_member(obj, strlen(obj), "c", &v) == 1 &&
	    json_scan_kind(&v) == JSON_SCAN_ARRAY, "an array");
	v.p = "true";
	v.len = 4;
	is_int(json_scan_bool(&v), 1, "true");
	v.p = "null";
	is_int(json_scan_bool(&v), -1, "null is not a boolean");

	v.p = "9223372036854775807";
	v.len = strlen(v.p);
	ok(json_scan_int64(&v, &i64) == 0 && i64 == INT64_MAX, "INT64_MAX");
	v.p = "-9223372036854775808";
	v.len = strlen(v.p);
	ok(json_scan_int64(&v, &i64) == 0 && i64 == INT64_MIN, "INT64_MIN");
	v.p = "9223372036854775808";
	v.len = strlen(v.p);
	is_int(json_scan_int64(&v, &i64), -1, "INT64_MAX + 1 overflows");

	if (json_scan_object_init(&it, obj, strlen(obj)) == 0)
		while (json_scan_object_next(&it, &k, &v, &esc) == 1)
			n++;
	is_int(n, 6, "iteration sees six members");

	v.p = "\"a\\\"b\\\\c\\/d\\u00e9\\ud83d\\ude80\\ud800x\\udc00\"";
	v.len = strlen(v.p);
	s = json_scan_strdup(&v);
	is_str(s, "a\"b\\c/d\xc3\xa9\xf0\x9f\x9a\x80\xef\xbf\xbdx\xef\xbf\xbd",
	    "escapes, a surrogate pair, lone surrogates become U+FFFD");
	free(s);
	v.p = "\"a\\u0000b\"";
	v.len = strlen(v.p);
	ok(json_scan_strdup(&v) == NULL, "strdup refuses an embedded NUL");
	v.p = "12";
	v.len = 2;
	ok(json_scan_strdup(&v) == NULL, "strdup refuses a number");
	is_int(json_scan_text(&v, text), -1, "text refuses a number");

	/* Each NUL (six bytes quoted) takes three. */
	v.p = "\"\\u0000\\u0000x\\u0000\"";
	v.len = strlen(v.p);
	memset(text, 'Z', sizeof text);
	is_int(json_scan_text(&v, text), 10, "text: three NULs widen to nine "
	    "bytes, plus one");
	is_str(text, "\xe2\x90\x80\xe2\x90\x80x\xe2\x90\x80",
	    "text shows each NUL as U+2400, in place");
	ok(text[10] == '\0' && (size_t)11 <= v.len, "text stays in its span");
	v.p = "\"plain\\n\"";
	v.len = strlen(v.p);
	is_int(json_scan_text(&v, text), 6, "text without NULs is decoded");
	is_str(text, "plain\n", "text decodes escapes");
}

/* The processed events' data lines of stream.sse (compact, as sent). */
static char **
stream_lines(size_t *np)
{
	char	*text, **lines, **out = NULL;
	size_t	 n, k = 0;

	text = fixture_read("stream.sse", NULL);
	lines = fixture_lines(text, &n);
	for (size_t i = 0; i < n; i++) {
		if (strncmp(lines[i], "data: ", 6) != 0 ||
		    strstr(lines[i], "\"processed_at\":null") != NULL ||
		    strstr(lines[i], "\"id\":") == NULL)
			continue;
		out = xreallocarray(out, k + 1, sizeof *out);
		out[k++] = xstrdup(lines[i] + 6);
	}
	free(lines);
	free(text);
	*np = k;
	return out;
}

static void
test_arrays_minify(void)
{
	static const char	*pages[] = { "events-page.json",
	    "events-page-2.json" };
	struct json_scan_iter	 it;
	struct json_span	 data, v;
	struct buf		 b;
	char			*text, **sent;
	size_t			 len, n, same, nsent;
	int			 r;

	sent = stream_lines(&nsent);
	is_int(nsent, 16, "stream.sse: 16 processed events");
	for (size_t p = 0; p < AD_NITEMS(pages); p++) {
		text = fixture_read(pages[p], &len);
		ok(json_scan_member(text, len, "data", &data) == 1 &&
		    json_scan_array_init(&it, data.p, data.len) == 0,
		    "%s: the data array", pages[p]);
		n = same = 0;
		buf_init(&b, BUF_UNBOUNDED);
		while ((r = json_scan_array_next(&it, &v)) == 1) {
			buf_reset(&b);
			if (json_scan_minify(v.p, v.len, &b) != 0)
				break;
			for (size_t i = 0; i < nsent; i++)
				if (strcmp(b.data, sent[i]) == 0)
					same++;
			n++;
		}
		is_int(r, 0, "%s: the array ends cleanly", pages[p]);
		is_int(n, p == 0 ? 10 : 6, "%s: every element", pages[p]);
		is_int(same, n, "%s: each pretty element, minified, is the "
		    "compact text the stream sent", pages[p]);
		buf_clear(&b);
		free(text);
	}
	for (size_t i = 0; i < nsent; i++)
		free(sent[i]);
	free(sent);
	buf_init(&b, BUF_UNBOUNDED);
	text = "{ \"a b\" :\t[ 1 ,\n\"x \\\" y\" ] }";
	ok(json_scan_minify(text, strlen(text), &b) == 0 &&
	    strcmp(b.data, "{\"a b\":[1,\"x \\\" y\"]}") == 0,
	    "spaces inside strings (and after escaped quotes) stay");
	buf_clear(&b);
	buf_init(&b, BUF_UNBOUNDED);
	text = "[ \"a\\\\\" , \"b\\\\\\\" c\" , \"\" ]";
	ok(json_scan_minify(text, strlen(text), &b) == 0 &&
	    strcmp(b.data, "[\"a\\\\\",\"b\\\\\\\" c\",\"\"]") == 0,
	    "an even run of backslashes ends a string, an odd one does not");
	buf_clear(&b);
	ok(json_scan_array_init(&it, "[1,]", 4) == 0 &&
	    json_scan_array_next(&it, &v) == 1 &&
	    json_scan_array_next(&it, &v) == -1, "a trailing comma fails");
	ok(json_scan_array_init(&it, " []", 3) == 0 &&
	    json_scan_array_next(&it, &v) == 0, "an empty array");
	ok(json_scan_array_init(&it, "{}", 2) == -1, "not an array");
}

int
main(void)
{
	test_grammar();
	test_depth();
	test_mutations();
	test_members();
	test_arrays_minify();
	return done_testing();
}
