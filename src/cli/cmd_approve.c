/* ISC licence: see COPYING.  approve SESSION TOOL_USE_EVENT_ID: allow a
 * held tool call (a user.tool_confirmation with result "allow"). */

#include "config.h"

#include <jansson.h>

#include "cli/cmd.h"
#include "cli/connect.h"

/* Allow the held call TOOL_USE_EVENT_ID of SESSION. */
int
cmd_approve_exec(struct cmd_globals *g, int argc, char **argv)
{
	const struct cmd_entry	*ce = cmd_find("approve");
	json_t			*events;
	int			 rv;

	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cmd_usage_error(ce, "approve takes no options "
			    "(--message goes with deny)");
	if (argc != 3)
		return cmd_usage_error(ce, "approve takes a session and a "
		    "tool use event id");
	events = json_pack("[{s:s, s:s, s:s}]", "type",
	    "user.tool_confirmation", "tool_use_id", argv[2], "result",
	    "allow");
	rv = connect_send(g, argv[1], events);
	json_decref(events);
	return rv;
}
