/* ISC licence: see COPYING.  interrupt SESSION: a user.interrupt. */

#include "config.h"

#include <jansson.h>

#include "cli/cmd.h"
#include "cli/connect.h"

/* Ask SESSION's agent to stop at the next safe point. */
int
cmd_interrupt_exec(struct cmd_globals *g, int argc, char **argv)
{
	json_t	*events;
	int	 rv;

	if (argc != 2)
		return cmd_usage_error(cmd_find("interrupt"),
		    "interrupt takes one session");
	events = json_pack("[{s:s}]", "type", "user.interrupt");
	rv = connect_send(g, argv[1], events);
	json_decref(events);
	return rv;
}
