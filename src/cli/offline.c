/*
 * ISC licence: see COPYING.  The configuration, keymap and cache a
 * read-only console over the cache starts from (offline.h).
 */

#include "config.h"

#include "cli/offline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/conf.h"
#include "cli/console_host.h"
#include "store/store.h"
#include "ui/keymap.h"

/* Close what offline_open opened. */
void
offline_close(struct offline *o)
{
	keymap_free(o->km);
	store_close(o->st);
	conf_free(o->cf);
}

/* Load the configuration and open the cache; an exit status. */
int
offline_open(struct offline *o, struct cmd_globals *g)
{
	char	*cause = NULL;
	int	 rv;

	memset(o, 0, sizeof *o);
	if ((o->cf = conf_load(g->config_path, &cause)) == NULL) {
		fprintf(stderr, "pilothouse: %s\n", cause);
		free(cause);
		return CMD_EXIT_USAGE;
	}
	o->km = keymap_create();
	if (chost_config(o->cf, g, &o->uo, &o->cc, o->km, &cause) != 0) {
		fprintf(stderr, "pilothouse: %s\n", cause);
		rv = CMD_EXIT_USAGE;
		goto fail;
	}
	o->uo.readonly = 1;
	if ((o->st = store_open(NULL, 0, &cause)) == NULL) {
		fprintf(stderr, "pilothouse: the cache: %s\n", cause);
		rv = CMD_EXIT_LOCAL;
		goto fail;
	}
	return CMD_EXIT_OK;

fail:
	free(cause);
	offline_close(o);
	return rv;
}
