/* ISC licence: see COPYING.  Tests for base/sanitize: nothing raw escapes. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/sanitize.h"
#include "tap.h"

/* The plain rendering of s as a new string. */
static char *
render(const char *s, size_t len)
{
	struct buf	b;

	buf_init(&b, 1 << 20);
	if (sanitize_to_buf(s, len, &b) != 0)
		return NULL;
	return buf_steal(&b, NULL);
}

/* Non-zero when out holds no byte a terminal would interpret. */
static int
inert(const char *out)
{
	for (const unsigned char *p = (const unsigned char *)out; *p; p++) {
		if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
			return 0;
		/* C1 as UTF-8 (C2 80..9F) and bidi (E2 80 AA..AE, E2 81 A6..A9) */
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return 0;
		if (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae)
			return 0;
		if (p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)
			return 0;
	}
	return 1;
}

#define CHECK(in, want, name) do {					\
	char	*tap_o = render((in), sizeof (in) - 1);			\
	is_str(tap_o, (want), name);					\
	ok(tap_o != NULL && inert(tap_o), name " (inert)");		\
	free(tap_o);							\
} while (0)

int
main(void)
{
	struct sanitize_piece	p;
	size_t			n;
	char			hostile[256], *o;

	CHECK("hello, world", "hello, world", "plain text is unchanged");
	CHECK("a\tb\nc\r\nd", "a\tb\nc\nd", "tabs and line ends; CRLF folds");
	CHECK("\x1b[2J", "\xe2\x90\x9b[2J", "ESC shows as a control picture");
	CHECK("\x1b]52;c;aGk=\x07", "\xe2\x90\x9b]52;c;aGk=\xe2\x90\x87",
	    "OSC 52 and BEL are inert");
	CHECK("\x1bP1$r\x1b\\", "\xe2\x90\x9bP1$r\xe2\x90\x9b\\",
	    "DCS is inert");
	CHECK("x\ry", "x\xe2\x90\x8dy", "a lone CR is inert");
	CHECK("\x7f", "\xe2\x90\xa1", "DEL");
	CHECK("nul\0end", "nul\xe2\x90\x80" "end", "NUL");
	CHECK("\xc2\x9b" "31m", "<U+009B>31m", "8-bit CSI (C1 as UTF-8)");
	CHECK("abc\xe2\x80\xae" "cba", "abc<U+202E>cba", "bidi override");
	CHECK("\xe2\x81\xa6x\xe2\x81\xa9", "<U+2066>x<U+2069>", "bidi isolates");
	CHECK("\xe2\x80\xa8", "<U+2028>", "line separator");
	CHECK("\xf3\xa0\x81\x81", "<U+E0041>", "an invisible tag character");
	CHECK("bad\xff\xfe", "bad<0xFF><0xFE>", "invalid UTF-8 bytes");
	CHECK("\xe2\x82", "<0xE2><0x82>", "a truncated sequence");
	CHECK("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x92\xbb \xe6\x97\xa5",
	    "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x92\xbb \xe6\x97\xa5",
	    "emoji ZWJ sequences and CJK pass through");

	n = sanitize_next("\x1b[1;31mred", 10, SANITIZE_SGR_FLAG, &p);
	ok(n == 7 && p.kind == SANITIZE_SGR && p.nparams == 2 &&
	    p.params[0] == 1 && p.params[1] == 31, "SGR is parsed on request");
	n = sanitize_next("\x1b[m", 3, SANITIZE_SGR_FLAG, &p);
	ok(n == 3 && p.kind == SANITIZE_SGR && p.nparams == 0, "bare SGR reset");
	n = sanitize_next("\x1b[2J", 4, SANITIZE_SGR_FLAG, &p);
	ok(n == 1 && p.kind == SANITIZE_INERT, "a non-SGR CSI stays inert");
	n = sanitize_next("\x1b[31", 4, SANITIZE_SGR_FLAG, &p);
	ok(n == 1 && p.kind == SANITIZE_INERT, "an unterminated SGR is inert");
	CHECK("\x1b[31mred\x1b[0m", "\xe2\x90\x9b[31mred\xe2\x90\x9b[0m",
	    "without the flag SGR is inert too");

	/* Every byte value, every position: nothing dangerous survives. */
	for (int i = 0; i < 256; i++)
		hostile[i] = (char)i;
	o = render(hostile, sizeof hostile);
	ok(o != NULL && inert(o), "all 256 byte values render inert");
	free(o);
	return done_testing();
}
