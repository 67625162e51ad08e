/*
 * ISC licence: see COPYING.  libFuzzer target for harness/globpat: the
 * first line is a glob pattern (model input), the rest a path to match
 * and to test for entering.
 */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "fuzz.h"
#include "harness/globpat.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct globpat	*gp;
	const char	*p = (const char *)data, *nl;
	char		*path, *cause = NULL;
	size_t		 plen;

	if (len > 4096)
		return 0;
	nl = memchr(p, '\n', len);
	plen = nl != NULL ? (size_t)(nl - p) : len;
	if ((gp = globpat_create(p, plen, &cause)) == NULL) {
		free(cause);
		return 0;
	}
	path = nl != NULL ? xstrndup(nl + 1, len - plen - 1) : xstrdup("a/b.c");
	(void)globpat_match(gp, path);
	(void)globpat_enter(gp, path);
	(void)globpat_dirs_only(gp);
	free(path);
	globpat_free(gp);
	return 0;
}
