/*
 * ISC licence: see COPYING.  console [SESSION]: the operator console,
 * and what "pilothouse" with no command runs.
 *
 * The console opens on the configured endpoint (the local harness when
 * no API key is configured, or with --local; --local --demo starts the
 * harness's demo sessions first).  It shows the cache at once, then
 * follows every session live.  It ends on q or C-c without touching any
 * agent, or on SIGTERM/SIGHUP, and always gives the terminal back.
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/loop.h"
#include "base/paths.h"
#include "base/xmalloc.h"
#include "cli/cmd.h"
#include "cli/conf.h"
#include "cli/connect.h"
#include "cli/console_host.h"
#include "store/store.h"
#include "ui/keymap.h"
#include "wire/api_client.h"

/* SIGTERM or SIGHUP: leave (the terminal is restored on the way out). */
static void
cmd_console_signal(int sig, void *arg)
{
	loop_exit(arg, sig == SIGHUP ? CMD_EXIT_OK : CMD_EXIT_INTERRUPTED);
}

/* console [SESSION] */
int
cmd_console_exec(struct cmd_globals *g, int argc, char **argv)
{
	const struct cmd_entry	*ce = cmd_find("console");
	struct connect		 c;
	struct ui_options	 uo;
	struct console_config	 cc;
	struct keymap		*km;
	struct store		*st;
	struct chost		*h;
	char			*cause = NULL, *demo_argv[] = { "demo", NULL };
	char			*state, *layout = NULL;
	int			 rv;

	if (argc > 2)
		return cmd_usage_error(ce, "at most one session");
	if (argc == 2 && argv[1][0] == '-')
		return cmd_usage_error(ce, "unknown option %s", argv[1]);
	if (g->demo && !g->local)
		return cmd_usage_error(ce, "--demo needs --local");
	if (g->demo && (rv = cmd_dispatch(g, 1, demo_argv)) != CMD_EXIT_OK)
		return rv;
	if ((rv = connect_open(&c, g)) != CMD_EXIT_OK)
		return rv;
	if ((st = store_open(NULL, 0, &cause)) == NULL) {
		fprintf(stderr, "pilothouse: the cache: %s\n", cause);
		free(cause);
		connect_close(&c);
		return CMD_EXIT_LOCAL;
	}
	km = keymap_create();
	if (chost_config(c.config, g, &uo, &cc, km, &cause) != 0) {
		fprintf(stderr, "pilothouse: %s\n", cause);
		free(cause);
		keymap_free(km);
		rv = CMD_EXIT_USAGE;
		goto out;
	}
	/* The harness socket's path says nothing useful: "local". */
	cc.endpoint = strncmp(api_client_url(c.client), "unix:", 5) == 0 ?
	    "local harness" : api_client_url(c.client);
	/* The grid layout, per workspace, in the state directory. */
	state = paths_state_dir();
	if (paths_private_dir(state, &cause) == 0) {
		xasprintf(&layout, "%s/layout", state);
		cc.layout_path = layout;
		cc.workspace = g->context != NULL ? g->context : cc.endpoint;
	} else {
		log_warn("the layout is not kept: %s", cause);
		free(cause);
	}
	free(state);
	h = chost_create(c.loop, st, c.client);
	if (chost_open(h, &uo, km, &cc, &cause) != 0) {
		fprintf(stderr, "pilothouse: %s\n", cause);
		free(cause);
		chost_free(h);
		rv = CMD_EXIT_LOCAL;
		goto out;
	}
	if (loop_signal(c.loop, SIGTERM, cmd_console_signal, c.loop) != 0 ||
	    loop_signal(c.loop, SIGHUP, cmd_console_signal, c.loop) != 0)
		fatal("loop_signal");
	if (chost_load_cache(h, NULL, 0, &cause) != 0) {
		ui_toast(console_ui(chost_console(h)), 1, "the cache: %s",
		    cause);
		free(cause);
	}
	if (argc == 2)
		console_open(chost_console(h), argv[1]);
	chost_go_live(h);
	rv = loop_run(c.loop);
	chost_free(h);
out:
	if (store_flush(st, &cause) != 0) {
		fprintf(stderr, "pilothouse: the cache: %s\n", cause);
		free(cause);
	}
	store_close(st);
	connect_close(&c);
	free(layout);
	return rv;
}
