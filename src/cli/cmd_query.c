/* ISC licence: see COPYING.  query: read-only SQL over the cache. */

#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "cli/cmd.h"
#include "cli/query.h"
#include "store/store.h"

/*
 * The cache is brought up to the current schema first (a writer's open
 * migrates it, so the q_* views exist), then queried on a read-only
 * connection (query.h).
 */

/* query [--json] [--limit N] SQL */
int
cmd_query_exec(struct cmd_globals *g, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "json",	no_argument,		NULL, 'j' },
		{ "limit",	required_argument,	NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry		*ce = cmd_find("query");
	struct store			*st;
	struct buf			 out;
	char				*cause = NULL, *path, *end;
	unsigned long			 limit = QUERY_DEFAULT_LIMIT;
	int				 ch, flags = 0, rv = CMD_EXIT_OK;

	(void)g;
	while ((ch = getopt_long(argc, argv, "+jl:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			flags |= QUERY_JSON;
			break;
		case 'l':
			errno = 0;
			limit = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || errno != 0 ||
			    limit == 0 || limit > INT_MAX)
				return cmd_usage_error(ce, "bad --limit \"%s\" "
				    "(a number of rows, at least 1)", optarg);
			break;
		default:
			return cmd_usage_error(ce, "unknown option");
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error(ce, "query takes one SQL statement");

	path = store_default_path();
	if (access(path, F_OK) != 0) {
		fprintf(stderr, "pilothouse: query: no cache yet at %s "
		    "(import, export or tail a session first)\n", path);
		free(path);
		return CMD_EXIT_LOCAL;
	}
	if ((st = store_open(path, 0, &cause)) == NULL) {
		fprintf(stderr, "pilothouse: query: %s\n", cause);
		free(cause);
		free(path);
		return CMD_EXIT_LOCAL;
	}
	store_close(st);
	buf_init(&out, BUF_UNBOUNDED);
	if (query_run(path, argv[optind], limit, flags, &out, &cause) < 0) {
		fprintf(stderr, "pilothouse: query: %s\n", cause);
		free(cause);
		rv = CMD_EXIT_LOCAL;
	} else if (fwrite(out.data, 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "pilothouse: query: cannot write: %s\n",
		    strerror(errno));
		rv = CMD_EXIT_LOCAL;
	}
	buf_clear(&out);
	free(path);
	return rv;
}
