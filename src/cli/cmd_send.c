/* ISC licence: see COPYING.  send SESSION TEXT: a user.message. */

#include "config.h"

#include <string.h>

#include <jansson.h>

#include "cli/cmd.h"
#include "cli/connect.h"

/* Send TEXT to SESSION as a user message; print the event's id. */
int
cmd_send_exec(struct cmd_globals *g, int argc, char **argv)
{
	const struct cmd_entry	*ce = cmd_find("send");
	json_t			*events;
	int			 rv;

	if (argc != 3)
		return cmd_usage_error(ce, "send takes a session and a text");
	if (*argv[2] == '\0')
		return cmd_usage_error(ce, "the text is empty");
	events = json_pack("[{s:s, s:[{s:s, s:s}]}]", "type", "user.message",
	    "content", "type", "text", "text", argv[2]);
	if (events == NULL)
		return cmd_usage_error(ce, "the text is not valid UTF-8");
	rv = connect_send(g, argv[1], events);
	json_decref(events);
	return rv;
}
