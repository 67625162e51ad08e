/*
 * offline.h -- what a read-only console over the cache starts from: the
 * configuration, the keymap and the cache (snapshot and replay).
 *
 * Neither command reaches the network through it: the console these feed
 * is opened with no client, readonly, so nothing can be sent.
 */
#ifndef PILOTHOUSE_OFFLINE_H
#define PILOTHOUSE_OFFLINE_H

#include "base/compiler.h"
#include "cli/cmd.h"
#include "ui/console.h"

struct conf;
struct keymap;
struct store;

struct offline {
	struct conf		*cf;	/* the configuration file */
	struct keymap		*km;	/* for chost_open, which takes it */
	struct store		*st;	/* the cache */
	struct ui_options	 uo;	/* [ui] and the globals; readonly */
	struct console_config	 cc;
};

/*
 * Load the configuration, read [ui] and [keys] into o and open the cache.
 * On failure the problem is on standard error, nothing is left open, and
 * the exit status is returned (CMD_EXIT_USAGE for the configuration,
 * CMD_EXIT_LOCAL for the cache); else CMD_EXIT_OK.
 */
int	 offline_open(struct offline *, struct cmd_globals *) AD_WARN_UNUSED;
/* Close the cache and free the configuration, and the keymap unless it
 * was handed to chost_open (then the caller sets o->km to NULL). */
void	 offline_close(struct offline *);

#endif
