/* ISC licence: see COPYING.  Tests for base/str. */

#include "config.h"

#include <stdlib.h>

#include "base/str.h"
#include "tap.h"

int
main(void)
{
	long long	 v = 0;
	double		 d = 0;
	char		*cause = NULL, **parts, small[4];
	size_t		 n;

	ok(str_to_ll("42", 0, 100, &v, &cause) == 0 && v == 42, "a number");
	ok(str_to_ll("101", 0, 100, &v, &cause) == -1 && cause != NULL,
	    "out of range is refused");
	free(cause);
	cause = NULL;
	ok(str_to_ll("4x", 0, 100, &v, &cause) == -1, "junk is refused");
	free(cause);
	cause = NULL;
	ok(str_to_seconds("2.5", 60, &d, &cause) == 0 && d == 2.5,
	    "fractional seconds");
	ok(str_to_seconds("-1", 60, &d, &cause) == -1, "negative seconds");
	free(cause);
	parts = str_split("idle,,running,", ',', &n);
	ok(n == 2 && parts[2] == NULL, "split drops empty items");
	is_str(parts[0], "idle", "first item");
	is_str(parts[1], "running", "second item");
	str_freev(parts);
	ok(str_has_prefix("sesn_x", "sesn_") && !str_has_prefix("s", "sesn_"),
	    "prefix");
	ok(str_has_suffix("a.json", ".json") && !str_has_suffix("n", ".json"),
	    "suffix");
	is_int(str_lcpy(small, "abcdef", sizeof small), 6, "lcpy returns the length");
	is_str(small, "abc", "lcpy truncates");
	ok(str_secure_eq("key", "key") && !str_secure_eq("key", "kez") &&
	    !str_secure_eq("key", "keys") && !str_secure_eq("", "k"),
	    "secure comparison");
	return done_testing();
}
