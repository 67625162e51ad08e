/* ISC licence: see COPYING.  Tests for base/clock: RFC 3339 both ways. */

#include "config.h"

#include <string.h>

#include "base/clock.h"
#include "tap.h"

static int64_t
parse(const char *s)
{
	int64_t	us = -1;

	if (clock_parse(s, strlen(s), &us) != 0)
		return -1;
	return us;
}

int
main(void)
{
	char	out[CLOCK_RFC3339_LEN];

	is_int(parse("1970-01-01T00:00:00Z"), 0, "the epoch");
	is_int(parse("2026-11-19T14:02:11.694913Z"), 1795096931694913LL,
	    "microseconds as the API writes them");
	is_int(parse("2026-11-19T15:00:01.5Z"), 1795100401500000LL,
	    "a short fraction");
	is_int(parse("2026-11-19T15:00:02+00:00"), 1795100402000000LL,
	    "+00:00 offset and no fraction");
	is_int(parse("2026-11-19T16:00:02+01:00"), 1795100402000000LL,
	    "a positive offset");
	is_int(parse("2000-02-29T00:00:00Z"), 951782400000000LL, "a leap day");
	ok(parse("2026-11-19") == -1, "a date alone is refused");
	ok(parse("2026-13-19T00:00:00Z") == -1, "month 13 is refused");
	ok(parse("2026-11-19T14:02:11.Z") == -1, "an empty fraction is refused");
	ok(parse("2026-11-19T14:02:11") == -1, "a missing zone is refused");
	ok(parse("2026-11-19T14:02:11Zjunk") == -1, "trailing junk is refused");
	clock_format(1795096931694913LL, 6, out, sizeof out);
	is_str(out, "2026-11-19T14:02:11.694913Z", "format with microseconds");
	clock_format(1795096931694913LL, 3, out, sizeof out);
	is_str(out, "2026-11-19T14:02:11.694Z", "format with milliseconds");
	clock_format(0, 0, out, sizeof out);
	is_str(out, "1970-01-01T00:00:00Z", "format without a fraction");
	ok(clock_mono_us() > 0 && clock_real_us() > 1700000000000000LL,
	    "the clocks run");
	return done_testing();
}
