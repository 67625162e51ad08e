/* ISC licence: see COPYING.  deny SESSION TOOL_USE_EVENT_ID [--message
 * TEXT]: refuse a held tool call, optionally telling the model why. */

#include "config.h"

#include <getopt.h>
#include <string.h>

#include <jansson.h>

#include "cli/cmd.h"
#include "cli/connect.h"

/* Deny the held call TOOL_USE_EVENT_ID of SESSION. */
int
cmd_deny_exec(struct cmd_globals *g, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "message", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry		*ce = cmd_find("deny");
	const char			*message = NULL;
	json_t				*ev, *events;
	int				 ch, rv;

	while ((ch = getopt_long(argc, argv, "m:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'm':
			message = optarg;
			break;
		default:
			return cmd_usage_error(ce, "unknown option");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2)
		return cmd_usage_error(ce, "deny takes a session and a tool "
		    "use event id");
	ev = json_pack("{s:s, s:s, s:s}", "type", "user.tool_confirmation",
	    "tool_use_id", argv[1], "result", "deny");
	if (message != NULL && json_object_set_new(ev, "deny_message",
	    json_string(message)) != 0) {
		json_decref(ev);
		return cmd_usage_error(ce, "the message is not valid UTF-8");
	}
	events = json_pack("[o]", ev);
	rv = connect_send(g, argv[0], events);
	json_decref(events);
	return rv;
}
