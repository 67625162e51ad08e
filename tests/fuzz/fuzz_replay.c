/* ISC licence: see COPYING.  Replay fuzz inputs through a target's entry
 * point without libFuzzer: every file of the target's corpus in make
 * check (one TAP line each), or the files and directories named on the
 * command line (to reproduce a crash by hand). */

#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/io.h"
#include "base/xmalloc.h"
#include "fuzz.h"
#include "tap.h"

#define FUZZ_MAX_INPUT	(16 * 1024 * 1024)

/* Run one file through the target. */
static void
fuzz_replay_file(const char *path)
{
	struct buf	 b;
	char		*cause = NULL;

	buf_init(&b, FUZZ_MAX_INPUT);
	if (io_read_file(path, FUZZ_MAX_INPUT, &b, &cause) != 0) {
		ok(0, "%s", cause);
		free(cause);
		return;
	}
	/* A crash aborts the program, which the TAP driver reports. */
	LLVMFuzzerTestOneInput((const uint8_t *)(b.data ? b.data : ""), b.len);
	ok(1, "%s", path);
	buf_clear(&b);
}

/* Compare names for a stable order. */
static int
fuzz_replay_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run every regular file of a directory, in name order. */
static void
fuzz_replay_dir(const char *dir)
{
	DIR		 *d;
	struct dirent	 *de;
	struct stat	  sb;
	char		**names = NULL, *path;
	size_t		  n = 0;

	if ((d = opendir(dir)) == NULL) {
		ok(0, "cannot open corpus %s", dir);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		xasprintf(&path, "%s/%s", dir, de->d_name);
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
			names = xreallocarray(names, n + 1, sizeof *names);
			names[n++] = path;
		} else
			free(path);
	}
	closedir(d);
	qsort(names, n, sizeof *names, fuzz_replay_cmp);
	for (size_t i = 0; i < n; i++) {
		fuzz_replay_file(names[i]);
		free(names[i]);
	}
	free(names);
	ok(n > 0, "%s holds %zu inputs", dir, n);
}

int
main(int argc, char **argv)
{
	struct stat	 sb;

	if (argc < 2) {
		fuzz_replay_dir(PH_SRCDIR "/tests/fuzz/corpus/" FUZZ_TARGET);
		return done_testing();
	}
	for (int i = 1; i < argc; i++) {
		if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode))
			fuzz_replay_dir(argv[i]);
		else
			fuzz_replay_file(argv[i]);
	}
	return done_testing();
}
