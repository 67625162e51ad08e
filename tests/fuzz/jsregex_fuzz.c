/*
 * ISC licence: see COPYING.  libFuzzer target for harness/jsregex: the
 * input is a grep pattern (model input); when it compiles it is matched
 * against itself and a fixed line.
 */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "harness/jsregex.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const char	 line[] = "caf\xc3\xa9 42 [x] \\ (a|b) "
				    "\xf0\x9f\x9a\x80";
	pcre2_match_context	*mctx;
	pcre2_match_data	*md;
	pcre2_code		*re;
	char			*cause = NULL;

	if (len > 4096)
		return 0;
	if ((re = jsregex_compile((const char *)data, len, &cause)) == NULL) {
		free(cause);
		return 0;
	}
	mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(mctx, 10000);
	md = pcre2_match_data_create_from_pattern(re, NULL);
	(void)pcre2_match(re, (PCRE2_SPTR)line, sizeof line - 1, 0, 0, md,
	    mctx);
	(void)pcre2_match(re, data, len, 0, 0, md, mctx);
	pcre2_match_data_free(md);
	pcre2_match_context_free(mctx);
	pcre2_code_free(re);
	return 0;
}
