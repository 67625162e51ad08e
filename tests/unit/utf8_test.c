/* ISC licence: see COPYING.  Tests for base/utf8: strict decoding. */

#include "config.h"

#include "base/utf8.h"
#include "tap.h"

int
main(void)
{
	uint32_t	cp = 0;
	char		out[4];

	is_int(utf8_decode("A", 1, &cp), 1, "ASCII is one byte");
	is_int(utf8_decode("\xc3\xa9", 2, &cp), 2, "two-byte sequence");
	is_int(cp, 0xe9, "U+00E9");
	is_int(utf8_decode("\xe2\x80\xae", 3, &cp), 3, "three-byte sequence");
	is_int(cp, 0x202e, "U+202E (a bidi override)");
	is_int(utf8_decode("\xf0\x9f\x9a\x80", 4, &cp), 4, "four-byte sequence");
	is_int(cp, 0x1f680, "U+1F680");
	is_int(utf8_decode("\xc0\xaf", 2, &cp), -1, "overlong is refused");
	is_int(utf8_decode("\xed\xa0\x80", 3, &cp), -1, "a surrogate is refused");
	is_int(utf8_decode("\xf4\x90\x80\x80", 4, &cp), -1, "past U+10FFFF");
	is_int(utf8_decode("\xe2\x80", 2, &cp), -1, "truncated is refused");
	is_int(utf8_decode("\x80", 1, &cp), -1, "a lone continuation byte");
	is_int(utf8_decode("\xc2\x9b", 2, &cp), 2, "C1 CSI decodes");
	is_int(cp, 0x9b, "as U+009B");
	ok(utf8_valid("h\xc3\xa9llo", 6), "valid text");
	ok(!utf8_valid("h\xff", 2), "invalid text");
	is_int(utf8_encode(0x1f680, out), 4, "encode four bytes");
	ok(utf8_decode(out, 4, &cp) == 4 && cp == 0x1f680, "round trip");
	is_int(utf8_encode(0xd800, out), 0, "a surrogate cannot be encoded");
	return done_testing();
}
