/* ISC licence: see COPYING.  pilothouse tool: run one built-in tool. */

#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/cancel.h"
#include "base/xmalloc.h"
#include "cli/cmd.h"
#include "harness/tool.h"

/*
 * tool NAME [--workspace DIR] [--unsafe-no-sandbox] JSON-INPUT: run one
 * tool exactly as the harness would and print the tool result.
 */
int
cmd_tool_exec(struct cmd_globals *g, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "workspace",		required_argument,	NULL, 'w' },
		{ "unsafe-no-sandbox",	no_argument,		NULL, 'U' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry		*ce = cmd_find("tool");
	struct toolbox_config		 cfg;
	struct toolbox			*tb;
	struct tool_result		 r;
	struct cancel			 cancel;
	json_error_t			 jerr;
	json_t				*input, *out;
	char				*cause = NULL, *text;
	int				 ch, rv;

	memset(&cfg, 0, sizeof cfg);
	cfg.workspace = ".";
	while ((ch = getopt_long(argc, argv, "w:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'w':
			cfg.workspace = optarg;
			break;
		case 'U':
			cfg.unsafe_no_sandbox = 1;
			break;
		default:
			return cmd_usage_error(ce, "bad option");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2)
		return cmd_usage_error(ce, "expected a tool name and its "
		    "input");
	if (!toolset_is_builtin(argv[0]))
		return cmd_usage_error(ce, "\"%s\" is not a built-in tool "
		    "(bash, read, write, edit, glob, grep, web_fetch, "
		    "web_search)", argv[0]);
	if ((input = json_loads(argv[1], 0, &jerr)) == NULL ||
	    !json_is_object(input)) {
		json_decref(input);
		return cmd_usage_error(ce, "the input must be a JSON object "
		    "(%s)", input == NULL ? jerr.text : "not an object");
	}
	if (cfg.unsafe_no_sandbox)
		fprintf(stderr, "pilothouse: warning: --unsafe-no-sandbox: "
		    "bash runs on this host with no isolation\n");
	if ((tb = toolbox_create(&cfg, &cause)) == NULL) {
		fprintf(stderr, "pilothouse: %s\n", cause);
		free(cause);
		json_decref(input);
		return CMD_EXIT_LOCAL;
	}
	cancel_init(&cancel);
	cmd_cancel_on_signals(&cancel);
	rv = toolbox_run(tb, argv[0], input, &cancel, &r, &cause);
	cmd_cancel_on_signals(NULL);
	json_decref(input);
	toolbox_free(tb);
	if (rv != 0) {
		cancel_clear(&cancel);
		fprintf(stderr, "pilothouse: %s\n", cause);
		free(cause);
		return CMD_EXIT_LOCAL;
	}
	out = json_pack("{s:[{s:s, s:s%}], s:b}", "content", "type", "text",
	    "text", r.text, r.len, "is_error", r.is_error);
	if (out == NULL || (text = json_dumps(out, JSON_COMPACT)) == NULL)
		fatalx("tool: cannot encode the result");
	puts(text);
	free(text);
	json_decref(out);
	rv = cancel_fired(&cancel) ? CMD_EXIT_INTERRUPTED :
	    r.is_error ? CMD_EXIT_FAIL : CMD_EXIT_OK;
	tool_result_clear(&r);
	cancel_clear(&cancel);
	return rv;
}
