/*
 * ISC licence: see COPYING.  Replays a fuzz target's corpus in make
 * check: every file of tests/fuzz/corpus/FUZZ_MODULE/ (or the files named
 * on the command line) goes once through the target's
 * LLVMFuzzerTestOneInput, one TAP result each, so the corpus (seeds and
 * every crash found, added as a file) is a regression suite.
 */

#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/io.h"
#include "base/xmalloc.h"
#include "tap.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Feed one file to the target. */
static void
replay(const char *path)
{
	struct buf	 b;
	char		*cause = NULL;

	buf_init(&b, 1 << 20);
	if (io_read_file(path, 1 << 20, &b, &cause) != 0) {
		ok(0, "%s: %s", path, cause);
		free(cause);
		return;
	}
	/* An empty file leaves no buffer; libFuzzer never passes NULL. */
	LLVMFuzzerTestOneInput(b.data != NULL ? (const uint8_t *)b.data :
	    (const uint8_t *)"", b.len);
	ok(1, "%s", path);
	buf_clear(&b);
}

int
main(int argc, char **argv)
{
	struct dirent	**names;
	const char	 *top = getenv("top_srcdir");
	char		 *dir, *path;
	int		  n;

	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			replay(argv[i]);
		return done_testing();
	}
	xasprintf(&dir, "%s/tests/fuzz/corpus/%s", top != NULL ? top : ".",
	    FUZZ_MODULE);
	if ((n = scandir(dir, &names, NULL, alphasort)) < 0)
		fatal("%s", dir);
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			xasprintf(&path, "%s/%s", dir, names[i]->d_name);
			replay(path);
			free(path);
		}
		free(names[i]);
	}
	free(names);
	free(dir);
	return done_testing();
}
