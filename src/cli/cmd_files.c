/* ISC licence: see COPYING.  files: the files a cached session touched. */

#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/sanitize.h"
#include "base/xmalloc.h"
#include "cli/cmd.h"
#include "cli/report.h"
#include "model/diff.h"
#include "model/files.h"
#include "store/store.h"

/*
 * Without PATH: one line per file, in the order first touched, with what
 * the session did to it and whether its final content is known.  With
 * PATH: that file's final content, or with --diff its net diff.  Content
 * and diffs are untrusted: on a terminal they are sanitized; into a pipe
 * or file a content is written byte for byte (so it can be compared or
 * restored) and a diff is sanitized.
 */

/* Write text to stdout, sanitized unless raw. */
static void
cmd_files_put(const char *s, size_t len, int raw)
{
	struct buf	b;

	if (raw) {
		fwrite(s, 1, len, stdout);
		return;
	}
	buf_init(&b, BUF_UNBOUNDED);
	if (sanitize_to_buf(s, len, &b) != 0)
		fatalx("files: unbounded buffer refused");
	fwrite(b.data, 1, b.len, stdout);
	buf_clear(&b);
}

/* Print the net diff of file i; 0, or -1 when it is not known. */
static int
cmd_files_diff(const struct files *fs, size_t i)
{
	const struct files_file	*f = files_at(fs, i);
	struct diff		*d;
	struct buf		 u;

	if ((d = files_net_diff(fs, i, DIFF_CONTEXT)) == NULL)
		return -1;
	buf_init(&u, BUF_UNBOUNDED);
	if (diff_unified(d, f->path, f->path, &u) != 0)
		fatalx("files: unbounded buffer refused");
	diff_free(d);
	cmd_files_put(u.data, u.len, 0);
	buf_clear(&u);
	return 0;
}

/* One line about file i. */
static void
cmd_files_line(const struct files *fs, size_t i)
{
	const struct files_file	*f = files_at(fs, i);

	cmd_files_put(f->path, strlen(f->path), 0);
	printf("\t%zu reads, %zu writes, %zu edits, %zu failed%s; final "
	    "content %s\n", f->reads, f->writes, f->edits, f->failed,
	    f->created ? "; new or unknown before" : "",
	    f->current_known ? "known" : "not known from the events");
}

/* files [--diff] SESSION [PATH] */
int
cmd_files_exec(struct cmd_globals *g, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "diff",	no_argument,	NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry		*ce = cmd_find("files");
	const struct files_file		*f;
	struct store			*st;
	struct files			*fs;
	char				*cause = NULL;
	const char			*path = NULL;
	int				 ch, diff = 0, rv = CMD_EXIT_OK;
	size_t				 i;

	(void)g;
	while ((ch = getopt_long(argc, argv, "+d", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			diff = 1;
			break;
		default:
			return cmd_usage_error(ce, "unknown option");
		}
	}
	if (argc - optind < 1 || argc - optind > 2)
		return cmd_usage_error(ce, "files takes SESSION [PATH]");
	if (argc - optind == 2)
		path = argv[optind + 1];
	if ((st = store_open(NULL, STORE_READONLY, &cause)) == NULL ||
	    (fs = report_files(st, argv[optind], &cause)) == NULL) {
		fprintf(stderr, "pilothouse: files: %s\n", cause);
		free(cause);
		store_close(st);
		return CMD_EXIT_LOCAL;
	}
	for (i = 0; i < files_count(fs); i++) {
		f = files_at(fs, i);
		if (path != NULL && strcmp(f->path, path) != 0)
			continue;
		if (path == NULL && !diff)
			cmd_files_line(fs, i);
		else if (diff && cmd_files_diff(fs, i) != 0) {
			printf("# %s: net diff not known from the events\n",
			    f->path);
		} else if (!diff) {
			if (!f->current_known) {
				fprintf(stderr, "pilothouse: files: %s: its "
				    "final content is not known from the "
				    "events\n", path);
				rv = CMD_EXIT_LOCAL;
			} else
				cmd_files_put(f->current, f->currentlen,
				    !isatty(STDOUT_FILENO));
		}
		if (path != NULL)
			break;
	}
	if (path != NULL && i == files_count(fs)) {
		fprintf(stderr, "pilothouse: files: %s: not touched in %s\n",
		    path, argv[optind]);
		rv = CMD_EXIT_LOCAL;
	}
	files_free(fs);
	store_close(st);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "pilothouse: files: cannot write: %s\n",
		    strerror(errno));
		rv = CMD_EXIT_LOCAL;
	}
	return rv;
}
