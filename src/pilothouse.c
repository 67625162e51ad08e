/* ISC licence: see COPYING.  main(): global options, then the subcommand. */

#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xmalloc.h"
#include "cli/cmd.h"

int
main(int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "api-url",	required_argument,	NULL, 'u' },
		{ "context",	required_argument,	NULL, 'c' },
		{ "config",	required_argument,	NULL, 'f' },
		{ "local",	no_argument,		NULL, 'L' },
		{ "demo",	no_argument,		NULL, 'D' },
		{ "readonly",	no_argument,		NULL, 'r' },
		{ "ui",		required_argument,	NULL, 'U' },
		{ "log",	required_argument,	NULL, 'l' },
		{ "verbose",	no_argument,		NULL, 'v' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct cmd_globals	 g;
	char			*cause = NULL;
	char			*help_argv[] = { "help", NULL };
	char			*console_argv[] = { "console", NULL };
	char			*version_argv[] = { "version", NULL };
	int			 ch;

	setlocale(LC_ALL, "");
	memset(&g, 0, sizeof g);
	/* '+': stop at the first non-option, which is the subcommand. */
	while ((ch = getopt_long(argc, argv, "+vhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'u':
			g.api_url = optarg;
			break;
		case 'c':
			g.context = optarg;
			break;
		case 'f':
			g.config_path = optarg;
			break;
		case 'L':
			g.local = 1;
			break;
		case 'D':
			g.demo = 1;
			break;
		case 'r':
			g.readonly = 1;
			break;
		case 'U':
			g.ui = optarg;
			break;
		case 'l':
			g.log_path = optarg;
			break;
		case 'v':
			g.verbose++;
			break;
		case 'h':
			return cmd_dispatch(&g, 1, help_argv);
		case 'V':
			return cmd_dispatch(&g, 1, version_argv);
		default:
			fputs("run \"pilothouse --help\" for usage\n", stderr);
			return CMD_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	optind = 0;		/* let the subcommand run getopt afresh */
	if (g.log_path != NULL &&
	    log_open(g.log_path, g.verbose > 1 ? LOG_LEVEL_DEBUG :
	    g.verbose ? LOG_LEVEL_INFO : LOG_LEVEL_WARN, &cause) != 0) {
		fprintf(stderr, "pilothouse: %s\n", cause);
		free(cause);
		return CMD_EXIT_LOCAL;
	}
	/* No command: the console, on the configured endpoint. */
	if (argc == 0) {
		ch = cmd_dispatch(&g, 1, console_argv);
		log_close();
		return ch;
	}
	ch = cmd_dispatch(&g, argc, argv);
	log_close();
	return ch;
}
