/*
 * ISC licence: see COPYING.  Benchmark: read, write and edit of a 100 KB
 * file through toolbox_run, as the harness calls them (path walk,
 * checks, atomic write with fsync), in the workspace given as argv[1]
 * (default: a temporary directory).  Prints the median and the 90th
 * percentile of each.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "base/clock.h"
#include "base/xmalloc.h"
#include "harness/tool.h"

#define ROUNDS	1000
#define SIZE	(100 * 1000)

static int
cmp(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Run name(input) ROUNDS times; print the median and p90 in ms. */
static void
bench(struct toolbox *tb, const char *label, const char *name, json_t *a,
    json_t *b)
{
	struct tool_result	 r;
	int64_t			 t[ROUNDS], start;
	char			*cause = NULL;

	for (int i = 0; i < ROUNDS; i++) {
		start = clock_mono_us();
		if (toolbox_run(tb, name, (i & 1) ? b : a, NULL, &r,
		    &cause) != 0 || r.is_error)
			fatalx("%s: %s", label, cause != NULL ? cause : r.text);
		t[i] = clock_mono_us() - start;
		tool_result_clear(&r);
	}
	qsort(t, ROUNDS, sizeof t[0], cmp);
	printf("%-28s median %.3f ms  p90 %.3f ms\n", label,
	    (double)t[ROUNDS / 2] / 1000, (double)t[ROUNDS * 9 / 10] / 1000);
}

int
main(int argc, char **argv)
{
	struct toolbox_config	 cfg;
	struct toolbox		*tb;
	json_t			*w, *e1, *e2, *rd;
	char			*content, *cause = NULL, tmp[] =
				    "/tmp/tools-bench.XXXXXX", path[64];

	content = xmalloc(SIZE + 1);
	for (int i = 0; i < SIZE; i++)
		content[i] = (i % 50 == 49) ? '\n' : 'a' + i % 26;
	memcpy(content + SIZE / 2, "MARKER-ONE", 10);
	content[SIZE] = '\0';
	if (argc > 1)
		snprintf(path, sizeof path, "%s", argv[1]);
	else {
		if (mkdtemp(tmp) == NULL)
			fatal("mkdtemp");
		snprintf(path, sizeof path, "%s/ws", tmp);
	}
	memset(&cfg, 0, sizeof cfg);
	cfg.workspace = path;
	if ((tb = toolbox_create(&cfg, &cause)) == NULL)
		fatalx("toolbox_create: %s", cause);
	w = json_pack("{s:s, s:s}", "file_path", "f.txt", "content", content);
	rd = json_pack("{s:s}", "file_path", "f.txt");
	e1 = json_pack("{s:s, s:s, s:s}", "file_path", "f.txt", "old_string",
	    "MARKER-ONE", "new_string", "MARKER-TWO");
	e2 = json_pack("{s:s, s:s, s:s}", "file_path", "f.txt", "old_string",
	    "MARKER-TWO", "new_string", "MARKER-ONE");
	printf("%d rounds on a %d-byte file in %s\n", ROUNDS, SIZE,
	    toolbox_workspace(tb));
	bench(tb, "write (temp, fsync, rename)", "write", w, w);
	bench(tb, "read (whole file)", "read", rd, rd);
	bench(tb, "edit (unique replacement)", "edit", e1, e2);
	json_decref(w);
	json_decref(rd);
	json_decref(e1);
	json_decref(e2);
	toolbox_free(tb);
	free(content);
	return 0;
}
